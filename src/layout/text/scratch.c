// Scratch buffers of paragraph setting kept from one paragraph to the next.
// Setting a paragraph grows a handful of arrays (elements, characters,
// breaker nodes and sums, spans, run text) from nothing and frees them at
// the end; a document of many paragraphs paid a chain of reallocations for
// each (2.3 M of the 2023 report's 82 M instructions on the main thread).
// A buffer given back is kept, one of each kind per thread, for the next
// paragraph to grow from; one past SCRATCH_MAX bytes is freed, so that a
// giant paragraph does not hold its memory after it is set. Contents are
// never carried over: only the memory.
#include "text-private.h"

#include <stdlib.h>

#define SCRATCH_MAX (256u << 10) // Bytes of a buffer kept, at most

typedef struct kept_s {
  void *buf;  // A buffer, NULL when none is kept
  size_t cap; // Its capacity, in elements
} kept_t;

static _Thread_local kept_t kept[AP_SCRATCH_KINDS];

//
// 'ap_scratch_take()' - The kept buffer of a kind, the caller's until given back.
//

void *                                // O - Buffer (NULL when none is kept)
ap_scratch_take(ap_scratch_kind_t kind, // I - Which array
                size_t *cap)          // O - Its capacity in elements (0 when none)
{
  void *buf = kept[kind].buf;

  *cap = kept[kind].cap;
  kept[kind].buf = NULL;
  kept[kind].cap = 0;
  return buf;
}

//
// 'ap_scratch_give()' - Give a buffer back: kept for the next paragraph, or freed.
//

void
ap_scratch_give(ap_scratch_kind_t kind, // I - Which array
                void *buf,              // I - Buffer (NULL is fine)
                size_t cap,             // I - Its capacity in elements
                size_t size)            // I - Bytes per element
{
  if (!buf)
    return;
  if (kept[kind].buf || cap * size > SCRATCH_MAX) {
    free(buf);
    return;
  }
  kept[kind].buf = buf;
  kept[kind].cap = cap;
}
