// The warnings of a bind that went well but read the data wrongly: what the
// expressions gave is noted as they are evaluated, and once every row is
// bound, the bind warns of (docs/command-line.md, "Warnings"):
//   - a <content select> or <value select> evaluated and never selecting a
//     node (a name mistyped: the text silently missing);
//   - a layout that reads the data, rendered without --data;
//   - data of which the layout selects no node (the wrong data file);
//   - a <template> that no <apply> instantiated, though the data holds
//     elements it matches (a template for elements this data lacks is
//     the layout's for other data: not warned of).
// Content guarded by <if>, or under a <for-each> that selects nothing, is
// not evaluated, so it is never warned of.
#include "bind-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_EXPR 48 // Longest expression quoted whole in a warning (bytes)

static ap_use_t *find_use(ap_reads_t *r, xmlNodePtr elem);
static bool holds_element(xmlDocPtr doc, const char *name);
static void warn_contents(ap_binder_t *b);
static void warn_data(ap_binder_t *b);
static void warn_templates(ap_binder_t *b);

//
// 'ap_bind_note_content()' - Note what a content element's select= gave.
//

void
ap_bind_note_content(ap_binder_t *b, xmlNodePtr elem, xmlXPathObjectPtr obj)
{
  ap_use_t *u = find_use(&b->reads, elem);

  if (!u)
    return; // Out of memory: one warning less
  if (!u->elem) {
    u->elem = elem;
    u->loc = ap_bind_loc(b, elem, "select");
    b->reads.nuses++;
  }
  if (obj->type != XPATH_NODESET || (obj->nodesetval && obj->nodesetval->nodeNr > 0))
    u->matched = true; // (a string, a number, a count: not a selection that can miss)
}

//
// 'ap_bind_note_result()' - Note what an expression gave.
//

void
ap_bind_note_result(ap_binder_t *b, const char *expr, xmlXPathObjectPtr obj, ap_loc_t loc)
{
  ap_reads_t *r = &b->reads;

  if (obj->type != XPATH_NODESET)
    return;
  if (!r->data) {
    r->data = true;
    r->data_loc = loc;
    size_t n = strlen(expr);
    if (n > SHOWN_EXPR) { // Cut between UTF-8 characters
      n = SHOWN_EXPR - 3;
      while (n > 0 && ((unsigned char)expr[n] & 0xC0) == 0x80)
        n--;
    }
    snprintf(r->data_expr, sizeof(r->data_expr), "%.*s%s", (int)n, expr, n < strlen(expr) ? "..." : "");
  }
  for (int i = 0; !r->selected && obj->nodesetval && i < obj->nodesetval->nodeNr; i++)
    r->selected = obj->nodesetval->nodeTab[i]->type != XML_DOCUMENT_NODE;
}

//
// 'ap_bind_warn()' - Warn of what the bind read wrongly; free the notes.
//
// Only after a bind without errors (an error is what the run reports).
//

void
ap_bind_warn(ap_binder_t *b)
{
  if (b->diags->errors == 0) {
    warn_data(b);
    if (b->data_src && b->reads.selected) {
      warn_contents(b);
      warn_templates(b);
    }
  }
  free(b->reads.uses);
  memset(&b->reads, 0, sizeof(b->reads));
}

// The slot of a content element (its own, or the free one where it goes);
// NULL when out of memory.
static ap_use_t *
find_use(ap_reads_t *r, xmlNodePtr elem)
{
  // Room for one more (at most half the slots taken)...
  if (r->nuses * 2 + 2 > r->room) {
    size_t room = r->room ? r->room * 2 : 64;
    ap_use_t *grown = calloc(room, sizeof(*grown));
    if (!grown)
      return NULL;
    for (size_t i = 0; i < r->room; i++)
      if (r->uses[i].elem) {
        size_t j = ((uintptr_t)r->uses[i].elem >> 4) & (room - 1);
        while (grown[j].elem)
          j = (j + 1) & (room - 1);
        grown[j] = r->uses[i];
      }
    free(r->uses);
    r->uses = grown;
    r->room = room;
  }
  size_t j = ((uintptr_t)elem >> 4) & (r->room - 1);
  while (r->uses[j].elem && r->uses[j].elem != elem)
    j = (j + 1) & (r->room - 1);
  return &r->uses[j];
}

// A content element evaluated, never selecting a node, in document order
// of the layout (by place).
static void
warn_contents(ap_binder_t *b)
{
  ap_reads_t *r = &b->reads;

  for (;;) {
    ap_use_t *first = NULL; // The earliest not yet warned of
    for (size_t i = 0; i < r->room; i++) {
      ap_use_t *u = &r->uses[i];
      if (!u->elem || u->matched)
        continue;
      if (!first || u->loc.line < first->loc.line ||
          (u->loc.line == first->loc.line && u->loc.col < first->loc.col))
        first = u;
    }
    if (!first)
      return;
    xmlChar *expr = xmlGetProp(first->elem, (const xmlChar *)"select");
    ap_warn(b->diags, first->loc, "<%s select=\"%s\"> selects nothing in the data wherever it is evaluated: its text "
            "is missing from the document", (const char *)first->elem->name, expr ? (const char *)expr : "");
    ap_diag_hint(b->diags, "check the names against the data file; content the data may lack goes inside "
                 "<if test=\"%s\">", expr ? (const char *)expr : "");
    xmlFree(expr);
    first->matched = true;
  }
}

// A layout that reads data, run without any; data of which nothing is selected.
static void
warn_data(ap_binder_t *b)
{
  ap_reads_t *r = &b->reads;

  if (!b->data_src && r->data && b->doc->rendering) {
    ap_warn(b->diags, r->data_loc, "the layout reads the data ('%s') but the run has no --data: every "
            "expression selects nothing", r->data_expr);
    ap_diag_hint(b->diags, "give the data file with --data DATA.xml");
  } else if (b->data_src && r->data && !r->selected) {
    xmlNodePtr root = xmlDocGetRootElement(b->data);
    ap_warn(b->diags, ap_source_loc(b->data_src, root, NULL), "the layout selects nothing in this data (root <%s>): "
            "no expression of it names an element of the file", root ? (const char *)root->name : "");
    ap_diag_hint(b->diags, "is it the data file of this layout? The layout's first select is '%s' at %s:%d",
                 r->data_expr, r->data_loc.file ? r->data_loc.file : "", r->data_loc.line);
  }
}

// A template that no <apply> instantiated, though the data holds an element it matches.
static void
warn_templates(ap_binder_t *b)
{
  for (int t = 0; t < b->layout->ntemplates && t < 64; t++) {
    if (b->reads.applied[t])
      continue;
    xmlChar *match = xmlGetProp(b->layout->templates[t], (const xmlChar *)"match");
    if (match && ap_packed_closed(b->packed))
      ap_packed_unpack(b->packed); // (its elements may be inside packed records; without memory, looked for in the rest)
    if (match && holds_element(b->data, (const char *)match)) {
      ap_warn(b->diags, ap_bind_loc(b, b->layout->templates[t], "match"),
              "<template match=\"%s\"> is never used: the data holds <%s> elements, but no <apply> selected one",
              (const char *)match, (const char *)match);
      ap_diag_hint(b->diags, "apply it where those elements belong (<apply select=\"%s\"/>), or remove it",
                   (const char *)match);
    }
    xmlFree(match);
  }
}

// The data holds an element of that name ("*": any element).
static bool
holds_element(xmlDocPtr doc, const char *name)
{
  bool any = !strcmp(name, "*");

  for (xmlNodePtr n = xmlDocGetRootElement(doc); n;) {
    if (n->type == XML_ELEMENT_NODE && (any || !strcmp((const char *)n->name, name)))
      return true;
    // Next in document order: the first child, else the next sibling of
    // the node or of its nearest ancestor that has one...
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n && !n->next)
      n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
    n = n ? n->next : NULL;
  }
  return false;
}
