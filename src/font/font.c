// Faces loaded through HarfBuzz: advances, vertical metrics, glyph bounds and
// cmap look-ups for layout. Subsetting for render lives in subset.c.
#include "font-private.h"

#include <hb-ot.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

static ap_font_t *font_open(const char *path, hb_blob_t *blob);
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
    uint32_t gid = ap_font_get_glyph(font, ap_utf8_next(&p, end));
    if (!gid || gid >= font->nglyphs)
      continue;
    // Glyph bounds are asked again and again: keep them once read...
    if (font->ink_top[gid] == INT16_MIN) {
      hb_glyph_extents_t ext;
      if (!hb_font_get_glyph_extents(font->hb_font, gid, &ext))
        ext.height = 0, ext.y_bearing = 0;
      // HarfBuzz extents: y_bearing is the top, height is negative downward.
      font->ink_top[gid] = (int16_t)ext.y_bearing;
      font->ink_bottom[gid] = (int16_t)(ext.y_bearing + ext.height);
    }
    if (font->ink_top[gid] == font->ink_bottom[gid])
      continue;
    double top = font->ink_top[gid], bottom = font->ink_bottom[gid];
    if (!any || top > hi)
      hi = top;
    if (!any || bottom < lo)
      lo = bottom;
    any = true;
  }
  *ymin = lo * size / font->upem;
  *ymax = hi * size / font->upem;
  return any;
}

//
// 'ap_font_get_glyph()' - Glyph id for a code point, 0 when missing.
//

uint32_t
ap_font_get_glyph(const ap_font_t *font, uint32_t codepoint)
{
  hb_codepoint_t gid = 0;

  if (codepoint < 0x10000 && font->cmap_cache[codepoint >> 8]) {
    return font->cmap_cache[codepoint >> 8][codepoint & 0xFF];
  }
  if (!hb_font_get_nominal_glyph(font->hb_font, codepoint, &gid))
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
  hb_glyph_extents_t ext;
  double k = size / font->upem;

  if (!gid || !hb_font_get_glyph_extents(font->hb_font, gid, &ext) || !ext.width || !ext.height)
    return false;
  // HarfBuzz extents: x_bearing is the left edge, y_bearing the top, height negative downward.
  *xmin = ext.x_bearing * k;
  *xmax = (ext.x_bearing + ext.width) * k;
  *ymax = ext.y_bearing * k;
  *ymin = (ext.y_bearing + ext.height) * k;
  return true;
}

//
// 'ap_font_underline()' - Position and thickness of an underline, in ems.
//

void
ap_font_underline(const ap_font_t *font, double *top, double *thickness)
{
  hb_position_t offset = 0, size = 0;
  double x0, x1, y0, y1;

  *thickness = hb_ot_metrics_get_position(font->hb_font, HB_OT_METRICS_TAG_UNDERLINE_SIZE, &size) && size > 0
                   ? (double)size / font->upem
                   : 0.05;
  *top = hb_ot_metrics_get_position(font->hb_font, HB_OT_METRICS_TAG_UNDERLINE_OFFSET, &offset) && offset < 0
             ? -(double)offset / font->upem
             : 0.1;
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
  double k = size / font->upem; // Font units to points

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
    units += gid < font->nglyphs ? font->advances[gid] : font->advances[0];
  }
  return (double)units * size / font->upem;
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
  return hb_blob_get_length(font->blob);
}

//
// 'ap_font_glyph_count()' - Glyphs of the face.
//

unsigned
ap_font_glyph_count(const ap_font_t *font)
{
  return font->nglyphs;
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
  for (size_t i = 0; i < set->count; i++) {
    ap_font_t *f = set->fonts[i];
    hb_font_destroy(f->hb_font);
    hb_face_destroy(f->hb_face);
    hb_blob_destroy(f->blob);
    for (int j = 0; j < 256; j++)
      free(f->cmap_cache[j]);
    free(f->advances);
    free(f->ink_top);
    free(f->ink_bottom);
    free(f->path);
    free(f->ps_name);
    free(f);
  }
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

  // Map the file (confined when the set says so: base/files.h), then the face from memory...
  hb_blob_t *blob = NULL;
  if (set->files) {
    const void *bytes;
    size_t size;
    if (!ap_files_map(set->files, path, AP_FILE_FONT, &bytes, &size, diags, loc, NULL))
      return NULL;
    // (hb_blob_create_or_fail() releases the bytes itself when it fails.)
    if (size > UINT_MAX)
      ap_files_unmap(bytes);
    if (size > UINT_MAX || !(blob = hb_blob_create_or_fail(bytes, (unsigned)size, HB_MEMORY_MODE_READONLY,
                                                            (void *)bytes, release_font_file))) {
      ap_fail(diags, loc, "out of memory reading the font file '%s'", path);
      return NULL;
    }
  } else if (!(blob = hb_blob_create_from_file_or_fail(path))) {
    ap_fail(diags, loc, "cannot read font file '%s'", path);
    return NULL;
  }
  if (!(font = font_open(path, blob))) {
    ap_fail(diags, loc, "font file '%s' is not a TrueType font", path);
    return NULL;
  }
  if (set->count == set->alloc) {
    set->alloc = set->alloc ? set->alloc * 2 : 8;
    set->fonts = realloc(set->fonts, set->alloc * sizeof(ap_font_t *));
  }
  set->fonts[set->count++] = font;
  return font;
}

// Open a face (taking the blob: destroyed on failure) and read the tables layout needs into plain arrays: advances
// for every glyph and a cmap cache for the BMP pages the text touches.
static ap_font_t *
font_open(const char *path, hb_blob_t *blob)
{
  hb_face_t *face = hb_face_create(blob, 0);
  unsigned nglyphs = hb_face_get_glyph_count(face);
  if (nglyphs == 0) {
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
  }

  ap_font_t *f = calloc(1, sizeof(*f));
  f->path = strdup(path);
  f->blob = blob;
  f->hb_face = face;
  f->hb_font = hb_font_create(face);
  f->upem = hb_face_get_upem(face);
  hb_font_set_scale(f->hb_font, (int)f->upem, (int)f->upem);
  f->nglyphs = nglyphs;

  // Advances of every glyph, in font units...
  f->advances = calloc(nglyphs, sizeof(int));
  for (unsigned g = 0; g < nglyphs; g++)
    f->advances[g] = hb_font_get_glyph_h_advance(f->hb_font, g);

  // Ink bounds, read on demand...
  f->ink_top = malloc(sizeof(int16_t) * nglyphs);
  f->ink_bottom = malloc(sizeof(int16_t) * nglyphs);
  for (unsigned g = 0; g < nglyphs; g++)
    f->ink_top[g] = INT16_MIN;

  // Vertical metrics...
  hb_position_t v;
  f->ascender = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v) ? v : (int)(f->upem * 0.9);
  f->descender = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v) ? v : -(int)(f->upem * 0.2);
  f->line_gap = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_HORIZONTAL_LINE_GAP, &v) ? v : 0;
  f->cap_height = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v) ? v : (int)(f->upem * 0.66);
  f->x_height = hb_ot_metrics_get_position(f->hb_font, HB_OT_METRICS_TAG_X_HEIGHT, &v) ? v : (int)(f->upem * 0.45);

  // The cmap for the BMP, page by page (Vietnamese lives in a handful of pages)...
  hb_set_t *unicodes = hb_set_create();
  hb_face_collect_unicodes(face, unicodes);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(unicodes, &cp) && cp < 0x10000) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(f->hb_font, cp, &gid))
      continue;
    uint32_t **page = &f->cmap_cache[cp >> 8];
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
  f->ps_name = strdup(name);
  return f;
}

// HarfBuzz's destroy callback of a font file's blob: unmap (or free) the bytes ap_files_map() gave.
static void
release_font_file(void *bytes)
{
  ap_files_unmap(bytes);
}
