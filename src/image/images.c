// The checked images of a run, keyed by path: each file is checked once,
// when the driver first meets its <image>, and render draws from the set.
// A run names few distinct files, so the set is a plain list.
#include "image-private.h"

#include <stdlib.h>
#include <string.h>

static const unsigned char PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

struct ap_images_s {
  ap_image_t **images;          // Records, in order of addition (each malloc'ed: they never move)
  size_t n, a;                  // Used and allocated entries
};

static void free_image(ap_image_t *image);

//
// 'ap_images_add()' - Check an image file's bytes and keep the image.
//
// The first bytes say PNG (the signature, or the start of it: a file cut
// inside its signature is a truncated PNG) or JPEG (the SOI marker and the
// next marker's FF); anything else is refused without a decoder.
//

const ap_image_t *                      // O - The record, NULL on error (recorded)
ap_images_add(ap_images_t *set,         // I - Set of the run
              const char  *path,        // I - File name, as messages name it
              unsigned char *data,      // I - The file's bytes (malloc'ed; the set owns them)
              size_t      size,         // I - Their number
              const ap_image_limits_t *limits, // I - Limits (NULL = defaults)
              ap_diags_t  *diags,       // I - Where the error goes
              ap_loc_t    loc)          // I - The place of the <image>
{
  long max_pixels = limits && limits->max_pixels > 0 ? limits->max_pixels : AP_IMAGE_MAX_PIXELS;
  const ap_image_t *known;
  ap_image_t *image;
  bool ok;

  // The same file again is the same image...
  if (!set || !path) {
    free(data);
    return ap_fail(diags, loc, "internal error: image check without a set or a file name"), NULL;
  }
  if ((known = ap_images_find(set, path))) {
    free(data);
    return known;
  }

  // ...a file of some other kind is refused by its first bytes...
  if (size == 0) {
    free(data);
    return ap_fail(diags, loc, "image file '%s' is empty (0 bytes): expected a PNG or JPEG file", path), NULL;
  }
  bool png = !memcmp(data, PNG_SIGNATURE, size < sizeof(PNG_SIGNATURE) ? size : sizeof(PNG_SIGNATURE));
  bool jpeg = size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
  if (!png && !jpeg) {
    free(data);
    return ap_fail(diags, loc, "image file '%s' is neither PNG nor JPEG: expected a PNG or JPEG file", path), NULL;
  }

  // ...else its decoder has the last word...
  if (set->n == set->a) {
    size_t a = set->a ? set->a * 2 : 8;
    ap_image_t **images = realloc(set->images, a * sizeof(*images));
    if (!images) {
      free(data);
      return ap_fail(diags, loc, "out of memory"), NULL;
    }
    set->images = images;
    set->a = a;
  }
  if (!(image = calloc(1, sizeof(*image))) || !(image->path = strdup(path))) {
    free(image);
    free(data);
    return ap_fail(diags, loc, "out of memory"), NULL;
  }
  image->data = data;
  image->size = size;
  image->format = png ? AP_IMAGE_PNG : AP_IMAGE_JPEG;
  ok = png ? ap_image_decode_png(image, max_pixels, diags, loc) : ap_image_check_jpeg(image, max_pixels, diags, loc);
  if (!ok) {
    free_image(image);
    return NULL;
  }
  set->images[set->n++] = image;
  return image;
}

//
// 'ap_images_create()' - An empty set of images.
//

ap_images_t *                           // O - The set, NULL when out of memory
ap_images_create(void)
{
  return calloc(1, sizeof(ap_images_t));
}

//
// 'ap_images_destroy()' - Free the set and its images.
//

void
ap_images_destroy(ap_images_t *set)     // I - Set (NULL is fine)
{
  if (!set)
    return;
  for (size_t i = 0; i < set->n; i++)
    free_image(set->images[i]);
  free(set->images);
  free(set);
}

//
// 'ap_images_find()' - The image of a path added before.
//

const ap_image_t *                      // O - The record, NULL when not in the set
ap_images_find(const ap_images_t *set,  // I - Set of the run (NULL: none)
               const char *path)        // I - File name as added
{
  for (size_t i = 0; set && path && i < set->n; i++)
    if (!strcmp(set->images[i]->path, path))
      return set->images[i];
  return NULL;
}

// Free one record and everything it holds.
static void
free_image(ap_image_t *image)
{
  free(image->path);
  free(image->data);
  free(image->pixels);
  free(image->zdata);
  free(image->alpha);
  free(image->palette);
  free(image);
}
