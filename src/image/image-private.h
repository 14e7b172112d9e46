// Inside the image folder only: the two decoders the set calls.
#ifndef AP_IMAGE_PRIVATE_H
#define AP_IMAGE_PRIVATE_H

#include "image.h"

// Decode the PNG in image->data into image->pixels (and alpha, palette),
// setting width, height, color and components. max_pixels is checked from
// the header before any pixel memory is allocated. False with one error at
// loc (naming image->path) on any problem; what was allocated stays in
// image for the caller to free.
bool ap_image_decode_png(ap_image_t *image, long max_pixels, ap_diags_t *diags, ap_loc_t loc);
// Read the JPEG in image->data through libjpeg, header then every scanline,
// setting width, height, color and components (pixels stay NULL: the bytes
// are embedded as they are). A warning that the data is cut short or
// damaged counts as an error. False with one error at loc on any problem.
bool ap_image_check_jpeg(ap_image_t *image, long max_pixels, ap_diags_t *diags, ap_loc_t loc);

#endif
