// Chunked arrays: items of one size in blocks of a fixed count that never
// move. The array grows a block at a time, without copying what it holds
// and without the room a doubling array keeps free (up to half of it,
// and the old and new copies both at once while it grows): for records
// that grow with a document, such as a tagged PDF's structure elements.
// Pointers to items stay valid until the array is freed.
#ifndef AP_CHUNKS_H
#define AP_CHUNKS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ap_chunks_s {
  void **blocks;           // Blocks of (1 << shift) items each (calloc'ed), NULL = none yet
  size_t nblocks, ablocks; // Blocks made, room for block pointers
  size_t count;            // Items in use: [0, count)
  size_t size;             // Bytes of an item
  unsigned shift;          // log2 of the items of a block
} ap_chunks_t;

// An empty array of items of size bytes, in blocks of 1 << shift items.
void ap_chunks_init(ap_chunks_t *chunks, size_t size, unsigned shift);
// Free every block (the array is empty again, ready for use).
void ap_chunks_free(ap_chunks_t *chunks);
// A new item at the end (index count - 1), zeroed; NULL when out of memory.
void *ap_chunks_push(ap_chunks_t *chunks);
// At least count items, the new ones zeroed; false when out of memory.
bool ap_chunks_extend(ap_chunks_t *chunks, size_t count);

// Item i (below count).
static inline void *
ap_chunks_at(const ap_chunks_t *chunks, size_t i)
{
  return (char *)chunks->blocks[i >> chunks->shift] + (i & (((size_t)1 << chunks->shift) - 1)) * chunks->size;
}

#endif
