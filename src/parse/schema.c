// Layout schema: validation against the embedded RELAX NG grammar, and one
// clear message for the first mistake. libxml2's own RELAX NG messages often
// name the wrong node ("Element p has extra content: value" for a bad
// format=), so on failure the layout is walked again with the grammar read
// as plain XML: unknown elements, misplaced ones, unknown, missing or bad
// attributes are reported where they stand, with what was expected.
#include "parse-xml.h"

#include <libxml/relaxng.h>
#include <libxml/xmlversion.h>
#include <libxml/xmlregexp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cache.h"
#include "../base/hash.h"

extern const unsigned char ap_layout_schema[]; // layouts/schema/layout.rng, embedded
extern const unsigned ap_layout_schema_size;  // Its size in bytes
extern const char ap_layout_schema_sha256[];  // Its SHA-256 in hex


#define MAX_NAMES 64 // Most children or attributes one grammar element has

// What one grammar <element> allows directly (refs followed, nested elements not entered).
typedef struct allowed_s {
  xmlNodePtr elems[MAX_NAMES]; // Child <element> patterns
  int nelems;                  // Number of them
  xmlNodePtr attrs[MAX_NAMES]; // <attribute> patterns
  bool required[MAX_NAMES];    // Whether each attribute must be given
  int nattrs;                  // Number of them
  bool text;                   // Text content allowed
} allowed_t;

// The first error libxml2 reported, as a fallback message.
typedef struct first_error_s {
  bool set;           // An error was kept
  xmlNodePtr node;    // Node it names (may be the parent of the culprit)
  int line;           // Its line when there is no node
  char message[512];  // Its message
} first_error_t;

static void collect(xmlNodePtr pattern, bool optional, allowed_t *allowed);
static xmlNodePtr define(const char *name);
static void describe(xmlNodePtr pattern, const char *elem, const char *attr, char *buf, size_t size);
static int element_names(const char **list, int max);
static bool explain(ap_layout_t *layout, xmlNodePtr node, xmlNodePtr def, ap_diags_t *diags);
static const char *grammar_name(xmlNodePtr pattern);
static bool is_grammar(xmlNodePtr node, const char *name);
static void keep_first_error(void *data, xmlErrorPtr err);
static bool known_element(const char *name);
static void nearest_name(const char *name, const char *const *names, int n, char *buf, size_t size);
static bool value_matches(xmlNodePtr pattern, const char *value);
static bool validity_key(const ap_layout_t *layout, char hex[AP_SHA256_HEX]);

static xmlDocPtr grammar; // The schema read as XML (for messages), parsed once per process

//
// 'ap_layout_validate()' - Check the layout against the schema; one diagnostic on failure.
//

bool
ap_layout_validate(ap_layout_t *layout, ap_diags_t *diags)
{
  static xmlRelaxNGPtr schema; // Parsed once per process
  first_error_t first = {0};   // libxml2's first complaint
  char key[AP_SHA256_HEX];     // What the cache knows this layout by

  // A layout that passed before, byte for byte, against this schema and
  // this libxml2, passes (compiling the schema alone cost 15 % of a render)...
  bool keyed = validity_key(layout, key);
  if (keyed && ap_cache_has("valid-layouts", key))
    return true;

  // Load the schema, both for libxml2 and as a document to read (libxml2's
  // complaints kept, never printed; the part that did not load, out of
  // memory, is tried again next time)...
  ap_xml_quiet();
  if (!schema) {
    xmlRelaxNGParserCtxtPtr pctxt =
        xmlRelaxNGNewMemParserCtxt((const char *)ap_layout_schema, (int)ap_layout_schema_size);
    xmlRelaxNGSetParserStructuredErrors(pctxt, keep_first_error, &first);
    schema = pctxt ? xmlRelaxNGParse(pctxt) : NULL;
    xmlRelaxNGFreeParserCtxt(pctxt);
  }
  if (!grammar)
    grammar = xmlReadMemory((const char *)ap_layout_schema, (int)ap_layout_schema_size, "layout.rng", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!schema || !grammar)
    return ap_fail(diags, ap_loc_file(layout->src.path), "internal error: the layout schema does not load%s%s",
                   first.set ? ": " : "", first.set ? first.message : "");

  // Validate...
  xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
  if (!vctxt)
    return ap_fail(diags, ap_loc_file(layout->src.path), "out of memory");
  xmlRelaxNGSetValidStructuredErrors(vctxt, keep_first_error, &first);
  int rc = xmlRelaxNGValidateDoc(vctxt, layout->src.doc);
  xmlRelaxNGFreeValidCtxt(vctxt);
  if (rc == 0) {
    if (keyed)
      ap_cache_mark("valid-layouts", key);
    return true;
  }

  // ...and on failure find the first mistake ourselves, else say what libxml2 said.
  xmlNodePtr root = xmlDocGetRootElement(layout->src.doc);
  xmlNodePtr start = NULL;
  for (xmlNodePtr n = xmlDocGetRootElement(grammar)->children; n && !start; n = n->next)
    if (is_grammar(n, "start"))
      for (xmlNodePtr c = n->children; c && !start; c = c->next)
        if (is_grammar(c, "element"))
          start = c;
  if (root && start && strcmp((const char *)root->name, "layout"))
    return ap_fail(diags, ap_source_loc(&layout->src, root, NULL),
                   "<%s> is not a layout: expected <layout version=\"1\"> as the outermost element",
                   (const char *)root->name);
  if (root && start && !explain(layout, root, start, diags))
    return false;
  ap_loc_t loc = first.node ? ap_source_loc(&layout->src, first.node, NULL) : ap_loc_file(layout->src.path);
  if (!first.node && first.line > 0)
    loc.line = first.line;
  return ap_fail(diags, loc, "does not match the layout schema: %s", first.set ? first.message : "invalid");
}

// Gather what a grammar pattern allows: child elements, attributes, text.
static void
collect(xmlNodePtr pattern, bool optional, allowed_t *allowed)
{
  for (xmlNodePtr c = pattern->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *kind = (const char *)c->name;
    if (!strcmp(kind, "element")) {
      if (allowed->nelems < MAX_NAMES)
        allowed->elems[allowed->nelems++] = c;
    } else if (!strcmp(kind, "attribute")) {
      if (allowed->nattrs < MAX_NAMES) {
        allowed->required[allowed->nattrs] = !optional;
        allowed->attrs[allowed->nattrs++] = c;
      }
    } else if (!strcmp(kind, "text")) {
      allowed->text = true;
    } else if (!strcmp(kind, "ref")) {
      xmlNodePtr d = define(grammar_name(c));
      if (d)
        collect(d, optional, allowed);
    } else if (!strcmp(kind, "optional") || !strcmp(kind, "zeroOrMore") || !strcmp(kind, "choice")) {
      collect(c, /*optional*/ true, allowed);
    } else if (!strcmp(kind, "oneOrMore") || !strcmp(kind, "group") || !strcmp(kind, "interleave")) {
      collect(c, optional, allowed);
    }
  }
}

// The grammar's <define name="name">, or NULL.
static xmlNodePtr
define(const char *name)
{
  for (xmlNodePtr n = xmlDocGetRootElement(grammar)->children; n && name; n = n->next)
    if (is_grammar(n, "define") && !strcmp(grammar_name(n), name))
      return n;
  return NULL;
}

// Words for what an attribute pattern accepts ("true or false", "a length such as 12pt").
static void
describe(xmlNodePtr pattern, const char *elem, const char *attr, char *buf, size_t size)
{
  static const char *const named[][2] = {
      {"length", "a length such as 12pt, 20mm or 1.5cm"},
      {"percent", "a percentage such as 40%"},
      {"color", "a colour such as #1F3864"},
  };
  char parts[16][96]; // Descriptions of the alternatives
  int nparts = 0;

  buf[0] = '\0';
  if (elem && attr && !strcmp(elem, "page") && !strcmp(attr, "size")) {
    snprintf(buf, size, "A4, A5, A3, Letter or a size such as 210x297mm");
    return;
  }

  // Gather the alternatives (values, named types, data types)...
  xmlNodePtr stack[32];
  int depth = 0;
  for (xmlNodePtr c = pattern->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && depth < 32)
      stack[depth++] = c;
  while (depth > 0 && nparts < 16) {
    xmlNodePtr p = stack[--depth];
    const char *kind = (const char *)p->name;
    const char *text = NULL;
    char own[96];
    if (!strcmp(kind, "value")) {
      xmlChar *v = xmlNodeGetContent(p); // NULL without memory: an empty value named
      snprintf(own, sizeof(own), "%s", v ? (const char *)v : "");
      xmlFree(v);
      text = own;
    } else if (!strcmp(kind, "ref")) {
      for (size_t i = 0; i < sizeof(named) / sizeof(named[0]) && !text; i++)
        if (!strcmp(grammar_name(p), named[i][0]))
          text = named[i][1];
      xmlNodePtr d = text ? NULL : define(grammar_name(p));
      for (xmlNodePtr c = d ? d->last : NULL; c; c = c->prev) // Reversed: the stack pops in order
        if (c->type == XML_ELEMENT_NODE && depth < 32)
          stack[depth++] = c;
    } else if (!strcmp(kind, "choice")) {
      for (xmlNodePtr c = p->last; c; c = c->prev)
        if (c->type == XML_ELEMENT_NODE && depth < 32)
          stack[depth++] = c;
    } else if (!strcmp(kind, "data")) {
      xmlChar *type = xmlGetProp(p, (const xmlChar *)"type");
      xmlChar *lo = NULL, *hi = NULL;
      for (xmlNodePtr c = p->children; c; c = c->next) {
        xmlChar *pn = is_grammar(c, "param") ? xmlGetProp(c, (const xmlChar *)"name") : NULL;
        if (pn && !strcmp((const char *)pn, "minInclusive"))
          lo = xmlNodeGetContent(c);
        else if (pn && !strcmp((const char *)pn, "maxInclusive"))
          hi = xmlNodeGetContent(c);
        xmlFree(pn);
      }
      if (type && !strcmp((const char *)type, "integer") && lo && hi)
        snprintf(own, sizeof(own), "a whole number from %s to %s", (const char *)lo, (const char *)hi);
      else if (type && !strcmp((const char *)type, "integer"))
        snprintf(own, sizeof(own), "a whole number");
      else
        snprintf(own, sizeof(own), "text of the right form");
      xmlFree(type);
      xmlFree(lo);
      xmlFree(hi);
      text = own;
    }
    if (text)
      snprintf(parts[nparts++], sizeof(parts[0]), "%s", text);
  }

  // ...and join them: "a, b or c".
  for (int i = 0; i < nparts; i++) {
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", i == 0 ? "" : i == nparts - 1 ? " or " : ", ", parts[i]);
  }
  if (!nparts)
    snprintf(buf, size, "a valid value");
}

// Walk one layout element against its grammar <element>: its attributes,
// then its children in order. Records the first mistake and returns false.
static bool
explain(ap_layout_t *layout, xmlNodePtr node, xmlNodePtr def, ap_diags_t *diags)
{
  allowed_t allowed = {0};
  const char *name = (const char *)node->name;
  char expected[512], names[512] = "";

  collect(def, /*optional*/ false, &allowed);
  for (int i = 0; i < allowed.nattrs; i++) {
    size_t len = strlen(names);
    snprintf(names + len, sizeof(names) - len, "%s%s", i ? ", " : "", grammar_name(allowed.attrs[i]));
  }

  // Attributes: known, with a value of the right form...
  for (xmlAttrPtr a = node->properties; a; a = a->next) {
    const char *aname = (const char *)a->name;
    xmlNodePtr adef = NULL;
    for (int i = 0; i < allowed.nattrs && !adef; i++)
      if (!strcmp(grammar_name(allowed.attrs[i]), aname))
        adef = allowed.attrs[i];
    if (!adef) {
      const char *list[MAX_NAMES];
      for (int i = 0; i < allowed.nattrs; i++)
        list[i] = grammar_name(allowed.attrs[i]);
      nearest_name(aname, list, allowed.nattrs, expected, sizeof(expected));
      if (expected[0])
        return ap_fail(diags, ap_source_loc(&layout->src, node, aname),
                       "<%s> has no attribute %s=: did you mean %s=?", name, aname, expected);
      if (!names[0])
        return ap_fail(diags, ap_source_loc(&layout->src, node, aname),
                       "<%s> has no attribute %s=: it takes none", name, aname);
      return ap_fail(diags, ap_source_loc(&layout->src, node, aname),
                     "<%s> has no attribute %s=: expected one of %s", name, aname, names);
    }
    xmlChar *value = xmlNodeGetContent((xmlNodePtr)a);
    if (!value)
      return ap_fail(diags, ap_source_loc(&layout->src, node, aname), "out of memory");
    bool ok = value_matches(adef, (const char *)value);
    if (!ok) {
      describe(adef, name, aname, expected, sizeof(expected));
      ap_fail(diags, ap_source_loc(&layout->src, node, aname), "%s=\"%s\": expected %s", aname,
              (const char *)value, expected);
    }
    xmlFree(value);
    if (!ok)
      return false;
  }

  // ...none missing...
  for (int i = 0; i < allowed.nattrs; i++) {
    const char *aname = grammar_name(allowed.attrs[i]);
    if (allowed.required[i] && !xmlHasProp(node, (const xmlChar *)aname)) {
      describe(allowed.attrs[i], name, aname, expected, sizeof(expected));
      if (!strcmp(expected, "a valid value"))
        return ap_fail(diags, ap_source_loc(&layout->src, node, NULL), "<%s> needs the attribute %s=", name,
                       aname);
      return ap_fail(diags, ap_source_loc(&layout->src, node, NULL), "<%s> needs the attribute %s= (%s)",
                     name, aname, expected);
    }
  }

  // Children: text only where allowed, elements that belong here...
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && !allowed.text && !xmlIsBlankNode(c)) {
      ap_loc_t loc = ap_source_loc(&layout->src, node, NULL);
      return ap_fail(diags, loc, "<%s> holds no text: put the text in a <p> or another text element", name);
    }
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *cname = (const char *)c->name;
    xmlNodePtr cdef = NULL;
    for (int i = 0; i < allowed.nelems && !cdef; i++)
      if (!strcmp(grammar_name(allowed.elems[i]), cname))
        cdef = allowed.elems[i];
    if (!cdef && !known_element(cname)) {
      const char *list[256];
      int n = element_names(list, 256);
      nearest_name(cname, list, n, expected, sizeof(expected));
      if (expected[0])
        return ap_fail(diags, ap_source_loc(&layout->src, c, NULL),
                       "unknown element <%s>: did you mean <%s>?", cname, expected);
      return ap_fail(diags, ap_source_loc(&layout->src, c, NULL),
                     "unknown element <%s>: the layout language has no such element", cname);
    }
    if (!cdef) {
      names[0] = '\0';
      for (int i = 0; i < allowed.nelems; i++) {
        char tag[80];
        size_t len = strlen(names);
        snprintf(tag, sizeof(tag), "<%s>", grammar_name(allowed.elems[i]));
        if (!strstr(names, tag)) // Once each (for-each and if appear in two patterns)
          snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "", tag);
      }
      if (!names[0])
        return ap_fail(diags, ap_source_loc(&layout->src, c, NULL),
                       "<%s> is not allowed inside <%s>: it holds no elements", cname, name);
      return ap_fail(diags, ap_source_loc(&layout->src, c, NULL),
                     "<%s> is not allowed inside <%s>: expected one of %s", cname, name, names);
    }
    if (!explain(layout, c, cdef, diags))
      return false;
  }
  return true;
}

// The name= of a grammar node ("" when absent); lives as long as the grammar.
static const char *
grammar_name(xmlNodePtr pattern)
{
  for (xmlAttrPtr a = pattern ? pattern->properties : NULL; a; a = a->next)
    if (!strcmp((const char *)a->name, "name") && a->children && a->children->content)
      return (const char *)a->children->content;
  return "";
}

// Whether node is the grammar element `name`.
static bool
is_grammar(xmlNodePtr node, const char *name)
{
  return node && node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

// Keep libxml2's first RELAX NG complaint.
static void
keep_first_error(void *data, xmlErrorPtr err)
{
  first_error_t *first = data;

  if (first->set || !err)
    return;
  first->set = true;
  first->node = err->node;
  first->line = err->line;
  snprintf(first->message, sizeof(first->message), "%s", err->message ? err->message : "invalid");
  size_t n = strlen(first->message);
  while (n > 0 && first->message[n - 1] == '\n')
    first->message[--n] = '\0';
}

// Every element name of the grammar, in order (with repeats); returns the count.
static int
element_names(const char **list, int max)
{
  int n = 0;

  for (xmlNodePtr e = xmlDocGetRootElement(grammar); e && n < max;) {
    if (is_grammar(e, "element"))
      list[n++] = grammar_name(e);
    // Depth-first: children, then siblings, then up...
    if (e->children)
      e = e->children;
    else {
      while (e && !e->next)
        e = e->parent && e->parent->type == XML_ELEMENT_NODE ? e->parent : NULL;
      e = e ? e->next : NULL;
    }
  }
  return n;
}

// Whether the grammar has an element of that name anywhere.
static bool
known_element(const char *name)
{
  const char *list[256];
  int n = element_names(list, 256);

  for (int i = 0; i < n; i++)
    if (!strcmp(list[i], name))
      return true;
  return false;
}

// The name closest to `name` (at most 2 edits, or a third of its length) or "".
static void
nearest_name(const char *name, const char *const *names, int n, char *buf, size_t size)
{
  size_t len = strlen(name);
  int best = (int)(len / 3 > 2 ? len / 3 : 2) + 1;

  buf[0] = '\0';
  if (len >= 64)
    return;
  for (int k = 0; k < n; k++) {
    size_t m = strlen(names[k]);
    if (m >= 64)
      continue;

    // Levenshtein distance, one row at a time...
    int row[65], prev;
    for (size_t j = 0; j <= m; j++)
      row[j] = (int)j;
    for (size_t i = 1; i <= len; i++) {
      prev = row[0];
      row[0] = (int)i;
      for (size_t j = 1; j <= m; j++) {
        int cost = name[i - 1] == names[k][j - 1] ? 0 : 1;
        int v = prev + cost;
        if (row[j] + 1 < v)
          v = row[j] + 1;
        if (row[j - 1] + 1 < v)
          v = row[j - 1] + 1;
        prev = row[j];
        row[j] = v;
      }
    }
    if (row[m] < best) {
      best = row[m];
      snprintf(buf, size, "%s", names[k]);
    }
  }
}

// Whether an attribute value matches the attribute's pattern (any text when it has none).
static bool
value_matches(xmlNodePtr pattern, const char *value)
{
  bool any = true; // No constraint seen yet

  for (xmlNodePtr p = pattern->children; p; p = p->next) {
    if (p->type != XML_ELEMENT_NODE)
      continue;
    const char *kind = (const char *)p->name;
    any = false;
    if (!strcmp(kind, "text"))
      return true;
    if (!strcmp(kind, "value")) {
      xmlChar *v = xmlNodeGetContent(p); // NULL without memory: no match
      bool same = v && !strcmp((const char *)v, value);
      xmlFree(v);
      if (same)
        return true;
    } else if (!strcmp(kind, "choice") || !strcmp(kind, "define")) {
      if (value_matches(p, value))
        return true;
    } else if (!strcmp(kind, "ref")) {
      xmlNodePtr d = define(grammar_name(p));
      if (!d || value_matches(d, value))
        return true;
    } else if (!strcmp(kind, "data")) {
      xmlChar *type = xmlGetProp(p, (const xmlChar *)"type");
      bool ok = true;
      for (xmlNodePtr c = p->children; c && ok; c = c->next) {
        xmlChar *pn = is_grammar(c, "param") ? xmlGetProp(c, (const xmlChar *)"name") : NULL;
        xmlChar *pv = pn ? xmlNodeGetContent(c) : NULL; // NULL without memory: the facet not checked
        if (pv && !strcmp((const char *)pn, "pattern")) {
          xmlRegexpPtr re = xmlRegexpCompile(pv);
          ok = !re || xmlRegexpExec(re, (const xmlChar *)value) == 1;
          xmlRegFreeRegexp(re);
        } else if (pv && !strcmp((const char *)pn, "minInclusive"))
          ok = atol(value) >= atol((const char *)pv);
        else if (pv && !strcmp((const char *)pn, "maxInclusive"))
          ok = atol(value) <= atol((const char *)pv);
        xmlFree(pn);
        xmlFree(pv);
      }
      if (ok && type && !strcmp((const char *)type, "integer")) {
        char *end;
        strtol(value, &end, 10);
        ok = *value && !*end;
      }
      xmlFree(type);
      if (ok)
        return true;
    }
  }
  return any;
}

// The cache's name for "this layout passes this schema": SHA-256 of the
// schema's SHA-256 (taken at build time: cmake/embed.cmake), the libxml2
// version and the layout's bytes. False when the text is not at hand (then
// the layout is always validated).
static bool
validity_key(const ap_layout_t *layout, char hex[AP_SHA256_HEX])
{
  static const char what[] = "anpham: a layout valid against the schema, libxml2 " LIBXML_DOTTED_VERSION "\n";
  const void *parts[] = {what, ap_layout_schema_sha256, layout->src.text};
  size_t sizes[] = {sizeof(what) - 1, strlen(ap_layout_schema_sha256), layout->src.size};
  unsigned char digest[AP_SHA256_SIZE];

  if (!layout->src.text || !ap_sha256_parts(parts, sizes, 3, digest))
    return false;
  ap_sha256_hex(digest, hex);
  return true;
}
