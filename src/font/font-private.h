// Inside the font folder only: the face structure shared by font.c,
// snapshot.c and subset.c.
#ifndef AP_FONT_PRIVATE_H
#define AP_FONT_PRIVATE_H

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>

#include "../base/files.h"
#include "font.h"
#include "hb-lazy.h"

#define AP_FACE_KEY 65 // A face's name in the cache: SHA-256 in hex, and its NUL

struct ap_font_s {
  ap_font_hot_t hot;          // What every character reads: glyphs, advances, extents (font.h); first member
  char *path;                 // File the face was read from
  char *ps_name;              // PostScript name
  const void *bytes;          // The file's bytes (ap_files_map), NULL when HarfBuzz read the file itself
  size_t size;                // Their length
  hb_blob_t *blob;            // HarfBuzz's blob of the bytes, NULL until HarfBuzz is needed
  hb_face_t *hb_face;         // HarfBuzz face, NULL until needed
  hb_font_t *hb_font;         // HarfBuzz font at scale = upem, NULL until needed
  char key[AP_FACE_KEY];      // Its name in the cache (snapshot.c), "" when it is not kept there
  bool complete;              // cmap_cache and astral hold every code point with a glyph (no HarfBuzz asked)
  int ascender, descender;    // hhea metrics, font units
  int line_gap;               // hhea line gap
  int cap_height, x_height;   // OS/2 heights
  int underline_size;         // post table's thickness, font units (0: none given)
  int underline_offset;       // post table's position, font units (0: none given)
  uint32_t (*astral)[2];      // Past the BMP: code point and glyph, by code point (complete faces)
  size_t nastral;             // How many
};

struct ap_fontset_s {
  ap_font_t **fonts;          // Faces in load order
  size_t count, alloc;        // Used and allocated entries
  ap_files_t *files;          // Folders font files must be in (NULL = any file: tests and tools)
};

// HarfBuzz's face and font of a face, made now if they were not (false: HarfBuzz cannot be loaded).
bool ap_font_use_harfbuzz(ap_font_t *font);

// The face's name in the cache for a file of this status, or false (no
// cache, a file changed too recently to be trusted by its status).
bool ap_snapshot_key(const char *path, const struct stat *st, char key[AP_FACE_KEY]);
// Fill a face from its snapshot in the cache; false when there is none (then nothing is set).
bool ap_snapshot_load(ap_font_t *font);
// Complete a face read through HarfBuzz (every glyph's extents, every code point's glyph) and keep it in the cache.
void ap_snapshot_store(ap_font_t *font);

#endif
