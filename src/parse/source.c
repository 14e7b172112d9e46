// XML sources: safe loading (XML_PARSE_NONET, never NOENT or DTDLOAD, so no
// external entity, DTD or network is read) and file:line:col locations.
#include "parse.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The first well-formedness error of a parse (libxml2 goes on after it and
// reports consequences, such as "premature end of data", last).
typedef struct first_error_s {
  bool set;          // An error was kept
  int code;          // xmlParserErrors code
  int line, col;     // Where libxml2 stopped (col counts characters)
  int int1;          // Code-specific number (the opening line of a tag)
  char str1[128];    // Code-specific name (the open tag)
  char str2[128];    // Code-specific name (the closing tag)
  char message[512]; // libxml2's message, one line
} first_error_t;

static int column_of(const ap_source_t *src, int line, const char *needle, int before);
static bool describe_error(const ap_source_t *src, const first_error_t *err, ap_diags_t *diags);
static void keep_first_error(void *data, xmlErrorPtr err);
static bool no_entities(const ap_source_t *src, ap_diags_t *diags);
static char *read_file(const char *path, size_t *size, int *error);

//
// 'ap_source_free()' - Free a loaded source.
//

void
ap_source_free(ap_source_t *src)
{
  if (src->doc)
    xmlFreeDoc(src->doc);
  free(src->text);
  free(src->lines);
  src->doc = NULL;
  src->text = NULL;
  src->lines = NULL;
}

//
// 'ap_source_load()' - Load an XML file; one diagnostic on error.
//
// The parse never reads anything but the file itself: no DTD, no external
// entity, no network. A document that declares entities is refused, so
// that no text is silently dropped and no entity is ever expanded.
//

bool
ap_source_load(ap_source_t *src, const char *path, ap_diags_t *diags)
{
  int error = 0;          // errno of a failed read
  first_error_t err = {0}; // First parse error

  memset(src, 0, sizeof(*src));
  src->path = path;
  if (!(src->text = read_file(path, &src->size, &error)))
    return ap_fail(diags, ap_loc_file(path), "cannot read the file: %s",
                   error == ENOENT ? "there is no such file" : strerror(error));

  // Parse from memory with the safe options; the first error is kept...
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt)
    return ap_fail(diags, ap_loc_file(path), "out of memory");
  ctxt->sax->serror = keep_first_error;
  ctxt->_private = &err;
  src->doc = xmlCtxtReadMemory(ctxt, src->text, (int)src->size, path, NULL,
                               XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                   XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (!src->doc || !ctxt->wellFormed) {
    if (!err.set) {
      xmlErrorPtr last = xmlCtxtGetLastError(ctxt);
      keep_first_error(ctxt, last);
    }
    xmlFreeParserCtxt(ctxt);
    describe_error(src, &err, diags);
    ap_source_free(src);
    return false;
  }
  xmlFreeParserCtxt(ctxt);

  // No entity declarations (external ones could read any file)...
  if (!no_entities(src, diags)) {
    ap_source_free(src);
    return false;
  }
  return true;
}

//
// 'ap_source_loc()' - Where a node (or one of its attributes) stands.
//
// libxml2 keeps node lines but not columns: the column is found by
// looking for "<name" (or "attr=") on that line of the kept text.
//

ap_loc_t
ap_source_loc(const ap_source_t *src, xmlNodePtr node, const char *attr)
{
  ap_loc_t loc = {src->path, node ? (int)xmlGetLineNo(node) : 0, 0};

  if (loc.line <= 0 || !src->text)
    return loc;

  // Find the start of the line (an index of line starts, built once)...
  if (!src->lines) {
    ap_source_t *s = (ap_source_t *)src; // The index is a cache: logically const
    int cap = 1024;
    s->lines = malloc(sizeof(size_t) * (size_t)cap);
    s->lines[s->nlines++] = 0;
    for (size_t i = 0; i < s->size; i++)
      if (s->text[i] == '\n') {
        if (s->nlines == cap)
          s->lines = realloc(s->lines, sizeof(size_t) * (size_t)(cap *= 2));
        s->lines[s->nlines++] = i + 1;
      }
  }
  if (loc.line > src->nlines)
    return loc;
  const char *p = src->text + src->lines[loc.line - 1], *end = src->text + src->size;
  const char *eol = memchr(p, '\n', (size_t)(end - p));
  if (!eol)
    eol = end;

  // ...and the element or attribute on it.
  char needle[128];
  if (attr)
    snprintf(needle, sizeof(needle), "%s=", attr);
  else if (node->type == XML_ELEMENT_NODE)
    snprintf(needle, sizeof(needle), "<%s", (const char *)node->name);
  else
    needle[0] = '\0';
  size_t n = strlen(needle);
  loc.col = 1;
  if (n) {
    for (const char *q = p; q + n <= eol; q++)
      if (!memcmp(q, needle, n)) {
        loc.col = 1;
        for (const char *c = p; c < q; c++) // Columns count characters, not bytes
          if (((unsigned char)*c & 0xC0) != 0x80)
            loc.col++;
        break;
      }
  }
  return loc;
}

// Column (1-based, in characters) of the last needle that starts before
// column `before` on a line of the kept text (anywhere when before <= 0); 0 if absent.
static int
column_of(const ap_source_t *src, int line, const char *needle, int before)
{
  int found = 0; // Column of the best match so far

  if (!src->text || line <= 0)
    return 0;
  const char *p = src->text, *end = src->text + src->size;
  for (int l = 1; l < line && p < end; p++)
    if (*p == '\n')
      l++;
  size_t n = strlen(needle);
  int col = 1;
  for (const char *q = p; q < end && *q != '\n'; q++) {
    if (before > 0 && col >= before)
      break;
    if ((size_t)(end - q) >= n && !memcmp(q, needle, n))
      found = col;
    if (((unsigned char)q[1] & 0xC0) != 0x80)
      col++;
  }
  return found;
}

// Turn the first parse error into one diagnostic that says what was expected.
static bool
describe_error(const ap_source_t *src, const first_error_t *err, ap_diags_t *diags)
{
  ap_loc_t loc = {src->path, err->line, err->col};
  char needle[160];

  if (!err->set)
    return ap_fail(diags, loc, "malformed XML");
  switch (err->code) {
  case XML_ERR_DOCUMENT_EMPTY:
    return ap_fail(diags, ap_loc_file(src->path), "the file is empty: expected an XML document");
  case XML_ERR_TAG_NAME_MISMATCH:
    // "</b>" where "</a>" was due: point at the "</b"...
    snprintf(needle, sizeof(needle), "</%s", err->str2);
    if ((loc.col = column_of(src, loc.line, needle, err->col)) == 0)
      loc.col = err->col;
    return ap_fail(diags, loc, "malformed XML: </%s> closes <%s> (opened on line %d): expected </%s> first",
                   err->str2, err->str1, err->int1, err->str1);
  case XML_ERR_TAG_NOT_FINISHED:
    // The file ends inside an element: point at its start tag...
    snprintf(needle, sizeof(needle), "<%s", err->str1);
    if (err->int1 > 0 && (loc.col = column_of(src, err->int1, needle, 0)) > 0)
      loc.line = err->int1;
    else
      loc.col = err->col;
    return ap_fail(diags, loc, "malformed XML: <%s> is never closed: expected </%s> before the end of the file",
                   err->str1, err->str1);
  case XML_ERR_INVALID_CHAR:
  case XML_ERR_INVALID_ENCODING:
    if (strstr(err->message, "UTF-8")) {
      const char *bytes = strstr(err->message, "Bytes:");
      return ap_fail(diags, loc, "invalid UTF-8%s%s%s: expected UTF-8 text (save the file as UTF-8)",
                     bytes ? " (bytes here: " : "", bytes ? bytes + 7 : "", bytes ? ")" : "");
    }
    break;
  default:
    break;
  }
  return ap_fail(diags, loc, "malformed XML: %s", err->message);
}

// Structured error handler of the parser: keep the first error, on one line.
static void
keep_first_error(void *data, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = data;
  first_error_t *first = ctxt ? ctxt->_private : NULL;

  if (!first || first->set || !err || err->level < XML_ERR_ERROR)
    return;
  first->set = true;
  first->code = err->code;
  first->line = err->line;
  first->col = err->int2;
  first->int1 = err->int1;
  snprintf(first->str1, sizeof(first->str1), "%s", err->str1 ? err->str1 : "");
  snprintf(first->str2, sizeof(first->str2), "%s", err->str2 ? err->str2 : "");
  snprintf(first->message, sizeof(first->message), "%s", err->message ? err->message : "unknown error");

  // One line: newlines become "; ", the trailing one goes...
  size_t n = strlen(first->message);
  while (n > 0 && (first->message[n - 1] == '\n' || first->message[n - 1] == ' '))
    first->message[--n] = '\0';
  for (char *c = first->message; *c; c++)
    if (*c == '\n')
      *c = ' ';
}

// Refuse entity declarations: external entities could read any file, and
// internal ones would be dropped or expanded without bound. Character
// references (&#160;) and the five predefined entities stay fine.
static bool
no_entities(const ap_source_t *src, ap_diags_t *diags)
{
  xmlDtdPtr dtd = src->doc->intSubset;

  if (!dtd)
    return true;
  for (xmlNodePtr n = dtd->children; n; n = n->next) {
    if (n->type != XML_ENTITY_DECL)
      continue;
    xmlEntityPtr ent = (xmlEntityPtr)n;
    char needle[160];
    ap_loc_t loc = ap_loc_file(src->path);

    // libxml2 keeps no line for declarations: find it in the text...
    snprintf(needle, sizeof(needle), "%s", (const char *)ent->name);
    const char *decl = src->text ? strstr(src->text, "<!ENTITY") : NULL;
    while (decl) {
      const char *name = decl + 8;
      while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r' || *name == '%')
        name++;
      if (!strncmp(name, needle, strlen(needle)))
        break;
      decl = strstr(decl + 8, "<!ENTITY");
    }
    if (decl) {
      loc.line = 1;
      for (const char *p = src->text; p < decl; p++)
        if (*p == '\n')
          loc.line++;
      loc.col = column_of(src, loc.line, "<!ENTITY", 0);
    }
    if (ent->SystemID)
      return ap_fail(diags, loc, "entity '%s' refers to the outside file '%s': anpham reads no external "
                     "entities; put the text itself in the file", (const char *)ent->name,
                     (const char *)ent->SystemID);
    return ap_fail(diags, loc, "entity '%s' is declared: anpham expands no entities; write the text "
                   "itself, or a character reference such as &#160;", (const char *)ent->name);
  }
  return true;
}

// Read a whole file into a malloc'ed buffer; NULL with *error = errno on failure.
static char *
read_file(const char *path, size_t *size, int *error)
{
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    *error = errno;
    return NULL;
  }
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += n;
    if (len == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (!bigger)
        free(buf);
      buf = bigger;
    }
  }
  if (buf && ferror(fp)) {
    *error = errno ? errno : EIO;
    free(buf);
    buf = NULL;
  } else if (!buf)
    *error = ENOMEM;
  fclose(fp);
  *size = len;
  return buf;
}
