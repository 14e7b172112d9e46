// seedwords2024: the NFC word sequences of seeds 000 (full text) and 001
// (slides) of the 2024 handout and of data/2024/hau-giang-2024.xml, one word a
// line, so that a diff proves the transcription faithful; plus a quote check.
// The data's words are the source's: a <sic corr="…">word</sic> counts as
// its text (the word the seed writes), never as its correction.
#define SEED_TOOL "seedwords2024"
#include "seedtools.h"

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
//                     each group heading with its "I. 02" (the data keeps
//                     it), each item heading without "1.", each paragraph
//                     without the * and **
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
    // A group heading is taken whole; an item heading loses its "1."...
    size_t skip = skip_group_number(ts, tlen) ? 0 : skip_item_number(ts, tlen);
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
  return is_elem(n, "b") || is_elem(n, "i") || is_elem(n, "sic");
}

//
// 'data_fulltext()' - Words of the data in seed 000's order: meta/title, then
//                     per group its number and heading, then per item title
//                     and text.
//                     The order is fixed here, not taken from the file, so
//                     that a misplaced element shows in the diff.
//

static int
data_fulltext(ap_arena_t *arena, const char *path)
{
  xmlNode *root;
  xmlDoc *doc = open_data(path, "edition", &root);
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
    collect_children(g, "number", &out);
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
  xmlNode *root;
  xmlDoc *doc = open_data(path, "edition", &root);
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
// 'main()' - seedwords2024 fulltext|slides SEED, data-fulltext|data-slides
//            DATA, contains SEED TEXT.
//

int
main(int argc, char **argv)
{
  const char *mode = argc >= 3 ? argv[1] : "";
  seed_mode_t run = NULL;
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
  return find ? contains(argv[2], argv[3]) : run_mode(run, argv[2]);
}
