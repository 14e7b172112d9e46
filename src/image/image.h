// Images: the PNG and JPEG files of a run, checked before anything is laid
// out. Bytes in, verdict out: this stage opens no file. A PNG is decoded in
// full by libpng (render gets its pixels, never the file: libharu's own PNG
// reader aborts the process on damaged data), and once proved whole, an
// opaque, non-interlaced one also gives render its compressed rows to pass
// through; a JPEG is decoded in full by libjpeg to prove it whole, and its
// bytes go into the PDF as they are.
#ifndef AP_IMAGE_H
#define AP_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/diag.h"

#define AP_IMAGE_MAX_PIXELS 100000000L // Default pixel limit (width x height)

typedef struct ap_image_limits_s {
  long max_pixels;              // Most pixels (width x height) an image may have; checked from
                                // the header, before anything is decoded (0 = the default)
} ap_image_limits_t;

typedef enum ap_image_format_e {
  AP_IMAGE_PNG,                 // PNG: pixels decoded
  AP_IMAGE_JPEG                 // JPEG: embedded as it is (DCTDecode)
} ap_image_format_t;

typedef enum ap_image_color_e {
  AP_IMAGE_GRAY,                // One component per pixel
  AP_IMAGE_RGB,                 // Three components per pixel
  AP_IMAGE_CMYK,                // Four components per pixel (JPEG only)
  AP_IMAGE_INDEXED              // One palette index per pixel (PNG only)
} ap_image_color_t;

typedef struct ap_image_s {
  char *path;                   // File name as given (key of the set)
  ap_image_format_t format;     // PNG or JPEG
  unsigned char *data;          // The file's bytes
  size_t size;                  // Their number
  int width, height;            // Size in pixels
  ap_image_color_t color;       // Colour space of the pixels (PNG) or of the JPEG
  int components;               // Components per pixel: 1 (gray, index), 3 (RGB), 4 (CMYK)
  unsigned char *pixels;        // PNG: rows top first, `components` bytes per pixel, 8 bits
                                // each, no padding; NULL for a JPEG
  unsigned char *alpha;         // PNG: one opacity byte per pixel (0 transparent, 255 opaque),
                                // same order; NULL when every pixel is opaque
  unsigned char *palette;       // PNG, AP_IMAGE_INDEXED: RGB triples; else NULL
  int npalette;                 // Entries in the palette (1..256)
  unsigned char *zdata;         // PNG the PDF takes as it is (not interlaced, no transparency, 8
                                // bits or fewer): its IDAT data, a zlib stream of PNG-predicted
                                // rows (render passes it through); else NULL
  size_t zsize;                 // Its bytes
  int zbits;                    // Bits per sample in zdata (1, 2, 4 or 8; palette: per index)
} ap_image_t;

typedef struct ap_images_s ap_images_t; // The checked images of a run, keyed by path (opaque)

// An empty set; NULL when out of memory. ap_images_destroy() frees it.
ap_images_t *ap_images_create(void);
// Free the set, every image in it and their bytes. NULL is fine.
void ap_images_destroy(ap_images_t *set);
// Check the bytes of the image file path and add the image to the set.
// Takes ownership of data (malloc'ed; freed here on failure). A PNG is
// decoded, a JPEG decoded to prove it whole; the pixel limit (limits may be
// NULL: defaults) is checked from the header first. Returns the record
// (owned by the set), or NULL with one error at loc naming the file, what
// is wrong and what was expected. A path added before returns its record
// at once (data is freed). Nothing is printed.
const ap_image_t *ap_images_add(ap_images_t *set, const char *path, unsigned char *data, size_t size,
                                const ap_image_limits_t *limits, ap_diags_t *diags, ap_loc_t loc);
// The record of a path added before, or NULL.
const ap_image_t *ap_images_find(const ap_images_t *set, const char *path);

#endif
