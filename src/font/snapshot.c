// A face's snapshot: what layout reads of a face (its metrics, every
// glyph's advance and extents, every code point's glyph, its PostScript
// name) kept in the user's cache (base/cache.h, folder face-metrics/), so
// that a face read before is loaded without HarfBuzz: the library is then
// not even loaded (hb-lazy.h) when the face's subsets are in the cache too
// (subset.c). The snapshot is written by the run that first reads the face
// through HarfBuzz, from HarfBuzz's own answers: a face read from it
// answers every question as HarfBuzz would (the PDF is the same, byte for
// byte: tests/e2e/font_cache.sh).
//
// Its name is the SHA-256 of what the answers depend on: this build of
// anpham (its build ID), HarfBuzz's two library files (device, inode, size,
// time: an upgrade changes them), and the font file's path and status
// (device, inode, size, modification and status-change times to the
// nanosecond), as the batch's file digests are named (docs/batch.md). A
// file changed in the last 2 seconds is not trusted by its status (it may
// change again within the same time stamp): it is read through HarfBuzz
// and not kept. A snapshot that is not whole or not consistent is ignored.
//
// Layout (native byte order: the cache is this machine's): the magic
// "APFACE1\n"; upem, glyph count, BMP pairs, pairs past the BMP, name length
// (uint32); ascender, descender, line gap, cap height, x height, underline
// thickness and position (int32); the name; each glyph's advance (int32)
// and extents (int16 x 4); each BMP pair (uint16 code point, uint16 glyph);
// each other pair (uint32 x 2).
#include "font-private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/build-id.h"
#include "../base/cache.h"
#include "../base/hash.h"

#define KIND "face-metrics"
#define MAGIC "APFACE1\n"
#define RACY_SECONDS 2           // A file changed this recently is not trusted by its status
#define MAX_SNAPSHOT (8u << 20)  // Far above any real face (65,536 glyphs: 1.3 MB)

typedef struct {
  uint32_t upem, nglyphs, nbmp, nastral, name_len;
  int32_t metrics[7]; // ascender, descender, line gap, cap height, x height, underline size and offset
} head_t;

// A reader over the snapshot's bytes.
typedef struct {
  const unsigned char *p, *end;
} reader_t;

static bool take(reader_t *r, void *out, size_t size);
static bool fits_int16(int32_t v);

//
// 'ap_snapshot_key()' - A face's name in the cache.
//

bool                                        // O - false when it is not to be kept
ap_snapshot_key(const char        *path,    // I - Font file
                const struct stat *st,      // I - Its status when mapped
                char               key[AP_FACE_KEY]) // O - SHA-256 in hex
{
  char hb[2048], text[8192];
  unsigned char digest[AP_SHA256_SIZE];
  time_t now = time(NULL);

  key[0] = '\0';
  if (!st->st_ino || !ap_cache_on() || st->st_mtim.tv_sec > now - RACY_SECONDS ||
      st->st_ctim.tv_sec > now - RACY_SECONDS || !ap_hb_identity(hb, sizeof(hb)))
    return false;
  int n = snprintf(text, sizeof(text), "anpham face 1|%s|%s|%s|%ju|%ju|%jd|%jd.%09ld|%jd.%09ld", ap_build_id(), hb,
                   path, (uintmax_t)st->st_dev, (uintmax_t)st->st_ino, (intmax_t)st->st_size,
                   (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec, (intmax_t)st->st_ctim.tv_sec,
                   st->st_ctim.tv_nsec);
  if (n <= 0 || (size_t)n >= sizeof(text) || !ap_sha256(text, (size_t)n, digest))
    return false;
  ap_sha256_hex(digest, key);
  return true;
}

//
// 'ap_snapshot_load()' - Fill a face from its snapshot.
//

bool                                // O - false when there is none (the face is left as it was)
ap_snapshot_load(ap_font_t *font)   // I - Face: path, bytes and key set
{
  unsigned char *bytes;
  size_t size;
  head_t h;
  char magic[8], name[128];

  if (!font->key[0] || !ap_cache_load(KIND, font->key, MAX_SNAPSHOT, &bytes, &size))
    return false;
  reader_t r = {bytes, bytes + size};
  int *advances = NULL;
  int32_t(*ext)[4] = NULL;
  uint32_t(*astral)[2] = NULL;
  uint32_t *pages[256] = {0};
  bool ok = take(&r, magic, 8) && !memcmp(magic, MAGIC, 8) && take(&r, &h, sizeof(h)) && h.upem > 0 &&
            h.nglyphs > 0 && h.nglyphs <= 65536 && h.nbmp <= 65536 && h.nastral <= 0x110000 &&
            h.name_len > 0 && h.name_len < sizeof(name) &&
            size == 8 + sizeof(h) + h.name_len + (size_t)h.nglyphs * 12 + (size_t)h.nbmp * 4 + (size_t)h.nastral * 8 &&
            take(&r, name, h.name_len) && memchr(name, '\0', h.name_len) == NULL;
  if (ok) {
    name[h.name_len] = '\0';
    ok = (advances = malloc(sizeof(int) * h.nglyphs)) && (ext = malloc(sizeof(*ext) * h.nglyphs)) &&
         (!h.nastral || (astral = malloc(sizeof(*astral) * h.nastral)));
  }
  for (uint32_t g = 0; ok && g < h.nglyphs; g++) {
    int32_t advance = 0;
    int16_t e[4] = {0};
    ok = take(&r, &advance, 4) && take(&r, e, 8);
    advances[g] = advance;
    for (int i = 0; i < 4; i++)
      ext[g][i] = e[i];
  }
  for (uint32_t i = 0; ok && i < h.nbmp; i++) {
    uint16_t pair[2];
    ok = take(&r, pair, 4) && pair[1] < h.nglyphs;
    if (ok && !pages[pair[0] >> 8])
      ok = (pages[pair[0] >> 8] = calloc(256, sizeof(uint32_t))) != NULL;
    if (ok)
      pages[pair[0] >> 8][pair[0] & 0xFF] = pair[1];
  }
  for (uint32_t i = 0; ok && i < h.nastral; i++)
    ok = take(&r, astral[i], 8) && astral[i][0] >= 0x10000 && astral[i][1] < h.nglyphs &&
         (i == 0 || astral[i][0] > astral[i - 1][0]);
  free(bytes);
  if (!ok || !(font->ps_name = strdup(name))) {
    free(advances);
    free(ext);
    free(astral);
    for (int i = 0; i < 256; i++)
      free(pages[i]);
    return false;
  }
  font->hot.upem = h.upem;
  font->hot.nglyphs = h.nglyphs;
  font->ascender = h.metrics[0];
  font->descender = h.metrics[1];
  font->line_gap = h.metrics[2];
  font->cap_height = h.metrics[3];
  font->x_height = h.metrics[4];
  font->underline_size = h.metrics[5];
  font->underline_offset = h.metrics[6];
  font->hot.advances = advances;
  font->hot.ext = ext;
  font->astral = astral;
  font->nastral = h.nastral;
  memcpy(font->hot.cmap_cache, pages, sizeof(pages));
  font->complete = true;
  return true;
}

//
// 'ap_snapshot_store()' - Keep a face read through HarfBuzz in the cache.
//
// Asks HarfBuzz every glyph's extents and every code point's glyph first (a
// few milliseconds, once per font file). A face whose extents do not fit
// 16 bits is not kept.
//

void
ap_snapshot_store(ap_font_t *font)  // I - Face read through HarfBuzz, key set
{
  size_t name_len = strlen(font->ps_name);
  if (!font->key[0] || !font->hb_font || name_len == 0 || name_len >= 128)
    return;
  for (uint32_t g = 0; g < font->hot.nglyphs; g++) {
    const int32_t *e = ap_font_glyph_ext(font, g);
    for (int i = 0; i < 4; i++)
      if (!fits_int16(e[i]))
        return;
  }

  // Every code point's glyph as ap_font_get_glyph() gives it now: the whole
  // BMP one by one (HarfBuzz also maps some that its cmap does not list, as
  // in symbol fonts), then those past it that the cmap lists...
  uint16_t(*bmp)[2] = malloc(sizeof(*bmp) * 65536);
  uint32_t(*astral)[2] = NULL;
  size_t nbmp = 0, nastral = 0, aastral = 0;
  bool ok = bmp != NULL;
  for (uint32_t cp = 0; ok && cp < 0x10000; cp++) {
    uint32_t gid = ap_font_get_glyph(font, cp);
    ok = gid < font->hot.nglyphs; // (else not kept: the snapshot could not say it)
    if (ok && gid) {
      bmp[nbmp][0] = (uint16_t)cp;
      bmp[nbmp++][1] = (uint16_t)gid;
    }
  }
  hb_set_t *unicodes = hb_set_create();
  hb_face_collect_unicodes(font->hb_face, unicodes);
  hb_codepoint_t cp = 0xFFFF;
  while (ok && hb_set_next(unicodes, &cp)) {
    uint32_t gid = ap_font_get_glyph(font, cp);
    if (!(ok = gid < font->hot.nglyphs) || !gid)
      continue;
    if (nastral == aastral) {
      aastral = aastral ? 2 * aastral : 64;
      uint32_t(*more)[2] = realloc(astral, sizeof(*astral) * aastral);
      if (!(ok = more != NULL))
        break;
      astral = more;
    }
    astral[nastral][0] = cp;
    astral[nastral++][1] = gid;
  }
  hb_set_destroy(unicodes);

  // ...written in one piece.
  head_t h = {font->hot.upem, font->hot.nglyphs, (uint32_t)nbmp, (uint32_t)nastral, (uint32_t)name_len,
              {font->ascender, font->descender, font->line_gap, font->cap_height, font->x_height,
               font->underline_size, font->underline_offset}};
  size_t size = 8 + sizeof(h) + name_len + (size_t)font->hot.nglyphs * 12 + nbmp * 4 + nastral * 8;
  unsigned char *out = ok ? malloc(size) : NULL, *p = out;
  if (out) {
    memcpy(p, MAGIC, 8), p += 8;
    memcpy(p, &h, sizeof(h)), p += sizeof(h);
    memcpy(p, font->ps_name, name_len), p += name_len;
    for (uint32_t g = 0; g < font->hot.nglyphs; g++) {
      int32_t advance = font->hot.advances[g];
      int16_t e[4];
      for (int i = 0; i < 4; i++)
        e[i] = (int16_t)font->hot.ext[g][i];
      memcpy(p, &advance, 4), p += 4;
      memcpy(p, e, 8), p += 8;
    }
    memcpy(p, bmp, nbmp * 4), p += nbmp * 4;
    if (nastral)
      memcpy(p, astral, nastral * 8);
    ap_cache_store(KIND, font->key, out, size);
  }
  free(out);
  free(bmp);
  free(astral);
}

// Copy size bytes out of the reader; false past its end.
static bool
take(reader_t *r, void *out, size_t size)
{
  if ((size_t)(r->end - r->p) < size)
    return false;
  memcpy(out, r->p, size);
  r->p += size;
  return true;
}

// Whether a value survives a trip through int16_t.
static bool
fits_int16(int32_t v)
{
  return v >= INT16_MIN && v <= INT16_MAX;
}
