// seedtools.h: what the seedwords* tools share: a growable buffer, reading a
// seed, NFC word output, trimming, libxml2 helpers and the run of one mode.
// Header-only (static inline): every tests/tools/*.c is its own executable.
#ifndef SEEDTOOLS_H
#define SEEDTOOLS_H

// Before including this header a tool defines SEED_TOOL, its name in
// messages ("seedwords2024"), and may define SEED_FATAL, its exit status on
// out of memory (2 unless told). It also defines is_inline(), which collect()
// calls.
#ifndef SEED_TOOL
#error "define SEED_TOOL (the tool's name in messages) before seedtools.h"
#endif
#ifndef SEED_FATAL
#define SEED_FATAL 2
#endif

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "base/arena.h"
#include "base/utf8.h"

// Growable byte buffer, NUL-terminated once written to (the seeds and the
// data are small); the caller frees p.
typedef struct {
  char *p;    // Bytes, NUL after the last one
  size_t len; // Bytes used, without the NUL
  size_t cap; // Bytes allocated
} buf_t;

// One mode of a tool: reads the file at path, prints to stdout, 0 when done.
typedef int (*seed_mode_t)(ap_arena_t *arena, const char *path);

// Supplied by each tool: elements whose text runs on with its neighbours'.
static bool is_inline(const xmlNode *n);

// Local functions...
static inline void buf_add(buf_t *b, const char *s, size_t len);
static inline void collect(const xmlNode *n, buf_t *out);
static inline void collect_children(const xmlNode *parent, const char *name,
                                    buf_t *out);
static inline int contains(const char *path, const char *text);
static inline int emit_words(ap_arena_t *arena, const char *s, size_t len);
static inline bool is_digit(char c);
static inline bool is_elem(const xmlNode *n, const char *name);
static inline bool is_space(uint32_t cp);
static inline xmlDoc *open_data(const char *path, const char *root_name,
                                xmlNode **root);
static inline int read_file(const char *path, buf_t *b);
static inline int run_mode(seed_mode_t run, const char *path);
static inline size_t skip_spaces(const char *s, size_t len, size_t i);
static inline char *squeeze(ap_arena_t *arena, const char *s, size_t len);
static inline void trimmed(const char *s, size_t len, const char **ts,
                           size_t *tlen);

//
// 'buf_add()' - Append len bytes; exits on out of memory.
//

static inline void
buf_add(buf_t *b, const char *s, size_t len)
{
  if (b->len + len + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + len + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      fputs(SEED_TOOL ": out of memory\n", stderr);
      exit(SEED_FATAL);
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, len);
  b->len += len;
  b->p[b->len] = '\0';
}

//
// 'collect()' - Text of a node into out; block edges (<p>, <title>, ...) end
//               a word, since the layout never runs two blocks together.
//

static inline void
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
// 'collect_children()' - Every child element of parent called name, in
//                        document order, as blocks.
//

static inline void
collect_children(const xmlNode *parent, const char *name, buf_t *out)
{
  for (const xmlNode *c = parent->children; c; c = c->next)
    if (is_elem(c, name))
      collect(c, out);
}

//
// 'contains()' - 0 when text occurs in the seed at path, both NFC with
//                whitespace runs squeezed; 1 when it does not, 2 on error.
//

static inline int
contains(const char *path, const char *text)
{
  ap_arena_t *arena = ap_arena_create();
  if (!arena) {
    fputs(SEED_TOOL ": out of memory\n", stderr);
    return 2;
  }
  buf_t seed = {0};
  int rc = 2;
  if (!read_file(path, &seed)) {
    // An empty quote would "occur" anywhere: refuse it
    char *hay = squeeze(arena, seed.p, seed.len);
    char *needle = squeeze(arena, text, strlen(text));
    if (!hay || !needle)
      fputs(SEED_TOOL ": invalid UTF-8 in the text\n", stderr);
    else
      rc = *needle && strstr(hay, needle) ? 0 : 1;
  }
  free(seed.p);
  ap_arena_destroy(arena);
  return rc;
}

//
// 'emit_words()' - Print the NFC of each maximal non-space run, one a line.
//

static inline int
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
        fputs(SEED_TOOL ": invalid UTF-8 in a word\n", stderr);
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
// 'is_digit()' - ASCII digit (the numbers in the seeds are ASCII).
//

static inline bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

//
// 'is_elem()' - True when n is the element called name.
//

static inline bool
is_elem(const xmlNode *n, const char *name)
{
  return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

//
// 'is_space()' - Word separator: ASCII space, tab, CR, LF or U+00A0.
//

static inline bool
is_space(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0;
}

//
// 'open_data()' - Parse the data file; NULL (and a message) unless its root
//                 is the element called root_name. The caller frees the doc.
//

static inline xmlDoc *
open_data(const char *path, const char *root_name, xmlNode **root)
{
  xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
  if (!doc) {
    fprintf(stderr, SEED_TOOL ": %s: cannot read or parse\n", path);
    return NULL;
  }
  *root = xmlDocGetRootElement(doc);
  if (!*root || strcmp((const char *)(*root)->name, root_name)) {
    fprintf(stderr, SEED_TOOL ": %s: root element is not <%s>\n", path,
            root_name);
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

//
// 'read_file()' - Whole file into b (NUL-terminated), checked to be UTF-8;
//                 1 on error.
//

static inline int
read_file(const char *path, buf_t *b)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, SEED_TOOL ": cannot open %s\n", path);
    return 1;
  }
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    buf_add(b, chunk, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    fprintf(stderr, SEED_TOOL ": cannot read %s\n", path);
    return 1;
  }
  buf_add(b, "", 0); // A NUL even for an empty file
  size_t off;
  if (!ap_utf8_validate(b->p, b->len, &off)) {
    fprintf(stderr, SEED_TOOL ": %s: invalid UTF-8 at byte %zu\n", path, off);
    return 1;
  }
  return 0;
}

//
// 'run_mode()' - Run one mode on path with its own arena; the exit status:
//                0, 1 when the mode or writing stdout failed, SEED_FATAL
//                when there is no memory for the arena.
//

static inline int
run_mode(seed_mode_t run, const char *path)
{
  ap_arena_t *arena = ap_arena_create();
  if (!arena) {
    fputs(SEED_TOOL ": out of memory\n", stderr);
    return SEED_FATAL;
  }
  int rc = run(arena, path);
  ap_arena_destroy(arena);
  if (fflush(stdout) || ferror(stdout)) {
    fputs(SEED_TOOL ": write error\n", stderr);
    rc = 1;
  }
  return rc ? 1 : 0;
}

//
// 'skip_spaces()' - Index of the first non-space/tab byte at or after i.
//

static inline size_t
skip_spaces(const char *s, size_t len, size_t i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

//
// 'squeeze()' - NFC of s with every whitespace run turned into one space and
//               none at either end; NULL when s is not valid UTF-8.
//

static inline char *
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
// 'trimmed()' - Bounds of a text without leading and trailing ASCII space,
//               tab, CR or LF (a line of one space is an empty line).
//

static inline void
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

#endif // SEEDTOOLS_H
