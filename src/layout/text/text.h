// Paragraph layout: inline items → lines. Whitespace is already collapsed and
// text already NFC when it arrives here; this stage measures, breaks lines
// (Knuth–Plass total fit, first fit as fallback) and positions every word.
#ifndef AP_TEXT_H
#define AP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "../../base/arena.h"
#include "../../base/diag.h"
#include "../pages.h"

typedef enum ap_align_e {
  AP_ALIGN_LEFT,    // Ragged right
  AP_ALIGN_CENTER,  // Centred
  AP_ALIGN_RIGHT,   // Ragged left
  AP_ALIGN_JUSTIFY  // Flush both sides; last line left
} ap_align_t;

// One inline item: a stretch of text with one style.
typedef struct ap_inline_s {
  const char *text;      // NFC UTF-8; ' ' is breakable glue, U+00A0 unbreakable glue
  size_t len;            // Bytes of text
  const ap_font_t *font; // Face
  double size;           // Size in points
  ap_color_t color;      // Colour
  bool underline;        // Underlined
  double rise;           // Baseline shift up in points (superscript > 0)
  int mark;              // > 0: a footnote reference with this number (the text is its label)
  bool label;            // Made by the layout (footnote number, page number): copied to its runs
  const char *link;      // Link target ("#id" or a URI), copied to its runs; NULL for none
  const char *lang;      // Language when not the document's (BCP 47), copied to its runs; NULL for none
} ap_inline_t;

typedef struct ap_par_config_s {
  double measure;        // Line width in points
  double first_indent;   // Indent of the first line (points)
  ap_align_t align;      // Alignment
  double tolerance;      // Knuth–Plass tolerance on the adjustment ratio (e.g. 2.0)
} ap_par_config_t;

// One laid-out line; run x positions are relative to the line's left edge.
typedef struct ap_line_s {
  ap_run_t *runs;        // Runs left to right; baseline = -rise (0 unless raised): paragraph.c adds the line's baseline
  double width;          // Width occupied by the runs (as placed)
  double ascent;         // Largest ascent above the baseline of the runs (points, > 0)
  double descent;        // Largest descent below the baseline (points, > 0)
  double ratio;          // Adjustment ratio used (0 for unjustified lines)
  double ink_top;        // Highest ink of its runs above the baseline, points (0 when none rises above it)
  bool split_word;       // Its last word goes on on the next line (broken after '-' or '/', or inside a token)
  int *marks;            // Footnote numbers whose reference stands on this line
  int nmarks;            // Number of marks
} ap_line_t;

// Lay the items out into lines owned by the arena; an empty paragraph gives
// no line (*nlines = 0). Returns false (with a
// diagnostic at loc) only for a face that lacks a glyph the text needs.
bool ap_par_layout(ap_arena_t *arena, const ap_inline_t *items, size_t count,
                   const ap_par_config_t *config, ap_line_t **lines, size_t *nlines,
                   ap_diags_t *diags, ap_loc_t loc);

// A paragraph cache (text/cache.c): the lines of a paragraph already set,
// under everything they depend on, for a document laid out twice and for
// tables that repeat their cells. At most budget bytes are kept.
typedef struct ap_par_cache_s ap_par_cache_t;
ap_par_cache_t *ap_par_cache_create(size_t budget);
void ap_par_cache_destroy(ap_par_cache_t *cache);
// Keep a paragraph only the second time it is set (a document laid out
// once: only what repeats is worth its memory), or every one (the default).
void ap_par_cache_again_only(ap_par_cache_t *cache, bool again_only);
// ap_par_layout through the cache (NULL: none): the same lines, which the
// caller owns and may change, their link and language strings the items'.
bool ap_par_layout_cached(ap_par_cache_t *cache, ap_arena_t *arena, const ap_inline_t *items, size_t count,
                          const ap_par_config_t *config, ap_line_t **lines, size_t *nlines, ap_diags_t *diags,
                          ap_loc_t loc);
// Lookups answered from the cache, and paragraphs set anew.
void ap_par_cache_stats(const ap_par_cache_t *cache, size_t *hits, size_t *misses);

#endif
