// PNG: decoded in full by libpng from memory, with an error handler that
// comes back (libpng's default prints and aborts) and a warning handler
// that prints nothing. Every kind of PNG comes out as 8-bit gray, RGB or
// palette indices, with a separate opacity plane when it has any
// transparency, ready for a PDF image and its soft mask. A PNG that a PDF
// can show as it is (not interlaced, no transparency, at most 8 bits a
// sample) also keeps its IDAT data: the same zlib stream of predicted rows,
// which FlateDecode with the PNG predictors reads (render passes it
// through: no compression, and the file's own size).
#include "image-private.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNG_CHUNK_MAX (16u << 20) // Largest ancillary chunk read (ICC profiles, palettes, text), bytes
#define PNG_CHUNK_COUNT_MAX 1000  // Most ancillary chunks (sPLT, text, unknown) kept from one file

#define MESSAGE_MAX 200 // Bytes kept of a libpng message

typedef struct reader_s {
  const unsigned char *data;    // The file's bytes
  size_t size;                  // Their number
  size_t pos;                   // Bytes given to libpng so far
  bool truncated;               // libpng asked for bytes past the end
  bool too_large;               // The header gives more pixels than allowed (already recorded)
  bool out_of_memory;           // A pixel buffer could not be allocated
  char error[MESSAGE_MAX];      // libpng's error message
  char warning[MESSAGE_MAX];    // libpng's last warning (explains "Invalid IHDR data")
  unsigned char **rows;         // Row pointers into image->pixels (malloc'ed)
} reader_t;

static bool decode(png_structp png, png_infop info, reader_t *rd, ap_image_t *image, long max_pixels,
                   ap_diags_t *diags, ap_loc_t loc);
static bool fail(const reader_t *rd, const ap_image_t *image, ap_diags_t *diags, ap_loc_t loc);
static void on_error(png_structp png, png_const_charp message);
static void on_warning(png_structp png, png_const_charp message);
static void read_bytes(png_structp png, png_bytep out, size_t count);
static bool split_alpha(ap_image_t *image, int channels);
static bool keep_idat(ap_image_t *image);

//
// 'ap_image_decode_png()' - Decode a PNG held in memory.
//
// libpng reads the header first; the pixel limit is checked before any
// pixel memory is allocated, so a small file claiming 50,000 x 50,000
// pixels is refused at once. Checksums of every chunk must match; the data
// must run to IEND.
//

bool                                    // O - true when decoded
ap_image_decode_png(ap_image_t  *image, // I - Image: data in, pixels out
                    long        max_pixels, // I - Most pixels allowed
                    ap_diags_t  *diags, // I - Where the error goes
                    ap_loc_t    loc)    // I - The place of the <image>
{
  reader_t rd = {.data = image->data, .size = image->size};
  png_structp png;
  png_infop info = NULL;
  bool ok;

  png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &rd, on_error, on_warning);
  if (!png || !(info = png_create_info_struct(png))) {
    png_destroy_read_struct(png ? &png : NULL, NULL, NULL);
    return ap_fail(diags, loc, "out of memory decoding image file '%s'", image->path);
  }
  ok = decode(png, info, &rd, image, max_pixels, diags, loc);
  png_destroy_read_struct(&png, &info, NULL);
  free(rd.rows);
  return ok;
}

// Read the header, check the size, set the transformations, read every row
// and the chunks after them. Everything it changes lives behind pointers,
// so nothing is lost to the longjmp of an error.
static bool
decode(png_structp png, png_infop info, reader_t *rd, ap_image_t *image, long max_pixels,
       ap_diags_t *diags, ap_loc_t loc)
{
  png_uint_32 width, height;
  int depth, type, channels, interlace;
  png_colorp plte;
  int nplte = 0;

  if (setjmp(png_jmpbuf(png)))
    return rd->too_large ? false : fail(rd, image, diags, loc);

  // Every checksum counts; our pixel limit, not libpng's, decides the size...
  png_set_read_fn(png, rd, read_bytes);
  png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
  png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  // ...but libpng reads an ancillary chunk (sPLT, iCCP, text…) whole into
  // memory, and its chunk size limit does not stop it: a 134-byte file
  // declaring a 1.9 GB sPLT chunk made it allocate 1.9 GB (found by
  // fuzz_image). anpham uses none of them (only IHDR, PLTE, tRNS and the
  // pixels), so libpng skips them unread; pixel data is streamed...
  static const png_byte ignored[] = "bKGD\0cHRM\0eXIf\0gAMA\0hIST\0iCCP\0iTXt\0oFFs\0pCAL\0pHYs\0"
                                    "sBIT\0sCAL\0sPLT\0sRGB\0tEXt\0tIME\0zTXt";
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored, (int)(sizeof(ignored) / 5));
  png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, 0); // And every chunk libpng does not know
  png_set_chunk_malloc_max(png, PNG_CHUNK_MAX);
  png_set_chunk_cache_max(png, PNG_CHUNK_COUNT_MAX);
  png_read_info(png, info);
  png_get_IHDR(png, info, &width, &height, &depth, &type, &interlace, NULL, NULL);
  if ((uint64_t)width * height > (uint64_t)max_pixels) {
    rd->too_large = true;
    ap_fail(diags, loc, "image file '%s' is %lu x %lu pixels: expected at most %ld pixels (width x height)",
            image->path, (unsigned long)width, (unsigned long)height, max_pixels);
    return false;
  }

  // ...8 bits per component; palette indices stay indices unless some are transparent...
  png_set_scale_16(png);
  if (type == PNG_COLOR_TYPE_PALETTE && !png_get_valid(png, info, PNG_INFO_tRNS)) {
    png_set_packing(png);
    png_get_PLTE(png, info, &plte, &nplte);
  } else {
    png_set_expand(png); // Palette → RGB, gray 1/2/4 → 8, tRNS → alpha
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || png_get_rowbytes(png, info) != (size_t)width * (size_t)channels) {
    snprintf(rd->error, sizeof(rd->error), "unexpected row layout after conversion");
    png_error(png, rd->error);
  }

  // ...every row, then the chunks up to IEND...
  if (!(image->pixels = malloc((size_t)width * height * (size_t)channels)) ||
      !(rd->rows = malloc(height * sizeof(*rd->rows)))) {
    rd->out_of_memory = true;
    png_error(png, "out of memory");
  }
  for (png_uint_32 y = 0; y < height; y++)
    rd->rows[y] = image->pixels + (size_t)y * width * (size_t)channels;
  png_read_image(png, rd->rows);
  png_read_end(png, NULL);
  image->width = (int)width;
  image->height = (int)height;

  // ...its compressed rows, when a PDF can take them as they are...
  bool opaque = !png_get_valid(png, info, PNG_INFO_tRNS) && !(type & PNG_COLOR_MASK_ALPHA);
  if (opaque && interlace == PNG_INTERLACE_NONE && depth <= 8) {
    image->zbits = depth;
    if (!keep_idat(image))
      return ap_fail(diags, loc, "out of memory decoding image file '%s'", image->path);
  }

  // ...and the record: colour space, palette, opacity plane...
  if (nplte > 0) {
    if (!(image->palette = malloc((size_t)nplte * 3)))
      return ap_fail(diags, loc, "out of memory decoding image file '%s'", image->path);
    for (int i = 0; i < nplte; i++) {
      image->palette[3 * i] = plte[i].red;
      image->palette[3 * i + 1] = plte[i].green;
      image->palette[3 * i + 2] = plte[i].blue;
    }
    image->npalette = nplte;
    for (size_t i = 0, n = (size_t)width * height; i < n; i++)
      if (image->pixels[i] >= nplte)
        return ap_fail(diags, loc, "image file '%s' is a damaged PNG (pixels use colour %d of a palette of %d): "
                       "expected an intact PNG or JPEG file", image->path, image->pixels[i], nplte);
    image->color = AP_IMAGE_INDEXED;
    image->components = 1;
    return true;
  }
  if (!split_alpha(image, channels))
    return ap_fail(diags, loc, "out of memory decoding image file '%s'", image->path);
  image->components = channels % 2 ? channels : channels - 1;
  image->color = image->components == 1 ? AP_IMAGE_GRAY : AP_IMAGE_RGB;
  return true;
}

// Record why libpng stopped, in words a user can act on; returns false.
static bool
fail(const reader_t *rd, const ap_image_t *image, ap_diags_t *diags, ap_loc_t loc)
{
  if (rd->out_of_memory)
    return ap_fail(diags, loc, "out of memory decoding image file '%s'", image->path);
  if (rd->truncated)
    return ap_fail(diags, loc, "image file '%s' is a truncated PNG (the data ends inside the image): "
                   "expected a complete PNG or JPEG file", image->path);
  if (strstr(rd->error, "CRC error"))
    return ap_fail(diags, loc, "image file '%s' is a damaged PNG (%s: a chunk's checksum does not match "
                   "its data): expected an intact PNG or JPEG file", image->path, rd->error);
  if (!strcmp(rd->error, "Invalid IHDR data") && *rd->warning)
    return ap_fail(diags, loc, "image file '%s' has an invalid PNG header (%s): expected a PNG or JPEG file "
                   "with a valid header", image->path, rd->warning);
  return ap_fail(diags, loc, "image file '%s' is not a valid PNG (libpng: %s): expected an intact PNG or "
                 "JPEG file", image->path, rd->error);
}

// libpng error handler: keep the message, go back to decode()'s setjmp.
static void
on_error(png_structp png, png_const_charp message)
{
  reader_t *rd = png_get_error_ptr(png);

  if (message != rd->error)
    snprintf(rd->error, sizeof(rd->error), "%s", message ? message : "error");
  png_longjmp(png, 1);
}

// libpng warning handler: print nothing, keep the message.
static void
on_warning(png_structp png, png_const_charp message)
{
  reader_t *rd = png_get_error_ptr(png);

  snprintf(rd->warning, sizeof(rd->warning), "%s", message ? message : "warning");
}

// libpng read callback: the next bytes of the file, or a truncation error.
static void
read_bytes(png_structp png, png_bytep out, size_t count)
{
  reader_t *rd = png_get_io_ptr(png);

  if (count > rd->size - rd->pos) {
    rd->truncated = true;
    png_error(png, "the data ends inside the image");
  }
  memcpy(out, rd->data + rd->pos, count);
  rd->pos += count;
}

// The IDAT chunks' data, one after the other, into image->zdata. libpng
// has read the file to IEND with every checksum right, so the chunks are
// whole: only their lengths and types are looked at here. False when out
// of memory.
static bool
keep_idat(ap_image_t *image)
{
  const unsigned char *p = image->data + 8, *end = image->data + image->size; // After the signature
  size_t total = 0;

  for (int pass = 0; pass < 2; pass++, p = image->data + 8) {
    while (end - p >= 12) {
      size_t len = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
      if (len > (size_t)(end - p) - 12)
        break;
      if (!memcmp(p + 4, "IDAT", 4)) {
        if (pass == 1)
          memcpy(image->zdata + image->zsize, p + 8, len);
        if (pass == 1)
          image->zsize += len;
        else
          total += len;
      }
      if (!memcmp(p + 4, "IEND", 4))
        break;
      p += 12 + len;
    }
    if (pass == 0 && !(image->zdata = malloc(total ? total : 1)))
      return false;
  }
  return true;
}

// Move the last channel of gray+alpha or RGBA pixels into image->alpha,
// packing the colour in place; no plane when every pixel is opaque. False
// when out of memory.
static bool
split_alpha(ap_image_t *image, int channels)
{
  size_t n = (size_t)image->width * (size_t)image->height; // Pixels
  int color = channels - 1;                                 // Colour components
  bool opaque = true;                                       // No pixel is see-through
  unsigned char *p;

  if (channels != 2 && channels != 4)
    return true;
  for (size_t i = 0; i < n && opaque; i++)
    opaque = image->pixels[i * (size_t)channels + (size_t)color] == 255;
  if (!opaque && !(image->alpha = malloc(n)))
    return false;
  for (size_t i = 0; i < n; i++) {
    const unsigned char *src = image->pixels + i * (size_t)channels;
    if (image->alpha)
      image->alpha[i] = src[color];
    memmove(image->pixels + i * (size_t)color, src, (size_t)color);
  }
  if ((p = realloc(image->pixels, n * (size_t)color)))
    image->pixels = p;
  return true;
}
