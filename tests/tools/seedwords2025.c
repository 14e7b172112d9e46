// seedwords2025: the NFC word sequences of seed 002 (PHỤ LỤC 3 of the 2025
// term edition) and of data/2025/phu-luc-2025.xml, one word a line, so that a
// diff proves the transcription faithful; plus a quote check.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/arena.h"
#include "base/utf8.h"

// Growable byte buffer (the seeds and the data are small).
typedef struct {
  char *p;
  size_t len, cap;
} buf_t;

// The Word bookmark artefact of seed 002: "[bookmark: _Hlk201413656]".
static const char bookmark[] = "[bookmark:";

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
      fputs("seedwords2025: out of memory\n", stderr);
      exit(2);
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
// 'is_digit()' - ASCII digit (the numbers of the seeds are ASCII).
//

static bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
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
        fputs("seedwords2025: invalid UTF-8 in a word\n", stderr);
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
// 'read_file()' - Whole file into b (NUL-terminated), checked to be UTF-8;
//                 1 on error.
//

static int
read_file(const char *path, buf_t *b)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "seedwords2025: cannot open %s\n", path);
    return 1;
  }
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(b, chunk, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "seedwords2025: cannot read %s\n", path);
    return 1;
  }
  buf_add(b, "", 0); // A NUL even for an empty file
  size_t off;
  if (!ap_utf8_validate(b->p, b->len, &off)) {
    fprintf(stderr, "seedwords2025: %s: invalid UTF-8 at byte %zu\n", path,
            off);
    return 1;
  }
  return 0;
}

//
// 'trimmed()' - Bounds of a text without leading and trailing ASCII space,
//               tab, CR or LF.
//

static void
trimmed(const char *s, size_t len, const char **ts, size_t *tlen)
{
  while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
    s++, len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                 s[len - 1] == '\r' || s[len - 1] == '\n'))
    len--;
  *ts = s;
  *tlen = len;
}

//
// 'skip_spaces()' - Index of the first non-space/tab byte at or after i.
//

static size_t
skip_spaces(const char *s, size_t len, size_t i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

//
// 'drop_bookmarks()' - Copy of a line into out without the bookmark
//                      artefacts, each "[bookmark:" up to its "]"; an
//                      unclosed one is kept (it would be text, not an
//                      artefact).
//

static void
drop_bookmarks(const char *s, size_t len, buf_t *out)
{
  size_t blen = sizeof bookmark - 1;
  size_t i = 0;
  while (i < len) {
    if (len - i >= blen && !memcmp(s + i, bookmark, blen)) {
      const char *close = memchr(s + i, ']', len - i);
      if (close) {
        i = (size_t)(close - s) + 1;
        continue;
      }
    }
    buf_add(out, &s[i], 1);
    i++;
  }
}

//
// 'is_rule()' - True for a decorative line of three or more hyphens.
//

static bool
is_rule(const char *s, size_t len)
{
  if (len < 3)
    return false;
  for (size_t i = 0; i < len; i++)
    if (s[i] != '-')
      return false;
  return true;
}

//
// 'skip_heading_number()' - Length of "1- " opening a heading of seed 002,
//                           0 otherwise ("2020-2025" has no space after
//                           the hyphen, "- Hạn chế" no digits before it).
//

static size_t
skip_heading_number(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && is_digit(s[i]))
    i++;
  if (i == 0 || i + 1 >= len || s[i] != '-' ||
      (s[i + 1] != ' ' && s[i + 1] != '\t'))
    return 0;
  return skip_spaces(s, len, i + 1);
}

//
// 'skip_item_number()' - Length of "(1) " opening a line of seed 002, 0
//                        otherwise; the "(1)" inside a paragraph stays.
//

static size_t
skip_item_number(const char *s, size_t len)
{
  if (len < 4 || s[0] != '(')
    return 0;
  size_t i = 1;
  while (i < len && is_digit(s[i]))
    i++;
  if (i == 1 || i + 1 >= len || s[i] != ')' ||
      (s[i + 1] != ' ' && s[i + 1] != '\t'))
    return 0;
  return skip_spaces(s, len, i + 1);
}

//
// 'seed_words()' - Words of seed 002 in its order, without the bookmark
//                  artefacts, the "-----" rule line, the heading numbers
//                  "1-" and the numbers "(1)" that open a line.
//

static int
seed_words(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;

  int rc = 0;
  buf_t line = {0};
  const char *end = text.p + text.len;
  for (const char *l = text.p; l < end && !rc;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    line.len = 0;
    buf_add(&line, "", 0);
    drop_bookmarks(l, len, &line);
    l = nl ? nl + 1 : end;
    const char *ts;
    size_t tlen;
    trimmed(line.p, line.len, &ts, &tlen);
    if (!tlen || is_rule(ts, tlen))
      continue;
    size_t skip = skip_heading_number(ts, tlen);
    if (!skip)
      skip = skip_item_number(ts, tlen);
    rc = emit_words(arena, ts + skip, tlen - skip);
  }
  free(line.p);
  free(text.p);
  return rc;
}

//
// 'is_elem()' - True when n is the element called name.
//

static bool
is_elem(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

//
// 'is_inline()' - Elements whose text runs on with its neighbours': the
//                 lead-in of an item and emphasis.
//

static bool
is_inline(const xmlNode *n)
{
  return is_elem(n, "lead") || is_elem(n, "b") || is_elem(n, "i");
}

//
// 'collect()' - Text of a node into out, as the layout reads it: block edges
//               end a word, and a <section>'s <title> comes before the rest
//               of the section wherever it stands.
//

static void
collect(const xmlNode *n, buf_t *out)
{
  switch (n->type) {
  case XML_TEXT_NODE:
  case XML_CDATA_SECTION_NODE:
    if (n->content)
      buf_add(out, (const char *)n->content, strlen((const char *)n->content));
    break;
  case XML_ELEMENT_NODE: {
    bool block = !is_inline(n);
    bool section = is_elem(n, "section");
    if (block)
      buf_add(out, "\n", 1);
    if (section)
      for (const xmlNode *c = n->children; c; c = c->next)
        if (is_elem(c, "title"))
          collect(c, out);
    for (const xmlNode *c = n->children; c; c = c->next)
      if (!section || !is_elem(c, "title"))
        collect(c, out);
    if (block)
      buf_add(out, "\n", 1);
    break;
  }
  default: // Comments and PIs carry no text
    break;
  }
}

//
// 'collect_children()' - Every child element of parent called name, in
//                        document order, as blocks.
//

static void
collect_children(const xmlNode *parent, const char *name, buf_t *out)
{
  for (const xmlNode *c = parent->children; c; c = c->next)
    if (is_elem(c, name))
      collect(c, out);
}

//
// 'data_words()' - Words of the data in the seed's order: <label>, <title>,
//                  then <body> (paragraphs; per section its title, then its
//                  items, lead and text, and paragraphs). <meta> and
//                  <indicators> are no transcription and stay out.
//

static int
data_words(ap_arena_t *arena, const char *path)
{
  xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  if (!doc) {
    fprintf(stderr, "seedwords2025: %s: cannot read or parse\n", path);
    return 1;
  }
  const xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || strcmp((const char *)root->name, "appendix")) {
    fprintf(stderr, "seedwords2025: %s: root element is not <appendix>\n",
            path);
    xmlFreeDoc(doc);
    return 1;
  }

  buf_t out = {0};
  buf_add(&out, "", 0);
  collect_children(root, "label", &out);
  collect_children(root, "title", &out);
  collect_children(root, "body", &out);
  int rc = emit_words(arena, out.p, out.len);
  free(out.p);
  xmlFreeDoc(doc);
  return rc;
}

//
// 'squeeze()' - NFC of s with every whitespace run turned into one space and
//               none at either end; NULL when s is not valid UTF-8.
//

static char *
squeeze(ap_arena_t *arena, const char *s, size_t len)
{
  size_t off;
  if (!ap_utf8_validate(s, len, &off))
    return NULL;
  char *nfc = ap_utf8_nfc(arena, s, len);
  if (!nfc)
    return NULL;
  size_t nlen = strlen(nfc);
  char *out = ap_arena_alloc(arena, nlen + 1);
  size_t o = 0;
  bool gap = false;
  const char *p = nfc, *end = nfc + nlen;
  while (p < end) {
    const char *at = p;
    if (is_space(ap_utf8_next(&p, end))) {
      gap = o > 0;
      continue;
    }
    if (gap)
      out[o++] = ' ';
    gap = false;
    memcpy(out + o, at, (size_t)(p - at));
    o += (size_t)(p - at);
  }
  out[o] = '\0';
  return out;
}

//
// 'contains()' - 0 when text occurs in the seed, both NFC with whitespace
//                runs squeezed; 1 when it does not, 2 on error.
//

static int
contains(ap_arena_t *arena, const char *path, const char *text)
{
  buf_t seed = {0};
  if (read_file(path, &seed)) {
    free(seed.p);
    return 2;
  }
  char *hay = squeeze(arena, seed.p, seed.len);
  char *needle = squeeze(arena, text, strlen(text));
  free(seed.p);
  if (!hay || !needle) {
    fputs("seedwords2025: invalid UTF-8 in the text\n", stderr);
    return 2;
  }
  // An empty quote would "occur" anywhere: refuse it
  if (!*needle)
    return 1;
  return strstr(hay, needle) ? 0 : 1;
}

//
// 'main()' - seedwords2025 seed SEED002, data DATA, contains SEED TEXT.
//

int
main(int argc, char **argv)
{
  const char *mode = argc >= 3 ? argv[1] : "";
  int (*run)(ap_arena_t *, const char *) = NULL;
  if (!strcmp(mode, "seed"))
    run = seed_words;
  else if (!strcmp(mode, "data"))
    run = data_words;
  bool find = !strcmp(mode, "contains") && argc == 4;
  if ((!run || argc != 3) && !find) {
    fputs("usage: seedwords2025 seed SEEDFILE\n"
          "       seedwords2025 data DATAFILE\n"
          "       seedwords2025 contains SEEDFILE TEXT\n",
          stderr);
    return 2;
  }
  ap_arena_t *arena = ap_arena_create();
  if (!arena) {
    fputs("seedwords2025: out of memory\n", stderr);
    return 2;
  }
  if (find) {
    int rc = contains(arena, argv[2], argv[3]);
    ap_arena_destroy(arena);
    return rc;
  }
  int rc = run(arena, argv[2]);
  ap_arena_destroy(arena);
  if (fflush(stdout) || ferror(stdout)) {
    fputs("seedwords2025: write error\n", stderr);
    rc = 1;
  }
  return rc ? 1 : 0;
}
