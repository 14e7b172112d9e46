// The render cache of a batch: work one job did that the others would do
// again byte for byte, taken by them instead:
//   - deflated streams (a font subset, a page every district edition
//     shares), keyed by the bytes' CRC-32 and Adler-32 and taken only when
//     they inflate to exactly the bytes asked for (a check at a tenth of
//     the cost of compressing, which no collision passes);
//   - font subsets, keyed by the face (its file, name, glyph count and
//     size) and the characters kept, which are stored with the subset and
//     compared in full before it is taken.
// It is one block of shared memory (an anonymous MAP_SHARED mapping), made
// by the batch's process before it forks its jobs, so every job's process
// reads and adds to the same cache without a file or a lock:
//   - a table of slots, each claimed by one compare-and-swap of its hash
//     and published by a release store of its ready flag once its bytes
//     are in place;
//   - a data area that grows by one atomic fetch-add per entry.
// A job that dies between the claim and the flag only leaves a slot that
// nobody takes. The output bytes are those of doing the work again.
// Memory: pages of the mapping are touched only as data comes (the size
// given is a ceiling, MAP_NORESERVE); when the area is full, nothing more
// is kept.
#define _DEFAULT_SOURCE // MAP_ANONYMOUS, MAP_NORESERVE (not in POSIX 2008)
#include "render-private.h"

#include <libdeflate.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SLOTS 8192      // Entries kept at most (a power of two)
#define MIN_SIZE 2048   // Smaller streams are deflated again rather than looked up
#define PROBES 64       // Slots looked at for one hash before giving up

typedef enum {
  DEFLATED = 1, // zlib data of bytes (key: the bytes' checksums and size)
  SUBSET = 2,   // A font subset (key: its description, stored before the subset)
} kind_t;

// One kept entry.
typedef struct slot_s {
  _Atomic uint64_t hash;  // Of the key (0: free)
  _Atomic uint32_t ready; // 1 once the fields below and the data are in place
  uint32_t kind;          // DEFLATED or SUBSET
  uint64_t size;          // DEFLATED: bytes deflated; SUBSET: bytes of the key
  uint64_t offset;        // Where its data starts in the data area (SUBSET: the key, then the value)
  uint64_t value_size;    // Bytes of the value (zlib data, or the subset)
} slot_t;

struct ap_render_cache_s {
  size_t mapped;          // Bytes of the mapping (this header included)
  size_t capacity;        // Bytes of the data area
  _Atomic uint64_t used;  // Bytes of the data area handed out
  slot_t slots[SLOTS];    // The table (open addressing, linear probing)
  unsigned char data[];   // The data area
};

static uint64_t hash_of(kind_t kind, const unsigned char *bytes, size_t size);
static const slot_t *find(const ap_render_cache_t *cache, kind_t kind, uint64_t hash, size_t size, const slot_t *after);
static void keep(ap_render_cache_t *cache, kind_t kind, uint64_t hash, size_t size, const void *key, size_t key_size,
                 const void *value, size_t value_size);
static unsigned char *subset_key(const char *face, const uint32_t *codepoints, size_t count, size_t *size);

//
// 'ap_render_cache_create()' - A cache shared with the processes forked after it.
//

ap_render_cache_t *                 // O - Cache, NULL when no memory could be mapped
ap_render_cache_create(size_t bytes) // I - Most bytes of data kept
{
  size_t mapped = sizeof(ap_render_cache_t) + bytes;
  void *p = mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

  if (p == MAP_FAILED)
    return NULL;
  ap_render_cache_t *cache = p; // (zero-filled by the kernel: every slot free)
  cache->mapped = mapped;
  cache->capacity = bytes;
  return cache;
}

//
// 'ap_render_cache_destroy()' - Unmap a cache (NULL is fine).
//

void
ap_render_cache_destroy(ap_render_cache_t *cache) // I - Cache
{
  if (cache)
    munmap(cache, cache->mapped);
}

//
// 'ap_render_cache_get()' - zlib data of bytes some job kept, checked.
//
// True with *out (malloc'ed) when a kept stream inflates to exactly these
// bytes; false otherwise (too small to be kept, not found, or out of memory).
//

bool                                                       // O - true with *out
ap_render_cache_get(ap_render_cache_t              *cache, // I - Cache
                    struct libdeflate_decompressor *d,     // I - Decompressor of the caller's thread
                    const unsigned char            *in,    // I - Bytes
                    size_t                          size,  // I - How many
                    unsigned char                 **out,   // O - zlib data (malloc'ed)
                    size_t                         *done)  // O - Its size
{
  if (!cache || size < MIN_SIZE)
    return false;
  uint64_t hash = hash_of(DEFLATED, in, size);

  for (const slot_t *s = find(cache, DEFLATED, hash, size, NULL); s; s = find(cache, DEFLATED, hash, size, s)) {
    // ...taken only when it inflates to these very bytes.
    if (!ap_render_inflates_to(d, cache->data + s->offset, s->value_size, in, size))
      continue;
    if (!(*out = malloc(s->value_size)))
      return false;
    memcpy(*out, cache->data + s->offset, s->value_size);
    *done = s->value_size;
    return true;
  }
  return false;
}

//
// 'ap_render_cache_put()' - Keep zlib data of bytes for the other jobs.
//
// Nothing happens when the stream is too small, or the table or the data
// area is full: the next job compresses it again.
//

void
ap_render_cache_put(ap_render_cache_t   *cache, // I - Cache
                    const unsigned char *in,    // I - Bytes
                    size_t               size,  // I - How many
                    const unsigned char *z,     // I - Their zlib data
                    size_t               zsize) // I - Its size
{
  if (cache && size >= MIN_SIZE)
    keep(cache, DEFLATED, hash_of(DEFLATED, in, size), size, NULL, 0, z, zsize);
}

//
// 'ap_render_cache_get_subset()' - A font subset some job kept for the same face and characters.
//
// face names the face (its file, name, glyph count and size: what stays
// the same for a batch); true with *data (malloc'ed) when found.
//

bool                                                    // O - true with *data
ap_render_cache_get_subset(ap_render_cache_t *cache,    // I - Cache
                           const char        *face,     // I - The face, as described above
                           const uint32_t    *codepoints, // I - Characters kept, in CID order
                           size_t             count,    // I - How many
                           unsigned char    **data,     // O - The subset (malloc'ed)
                           size_t            *size)     // O - Its size
{
  size_t key_size;
  unsigned char *key = cache ? subset_key(face, codepoints, count, &key_size) : NULL;

  if (!key)
    return false;
  uint64_t hash = hash_of(SUBSET, key, key_size);
  for (const slot_t *s = find(cache, SUBSET, hash, key_size, NULL); s; s = find(cache, SUBSET, hash, key_size, s)) {
    if (memcmp(cache->data + s->offset, key, key_size))
      continue;
    free(key);
    if (!(*data = malloc(s->value_size ? s->value_size : 1)))
      return false;
    memcpy(*data, cache->data + s->offset + key_size, s->value_size);
    *size = s->value_size;
    return true;
  }
  free(key);
  return false;
}

//
// 'ap_render_cache_put_subset()' - Keep a font subset for the other jobs.
//

void
ap_render_cache_put_subset(ap_render_cache_t   *cache,      // I - Cache
                           const char          *face,       // I - The face (see _get_subset)
                           const uint32_t      *codepoints, // I - Characters kept, in CID order
                           size_t               count,      // I - How many
                           const unsigned char *data,       // I - The subset
                           size_t               size)       // I - Its size
{
  size_t key_size;
  unsigned char *key = cache ? subset_key(face, codepoints, count, &key_size) : NULL;

  if (!key)
    return;
  keep(cache, SUBSET, hash_of(SUBSET, key, key_size), key_size, key, key_size, data, size);
  free(key);
}

// The next published slot of a kind with this hash and size after `after`
// (NULL: the first), or NULL.
static const slot_t *
find(const ap_render_cache_t *cache, kind_t kind, uint64_t hash, size_t size, const slot_t *after)
{
  uint64_t i = 0, at = hash & (SLOTS - 1);
  if (after) {
    at = (uint64_t)(after - cache->slots);
    i = ((at - (hash & (SLOTS - 1))) & (SLOTS - 1)) + 1;
    at = (at + 1) & (SLOTS - 1);
  }
  for (; i < PROBES; i++, at = (at + 1) & (SLOTS - 1)) {
    const slot_t *s = &cache->slots[at];
    uint64_t h = atomic_load_explicit(&s->hash, memory_order_acquire);
    if (!h)
      return NULL; // Never claimed: nothing further along either
    if (h == hash && atomic_load_explicit(&s->ready, memory_order_acquire) && s->kind == (uint32_t)kind &&
        s->size == size)
      return s;
  }
  return NULL;
}

// Claim a free slot for the hash and publish key and value in it; nothing
// when the hash is kept already (or being kept by another job now), or
// when the table or the data area is full.
static void
keep(ap_render_cache_t *cache, kind_t kind, uint64_t hash, size_t size, const void *key, size_t key_size,
     const void *value, size_t value_size)
{
  for (uint64_t i = 0, at = hash & (SLOTS - 1); i < PROBES; i++, at = (at + 1) & (SLOTS - 1)) {
    slot_t *s = &cache->slots[at];
    uint64_t free_hash = 0;
    if (atomic_load_explicit(&s->hash, memory_order_acquire) == hash)
      return;
    if (!atomic_compare_exchange_strong_explicit(&s->hash, &free_hash, hash, memory_order_acq_rel,
                                                 memory_order_acquire))
      continue; // Another entry's
    // The slot is ours: room in the data area, the bytes, then the flag...
    uint64_t offset = atomic_fetch_add_explicit(&cache->used, key_size + value_size, memory_order_relaxed);
    if (offset + key_size + value_size > cache->capacity)
      return; // Full: the slot stays unpublished
    if (key_size)
      memcpy(cache->data + offset, key, key_size);
    memcpy(cache->data + offset + key_size, value, value_size);
    s->kind = (uint32_t)kind;
    s->size = size;
    s->offset = offset;
    s->value_size = value_size;
    atomic_store_explicit(&s->ready, 1, memory_order_release);
    return;
  }
}

// The hash of an entry's key: CRC-32 and Adler-32 of its bytes, the kind
// mixed in (never 0, the free slot's).
static uint64_t
hash_of(kind_t kind, const unsigned char *bytes, size_t size)
{
  uint64_t hash = ((uint64_t)libdeflate_crc32(0, bytes, size) << 32 | libdeflate_adler32(1, bytes, size)) ^
                  ((uint64_t)kind << 61);
  return hash ? hash : 1;
}

// A subset's key: the face's description, a NUL, then the characters (malloc'ed).
static unsigned char *
subset_key(const char *face, const uint32_t *codepoints, size_t count, size_t *size)
{
  size_t len = strlen(face) + 1;
  unsigned char *key = malloc(len + count * sizeof(uint32_t));

  if (!key)
    return NULL;
  memcpy(key, face, len);
  if (count)
    memcpy(key + len, codepoints, count * sizeof(uint32_t));
  *size = len + count * sizeof(uint32_t);
  return key;
}
