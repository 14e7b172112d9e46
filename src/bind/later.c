// Blocks bound later: a long <for-each> of the body (a report of a hundred
// thousand paragraphs made from data, say) keeps only the data nodes it
// selected, a pointer each, and layout has each repetition's blocks bound
// (ap_later_t) into the arena of the page that takes them, which is freed
// once that page is written; bound all at once, the blocks would stay in
// the job's arena until the end. Only a for-each whose repetitions are the
// same whenever they are bound, and that nothing before layout needs to
// see, waits: at least AP_LATER_MIN nodes selected, none of them a
// namespace node (which lives only as long as the node set that selected
// it), and content made only of paragraphs, lists, spaces and rules with
// their inline content; no headings (numbered, outlined, in the table of
// contents), tables, images (checked before layout), page counts (the
// layout needs to know of them before it starts), footnotes of the layout
// (their number is limited, and a document past the limit must fail before
// it is laid out), templates or elements with an id, and not in a layout
// with a <form-signature> (which reads the body's last paragraph when it is
// bound). Data's footnotes that <content> copies are counted as a table's
// are: once, as they are bound.
#include "bind-private.h"

#include <stdlib.h>
#include <string.h>

#define AP_LATER_MIN 64 // Fewest repetitions worth binding later (fewer: all bound now)

// A for-each of the body whose repetitions are bound as layout reaches them.
typedef struct later_s {
  ap_later_t later;           // What layout sees (the first member: layout's pointer is this struct's)
  ap_binder_t *b;             // The binder (kept after ap_bind until ap_bind_release)
  xmlNodePtr each;            // The <for-each>
  xmlNodePtr *nodes;          // The data nodes it selected, in order (malloc'ed), later.count of them
  int counted;                // Repetitions bound once already: their XPath steps and footnotes are counted
  struct later_s *next;       // The bind's next such for-each
} later_t;

static ap_node_t *bind_later(ap_later_t *later, int i, ap_arena_t *arena);
static bool fits(xmlNodePtr e);

//
// 'ap_bind_later()' - Keep a for-each of the body to be bound as laid out.
//
// False when it does not wait (too short, content that must be bound now,
// out of memory): the caller binds it now. True: an AP_NODE_LATER node is
// appended to parent.
//

bool
ap_bind_later(ap_binder_t *b, xmlNodePtr each, xmlNodeSetPtr set, ap_node_t *parent)
{
  if (!set || set->nodeNr < AP_LATER_MIN || !fits(each))
    return false;
  if (!b->later_looked) { // The layout's form signature, looked for once
    b->later_forms = ap_bind_has_element(xmlDocGetRootElement(each->doc), "form-signature", NULL, NULL);
    b->later_looked = true;
  }
  if (b->later_forms)
    return false;
  for (int i = 0; i < set->nodeNr; i++)
    if (set->nodeTab[i]->type == XML_NAMESPACE_DECL)
      return false;

  later_t *l = AP_NEW(b->lasting, later_t);
  if (!(l->nodes = malloc(sizeof(xmlNodePtr) * (size_t)set->nodeNr)))
    return false;
  memcpy(l->nodes, set->nodeTab, sizeof(xmlNodePtr) * (size_t)set->nodeNr);
  l->later.count = set->nodeNr;
  l->later.bind = bind_later;
  l->b = b;
  l->each = each;
  l->next = b->later;
  b->later = l;
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_LATER, ap_bind_loc(b, each, NULL));
  node->later = &l->later;
  ap_node_append(parent, node);
  return true;
}

//
// 'ap_bind_later_release()' - Forget the data nodes kept to be bound later.
//

void
ap_bind_later_release(ap_binder_t *b)
{
  for (later_t *l = b->later; l; l = l->next) {
    free(l->nodes);
    l->nodes = NULL;
    l->later.count = 0;
  }
  b->later = NULL;
}

// Bind repetition i into arena, in a column node of its own. Bound again
// (another pass), a repetition is the same (ap_bind_reached_begin).
static ap_node_t *
bind_later(ap_later_t *later, int i, ap_arena_t *arena)
{
  later_t *l = (later_t *)later;
  ap_binder_t *b = l->b;
  ap_reached_t saved = ap_bind_reached_begin(b, arena, i < l->counted);

  ap_node_t *blocks = ap_node_new(arena, AP_NODE_COLUMN, ap_bind_loc(b, l->each, NULL));
  size_t scope = ap_bind_scope_begin(b);
  bool ok = ap_bind_blocks(b, l->each->children, l->nodes[i], blocks);
  ap_bind_scope_end(b, scope);
  ap_bind_reached_end(b, saved);
  if (i >= l->counted)
    l->counted = i + 1;
  return ok ? blocks : NULL;
}

//
// 'ap_bind_reached_begin()' - Bind what layout reached into its arena.
//

ap_reached_t                                   // O - What ap_bind_reached_end puts back
ap_bind_reached_begin(ap_binder_t *b,          // I - Binder
                      ap_arena_t *arena,       // I - Where the nodes go
                      bool again)              // I - It was bound before (its counts are in)
{
  ap_reached_t saved = {b->arena, b->xpath_steps, b->footnotes, again};

  if (again)
    b->xpath_steps = 0; // (the budget of one)
  b->arena = arena;
  return saved;
}

//
// 'ap_bind_reached_end()' - Back to the binder's arena (and counts).
//

void
ap_bind_reached_end(ap_binder_t *b,            // I - Binder
                    ap_reached_t saved)        // I - What ap_bind_reached_begin saved
{
  b->arena = saved.arena;
  if (saved.again) {
    b->xpath_steps = saved.xpath_steps;
    b->footnotes = saved.footnotes;
  }
}

// Whether the content of e (the for-each) is made only of what may be bound
// later: the elements below, none with an id.
static bool
fits(xmlNodePtr e)
{
  static const char *const allowed[] = {
      "p", "list", "item", "space", "rule", "for-each", "if",                           // Blocks, control
      "b", "i", "u", "sup", "link", "span", "br", "page-number", "value", "content"};       // Inline

  for (xmlNodePtr c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    bool known = false;
    for (size_t i = 0; !known && i < sizeof(allowed) / sizeof(allowed[0]); i++)
      known = !strcmp((const char *)c->name, allowed[i]);
    if (!known || xmlHasProp(c, (const xmlChar *)"id") || !fits(c))
      return false;
  }
  return true;
}
