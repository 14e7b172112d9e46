// Watermark: the first box of a page, so that everything else is painted
// over it. One run, centred on the page and turned about the page centre:
// by default along the diagonal from the bottom-left corner to the top-right
// one, as large as spans three quarters of the page along that line.
#include <math.h>
#include <string.h>

#include "flow.h"

#define SPAN 0.75        // Part of the line across the page the default size fills
#define MAX_HEIGHT 3.0   // ...but the size stays under the page's shorter side / MAX_HEIGHT
#define PI 3.14159265358979323846 // (M_PI is not C11)

static double across(double width, double height, double radians);

//
// 'ap_watermark_layout()' - Place the page's watermark, if any, as its first box.
//
// The template's watermark wins over the document's; an empty text means
// none. The run's start is computed so that the middle of its ink lies on
// the page centre; render turns the run about that start.
//

bool                                        // O - false on error (recorded)
ap_watermark_layout(ap_flow_t *flow,        // I - Flow (faces, arena)
                    const ap_master_t *m,   // I - Template of the page
                    ap_page_t *page)        // I - Page, still without boxes
{
  const ap_watermark_t *w = m->watermark ? m->watermark : flow->ctx.doc->watermark;
  double W = page->width, H = page->height;

  if (!w || !w->text || !*w->text)
    return true;

  // The face: the watermark's, or the first fallback with every character...
  ap_style_t style = {.name = "watermark", .family = w->family, .loc = w->loc};
  size_t len = strlen(w->text);
  const ap_font_t *font = ap_text_label_font(&flow->ctx, &style, w->bold, w->italic, w->text, w->loc);
  if (!font)
    return false;

  // Angle and size...
  double degrees = w->angle_set ? w->angle : atan2(H, W) * 180 / PI;
  double a = degrees * PI / 180, size = w->size;
  if (size <= 0) {
    double unit = ap_font_measure(font, w->text, len, 1); // Advance at 1pt
    size = unit > 0 ? SPAN * across(W, H, a) / unit : 1;
    if (size > fmin(W, H) / MAX_HEIGHT)
      size = fmin(W, H) / MAX_HEIGHT;
    size = fmax(1, fmin(size, 1000)); // The range of a font size
  }
  double advance = ap_font_measure(font, w->text, len, size);

  // The start of the baseline: half the advance back along the baseline and
  // the middle of the ink down from the page centre (page space, y down)...
  double ymin, ymax, middle;
  if (ap_font_get_bounds(font, w->text, len, size, &ymin, &ymax))
    middle = (ymin + ymax) / 2;
  else
    middle = ap_font_get_metrics(font, size).cap_height / 2;
  double ux = cos(a), uy = -sin(a);  // Along the baseline
  double vx = -sin(a), vy = -cos(a); // Up from the baseline
  ap_run_t *run = AP_NEW(flow->ctx.arena, ap_run_t);
  run->x = W / 2 - advance / 2 * ux - middle * vx;
  run->baseline = H / 2 - advance / 2 * uy - middle * vy;
  run->width = advance;
  run->font = font;
  run->size = size;
  run->color = w->color;
  run->text = w->text;

  ap_box_t *box = AP_NEW(flow->ctx.arena, ap_box_t);
  box->kind = AP_BOX_WATERMARK;
  box->role = "watermark";
  box->rect = (ap_rect_t){W / 2 - advance / 2, H / 2 - size / 2, advance, size};
  box->angle = degrees;
  box->opacity = w->opacity;
  box->runs = run;
  page->boxes = page->last = box;
  return true;
}

// Length of the line through the centre of a width x height page at an
// angle, from edge to edge.
static double
across(double width, double height, double radians)
{
  double c = fabs(cos(radians)), s = fabs(sin(radians));
  double along_x = c > 1e-9 ? width / c : INFINITY, along_y = s > 1e-9 ? height / s : INFINITY;
  return fmin(along_x, along_y);
}
