// seedwords2020: the NFC word sequence of seed 003 (summary of the 2020
// political report) and of data/2020/tom-tat-2020.xml, one word a line, so
// that a diff proves the transcription faithful; plus their emphasis runs.
#define SEED_TOOL "seedwords2020"
#include "seedtools.h"

//
// 'emit_run()' - Print "b TEXT" or "i TEXT": the NFC words of one emphasis
//                run on one line, one space apart, so that a run moved by a
//                single word shows in a diff.
//

static int
emit_run(ap_arena_t *arena, char kind, const char *s, size_t len)
{
  char *nfc = ap_utf8_nfc(arena, s, len);
  if (!nfc) {
    fputs(SEED_TOOL ": invalid UTF-8 in a run\n", stderr);
    return 1;
  }
  putchar(kind);
  const char *p = nfc, *end = nfc + strlen(nfc);
  bool gap = true; // A space after the kind letter
  while (p < end) {
    const char *at = p;
    if (is_space(ap_utf8_next(&p, end))) {
      gap = true;
      continue;
    }
    if (gap)
      putchar(' ');
    gap = false;
    fwrite(at, 1, (size_t)(p - at), stdout);
  }
  putchar('\n');
  return 0;
}

//
// 'after_space()' - i + 1 when s[i] is a space or tab (the number ends
//                   there), else 0: "2020, đẩy mạnh" is no heading.
//

static size_t
after_space(const char *s, size_t len, size_t i)
{
  return i < len && (s[i] == ' ' || s[i] == '\t') ? i + 1 : 0;
}

//
// 'skip_label()' - Length of what the layout draws before a line of seed 003:
//                  "II. " (part sections), "1. " / "1.1. " (subsections),
//                  "(11) " (targets) or "- " (list items); 0 for a paragraph.
//

static size_t
skip_label(const char *s, size_t len)
{
  size_t i = 0;
  if (len >= 2 && s[0] == '-')
    return after_space(s, len, 1);
  if (s[0] == '(') {
    for (i = 1; i < len && is_digit(s[i]); i++)
      ;
    if (i == 1 || i >= len || s[i] != ')')
      return 0;
    return after_space(s, len, i + 1);
  }
  while (i < len && (s[i] == 'I' || s[i] == 'V' || s[i] == 'X'))
    i++;
  if (i > 0)
    return i < len && s[i] == '.' ? after_space(s, len, i + 1) : 0;
  // Digit groups each closed by a dot: "1." or "1.1."
  for (;;) {
    size_t j = i;
    while (j < len && is_digit(s[j]))
      j++;
    if (j == i || j >= len || s[j] != '.')
      return i ? after_space(s, len, i) : 0;
    i = j + 1;
  }
}

//
// 'seed_words()' - Words of seed 003 in its order: each non-empty line
//                  without its number or dash, the * and ** markers dropped
//                  (the text they enclose stays). Page-break artefacts need
//                  no join: a line break is a word break, as the joining
//                  space is.
//

static int
seed_words(ap_arena_t *arena, const char *path)
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
    if (!tlen)
      continue;
    size_t skip = skip_label(ts, tlen);
    buf_t line = {0};
    buf_add(&line, "", 0);
    for (size_t i = skip; i < tlen; i++)
      if (ts[i] != '*')
        buf_add(&line, &ts[i], 1);
    rc = emit_words(arena, line.p, line.len);
    free(line.p);
  }
  free(text.p);
  return rc;
}

//
// 'seed_runs()' - Emphasis runs of seed 003 in order: text between "**"
//                 markers is bold, between single "*" italic. Runs may span
//                 lines (the bold title does).
//

static int
seed_runs(ap_arena_t *arena, const char *path)
{
  buf_t text = {0};
  if (read_file(path, &text))
    return 1;

  int rc = 0;
  const char *open = NULL; // Start of the run being read
  char kind = 0;
  for (size_t i = 0; i < text.len && !rc; i++) {
    if (text.p[i] != '*')
      continue;
    char k = i + 1 < text.len && text.p[i + 1] == '*' ? 'b' : 'i';
    size_t mark = k == 'b' ? 2 : 1;
    if (!open) {
      open = text.p + i + mark;
      kind = k;
    } else if (k == kind) {
      rc = emit_run(arena, kind, open, (size_t)(text.p + i - open));
      open = NULL;
    } else {
      // Nesting does not occur in the seed; refuse rather than guess
      fprintf(stderr, SEED_TOOL ": %s: mixed markers at byte %zu\n", path,
              i);
      rc = 1;
    }
    i += mark - 1;
  }
  if (!rc && open) {
    fprintf(stderr, SEED_TOOL ": %s: unclosed marker\n", path);
    rc = 1;
  }
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
  return is_elem(n, "b") || is_elem(n, "i") || is_elem(n, "sic");
}

//
// 'data_words()' - Words of the data in document order, <meta> excluded (it
//                  restates the title; the seed has no such block).
//

static int
data_words(ap_arena_t *arena, const char *path)
{
  xmlNode *root;
  xmlDoc *doc = open_data(path, "summary", &root);
  if (!doc)
    return 1;

  buf_t out = {0};
  buf_add(&out, "", 0);
  for (const xmlNode *n = root->children; n; n = n->next)
    if (!is_elem(n, "meta"))
      collect(n, &out);
  int rc = emit_words(arena, out.p, out.len);
  free(out.p);
  xmlFreeDoc(doc);
  return rc;
}

//
// 'walk_runs()' - Emit every <b> and <i> under n in document order (a
//                 <sic> is inline but no emphasis).
//

static int
walk_runs(ap_arena_t *arena, const xmlNode *n)
{
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_elem(c, "b") || is_elem(c, "i")) {
      xmlChar *s = xmlNodeGetContent(c);
      const char *t = s ? (const char *)s : "";
      int rc = emit_run(arena, c->name[0], t, strlen(t));
      xmlFree(s);
      if (rc)
        return rc;
    } else if (walk_runs(arena, c)) {
      return 1;
    }
  }
  return 0;
}

//
// 'data_runs()' - Emphasis runs of the data in order. The seed marks its
//                 title bold; the data's <summary>/<title> carries no <b>
//                 because the layout sets every title bold, so it counts as
//                 one bold run here.
//

static int
data_runs(ap_arena_t *arena, const char *path)
{
  xmlNode *root;
  xmlDoc *doc = open_data(path, "summary", &root);
  if (!doc)
    return 1;

  int rc = 0;
  for (const xmlNode *n = root->children; n && !rc; n = n->next) {
    if (is_elem(n, "meta"))
      continue;
    if (is_elem(n, "title")) {
      xmlChar *s = xmlNodeGetContent(n);
      const char *t = s ? (const char *)s : "";
      rc = emit_run(arena, 'b', t, strlen(t));
      xmlFree(s);
    } else if (n->type == XML_ELEMENT_NODE) {
      rc = walk_runs(arena, n);
    }
  }
  xmlFreeDoc(doc);
  return rc;
}

//
// 'main()' - seedwords2020 seed|seed-runs SEED, data|data-runs DATA.
//

int
main(int argc, char **argv)
{
  const char *mode = argc == 3 ? argv[1] : "";
  seed_mode_t run = NULL;
  if (!strcmp(mode, "seed"))
    run = seed_words;
  else if (!strcmp(mode, "seed-runs"))
    run = seed_runs;
  else if (!strcmp(mode, "data"))
    run = data_words;
  else if (!strcmp(mode, "data-runs"))
    run = data_runs;
  if (!run) {
    fputs("usage: seedwords2020 seed|seed-runs SEEDFILE\n"
          "       seedwords2020 data|data-runs DATAFILE\n",
          stderr);
    return 2;
  }
  return run_mode(run, argv[2]);
}
