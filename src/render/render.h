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

#include "../base/datetime.h"
#include "../base/diag.h"
#include "../image/image.h"
#include "../layout/pages.h"

// What a PDF/A-3 archive (--pdfa, docs/archive.md) writes besides the
// pages: PDF 1.7, XMP metadata on the catalog agreeing with the Info
// dictionary (dates in both), the document metadata of Nghị định 30/2020
// Phụ lục VI, an sRGB output intent with its ICC profile, link annotations
// marked printable, CMYK colours as their RGB look, and a document /ID
// taken from the file's own bytes. Strings are borrowed.
typedef struct ap_render_archive_s {
  bool tagged;               // Claim conformance A and PDF/UA-1 (the pages are tagged); else B
  bool dated;                // date is the PDF's CreationDate/ModDate (else none is written)
  ap_datetime_t date;        // The PDF's date: SOURCE_DATE_EPOCH, or <info date>
  bool issued;               // issue_date holds <info date>
  ap_datetime_t issue_date;  // The document's issue date (vbhc:issueDate)
  // Nghị định 30/2020 Phụ lục VI, NULL when the data does not give them
  const char *issuer, *number, *doc_type, *signer, *signer_position;
} ap_render_archive_t;

// Deflated streams shared by the processes of a batch (render-cache.c):
// made by the batch's process before it forks its jobs (bytes: the most
// zlib data kept), unmapped after them. NULL when no memory could be mapped.
typedef struct ap_render_cache_s ap_render_cache_t;
ap_render_cache_t *ap_render_cache_create(size_t bytes);
void ap_render_cache_destroy(ap_render_cache_t *cache);

typedef struct ap_render_options_s {
  bool compress;        // Flate-compress content and font streams (default true)
  const ap_images_t *images; // The checked images the pages draw (borrowed; outlives the writer).
                        // Render never opens an image file: an image box whose file is not
                        // in the set is an internal error
  bool no_tags;         // Write an untagged PDF (--no-tags): no marked content, no structure tree,
                        // the bytes of before tagging existed (default false: tagged)
  const ap_render_archive_t *archive; // Not NULL: write a PDF/A-3 archive (borrowed; copied by begin)
  ap_render_cache_t *render_cache; // Not NULL: deflated streams kept by the jobs of a batch (shared
                              // memory, ap_render_cache_create), taken again when they inflate to the
                              // same bytes (jobs share their fonts' and their identical pages'
                              // compression); the output bytes are the same
  bool one_core;        // Deflate every page at once on the calling thread (anpham batch: the other
                        // cores run other jobs). Default false: page streams are deflated on a second
                        // thread while the next pages are laid out; the output bytes are the same
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
// The first part of ending: embed the subset fonts, resolve the links,
// write the outline and the structure (what may warn), keeping w for
// ap_render_end_stream() or ap_render_abort(). False on error (recorded).
bool ap_render_finalize(ap_writer_t *w);
// Receiver of a PDF's bytes, in order; false refuses them (the save stops).
typedef bool (*ap_render_put_t)(void *ctx, const void *bytes, size_t size);
// Finish as ap_render_end_buffer() does (finalized first unless it was),
// but hand the PDF's bytes to put as they are made: the file is never
// whole in memory. Frees w whatever happens.
bool ap_render_end_stream(ap_writer_t *w, ap_render_put_t put, void *ctx);
// Give up (after an error elsewhere): free w, write nothing. NULL is fine.
void ap_render_abort(ap_writer_t *w);

// Pages painted on a second thread while layout goes on (pipeline.c): made
// for a writer begun, given every page in order instead of ap_render_page,
// then ended before ap_render_end. NULL when out of memory (then
// ap_render_page at once).
typedef struct ap_pipeline_s ap_pipeline_t;
ap_pipeline_t *ap_pipeline_create(ap_writer_t *w);
// Paint a page, on the thread when share (every face read-only now:
// ap_fontset_read_only), else at once after the pages before it. The page
// must live until its arena is given to ap_pipeline_retire. False when a
// page failed (recorded by now, or by ap_pipeline_end).
bool ap_pipeline_page(ap_pipeline_t *p, const ap_page_t *page, bool share);
// The arena of the page just given (layout's ap_retire_fn), freed once the
// page is painted.
void ap_pipeline_retire(ap_pipeline_t *p, ap_arena_t *arena);
// Wait for the pages, stop the thread, free p (NULL is fine); the writer's
// diagnostics are the run's again. False when a page failed (recorded).
bool ap_pipeline_end(ap_pipeline_t *p);

// One file a PDF carries as an associated file (--embed-source, attach.c).
// Strings and bytes are borrowed for the call.
typedef struct ap_attachment_s {
  const char *name;           // Its path relative to the source's root, '/'-separated (e.g. layouts/bao-cao.xml)
  const char *mime;           // Its MIME type (application/xml, image/png, image/jpeg, application/json)
  const char *description;    // What it is (/Desc), ASCII
  const unsigned char *bytes; // Its content
  size_t size;                // Its size in bytes
} ap_attachment_t;

// Embed files as the PDF's source (PDF/A-3 associated files): each an
// /EmbeddedFile stream (MIME /Subtype, /Params with /Size, the MD5
// /CheckSum and, when mod_date is not NULL, /ModDate) in a /Filespec (/F
// and /UF its name, /AFRelationship /Source, /Desc), listed in the
// catalog's /Names /EmbeddedFiles name tree and its /AF array, in name
// order. Called once, after the last page and before ap_render_end*(); the
// PDF becomes version 1.7. False on error (recorded).
bool ap_render_attach(ap_writer_t *w, const ap_attachment_t *files, int count, const char *mod_date);

// Write the pages as a PDF at path: ap_render_begin(), ap_render_page() for
// each page, ap_render_end(). Fonts are subset to the glyphs the pages use
// and embedded; each font gets a correct ToUnicode CMap; the outline comes
// from DEST boxes with level > 0; no byte depends on the clock, so the same
// pages give the same bytes. On failure no file is left at path.
bool ap_render_pdf(const ap_pages_t *pages, const char *path, const ap_render_options_t *options,
                   ap_diags_t *diags);

#endif
