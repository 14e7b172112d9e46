// Faces for layout: advances, vertical metrics, glyph bounds and cmap
// look-ups, read through HarfBuzz into plain arrays, or from the face's
// snapshot in the cache (snapshot.c: then HarfBuzz is not even loaded).
// Subsetting for render lives in subset.c.
#include "font-private.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

static inline const int32_t *extents_of(const ap_font_t *font, uint32_t gid) __attribute__((always_inline));
static inline bool ink_of(const ap_font_t *font, uint32_t gid, int16_t *top, int16_t *bottom) __attribute__((always_inline));
static bool font_open(ap_font_t *f, const char **why);
static void free_font(ap_font_t *f);
static void release_font_file(void *bytes);

//
// 'ap_font_find_missing()' - First code point without a glyph, or 0.
//

uint32_t
ap_font_find_missing(const ap_font_t *font, const char *utf8, size_t len)
{
  const char *p = utf8, *end = utf8 + len;

  while (p < end) {
    uint32_t cp = ap_utf8_next(&p, end);
    if (cp == 0xA0 || cp == ' ')
      continue;
    if (!ap_font_get_glyph(font, cp))
      return cp;
  }
  return 0;
}

//
// 'ap_font_get_bounds()' - Ink bounds of a text at a size.
//

bool
ap_font_get_bounds(const ap_font_t *font, const char *utf8, size_t len, double size,
                   double *ymin, double *ymax)
{
  const char *p = utf8, *end = utf8 + len;
  bool any = false; // Any glyph with ink seen
  double lo = 0, hi = 0;

  while (p < end) {
    int16_t ink_top, ink_bottom;
    if (!ink_of(font, ap_font_get_glyph(font, ap_utf8_next(&p, end)), &ink_top, &ink_bottom))
      continue;
    double top = ink_top, bottom = ink_bottom;
    if (!any || top > hi)
      hi = top;
    if (!any || bottom < lo)
      lo = bottom;
    any = true;
  }
  *ymin = lo * size / font->hot.upem;
  *ymax = hi * size / font->hot.upem;
  return any;
}

//
// 'ap_font_top_at()' - A top in font units, in points at a size.
//

double
ap_font_top_at(const ap_font_t *font, int32_t top, double size)
{
  double hi = top;
  return hi * size / font->hot.upem; // (as ap_font_get_bounds computes ymax)
}

// A glyph's extents (gid < nglyphs), inline: those asked already, else ap_font_glyph_ext.
static inline const int32_t *
extents_of(const ap_font_t *font, uint32_t gid)
{
  return font->hot.ext[gid][0] != INT32_MIN ? font->hot.ext[gid] : ap_font_glyph_ext(font, gid);
}

// The top and bottom of a glyph's ink in font units; false when it has none
// (no glyph, or no height).
static inline bool
ink_of(const ap_font_t *font, uint32_t gid, int16_t *top, int16_t *bottom)
{
  if (!gid || gid >= font->hot.nglyphs)
    return false;
  const int32_t *e = extents_of(font, gid);
  *top = (int16_t)e[1];
  *bottom = (int16_t)(e[1] + e[3]); // (height is negative downward)
  return *top != *bottom;
}

//
// 'ap_font_glyph_elsewhere()' - The glyph of a code point in no BMP page of the cache.
//
// Past the BMP, a complete face's sorted pairs; else HarfBuzz's answer (a
// face read through it).
//

uint32_t
ap_font_glyph_elsewhere(const ap_font_t *font, uint32_t codepoint)
{
  hb_codepoint_t gid = 0;

  if (font->complete) { // Every code point with a glyph is in the arrays
    size_t lo = 0, hi = font->nastral;
    while (codepoint >= 0x10000 && lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (font->astral[mid][0] == codepoint)
        return font->astral[mid][1];
      if (font->astral[mid][0] < codepoint)
        lo = mid + 1;
      else
        hi = mid;
    }
    return 0;
  }
  if (!ap_font_use_harfbuzz((ap_font_t *)font) || !hb_font_get_nominal_glyph(font->hb_font, codepoint, &gid))
    gid = 0;
  return gid;
}

//
// 'ap_font_glyph_ink()' - Ink box of one glyph at a size.
//

bool
ap_font_glyph_ink(const ap_font_t *font, uint32_t codepoint, double size, double *xmin, double *xmax,
                  double *ymin, double *ymax)
{
  uint32_t gid = ap_font_get_glyph(font, codepoint);
  double k = size / font->hot.upem;

  if (!gid || gid >= font->hot.nglyphs)
    return false;
  const int32_t *e = ap_font_glyph_ext(font, gid);
  if (!e[2] || !e[3])
    return false;
  // x bearing is the left edge, top the y bearing, height negative downward.
  *xmin = e[0] * k;
  *xmax = (e[0] + e[2]) * k;
  *ymax = e[1] * k;
  *ymin = (e[1] + e[3]) * k;
  return true;
}

//
// 'ap_font_glyph_ext()' - A glyph's extents, asked of HarfBuzz the first time.
//

const int32_t *                                 // O - x bearing, top, width, height (zeros when none)
ap_font_glyph_ext(const ap_font_t *font,        // I - Face
                  uint32_t         gid)         // I - Glyph id
{
  static const int32_t none[4];

  if (gid >= font->hot.nglyphs)
    return none;
  int32_t *e = font->hot.ext[gid];
  if (e[0] == INT32_MIN) {
    hb_glyph_extents_t x = {0};
    if (!ap_font_use_harfbuzz((ap_font_t *)font) || !hb_font_get_glyph_extents(font->hb_font, gid, &x))
      x = (hb_glyph_extents_t){0};
    e[0] = x.x_bearing;
    e[1] = x.y_bearing;
    e[2] = x.width;
    e[3] = x.height;
  }
  return e;
}

//
// 'ap_font_underline()' - Position and thickness of an underline, in ems.
//

void
ap_font_underline(const ap_font_t *font, double *top, double *thickness)
{
  double x0, x1, y0, y1;

  *thickness = font->underline_size > 0 ? (double)font->underline_size / font->hot.upem : 0.05;
  *top = font->underline_offset < 0 ? -(double)font->underline_offset / font->hot.upem : 0.1;
  // Under the dot below (ạ: U+1EA1), half a thickness clear of it...
  if (ap_font_glyph_ink(font, 0x1EA1, 1, &x0, &x1, &y0, &y1) && -y0 + *thickness / 2 > *top)
    *top = -y0 + *thickness / 2;
}

//
// 'ap_font_get_metrics()' - Vertical metrics at a size.
//

ap_font_metrics_t
ap_font_get_metrics(const ap_font_t *font, double size)
{
  ap_font_metrics_t m;
  double k = size / font->hot.upem; // Font units to points

  m.ascender = font->ascender * k;
  m.descender = font->descender * k;
  m.line_gap = font->line_gap * k;
  m.cap_height = font->cap_height * k;
  m.x_height = font->x_height * k;
  return m;
}

//
// 'ap_font_measure()' - Advance width of a text at a size, in points.
//

double
ap_font_measure(const ap_font_t *font, const char *utf8, size_t len, double size)
{
  const char *p = utf8, *end = utf8 + len;
  long units = 0; // Sum of advances in font units

  while (p < end) {
    uint32_t gid = ap_font_get_glyph(font, ap_utf8_next(&p, end));
    units += gid < font->hot.nglyphs ? font->hot.advances[gid] : font->hot.advances[0];
  }
  return (double)units * size / font->hot.upem;
}

//
// 'ap_font_name()' - PostScript name of the face.
//

const char *
ap_font_name(const ap_font_t *font)
{
  return font->ps_name;
}

//
// 'ap_font_file_size()' - Bytes of the font file.
//

size_t
ap_font_file_size(const ap_font_t *font)
{
  return font->size;
}

//
// 'ap_font_glyph_count()' - Glyphs of the face.
//

unsigned
ap_font_glyph_count(const ap_font_t *font)
{
  return font->hot.nglyphs;
}

//
// 'ap_font_path()' - File the face came from.
//

const char *
ap_font_path(const ap_font_t *font)
{
  return font->path;
}

//
// 'ap_fontset_count()' - Number of faces loaded.
//

size_t
ap_fontset_count(const ap_fontset_t *set)
{
  return set->count;
}

//
// 'ap_fontset_read_only()' - True when no face writes anything as it is asked.
//

bool
ap_fontset_read_only(const ap_fontset_t *set)
{
  for (size_t i = 0; i < set->count; i++)
    if (!set->fonts[i]->complete) // (a snapshot's face: every extent and glyph in its arrays)
      return false;
  return true;
}

//
// 'ap_fontset_confine()' - Read font files only inside the run's folders.
//

void
ap_fontset_confine(ap_fontset_t *set, ap_files_t *files)
{
  set->files = files;
}

//
// 'ap_fontset_create()' - Create an empty set of faces.
//

ap_fontset_t *
ap_fontset_create(void)
{
  return calloc(1, sizeof(ap_fontset_t));
}

//
// 'ap_fontset_destroy()' - Free the set and its faces.
//

void
ap_fontset_destroy(ap_fontset_t *set)
{
  if (!set)
    return;
  for (size_t i = 0; i < set->count; i++)
    free_font(set->fonts[i]);
  free(set->fonts);
  free(set);
}

//
// 'ap_fontset_get()' - The i-th face in load order.
//

ap_font_t *
ap_fontset_get(const ap_fontset_t *set, size_t i)
{
  return i < set->count ? set->fonts[i] : NULL;
}

//
// 'ap_fontset_load()' - Load a face, or return it when already loaded.
//

ap_font_t *
ap_fontset_load(ap_fontset_t *set, const char *path, ap_diags_t *diags, ap_loc_t loc)
{
  ap_font_t *font;

  // Each file is loaded once per job...
  for (size_t i = 0; i < set->count; i++)
    if (!strcmp(set->fonts[i]->path, path))
      return set->fonts[i];

  // Map the file (confined when the set says so: base/files.h); the face
  // from its snapshot in the cache, else through HarfBuzz (then kept)...
  if (!(font = calloc(1, sizeof(*font))) || !(font->path = strdup(path))) {
    free(font);
    ap_fail(diags, loc, "out of memory reading the font file '%s'", path);
    return NULL;
  }
  const char *why = NULL;
  bool kept = false; // Read from its snapshot
  if (set->files) {
    struct stat st;
    if (!ap_files_map_status(set->files, path, AP_FILE_FONT, &font->bytes, &font->size, &st, diags, loc, NULL)) {
      free_font(font);
      return NULL;
    }
    kept = ap_snapshot_key(path, &st, font->key) && ap_snapshot_load(font);
  } else if (!ap_hb_load(&why) || !(font->blob = hb_blob_create_from_file_or_fail(path))) {
    ap_fail(diags, loc, why ? "%s" : "cannot read font file '%s'", why ? why : path);
    free_font(font);
    return NULL;
  }
  if (!kept && !font_open(font, &why)) {
    ap_fail(diags, loc, why ? "%s" : "font file '%s' is not a TrueType font", why ? why : path);
    free_font(font);
    return NULL;
  }
  if (!kept && font->key[0])
    ap_snapshot_store(font);
  if (set->count == set->alloc) {
    set->alloc = set->alloc ? set->alloc * 2 : 8;
    set->fonts = realloc(set->fonts, set->alloc * sizeof(ap_font_t *));
  }
  set->fonts[set->count++] = font;
  return font;
}

// Read through HarfBuzz the tables layout needs into plain arrays: advances
// for every glyph, vertical metrics, the cmap by BMP page; glyph extents as
// they are asked. False when it is no TrueType face (*why: HarfBuzz missing).
static bool
font_open(ap_font_t *f, const char **why)
{
  if (!ap_font_use_harfbuzz(f)) {
    ap_hb_load(why);
    return false;
  }
  hb_face_t *face = f->hb_face;
  unsigned nglyphs = hb_face_get_glyph_count(face);
  if (nglyphs == 0)
    return false;
  f->hot.upem = hb_face_get_upem(face);
  f->hot.nglyphs = nglyphs;
  if (!f->size)
    f->size = hb_blob_get_length(f->blob);

  // Advances of every glyph, in font units; extents as asked...
  if (!(f->hot.advances = calloc(nglyphs, sizeof(int))) || !(f->hot.ext = malloc(sizeof(*f->hot.ext) * nglyphs)))
    return false;
  for (unsigned g = 0; g < nglyphs; g++) {
    f->hot.advances[g] = hb_font_get_glyph_h_advance(f->hb_font, g);
    f->hot.ext[g][0] = INT32_MIN;
  }

  // Vertical metrics, the underline's...
  hb_position_t v;
  f->ascender = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v) ? v : (int)(f->hot.upem * 0.9);
  f->descender = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v) ? v : -(int)(f->hot.upem * 0.2);
  f->line_gap = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_LINE_GAP, &v) ? v : 0;
  f->cap_height = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v) ? v : (int)(f->hot.upem * 0.66);
  f->x_height = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_X_HEIGHT, &v) ? v : (int)(f->hot.upem * 0.45);
  f->underline_size = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_UNDERLINE_SIZE, &v) ? v : 0;
  f->underline_offset = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_UNDERLINE_OFFSET, &v) ? v : 0;

  // The cmap for the BMP, page by page (Vietnamese lives in a handful of pages)...
  hb_set_t *unicodes = hb_set_create();
  hb_face_collect_unicodes(face, unicodes);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(unicodes, &cp) && cp < 0x10000) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(f->hb_font, cp, &gid))
      continue;
    uint32_t **page = &f->hot.cmap_cache[cp >> 8];
    if (!*page)
      *page = calloc(256, sizeof(uint32_t));
    (*page)[cp & 0xFF] = gid;
  }
  hb_set_destroy(unicodes);

  // PostScript name, for the PDF BaseFont and the dump...
  char name[128];
  unsigned len = sizeof(name);
  if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, name) == 0)
    snprintf(name, sizeof(name), "Font%u", nglyphs);
  return (f->ps_name = strdup(name)) != NULL;
}

//
// 'ap_font_use_harfbuzz()' - HarfBuzz's face and font of a face, made if not yet.
//

bool                                   // O - false when HarfBuzz cannot be loaded or the bytes not read
ap_font_use_harfbuzz(ap_font_t *f)     // I - Face
{
  if (f->hb_font)
    return true;
  if (!ap_hb_load(NULL))
    return false;
  if (!f->blob) {
    // (hb_blob_create_or_fail() releases the bytes itself when it fails.)
    if (!f->bytes || f->size > UINT_MAX)
      return false;
    f->blob = hb_blob_create_or_fail(f->bytes, (unsigned)f->size, HB_MEMORY_MODE_READONLY, (void *)f->bytes,
                                     release_font_file);
    if (!f->blob) {
      f->bytes = NULL;
      return false;
    }
  }
  f->hb_face = hb_face_create(f->blob, 0);
  f->hb_font = hb_font_create(f->hb_face);
  unsigned upem = hb_face_get_upem(f->hb_face);
  hb_font_set_scale(f->hb_font, (int)upem, (int)upem);
  return true;
}

// Free a face not (yet) in a set.
static void
free_font(ap_font_t *f)
{
  if (f->hb_font)
    hb_font_destroy(f->hb_font);
  if (f->hb_face)
    hb_face_destroy(f->hb_face);
  if (f->blob)
    hb_blob_destroy(f->blob);
  else if (f->bytes)
    ap_files_unmap(f->bytes);
  for (int j = 0; j < 256; j++)
    free(f->hot.cmap_cache[j]);
  free(f->astral);
  free(f->hot.advances);
  free(f->hot.ext);
  free(f->path);
  free(f->ps_name);
  free(f);
}

// HarfBuzz's destroy callback of a font file's blob: unmap (or free) the bytes ap_files_map() gave.
static void
release_font_file(void *bytes)
{
  ap_files_unmap(bytes);
}
