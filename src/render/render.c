// Render driver: pages → PDF through libharu. Creates every page and its
// destinations first (links may point forward), then paints each page with
// one switch on box kind (a group paints another page's boxes, scaled and
// clipped, with the same switch); writes the document information. No clock.
#include "render-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool create_pages(ap_renderer_t *r, HPDF_Page *hpages);
static const char *error_text(HPDF_STATUS error);
static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data);
static bool render_box(ap_renderer_t *r, const ap_box_t *box);
static bool render_group(ap_renderer_t *r, const ap_box_t *box);
static bool render_page(ap_renderer_t *r, const ap_page_t *page, HPDF_Page hpage);
static void set_info(ap_renderer_t *r);

//
// 'ap_render_pdf()' - Write laid-out pages as a PDF file.
//
// Deterministic: the same pages give the same bytes (no date, no ID, no
// temporary file, subset names from their content). On failure no file is
// left at path.
//

bool                                          // O - true on success
ap_render_pdf(const ap_pages_t *pages,        // I - Laid-out pages
              const char *path,               // I - Output file
              const ap_render_options_t *options, // I - Options (NULL = defaults)
              ap_diags_t *diags)              // I - Where errors go
{
  ap_renderer_t r;                            // Renderer state
  HPDF_Page *hpages = NULL;                   // libharu page of each page
  bool ok = false;                            // Result
  int errors = diags->errors;                 // Errors before we started

  memset(&r, 0, sizeof(r));
  r.pages = pages;
  r.path = path;
  r.diags = diags;

  // Create the document: errors into diags, UTF-8 text, compression...
  if (!(r.pdf = HPDF_New(on_error, &r)))
    return ap_fail(diags, ap_loc_file(path), "cannot create the PDF document (out of memory)");
  if (!options || options->compress)
    HPDF_SetCompressionMode(r.pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(r.pdf);
  HPDF_SetCurrentEncoder(r.pdf, "UTF-8");
  set_info(&r);

  // Fonts, then every page with its destinations, then the content...
  if (!r.failed && ap_render_collect_fonts(&r) && !r.failed) {
    hpages = calloc(pages->count > 0 ? (size_t)pages->count : 1, sizeof(HPDF_Page));
    if (!hpages) {
      ap_fail(diags, ap_loc_file(path), "out of memory");
    } else if (create_pages(&r, hpages)) {
      const ap_page_t *page = pages->first;
      ok = true;
      for (int i = 0; ok && page; page = page->next, i++)
        ok = render_page(&r, page, hpages[i]) && !r.failed &&
             ap_render_deflate(&r, ((HPDF_PageAttr)hpages[i]->attr)->contents);
    }
  }

  // Save, then clean up...
  if (ok && !r.failed && diags->errors == errors) {
    if (HPDF_SaveToFile(r.pdf, path) != HPDF_OK || r.failed)
      ok = false;
  } else {
    ok = false;
  }
  HPDF_Free(r.pdf);
  ap_render_finalize_fonts(&r);
  free(hpages);
  free(r.anchors);
  free(r.pictures);
  if (!ok) {
    unlink(path);
    if (diags->errors == errors)
      ap_fail(diags, ap_loc_file(path), "cannot write the PDF");
  }
  return ok;
}

// Add every page at its size and create the destinations (and outline
// entries) of its DEST boxes, so that links can point to later pages.
static bool
create_pages(ap_renderer_t *r, HPDF_Page *hpages)
{
  int i = 0;

  for (const ap_page_t *page = r->pages->first; page; page = page->next, i++) {
    if (!(hpages[i] = HPDF_AddPage(r->pdf)))
      return false;
    HPDF_Page_SetWidth(hpages[i], (HPDF_REAL)page->width);
    HPDF_Page_SetHeight(hpages[i], (HPDF_REAL)page->height);
    r->page = hpages[i];
    r->height = page->height;
    for (const ap_box_t *box = page->boxes; box; box = box->next)
      if (box->kind == AP_BOX_DEST && !ap_render_dest(r, box))
        return false;
    if (r->failed)
      return false;
  }
  ap_render_finalize_dests(r);
  if (r->outline[0])
    HPDF_SetPageMode(r->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
  return !r->failed;
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
  ap_renderer_t *r = data;

  if (r->failed)
    return;
  r->failed = true;
  ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: %s (libharu error 0x%04X, detail %u)",
          error_text(error), (unsigned)error, (unsigned)detail);
}

// Paint one box.
static bool
render_box(ap_renderer_t *r, const ap_box_t *box)
{
  switch (box->kind) {
  case AP_BOX_LINE:
    return ap_render_text(r, box);
  case AP_BOX_RULE:
    return ap_render_rule(r, box);
  case AP_BOX_RECT:
    return ap_render_rect(r, box);
  case AP_BOX_IMAGE:
    return ap_render_image(r, box);
  case AP_BOX_LINK: // Links belong to the real pages, not to pages drawn in groups
    return r->depth > 0 || ap_render_link(r, box);
  case AP_BOX_DEST: // Created with the page (never inside a group)
    return true;
  case AP_BOX_ELLIPSE:
    return ap_render_ellipse(r, box);
  case AP_BOX_SEGMENT:
    return ap_render_segment(r, box);
  case AP_BOX_GROUP:
    return render_group(r, box);
  }
  return true;
}

// Paint the boxes of a group's source page into the group's box: save the
// graphics state, clip to the box, map the source page's space (its own
// size, y flipped by r->height as for a page) onto the box, paint, restore.
// After Q the PDF has the colours, line width and font of before q again,
// and so must the renderer's record of them.
static bool
render_group(ap_renderer_t *r, const ap_box_t *box)
{
  const ap_page_t *src = box->source;      // Page drawn
  const ap_rect_t *b = &box->rect;
  double height = r->height, size = r->size, line_width = r->line_width; // State before q...
  const ap_font_t *font = r->font;
  ap_color_t fill = r->fill, stroke = r->stroke;
  double bottom = r->height - b->y - b->h; // Box's bottom edge, PDF space
  bool ok = true;

  if (!src || !src->boxes || b->w <= 0 || b->h <= 0 || src->width <= 0 || src->height <= 0)
    return true;
  if (r->depth >= AP_GROUP_DEPTH)
    return ap_fail(r->diags, ap_loc_file(r->path), "groups nested more than %d deep", AP_GROUP_DEPTH);

  // q, clip to the box, then source space → box...
  HPDF_Page_GSave(r->page);
  HPDF_Page_Rectangle(r->page, (HPDF_REAL)b->x, (HPDF_REAL)bottom, (HPDF_REAL)b->w, (HPDF_REAL)b->h);
  HPDF_Page_Clip(r->page);
  HPDF_Page_EndPath(r->page);
  HPDF_Page_Concat(r->page, (HPDF_REAL)(b->w / src->width), 0, 0, (HPDF_REAL)(b->h / src->height),
                   (HPDF_REAL)b->x, (HPDF_REAL)bottom);

  // The source's boxes, inheriting the state of before q...
  r->height = src->height;
  r->depth++;
  for (const ap_box_t *inner = src->boxes; ok && inner; inner = inner->next)
    ok = render_box(r, inner) && !r->failed;

  // Q, and the state of before q...
  HPDF_Page_GRestore(r->page);
  r->depth--;
  r->height = height;
  r->font = font;
  r->size = size;
  r->fill = fill;
  r->stroke = stroke;
  r->line_width = line_width;
  return ok && !r->failed;
}

// Paint one page's boxes in order, from a known graphics state.
static bool
render_page(ap_renderer_t *r, const ap_page_t *page, HPDF_Page hpage)
{
  static const ap_color_t black = {.r = 0, .g = 0, .b = 0};

  // A new content stream starts with black, width 1 and no font...
  r->page = hpage;
  r->height = page->height;
  r->depth = 0;
  r->font = NULL;
  r->size = 0;
  r->fill = black;
  r->stroke = black;
  r->line_width = 1;

  for (const ap_box_t *box = page->boxes; box; box = box->next)
    if (!render_box(r, box) || r->failed)
      return false;
  return true;
}

// Document information: the data's fields as UTF-16 text strings (libharu
// converts because the current encoder is UTF-8), and our name as Producer.
static void
set_info(ap_renderer_t *r)
{
  const ap_pages_t *p = r->pages;
  const struct {
    HPDF_InfoType type;  // libharu key
    const char *value;   // UTF-8 value or NULL
  } fields[] = {
    {HPDF_INFO_TITLE, p->title},       {HPDF_INFO_AUTHOR, p->author},
    {HPDF_INFO_SUBJECT, p->subject},   {HPDF_INFO_KEYWORDS, p->keywords},
    {HPDF_INFO_CREATOR, p->creator},   {HPDF_INFO_PRODUCER, "anpham"},
  };

  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
    if (fields[i].value && *fields[i].value)
      HPDF_SetInfoAttr(r->pdf, fields[i].type, fields[i].value);
}
