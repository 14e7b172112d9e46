// XML sources: safe loading (XML_PARSE_NONET, never NOENT or DTDLOAD, so no
// external entity, DTD or network is read) and file:line:col locations.
// Before libxml2 sees a file its first bytes say what it is (a PNG, a PDF,
// UTF-16 text...). While it parses, an entity declaration, an XInclude
// element or an element with too many attributes stops the parse, and the
// input is fed in pieces so that a start tag of thousands of attributes is
// stopped before libxml2 spends quadratic time on it (docs/limits.md).
// A data file's bytes are let go once it is parsed, and read again only
// when a diagnostic wants a column (text_of).
#define _GNU_SOURCE // memmem
#include "parse-private.h"

#include <errno.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_TAG_LINES 64 // Most lines before its last that a start tag is looked for on
#define MAX_SAME_LINE 10000 // Most nodes before an element looked at for others of its name on its line

#define TOO_MANY_ATTRIBUTES (-1) // first_error_t code: an element has more attributes than allowed
#define XINCLUDE (-2)            // first_error_t code: an <xi:include> element
#define ENTITY_DECLARED (-3)     // first_error_t code: an <!ENTITY> declaration
#define XINCLUDE_NS "http://www.w3.org/2001/XInclude" // Namespace of <xi:include>

// The first well-formedness error of a parse (libxml2 goes on after it and
// reports consequences, such as "premature end of data", last).
typedef struct first_error_s {
  bool set;          // An error was kept
  int code;          // xmlParserErrors code, or one of anpham's (negative) above
  int line, col;     // Where libxml2 stopped (col counts characters)
  int int1;          // Code-specific number (the opening line of a tag)
  char str1[128];    // Code-specific name (the open tag)
  char str2[128];    // Code-specific name (the closing tag)
  char message[512]; // libxml2's message, one line
} first_error_t;

// The kept text handed to libxml2 piece by piece (see feed()).
typedef struct feeder_s {
  xmlParserCtxtPtr ctxt; // The parse being fed
  const ap_source_t *src; // Whose text
  size_t fed;            // Bytes handed over so far
  int max_attributes;    // Most attributes one element may have
  first_error_t *err;    // Where a stop is recorded
  ap_packed_t *packed;   // Where records of long runs go (packed.c), or NULL
} feeder_t;

static int column_of(const ap_source_t *src, int line, const char *needle, int before);
static void declare_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content);
static bool describe_error(const ap_source_t *src, const first_error_t *err, int max_attributes,
                           ap_diags_t *diags);
static int feed(void *context, char *buffer, int len);
static void index_lines(ap_source_t *src);
static void keep_first_error(void *data, xmlErrorPtr err);
static const char *line_start(const ap_source_t *src, int line);
static int same_name_before(xmlNodePtr node, int line);
static void join(char *buf, size_t size, const char *a, const char *b, const char *c, const char *d);
static int find_on_line(const char *p, const char *eol, const char *needle, const char *open, int skip,
                        bool *opened);
static bool line_bounds(const ap_source_t *src, int line, const char **start, const char **end);
static int max_attributes(ap_file_kind_t kind);
static bool no_doctype_file(const ap_source_t *src, ap_diags_t *diags);
static void place_of(const ap_source_t *src, size_t offset, int *line, int *col);
static char *read_file(const char *path, size_t limit, size_t *size, int *error, struct stat *st);
static bool text_of(const ap_source_t *src);
static void let_go(char *text);
static void characters(void *ctx, const xmlChar *ch, int len);
static size_t parsed(const feeder_t *f);
static void end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri);
static bool parse_source(ap_source_t *src, const char *path, char *text, size_t size, ap_file_kind_t kind, bool pack,
                         ap_diags_t *diags);
static bool read_source(ap_source_t *src, const char *path, ap_file_kind_t kind, bool pack, ap_diags_t *diags);
static void start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                          int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                          const xmlChar **attributes);
static size_t stop_at(feeder_t *f, int code, const char *opener);

//
// 'ap_source_close()' - Free a source ap_source_open made.
//

void
ap_source_close(ap_source_t *src)
{
  if (!src)
    return;
  ap_source_free(src);
  free(src);
}

//
// 'ap_source_free()' - Free a loaded source.
//

void
ap_source_free(ap_source_t *src)
{
  if (src->base) {
    ap_source_free(src->base);
    free(src->base);
    src->base = NULL;
  }
  ap_packed_free(src->packed); // (first: what it read ahead are nodes of the document)
  src->packed = NULL;
  if (src->doc)
    xmlFreeDoc(src->doc);
  free(src->text);
  free(src->lines);
  src->doc = NULL;
  src->text = NULL;
  src->lines = NULL;
}

//
// 'ap_source_load()' - Load a data file and its bases; one diagnostic on error.
//

bool
ap_source_load(ap_source_t *src, const char *path, ap_files_t *files, ap_diags_t *diags)
{
  if (!read_source(src, path, AP_FILE_DATA, /*pack*/ true, diags))
    return false;
  if (!ap_data_inherit(src, files, diags)) {
    ap_source_free(src);
    return false;
  }
  return true;
}

//
// 'ap_source_loc()' - Where a node (or one of its attributes) stands.
//
// libxml2 keeps node lines but not columns: the column is found by
// looking for "<name" (or "attr=") on that line of the kept text. Its line
// is where the start tag ends: a tag over several lines is looked for on
// the lines before too, back to the one that opens it.
//

ap_loc_t
ap_source_loc(const ap_source_t *src, xmlNodePtr node, const char *attr)
{
  // A node of a base layout is placed in its own file, and so is a node of
  // merged data that came from a base or an inheriting file (inherit.c)...
  if (node && src->base) {
    const ap_source_t *from = ap_data_origin(node, attr);
    if (from && from != src)
      return ap_source_loc(from, node, attr);
    if (!from && node->doc != src->doc)
      return ap_source_loc(src->base, node, attr);
  }

  ap_loc_t loc = {src->path, node ? (int)ap_packed_line(src->packed, node) : 0, 0};
  if (loc.line <= 0 || !text_of(src))
    return loc;

  // Find the start of the line (an index of line starts, built once; without
  // memory for it, by reading the text up to the line)...
  const char *p, *eol;
  if (!line_bounds(src, loc.line, &p, &eol))
    return loc;

  // ...and the element or attribute on it.
  char needle[128];
  if (attr)
    join(needle, sizeof(needle), "", attr, "", "=");
  else if (node->type == XML_ELEMENT_NODE && node->ns && node->ns->prefix)
    join(needle, sizeof(needle), "<", (const char *)node->ns->prefix, ":", (const char *)node->name);
  else if (node->type == XML_ELEMENT_NODE)
    join(needle, sizeof(needle), "<", (const char *)node->name, "", "");
  else
    needle[0] = '\0';
  loc.col = 1;
  if (!needle[0])
    return loc;

  // An attribute is looked for after its element's name, when that is on
  // the line (<for-each select="item"><content select="name"/>: the
  // content's select= is the second on the line)...
  char open[128] = "";
  if (attr && node->type == XML_ELEMENT_NODE && !(node->ns && node->ns->prefix))
    join(open, sizeof(open), "<", (const char *)node->name, "", "");
  bool opened = false;
  int skip = node->type == XML_ELEMENT_NODE ? same_name_before(node, loc.line) : 0;
  int col = find_on_line(p, eol, needle, open, skip, &opened);
  if (!col && skip) // (not there: a tag of that name written over lines before it)
    col = find_on_line(p, eol, needle, open, 0, &opened);

  // ...and libxml2 gives an element the line its start tag ends on: one
  // written over several lines is found on the lines before, back to the
  // one that opens it (an attribute is not looked for before its element;
  // a line holding another tag's '>' is not part of this tag)...
  for (int line = loc.line - 1; !col && !opened && node->type == XML_ELEMENT_NODE && line >= 1 &&
                                line >= loc.line - MAX_TAG_LINES && line_bounds(src, line, &p, &eol);
       line--) {
    if ((col = find_on_line(p, eol, needle, open, 0, &opened)) > 0)
      loc.line = line;
    else if (opened || memchr(p, '>', (size_t)(eol - p)))
      break;
  }
  if (col)
    loc.col = col;
  return loc;
}

// Elements of node's name (and prefix) whose start tags end on its line
// before it, in document order: <p><value select="a"/> (<value
// select="b"/>)</p> has one before the second <value>, whose place is the
// second "<value" of the line. Looked for back to the first element of an
// earlier line (nothing before it can stand on this one), over at most
// MAX_SAME_LINE nodes (a file written on one line: then 0, the first).
static int
same_name_before(xmlNodePtr node, int line)
{
  const xmlChar *prefix = node->ns ? node->ns->prefix : NULL;
  int n = 0, steps = 0;

  for (xmlNodePtr c = node; c;) {
    if (++steps > MAX_SAME_LINE)
      return 0;
    // The node before c in document order: the last of the previous
    // sibling's descendants, or the parent...
    if (c->prev) {
      c = c->prev;
      while (c->type == XML_ELEMENT_NODE && c->last)
        c = c->last;
    } else {
      c = c->parent;
    }
    if (!c || c->type != XML_ELEMENT_NODE) {
      if (!c || c->type == XML_DOCUMENT_NODE)
        break;
      continue;
    }
    long at = xmlGetLineNo(c);
    if (at < line)
      break;
    const xmlChar *p = c->ns ? c->ns->prefix : NULL;
    if (at == line && xmlStrEqual(c->name, node->name) && xmlStrEqual(p, prefix))
      n++;
  }
  return n;
}

// a, b, c and d one after the other in buf (cut short at its size, as
// snprintf would: ap_source_loc's needles, made for every place it gives).
static void
join(char *buf, size_t size, const char *a, const char *b, const char *c, const char *d)
{
  const char *parts[4] = {a, b, c, d};
  size_t used = 0;

  for (int i = 0; i < 4; i++) {
    size_t len = strlen(parts[i]);
    if (len > size - 1 - used)
      len = size - 1 - used;
    memcpy(buf + used, parts[i], len);
    used += len;
  }
  buf[used] = '\0';
}

// The column (counted in characters, from 1) of needle on the line from p
// to eol, 0 when it is not there; with open ("<name", or ""), after that
// element's name when the line holds it (*opened then set). skip: elements
// of the same name written before it on the line (the needle, or open,
// found once more each).
static int
find_on_line(const char *p, const char *eol, const char *needle, const char *open, int skip, bool *opened)
{
  size_t n = strlen(needle), k = strlen(open);
  const char *from = p; // Where the needle is looked for
  int seen = 0;         // Elements of that name met on the line

  for (const char *q = p; k > 0 && q + k <= eol && (q = memmem(q, (size_t)(eol - q), open, k)); q++)
    if ((q[k] == ' ' || q[k] == '\t' || q[k] == '\r' || q + k == eol) && seen++ == skip) {
      from = q;
      *opened = true;
      break;
    }
  for (const char *q = from; q + n <= eol && (q = memmem(q, (size_t)(eol - q), needle, n)); q++)
    if (k > 0 || seen++ == skip) {
      int col = 1;
      for (const char *c = p; c < q; c++) // Columns count characters, not bytes
        if (((unsigned char)*c & 0xC0) != 0x80)
          col++;
      return col;
    }
  return 0;
}

//
// 'ap_source_loc_in()' - The place of a byte of an expression written at loc.
//

ap_loc_t
ap_source_loc_in(const ap_source_t *src, ap_loc_t loc, const char *expr, size_t offset)
{
  // The file of the place (the layout, or one of its bases)...
  while (src && !(loc.file && src->path && !strcmp(src->path, loc.file)))
    src = src->base;
  size_t len = strcspn(expr, "\n"); // What can be on the line
  if (!src || !text_of(src) || loc.line <= 0 || loc.col <= 0 || offset > len || !len)
    return loc;
  const char *p, *eol;
  if (!line_bounds(src, loc.line, &p, &eol))
    return loc;

  // From the column on (columns count characters), past the quote that
  // opens the attribute's value (so that "s" is not found in select=), the
  // expression as written...
  const char *from = p;
  for (int col = 1; from < eol && col < loc.col; from++)
    if ((((unsigned char)from[1]) & 0xC0) != 0x80)
      col++;
  from += strcspn(from, "\"'>\n");
  if (from >= eol)
    return loc;
  for (const char *q = from + 1; q + len <= eol; q++)
    if (!memcmp(q, expr, len)) {
      ap_loc_t at = loc;
      at.col = 1;
      for (const char *c = p; c < q + offset; c++)
        if (((unsigned char)*c & 0xC0) != 0x80)
          at.col++;
      return at;
    }
  return loc;
}

//
// 'ap_source_open()' - Load a data file and its bases into a source of its own.
//

ap_source_t *
ap_source_open(const char *path, ap_files_t *files, ap_diags_t *diags)
{
  ap_source_t *src = calloc(1, sizeof(*src));

  if (!src) {
    ap_fail(diags, ap_loc_file(path), "out of memory");
    return NULL;
  }
  if (!ap_source_load(src, path, files, diags)) {
    free(src);
    return NULL;
  }

  // The bytes are let go (the document holds what binding reads) when
  // they can be read again as they were: a regular file's, not converted...
  if (src->regular && !src->converted) {
    let_go(src->text);
    free(src->lines);
    src->text = NULL;
    src->lines = NULL;
    src->nlines = 0;
    src->reread = true;
  }
  return src;
}

//
// 'ap_source_read()' - Load an XML file of a kind (layout or data); one diagnostic on error.
//
// The parse never reads anything but the file itself: no DTD, no external
// entity, no XInclude, no network. A document that declares entities or
// names an outside DTD is refused, so that no text is silently dropped and
// no entity is ever expanded. Sizes, nesting and attributes are limited
// (docs/limits.md); UTF-16 with a byte order mark is read as UTF-8.
//

bool
ap_source_read(ap_source_t *src, const char *path, ap_file_kind_t kind, ap_diags_t *diags)
{
  return read_source(src, path, kind, /*pack*/ false, diags);
}

// ap_source_read, the records of long runs packed (pack: a data file read
// by ap_source_load, not a base).
static bool
read_source(ap_source_t *src, const char *path, ap_file_kind_t kind, bool pack, ap_diags_t *diags)
{
  int error = 0; // errno of a failed read
  size_t size;   // Bytes read
  struct stat st; // The file read (st_mode 0: not a regular file)
  char *text = read_file(path, ap_files_limit(kind), &size, &error, &st);

  if (!text) {
    memset(src, 0, sizeof(*src));
    src->path = path;
    if (error == EFBIG)
      return ap_fail(diags, ap_loc_file(path), "the %s is too large (more than %zu MB): at most %zu MB is read",
                     ap_files_noun(kind), ap_files_limit(kind) >> 20, ap_files_limit(kind) >> 20);
    return ap_fail(diags, ap_loc_file(path), "cannot read the file: %s",
                   error == ENOENT ? "there is no such file" : strerror(error));
  }
  if (!parse_source(src, path, text, size, kind, pack, diags))
    return false;
  src->regular = S_ISREG(st.st_mode);
  src->st = st;
  return true;
}

//
// 'ap_source_parse()' - Parse the bytes of an XML file already read; one diagnostic on error.
//
// What ap_source_read does once the file is read (a base read confined by
// ap_files_read comes here); text becomes src's, or is freed on error.
//

bool
ap_source_parse(ap_source_t *src, const char *path, char *text, size_t size, ap_file_kind_t kind,
                ap_diags_t *diags)
{
  return parse_source(src, path, text, size, kind, /*pack*/ false, diags);
}

// ap_source_parse, the records of long runs packed when pack is set (and
// the text is the file's: not converted).
static bool
parse_source(ap_source_t *src, const char *path, char *text, size_t size, ap_file_kind_t kind, bool pack,
             ap_diags_t *diags)
{
  first_error_t err = {0}; // First parse error
  bool converted = false;  // The text was UTF-16, now UTF-8

  ap_xml_quiet();
  memset(src, 0, sizeof(*src));
  src->path = path;
  src->text = text;
  src->size = size;

  // Say what a file that is not XML is, before libxml2 guesses...
  if (!ap_source_sniff(src, &converted, diags)) {
    ap_source_free(src);
    return false;
  }
  src->converted = converted;

  // Parse with the safe options, fed piece by piece; the first error is kept...
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) {
    ap_source_free(src);
    return ap_fail(diags, ap_loc_file(path), "out of memory");
  }
  int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                XML_PARSE_NOCDATA | (converted ? XML_PARSE_IGNORE_ENC : 0) |
                (kind == AP_FILE_DATA ? XML_PARSE_COMPACT : 0);
  feeder_t feeder = {ctxt, src, 0, max_attributes(kind), &err,
                     pack && kind == AP_FILE_DATA && !converted ? ap_packed_new(options) : NULL};
  char stray[512]; // A message libxml2 gave outside the parse's own handler
  ap_xml_stray(stray, sizeof(stray));
  ctxt->sax->serror = keep_first_error;
  ctxt->sax->startElementNs = start_element;
  ctxt->sax->entityDecl = declare_entity;
  if (feeder.packed) {
    ctxt->sax->endElementNs = end_element;
    ctxt->sax->characters = ctxt->sax->ignorableWhitespace = characters; // (one function: blanks stay text)
  }
  ctxt->_private = &feeder;
  src->doc = xmlCtxtReadIO(ctxt, feed, /*close*/ NULL, &feeder, path, NULL, options);
  src->packed = feeder.packed;
  if (!src->doc || !ctxt->wellFormed || err.code < 0) {
    // A conversion from the declared encoding fails outside the parser's
    // handler and before the error the parser then reports...
    const xmlChar *declared = ctxt->encoding ? ctxt->encoding : ctxt->input ? ctxt->input->encoding : NULL;
    if (strstr(ap_xml_stray(stray, sizeof(stray)), "conversion failed") && declared) {
      ap_fail(diags, ap_loc_file(path), "the file holds bytes that are not %s, the encoding its XML declaration "
              "names: expected %s text throughout (better: save the file as UTF-8)",
              (const char *)declared, (const char *)declared);
      xmlFreeParserCtxt(ctxt);
      ap_source_free(src);
      return false;
    }
    if (!err.set) {
      xmlErrorPtr last = xmlCtxtGetLastError(ctxt);
      keep_first_error(ctxt, last);
    }
    xmlFreeParserCtxt(ctxt);
    describe_error(src, &err, feeder.max_attributes, diags);
    ap_source_free(src);
    return false;
  }
  xmlFreeParserCtxt(ctxt);

  // No outside DTD (entity declarations stopped the parse: see declare_entity())...
  if (!no_doctype_file(src, diags)) {
    ap_source_free(src);
    return false;
  }
  return true;
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

// SAX entity declaration: stop the parse. External entities could read any
// file, internal ones would be expanded without bound (a "billion laughs")
// or dropped. Character references (&#160;) and the five predefined
// entities stay fine.
static void
declare_entity(void *ctx, const xmlChar *name, int type, const xmlChar *public_id, const xmlChar *system_id,
               xmlChar *content)
{
  xmlParserCtxtPtr ctxt = ctx;
  feeder_t *f = ctxt->_private;

  (void)type, (void)public_id, (void)content;
  if (f->err->set)
    return;
  stop_at(f, ENTITY_DECLARED, "<!ENTITY");
  snprintf(f->err->str1, sizeof(f->err->str1), "%s", (const char *)name);
  snprintf(f->err->str2, sizeof(f->err->str2), "%s", system_id ? (const char *)system_id : "");
  xmlStopParser(ctxt);
}

// Turn the first parse error into one diagnostic that says what was expected.
static bool
describe_error(const ap_source_t *src, const first_error_t *err, int max_attributes, ap_diags_t *diags)
{
  ap_loc_t loc = {src->path, err->line, err->col};
  char needle[160];

  if (!err->set)
    return ap_fail(diags, loc, "malformed XML");
  switch (err->code) {
  case TOO_MANY_ATTRIBUTES:
    return ap_fail(diags, loc, "<%s> has more than %d attributes (namespace declarations included): expected "
                   "at most %d on one element", err->str1, max_attributes, max_attributes);
  case XINCLUDE:
    return ap_fail(diags, loc, "<%s> is not followed: anpham reads no other file through XInclude; put the "
                   "content itself in the file", err->str1);
  case ENTITY_DECLARED:
    if (err->str2[0])
      return ap_fail(diags, loc, "entity '%s' refers to the outside file '%s': anpham reads no external "
                     "entities; put the text itself in the file", err->str1, err->str2);
    return ap_fail(diags, loc, "entity '%s' is declared: anpham expands no entities; write the text "
                   "itself, or a character reference such as &#160;", err->str1);
  case XML_ERR_DOCUMENT_EMPTY:
    return ap_fail(diags, ap_loc_file(src->path), "the file is empty: expected an XML document");
  case XML_ERR_INTERNAL_ERROR:
    if (strstr(err->message, "Excessive depth"))
      return ap_fail(diags, loc, "elements are nested more than %u deep: expected at most %u levels",
                     xmlParserMaxDepth, xmlParserMaxDepth);
    break;
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
  case XML_ERR_UNSUPPORTED_ENCODING:
    return ap_fail(diags, loc, "encoding=\"%s\" is an encoding anpham cannot read: expected UTF-8 (save the "
                   "file as UTF-8 and write encoding=\"UTF-8\")", err->str1);
  case XML_ERR_INVALID_CHAR:
  case XML_ERR_INVALID_ENCODING:
    if (strstr(err->message, "labelled UTF-16"))
      return ap_fail(diags, loc, "the XML declaration says encoding=\"UTF-16\" but the file is not UTF-16: "
                     "expected encoding=\"UTF-8\"");
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

// Input callback of the parse: the next piece of the kept text. libxml2
// holds every attribute of the start tag it reads in an array it grows to
// twice the need (10 slots per attribute) and checks each new attribute
// against all earlier ones, so a tag of 50,000 attributes costs minutes:
// once the array has outgrown the limit, the tag being read is stopped
// here (start_element() has let every earlier element through, so it is
// this one). Namespace declarations count as attributes.
static int
feed(void *context, char *buffer, int len)
{
  feeder_t *f = context;
  xmlParserCtxtPtr ctxt = f->ctxt;

  if (f->err->set)
    return -1;
  if ((ctxt->maxatts - 20) / 10 > f->max_attributes || ctxt->nsNr / 2 > f->max_attributes) {
    stop_at(f, TOO_MANY_ATTRIBUTES, "<");
    return -1;
  }
  size_t n = f->src->size - f->fed;
  if (n > (size_t)len)
    n = (size_t)len;
  memcpy(buffer, f->src->text + f->fed, n);
  f->fed += n;
  return (int)n;
}

// Build src's index of line starts (src->lines, src->nlines); without
// memory for it, none (line_start() then reads the text).
static void
index_lines(ap_source_t *src)
{
  int cap = 1024, n = 0; // Room in the index; lines in it
  size_t *lines = malloc(sizeof(size_t) * (size_t)cap);

  if (!lines)
    return;
  lines[n++] = 0;
  for (const char *p = src->text, *end = src->text + src->size, *eol; (eol = memchr(p, '\n', (size_t)(end - p)));
       p = eol + 1) { // (memchr: a tenth of the instructions of a byte loop)
    if (n == cap) {
      size_t *bigger = cap <= INT_MAX / 2 ? realloc(lines, sizeof(size_t) * (size_t)(cap *= 2)) : NULL;
      if (!bigger) {
        free(lines);
        return;
      }
      lines = bigger;
    }
    lines[n++] = (size_t)(eol + 1 - src->text);
  }
  src->lines = lines;
  src->nlines = n;
}

// Structured error handler of the parser: keep the first error, on one line.
static void
keep_first_error(void *data, xmlErrorPtr err)
{
  xmlParserCtxtPtr ctxt = data;
  feeder_t *feeder = ctxt ? ctxt->_private : NULL;
  first_error_t *first = feeder ? feeder->err : NULL;

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

// Start of a line (1-based) of src's text, from the index when there is
// one, else by counting newlines; NULL when the text has fewer lines.
// The text of a 1-based line, from its start to its newline (or the end of
// the text); false when the text has no such line.
static bool
line_bounds(const ap_source_t *src, int line, const char **start, const char **end)
{
  if (!src->lines)
    index_lines((ap_source_t *)src); // The index is a cache: logically const
  const char *p = line_start(src, line), *stop = src->text + src->size;
  if (!p)
    return false;
  const char *eol = memchr(p, '\n', (size_t)(stop - p));
  *start = p;
  *end = eol ? eol : stop;
  return true;
}

static const char *
line_start(const ap_source_t *src, int line)
{
  if (src->lines)
    return line <= src->nlines ? src->text + src->lines[line - 1] : NULL;
  const char *p = src->text, *end = src->text + src->size;
  for (int l = 1; l < line; l++) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      return NULL;
    p = eol + 1;
  }
  return p;
}

// Most attributes (namespace declarations included) on one element of a file of a kind.
static int
max_attributes(ap_file_kind_t kind)
{
  return kind == AP_FILE_LAYOUT ? AP_LAYOUT_MAX_ATTRIBUTES : AP_DATA_MAX_ATTRIBUTES;
}

// Refuse a <!DOCTYPE> that names an outside DTD: it is never read (no
// DTDLOAD), but a document that relies on it would be read wrongly.
static bool
no_doctype_file(const ap_source_t *src, ap_diags_t *diags)
{
  xmlDtdPtr dtd = src->doc->intSubset;

  if (!dtd || (!dtd->SystemID && !dtd->ExternalID))
    return true;
  ap_loc_t loc = ap_loc_file(src->path);
  const char *decl = src->text ? strstr(src->text, "<!DOCTYPE") : NULL;
  if (decl)
    place_of(src, (size_t)(decl - src->text), &loc.line, &loc.col);
  return ap_fail(diags, loc, "<!DOCTYPE> names the outside DTD '%s': anpham reads no DTD; remove the "
                 "<!DOCTYPE> line", (const char *)(dtd->SystemID ? dtd->SystemID : dtd->ExternalID));
}

// Line and column (1-based, columns in characters) of a byte offset of the kept text.
static void
place_of(const ap_source_t *src, size_t offset, int *line, int *col)
{
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < offset && i < src->size; i++) {
    if (src->text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else if (((unsigned char)src->text[i] & 0xC0) != 0x80) {
      (*col)++;
    }
  }
}

// Read a whole file (at most limit bytes) into a malloc'ed buffer; NULL with
// *error = errno on failure, EFBIG when the file is larger than limit. A
// regular file's size is checked before anything is read; other files
// (a pipe) are read up to the limit. *st: the file's status as it was
// opened (st_mode 0 when fstat failed).
static char *
read_file(const char *path, size_t limit, size_t *size, int *error, struct stat *st)
{
  memset(st, 0, sizeof(*st));
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    *error = errno;
    return NULL;
  }
  if (fstat(fileno(fp), st) != 0)
    memset(st, 0, sizeof(*st));
  if (S_ISREG(st->st_mode) && (unsigned long long)st->st_size > limit) {
    fclose(fp);
    *error = EFBIG;
    return NULL;
  }
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap + 1);
  while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += n;
    if (len > limit) {
      free(buf);
      fclose(fp);
      *error = EFBIG;
      return NULL;
    }
    if (len == cap) {
      char *bigger = realloc(buf, (cap *= 2) + 1);
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
  if (buf)
    buf[len] = '\0'; // strstr() on the text stops here
  *size = len;
  return buf;
}

// Free a file's text after its parse, shrunk first: glibc gives a large
// block a mapping of its own, and freeing one raises the size under which
// it keeps blocks in its heap (where freed memory stays the process's) to
// that block's; shrunk, the block is freed below it (freed as it is, the
// 10,000-row table's 1 MB block cost 0.9 MB of peak RSS more than it saved).
static void
let_go(char *text)
{
  char *shrunk = realloc(text, 1);

  free(shrunk ? shrunk : text);
}

// SAX start of an element: refuse one with too many attributes (whose
// start tag was short enough for feed() to miss) and XInclude elements,
// else build it as libxml2 does.
static void
start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
              int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
              const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = ctx;
  feeder_t *f = ctxt->_private;

  if (nb_attributes + nb_namespaces > f->max_attributes || (uri && !strcmp((const char *)uri, XINCLUDE_NS))) {
    stop_at(f, nb_attributes + nb_namespaces > f->max_attributes ? TOO_MANY_ATTRIBUTES : XINCLUDE, "<");
    xmlStopParser(ctxt);
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes, nb_defaulted,
                        attributes);
  if (f->packed)
    ap_packed_started(f->packed, ctxt, ctxt->input->buf && ctxt->input->buf->encoder ? SIZE_MAX : parsed(f));
}

// SAX end of an element: built as libxml2 does, then packed when it is a
// record of a long run (packed.c).
static void
end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = ctx;
  feeder_t *f = ctxt->_private;
  xmlNodePtr e = ctxt->node;
  int depth = ctxt->nodeNr;

  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
  if (!ctxt->input->buf || ctxt->input->buf->encoder) // (a conversion: offsets are not the text's)
    return;
  ap_packed_ended(f->packed, e, depth, f->src->text, parsed(f));
}

// SAX characters (and blanks): a blank after a packed record is kept with
// it (packed.c), anything else becomes text as libxml2 makes it.
static void
characters(void *ctx, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr ctxt = ctx;
  feeder_t *f = ctxt->_private;

  if (!ap_packed_blank(f->packed, ctxt, ch, len))
    xmlSAX2Characters(ctx, ch, len);
}

// The offset in the text of where the parser stands.
static size_t
parsed(const feeder_t *f)
{
  size_t left = (size_t)(f->ctxt->input->end - f->ctxt->input->cur);
  return left <= f->fed ? f->fed - left : 0;
}

// Record an error (code) at the construct being read: the last opener
// ("<" of a start tag, "<!ENTITY") before where the parser stands (no "<"
// can stand inside a start tag). str1 is the name after "<". Returns the
// opener's offset in the text.
static size_t
stop_at(feeder_t *f, int code, const char *opener)
{
  xmlParserCtxtPtr ctxt = f->ctxt;
  const ap_source_t *src = f->src;
  first_error_t *err = f->err;
  size_t at = f->fed, left = (size_t)(ctxt->input->end - ctxt->input->cur), len = strlen(opener);

  if (err->set)
    return 0;
  at = left < at ? at - left : 0;
  if (at + len > src->size)
    at = src->size >= len ? src->size - len : 0;
  while (at > 0 && memcmp(src->text + at, opener, len))
    at--;
  err->set = true;
  err->code = code;
  place_of(src, at, &err->line, &err->col);
  size_t n = 0;
  for (const char *p = src->text + at + 1; p < src->text + src->size && n + 1 < sizeof(err->str1) &&
                                           !strchr(" \t\r\n/>", *p); p++)
    err->str1[n++] = *p;
  err->str1[n] = '\0';
  return at;
}

// Whether a source has its text for a column look-up: the bytes let go
// after the parse (ap_source_open) are read again, once, when the file is
// still the one read (ap_files_same: device, inode, size, times); else none (the
// place then has its line only). The text is a cache: logically const.
static bool
text_of(const ap_source_t *src)
{
  ap_source_t *s = (ap_source_t *)src; // (the cache)
  struct stat st;                      // The file as it is now
  size_t size = 0;                     // Bytes read again
  int error = 0;                       // errno of a failed read

  if (src->text || !src->reread)
    return src->text != NULL;
  s->reread = false; // Once, whatever comes of it
  char *text = read_file(src->path, src->size, &size, &error, &st);
  if (!text || size != src->size || !ap_files_same(&st, &src->st)) {
    free(text);
    return false;
  }
  s->text = text;
  return true;
}
