// Unit tests for render/ shapes and groups: rounded rectangles, CMYK
// colours, ellipses, segments, and pages drawn scaled into other pages
// (N-up handouts). Pages built by hand are written as a PDF, checked with
// qpdf and pdftotext, read back as operators (uncompressed) and as pixels
// (pdftoppm's PPM output).
#include "render-test.h"

#define SLIDE_TEXT "Hậu Giang 2024"
#define DPI 30           // Resolution of the pixel checks

typedef struct image_s {
  int w, h;               // Size in pixels
  unsigned char *rgb;     // Pixels, 3 bytes each, rows top to bottom (malloc'ed)
} image_t;

typedef struct rgb_s {
  int r, g, b;            // 0..255
} rgb_t;

static const ap_color_t RED = {.r = 0.85, .g = 0.1, .b = 0.1};
static const ap_color_t GREEN = {.r = 0.1, .g = 0.6, .b = 0.2};
static const ap_color_t SKY = {.r = 0.85, .g = 0.9, .b = 1};
static const ap_color_t MAGENTA = {.r = 1, .g = 0, .b = 1};
static const ap_color_t CMYK_GREEN = {.r = 0, .g = 0.65, .b = 0.3, .cmyk = true, .c = 1, .y = 1};
static const ap_color_t CMYK_MAGENTA = {.r = 0.9, .g = 0, .b = 0.55, .cmyk = true, .m = 1};
static const ap_color_t CMYK_BLACK = {.cmyk = true, .k = 1};

static ap_pages_t *build_pages(fixture_t *f);
static bool near(rgb_t c, int r, int g, int b);
static rgb_t pixel(const image_t *img, double x, double y);
static void rasterize(fixture_t *f, image_t *img);

// The pages in an arena; the private directory is TMPDIR too.
static int
setup(void **state)
{
  return setup_fixture(state, "shapes", /*tmpdir*/ true, /*arena*/ true);
}

// The tools read the file without a word: structure sound, the slide's text
// (in a face only the slide uses) once per group, no link from the slide.
static void
test_shapes_tools(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  static char out[OUTPUT_MAX];

  assert_true(ap_render_pdf(build_pages(f), f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 0);
  keep(f, "render-shapes.pdf");
  assert_int_equal(run(out, "qpdf --check '%s' 2>&1", f->pdf), 0);
  assert_int_equal(run(out, "pdftotext -f 1 -l 1 '%s' /dev/null 2>&1", f->pdf), 0);
  assert_string_equal(out, "");
  assert_int_equal(run(out, "pdftotext -enc UTF-8 -f 1 -l 1 '%s' - 2>&1", f->pdf), 0);
  printf("pdftotext:\n%s", out);
  assert_int_equal(count(out, SLIDE_TEXT), 2);
  assert_int_equal(count(out, "Trang chính"), 1);
  assert_int_equal(run(out, "pdffonts '%s' 2>&1 | grep -c 'CID TrueType'", f->pdf), 0);
  assert_string_equal(out, "2\n");
  assert_int_equal(run(out, "qpdf --qdf --object-streams=disable '%s' - 2>&1 | grep -a -c '/Subtype /Link'",
                       f->pdf), 1);
  assert_string_equal(out, "0\n");
  ap_diags_clear(&diags); // (the slide's link to nowhere is a warning)
}

// Uncompressed, the content stream shows the operators: CMYK fill and
// stroke, Bézier corners, the clip and the 0.4 scale of each group, q/Q in
// pairs.
static void
test_shapes_operators(void **state)
{
  fixture_t *f = *state;
  ap_render_options_t options = {/*compress*/ false};
  ap_diags_t diags = {0};
  size_t size;

  assert_true(ap_render_pdf(build_pages(f), f->pdf, &options, &diags));
  keep(f, "render-shapes-uncompressed.pdf");
  unsigned char *data = load(f->pdf, &size);
  char *text = malloc(size + 1), *start, *end;
  for (size_t i = 0; i < size; i++) // A string to search (NULs become spaces)
    text[i] = data[i] ? (char)data[i] : ' ';
  text[size] = '\0';

  // The page's content stream: the one that scales...
  assert_non_null(end = strstr(text, "\n0.4 0 0 0.4 "));
  for (start = end; start > text && strncmp(start, "\nstream\r\n", 9); start--)
    ;
  assert_true(start > text);
  assert_non_null(end = strstr(end, "endstream"));
  *end = '\0';
  assert_non_null(strstr(start, "\n1 0 1 0 k\n"));          // CMYK fill
  assert_non_null(strstr(start, "\n0 1 0 0 K\n"));          // CMYK stroke
  assert_non_null(strstr(start, "\n0 0 0 1 k\n"));          // CMYK text inside the group
  assert_int_equal(count(start, " c\n"), 4 + 4 + 2 * 4);     // Corners, ellipse, nested circles
  assert_int_equal(count(start, " re\nW\nn\n"), 4);         // Two groups, each with a nested one
  assert_int_equal(count(start, "\n0.4 0 0 0.4 "), 2);       // Slide → group
  assert_int_equal(count(start, " cm\n"), 4);
  assert_int_equal(count(start, "\nq\n"), 4);
  assert_int_equal(count(start, "Q\n"), 4);
  assert_false(contains(data, size, "/Subtype /Link")); // (the slide's link goes nowhere: no annotation)
  free(text);
  free(data);
  ap_diags_clear(&diags); // (the slide's link to nowhere is a warning)
}

// The page looks right: colours where the boxes are, rounded corners and
// the ellipse leave the bounding box's corners white, the groups show the
// slide's rectangle scaled and clip what overflows the slide, and the fill
// set inside a group does not leak out of it.
static void
test_shapes_pixels(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  image_t img;
  rgb_t c;

  assert_true(ap_render_pdf(build_pages(f), f->pdf, NULL, &diags));
  rasterize(f, &img);

  // Rounded rectangle, CMYK rectangle, ellipse, segment...
  assert_true(near(pixel(&img, 150, 100), 217, 26, 26));
  assert_true(near(pixel(&img, 52, 52), 255, 255, 255));   // Cut corner
  assert_true(near(pixel(&img, 60, 100), 217, 26, 26));    // Straight left edge
  c = pixel(&img, 400, 100);
  printf("CMYK 1 0 1 0: %d %d %d\n", c.r, c.g, c.b);
  assert_true(c.g > c.r + 60 && c.g > c.b + 60);
  assert_true(near(pixel(&img, 150, 230), 255, 230, 0));   // Ellipse inside
  assert_true(near(pixel(&img, 55, 185), 255, 255, 255));  // Its box's corner
  c = pixel(&img, 400, 230);                               // Segment's middle
  assert_true(c.r < 160 && c.g < 160 && c.b < 160);

  // The groups: background, the slide's green rectangle at 40 %, the
  // nested orange circle, the clip...
  for (int g = 0; g < 2; g++) {
    double x = g ? 300 : 50;                               // Group's left edge
    assert_true(near(pixel(&img, x + 80, 550), 217, 230, 255));
    assert_true(near(pixel(&img, x + 28, 474), 26, 153, 51));
    assert_true(near(pixel(&img, x + 120, 478), 255, 128, 0));
    assert_true(near(pixel(&img, x + 150, 546), 255, 0, 255)); // Overflow inside the box
    assert_true(near(pixel(&img, x + 180, 546), 255, 255, 255)); // Clipped
  }
  assert_true(near(pixel(&img, 75, 645), 26, 153, 51));    // Fill after Q
  free(img.rgb);
  ap_diags_clear(&diags); // (the slide's link to nowhere is a warning)
}

// Two renders of the same pages are byte-identical.
static void
test_shapes_deterministic(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  char other[160];
  size_t na, nb;

  snprintf(other, sizeof(other), "%s/again.pdf", f->dir);
  ap_pages_t *pages = build_pages(f);
  assert_true(ap_render_pdf(pages, f->pdf, NULL, &diags));
  assert_true(ap_render_pdf(pages, other, NULL, &diags));
  unsigned char *a = load(f->pdf, &na), *b = load(other, &nb);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  free(a);
  free(b);
  unlink(other);
  ap_diags_clear(&diags); // (the slide's link to nowhere is a warning)
}

// A page that draws itself is one error, and no file.
static void
test_shapes_cycle(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  ap_arena_t *a = f->arena;
  ap_pages_t *pages = AP_NEW(a, ap_pages_t);
  ap_page_t *page = add_page(a, pages, A4_WIDTH, A4_HEIGHT);
  char line[512];

  add_line(a, page, f->regular, 12, 72, 72, "Trang", RED, false);
  add_box(a, page, AP_BOX_GROUP, (ap_rect_t){72, 100, 300, 400})->source = page;
  assert_false(ap_render_pdf(pages, f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, line, sizeof(line));
  printf("%s\n", line);
  assert_non_null(strstr(line, "nested"));
  assert_int_equal(access(f->pdf, F_OK), -1);
  ap_diags_clear(&diags);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_shapes_tools),
    cmocka_unit_test(test_shapes_operators),
    cmocka_unit_test(test_shapes_pixels),
    cmocka_unit_test(test_shapes_deterministic),
    cmocka_unit_test(test_shapes_cycle),
  };
  return cmocka_run_group_tests(tests, setup, teardown_fixture);
}

// One A4 page: a rounded rectangle (RGB), a CMYK rectangle with a CMYK
// border, an ellipse, a rising segment, a line of text, then a 400 × 300
// slide drawn twice at 40 % (at x = 50 and 300, y = 450), with a border
// around the first, and a rectangle after them in the slide's green. The
// slide: a background, a green rectangle, a rectangle overflowing its right
// edge, its text in CMYK black and bold, a nested 100 × 100 page with an
// orange circle, a link and a destination (both ignored).
static ap_pages_t *
build_pages(fixture_t *f)
{
  ap_arena_t *a = f->arena;
  ap_pages_t *pages = AP_NEW(a, ap_pages_t);
  ap_page_t *page = add_page(a, pages, A4_WIDTH, A4_HEIGHT);
  ap_page_t *slide = add_page(a, NULL, 400, 300), *dot = add_page(a, NULL, 100, 100);
  ap_box_t *b;

  // The slide and its nested page...
  b = add_box(a, dot, AP_BOX_ELLIPSE, (ap_rect_t){0, 0, 100, 100});
  b->fill = true;
  b->color = (ap_color_t){.r = 1, .g = 0.5, .b = 0};
  b = add_box(a, slide, AP_BOX_RECT, (ap_rect_t){0, 0, 400, 300});
  b->fill = true;
  b->color = SKY;
  b = add_box(a, slide, AP_BOX_RECT, (ap_rect_t){20, 20, 100, 80});
  b->fill = true;
  b->color = GREEN;
  b = add_box(a, slide, AP_BOX_RECT, (ap_rect_t){350, 200, 200, 80});
  b->fill = true;
  b->color = MAGENTA;
  add_line(a, slide, f->bold, 24, 20, 140, SLIDE_TEXT, CMYK_BLACK, false);
  add_box(a, slide, AP_BOX_GROUP, (ap_rect_t){250, 20, 100, 100})->source = dot;
  b = add_box(a, slide, AP_BOX_LINK, (ap_rect_t){20, 140, 200, 30});
  b->name = "nowhere";
  b = add_box(a, slide, AP_BOX_DEST, (ap_rect_t){20, 140, 0, 0});
  b->name = "slide";
  b->title = "Slide";
  b->level = 1;

  // The page's shapes...
  b = add_box(a, page, AP_BOX_RECT, (ap_rect_t){50, 50, 200, 100});
  b->fill = true;
  b->color = RED;
  b->radius = 20;
  b = add_box(a, page, AP_BOX_RECT, (ap_rect_t){300, 50, 200, 100});
  b->fill = true;
  b->color = CMYK_GREEN;
  b->stroke = 2;
  b->stroke_color = CMYK_MAGENTA;
  b = add_box(a, page, AP_BOX_ELLIPSE, (ap_rect_t){50, 180, 200, 100});
  b->fill = true;
  b->color = (ap_color_t){.r = 1, .g = 0.9, .b = 0};
  b->stroke = 2;
  b->stroke_color = (ap_color_t){.r = 0, .g = 0, .b = 0.8};
  b = add_box(a, page, AP_BOX_SEGMENT, (ap_rect_t){300, 280, 200, -100});
  b->stroke = 3;
  b->color = (ap_color_t){.r = 0, .g = 0, .b = 0};
  add_line(a, page, f->regular, 12, 50, 400, "Trang chính", RED, false);

  // The slide twice, then a rectangle in the colour the slide used last...
  add_box(a, page, AP_BOX_GROUP, (ap_rect_t){50, 450, 160, 120})->source = slide;
  b = add_box(a, page, AP_BOX_RECT, (ap_rect_t){50, 450, 160, 120});
  b->stroke = 0.5;
  b->stroke_color = (ap_color_t){.r = 0.6, .g = 0.6, .b = 0.6};
  add_box(a, page, AP_BOX_GROUP, (ap_rect_t){300, 450, 160, 120})->source = slide;
  b = add_box(a, page, AP_BOX_RECT, (ap_rect_t){50, 620, 100, 50});
  b->fill = true;
  b->color = GREEN;
  return pages;
}

// True when a pixel is within 40 of a colour on each channel (and says
// which pixel when not).
static bool
near(rgb_t c, int r, int g, int b)
{
  bool ok = abs(c.r - r) <= 40 && abs(c.g - g) <= 40 && abs(c.b - b) <= 40;

  if (!ok)
    printf("pixel %d %d %d, expected about %d %d %d\n", c.r, c.g, c.b, r, g, b);
  return ok;
}

// The pixel at a point of the page (points, top-left origin).
static rgb_t
pixel(const image_t *img, double x, double y)
{
  int px = (int)(x * DPI / 72), py = (int)(y * DPI / 72);
  const unsigned char *p;

  assert_true(px >= 0 && px < img->w && py >= 0 && py < img->h);
  p = img->rgb + 3 * ((size_t)py * (size_t)img->w + (size_t)px);
  return (rgb_t){p[0], p[1], p[2]};
}

// Render page 1 at DPI with pdftoppm and read its binary PPM.
static void
rasterize(fixture_t *f, image_t *img)
{
  static char out[OUTPUT_MAX];
  char base[160], path[170];
  unsigned char *data;
  size_t size, off = 0;
  int fields[3], n = 0;

  snprintf(base, sizeof(base), "%s/page", f->dir);
  snprintf(path, sizeof(path), "%s.ppm", base);
  assert_int_equal(run(out, "pdftoppm -r %d -f 1 -l 1 -singlefile '%s' '%s' 2>&1", DPI, f->pdf, base), 0);
  assert_string_equal(out, "");
  data = load(path, &size);
  assert_true(size > 2 && data[0] == 'P' && data[1] == '6');

  // Header: "P6", width, height, maximum, white space between, comments
  // after '#'; one white-space byte before the pixels...
  off = 2;
  while (n < 3 && off < size) {
    if (data[off] == '#') {
      while (off < size && data[off] != '\n')
        off++;
    } else if (data[off] >= '0' && data[off] <= '9') {
      fields[n] = 0;
      while (off < size && data[off] >= '0' && data[off] <= '9')
        fields[n] = fields[n] * 10 + (data[off++] - '0');
      n++;
      continue;
    }
    off++;
  }
  off++;
  assert_int_equal(n, 3);
  assert_int_equal(fields[2], 255);
  assert_true(off + 3 * (size_t)fields[0] * (size_t)fields[1] <= size);
  img->w = fields[0];
  img->h = fields[1];
  img->rgb = malloc(3 * (size_t)img->w * (size_t)img->h);
  memcpy(img->rgb, data + off, 3 * (size_t)img->w * (size_t)img->h);
  free(data);
  unlink(path);
}
