// Arena: a chain of large blocks; allocation bumps a pointer, destroy frees
// the chain. No per-object free exists on purpose.
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (256 * 1024) // Default block size
#define SPARE_MAX 32             // Standard blocks kept for reuse, per thread (8 MB)

typedef struct block_s {
  struct block_s *next; // Older block
  size_t size;          // Usable bytes in data
  size_t used;          // Bytes handed out
  _Alignas(16) unsigned char data[]; // Payload
} block_t;

struct ap_arena_s {
  block_t *head; // Current block
  size_t total;  // Bytes handed out
};

// Standard blocks given back by arenas of this thread, for its next ones:
// a page's arena goes when the page is written and the next page's comes,
// and memory the process has touched already costs no page faults (a
// fresh block costs one per 4 KB, most of a page's allocation time).
static _Thread_local block_t *spare;    // Chain of spare blocks
static _Thread_local int nspare;        // How many

static block_t *new_block(size_t bsize);
static void free_block(block_t *b);

//
// 'ap_arena_alloc()' - Zeroed, aligned memory owned by the arena.
//

void *
ap_arena_alloc(ap_arena_t *arena, size_t size)
{
  size_t need = (size + 15u) & ~(size_t)15u; // Rounded size
  block_t *b = arena->head;                 // Block to bump

  if (need < size || need > SIZE_MAX / 2) { // Overflowed: a caller's size is absurd
    fputs("anpham: out of memory\n", stderr);
    abort();
  }
  if (!b || b->size - b->used < need) {
    size_t bsize = need > BLOCK_SIZE ? need : BLOCK_SIZE;
    b = new_block(bsize);
    if (!b) {
      fputs("anpham: out of memory\n", stderr);
      abort();
    }
    b->size = bsize;
    b->used = 0;
    // A large one-off block goes behind the current one, which keeps its free space...
    if (need > BLOCK_SIZE && arena->head) {
      b->next = arena->head->next;
      arena->head->next = b;
      b->used = need;
      arena->total += need;
      memset(b->data, 0, size);
      return b->data;
    }
    b->next = arena->head;
    arena->head = b;
  }
  void *p = b->data + b->used;
  b->used += need;
  arena->total += need;
  memset(p, 0, size);
  return p;
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
  return (ap_arena_mark_t){.head = head, .next = head ? head->next : NULL, .used = head ? head->used : 0,
                           .total = arena->total};
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
  arena->total = mark.total;
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
  char *d = ap_arena_alloc(arena, len + 1);
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
  return arena->total;
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

// A block of bsize bytes: a spare one when it is standard, else new.
static block_t *
new_block(size_t bsize)
{
  if (bsize == BLOCK_SIZE && spare) {
    block_t *b = spare;
    spare = b->next;
    nspare--;
    return b;
  }
  block_t *b = malloc(sizeof(block_t) + bsize);
  if (b)
    b->size = bsize;
  return b;
}

// Give a block back: kept as a spare when standard and there is room.
static void
free_block(block_t *b)
{
  if (b->size == BLOCK_SIZE && nspare < SPARE_MAX) {
    b->next = spare;
    spare = b;
    nspare++;
    return;
  }
  free(b);
}
