// Path and colour operators of a page's content stream, written here
// rather than by libharu's HPDF_Page_MoveTo, _LineTo, _CurveTo, _Rectangle
// and _Set{RGB,CMYK}{Fill,Stroke}: each of those clears a 512-byte buffer
// byte by byte (HPDF_MemSet) before it formats a few numbers, some 2,000
// instructions an operator, and a table's cell backgrounds and rules call
// them tens of thousands of times (the 10,000-row table: 85,000 calls, a
// quarter of the painting thread's instructions). The numbers are written
// as libharu's HPDF_FToA writes them (ap_render_real: the same arithmetic,
// without its copying and trimming loops), the operator the way libharu
// writes it, and the page's state that libharu checks and keeps
// (its graphics mode, current point, colours) is checked and kept the same
// way: the content streams are libharu's to the byte, and libharu's
// painting operators (f, S, W n...) find the page as they would have.
#include "render-private.h"

#include <hpdf_gstate.h>
#include <hpdf_pages.h>
#include <string.h>

#define OP_BUF 160 // One operator: at most six numbers of libharu's (a dozen characters each)

static void put(HPDF_Page page, const HPDF_REAL *v, int n, const char *op);

//
// 'ap_render_move_to()' - x y m: start a subpath.
//

void
ap_render_move_to(HPDF_Page page, HPDF_REAL x, HPDF_REAL y)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT) != HPDF_OK)
    return;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  put(page, (const HPDF_REAL[]){x, y}, 2, " m\012");
  attr->cur_pos.x = x;
  attr->cur_pos.y = y;
  attr->str_pos = attr->cur_pos;
  attr->gmode = HPDF_GMODE_PATH_OBJECT;
}

//
// 'ap_render_line_to()' - x y l: a straight segment from the current point.
//

void
ap_render_line_to(HPDF_Page page, HPDF_REAL x, HPDF_REAL y)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_PATH_OBJECT) != HPDF_OK)
    return;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  put(page, (const HPDF_REAL[]){x, y}, 2, " l\012");
  attr->cur_pos.x = x;
  attr->cur_pos.y = y;
}

//
// 'ap_render_curve_to()' - x1 y1 x2 y2 x3 y3 c: a Bézier segment from the current point.
//

void
ap_render_curve_to(HPDF_Page page, HPDF_REAL x1, HPDF_REAL y1, HPDF_REAL x2, HPDF_REAL y2, HPDF_REAL x3,
                   HPDF_REAL y3)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_PATH_OBJECT) != HPDF_OK)
    return;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  put(page, (const HPDF_REAL[]){x1, y1, x2, y2, x3, y3}, 6, " c\012");
  attr->cur_pos.x = x3;
  attr->cur_pos.y = y3;
}

//
// 'ap_render_rectangle()' - x y w h re: a closed rectangle.
//

void
ap_render_rectangle(HPDF_Page page, HPDF_REAL x, HPDF_REAL y, HPDF_REAL w, HPDF_REAL h)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_PAGE_DESCRIPTION | HPDF_GMODE_PATH_OBJECT) != HPDF_OK)
    return;
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  put(page, (const HPDF_REAL[]){x, y, w, h}, 4, " re\012");
  attr->cur_pos.x = x;
  attr->cur_pos.y = y;
  attr->str_pos = attr->cur_pos;
  attr->gmode = HPDF_GMODE_PATH_OBJECT;
}

//
// 'ap_render_rgb()' - r g b rg (fill) or RG (stroke): an RGB colour, each part in 0..1.
//

void
ap_render_rgb(HPDF_Page page, bool stroke, HPDF_REAL red, HPDF_REAL green, HPDF_REAL blue)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_TEXT_OBJECT | HPDF_GMODE_PAGE_DESCRIPTION) != HPDF_OK)
    return;
  if (red < 0 || red > 1 || green < 0 || green > 1 || blue < 0 || blue > 1) {
    HPDF_RaiseError(page->error, HPDF_PAGE_OUT_OF_RANGE, 0);
    return;
  }
  HPDF_GState gstate = ((HPDF_PageAttr)page->attr)->gstate;
  put(page, (const HPDF_REAL[]){red, green, blue}, 3, stroke ? " RG\012" : " rg\012");
  HPDF_RGBColor color = {red, green, blue};
  if (stroke) {
    gstate->rgb_stroke = color;
    gstate->cs_stroke = HPDF_CS_DEVICE_RGB;
  } else {
    gstate->rgb_fill = color;
    gstate->cs_fill = HPDF_CS_DEVICE_RGB;
  }
}

//
// 'ap_render_cmyk()' - c m y k k (fill) or K (stroke): a CMYK colour, each part in 0..1.
//

void
ap_render_cmyk(HPDF_Page page, bool stroke, HPDF_REAL c, HPDF_REAL m, HPDF_REAL y, HPDF_REAL k)
{
  if (HPDF_Page_CheckState(page, HPDF_GMODE_TEXT_OBJECT | HPDF_GMODE_PAGE_DESCRIPTION) != HPDF_OK)
    return;
  if (c < 0 || c > 1 || m < 0 || m > 1 || y < 0 || y > 1 || k < 0 || k > 1) {
    HPDF_RaiseError(page->error, HPDF_PAGE_OUT_OF_RANGE, 0);
    return;
  }
  HPDF_GState gstate = ((HPDF_PageAttr)page->attr)->gstate;
  put(page, (const HPDF_REAL[]){c, m, y, k}, 4, stroke ? " K\012" : " k\012");
  HPDF_CMYKColor color = {c, m, y, k};
  if (stroke) {
    gstate->cmyk_stroke = color;
    gstate->cs_stroke = HPDF_CS_DEVICE_CMYK;
  } else {
    gstate->cmyk_fill = color;
    gstate->cs_fill = HPDF_CS_DEVICE_CMYK;
  }
}

//
// 'ap_render_uint()' - A whole number in decimal, as printf's %u writes it; the end of what was written.
//
// At most 20 characters; no NUL is written. For the numbers render writes
// many times over (operators, object streams' offsets, marked content's
// MCIDs), where printf cost more than the rest of the writing.
//

char *                          // O - After the last digit
ap_render_uint(char    *p,      // I - Where to write
               uint64_t value)  // I - The number
{
  char digits[20];              // Last digit first
  int n = 0;

  do
    digits[n++] = (char)('0' + value % 10);
  while ((value /= 10) != 0);
  while (n)
    *p++ = digits[--n];
  return p;
}

//
// 'ap_render_real()' - A number as libharu writes it (HPDF_FToA); the end of what was written.
//
// Clamped to libharu's limits (±32767), rounded to 5 decimals by libharu's
// own arithmetic (the same expressions, float and double where it has
// them), without trailing zeros or a trailing point: "12.5", "0.33333",
// "-0" for a tiny negative. At most 12 characters; no NUL is written.
// test_render_ops compares it with HPDF_FToA.
//

char *                          // O - After the last character written
ap_render_real(char     *p,     // I - Where to write
               HPDF_REAL val)   // I - The number
{
  if (val > HPDF_LIMIT_MAX_REAL)
    val = HPDF_LIMIT_MAX_REAL;
  else if (val < HPDF_LIMIT_MIN_REAL)
    val = HPDF_LIMIT_MIN_REAL;
  if (val < 0) {
    *p++ = '-';
    val = -val;
  }
  HPDF_INT32 whole = (HPDF_INT32)(val + 0.000005);                              // (as libharu: double)
  HPDF_INT32 part = (HPDF_INT32)((HPDF_REAL)(val - whole + 0.000005) * 100000); // (float, then times 100000)

  p = ap_render_uint(p, (uint64_t)whole);
  int decimals = 5; // Decimals written: trailing zeros are not
  while (decimals > 0 && part % 10 == 0) {
    part /= 10;
    decimals--;
  }
  if (decimals) {
    *p++ = '.';
    for (int i = decimals - 1; i >= 0; i--, part /= 10)
      p[i] = (char)('0' + part % 10);
    p += decimals;
  }
  return p;
}

// Write n numbers, a space between each, then op, into the page's content
// stream, as libharu does, the whole at once (a failed write raises its
// error on the page, as libharu's HPDF_CheckError does).
static void
put(HPDF_Page page, const HPDF_REAL *v, int n, const char *op)
{
  char buf[OP_BUF];
  char *p = buf;

  for (int i = 0; i < n; i++) {
    if (i)
      *p++ = ' ';
    p = ap_render_real(p, v[i]);
  }
  size_t len = strlen(op);
  memcpy(p, op, len);
  p += len;
  if (HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf)) != HPDF_OK)
    HPDF_CheckError(page->error);
}
