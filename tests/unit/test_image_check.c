// Unit tests for image/: PNG and JPEG bytes made here with libpng and
// libjpeg, then cut, damaged or given impossible headers. Every good image
// must decode to the pixels written; every bad one must give exactly one
// error naming the file, print nothing, and never abort.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "image/image.h"

#define PATH "pictures/x.png"   // Name every image is added under
#define LOC ((ap_loc_t){"layout.xml", 8, 5})

typedef struct buffer_s {
  unsigned char *data;          // Bytes (malloc'ed)
  size_t size, room;            // Used and allocated
} buffer_t;

static unsigned char *copy(const unsigned char *data, size_t size);
static size_t find_chunk(const unsigned char *png, size_t size, const char *type);
static void fix_crc(unsigned char *png, size_t at);
static unsigned char *make_jpeg(int width, int height, int components, bool progressive, size_t *size);
static unsigned char *make_png(int width, int height, int type, int depth, bool interlace, bool trns,
                               size_t *size);
static unsigned char opacity(int x, int y);
static unsigned char pattern(int x, int y, int c);
static char *refuse(const unsigned char *data, size_t size, const ap_image_limits_t *limits);
static void write_png_bytes(png_structp png, png_bytep data, size_t count);

// Good PNGs of every colour type decode to what was written: RGB and gray
// as 8-bit pixels, RGBA's opacity in a plane of its own (none when every
// pixel is opaque), 16 bits scaled to 8, interlaced the same as not.
static void
test_png_good(void **state)
{
  ap_images_t *set = ap_images_create();
  ap_diags_t diags = {0};
  const ap_image_t *im;
  unsigned char *png;
  size_t size;

  (void)state;

  // RGB, 8 bits: the pattern, row by row...
  png = make_png(13, 7, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  assert_non_null(im = ap_images_add(set, "rgb.png", png, size, NULL, &diags, LOC));
  assert_int_equal(diags.errors, 0);
  assert_int_equal(im->format, AP_IMAGE_PNG);
  assert_int_equal(im->width, 13);
  assert_int_equal(im->height, 7);
  assert_int_equal(im->color, AP_IMAGE_RGB);
  assert_int_equal(im->components, 3);
  assert_null(im->alpha);
  for (int y = 0; y < 7; y++)
    for (int x = 0; x < 13; x++)
      for (int c = 0; c < 3; c++)
        assert_int_equal(im->pixels[(y * 13 + x) * 3 + c], pattern(x, y, c));

  // Interlaced: the same pixels...
  png = make_png(13, 7, PNG_COLOR_TYPE_RGB, 8, true, false, &size);
  const ap_image_t *il = ap_images_add(set, "interlaced.png", png, size, NULL, &diags, LOC);
  assert_non_null(il);
  assert_memory_equal(il->pixels, im->pixels, 13 * 7 * 3);

  // RGBA: colour packed, opacity apart (the pattern's fourth channel)...
  png = make_png(5, 4, PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false, &size);
  assert_non_null(im = ap_images_add(set, "rgba.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->components, 3);
  assert_non_null(im->alpha);
  for (int y = 0; y < 4; y++)
    for (int x = 0; x < 5; x++) {
      assert_int_equal(im->alpha[y * 5 + x], opacity(x, y));
      assert_int_equal(im->pixels[(y * 5 + x) * 3 + 2], pattern(x, y, 2));
    }

  // Gray + alpha, 16 bits: gray scaled to 8 bits, opacity apart...
  png = make_png(6, 3, PNG_COLOR_TYPE_GRAY_ALPHA, 16, false, false, &size);
  assert_non_null(im = ap_images_add(set, "ga16.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->color, AP_IMAGE_GRAY);
  assert_int_equal(im->components, 1);
  assert_non_null(im->alpha);
  assert_int_equal(im->pixels[4], pattern(4, 0, 0));
  assert_int_equal(im->alpha[4], opacity(4, 0));

  // Gray, 1 bit: 0 and 255...
  png = make_png(9, 2, PNG_COLOR_TYPE_GRAY, 1, false, false, &size);
  assert_non_null(im = ap_images_add(set, "gray1.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->color, AP_IMAGE_GRAY);
  for (int x = 0; x < 9; x++)
    assert_int_equal(im->pixels[9 + x], (pattern(x, 1, 0) & 0x80) ? 255 : 0);

  // Gray with a transparent value (tRNS): an opacity plane, 0 where the value is...
  png = make_png(4, 4, PNG_COLOR_TYPE_GRAY, 8, false, true, &size);
  assert_non_null(im = ap_images_add(set, "gray-trns.png", png, size, NULL, &diags, LOC));
  assert_non_null(im->alpha);
  assert_int_equal(im->alpha[0], pattern(0, 0, 0) == pattern(0, 0, 0) ? 0 : 255);
  assert_int_equal(im->alpha[5], pattern(1, 1, 0) == pattern(0, 0, 0) ? 0 : 255);

  // An RGBA PNG whose pixels are all opaque (the pattern's (0,0)) has no opacity plane...
  png = make_png(1, 1, PNG_COLOR_TYPE_RGB_ALPHA, 8, false, false, &size);
  assert_non_null(im = ap_images_add(set, "opaque.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->components, 3);
  assert_null(im->alpha);
  assert_int_equal(im->pixels[1], pattern(0, 0, 1));
  assert_int_equal(diags.errors, 0);
  ap_images_destroy(set);
}

// A palette PNG stays indices under its palette; with a transparent entry
// it becomes RGB with an opacity plane.
static void
test_png_palette(void **state)
{
  ap_images_t *set = ap_images_create();
  ap_diags_t diags = {0};
  const ap_image_t *im;
  unsigned char *png;
  size_t size;

  (void)state;
  png = make_png(11, 5, PNG_COLOR_TYPE_PALETTE, 4, false, false, &size);
  assert_non_null(im = ap_images_add(set, "pal.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->color, AP_IMAGE_INDEXED);
  assert_int_equal(im->components, 1);
  assert_int_equal(im->npalette, 16);
  assert_null(im->alpha);
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 11; x++)
      assert_int_equal(im->pixels[y * 11 + x], pattern(x, y, 0) % 16);
  assert_int_equal(im->palette[3 * 7 + 1], 7 * 16); // Entry i is (255 - 16i, 16i, 8i)

  png = make_png(11, 5, PNG_COLOR_TYPE_PALETTE, 8, false, true, &size);
  assert_non_null(im = ap_images_add(set, "pal-trns.png", png, size, NULL, &diags, LOC));
  assert_int_equal(im->color, AP_IMAGE_RGB);
  assert_non_null(im->alpha);
  assert_int_equal(im->alpha[0], pattern(0, 0, 0) % 16 == 0 ? 0 : 255); // Entry 0 is transparent
  assert_int_equal(diags.errors, 0);
  ap_images_destroy(set);
}

// A PNG cut anywhere (inside the signature, after it, in IHDR, in IDAT,
// before IEND) is one error: a truncated PNG, naming the file.
static void
test_png_truncated(void **state)
{
  size_t size, cuts[8], idat;
  unsigned char *png = make_png(40, 30, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  char *line;

  (void)state;
  idat = find_chunk(png, size, "IDAT");
  cuts[0] = 1;
  cuts[1] = 5;
  cuts[2] = 8;          // The signature alone
  cuts[3] = 20;         // Inside IHDR
  cuts[4] = idat + 12;  // Inside the pixel data
  cuts[5] = size - 14;  // Inside IDAT's CRC
  cuts[6] = size - 12;  // IEND missing
  cuts[7] = size - 1;   // IEND's CRC cut
  for (int i = 0; i < 8; i++) {
    line = refuse(png, cuts[i], NULL);
    printf("cut at %zu: %s\n", cuts[i], line);
    assert_non_null(strstr(line, "layout.xml:8:5: error: image file '" PATH "' is a truncated PNG "
                                 "(the data ends inside the image): expected a complete PNG or JPEG file"));
    free(line);
  }
  free(png);
}

// A byte changed in a chunk (or its CRC) is a damaged PNG; a header of
// width 0 is an invalid header; a pixel past the palette is damaged too.
static void
test_png_damaged(void **state)
{
  size_t size, ihdr, idat;
  unsigned char *png = make_png(40, 30, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  char *line;

  (void)state;
  ihdr = find_chunk(png, size, "IHDR");
  idat = find_chunk(png, size, "IDAT");

  // The CRC of IHDR, then of IDAT (a changed byte of IDAT's data trips zlib
  // before the CRC is read: the case after)...
  png[ihdr + 8 + 13 + 2] ^= 0x01;
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "image file '" PATH "' is a damaged PNG (IHDR: CRC error"));
  assert_non_null(strstr(line, "expected an intact PNG or JPEG file"));
  free(line);
  png[ihdr + 8 + 13 + 2] ^= 0x01;
  size_t idat_crc = idat + 8 + ((size_t)png[idat + 2] << 8 | png[idat + 3]); // IDAT is short here
  png[idat_crc + 1] ^= 0x40;
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "is a damaged PNG (IDAT: CRC error"));
  free(line);
  png[idat_crc + 1] ^= 0x40;

  // ...a damaged IDAT with a correct CRC: zlib's verdict...
  png[idat + 8 + 3] ^= 0x40;
  fix_crc(png, idat);
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "image file '" PATH "' is not a valid PNG (libpng: "));
  free(line);
  png[idat + 8 + 3] ^= 0x40;
  fix_crc(png, idat);

  // ...width 0 and height 0 in a header with a correct CRC...
  memset(png + ihdr + 8, 0, 8);
  fix_crc(png, ihdr);
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "image file '" PATH "' has an invalid PNG header (Image "));
  assert_non_null(strstr(line, "is zero in IHDR): expected a PNG or JPEG file with a valid header"));
  free(line);

  // ...and 4 bits of gray claimed as 3: no such bit depth...
  free(png);
  png = make_png(4, 4, PNG_COLOR_TYPE_GRAY, 4, false, false, &size);
  ihdr = find_chunk(png, size, "IHDR");
  png[ihdr + 8 + 8] = 3;
  fix_crc(png, ihdr);
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "has an invalid PNG header (Invalid bit depth in IHDR)"));
  free(line);
  free(png);
}

// A header that claims more pixels than the limit is refused from the
// header alone: at once, whatever the data says after it.
static void
test_png_too_large(void **state)
{
  size_t size, ihdr;
  unsigned char *png = make_png(16, 16, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  ap_image_limits_t small = {.max_pixels = 255}, exact = {.max_pixels = 256};
  clock_t start = clock();
  char *line;

  (void)state;
  line = refuse(png, size, &small);
  assert_non_null(strstr(line, "image file '" PATH "' is 16 x 16 pixels: expected at most 255 pixels (width x height)"));
  free(line);
  {
    ap_images_t *set = ap_images_create();
    ap_diags_t diags = {0};
    assert_non_null(ap_images_add(set, PATH, copy(png, size), size, &exact, &diags, LOC));
    ap_images_destroy(set);
  }

  // 50,000 x 50,000 with the default limit...
  ihdr = find_chunk(png, size, "IHDR");
  png[ihdr + 8 + 0] = 0, png[ihdr + 8 + 1] = 0, png[ihdr + 8 + 2] = 0xC3, png[ihdr + 8 + 3] = 0x50;
  png[ihdr + 8 + 4] = 0, png[ihdr + 8 + 5] = 0, png[ihdr + 8 + 6] = 0xC3, png[ihdr + 8 + 7] = 0x50;
  fix_crc(png, ihdr);
  line = refuse(png, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "image file '" PATH "' is 50000 x 50000 pixels: expected at most 100000000 pixels"));
  free(line);
  assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 0.5);
  free(png);
}

// JPEGs of 1, 3 and 4 components, baseline and progressive, are read
// through; a JPEG cut anywhere is a truncated JPEG; a damaged header is
// libjpeg's verdict; the limit holds from the header.
static void
test_jpeg(void **state)
{
  ap_images_t *set = ap_images_create();
  ap_diags_t diags = {0};
  ap_image_limits_t small = {.max_pixels = 100};
  const ap_image_t *im;
  unsigned char *jpeg;
  size_t size;
  char *line, name[32];

  (void)state;

  // Good ones...
  static const int components[3] = {1, 3, 4};
  for (int i = 0; i < 6; i++) {
    jpeg = make_jpeg(37, 21, components[i % 3], i >= 3, &size);
    snprintf(name, sizeof(name), "good-%d.jpg", i);
    assert_non_null(im = ap_images_add(set, name, jpeg, size, NULL, &diags, LOC));
    assert_int_equal(im->format, AP_IMAGE_JPEG);
    assert_int_equal(im->width, 37);
    assert_int_equal(im->height, 21);
    assert_int_equal(im->components, components[i % 3]);
    assert_int_equal(im->color, i % 3 == 0 ? AP_IMAGE_GRAY : i % 3 == 1 ? AP_IMAGE_RGB : AP_IMAGE_CMYK);
    assert_null(im->pixels);
    assert_ptr_equal(im->data, jpeg);
    assert_int_equal(im->size, size);
  }
  assert_int_equal(diags.errors, 0);
  ap_images_destroy(set);

  // ...cut anywhere after the SOI (baseline and progressive)...
  for (int p = 0; p < 2; p++) {
    jpeg = make_jpeg(64, 48, 3, p, &size);
    size_t cuts[] = {3, 4, 20, size / 3, size / 2, size - 40, size - 2, size - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(*cuts); i++) {
      line = refuse(jpeg, cuts[i], NULL);
      printf("cut at %zu of %zu: %s\n", cuts[i], size, line);
      assert_non_null(strstr(line, "layout.xml:8:5: error: image file '" PATH "' is a truncated JPEG "
                                   "(the data ends inside the image): expected a complete PNG or JPEG file"));
      free(line);
    }

    // ...too many pixels...
    line = refuse(jpeg, size, &small);
    assert_non_null(strstr(line, "image file '" PATH "' is 64 x 48 pixels: expected at most 100 pixels"));
    free(line);
    free(jpeg);
  }

  // ...a header whose frame marker is garbage...
  jpeg = make_jpeg(16, 16, 3, false, &size);
  for (size_t i = 2; i + 1 < size; i++)
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 4] = 3; // Sample precision 3
      break;
    }
  line = refuse(jpeg, size, NULL);
  printf("%s\n", line);
  assert_non_null(strstr(line, "image file '" PATH "' is not a valid JPEG (libjpeg: "));
  free(line);
  free(jpeg);
}

// Empty, unknown and repeated files; the set keeps one record per path.
static void
test_set(void **state)
{
  ap_images_t *set = ap_images_create();
  ap_diags_t diags = {0};
  const ap_image_t *a, *b;
  unsigned char *png;
  size_t size;
  char *line;

  (void)state;
  line = refuse((const unsigned char *)"", 0, NULL);
  assert_non_null(strstr(line, "image file '" PATH "' is empty (0 bytes): expected a PNG or JPEG file"));
  free(line);
  line = refuse((const unsigned char *)"GIF89a...", 9, NULL);
  assert_non_null(strstr(line, "image file '" PATH "' is neither PNG nor JPEG: expected a PNG or JPEG file"));
  free(line);
  line = refuse((const unsigned char *)"\x89PNG\r\n\x1A\x0A", 8, NULL);
  assert_non_null(strstr(line, "truncated PNG"));
  free(line);

  png = make_png(2, 2, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  assert_non_null(a = ap_images_add(set, "a.png", png, size, NULL, &diags, LOC));
  png = make_png(3, 3, PNG_COLOR_TYPE_RGB, 8, false, false, &size);
  assert_non_null(b = ap_images_add(set, "a.png", png, size, NULL, &diags, LOC));
  assert_ptr_equal(a, b);
  assert_int_equal(b->width, 2);
  assert_ptr_equal(ap_images_find(set, "a.png"), a);
  assert_null(ap_images_find(set, "b.png"));
  assert_string_equal(a->path, "a.png");
  ap_images_destroy(set);
  ap_images_destroy(NULL);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_png_good),
    cmocka_unit_test(test_png_palette),
    cmocka_unit_test(test_png_truncated),
    cmocka_unit_test(test_png_damaged),
    cmocka_unit_test(test_png_too_large),
    cmocka_unit_test(test_jpeg),
    cmocka_unit_test(test_set),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

// A malloc'ed copy of bytes (at least one byte allocated).
static unsigned char *
copy(const unsigned char *data, size_t size)
{
  unsigned char *p = malloc(size ? size : 1);

  assert_non_null(p);
  memcpy(p, data, size);
  return p;
}

// Offset of the first chunk of a type (its length field).
static size_t
find_chunk(const unsigned char *png, size_t size, const char *type)
{
  for (size_t at = 8; at + 12 <= size;) {
    size_t len = (size_t)png[at] << 24 | (size_t)png[at + 1] << 16 | (size_t)png[at + 2] << 8 | png[at + 3];
    if (!memcmp(png + at + 4, type, 4))
      return at;
    at += 12 + len;
  }
  fail_msg("no %s chunk", type);
  return 0;
}

// Recompute the CRC of the chunk at `at` after its data was patched.
static void
fix_crc(unsigned char *png, size_t at)
{
  size_t len = (size_t)png[at] << 24 | (size_t)png[at + 1] << 16 | (size_t)png[at + 2] << 8 | png[at + 3];
  uLong crc = crc32(crc32(0, Z_NULL, 0), png + at + 4, (uInt)(len + 4));

  for (int i = 0; i < 4; i++)
    png[at + 8 + len + (size_t)i] = (unsigned char)(crc >> (24 - 8 * i));
}

// A JPEG of the pattern, through libjpeg (malloc'ed).
static unsigned char *
make_jpeg(int width, int height, int components, bool progressive, size_t *size)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr jerr;
  unsigned char *out = NULL, *row = malloc((size_t)width * (size_t)components), *copy_out;
  unsigned long outsize = 0;

  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &out, &outsize);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  if (progressive)
    jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < width; x++)
      for (int c = 0; c < components; c++)
        row[x * components + c] = pattern(x, (int)cinfo.next_scanline, c);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  free(row);
  copy_out = copy(out, outsize); // jpeg_mem_dest's buffer is libjpeg's; the set frees with free()
  free(out);
  *size = outsize;
  return copy_out;
}

// A PNG of the pattern, through libpng (malloc'ed): any type and depth,
// interlaced or not; trns adds a tRNS chunk (gray: the value at (0,0)
// transparent; palette: entry 0 transparent). Palette entry i is
// (255 - 16i, 16i, 8i) for 16 entries (8 bits: 16 entries too).
static unsigned char *
make_png(int width, int height, int type, int depth, bool interlace, bool trns, size_t *size)
{
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = png_create_info_struct(png);
  buffer_t out = {0};
  int channels = type == PNG_COLOR_TYPE_RGB ? 3 : type == PNG_COLOR_TYPE_RGB_ALPHA ? 4
                 : type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : 1;
  size_t rowbytes = ((size_t)width * (size_t)channels * (size_t)depth + 7) / 8;
  png_bytep row = calloc(1, rowbytes);
  png_color palette[16];

  assert_non_null(png);
  assert_non_null(info);
  if (setjmp(png_jmpbuf(png)))
    fail_msg("libpng could not write the test PNG");
  png_set_write_fn(png, &out, write_png_bytes, NULL);
  png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, depth, type,
               interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (type == PNG_COLOR_TYPE_PALETTE) {
    for (int i = 0; i < 16; i++)
      palette[i] = (png_color){(png_byte)(255 - 16 * i), (png_byte)(16 * i), (png_byte)(8 * i)};
    png_set_PLTE(png, info, palette, 16);
    if (trns) {
      png_byte alpha[1] = {0};
      png_set_tRNS(png, info, alpha, 1, NULL);
    }
  } else if (trns && type == PNG_COLOR_TYPE_GRAY) {
    png_color_16 value = {.gray = pattern(0, 0, 0)};
    png_set_tRNS(png, info, NULL, 0, &value);
  }
  png_write_info(png, info);
  int passes = png_set_interlace_handling(png);
  for (int pass = 0; pass < passes; pass++)
    for (int y = 0; y < height; y++) {
      memset(row, 0, rowbytes);
      for (int x = 0; x < width; x++)
        for (int c = 0; c < channels; c++) {
          bool alpha = (type & PNG_COLOR_MASK_ALPHA) && c == channels - 1; // The opacity channel
          unsigned v = alpha ? opacity(x, y) : pattern(x, y, c);
          if (type == PNG_COLOR_TYPE_PALETTE)
            v %= 16;
          size_t i = (size_t)x * (size_t)channels + (size_t)c; // Sample index in the row
          if (depth == 16) {
            row[2 * i] = (png_byte)v;
            row[2 * i + 1] = (png_byte)v; // v * 257: exactly v once scaled to 8 bits
          } else if (depth == 8) {
            row[i] = (png_byte)v;
          } else { // 1, 2, 4 bits: the top bits of gray, or the index
            unsigned sample = type == PNG_COLOR_TYPE_PALETTE ? v : v >> (8 - depth);
            row[i * (size_t)depth / 8] |= (png_byte)(sample << (8 - depth - (int)(i * (size_t)depth % 8)));
          }
        }
      png_write_row(png, row);
    }
  png_write_end(png, NULL);
  png_destroy_write_struct(&png, &info);
  free(row);
  *size = out.size;
  return out.data;
}

// The test picture's opacity at (x, y): opaque at (0, 0), see-through
// (more or less) elsewhere.
static unsigned char
opacity(int x, int y)
{
  return x == 0 && y == 0 ? 255 : (unsigned char)((x * 50 + y * 30) & 0xFF);
}

// The test picture: colour channel c of pixel (x, y).
static unsigned char
pattern(int x, int y, int c)
{
  return (unsigned char)((x * 37 + y * 91 + c * 73) & 0xFF);
}

// Add the bytes to a fresh set under PATH (stderr watched: nothing may be
// printed); exactly one error must come back: its line (malloc'ed).
static char *
refuse(const unsigned char *data, size_t size, const ap_image_limits_t *limits)
{
  ap_images_t *set = ap_images_create();
  ap_diags_t diags = {0};
  char line[1024], printed[256] = "";
  FILE *watch = tmpfile();
  int saved = dup(2);

  assert_non_null(watch);
  fflush(stderr);
  dup2(fileno(watch), 2);
  const ap_image_t *image = ap_images_add(set, PATH, copy(data, size), size, limits, &diags, LOC);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  rewind(watch);
  size_t n = fread(printed, 1, sizeof(printed) - 1, watch);
  fclose(watch);
  printed[n] = '\0';
  assert_string_equal(printed, "");
  assert_null(image);
  assert_int_equal(diags.errors, 1);
  assert_null(diags.first->next);
  assert_null(ap_images_find(set, PATH));
  ap_diag_format(diags.first, line, sizeof(line));
  ap_diags_clear(&diags);
  ap_images_destroy(set);
  return strdup(line);
}

// libpng write callback: append to the buffer.
static void
write_png_bytes(png_structp png, png_bytep data, size_t count)
{
  buffer_t *out = png_get_io_ptr(png);

  if (out->size + count > out->room) {
    out->room = (out->size + count) * 2;
    assert_non_null(out->data = realloc(out->data, out->room));
  }
  memcpy(out->data + out->size, data, count);
  out->size += count;
}
