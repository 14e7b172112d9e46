// Inside the render folder only: the renderer state shared by the files that
// each write one PDF concern (fonts, text, graphics, outline and links).
#ifndef AP_RENDER_PRIVATE_H
#define AP_RENDER_PRIVATE_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

#include "render.h"

#define AP_OUTLINE_DEPTH 16 // Deepest outline level kept apart; deeper ones nest here
#define AP_GROUP_DEPTH 8     // Deepest nesting of groups (a page drawn inside a page)

typedef struct ap_embed_s {
  const ap_font_t *font;      // Face as layout used it
  HPDF_Dict dict;             // Type0 font dictionary (owned by the document)
  uint16_t **cids;            // CID of each code point by 256-code-point page
                              // (NULL = page unused, 0 = code point unused; malloc'ed)
  unsigned ncids;             // CIDs given: 1..ncids
  uint32_t *cps;              // Code point of each CID (index 0 unused; malloc'ed)
  double *widths;             // Advance of each CID, thousandths of an em, as in /W (malloc'ed)
} ap_embed_t;

typedef struct ap_anchor_s {
  const char *name;           // DEST box name (borrowed from the pages)
  size_t order;               // Position in document order (first wins on duplicates)
  HPDF_Destination dest;      // libharu destination
} ap_anchor_t;

typedef struct ap_picture_s {
  const char *path;           // Image file (borrowed from the pages)
  HPDF_Image image;           // Loaded once, drawn as often as used
} ap_picture_t;

typedef struct ap_renderer_s {
  HPDF_Doc pdf;               // Document being written
  const ap_pages_t *pages;    // Input
  const char *path;           // Output file
  ap_diags_t *diags;          // Where errors go
  bool failed;                // libharu reported an error (recorded once)

  ap_embed_t *fonts;          // Faces used, in order of first use
  size_t nfonts, afonts;      // Used and allocated faces
  ap_anchor_t *anchors;       // Destinations, sorted by name once all pages exist
  size_t nanchors, aanchors;  // Used and allocated anchors
  ap_picture_t *pictures;     // Images loaded so far
  size_t npictures, apictures; // Used and allocated pictures
  HPDF_Outline outline[AP_OUTLINE_DEPTH]; // Last entry at each level (NULL = none)

  // Drawing state of the current page (what the content stream has set)...
  HPDF_Page page;             // Current page
  double height;              // Height of the space being painted (the page's, or inside a
                              // group its source page's: the cm maps the rest), to flip y
  int depth;                  // Groups being painted (0 = the page itself)
  const ap_font_t *font;      // Current font (NULL = none yet)
  double size;                // Current font size
  ap_color_t fill, stroke;    // Current colours
  double line_width;          // Current line width
} ap_renderer_t;

// Collect the code points of every face, number them as CIDs, subset and
// embed each face as a Type0 font with its ToUnicode CMap. False on error
// (recorded, or reported by libharu).
bool ap_render_collect_fonts(ap_renderer_t *r);
// Free the font records.
void ap_render_finalize_fonts(ap_renderer_t *r);
// The embedded font of a face (NULL when unknown).
const ap_embed_t *ap_render_get_font(const ap_renderer_t *r, const ap_font_t *font);

// The CID of a code point in an embedded font (0 when the runs never used
// it). Inline: text looks up every character it writes.
static inline unsigned
ap_embed_get_cid(const ap_embed_t *e, uint32_t cp)
{
  return cp < 0x110000 && e->cids[cp >> 8] ? e->cids[cp >> 8][cp & 0xFF] : 0;
}

// Deflate a finished stream now (at a faster level than libharu would at
// save time) when it is marked for FlateDecode. False on error (recorded).
bool ap_render_deflate(ap_renderer_t *r, HPDF_Dict dict);

// Draw a line box's runs (and their underlines).
bool ap_render_text(ap_renderer_t *r, const ap_box_t *box);

// Stroke a rule, fill/stroke a (rounded) rectangle or an ellipse, stroke a
// segment, draw an image.
bool ap_render_rule(ap_renderer_t *r, const ap_box_t *box);
bool ap_render_rect(ap_renderer_t *r, const ap_box_t *box);
bool ap_render_ellipse(ap_renderer_t *r, const ap_box_t *box);
bool ap_render_segment(ap_renderer_t *r, const ap_box_t *box);
bool ap_render_image(ap_renderer_t *r, const ap_box_t *box);
// Set the fill colour / stroke colour and width (DeviceRGB or DeviceCMYK),
// writing only changes.
void ap_render_set_fill(ap_renderer_t *r, ap_color_t color);
void ap_render_set_stroke(ap_renderer_t *r, ap_color_t color, double width);

// True when two colours print the same: same colour space and the same
// components in it (a CMYK colour's RGB look is for dumps, never printed).
static inline bool
ap_render_same_color(ap_color_t a, ap_color_t b)
{
  if (a.cmyk != b.cmyk)
    return false;
  if (a.cmyk)
    return a.c == b.c && a.m == b.m && a.y == b.y && a.k == b.k;
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

// Create the destination (and outline entry) of a DEST box on the current page.
bool ap_render_dest(ap_renderer_t *r, const ap_box_t *box);
// Sort the destinations by name once every page exists.
void ap_render_finalize_dests(ap_renderer_t *r);
// Create the annotation of a LINK box on the current page.
bool ap_render_link(ap_renderer_t *r, const ap_box_t *box);

#endif
