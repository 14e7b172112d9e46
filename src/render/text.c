// Text: one BT/ET per line box. Consecutive runs that share font, size,
// colour and baseline are shown by one TJ array: the gap between two words
// is a space glyph plus a position adjustment, computed from where the PDF
// itself will have put the pen (the font's /W widths), so rounding never
// accumulates. Font and colour are written only when they change;
// underlines are stroked after ET. libharu writes BT, ET and rg here; the
// Tf and the arrays (CIDs, given as characters first show, in codes of one
// byte for the first 128 and two after: fonts.c) go straight into the page's content stream, each array gathered
// in a buffer first. Tagged, a line's last word is followed by a space
// glyph (unless the word goes on on the next line), and a run that opens
// an array after a word space starts with one (its advance taken back); a
// list item's marker gets a text object (and a marked Lbl) of its own, and
// so do a linked run or footnote reference (a Link), and a run of another
// element than its line's or an artifact (a contents entry's page number,
// its leader dots).
#include "render-private.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "../base/utf8.h"

#define POS_STEP 1            // Td grid, in thousandths of a point (1 = 3 decimals)
#define ADJ_UNIT 10           // TJ adjustments are written in 1/ADJ_UNIT thousandths of an em
#define SPACE_CP 0x0020       // Character of the glyph put between words
#define TEXT_BUF 4096         // Bytes gathered before they go to the stream
#define TEXT_ROOM 64          // Room one step needs in the buffer (a number, a CID, a bracket)
#define GRID_LIMIT 1e12       // Largest magnitude put_number is given (a billion points in thousandths):
                              // far past any page, far inside a long

typedef struct text_s {
  ap_writer_t *r;           // Renderer
  HPDF_Stream s;              // Page content stream
  ap_embed_t *font;           // Font record of the current array (its CIDs grow as runs show)
  long tx, ty;                // Text line start as the PDF has it, thousandths of a point
  double pen;                 // Pen from the line start, thousandths of an em, as the PDF adds
  double space;               // Width of the space glyph, thousandths of an em
  unsigned space_cid;         // Its CID
  bool array;                 // Inside [...] TJ
  bool str;                   // Inside (...) within the array
  const ap_run_t *last;       // Last run shown in the array
  const char *lang;           // Tagged: the language of the open span (/Span <</Lang>> BDC), NULL = none
  bool broken;                // A character could not get a CID (recorded)
  bool words_apart;           // No run of the line holds a space: word spacing (Tw) may set its gaps
  double stream_tw;           // Word spacing in effect in the content stream, points (0 outside lines)
  double tw;                  // The same in thousandths of an em of the open array's size
  int spaces;                 // Space glyphs in the open array so far
  size_t array_at;            // Where the open array's "x y Td[" starts in buf (SIZE_MAX: written out)
  size_t len;                 // Bytes waiting in buf
  char buf[TEXT_BUF];         // Array text not yet in the stream
} text_t;

static bool begin_array(text_t *t, const ap_run_t *run, ap_embed_t *font);
static void end_array(text_t *t);
static bool begin_span(text_t *t, const char *lang);
static void end_text(text_t *t, bool *open);
static bool same_lang(const char *a, const char *b);
static void flush(text_t *t);
static bool joins(const text_t *t, const ap_run_t *run);
static void put_cid(text_t *t, unsigned cid);
static void put_number(text_t *t, long value, long unit);
static void put_run(text_t *t, const ap_run_t *run);
static void set_word_spacing(text_t *t, double extra, double size);
static int put_fixed5(char *op, double pt);
static long round_grid(double v);
static bool set_font(ap_writer_t *r, const ap_embed_t *font, double size);
static void underline(ap_writer_t *r, const ap_run_t *run);
static void word_space(text_t *t);

//
// 'ap_render_text()' - Draw the runs of a line box.
//

bool
ap_render_text(ap_writer_t *r, const ap_box_t *box)
{
  text_t text, *t = &text; // Array state; the buffer needs no clearing
  bool open = false;       // Inside BT...ET
  bool lines = false;      // Some run is underlined
  const ap_run_t *prev = NULL; // Last run shown on the line
  const void *link = NULL;     // Tagged: link (or footnote reference) of the last run
                               // shown (its Link is open)
  const ap_run_t *part = NULL; // Tagged, a line with an element: last run shown, for its element
  bool links = r->tags != NULL; // Linked runs are Links (tagged: in groups too)

  memset(t, 0, offsetof(text_t, buf));
  t->r = r;
  t->s = ((HPDF_PageAttr)r->page->attr)->stream;
  t->array_at = SIZE_MAX;
  t->words_apart = true;
  for (const ap_run_t *run = box->runs; run && t->words_apart; run = run->next)
    t->words_apart = !run->text || !strchr(run->text, ' ');
  for (const ap_run_t *run = box->runs; run && !t->broken; run = run->next) {
    ap_embed_t *font;
    if (!run->text || !*run->text || !run->font) {
      if (links && run->link && !ap_tags_queue_link(r)) // (its link box still comes)
        return false;
      continue;
    }
    if (!(font = ap_render_use_font(r, run->font)))
      return false;
    lines = lines || run->underline;

    // Tagged, a list item's label is its Lbl and the rest of the line its
    // LBody: the text object ends between the two sequences (marked
    // content nests in text objects, never across them)...
    if (r->tags && box->label_in && prev && prev->label && !run->label) {
      end_array(t);
      end_text(t, &open);
      if (!ap_tags_switch(r, box->in))
        return false;
      prev = NULL; // (its word gap is the marker's: no space glyph)
    }

    // ...a run of another element or an artifact (a contents entry's page
    // number, its leader dots) goes on in that one (keeping the word space
    // before it where it was)...
    if (r->tags && box->in && part && (run->in != part->in || run->artifact != part->artifact)) {
      if (t->array && prev && (run->x - prev->x - prev->width) * 1000 / run->size >= t->space / 2) {
        put_cid(t, t->space_cid);
        prev = NULL;
      }
      end_array(t);
      end_text(t, &open);
      if (!ap_tags_part(r, box, run))
        return false;
    }
    part = run;

    // ...and a linked run's text a Link of the line's element (its link
    // box's annotation goes with it), a footnote reference one of its own
    // (with the annotation to its note), in a text object of its own...
    const void *target = run->link ? (const void *)run->link : run->note > 0 ? (const void *)run : NULL;
    if (links && target != link) {
      end_array(t);
      end_text(t, &open);
      if (!ap_tags_text_link(r, target != NULL))
        return false;
      link = target;
    }
    if (links && run->link && !ap_tags_queue_link(r))
      return false;
    if (links && !run->link && run->note > 0 && !ap_render_note_link(r, run))
      return false;

    // Tagged, text in another language than the document's is a span
    // with its /Lang, in a text object of its own...
    if (r->tags && !same_lang(run->lang, t->lang)) {
      end_array(t);
      end_text(t, &open);
    }

    // Continue the array when nothing but the x position changes...
    if (joins(t, run)) {
      put_run(t, run);
      prev = run;
      continue;
    }

    // Otherwise close it, set what changed, move to the run and open another...
    end_array(t);
    if (!open) {
      if (r->tags && run->lang && !begin_span(t, run->lang))
        return false;
      HPDF_Page_BeginText(r->page);
      open = true;
    }
    if ((run->font != r->font || run->size != r->size) && !set_font(r, font, run->size))
      return false;
    ap_render_set_fill(r, run->color);
    if (!begin_array(t, run, font))
      return false;
    if (r->tags && prev && (run->x - prev->x - prev->width) * 1000 / run->size >= t->space / 2)
      word_space(t);
    put_run(t, run);
    prev = run;
  }
  if (t->broken)
    return false;
  // Tagged, a line that ends between words ends in a space glyph: a
  // structure element's text is its lines' text one after the other, and
  // its words must not run together ("lần" + "thứ")...
  if (r->tags && t->array && !box->split_word)
    put_cid(t, t->space_cid);
  end_array(t);
  end_text(t, &open);
  if (t->stream_tw != 0) // Word spacing is the line's own
    HPDF_Stream_WriteStr(t->s, "0 Tw\n");

  // Underlines are paths, drawn outside the text object...
  if (lines)
    for (const ap_run_t *run = box->runs; run; run = run->next)
      if (run->underline && run->text && *run->text && run->width > 0)
        underline(r, run);
  return !r->failed;
}

// Move the text line start to a run (a Td on the POS_STEP grid, relative to
// the previous start so no error adds up) and open its array; false when
// the space glyph cannot get a CID (recorded).
static bool
begin_array(text_t *t, const ap_run_t *run, ap_embed_t *font)
{
  long x = POS_STEP * round_grid(run->x * 1000 / POS_STEP); // Wanted start, on the grid
  long y = POS_STEP * round_grid((t->r->height - run->baseline) * 1000 / POS_STEP);

  t->array_at = t->len;
  t->spaces = 0;
  t->tw = t->stream_tw * 1000 / run->size;
  put_number(t, x - t->tx, 1000);
  t->buf[t->len++] = ' ';
  put_number(t, y - t->ty, 1000);
  memcpy(t->buf + t->len, " Td[", 4);
  t->len += 4;
  t->tx = x;
  t->ty = y;
  t->font = font;
  if (!(t->space_cid = ap_embed_get_cid(font, SPACE_CP)) &&
      !ap_render_add_cid(t->r, font, SPACE_CP, &t->space_cid))
    return false;
  t->space = font->widths[t->space_cid];
  t->pen = 0;
  t->array = true;
  t->str = false;
  t->last = NULL;
  return true;
}

// Close the open array, if any, and write it out.
static void
end_array(text_t *t)
{
  if (!t->array)
    return;
  if (t->str)
    t->buf[t->len++] = ')';
  memcpy(t->buf + t->len, "]TJ\n", 4);
  t->len += 4;
  flush(t);
  t->array = false;
  t->str = false;
}

// Tagged: open a span of text in another language, /Span <</Lang (…)>> BDC
// (marked content with a property list, inside its element's sequence:
// ISO 32000-1 14.9.2.2), just before its text object.
static bool
begin_span(text_t *t, const char *lang)
{
  char op[96];
  int n = snprintf(op, sizeof(op), "/Span <</Lang (%s)>> BDC\n", lang); // A checked tag: letters, digits, '-'
  if (n < 0 || (size_t)n >= sizeof(op))
    return false;
  HPDF_Stream_WriteStr(t->s, op);
  t->lang = lang;
  return true;
}

// End the text object (BT starts the text matrix afresh) and the span around it.
static void
end_text(text_t *t, bool *open)
{
  if (*open) {
    HPDF_Page_EndText(t->r->page);
    *open = false;
    t->tx = t->ty = 0;
  }
  if (t->lang) {
    HPDF_Stream_WriteStr(t->s, "EMC\n");
    t->lang = NULL;
  }
}

// Whether two runs' languages are the same (NULL: the document's).
static bool
same_lang(const char *a, const char *b)
{
  return a == b || (a && b && !strcmp(a, b));
}

// Write the gathered bytes into the content stream.
static void
flush(text_t *t)
{
  if (t->len)
    HPDF_Stream_Write(t->s, (const HPDF_BYTE *)t->buf, (HPDF_UINT)t->len);
  t->len = 0;
  t->array_at = SIZE_MAX; // (the open array's start is written: no Tw can go before it now)
}

// True when a run can join the open array: same face, size, colour and
// baseline as the last one, and to its right.
static bool
joins(const text_t *t, const ap_run_t *run)
{
  const ap_run_t *last = t->last;

  return t->array && last && run->font == last->font && run->size == last->size &&
         ap_render_same_color(run->color, last->color) && run->baseline == last->baseline &&
         run->x >= last->x + last->width;
}

// Write the code of a CID (one byte for the first 128 CIDs, else two:
// ap_cid_code) into the array's string (a literal string of bytes, half
// the size of hex; the delimiters and CR escaped) and advance the pen by
// its /W width.
static void
put_cid(text_t *t, unsigned cid)
{
  unsigned char bytes[2];
  int n = ap_cid_code(cid, bytes);
  char *p;

  if (t->len > TEXT_BUF - TEXT_ROOM)
    flush(t);
  p = t->buf + t->len;
  if (!t->str) {
    *p++ = '(';
    t->str = true;
  }
  for (int i = 0; i < n; i++) {
    if (bytes[i] == '(' || bytes[i] == ')' || bytes[i] == '\\')
      *p++ = '\\';
    if (bytes[i] == '\r') {
      *p++ = '\\';
      *p++ = 'r';
    } else
      *p++ = (char)bytes[i];
  }
  t->len = (size_t)(p - t->buf);
  t->pen += t->font->widths[cid];
  if (cid == AP_SPACE_CID) { // Word spacing applies to it (code 32)
    t->pen += t->tw;
    t->spaces++;
  }
}

// Write a number given in 1/unit (a power of ten), with at most three
// decimals, trailing zeros and a leading zero dropped ("-.25"). Any long
// is written correctly (LONG_MIN too: the magnitude is taken unsigned),
// in at most 21 bytes, well inside TEXT_ROOM.
static void
put_number(text_t *t, long value, long unit)
{
  char digits[24];                  // Whole part, last digit first
  char *p;
  unsigned long mag, whole, frac;   // |value|, its whole and fractional parts
  int n = 0, places = 0;

  if (t->len > TEXT_BUF - TEXT_ROOM)
    flush(t);
  p = t->buf + t->len;
  mag = (unsigned long)value;
  if (value < 0) {
    *p++ = '-';
    mag = 0UL - mag; // Modulo 2^N: exact for every negative long, LONG_MIN included
  }
  whole = mag / (unsigned long)unit;
  frac = mag % (unsigned long)unit;
  if (whole || !frac) {
    do
      digits[n++] = (char)('0' + whole % 10);
    while ((whole /= 10) && n < (int)sizeof(digits));
    while (n)
      *p++ = digits[--n];
  }
  if (frac) {
    for (long u = unit; u > 1; u /= 10)
      places++;
    while (frac % 10 == 0) {
      frac /= 10;
      places--;
    }
    *p++ = '.';
    for (int i = places - 1; i >= 0; i--, frac /= 10)
      p[i] = (char)('0' + frac % 10);
    p += places;
  }
  t->len = (size_t)(p - t->buf);
}

// Show a run in the open array: from the second run on, first a space
// glyph when the gap is a word space, then the adjustment that puts the
// run's first glyph at run->x, then its CIDs, one per character (a
// character shown for the first time gets the font's next CID).
static void
put_run(text_t *t, const ap_run_t *run)
{
  const char *p = run->text, *end = p + strlen(p); // UTF-8

  // Place the run: its start in millionths of an em from the line start...
  if (t->last) {
    double want = (run->x * 1000 - (double)t->tx) / run->size; // Wanted pen
    bool gap = want - t->pen >= t->space / 2;
    if (gap && t->words_apart && !t->spaces)
      set_word_spacing(t, want - t->pen - t->space, run->size);
    if (gap)
      put_cid(t, t->space_cid);
    long adjust = round_grid((t->pen - want) * ADJ_UNIT);
    if (adjust) {
      if (t->str)
        t->buf[t->len++] = ')';
      t->str = false;
      put_number(t, adjust, ADJ_UNIT);
      t->pen -= (double)adjust / ADJ_UNIT;
    }
  }
  t->last = run;

  // Then character by character...
  while (p < end) {
    uint32_t cp = ap_utf8_next(&p, end);
    unsigned cid = ap_embed_get_cid(t->font, cp);
    if (!cid && !ap_render_add_cid(t->r, t->font, cp, &cid)) {
      t->broken = true;
      return;
    }
    put_cid(t, cid);
  }
}

// At an array's first word gap: the word spacing (Tw) that puts the word
// after it where the layout wants it (extra: thousandths of an em beyond
// the space glyph), written before the array's Td, in points to 1e-5 (so
// that 50 gaps drift by less than an adjustment's step). The other gaps
// of a justified line are the same, so the array needs no adjustment
// between its words; one that differs still gets its number. Nothing is
// done when that Tw is in effect already, or the array's start has been
// written out.
static void
set_word_spacing(text_t *t, double extra, double size)
{
  double pt = round(extra * size / 1000 * 1e5) / 1e5; // (a normal line: a few points at most)
  char op[48];

  if (pt == t->stream_tw || t->array_at == SIZE_MAX || !(fabs(pt) < 1000))
    return;
  int n = put_fixed5(op, pt);
  while (n > 0 && op[n - 1] == '0') // Trailing zeros, then a bare point, dropped
    n--;
  if (n > 0 && op[n - 1] == '.')
    n--;
  memcpy(op + n, " Tw ", 4);
  n += 4;
  if (t->len + (size_t)n > TEXT_BUF - TEXT_ROOM)
    return;
  memmove(t->buf + t->array_at + n, t->buf + t->array_at, t->len - t->array_at);
  memcpy(t->buf + t->array_at, op, (size_t)n);
  t->len += (size_t)n;
  t->array_at += (size_t)n;
  t->stream_tw = pt;
  t->tw = pt * 1000 / size;
}

// Write pt (a multiple of 1e-5 below 1000 in size) as printf's "%.5f"
// does (a sign for -0 too), without printf, which took a twentieth of the
// painting of a page; returns the bytes written (at most 12).
static int
put_fixed5(char *op, double pt)
{
  long long k = llround(fabs(pt) * 1e5); // In 1e-5: the digits "%.5f" rounds the value to
  char whole[8];
  int n = 0, w = 0;

  if (signbit(pt))
    op[n++] = '-';
  long long units = k / 100000, frac = k % 100000;
  do
    whole[w++] = (char)('0' + units % 10);
  while ((units /= 10) != 0);
  while (w)
    op[n++] = whole[--w];
  op[n++] = '.';
  for (int i = 4; i >= 0; i--, frac /= 10)
    op[n + i] = (char)('0' + frac % 10);
  return n + 5;
}

// Round a position or adjustment to a long for put_number. Layout never
// gives NaN or infinities (numbers are checked where they are read), so the
// assert guards that promise; a release build still clamps, since lround of
// a NaN or of a value past a long is undefined.
static long
round_grid(double v)
{
  assert(isfinite(v));
  if (!(v > -GRID_LIMIT)) // NaN too
    return v != v ? 0 : -(long)GRID_LIMIT;
  if (v > GRID_LIMIT)
    return (long)GRID_LIMIT;
  return lround(v);
}

// Select a font and size ("/F1 13 Tf"), listing the font in the page's
// resources on first use; false on error (libharu reports).
static bool
set_font(ap_writer_t *r, const ap_embed_t *font, double size)
{
  HPDF_Stream s = ((HPDF_PageAttr)r->page->attr)->stream;
  const char *name = HPDF_Page_GetLocalFontName(r->page, (HPDF_Font)font->dict);

  if (!name)
    return false;
  HPDF_Stream_WriteEscapeName(s, name);
  HPDF_Stream_WriteChar(s, ' ');
  HPDF_Stream_WriteReal(s, (HPDF_REAL)size);
  HPDF_Stream_WriteStr(s, " Tf\n");
  r->font = font->font;
  r->size = size;
  return true;
}

// Tagged, a run that starts a new array after a word space (another face
// or size: "theo" + a footnote number) begins with a space glyph whose
// advance is taken back, so that the text of its element keeps the space.
static void
word_space(text_t *t)
{
  long back = round_grid((t->space + t->tw) * ADJ_UNIT); // (its advance has the word spacing in effect)

  put_cid(t, t->space_cid);
  t->buf[t->len++] = ')';
  t->str = false;
  put_number(t, back, ADJ_UNIT);
  t->pen -= (double)back / ADJ_UNIT;
}

// Stroke a line under a run, in its colour, where and as thick as the face
// says (ap_font_underline: under the dot of Ạ, Ộ, Ệ), broken around the
// letters whose ink reaches it (g, p, y: "skip ink"), a thickness clear on
// each side.
static void
underline(ap_writer_t *r, const ap_run_t *run)
{
  double top, thick; // Below the baseline, and thickness, in points
  ap_font_underline(run->font, &top, &thick);
  top *= run->size;
  thick *= run->size;
  double y = r->height - run->baseline - top - thick / 2; // PDF y of its middle
  double from = run->x, pen = run->x, end = run->x + run->width;
  const char *p = run->text, *stop = p + strlen(p);
  bool drawn = false; // A piece of line is in the path

  ap_render_set_stroke(r, run->color, thick);
  while (p < stop) {
    const char *c = p;
    uint32_t cp = ap_utf8_next(&p, stop);
    double x0, x1, y0, y1;
    if (ap_font_glyph_ink(run->font, cp, run->size, &x0, &x1, &y0, &y1) && -y0 > top - thick / 4) {
      double gap0 = pen + x0 - thick, gap1 = pen + x1 + thick;
      if (gap0 > from + thick) {
        ap_render_move_to(r->page, (HPDF_REAL)from, (HPDF_REAL)y);
        ap_render_line_to(r->page, (HPDF_REAL)gap0, (HPDF_REAL)y);
        drawn = true;
      }
      if (gap1 > from)
        from = gap1;
    }
    pen += ap_font_measure(run->font, c, (size_t)(p - c), run->size);
  }
  if (end > from) {
    ap_render_move_to(r->page, (HPDF_REAL)from, (HPDF_REAL)y);
    ap_render_line_to(r->page, (HPDF_REAL)end, (HPDF_REAL)y);
    drawn = true;
  }
  if (drawn)
    HPDF_Page_Stroke(r->page);
}
