// Render: laid-out pages → PDF through libharu. Reads pages only; never
// decides where anything goes. The only folder that includes hpdf.h.
//
// A PDF is written page by page: ap_render_begin(), ap_render_page() for
// each page in order, then ap_render_end() (or ap_render_abort() after an
// error elsewhere). The writer keeps nothing of a page once it is painted,
// so layout can free each page's boxes right after; what remains is
// libharu's document (page contents, images, fonts' records) until save.
#ifndef AP_RENDER_H
#define AP_RENDER_H

#include <stdbool.h>

#include "../base/diag.h"
#include "../image/image.h"
#include "../layout/pages.h"

typedef struct ap_render_options_s {
  bool compress;        // Flate-compress content and font streams (default true)
  const ap_images_t *images; // The checked images the pages draw (borrowed; outlives the writer).
                        // Render never opens an image file: an image box whose file is not
                        // in the set is an internal error
} ap_render_options_t;

typedef struct ap_writer_s ap_writer_t; // A PDF being written page by page (opaque)

// Start a PDF at path (the caller passes a temporary path and renames it)
// with the document information of info (title, author, subject, keywords,
// creator: copied; info's pages are not read). Returns the writer, which
// ap_render_end() or ap_render_abort() frees; NULL on error (recorded).
ap_writer_t *ap_render_begin(const ap_pages_t *info, const char *path,
                             const ap_render_options_t *options, ap_diags_t *diags);
// Paint one page, after the pages given before. Nothing of the page (boxes,
// runs, strings, the pages its groups draw) is used after this returns: the
// caller may free it. False on error (recorded); then only
// ap_render_abort() or ap_render_end() (which fails) are of use.
bool ap_render_page(ap_writer_t *w, const ap_page_t *page);
// Finish: embed the subset fonts, resolve the links (to destinations on any
// page, earlier or later), write the outline, save. Frees w whatever
// happens. False on error (recorded; a file the failed save began is
// removed), also when a page failed or any error was recorded in diags
// since ap_render_begin() (then without a further message).
bool ap_render_end(ap_writer_t *w);
// Finish as ap_render_end() does, but into memory: *bytes (malloc'ed, the
// caller's) and *size hold the PDF; nothing is written to any file (the
// writer's path only names it in messages). Frees w whatever happens.
bool ap_render_end_buffer(ap_writer_t *w, unsigned char **bytes, size_t *size);
// Give up (after an error elsewhere): free w, write nothing. NULL is fine.
void ap_render_abort(ap_writer_t *w);

// Write the pages as a PDF at path: ap_render_begin(), ap_render_page() for
// each page, ap_render_end(). Fonts are subset to the glyphs the pages use
// and embedded; each font gets a correct ToUnicode CMap; the outline comes
// from DEST boxes with level > 0; no byte depends on the clock, so the same
// pages give the same bytes. On failure no file is left at path.
bool ap_render_pdf(const ap_pages_t *pages, const char *path, const ap_render_options_t *options,
                   ap_diags_t *diags);

#endif
