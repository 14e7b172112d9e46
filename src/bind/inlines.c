// Inline binding: text with {…} interpolation, emphasis, footnotes, values
// formatted the Vietnamese way, and rich content copied from the data.
// Every text is collapsed (XML mixed content) and normalized to NFC here.
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../base/utf8.h"
#include "../base/vnformat.h"

static bool add_text(ap_binder_t *b, ap_node_t *parent, const ap_node_t *flags, const char *text,
                     size_t len, ap_loc_t loc);
static bool import_data(ap_binder_t *b, xmlNodePtr dn, ap_node_t *parent, const ap_node_t *flags,
                        ap_loc_t loc);
static bool make_footnote(ap_binder_t *b, ap_node_t *parent, ap_loc_t loc, ap_node_t **para);
static bool value_text(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent,
                       const ap_node_t *flags);

#define LOC(elem, attr) ap_bind_loc(b, (elem), (attr))

//
// 'ap_bind_collapse()' - Collapse XML whitespace runs to one space.
//

// True when s may hold white space to collapse: a byte below 0x20 (tab,
// line break, carriage return: XML text has no other) or two spaces in a
// row. Eight bytes at a time: in each, the bytes below 0x20 (the usual
// test for a byte less than n), and the spaces as the zero bytes of the
// word XOR eight spaces, flagged exactly (bit 7 of each byte).
static bool
needs_collapsing(const char *s, size_t len)
{
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u, lows = 0x7F7F7F7F7F7F7F7Fu;
  uint64_t before = 0; // The previous word's last byte was a space (its flag, moved to bit 7 of byte 0)
  size_t i = 0;

  for (; i + 8 <= len; i += 8) {
    uint64_t x, y, spaces;
    memcpy(&x, s + i, 8);
    if ((x - ones * 0x20) & ~x & highs)
      return true;
    y = x ^ (ones * ' ');
    spaces = ~(((y & lows) + lows) | y) & highs;
    if ((spaces & (spaces >> 8)) || (spaces & before))
      return true;
    before = (spaces >> 56) & 0x80;
  }
  for (bool space = before != 0; i < len; i++) {
    if ((unsigned char)s[i] < 0x20 || (space && s[i] == ' '))
      return true;
    space = s[i] == ' ';
  }
  return false;
}

char *
ap_bind_collapse(ap_arena_t *arena, const char *s, size_t len)
{
  char *out = ap_arena_alloc(arena, len + 1), *o = out;
  bool space = false; // Inside a run of whitespace

  // The usual text (a paragraph written on one line) has nothing to
  // collapse: no tab, line break or two spaces in a row. It is copied
  // whole (the byte loop below was 2 % of the 2023 report's instructions)...
  if (!needs_collapsing(s, len)) {
    memcpy(out, s, len);
    return out;
  }

  // ...otherwise byte by byte.
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space)
      *o++ = ' ';
    space = false;
    *o++ = c;
  }
  if (space)
    *o++ = ' ';
  *o = '\0';
  return out;
}

//
// 'ap_bind_inlines()' - Bind the inline content of a layout element.
//

bool
ap_bind_inlines(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx, ap_node_t *parent,
                const ap_node_t *flags)
{
  static const ap_node_t plain; // No emphasis
  if (!flags)
    flags = &plain;

  for (xmlNodePtr c = elem->children; c; c = c->next) {
    ap_loc_t loc = LOC(c->type == XML_ELEMENT_NODE ? c : elem, NULL);
    if (c->type == XML_TEXT_NODE) {
      char *text = ap_bind_interpolate(b, (const char *)c->content, ctx, loc);
      if (!text || !add_text(b, parent, flags, text, strlen(text), loc))
        return false;
      continue;
    }
    if (c->type != XML_ELEMENT_NODE)
      continue;

    const char *name = (const char *)c->name;
    ap_node_t f = *flags; // Emphasis for the children
    if (!strcmp(name, "b") || !strcmp(name, "i") || !strcmp(name, "u") || !strcmp(name, "sup")) {
      f.bold |= name[0] == 'b';
      f.italic |= name[0] == 'i';
      f.underline |= name[0] == 'u';
      f.sup |= name[0] == 's';
      if (!ap_bind_inlines(b, c, ctx, parent, &f))
        return false;
    } else if (!strcmp(name, "link")) {
      if (!(f.link = ap_bind_lasting(b, ap_bind_attr(b, c, "href", ctx))) || !ap_bind_inlines(b, c, ctx, parent, &f))
        return false;
    } else if (!strcmp(name, "span")) {
      if (!ap_bind_lang(b, c, ctx, &f) || !ap_bind_inlines(b, c, ctx, parent, &f))
        return false;
    } else if (!strcmp(name, "br")) {
      ap_node_append(parent, ap_node_new(b->arena, AP_NODE_BREAK, loc));
    } else if (!strcmp(name, "page-number")) {
      ap_node_append(parent, ap_node_new(b->arena, AP_NODE_PAGENUM, loc));
    } else if (!strcmp(name, "if")) {
      // Inline condition: its content when the test holds...
      bool yes;
      if (!ap_bind_test(b, c, ctx, &yes) || (yes && !ap_bind_inlines(b, c, ctx, parent, flags)))
        return false;
    } else if (!strcmp(name, "row-number")) {
      char num[16];
      snprintf(num, sizeof(num), "%d", b->table_rows);
      if (!add_text(b, parent, flags, num, strlen(num), loc))
        return false;
    } else if (!strcmp(name, "page-count")) {
      ap_node_append(parent, ap_node_new(b->arena, AP_NODE_PAGECOUNT, loc));
    } else if (!strcmp(name, "fn")) {
      ap_node_t *para;
      if (!make_footnote(b, parent, loc, &para) || !ap_bind_inlines(b, c, ctx, para, NULL))
        return false;
      ap_bind_tidy(b, para);
    } else if (!strcmp(name, "value")) {
      if (!value_text(b, c, ctx, parent, flags))
        return false;
    } else if (!strcmp(name, "content")) {
      xmlChar *expr = xmlGetProp(c, (const xmlChar *)"select");
      xmlXPathObjectPtr obj = ap_bind_eval(b, (const char *)expr, ctx, LOC(c, "select"));
      xmlFree(expr);
      if (!obj)
        return false;
      ap_bind_note_content(b, c, obj);
      bool ok = ap_bind_content(b, obj, parent, flags, loc);
      xmlXPathFreeObject(obj);
      if (!ok)
        return false;
    }
  }
  return true;
}

//
// 'ap_bind_content()' - Copy what an XPath result holds into parent, as <content> does.
//
// Each node of a node set with its rich content (data/README.md: emphasis,
// links, footnotes, a <sic> as its correction); a string, number or
// boolean as its text.
//

bool
ap_bind_content(ap_binder_t *b, xmlXPathObjectPtr obj, ap_node_t *parent, const ap_node_t *flags, ap_loc_t loc)
{
  static const ap_node_t plain; // No emphasis
  bool ok = true;

  if (!flags)
    flags = &plain;
  if (obj->type == XPATH_NODESET) {
    for (int i = 0; ok && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
      ok = import_data(b, obj->nodesetval->nodeTab[i], parent, flags, loc);
  } else {
    xmlChar *s = xmlXPathCastToString(obj);
    ok = add_text(b, parent, flags, (const char *)s, strlen((const char *)s), loc);
    xmlFree(s);
  }
  return ok;
}

//
// 'ap_bind_interpolate()' - Replace {xpath} by its string value.
//

char *
ap_bind_interpolate(ap_binder_t *b, const char *text, xmlNodePtr ctx, ap_loc_t loc)
{
  if (!strchr(text, '{') && !strchr(text, '}'))
    return ap_arena_strdup(b->arena, text);

  size_t cap = strlen(text) + 64, len = 0;
  char *out = malloc(cap);
  for (const char *p = text; *p;) {
    const char *piece;  // What to append
    size_t n;           // Its length
    xmlChar *value = NULL;

    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      piece = p, n = 1, p += 2;
    } else if (*p == '{') {
      const char *close = strchr(p, '}');
      if (!close) {
        free(out);
        ap_fail(b->diags, loc, "'{' without its closing '}' in \"%s\"", text);
        return NULL;
      }
      char *expr = ap_arena_strndup(b->arena, p + 1, (size_t)(close - p - 1));
      xmlXPathObjectPtr obj = ap_bind_eval(b, expr, ctx, loc);
      if (!obj) {
        free(out);
        return NULL;
      }
      value = ap_bind_string(obj);
      xmlXPathFreeObject(obj);
      piece = (const char *)value, n = strlen(piece), p = close + 1;
    } else if (*p == '}') {
      free(out);
      ap_fail(b->diags, loc, "'}' without an opening '{' in \"%s\" (write '}}' for a brace)", text);
      return NULL;
    } else {
      const char *stop = p + strcspn(p, "{}");
      piece = p, n = (size_t)(stop - p), p = stop;
    }
    if (len + n + 1 > cap) {
      char *grown = realloc(out, cap = (len + n + 1) * 2);
      if (!grown) { // As the arena does: no way on without memory
        fputs("anpham: out of memory\n", stderr);
        abort();
      }
      out = grown;
    }
    memcpy(out + len, piece, n);
    len += n;
    xmlFree(value);
  }
  char *s = ap_arena_strndup(b->arena, out, len);
  free(out);
  return s;
}

//
// 'ap_bind_own_text()' - Append the layout's own words to a paragraph.
//
// Words a form writes itself ("Số", ", ngày", "Nơi nhận:", the asterisk),
// not the data's: the text run is marked (level 1), and the layout sets it
// as a label run, which the dump shows as such.
//

bool
ap_bind_own_text(ap_binder_t *b, ap_node_t *parent, const char *text, ap_loc_t loc)
{
  static const ap_node_t plain; // No emphasis
  ap_node_t *before = parent->last;

  if (!add_text(b, parent, &plain, text, strlen(text), loc))
    return false;
  if (parent->last != before)
    parent->last->level = 1;
  return true;
}

//
// 'ap_bind_tidy()' - One space between words across runs, none at the ends.
//

void
ap_bind_tidy(ap_binder_t *b, ap_node_t *para)
{
  bool after_space = true; // At the start, or after a space
  ap_node_t *last_text = NULL;

  for (ap_node_t *n = para->children; n; n = n->next) {
    if (n->kind == AP_NODE_BREAK) {
      if (last_text) { // No space before a forced break
        size_t l = strlen(last_text->text);
        if (l && last_text->text[l - 1] == ' ')
          ((char *)last_text->text)[l - 1] = '\0';
      }
      after_space = true;
      continue;
    }
    if (n->kind != AP_NODE_TEXT)
      continue;
    if (after_space && n->text[0] == ' ')
      n->text++;
    if (para->style && para->style->uppercase)
      n->text = ap_bind_uppercase(b->arena, n->text);
    size_t l = strlen(n->text);
    if (l)
      after_space = n->text[l - 1] == ' ';
    if (l)
      last_text = n;
  }
  if (last_text) {
    size_t l = strlen(last_text->text);
    if (l && last_text->text[l - 1] == ' ')
      ((char *)last_text->text)[l - 1] = '\0';
  }

  // Runs the trimming emptied are dropped: they carry nothing to lay out...
  ap_node_t **link = &para->children;
  para->last = NULL;
  while (*link) {
    if ((*link)->kind == AP_NODE_TEXT && !(*link)->text[0]) {
      *link = (*link)->next;
      continue;
    }
    para->last = *link;
    link = &(*link)->next;
  }
}

// Append a TEXT node: collapse whitespace, normalize to NFC.
static bool
add_text(ap_binder_t *b, ap_node_t *parent, const ap_node_t *flags, const char *text, size_t len,
         ap_loc_t loc)
{
  size_t bad;
  bool plain; // NFC by its code points alone (collapsing white space keeps that so)
  if (!ap_utf8_validate_plain(text, len, &bad, &plain))
    return ap_fail(b->diags, loc, "invalid UTF-8 at byte %zu of the text", bad);
  char *collapsed = ap_bind_collapse(b->arena, text, len);
  if (!*collapsed)
    return true;
  ap_node_t *t = ap_node_new(b->arena, AP_NODE_TEXT, loc);
  t->text = plain ? collapsed : ap_utf8_nfc(b->arena, collapsed, strlen(collapsed));
  t->bold = flags->bold;
  t->italic = flags->italic;
  t->underline = flags->underline;
  t->sup = flags->sup;
  t->link = flags->link;
  t->lang = flags->lang;
  ap_node_append(parent, t);
  return true;
}

// Copy a data node's rich content: text, b/i/u/sup/br, fn (footnotes, with
// <p> children as separate paragraphs), sic (its corr=); other elements
// contribute their content.
static bool
import_data(ap_binder_t *b, xmlNodePtr dn, ap_node_t *parent, const ap_node_t *flags, ap_loc_t loc)
{
  if (dn->type == XML_TEXT_NODE || dn->type == XML_CDATA_SECTION_NODE)
    return add_text(b, parent, flags, (const char *)dn->content, strlen((const char *)dn->content), loc);
  if (dn->type == XML_ATTRIBUTE_NODE) {
    xmlChar *s = xmlNodeGetContent(dn);
    bool ok = add_text(b, parent, flags, (const char *)s, strlen((const char *)s), loc);
    xmlFree(s);
    return ok;
  }
  if (dn->type != XML_ELEMENT_NODE && dn->type != XML_DOCUMENT_NODE)
    return true;

  for (xmlNodePtr c = dn->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) {
      if (!import_data(b, c, parent, flags, loc))
        return false;
      continue;
    }
    const char *name = (const char *)c->name;
    ap_node_t f = *flags;
    if (!strcmp(name, "fn")) {
      // A footnote: its paragraphs, or its inline content as one paragraph...
      bool has_p = false;
      for (xmlNodePtr k = c->children; k; k = k->next)
        has_p |= k->type == XML_ELEMENT_NODE && !strcmp((const char *)k->name, "p");
      ap_node_t *para;
      if (!has_p) {
        if (!make_footnote(b, parent, loc, &para) || !import_data(b, c, para, &(ap_node_t){0}, loc))
          return false;
        ap_bind_tidy(b, para);
        continue;
      }
      if (!make_footnote(b, parent, loc, &para))
        return false;
      ap_node_t *note = parent->last;
      bool first = true;
      for (xmlNodePtr k = c->children; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
          continue;
        if (!first) {
          para = ap_node_new(b->arena, AP_NODE_PARA, loc);
          para->style = b->doc->notes.style;
          ap_node_append(note, para);
        }
        first = false;
        if (!import_data(b, k, para, &(ap_node_t){0}, loc))
          return false;
        ap_bind_tidy(b, para);
      }
      continue;
    }
    if (!strcmp(name, "br")) {
      ap_node_append(parent, ap_node_new(b->arena, AP_NODE_BREAK, loc));
      continue;
    }
    xmlChar *corr = ap_bind_sic_corr(c);
    if (corr) {
      // A typo of the source kept in the data: its correction is printed...
      bool ok = add_text(b, parent, flags, (const char *)corr, strlen((const char *)corr), loc);
      xmlFree(corr);
      if (!ok)
        return false;
      continue;
    }
    f.bold |= !strcmp(name, "b") || !strcmp(name, "strong");
    f.italic |= !strcmp(name, "i") || !strcmp(name, "em");
    f.underline |= !strcmp(name, "u");
    f.sup |= !strcmp(name, "sup");
    if (!strcmp(name, "a") || !strcmp(name, "link")) {
      xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
      if (href)
        f.link = ap_arena_strdup(b->lasting, (const char *)href);
      xmlFree(href);
    }
    if (!import_data(b, c, parent, &f, loc))
      return false;
  }
  return true;
}

// Append a FOOTNOTE with one empty paragraph in the note style.
static bool
make_footnote(ap_binder_t *b, ap_node_t *parent, ap_loc_t loc, ap_node_t **para)
{
  if (!ap_number_count(b->diags, loc, "footnotes in a document", &b->footnotes, AP_MAX_FOOTNOTES))
    return false;
  ap_node_t *note = ap_node_new(b->arena, AP_NODE_FOOTNOTE, loc);
  *para = ap_node_new(b->arena, AP_NODE_PARA, loc);
  (*para)->style = b->doc->notes.style;
  ap_node_append(note, *para);
  ap_node_append(parent, note);
  return true;
}

//
// 'ap_bind_uppercase()' - Capitals of a text (Vietnamese letters included), in the arena.
//

char *
ap_bind_uppercase(ap_arena_t *arena, const char *s)
{
  size_t len = strlen(s);
  char *out = ap_arena_alloc(arena, len * 2 + 1), *o = out;
  const char *p = s, *end = s + len;

  while (p < end) {
    uint32_t cp = ap_utf8_next(&p, end);
    o += ap_utf8_encode((uint32_t)utf8proc_toupper((utf8proc_int32_t)cp), o);
  }
  *o = '\0';
  return out;
}

// <value select format decimals>: a data value, formatted.
static bool
value_text(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent, const ap_node_t *flags)
{
  char *format = ap_bind_attr(b, e, "format", ctx);
  double decimals = -1, digits = 0; // Absent: as many decimals as needed, no zero padding
  if (!ap_bind_number(b, e, "decimals", ctx, &AP_RANGE_DECIMALS, &decimals) ||
      !ap_bind_number(b, e, "digits", ctx, &AP_RANGE_DIGITS, &digits))
    return false;
  xmlChar *expr = xmlGetProp(e, (const xmlChar *)"select");
  ap_loc_t loc = LOC(e, "select");
  xmlXPathObjectPtr obj = ap_bind_eval(b, (const char *)expr, ctx, loc);
  xmlFree(expr);
  if (!obj)
    return false;
  ap_bind_note_content(b, e, obj);
  xmlChar *s = xmlXPathCastToString(obj);
  // Data numbers are read the XPath way first ("93.776" is 93,776), the
  // Vietnamese way only when that fails ("7.520,5")...
  double v = xmlXPathCastToNumber(obj);
  xmlXPathFreeObject(obj);

  char buf[256];
  const char *text = (const char *)s;
  char expect[160];
  bool ok = true;
  if (format && strcmp(format, "text")) {
    if (!strcmp(format, "date")) {
      ok = ap_format_date(buf, sizeof(buf), text, /*two_digits*/ false) ||
           ap_fail(b->diags, loc, "value \"%s\" is not a date: expected YYYY-MM-DD", text);
    } else if (xmlXPathIsNaN(v) && !ap_parse_number(text, &v)) {
      ok = ap_fail(b->diags, loc, "value \"%s\" is not a number", text);
    } else if (!ap_number_in(&AP_RANGE_VALUE, v)) {
      // Infinities ("1 div 0") and magnitudes past exact digits never print...
      ap_number_describe(&AP_RANGE_VALUE, expect, sizeof(expect));
      ok = ap_fail(b->diags, loc, "value \"%s\" is out of range: expected %s", text, expect);
    } else if (!strcmp(format, "percent")) {
      ok = ap_format_percent(buf, sizeof(buf), v, (int)decimals) ||
           ap_fail(b->diags, loc, "value \"%s\" cannot be formatted", text);
    } else {
      ok = ap_format_number(buf, sizeof(buf), v, (int)decimals) ||
           ap_fail(b->diags, loc, "value \"%s\" cannot be formatted", text);
      // Zero-padded to a minimum of digits before the comma ("02", "07")...
      int want = ok ? (int)digits : 0, have = (int)strcspn(buf + (buf[0] == '-'), ",");
      if (want > have && want < 20) {
        int neg = buf[0] == '-', pad = want - have;
        memmove(buf + neg + pad, buf + neg, strlen(buf + neg) + 1);
        memset(buf + neg, '0', (size_t)pad);
      }
    }
    text = buf;
  }
  ok = ok && add_text(b, parent, flags, text, strlen(text), loc);
  xmlFree(s);
  return ok;
}

//
// 'ap_bind_lang()' - The lang= of an element into the flags of its text.
//
// A BCP 47 tag (RFC 5646's shape: a 2-8 letter language, then subtags of
// 1-8 letters or digits after hyphens, 35 characters at most): "en",
// "fr", "zh-Hans", "en-US". None given leaves the flags as they are.
//

bool
ap_bind_lang(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx, ap_node_t *flags)
{
  int errors = b->diags->errors;
  const char *lang = ap_bind_attr(b, elem, "lang", ctx), *p = lang;
  size_t k = 0; // Characters of the subtag being read

  if (!lang)
    return b->diags->errors == errors; // None given, or its {…} failed
#define ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define ALNUM(c) (ALPHA(c) || ((c) >= '0' && (c) <= '9'))
  while (ALPHA(*p))
    p++, k++;
  bool ok = k >= 2 && k <= 8;
  while (ok && *p == '-') {
    for (p++, k = 0; ALNUM(*p); p++)
      k++;
    ok = k >= 1 && k <= 8;
  }
#undef ALPHA
#undef ALNUM
  if (!ok || *p || p - lang > 35)
    return ap_fail(b->diags, LOC(elem, "lang"),
                   "lang=\"%s\" is not a language tag: expected a BCP 47 tag such as en, fr or zh-Hans", lang);
  flags->lang = ap_bind_lasting(b, lang);
  return true;
}

//
// 'ap_bind_lasting()' - A string boxes keep pointing at, in the job's arena.
//
// Boxes outlive the row a table binds as layout reaches it (they move
// with the items of the next page, and the text stage keeps their links
// and languages): its link targets and languages are copied to the job's
// arena, the others are there already.
//

const char *
ap_bind_lasting(ap_binder_t *b, const char *s)
{
  return s && b->lasting != b->arena ? ap_arena_strdup(b->lasting, s) : s;
}
