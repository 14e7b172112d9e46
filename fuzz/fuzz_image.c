// Fuzz target: the image stage. The bytes are an image file's contents
// handed to ap_images_add (PNG decoded in full by libpng, JPEG by libjpeg),
// under a pixel limit of 4 million so that runs stay fast (the default limit
// is the e2e tests' business). A record that comes back is read in full, so
// that a buffer shorter than its size says is caught by ASan.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

//
// 'LLVMFuzzerTestOneInput()' - Check one image file.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  ap_image_limits_t limits = {.max_pixels = 4000000L}; // Fast runs
  ap_diags_t diags = {0};                              // What was wrong
  ap_images_t *set = ap_images_create();               // The run's images
  unsigned char *copy = malloc(size ? size : 1);       // The set takes ownership

  if (!set || !copy)
    abort();
  if (size)
    memcpy(copy, data, size);
  const ap_image_t *image = ap_images_add(set, "fuzz/image", copy, size, &limits, &diags, ap_loc_file("layout.xml"));
  if ((image != NULL) != (diags.errors == 0))
    abort();

  // Every byte of the record is where it says...
  if (image) {
    size_t pixels = (size_t)image->width * (size_t)image->height;
    volatile unsigned sum = 0;
    if (image->width <= 0 || image->height <= 0 || (long)pixels > limits.max_pixels)
      abort();
    if (image->format == AP_IMAGE_PNG) {
      if (!image->pixels || image->components < 1 || image->components > 4)
        abort();
      for (size_t i = 0; i < pixels * (size_t)image->components; i++)
        sum += image->pixels[i];
      for (size_t i = 0; image->alpha && i < pixels; i++)
        sum += image->alpha[i];
      if (image->color == AP_IMAGE_INDEXED && (!image->palette || image->npalette < 1 || image->npalette > 256))
        abort();
      for (int i = 0; image->palette && i < image->npalette * 3; i++)
        sum += image->palette[i];
    }
    for (size_t i = 0; i < image->size; i++)
      sum += image->data[i];
    (void)sum;
  }
  ap_images_destroy(set);
  ap_diags_clear(&diags);
  return 0;
}
