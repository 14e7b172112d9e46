// Graphics: rules, rectangles (square or rounded), ellipses, segments and
// images, plus the fill/stroke state they share with text (written only when
// it changes, in DeviceRGB or DeviceCMYK).
#include "render-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KAPPA 0.5523 // Bézier control distance for a quarter circle of radius 1

static bool begin_paint(ap_writer_t *r, const ap_box_t *box);
static void end_paint(ap_writer_t *r, const ap_box_t *box);
static HPDF_Image load_image(ap_writer_t *r, const char *path);
static HPDF_Image load_pixels(ap_writer_t *r, const ap_image_t *source);
static HPDF_Image load_png_rows(ap_writer_t *r, const ap_image_t *source);
static HPDF_STATUS set_palette(ap_writer_t *r, HPDF_Image image, const ap_image_t *source);

//
// 'ap_render_destroy_images()' - Free the image records.
//
// The images belong to the document and go with it.
//

void
ap_render_destroy_images(ap_writer_t *r)
{
  free(r->pictures);
  r->pictures = NULL;
  r->npictures = r->apictures = 0;
}

//
// 'ap_render_ellipse()' - Fill and/or stroke the ellipse inscribed in the box.
//
// Four Bézier quarters from the rightmost point, counter-clockwise in PDF
// space; a circle when the box is square.
//

bool
ap_render_ellipse(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;
  double rx = fabs(b->w) / 2, ry = fabs(b->h) / 2; // Radii
  double cx = b->x + b->w / 2, cy = r->height - b->y - b->h / 2; // Centre, PDF space
  double kx = KAPPA * rx, ky = KAPPA * ry;         // Control distances

  if (rx <= 0 || ry <= 0 || !begin_paint(r, box))
    return true;
  ap_render_move_to(r->page, (HPDF_REAL)(cx + rx), (HPDF_REAL)cy);
  ap_render_curve_to(r->page, (HPDF_REAL)(cx + rx), (HPDF_REAL)(cy + ky), (HPDF_REAL)(cx + kx),
                     (HPDF_REAL)(cy + ry), (HPDF_REAL)cx, (HPDF_REAL)(cy + ry));
  ap_render_curve_to(r->page, (HPDF_REAL)(cx - kx), (HPDF_REAL)(cy + ry), (HPDF_REAL)(cx - rx),
                     (HPDF_REAL)(cy + ky), (HPDF_REAL)(cx - rx), (HPDF_REAL)cy);
  ap_render_curve_to(r->page, (HPDF_REAL)(cx - rx), (HPDF_REAL)(cy - ky), (HPDF_REAL)(cx - kx),
                     (HPDF_REAL)(cy - ry), (HPDF_REAL)cx, (HPDF_REAL)(cy - ry));
  ap_render_curve_to(r->page, (HPDF_REAL)(cx + kx), (HPDF_REAL)(cy - ry), (HPDF_REAL)(cx + rx),
                     (HPDF_REAL)(cy - ky), (HPDF_REAL)(cx + rx), (HPDF_REAL)cy);
  HPDF_Page_ClosePath(r->page);
  end_paint(r, box);
  return !r->failed;
}

//
// 'ap_render_image()' - Draw a checked PNG or JPEG image into the box.
//
// The image comes from the writer's set (checked before layout), never
// from its file.
//

bool
ap_render_image(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;
  HPDF_Image image;

  if (!box->name || !*box->name)
    return ap_fail(r->diags, ap_loc_file(r->path), "image box without a file name");
  if (!(image = load_image(r, box->name)))
    return false;
  if (b->w > 0 && b->h > 0)
    HPDF_Page_DrawImage(r->page, image, (HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y - b->h),
                        (HPDF_REAL)b->w, (HPDF_REAL)b->h);
  return !r->failed;
}

//
// 'ap_render_rect()' - Fill and/or stroke a rectangle, its corners rounded
// when the box has a radius.
//
// Fill in the box's colour, stroke in its stroke colour. A rounded corner is
// a Bézier quarter circle; the radius is at most half the shorter side.
//

bool
ap_render_rect(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;
  double x0 = b->w < 0 ? b->x + b->w : b->x;     // Left, PDF space
  double x1 = x0 + fabs(b->w);                   // Right
  double y1 = r->height - (b->h < 0 ? b->y + b->h : b->y); // Top
  double y0 = y1 - fabs(b->h);                   // Bottom
  double rad = fmin(box->radius, fmin(x1 - x0, y1 - y0) / 2); // Corner radius
  double k = (1 - KAPPA) * rad;                  // Control point inset from the corner

  if (!begin_paint(r, box))
    return true;
  if (rad <= 0) {
    ap_render_rectangle(r->page, (HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y - b->h),
                        (HPDF_REAL)b->w, (HPDF_REAL)b->h);
  } else {
    // Bottom edge, then counter-clockwise, a quarter circle at each corner...
    ap_render_move_to(r->page, (HPDF_REAL)(x0 + rad), (HPDF_REAL)y0);
    ap_render_line_to(r->page, (HPDF_REAL)(x1 - rad), (HPDF_REAL)y0);
    ap_render_curve_to(r->page, (HPDF_REAL)(x1 - k), (HPDF_REAL)y0, (HPDF_REAL)x1, (HPDF_REAL)(y0 + k),
                       (HPDF_REAL)x1, (HPDF_REAL)(y0 + rad));
    ap_render_line_to(r->page, (HPDF_REAL)x1, (HPDF_REAL)(y1 - rad));
    ap_render_curve_to(r->page, (HPDF_REAL)x1, (HPDF_REAL)(y1 - k), (HPDF_REAL)(x1 - k), (HPDF_REAL)y1,
                       (HPDF_REAL)(x1 - rad), (HPDF_REAL)y1);
    ap_render_line_to(r->page, (HPDF_REAL)(x0 + rad), (HPDF_REAL)y1);
    ap_render_curve_to(r->page, (HPDF_REAL)(x0 + k), (HPDF_REAL)y1, (HPDF_REAL)x0, (HPDF_REAL)(y1 - k),
                       (HPDF_REAL)x0, (HPDF_REAL)(y1 - rad));
    ap_render_line_to(r->page, (HPDF_REAL)x0, (HPDF_REAL)(y0 + rad));
    ap_render_curve_to(r->page, (HPDF_REAL)x0, (HPDF_REAL)(y0 + k), (HPDF_REAL)(x0 + k), (HPDF_REAL)y0,
                       (HPDF_REAL)(x0 + rad), (HPDF_REAL)y0);
    HPDF_Page_ClosePath(r->page);
  }
  end_paint(r, box);
  return !r->failed;
}

//
// 'ap_render_rule()' - Stroke a horizontal or vertical rule along the box.
//
// A rule whose box has both a width and a height is filled as an area.
//

bool
ap_render_rule(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;

  if (b->w > 0 && b->h > 0) {
    ap_render_set_fill(r, box->color);
    ap_render_rectangle(r->page, (HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y - b->h),
                        (HPDF_REAL)b->w, (HPDF_REAL)b->h);
    HPDF_Page_Fill(r->page);
  } else if (box->stroke > 0 && (b->w > 0 || b->h > 0)) {
    ap_render_set_stroke(r, box->color, box->stroke);
    ap_render_move_to(r->page, (HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y));
    ap_render_line_to(r->page, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(r->height - b->y - b->h));
    HPDF_Page_Stroke(r->page);
  }
  return !r->failed;
}

//
// 'ap_render_segment()' - Stroke a straight line across the box, from its
// top-left corner to (x + w, y + h).
//
// The width or height may be negative (a line rising to the right) or zero.
//

bool
ap_render_segment(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;

  if (box->stroke <= 0 || (b->w == 0 && b->h == 0))
    return true;
  ap_render_set_stroke(r, box->color, box->stroke);
  ap_render_move_to(r->page, (HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y));
  ap_render_line_to(r->page, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(r->height - b->y - b->h));
  HPDF_Page_Stroke(r->page);
  return !r->failed;
}

//
// 'ap_render_set_fill()' - Set the fill colour when it changes.
//

void
ap_render_set_fill(ap_writer_t *r, ap_color_t color)
{
  color.cmyk = color.cmyk && !r->archive; // An sRGB archive prints a CMYK colour as its RGB look
  if (ap_render_same_color(color, r->fill))
    return;
  if (color.cmyk)
    ap_render_cmyk(r->page, false, (HPDF_REAL)color.c, (HPDF_REAL)color.m, (HPDF_REAL)color.y,
                   (HPDF_REAL)color.k);
  else
    ap_render_rgb(r->page, false, (HPDF_REAL)color.r, (HPDF_REAL)color.g, (HPDF_REAL)color.b);
  r->fill = color;
}

//
// 'ap_render_set_stroke()' - Set the stroke colour and width when they change.
//

void
ap_render_set_stroke(ap_writer_t *r, ap_color_t color, double width)
{
  color.cmyk = color.cmyk && !r->archive; // An sRGB archive prints a CMYK colour as its RGB look
  if (!ap_render_same_color(color, r->stroke)) {
    if (color.cmyk)
      ap_render_cmyk(r->page, true, (HPDF_REAL)color.c, (HPDF_REAL)color.m, (HPDF_REAL)color.y,
                     (HPDF_REAL)color.k);
    else
      ap_render_rgb(r->page, true, (HPDF_REAL)color.r, (HPDF_REAL)color.g, (HPDF_REAL)color.b);
    r->stroke = color;
  }
  if (width != r->line_width) {
    HPDF_Page_SetLineWidth(r->page, (HPDF_REAL)width);
    r->line_width = width;
  }
}

// Set the colours a filled and/or stroked shape needs (fill: the box's
// colour; stroke: its stroke colour and width); false when it is neither
// filled nor stroked, so there is nothing to draw.
static bool
begin_paint(ap_writer_t *r, const ap_box_t *box)
{
  if (!box->fill && box->stroke <= 0)
    return false;
  if (box->fill)
    ap_render_set_fill(r, box->color);
  if (box->stroke > 0)
    ap_render_set_stroke(r, box->stroke_color, box->stroke);
  return true;
}

// Paint the path just built: fill, stroke or both, as begin_paint set up.
static void
end_paint(ap_writer_t *r, const ap_box_t *box)
{
  if (box->fill && box->stroke > 0)
    HPDF_Page_FillStroke(r->page);
  else if (box->fill)
    HPDF_Page_Fill(r->page);
  else
    HPDF_Page_Stroke(r->page);
}

// The PDF image of a checked image, made on first use and kept; NULL on
// error (recorded). A JPEG's bytes go in as they are (libharu reads only
// its header); a PNG goes in as its decoded pixels: libharu's own PNG
// reader never sees the file (it aborts the process on damaged data).
static HPDF_Image
load_image(ap_writer_t *r, const char *path)
{
  const ap_image_t *source = ap_images_find(r->images, path); // Checked image
  HPDF_Image image = NULL;

  // Each image is embedded once...
  if (!source) {
    ap_fail(r->diags, ap_loc_file(path), "internal error: image file '%s' was not checked before render", path);
    return NULL;
  }
  for (size_t i = 0; i < r->npictures; i++)
    if (r->pictures[i].source == source)
      return r->pictures[i].image;

  // ...made from its bytes or pixels...
  if (source->format == AP_IMAGE_JPEG) {
    if (source->size > UINT32_MAX) {
      ap_fail(r->diags, ap_loc_file(path), "image file '%s' is larger than 4 GiB: expected a smaller JPEG", path);
      return NULL;
    }
    image = HPDF_LoadJpegImageFromMem(r->pdf, source->data, (HPDF_UINT)source->size);
  } else if (source->zdata && source->zsize <= UINT32_MAX) {
    image = load_png_rows(r, source); // (already deflated)
  } else {
    image = load_pixels(r, source);
  }
  if (!image || (!source->zdata && !ap_render_deflate(r, image)))
    return NULL;

  // ...and remembered...
  if (r->npictures == r->apictures) {
    size_t n = r->apictures ? r->apictures * 2 : 4;
    ap_picture_t *p = realloc(r->pictures, n * sizeof(*p));
    if (!p) {
      ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
      return NULL;
    }
    r->pictures = p;
    r->apictures = n;
  }
  r->pictures[r->npictures].source = source;
  r->pictures[r->npictures].image = image;
  r->npictures++;
  return image;
}

// A PDF image of a PNG's own compressed rows (ap_image_t.zdata): the IDAT
// data as the stream, FlateDecode with the PNG predictors (/Predictor 15:
// each row says its filter) reading it, at the file's bit depth; palette
// indices under an Indexed colour space. Nothing is decompressed or
// compressed again: the PDF holds the file's own bytes. NULL on error
// (reported by libharu, or recorded).
static HPDF_Image
load_png_rows(ap_writer_t *r, const ap_image_t *source)
{
  HPDF_Image image = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref);
  HPDF_Dict parms = HPDF_Dict_New(r->pdf->mmgr);
  int colors = source->components;
  HPDF_STATUS ret = HPDF_OK;

  if (!image || !parms)
    return NULL;
  image->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
  ret += HPDF_Dict_AddName(image, "Type", "XObject");
  ret += HPDF_Dict_AddName(image, "Subtype", "Image");
  ret += HPDF_Dict_AddNumber(image, "Width", source->width);
  ret += HPDF_Dict_AddNumber(image, "Height", source->height);
  ret += HPDF_Dict_AddNumber(image, "BitsPerComponent", source->zbits);
  if (source->color == AP_IMAGE_INDEXED)
    ret += set_palette(r, image, source);
  else
    ret += HPDF_Dict_AddName(image, "ColorSpace", colors == 3 ? "DeviceRGB" : "DeviceGray");
  ret += HPDF_Dict_AddNumber(parms, "Predictor", 15);
  ret += HPDF_Dict_AddNumber(parms, "Colors", colors);
  ret += HPDF_Dict_AddNumber(parms, "BitsPerComponent", source->zbits);
  ret += HPDF_Dict_AddNumber(parms, "Columns", source->width);
  ret += HPDF_Dict_Add(image, "DecodeParms", parms);
  ret += HPDF_Stream_Write(image->stream, source->zdata, (HPDF_UINT)source->zsize);
  if (ret != HPDF_OK) {
    if (!r->failed)
      ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: image '%s' (libharu error)", source->path);
    return NULL;
  }
  ap_render_deflated(image);
  return image;
}

// The Indexed colour space of a palette image: its RGB lookup table.
static HPDF_STATUS
set_palette(ap_writer_t *r, HPDF_Image image, const ap_image_t *source)
{
  HPDF_Array indexed = HPDF_Array_New(r->pdf->mmgr);
  HPDF_Binary lookup = HPDF_Binary_New(r->pdf->mmgr, source->palette, (HPDF_UINT)source->npalette * 3);
  HPDF_STATUS ret = HPDF_OK;

  if (!indexed || !lookup)
    return HPDF_FAILD_TO_ALLOC_MEM;
  ret += HPDF_Array_AddName(indexed, "Indexed");
  ret += HPDF_Array_AddName(indexed, "DeviceRGB");
  ret += HPDF_Array_AddNumber(indexed, source->npalette - 1);
  ret += HPDF_Array_Add(indexed, lookup);
  ret += HPDF_Dict_Add(image, "ColorSpace", indexed);
  return ret;
}

// A PDF image of decoded PNG pixels: 8-bit DeviceGray or DeviceRGB, or
// palette indices under an Indexed colour space; the opacity plane, if any,
// as a DeviceGray soft mask (PDF 1.4). NULL on error (reported by libharu,
// or recorded).
static HPDF_Image
load_pixels(ap_writer_t *r, const ap_image_t *source)
{
  HPDF_UINT width = (HPDF_UINT)source->width, height = (HPDF_UINT)source->height;
  HPDF_ColorSpace space = source->components == 3 ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY;
  HPDF_Image image, mask;
  HPDF_STATUS ret = HPDF_OK;

  // The pixels, then the palette they index...
  if (!(image = HPDF_LoadRawImageFromMem(r->pdf, source->pixels, width, height, space, /*bits*/ 8)))
    return NULL;
  if (source->color == AP_IMAGE_INDEXED)
    ret += set_palette(r, image, source);

  // ...and the soft mask of the opacity...
  if (ret == HPDF_OK && source->alpha) {
    if (!(mask = HPDF_LoadRawImageFromMem(r->pdf, source->alpha, width, height, HPDF_CS_DEVICE_GRAY, /*bits*/ 8)) ||
        !ap_render_deflate(r, mask))
      return NULL;
    ret += HPDF_Image_AddSMask(image, mask);
    if (r->pdf->pdf_version < HPDF_VER_14)
      r->pdf->pdf_version = HPDF_VER_14;
  }
  if (ret != HPDF_OK) {
    if (!r->failed)
      ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: image '%s' (libharu error)", source->path);
    return NULL;
  }
  return image;
}
