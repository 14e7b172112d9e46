// Watermarks: the run of a watermark box, turned about its start, at its
// opacity (an ExtGState with /ca, one per opacity, shared by the pages).
// It is an /Artifact of subtype /Watermark (tagged-PDF readers leave it
// out of the page's content), and inside that a /Span whose ActualText is
// empty: text extraction that does not skip artifacts (poppler 22's
// pdftotext does not) takes the span's empty text instead of its glyphs,
// so a page's extracted text is its own words alone. libharu has no marked-content operators: BDC and
// EMC go straight into the page's content stream, as text.c's arrays do.
#include "render-private.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846 // (M_PI is not C11)

static HPDF_ExtGState alpha_state(ap_writer_t *r, double opacity);

//
// 'ap_render_watermark()' - Paint a watermark box.
//

bool                                            // O - true on success
ap_render_watermark(ap_writer_t *r,             // I - Writer
                    const ap_box_t *box)        // I - Watermark box (one run)
{
  HPDF_Stream s = ((HPDF_PageAttr)r->page->attr)->stream; // Content stream
  const ap_run_t *run = box->runs;
  double size = r->size, line_width = r->line_width; // State before q...
  const ap_font_t *font = r->font;
  ap_color_t fill = r->fill, stroke = r->stroke;
  double a = box->angle * PI / 180;
  bool ok;

  if (!run || !run->text || !*run->text || !run->font)
    return true;

  // q, the opacity, the artifact, the turn about the run's start...
  HPDF_Page_GSave(r->page);
  HPDF_Stream_WriteStr(s, "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC\n/Span <</ActualText ()>> BDC\n");
  if (box->opacity < 1) {
    HPDF_ExtGState gs = alpha_state(r, box->opacity);
    if (!gs || HPDF_Page_SetExtGState(r->page, gs) != HPDF_OK)
      return false;
  }
  HPDF_Page_Concat(r->page, (HPDF_REAL)cos(a), (HPDF_REAL)sin(a), (HPDF_REAL)-sin(a), (HPDF_REAL)cos(a),
                   (HPDF_REAL)run->x, (HPDF_REAL)(r->height - run->baseline));

  // The run at the origin of the turned space, as a line of its own...
  ap_run_t at_origin = *run;
  ap_box_t line = {.kind = AP_BOX_LINE, .role = box->role, .runs = &at_origin};
  at_origin.x = 0;
  at_origin.baseline = r->height; // (text.c flips y with the height)
  at_origin.next = NULL;
  at_origin.underline = false;
  ok = ap_render_text(r, &line);

  // EMC, Q, and the state of before q...
  HPDF_Stream_WriteStr(s, "EMC\nEMC\n");
  HPDF_Page_GRestore(r->page);
  r->font = font;
  r->size = size;
  r->fill = fill;
  r->stroke = stroke;
  r->line_width = line_width;
  return ok && !r->failed;
}

// The ExtGState of a fill opacity, created on first use and kept for the
// pages to come; NULL on error (libharu reports).
static HPDF_ExtGState
alpha_state(ap_writer_t *r, double opacity)
{
  for (int i = 0; i < r->nalphas; i++)
    if (r->alpha_values[i] == opacity)
      return r->alphas[i];
  HPDF_ExtGState gs = HPDF_CreateExtGState(r->pdf);
  if (!gs || HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)opacity) != HPDF_OK)
    return NULL;
  if (r->nalphas < AP_ALPHA_STATES) { // Past that many opacities, one object per use
    r->alpha_values[r->nalphas] = opacity;
    r->alphas[r->nalphas++] = gs;
  }
  return gs;
}
