// The visible appearance of a signature (Nghị định 30/2020/NĐ-CP, Phụ lục
// I): the form XObject a signed widget shows (its /AP /N) and the objects
// it draws.
//
// - The signer's signature (--image, a PNG with transparency): centred in
//   the field, scaled to fit it, its aspect kept; the fields of the ready
//   layouts lie between the signer's position and name.
// - The seal (--seal, a PNG with transparency, red) at its real width
//   (--seal-size), over the left third of the signature image as a wet seal
//   is ("trùm lên khoảng 1/3 chữ ký về phía bên trái"): its right edge a
//   third of the way into the image, its centre at the image's height. It
//   goes beyond the field: the widget's /Rect grows to hold it.
// - A copy signed by the office (--office): at the top right of page 1, the
//   organisation's name, the signer's (the certificate's CN) when it is
//   another, and the signing time (ISO 8601, Vietnam's +07:00),
//   10 pt black text in an embedded subset of Liberation Serif (metrics of
//   Times New Roman) with a ToUnicode map, so that the text extracts.
//
// Images are read confined (the input PDF's folder, --allow-path) and
// decoded in full by the image module (libpng) before anything is written;
// each becomes an image XObject with its alpha as a soft mask, compressed
// with libdeflate as the renderer's streams are. The bytes depend on the
// inputs alone: a fixed signing time gives the same file.
#include <libdeflate.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/files.h"
#include "../base/hash.h"
#include "../base/installed.h"
#include "../base/path.h"
#include "../base/utf8.h"
#include "../font/font.h"
#include "../image/image.h"
#include "sign-private.h"

#define OFFICE_FONT "LiberationSerif-Regular.ttf" // Times New Roman's metrics (the decree's font)
#define OFFICE_SIZE 10.0                           // Points (the decree: cỡ chữ 10)
#define OFFICE_LEADING 12.0                        // Points between the lines' baselines
#define OFFICE_PAD 2.0                             // Points of room around the text
#define OFFICE_RIGHT (15.0 * 72 / 25.4)            // From the page's right edge: the narrowest right margin (15 mm)
#define OFFICE_TOP (4.0 * 72 / 25.4)               // From the page's top edge: three lines end inside the 20 mm top margin
#define VIETNAM_OFFSET (7 * 60)                    // Minutes east of UTC

// What the appearance draws, read and checked.
struct ap_sign_look_s {
  ap_arena_t *arena;
  ap_files_t *files;         // Folders the images may be read from
  ap_images_t *images;       // The decoded PNGs
  const ap_image_t *signature; // --image, or NULL
  const ap_image_t *seal;      // --seal, or NULL
  double seal_width;           // Points
  ap_fontset_t *fonts;         // --office: the face of the text
  ap_font_t *font;
  const char *lines[3];        // --office: the organisation, the signer's name when given, the time (NFC)
  int nlines;                  // How many
  uint32_t glyphs[256];        // --office: the glyph ids the text uses, sorted, unique
  uint32_t codepoints[256];    // Each one's character
  int nglyphs;
};

static bool add_glyphs(ap_sign_look_t *look, const char *text, ap_diags_t *diags);
static bool close_text(FILE *fp);
static bool deflate_stream(FILE *fp, const char *dict, const void *data, size_t size);
static bool font_objects(const ap_sign_look_t *look, const int ids[5], FILE *out[5]);
static bool image_objects(const ap_image_t *image, int id, int mask_id, FILE *img, FILE *mask);
static const ap_image_t *load_png(ap_sign_look_t *look, const char *path, const char *option, ap_diags_t *diags);
static void vietnam_time(const ap_datetime_t *when, char out[AP_DATETIME_ISO]);

//
// 'ap_sign_look_load()' - Read and check what the appearance draws.
//

ap_sign_look_t *
ap_sign_look_load(const ap_sign_request_t *req, const char *organisation, const char *signer, ap_diags_t *diags)
{
  ap_sign_look_t *look = calloc(1, sizeof(*look));

  if (!look || !(look->arena = ap_arena_create()) || !(look->files = ap_files_create()) ||
      !(look->images = ap_images_create())) {
    ap_sign_look_free(look);
    ap_fail(diags, ap_loc_file(req->in), "out of memory");
    return NULL;
  }

  // The folders the images may come from: the PDF's, each --allow-path...
  ap_files_allow_parent(look->files, req->in);
  for (int i = 0; i < req->nallow; i++)
    if (!ap_files_allow(look->files, req->allow[i])) {
      ap_fail(diags, ap_loc_file("--allow-path"), "%s: expected an existing folder", req->allow[i]);
      goto fail;
    }

  // ...the images, decoded in full...
  if (req->image && !(look->signature = load_png(look, req->image, "--image", diags)))
    goto fail;
  if (req->seal && !(look->seal = load_png(look, req->seal, "--seal", diags)))
    goto fail;
  look->seal_width = req->seal_size;

  // ...the office's text and the face it is set in.
  if (req->office) {
    char when[AP_DATETIME_ISO];
    vietnam_time(&req->when, when);
    const char *name = organisation ? organisation : "";
    look->lines[look->nlines++] = ap_utf8_nfc(look->arena, name, strlen(name));
    if (signer && *signer)
      look->lines[look->nlines++] = ap_utf8_nfc(look->arena, signer, strlen(signer));
    look->lines[look->nlines++] = ap_utf8_nfc(look->arena, when, strlen(when));
    if (!look->lines[0] || !look->lines[1] || !look->lines[look->nlines - 1] || !*look->lines[0]) {
      ap_fail(diags, ap_loc_file("--office"), "the organisation's or the signer's name is empty or not UTF-8: give "
              "the organisation with --org NAME");
      goto fail;
    }
    ap_files_allow_kind(look->files, ap_installed_fonts_dir(), AP_FILE_FONT);
    if (!(look->fonts = ap_fontset_create())) {
      ap_fail(diags, ap_loc_file(req->in), "out of memory");
      goto fail;
    }
    ap_fontset_confine(look->fonts, look->files);
    const char *path = ap_path_join(look->arena, ap_installed_fonts_dir(), OFFICE_FONT);
    if (!(look->font = ap_fontset_load(look->fonts, path, diags, ap_loc_file("--office"))))
      goto fail;
    for (int i = 0; i < look->nlines; i++)
      if (!add_glyphs(look, look->lines[i], diags))
        goto fail;
  }
  return look;

fail:
  ap_sign_look_free(look);
  return NULL;
}

//
// 'ap_sign_look_free()' - Free what the appearance draws.
//

void
ap_sign_look_free(ap_sign_look_t *look)
{
  if (!look)
    return;
  ap_fontset_destroy(look->fonts);
  ap_images_destroy(look->images);
  ap_files_destroy(look->files);
  ap_arena_destroy(look->arena);
  free(look);
}

//
// 'ap_sign_look_count()' - How many objects the appearance writes.
//

int
ap_sign_look_count(const ap_sign_look_t *look)
{
  if (look->font)
    return 1 + 5; // The form, the font's five objects
  return 1 + (look->signature ? 2 : 0) + (look->seal ? 2 : 0); // The form, each image and its mask
}

//
// 'ap_sign_look_rect()' - The widget's rectangle: the field's, grown to
// hold the seal; for the office, at the top right of the page.
//

void
ap_sign_look_rect(const ap_sign_look_t *look, const double field[4], const double page[4], double rect[4])
{
  if (look->font) {
    double width = 0;
    for (int i = 0; i < look->nlines; i++) {
      double w = ap_font_measure(look->font, look->lines[i], strlen(look->lines[i]), OFFICE_SIZE);
      width = w > width ? w : width;
    }
    width = ceil(width + 2 * OFFICE_PAD);
    double height = ceil(OFFICE_SIZE + (look->nlines - 1) * OFFICE_LEADING + 2 * OFFICE_PAD + 3);
    rect[2] = round(page[2] - OFFICE_RIGHT);
    rect[3] = round(page[3] - OFFICE_TOP);
    rect[0] = rect[2] - width;
    rect[1] = rect[3] - height;
    return;
  }
  memcpy(rect, field, 4 * sizeof(double));
  if (!look->signature || !look->seal)
    return;
  double fw = field[2] - field[0], fh = field[3] - field[1];
  double s = fmin(fw / look->signature->width, fh / look->signature->height);
  double dw = s * look->signature->width;
  double sx = field[0] + (fw - dw) / 2 + dw / 3 - look->seal_width;
  double sh = look->seal_width * look->seal->height / look->seal->width;
  double sy = field[1] + fh / 2 - sh / 2;
  rect[0] = fmin(rect[0], floor(sx));
  rect[1] = fmin(rect[1], floor(sy));
  rect[2] = fmax(rect[2], ceil(sx + look->seal_width));
  rect[3] = fmax(rect[3], ceil(sy + sh));
}

//
// 'ap_sign_look_objects()' - The appearance's objects: the form XObject
// of the widget at rect (ids[0], the /AP /N), then what it draws
// (ids[1..]); field is the field's own rectangle. Bodies malloc'ed.
//

bool
ap_sign_look_objects(const ap_sign_look_t *look, const double field[4], const double rect[4], const int ids[],
                     char *bodies[], size_t sizes[])
{
  int n = ap_sign_look_count(look);
  FILE *out[1 + 5] = {NULL}; // Each object's body (open_memstream into bodies[i], sizes[i])
  char *text = NULL;         // The form's content stream
  size_t text_size = 0;
  FILE *content = open_memstream(&text, &text_size);
  bool ok = content != NULL;
  double w = rect[2] - rect[0], h = rect[3] - rect[1];

  for (int i = 0; i < n; i++) {
    bodies[i] = NULL;
    ok = ok && (out[i] = open_memstream(&bodies[i], &sizes[i])) != NULL;
  }
  if (!ok) {
    for (int i = 0; i < n; i++)
      close_text(out[i]);
    close_text(content);
    for (int i = 0; i < n; i++)
      free(bodies[i]);
    free(text);
    return false;
  }

  if (look->font) {
    // The office's lines, glyph ids as 2-byte codes (Identity-H)...
    ap_font_metrics_t m = ap_font_get_metrics(look->font, OFFICE_SIZE);
    double base = h - OFFICE_PAD - m.ascender;
    fprintf(content, "BT\n/F1 %.0f Tf\n0 g\n%.2f %.2f Td\n", OFFICE_SIZE, OFFICE_PAD, base);
    for (int i = 0; i < look->nlines; i++) {
      if (i)
        fprintf(content, "0 %.0f Td\n", -OFFICE_LEADING);
      fprintf(content, "<");
      const char *p = look->lines[i], *end = p + strlen(p);
      while (p < end)
        fprintf(content, "%04X", ap_font_get_glyph(look->font, ap_utf8_next(&p, end)) & 0xFFFF);
      fprintf(content, "> Tj\n");
    }
    fprintf(content, "ET\n");
    fprintf(out[0], "<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /Font << /F1 %d 0 R >> >>", w,
         h, ids[1]);
    ok = font_objects(look, ids + 1, out + 1);
  } else {
    // ...or the signature centred in the field, the seal over its left third.
    int next = 1;
    double fw = field[2] - field[0], fh = field[3] - field[1];
    double fx = field[0] - rect[0], fy = field[1] - rect[1];
    fprintf(out[0], "<< /Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources << /XObject <<", w, h);
    double ix = fx, dw = fw;
    if (look->signature) {
      const ap_image_t *im = look->signature;
      double s = fmin(fw / im->width, fh / im->height);
      double dh = s * im->height;
      dw = s * im->width;
      ix = fx + (fw - dw) / 2;
      fprintf(content, "q %.3f 0 0 %.3f %.3f %.3f cm /Sig Do Q\n", dw, dh, ix, fy + (fh - dh) / 2);
      fprintf(out[0], " /Sig %d 0 R", ids[next]);
      ok = image_objects(im, ids[next], ids[next + 1], out[next], out[next + 1]);
      next += 2;
    }
    if (look->seal && ok) {
      const ap_image_t *im = look->seal;
      double sw = look->seal_width, sh = sw * im->height / im->width;
      fprintf(content, "q %.3f 0 0 %.3f %.3f %.3f cm /Seal Do Q\n", sw, sh, ix + dw / 3 - sw, fy + fh / 2 - sh / 2);
      fprintf(out[0], " /Seal %d 0 R", ids[next]);
      ok = image_objects(im, ids[next], ids[next + 1], out[next], out[next + 1]);
    }
    fprintf(out[0], " >> >>");
  }
  ok = close_text(content) && ok;
  fprintf(out[0], " /Length %zu >>\nstream\n", text_size);
  fwrite(text, 1, text_size, out[0]);
  fprintf(out[0], "\nendstream");
  free(text);
  for (int i = 0; i < n; i++)
    ok = close_text(out[i]) && ok;
  for (int i = 0; !ok && i < n; i++) {
    free(bodies[i]);
    bodies[i] = NULL;
  }
  return ok;
}

// A PNG file the user named, read confined and decoded in full.
static const ap_image_t *
load_png(ap_sign_look_t *look, const char *path, const char *option, ap_diags_t *diags)
{
  char *bytes = NULL;
  size_t size = 0;
  ap_loc_t at = ap_loc_file(option);

  if (!ap_files_read(look->files, path, AP_FILE_IMAGE, &bytes, &size, diags, at,
                     "(images are read in the signed PDF's folder, the batch file's for batch --sign, "
                     "and each --allow-path DIR)"))
    return NULL;
  const ap_image_t *image = ap_images_add(look->images, path, (unsigned char *)bytes, size, NULL, diags, at);
  if (image && image->format != AP_IMAGE_PNG) {
    ap_fail(diags, at, "image file '%s' is a JPEG: expected a PNG with transparency", path);
    return NULL;
  }
  return image;
}

// Note the glyphs of text (sorted, once each); a character the face lacks
// is an error.
static bool
add_glyphs(ap_sign_look_t *look, const char *text, ap_diags_t *diags)
{
  const char *p = text, *end = text + strlen(text);
  uint32_t missing = ap_font_find_missing(look->font, text, strlen(text));

  if (missing)
    return ap_fail(diags, ap_loc_file("--office"), "U+%04X of '%s' is not in %s: expected Vietnamese text", missing,
                   text, OFFICE_FONT);
  while (p < end) {
    uint32_t cp = ap_utf8_next(&p, end), gid = ap_font_get_glyph(look->font, cp);
    int i = 0;
    while (i < look->nglyphs && look->glyphs[i] < gid)
      i++;
    if (i < look->nglyphs && look->glyphs[i] == gid)
      continue;
    if (look->nglyphs == (int)(sizeof look->glyphs / sizeof *look->glyphs))
      return ap_fail(diags, ap_loc_file("--office"), "'%s': too many different characters", text);
    memmove(look->glyphs + i + 1, look->glyphs + i, (size_t)(look->nglyphs - i) * sizeof *look->glyphs);
    memmove(look->codepoints + i + 1, look->codepoints + i, (size_t)(look->nglyphs - i) * sizeof *look->codepoints);
    look->glyphs[i] = gid;
    look->codepoints[i] = cp;
    look->nglyphs++;
  }
  return true;
}

// The five objects of the office text's font (ids: Type0 font, CIDFont,
// descriptor, font file, ToUnicode): a HarfBuzz subset keeping the glyph
// ids, so the codes are glyph ids (Identity-H, CIDToGIDMap /Identity).
static bool
font_objects(const ap_sign_look_t *look, const int ids[5], FILE *out[5])
{
  unsigned char *data = NULL, digest[AP_SHA256_SIZE];
  size_t size = 0;

  if (!ap_font_subset(look->font, look->codepoints, (size_t)look->nglyphs, &data, &size))
    return false;

  // The subset's tag (from its bytes) and the face's box (head table).
  char name[160], tag[7];
  ap_sha256(data, size, digest);
  for (int i = 0; i < 6; i++)
    tag[i] = (char)('A' + digest[i] % 26);
  tag[6] = '\0';
  snprintf(name, sizeof name, "%s+%.120s", tag, ap_font_name(look->font));
  double upem = 2048, box[4] = {0, -250, 1000, 1000};
  unsigned tables = size >= 12 ? (unsigned)(data[4] << 8 | data[5]) : 0;
  for (unsigned t = 0; t < tables && 12 + 16 * (size_t)t + 16 <= size; t++) {
    const unsigned char *rec = data + 12 + 16 * t;
    size_t at = (size_t)rec[8] << 24 | (size_t)rec[9] << 16 | (size_t)rec[10] << 8 | rec[11];
    if (memcmp(rec, "head", 4) || at + 44 > size)
      continue;
    upem = data[at + 18] << 8 | data[at + 19];
    for (int k = 0; k < 4; k++)
      box[k] = (int16_t)(data[at + 36 + 2 * k] << 8 | data[at + 37 + 2 * k]) * 1000.0 / (upem ? upem : 1000);
  }
  ap_font_metrics_t m = ap_font_get_metrics(look->font, 1000);

  fprintf(out[0], "<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] "
                "/ToUnicode %d 0 R >>", name, ids[1], ids[4]);
  fprintf(out[1], "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) "
                "/Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /W [", name,
       ids[2]);
  for (int i = 0; i < look->nglyphs; i++) {
    char utf8[4];
    size_t len = ap_utf8_encode(look->codepoints[i], utf8);
    fprintf(out[1], "%s%u [%.0f]", i ? " " : "", look->glyphs[i], ap_font_measure(look->font, utf8, len, 1000));
  }
  fprintf(out[1], "] >>");
  fprintf(out[2], "<< /Type /FontDescriptor /FontName /%s /Flags 34 /FontBBox [%.0f %.0f %.0f %.0f] /ItalicAngle 0 "
                "/Ascent %.0f /Descent %.0f /CapHeight %.0f /StemV 80 /FontFile2 %d 0 R >>", name, box[0], box[1],
       box[2], box[3], m.ascender, m.descender, m.cap_height, ids[3]);
  char dict[64];
  snprintf(dict, sizeof dict, "/Length1 %zu", size);
  bool ok = deflate_stream(out[3], dict, data, size);
  free(data);

  // ToUnicode: each glyph id to its character (UTF-16BE).
  char *cmap_text = NULL;
  size_t cmap_size = 0;
  FILE *cmap = open_memstream(&cmap_text, &cmap_size);
  if (!cmap)
    return false;
  fprintf(cmap, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
              "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  for (int i = 0; i < look->nglyphs; i += 100) {
    int n = look->nglyphs - i < 100 ? look->nglyphs - i : 100;
    fprintf(cmap, "%d beginbfchar\n", n);
    for (int k = i; k < i + n; k++) {
      uint32_t cp = look->codepoints[k];
      if (cp >= 0x10000)
        fprintf(cmap, "<%04X> <%04X%04X>\n", look->glyphs[k], 0xD800 + ((cp - 0x10000) >> 10),
             0xDC00 + ((cp - 0x10000) & 0x3FF));
      else
        fprintf(cmap, "<%04X> <%04X>\n", look->glyphs[k], cp);
    }
    fprintf(cmap, "endbfchar\n");
  }
  fprintf(cmap, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  ok = close_text(cmap) && ok && deflate_stream(out[4], "", cmap_text, cmap_size);
  free(cmap_text);
  return ok;
}

// An image XObject (8 bits a component) and its soft mask: the alpha
// plane, or a fully opaque one for an image without transparency (every
// image has its two objects).
static bool
image_objects(const ap_image_t *image, int id, int mask_id, FILE *img, FILE *mask)
{
  size_t pixels = (size_t)image->width * (size_t)image->height;
  char dict[1200];
  int n;

  if (image->color == AP_IMAGE_INDEXED) {
    n = snprintf(dict, sizeof dict, "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace [/Indexed "
                                    "/DeviceRGB %d <", image->width, image->height, image->npalette - 1);
    for (int i = 0; i < 3 * image->npalette && n > 0 && (size_t)n + 8 < sizeof dict; i++)
      n += snprintf(dict + n, sizeof dict - (size_t)n, "%02X", image->palette[i]);
    n += snprintf(dict + n, sizeof dict - (size_t)n, ">]");
  } else
    n = snprintf(dict, sizeof dict, "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s",
                 image->width, image->height, image->color == AP_IMAGE_GRAY ? "DeviceGray" : "DeviceRGB");
  snprintf(dict + n, sizeof dict - (size_t)n, " /BitsPerComponent 8 /SMask %d 0 R", mask_id);
  if (!deflate_stream(img, dict, image->pixels, pixels * (size_t)image->components))
    return false;

  unsigned char *alpha = image->alpha;
  unsigned char *opaque = alpha ? NULL : malloc(pixels ? pixels : 1);
  if (!alpha && !opaque)
    return false;
  if (opaque)
    memset(opaque, 255, pixels);
  snprintf(dict, sizeof dict, "/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                              "/BitsPerComponent 8", image->width, image->height);
  bool ok = deflate_stream(mask, dict, alpha ? alpha : opaque, pixels);
  free(opaque);
  return ok;
}

// A stream object's body: << dict /Filter /FlateDecode /Length N >> and
// the data compressed (zlib, libdeflate).
static bool
deflate_stream(FILE *fp, const char *dict, const void *data, size_t size)
{
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(9);
  size_t bound = c ? libdeflate_zlib_compress_bound(c, size) : 0;
  unsigned char *z = c ? malloc(bound) : NULL;
  size_t zsize = z ? libdeflate_zlib_compress(c, data, size, z, bound) : 0;

  if (c)
    libdeflate_free_compressor(c);
  if (!zsize) {
    free(z);
    return false;
  }
  fprintf(fp, "<< %s%s/Filter /FlateDecode /Length %zu >>\nstream\n", dict, *dict ? " " : "", zsize);
  fwrite(z, 1, zsize, fp);
  fprintf(fp, "\nendstream");
  free(z);
  return !ferror(fp);
}

// The signing time in Vietnam's time (+07:00), ISO 8601.
static void
vietnam_time(const ap_datetime_t *when, char out[AP_DATETIME_ISO])
{
  ap_datetime_t there;
  ap_datetime_at_offset(when, VIETNAM_OFFSET, &there);
  ap_datetime_iso(&there, false, out);
}

// Close a text made with open_memstream; false when writing it failed (out of memory).
static bool
close_text(FILE *fp)
{
  if (!fp)
    return false;
  bool ok = !ferror(fp);
  return fclose(fp) == 0 && ok;
}
