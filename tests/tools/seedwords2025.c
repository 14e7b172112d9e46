// seedwords2025: the NFC word sequences of seed 002 (PHỤ LỤC 3 of the 2025
// term edition) and of data/2025/phu-luc-2025.xml, one word a line, so that a
// diff proves the transcription faithful; plus a quote check.
#define SEED_TOOL "seedwords2025"
#include "seedtools.h"

// The Word bookmark artefact of seed 002: "[bookmark: _Hlk201413656]".
static const char bookmark[] = "[bookmark:";

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
// 'is_inline()' - Elements whose text runs on with its neighbours': the
//                 lead-in of an item, emphasis, and a <sic corr="…">, which
//                 counts as the word the seed writes.
//

static bool
is_inline(const xmlNode *n)
{
  return is_elem(n, "lead") || is_elem(n, "b") || is_elem(n, "i") ||
         is_elem(n, "sic");
}

//
// 'hoist_titles()' - Move the <title> children of every <section> under n
//                    before its other children, in their order: the layout
//                    reads a section's title first wherever it stands.
//

static void
hoist_titles(xmlNode *n)
{
  xmlNode *last = NULL; // Last title moved to the front
  for (xmlNode *c = n->children, *next; c; c = next) {
    next = c->next;
    if (c->type != XML_ELEMENT_NODE)
      continue;
    hoist_titles(c);
    if (!is_elem(n, "section") || !is_elem(c, "title"))
      continue;
    // xmlAdd*Sibling() unlink c first; only text nodes would be merged
    if (!last && c != n->children)
      xmlAddPrevSibling(n->children, c);
    else if (last && c != last->next)
      xmlAddNextSibling(last, c);
    last = c;
  }
}

//
// 'data_words()' - Words of the data in the seed's order: <label>, <title>,
//                  then <body> (paragraphs; per section its title, then its
//                  items, lead and text, and paragraphs). <meta> and
//                  <indicators> are no transcription and stay out. Block
//                  edges end a word.
//

static int
data_words(ap_arena_t *arena, const char *path)
{
  xmlNode *root;
  xmlDoc *doc = open_data(path, "appendix", &root);
  if (!doc)
    return 1;

  hoist_titles(root);
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
// 'main()' - seedwords2025 seed SEED002, data DATA, contains SEED TEXT.
//

int
main(int argc, char **argv)
{
  const char *mode = argc >= 3 ? argv[1] : "";
  seed_mode_t run = NULL;
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
  return find ? contains(argv[2], argv[3]) : run_mode(run, argv[2]);
}
