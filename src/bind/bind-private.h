// Inside bind/ only: the binder's state shared by blocks.c and inlines.c.
#ifndef AP_BIND_PRIVATE_H
#define AP_BIND_PRIVATE_H

#include <libxml/xpath.h>
#include <stdint.h>

#include "../base/number.h"
#include "../parse/parse-xml.h"
#include "bind.h"

#define AP_BIND_PLACES 128 // Places of layout elements a binder remembers (places.c)

// A place of a layout element (or attribute) remembered (places.c).
typedef struct ap_place_s {
  xmlNodePtr elem;          // The element (NULL: the slot is free)
  bool has_attr;            // An attribute's place
  char attr[23];            // Its name
  ap_loc_t loc;             // The place
} ap_place_t;

// An XPath expression compiled (xpath.c).
typedef struct ap_compiled_s {
  char *expr;               // The expression (malloc'ed; NULL: the slot is free)
  uint32_t hash;            // Its hash
  xmlXPathCompExprPtr comp; // Compiled
  signed char reach;        // How far it reads into packed records (ap_reach_t), -1: not known yet
} ap_compiled_t;

// What a content element (<content select>, <value select>) of the layout
// selected over a bind (warnings.c).
typedef struct ap_use_s {
  xmlNodePtr elem;          // The element (NULL: the slot is free)
  bool matched;             // Some evaluation selected a node (or gave no node set)
  ap_loc_t loc;             // Its select= (the first evaluation's place)
} ap_use_t;

// What a bind read of the data, for the warnings of a run (warnings.c).
typedef struct ap_reads_s {
  bool data;                // Some expression gave a node set (it reads the data)
  ap_loc_t data_loc;        // The first such expression's place
  char data_expr[64];       // Its text (shortened)
  bool selected;            // Some node set held a node of the data (not the document node alone)
  ap_use_t *uses;           // Content elements seen (open addressing, malloc'ed)
  size_t room, nuses;       // Its slots (a power of two), and how many are taken
  bool applied[64];         // Each of layout->templates was instantiated by <apply>
} ap_reads_t;

typedef struct ap_binder_s {
  ap_layout_t *layout;      // Layout being bound
  ap_doc_t *doc;            // Its document
  xmlDocPtr data;           // Data document (an empty one when none was given)
  const ap_source_t *data_src; // The data file, for the places of data nodes (NULL when none)
  ap_packed_t *packed;      // Its records kept as text (parse/packed.c), or NULL
  xmlNodePtr *opened;       // Records opened by evaluations, newest last (closed at the end of their scope)
  size_t nopened, opened_room; // How many; room for
  xmlXPathContextPtr xpath; // XPath context on the data
  ap_arena_t *arena;        // Where nodes go: the job's arena (a row bound as layout reaches it: the row's)
  ap_arena_t *lasting;      // The job's arena: what boxes point at after a row is gone (links, languages)
  ap_diags_t *diags;        // Where errors go
  int counters[7];          // Heading counters per level 1..6
  int headings;             // Headings made so far (for destination names)
  char xpath_error[512];    // Message of the last XPath error
  int xpath_code;           // Its libxml2 code (XML_XPATH_...), 0 when none
  int xpath_pos;            // Where in the expression it is (a byte offset), -1 when not known
  unsigned long xpath_steps; // Steps taken by all XPath evaluations so far
  unsigned long xpath_run_steps; // Steps they may take in all (AP_XPATH_RUN_STEPS or more for large data)
  int depth;                // Template nesting (guards against endless recursion)
  int table_rows;           // Body rows of the table being bound so far (<row-number/>)
  int footnotes;            // Footnotes bound so far (limit AP_MAX_FOOTNOTES)
  const ap_cell_t *plain_cell; // The spec shared by cells without attributes (in lasting)
  bool in_flow;             // The block being bound is one of the body's (a table there binds its rows as laid out)
  struct lazy_rows_s *lazy; // Tables binding their rows as layout reaches them (tables.c), NULL = none
  struct later_s *later;    // For-eachs of the body bound as layout reaches them (later.c), NULL = none
  bool later_looked, later_forms; // The layout was searched for a <form-signature>; it has one (later.c)
  ap_place_t places[AP_BIND_PLACES]; // Places of layout elements found so far (places.c)
  ap_compiled_t *compiled;  // Expressions compiled so far (xpath.c: open addressing, malloc'ed)
  size_t compiled_room, ncompiled; // Its slots (a power of two), and how many are taken
  ap_reads_t reads;         // What the bind read, for the warnings given when it is released
  struct ap_field_name_s *field_names; // Signature fields bound so far (sigfields.c), newest first
  bool repeated;            // Binding what may be drawn more than once (slides, headers, footers): no signature fields
} ap_binder_t;

// What ap_bind_each calls for each element that is not for-each or if.
typedef bool (*ap_bind_fn)(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
// Visit the elements from first on: <for-each> visits its children once per
// selected node (as context), <if> when its test holds; every other element
// goes to fn. The one place the control elements are understood.
bool ap_bind_each(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_bind_fn fn, void *arg);
// Is there an element of that name below e (any depth), with attr="value"
// when attr is given?
bool ap_bind_has_element(xmlNodePtr e, const char *name, const char *attr, const char *value);
// The test= of an <if> (as an XPath boolean); false + diagnostic on error.
bool ap_bind_test(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, bool *yes);
// Block elements from first on, at data node ctx, into parent.
bool ap_bind_blocks(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *parent);
// Number attribute (interpolated) read and checked against its range
// (base/number.h); absent leaves *value; false + diagnostic at the attribute.
bool ap_bind_number(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx, const ap_range_t *range,
                    double *value);
// Style named by an element's style attribute ("body" when absent); NULL + diagnostic when undeclared.
const ap_style_t *ap_bind_style(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx);
// Evaluate elem's attr to a node set (*obj to free after use); false + diagnostic otherwise.
bool ap_bind_select(ap_binder_t *b, xmlNodePtr elem, const char *attr, xmlNodePtr ctx, xmlNodeSetPtr *set,
                    xmlXPathObjectPtr *obj);
// A <table>: columns and rows; NULL on error. A table of the body (b->in_flow)
// keeps, for each row, its <row> and data node, and binds the row's cells
// only as layout reaches it (ap_rows_t), unless a cell counts the pages.
ap_node_t *ap_bind_table(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx);
// Forget the rows of the tables that bind them as layout reaches them (tables.c).
void ap_bind_tables_release(ap_binder_t *b);
// What layout binds as it reaches it (a table's row, a long for-each's
// repetition) goes into the arena layout gives, and may be bound again (a
// second pass, a table's columns measured first): bound again, its XPath
// steps and footnotes are counted once, and its expressions have the budget
// of one (which they kept the first time). ap_bind_reached_begin saves the
// binder's arena and counts and binds into arena; ap_bind_reached_end puts
// them back (the counts only when it was bound again).
typedef struct ap_reached_s {
  ap_arena_t *arena;        // The binder's arena before
  unsigned long xpath_steps; // Its XPath steps before
  int footnotes;            // Its footnotes before
  bool again;               // Bound before
} ap_reached_t;
ap_reached_t ap_bind_reached_begin(ap_binder_t *b, ap_arena_t *arena, bool again);
void ap_bind_reached_end(ap_binder_t *b, ap_reached_t saved);
// A <for-each> of the body whose nodes (set) are selected: kept to be bound
// as layout reaches it, as an AP_NODE_LATER node appended to parent, when it
// is long and its content may wait (later.c); false: bind it now.
bool ap_bind_later(ap_binder_t *b, xmlNodePtr each, xmlNodeSetPtr set, ap_node_t *parent);
// Forget the data nodes of the for-eachs kept to be bound later (later.c).
void ap_bind_later_release(ap_binder_t *b);
// s (in b->arena), or its copy in b->lasting when that is another arena: a
// link target or language that boxes keep pointing at.
const char *ap_bind_lasting(ap_binder_t *b, const char *s);
// A <deck>: its slides, bound now, kept in the document by name.
bool ap_bind_deck(ap_binder_t *b, xmlNodePtr deck, xmlNodePtr ctx);
// <slide>, <chart>, <slides> or <handout> met among the blocks; NULL on error.
ap_node_t *ap_bind_slide_block(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx);
// Inline content of a layout element into parent (TEXT, FOOTNOTE, BREAK, ...).
bool ap_bind_inlines(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx, ap_node_t *parent,
                     const ap_node_t *flags);
// What an XPath result holds, copied into parent as <content> does (a
// node's rich content, a string as text); flags NULL: no emphasis.
bool ap_bind_content(ap_binder_t *b, xmlXPathObjectPtr obj, ap_node_t *parent, const ap_node_t *flags,
                     ap_loc_t loc);
// The layout's own words (a form's "Số", "ngày", "Nơi nhận:") appended to
// parent as a text run marked as not the data's (set as a label run).
bool ap_bind_own_text(ap_binder_t *b, ap_node_t *parent, const char *text, ap_loc_t loc);
// The built-in forms' elements (forms.c): <form-header>, <form-title> and
// <form-signature>, expanded into paragraphs, columns, lists and spaces
// appended to parent; false (recorded) on error.
bool ap_bind_form_header(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent);
bool ap_bind_form_title(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent);
bool ap_bind_form_signature(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent);
// A signature field node named by an attribute of e (interpolated; unique
// in the document, no period), height points high, width 0 = the measure;
// NULL (recorded) on error.
ap_node_t *ap_bind_sigfield(ap_binder_t *b, xmlNodePtr e, const char *attr, xmlNodePtr ctx, double width,
                            double height);
// <signature-field name width height align>: a signature field in the flow.
ap_node_t *ap_bind_signature_field(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
// Printed data (printed.c): a <sic corr="…"> prints its correction. The
// correction of a data node (corr= of a <sic>), NULL otherwise; xmlFree it.
xmlChar *ap_bind_sic_corr(xmlNodePtr n);
// String value of an XPath result as printed (string(), <sic> as its correction); xmlFree it.
xmlChar *ap_bind_string(xmlXPathObjectPtr obj);
// Note what an expression evaluated at loc gave (the warnings of
// warnings.c): a node set reads the data, a node of it is selected.
void ap_bind_note_result(ap_binder_t *b, const char *expr, xmlXPathObjectPtr obj, ap_loc_t loc);
// Note what a content element's select= gave (<content>, <value>): one
// that never selects a node, though evaluated, is warned of.
void ap_bind_note_content(ap_binder_t *b, xmlNodePtr elem, xmlXPathObjectPtr obj);
// Give the warnings of what the bind read (once the rows bound as layout
// reaches them are bound too), and free what was noted for them.
void ap_bind_warn(ap_binder_t *b);
// Interpolate {xpath} in text against ctx; NULL (with a diagnostic at loc) on error.
char *ap_bind_interpolate(ap_binder_t *b, const char *text, xmlNodePtr ctx, ap_loc_t loc);
#define AP_XPATH_MAX_STEPS 10000000 // Steps one XPath evaluation may take (docs/limits.md)
#define AP_XPATH_RUN_STEPS 20000000   // Steps all XPath evaluations of a run may take together...
#define AP_XPATH_STEPS_PER_ELEMENT 200 // ...or this many per element of the data, when more
#define AP_XPATH_MAX_NESTING 500     // Nesting libxml2 allows in an expression (XPATH_MAX_RECURSION_DEPTH / 10)

// The XPath context of a bind on b->data: errors kept in b, never printed; NULL when out of memory.
xmlXPathContextPtr ap_bind_xpath_new(ap_binder_t *b);
// Free the binder's XPath context and the expressions it compiled.
void ap_bind_xpath_free(ap_binder_t *b);
// Evaluate an XPath expression against ctx within AP_XPATH_MAX_STEPS; NULL (with a diagnostic) on error.
// The nodes it gives are in the tree whole (a packed record among them open).
xmlXPathObjectPtr ap_bind_eval(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc);
// ap_bind_eval for nodes that are only contexts or tested (for-each, apply,
// if): packed records among them stay closed until read.
xmlXPathObjectPtr ap_bind_eval_nodes(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc);
// A scope of evaluations (a repetition of a for-each, a table row): the
// records they open are closed at its end.
size_t ap_bind_scope_begin(const ap_binder_t *b);
void ap_bind_scope_end(ap_binder_t *b, size_t mark);
// Every packed record into the tree for good (what reads inside them in
// ways reach.c cannot follow: templates); false (with a diagnostic) without memory.
bool ap_bind_unpack(ap_binder_t *b, ap_loc_t loc);
// How far an XPath expression may read into the records of the data that
// parse keeps packed (reach.c): not inside any; inside one only if its
// context node holds records (it reads that node as text); maybe inside.
typedef enum { AP_REACH_NONE, AP_REACH_CONTEXT, AP_REACH_RECORDS } ap_reach_t;
// The names reach compares steps with: the records' own, and those of the
// elements that hold records (NULL-terminated lists of local names).
typedef struct ap_reach_names_s {
  const char *const *records;
  const char *const *above;
} ap_reach_names_t;
// How far expr may read (reach.c: from its tokens, conservatively).
ap_reach_t ap_bind_reach(const char *expr, const ap_reach_names_t *names);
// Where a layout element (or one of its attributes: attr) stands, for
// messages: ap_source_loc's answer, remembered (places.c).
ap_loc_t ap_bind_loc(ap_binder_t *b, xmlNodePtr elem, const char *attr);
// Attribute of a layout element, interpolated; NULL when absent or on error (check diags).
char *ap_bind_attr(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx);
// Capitals of a text (Vietnamese letters included), in the arena.
char *ap_bind_uppercase(ap_arena_t *arena, const char *s);
// The language of an element's text (its lang=, checked) into flags->lang;
// false on a bad tag (recorded).
bool ap_bind_lang(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx, ap_node_t *flags);
// Tidy the spaces of a paragraph's text runs: no double spaces across runs,
// none at the start or end; capitals when the style asks.
void ap_bind_tidy(ap_binder_t *b, ap_node_t *para);

// The layout alone is checked (check without --data): what only the data
// gives (a form's fields, a field name, the text end= closes) is not judged.
static inline bool
ap_bind_layout_alone(const ap_binder_t *b)
{
  return !b->data_src && !b->doc->rendering;
}

#endif
