// Collect: inline items → Knuth–Plass elements. Spaces become glue, tokens
// (maximal runs of non-space characters, across items) become one box per
// style piece, with penalties after inner '-' or '/' and between the pieces
// of a token too wide for any line. The breaking rules of administrative
// typesetting are applied here: no break inside a number range ("2020 -
// 2025"), a document code ("341-BC/TU"), after a word that introduces a
// number ("số 10", "ngày 05") or before a spaced dash, unless what they hold
// together is wider than a line (docs/layout-language.md, "Line breaking").
#include "text-private.h"

#include <stdlib.h>
#include <string.h>

#include "../../base/utf8.h"

#define CHUNK_PENALTY 0.0     // Break inside an over-long token (unavoidable)
#define FIL_STRETCH 1e9       // Stretch of the glue that ends the last line
#define HYPHEN_PENALTY 50.0   // Break after '-' or '/' inside a token
#define SHRINK_PER_SPACE (1.0 / 3.0)  // Shrink of a space, as a part of its width
#define STRETCH_PER_SPACE (1.0 / 2.0) // Stretch of a space, as a part of its width

// Words after which a space never breaks when a number follows ("số 10",
// "ngày 05", "Điều 3"), lower case; a trailing ':' is allowed ("Số: 12/...").
// Each with its length in bytes and in characters and its first letter: a
// token of another length or first letter is not compared (most tokens
// are not introducers).
typedef struct introducer_s {
  const char *word; // The word, lower case, NFC
  size_t bytes;     // Its length in bytes
  size_t chars;     // Its length in characters
  uint32_t first;   // Its first letter
} introducer_t;
#define INTRODUCER(word, chars, first) {word, sizeof(word) - 1, chars, first}
static const introducer_t introducers[] = { // (by first letter: is_introducer looks at one letter's)
    INTRODUCER("chương", 6, 'c'), INTRODUCER("khoản", 5, 'k'), INTRODUCER("mục", 3, 'm'),
    INTRODUCER("ngày", 4, 'n'),   INTRODUCER("năm", 3, 'n'),   INTRODUCER("phần", 4, 'p'),
    INTRODUCER("quý", 3, 'q'),    INTRODUCER("số", 2, 's'),    INTRODUCER("tháng", 5, 't'),
    INTRODUCER("điều", 4, 0x111), INTRODUCER("điểm", 4, 0x111),
};

// One character of the token being collected.
typedef struct ap_char_s {
  size_t item;   // Index of the inline item
  size_t offset; // First byte in the item's text
  size_t len;    // Bytes
  uint32_t cp;   // Code point
  int32_t top;   // Top of its glyph's ink, font units (INT32_MIN: none)
  double width;  // Advance in points (U+00A0: the space width)
} ap_char_t;

// What the breaking rules need to know of a token already emitted.
typedef struct ap_token_s {
  size_t glue;        // Glue element before it (AP_PAR_NONE: it opens the paragraph)
  bool introduces;    // One of the introducers ("số", "Ngày", "ĐIỀU"...)
  bool is_dash;       // A lone '-' or '–' (U+2013)
  bool ends_number;   // Its last character is a digit or '%'
  bool starts_number; // Its first character is a digit
  bool is_code;       // Holds a digit and only code characters (punctuation around aside)
} ap_token_t;

// State of the collection: the paragraph and the token not yet emitted.
typedef struct ap_collector_s {
  ap_par_t *par;             // Paragraph receiving elements
  ap_char_t *chars;          // Characters of the current token
  size_t nchars, chars_cap;  // Used and allocated characters
  size_t digits, joiners;    // Its digits, its '-' and '/' (none: no code, no break inside)
  double width;              // Its width: its characters' advances summed in order, as add_segment and add_box sum them
  size_t len;                // Its bytes
  int32_t top;               // The highest top of its characters' ink (INT32_MIN: none)
  bool mixed;                // Its characters come from more than one item
  bool any_box;              // A box has been emitted (the first line is behind)
  size_t space_item;         // Item whose space width is cached (AP_PAR_NONE: none)
  double space;              // Cached space width
  ap_token_t before[2];      // The two tokens emitted last ([1] the nearer)
  size_t ntokens;            // Tokens emitted so far
  unsigned tied;             // Bit 1 << tie of each firmness a glue has been tied with (0: no tie to free)
} ap_collector_t;

static void add_box(ap_collector_t *c, size_t from, size_t to);
static void add_char(ap_collector_t *c, size_t item, size_t offset, size_t len, uint32_t cp, uint32_t gid);
static ap_elem_t *add_elem(ap_collector_t *c, ap_elem_kind_t kind);
static void add_glue(ap_collector_t *c, size_t item);
static void add_penalty(ap_collector_t *c, double penalty, bool flagged);
static void add_segment(ap_collector_t *c, size_t from, size_t to);
static ap_token_t classify_token(const ap_collector_t *c);
static void flush_token(ap_collector_t *c);
static uint32_t fold_case(uint32_t cp);
static bool is_break_after(const ap_collector_t *c, size_t k);
static bool is_closing(uint32_t cp);
static bool is_code_char(uint32_t cp);
static bool is_introducer(const ap_collector_t *c);
static bool is_joiner(uint32_t cp);
static bool is_opening(uint32_t cp);
static void release_wide_ties(ap_par_t *par, ap_tie_t up_to);
static double space_width(ap_collector_t *c, size_t item);
static void tie(ap_collector_t *c, ap_elem_t *glue, ap_tie_t how);
static void tie_to_previous(ap_collector_t *c, const ap_token_t *token);

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

  c.chars = ap_scratch_take(AP_SCRATCH_CHARS, &c.chars_cap);

  for (i = 0; i < par->nitems; i++) {
    const ap_inline_t *item = par->items + i; // Item read
    const char *p, *end;                      // Reading position, end of text

    if (!item->text || !item->len)
      continue;

    // Spaces end tokens and become glue; everything else joins the token,
    // its glyph looked up once: measured, or the paragraph fails on the
    // first character the face has no glyph for...
    for (p = item->text, end = item->text + item->len; p < end;) {
      const char *q = p;                // Start of the character
      uint32_t cp = ap_utf8_next(&p, end); // Character
      uint32_t gid;                     // Its glyph

      if (cp == ' ') {
        flush_token(&c);
        add_glue(&c, i);
      } else if (cp == 0xA0 || (gid = ap_font_get_glyph(item->font, cp)) != 0) {
        add_char(&c, i, (size_t)(q - item->text), (size_t)(p - q), cp, cp == 0xA0 ? 0 : gid);
      } else {
        ap_scratch_give(AP_SCRATCH_CHARS, c.chars, c.chars_cap, sizeof(ap_char_t));
        return ap_fail(diags, loc, "font '%s' has no glyph for U+%04X", ap_font_name(item->font), (unsigned)cp);
      }
    }
  }
  flush_token(&c);

  // Drop a trailing space, free the ties wider than a line, then end the paragraph...
  if (par->nelems && par->elems[par->nelems - 1].kind == AP_ELEM_GLUE)
    par->nelems--;
  // (Each pass frees nothing without a tie of its own firmness: the first
  // frees number ties only; and without dash ties, a number tie the first
  // kept sits in a chain no wider than a line, which the second finds the
  // same or narrower.)
  if (c.tied & 1u << AP_TIE_NUMBER)
    release_wide_ties(par, AP_TIE_NUMBER);
  if (c.tied & 1u << AP_TIE_DASH)
    release_wide_ties(par, AP_TIE_DASH);
  add_penalty(&c, AP_PENALTY_INF, /*flagged*/false);
  add_elem(&c, AP_ELEM_GLUE)->stretch = FIL_STRETCH;
  add_penalty(&c, -AP_PENALTY_INF, /*flagged*/false);

  ap_scratch_give(AP_SCRATCH_CHARS, c.chars, c.chars_cap, sizeof(ap_char_t));
  return true;
}

// Add one box per item piece of the token's characters [from, to).
static void
add_box(ap_collector_t *c, size_t from, size_t to)
{
  size_t k = from; // Character looked at

  // The whole token, of one item (most tokens): the box add_char measured...
  if (from == 0 && to == c->nchars && !c->mixed) {
    ap_elem_t *box = add_elem(c, AP_ELEM_BOX);
    box->item = c->chars[0].item;
    box->offset = c->chars[0].offset;
    box->len = c->len;
    box->width = c->width;
    box->top = c->top;
    c->any_box = true;
    return;
  }
  while (k < to) {
    ap_elem_t *box = add_elem(c, AP_ELEM_BOX); // Box of one item's piece
    size_t item = c->chars[k].item;             // Its item

    box->item = item;
    box->offset = c->chars[k].offset;
    box->top = INT32_MIN;
    for (; k < to && c->chars[k].item == item; k++) {
      box->len += c->chars[k].len;
      box->width += c->chars[k].width;
      if (c->chars[k].top > box->top)
        box->top = c->chars[k].top;
    }
  }
  c->any_box = true;
}

// Append a character to the current token, measured (gid: its glyph; a
// no-break space is as wide as the item's space).
static void
add_char(ap_collector_t *c, size_t item, size_t offset, size_t len, uint32_t cp, uint32_t gid)
{
  const ap_inline_t *it = c->par->items + item; // Item of the character
  ap_char_t *ch;                                 // New character

  if (c->nchars == c->chars_cap)
    c->chars = ap_par_grow(c->chars, &c->chars_cap, c->nchars + 1, sizeof(ap_char_t));
  ch = c->chars + c->nchars++;
  ch->item = item;
  ch->offset = offset;
  ch->len = len;
  ch->cp = cp;
  ch->width = cp == 0xA0 ? space_width(c, item) : ap_font_glyph_advance(it->font, gid, it->size);
  ch->top = ap_font_glyph_top(it->font, cp == 0xA0 ? ap_font_get_glyph(it->font, cp) : gid);
  if (c->nchars == 1) {
    c->width = 0;
    c->len = 0;
    c->top = INT32_MIN;
    c->mixed = false;
  } else if (ch[-1].item != item) {
    c->mixed = true;
  }
  c->width += ch->width;
  c->len += len;
  if (ch->top > c->top)
    c->top = ch->top;
  c->digits += cp >= '0' && cp <= '9';
  c->joiners += is_joiner(cp);
}

// Append a zeroed element of a kind.
static ap_elem_t *
add_elem(ap_collector_t *c, ap_elem_kind_t kind)
{
  ap_par_t *par = c->par; // Paragraph
  ap_elem_t *elem;        // New element

  if (par->nelems == par->elems_cap)
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

  if (from == 0 && to == c->nchars)
    width = c->width;
  else
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

// What the breaking rules need to know of the current token.
static ap_token_t
classify_token(const ap_collector_t *c)
{
  const ap_par_t *par = c->par;          // Paragraph
  ap_token_t token = {.glue = AP_PAR_NONE}; // Result
  size_t from = 0, to = c->nchars, k;    // Core of the token (punctuation around dropped), looping var
  uint32_t first = c->chars[0].cp;       // First character
  uint32_t last = c->chars[c->nchars - 1].cp; // Last character
  bool digit = false;                    // The core holds a digit

  if (par->nelems && par->elems[par->nelems - 1].kind == AP_ELEM_GLUE)
    token.glue = par->nelems - 1;
  token.introduces = is_introducer(c);
  token.is_dash = c->nchars == 1 && (first == '-' || first == 0x2013);
  token.ends_number = (last >= '0' && last <= '9') || last == '%';
  token.starts_number = first >= '0' && first <= '9';

  // A code: punctuation around dropped, digits, letters, '-', '/', '.'...
  if (!c->digits) // (the common word: no digit, no code)
    return token;
  while (from < to && is_opening(c->chars[from].cp))
    from++;
  while (to > from && is_closing(c->chars[to - 1].cp))
    to--;
  for (k = from; k < to; k++) {
    if (!is_code_char(c->chars[k].cp))
      return token;
    digit |= c->chars[k].cp >= '0' && c->chars[k].cp <= '9';
  }
  token.is_code = digit;
  return token;
}

// Emit the current token: whole when it is a code that fits the line,
// otherwise in segments between inner '-' or '/' breaks; then tie it to the
// tokens before it where the rules ask.
static void
flush_token(ap_collector_t *c)
{
  const ap_par_config_t *config = c->par->config; // Measure and indent
  ap_token_t token;                                // What the rules need to know
  size_t from = 0, k;                              // Start of the segment, looping var

  if (!c->nchars)
    return;
  token = classify_token(c);
  tie_to_previous(c, &token);

  // A code that fits a line is never broken...
  if (token.is_code && c->width <= (c->any_box ? config->measure : config->measure - config->first_indent) + 1e-9) {
    add_segment(c, 0, c->nchars);
  } else {
    for (k = 0; c->joiners && k < c->nchars; k++) {
      if (is_break_after(c, k)) {
        add_segment(c, from, k + 1);
        add_penalty(c, HYPHEN_PENALTY, /*flagged*/true);
        from = k + 1;
      }
    }
    if (from < c->nchars)
      add_segment(c, from, c->nchars);
  }

  c->before[0] = c->before[1];
  c->before[1] = token;
  c->ntokens++;
  c->nchars = c->digits = c->joiners = 0;
}

// Lower case of a Latin letter (ASCII, Latin-1, Latin Extended-A, Ơ, Ư and
// Latin Extended Additional: every Vietnamese letter); anything else as is.
static uint32_t
fold_case(uint32_t cp)
{
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7))
    return cp + 32;
  if (cp == 0x1A0 || cp == 0x1AF) // Ơ, Ư
    return cp + 1;
  if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) || (cp >= 0x1E00 && cp <= 0x1E95) ||
       (cp >= 0x1EA0 && cp <= 0x1EFF)) &&
      cp % 2 == 0)
    return cp + 1;
  return cp;
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

// True for the punctuation that may close a code ("341-BC/TU," "(2020-2025).").
static bool
is_closing(uint32_t cp)
{
  return cp == ',' || cp == ';' || cp == ':' || cp == '.' || cp == '!' || cp == '?' || cp == ')' ||
         cp == ']' || cp == '"' || cp == '\'' || cp == 0x201D || cp == 0x2019 || cp == 0x2026; // ” ’ …
}

// True for the characters a code is made of: digits, Latin letters (with
// their combining marks), '-', '–', '/', '.', ',' and '%'.
static bool
is_code_char(uint32_t cp)
{
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '-' || cp == '/' || cp == '.' || cp == ',' || cp == '%';
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x300 && cp <= 0x36F) ||
         (cp >= 0x1E00 && cp <= 0x1EFF) || cp == 0x2013;
}

// True when the current token is one of the introducers, in any case,
// possibly followed by ':'.
static bool
is_introducer(const ap_collector_t *c)
{
  size_t n = c->nchars, i, k; // Characters compared, looping vars

  if (n > 1 && c->chars[n - 1].cp == ':')
    n--;
  if (n < 2 || n > 6)
    return false; // (the introducers have 2 to 6 letters)
  uint32_t first = fold_case(c->chars[0].cp); // First letter, lower case
  size_t from, to;                             // The introducers with that letter
  switch (first) { // (most tokens stop here)
  case 'c': from = 0, to = 1; break;
  case 'k': from = 1, to = 2; break;
  case 'm': from = 2, to = 3; break;
  case 'n': from = 3, to = 5; break;
  case 'p': from = 5, to = 6; break;
  case 'q': from = 6, to = 7; break;
  case 's': from = 7, to = 8; break;
  case 't': from = 8, to = 9; break;
  case 0x111: from = 9, to = 11; break;
  default:
    return false;
  }
  _Static_assert(sizeof(introducers) / sizeof(introducers[0]) == 11,
                 "a new introducer's first letter and length belong in is_introducer's tests");
  for (i = from; i < to; i++) {
    const char *p = introducers[i].word, *end = p + introducers[i].bytes; // The word, read as it is compared

    if (introducers[i].chars != n || introducers[i].first != first) // (a range out of step: never a match)
      continue;
    for (k = 0; k < n && p < end && fold_case(c->chars[k].cp) == ap_utf8_next(&p, end); k++)
      ;
    if (k == n && p == end)
      return true;
  }
  return false;
}

// True for the characters after which a token may break.
static bool
is_joiner(uint32_t cp)
{
  return cp == '-' || cp == '/';
}

// True for the punctuation that may open a code ("(2020-2025)", "“341-BC/TU").
static bool
is_opening(uint32_t cp)
{
  return cp == '(' || cp == '[' || cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x2018; // “ ‘
}

// Untie, up to a firmness, every chain of tied glue (with the boxes it holds
// together) that is wider than the narrowest line: it could not stand on
// any line, so its spaces break as any other (over-long tokens break between
// characters). Called for numbers first, then for dashes: a range too wide
// for the line breaks after its dash, not before.
static void
release_wide_ties(ap_par_t *par,    // I - Paragraph
                  ap_tie_t up_to)   // I - Firmest tie to free
{
  const ap_par_config_t *config = par->config; // Measure and indent
  double line = config->first_indent > 0 ? config->measure - config->first_indent : config->measure;
  double width = 0;         // Width of the chain so far
  bool tied = false;        // The chain holds a tied glue
  size_t start = 0, k, j;   // First element of the chain, looping vars

  for (k = 0; k <= par->nelems; k++) {
    const ap_elem_t *e = k < par->nelems ? par->elems + k : NULL; // Element (NULL: the end)

    if (e && (e->kind != AP_ELEM_GLUE || e->tie != AP_TIE_NONE)) {
      width += e->kind == AP_ELEM_PENALTY ? 0 : e->width;
      tied |= e->tie != AP_TIE_NONE;
      continue;
    }
    if (tied && width > line + 1e-9) {
      for (j = start; j < k; j++) {
        if (par->elems[j].tie <= up_to)
          par->elems[j].tie = AP_TIE_NONE;
      }
    }
    start = k + 1;
    width = 0;
    tied = false;
  }
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

// Keep a glue unbroken, at least as firmly as asked (the paragraph then has
// ties to look over: release_wide_ties).
static void
tie(ap_collector_t *c, ap_elem_t *glue, ap_tie_t how)
{
  if (glue->tie < how)
    glue->tie = how;
  c->tied |= 1u << how;
}

// Tie the glue before the token where the rules ask: a spaced dash never
// starts a line (it would read as a list item); a number after an
// introducer ("số 10") and a number range written with a spaced dash ("2020
// - 2025", "80 – 87") are never broken.
static void
tie_to_previous(ap_collector_t *c, const ap_token_t *token)
{
  ap_elem_t *glue;                         // Glue before the token
  const ap_token_t *prev = c->before + 1;  // The token just before
  const ap_token_t *prev2 = c->before;     // The one before it

  if (token->glue == AP_PAR_NONE || c->ntokens == 0)
    return;
  glue = c->par->elems + token->glue;
  if (token->is_dash)
    tie(c, glue, AP_TIE_DASH);
  if (!token->starts_number)
    return;
  if (prev->introduces)
    tie(c, glue, AP_TIE_NUMBER);
  if (c->ntokens >= 2 && prev->is_dash && prev2->ends_number)
    tie(c, glue, AP_TIE_NUMBER); // (the space before the dash is tied already)
}
