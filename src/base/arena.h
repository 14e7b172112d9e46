// Arena: memory owned by lifetime, not by object. Everything a job builds
// (trees, strings, boxes) lives in one arena freed at once.
#ifndef AP_ARENA_H
#define AP_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct ap_arena_s ap_arena_t; // Opaque bump allocator

// Create an empty arena; NULL when out of memory.
ap_arena_t *ap_arena_create(void);
// Free every block the arena handed out.
void ap_arena_destroy(ap_arena_t *arena);
// Zeroed memory, 16-byte aligned, owned by the arena; aborts when out of memory.
void *ap_arena_alloc(ap_arena_t *arena, size_t size);
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

// Allocate one zeroed T / n zeroed T in the arena.
#define AP_NEW(arena, T) ((T *)ap_arena_alloc((arena), sizeof(T)))
#define AP_NEW_N(arena, T, n) ((T *)ap_arena_alloc((arena), sizeof(T) * (size_t)(n)))

#endif
