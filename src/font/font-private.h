// Inside the font folder only: the face structure shared by font.c and subset.c.
#ifndef AP_FONT_PRIVATE_H
#define AP_FONT_PRIVATE_H

#include <hb-ot.h>
#include <hb.h>
#include <stdio.h>

#include "../base/files.h"
#include "font.h"

struct ap_font_s {
  char *path;                 // File the face was read from
  char *ps_name;              // PostScript name
  hb_blob_t *blob;            // File bytes
  hb_face_t *hb_face;         // HarfBuzz face
  hb_font_t *hb_font;         // HarfBuzz font at scale = upem
  unsigned upem;              // Units per em
  unsigned nglyphs;           // Glyph count
  int *advances;              // Advance of each glyph, font units
  int ascender, descender;    // hhea metrics, font units
  int line_gap;               // hhea line gap
  int cap_height, x_height;   // OS/2 heights
  uint32_t *cmap_cache[256];  // BMP cmap by 256-code-point page (NULL = no glyph in that page)
  int16_t *ink_top;           // Per glyph: top of its ink (font units), INT16_MIN until asked
  int16_t *ink_bottom;        // Per glyph: bottom of its ink (font units)
};

struct ap_fontset_s {
  ap_font_t **fonts;          // Faces in load order
  size_t count, alloc;        // Used and allocated entries
  ap_files_t *files;          // Folders font files must be in (NULL = any file: tests and tools)
};

#endif
