// seedwords: the NFC word sequence of seed 004 (the 2023 report) and of its
// data XML, one word a line, so that a diff proves the transcription faithful.
// The "-marked" modes also show where each footnote reference stands.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/arena.h"
#include "base/utf8.h"

// Growable byte buffer (the seed and the data streams are small).
typedef struct {
  char *p;
  size_t len, cap;
} buf_t;

// Marker that opens a footnote body in the seed: '[' U+FFFD ']'.
static const char FN_MARK[] = "[\xEF\xBF\xBD]";
// What a reference becomes in the "-marked" streams (no "[fn]" in the seed).
static const char REF_MARK[] = "[fn]";
// True in the "-marked" modes.
static bool marked;

//
// 'buf_add()' - Append len bytes; exits on out of memory.
//

static void
buf_add(buf_t *b, const char *s, size_t len)
{
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + len + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      fputs("seedwords: out of memory\n", stderr);
      exit(1);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, len);
  b->len += len;
  b->p[b->len] = '\0';
}

//
// 'is_space()' - Word separator: ASCII space, tab, CR, LF or U+00A0.
//

static bool
is_space(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

//
// 'emit_words()' - Print the NFC of each maximal non-space run, one a line.
//

static int
emit_words(ap_arena_t *arena, const char *s, size_t len)
{
  const char *end = s + len, *p = s, *word = NULL;

  for (;;) {
    const char *at = p;
    bool done = p >= end;
    // The end of the text closes the last word like a space does
    if (!done && !is_space(ap_utf8_next(&p, end))) {
      if (!word)
        word = at;
      continue;
    }
    if (word) {
      char *nfc = ap_utf8_nfc(arena, word, (size_t)(at - word));
      if (!nfc) {
        fputs("seedwords: invalid UTF-8 in a word\n", stderr);
        return 1;
      }
      puts(nfc);
      word = NULL;
    }
    if (done)
      return 0;
  }
}

//
// 'read_file()' - Whole file into b, CRLF turned into LF; 1 on error.
//

static int
read_file(const char *path, buf_t *b)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "seedwords: cannot open %s\n", path);
    return 1;
  }
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    for (size_t i = 0; i < n; i++)
      if (chunk[i] != '\r')
        buf_add(b, &chunk[i], 1);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "seedwords: cannot read %s\n", path);
    return 1;
  }
  buf_add(b, "", 0); // A NUL even for an empty file
  size_t off;
  if (!ap_utf8_validate(b->p, b->len, &off)) {
    fprintf(stderr, "seedwords: %s: invalid UTF-8 at byte %zu\n", path, off);
    return 1;
  }
  return 0;
}

//
// 'trimmed()' - Bounds of a line without leading and trailing space or tab.
//

static void
trimmed(const char *s, size_t len, const char **ts, size_t *tlen)
{
  while (len && (*s == ' ' || *s == '\t'))
    s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  *ts = s;
  *tlen = len;
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
    while (i < len && s[i] >= '0' && s[i] <= '9') {
      while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
      if (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
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
//                  in seed order, the body with references removed ("[fn]" when marked), then
//                  the footnote bodies.
//

static int
seed_words(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;

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
    fprintf(stderr, "seedwords: %s: no \"BÁO CÁO\" line\n", path);
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
// 'is_inline()' - Elements whose text runs on with its neighbours'.
//

static bool
is_inline(const xmlNode *n)
{
  const char *name = (const char *)n->name;
  return !strcmp(name, "b") || !strcmp(name, "i") || !strcmp(name, "fn");
}

//
// 'collect()' - Text of one node into text; <fn> contents go to notes, each
//               note ending a word. Other block edges end a word as well,
//               since the layout never runs two blocks together.
//

static void
collect(const xmlNode *n, buf_t *text, buf_t *notes, bool in_note)
{
  buf_t *out = in_note ? notes : text;

  switch (n->type) {
  case XML_TEXT_NODE:
  case XML_CDATA_SECTION_NODE:
    if (n->content)
      buf_add(out, (const char *)n->content, strlen((const char *)n->content));
    break;
  case XML_ELEMENT_NODE: {
    bool note = !in_note && !strcmp((const char *)n->name, "fn");
    bool block = !is_inline(n);
    if (note && marked)
      buf_add(text, REF_MARK, strlen(REF_MARK));
    if (block)
      buf_add(out, "\n", 1);
    for (const xmlNode *c = n->children; c; c = c->next)
      collect(c, text, notes, in_note || note);
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
  xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  if (!doc) {
    fprintf(stderr, "seedwords: %s: cannot read or parse\n", path);
    return 1;
  }
  const xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || strcmp((const char *)root->name, "report")) {
    fprintf(stderr, "seedwords: %s: root element is not <report>\n", path);
    xmlFreeDoc(doc);
    return 1;
  }

  buf_t text = {0}, notes = {0};
  buf_add(&text, "", 0);
  buf_add(&notes, "", 0);
  for (const xmlNode *n = root->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "meta"))
      continue;
    collect(n, &text, &notes, false);
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
// 'main()' - seedwords {seed|seed-marked} SEEDFILE, {data|data-marked} DATAFILE.
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
  ap_arena_t *arena = ap_arena_create();
  if (!arena) {
    fputs("seedwords: out of memory\n", stderr);
    return 1;
  }
  int rc = seed ? seed_words(arena, argv[2]) : data_words(arena, argv[2]);
  ap_arena_destroy(arena);
  if (fflush(stdout) || ferror(stdout)) {
    fputs("seedwords: write error\n", stderr);
    rc = 1;
  }
  return rc ? 1 : 0;
}
