// XML sources: safe loading (XML_PARSE_NONET, never NOENT or DTDLOAD, so no
// external entity, DTD or network is read) and file:line:col locations.
#include "parse.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *size);

//
// 'ap_source_free()' - Free a loaded source.
//

void
ap_source_free(ap_source_t *src)
{
  if (src->doc)
    xmlFreeDoc(src->doc);
  free(src->text);
  src->doc = NULL;
  src->text = NULL;
}

//
// 'ap_source_load()' - Load an XML file; one diagnostic on error.
//

bool
ap_source_load(ap_source_t *src, const char *path, ap_diags_t *diags)
{
  memset(src, 0, sizeof(*src));
  src->path = path;
  if (!(src->text = read_file(path, &src->size)))
    return ap_fail(diags, ap_loc_file(path), "cannot read file");

  // Parse from memory with the safe options; errors are taken from the context...
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt)
    return ap_fail(diags, ap_loc_file(path), "out of memory");
  src->doc = xmlCtxtReadMemory(ctxt, src->text, (int)src->size, path, NULL,
                               XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR |
                                   XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (!src->doc || !ctxt->wellFormed) {
    xmlErrorPtr err = xmlCtxtGetLastError(ctxt);
    ap_loc_t loc = {path, err ? err->line : 0, err ? err->int2 : 0};
    ap_fail(diags, loc, "malformed XML: %s", err && err->message ? err->message : "unknown error");
    if (src->doc)
      xmlFreeDoc(src->doc);
    src->doc = NULL;
    xmlFreeParserCtxt(ctxt);
    return false;
  }
  xmlFreeParserCtxt(ctxt);
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

  // Find the start of the line...
  const char *p = src->text, *end = src->text + src->size;
  for (int line = 1; line < loc.line && p < end; p++)
    if (*p == '\n')
      line++;
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

// Read a whole file into a malloc'ed buffer.
static char *
read_file(const char *path, size_t *size)
{
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
    len += n;
    if (len == cap)
      buf = realloc(buf, cap *= 2);
  }
  fclose(fp);
  *size = len;
  return buf;
}
