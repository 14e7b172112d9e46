// Text: one BT/ET per line box. Consecutive runs that share font, size,
// colour and baseline are shown by one TJ array: the gap between two words
// is a space glyph plus a position adjustment, computed from where the PDF
// itself will have put the pen (the font's /W widths), so rounding never
// accumulates. Font and colour are written only when they change;
// underlines are stroked after ET. libharu writes no text operator here
// but Tf and rg: the array goes straight into the page's content stream.
#include "render-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDERLINE_OFFSET 0.12 // Underline centre below the baseline, in ems
#define UNDERLINE_WIDTH 0.05  // Underline thickness, in ems
#define POS_STEP 1            // Td grid, in thousandths of a point (1 = 3 decimals)
#define ADJ_UNIT 10           // TJ adjustments are written in 1/ADJ_UNIT thousandths of an em
#define SPACE_CODE 0x0020     // Code of the space glyph put between words

typedef struct text_s {
  ap_renderer_t *r;           // Renderer
  HPDF_Stream s;              // Page content stream
  HPDF_Font font;             // libharu font of the current array
  HPDF_Encoder enc;           // Its encoder
  long tx, ty;                // Text line start as the PDF has it, thousandths of a point
  double pen;                 // Pen from the line start, thousandths of an em, as the PDF adds
  double space;               // Width of the space glyph, thousandths of an em
  bool array;                 // Inside [...] TJ
  bool str;                   // Inside (...) within the array
  const ap_run_t *last;       // Last run shown in the array
} text_t;

static void begin_array(text_t *t, const ap_run_t *run, HPDF_Font font);
static void end_array(text_t *t);
static bool joins(const text_t *t, const ap_run_t *run);
static void put_code(text_t *t, unsigned code);
static void put_number(text_t *t, long value, long unit);
static void put_run(text_t *t, const ap_run_t *run);
static bool same_color(ap_color_t a, ap_color_t b);
static void underline(ap_renderer_t *r, const ap_run_t *run);

//
// 'ap_render_text()' - Draw the runs of a line box.
//

bool
ap_render_text(ap_renderer_t *r, const ap_box_t *box)
{
  text_t t = {.r = r, .s = ((HPDF_PageAttr)r->page->attr)->stream};
  bool open = false;  // Inside BT...ET
  bool lines = false; // Some run is underlined

  for (const ap_run_t *run = box->runs; run; run = run->next) {
    HPDF_Font font;
    if (!run->text || !*run->text || !run->font)
      continue;
    if (!(font = ap_render_get_font(r, run->font)))
      return ap_fail(r->diags, ap_loc_file(r->path), "font '%s' was not embedded",
                     ap_font_name(run->font));
    lines = lines || run->underline;

    // Continue the array when nothing but the x position changes...
    if (joins(&t, run)) {
      put_run(&t, run);
      continue;
    }

    // Otherwise close it, set what changed, move to the run and open another...
    end_array(&t);
    if (!open) {
      HPDF_Page_BeginText(r->page);
      open = true;
    }
    if (run->font != r->font || run->size != r->size) {
      HPDF_Page_SetFontAndSize(r->page, font, (HPDF_REAL)run->size);
      r->font = run->font;
      r->size = run->size;
    }
    if (!same_color(run->color, r->fill))
      ap_render_set_fill(r, run->color);
    begin_array(&t, run, font);
    put_run(&t, run);
  }
  end_array(&t);
  if (open)
    HPDF_Page_EndText(r->page);

  // Underlines are paths, drawn outside the text object...
  if (lines)
    for (const ap_run_t *run = box->runs; run; run = run->next)
      if (run->underline && run->text && *run->text && run->width > 0)
        underline(r, run);
  return !r->failed;
}

// Move the text line start to a run (a Td on the POS_STEP grid, relative to
// the previous start so no error adds up) and open its array.
static void
begin_array(text_t *t, const ap_run_t *run, HPDF_Font font)
{
  HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
  long x = POS_STEP * lround(run->x * 1000 / POS_STEP); // Wanted start, on the grid
  long y = POS_STEP * lround((t->r->height - run->baseline) * 1000 / POS_STEP);

  put_number(t, x - t->tx, 1000);
  HPDF_Stream_WriteChar(t->s, ' ');
  put_number(t, y - t->ty, 1000);
  HPDF_Stream_WriteStr(t->s, " Td[");
  t->tx = x;
  t->ty = y;
  t->font = font;
  t->enc = attr->encoder;
  t->space = ap_render_code_width(font, SPACE_CODE);
  t->pen = 0;
  t->array = true;
  t->str = false;
  t->last = NULL;
}

// Close the open array, if any.
static void
end_array(text_t *t)
{
  if (!t->array)
    return;
  HPDF_Stream_WriteStr(t->s, t->str ? ")]TJ\n" : "]TJ\n");
  t->array = false;
  t->str = false;
}

// True when a run can join the open array: same face, size, colour and
// baseline as the last one, and to its right.
static bool
joins(const text_t *t, const ap_run_t *run)
{
  const ap_run_t *last = t->last;

  return t->array && last && run->font == last->font && run->size == last->size &&
         same_color(run->color, last->color) && run->baseline == last->baseline &&
         run->x >= last->x + last->width;
}

// Write one 2-byte code into the array's string (a literal string of
// bytes, half the size of hex; the delimiters and CR escaped) and advance
// the pen by its /W width.
static void
put_code(text_t *t, unsigned code)
{
  unsigned char bytes[2] = {(unsigned char)(code >> 8), (unsigned char)code};
  char buf[4];
  size_t n = 0;

  if (!t->str) {
    HPDF_Stream_WriteChar(t->s, '(');
    t->str = true;
  }
  for (int i = 0; i < 2; i++) {
    if (bytes[i] == '(' || bytes[i] == ')' || bytes[i] == '\\')
      buf[n++] = '\\';
    if (bytes[i] == '\r') {
      buf[n++] = '\\';
      buf[n++] = 'r';
    } else
      buf[n++] = (char)bytes[i];
  }
  HPDF_Stream_Write(t->s, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
  t->pen += ap_render_code_width(t->font, code);
}

// Write a number given in 1/unit, with at most three decimals, trailing
// zeros and a leading zero dropped ("-.25").
static void
put_number(text_t *t, long value, long unit)
{
  char buf[32], *p = buf;
  long whole, frac;
  int digits = 0;

  if (value < 0) {
    *p++ = '-';
    value = -value;
  }
  whole = value / unit;
  frac = value % unit;
  if (whole || !frac)
    p += snprintf(p, sizeof(buf) - 2, "%ld", whole);
  if (frac) {
    for (long u = unit; u > 1; u /= 10)
      digits++;
    while (frac % 10 == 0) {
      frac /= 10;
      digits--;
    }
    p += snprintf(p, sizeof(buf) - (size_t)(p - buf), ".%0*ld", digits, frac);
  }
  HPDF_Stream_Write(t->s, (const HPDF_BYTE *)buf, (HPDF_UINT)(p - buf));
}

// Show a run in the open array: from the second run on, first a space
// glyph when the gap is a word space, then the adjustment that puts the
// run's first glyph at run->x, then its codes.
static void
put_run(text_t *t, const ap_run_t *run)
{
  HPDF_UINT len = 0;             // Encoded length
  char *codes;                   // Encoded text: 2-byte codes, big-endian
  const char *text = run->text;  // UTF-8
  size_t n = strlen(text);

  // Place the run: its start in millionths of an em from the line start...
  if (t->last) {
    double want = (run->x * 1000 - (double)t->tx) / run->size; // Wanted pen
    if (want - t->pen >= t->space / 2)
      put_code(t, SPACE_CODE);
    long adjust = lround((t->pen - want) * ADJ_UNIT);
    if (adjust) {
      if (t->str)
        HPDF_Stream_WriteChar(t->s, ')');
      t->str = false;
      put_number(t, adjust, ADJ_UNIT);
      t->pen -= (double)adjust / ADJ_UNIT;
    }
  }
  t->last = run;

  // Encode as libharu's ShowText would, then write code by code...
  if (t->enc->encode_text_fn) {
    if (!(codes = t->enc->encode_text_fn(t->enc, text, (HPDF_UINT)n, &len)))
      return;
    for (HPDF_UINT i = 0; i + 1 < len; i += 2)
      put_code(t, ((unsigned)(unsigned char)codes[i] << 8) | (unsigned char)codes[i + 1]);
    free(codes);
  } else {
    for (size_t i = 0; i + 1 < n; i += 2)
      put_code(t, ((unsigned)(unsigned char)text[i] << 8) | (unsigned char)text[i + 1]);
  }
}

// True when two colours are the same.
static bool
same_color(ap_color_t a, ap_color_t b)
{
  return a.r == b.r && a.g == b.g && a.b == b.b;
}

// Stroke a thin line under a run, in its colour.
static void
underline(ap_renderer_t *r, const ap_run_t *run)
{
  double y = r->height - run->baseline - UNDERLINE_OFFSET * run->size;

  ap_render_set_stroke(r, run->color, UNDERLINE_WIDTH * run->size);
  HPDF_Page_MoveTo(r->page, (HPDF_REAL)run->x, (HPDF_REAL)y);
  HPDF_Page_LineTo(r->page, (HPDF_REAL)(run->x + run->width), (HPDF_REAL)y);
  HPDF_Page_Stroke(r->page);
}
