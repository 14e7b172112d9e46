// Unit tests for render/ images: PNGs of every kind (written here with
// libpng) and a JPEG (libjpeg) are checked into a set, drawn, and the PDF
// is read back: the colour space pdfimages sees, the soft mask of an image
// with transparency, and the colours poppler paints at points of the page.
#include "render-test.h"

#include <jpeglib.h>
#include <png.h>

#define BOX_X 100.0    // The image box: 200 x 100 pt at (100, 100) from the top left
#define BOX_Y 100.0
#define LEFT_X 150     // A point of the left half, the right half, at 72 dpi (1 pt = 1 px)
#define RIGHT_X 250
#define MID_Y 150

typedef struct rgb_s {
  int r, g, b;                  // 0..255
} rgb_t;

static void draw(fixture_t *f, const char *path);
static void expect_color(fixture_t *f, int x, int y, rgb_t want, int tolerance);
static void write_jpeg(const char *path, rgb_t color);
static void write_png(const char *path, int type, const unsigned char *pixels, const png_color *palette,
                      int npalette, const png_byte *trns, int ntrns);

// The private directory holds the images and the PDF.
static int
setup(void **state)
{
  return setup_fixture(state, "images", /*tmpdir*/ false, /*arena*/ true);
}

// RGB, gray and palette PNGs keep their colour space (palette as Indexed)
// and paint their own colours.
static void
test_images_opaque(void **state)
{
  fixture_t *f = *state;
  static char out[OUTPUT_MAX];
  char path[160];
  static const unsigned char rgb[6] = {255, 0, 0, 0, 0, 255}, gray[2] = {0, 200}, index[2] = {1, 0};
  static const png_color palette[2] = {{250, 200, 0}, {10, 120, 30}};

  snprintf(path, sizeof(path), "%s/rgb.png", f->dir);
  write_png(path, PNG_COLOR_TYPE_RGB, rgb, NULL, 0, NULL, 0);
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 2 1 rgb image\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){255, 0, 0}, 3);
  expect_color(f, RIGHT_X, MID_Y, (rgb_t){0, 0, 255}, 3);

  snprintf(path, sizeof(path), "%s/gray.png", f->dir);
  write_png(path, PNG_COLOR_TYPE_GRAY, gray, NULL, 0, NULL, 0);
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 2 1 gray image\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){0, 0, 0}, 3);
  expect_color(f, RIGHT_X, MID_Y, (rgb_t){200, 200, 200}, 3);

  snprintf(path, sizeof(path), "%s/palette.png", f->dir);
  write_png(path, PNG_COLOR_TYPE_PALETTE, index, palette, 2, NULL, 0);
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 2 1 index image\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){10, 120, 30}, 3);
  expect_color(f, RIGHT_X, MID_Y, (rgb_t){250, 200, 0}, 3);
  assert_int_equal(run(out, "head -c 8 '%s'", f->pdf), 0);
  assert_string_equal(out, "%PDF-1.5"); // Object streams (save.c): PDF 1.5
}

// Transparency (an alpha channel, or a transparent palette entry) becomes
// a DeviceGray soft mask: the page shows through where the image is clear.
static void
test_images_alpha(void **state)
{
  fixture_t *f = *state;
  static char out[OUTPUT_MAX];
  char path[160];
  static const unsigned char rgba[8] = {255, 0, 0, 0, 0, 128, 0, 255}, index[2] = {0, 1};
  static const png_color palette[2] = {{0, 0, 0}, {0, 0, 200}};
  static const png_byte trns[1] = {0};

  snprintf(path, sizeof(path), "%s/rgba.png", f->dir);
  write_png(path, PNG_COLOR_TYPE_RGB_ALPHA, rgba, NULL, 0, NULL, 0);
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 2 1 rgb image\nsmask 2 1 gray image\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){255, 255, 255}, 3); // The white page through the clear half
  expect_color(f, RIGHT_X, MID_Y, (rgb_t){0, 128, 0}, 3);
  assert_int_equal(run(out, "head -c 8 '%s'", f->pdf), 0);
  assert_string_equal(out, "%PDF-1.5"); // Soft masks need PDF 1.4; object streams 1.5
  assert_int_equal(run(out, "qpdf --check '%s' >/dev/null 2>&1", f->pdf), 0);

  snprintf(path, sizeof(path), "%s/palette-trns.png", f->dir);
  write_png(path, PNG_COLOR_TYPE_PALETTE, index, palette, 2, trns, 1);
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 2 1 rgb image\nsmask 2 1 gray image\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){255, 255, 255}, 3);
  expect_color(f, RIGHT_X, MID_Y, (rgb_t){0, 0, 200}, 3);
}

// A JPEG goes in as it is: DCT-encoded, its colour painted.
static void
test_images_jpeg(void **state)
{
  fixture_t *f = *state;
  static char out[OUTPUT_MAX];
  char path[160];

  snprintf(path, sizeof(path), "%s/photo.jpg", f->dir);
  write_jpeg(path, (rgb_t){40, 80, 160});
  draw(f, path);
  assert_int_equal(run(out, "pdfimages -list '%s' | awk 'NR > 2 { print $3, $4, $5, $6, $9 }'", f->pdf), 0);
  assert_string_equal(out, "image 16 8 rgb jpeg\n");
  expect_color(f, LEFT_X, MID_Y, (rgb_t){40, 80, 160}, 8);
  assert_int_equal(run(out, "qpdf --check '%s' >/dev/null 2>&1", f->pdf), 0);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_images_opaque),
    cmocka_unit_test(test_images_alpha),
    cmocka_unit_test(test_images_jpeg),
  };
  return cmocka_run_group_tests(tests, setup, teardown_fixture);
}

// Check the image file into a fresh set and draw it alone on an A4 page,
// in the box, into f->pdf.
static void
draw(fixture_t *f, const char *path)
{
  ap_images_t *set = ap_images_create();
  ap_render_options_t options = {.compress = true, .images = set};
  ap_pages_t *pages = AP_NEW(f->arena, ap_pages_t);
  ap_page_t *page = add_page(f->arena, pages, A4_WIDTH, A4_HEIGHT);
  ap_diags_t diags = {0};

  check_image(set, path);
  add_box(f->arena, page, AP_BOX_IMAGE, (ap_rect_t){BOX_X, BOX_Y, 200, 100})->name = path;
  assert_true(ap_render_pdf(pages, f->pdf, &options, &diags));
  assert_int_equal(diags.errors, 0);
  ap_images_destroy(set);
}

// The colour poppler paints at (x, y) of page 1 at 72 dpi, within tolerance.
static void
expect_color(fixture_t *f, int x, int y, rgb_t want, int tolerance)
{
  static char out[OUTPUT_MAX];
  char ppm[160];
  size_t size;
  unsigned char *data;

  snprintf(ppm, sizeof(ppm), "%s/pixel", f->dir);
  assert_int_equal(run(out, "pdftoppm -r 72 -x %d -y %d -W 1 -H 1 -singlefile '%s' '%s' 2>&1", x, y, f->pdf, ppm), 0);
  strcat(ppm, ".ppm");
  data = load(ppm, &size);
  assert_true(size >= 3);
  rgb_t got = {data[size - 3], data[size - 2], data[size - 1]};
  printf("(%d, %d): %d %d %d, expected %d %d %d\n", x, y, got.r, got.g, got.b, want.r, want.g, want.b);
  assert_true(abs(got.r - want.r) <= tolerance && abs(got.g - want.g) <= tolerance && abs(got.b - want.b) <= tolerance);
  free(data);
  unlink(ppm);
}

// A 16 x 8 JPEG of one colour, through libjpeg.
static void
write_jpeg(const char *path, rgb_t color)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char row[16 * 3];
  JSAMPROW rows[1] = {row};
  FILE *fp = fopen(path, "wb");

  assert_non_null(fp);
  for (int x = 0; x < 16; x++)
    row[3 * x] = (unsigned char)color.r, row[3 * x + 1] = (unsigned char)color.g, row[3 * x + 2] = (unsigned char)color.b;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, fp);
  cinfo.image_width = 16;
  cinfo.image_height = 8;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    jpeg_write_scanlines(&cinfo, rows, 1);
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  fclose(fp);
}

// A 2 x 1 PNG, 8 bits per sample, of the given row of pixels, with a
// palette and tRNS entries when given, through libpng.
static void
write_png(const char *path, int type, const unsigned char *pixels, const png_color *palette, int npalette,
          const png_byte *trns, int ntrns)
{
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  FILE *fp = fopen(path, "wb");

  assert_non_null(png);
  assert_non_null(info);
  assert_non_null(fp);
  if (setjmp(png_jmpbuf(png)))
    fail_msg("libpng could not write %s", path);
  png_init_io(png, fp);
  png_set_IHDR(png, info, 2, 1, 8, type, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (palette)
    png_set_PLTE(png, info, palette, npalette);
  if (trns)
    png_set_tRNS(png, info, trns, ntrns, NULL);
  png_write_info(png, info);
  png_write_row(png, pixels);
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  fclose(fp);
}
