// Collect: inline items → Knuth–Plass elements. Spaces become glue, tokens
// (maximal runs of non-space characters, across items) become one box per
// style piece, with penalties after inner '-' or '/' and between the pieces
// of a token too wide for any line.
#include "text-private.h"

#include <stdlib.h>

#include "../../base/utf8.h"

#define CHUNK_PENALTY 0.0     // Break inside an over-long token (unavoidable)
#define FIL_STRETCH 1e9       // Stretch of the glue that ends the last line
#define HYPHEN_PENALTY 50.0   // Break after '-' or '/' inside a token
#define SHRINK_PER_SPACE (1.0 / 3.0)  // Shrink of a space, as a part of its width
#define STRETCH_PER_SPACE (1.0 / 2.0) // Stretch of a space, as a part of its width

// One character of the token being collected.
typedef struct ap_char_s {
  size_t item;   // Index of the inline item
  size_t offset; // First byte in the item's text
  size_t len;    // Bytes
  uint32_t cp;   // Code point
  double width;  // Advance in points (U+00A0: the space width)
} ap_char_t;

// State of the collection: the paragraph and the token not yet emitted.
typedef struct ap_collector_s {
  ap_par_t *par;             // Paragraph receiving elements
  ap_char_t *chars;          // Characters of the current token
  size_t nchars, chars_cap;  // Used and allocated characters
  bool any_box;              // A box has been emitted (the first line is behind)
  size_t space_item;         // Item whose space width is cached (AP_PAR_NONE: none)
  double space;              // Cached space width
} ap_collector_t;

static void add_box(ap_collector_t *c, size_t from, size_t to);
static void add_char(ap_collector_t *c, size_t item, size_t offset, size_t len, uint32_t cp);
static ap_elem_t *add_elem(ap_collector_t *c, ap_elem_kind_t kind);
static void add_glue(ap_collector_t *c, size_t item);
static void add_penalty(ap_collector_t *c, double penalty, bool flagged);
static void add_segment(ap_collector_t *c, size_t from, size_t to);
static void flush_token(ap_collector_t *c);
static bool is_break_after(const ap_collector_t *c, size_t k);
static bool is_joiner(uint32_t cp);
static double space_width(ap_collector_t *c, size_t item);

//
// 'ap_par_collect()' - Turn the inline items into boxes, glue and penalties.
//
// Leading and trailing spaces are dropped; the list ends with an infinite
// penalty, a fil glue and a forced break, as in Knuth and Plass.
//

bool                                // O - false when a face lacks a glyph
ap_par_collect(ap_par_t *par,       // I - Paragraph
               ap_diags_t *diags,   // I - Where errors go
               ap_loc_t loc)        // I - Place of the paragraph
{
  ap_collector_t c = {.par = par, .space_item = AP_PAR_NONE}; // Collector
  size_t i;                                                     // Looping var

  for (i = 0; i < par->nitems; i++) {
    const ap_inline_t *item = par->items + i; // Item read
    const char *p, *end;                      // Reading position, end of text
    uint32_t missing;                         // Code point without a glyph

    if (!item->text || !item->len)
      continue;

    // Every glyph must be there before anything is measured...
    if ((missing = ap_font_find_missing(item->font, item->text, item->len)) != 0) {
      free(c.chars);
      return ap_fail(diags, loc, "font '%s' has no glyph for U+%04X", ap_font_name(item->font),
                     (unsigned)missing);
    }

    // Spaces end tokens and become glue; everything else joins the token...
    for (p = item->text, end = item->text + item->len; p < end;) {
      const char *q = p;                // Start of the character
      uint32_t cp = ap_utf8_next(&p, end); // Character

      if (cp == ' ') {
        flush_token(&c);
        add_glue(&c, i);
      } else {
        add_char(&c, i, (size_t)(q - item->text), (size_t)(p - q), cp);
      }
    }
  }
  flush_token(&c);

  // Drop a trailing space, then end the paragraph...
  if (par->nelems && par->elems[par->nelems - 1].kind == AP_ELEM_GLUE)
    par->nelems--;
  add_penalty(&c, AP_PENALTY_INF, /*flagged*/false);
  add_elem(&c, AP_ELEM_GLUE)->stretch = FIL_STRETCH;
  add_penalty(&c, -AP_PENALTY_INF, /*flagged*/false);

  free(c.chars);
  return true;
}

// Add one box per item piece of the token's characters [from, to).
static void
add_box(ap_collector_t *c, size_t from, size_t to)
{
  size_t k = from; // Character looked at

  while (k < to) {
    ap_elem_t *box = add_elem(c, AP_ELEM_BOX); // Box of one item's piece
    size_t item = c->chars[k].item;             // Its item

    box->item = item;
    box->offset = c->chars[k].offset;
    for (; k < to && c->chars[k].item == item; k++) {
      box->len += c->chars[k].len;
      box->width += c->chars[k].width;
    }
  }
  c->any_box = true;
}

// Append a character to the current token, measured.
static void
add_char(ap_collector_t *c, size_t item, size_t offset, size_t len, uint32_t cp)
{
  const ap_inline_t *it = c->par->items + item; // Item of the character
  ap_char_t *ch;                                 // New character

  c->chars = ap_par_grow(c->chars, &c->chars_cap, c->nchars + 1, sizeof(ap_char_t));
  ch = c->chars + c->nchars++;
  ch->item = item;
  ch->offset = offset;
  ch->len = len;
  ch->cp = cp;
  ch->width = cp == 0xA0 ? space_width(c, item)
                         : ap_font_measure(it->font, it->text + offset, len, it->size);
}

// Append a zeroed element of a kind.
static ap_elem_t *
add_elem(ap_collector_t *c, ap_elem_kind_t kind)
{
  ap_par_t *par = c->par; // Paragraph
  ap_elem_t *elem;        // New element

  par->elems = ap_par_grow(par->elems, &par->elems_cap, par->nelems + 1, sizeof(ap_elem_t));
  elem = par->elems + par->nelems++;
  *elem = (ap_elem_t){0};
  elem->kind = kind;
  elem->item = AP_PAR_NONE;
  return elem;
}

// Add the glue of a space of an item, unless it would lead the paragraph or follow glue.
static void
add_glue(ap_collector_t *c, size_t item)
{
  ap_par_t *par = c->par; // Paragraph
  ap_elem_t *glue;        // New glue
  double space;           // Natural width

  if (!par->nelems || par->elems[par->nelems - 1].kind == AP_ELEM_GLUE)
    return;
  space = space_width(c, item);
  glue = add_elem(c, AP_ELEM_GLUE);
  glue->item = item;
  glue->width = space;
  glue->stretch = space * STRETCH_PER_SPACE;
  // Only justified lines shrink: the others keep natural spacing...
  glue->shrink = par->config->align == AP_ALIGN_JUSTIFY ? space * SHRINK_PER_SPACE : 0;
}

// Add a penalty.
static void
add_penalty(ap_collector_t *c, double penalty, bool flagged)
{
  ap_elem_t *elem = add_elem(c, AP_ELEM_PENALTY); // New penalty

  elem->penalty = penalty;
  elem->flagged = flagged;
}

// Add the characters [from, to) of a token between two break opportunities,
// cut between characters into pieces that fit a line when it is too wide.
static void
add_segment(ap_collector_t *c, size_t from, size_t to)
{
  const ap_par_config_t *config = c->par->config; // Measure and indent
  double avail = c->any_box ? config->measure : config->measure - config->first_indent;
  double width = 0;                                // Width of the segment
  size_t k;                                        // Looping var

  for (k = from; k < to; k++)
    width += c->chars[k].width;
  if (width <= avail + 1e-9) {
    add_box(c, from, to);
    return;
  }

  // Too wide for any line: as many characters as fit on each line...
  while (from < to) {
    double w = c->chars[from].width; // Width of the piece

    for (k = from + 1; k < to && w + c->chars[k].width <= avail + 1e-9; k++)
      w += c->chars[k].width;
    add_box(c, from, k);
    if (k < to)
      add_penalty(c, CHUNK_PENALTY, /*flagged*/false);
    avail = config->measure;
    from = k;
  }
}

// Emit the current token: segments between inner '-' or '/' breaks.
static void
flush_token(ap_collector_t *c)
{
  size_t from = 0, k; // Start of the segment, looping var

  for (k = 0; k < c->nchars; k++) {
    if (is_break_after(c, k)) {
      add_segment(c, from, k + 1);
      add_penalty(c, HYPHEN_PENALTY, /*flagged*/true);
      from = k + 1;
    }
  }
  if (from < c->nchars)
    add_segment(c, from, c->nchars);
  c->nchars = 0;
}

// True when the token may break after its k-th character: a '-' or '/'
// with a character on both sides that is not itself a joiner or U+00A0.
static bool
is_break_after(const ap_collector_t *c, size_t k)
{
  return is_joiner(c->chars[k].cp) && k > 0 && k + 1 < c->nchars &&
         !is_joiner(c->chars[k - 1].cp) && c->chars[k - 1].cp != 0xA0 &&
         !is_joiner(c->chars[k + 1].cp) && c->chars[k + 1].cp != 0xA0;
}

// True for the characters after which a token may break.
static bool
is_joiner(uint32_t cp)
{
  return cp == '-' || cp == '/';
}

// Width of a space in an item's font and size (cached for the last item asked).
static double
space_width(ap_collector_t *c, size_t item)
{
  const ap_inline_t *it = c->par->items + item; // Item

  if (c->space_item != item) {
    c->space_item = item;
    c->space = ap_font_measure(it->font, " ", 1, it->size);
  }
  return c->space;
}
