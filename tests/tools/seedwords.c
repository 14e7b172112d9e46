// seedwords: the NFC word sequence of seed 004 (the 2023 report) and of its
// data XML, one word a line, so that a diff proves the transcription faithful.
// The "-marked" modes also show where each footnote reference stands.
#define SEED_TOOL "seedwords"
#define SEED_FATAL 1
#include "seedtools.h"

// Marker that opens a footnote body in the seed: '[' U+FFFD ']'.
static const char FN_MARK[] = "[\xEF\xBF\xBD]";
// What a reference becomes in the "-marked" streams (no "[fn]" in the seed).
static const char REF_MARK[] = "[fn]";
// True in the "-marked" modes.
static bool marked;

//
// 'drop_cr()' - Remove every CR from b, so that CRLF lines read as LF ones.
//

static void
drop_cr(buf_t *b)
{
  size_t o = 0;
  for (size_t i = 0; i < b->len; i++)
    if (b->p[i] != '\r')
      b->p[o++] = b->p[i];
  b->len = o;
  b->p[o] = '\0';
}

//
// 'line_is()' - True when the trimmed line, in NFC, equals text.
//

static bool
line_is(ap_arena_t *arena, const char *s, size_t len, const char *text,
        bool prefix)
{
  const char *ts;
  size_t tlen;
  trimmed(s, len, &ts, &tlen);
  char *nfc = ap_utf8_nfc(arena, ts, tlen);
  if (!nfc)
    return false;
  return prefix ? !strncmp(nfc, text, strlen(text)) : !strcmp(nfc, text);
}

//
// 'skip_number()' - Length of a heading number ("I. ", "3.1. ") or a list
//                   dash ("- ") opening the line, 0 when there is none.
//

static size_t
skip_number(const char *s, size_t len)
{
  size_t i = 0;

  if (len >= 2 && s[0] == '-' && (s[1] == ' ' || s[1] == '\t'))
    return 2;
  if (len && (s[0] == 'I' || s[0] == 'V' || s[0] == 'X')) {
    while (i < len && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X'))
      i++;
  } else {
    // Arabic: digits, then ".digits" groups (1., 3.1.)
    while (i < len && is_digit(s[i])) {
      while (i < len && is_digit(s[i]))
        i++;
      if (i + 1 < len && s[i] == '.' && is_digit(s[i + 1]))
        i++;
    }
  }
  // A number only when a dot and a space follow it, so "2023 là" stays
  if (i == 0 || i + 1 >= len || s[i] != '.' ||
      (s[i + 1] != ' ' && s[i + 1] != '\t'))
    return 0;
  return i + 2;
}

//
// 'seed_words()' - Words of the seed in the data's order: the header block
//                  in seed order, the body with references removed ("[fn]"
//                  when marked), then the footnote bodies.
//

static int
seed_words(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;
  drop_cr(&text);

  // Line starts: the header ends at "BÁO CÁO", the notes start at FN_MARK
  const char *s = text.p, *end = text.p + text.len;
  const char *title = NULL, *notes = end;
  for (const char *l = s; l < end;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    if (!title && line_is(arena, l, len, "BÁO CÁO", false))
      title = l;
    if (title && len >= 5 && !memcmp(l, FN_MARK, 5)) {
      notes = l;
      break;
    }
    l = nl ? nl + 1 : end;
  }
  if (!title) {
    fprintf(stderr, SEED_TOOL ": %s: no \"BÁO CÁO\" line\n", path);
    free(text.p);
    return 1;
  }

  // Header: in the seed's order, which is the data's and the page's
  // reading order (left column: number, draft; right column: party, date)
  int rc = 0;
  for (const char *l = s; l < title;) {
    const char *nl = memchr(l, '\n', (size_t)(title - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(title - l);
    rc |= emit_words(arena, l, len);
    l = nl ? nl + 1 : title;
  }

  // Body: drop each reference "[\n]", then take it line by line
  buf_t body = {0};
  buf_add(&body, "", 0);
  for (const char *p = title; p < notes; p++) {
    if (p + 2 < notes && p[0] == '[' && p[1] == '\n' && p[2] == ']') {
      if (marked)
        buf_add(&body, REF_MARK, strlen(REF_MARK));
      p += 2;
      continue;
    }
    buf_add(&body, p, 1);
  }
  const char *bend = body.p + body.len;
  for (const char *l = body.p; l && l < bend && !rc;) {
    const char *nl = memchr(l, '\n', (size_t)(bend - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(bend - l);
    const char *ts;
    size_t tlen;
    trimmed(l, len, &ts, &tlen);
    // The "-----" under the title is a rule, not text
    if (!(tlen == 5 && !memcmp(ts, "-----", 5))) {
      size_t skip = skip_number(ts, tlen);
      rc |= emit_words(arena, ts + skip, tlen - skip);
    }
    l = nl ? nl + 1 : NULL;
  }

  // Notes: each body without its marker
  for (const char *l = notes; l < end && !rc;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    size_t skip = (len >= 5 && !memcmp(l, FN_MARK, 5)) ? 5 : 0;
    rc |= emit_words(arena, l + skip, len - skip);
    l = nl ? nl + 1 : end;
  }

  free(body.p);
  free(text.p);
  return rc;
}

//
// 'is_inline()' - Elements whose text runs on with its neighbours'; a
//                 <sic corr="…"> counts as the word the seed writes.
//

static bool
is_inline(const xmlNode *n)
{
  return is_elem(n, "b") || is_elem(n, "i") || is_elem(n, "fn") ||
         is_elem(n, "sic");
}

//
// 'collect_notes()' - Text of one node into text; <fn> contents go to notes,
//                     each note ending a word. Other block edges end a word
//                     as well, since the layout never runs two blocks
//                     together.
//

static void
collect_notes(const xmlNode *n, buf_t *text, buf_t *notes, bool in_note)
{
  buf_t *out = in_note ? notes : text;

  switch (n->type) {
  case XML_TEXT_NODE:
  case XML_CDATA_SECTION_NODE:
    if (n->content)
      buf_add(out, (const char *)n->content, strlen((const char *)n->content));
    break;
  case XML_ELEMENT_NODE: {
    bool note = !in_note && is_elem(n, "fn");
    bool block = !is_inline(n);
    if (note && marked)
      buf_add(text, REF_MARK, strlen(REF_MARK));
    if (block)
      buf_add(out, "\n", 1);
    for (const xmlNode *c = n->children; c; c = c->next)
      collect_notes(c, text, notes, in_note || note);
    if (block)
      buf_add(out, "\n", 1);
    if (note)
      buf_add(notes, "\n", 1);
    break;
  }
  default: // Comments, PIs and unexpanded entities carry no text
    break;
  }
}

//
// 'data_words()' - Words of the data XML: everything but <meta> in document
//                  order without the notes, then the notes in order.
//

static int
data_words(ap_arena_t *arena, const char *path)
{
  xmlNode *root;
  xmlDoc *doc = open_data(path, "report", &root);
  if (!doc)
    return 1;

  buf_t text = {0}, notes = {0};
  buf_add(&text, "", 0);
  buf_add(&notes, "", 0);
  for (const xmlNode *n = root->children; n; n = n->next) {
    if (is_elem(n, "meta"))
      continue;
    collect_notes(n, &text, &notes, false);
  }

  int rc = emit_words(arena, text.p, text.len);
  if (!rc)
    rc = emit_words(arena, notes.p, notes.len);
  free(text.p);
  free(notes.p);
  xmlFreeDoc(doc);
  return rc;
}

//
// 'main()' - seedwords {seed|seed-marked} SEEDFILE,
//            {data|data-marked} DATAFILE.
//

int
main(int argc, char **argv)
{
  const char *mode = argc == 3 ? argv[1] : "";
  bool seed = !strcmp(mode, "seed") || !strcmp(mode, "seed-marked");
  bool data = !strcmp(mode, "data") || !strcmp(mode, "data-marked");
  if (!seed && !data) {
    fputs("usage: seedwords seed|seed-marked SEEDFILE\n"
          "       seedwords data|data-marked DATAFILE\n",
          stderr);
    return 1;
  }
  marked = strstr(mode, "-marked") != NULL;
  return run_mode(seed ? seed_words : data_words, argv[2]);
}
