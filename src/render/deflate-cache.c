// The deflate cache of a batch: streams that one job deflated (a font
// subset, a page that every district edition shares) are taken again by
// the other jobs instead of being compressed anew. It is one block of
// shared memory (an anonymous MAP_SHARED mapping), made by the batch's
// process before it forks its jobs, so every job's process reads and adds
// to the same cache without a file or a lock:
//   - a table of slots, each claimed by one compare-and-swap of its key
//     (the bytes' CRC-32 and Adler-32) and published by a release store of
//     its ready flag once the zlib data is in place;
//   - a data area that grows by one atomic fetch-add per stream.
// A job that dies between the claim and the flag only leaves a slot that
// nobody takes. A stream is taken only when it inflates to exactly the
// bytes asked for (a check at a tenth of the cost of compressing, which
// no collision passes), so the output bytes are those of a compression.
// Memory: pages of the mapping are touched only as data comes (the size
// given is a ceiling, MAP_NORESERVE); when the area is full, streams are
// simply not kept.
#define _DEFAULT_SOURCE // MAP_ANONYMOUS, MAP_NORESERVE (not in POSIX 2008)
#include "render-private.h"

#include <libdeflate.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SLOTS 8192      // Streams kept at most (a power of two)
#define MIN_SIZE 2048   // Smaller streams are deflated again rather than looked up
#define PROBES 64       // Slots looked at for one key before giving up

// One kept stream.
typedef struct slot_s {
  _Atomic uint64_t key;   // CRC-32 << 32 | Adler-32 of the bytes (0: free)
  _Atomic uint32_t ready; // 1 once the fields below and the data are in place
  uint64_t size;          // Bytes deflated
  uint64_t offset;        // Where its zlib data starts in the data area
  uint64_t zsize;         // How many bytes of zlib data
} slot_t;

struct ap_deflate_cache_s {
  size_t mapped;          // Bytes of the mapping (this header included)
  size_t capacity;        // Bytes of the data area
  _Atomic uint64_t used;  // Bytes of the data area handed out
  slot_t slots[SLOTS];    // The table (open addressing, linear probing)
  unsigned char data[];   // The data area
};

static uint64_t key_of(const unsigned char *in, size_t size);

//
// 'ap_deflate_cache_create()' - A cache shared with the processes forked after it.
//

ap_deflate_cache_t *                 // O - Cache, NULL when no memory could be mapped
ap_deflate_cache_create(size_t bytes) // I - Most bytes of zlib data kept
{
  size_t mapped = sizeof(ap_deflate_cache_t) + bytes;
  void *p = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

  if (p == MAP_FAILED)
    return NULL;
  ap_deflate_cache_t *cache = p; // (zero-filled by the kernel: every slot free)
  cache->mapped = mapped;
  cache->capacity = bytes;
  return cache;
}

//
// 'ap_deflate_cache_destroy()' - Unmap a cache (NULL is fine).
//

void
ap_deflate_cache_destroy(ap_deflate_cache_t *cache) // I - Cache
{
  if (cache)
    munmap(cache, cache->mapped);
}

//
// 'ap_deflate_cache_get()' - zlib data of bytes some job kept, checked.
//
// True with *out (malloc'ed) when a kept stream inflates to exactly these
// bytes; false otherwise (too small to be kept, not found, or out of memory).
//

bool                                                       // O - true with *out
ap_deflate_cache_get(ap_deflate_cache_t             *cache, // I - Cache
                     struct libdeflate_decompressor *d,     // I - Decompressor of the caller's thread
                     const unsigned char            *in,    // I - Bytes
                     size_t                          size,  // I - How many
                     unsigned char                 **out,   // O - zlib data (malloc'ed)
                     size_t                         *done)  // O - Its size
{
  if (!cache || size < MIN_SIZE)
    return false;
  uint64_t key = key_of(in, size);
  unsigned char *back = NULL;

  for (uint64_t i = 0, at = key & (SLOTS - 1); i < PROBES; i++, at = (at + 1) & (SLOTS - 1)) {
    slot_t *s = &cache->slots[at];
    uint64_t k = atomic_load_explicit(&s->key, memory_order_acquire);
    if (!k)
      break; // Never claimed: nothing further along either
    if (k != key || !atomic_load_explicit(&s->ready, memory_order_acquire) || s->size != size)
      continue;
    // ...found: taken only when it inflates to these very bytes.
    size_t got = 0;
    if (!back && !(back = malloc(size)))
      return false;
    if (libdeflate_zlib_decompress(d, cache->data + s->offset, s->zsize, back, size, &got) != LIBDEFLATE_SUCCESS ||
        got != size || memcmp(back, in, size))
      continue;
    free(back);
    if (!(*out = malloc(s->zsize)))
      return false;
    memcpy(*out, cache->data + s->offset, s->zsize);
    *done = s->zsize;
    return true;
  }
  free(back);
  return false;
}

//
// 'ap_deflate_cache_put()' - Keep zlib data of bytes for the other jobs.
//
// Nothing happens when the stream is too small, or the table or the data
// area is full: the next job compresses it again.
//

void
ap_deflate_cache_put(ap_deflate_cache_t  *cache, // I - Cache
                     const unsigned char *in,    // I - Bytes
                     size_t               size,  // I - How many
                     const unsigned char *z,     // I - Their zlib data
                     size_t               zsize) // I - Its size
{
  if (!cache || size < MIN_SIZE)
    return;
  uint64_t key = key_of(in, size);

  for (uint64_t i = 0, at = key & (SLOTS - 1); i < PROBES; i++, at = (at + 1) & (SLOTS - 1)) {
    slot_t *s = &cache->slots[at];
    uint64_t free_key = 0;
    if (atomic_load_explicit(&s->key, memory_order_acquire) == key)
      return; // Kept already (or being kept by another job now)
    if (!atomic_compare_exchange_strong_explicit(&s->key, &free_key, key, memory_order_acq_rel,
                                                 memory_order_acquire))
      continue; // Another stream's (or this one's, kept by a job at the same time)
    // The slot is ours: room in the data area, the bytes, then the flag...
    uint64_t offset = atomic_fetch_add_explicit(&cache->used, zsize, memory_order_relaxed);
    if (offset + zsize > cache->capacity)
      return; // Full: the slot stays unpublished
    memcpy(cache->data + offset, z, zsize);
    s->size = size;
    s->offset = offset;
    s->zsize = zsize;
    atomic_store_explicit(&s->ready, 1, memory_order_release);
    return;
  }
}

// The key of bytes: their CRC-32 and Adler-32 (never 0, the free slot's).
static uint64_t
key_of(const unsigned char *in, size_t size)
{
  uint64_t key = (uint64_t)libdeflate_crc32(0, in, size) << 32 | libdeflate_adler32(1, in, size);
  return key ? key : 1;
}
