// Data files that inherit from a base data file (docs/data.md):
//   <edition xmlns:d="urn:anpham:data" d:base="../hau-giang-2024.xml">.
// The chain of bases is loaded (each read only inside the run's folders and
// noted as an input of the run, at most 7, no cycles), then each file is
// applied to its base's merged document, the deepest first: a top-level
// element with id= replaces the base's element of that id, <d:add> inserts
// elements (after=, before=, into= an id, or at the end of the root),
// <d:remove ref=> removes one, and the root's attributes are set on the
// base's root. Every element brought in is marked with the file it came
// from (ap_data_origin()), so that a later error names that file and line.
#include "parse-private.h"

#include <libxml/hash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DATA_NS "urn:anpham:data" // Namespace of d:base, <d:add> and <d:remove>
#define MAX_BASES 7               // Bases in one chain, below the data file that names the first

// The elements of the merged document that carry one id.
typedef struct id_entry_s {
  int count;       // How many elements carry it
  xmlNodePtr node; // The element when count is 1 (NULL: not looked up yet)
} id_entry_t;

// Where <d:add> puts its elements, relative to the element it names.
typedef enum place_e {
  PLACE_AFTER,  // after="ID": its next siblings
  PLACE_BEFORE, // before="ID": its previous siblings
  PLACE_INTO    // into="ID" (or no attribute: the root): its last children
} place_t;

// One inheriting file being applied to its base's merged document.
typedef struct merger_s {
  ap_source_t *src;    // The inheriting file (its own document in src->doc)
  xmlDocPtr doc;       // The base's merged document (src->base->doc), being changed
  xmlHashTablePtr ids; // id -> id_entry_t, over doc
  ap_diags_t *diags;   // Where errors go
} merger_t;

static bool add(merger_t *m, xmlNodePtr op);
static xmlNodePtr blank_before(xmlNodePtr node);
static bool check_names(merger_t *m, xmlNodePtr root, xmlNodePtr node);
static xmlNodePtr copy_in(merger_t *m, xmlNodePtr node);
static xmlAttrPtr data_attr(xmlNodePtr elem, const char *name);
static void find_elements(xmlNodePtr node, const xmlChar *id, xmlNodePtr *found, int max, int *n);
static void free_entry(void *payload, const xmlChar *name);
static bool in_data_ns(const xmlNs *ns);
static void index_ids(merger_t *m, xmlNodePtr node, int delta);
static bool load_chain(ap_source_t *src, ap_files_t *files, ap_diags_t *diags);
static bool lookup(merger_t *m, xmlNodePtr op, const char *attr, const xmlChar *id, const char *hint,
                   xmlNodePtr *found);
static bool merge(ap_source_t *src, ap_diags_t *diags);
static const char *qname(const xmlNode *node, char *buf, size_t size);
static bool remove_element(merger_t *m, xmlNodePtr op);
static bool replace(merger_t *m, xmlNodePtr elem);
static bool same_root(merger_t *m, xmlNodePtr root, xmlNodePtr base_root);
static bool set_root_attributes(merger_t *m, xmlNodePtr root, xmlNodePtr base_root);

//
// 'ap_data_inherit()' - Load the bases of a data file and merge them with it.
//
// Does nothing to a file whose root has no d:base. Otherwise the bases are
// read (relative to the file naming each), then merged from the deepest up:
// src->doc becomes the merged document and src->base the chain of bases,
// whose documents are given up (NULL) but whose texts stay for locations.
//

bool
ap_data_inherit(ap_source_t *src, ap_files_t *files, ap_diags_t *diags)
{
  ap_source_t *chain[MAX_BASES + 1]; // The inheriting files, the one named first
  int n = 0;

  if (!load_chain(src, files, diags))
    return false;
  if (!src->base)
    return true;

  // Everything of the deepest base is placed in it (its root carries the
  // mark, its other elements are found through it)...
  ap_source_t *s = src;
  for (; s->base; s = s->base)
    chain[n++] = s;
  xmlDocGetRootElement(s->doc)->_private = s;

  // ...then each inheriting file is applied to what lies below it.
  while (n > 0)
    if (!merge(chain[--n], diags))
      return false;
  return true;
}

//
// 'ap_data_origin()' - The file a node of a merged data document came from.
//
// The mark of the attribute attr (set from an inheriting root), else of the
// nearest element that carries one; NULL when no mark is found (a document
// that was never merged).
//

const ap_source_t *
ap_data_origin(const xmlNode *node, const char *attr)
{
  if (attr && node->type == XML_ELEMENT_NODE) {
    xmlAttrPtr a = xmlHasNsProp(node, (const xmlChar *)attr, NULL);
    if (a && a->_private)
      return a->_private;
  }
  for (; node && node->type == XML_ELEMENT_NODE; node = node->parent)
    if (node->_private)
      return node->_private;
  return NULL;
}

// <d:add [after|before|into="ID"]>: copies of its element children, at
// their place relative to the element ID (at the end of the root without one).
static bool
add(merger_t *m, xmlNodePtr op)
{
  static const char *const names[] = {"after", "before", "into"}; // Indexed by place_t
  const char *given = NULL; // The attribute naming the element, or NULL
  place_t place = PLACE_INTO;
  char name[128];

  // One of after=, before=, into=, and nothing else...
  for (xmlAttrPtr a = op->properties; a; a = a->next) {
    int i = 0;
    while (i < 3 && (a->ns || strcmp((const char *)a->name, names[i])))
      i++;
    qname((xmlNodePtr)a, name, sizeof(name));
    if (i == 3)
      return ap_fail(m->diags, ap_source_loc(m->src, op, name), "%s= is not an attribute of <d:add>: expected "
                     "after=, before= or into= (the id of an element of the base), or none (at the end of the root)",
                     name);
    if (given)
      return ap_fail(m->diags, ap_source_loc(m->src, op, name), "<d:add> has both %s= and %s=: expected one of "
                     "after=, before= and into=", given, name);
    given = names[i];
    place = (place_t)i;
  }

  // ...naming an element of the base (the root only for into=)...
  xmlNodePtr target = xmlDocGetRootElement(m->doc);
  if (given) {
    xmlChar *id = xmlGetNsProp(op, (const xmlChar *)given, NULL);
    bool ok = lookup(m, op, given, id, "", &target);
    if (ok && place != PLACE_INTO && target == xmlDocGetRootElement(m->doc))
      ok = ap_fail(m->diags, ap_source_loc(m->src, op, given), "%s=\"%s\" names the root element of the base: "
                   "expected an element inside it (or into= for its last children)", given, (const char *)id);
    xmlFree(id);
    if (!ok)
      return false;
  }

  // ...where the copies go, each with the white space that stands before
  // the element named (so the merged text reads like the base's).
  xmlNodePtr anchor = target, blank = NULL;
  if (place == PLACE_INTO) {
    xmlNodePtr last = NULL;
    for (xmlNodePtr c = target->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE)
        last = c;
    if (last) {
      anchor = last;
      place = PLACE_AFTER;
    }
  }
  if (anchor != target || place != PLACE_INTO)
    blank = blank_before(anchor);
  for (xmlNodePtr c = op->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    xmlNodePtr copy = copy_in(m, c), space = blank ? xmlDocCopyNode(blank, m->doc, 1) : NULL;
    if (!copy || (blank && !space)) {
      xmlFreeNode(copy);
      xmlFreeNode(space);
      return ap_fail(m->diags, ap_source_loc(m->src, c, NULL), "out of memory");
    }
    if (place == PLACE_INTO) {
      xmlAddChild(anchor, copy);
    } else if (place == PLACE_AFTER) {
      anchor = xmlAddNextSibling(anchor, copy);
      if (space)
        xmlAddPrevSibling(copy, space);
    } else {
      xmlAddPrevSibling(anchor, copy);
      if (space)
        xmlAddPrevSibling(anchor, space);
    }
    index_ids(m, copy, +1);
  }
  return true;
}

// The white space text that stands right before a node, or NULL.
static xmlNodePtr
blank_before(xmlNodePtr node)
{
  xmlNodePtr prev = node->prev;

  return prev && prev->type == XML_TEXT_NODE && xmlIsBlankNode(prev) ? prev : NULL;
}

// Only d:base (on the root), <d:add> and <d:remove> (children of the
// root) are in the data namespace; one error at the first other name.
static bool
check_names(merger_t *m, xmlNodePtr root, xmlNodePtr node)
{
  char name[128];

  if (in_data_ns(node->ns)) {
    bool known = !strcmp((const char *)node->name, "add") || !strcmp((const char *)node->name, "remove");
    qname(node, name, sizeof(name));
    if (!known)
      return ap_fail(m->diags, ap_source_loc(m->src, node, NULL), "<%s> is not an element of data inheritance: "
                     "expected <d:add> or <d:remove>", name);
    if (node->parent != root)
      return ap_fail(m->diags, ap_source_loc(m->src, node, NULL), "<%s> stands inside <%s>: expected it right "
                     "inside the root element", name, (const char *)node->parent->name);
  }
  for (xmlAttrPtr a = node->properties; a; a = a->next)
    if (in_data_ns(a->ns) && !(node == root && !strcmp((const char *)a->name, "base"))) {
      qname((xmlNodePtr)a, name, sizeof(name));
      return ap_fail(m->diags, ap_source_loc(m->src, node, name), "%s= is not an attribute of data inheritance: "
                     "expected only d:base= on the root element", name);
    }
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !check_names(m, root, c))
      return false;
  return true;
}

// A copy of an element of the inheriting file into the merged document,
// marked as coming from that file; NULL when out of memory.
static xmlNodePtr
copy_in(merger_t *m, xmlNodePtr node)
{
  xmlNodePtr copy = xmlDocCopyNode(node, m->doc, /*recursive*/ 1);

  if (copy)
    copy->_private = m->src;
  return copy;
}

// The attribute name of the data namespace on an element, or NULL.
static xmlAttrPtr
data_attr(xmlNodePtr elem, const char *name)
{
  return xmlHasNsProp(elem, (const xmlChar *)name, (const xmlChar *)DATA_NS);
}

// The first max elements of a subtree with an id (in document order).
static void
find_elements(xmlNodePtr node, const xmlChar *id, xmlNodePtr *found, int max, int *n)
{
  for (; node && *n < max; node = node->next) {
    if (node->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *v = xmlGetNsProp(node, (const xmlChar *)"id", NULL);
    if (v && !xmlStrcmp(v, id))
      found[(*n)++] = node;
    xmlFree(v);
    find_elements(node->children, id, found, max, n);
  }
}

// Deallocator of the id index.
static void
free_entry(void *payload, const xmlChar *name)
{
  (void)name;
  free(payload);
}

// Is a namespace the data inheritance one?
static bool
in_data_ns(const xmlNs *ns)
{
  return ns && ns->href && !strcmp((const char *)ns->href, DATA_NS);
}

// Count the ids of an element and its descendants in (delta +1) or out
// (delta -1) of the index.
static void
index_ids(merger_t *m, xmlNodePtr node, int delta)
{
  xmlChar *id = xmlGetNsProp(node, (const xmlChar *)"id", NULL);

  if (id) {
    id_entry_t *e = xmlHashLookup(m->ids, id);
    if (!e && (e = calloc(1, sizeof(id_entry_t))) && xmlHashAddEntry(m->ids, id, e) != 0) {
      free(e);
      e = NULL;
    }
    if (e) {
      e->count += delta;
      e->node = e->count == 1 && delta > 0 ? node : NULL; // One left after a removal: looked up when needed
    }
    xmlFree(id);
  }
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      index_ids(m, c, delta);
}

// Read the chain of bases below src (d:base, relative to the file naming
// it): each a data file read by ap_files_read (inside the run's folders,
// noted as an input), or anywhere when files is NULL; one
// error at the d:base attribute for a missing or unreadable base, a cycle
// or a chain too long.
static bool
load_chain(ap_source_t *src, ap_files_t *files, ap_diags_t *diags)
{
  const ap_source_t *chain[MAX_BASES + 1]; // The files that name a base, src first
  struct stat seen[MAX_BASES + 1];          // Their identities, for cycles
  int n = 0;
  char name[128];

  for (ap_source_t *s = src;;) {
    xmlNodePtr root = xmlDocGetRootElement(s->doc);
    xmlAttrPtr attr = data_attr(root, "base");
    if (!attr)
      return true;
    chain[n] = s;
    if (stat(s->path, &seen[n]) != 0)
      memset(&seen[n], 0, sizeof(seen[n]));
    n++;

    // The base's path, relative to the file that names it (kept after the
    // base's own struct, freed with it)...
    xmlChar *named = xmlNodeGetContent((xmlNodePtr)attr);
    const char *slash = strrchr(s->path, '/');
    int dir = named && named[0] != '/' && slash ? (int)(slash - s->path) + 1 : 0;
    size_t size = (size_t)dir + (named ? strlen((const char *)named) : 0) + 1;
    ap_source_t *base = calloc(1, sizeof(ap_source_t) + size);
    ap_loc_t at = ap_source_loc(s, root, qname((xmlNodePtr)attr, name, sizeof(name)));
    if (!named || !base) {
      xmlFree(named);
      free(base);
      return ap_fail(diags, at, "out of memory");
    }
    char *path = (char *)(base + 1);
    snprintf(path, size, "%.*s%s", dir, s->path, (const char *)named);
    xmlFree(named);
    bool ok = true;
    if (n > MAX_BASES)
      ok = ap_fail(diags, at, "%s=\"%s\": a chain of more than %d bases: expected at most %d data files below "
                   "the one named on the command line", name, path, MAX_BASES, MAX_BASES);

    // ...not one of the chain already...
    struct stat st;
    if (ok && stat(path, &st) == 0)
      for (int i = 0; ok && i < n; i++)
        if (st.st_dev == seen[i].st_dev && st.st_ino == seen[i].st_ino)
          ok = ap_fail(diags, at, "%s=\"%s\": the data files inherit from one another in a circle ('%s' is "
                       "already in the chain): expected a base that inherits from nothing in the chain",
                       name, path, chain[i]->path);

    // ...a data file read inside the allowed folders (and noted as an input
    // of the run), then parsed like the data itself.
    if (ok && files)
      ok = ap_data_base_read(files, path, base, diags, at, "(d:base= is relative to the data file that names it)");
    else if (ok && (stat(path, &st) != 0 || !S_ISREG(st.st_mode)))
      ok = ap_fail(diags, at, "cannot read the data file '%s': expected a regular file", path);
    else if (ok)
      ok = ap_source_read(base, path, AP_FILE_DATA, diags);
    if (!ok) {
      free(base);
      return false;
    }
    s->base = base;
    s = base;
  }
}

// The one element of the merged document that carries id (named by the
// attribute attr of op); false with an error at that attribute when the
// base has none (hint added) or several.
static bool
lookup(merger_t *m, xmlNodePtr op, const char *attr, const xmlChar *id, const char *hint, xmlNodePtr *found)
{
  ap_loc_t at = ap_source_loc(m->src, op, attr);
  id_entry_t *e = id ? xmlHashLookup(m->ids, id) : NULL;
  xmlNodePtr root = xmlDocGetRootElement(m->doc);
  xmlNodePtr two[2];
  int n = 0;

  if (!e || e->count <= 0)
    return ap_fail(m->diags, at, "%s=\"%s\": the base '%s' has no element with this id: expected the id of an "
                   "element of the base%s", attr, id ? (const char *)id : "", m->src->base->path, hint);
  if (e->count > 1) {
    find_elements(root, id, two, 2, &n);
    ap_loc_t l1 = ap_source_loc(m->src->base, two[0], NULL), l2 = ap_source_loc(m->src->base, two[n - 1], NULL);
    return ap_fail(m->diags, at, "%s=\"%s\": %d elements of the base '%s' have this id (%s:%d and %s:%d): "
                   "expected an id that names one element", attr, (const char *)id, e->count, m->src->base->path,
                   l1.file, l1.line, l2.file, l2.line);
  }
  if (!e->node) {
    find_elements(root, id, two, 1, &n);
    e->node = n ? two[0] : root;
  }
  *found = e->node;
  return true;
}

// Apply one inheriting file (src, its own document) to its base's merged
// document (src->base->doc); on success that document becomes src->doc.
static bool
merge(ap_source_t *src, ap_diags_t *diags)
{
  merger_t m = {src, src->base->doc, xmlHashCreate(0), diags};
  xmlNodePtr root = xmlDocGetRootElement(src->doc), base_root = xmlDocGetRootElement(m.doc);
  bool ok;

  if (!m.ids)
    return ap_fail(diags, ap_loc_file(src->path), "out of memory");
  ok = check_names(&m, root, root) && same_root(&m, root, base_root);
  if (ok)
    index_ids(&m, base_root, +1);

  // The operations, in document order (text and comments between them are
  // not part of the data)...
  for (xmlNodePtr op = ok ? root->children : NULL; ok && op; op = op->next) {
    if (op->type != XML_ELEMENT_NODE)
      continue;
    if (!in_data_ns(op->ns))
      ok = replace(&m, op);
    else if (!strcmp((const char *)op->name, "add"))
      ok = add(&m, op);
    else
      ok = remove_element(&m, op);
  }
  ok = ok && set_root_attributes(&m, root, base_root);
  xmlHashFree(m.ids, free_entry);
  if (!ok)
    return false;

  // ...and the merged document is the inheriting file's from now on.
  xmlFreeDoc(src->doc);
  src->doc = m.doc;
  src->base->doc = NULL;
  return true;
}

// The qualified name (prefix:name) of an element or attribute, in buf.
static const char *
qname(const xmlNode *node, char *buf, size_t size)
{
  if (node->ns && node->ns->prefix)
    snprintf(buf, size, "%s:%s", (const char *)node->ns->prefix, (const char *)node->name);
  else
    snprintf(buf, size, "%s", (const char *)node->name);
  return buf;
}

// <d:remove ref="ID"/>: the base's element ID goes, with the white space before it.
static bool
remove_element(merger_t *m, xmlNodePtr op)
{
  char name[128];

  for (xmlAttrPtr a = op->properties; a; a = a->next)
    if (a->ns || strcmp((const char *)a->name, "ref"))
      return ap_fail(m->diags, ap_source_loc(m->src, op, qname((xmlNodePtr)a, name, sizeof(name))),
                     "%s= is not an attribute of <d:remove>: expected only ref= (the id of the base's element to "
                     "remove)", name);
  for (xmlNodePtr c = op->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return ap_fail(m->diags, ap_source_loc(m->src, c, NULL), "<%s> stands inside <d:remove>: expected an "
                     "empty <d:remove ref=\"…\"/> (new elements go inside <d:add>)", qname(c, name, sizeof(name)));
  xmlChar *id = xmlGetNsProp(op, (const xmlChar *)"ref", NULL);
  if (!id)
    return ap_fail(m->diags, ap_source_loc(m->src, op, NULL), "<d:remove> has no ref=: expected ref= naming the "
                   "id of the base's element to remove");
  xmlNodePtr target = NULL;
  bool ok = lookup(m, op, "ref", id, "", &target);
  if (ok && target == xmlDocGetRootElement(m->doc))
    ok = ap_fail(m->diags, ap_source_loc(m->src, op, "ref"), "ref=\"%s\" names the root element of the base: "
                 "expected an element inside it", (const char *)id);
  xmlFree(id);
  if (!ok)
    return false;
  xmlNodePtr blank = blank_before(target);
  index_ids(m, target, -1);
  xmlUnlinkNode(target);
  xmlFreeNode(target);
  if (blank) {
    xmlUnlinkNode(blank);
    xmlFreeNode(blank);
  }
  return true;
}

// An element of the inheriting file with id=: a copy replaces the base's
// element of that id, in its place.
static bool
replace(merger_t *m, xmlNodePtr elem)
{
  char name[128];
  xmlChar *id = xmlGetNsProp(elem, (const xmlChar *)"id", NULL);

  qname(elem, name, sizeof(name));
  if (!id)
    return ap_fail(m->diags, ap_source_loc(m->src, elem, NULL), "<%s> has no id=: expected id= naming the "
                   "base's element it replaces, or <d:add> around a new element", name);
  xmlNodePtr old = NULL;
  bool ok = lookup(m, elem, "id", id, " (a new element goes inside <d:add>)", &old);
  if (ok && old == xmlDocGetRootElement(m->doc))
    ok = ap_fail(m->diags, ap_source_loc(m->src, elem, "id"), "id=\"%s\" names the root element of the base: "
                 "expected an element inside it (the root's attributes are set on the inheriting root)",
                 (const char *)id);
  xmlFree(id);
  if (!ok)
    return false;
  xmlNodePtr copy = copy_in(m, elem);
  if (!copy)
    return ap_fail(m->diags, ap_source_loc(m->src, elem, NULL), "out of memory");
  index_ids(m, old, -1);
  xmlReplaceNode(old, copy);
  xmlFreeNode(old);
  index_ids(m, copy, +1);
  return true;
}

// The inheriting root is the base's root element (same name and namespace).
static bool
same_root(merger_t *m, xmlNodePtr root, xmlNodePtr base_root)
{
  const xmlChar *ns = root->ns ? root->ns->href : NULL, *base_ns = base_root->ns ? base_root->ns->href : NULL;
  char name[128], base_name[128];

  if (!xmlStrcmp(root->name, base_root->name) && !xmlStrcmp(ns, base_ns))
    return true;
  return ap_fail(m->diags, ap_source_loc(m->src, root, NULL), "<%s> inherits from '%s', whose root element is "
                 "<%s>: expected <%s> as the root element", qname(root, name, sizeof(name)),
                 m->src->base->path, qname(base_root, base_name, sizeof(base_name)), base_name);
}

// The inheriting root's attributes (but d:base) are set on the merged
// root, replacing those of the same name, each marked as coming from it.
static bool
set_root_attributes(merger_t *m, xmlNodePtr root, xmlNodePtr base_root)
{
  for (xmlAttrPtr a = root->properties; a; a = a->next) {
    if (in_data_ns(a->ns))
      continue;
    xmlNsPtr ns = NULL;
    if (a->ns) {
      ns = xmlSearchNsByHref(m->doc, base_root, a->ns->href);
      if (!ns)
        ns = xmlNewNs(base_root, a->ns->href, a->ns->prefix);
    }
    xmlChar *value = xmlNodeGetContent((xmlNodePtr)a);
    xmlAttrPtr set = value && (!a->ns || ns) ? xmlSetNsProp(base_root, ns, a->name, value) : NULL;
    xmlFree(value);
    if (!set)
      return ap_fail(m->diags, ap_source_loc(m->src, root, NULL), "out of memory");
    set->_private = m->src;
  }
  return true;
}
