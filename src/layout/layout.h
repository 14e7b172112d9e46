// Layout: the document tree → pages of positioned boxes. Measures with the
// font module, never calls libharu. In layers, each a library calling only
// the ones below it (the build links each alone to check): box.h (moving
// and copying boxes) < text/ (lines, paragraph setting) < block.h (any
// block in a width: block.c, table/, chart/) < slide/ < flow/ (the
// paginator) < this header (document.c, dump.c, impose.c, marks.c). The
// layers below the paginator are given the layout context (context.h).
#ifndef AP_LAYOUT_H
#define AP_LAYOUT_H

#include "../tree/tree.h"
#include "pages.h"

struct ap_par_cache_s; // Set paragraphs (text/text.h)

// Called with each page as it is laid out, and the number of pages in all
// when the document needed a first pass to know it (0 otherwise). Unless
// the layout keeps every page, the page is freed once fn returns.
typedef bool (*ap_page_fn)(void *ctx, const ap_page_t *page, int count);

// Lay the document out page after page, calling fn for each: memory of the
// pages already handed over is released (unless keep_all), so a document of
// any length takes little more than its source. Paragraphs already set are
// taken from cache (text.h: ap_par_cache_t; a batch's, shared by its jobs),
// or, when it is NULL, from a cache of the run's own. retire, when given,
// takes the released memory over (ap_retire_fn). False on error (recorded).
bool ap_layout_run(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags,
                   struct ap_par_cache_s *cache, bool keep_all, ap_page_fn fn, ap_retire_fn retire, void *ctx);

// Lay the whole document out and keep every page (dumps, tests). Returns
// NULL (with diagnostics) on error; the pages live in the arena.
ap_pages_t *ap_layout_document(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags,
                               struct ap_par_cache_s *cache);

// --impose: the kept pages two per sheet side, as groups drawing them (the
// pages must outlive the sheets): how = "a5-booklet" (saddle stitch, in
// folding order, blank pages up to a multiple of 4) or "2up" (in reading
// order). Returns the sheets (in arena); NULL on error (recorded: a booklet
// page that is not A5, named with its page template).
ap_pages_t *ap_pages_impose(const ap_pages_t *pages, const char *how, ap_arena_t *arena, ap_diags_t *diags);

// --crop-marks: every page (or sheet) grows by its bleed and room for crop
// marks, which are added as boxes; trim and bleed boxes are set for render.
void ap_pages_crop_marks(ap_pages_t *pages, ap_arena_t *arena);

#endif
