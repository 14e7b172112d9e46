// Render driver: pages → PDF through libharu, one page at a time. Each page
// is added and painted with one switch on box kind (a group paints another
// page's boxes, scaled and clipped, with the same switch), its destinations
// created and its links noted (in a group's page only when tagged, mapped
// onto the sheet); the end embeds the fonts, resolves the links and saves.
// Writes the document information. No clock. Tagged PDF: every box is
// marked as it is painted and the structure tree written at the end
// (tags.c), unless the options say no_tags.
#include "render-private.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void destroy_writer(ap_writer_t *w);
static bool finalize(ap_writer_t *w);
static bool finish(ap_writer_t *w, unsigned char **bytes, size_t *size, ap_render_put_t put, void *ctx);
static bool save_file(ap_writer_t *w, unsigned char *bytes, size_t size);
static bool save_archive(ap_writer_t *w, unsigned char **bytes, size_t *size);
static const char *error_text(HPDF_STATUS error);
static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data);
static bool render_box(ap_writer_t *r, const ap_box_t *box);
static bool render_group(ap_writer_t *r, const ap_box_t *box);
static void set_info(ap_writer_t *w, const ap_pages_t *info);
static void set_print_boxes(ap_writer_t *w, HPDF_Page hpage, const ap_page_t *page);
static bool share_resources(ap_writer_t *w, HPDF_Page hpage);
static void keep_resources(ap_writer_t *w, HPDF_Page hpage);

//
// 'ap_render_abort()' - Give up a PDF: free the writer, write nothing.
//

void
ap_render_abort(ap_writer_t *w) // I - Writer (NULL = none)
{
  if (w)
    destroy_writer(w);
}

//
// 'ap_render_begin()' - Start a PDF written page by page.
//
// Deterministic: the same pages give the same bytes (no date, no ID, no
// temporary file, subset names from their content).
//

ap_writer_t *                                   // O - Writer, NULL on error (recorded)
ap_render_begin(const ap_pages_t *info,         // I - Document information (pages not read)
                const char *path,               // I - Output file
                const ap_render_options_t *options, // I - Options (NULL = defaults)
                ap_diags_t *diags)              // I - Where errors go
{
  ap_writer_t *w = calloc(1, sizeof(*w));       // Writer

  if (!w || !(w->path = strdup(path))) {
    free(w);
    ap_fail(diags, ap_loc_file(path), "out of memory");
    return NULL;
  }
  w->diags = diags;
  w->errors = diags->errors;

  // Create the document: errors into diags, UTF-8 text, compression...
  if (!(w->pdf = HPDF_New(on_error, w))) {
    ap_fail(diags, ap_loc_file(path), "cannot create the PDF document (out of memory)");
    destroy_writer(w);
    return NULL;
  }
  if (!options || options->compress)
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
  w->images = options ? options->images : NULL;
  w->render_cache = options ? options->render_cache : NULL;
  w->background = !options || (options->compress && !options->one_core); // (the thread starts at page 2)
  w->one_core = options && options->one_core;
  if (!(options && options->no_tags) && !ap_tags_create(w)) {
    ap_fail(diags, ap_loc_file(path), "out of memory");
    destroy_writer(w);
    return NULL;
  }
  set_info(w, info);
  if (!w->failed && options && options->archive)
    ap_render_archive_begin(w, info, options->archive);
  if (w->failed || diags->errors != w->errors) {
    destroy_writer(w);
    return NULL;
  }
  return w;
}

//
// 'ap_render_end()' - Embed the fonts, resolve the links, save, free the writer.
//
// Saves nothing when a page failed or any error was recorded in diags since
// the writer began (by anyone: an error stops the job). On failure no file
// is left at the path (a save that began is undone).
//

bool                                            // O - true on success
ap_render_end(ap_writer_t *w)                   // I - Writer (freed; NULL = a failed begin)
{
  return finish(w, /*bytes*/ NULL, /*size*/ NULL, NULL, NULL);
}

//
// 'ap_render_end_buffer()' - Finish the PDF into memory, free the writer.
//
// The same checks as ap_render_end(); the PDF's bytes go to *bytes instead
// of a file, so that the caller decides how and where they are written.
//

bool                                            // O - true on success
ap_render_end_buffer(ap_writer_t *w,            // I - Writer (freed; NULL = a failed begin)
                     unsigned char **bytes,     // O - The PDF (malloc'ed), NULL on failure
                     size_t *size)              // O - Its size in bytes
{
  *bytes = NULL;
  *size = 0;
  return finish(w, bytes, size, NULL, NULL);
}

//
// 'ap_render_finalize()' - Embed the fonts, resolve the links, write the structure: all but the save.
//

bool                                            // O - true on success
ap_render_finalize(ap_writer_t *w)              // I - Writer (kept)
{
  return w && finalize(w);
}

//
// 'ap_render_end_stream()' - Finish the PDF, its bytes handed to put as they are made; free the writer.
//

bool                                            // O - true on success
ap_render_end_stream(ap_writer_t *w,            // I - Writer (freed; NULL = a failed begin)
                     ap_render_put_t put,       // I - Receiver of the bytes, in order
                     void *ctx)                 // I - Its context
{
  return finish(w, NULL, NULL, put, ctx);
}

// Page labels: viewers show the number printed on a page (a restart after a
// cover, <body first-number>), once one differs from the page's place; a
// document numbered 1, 2, 3… gets none.
static void
label_page(ap_writer_t *w, const ap_page_t *page)
{
  int index = w->pages_done;                                   // 0-based
  int expected = w->labelled ? w->last_label + 1 : index + 1; // What a viewer would show
  if (page->label > 0 && page->label != expected) {
    if (!w->labelled && index > 0) // The labels' first range starts at page 1
      HPDF_AddPageLabel(w->pdf, 0, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
    HPDF_AddPageLabel(w->pdf, (HPDF_UINT)index, HPDF_PAGE_NUM_STYLE_DECIMAL, (HPDF_UINT)page->label, NULL);
    w->labelled = true;
  }
  w->last_label = page->label > 0 ? page->label : expected;
}

//
// 'ap_render_page()' - Add a page to the PDF and paint its boxes.
//
// Destinations are created and links noted as their boxes come; text gives
// its characters CIDs as it shows them. Nothing of the page is kept.
//

bool                                            // O - true on success
ap_render_page(ap_writer_t *w,                  // I - Writer
               const ap_page_t *page)           // I - Page (free to go once this returns)
{
  static const ap_color_t black = {.r = 0, .g = 0, .b = 0};
  HPDF_Page hpage;                              // libharu page
  bool ok = true;

  if (!w || w->broken || w->failed)
    return false;

  // Add the page at its size...
  if (!(hpage = HPDF_AddPage(w->pdf))) {
    w->broken = true;
    return false;
  }
  if (!share_resources(w, hpage)) {
    w->broken = true;
    return false;
  }
  HPDF_Page_SetWidth(hpage, (HPDF_REAL)page->width);
  HPDF_Page_SetHeight(hpage, (HPDF_REAL)page->height);
  label_page(w, page);
  if (page->trim_box.w > 0)
    set_print_boxes(w, hpage, page);
  if (!ap_tags_page_begin(w, hpage)) {
    w->broken = true;
    return false;
  }

  // A new content stream starts with black, width 1 and no font...
  w->page = hpage;
  w->height = page->height;
  w->depth = 0;
  w->xf[0] = w->xf[1] = 1;
  w->xf[2] = w->xf[3] = 0;
  w->font = NULL;
  w->size = 0;
  w->fill = black;
  w->stroke = black;
  w->line_width = 1;

  // The boxes in order, then the finished content stream compressed...
  for (const ap_box_t *box = page->boxes; ok && box; box = box->next)
    ok = render_box(w, box) && !w->failed;
  ap_tags_close(w);
  keep_resources(w, hpage);
  if (ok && w->background && !w->deflater && w->pages_done > 0) // A second page: worth a thread
    w->deflater = ap_deflater_start(w->render_cache);    // (NULL: pages deflated at once)
  ok = ok && !w->failed && ap_deflater_page(w, ((HPDF_PageAttr)hpage->attr)->contents);
  w->pages_done++;
  w->page = NULL;
  if (!ok) {
    w->broken = true;
    if (w->diags->errors == w->errors)
      ap_fail(w->diags, ap_loc_file(w->path), "cannot write the PDF");
  }
  return ok;
}

//
// 'ap_render_pdf()' - Write laid-out pages as a PDF file.
//
// The pages one by one between ap_render_begin() and ap_render_end(). On
// failure no file is left at path (as before the writer existed).
//

bool                                          // O - true on success
ap_render_pdf(const ap_pages_t *pages,        // I - Laid-out pages
              const char *path,               // I - Output file
              const ap_render_options_t *options, // I - Options (NULL = defaults)
              ap_diags_t *diags)              // I - Where errors go
{
  ap_writer_t *w = ap_render_begin(pages, path, options, diags);
  bool ok = w != NULL;                        // Result

  for (const ap_page_t *page = pages->first; ok && page; page = page->next)
    ok = ap_render_page(w, page);
  if (ok)
    ok = ap_render_end(w);
  else
    ap_render_abort(w);
  if (!ok)
    unlink(path); // Not even an older file of that name is left
  return ok;
}

// Every page names the document's one /Resources dictionary (an indirect
// object) instead of a dictionary of its own: fonts, images and opacities
// keep one name (F1, X1, E1…) in the whole document, and a page costs no
// dictionaries of its own in memory (libharu keeps every page's objects
// until the save: about 2 KB a page) or in the file. libharu names a
// resource in the page's own /Font, /XObject or /ExtGState dictionary
// (attr->fonts…), making it on first use: the page is given the shared ones
// made so far, and keeps what it made for the next pages (keep_resources).
// ProcSet, obsolete but what libharu writes for compatibility, stays.
static bool
share_resources(ap_writer_t *w, HPDF_Page hpage)
{
  HPDF_PageAttr attr = (HPDF_PageAttr)hpage->attr;

  if (!w->resources) {
    HPDF_Array procset = NULL;
    static const char *const sets[] = {"PDF", "Text", "ImageB", "ImageC", "ImageI"};
    bool ok = (w->resources = HPDF_Dict_New(w->pdf->mmgr)) &&
              HPDF_Xref_Add(w->pdf->xref, w->resources) == HPDF_OK && // (frees it on failure)
              (procset = HPDF_Array_New(w->pdf->mmgr)) &&
              HPDF_Dict_Add(w->resources, "ProcSet", procset) == HPDF_OK;
    for (size_t i = 0; ok && i < sizeof(sets) / sizeof(sets[0]); i++)
      ok = HPDF_Array_Add(procset, HPDF_Name_New(w->pdf->mmgr, sets[i])) == HPDF_OK;
    if (!ok) {
      w->resources = NULL; // (the document's, or freed)
      return false;
    }
  }
  if (HPDF_Dict_Add(hpage, "Resources", w->resources) != HPDF_OK) // (frees the page's own)
    return false;
  attr->fonts = w->res_fonts;
  attr->xobjects = w->res_xobjects;
  attr->ext_gstates = w->res_states;
  return true;
}

// What libharu made in the shared /Resources while the page was painted.
static void
keep_resources(ap_writer_t *w, HPDF_Page hpage)
{
  HPDF_PageAttr attr = (HPDF_PageAttr)hpage->attr;

  w->res_fonts = attr->fonts;
  w->res_xobjects = attr->xobjects;
  w->res_states = attr->ext_gstates;
}

// The pages' streams, fonts, links, outline and structure (once).
static bool
finalize(ap_writer_t *w)
{
  if (w->finalized)
    return !w->broken && !w->failed && w->diags->errors == w->errors;
  w->finalized = true;
  bool ok = !w->broken && !w->failed && w->diags->errors == w->errors; // Nothing went wrong so far
  ok = ok && ap_deflater_wait(w) && !w->failed;
  ok = ok && ap_render_finalize_fonts(w) && !w->failed && ap_render_finalize_links(w) && !w->failed;
  ok = ok && ap_tags_finalize(w) && !w->failed;
  if (ok && w->outline[0])
    HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  if (ok && w->archive)
    ok = ap_render_archive_prepare(w) && !w->failed;
  if (!ok)
    w->broken = true;
  return ok;
}

// Embed the fonts, resolve the links and save: to w->path, into memory
// when bytes is not NULL, or handed to put. Frees w.
static bool
finish(ap_writer_t *w, unsigned char **bytes, size_t *size, ap_render_put_t put, void *ctx)
{
  ap_diags_t *diags;                            // Where errors go
  bool ok, saving = false;                      // Result; the file was (being) written

  if (!w)
    return false;
  diags = w->diags;

  // The pages' streams, fonts, links and outline, then the file...
  ok = finalize(w);
  if (ok && !w->failed && diags->errors == w->errors) {
    saving = !bytes && !put;
    if (w->archive && put) { // (sealed from its bytes: made whole, then handed on)
      unsigned char *buf = NULL;
      size_t n = 0;
      ok = save_archive(w, &buf, &n) && put(ctx, buf, n);
      free(buf);
    } else if (w->archive)
      ok = save_archive(w, bytes, size);
    else if (put)
      ok = ap_render_save_to(w, put, ctx);
    else if (bytes)
      ok = ap_render_save(w, bytes, size);
    else {
      unsigned char *buf = NULL;
      size_t n = 0;
      ok = ap_render_save(w, &buf, &n) && save_file(w, buf, n);
      free(buf);
    }
  } else {
    ok = false;
  }

  // Report a failure nobody explained, then clean up...
  if (!ok) {
    if (saving)
      unlink(w->path);
    if (diags->errors == w->errors && !put) // (a receiver's failure is its caller's to report, with its cause)
      ap_fail(diags, ap_loc_file(w->path), "cannot write the PDF");
  }
  destroy_writer(w);
  return ok;
}

// An archive is saved into memory, given its /ID there (from its bytes),
// then handed over (bytes not NULL) or written to w->path.
static bool
save_archive(ap_writer_t *w, unsigned char **bytes, size_t *size)
{
  unsigned char *buf = NULL;
  size_t n = 0;
  bool ok = ap_render_save(w, &buf, &n) && ap_render_archive_seal(w, buf, n);

  if (ok && bytes) {
    *bytes = buf;
    *size = n;
    return true;
  }
  ok = ok && save_file(w, buf, n);
  free(buf);
  return ok;
}

// The saved bytes into w->path (render_end without a buffer).
static bool
save_file(ap_writer_t *w, unsigned char *bytes, size_t size)
{
  FILE *fp = fopen(w->path, "wb");
  if (!fp)
    return ap_fail(w->diags, ap_loc_file(w->path), "cannot write the PDF: cannot open the file (%s)", strerror(errno));
  bool written = fwrite(bytes, 1, size, fp) == size;
  written = fclose(fp) == 0 && written;
  return written || ap_fail(w->diags, ap_loc_file(w->path), "cannot write the PDF: cannot write the file");
}

// Free the document and every record of a writer.
static void
destroy_writer(ap_writer_t *w)
{
  ap_deflater_stop(w->deflater); // (before the document its tasks point into)
  ap_tags_unshare(w);            // (libharu frees the document's entries, the shared one is ours)
  if (w->pdf)
    HPDF_Free(w->pdf);
  ap_spool_close(w->spool);     // (after the document, whose streams read from it)
  ap_render_destroy_fonts(w);
  ap_render_destroy_links(w);
  ap_render_destroy_images(w);
  ap_tags_destroy(w);
  free(w->path);
  free(w);
}

// Plain words for the libharu errors a user can cause or fix.
static const char *
error_text(HPDF_STATUS error)
{
  switch (error) {
  case HPDF_FILE_OPEN_ERROR:
    return "cannot open the file";
  case HPDF_FILE_IO_ERROR:
    return "cannot write the file";
  case HPDF_FAILD_TO_ALLOC_MEM:
    return "out of memory";
  case HPDF_INVALID_PNG_IMAGE:
    return "invalid PNG image";
  case HPDF_INVALID_JPEG_DATA:
  case HPDF_UNSUPPORTED_JPEG_FORMAT:
    return "unsupported JPEG image";
  case HPDF_INVALID_TTC_FILE:
  case HPDF_INVALID_TTC_INDEX:
  case HPDF_TTF_INVALID_CMAP:
  case HPDF_TTF_INVALID_FOMAT:
  case HPDF_TTF_MISSING_TABLE:
  case HPDF_TTF_CANNOT_EMBEDDING_FONT:
    return "cannot embed the font";
  case HPDF_PAGE_INVALID_SIZE:
    return "invalid page size";
  default:
    return "libharu error";
  }
}

// libharu error handler: the first error becomes one diagnostic; later ones
// are consequences of it (libharu errors are sticky).
static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
  ap_writer_t *r = data;

  if (r->failed)
    return;
  r->failed = true;
  ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: %s (libharu error 0x%04X, detail %u)",
          error_text(error), (unsigned)error, (unsigned)detail);
}

// Paint one box.
static bool
render_box(ap_writer_t *r, const ap_box_t *box)
{
  if (!ap_tags_mark(r, box))
    return false;
  switch (box->kind) {
  case AP_BOX_LINE:
    return ap_render_text(r, box);
  case AP_BOX_RULE:
    return ap_render_rule(r, box);
  case AP_BOX_RECT:
    return ap_render_rect(r, box);
  case AP_BOX_IMAGE:
    return ap_render_image(r, box);
  case AP_BOX_LINK: // Links in pages drawn in groups: tagged only (--no-tags keeps its bytes)
    return (r->depth > 0 && !r->tags) || ap_render_link(r, box);
  case AP_BOX_DEST: // Destinations too
    return (r->depth > 0 && !r->tags) || ap_render_dest(r, box);
  case AP_BOX_ELLIPSE:
    return ap_render_ellipse(r, box);
  case AP_BOX_SEGMENT:
    return ap_render_segment(r, box);
  case AP_BOX_GROUP:
    return render_group(r, box);
  case AP_BOX_WATERMARK:
    return ap_render_watermark(r, box);
  case AP_BOX_SIGFIELD: // (not in pages drawn in groups: a field is on one page)
    return r->depth > 0 || ap_render_sigfield(r, box);
  }
  return true;
}

// Paint the boxes of a group's source page into the group's box: save the
// graphics state, clip to the box, map the source page's space (its own
// size, y flipped by r->height as for a page) onto the box, paint, restore.
// After Q the PDF has the colours, line width and font of before q again,
// and so must the renderer's record of them.
static bool
render_group(ap_writer_t *r, const ap_box_t *box)
{
  const ap_page_t *src = box->source;      // Page drawn
  const ap_rect_t *b = &box->rect;
  const ap_rect_t *clip = box->clip.w > 0 ? &box->clip : b; // Area painted
  double height = r->height, size = r->size, line_width = r->line_width; // State before q...
  double xf[4] = {r->xf[0], r->xf[1], r->xf[2], r->xf[3]}; // (and the map to the page)
  const ap_font_t *font = r->font;
  ap_color_t fill = r->fill, stroke = r->stroke;
  double bottom = r->height - b->y - b->h; // Box's bottom edge, PDF space
  bool ok = true;
  int tags[2] = {-1, 0};                   // Structure state of before the group

  if (!src || !src->boxes || b->w <= 0 || b->h <= 0 || src->width <= 0 || src->height <= 0)
    return true;
  if (r->depth >= AP_GROUP_DEPTH)
    return ap_fail(r->diags, ap_loc_file(r->path), "groups nested more than %d deep", AP_GROUP_DEPTH);

  // q, clip to the box (or to its clip area), then source space → box...
  HPDF_Page_GSave(r->page);
  ap_render_rectangle(r->page, (HPDF_REAL)clip->x, (HPDF_REAL)(r->height - clip->y - clip->h), (HPDF_REAL)clip->w,
                      (HPDF_REAL)clip->h);
  HPDF_Page_Clip(r->page);
  HPDF_Page_EndPath(r->page);
  HPDF_Page_Concat(r->page, (HPDF_REAL)(b->w / src->width), 0, 0, (HPDF_REAL)(b->h / src->height),
                   (HPDF_REAL)b->x, (HPDF_REAL)bottom);

  // The source's boxes, inheriting the state of before q...
  r->xf[2] += r->xf[0] * b->x;
  r->xf[3] += r->xf[1] * bottom;
  r->xf[0] *= b->w / src->width;
  r->xf[1] *= b->h / src->height;
  r->height = src->height;
  r->depth++;
  ok = ap_tags_group_begin(r, box, tags);
  for (const ap_box_t *inner = src->boxes; ok && inner; inner = inner->next)
    ok = render_box(r, inner) && !r->failed;
  ap_tags_group_end(r, tags);

  // Q, and the state of before q...
  HPDF_Page_GRestore(r->page);
  r->depth--;
  r->height = height;
  r->font = font;
  r->size = size;
  r->fill = fill;
  r->stroke = stroke;
  r->line_width = line_width;
  memcpy(r->xf, xf, sizeof(xf));
  return ok && !r->failed;
}

// Document information: the data's fields as text strings
// (ap_render_text_string), and our name as Producer, in the dictionary
// libharu keeps as /Info (made here as libharu would: indirect, named by
// the trailer).
static void
set_info(ap_writer_t *w, const ap_pages_t *info)
{
  static const ap_pages_t none;  // No information but ours
  const ap_pages_t *p = info ? info : &none;
  const struct {
    const char *key;     // Its key
    const char *value;   // UTF-8 value or NULL
  } fields[] = {
    {"Title", p->title},       {"Author", p->author},     {"Subject", p->subject},
    {"Keywords", p->keywords}, {"Creator", p->creator},   {"Producer", "anpham"},
  };
  HPDF_Dict dict = w->pdf->info;

  if (!dict) {
    if (!(dict = HPDF_Dict_New(w->pdf->mmgr)) || HPDF_Xref_Add(w->pdf->xref, dict) != HPDF_OK ||
        HPDF_Dict_Add(w->pdf->trailer, "Info", dict) != HPDF_OK)
      return; // (libharu reports)
    w->pdf->info = dict;
  }
  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
    if (fields[i].value && *fields[i].value)
      HPDF_Dict_Add(dict, fields[i].key, ap_render_text_string(w, fields[i].value));
}

// A page with crop marks: /TrimBox (the trimmed page) and /BleedBox (with
// its bleed), as layout placed them, in PDF space (y up).
static void
set_print_boxes(ap_writer_t *w, HPDF_Page hpage, const ap_page_t *page)
{
  const struct {
    const char *key;  // Page dictionary entry
    ap_rect_t rect;   // Its rectangle, layout space
  } boxes[] = {{"TrimBox", page->trim_box}, {"BleedBox", page->bleed_box}};

  for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
    const ap_rect_t *b = &boxes[i].rect;
    HPDF_Box box = {(HPDF_REAL)b->x, (HPDF_REAL)(page->height - b->y - b->h), (HPDF_REAL)(b->x + b->w),
                    (HPDF_REAL)(page->height - b->y)};
    HPDF_Array array = HPDF_Box_Array_New(hpage->mmgr, box);
    if (!array || HPDF_Dict_Add(hpage, boxes[i].key, array) != HPDF_OK)
      return; // (libharu's error handler has marked the writer failed)
  }
}
