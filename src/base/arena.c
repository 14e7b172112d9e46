// Arena: a chain of large blocks; allocation bumps a pointer, destroy frees
// the chain. No per-object free exists on purpose.
//
// Standard blocks (256 KB) are cut from 2 MB chunks the kernel is asked to
// back with one huge page each, and a standard block given back is kept for
// the thread's next arenas, never unmapped: every page of a document has an
// arena of its own, and memory touched for the first time costs a page fault
// per 4 KB (on the machines measured, a virtual one, most of the time a
// render spent allocating). Four spare blocks (1 MB) stay resident; those
// given back beyond them return their pages to the kernel (all but the
// header's), so that what layout no longer holds does not stay in the
// process's memory. Returning them is not free: it splits the chunk's huge
// page, interrupts the other core to flush its TLB, and the block's next
// use faults in 63 small pages (docs/benchmarks.md, step 11). The cost:
// up to one chunk resident beyond what is used. Larger blocks come
// from malloc and go back to it. Under AddressSanitizer every block is
// malloc's (its leak checker does not look into memory mapped by hand).
#define _DEFAULT_SOURCE // MAP_ANONYMOUS, madvise
#include "arena.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK_SIZE (256 * 1024)       // A standard block, header included
#define CHUNK_SIZE (2 * 1024 * 1024)  // Standard blocks are cut from chunks of this size (a huge page)
#define WARM_MAX 4                    // Spare blocks kept resident, at most (with 2 the report gave 9 back to the kernel; with 4, none)
#define PAGE 4096                     // A block's first page (its header) stays when the rest is returned

typedef struct block_s {
  struct block_s *next; // Older block
  size_t size;          // Usable bytes in data
  size_t used;          // Bytes handed out
  _Alignas(16) unsigned char data[]; // Payload
} block_t;

#define STANDARD (BLOCK_SIZE - sizeof(block_t)) // Usable bytes of a standard block

#if defined(__SANITIZE_ADDRESS__)
#define PLAIN_BLOCKS 1 // Every block from malloc (GCC's AddressSanitizer)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLAIN_BLOCKS 1 // (clang's)
#endif
#endif
#ifndef PLAIN_BLOCKS
#define PLAIN_BLOCKS 0
#endif

struct ap_arena_s {
  ap_arena_bump_t bump; // The current block's free space (arena.h: its inline fast path)
  block_t *head;        // Current block; its `used` is in bump.next, and stored only when the block changes
};

static _Thread_local block_t *spare;    // Standard blocks given back by this thread's arenas, resident
static _Thread_local int nspare;        // How many
static _Thread_local block_t *cold;     // Those given back past WARM_MAX: their pages returned to the kernel
static _Thread_local unsigned char *chunk_next, *chunk_end; // Rest of the chunk being cut
static bool small_pages; // No huge pages from now on (a batch: ap_arena_small_pages)

static block_t *new_block(size_t bsize);
static void free_block(block_t *b);
static void store_used(ap_arena_t *arena);
static void load_used(ap_arena_t *arena);

//
// 'ap_arena_alloc_slow()' - ap_arena_alloc when the current block is full.
//

void *
ap_arena_alloc_slow(ap_arena_t *arena, size_t size)
{
  size_t need = (size + 15u) & ~(size_t)15u; // Rounded size

  if (need < size || need > SIZE_MAX / 2) { // Overflowed: a caller's size is absurd
    fputs("anpham: out of memory\n", stderr);
    abort();
  }
  store_used(arena);
  size_t bsize = need > STANDARD ? need : STANDARD;
  block_t *b = new_block(bsize);
  if (!b) {
    fputs("anpham: out of memory\n", stderr);
    abort();
  }
  b->size = bsize;
  b->used = need;
  arena->bump.total += need;
  // A large one-off block goes behind the current one, which keeps its free space...
  if (need > STANDARD && arena->head) {
    b->next = arena->head->next;
    arena->head->next = b;
  } else {
    b->next = arena->head;
    arena->head = b;
    load_used(arena);
  }
  memset(b->data, 0, size);
  return b->data;
}

// The current block's bytes handed out, from the bump pointer into the block.
static void
store_used(ap_arena_t *arena)
{
  if (arena->head)
    arena->head->used = (size_t)(arena->bump.next - arena->head->data);
}

// The bump pointer from the current block (after it changed).
static void
load_used(ap_arena_t *arena)
{
  block_t *b = arena->head;
  arena->bump.next = b ? b->data + b->used : NULL;
  arena->bump.end = b ? b->data + b->size : NULL;
}

//
// 'ap_arena_create()' - Create an empty arena.
//

ap_arena_t *
ap_arena_create(void)
{
  return calloc(1, sizeof(ap_arena_t));
}

//
// 'ap_arena_destroy()' - Free the arena and all it handed out.
//

void
ap_arena_destroy(ap_arena_t *arena)
{
  if (!arena)
    return;
  for (block_t *b = arena->head, *next; b; b = next) {
    next = b->next;
    free_block(b);
  }
  free(arena);
}

//
// 'ap_arena_mark()' - Where the arena stands now.
//

ap_arena_mark_t
ap_arena_mark(const ap_arena_t *arena)
{
  block_t *head = arena->head;
  return (ap_arena_mark_t){.head = head, .next = head ? head->next : NULL,
                           .used = head ? (size_t)(arena->bump.next - head->data) : 0, .total = arena->bump.total};
}

//
// 'ap_arena_reset()' - Free everything handed out since a mark.
//
// The blocks made since are in front of the marked one, but for large
// one-off blocks put right behind it while it was still current: those
// stand between it and the block that was behind it at the mark.
//

void
ap_arena_reset(ap_arena_t *arena, ap_arena_mark_t mark)
{
  block_t *head = mark.head, *b = arena->head, *next;

  for (; b && b != head; b = next) {
    next = b->next;
    free_block(b);
  }
  if (head) {
    for (b = head->next; b && b != (block_t *)mark.next; b = next) {
      next = b->next;
      free_block(b);
    }
    head->next = mark.next;
    head->used = mark.used;
  }
  arena->head = head;
  load_used(arena);
  arena->bump.total = mark.total;
}

//
// 'ap_arena_printf()' - printf into the arena.
//

char *
ap_arena_printf(ap_arena_t *arena, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = ap_arena_vprintf(arena, fmt, ap);
  va_end(ap);
  return s;
}

//
// 'ap_arena_strdup()' - Copy a string into the arena.
//

char *
ap_arena_strdup(ap_arena_t *arena, const char *s)
{
  return s ? ap_arena_strndup(arena, s, strlen(s)) : NULL;
}

//
// 'ap_arena_strndup()' - Copy len bytes into the arena and terminate them.
//

char *
ap_arena_strndup(ap_arena_t *arena, const char *s, size_t len)
{
  ap_arena_bump_t *bump = &arena->bump;
  size_t need = (len + 16u) & ~(size_t)15u; // len + 1, rounded (smaller than len: overflowed)
  char *d;

  // Every byte is written below: the current block's bytes are taken as
  // they are, not zeroed first (a paragraph's runs copy their text here)...
  if (need > len && need <= (size_t)(bump->end - bump->next)) {
    d = (char *)bump->next;
    bump->next += need;
    bump->total += need;
  } else {
    d = ap_arena_alloc_slow(arena, len + 1);
  }
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

//
// 'ap_arena_used()' - Bytes handed out so far.
//

size_t
ap_arena_used(const ap_arena_t *arena)
{
  return arena->bump.total;
}

//
// 'ap_arena_vprintf()' - vprintf into the arena.
//

char *
ap_arena_vprintf(ap_arena_t *arena, const char *fmt, va_list ap)
{
  char small[256]; // Most strings fit: format once
  va_list ap2;
  if (!fmt) // GCC's sanitizer builds cannot prove it is not
    fmt = "";
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof(small), fmt, ap2);
  va_end(ap2);
  if (n < 0)
    n = 0;
  char *s = ap_arena_alloc(arena, (size_t)n + 1);
  if ((size_t)n < sizeof(small))
    memcpy(s, small, (size_t)n + 1);
  else
    vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

//
// 'ap_arena_small_pages()' - Cut blocks from chunks of 4 KB pages from now on.
//
// For a batch's own process, whose job processes are forked from it: a
// chunk of its huge pages was copied whole by a job process's first write
// to it (the eight district handouts 88 -> 114 ms). The rest of the current
// chunk is left. The job processes take huge pages again in chunks of their
// own (ap_arena_own_huge_pages).
//

void
ap_arena_small_pages(void)
{
  small_pages = true;
  chunk_next = chunk_end = NULL;
}

//
// 'ap_arena_own_huge_pages()' - Huge pages again, in chunks of this process's own.
//
// For a batch's job process, just forked: blocks are cut from new chunks
// (the batch's current chunk is left: writing to it would copy it), each
// backed by huge pages again. The eight district handouts: 75.8 -> 72.4 ms
// median (25 alternating runs).
//

void
ap_arena_own_huge_pages(void)
{
  small_pages = false;
  chunk_next = chunk_end = NULL;
}

// A block of bsize bytes: a standard one is a spare, else cut from a chunk.
static block_t *
new_block(size_t bsize)
{
  block_t *b;
  if (bsize != STANDARD || PLAIN_BLOCKS) {
    if ((b = malloc(sizeof(block_t) + bsize)))
      b->size = bsize;
    return b;
  }
  if (spare) {
    b = spare;
    spare = b->next;
    nspare--;
    return b;
  }
  if (cold) {
    b = cold;
    cold = b->next;
    return b;
  }
  if (chunk_next == chunk_end) {
    size_t map = 2 * CHUNK_SIZE;
    unsigned char *m = mmap(NULL, map, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      return NULL;
    unsigned char *start = (unsigned char *)(((uintptr_t)m + CHUNK_SIZE - 1) & ~(uintptr_t)(CHUNK_SIZE - 1));
    if (start > m)
      munmap(m, (size_t)(start - m));
    if (m + map > start + CHUNK_SIZE)
      munmap(start + CHUNK_SIZE, (size_t)(m + map - (start + CHUNK_SIZE)));
#ifdef MADV_HUGEPAGE
    if (!small_pages)
      madvise(start, CHUNK_SIZE, MADV_HUGEPAGE); // (advice: 4 KB pages where it is not followed)
#endif
    chunk_next = start;
    chunk_end = start + CHUNK_SIZE;
  }
  b = (block_t *)chunk_next;
  chunk_next += BLOCK_SIZE;
  b->size = STANDARD;
  return b;
}

// Give a block back: a standard one is kept as a spare, a larger one freed.
static void
free_block(block_t *b)
{
  if (b->size == STANDARD && !PLAIN_BLOCKS) {
    if (nspare < WARM_MAX) {
      b->next = spare;
      spare = b;
      nspare++;
    } else {
      madvise((unsigned char *)b + PAGE, BLOCK_SIZE - PAGE, MADV_DONTNEED);
      b->next = cold;
      cold = b;
    }
    return;
  }
  free(b);
}
