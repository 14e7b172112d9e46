// Fonts in the PDF: each face the runs use is subset to their code points,
// embedded through a temporary file (libharu 2.3.0 only loads from files),
// and given a ToUnicode CMap that maps each code back to its character.
#include "render-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/utf8.h"

#define CODE_LIMIT 0x110000 // Code points the bitmaps cover

static ap_embed_t *add_font(ap_renderer_t *r, const ap_font_t *font, unsigned char ***bits,
                            size_t *alloc);
static bool embed_font(ap_renderer_t *r, ap_embed_t *e);
static bool write_temp(ap_renderer_t *r, ap_embed_t *e, const unsigned char *data, size_t size);
static bool write_tounicode(ap_renderer_t *r, ap_embed_t *e);
static bool write_widths(ap_renderer_t *r, ap_embed_t *e);

//
// 'ap_render_collect_fonts()' - Subset, embed and map every face the runs use.
//

bool
ap_render_collect_fonts(ap_renderer_t *r)
{
  unsigned char **bits = NULL; // Code point bitmap of each face, parallel to r->fonts
  size_t alloc = 0;            // Allocated entries in both
  bool ok = true;

  // Mark the code points of every run in its face's bitmap...
  for (const ap_page_t *page = r->pages->first; ok && page; page = page->next)
    for (const ap_box_t *box = page->boxes; ok && box; box = box->next) {
      if (box->kind != AP_BOX_LINE)
        continue;
      for (const ap_run_t *run = box->runs; ok && run; run = run->next) {
        const char *p = run->text, *end;
        ap_embed_t *e;
        if (!run->font || !p || !*p)
          continue;
        if (!(e = add_font(r, run->font, &bits, &alloc))) {
          ok = ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
          break;
        }
        unsigned char *b = bits[e - r->fonts];
        b[0x20 >> 3] |= (unsigned char)(1u << (0x20 & 7)); // Text joins words with spaces
        for (end = p + strlen(p); p < end;) {
          uint32_t cp = ap_utf8_next(&p, end);
          if (cp < CODE_LIMIT)
            b[cp >> 3] |= (unsigned char)(1u << (cp & 7));
        }
      }
    }

  // Turn each bitmap into an ascending list and embed the face...
  for (size_t i = 0; ok && i < r->nfonts; i++) {
    ap_embed_t *e = r->fonts + i;
    size_t n = 0;
    const unsigned char *b = bits[i];
    // Whole empty bytes are skipped: the bitmap is mostly zeros...
    for (uint32_t k = 0; k < CODE_LIMIT / 8; k++)
      if (b[k])
        n += (size_t)__builtin_popcount(b[k]);
    if (!(e->used = malloc((n ? n : 1) * sizeof(uint32_t)))) {
      ok = ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
      break;
    }
    for (uint32_t k = 0; k < CODE_LIMIT / 8; k++)
      for (unsigned bit = 0; b[k] && bit < 8; bit++)
        if ((b[k] >> bit) & 1)
          e->used[e->nused++] = k * 8 + bit;
    ok = embed_font(r, e) && !r->failed;
  }
  for (size_t i = 0; i < r->nfonts; i++)
    free(bits[i]);
  free(bits);
  return ok;
}

//
// 'ap_render_code_width()' - Advance of a code of an embedded font.
//
// libharu's own /W array truncates advances to whole thousandths of an em;
// write_widths() replaces it with the exact values this returns, so text
// can be placed by TJ adjustments computed from the same numbers.
//

double                                 // O - Advance in thousandths of an em
ap_render_code_width(HPDF_Font font,   // I - libharu Type0 font
                     unsigned  code)   // I - 2-byte code (BMP code point)
{
  HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
  HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
  HPDF_UINT16 gid;

  // Mark the glyph (and its components) for the font file, as ShowText does...
  HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)code);
  gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)code);
  if (gid >= attr->num_glyphs || !attr->header.units_per_em)
    return def->missing_width;
  return attr->h_metric[gid].advance_width * 1000.0 / attr->header.units_per_em;
}

//
// 'ap_render_finalize_fonts()' - Remove temporary files, free font records.
//

void
ap_render_finalize_fonts(ap_renderer_t *r)
{
  for (size_t i = 0; i < r->nfonts; i++) {
    if (r->fonts[i].tmp[0])
      unlink(r->fonts[i].tmp);
    free(r->fonts[i].used);
  }
  free(r->fonts);
  r->fonts = NULL;
  r->nfonts = 0;
}

//
// 'ap_render_get_font()' - The libharu font embedded for a face.
//

HPDF_Font
ap_render_get_font(const ap_renderer_t *r, const ap_font_t *font)
{
  for (size_t i = 0; i < r->nfonts; i++)
    if (r->fonts[i].font == font)
      return r->fonts[i].hfont;
  return NULL;
}

// The record of a face, added (with an empty bitmap) on first use; NULL when
// out of memory.
static ap_embed_t *
add_font(ap_renderer_t *r, const ap_font_t *font, unsigned char ***bits, size_t *alloc)
{
  // A face already seen...
  for (size_t i = 0; i < r->nfonts; i++)
    if (r->fonts[i].font == font)
      return r->fonts + i;

  // Grow both arrays, then add the face with an empty bitmap...
  if (r->nfonts == *alloc) {
    size_t n = *alloc ? *alloc * 2 : 4;
    ap_embed_t *fonts = realloc(r->fonts, n * sizeof(*fonts));
    if (fonts)
      r->fonts = fonts;
    unsigned char **b = realloc(*bits, n * sizeof(*b));
    if (b)
      *bits = b;
    if (!fonts || !b)
      return NULL;
    *alloc = n;
  }
  if (!((*bits)[r->nfonts] = calloc(CODE_LIMIT / 8, 1)))
    return NULL;
  memset(r->fonts + r->nfonts, 0, sizeof(ap_embed_t));
  r->fonts[r->nfonts].font = font;
  return r->fonts + r->nfonts++;
}

// Subset the face, load the subset into libharu with embedding, get its
// UTF-8 Type0 font and replace libharu's ToUnicode CMap.
static bool
embed_font(ap_renderer_t *r, ap_embed_t *e)
{
  unsigned char *data;       // Subset bytes
  size_t size;               // Their length
  const char *name;          // Name libharu registered the font under

  // Warn about what libharu cannot write: its UTF-8 encoder has 2-byte codes...
  for (size_t i = 0; i < e->nused; i++)
    if (e->used[i] > 0xFFFF) {
      ap_warn(r->diags, ap_loc_file(r->path),
              "character U+%04X in font '%s' is outside the BMP and prints as a space",
              (unsigned)e->used[i], ap_font_name(e->font));
      break;
    }

  // Subset to a private temporary file...
  if (!ap_font_subset(e->font, e->used, e->nused, &data, &size))
    return ap_fail(r->diags, ap_loc_file(ap_font_path(e->font)), "cannot subset font '%s'",
                   ap_font_name(e->font));
  bool written = write_temp(r, e, data, size);
  free(data);
  if (!written)
    return false;

  // Load it (libharu keeps the file open and reads it again when saving)...
  if (!(name = HPDF_LoadTTFontFromFile(r->pdf, e->tmp, HPDF_TRUE)))
    return false;
  if (!(e->hfont = HPDF_GetFont(r->pdf, name, "UTF-8")))
    return false;

  // libharu keys fonts by name: a second face of the same name would get
  // the first one's subset...
  for (ap_embed_t *o = r->fonts; o < e; o++)
    if (o->hfont == e->hfont)
      return ap_fail(r->diags, ap_loc_file(ap_font_path(e->font)),
                     "fonts '%s' and '%s' have the same name '%s'", ap_font_path(o->font),
                     ap_font_path(e->font), name);
  return write_widths(r, e) && write_tounicode(r, e);
}

// Write the subset to a new private file in $TMPDIR (or /tmp).
static bool
write_temp(ap_renderer_t *r, ap_embed_t *e, const unsigned char *data, size_t size)
{
  const char *dir = getenv("TMPDIR");
  int fd;
  FILE *fp;

  if (!dir || !*dir)
    dir = "/tmp";
  if ((size_t)snprintf(e->tmp, sizeof(e->tmp), "%s/anpham-font-XXXXXX", dir) >= sizeof(e->tmp)) {
    e->tmp[0] = '\0';
    return ap_fail(r->diags, ap_loc_file(dir), "temporary directory name is too long");
  }
  if ((fd = mkstemp(e->tmp)) < 0) {
    e->tmp[0] = '\0';
    return ap_fail(r->diags, ap_loc_file(dir), "cannot create a temporary file in '%s'", dir);
  }
  if (!(fp = fdopen(fd, "wb"))) {
    close(fd);
    return ap_fail(r->diags, ap_loc_file(e->tmp), "cannot write temporary file '%s'", e->tmp);
  }
  bool ok = fwrite(data, 1, size, fp) == size;
  if (fclose(fp) != 0)
    ok = false;
  if (!ok)
    return ap_fail(r->diags, ap_loc_file(e->tmp), "cannot write temporary file '%s'", e->tmp);
  return true;
}

// Replace the ToUnicode CMap libharu wrote (an invalid cidrange) in place:
// with the UTF-8 encoder each character is written as its 2-byte BMP code
// point, so each code used maps to itself in UTF-16BE.
static bool
write_tounicode(ap_renderer_t *r, ap_embed_t *e)
{
  static const struct {
    const char *key;   // Key of libharu's CMap stream dictionary
    HPDF_UINT16 cls;   // Its object class
  } cmap_keys[] = {
    {"Type", HPDF_OCLASS_NAME},
    {"CMapName", HPDF_OCLASS_NAME},
    {"CIDSystemInfo", HPDF_OCLASS_DICT},
    {"WMode", HPDF_OCLASS_NUMBER},
  };
  HPDF_Dict font = e->hfont;
  HPDF_FontAttr attr = font->attr;
  HPDF_Dict cmap = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
  HPDF_Stream s;
  HPDF_STATUS ret = HPDF_OK;
  size_t count = 0, done = 0;
  char line[64];

  // Reuse libharu's stream object (so no orphan stays in the file), or add one...
  if (!cmap) {
    if (!(cmap = HPDF_DictStream_New(font->mmgr, attr->xref)) ||
        HPDF_Dict_Add(font, "ToUnicode", cmap) != HPDF_OK)
      return ap_fail(r->diags, ap_loc_file(r->path), "cannot add a ToUnicode CMap");
  }
  attr->cmap_stream = cmap; // libharu gives it the font's filter before writing
  for (size_t i = 0; i < sizeof(cmap_keys) / sizeof(cmap_keys[0]); i++)
    if (HPDF_Dict_GetItem(cmap, cmap_keys[i].key, cmap_keys[i].cls))
      HPDF_Dict_RemoveElement(cmap, cmap_keys[i].key);
  s = cmap->stream;
  if (!s || s->type != HPDF_STREAM_MEMORY)
    return ap_fail(r->diags, ap_loc_file(r->path), "unexpected ToUnicode stream in libharu");
  HPDF_MemStream_FreeData(s);

  // Header and code space...
  ret += HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
                                 "12 dict begin\n"
                                 "begincmap\n"
                                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                                 "/CMapName /Adobe-Identity-UCS def\n"
                                 "/CMapType 2 def\n"
                                 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

  // One bfchar per BMP code point, at most 100 per block...
  for (size_t i = 0; i < e->nused; i++)
    if (e->used[i] <= 0xFFFF)
      count++;
  for (size_t i = 0; i < e->nused && ret == HPDF_OK; i++) {
    uint32_t cp = e->used[i];
    if (cp > 0xFFFF)
      continue;
    if (done % 100 == 0) {
      size_t block = count - done < 100 ? count - done : 100;
      snprintf(line, sizeof(line), "%zu beginbfchar\n", block);
      ret += HPDF_Stream_WriteStr(s, line);
    }
    snprintf(line, sizeof(line), "<%04X> <%04X>\n", (unsigned)cp, (unsigned)cp);
    ret += HPDF_Stream_WriteStr(s, line);
    if (++done % 100 == 0 || done == count)
      ret += HPDF_Stream_WriteStr(s, "endbfchar\n");
  }

  // Trailer...
  ret += HPDF_Stream_WriteStr(s, "endcmap\n"
                                 "CMapName currentdict /CMap defineresource pop\n"
                                 "end\n"
                                 "end\n");
  if (ret != HPDF_OK)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the ToUnicode CMap");
  return true;
}

// Replace libharu's /W array (advances truncated to whole thousandths of an
// em) by the exact advances of the codes used, one "first [w1 w2 ...]"
// group per run of consecutive codes. With 2048 units per em each value is
// a multiple of 1/256 that libharu prints with 5 decimals.
static bool
write_widths(ap_renderer_t *r, ap_embed_t *e)
{
  HPDF_FontAttr attr = e->hfont->attr;
  HPDF_Dict cid = attr->descendant_font;
  HPDF_Array w, group = NULL;
  HPDF_STATUS ret = HPDF_OK;
  uint32_t prev = 0;

  if (!cid || !(w = HPDF_Array_New(cid->mmgr)))
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the widths of font '%s'",
                   ap_font_name(e->font));
  for (size_t i = 0; i < e->nused && ret == HPDF_OK; i++) {
    uint32_t cp = e->used[i];
    if (cp > 0xFFFF)
      break;
    if (!group || cp != prev + 1) {
      ret += HPDF_Array_AddNumber(w, (HPDF_INT32)cp);
      if (!(group = HPDF_Array_New(cid->mmgr)) || HPDF_Array_Add(w, group) != HPDF_OK)
        ret = HPDF_FAILD_TO_ALLOC_MEM;
    }
    if (ret == HPDF_OK)
      ret += HPDF_Array_AddReal(group, (HPDF_REAL)ap_render_code_width(e->hfont, cp));
    prev = cp;
  }
  if (HPDF_Dict_GetItem(cid, "W", HPDF_OCLASS_ARRAY))
    HPDF_Dict_RemoveElement(cid, "W");
  if (ret != HPDF_OK || HPDF_Dict_Add(cid, "W", w) != HPDF_OK)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the widths of font '%s'",
                   ap_font_name(e->font));
  return true;
}
