// Inside the render folder only: the writer state shared by the files that
// each write one PDF concern (fonts, text, graphics, outline and links).
// The writer keeps nothing that points into the pages: names, paths and
// link targets it needs later are copied.
#ifndef AP_RENDER_PRIVATE_H
#define AP_RENDER_PRIVATE_H

#include <hpdf.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "render.h"

#define AP_OUTLINE_DEPTH 16 // Deepest outline level kept apart; deeper ones nest here
#define AP_GROUP_DEPTH 8     // Deepest nesting of groups (a page drawn inside a page)
#define AP_CODE_LIMIT 0x110000 // Code points the CID page tables cover
// The codes text shows CIDs by (fonts.c writes the CMap): CIDs 0-127 are one
// byte, <00>-<7F>, the most used characters of a text being the first it
// shows; CIDs from 128 are two, <8000>-<FFFF> (CID 128 is <8000>).
#define AP_ONE_BYTE_CIDS 0x80
#define AP_CID_MAX (AP_ONE_BYTE_CIDS + 0x7FFF) // Largest CID a code can address
// The space (U+0020) is always CID 32, so its code is the single byte 32,
// the one code word spacing (Tw) applies to: justified lines set their
// word gaps with one Tw (text.c). Other characters take CIDs 1, 2… in order
// of first use, 32 skipped; CIDs no character took (a face with fewer than
// 31 others) map to no glyph and no character.
#define AP_SPACE_CID 32
#define AP_ALPHA_STATES 16     // Opacities whose ExtGState is kept for later pages

typedef struct ap_embed_s {
  const ap_font_t *font;      // Face as layout used it (lives in the fontset, which outlives the writer)
  HPDF_Dict dict;             // Type0 font dictionary, created on first use, completed at the end
                              // (owned by the document)
  uint16_t **cids;            // CID of each code point by 256-code-point page
                              // (NULL = page unused, 0 = code point unused; malloc'ed)
  unsigned ncids, acids;      // Highest CID given (1..ncids, in order of first use; 32 the space's)
                              // and room for them
  unsigned next_cid;          // The CID the next character but the space takes (0: 1)
  uint32_t *cps;              // Code point of each CID (index 0 and CIDs no character took: 0; malloc'ed)
  double *widths;             // Advance of each CID, thousandths of an em, as in /W (malloc'ed)
} ap_embed_t;

typedef struct ap_anchor_s {
  char *name;                 // DEST box name (malloc'ed copy)
  size_t order;               // Position in document order (first wins on duplicates)
  HPDF_Destination dest;      // libharu destination (an indirect object), NULL = made for each link
                              // from page and top (a direct array: a footnote's, linked once)
  HPDF_Page page;             // Without dest: its page
  double top;                 // Without dest: the PDF y it scrolls to
} ap_anchor_t;

typedef struct ap_link_s {
  HPDF_Page page;             // Page the link is on
  HPDF_Rect rect;             // Its area, PDF space
  char *name;                 // Destination name (malloc'ed copy)
  int objr;                   // Its OBJR in the structure (ap_tags_link), -1 = untagged
  char *contents;             // Tagged: its description, /Contents (malloc'ed copy), NULL = none
} ap_link_t;

typedef struct ap_tags_s ap_tags_t; // Structure of a tagged PDF being built (tags.c)

typedef struct ap_picture_s {
  const ap_image_t *source;   // Checked image (in the writer's set)
  HPDF_Image image;           // Loaded once, drawn as often as used
} ap_picture_t;

struct ap_writer_s {
  HPDF_Doc pdf;               // Document being written
  char *path;                 // Output file (malloc'ed copy)
  ap_diags_t *diags;          // Where errors go
  int errors;                 // Errors in diags when the writer began
  bool failed;                // libharu reported an error (recorded once)
  bool broken;                // A page failed: nothing more is written
  bool finalized;             // Fonts, links, outline and structure are written (ap_render_finalize)

  ap_embed_t **fonts;         // Faces used, in order of first use (each malloc'ed: they never move)
  size_t nfonts, afonts;      // Used and allocated faces
  ap_anchor_t *anchors;       // Destinations, in document order; sorted by name at the end
  size_t nanchors, aanchors;  // Used and allocated anchors
  ap_link_t *links;           // Links to destinations, resolved at the end
  size_t nlinks, alinks;      // Used and allocated links
  const ap_images_t *images;  // Checked images the pages may draw (borrowed; NULL = none)
  ap_render_cache_t *render_cache; // Deflated streams shared by a batch's jobs (borrowed; NULL = none)
  HPDF_Dict code_cmap;        // The CMap of the text's codes, shared by every font (NULL until the first)
  bool background;            // Page streams may be deflated on a second thread (not one_core)
  bool one_core;              // Everything on the calling thread (anpham batch's jobs side by side)
  int pages_done;             // Pages painted so far
  int last_label;             // Number printed on the last page (page labels: ap_render_page)
  bool labelled;              // /PageLabels written: a page's number differed from its place
  struct ap_deflater_s *deflater; // Deflates page streams on a second thread (NULL = none: at once)
  struct ap_pipeline_s *pipeline; // Paints pages on a second thread (NULL = none): their streams wait there to be deflated
  struct ap_spool_s *spool;   // Where finished compressed streams wait for the save (NULL until the first)
  ap_picture_t *pictures;     // Images loaded so far
  size_t npictures, apictures; // Used and allocated pictures
  HPDF_Outline outline[AP_OUTLINE_DEPTH]; // Last entry at each level (NULL = none)
  HPDF_ExtGState alphas[AP_ALPHA_STATES]; // Fill opacities of watermarks (owned by the document)
  double alpha_values[AP_ALPHA_STATES]; // Their values
  int nalphas;                // How many
  ap_tags_t *tags;            // Structure tree being built (NULL = --no-tags: nothing marked)
  HPDF_Dict resources;        // The one /Resources of every page (an indirect object; NULL until the first page)
  HPDF_Dict res_fonts, res_xobjects, res_states; // Its /Font, /XObject and /ExtGState (NULL until first used)

  // Drawing state of the current page (what the content stream has set)...
  HPDF_Page page;             // Current page
  double height;              // Height of the space being painted (the page's, or inside a
                              // group its source page's: the cm maps the rest), to flip y
  int depth;                  // Groups being painted (0 = the page itself)
  double xf[4];               // The space being painted → the page's PDF space (y up): x' = xf[0] x + xf[2],
                              // y' = xf[1] y + xf[3] (groups scale and move; identity on the page itself)
  const ap_font_t *font;      // Current font (NULL = none yet)
  double size;                // Current font size
  ap_color_t fill, stroke;    // Current colours
  double line_width;          // Current line width
  // PDF/A-3 (archive.c)...
  bool archive;               // Writing an archive: RGB colours only, printable links, /ID at the end
};

// Fonts (fonts.c): a face's record and Type0 dictionary on first use, CIDs
// given to code points as text shows them, the subsets embedded at the end.
//
// The font record of a face, created with its (still empty) Type0
// dictionary on first use; NULL on error (recorded, or reported by libharu).
ap_embed_t *ap_render_use_font(ap_writer_t *r, const ap_font_t *font);
// Give a code point the next CID of a font; *cid = 0 for a value past
// Unicode (shown as .notdef). False on error (recorded).
bool ap_render_add_cid(ap_writer_t *r, ap_embed_t *e, uint32_t cp, unsigned *cid);
// Subset and embed every face used, completing the Type0 dictionaries with
// the descendant font, /W, CIDToGIDMap and ToUnicode. False on error
// (recorded, or reported by libharu).
bool ap_render_finalize_fonts(ap_writer_t *r);
// Free the font records (the PDF objects belong to the document).
void ap_render_destroy_fonts(ap_writer_t *r);

// The code of a CID in the content stream: its bytes into out, their count.
static inline int
ap_cid_code(unsigned cid, unsigned char out[2])
{
  if (cid < AP_ONE_BYTE_CIDS) {
    out[0] = (unsigned char)cid;
    return 1;
  }
  unsigned code = 0x8000 + (cid - AP_ONE_BYTE_CIDS);
  out[0] = (unsigned char)(code >> 8);
  out[1] = (unsigned char)code;
  return 2;
}

// The CID of a code point in a font, 0 when not given yet. Inline: text
// looks up every character it writes.
static inline unsigned
ap_embed_get_cid(const ap_embed_t *e, uint32_t cp)
{
  return cp < AP_CODE_LIMIT && e->cids[cp >> 8] ? e->cids[cp >> 8][cp & 0xFF] : 0;
}

// PDF/A-3 archives (archive.c, xmp.c). Begin: the dates in the Info
// dictionary, the XMP metadata stream, the sRGB output intent. Before the
// save: PDF 1.7, link annotations printable, a placeholder /ID. After it:
// the /ID set to the first 16 bytes of the SHA-256 of the saved file (with
// the placeholder). False on error (recorded).
bool ap_render_archive_begin(ap_writer_t *r, const ap_pages_t *info, const ap_render_archive_t *archive);
bool ap_render_archive_prepare(ap_writer_t *r);
bool ap_render_archive_seal(ap_writer_t *r, unsigned char *bytes, size_t size);
// The XMP packet of an archive (UTF-8, malloc'ed, *size bytes), NULL when out of memory.
char *ap_render_xmp(const ap_pages_t *info, const ap_render_archive_t *archive, size_t *size);

// Deflate a finished stream now (at a faster level than libharu would at
// save time) when it is marked for FlateDecode. False on error (recorded).
bool ap_render_deflate(ap_writer_t *r, HPDF_Dict dict);
// An empty stream given its bytes (in, not written into it first) and
// deflated as by ap_render_deflate, the zlib data kept in the user's cache
// as kind/(key, libdeflate, level) and taken when it inflates to those very
// bytes (key NULL: not kept).
bool ap_render_deflate_kept(ap_writer_t *r, HPDF_Dict dict, const unsigned char *in, size_t size, const char *kind,
                            const char *key);
// Compress bytes into malloc'ed zlib data (libdeflate); false when out of memory.
bool ap_render_deflate_bytes(const void *in, size_t size, unsigned char **out, size_t *outsize);
// Make the compressor now, on the calling thread (pipeline.c: the main one).
void ap_render_deflate_ready(void);
// The steps of ap_render_deflate, for the background deflater (deflater.c):
// take a stream's bytes (1; 0 when it is not deflated; -1 on error,
// recorded), deflate them on any thread with the one compressor (taken in
// turn) and a decompressor of its own (through the batch's cache folder,
// NULL for none; false when out of memory), put the result in (main
// thread; frees out).
struct libdeflate_decompressor;
int ap_render_deflate_take(ap_writer_t *r, HPDF_Dict dict, unsigned char **in, size_t *size);
bool ap_render_deflate_with(struct libdeflate_decompressor *d, ap_render_cache_t *cache, const unsigned char *in,
                            size_t size, unsigned char **out, size_t *done);
// Whether zlib data z inflates to exactly the size bytes of in (false when
// out of memory too).
bool ap_render_inflates_to(struct libdeflate_decompressor *d, const unsigned char *z, size_t zsize,
                           const unsigned char *in, size_t size);
// The batch's render cache (render-cache.c): zlib data of bytes another
// job kept, taken only when it inflates to them (true with *out,
// malloc'ed); keep zlib data for the others (nothing when full). The same
// for font subsets, by a description of the face and the characters kept.
bool ap_render_cache_get(ap_render_cache_t *cache, struct libdeflate_decompressor *d, const unsigned char *in,
                         size_t size, unsigned char **out, size_t *done);
void ap_render_cache_put(ap_render_cache_t *cache, const unsigned char *in, size_t size, const unsigned char *z,
                         size_t zsize);
bool ap_render_cache_get_subset(ap_render_cache_t *cache, const char *face, const uint32_t *codepoints,
                                size_t count, unsigned char **data, size_t *size);
void ap_render_cache_put_subset(ap_render_cache_t *cache, const char *face, const uint32_t *codepoints,
                                size_t count, const unsigned char *data, size_t size);
bool ap_render_deflate_put(ap_writer_t *r, HPDF_Dict dict, unsigned char *out, size_t done);
// The spool (spool.c): a finished compressed stream's bytes wait for the
// save in an unlinked temporary file; put gives an emptied memory stream
// its bytes from there (false, nothing changed, when they must stay in
// memory); hold gives it bytes that stay in memory, which it then owns
// (false, nothing changed, when out of memory); close after the document
// is freed.
typedef struct ap_spool_s ap_spool_t;
bool ap_spool_put(ap_writer_t *w, HPDF_Stream s, const unsigned char *bytes, size_t size);
bool ap_spool_hold(HPDF_Stream s, unsigned char *bytes, size_t size);
void ap_spool_close(ap_spool_t *spool);
// Mark a stream whose bytes are zlib data already (a PNG's own rows):
// written as they are, under /Filter /FlateDecode.
void ap_render_deflated(HPDF_Dict dict);

// Path and colour operators written as libharu's HPDF_Page_MoveTo,
// _LineTo, _CurveTo, _Rectangle, _Set{RGB,CMYK}{Fill,Stroke} write them,
// the same bytes and page state, without their 512-byte clearing (ops.c).
void ap_render_move_to(HPDF_Page page, HPDF_REAL x, HPDF_REAL y);
void ap_render_line_to(HPDF_Page page, HPDF_REAL x, HPDF_REAL y);
void ap_render_curve_to(HPDF_Page page, HPDF_REAL x1, HPDF_REAL y1, HPDF_REAL x2, HPDF_REAL y2, HPDF_REAL x3,
                        HPDF_REAL y3);
void ap_render_rectangle(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, HPDF_REAL w, HPDF_REAL h);
void ap_render_rgb(HPDF_Page page, bool stroke, HPDF_REAL red, HPDF_REAL green, HPDF_REAL blue);
void ap_render_cmyk(HPDF_Page page, bool stroke, HPDF_REAL c, HPDF_REAL m, HPDF_REAL y, HPDF_REAL k);
// A number as libharu writes it (HPDF_FToA): at most 12 characters, no NUL; the end.
char *ap_render_real(char *p, HPDF_REAL val);
// A whole number as printf's %u writes it: at most 20 characters, no NUL; the end.
char *ap_render_uint(char *p, uint64_t value);

// Start a thread of render's (the deflater, the painting thread: thread.c)
// that takes no signal, as they are the main thread's
// (output.c), on another core than the caller's when the process may use
// one. False when it could not start.
bool ap_render_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg);
// The background deflater (deflater.c): page content streams deflated on a
// second thread while the next pages are laid out. Started at the second
// page unless the options keep the render on one core; NULL: none (then
// pages are deflated at once). Output bytes are the same either way.
typedef struct ap_deflater_s ap_deflater_t;
ap_deflater_t *ap_deflater_start(ap_render_cache_t *cache);
// Deflate a finished page's stream in the background (at once without a
// deflater). False on error (recorded).
bool ap_deflater_page(ap_writer_t *r, HPDF_Dict dict);
// Wait for every page's stream and put it in its place. False on error (recorded).
bool ap_deflater_wait(ap_writer_t *r);
// While the pipeline paints pages on a second thread (pipeline.c): a
// page's stream bytes (taken, malloc'ed, handed over) wait there to be
// deflated by whichever thread is free; put in their stream by the one
// holding the writer. False when out of memory (recorded).
bool ap_pipeline_defer(struct ap_pipeline_s *p, HPDF_Dict dict, unsigned char *in, size_t size);
// Stop the thread and free what is left (NULL is fine).
void ap_deflater_stop(ap_deflater_t *d);

// The PDF file, from the document's objects: streams in the file, every
// other object in compressed object streams, a cross-reference stream
// (save.c). *bytes is malloc'ed. False on error.
bool ap_render_save(ap_writer_t *w, unsigned char **bytes, size_t *size);
// The same file, handed to put piece by piece (never whole in memory).
bool ap_render_save_to(ap_writer_t *w, ap_render_put_t put, void *ctx);

// Draw a line box's runs (and their underlines).
bool ap_render_text(ap_writer_t *r, const ap_box_t *box);

// Stroke a rule, fill/stroke a (rounded) rectangle or an ellipse, stroke a
// segment, draw an image (each file loaded once).
bool ap_render_rule(ap_writer_t *r, const ap_box_t *box);
bool ap_render_rect(ap_writer_t *r, const ap_box_t *box);
bool ap_render_ellipse(ap_writer_t *r, const ap_box_t *box);
bool ap_render_segment(ap_writer_t *r, const ap_box_t *box);
bool ap_render_image(ap_writer_t *r, const ap_box_t *box);
// Free the image records (the images belong to the document).
void ap_render_destroy_images(ap_writer_t *r);
// Set the fill colour / stroke colour and width (DeviceRGB or DeviceCMYK),
// writing only changes.
void ap_render_set_fill(ap_writer_t *r, ap_color_t color);
void ap_render_set_stroke(ap_writer_t *r, ap_color_t color, double width);

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

// Paint a watermark box: its run turned, at its opacity, as an artifact.
bool ap_render_watermark(ap_writer_t *r, const ap_box_t *box);

// Tagged PDF (tags.c), each a no-op when r->tags is NULL. Create the
// records (false when out of memory); free them.
bool ap_tags_create(ap_writer_t *r);
void ap_tags_destroy(ap_writer_t *r);
// A page was added: its /StructParents (pages with annotations get /Tabs at the end).
bool ap_tags_page_begin(ap_writer_t *r, HPDF_Page page);
// Before painting a box: open the marked-content sequence its paint goes
// in (its element's, or an artifact's), unless it is open already.
bool ap_tags_mark(ap_writer_t *r, const ap_box_t *box);
// Within a line, outside a text object: go on in another element (a list
// item's label is its Lbl, the rest of the line its LBody).
bool ap_tags_switch(ap_writer_t *r, const ap_struct_t *node);
// Within a line, outside a text object: a linked run's text starts (or
// ends) a Link element; each linked run notes its Link for its link box.
bool ap_tags_text_link(ap_writer_t *r, bool start);
bool ap_tags_queue_link(ap_writer_t *r);
// A link box on the current page: its Link gets an OBJR (objr, -1 when
// untagged) that ap_tags_annot() gives the annotation once made.
bool ap_tags_link(ap_writer_t *r, const ap_box_t *box, int *objr);
void ap_tags_annot(ap_writer_t *r, int objr, HPDF_Annotation annot);
// A signature field's widget on the current page: a Form element of its
// own gets its OBJR (objr, -1 when untagged) for ap_tags_annot().
bool ap_tags_form(ap_writer_t *r, int *objr);
// A footnote reference being shown in its Link (ap_tags_text_link): that
// Link gets an OBJR for the annotation to its note (objr -1: make none).
bool ap_tags_note_link(ap_writer_t *r, int *objr);
// Within a line with an element, outside a text object: go on in the
// element of the run that comes (run->in), in an artifact (run->artifact),
// or back in the line's.
bool ap_tags_part(ap_writer_t *r, const ap_box_t *box, const ap_run_t *run);
// A text string in the fewest bytes: PDFDocEncoding when the text is
// Latin-1, else UTF-16BE. NULL when out of memory.
void *ap_render_text_string(ap_writer_t *r, const char *utf8);
// End the open sequence (before the page's or a group's end).
void ap_tags_close(ap_writer_t *r);
// Around a group's boxes: a scope of its own; a slide is one Sect.
bool ap_tags_group_begin(ap_writer_t *r, const ap_box_t *box, int saved[2]);
void ap_tags_group_end(ap_writer_t *r, const int saved[2]);
// Once every page is painted: the structure tree and the catalog's
// MarkInfo, Lang and ViewerPreferences. False on error.
bool ap_tags_finalize(ap_writer_t *r);
// The elements without a libharu dictionary share one cross-reference
// entry of the document (ap_tags_finalize): whether entry is it, and
// object `number`, one of them, written as libharu writes a dictionary
// (save.c); the entry taken out before the document is freed.
bool ap_tags_shares(const ap_writer_t *r, const void *entry);
bool ap_tags_write_shared(const ap_writer_t *r, uint32_t number, HPDF_Stream stream);
void ap_tags_unshare(ap_writer_t *r);

// A point of the space being painted (PDF space, y up) on the page, and a
// rectangle there (x0,y0 its lower left corner).
static inline double ap_render_page_x(const ap_writer_t *r, double x) { return r->xf[0] * x + r->xf[2]; }
static inline double ap_render_page_y(const ap_writer_t *r, double y) { return r->xf[1] * y + r->xf[3]; }
static inline HPDF_Rect
ap_render_page_rect(const ap_writer_t *r, double x0, double y0, double x1, double y1)
{
  return (HPDF_Rect){(HPDF_REAL)ap_render_page_x(r, x0), (HPDF_REAL)ap_render_page_y(r, y0),
                     (HPDF_REAL)ap_render_page_x(r, x1), (HPDF_REAL)ap_render_page_y(r, y1)};
}

// Create the destination (and outline entry) of a DEST box on the current
// page (inside a group, tagged only: no outline entry).
bool ap_render_dest(ap_writer_t *r, const ap_box_t *box);
// Tagged: the destination of a footnote's first line (its references link
// there), and the link of a footnote reference being shown (in its Link).
bool ap_render_note_dest(ap_writer_t *r, const ap_box_t *box);
bool ap_render_note_link(ap_writer_t *r, const ap_run_t *run);
// Create a LINK box's URI annotation on the current page now, or note a
// link to a named destination (which may be on a later page) for the end.
// Inside a group (tagged only) at the place the group draws it.
bool ap_render_link(ap_writer_t *r, const ap_box_t *box);
// Once every page is painted: sort the destinations by name and create the
// noted links' annotations; a dangling name is a warning.
bool ap_render_finalize_links(ap_writer_t *r);
// A SIGFIELD box's signature field on the current page: its widget in the
// page's /Annots and in the catalog's /AcroForm /Fields.
bool ap_render_sigfield(ap_writer_t *r, const ap_box_t *box);
// Free the destination and link records.
void ap_render_destroy_links(ap_writer_t *r);

#endif
