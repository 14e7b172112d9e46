// Fonts in the PDF, written by us with libharu's object API (libharu's own
// Type0 path costs more than the rest of rendering together): each face the
// runs use becomes a Type0 font, created when a page first uses the face;
// its CIDs number the code points in order of first use (1, 2, ...) as the
// pages are painted. The text shows them in codes of one byte for CIDs
// 0-127 and two bytes after (<8000> = CID 128): a text's first characters
// are its most used, and a document of one script rarely needs more than
// 127 a face, so the content streams are about half the size of 2-byte
// Identity-H codes'. One embedded CMap (/anpham-1-2, Adobe-Identity, like
// the CIDFonts) says so for every font. At the end a small CIDToGIDMap maps
// the CIDs to the glyphs of a HarfBuzz subset, /W gives their exact
// advances and a ToUnicode CMap gives each code back its own character, so
// two characters drawn with one glyph (space and no-break space) still
// extract apart.
#include "render-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/hash.h"
#include "../base/utf8.h"

#define CID_LIMIT (AP_CID_MAX + 1) // CIDs the codes can address (1..AP_CID_MAX)
#define TOUNICODE_BLOCK 100   // Most entries in one bfchar block (PDF limit)

// What the font descriptor needs from the subset's tables.
typedef struct face_info_s {
  double upem;                // Units per em (head)
  int bbox[4];                // Font bounding box, font units (head)
  double italic_angle;        // Degrees (post)
  bool fixed_pitch;           // Monospaced (post)
  int weight;                 // OS/2 usWeightClass (400 when absent)
  bool serif;                 // OS/2 family class says serif
  bool italic;                // head macStyle or OS/2 fsSelection
} face_info_t;

static bool embed_font(ap_writer_t *r, ap_embed_t *e);
static const unsigned char *find_table(const unsigned char *data, size_t size, const char *tag,
                                       size_t need);
static HPDF_Dict new_dict(ap_writer_t *r);
static HPDF_Dict new_stream(ap_writer_t *r);
static bool read_face(const unsigned char *data, size_t size, face_info_t *info);
static unsigned read_u16(const unsigned char *p);
static uint32_t read_u32(const unsigned char *p);
static void subset_tag(const ap_embed_t *e, char tag[8]);
static bool subset_font(ap_writer_t *r, const ap_font_t *font, const uint32_t *cps, size_t ncps, const char *key,
                        unsigned char **data, size_t *size);
static HPDF_Dict write_descriptor(ap_writer_t *r, ap_embed_t *e, const char *base,
                                  const unsigned char *data, size_t size, const char *key);
static HPDF_Dict write_tounicode(ap_writer_t *r, const ap_embed_t *e);
static HPDF_Dict code_cmap(ap_writer_t *r);

// The code space of the text's codes, in a CMap (ap_cid_code).
static const char CODE_SPACE[] = "2 begincodespacerange\n<00> <7F>\n<8000> <FFFF>\nendcodespacerange\n";

//
// 'ap_render_add_cid()' - Give a code point the next CID of a font.
//
// CIDs follow the order in which text first shows the characters; each
// notes its code point and its advance (as layout measured it) for /W,
// the CIDToGIDMap and ToUnicode.
//

bool                                      // O - true on success
ap_render_add_cid(ap_writer_t *r,         // I - Writer
                  ap_embed_t  *e,         // I - Font record
                  uint32_t     cp,        // I - Code point
                  unsigned    *cid)       // O - Its CID (0 past Unicode)
{
  uint16_t *page;                         // CIDs of cp's 256-code-point page
  char utf8[4];                           // cp encoded
  size_t len;

  // Past Unicode (.notdef), or given already...
  *cid = 0;
  if (cp == 0 || cp >= AP_CODE_LIMIT || (*cid = ap_embed_get_cid(e, cp)) != 0)
    return true;
  if (!e->next_cid)
    e->next_cid = 1;
  unsigned next = cp == 0x20 ? AP_SPACE_CID : e->next_cid; // The CID it takes
  unsigned top = next > e->ncids ? next : e->ncids;        // The highest CID then
  if (top >= CID_LIMIT)
    return ap_fail(r->diags, ap_loc_file(r->path), "font '%s' is used with more than %u characters",
                   ap_font_name(e->font), CID_LIMIT - 2);

  // Room in the page table and in the per-CID arrays...
  if (!(page = e->cids[cp >> 8]) && !(page = e->cids[cp >> 8] = calloc(256, sizeof(uint16_t))))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  if (top + 1 >= e->acids) {
    unsigned n = e->acids ? e->acids : 256;
    while (n <= top + 1)
      n *= 2;
    uint32_t *cps = realloc(e->cps, n * sizeof(*cps));
    double *widths = cps ? realloc(e->widths, n * sizeof(*widths)) : NULL;
    if (cps)
      e->cps = cps;
    if (!widths)
      return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    e->widths = widths;
    e->acids = n;
    e->cps[0] = 0;
    e->widths[0] = 0;
  }
  for (unsigned c = e->ncids + 1; c < top; c++) { // CIDs skipped (below the space's): none yet
    e->cps[c] = 0;
    e->widths[c] = 0;
  }
  e->ncids = top;

  // The CID...
  len = ap_utf8_encode(cp, utf8);
  e->cps[next] = cp;
  e->widths[next] = ap_font_measure(e->font, utf8, len, /*size*/ 1000);
  page[cp & 0xFF] = (uint16_t)next;
  *cid = next;
  if (cp != 0x20) // The next free one, the space's skipped
    do
      e->next_cid++;
    while (e->next_cid == AP_SPACE_CID || (e->next_cid <= e->ncids && e->cps[e->next_cid]));
  return true;
}

//
// 'ap_render_destroy_fonts()' - Free the font records.
//
// The PDF objects belong to the document and go with it.
//

void
ap_render_destroy_fonts(ap_writer_t *r)
{
  for (size_t i = 0; i < r->nfonts; i++) {
    ap_embed_t *e = r->fonts[i];
    if (e->cids)
      for (size_t k = 0; k < AP_CODE_LIMIT >> 8; k++)
        if (e->cids[k]) // (most of the 4,352 are: no call for them)
          free(e->cids[k]);
    free(e->cids);
    free(e->cps);
    free(e->widths);
    free(e);
  }
  free(r->fonts);
  r->fonts = NULL;
  r->nfonts = r->afonts = 0;
}

//
// 'ap_render_finalize_fonts()' - Subset and embed every face the pages used.
//
// Completes the Type0 dictionaries the pages already reference.
//

bool                                      // O - true on success
ap_render_finalize_fonts(ap_writer_t *r)  // I - Writer, every page painted
{
  for (size_t i = 0; i < r->nfonts; i++)
    if (!embed_font(r, r->fonts[i]) || r->failed)
      return false;
  return true;
}

//
// 'ap_render_use_font()' - The font record of a face, created on first use.
//
// A new face gets its Type0 dictionary at once, so that page resources can
// name it; ap_render_finalize_fonts() fills it in.
//

ap_embed_t *                              // O - Font record, NULL on error (recorded)
ap_render_use_font(ap_writer_t     *r,    // I - Writer
                   const ap_font_t *font) // I - Face as layout used it
{
  ap_embed_t *e;
  HPDF_STATUS ret = HPDF_OK;

  // A face already seen (the last one most often)...
  for (size_t i = r->nfonts; i-- > 0;)
    if (r->fonts[i]->font == font)
      return r->fonts[i];

  // Grow the array, then add the face with an empty page table...
  if (r->nfonts == r->afonts) {
    size_t n = r->afonts ? r->afonts * 2 : 4;
    ap_embed_t **fonts = realloc(r->fonts, n * sizeof(*fonts));
    if (!fonts) {
      ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
      return NULL;
    }
    r->fonts = fonts;
    r->afonts = n;
  }
  if (!(e = calloc(1, sizeof(*e))) || !(e->cids = calloc(AP_CODE_LIMIT >> 8, sizeof(uint16_t *)))) {
    free(e);
    ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    return NULL;
  }
  e->font = font;
  r->fonts[r->nfonts++] = e;

  // Its Type0 dictionary, as far as it is known now...
  if (!(e->dict = new_dict(r)))
    return NULL;
  ret += HPDF_Dict_AddName(e->dict, "Type", "Font");
  ret += HPDF_Dict_AddName(e->dict, "Subtype", "Type0");
  if (ret != HPDF_OK) {
    if (!r->failed)
      ap_fail(r->diags, ap_loc_file(r->path), "cannot write font '%s'", ap_font_name(font));
    return NULL;
  }
  return e;
}

// A subset of the face for these characters: the one another job of the
// batch made (the render cache), else made now (and kept for the others);
// key is its name in the user's cache (NULL: not kept there).
static bool
subset_font(ap_writer_t *r, const ap_font_t *font, const uint32_t *cps, size_t ncps, const char *key,
            unsigned char **data, size_t *size)
{
  char face[4200];
  snprintf(face, sizeof(face), "%s|%s|%u|%zu", ap_font_path(font), ap_font_name(font), ap_font_glyph_count(font),
           ap_font_file_size(font));
  if (ap_render_cache_get_subset(r->render_cache, face, cps, ncps, data, size))
    return true;
  if (!ap_font_subset_named(font, cps, ncps, key, data, size))
    return false;
  ap_render_cache_put_subset(r->render_cache, face, cps, ncps, *data, *size);
  return true;
}

// Subset the face and write its Type0 font, CIDFontType2 descendant, font
// descriptor with the subset as FontFile2, CIDToGIDMap and ToUnicode.
static bool
embed_font(ap_writer_t *r, ap_embed_t *e)
{
  unsigned char *data;       // Subset bytes
  size_t size;               // Their length
  char tag[8], base[160];    // Subset tag, BaseFont name
  HPDF_Dict type0 = e->dict; // Type0 font the pages use (Type and Subtype set)
  HPDF_Dict cid, desc, map, tounicode;
  HPDF_Array descendants, w, widths;
  HPDF_Dict info;            // CIDSystemInfo
  HPDF_STATUS ret = HPDF_OK;

  // Subset (the CIDs' code points, glyph ids kept)...
  uint32_t *cps = malloc(sizeof(uint32_t) * (e->ncids + 1)); // The characters, CIDs no character took left out
  size_t ncps = 0;
  for (unsigned c = 1; cps && c <= e->ncids; c++)
    if (e->cps[c])
      cps[ncps++] = e->cps[c];
  char key[AP_SHA256_HEX];                                   // Its name in the user's cache
  bool kept = cps && ap_font_subset_key(e->font, cps, ncps, key);
  bool subset = cps && subset_font(r, e->font, cps, ncps, kept ? key : NULL, &data, &size);
  free(cps);
  if (!subset)
    return ap_fail(r->diags, ap_loc_file(ap_font_path(e->font)), "cannot subset font '%s'",
                   ap_font_name(e->font));
  subset_tag(e, tag);
  snprintf(base, sizeof(base), "%s+%.120s", tag, ap_font_name(e->font));
  desc = write_descriptor(r, e, base, data, size, kept ? key : NULL);
  free(data);
  if (!desc)
    return false;

  // CIDToGIDMap: 2 bytes per CID, big-endian (written at once: a write
  // per CID cost more than the rest of the map)...
  HPDF_BYTE *gids = malloc(2 * ((size_t)e->ncids + 1));
  if (!gids)
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  if (!(map = new_stream(r))) {
    free(gids);
    return false;
  }
  for (unsigned c = 0; c <= e->ncids; c++) {
    uint32_t gid = c && e->cps[c] ? ap_font_get_glyph(e->font, e->cps[c]) : 0;
    gids[2 * c] = (HPDF_BYTE)(gid >> 8);
    gids[2 * c + 1] = (HPDF_BYTE)gid;
  }
  ret = HPDF_Stream_Write(map->stream, gids, (HPDF_UINT)(2 * ((size_t)e->ncids + 1)));
  free(gids);

  if (ret != HPDF_OK || !ap_render_deflate(r, map))
    return false;

  // /W: one group from CID 1, exact advances...
  if (!(w = HPDF_Array_New(r->pdf->mmgr)) || !(widths = HPDF_Array_New(r->pdf->mmgr)))
    return false;
  ret += HPDF_Array_AddNumber(w, 1);
  ret += HPDF_Array_Add(w, widths);
  for (unsigned c = 1; c <= e->ncids && ret == HPDF_OK; c++)
    ret += HPDF_Array_AddReal(widths, (HPDF_REAL)e->widths[c]);

  // The descendant CIDFontType2...
  if (ret != HPDF_OK || !(cid = new_dict(r)) || !(info = HPDF_Dict_New(r->pdf->mmgr)))
    return false;
  ret += HPDF_Dict_AddName(cid, "Type", "Font");
  ret += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  ret += HPDF_Dict_AddName(cid, "BaseFont", base);
  ret += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
  ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(r->pdf->mmgr, "Adobe", NULL));
  ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(r->pdf->mmgr, "Identity", NULL));
  ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
  ret += HPDF_Dict_Add(cid, "FontDescriptor", desc);
  ret += HPDF_Dict_Add(cid, "CIDToGIDMap", map);
  ret += HPDF_Dict_AddNumber(cid, "DW", 0);
  ret += HPDF_Dict_Add(cid, "W", w);

  // The Type0 font the pages use...
  if (ret != HPDF_OK || !(tounicode = write_tounicode(r, e)) ||
      !(descendants = HPDF_Array_New(r->pdf->mmgr)))
    return false;
  HPDF_Dict encoding = code_cmap(r);
  if (!encoding)
    return false;
  ret += HPDF_Dict_AddName(type0, "BaseFont", base);
  ret += HPDF_Dict_Add(type0, "Encoding", encoding);
  ret += HPDF_Dict_Add(type0, "DescendantFonts", descendants);
  ret += HPDF_Array_Add(descendants, cid);
  ret += HPDF_Dict_Add(type0, "ToUnicode", tounicode);
  if (ret != HPDF_OK)
    return r->failed ? false
                     : ap_fail(r->diags, ap_loc_file(r->path), "cannot write font '%s'",
                               ap_font_name(e->font));
  return true;
}

// The table of a TrueType font with at least need bytes, or NULL.
static const unsigned char *
find_table(const unsigned char *data, size_t size, const char *tag, size_t need)
{
  unsigned n;

  if (size < 12)
    return NULL;
  n = read_u16(data + 4);
  for (unsigned i = 0; i < n && 12 + 16 * (size_t)(i + 1) <= size; i++) {
    const unsigned char *rec = data + 12 + 16 * i;
    uint32_t off = read_u32(rec + 8), len = read_u32(rec + 12);
    if (!memcmp(rec, tag, 4))
      return len >= need && off <= size && len <= size - off ? data + off : NULL;
  }
  return NULL;
}

// A new indirect dictionary of the document; NULL on error (libharu reports).
static HPDF_Dict
new_dict(ap_writer_t *r)
{
  HPDF_Dict d = HPDF_Dict_New(r->pdf->mmgr);

  if (!d || HPDF_Xref_Add(r->pdf->xref, d) != HPDF_OK) // Xref_Add frees d on failure
    return NULL;
  return d;
}

// A new stream of the document, marked for deflating when the document
// compresses (ap_render_deflate() does it once the stream is written).
static HPDF_Dict
new_stream(ap_writer_t *r)
{
  HPDF_Dict s = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);

  if (s && (r->pdf->compression_mode & HPDF_COMP_METADATA))
    s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  return s;
}

// Read what the font descriptor needs from a TrueType font; false when the
// required head table is missing.
static bool
read_face(const unsigned char *data, size_t size, face_info_t *info)
{
  const unsigned char *head = find_table(data, size, "head", 54);
  const unsigned char *post = find_table(data, size, "post", 16);
  const unsigned char *os2 = find_table(data, size, "OS/2", 64);

  memset(info, 0, sizeof(*info));
  if (!head || !read_u16(head + 18))
    return false;
  info->upem = read_u16(head + 18);
  for (int i = 0; i < 4; i++)
    info->bbox[i] = (int16_t)read_u16(head + 36 + 2 * i);
  info->italic = (read_u16(head + 44) & 2) != 0;
  if (post) {
    info->italic_angle = (int32_t)read_u32(post + 4) / 65536.0;
    info->fixed_pitch = read_u32(post + 12) != 0;
  }
  info->weight = 400;
  if (os2) {
    unsigned family = read_u16(os2 + 30) >> 8;
    info->weight = (int)read_u16(os2 + 4);
    info->serif = family >= 1 && family <= 7;
    info->italic = info->italic || (read_u16(os2 + 62) & 1);
  }
  return true;
}

// Big-endian 16-bit value.
static unsigned
read_u16(const unsigned char *p)
{
  return (unsigned)p[0] << 8 | p[1];
}

// Big-endian 32-bit value.
static uint32_t
read_u32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

// The 6 capital letters that name a subset, from the face's name and its
// code points in ascending order (FNV-1a): the same subset always gets the
// same name, whatever order the characters came in and whatever path the
// font file was reached by (a batch gives absolute paths, a render relative).
static void
subset_tag(const ap_embed_t *e, char tag[8])
{
  uint64_t h = 14695981039346656037u;

  for (const char *p = ap_font_name(e->font); *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211u;
  for (size_t page = 0; page < AP_CODE_LIMIT >> 8; page++)
    for (unsigned i = 0; e->cids[page] && i < 256; i++)
      if (e->cids[page][i]) {
        uint32_t cp = (uint32_t)(page << 8 | i);
        for (int k = 0; k < 24; k += 8)
          h = (h ^ ((cp >> k) & 0xFF)) * 1099511628211u;
      }
  for (int i = 0; i < 6; i++, h /= 26)
    tag[i] = (char)('A' + h % 26);
  tag[6] = '\0';
}

// The font descriptor, with the subset as FontFile2; NULL on error (recorded).
static HPDF_Dict
write_descriptor(ap_writer_t *r, ap_embed_t *e, const char *base, const unsigned char *data,
                 size_t size, const char *key)
{
  ap_font_metrics_t m = ap_font_get_metrics(e->font, /*size*/ 1000);
  face_info_t info;
  HPDF_Dict desc, file;
  HPDF_Array bbox;
  HPDF_STATUS ret = HPDF_OK;
  int flags = 4; // Symbolic: glyphs beyond the standard Latin set

  if (!read_face(data, size, &info)) {
    ap_fail(r->diags, ap_loc_file(ap_font_path(e->font)), "cannot embed font '%s'",
            ap_font_name(e->font));
    return NULL;
  }
  if (info.fixed_pitch)
    flags |= 1;
  if (info.serif)
    flags |= 2;
  if (info.italic || info.italic_angle != 0)
    flags |= 64;

  // The subset's bytes, and the length before compression...
  if (!(file = new_stream(r)))
    return NULL;
  ret += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)size);
  if (ret != HPDF_OK || !ap_render_deflate_kept(r, file, data, size, "font-streams", key))
    return NULL;

  // The descriptor, in thousandths of an em...
  if (ret != HPDF_OK || !(desc = new_dict(r)) || !(bbox = HPDF_Array_New(r->pdf->mmgr)))
    return NULL;
  for (int i = 0; i < 4; i++)
    ret += HPDF_Array_AddNumber(bbox, (HPDF_INT32)lround(info.bbox[i] * 1000.0 / info.upem));
  ret += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
  ret += HPDF_Dict_AddName(desc, "FontName", base);
  ret += HPDF_Dict_AddNumber(desc, "Flags", flags);
  ret += HPDF_Dict_Add(desc, "FontBBox", bbox);
  ret += HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)info.italic_angle);
  ret += HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(m.ascender));
  ret += HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(m.descender));
  ret += HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(m.cap_height));
  ret += HPDF_Dict_AddNumber(desc, "XHeight", (HPDF_INT32)lround(m.x_height));
  ret += HPDF_Dict_AddNumber(desc, "StemV", (HPDF_INT32)lround(10 + 0.244 * (info.weight - 50)));
  ret += HPDF_Dict_Add(desc, "FontFile2", file);
  return ret == HPDF_OK ? desc : NULL;
}

// The CMap of the text's codes (ap_cid_code): one byte <00>-<7F> for CIDs
// 0-127, two bytes <8000>-<FFFF> for CIDs from 128. One stream for every
// font, made by the first; NULL on error.
static HPDF_Dict
code_cmap(ap_writer_t *r)
{
  if (r->code_cmap)
    return r->code_cmap;
  HPDF_Dict cmap = new_stream(r), info = cmap ? HPDF_Dict_New(r->pdf->mmgr) : NULL;
  HPDF_STATUS ret = HPDF_OK;

  if (!info)
    return NULL;
  ret += HPDF_Dict_AddName(cmap, "Type", "CMap");
  ret += HPDF_Dict_AddName(cmap, "CMapName", "anpham-1-2");
  ret += HPDF_Dict_Add(cmap, "CIDSystemInfo", info);
  ret += HPDF_Dict_Add(info, "Registry", HPDF_String_New(r->pdf->mmgr, "Adobe", NULL));
  ret += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(r->pdf->mmgr, "Identity", NULL));
  ret += HPDF_Dict_AddNumber(info, "Supplement", 0);
  ret += HPDF_Stream_WriteStr(cmap->stream,
                              "%!PS-Adobe-3.0 Resource-CMap\n"
                              "/CIDInit /ProcSet findresource begin\n"
                              "12 dict begin\n"
                              "begincmap\n"
                              "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n"
                              "/CMapName /anpham-1-2 def\n"
                              "/CMapType 1 def\n");
  ret += HPDF_Stream_WriteStr(cmap->stream, CODE_SPACE);
  ret += HPDF_Stream_WriteStr(cmap->stream,
                              "2 begincidrange\n<00> <7F> 0\n<8000> <FFFF> 128\nendcidrange\n"
                              "endcmap\n"
                              "CMapName currentdict /CMap defineresource pop\n"
                              "end\n"
                              "end\n");
  if (ret != HPDF_OK || !ap_render_deflate(r, cmap))
    return NULL;
  return r->code_cmap = cmap;
}

// Write value in upper-case hexadecimal, digits digits wide (printf's %0<digits>X),
// at t; returns the end.
static char *
put_hex(char *t, uint32_t value, int digits)
{
  static const char hex[] = "0123456789ABCDEF";
  for (int k = digits - 1; k >= 0; k--)
    *t++ = hex[(value >> (4 * k)) & 0xF];
  return t;
}

// The ToUnicode CMap: each code (ap_cid_code) to its CID's code point in
// UTF-16BE, in bfchar blocks of at most TOUNICODE_BLOCK entries; NULL on
// error.
static HPDF_Dict
write_tounicode(ap_writer_t *r, const ap_embed_t *e)
{
  HPDF_Dict cmap = new_stream(r);
  HPDF_STATUS ret = HPDF_OK;

  if (!cmap)
    return NULL;

  // Header and code space...
  ret += HPDF_Stream_WriteStr(cmap->stream,
                              "/CIDInit /ProcSet findresource begin\n"
                              "12 dict begin\n"
                              "begincmap\n"
                              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                              "/CMapName /Adobe-Identity-UCS def\n"
                              "/CMapType 2 def\n");
  ret += HPDF_Stream_WriteStr(cmap->stream, CODE_SPACE);

  // One bfchar per CID a character took, a surrogate pair beyond the BMP
  // ("<code> <UTF-16 hex>", as printf's %02X and %04X write them), made in
  // memory and written at once (printf and a write per CID cost more than
  // deflating the map)...
  unsigned total = 0, done = 0; // Entries in all, and written
  for (unsigned c = 1; c <= e->ncids; c++)
    total += e->cps[c] != 0;
  char *text = malloc((size_t)total * 20 + ((size_t)total / TOUNICODE_BLOCK + 1) * 32), *t = text;
  if (!text)
    ret = HPDF_FAILD_TO_ALLOC_MEM;
  for (unsigned c = 1; c <= e->ncids && text; c++) {
    uint32_t cp = e->cps[c];
    if (!cp)
      continue;
    if (done % TOUNICODE_BLOCK == 0) {
      unsigned left = total - done;
      t += snprintf(t, 32, "%u beginbfchar\n", left < TOUNICODE_BLOCK ? left : TOUNICODE_BLOCK);
    }
    unsigned char code[2];
    int bytes = ap_cid_code(c, code);
    *t++ = '<';
    for (int k = 0; k < bytes; k++)
      t = put_hex(t, code[k], 2);
    *t++ = '>';
    *t++ = ' ';
    *t++ = '<';
    if (cp > 0xFFFF) {
      t = put_hex(t, 0xD800 + ((cp - 0x10000) >> 10), 4);
      t = put_hex(t, 0xDC00 + (cp & 0x3FF), 4);
    } else {
      t = put_hex(t, cp, 4);
    }
    *t++ = '>';
    *t++ = '\n';
    if (++done % TOUNICODE_BLOCK == 0 || done == total) {
      memcpy(t, "endbfchar\n", 10);
      t += 10;
    }
  }
  if (text)
    ret += HPDF_Stream_Write(cmap->stream, (const HPDF_BYTE *)text, (HPDF_UINT)(t - text));
  free(text);

  // Trailer...
  ret += HPDF_Stream_WriteStr(cmap->stream, "endcmap\n"
                                            "CMapName currentdict /CMap defineresource pop\n"
                                            "end\n"
                                            "end\n");
  return ret == HPDF_OK && ap_render_deflate(r, cmap) ? cmap : NULL;
}
