// Charts: a bar or line chart of an AP_NODE_CHART node drawn as boxes: title,
// unit, a value axis on a "nice" scale with gridlines, bars or a polyline with
// dots (one per series, in its colour), reference values as dashed lines with
// their label, value and category labels in Vietnamese number format, a
// legend. Categories stand one slot apart, or on a numeric axis (at=) at
// distances proportional to their numbers (years).
#include "chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../base/vnformat.h"
#include "../text/paragraph.h"

#define MAX_LINES 3          // Most lines of a wrapped text (the title; labels take 2)
#define MAX_TICKS 6          // Most intervals of the value axis
#define MIN_SIZE 6.0         // Smallest size a label shrinks to, points
#define SIZE_STEP 0.5        // Shrink step, points
#define VALUE_DECIMALS 2     // Most decimals of a value label when decimals = -1
#define EPS 1e-9             // Slack of width comparisons, points
#define MAX_VALUE 1e15       // Largest magnitude of a value (exact in a double, ticks fit an int)
#define DASH 4.0             // Dash of a reference line, points (as long a gap after it)

static const double NICE[] = {1, 2, 2.5, 5}; // Mantissas of a nice step
static const unsigned PALETTE[] = {0x1F5FA8, 0xE08A00, 0x2E8B57, 0x7B3FA0, 0x6B6B6B, 0x00838F, 0x8E0C22};
                                              // Series after the first without colors=

// A text broken into lines at spaces: byte ranges into the text and widths.
typedef struct wrap_s {
  int n;                              // Lines (0: no text)
  size_t start[MAX_LINES];            // Byte offset of each line
  size_t len[MAX_LINES];              // Byte length of each line
  double width[MAX_LINES];            // Width of each line at the planned size
  double widest;                      // Widest line
} wrap_t;

// How a text is set: face, size, line height, colour.
typedef struct pen_s {
  const ap_font_t *font;              // Face
  double size;                        // Size, points
  double lead;                        // Line height, points
  ap_color_t color;                   // Colour
} pen_t;

// Everything one chart needs: what is fixed (data, scale, strings) and the
// plan of the current attempt (sizes and positions at one label size).
typedef struct charter_s {
  ap_layout_ctx_t *ctx;               // Fonts, arena, diagnostics
  const ap_node_t *node;              // The chart
  const char *name;                   // Name in messages (title, else spec name)
  ap_rect_t area;                     // Where it goes
  ap_box_t ***tail;                   // Where its boxes go
  bool line;                          // Line chart (else bars)
  int n;                              // Points
  const ap_node_t **points;           // The points, in order
  const char **values;                // Their value labels ("93,78")
  double lo, hi, step;                // Value axis: range and tick step
  int kmin, nticks;                   // First tick = kmin * step; intervals
  const char *ticks[MAX_TICKS + 1];   // Tick labels, bottom to top
  const ap_style_t *style;            // Labels
  const ap_style_t *title_style;      // Title
  const ap_font_t *font, *title_font; // Their faces (numbers and ticks: font)
  const ap_font_t *unit_font;         // Face of the unit line (font, or a fallback with all of it)
  const ap_font_t *legend_font;       // Face of the legend
  const ap_font_t **cat_fonts;        // Face of each category label
  pen_t pen, title_pen;               // Labels and title at the planned size
  const char *unit;                   // "Đơn vị: ..." or NULL
  const char *legend;                 // Legend text (title, else unit) or NULL
  double *pos;                        // Position of each point (its at= number, else its index)
  double pmin, span, dmin;            // First position, last - first, least distance
  int *sidx;                          // Series of each point (index into snames)
  int nseries;                        // Series (1 without series=)
  const char *snames[AP_CHART_MAX_SERIES]; // Their names (legend text), in order of appearance
  ap_color_t scolor[AP_CHART_MAX_SERIES];  // Their colours
  const ap_font_t *sfont[AP_CHART_MAX_SERIES]; // Face of each series' legend entry
  int nrefs;                          // Reference values
  const ap_node_t **refs;             // Them (drawn as dashed lines)
  const char **ref_texts;             // Their labels ("Bình quân 2020–2025: 9,24")
  const ap_font_t **ref_fonts;        // Faces of those labels
  ap_color_t color;                   // Bar fill or line stroke
  double stroke;                      // Line width of line charts
  double radius;                      // Dot radius of line charts
  // The plan at one label size...
  double gap;                         // Small gap (a quarter of the label size)
  double band;                        // Room for a value label above (or below) the plot
  wrap_t title, unit_lines, legend_lines; // Wrapped title, unit and legend
  wrap_t entries[AP_CHART_MAX_SERIES]; // Wrapped legend entries, when several series
  bool legend_row;                    // The entries stand side by side (else one under the other)
  double legend_h;                    // Height of the legend
  wrap_t *cats;                       // Wrapped category labels, one per point
  int cat_lines;                      // Most lines of a category label
  double tick_w;                      // Widest tick label
  double swatch;                      // Width of the legend swatch
  double plot_l, plot_r, plot_t, plot_b; // The plot rectangle
  double slot;                        // Width given to each point
  double per_unit;                    // Width of one unit of position
  char why[320];                      // Why the last plan failed
  int elem;                           // Its structure element (one Figure, box->elem)
  const char *alt;                    // Its /Alt: title and values as drawn (job arena), NULL = none
} charter_t;

static void add_box(charter_t *c, ap_box_t *box);
static const char *alt_text(charter_t *c);
static void add_text(charter_t *c, const pen_t *pen, const char *text, size_t len, double x, double top,
                     bool label);
static ap_color_t color_rgb(unsigned hex);
static void draw(charter_t *c);
static void draw_legend(charter_t *c);
static void draw_refs(charter_t *c);
static void draw_swatch(charter_t *c, double x, double y, ap_color_t color);
static void draw_wrap(charter_t *c, const wrap_t *w, const char *text, const pen_t *pen, double x, double width,
                      double top, bool centre, bool label);
static bool format_value(char *buf, size_t size, double value, int decimals, int max);
static double line_height(const ap_font_t *font, double size);
static const ap_font_t *label_face(charter_t *c, const ap_style_t *style, const char *text);
static bool need_glyphs(charter_t *c, const ap_font_t *font, const char *text);
static pen_t pen_with(const pen_t *pen, const ap_font_t *font);
static bool plan(charter_t *c, double size);
static bool prepare(charter_t *c);
static void segment(charter_t *c, double x1, double y1, double x2, double y2, ap_color_t color, double width);
static bool wrap(const ap_font_t *font, double size, const char *text, double width, int max, wrap_t *out);
static bool label_clear(const charter_t *c, int i, double x, double top, double w);
static double x_of(const charter_t *c, int i);
static double y_of(const charter_t *c, double value);

//
// 'ap_chart_layout()' - Lay a bar or line chart out inside an area.
//
// The value axis runs from a nice minimum (0, or below the smallest negative
// value) to a nice maximum in 4-6 steps of 1, 2, 2.5 or 5 x 10^k. Labels
// that do not fit shrink together, half a point at a time, down to 6 pt;
// past that the chart fails naming its title and what did not fit.
//

bool                                    // O - `true` on success, `false` with a diagnostic
ap_chart_layout(ap_layout_ctx_t *ctx,   // I - Fonts, arena, diagnostics
                const ap_node_t *chart, // I - AP_NODE_CHART node
                ap_rect_t       area,   // I - Area on the page, points
                ap_box_t        ***tail)// IO - Where to append the boxes
{
  charter_t c;                          // The chart being laid out
  double    size;                       // Label size tried

  memset(&c, 0, sizeof(c));
  c.ctx = ctx;
  c.node = chart;
  c.area = area;
  c.tail = tail;
  c.elem = ++ctx->elems;
  c.name = chart->text && *chart->text                   ? chart->text
           : chart->spec && chart->spec->name && *chart->spec->name ? chart->spec->name
                                                                    : "untitled";

  // Check the data, find the scale and format every label once...
  if (!prepare(&c))
    return false;

  c.alt = alt_text(&c);

  // Try the styles' sizes, then smaller ones, until everything fits...
  size = c.style->size;
  while (!plan(&c, size)) {
    if (size <= MIN_SIZE)
      return ap_fail(ctx->diags, chart->loc,
                     "chart '%s': %s, even with labels at %.1f pt, in an area of %.1f x %.1f pt", c.name, c.why,
                     size, area.w, area.h);
    size = fmax(MIN_SIZE, size - SIZE_STEP);
  }

  // Draw the plan...
  draw(&c);
  return true;
}

// Append a box to the chain.
static void
add_box(charter_t *c, ap_box_t *box)
{
  box->role = "chart";
  box->elem = c->elem;
  box->tag = "Figure";
  box->alt = c->alt;
  **c->tail = box;
  *c->tail = &box->next;
}

// The chart's alternative text: what a reader sees, in words: its title
// with its unit line (or that line alone), then each point's category (and series) and value
// label as drawn, then each reference line's label:
// "Tốc độ tăng trưởng GRDP (Đơn vị: %): 2023: 12,27; 2024: 8,76; Bình quân
// 2020–2025: 9,24".
// In the job's arena (the chart's boxes are copied between arenas; their
// alt is not). NULL when the chart has neither title nor points.
static const char *
alt_text(charter_t *c)
{
  ap_arena_t *a = c->ctx->arena;
  const char *title = c->node->text && *c->node->text ? c->node->text : c->unit;
  char *s = title && title != c->unit && c->unit ? ap_arena_printf(a, "%s (%s)", title, c->unit)
                                                  : ap_arena_printf(a, "%s", title ? title : "");

  for (int i = 0; i < c->n; i++) {
    const char *cat = c->points[i]->text ? c->points[i]->text : "";
    const char *series = c->nseries > 1 ? c->snames[c->sidx[i]] : NULL;
    s = ap_arena_printf(a, "%s%s%s%s%s%s: %s", s, i ? "; " : *s ? ": " : "", cat, series ? " (" : "",
                        series ? series : "", series ? ")" : "", c->values[i]);
  }
  for (int i = 0; i < c->nrefs; i++)
    s = ap_arena_printf(a, "%s%s%s", s, *s ? "; " : "", c->ref_texts[i]);
  return *s ? ap_arena_strdup(c->ctx->job ? c->ctx->job : a, s) : NULL; // (no job: one arena for all)
}

// Append a line box holding one run of text with its top-left at (x, top).
static void
add_text(charter_t *c, const pen_t *pen, const char *text, size_t len, double x, double top, bool label)
{
  ap_box_t          *box = AP_NEW(c->ctx->arena, ap_box_t);       // The line
  ap_run_t          *run = AP_NEW(c->ctx->arena, ap_run_t);       // Its run
  ap_font_metrics_t m = ap_font_get_metrics(pen->font, pen->size); // For the baseline

  run->text = ap_arena_strndup(c->ctx->arena, text, len);
  run->font = pen->font;
  run->size = pen->size;
  run->width = ap_font_measure(pen->font, run->text, len, pen->size);
  run->x = x;
  run->baseline = top + (pen->lead - (m.ascender - m.descender)) / 2 + m.ascender;
  run->color = pen->color;
  run->label = label;
  box->kind = AP_BOX_LINE;
  box->rect = (ap_rect_t){x, top, run->width, pen->lead};
  box->runs = run;
  add_box(c, box);
}

// An RGB colour from 0xRRGGBB.
static ap_color_t
color_rgb(unsigned hex)
{
  ap_color_t color = {0};

  color.r = ((hex >> 16) & 0xFF) / 255.0;
  color.g = ((hex >> 8) & 0xFF) / 255.0;
  color.b = (hex & 0xFF) / 255.0;
  return color;
}

// Draw the planned chart: text at the top, gridlines, data, axes, labels, legend.
static void
draw(charter_t *c)
{
  ap_arena_t *arena = c->ctx->arena;   // Boxes
  double     top = c->area.y;           // Next free y at the top
  double     zero = y_of(c, 0);         // y of the category axis

  // Title, centred, then the unit at the left above the value axis...
  draw_wrap(c, &c->title, c->node->text, &c->title_pen, c->area.x, c->area.w, top, /*centre*/true,
            /*label*/false);
  top += c->title.n * c->title_pen.lead + (c->title.n ? c->gap : 0);
  pen_t unit_pen = pen_with(&c->pen, c->unit_font);
  draw_wrap(c, &c->unit_lines, c->unit, &unit_pen, c->area.x, c->area.w, top, /*centre*/false, /*label*/true);

  // Light gridlines at the ticks but zero, where the axis goes...
  for (int i = 0; i <= c->nticks; i++) {
    if (c->kmin + i != 0) {
      double y = y_of(c, (c->kmin + i) * c->step);
      segment(c, c->plot_l, y, c->plot_r, y, color_rgb(0xD0D0D0), 0.5);
    }
  }

  // Bars from the axis, or segments joining the points of one series and a
  // dot on each; a series' colour for its bars, line and dots...
  for (int i = 0; i < c->n; i++) {
    double x = x_of(c, i), y = y_of(c, c->points[i]->width);
    ap_color_t color = c->scolor[c->sidx[i]];
    int prev = i - 1;
    while (prev >= 0 && c->sidx[prev] != c->sidx[i])
      prev--;
    if (!c->line && y != zero) {
      ap_box_t *bar = AP_NEW(arena, ap_box_t);
      bar->kind = AP_BOX_RECT;
      bar->fill = true;
      bar->color = color;
      bar->rect = (ap_rect_t){x - 0.3 * c->slot, fmin(y, zero), 0.6 * c->slot, fabs(zero - y)};
      add_box(c, bar);
    } else if (c->line && prev >= 0) {
      segment(c, x_of(c, prev), y_of(c, c->points[prev]->width), x, y, color, c->stroke);
    }
  }
  for (int i = 0; c->line && i < c->n; i++) {
    ap_box_t *dot = AP_NEW(arena, ap_box_t);
    dot->kind = AP_BOX_ELLIPSE;
    dot->fill = true;
    dot->color = c->scolor[c->sidx[i]];
    dot->rect = (ap_rect_t){x_of(c, i) - c->radius, y_of(c, c->points[i]->width) - c->radius, 2 * c->radius,
                            2 * c->radius};
    add_box(c, dot);
  }
  draw_refs(c);

  // The axes: values on the left, categories along zero...
  segment(c, c->plot_l, c->plot_t, c->plot_l, c->plot_b, c->style->color, 0.75);
  segment(c, c->plot_l, zero, c->plot_r, zero, c->style->color, 0.75);

  // Tick labels right-aligned left of the axis, centred on their tick...
  for (int i = 0; i <= c->nticks; i++) {
    double w = ap_font_measure(c->font, c->ticks[i], strlen(c->ticks[i]), c->pen.size);
    add_text(c, &c->pen, c->ticks[i], strlen(c->ticks[i]), c->plot_l - c->gap - w,
             y_of(c, (c->kmin + i) * c->step) - c->pen.lead / 2, /*label*/true);
  }

  // Each value above its bar or dot (below when negative, or when another
  // series' line or a reference line would cross it above a dot and not below)...
  for (int i = 0; i < c->n; i++) {
    double v = c->points[i]->width, y = y_of(c, v), w;
    double off = 0.6 * c->gap + (c->line ? c->radius : 0);
    w = ap_font_measure(c->font, c->values[i], strlen(c->values[i]), c->pen.size);
    bool below = v < 0;
    if (c->line && !below && !label_clear(c, i, x_of(c, i) - w / 2, y - off - c->pen.lead, w) &&
        label_clear(c, i, x_of(c, i) - w / 2, y + off, w))
      below = true;
    add_text(c, &c->pen, c->values[i], strlen(c->values[i]), x_of(c, i) - w / 2,
             below ? y + off : y - off - c->pen.lead, /*label*/true);
  }

  // Category labels centred under their slots, below the plot...
  top = c->plot_b + (c->lo < 0 ? c->band : 0) + c->gap;
  for (int i = 0; i < c->n; i++) {
    pen_t cat_pen = pen_with(&c->pen, c->cat_fonts[i]);
    draw_wrap(c, &c->cats[i], c->points[i]->text, &cat_pen, x_of(c, i) - c->slot / 2, c->slot, top,
              /*centre*/true, /*label*/false);
  }
  draw_legend(c);
}

// The legend at the bottom, centred: a swatch and its text, one per series
// (side by side when they fit, else one under the other).
static void
draw_legend(charter_t *c)
{
  double top = c->area.y + c->area.h - c->legend_h; // Top of the legend

  if (c->nseries > 1) {
    double total = 0, x, y;
    for (int k = 0; k < c->nseries; k++)
      total += c->swatch + c->gap + c->entries[k].widest + (k ? 2 * c->gap : 0);
    x = c->area.x + (c->area.w - (c->legend_row ? total : 0)) / 2;
    for (int k = 0; k < c->nseries; k++) {
      double entry = c->swatch + c->gap + c->entries[k].widest;
      if (!c->legend_row)
        x = c->area.x + (c->area.w - entry) / 2;
      y = top + c->pen.lead / 2;
      draw_swatch(c, x, y, c->scolor[k]);
      pen_t pen = pen_with(&c->pen, c->sfont[k]);
      draw_wrap(c, &c->entries[k], c->snames[k], &pen, x + c->swatch + c->gap, c->entries[k].widest, top,
                /*centre*/false, /*label*/false);
      if (c->legend_row)
        x += entry + 2 * c->gap;
      else
        top += c->entries[k].n * c->pen.lead;
    }
    return;
  }

  if (c->legend_lines.n) {
    double group = c->swatch + c->gap + c->legend_lines.widest;
    double x = c->area.x + (c->area.w - group) / 2, y;
    y = top + c->pen.lead / 2;
    draw_swatch(c, x, y, c->color);
    pen_t legend_pen = pen_with(&c->pen, c->legend_font);
    draw_wrap(c, &c->legend_lines, c->legend, &legend_pen, x + c->swatch + c->gap, c->legend_lines.widest, top,
              /*centre*/false, /*label*/false);
  }
}

// Each reference value: a dashed line across the plot at its value, its
// label and value above the line at the plot's left.
static void
draw_refs(charter_t *c)
{
  for (int r = 0; r < c->nrefs; r++) {
    double y = y_of(c, c->refs[r]->width);
    for (double x = c->plot_l; x < c->plot_r - EPS; x += 2 * DASH)
      segment(c, x, y, fmin(x + DASH, c->plot_r), y, c->style->color, 1.0);
    pen_t pen = pen_with(&c->pen, c->ref_fonts[r]);
    add_text(c, &pen, c->ref_texts[r], strlen(c->ref_texts[r]), c->plot_l + c->gap, y - 0.3 * c->gap - pen.lead,
             /*label*/false);
  }
}

// A legend swatch at (x, centre y): a short line with a dot, or a square.
static void
draw_swatch(charter_t *c, double x, double y, ap_color_t color)
{
  if (c->line) {
    ap_box_t *dot = AP_NEW(c->ctx->arena, ap_box_t);
    segment(c, x, y, x + c->swatch, y, color, c->stroke);
    dot->kind = AP_BOX_ELLIPSE;
    dot->fill = true;
    dot->color = color;
    dot->rect = (ap_rect_t){x + c->swatch / 2 - c->radius, y - c->radius, 2 * c->radius, 2 * c->radius};
    add_box(c, dot);
  } else {
    ap_box_t *sw = AP_NEW(c->ctx->arena, ap_box_t);
    sw->kind = AP_BOX_RECT;
    sw->fill = true;
    sw->color = color;
    sw->rect = (ap_rect_t){x, y - c->swatch / 2, c->swatch, c->swatch};
    add_box(c, sw);
  }
}

// Draw wrapped lines from top, left-aligned at x or centred in [x, x + width].
static void
draw_wrap(charter_t *c, const wrap_t *w, const char *text, const pen_t *pen, double x, double width, double top,
          bool centre, bool label)
{
  for (int i = 0; i < w->n; i++)
    add_text(c, pen, text + w->start[i], w->len[i], centre ? x + (width - w->width[i]) / 2 : x,
             top + i * pen->lead, label);
}

// Format a value with `decimals` decimals, or when decimals < 0 with at most
// `max`, trailing zeros dropped: 53 → "53", 80.33 → "80,33", 7.5 → "7,5".
static bool
format_value(char *buf, size_t size, double value, int decimals, int max)
{
  char *comma; // The decimal comma, if any

  if (!ap_format_number(buf, size, value, decimals >= 0 ? decimals : max))
    return false;
  if (decimals < 0 && (comma = strchr(buf, ',')) != NULL) {
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == '0')
      buf[--len] = '\0';
    if (buf + len - 1 == comma)
      *comma = '\0';
  }
  return true;
}

// Height of one line of text: 1.2 times the size, or the face's extent if taller.
static double
line_height(const ap_font_t *font, double size)
{
  ap_font_metrics_t m = ap_font_get_metrics(font, size);

  return fmax(1.2 * size, m.ascender - m.descender);
}

// Fail unless the face has a glyph for every character of the text.
static bool
need_glyphs(charter_t *c, const ap_font_t *font, const char *text)
{
  uint32_t cp = text ? ap_font_find_missing(font, text, strlen(text)) : 0;

  if (cp)
    return ap_fail(c->ctx->diags, c->node->loc, "chart '%s': the face %s has no glyph for U+%04X in '%s'",
                   c->name, ap_font_name(font), (unsigned)cp, text);
  return true;
}

// Plan the chart at a label size (the title scaled alike); false with the
// reason in c->why when something does not fit.
static bool
plan(charter_t *c, double size)
{
  double k = size / c->style->size;     // Scale of every text
  double top, below, need;              // Heights at the top, below the plot, of the plot
  double pad;                           // Least room between neighbouring labels

  // Sizes, line heights and gaps at this scale...
  c->pen = (pen_t){c->font, size, line_height(c->font, size), c->style->color};
  c->title_pen.font = c->title_font;
  c->title_pen.size = fmax(c->title_style->size * k, fmin(c->title_style->size, MIN_SIZE));
  c->title_pen.lead = line_height(c->title_font, c->title_pen.size);
  c->title_pen.color = c->title_style->color;
  c->gap = 0.25 * size;
  c->radius = fmax(2.0, 1.25 * c->stroke) * fmin(1, k);
  c->band = c->pen.lead + 0.6 * c->gap + (c->line ? c->radius : 0);
  c->swatch = c->line ? 1.6 * size : 0.8 * size;
  pad = 0.2 * size;

  // Title, unit and legend across the area...
  if (!wrap(c->title_font, c->title_pen.size, c->node->text, c->area.w, MAX_LINES, &c->title)) {
    snprintf(c->why, sizeof(c->why), "the title does not fit in %d lines", MAX_LINES);
    return false;
  }
  if (!wrap(c->unit_font, size, c->unit, c->area.w, 2, &c->unit_lines)) {
    snprintf(c->why, sizeof(c->why), "'%s' does not fit in 2 lines", c->unit);
    return false;
  }
  memset(&c->legend_lines, 0, sizeof(c->legend_lines));
  if (c->nseries > 1) {
    // One entry per series, side by side when each is one line and all fit...
    double row = 0;
    int lines = 0;
    c->legend_row = true;
    for (int e = 0; e < c->nseries; e++) {
      if (!wrap(c->sfont[e], size, c->snames[e], c->area.w - c->swatch - c->gap, 2, &c->entries[e])) {
        snprintf(c->why, sizeof(c->why), "the legend entry '%s' does not fit in 2 lines", c->snames[e]);
        return false;
      }
      row += c->swatch + c->gap + c->entries[e].widest + (e ? 2 * c->gap : 0);
      lines += c->entries[e].n;
      c->legend_row &= c->entries[e].n == 1;
    }
    c->legend_row &= row <= c->area.w + EPS;
    c->legend_h = (c->legend_row ? 1 : lines) * c->pen.lead;
  } else {
    if (!wrap(c->legend_font, size, c->legend, c->area.w - c->swatch - c->gap, 2, &c->legend_lines)) {
      snprintf(c->why, sizeof(c->why), "the legend does not fit in 2 lines");
      return false;
    }
    c->legend_h = c->legend_lines.n * c->pen.lead;
  }

  // The plot starts right of the widest tick label; each point gets a slot...
  c->tick_w = 0;
  for (int i = 0; i <= c->nticks; i++)
    c->tick_w = fmax(c->tick_w, ap_font_measure(c->font, c->ticks[i], strlen(c->ticks[i]), size));
  c->plot_l = c->area.x + c->tick_w + c->gap;
  c->plot_r = c->area.x + c->area.w;
  c->per_unit = (c->plot_r - c->plot_l) / (c->span + c->dmin);
  c->slot = c->dmin * c->per_unit;
  if (c->slot - pad <= 0) {
    snprintf(c->why, sizeof(c->why), "no room for %d points", c->n);
    return false;
  }

  // Value labels and category labels must fit their slots...
  c->cat_lines = 0;
  for (int i = 0; i < c->n; i++) {
    if (ap_font_measure(c->font, c->values[i], strlen(c->values[i]), size) > c->slot - pad + EPS) {
      snprintf(c->why, sizeof(c->why), "the value label '%s' is wider than a slot of %.1f pt", c->values[i],
               c->slot - pad);
      return false;
    }
    if (!wrap(c->cat_fonts[i], size, c->points[i]->text, c->slot - pad, 2, &c->cats[i])) {
      snprintf(c->why, sizeof(c->why), "the category label '%s' does not fit a slot of %.1f pt in 2 lines",
               c->points[i]->text, c->slot - pad);
      return false;
    }
    if (c->cats[i].n > c->cat_lines)
      c->cat_lines = c->cats[i].n;
  }
  for (int r = 0; r < c->nrefs; r++) {
    if (ap_font_measure(c->ref_fonts[r], c->ref_texts[r], strlen(c->ref_texts[r]), size) >
        c->plot_r - c->plot_l - 2 * c->gap + EPS) {
      snprintf(c->why, sizeof(c->why), "the reference label '%s' is wider than the plot", c->ref_texts[r]);
      return false;
    }
  }

  // Heights: title and unit, a band for the value labels, the plot, the
  // category labels and the legend; ticks a line apart at least...
  top = c->area.y + c->title.n * c->title_pen.lead + (c->title.n ? c->gap : 0) + c->unit_lines.n * c->pen.lead +
        (c->unit_lines.n ? c->gap : 0);
  below = (c->lo < 0 ? c->band : 0) + (c->cat_lines ? c->gap + c->cat_lines * c->pen.lead : 0) +
          (c->legend_h > 0 ? 2 * c->gap + c->legend_h : 0);
  below = fmax(below, c->pen.lead / 2);
  c->plot_t = top + c->band;
  c->plot_b = c->area.y + c->area.h - below;
  need = c->nticks * c->pen.lead;
  if (c->plot_b - c->plot_t < need - EPS) {
    snprintf(c->why, sizeof(c->why), "the plot is %.1f pt high and needs %.1f", c->plot_b - c->plot_t, need);
    return false;
  }
  return true;
}

// Check the data, choose the scale, colours and faces, format the labels.
static bool
prepare(charter_t *c)
{
  ap_layout_ctx_t *ctx = c->ctx;        // Arena, diagnostics
  const ap_spec_t *spec = c->node->spec; // Chart settings
  double          vmin = 0, vmax = 0;   // Data range (with 0)
  int             i = 0;                // Point index
  char            buf[64];              // A formatted number

  // The chart needs a style with a family and at least one finite value...
  if (!spec || !c->node->style || !c->node->style->family)
    return ap_fail(ctx->diags, c->node->loc, "chart '%s': no label style", c->name);
  for (const ap_node_t *p = c->node->children; p; p = p->next) {
    if (p->kind == AP_NODE_POINT && p->level)
      c->nrefs++;
    else if (p->kind == AP_NODE_POINT)
      c->n++;
  }
  if (c->n == 0)
    return ap_fail(ctx->diags, c->node->loc, "chart '%s': no data point", c->name);
  c->points = AP_NEW_N(ctx->arena, const ap_node_t *, c->n);
  c->values = AP_NEW_N(ctx->arena, const char *, c->n);
  c->cats = AP_NEW_N(ctx->arena, wrap_t, c->n);
  c->pos = AP_NEW_N(ctx->arena, double, c->n);
  c->sidx = AP_NEW_N(ctx->arena, int, c->n);
  c->refs = AP_NEW_N(ctx->arena, const ap_node_t *, c->nrefs > 0 ? c->nrefs : 1);
  c->ref_texts = AP_NEW_N(ctx->arena, const char *, c->nrefs > 0 ? c->nrefs : 1);
  c->ref_fonts = AP_NEW_N(ctx->arena, const ap_font_t *, c->nrefs > 0 ? c->nrefs : 1);
  int r = 0;
  for (const ap_node_t *p = c->node->children; p; p = p->next) {
    if (p->kind != AP_NODE_POINT)
      continue;
    if (!isfinite(p->width) || fabs(p->width) > MAX_VALUE)
      return ap_fail(ctx->diags, p->loc, "chart '%s': the value of point '%s' is not a number within +/-1e15",
                     c->name, p->text ? p->text : "");
    vmin = fmin(vmin, p->width);
    vmax = fmax(vmax, p->width);
    if (p->level)
      c->refs[r++] = p;
    else
      c->points[i++] = p;
  }

  // Positions: the at= numbers, increasing, or one slot per point; each
  // point gets the least distance between neighbours...
  for (i = 0; i < c->n; i++) {
    c->pos[i] = spec->numeric_axis ? c->points[i]->height : i;
    if (i > 0 && !(c->pos[i] > c->pos[i - 1]))
      return ap_fail(ctx->diags, c->points[i]->loc,
                     "chart '%s': point '%s' at %g does not come after point '%s' at %g: on a numeric axis (at=) "
                     "the points go in increasing order", c->name, c->points[i]->text ? c->points[i]->text : "",
                     c->pos[i], c->points[i - 1]->text ? c->points[i - 1]->text : "", c->pos[i - 1]);
    if (i > 0 && (i == 1 || c->pos[i] - c->pos[i - 1] < c->dmin))
      c->dmin = c->pos[i] - c->pos[i - 1];
  }
  c->pmin = c->pos[0];
  c->span = c->pos[c->n - 1] - c->pos[0];
  if (c->n == 1)
    c->dmin = 1;

  // A nice scale: the smallest step 1, 2, 2.5, 5 x 10^k giving at most 6
  // intervals from a multiple below the minimum to one above the maximum...
  if (vmax - vmin <= 0)
    vmax = 1;
  int e = (int)floor(log10((vmax - vmin) / MAX_TICKS)) - 1, j = 0, kmax = 0;
  for (;; e++) {
    for (j = 0; j < 4; j++) {
      c->step = e >= 0 ? NICE[j] * pow(10, e) : NICE[j] / pow(10, -e);
      c->kmin = (int)floor(vmin / c->step + EPS);
      kmax = (int)ceil(vmax / c->step - EPS);
      if (kmax - c->kmin <= MAX_TICKS)
        break;
    }
    if (j < 4)
      break;
  }
  c->nticks = kmax - c->kmin;
  c->lo = c->kmin * c->step;
  c->hi = kmax * c->step;

  // Tick labels with the step's decimals, value labels with the chart's...
  int step_dec = (e < 0 ? -e : 0) + (NICE[j] == 2.5 && e <= 0 ? 1 : 0);
  for (i = 0; i <= c->nticks; i++) {
    if (!format_value(buf, sizeof(buf), (c->kmin + i) * c->step, -1, step_dec))
      return ap_fail(ctx->diags, c->node->loc, "chart '%s': cannot format the axis", c->name);
    c->ticks[i] = ap_arena_strdup(ctx->arena, buf);
  }
  for (i = 0; i < c->n; i++) {
    if (!format_value(buf, sizeof(buf), c->points[i]->width, spec->decimals, VALUE_DECIMALS))
      return ap_fail(ctx->diags, c->points[i]->loc, "chart '%s': cannot format the value of '%s'", c->name,
                     c->points[i]->text ? c->points[i]->text : "");
    c->values[i] = ap_arena_strdup(ctx->arena, buf);
  }
  if (spec->unit && *spec->unit)
    c->unit = ap_arena_printf(ctx->arena, "Đơn vị: %s", spec->unit);
  c->legend = c->node->text && *c->node->text ? c->node->text : spec->unit && *spec->unit ? spec->unit : NULL;
  for (r = 0; r < c->nrefs; r++) {
    if (!format_value(buf, sizeof(buf), c->refs[r]->width, spec->decimals, VALUE_DECIMALS))
      return ap_fail(ctx->diags, c->refs[r]->loc, "chart '%s': cannot format the value of '%s'", c->name,
                     c->refs[r]->text ? c->refs[r]->text : "");
    c->ref_texts[r] = c->refs[r]->text && *c->refs[r]->text
                          ? ap_arena_printf(ctx->arena, "%s: %s", c->refs[r]->text, buf)
                          : ap_arena_strdup(ctx->arena, buf);
  }

  // Colours and line width: the fill for bars, the stroke for lines...
  c->line = spec->columns == 1;
  c->color = color_rgb(0xC8102E);
  if (!c->line && spec->paint.fill)
    c->color = spec->paint.fill_color;
  else if (c->line && spec->paint.stroke)
    c->color = spec->paint.stroke_color;
  else if (c->line && spec->paint.fill)
    c->color = spec->paint.fill_color;
  c->stroke = spec->paint.stroke && spec->paint.stroke_width > 0 ? spec->paint.stroke_width : 1.5;

  // Series in order of first appearance (unnamed points: the chart's own),
  // coloured by colors=, else the fill or stroke, then the palette...
  for (i = 0; i < c->n; i++) {
    const char *name = c->points[i]->label;
    int k = 0;
    while (k < c->nseries && !(name ? c->snames[k] && !strcmp(c->snames[k], name) : !c->snames[k]))
      k++;
    if (k == c->nseries) {
      if (k == AP_CHART_MAX_SERIES)
        return ap_fail(ctx->diags, c->points[i]->loc, "chart '%s': point '%s' opens a series past the %d a chart "
                       "may have", c->name, c->points[i]->text ? c->points[i]->text : "", AP_CHART_MAX_SERIES);
      c->snames[k] = name;
      c->scolor[k] = k < spec->ncolors ? spec->colors[k]
                     : k == 0          ? c->color
                                       : color_rgb(PALETTE[(k - 1) % (int)(sizeof(PALETTE) / sizeof(PALETTE[0]))]);
      c->nseries++;
    }
    c->sidx[i] = k;
  }
  if (c->nseries == 1 && spec->ncolors > 0)
    c->color = c->scolor[0];
  for (int k = 0; k < c->nseries; k++)
    if (!c->snames[k])
      c->snames[k] = c->legend ? c->legend : "";

  // Faces: numbers in the style's face (it must have the digits); each
  // text label whole in the style's face, or in the first fallback family
  // that has all of it (as list markers and heading numbers are)...
  c->style = c->node->style;
  c->title_style = spec->style2 && spec->style2->family ? spec->style2 : c->style;
  if (!(c->font = ap_text_font(ctx, c->style, false, false, c->node->loc)) ||
      !need_glyphs(c, c->font, "0123456789,.-"))
    return false;
  if (!(c->title_font = label_face(c, c->title_style, c->node->text)) ||
      !(c->unit_font = label_face(c, c->style, c->unit)) || !(c->legend_font = label_face(c, c->style, c->legend)))
    return false;
  c->cat_fonts = AP_NEW_N(ctx->arena, const ap_font_t *, c->n > 0 ? c->n : 1);
  for (i = 0; i < c->n; i++)
    if (!(c->cat_fonts[i] = label_face(c, c->style, c->points[i]->text)))
      return false;
  for (int k = 0; c->nseries > 1 && k < c->nseries; k++)
    if (!(c->sfont[k] = label_face(c, c->style, c->snames[k])))
      return false;
  for (r = 0; r < c->nrefs; r++)
    if (!(c->ref_fonts[r] = label_face(c, c->style, c->ref_texts[r])))
      return false;
  return true;
}

// The face a label is set in: the style's when it has every character,
// else its family's first fallback that does (noted for the warning);
// NULL with an error naming the characters no face has.
static const ap_font_t *
label_face(charter_t *c, const ap_style_t *style, const char *text)
{
  if (!text || !*text)
    return ap_text_font(c->ctx, style, false, false, c->node->loc);
  return ap_text_label_font(c->ctx, style, false, false, text, c->node->loc);
}

// A pen that writes in another face (same size, line height, colour).
static pen_t
pen_with(const pen_t *pen, const ap_font_t *font)
{
  pen_t p = *pen;
  p.font = font;
  return p;
}

// Append a straight line from (x1, y1) to (x2, y2).
static void
segment(charter_t *c, double x1, double y1, double x2, double y2, ap_color_t color, double width)
{
  ap_box_t *seg = AP_NEW(c->ctx->arena, ap_box_t);

  seg->kind = AP_BOX_SEGMENT;
  seg->rect = (ap_rect_t){x1, y1, x2 - x1, y2 - y1};
  seg->color = color;
  seg->stroke = width;
  add_box(c, seg);
}

// Break text at spaces into at most max lines no wider than width; false
// when a word is wider or more lines are needed. NULL text gives no line.
static bool
wrap(const ap_font_t *font, double size, const char *text, double width, int max, wrap_t *out)
{
  const char *p = text;                 // Start of the next line

  memset(out, 0, sizeof(*out));
  if (!p)
    return true;
  while (*p == ' ')
    p++;
  while (*p) {
    const char *end = NULL, *q = p;     // End of the line so far, next word
    double     w = 0;                   // Width of the line so far

    // Take words while the line stays within the width...
    if (out->n == max)
      return false;
    for (;;) {
      const char *e = q;
      while (*e && *e != ' ')
        e++;
      double cw = ap_font_measure(font, p, (size_t)(e - p), size);
      if (cw > width + EPS) {
        if (!end)
          return false;
        break;
      }
      end = e;
      w = cw;
      for (q = e; *q == ' '; q++)
        ;
      if (!*q)
        break;
    }

    // Keep the line, go on after the spaces...
    out->start[out->n] = (size_t)(p - text);
    out->len[out->n] = (size_t)(end - p);
    out->width[out->n] = w;
    out->widest = fmax(out->widest, w);
    out->n++;
    for (p = end; *p == ' '; p++)
      ;
  }
  return true;
}

// True when no line of another series than point i's, and no reference
// line, crosses a value label at (x, top), w wide and a line high.
static bool
label_clear(const charter_t *c, int i, double x, double top, double w)
{
  double bottom = top + c->pen.lead;    // Bottom of the label

  for (int r = 0; r < c->nrefs; r++) {
    double ry = y_of(c, c->refs[r]->width);
    if (ry >= top && ry <= bottom)
      return false;
  }
  for (int j = 1; j < c->n; j++) {
    int prev = j - 1;
    if (c->sidx[j] == c->sidx[i])
      continue;
    while (prev >= 0 && c->sidx[prev] != c->sidx[j])
      prev--;
    if (prev < 0)
      continue;
    // The segment prev-j over the label's width: its y range there...
    double x1 = x_of(c, prev), x2 = x_of(c, j), y1 = y_of(c, c->points[prev]->width), y2 = y_of(c, c->points[j]->width);
    double a = fmax(x, x1), b = fmin(x + w, x2);
    if (a > b)
      continue;
    double ya = y1 + (y2 - y1) * (a - x1) / (x2 - x1), yb = y1 + (y2 - y1) * (b - x1) / (x2 - x1);
    if (fmax(ya, yb) >= top && fmin(ya, yb) <= bottom)
      return false;
  }
  return true;
}

// x of point i on the plot: the middle of its slot.
static double
x_of(const charter_t *c, int i)
{
  return c->plot_l + (c->pos[i] - c->pmin + c->dmin / 2) * c->per_unit;
}

// y of a value on the plot.
static double
y_of(const charter_t *c, double value)
{
  return c->plot_b - (value - c->lo) / (c->hi - c->lo) * (c->plot_b - c->plot_t);
}
