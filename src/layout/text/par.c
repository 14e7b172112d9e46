// Paragraph layout recipe: collect (items → boxes, glue, penalties) → break
// (total fit, then first fit) → finalize (lines → positioned runs).
#include "text-private.h"

#include <stdio.h>
#include <stdlib.h>

//
// 'ap_par_clear()' - Free the paragraph's scratch memory.
//

void
ap_par_clear(ap_par_t *par) // I - Paragraph
{
  ap_scratch_give(AP_SCRATCH_ELEMS, par->elems, par->elems_cap, sizeof(ap_elem_t));
  ap_scratch_give(AP_SCRATCH_SPANS, par->spans, par->spans_cap, sizeof(ap_span_t));
  par->elems = NULL;
  par->spans = NULL;
  par->nelems = par->elems_cap = par->nspans = par->spans_cap = 0;
}

//
// 'ap_par_grow()' - Make room for need elements of size bytes in a malloc'ed array.
//
// Aborts when out of memory, like the arena.
//

void *                        // O - Array, possibly moved
ap_par_grow(void *array,      // I - Array (NULL for none yet)
            size_t *cap,      // IO - Allocated elements
            size_t need,      // I - Elements needed
            size_t size)      // I - Bytes per element
{
  size_t ncap = *cap ? *cap : 64; // New capacity
  void *grown;                    // Reallocated array

  if (need <= *cap)
    return array;
  while (ncap < need)
    ncap *= 2;
  if ((grown = realloc(array, ncap * size)) == NULL) {
    fputs("anpham: out of memory\n", stderr);
    abort();
  }
  *cap = ncap;
  return grown;
}

//
// 'ap_par_init()' - Prepare an empty paragraph for the items.
//

void
ap_par_init(ap_par_t *par,                  // O - Paragraph
            const ap_inline_t *items,       // I - Inline items
            size_t count,                   // I - Number of items
            const ap_par_config_t *config)  // I - Measure, indent, alignment, tolerance
{
  par->items = items;
  par->nitems = count;
  par->config = config;
  par->tolerance = config->tolerance > 0 ? config->tolerance : 2.0;
  par->nelems = par->nspans = 0;
  par->elems = ap_scratch_take(AP_SCRATCH_ELEMS, &par->elems_cap);
  par->spans = ap_scratch_take(AP_SCRATCH_SPANS, &par->spans_cap);
}

//
// 'ap_par_layout()' - Lay inline items out into broken, justified, positioned lines.
//
// Run x positions are relative to the line's left edge; a run with a rise
// has baseline = -rise (paragraph setting adds the line's baseline y to every run).
//

bool                                         // O - false when a face lacks a glyph
ap_par_layout(ap_arena_t *arena,             // I - Owner of the lines and runs
              const ap_inline_t *items,      // I - Inline items
              size_t count,                  // I - Number of items
              const ap_par_config_t *config, // I - Measure, indent, alignment, tolerance
              ap_line_t **lines,             // O - Lines (NULL when there is no text)
              size_t *nlines,                // O - Number of lines
              ap_diags_t *diags,             // I - Where errors go
              ap_loc_t loc)                  // I - Place of the paragraph in the sources
{
  ap_par_t par; // Paragraph being laid out
  bool ok;      // Collected without error

  *lines = NULL;
  *nlines = 0;
  ap_par_init(&par, items, count, config);
  ok = ap_par_collect(&par, diags, loc);
  if (ok) {
    ap_par_break(&par);
    ap_par_finalize(&par, arena, lines, nlines);
  }
  ap_par_clear(&par);
  return ok;
}

//
// 'ap_par_line_start()' - First element of a line that starts at or after from.
//
// Glue and penalties at the start of a line disappear; a forced break stops
// the search (an empty paragraph starts at its final penalty).
//

size_t                                  // O - Index of the first box, or of a forced break
ap_par_line_start(const ap_par_t *par,  // I - Paragraph
                  size_t from)          // I - Element after the break (0 for the paragraph)
{
  size_t k = from; // Element looked at

  while (k < par->nelems && par->elems[k].kind != AP_ELEM_BOX &&
         !(par->elems[k].kind == AP_ELEM_PENALTY && par->elems[k].penalty <= -AP_PENALTY_INF))
    k++;
  return k;
}

