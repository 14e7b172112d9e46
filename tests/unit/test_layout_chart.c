// Unit tests for layout/chart: bar and line charts of the GRDP figures laid
// out into an area by hand; labels, proportions, order, containment, failure;
// a numeric year axis (at=), series (series=, colors=) and reference values.
#define _POSIX_C_SOURCE 200809L // open_memstream
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "layout/chart/chart.h"

#define SANS AP_SOURCE_DIR "/fonts/LiberationSans-Regular.ttf"
#define SANS_BOLD AP_SOURCE_DIR "/fonts/LiberationSans-Bold.ttf"
#define GRDP_TITLE "GRDP bình quân đầu người"
#define GROWTH_TITLE "Tốc độ tăng trưởng GRDP"
#define TOL 1e-6 // Slack of containment checks, points

typedef struct fixture_s {
  ap_arena_t *arena;      // Nodes and boxes
  ap_fontset_t *fonts;    // Faces
  ap_diags_t diags;       // Errors
  ap_family_t family;     // Liberation Sans
  ap_style_t label;       // Labels: 9 pt grey
  ap_style_t title;       // Title: 11 pt bold
  ap_doc_t doc;           // Holds the family and styles
  ap_layout_ctx_t ctx;    // What ap_chart_layout takes
  ap_box_t *boxes;        // The chart's boxes
  ap_rect_t area;         // Where they were laid out
} fixture_t;

// A point label and value.
typedef struct point_s {
  const char *label; // Category
  double value;      // Value
} point_t;

static bool check(fixture_t *f, bool ok, const char *what);
static int count_kind(const fixture_t *f, ap_box_kind_t kind);
static ap_run_t *find_run(const fixture_t *f, const char *text);
static ap_node_t *make_chart(fixture_t *f, int type, const char *title, const char *unit, const point_t *points,
                             int n);
static bool run_chart(fixture_t *f, const ap_node_t *chart, double w_mm, double h_mm);

#define CHECK(f, cond) assert_true(check((f), (cond), #cond))

static const point_t grdp[] = {{"2020", 53}, {"2023", 80.33}, {"2024", 93.78}, {"2025 (ước)", 106.44}};
static const point_t growth[] = {{"2023", 12.27}, {"2024", 8.76}, {"Bình quân 2020–2025", 9.24}};

static int
setup(void **state)
{
  fixture_t *f = calloc(1, sizeof(*f));

  if (!f)
    abort();
  f->arena = ap_arena_create();
  f->fonts = ap_fontset_create();
  f->family.name = "Sans";
  f->family.files[0] = SANS;
  f->family.files[1] = SANS_BOLD;
  f->label = (ap_style_t){.name = "label", .family = &f->family, .size = 9, .leading = 11};
  f->label.color = (ap_color_t){.r = 0.2, .g = 0.2, .b = 0.2};
  f->title = (ap_style_t){.name = "title", .family = &f->family, .bold = true, .size = 11, .leading = 13};
  f->doc.families = &f->family;
  f->doc.styles = &f->label;
  f->ctx.doc = &f->doc;
  f->ctx.fonts = f->fonts;
  f->ctx.arena = f->arena;
  f->ctx.diags = &f->diags;
  *state = f;
  return 0;
}

static int
teardown(void **state)
{
  fixture_t *f = *state;

  ap_diags_clear(&f->diags);
  ap_fontset_destroy(f->fonts);
  ap_arena_destroy(f->arena);
  free(f);
  return 0;
}

// The bar chart: value labels, proportional bars, categories in order, title, unit, legend.
static void
test_bar(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 0, GRDP_TITLE, "triệu đồng/người", grdp, 4);
  const char *values[] = {"53", "80,33", "93,78", "106,44"};
  ap_box_t *bars[4] = {NULL};
  int nbars = 0;

  assert_true(run_chart(f, chart, 120, 80));

  // Every value label and the title, unit and ticks are there...
  for (int i = 0; i < 4; i++)
    CHECK(f, find_run(f, values[i]) != NULL);
  CHECK(f, find_run(f, GRDP_TITLE) != NULL);
  CHECK(f, find_run(f, "Đơn vị: triệu đồng/người") != NULL);
  CHECK(f, find_run(f, "0") != NULL && find_run(f, "120") != NULL && find_run(f, "60") != NULL);
  CHECK(f, find_run(f, GRDP_TITLE)->size == 11);

  // The bars (all but the legend swatch, the last rect) grow with the values...
  for (ap_box_t *b = f->boxes; b; b = b->next)
    if (b->kind == AP_BOX_RECT && nbars < 4 && b->rect.h > 20)
      bars[nbars++] = b;
  assert_true(check(f, nbars == 4, "four bars"));
  CHECK(f, count_kind(f, AP_BOX_RECT) == 5); // 4 bars and the swatch
  for (int i = 1; i < 4; i++) {
    double ratio = (bars[i]->rect.h / bars[0]->rect.h) / (grdp[i].value / grdp[0].value);
    CHECK(f, fabs(ratio - 1) < 0.005);
    CHECK(f, fabs(bars[i]->rect.y + bars[i]->rect.h - (bars[0]->rect.y + bars[0]->rect.h)) < TOL);
    CHECK(f, bars[i]->rect.x > bars[i - 1]->rect.x);
  }

  // Each value label stands centred above its bar...
  for (int i = 0; i < 4; i++) {
    ap_run_t *r = find_run(f, values[i]);
    CHECK(f, fabs(r->x + r->width / 2 - (bars[i]->rect.x + bars[i]->rect.w / 2)) < 0.01);
    CHECK(f, r->baseline < bars[i]->rect.y);
    CHECK(f, r->baseline > bars[i]->rect.y - 15);
  }

  // Categories left to right under their bars...
  for (int i = 0; i < 4; i++) {
    ap_run_t *r = find_run(f, grdp[i].label);
    CHECK(f, r != NULL);
    CHECK(f, r->baseline > bars[i]->rect.y + bars[i]->rect.h);
    CHECK(f, fabs(r->x + r->width / 2 - (bars[i]->rect.x + bars[i]->rect.w / 2)) < 0.01);
    if (i > 0)
      CHECK(f, r->x > find_run(f, grdp[i - 1].label)->x);
  }

  // Default colour, gridlines and axes...
  CHECK(f, fabs(bars[0]->color.r - 0xC8 / 255.0) < 1e-6 && fabs(bars[0]->color.b - 0x2E / 255.0) < 1e-6);
  CHECK(f, count_kind(f, AP_BOX_SEGMENT) == 6 + 2); // Gridlines 20..120, two axes
  CHECK(f, count_kind(f, AP_BOX_ELLIPSE) == 0);
}

// Decimals fixed by the chart, a fill colour, negative values below the axis.
static void
test_decimals_negative(void **state)
{
  fixture_t *f = *state;
  const point_t pts[] = {{"A", 3}, {"B", -1.5}, {"C", 0.25}};
  ap_node_t *chart = make_chart(f, 0, "Cán cân", NULL, pts, 3);
  ap_spec_t *spec = (ap_spec_t *)chart->spec;
  ap_box_t *bars[3] = {NULL};
  int nbars = 0;

  spec->decimals = 1;
  spec->paint.fill = true;
  spec->paint.fill_color = (ap_color_t){.b = 1};
  assert_true(run_chart(f, chart, 100, 70));
  CHECK(f, find_run(f, "3,0") && find_run(f, "-1,5") && find_run(f, "0,3"));
  CHECK(f, find_run(f, "-2") != NULL);                    // The axis goes below zero
  CHECK(f, find_run(f, "Đơn vị: ") == NULL);
  for (ap_box_t *b = f->boxes; b; b = b->next)
    if (b->kind == AP_BOX_RECT && nbars < 3)
      bars[nbars++] = b;
  assert_true(check(f, nbars == 3, "three bars"));
  CHECK(f, bars[0]->color.b == 1);
  CHECK(f, fabs(bars[0]->rect.y + bars[0]->rect.h - bars[1]->rect.y) < TOL); // Both meet the zero line
  CHECK(f, fabs(bars[1]->rect.h / bars[0]->rect.h - 0.5) < 0.005);
  CHECK(f, find_run(f, "-1,5")->baseline > bars[1]->rect.y + bars[1]->rect.h);
}

// Same input, same boxes.
static void
test_deterministic(void **state)
{
  fixture_t *f = *state;
  char *one = NULL, *two = NULL;
  size_t n1 = 0, n2 = 0;

  for (int k = 0; k < 2; k++) {
    ap_pages_t pages = {0};
    ap_page_t page = {.number = 1, .width = 400, .height = 300};
    FILE *out = open_memstream(k ? &two : &one, k ? &n2 : &n1);
    assert_true(run_chart(f, make_chart(f, 0, GRDP_TITLE, "triệu đồng/người", grdp, 4), 120, 80));
    page.boxes = f->boxes;
    pages.first = pages.last = &page;
    pages.count = 1;
    ap_pages_dump(&pages, out);
    fclose(out);
  }
  assert_true(n1 > 100 && n2 > 100);
  assert_string_equal(one, two);
  free(one);
  free(two);
}

// The line chart: segments join the points in order, a dot on each, labels.
static void
test_line(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 1, GROWTH_TITLE, "%", growth, 3);
  const char *values[] = {"12,27", "8,76", "9,24"};
  ap_box_t *dots[3] = {NULL}, *segs[2] = {NULL};
  int ndots = 0, nsegs = 0;

  assert_true(run_chart(f, chart, 120, 80));
  for (int i = 0; i < 3; i++)
    CHECK(f, find_run(f, values[i]) != NULL);
  CHECK(f, find_run(f, "Đơn vị: %") != NULL);
  CHECK(f, find_run(f, GROWTH_TITLE) != NULL);
  CHECK(f, find_run(f, "12,5") != NULL); // Step 2.5 up to 12.5

  // Dots and the segments between them, in the line colour (legend last)...
  for (ap_box_t *b = f->boxes; b; b = b->next) {
    if (b->kind == AP_BOX_ELLIPSE && ndots < 3)
      dots[ndots++] = b;
    if (b->kind == AP_BOX_SEGMENT && b->stroke == 1.5 && nsegs < 2)
      segs[nsegs++] = b;
  }
  assert_true(check(f, ndots == 3 && nsegs == 2, "three dots, two segments"));
  CHECK(f, count_kind(f, AP_BOX_ELLIPSE) == 4); // 3 points and the legend's
  CHECK(f, count_kind(f, AP_BOX_RECT) == 0);
  for (int i = 0; i < 2; i++) {
    double x1 = dots[i]->rect.x + dots[i]->rect.w / 2, y1 = dots[i]->rect.y + dots[i]->rect.h / 2;
    double x2 = dots[i + 1]->rect.x + dots[i + 1]->rect.w / 2, y2 = dots[i + 1]->rect.y + dots[i + 1]->rect.h / 2;
    CHECK(f, fabs(segs[i]->rect.x - x1) < TOL && fabs(segs[i]->rect.y - y1) < TOL);
    CHECK(f, fabs(segs[i]->rect.x + segs[i]->rect.w - x2) < TOL && fabs(segs[i]->rect.y + segs[i]->rect.h - y2) < TOL);
  }

  // Points stand at heights proportional to the values, above their labels...
  double zero = -1;
  for (ap_box_t *b = f->boxes; b; b = b->next)
    if (b->kind == AP_BOX_SEGMENT && b->rect.h == 0 && b->stroke == 0.75)
      zero = b->rect.y;
  CHECK(f, zero > 0);
  for (int i = 0; i < 3; i++) {
    double h = zero - (dots[i]->rect.y + dots[i]->rect.h / 2);
    double h0 = zero - (dots[0]->rect.y + dots[0]->rect.h / 2);
    CHECK(f, fabs(h / h0 / (growth[i].value / growth[0].value) - 1) < 0.005);
    CHECK(f, find_run(f, values[i])->baseline < dots[i]->rect.y);
  }
  CHECK(f, find_run(f, "Bình quân 2020–2025") != NULL || find_run(f, "Bình quân") != NULL);
}

// Years on a numeric axis: x distances proportional to the years.
static void
test_numeric_axis(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 1, GRDP_TITLE, "triệu đồng/người", grdp, 4);
  const double years[] = {2020, 2023, 2024, 2025};
  double x[4];
  int i = 0;

  ((ap_spec_t *)chart->spec)->numeric_axis = true;
  for (ap_node_t *p = chart->children; p; p = p->next)
    p->height = years[i++];
  assert_true(run_chart(f, chart, 120, 80));
  i = 0;
  for (ap_box_t *b = f->boxes; b; b = b->next)
    if (b->kind == AP_BOX_ELLIPSE && i < 4)
      x[i++] = b->rect.x + b->rect.w / 2;
  assert_true(check(f, i == 4, "four dots"));
  CHECK(f, fabs((x[1] - x[0]) / (x[2] - x[1]) - 3) < 1e-9); // 2020 … 2023 is three steps of 2023 … 2024
  CHECK(f, fabs((x[3] - x[2]) / (x[2] - x[1]) - 1) < 1e-9);
  // Each category label centred under its dot...
  for (i = 0; i < 4; i++) {
    ap_run_t *r = find_run(f, grdp[i].label);
    CHECK(f, r && fabs(r->x + r->width / 2 - x[i]) < 0.01);
  }
}

// Out of order on a numeric axis: an error naming both points.
static void
test_numeric_axis_order(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 1, GRDP_TITLE, NULL, grdp, 4);
  const double years[] = {2020, 2024, 2023, 2025};
  char msg[512];
  int i = 0;

  ((ap_spec_t *)chart->spec)->numeric_axis = true;
  for (ap_node_t *p = chart->children; p; p = p->next)
    p->height = years[i++];
  assert_false(run_chart(f, chart, 120, 80));
  ap_diag_format(f->diags.first, msg, sizeof(msg));
  assert_non_null(strstr(msg, "point '2024' at 2023 does not come after point '2023' at 2024"));
}

// Two series: a line joins only the points of one series, each in its colour,
// a legend entry per series.
static void
test_series(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 1, "GRDP và thu nhập", "triệu đồng/người", grdp, 4);
  const char *names[] = {"Thu nhập bình quân đầu người", "GRDP bình quân đầu người", "GRDP bình quân đầu người",
                         "Thu nhập bình quân đầu người"};
  ap_color_t colors[2] = {{.r = 0.5, .g = 0.5, .b = 0.5}, {.r = 1}};
  ap_box_t *dots[4] = {NULL};
  int ndots = 0, nsegs = 0, i = 0;

  ((ap_spec_t *)chart->spec)->colors = colors;
  ((ap_spec_t *)chart->spec)->ncolors = 2;
  for (ap_node_t *p = chart->children; p; p = p->next)
    p->label = names[i++];
  assert_true(run_chart(f, chart, 140, 80));
  for (ap_box_t *b = f->boxes; b; b = b->next)
    if (b->kind == AP_BOX_ELLIPSE && ndots < 4)
      dots[ndots++] = b;
  assert_true(check(f, ndots == 4, "four dots"));
  CHECK(f, dots[0]->color.r == 0.5 && dots[3]->color.r == 0.5 && dots[1]->color.r == 1 && dots[2]->color.r == 1);

  // Every data segment joins two dots of one series, in that series' colour...
  for (ap_box_t *b = f->boxes; b; b = b->next) {
    if (b->kind != AP_BOX_SEGMENT || b->stroke != 1.5 || b->rect.h == 0)
      continue;
    int a = -1, z = -1;
    for (int k = 0; k < 4; k++) {
      double cx = dots[k]->rect.x + dots[k]->rect.w / 2, cy = dots[k]->rect.y + dots[k]->rect.h / 2;
      if (fabs(b->rect.x - cx) < TOL && fabs(b->rect.y - cy) < TOL)
        a = k;
      if (fabs(b->rect.x + b->rect.w - cx) < TOL && fabs(b->rect.y + b->rect.h - cy) < TOL)
        z = k;
    }
    nsegs++;
    CHECK(f, a >= 0 && z >= 0 && !strcmp(names[a], names[z]));
    CHECK(f, a >= 0 && b->color.r == dots[a]->color.r);
  }
  CHECK(f, nsegs == 2); // 2020-2025 and 2023-2024, never 2020-2023 or 2024-2025

  // The legend names both series, the chart's title is no entry...
  CHECK(f, find_run(f, names[0]) != NULL && find_run(f, names[1]) != NULL);
  CHECK(f, find_run(f, names[0])->baseline == find_run(f, names[1])->baseline); // Side by side
  CHECK(f, count_kind(f, AP_BOX_ELLIPSE) == 4 + 2);
}

// A reference value: a dashed line at its value with its label, no dot, no
// slot, no segment to it; a value label it would cross goes below its dot.
static void
test_reference(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 1, GROWTH_TITLE, "%", growth, 3);
  ap_box_t *dots[3] = {NULL};
  int ndots = 0, ndash = 0, nsegs = 0;
  double dash_y = -1, zero = -1;

  chart->last->level = 1; // "Bình quân 2020–2025"
  assert_true(run_chart(f, chart, 120, 80));
  for (ap_box_t *b = f->boxes; b; b = b->next) {
    if (b->kind == AP_BOX_ELLIPSE && ndots < 3)
      dots[ndots++] = b;
    if (b->kind == AP_BOX_SEGMENT && b->stroke == 1.0 && b->rect.h == 0) {
      ndash++;
      dash_y = b->rect.y;
    }
    if (b->kind == AP_BOX_SEGMENT && b->stroke == 1.5 && b->rect.h != 0)
      nsegs++;
    if (b->kind == AP_BOX_SEGMENT && b->rect.h == 0 && b->stroke == 0.75)
      zero = b->rect.y;
  }
  CHECK(f, count_kind(f, AP_BOX_ELLIPSE) == 2 + 1); // 2023, 2024 and the legend's
  CHECK(f, nsegs == 1);                             // 2023-2024 only
  CHECK(f, ndash >= 20);
  CHECK(f, find_run(f, "9,24") == NULL);
  ap_run_t *label = find_run(f, "Bình quân 2020–2025: 9,24");
  assert_true(check(f, label != NULL, "the reference label"));
  CHECK(f, label->baseline < dash_y && dash_y - label->baseline < 6);
  // Its height: 9.24 against 12.27 at the first dot
  double h0 = zero - (dots[0]->rect.y + dots[0]->rect.h / 2);
  CHECK(f, fabs((zero - dash_y) / h0 - 9.24 / 12.27) < 0.005);
  // Two points, each half the plot: 2024's label "8,76" under its dot (the line at 9,24 is just above)
  CHECK(f, find_run(f, "8,76")->baseline > dots[1]->rect.y + dots[1]->rect.h);
  CHECK(f, find_run(f, "12,27")->baseline < dots[0]->rect.y);
  CHECK(f, find_run(f, "Bình quân 2020–2025") == NULL); // No category of its own
}

// A narrow area shrinks the labels, down to 6 pt.
static void
test_shrink(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 0, GRDP_TITLE, "triệu đồng/người", grdp, 4);

  assert_true(run_chart(f, chart, 45, 60));
  CHECK(f, find_run(f, "106,44")->size < 9);
  CHECK(f, find_run(f, "106,44")->size >= 6);
}

// A 20 x 10 mm area cannot hold it: the error names the chart.
static void
test_too_small(void **state)
{
  fixture_t *f = *state;
  ap_node_t *chart = make_chart(f, 0, GRDP_TITLE, "triệu đồng/người", grdp, 4);
  char msg[512];

  assert_false(run_chart(f, chart, 20, 10));
  assert_int_equal(f->diags.errors, 1);
  ap_diag_format(f->diags.first, msg, sizeof(msg));
  assert_non_null(strstr(msg, "chart '" GRDP_TITLE "'"));
  assert_non_null(strstr(msg, "test.xml:7:3: error:"));
}

// Check a condition; when false, print the boxes to help.
static bool
check(fixture_t *f, bool ok, const char *what)
{
  if (!ok) {
    ap_pages_t pages = {0};
    ap_page_t page = {.number = 1, .width = f->area.x + f->area.w, .height = f->area.y + f->area.h};
    page.boxes = f->boxes;
    pages.first = pages.last = &page;
    pages.count = 1;
    fprintf(stderr, "failed: %s\n", what);
    ap_pages_dump(&pages, stderr);
  }
  return ok;
}

// Number of boxes of a kind.
static int
count_kind(const fixture_t *f, ap_box_kind_t kind)
{
  int n = 0;

  for (const ap_box_t *b = f->boxes; b; b = b->next)
    n += b->kind == kind;
  return n;
}

// The run with exactly this text, NULL when none.
static ap_run_t *
find_run(const fixture_t *f, const char *text)
{
  for (const ap_box_t *b = f->boxes; b; b = b->next)
    for (ap_run_t *r = b->runs; r; r = r->next)
      if (!strcmp(r->text, text))
        return r;
  return NULL;
}

// A chart node of a type (0 bar, 1 line) with points.
static ap_node_t *
make_chart(fixture_t *f, int type, const char *title, const char *unit, const point_t *points, int n)
{
  ap_loc_t loc = {"test.xml", 7, 3};
  ap_node_t *chart = ap_node_new(f->arena, AP_NODE_CHART, loc);
  ap_spec_t *spec = AP_NEW(f->arena, ap_spec_t);

  spec->columns = type;
  spec->unit = unit;
  spec->decimals = -1;
  spec->style2 = &f->title;
  chart->spec = spec;
  chart->text = title;
  chart->style = &f->label;
  for (int i = 0; i < n; i++) {
    ap_node_t *pt = ap_node_new(f->arena, AP_NODE_POINT, loc);
    pt->text = points[i].label;
    pt->width = points[i].value;
    ap_node_append(chart, pt);
  }
  return chart;
}

// Lay the chart out at (30 mm, 40 mm) in w x h mm; on success check that
// every box and run lies inside the area.
static bool
run_chart(fixture_t *f, const ap_node_t *chart, double w_mm, double h_mm)
{
  ap_box_t **tail = &f->boxes;
  ap_rect_t a = {ap_mm(30), ap_mm(40), ap_mm(w_mm), ap_mm(h_mm)};

  f->boxes = NULL;
  f->area = a;
  if (!ap_chart_layout(&f->ctx, chart, a, &tail))
    return false;
  assert_null(*tail);
  for (const ap_box_t *b = f->boxes; b; b = b->next) {
    double x0 = fmin(b->rect.x, b->rect.x + b->rect.w), x1 = fmax(b->rect.x, b->rect.x + b->rect.w);
    double y0 = fmin(b->rect.y, b->rect.y + b->rect.h), y1 = fmax(b->rect.y, b->rect.y + b->rect.h);
    CHECK(f, b->role && !strcmp(b->role, "chart"));
    CHECK(f, x0 >= a.x - TOL && x1 <= a.x + a.w + TOL && y0 >= a.y - TOL && y1 <= a.y + a.h + TOL);
    for (const ap_run_t *r = b->runs; r; r = r->next) {
      CHECK(f, r->x >= a.x - TOL && r->x + r->width <= a.x + a.w + TOL);
      CHECK(f, r->baseline > a.y && r->baseline < a.y + a.h);
      CHECK(f, r->size >= 6);
    }
  }
  return true;
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_bar, setup, teardown),
    cmocka_unit_test_setup_teardown(test_decimals_negative, setup, teardown),
    cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
    cmocka_unit_test_setup_teardown(test_line, setup, teardown),
    cmocka_unit_test_setup_teardown(test_numeric_axis, setup, teardown),
    cmocka_unit_test_setup_teardown(test_numeric_axis_order, setup, teardown),
    cmocka_unit_test_setup_teardown(test_series, setup, teardown),
    cmocka_unit_test_setup_teardown(test_reference, setup, teardown),
    cmocka_unit_test_setup_teardown(test_shrink, setup, teardown),
    cmocka_unit_test_setup_teardown(test_too_small, setup, teardown),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
