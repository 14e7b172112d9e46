// Chunked arrays (chunks.h): blocks of items that never move, made as the
// array grows.
#include "chunks.h"

#include <stdlib.h>
#include <string.h>

//
// 'ap_chunks_extend()' - Make room for at least count items, the new ones zeroed.
//

bool                                    // O - false when out of memory
ap_chunks_extend(ap_chunks_t *chunks,   // I - Array
                 size_t count)          // I - Items wanted
{
  size_t per = (size_t)1 << chunks->shift; // Items of a block

  // New blocks come zeroed (calloc), so only whole blocks are made...
  while (chunks->nblocks * per < count) {
    if (chunks->nblocks == chunks->ablocks) {
      size_t room = chunks->ablocks ? chunks->ablocks * 2 : 16;
      void **grown = realloc(chunks->blocks, room * sizeof(void *));
      if (!grown)
        return false;
      chunks->blocks = grown;
      chunks->ablocks = room;
    }
    if (!(chunks->blocks[chunks->nblocks] = calloc(per, chunks->size)))
      return false;
    chunks->nblocks++;
  }
  if (count > chunks->count)
    chunks->count = count;
  return true;
}

//
// 'ap_chunks_free()' - Free every block; the array is empty and can be used again.
//

void
ap_chunks_free(ap_chunks_t *chunks)     // I - Array
{
  for (size_t b = 0; b < chunks->nblocks; b++)
    free(chunks->blocks[b]);
  free(chunks->blocks);
  chunks->blocks = NULL;
  chunks->nblocks = chunks->ablocks = chunks->count = 0;
}

//
// 'ap_chunks_init()' - An empty array of items of a size.
//

void
ap_chunks_init(ap_chunks_t *chunks,     // O - Array
               size_t size,             // I - Bytes of an item
               unsigned shift)          // I - log2 of the items of a block
{
  memset(chunks, 0, sizeof(*chunks));
  chunks->size = size;
  chunks->shift = shift;
}

//
// 'ap_chunks_push()' - A new zeroed item at the end.
//

void *                                  // O - The item, NULL when out of memory
ap_chunks_push(ap_chunks_t *chunks)     // I - Array
{
  size_t i = chunks->count;             // Its index

  return ap_chunks_extend(chunks, i + 1) ? ap_chunks_at(chunks, i) : NULL;
}
