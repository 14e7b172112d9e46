// Fonts: TrueType faces loaded once per job through HarfBuzz. Layout measures
// with them and render embeds subsets of them, so both agree on advances.
// No libharu here.
#ifndef AP_FONT_H
#define AP_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/diag.h"

typedef struct ap_font_s ap_font_t;       // One face (opaque)
typedef struct ap_fontset_s ap_fontset_t; // Every face a job loaded (opaque, owns them)

// Vertical metrics in points for a given size.
typedef struct ap_font_metrics_s {
  double ascender;   // hhea ascender, positive
  double descender;  // hhea descender, negative
  double line_gap;   // hhea line gap
  double cap_height; // OS/2 capital height (falls back to the bounds of 'H')
  double x_height;   // OS/2 x height (falls back to the bounds of 'x')
} ap_font_metrics_t;

typedef struct ap_files_s ap_files_t; // Confined files (base/files.h)

// Create an empty set; NULL when out of memory.
ap_fontset_t *ap_fontset_create(void);
// Read font files only through files (inside its folders, regular, within
// the size limit for fonts). Without it (tests, tools) any path is read.
void ap_fontset_confine(ap_fontset_t *set, ap_files_t *files);
// Free the set and every face in it.
void ap_fontset_destroy(ap_fontset_t *set);
// Load (or return the already loaded) face at path. On failure records
// "cannot read font file 'path'" (or "... is not a TrueType font") at loc and returns NULL.
ap_font_t *ap_fontset_load(ap_fontset_t *set, const char *path, ap_diags_t *diags, ap_loc_t loc);
// Number of faces loaded, and the i-th one in load order.
size_t ap_fontset_count(const ap_fontset_t *set);
ap_font_t *ap_fontset_get(const ap_fontset_t *set, size_t i);
// True when every face loaded answers from its arrays alone (read from its
// snapshot in the cache): then no question asked of it writes anything, and
// two threads may ask at once (layout measuring, render drawing). A face
// read through HarfBuzz fills its extents and glyphs as they are asked.
bool ap_fontset_read_only(const ap_fontset_t *set);

// Path the face was loaded from (borrowed).
const char *ap_font_path(const ap_font_t *font);
// PostScript name of the face (borrowed), e.g. "LiberationSerif-Bold".
const char *ap_font_name(const ap_font_t *font);
// Bytes of the font file and glyphs of the face: with the path and the
// name, what tells faces apart for a batch's cache of subsets.
size_t ap_font_file_size(const ap_font_t *font);
unsigned ap_font_glyph_count(const ap_font_t *font);
// Advance width in points of the UTF-8 text at size (sum of nominal advances,
// no kerning: render places each run and lets the PDF viewer advance glyph by
// glyph with the same widths). Text must be valid UTF-8 and NFC.
double ap_font_measure(const ap_font_t *font, const char *utf8, size_t len, double size);
// Vertical metrics at size.
ap_font_metrics_t ap_font_get_metrics(const ap_font_t *font, double size);
// Real ink bounds of the text at size, in points above the baseline (ymax
// positive) and below it (ymin negative): stacked marks such as 'Ẫ' rise
// above the cap height. Returns false for text without ink.
bool ap_font_get_bounds(const ap_font_t *font, const char *utf8, size_t len, double size,
                        double *ymin, double *ymax);
// The top of a glyph's ink in font units, as ap_font_get_bounds sees it
// (INT32_MIN: no ink, or no such glyph), and such a top in points at a
// size (the same arithmetic, so the same number): paragraph setting keeps
// the highest top of each word as it measures it, and a line's ink is known
// without reading its text again.
static inline int32_t ap_font_glyph_top(const ap_font_t *font, uint32_t gid);
double ap_font_top_at(const ap_font_t *font, int32_t top, double size);
// Where an underline goes, in ems below the baseline (top > 0: its top edge
// that far below) and how thick: the face's own thickness (post), and a
// position under the marks below Vietnamese letters (the dot of Ạ, Ộ, Ệ,
// measured on the face's ạ, with half a thickness of clearance) or the
// face's own position when that is lower. Letters whose ink goes lower
// still (g, p, y) are for the caller to skip (ap_font_glyph_ink).
void ap_font_underline(const ap_font_t *font, double *top, double *thickness);
// Ink of a code point's glyph at size, in points from its origin: left and
// right edges, bottom (negative below the baseline) and top. False when the
// glyph has no ink (or the face has no glyph).
bool ap_font_glyph_ink(const ap_font_t *font, uint32_t codepoint, double size, double *xmin, double *xmax,
                       double *ymin, double *ymax);
// First code point of the text the face has no glyph for, or 0 when it has all.
uint32_t ap_font_find_missing(const ap_font_t *font, const char *utf8, size_t len);
// Glyph id for a code point (0 when missing).
static inline uint32_t ap_font_get_glyph(const ap_font_t *font, uint32_t codepoint);
// The name a subset of these code points has in the user's cache (hex,
// key[65]): false when the face is not kept there (no cache, a face read
// through HarfBuzz only). Render keeps the subset's zlib data under it.
bool ap_font_subset_key(const ap_font_t *font, const uint32_t *codepoints, size_t count, char key[65]);
// Advance width in points of a glyph id at size: what ap_font_measure gives
// for the UTF-8 of a code point mapped to it (gid 0 or past the face:
// .notdef's).
static inline double ap_font_glyph_advance(const ap_font_t *font, uint32_t gid, double size);

// Subset the face to the given code points (plus .notdef), retaining glyph
// ids so that a CIDToGIDMap written for the full face stays valid, and
// dropping what a PDF does not need (hinting, kerning, layout tables,
// names but the required ones). On success *data is malloc'ed TrueType
// bytes the caller frees. Deterministic: same input, same bytes.
bool ap_font_subset(const ap_font_t *font, const uint32_t *codepoints, size_t count,
                    unsigned char **data, size_t *size);
// The same, its name in the user's cache given: what ap_font_subset_key
// gave for these code points, or NULL (then not kept).
bool ap_font_subset_named(const ap_font_t *font, const uint32_t *codepoints, size_t count, const char *key,
                          unsigned char **data, size_t *size);

// What every character of a text reads of its face: the first member of
// every face, so that the three look-ups above, made once or more per
// character by paragraph setting and by render, are inline (font.c owns the
// rest of the face, and fills this when it loads it).
typedef struct ap_font_hot_s {
  unsigned upem;             // Units per em
  unsigned nglyphs;          // Glyph count
  int *advances;             // Advance of each glyph, font units
  uint32_t *cmap_cache[256]; // BMP cmap by 256-code-point page (NULL = no glyph in that page)
  int32_t (*ext)[4];         // Per glyph: x bearing, top (y bearing), width, height (negative: down);
                             // ext[g][0] == INT32_MIN until asked
} ap_font_hot_t;

// The rest of ap_font_get_glyph: a code point in no BMP page of the cache.
uint32_t ap_font_glyph_elsewhere(const ap_font_t *font, uint32_t codepoint);
// The rest of ap_font_glyph_top: the extents of a glyph not asked yet (gid <
// the glyph count): x bearing, top, width, height.
const int32_t *ap_font_glyph_ext(const ap_font_t *font, uint32_t gid);

static inline uint32_t
ap_font_get_glyph(const ap_font_t *font, uint32_t codepoint)
{
  const ap_font_hot_t *hot = (const ap_font_hot_t *)font; // (its first member)
  const uint32_t *page;
  if (codepoint < 0x10000 && (page = hot->cmap_cache[codepoint >> 8]))
    return page[codepoint & 0xFF];
  return ap_font_glyph_elsewhere(font, codepoint);
}

static inline double
ap_font_glyph_advance(const ap_font_t *font, uint32_t gid, double size)
{
  const ap_font_hot_t *hot = (const ap_font_hot_t *)font;
  long units = gid < hot->nglyphs ? hot->advances[gid] : hot->advances[0]; // As ap_font_measure sums them
  return (double)units * size / hot->upem;
}

static inline int32_t
ap_font_glyph_top(const ap_font_t *font, uint32_t gid)
{
  const ap_font_hot_t *hot = (const ap_font_hot_t *)font;
  if (!gid || gid >= hot->nglyphs)
    return INT32_MIN;
  const int32_t *e = hot->ext[gid][0] != INT32_MIN ? hot->ext[gid] : ap_font_glyph_ext(font, gid);
  int16_t top = (int16_t)e[1], bottom = (int16_t)(e[1] + e[3]); // (height is negative downward)
  return top != bottom ? top : INT32_MIN;
}

#endif
