// seedwords2024: the NFC word sequences of seeds 000 (full text) and 001
// (slides) of the 2024 handout and of data/2024/hau-giang-2024.xml, one word a
// line, so that a diff proves the transcription faithful; plus a quote check.
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
      fputs("seedwords2024: out of memory\n", stderr);
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
// 'is_digit()' - ASCII digit (counts and numbers in the seeds are ASCII).
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
        fputs("seedwords2024: invalid UTF-8 in a word\n", stderr);
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
    fprintf(stderr, "seedwords2024: cannot open %s\n", path);
    return 1;
  }
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(b, chunk, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, "seedwords2024: cannot read %s\n", path);
    return 1;
  }
  buf_add(b, "", 0); // A NUL even for an empty file
  size_t off;
  if (!ap_utf8_validate(b->p, b->len, &off)) {
    fprintf(stderr, "seedwords2024: %s: invalid UTF-8 at byte %zu\n", path,
            off);
    return 1;
  }
  return 0;
}

//
// 'trimmed()' - Bounds of a text without leading and trailing ASCII space,
//               tab, CR or LF (a line of one space is an empty line).
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
// 'skip_group_number()' - Length of "I. 02 " / "IV- 07 " opening a group
//                         heading of seed 000 (roman number, '.' or '-',
//                         count), 0 when the line is no group heading.
//

static size_t
skip_group_number(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X'))
    i++;
  if (i == 0 || i >= len || (s[i] != '.' && s[i] != '-'))
    return 0;
  size_t j = skip_spaces(s, len, i + 1);
  size_t k = j;
  while (k < len && is_digit(s[k]))
    k++;
  // Digits then a space: the count; without them "IV-" is not a heading
  if (k == j || k >= len || (s[k] != ' ' && s[k] != '\t'))
    return 0;
  return skip_spaces(s, len, k);
}

//
// 'skip_item_number()' - Length of "1. " opening an item heading of seed
//                        000, 0 otherwise ("525 Tổ ..." has no dot, stays).
//

static size_t
skip_item_number(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && is_digit(s[i]))
    i++;
  if (i == 0 || i + 1 >= len || s[i] != '.' ||
      (s[i + 1] != ' ' && s[i + 1] != '\t'))
    return 0;
  return skip_spaces(s, len, i + 1);
}

//
// 'skip_count()' - Length of the count opening "02 NỀN TẢNG" or "2 NỀN TẢNG"
//                  (digits, spaces, then a non-digit), 0 otherwise: "2024"
//                  alone is a year, not a count.
//

static size_t
skip_count(const char *s, size_t len)
{
  size_t i = 0;
  while (i < len && is_digit(s[i]))
    i++;
  if (i == 0 || i >= len || (s[i] != ' ' && s[i] != '\t'))
    return 0;
  size_t j = skip_spaces(s, len, i);
  return j < len && !is_digit(s[j]) ? j : 0;
}

//
// 'is_slide_number()' - True for a line of exactly two digits ("01".."07"):
//                       the slides number their items that way.
//

static bool
is_slide_number(const char *s, size_t len)
{
  return len == 2 && is_digit(s[0]) && is_digit(s[1]);
}

//
// 'seed_fulltext()' - Words of seed 000 in its order: the title line, then
//                     each group heading without "I. 02", each item heading
//                     without "1.", each paragraph without the * and **
//                     emphasis markers. Page-break artefacts need no join: a
//                     line break is a word break, as the joining space is.
//

static int
seed_fulltext(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;

  int rc = 0;
  bool title = true; // The first non-empty line is the title, taken whole
  const char *end = text.p + text.len;
  for (const char *l = text.p; l < end && !rc;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    const char *ts;
    size_t tlen;
    trimmed(l, len, &ts, &tlen);
    l = nl ? nl + 1 : end;
    if (!tlen)
      continue;
    if (title) {
      title = false;
      rc = emit_words(arena, ts, tlen);
      continue;
    }
    size_t skip = skip_group_number(ts, tlen);
    if (!skip)
      skip = skip_item_number(ts, tlen);
    if (skip) {
      rc = emit_words(arena, ts + skip, tlen - skip);
      continue;
    }
    // A paragraph: markers go, the text they enclose stays in place
    buf_t para = {0};
    buf_add(&para, "", 0);
    for (size_t i = 0; i < tlen; i++)
      if (ts[i] != '*')
        buf_add(&para, &ts[i], 1);
    rc = emit_words(arena, para.p, para.len);
    free(para.p);
  }
  free(text.p);
  return rc;
}

//
// 'seed_slides()' - Words of seed 001 in its order, without the item numbers
//                   "01".."07" and the counts before the overview lines and
//                   the group names; the title and the "2025" line stay.
//

static int
seed_slides(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;

  int rc = 0;
  const char *end = text.p + text.len;
  for (const char *l = text.p; l < end && !rc;) {
    const char *nl = memchr(l, '\n', (size_t)(end - l));
    size_t len = nl ? (size_t)(nl - l) : (size_t)(end - l);
    const char *ts;
    size_t tlen;
    trimmed(l, len, &ts, &tlen);
    l = nl ? nl + 1 : end;
    if (!tlen || is_slide_number(ts, tlen))
      continue;
    size_t skip = skip_count(ts, tlen);
    rc = emit_words(arena, ts + skip, tlen - skip);
  }
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
  return !strcmp(name, "b") || !strcmp(name, "i");
}

//
// 'collect()' - Text of a node into out; block edges (<p>, ...) end a word,
//               since the layout never runs two blocks together.
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
    if (block)
      buf_add(out, "\n", 1);
    for (const xmlNode *c = n->children; c; c = c->next)
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
// 'is_elem()' - True when n is the element called name.
//

static bool
is_elem(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
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
// 'open_data()' - Parse the data file; NULL (and a message) unless the root
//                 is <edition>.
//

static xmlDoc *
open_data(const char *path, const xmlNode **root)
{
  xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  if (!doc) {
    fprintf(stderr, "seedwords2024: %s: cannot read or parse\n", path);
    return NULL;
  }
  *root = xmlDocGetRootElement(doc);
  if (!*root || strcmp((const char *)(*root)->name, "edition")) {
    fprintf(stderr, "seedwords2024: %s: root element is not <edition>\n",
            path);
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

//
// 'data_fulltext()' - Words of the data in seed 000's order: meta/title, then
//                     per group its heading, then per item title and text.
//                     The order is fixed here, not taken from the file, so
//                     that a misplaced element shows in the diff.
//

static int
data_fulltext(ap_arena_t *arena, const char *path)
{
  const xmlNode *root;
  xmlDoc *doc = open_data(path, &root);
  if (!doc)
    return 1;

  buf_t out = {0};
  buf_add(&out, "", 0);
  for (const xmlNode *n = root->children; n; n = n->next)
    if (is_elem(n, "meta"))
      collect_children(n, "title", &out);
  for (const xmlNode *g = root->children; g; g = g->next) {
    if (!is_elem(g, "group"))
      continue;
    collect_children(g, "heading", &out);
    for (const xmlNode *it = g->children; it; it = it->next) {
      if (!is_elem(it, "item"))
        continue;
      collect_children(it, "title", &out);
      collect_children(it, "text", &out);
    }
  }
  int rc = emit_words(arena, out.p, out.len);
  free(out.p);
  xmlFreeDoc(doc);
  return rc;
}

//
// 'data_slides()' - Words of the data in seed 001's order: slides-title,
//                   the overview lines without their counts, then per group
//                   name and year, per item headline and detail.
//

static int
data_slides(ap_arena_t *arena, const char *path)
{
  const xmlNode *root;
  xmlDoc *doc = open_data(path, &root);
  if (!doc)
    return 1;

  buf_t out = {0};
  buf_add(&out, "", 0);
  for (const xmlNode *n = root->children; n; n = n->next)
    if (is_elem(n, "slides-title"))
      collect(n, &out);
  for (const xmlNode *n = root->children; n; n = n->next) {
    if (!is_elem(n, "overview"))
      continue;
    for (const xmlNode *c = n->children; c; c = c->next) {
      if (!is_elem(c, "line"))
        continue;
      // The seed's rule: the count before the name is not a word
      xmlChar *content = xmlNodeGetContent(c);
      const char *s = content ? (const char *)content : "";
      const char *ts;
      size_t tlen;
      trimmed(s, strlen(s), &ts, &tlen);
      size_t skip = skip_count(ts, tlen);
      buf_add(&out, "\n", 1);
      buf_add(&out, ts + skip, tlen - skip);
      buf_add(&out, "\n", 1);
      xmlFree(content);
    }
  }
  for (const xmlNode *g = root->children; g; g = g->next) {
    if (!is_elem(g, "group"))
      continue;
    collect_children(g, "name", &out);
    collect_children(g, "year", &out);
    for (const xmlNode *it = g->children; it; it = it->next) {
      if (!is_elem(it, "item"))
        continue;
      collect_children(it, "headline", &out);
      collect_children(it, "detail", &out);
    }
  }
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
    fputs("seedwords2024: invalid UTF-8 in the text\n", stderr);
    return 2;
  }
  // An empty quote would "occur" anywhere: refuse it
  if (!*needle)
    return 1;
  return strstr(hay, needle) ? 0 : 1;
}

//
// 'main()' - seedwords2024 fulltext|slides SEED, data-fulltext|data-slides
//            DATA, contains SEED TEXT.
//

int
main(int argc, char **argv)
{
  const char *mode = argc >= 3 ? argv[1] : "";
  int (*run)(ap_arena_t *, const char *) = NULL;
  if (!strcmp(mode, "fulltext"))
    run = seed_fulltext;
  else if (!strcmp(mode, "slides"))
    run = seed_slides;
  else if (!strcmp(mode, "data-fulltext"))
    run = data_fulltext;
  else if (!strcmp(mode, "data-slides"))
    run = data_slides;
  bool find = !strcmp(mode, "contains") && argc == 4;
  if ((!run || argc != 3) && !find) {
    fputs("usage: seedwords2024 fulltext|slides SEEDFILE\n"
          "       seedwords2024 data-fulltext|data-slides DATAFILE\n"
          "       seedwords2024 contains SEEDFILE TEXT\n",
          stderr);
    return 2;
  }
  ap_arena_t *arena = ap_arena_create();
  if (!arena) {
    fputs("seedwords2024: out of memory\n", stderr);
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
    fputs("seedwords2024: write error\n", stderr);
    rc = 1;
  }
  return rc ? 1 : 0;
}
