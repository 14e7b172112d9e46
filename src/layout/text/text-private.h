// Paragraph layout internals shared by the steps of this folder: the element
// list (Knuth–Plass boxes, glue and penalties) and the prepared paragraph.
// Never included from outside src/layout/text/ (unit tests aside).
#ifndef AP_TEXT_PRIVATE_H
#define AP_TEXT_PRIVATE_H

#include <stdint.h>

#include "text.h"

#define AP_PENALTY_INF 10000.0 // A penalty this large forbids a break; its negative forces one
#define AP_PAR_NONE SIZE_MAX   // No index

typedef enum ap_elem_kind_e {
  AP_ELEM_BOX,     // A word piece in one style (never broken)
  AP_ELEM_GLUE,    // A space: disappears at a break (none where it is tied)
  AP_ELEM_PENALTY  // A possible break (after '-' or '/', inside an over-long token, the end)
} ap_elem_kind_t;

// How firmly a space is kept unbroken by the breaking rules (collect.c).
typedef enum ap_tie_e {
  AP_TIE_NONE,   // A break opportunity
  AP_TIE_NUMBER, // Holds a number to its introducer ("số 10") or a range together ("2020 - 2025")
  AP_TIE_DASH    // Holds a spaced dash to the word before it; freed last when too wide
} ap_tie_t;

// One element of the paragraph, in the Knuth–Plass sense.
typedef struct ap_elem_s {
  ap_elem_kind_t kind; // What it is
  int32_t top;         // Boxes: highest top of its glyphs' ink, font units (INT32_MIN: no ink)
  size_t item;         // Boxes and glue: index of the inline item (AP_PAR_NONE for the final fil)
  size_t offset;       // Boxes: first byte in the item's text
  size_t len;          // Boxes: number of bytes
  bool flagged;        // Penalties: a break after '-' or '/'
  ap_tie_t tie;        // Glue: kept unbroken by a breaking rule (AP_TIE_NONE: a break opportunity)
  double width;        // Natural width (penalties: width added when broken, always 0 here)
  double stretch;      // Glue: how much it may grow at ratio 1
  double shrink;       // Glue: how much it may shrink at ratio -1
  double penalty;      // Penalties: cost of breaking here
} ap_elem_t;

// One line as a range of elements.
typedef struct ap_span_s {
  size_t start; // First element of the line (a box)
  size_t end;   // Element at which the line breaks (glue or penalty; not part of the line)
} ap_span_t;

// The paragraph as the steps see it: the items, the elements collected from
// them and the lines chosen. Scratch memory is malloc'ed; ap_par_clear frees it.
typedef struct ap_par_s {
  const ap_inline_t *items;      // Inline items (borrowed)
  size_t nitems;                 // Number of items
  const ap_par_config_t *config; // Measure, indent, alignment (borrowed)
  double tolerance;              // Tolerance of the first total-fit pass
  ap_elem_t *elems;              // Elements, ending with penalty(inf), fil glue, penalty(-inf)
  size_t nelems, elems_cap;      // Used and allocated elements
  ap_span_t *spans;              // Lines chosen by the breaker
  size_t nspans, spans_cap;      // Used and allocated spans
} ap_par_t;

// scratch.c: the arrays of setting a paragraph, kept for the next one.
typedef enum ap_scratch_kind_e {
  AP_SCRATCH_ELEMS, AP_SCRATCH_SPANS, AP_SCRATCH_CHARS, AP_SCRATCH_NODES, AP_SCRATCH_ACTIVE,
  AP_SCRATCH_SW, AP_SCRATCH_SY, AP_SCRATCH_SZ, AP_SCRATCH_TEXT, AP_SCRATCH_MARKS,
  AP_SCRATCH_KINDS
} ap_scratch_kind_t;
// The kept buffer of a kind (NULL and *cap 0 when none): the caller's,
// grown with ap_par_grow, until given back.
void *ap_scratch_take(ap_scratch_kind_t kind, size_t *cap);
// Give a buffer back (cap elements of size bytes): kept for the next
// paragraph, or freed (one of its kind is kept already, or it is large).
void ap_scratch_give(ap_scratch_kind_t kind, void *buf, size_t cap, size_t size);

// par.c: the recipe and its shared helpers.
void ap_par_clear(ap_par_t *par);
void *ap_par_grow(void *array, size_t *cap, size_t need, size_t size);
void ap_par_init(ap_par_t *par, const ap_inline_t *items, size_t count,
                 const ap_par_config_t *config);
size_t ap_par_line_start(const ap_par_t *par, size_t from);
// Width available to a line (0-based; the first is shorter by the indent):
// inline, since breaking asks it for every line it rates.
static inline double
ap_par_line_width(const ap_par_t *par, size_t line)
{
  return line == 0 ? par->config->measure - par->config->first_indent : par->config->measure;
}

// collect.c: items → elements.
bool ap_par_collect(ap_par_t *par, ap_diags_t *diags, ap_loc_t loc);

// linebreak.c: elements → spans (centred paragraphs balanced).
void ap_par_break(ap_par_t *par);
void ap_par_break_first(ap_par_t *par);
bool ap_par_break_total(ap_par_t *par, double tolerance);
extern bool ap_par_break_quick; // Tests: false rates every line (no quick test of lines too loose)

// finalize.c: spans → lines of positioned runs.
void ap_par_finalize(ap_par_t *par, ap_arena_t *arena, ap_line_t **lines, size_t *nlines);

#endif
