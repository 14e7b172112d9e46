// Document tree nodes: creation, look-up and a text dump for tests.
#include "tree.h"

#include <string.h>

//
// 'ap_doc_find_deck()' - Deck by name.
//

const ap_deck_t *
ap_doc_find_deck(const ap_doc_t *doc, const char *name)
{
  for (const ap_deck_t *d = doc->decks; d; d = d->next)
    if (!strcmp(d->name, name))
      return d;
  return NULL;
}

//
// 'ap_doc_find_style()' - Style by name.
//

const ap_style_t *
ap_doc_find_style(const ap_doc_t *doc, const char *name)
{
  for (const ap_style_t *s = doc->styles; s; s = s->next)
    if (!strcmp(s->name, name))
      return s;
  return NULL;
}

//
// 'ap_node_append()' - Append a child.
//

void
ap_node_append(ap_node_t *parent, ap_node_t *child)
{
  if (parent->last)
    parent->last->next = child;
  else
    parent->children = child;
  parent->last = child;
}

//
// 'ap_node_dump()' - Write a subtree as indented text.
//

void
ap_node_dump(const ap_node_t *node, FILE *out, int depth)
{
  for (; node; node = node->next) {
    fprintf(out, "%*s%s", depth * 2, "", ap_node_kind_name(node->kind));
    if (node->style)
      fprintf(out, " style=%s", node->style->name);
    if (node->label)
      fprintf(out, " label=\"%s\"", node->label);
    if (node->level)
      fprintf(out, " level=%d", node->level);
    if (node->bold || node->italic || node->underline || node->sup)
      fprintf(out, " %s%s%s%s", node->bold ? "b" : "", node->italic ? "i" : "",
              node->underline ? "u" : "", node->sup ? "^" : "");
    if (node->text)
      fprintf(out, " \"%s\"", node->text);
    fputc('\n', out);
    ap_node_dump(node->children, out, depth + 1);
  }
}

//
// 'ap_node_kind_name()' - Name of a node kind.
//

const char *
ap_node_kind_name(ap_node_kind_t kind)
{
  static const char *const names[] = {
      "para", "heading", "list", "item", "columns", "column", "space", "rule", "pagebreak",
      "image", "toc", "slide", "frame", "shape", "grid", "chart", "point", "slides", "handout",
      "table", "row", "cell", "sigfield", "later",
      "text", "footnote", "pagenum", "pagecount", "break"};
  return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

//
// 'ap_node_new()' - New node owned by the arena.
//

ap_node_t *
ap_node_new(ap_arena_t *arena, ap_node_kind_t kind, ap_loc_t loc)
{
  ap_node_t *n = AP_NEW(arena, ap_node_t);
  n->kind = kind;
  n->loc = loc;
  return n;
}
