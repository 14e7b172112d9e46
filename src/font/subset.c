// Font subsetting for render: HarfBuzz hb-subset keeps the glyphs of the code
// points a document uses, at their original glyph ids, and drops what a PDF
// viewer never reads (hinting, layout tables, kerning). A face kept in the
// cache (snapshot.c) keeps its subsets there too (folder font-subsets/,
// named by the SHA-256 of the face's name and the code points): the same
// characters again, and HarfBuzz is not asked. A kept subset ends with a
// seal (its length and CRC-32): one cut short or damaged is made again,
// never embedded. The folder keeps the newest 256 subsets (base/cache.c).
#include "font-private.h"

#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "../base/cache.h"
#include "../base/hash.h"

#define KIND "font-subsets"
#define MAX_SUBSET (64u << 20) // A font file's limit (base/files.c)
#define SEAL_SIZE 12           // "apSB", length, CRC-32 (little-endian)

static bool drop_tables(hb_subset_input_t *input);
static bool load_sealed(const char *key, unsigned char **data, size_t *size);
static void store_sealed(const char *key, const unsigned char *data, size_t size);

//
// 'ap_font_subset()' - Subset a face to some code points, keeping glyph ids.
//
// The result keeps cmap, head, hhea, hmtx, loca, glyf, maxp, name, post and
// OS/2: render embeds it as FontFile2 and reads its font descriptor from
// head, post and OS/2.
//

bool                                   // O - true on success
ap_font_subset(const ap_font_t *font,  // I - Face to subset
               const uint32_t *codepoints, // I - Code points to keep
               size_t count,           // I - Number of code points
               unsigned char **data,   // O - malloc'ed TrueType bytes
               size_t *size)           // O - Number of bytes
{
  char key[AP_SHA256_HEX];

  return ap_font_subset_named(font, codepoints, count, ap_font_subset_key(font, codepoints, count, key) ? key : NULL,
                              data, size);
}

//
// 'ap_font_subset_named()' - ap_font_subset, its name in the user's cache given.
//
// For a caller that needs the name as well (render keeps the subset's zlib
// data under it): key is what ap_font_subset_key gave for the same face and
// code points, or NULL when it gave nothing (the subset is then not kept).
//

bool                                         // O - true on success
ap_font_subset_named(const ap_font_t *font,  // I - Face to subset
                     const uint32_t *codepoints, // I - Code points to keep
                     size_t count,           // I - Number of code points
                     const char *key,        // I - ap_font_subset_key's name, or NULL
                     unsigned char **data,   // O - malloc'ed TrueType bytes
                     size_t *size)           // O - Number of bytes
{
  hb_subset_input_t *input;            // What to keep
  hb_face_t *sub;                      // Subset face
  hb_blob_t *blob;                     // Its bytes
  const char *bytes;                   // Blob data
  unsigned len;                        // Blob length
  bool ok = false;                     // Result

  *data = NULL;
  *size = 0;

  // Made before for a face kept in the cache?
  if (key && load_sealed(key, data, size))
    return true;

  // Describe the subset: the code points, original glyph ids, no hinting...
  if (!ap_font_use_harfbuzz((ap_font_t *)font) || !(input = hb_subset_input_create_or_fail()))
    return false;
  hb_set_t *unicodes = hb_subset_input_unicode_set(input);
  for (size_t i = 0; i < count; i++)
    hb_set_add(unicodes, codepoints[i]);
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_RETAIN_GIDS | HB_SUBSET_FLAGS_NO_HINTING);
  if (!drop_tables(input)) {
    hb_subset_input_destroy(input);
    return false;
  }

  // Subset and copy the serialized face out of HarfBuzz...
  sub = hb_subset_or_fail(font->hb_face, input);
  hb_subset_input_destroy(input);
  if (!sub)
    return false;
  blob = hb_face_reference_blob(sub);
  bytes = hb_blob_get_data(blob, &len);
  if (bytes && len > 0 && (*data = malloc(len)) != NULL) {
    memcpy(*data, bytes, len);
    *size = len;
    ok = true;
  }
  hb_blob_destroy(blob);
  hb_face_destroy(sub);
  if (ok && key)
    store_sealed(key, *data, *size);
  return ok;
}

// A kept subset (malloc'ed, without its seal), or false when it is not
// there or its seal does not hold (cut short, damaged, an older format).
static bool
load_sealed(const char *key, unsigned char **data, size_t *size)
{
  unsigned char *bytes;
  size_t len;

  if (!ap_cache_load(KIND, key, MAX_SUBSET + SEAL_SIZE, &bytes, &len))
    return false;
  size_t body = len > SEAL_SIZE ? len - SEAL_SIZE : 0; // The subset's bytes
  const unsigned char *seal = bytes + body;
  if (!body || memcmp(seal, "apSB", 4) ||
      (seal[4] | (uint32_t)seal[5] << 8 | (uint32_t)seal[6] << 16 | (uint32_t)seal[7] << 24) != body ||
      (seal[8] | (uint32_t)seal[9] << 8 | (uint32_t)seal[10] << 16 | (uint32_t)seal[11] << 24) !=
        libdeflate_crc32(0, bytes, body)) {
    free(bytes);
    return false;
  }
  *data = bytes;
  *size = body;
  return true;
}

// Keep a subset with its seal.
static void
store_sealed(const char *key, const unsigned char *data, size_t size)
{
  unsigned char *sealed = malloc(size + SEAL_SIZE);
  if (!sealed || size > MAX_SUBSET) {
    free(sealed);
    return;
  }
  uint32_t crc = libdeflate_crc32(0, data, size), len = (uint32_t)size;
  memcpy(sealed, data, size);
  memcpy(sealed + size, "apSB", 4);
  for (int i = 0; i < 4; i++) {
    sealed[size + 4 + i] = (unsigned char)(len >> (8 * i));
    sealed[size + 8 + i] = (unsigned char)(crc >> (8 * i));
  }
  ap_cache_store(KIND, key, sealed, size + SEAL_SIZE);
  free(sealed);
}

//
// 'ap_font_subset_key()' - The name of a subset in the user's cache.
//
// The SHA-256 of the face's key (snapshot.c: this build, HarfBuzz's
// files, the font file's status) and the code points.
//

bool                                        // O - false when the face is not kept
ap_font_subset_key(const ap_font_t *font,   // I - Face
                   const uint32_t *codepoints, // I - Code points kept
                   size_t count,            // I - Number of code points
                   char key[AP_SHA256_HEX]) // O - Hex name
{
  unsigned char digest[AP_SHA256_SIZE];
  const void *parts[] = {"anpham subset 2", font->key, codepoints};
  size_t sizes[] = {15, strlen(font->key), count * sizeof(*codepoints)};

  if (!font->key[0] || !ap_cache_on() || !ap_sha256_parts(parts, sizes, 3, digest))
    return false;
  ap_sha256_hex(digest, key);
  return true;
}

// Add the tables a PDF never needs to HarfBuzz's default drop list: layout
// (shaping happened in layout), kerning, hinting and device metrics.
static bool
drop_tables(hb_subset_input_t *input)
{
  static const char *const tags[] = {
    "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "gasp", "hdmx", "VDMX",
    "LTSH", "PCLT", "DSIG", "FFTM", "meta", "vhea", "vmtx", "cvt ", "fpgm", "prep"
  };
  hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);

  if (!drop)
    return false;
  for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
    hb_set_add(drop, hb_tag_from_string(tags[i], 4));
  return hb_set_allocation_successful(drop);
}
