// JPEG: read in full by libjpeg from memory to prove the file whole before
// its bytes go into the PDF as they are (libharu only reads the header).
// libjpeg's errors come back here instead of exiting; its warnings that the
// data is cut short or damaged count as errors; nothing is printed.
#include "image-private.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct checker_s {
  struct jpeg_error_mgr mgr;    // libjpeg's error manager (first: libjpeg points at it)
  jmp_buf jump;                 // Where an error goes back to
  bool truncated;               // The data ended before the image did
  bool recorded;                // The error is recorded already (limit, components, coding)
  char message[JMSG_LENGTH_MAX]; // libjpeg's message
} checker_t;

static void on_error(j_common_ptr cinfo);
static void on_message(j_common_ptr cinfo, int level);
static void on_output(j_common_ptr cinfo);
static bool read_jpeg(struct jpeg_decompress_struct *cinfo, checker_t *checker, ap_image_t *image,
                      long max_pixels, ap_diags_t *diags, ap_loc_t loc);

//
// 'ap_image_check_jpeg()' - Prove a JPEG held in memory whole.
//
// The header gives the size (checked against the limit before any pixel
// is decoded) and the components; then every scan is decoded (at 1/8
// scale: the entropy-coded data is read in full, which is what a damaged
// or cut file fails) and the data must run to EOI.
//

bool                                    // O - true when the JPEG is whole
ap_image_check_jpeg(ap_image_t *image,  // I - Image: data in, size and colour out
                    long       max_pixels, // I - Most pixels allowed
                    ap_diags_t *diags,  // I - Where the error goes
                    ap_loc_t   loc)     // I - The place of the <image>
{
  struct jpeg_decompress_struct cinfo = {0};
  checker_t checker = {0};
  bool ok;

  cinfo.err = jpeg_std_error(&checker.mgr);
  checker.mgr.error_exit = on_error;
  checker.mgr.emit_message = on_message;
  checker.mgr.output_message = on_output;
  ok = read_jpeg(&cinfo, &checker, image, max_pixels, diags, loc);
  if (!ok && !checker.recorded) {
    if (checker.truncated)
      ap_fail(diags, loc, "image file '%s' is a truncated JPEG (the data ends inside the image): "
              "expected a complete PNG or JPEG file", image->path);
    else if (*checker.message)
      ap_fail(diags, loc, "image file '%s' is not a valid JPEG (libjpeg: %s): expected an intact PNG or "
              "JPEG file", image->path, checker.message);
  }
  jpeg_destroy_decompress(&cinfo);
  return ok;
}

// libjpeg error handler: keep the message, go back to read_jpeg()'s setjmp.
static void
on_error(j_common_ptr cinfo)
{
  checker_t *checker = (checker_t *)cinfo->err;

  cinfo->err->format_message(cinfo, checker->message);
  longjmp(checker->jump, 1);
}

// libjpeg messages: traces are dropped, and so are the warnings that do not
// touch the pixels (an unknown JFIF version or Adobe transform, a bad ICC
// marker, stray bytes between markers); any other warning says the data is
// cut short or damaged, and stops the check as an error would.
static void
on_message(j_common_ptr cinfo, int level)
{
  checker_t *checker = (checker_t *)cinfo->err;
  int code = cinfo->err->msg_code;

  if (level >= 0 || code == JWRN_JFIF_MAJOR || code == JWRN_ADOBE_XFORM || code == JWRN_BOGUS_ICC ||
      code == JWRN_EXTRANEOUS_DATA)
    return;
  checker->truncated = code == JWRN_JPEG_EOF;
  cinfo->err->format_message(cinfo, checker->message);
  longjmp(checker->jump, 1);
}

// libjpeg would print here: nothing is printed.
static void
on_output(j_common_ptr cinfo)
{
  (void)cinfo;
}

// Header, limit, components, then every scanline and the end. Everything
// it changes lives behind pointers, so nothing is lost to the longjmp of an
// error. False with the error recorded (limit, components, coding) or left
// in checker for the caller to record.
static bool
read_jpeg(struct jpeg_decompress_struct *cinfo, checker_t *checker, ap_image_t *image, long max_pixels,
          ap_diags_t *diags, ap_loc_t loc)
{
  JSAMPARRAY row;

  if (setjmp(checker->jump))
    return false;

  // The header: size within the limit, 1, 3 or 4 components, Huffman coding...
  jpeg_create_decompress(cinfo);
  jpeg_mem_src(cinfo, image->data, (unsigned long)image->size);
  jpeg_read_header(cinfo, /*require_image*/ TRUE);
  if ((uint64_t)cinfo->image_width * cinfo->image_height > (uint64_t)max_pixels) {
    checker->recorded = true;
    return ap_fail(diags, loc, "image file '%s' is %u x %u pixels: expected at most %ld pixels (width x height)",
                   image->path, (unsigned)cinfo->image_width, (unsigned)cinfo->image_height, max_pixels);
  }
  checker->recorded = true; // The failures up to the decoding are recorded here
  switch (cinfo->num_components) {
  case 1:
    image->color = AP_IMAGE_GRAY;
    break;
  case 3:
    image->color = AP_IMAGE_RGB;
    break;
  case 4:
    image->color = AP_IMAGE_CMYK;
    break;
  default:
    return ap_fail(diags, loc, "image file '%s' is a JPEG of %d colour components: expected 1 (gray), 3 (colour) "
                   "or 4 (CMYK)", image->path, cinfo->num_components);
  }
  if (cinfo->arith_code)
    return ap_fail(diags, loc, "image file '%s' is a JPEG with arithmetic coding: expected a baseline or "
                   "progressive (Huffman-coded) JPEG", image->path);
  checker->recorded = false;
  image->components = cinfo->num_components;
  image->width = (int)cinfo->image_width;
  image->height = (int)cinfo->image_height;

  // ...then every scan, decoded at the smallest scale and fastest settings...
  cinfo->scale_num = 1;
  cinfo->scale_denom = 8;
  cinfo->dct_method = JDCT_IFAST;
  cinfo->do_fancy_upsampling = FALSE;
  cinfo->do_block_smoothing = FALSE;
  jpeg_start_decompress(cinfo);
  row = (*cinfo->mem->alloc_sarray)((j_common_ptr)cinfo, JPOOL_IMAGE,
                                    cinfo->output_width * (JDIMENSION)cinfo->output_components, 1);
  while (cinfo->output_scanline < cinfo->output_height)
    jpeg_read_scanlines(cinfo, row, 1);
  jpeg_finish_decompress(cinfo);
  return true;
}
