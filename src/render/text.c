// Text: one BT/ET per line box, runs placed with relative Td moves; font and
// colour are written only when they change. Underlines are stroked after ET.
#include "render-private.h"

#define UNDERLINE_OFFSET 0.12 // Underline centre below the baseline, in ems
#define UNDERLINE_WIDTH 0.05  // Underline thickness, in ems

static bool same_color(ap_color_t a, ap_color_t b);
static void underline(ap_renderer_t *r, const ap_run_t *run);

//
// 'ap_render_text()' - Draw the runs of a line box.
//

bool
ap_render_text(ap_renderer_t *r, const ap_box_t *box)
{
  double x0 = 0, y0 = 0; // Start of the current text line (PDF space)
  bool open = false;     // Inside BT...ET
  bool lines = false;    // Some run is underlined

  for (const ap_run_t *run = box->runs; run; run = run->next) {
    HPDF_Font font;
    if (!run->text || !*run->text || !run->font)
      continue;
    if (!(font = ap_render_get_font(r, run->font)))
      return ap_fail(r->diags, ap_loc_file(r->path), "font '%s' was not embedded",
                     ap_font_name(run->font));

    // Open the text object, then change font and colour only when needed...
    if (!open) {
      HPDF_Page_BeginText(r->page);
      open = true;
    }
    if (run->font != r->font || run->size != r->size) {
      HPDF_Page_SetFontAndSize(r->page, font, (HPDF_REAL)run->size);
      r->font = run->font;
      r->size = run->size;
    }
    if (!same_color(run->color, r->fill))
      ap_render_set_fill(r, run->color);

    // Move relative to the previous run's start and show the text...
    double x = run->x, y = r->height - run->baseline;
    HPDF_Page_MoveTextPos(r->page, (HPDF_REAL)(x - x0), (HPDF_REAL)(y - y0));
    x0 = x;
    y0 = y;
    HPDF_Page_ShowText(r->page, run->text);
    lines = lines || run->underline;
  }
  if (open)
    HPDF_Page_EndText(r->page);

  // Underlines are paths, drawn outside the text object...
  if (lines)
    for (const ap_run_t *run = box->runs; run; run = run->next)
      if (run->underline && run->text && *run->text && run->width > 0)
        underline(r, run);
  return !r->failed;
}

// True when two colours are the same.
static bool
same_color(ap_color_t a, ap_color_t b)
{
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

// Stroke a thin line under a run, in its colour.
static void
underline(ap_renderer_t *r, const ap_run_t *run)
{
  double y = r->height - run->baseline - UNDERLINE_OFFSET * run->size;

  ap_render_set_stroke(r, run->color, UNDERLINE_WIDTH * run->size);
  HPDF_Page_MoveTo(r->page, (HPDF_REAL)run->x, (HPDF_REAL)y);
  HPDF_Page_LineTo(r->page, (HPDF_REAL)(run->x + run->width), (HPDF_REAL)y);
  HPDF_Page_Stroke(r->page);
}
