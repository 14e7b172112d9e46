// The layout context: what laying out any block needs (the document, its
// faces, the arenas, diagnostics, the text width and scale, the numbering
// of footnotes and structure elements), kept apart from the paginator's
// state (flow/flow.h, which holds one). Paragraphs, blocks, tables, charts
// and slides are laid out with it alone.
#ifndef AP_CONTEXT_H
#define AP_CONTEXT_H

#include "../base/arena.h"
#include "../base/diag.h"
#include "../tree/tree.h"
#include "pages.h"

struct ap_fallbacks_s; // What fallback faces set (text/paragraph.h)
struct ap_par_cache_s; // Paragraphs already set (text/text.h)

typedef struct ap_layout_ctx_s {
  const ap_doc_t *doc;     // Document
  ap_fontset_t *fonts;     // Faces
  ap_arena_t *arena;       // Arena of what goes with its page (the paginator replaces it as pages are written)
  ap_arena_t *job;         // Arena of the job (outlives every page)
  ap_diags_t *diags;       // Errors
  double width;            // Text width (measure of the body; footnotes are set at it)
  double scale;            // Text size factor (frames that shrink their text to fit), 1 otherwise
  int notes;               // Footnotes numbered so far
  int elems;               // Structure elements numbered so far (box->elem: paragraphs, notes, charts)
  int page_number;         // Page being composed (for page-number in headers)
  int page_count;          // Pages in all (known from the first pass)
  struct ap_grid_sizes_s *grid; // A slide grid's shrinking frames: one size each for all its cells (NULL: none)
  struct ap_fallbacks_s *fallbacks; // Characters set in fallback families, for the warnings (NULL: not noted)
  struct ap_par_cache_s *par_cache; // Paragraphs already set, shared by the passes (NULL: none)
} ap_layout_ctx_t;

#endif
