// Arena: memory owned by lifetime, not by object. Everything a job builds
// (trees, strings, boxes) lives in one arena freed at once.
#ifndef AP_ARENA_H
#define AP_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct ap_arena_s ap_arena_t; // Opaque bump allocator

// Create an empty arena; NULL when out of memory.
ap_arena_t *ap_arena_create(void);
// Free every block the arena handed out.
void ap_arena_destroy(ap_arena_t *arena);
// Zeroed memory, 16-byte aligned, owned by the arena; aborts when out of memory
// (inline below: most calls only bump a pointer).
static inline void *ap_arena_alloc(ap_arena_t *arena, size_t size);
// The rest of ap_arena_alloc: a new block, or an absurd size.
void *ap_arena_alloc_slow(ap_arena_t *arena, size_t size);
// Copy of a NUL-terminated string, owned by the arena.
char *ap_arena_strdup(ap_arena_t *arena, const char *s);
// Copy of len bytes plus a NUL, owned by the arena.
char *ap_arena_strndup(ap_arena_t *arena, const char *s, size_t len);
// printf into the arena.
char *ap_arena_printf(ap_arena_t *arena, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *ap_arena_vprintf(ap_arena_t *arena, const char *fmt, va_list ap);
// Bytes handed out so far (for benchmarks and tests).
size_t ap_arena_used(const ap_arena_t *arena);

// No huge pages for the blocks of arenas from now on (a batch's own
// process, whose job processes are forked from it: see arena.c). Called
// before any other thread.
void ap_arena_small_pages(void);
// Huge pages again, in chunks of this process's own (a job process just
// forked from the batch's). Called before any other thread.
void ap_arena_own_huge_pages(void);

// Where an arena stands, and back there: everything handed out since the
// mark is freed at once (a batch's job process runs job after job on one
// prepared layout, each job's memory given back when it ends). Nothing
// handed out since the mark may be used after the reset.
typedef struct ap_arena_mark_s {
  void *head;   // The current block at the mark (NULL: none)
  void *next;   // The block behind it then
  size_t used;  // Its bytes handed out then
  size_t total; // The arena's bytes handed out then
} ap_arena_mark_t;
ap_arena_mark_t ap_arena_mark(const ap_arena_t *arena);
void ap_arena_reset(ap_arena_t *arena, ap_arena_mark_t mark);

// The free space of an arena's current block: the first member of every
// arena, so that ap_arena_alloc can bump it inline (arena.c owns the rest
// of the arena and keeps this in step with its blocks).
typedef struct ap_arena_bump_s {
  unsigned char *next; // First free byte of the current block (NULL: no block yet)
  unsigned char *end;  // End of the current block
  size_t total;        // Bytes handed out, all blocks
} ap_arena_bump_t;

static inline void *
ap_arena_alloc(ap_arena_t *arena, size_t size)
{
  ap_arena_bump_t *bump = (ap_arena_bump_t *)arena; // (its first member)
  size_t need = (size + 15u) & ~(size_t)15u;       // Rounded size (smaller than size: overflowed)
  if (need < size || need > (size_t)(bump->end - bump->next))
    return ap_arena_alloc_slow(arena, size);
  void *p = bump->next;
  bump->next += need;
  bump->total += need;
  memset(p, 0, size); // (a few stores when size is a constant)
  return p;
}

// Allocate one zeroed T / n zeroed T in the arena.
#define AP_NEW(arena, T) ((T *)ap_arena_alloc((arena), sizeof(T)))
#define AP_NEW_N(arena, T, n) ((T *)ap_arena_alloc((arena), sizeof(T) * (size_t)(n)))

#endif
