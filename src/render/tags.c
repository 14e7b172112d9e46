// Tagged PDF: every box's content marked as it is painted, and the
// structure tree written at the end. Real content goes inside
// `/P <</MCID n>> BDC … EMC` (its element's type), page furniture inside
// `/Artifact BMC … EMC`; consecutive boxes of one element (or artifacts)
// share one sequence. A linked run's text is a Link of its line's element
// (ap_tags_text_link), and the link box after the line puts its annotation
// in that Link as an OBJR (ap_tags_link; a contents entry's Link is the
// layout's, box->in); a footnote reference is a Link of its own whose
// annotation goes to its Note (ap_tags_note_link). Within a line a run may
// belong to another element (a contents entry's page number: its
// Reference) or be an artifact (leader dots): ap_tags_part. Layout decides what a box is (box->elem, box->tag);
// render only follows: a line without an element is a P of its own, an
// image a Figure, any other shape an Artifact. Elements are kept in the
// order their content first comes, which is the reading order: under the
// Document, or under the Sect of the slide a handout draws. A paragraph
// split over pages is one element with marked content on both pages.
// Elements are small records here (12 bytes, in blocks that never move: a
// doubling array of 40-byte records was the largest thing render kept for
// a long table, 21 MB at 100,000 rows); at the end each is numbered as an
// object whose entries we write at save (write_entries: a libharu object
// per entry cost about 1 KB an element). Only a Note (which the IDTree, a
// libharu array, lists) is a libharu dictionary; the others share one
// cross-reference entry (ap_tags_shares), which save.c writes through
// ap_tags_write_shared: a dictionary each cost about 170 bytes an element,
// some 85 MB for a table of 100,000 rows.
// At the end: StructTreeRoot (K, ParentTree by each page's StructParents
// and each annotation's StructParent after them, ParentTreeNextKey, the
// IDTree of the Notes' IDs), and on the catalog MarkInfo, Lang and
// ViewerPreferences. Nothing here writes a byte when tagging is off.
#include "render-private.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/chunks.h"
#include "../base/utf8.h"

#define AP_TAG_TYPE 12   // Room for a structure type name ("Figure", "H6")
#define NO_MARK (-2)     // Nothing open
#define ARTIFACT (-1)    // An artifact is open (its kind in open_artifact)
#define KID_ELEM 0u      // kid_t kind: a child element (its index)
#define KID_MARK 1u      // kid_t kind: marked content (its mark: marks are numbered across the pages)
#define KID_OBJR 2u      // kid_t kind: an annotation (its objr_t)
#define KID_MAX (UINT32_MAX >> 2) // Largest index a kid_t holds
#define HAS_KID 1u       // elem_t.flags: it has one child, in kid
#define HAS_LIST 2u      // elem_t.flags: it has more, kid is the index of their kids_t
#define HAS_EXTRA 4u     // elem_t.flags: it has rare attributes (an extra_t)
#define LIST_HERE 4      // Children a list holds in itself (a row's four cells); more are malloc'ed
#define ELEM_SHIFT 12    // Elements of a block of t->elems: 4,096 (48 KB)
#define LIST_SHIFT 10    // Lists of a block of t->lists: 1,024 (24 KB)
#define ID_SHIFT 12      // Ids of a block of t->by_id: 4,096 (16 KB)
#define ID_LEAF 4096   // Most IDs one leaf of the IDTree lists
#define PARENT_LEAF 64   // Pages one leaf of the ParentTree maps, when it has more than one (a long
                         // document's tree is written in pieces, not one object of megabytes)
#define DIV_KIDS 8192    // Most children the Document's /K lists itself; past that they go into
                         // Div elements of that many each (libharu arrays hold 32,767 items:
                         // a 10,000-row table has more paragraphs than that)

// A child of an element: (index << 2) | kind (KID_ELEM, KID_MARK, KID_OBJR).
typedef uint32_t kid_t;

typedef struct objr_s {
  HPDF_Annotation annot;    // The annotation, NULL until made (and when left out)
  int elem;                 // Its Link element
  int page;                 // The page it is on (index into pages)
} objr_t;

typedef struct extra_s {
  int elem;                 // Whose (extras are made in element order: found by bisection)
  char *alt;                // Alternative text (malloc'ed), NULL = none
  const char *th_scope;     // TH: its /Scope ("Column", "Row"; a literal of the layout), NULL = none
  int rowspan, colspan;     // TH, TD: spans (an attribute when above 1)
} extra_t;

typedef struct elem_s {
  int parent;               // Parent element; below 0: under the Document (after ap_tags_finalize:
                            // -1 - the range of the Document's children it is in, ranges[])
  kid_t kid;                // HAS_KID: its one child (most elements have one: their marked content);
                            // HAS_LIST: the index of its list of children (t->lists)
  unsigned short type;      // Structure type (index into types)
  unsigned short flags;     // HAS_KID, HAS_LIST, HAS_EXTRA
} elem_t;

// The children of an element that has more than one, in reading order:
// up to LIST_HERE in the list itself (a malloc'ed block of 16 bytes took
// 32 of the heap), more in a block of their own.
typedef struct kids_s {
  union {
    kid_t here[LIST_HERE];  // room == LIST_HERE: the children
    kid_t *kids;            // room above: the children (malloc'ed)
  } at;
  uint32_t n, room;         // Used and room
} kids_t;

// From the element `from` on, elements are made in group instance `scope`
// (until the next such change): an element's scope without 4 bytes each.
typedef struct scope_s {
  size_t from;              // First element made in it
  int scope;                // Group instance (0 = the pages themselves)
} scope_t;

typedef struct held_s {
  ap_tags_t *tags;          // The structure
  int elem;                 // An element libharu holds (a Note)
  HPDF_Dict dict;           // Its StructElem (write_element writes its entries)
} held_t;

typedef struct range_s {
  ap_tags_t *tags;          // The structure
  HPDF_Dict dict;           // The Document, or one of its Divs
  size_t from, to;          // Its children: tops[from, to)
} range_t;

// The ParentTree's /Nums, or one of its leaves': the keys of pages [from,
// to), and the annotations' after them in the last leaf.
typedef struct leaf_s {
  const struct ap_tags_s *tags; // The structure
  size_t from, to;              // Its pages
  bool last;                    // It is the last: the annotations' keys are in it
  bool kid;                     // One of the tree's /Kids (with /Limits), not the tree itself
} leaf_t;

typedef struct page_s {
  HPDF_Page page;           // The page (owned by the document)
  size_t first;             // The mark of its MCID 0 (marks are numbered across the pages)
  int *owners;              // Element of each MCID on it (malloc'ed)
  size_t n, a;              // MCIDs used and allocated
} page_t;

struct ap_tags_s {
  ap_chunks_t elems;        // Elements in order of creation (elem_t; elems.count of them)
  ap_chunks_t lists;        // Children of the elements that have more than one (kids_t)
  scope_t *scoped;          // Changes of the group instance elements are made in (malloc'ed)
  size_t nscoped, ascoped;  // Used and allocated
  size_t marks;             // Marked-content sequences so far, on all pages
  char (*types)[AP_TAG_TYPE]; // Structure types of the elements, each once ("P", "H1", "Note", "Figure", "Sect";
                            // malloc'ed)
  size_t ntypes, atypes;    // Used and allocated
  extra_t *extras;          // Rare attributes of elements (malloc'ed)
  size_t nextras, aextras;  // Used and allocated
  ap_chunks_t by_id;        // Element of each layout element id + 1 (int; 0 = none yet)
  page_t *pages;            // Pages written (malloc'ed)
  size_t npages, apages;    // Used and allocated
  int open;                 // Open sequence: element, ARTIFACT or NO_MARK
  const char *open_artifact; // Its artifact's properties (a literal), when one is open
  int parent;               // Element new elements go under (-1 = the Document)
  int scope, scopes;        // Current group instance, and instances so far
  objr_t *objrs;            // Annotations of Link elements, in order (malloc'ed)
  size_t nobjrs, aobjrs;    // Used and allocated
  int link, link_host;      // Link of the line's linked run being shown (-1 = none), element around it
  int *queue;               // Link of each linked run of the line, for its link box (malloc'ed)
  size_t nqueue, aqueue, qhead; // Used, allocated, taken by link boxes
  int *tops;                // At the end: the Document's children in order (malloc'ed)
  range_t *ranges;          // At the end: the Document's /K, or each Div's (malloc'ed)
  leaf_t *leaves;           // At the end: the ParentTree's leaves, or its one /Nums (malloc'ed)
  held_t *held;             // At the end: the elements libharu holds, in order (malloc'ed)
  size_t nheld;             // How many
  ap_writer_t *writer;      // At the end: the writer (/Alt strings are made as they are written)
  HPDF_XrefEntry_Rec shared; // At the end: the cross-reference entry of every element without a dictionary
  uint32_t first;           // At the end: the object number of elems[0] (the others follow in order)
  bool numbered;            // The elements have their numbers (shared is in the document's entries)
};

// Raw PDF text on its way to a libharu stream, in pieces of a buffer.
typedef struct out_s {
  HPDF_Stream stream;       // Where it goes
  char buf[512];            // Not yet written
  size_t n;                 // Bytes in buf
  HPDF_STATUS status;       // First error, HPDF_OK = none
} out_t;

static bool add_kid(ap_writer_t *r, int parent, uint32_t kind, size_t index);
static bool add_objr(ap_writer_t *r, int elem, int *objr);
static int compare_ids(const void *a, const void *b);
static const char *id_digits(char buf[24], int index);
static elem_t *elem_at(const ap_tags_t *t, size_t i);
static extra_t *extra_of(ap_writer_t *r, int elem);
static const extra_t *find_extra(const ap_tags_t *t, int elem);
static int extra_by_elem(const void *key, const void *item);
static HPDF_Dict id_tree(ap_writer_t *r);
static const char *artifact_kind(const ap_box_t *box);
static int find_element(ap_writer_t *r, const ap_box_t *box, const char *type);
static kid_t kid_at(const ap_tags_t *t, const elem_t *e, uint32_t i);
static int layout_element(ap_writer_t *r, const ap_struct_t *node);
static int lookup(ap_writer_t *r, int id);
static size_t mark_page(const ap_tags_t *t, size_t mark);
static uint32_t nkids_of(const ap_tags_t *t, const elem_t *e);
static int make_element(ap_writer_t *r, const ap_struct_t *node, int parent);
static bool record(ap_writer_t *r, int id, int elem);
static bool grow(void **array, size_t *alloc, size_t need, size_t size, size_t first);
static int new_element(ap_writer_t *r, const char *type, const char *alt);
static int scope_of(const ap_tags_t *t, size_t elem);
static bool set_scope(ap_tags_t *t, int scope);
static bool open_element(ap_writer_t *r, int elem);
static void out_flush(out_t *o);
static void out_name(out_t *o, const char *name);
static void out_str(out_t *o, const char *text);
static void out_uint(out_t *o, uint64_t value);
static void out_ref(out_t *o, const void *obj);
static void out_elem(out_t *o, const ap_tags_t *t, int elem);
static bool has_dict(const ap_tags_t *t, const elem_t *e);
static HPDF_Dict held_dict(const ap_tags_t *t, int elem);
static int held_by_elem(const void *key, const void *item);
static bool reserve_entries(HPDF_List list, size_t more);
static HPDF_STATUS write_element(HPDF_Dict dict, HPDF_Stream stream);
static HPDF_STATUS write_entries(const ap_tags_t *t, size_t index, HPDF_Stream stream);
static HPDF_STATUS write_parent_leaf(HPDF_Dict dict, HPDF_Stream stream);
static void write_parent_keys(out_t *o, const ap_tags_t *t, size_t from, size_t to, bool annots);
static HPDF_STATUS write_range(HPDF_Dict dict, HPDF_Stream stream);

//
// 'ap_tags_close()' - End the open marked-content sequence, if any.
//

void
ap_tags_close(ap_writer_t *r)   // I - Writer
{
  if (!r->tags || r->tags->open == NO_MARK)
    return;
  HPDF_Stream_WriteStr(((HPDF_PageAttr)r->page->attr)->stream, "EMC\n");
  r->tags->open = NO_MARK;
}

//
// 'ap_tags_create()' - Start the structure of a tagged PDF.
//

bool                            // O - true on success
ap_tags_create(ap_writer_t *r)  // I - Writer
{
  if (!(r->tags = calloc(1, sizeof(*r->tags))))
    return false;
  r->tags->open = NO_MARK;
  r->tags->parent = -1;
  r->tags->link = -1;
  ap_chunks_init(&r->tags->elems, sizeof(elem_t), ELEM_SHIFT);
  ap_chunks_init(&r->tags->lists, sizeof(kids_t), LIST_SHIFT);
  ap_chunks_init(&r->tags->by_id, sizeof(int), ID_SHIFT);
  return true;
}

//
// 'ap_tags_destroy()' - Free the structure records (the PDF objects belong to the document).
//

void
ap_tags_destroy(ap_writer_t *r) // I - Writer
{
  ap_tags_t *t = r->tags;

  if (!t)
    return;
  for (size_t i = 0; i < t->lists.count; i++) {
    kids_t *list = ap_chunks_at(&t->lists, i);
    if (list->room > LIST_HERE)
      free(list->at.kids);
  }
  for (size_t i = 0; i < t->nextras; i++)
    free(t->extras[i].alt);
  for (size_t i = 0; i < t->npages; i++)
    free(t->pages[i].owners);
  ap_chunks_free(&t->elems);
  ap_chunks_free(&t->lists);
  ap_chunks_free(&t->by_id);
  free(t->scoped);
  free(t->types);
  free(t->extras);
  free(t->tops);
  free(t->ranges);
  free(t->leaves);
  free(t->held);
  free(t->objrs);
  free(t->queue);
  free(t->pages);
  free(t);
  r->tags = NULL;
}

//
// 'ap_tags_shares()' - Whether a cross-reference entry is the one elements share.
//

bool                                    // O - true for the elements' shared entry
ap_tags_shares(const ap_writer_t *r,    // I - Writer
               const void *entry)       // I - A cross-reference entry of the document
{
  return r->tags && r->tags->numbered && entry == &r->tags->shared;
}

//
// 'ap_tags_write_shared()' - Write object `number`, an element of the shared entry.
//
// As libharu writes a dictionary without entries of its own: "<<", a
// newline, the element's entries, ">>".
//

bool                                    // O - true on success
ap_tags_write_shared(const ap_writer_t *r, // I - Writer
                     uint32_t number,   // I - The object's number (the shared entry's in the document)
                     HPDF_Stream stream) // I - Where to write
{
  const ap_tags_t *t = r->tags;

  if (!t || number < t->first || number - t->first >= t->elems.count)
    return false;
  return HPDF_Stream_WriteStr(stream, "<<\012") == HPDF_OK &&
         write_entries(t, number - t->first, stream) == HPDF_OK &&
         HPDF_Stream_WriteStr(stream, ">>") == HPDF_OK;
}

//
// 'ap_tags_unshare()' - Take the shared entry out of the document's entries.
//
// Before the document is freed: libharu frees each of its entries (and
// their objects), and the shared one is ours.
//

void
ap_tags_unshare(ap_writer_t *r)         // I - Writer
{
  ap_tags_t *t = r->tags;

  if (!t || !t->numbered || !r->pdf || !r->pdf->xref)
    return;
  HPDF_List entries = r->pdf->xref->entries;
  HPDF_UINT kept = 0;
  for (HPDF_UINT i = 0; i < entries->count; i++)
    if (entries->obj[i] != &t->shared)
      entries->obj[kept++] = entries->obj[i];
  entries->count = kept;
  t->numbered = false;
}

//
// 'ap_tags_finalize()' - Make the structure tree and the catalog's entries.
//
// Every element becomes an indirect StructElem (without the optional
// /Type: bytes) whose /K lists its marked content (MCIDs of its first page
// as numbers, others as MCR dictionaries; a lone MCID as a number) and
// child elements in order; the ParentTree maps each page's
// StructParents to the elements of its MCIDs. An element's dictionary is
// one libharu object whose entries write_element writes when the file is
// saved, from the records here (libharu objects for each entry took about
// 1 KB an element); the ParentTree and the Document's /K the same way.
// The records must live until the document is saved.
//

bool                              // O - true on success
ap_tags_finalize(ap_writer_t *r)  // I - Writer
{
  ap_tags_t *t = r->tags;
  HPDF_MMgr mm = r->pdf->mmgr;
  HPDF_Dict root, doc, marks, prefs, tree;
  HPDF_Array kids;
  size_t ntop = 0, nranges;         // Elements under the Document, ranges of them

  if (!t)
    return true;

  // The Document's children, in ranges of at most DIV_KIDS: its own /K,
  // or each of its Divs' when there are more (libharu arrays hold 32,767
  // items, and readers too may have limits)...
  for (size_t i = 0; i < t->elems.count; i++)
    ntop += elem_at(t, i)->parent < 0;
  nranges = ntop > DIV_KIDS ? (ntop + DIV_KIDS - 1) / DIV_KIDS : 1;
  if (!(t->tops = malloc((ntop ? ntop : 1) * sizeof(int))) || !(t->ranges = calloc(nranges, sizeof(range_t))))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  ntop = 0;
  for (size_t i = 0; i < t->elems.count; i++)
    if (elem_at(t, i)->parent < 0) {
      elem_at(t, i)->parent = -1 - (int)(ntop / DIV_KIDS);
      t->tops[ntop++] = (int)i;
    }
  for (size_t g = 0; g < nranges; g++)
    t->ranges[g] = (range_t){.tags = t, .from = g * DIV_KIDS, .to = (g + 1) * DIV_KIDS < ntop ? (g + 1) * DIV_KIDS : ntop};

  // The root and the Document element...
  if (!(root = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, root) != HPDF_OK ||
      !(doc = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, doc) != HPDF_OK)
    return false;
  HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
  HPDF_Dict_Add(root, "K", doc);
  HPDF_Dict_AddName(doc, "S", "Document");
  HPDF_Dict_Add(doc, "P", root);
  // Every element numbered next, in order, before the Divs (its entries
  // are written at save): a dictionary for those libharu must hold (with
  // alternative text: /S, /P and /Alt as libharu's, its string; a Note,
  // which the IDTree lists), the shared entry for the others...
  HPDF_List entries = r->pdf->xref->entries;
  if (!reserve_entries(entries, t->elems.count))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  size_t nheld = 0;
  for (size_t i = 0; i < t->elems.count; i++)
    nheld += has_dict(t, elem_at(t, i));
  if (nheld && !(t->held = calloc(nheld, sizeof(held_t))))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  t->first = r->pdf->xref->start_offset + entries->count;
  t->shared = (HPDF_XrefEntry_Rec){.entry_typ = HPDF_IN_USE_ENTRY};
  t->numbered = true;
  t->writer = r;
  for (size_t i = 0; i < t->elems.count; i++) {
    if (!has_dict(t, elem_at(t, i))) {
      entries->obj[entries->count++] = &t->shared; // (room reserved above)
      continue;
    }
    held_t *h = &t->held[t->nheld++];
    *h = (held_t){.tags = t, .elem = (int)i};
    if (!(h->dict = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, h->dict) != HPDF_OK)
      return false;
    h->dict->write_fn = write_element;
    h->dict->attr = h;
  }
  // ...the Document's children (in Divs when there are too many)...
  if (nranges == 1) {
    t->ranges[0].dict = doc;
    doc->write_fn = write_range;
    doc->attr = &t->ranges[0];
  } else {
    if (!(kids = HPDF_Array_New(mm)) || HPDF_Dict_Add(doc, "K", kids) != HPDF_OK)
      return false;
    for (size_t g = 0; g < nranges; g++) {
      HPDF_Dict div = HPDF_Dict_New(mm);
      if (!div || HPDF_Xref_Add(r->pdf->xref, div) != HPDF_OK)
        return false;
      HPDF_Dict_AddName(div, "S", "Div");
      HPDF_Dict_Add(div, "P", doc);
      HPDF_Array_Add(kids, div);
      div->write_fn = write_range;
      div->attr = &t->ranges[g];
      t->ranges[g].dict = div;
    }
  }

  // The pages with annotations: tab order in structure order...
  for (size_t p = 0; p < t->npages; p++)
    if (HPDF_Dict_GetItem(t->pages[p].page, "Annots", HPDF_OCLASS_ARRAY))
      HPDF_Dict_AddName(t->pages[p].page, "Tabs", "S");

  // The parent tree (write_parent_leaf): page i's MCIDs → their elements,
  // then each annotation's StructParent → its Link; past PARENT_LEAF
  // pages, in leaves of that many pages (its /Kids)...
  if (!(tree = HPDF_Dict_New(mm)))
    return false;
  HPDF_INT32 key = (HPDF_INT32)t->npages;
  for (size_t i = 0; i < t->nobjrs; i++)
    if (t->objrs[i].annot)
      HPDF_Dict_AddNumber(t->objrs[i].annot, "StructParent", key++);
  size_t nleaves = (t->npages + PARENT_LEAF - 1) / PARENT_LEAF;
  if (!(t->leaves = calloc(nleaves > 1 ? nleaves : 1, sizeof(leaf_t))))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  HPDF_Array leaves = NULL;
  if (nleaves > 1 && (!(leaves = HPDF_Array_New(mm)) || HPDF_Dict_Add(tree, "Kids", leaves) != HPDF_OK))
    return false;
  for (size_t l = 0; l < (nleaves > 1 ? nleaves : 1); l++) {
    HPDF_Dict leaf = tree; // (one leaf: the tree's own /Nums)
    if (nleaves > 1 && (!(leaf = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, leaf) != HPDF_OK ||
                        HPDF_Array_Add(leaves, leaf) != HPDF_OK))
      return false;
    t->leaves[l] = (leaf_t){.tags = t, .from = l * PARENT_LEAF,
                            .to = nleaves > 1 && (l + 1) * PARENT_LEAF < t->npages ? (l + 1) * PARENT_LEAF : t->npages,
                            .last = l + 1 >= nleaves, .kid = nleaves > 1};
    leaf->write_fn = write_parent_leaf;
    leaf->attr = &t->leaves[l];
  }
  HPDF_Dict_Add(root, "ParentTree", tree);
  HPDF_Dict_AddNumber(root, "ParentTreeNextKey", key);
  HPDF_Dict ids = id_tree(r);
  if (ids)
    HPDF_Dict_Add(root, "IDTree", ids);

  // The catalog: the tree, marked, Vietnamese, its title shown...
  HPDF_Dict_Add(r->pdf->catalog, "StructTreeRoot", root);
  if (!(marks = HPDF_Dict_New(mm)) || HPDF_Dict_Add(r->pdf->catalog, "MarkInfo", marks) != HPDF_OK)
    return false;
  HPDF_Dict_Add(marks, "Marked", HPDF_Boolean_New(mm, HPDF_TRUE));
  HPDF_Dict_Add(r->pdf->catalog, "Lang", HPDF_String_New(mm, "vi", NULL));
  if (!(prefs = HPDF_Dict_New(mm)) || HPDF_Dict_Add(r->pdf->catalog, "ViewerPreferences", prefs) != HPDF_OK)
    return false;
  HPDF_Dict_Add(prefs, "DisplayDocTitle", HPDF_Boolean_New(mm, HPDF_TRUE));
  return !r->failed;
}

//
// 'ap_tags_group_begin()' - Enter a group: a slide becomes a Sect of its own.
//
// The group's boxes make elements of their own (a page drawn twice is two
// sets of elements), under the slide's Sect when the group draws a slide.
//

bool                                  // O - true on success
ap_tags_group_begin(ap_writer_t *r,   // I - Writer
                    const ap_box_t *box, // I - Group box
                    int saved[2])     // O - Parent and scope to give back to ap_tags_group_end()
{
  ap_tags_t *t = r->tags;

  if (!t)
    return true;
  ap_tags_close(r);
  saved[0] = t->parent;
  saved[1] = t->scope;
  if (!set_scope(t, ++t->scopes))
    return false;
  if (box->role && !strcmp(box->role, "slide")) {
    int sect = new_element(r, "Sect", NULL);
    if (sect < 0)
      return false;
    t->parent = sect;
  }
  return true;
}

//
// 'ap_tags_group_end()' - Leave a group (before its Q).
//

void
ap_tags_group_end(ap_writer_t *r,     // I - Writer
                  const int saved[2]) // I - What ap_tags_group_begin() saved
{
  if (!r->tags)
    return;
  ap_tags_close(r);
  r->tags->parent = saved[0];
  if (!set_scope(r->tags, saved[1])) {
    ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    r->failed = true;
  }
}

//
// 'ap_tags_annot()' - Give a link's OBJR its annotation, once made.
//

void
ap_tags_annot(ap_writer_t *r,          // I - Writer
              int objr,                // I - What ap_tags_link() gave, -1 = none
              HPDF_Annotation annot)   // I - The annotation
{
  if (r->tags && objr >= 0)
    r->tags->objrs[objr].annot = annot;
}

//
// 'ap_tags_link()' - Put a link box's annotation in its Link element.
//
// The Link is the layout's (box->in), else the one made for the linked run
// the box is over (the line's link boxes come after it, one per linked
// run, in the runs' order), else one of its own in the element being shown.
// The annotation comes later (internal links are made at the end): the
// OBJR waits for it (ap_tags_annot).
//

bool                                  // O - true on success
ap_tags_link(ap_writer_t *r,          // I - Writer
             const ap_box_t *box,     // I - Link box on the current page
             int *objr)               // O - Its OBJR for ap_tags_annot(), -1 = none (untagged)
{
  ap_tags_t *t = r->tags;
  int elem = -1;

  *objr = -1;
  if (!t)
    return true;
  if (box->in)
    elem = layout_element(r, box->in);
  else if (t->qhead < t->nqueue && t->queue[t->qhead] >= 0)
    elem = t->queue[t->qhead++];
  else {
    int saved = t->parent;
    t->qhead += t->qhead < t->nqueue;
    t->parent = t->open >= 0 && t->open != t->link ? t->open : t->link >= 0 ? t->link_host : t->parent;
    elem = new_element(r, "Link", NULL);
    t->parent = saved;
  }
  return elem >= 0 && add_objr(r, elem, objr);
}

//
// 'ap_tags_form()' - A signature field's widget: a Form element of its own.
//
// In the element being shown's parent (the Document, a cell...), in the
// reading order where the field stands; the widget is its OBJR (PDF/UA:
// a widget annotation in a Form element).
//

bool                                  // O - true on success
ap_tags_form(ap_writer_t *r,          // I - Writer
             int *objr)               // O - Its OBJR for ap_tags_annot(), -1 = none (untagged)
{
  int elem;

  *objr = -1;
  if (!r->tags)
    return true;
  return (elem = new_element(r, "Form", NULL)) >= 0 && add_objr(r, elem, objr);
}

//
// 'ap_tags_note_link()' - Put a footnote reference's annotation in its Link.
//
// The reference's text is being shown in a Link of its own
// (ap_tags_text_link); its annotation, made at the end, is that Link's
// OBJR. None when no Link is open (a reference in page furniture).
//

bool                                  // O - true on success
ap_tags_note_link(ap_writer_t *r,     // I - Writer, a footnote reference being shown
                  int *objr)          // O - Its OBJR for ap_tags_annot(), -1 = none (make no annotation)
{
  ap_tags_t *t = r->tags;

  *objr = -1;
  if (!t || t->link < 0)
    return true;
  return add_objr(r, t->link, objr);
}

//
// 'ap_tags_part()' - Go on with a line's run in the element it belongs to.
//
// Outside any text object, in a line with an element (box->in): a run of
// another element (run->in: a contents entry's page number, its
// Reference), an artifact (run->artifact: leader dots), or back in the
// line's own element.
//

bool                                  // O - true on success
ap_tags_part(ap_writer_t *r,          // I - Writer
             const ap_box_t *box,     // I - The line
             const ap_run_t *run)     // I - The run about to be shown
{
  ap_tags_t *t = r->tags;

  if (!t || !box->in)
    return true;
  if (run->artifact) {
    if (t->open == ARTIFACT)
      return true;
    ap_tags_close(r);
    HPDF_Stream_WriteStr(((HPDF_PageAttr)r->page->attr)->stream, "/Artifact BMC\n");
    t->open = ARTIFACT;
    t->open_artifact = "/Artifact BMC\n";
    return true;
  }
  return ap_tags_switch(r, run->in ? run->in : box->in);
}

//
// 'ap_tags_queue_link()' - Note the Link of a linked run for its link box.
//

bool                                  // O - true on success
ap_tags_queue_link(ap_writer_t *r)    // I - Writer, a linked run being shown
{
  ap_tags_t *t = r->tags;

  if (!t)
    return true;
  if (!grow((void **)&t->queue, &t->aqueue, t->nqueue + 1, sizeof(int), 16))
    return false;
  t->queue[t->nqueue++] = t->link;
  return true;
}

//
// 'ap_tags_text_link()' - Start or end a linked run's Link, outside a text object.
//
// A new link is a Link element in the element being shown (a paragraph, a
// list item's body, a cell), with the run's marked content; at its end the
// element's content goes on in a sequence of its own. Artifacts hold no
// Link.
//

bool                                  // O - true on success
ap_tags_text_link(ap_writer_t *r,     // I - Writer
                  bool start)         // I - true: a link starts (ending one before it); false: it ends
{
  ap_tags_t *t = r->tags;
  int host, saved, elem;

  if (!t)
    return true;
  host = t->link >= 0 ? t->link_host : t->open;
  if (t->link >= 0 && !start) {
    t->link = -1;
    return open_element(r, host);
  }
  t->link = -1;
  if (!start || host < 0)
    return true;
  saved = t->parent;
  t->parent = host;
  elem = new_element(r, "Link", NULL);
  t->parent = saved;
  if (elem < 0)
    return false;
  t->link = elem;
  t->link_host = host;
  return open_element(r, elem);
}

//
// 'ap_tags_mark()' - Open the marked-content sequence a box's paint belongs in.
//
// Boxes that paint nothing (links, destinations) leave the sequence open;
// groups and watermarks mark their own content, so the sequence ends.
//

bool                                  // O - true on success
ap_tags_mark(ap_writer_t *r,          // I - Writer
             const ap_box_t *box)     // I - Box about to be painted
{
  ap_tags_t *t = r->tags;
  HPDF_Stream s;
  const char *kind;

  if (!t)
    return true;
  switch (box->kind) {
  case AP_BOX_LINK:
  case AP_BOX_DEST:
  case AP_BOX_SIGFIELD:
    return true;
  case AP_BOX_GROUP:
  case AP_BOX_WATERMARK:
    ap_tags_close(r);
    return true;
  default:
    break;
  }

  // Page furniture: an artifact (consecutive ones of a kind share one)...
  if ((kind = artifact_kind(box))) {
    if (t->open == ARTIFACT && !strcmp(t->open_artifact, kind))
      return true;
    ap_tags_close(r);
    s = ((HPDF_PageAttr)r->page->attr)->stream;
    HPDF_Stream_WriteStr(s, kind);
    t->open = ARTIFACT;
    t->open_artifact = kind;
    return true;
  }

  // A line's linked runs are its own...
  if (box->kind == AP_BOX_LINE) {
    t->link = -1;
    t->nqueue = t->qhead = 0;
  }

  // Real content: its element's sequence (a line that starts with a list
  // item's label: the label's Lbl)...
  size_t made = t->elems.count; // (a new Note's first line is where its references go)
  int elem = box->in ? layout_element(r, box->label_in && box->runs && box->runs->label ? box->label_in : box->in)
                     : find_element(r, box, box->tag ? box->tag : box->kind == AP_BOX_IMAGE ? "Figure" : "P");
  if (elem < 0)
    return false;
  if (t->elems.count > made && !strcmp(t->types[elem_at(t, (size_t)elem)->type], "Note") && !ap_render_note_dest(r, box))
    return false;
  return t->open == elem || open_element(r, elem);
}

//
// 'ap_tags_switch()' - Go on with a line's content in another element.
//
// Text calls it between a list item's label (its Lbl) and the rest of the
// line (its LBody), outside any text object.
//

bool                                  // O - true on success
ap_tags_switch(ap_writer_t *r,        // I - Writer
               const ap_struct_t *node) // I - Element the content that follows belongs to
{
  ap_tags_t *t = r->tags;
  int elem;

  if (!t)
    return true;
  if ((elem = layout_element(r, node)) < 0)
    return false;
  return t->open == elem || open_element(r, elem);
}

//
// 'ap_tags_page_begin()' - Record a new page: its StructParents.
//
// Its tab order (/Tabs /S, in structure order) comes at the end, on the
// pages that have annotations (PDF/UA-1 7.18.3 asks it of those).
//

bool                                  // O - true on success
ap_tags_page_begin(ap_writer_t *r,    // I - Writer
                   HPDF_Page page)    // I - The page just added
{
  ap_tags_t *t = r->tags;

  if (!t)
    return true;
  if (!grow((void **)&t->pages, &t->apages, t->npages + 1, sizeof(page_t), 16))
    return false;
  t->pages[t->npages] = (page_t){.page = page, .first = t->marks};
  HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)t->npages);
  t->npages++;
  t->open = NO_MARK;
  return !r->failed;
}

// Append a child (an element, marked content, an annotation: kind and
// index) to an element (-1: the Document, whose children are found at the
// end by their parent). The first is kept in the element; with a second,
// they all go in a list of their own (room for LIST_HERE in it, then a
// block of twice as many, doubling).
static bool
add_kid(ap_writer_t *r, int parent, uint32_t kind, size_t index)
{
  ap_tags_t *t = r->tags;
  elem_t *e;
  kids_t *list;
  kid_t kid = (kid_t)(index << 2) | kind;

  if (parent < 0)
    return true;
  if (index > KID_MAX)
    return false; // More than a PDF could hold
  e = elem_at(t, (size_t)parent);
  if (!(e->flags & (HAS_KID | HAS_LIST))) { // The first
    e->kid = kid;
    e->flags |= HAS_KID;
    return true;
  }
  if (e->flags & HAS_KID) { // The second: a list of its own
    if (t->lists.count > KID_MAX || !(list = ap_chunks_push(&t->lists)))
      return false;
    list->room = LIST_HERE;
    list->at.here[list->n++] = e->kid;
    e->kid = (kid_t)(t->lists.count - 1);
    e->flags = (unsigned short)((e->flags & ~HAS_KID) | HAS_LIST);
  }
  list = ap_chunks_at(&t->lists, e->kid);
  if (list->n == list->room) {
    if (list->room > UINT32_MAX / 2 / sizeof(kid_t))
      return false;
    kid_t *grown = realloc(list->room > LIST_HERE ? list->at.kids : NULL, 2 * list->room * sizeof(kid_t));
    if (!grown)
      return false;
    if (list->room == LIST_HERE) // Out of the list itself
      memcpy(grown, list->at.here, sizeof(list->at.here));
    list->at.kids = grown;
    list->room *= 2;
  }
  (list->room > LIST_HERE ? list->at.kids : list->at.here)[list->n++] = kid;
  return true;
}

// Give an element's /K an OBJR whose annotation comes later (ap_tags_annot);
// false when out of memory.
static bool
add_objr(ap_writer_t *r, int elem, int *objr)
{
  ap_tags_t *t = r->tags;

  if (!grow((void **)&t->objrs, &t->aobjrs, t->nobjrs + 1, sizeof(objr_t), 16) ||
      !add_kid(r, elem, KID_OBJR, t->nobjrs))
    return false;
  t->objrs[t->nobjrs] = (objr_t){.annot = NULL, .elem = elem, .page = (int)t->npages - 1};
  *objr = (int)t->nobjrs++;
  return true;
}

// An element (index below t->elems.count).
static elem_t *
elem_at(const ap_tags_t *t, size_t i)
{
  return ap_chunks_at(&t->elems, i);
}

// The rare attributes of an element, made empty (spans 1) on first use;
// NULL when out of memory. Only the newest element gets them first (as it
// is made), so extras stay in element order.
static extra_t *
extra_of(ap_writer_t *r, int elem)
{
  ap_tags_t *t = r->tags;
  elem_t *e = elem_at(t, (size_t)elem);

  if (e->flags & HAS_EXTRA)
    return (extra_t *)find_extra(t, elem);
  if (t->nextras && t->extras[t->nextras - 1].elem > elem)
    return NULL; // (never: see above)
  if (!grow((void **)&t->extras, &t->aextras, t->nextras + 1, sizeof(extra_t), 16))
    return NULL;
  t->extras[t->nextras] = (extra_t){.elem = elem, .alt = NULL, .th_scope = NULL, .rowspan = 1, .colspan = 1};
  e->flags |= HAS_EXTRA;
  return &t->extras[t->nextras++];
}

// The rare attributes of an element, NULL = none (extras are in element order).
static const extra_t *
find_extra(const ap_tags_t *t, int elem)
{
  if (!(elem_at(t, (size_t)elem)->flags & HAS_EXTRA) || !t->nextras)
    return NULL;
  return bsearch(&elem, t->extras, t->nextras, sizeof(*t->extras), extra_by_elem);
}

// bsearch: an element number against an extra's.
static int
extra_by_elem(const void *key, const void *item)
{
  int a = *(const int *)key, b = ((const extra_t *)item)->elem;
  return (a > b) - (a < b);
}

// Order Note elements by their ID ("n" and the element's index) as bytes.
static int
compare_ids(const void *a, const void *b)
{
  char x[24], y[24];

  return strcmp(id_digits(x, *(const int *)a), id_digits(y, *(const int *)b));
}

// The digits of a Note's ID after its "n" (its element's index, never
// negative: the "n" they share does not change the order), as snprintf's
// "%d" writes them, in buf; returns buf.
static const char *
id_digits(char buf[24], int index)
{
  *ap_render_uint(buf, index < 0 ? 0 : (unsigned)index) = '\0';
  return buf;
}

// The IDTree: each Note's ID → the Note, a name tree in ID order (leaves
// of ID_LEAF IDs under a root of Kids when there are more). NULL when the
// document has no Note, or on error (recorded, or reported by libharu).
static HPDF_Dict
id_tree(ap_writer_t *r)
{
  ap_tags_t *t = r->tags;
  HPDF_MMgr mm = r->pdf->mmgr;
  HPDF_Dict root = NULL, leaf = NULL;
  HPDF_Array names = NULL, kids = NULL;
  size_t n = 0;
  char id[24];
  int *notes;

  for (size_t i = 0; i < t->elems.count; i++)
    n += !strcmp(t->types[elem_at(t, i)->type], "Note");
  if (!n)
    return NULL;
  if (!(notes = malloc(n * sizeof(int)))) {
    ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    return NULL;
  }
  n = 0;
  for (size_t i = 0; i < t->elems.count; i++)
    if (!strcmp(t->types[elem_at(t, i)->type], "Note"))
      notes[n++] = (int)i;
  qsort(notes, n, sizeof(int), compare_ids);
  if (!(root = HPDF_Dict_New(mm)) || (n > ID_LEAF && (!(kids = HPDF_Array_New(mm)) || HPDF_Dict_Add(root, "Kids", kids))))
    goto done;
  for (size_t k = 0; k < n; k++) {
    if (k % ID_LEAF == 0) { // A new leaf (the root itself when one is enough)
      leaf = root;
      if (kids && (!(leaf = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, leaf) != HPDF_OK ||
                   HPDF_Array_Add(kids, leaf) != HPDF_OK))
        goto done;
      if (!(names = HPDF_Array_New(mm)) || HPDF_Dict_Add(leaf, "Names", names) != HPDF_OK)
        goto done;
      if (kids) { // Its first and last IDs
        HPDF_Array limits = HPDF_Array_New(mm);
        size_t last = k + ID_LEAF - 1 < n ? k + ID_LEAF - 1 : n - 1;
        if (!limits || HPDF_Dict_Add(leaf, "Limits", limits) != HPDF_OK)
          goto done;
        snprintf(id, sizeof(id), "n%d", notes[k]);
        HPDF_Array_Add(limits, HPDF_String_New(mm, id, NULL));
        snprintf(id, sizeof(id), "n%d", notes[last]);
        HPDF_Array_Add(limits, HPDF_String_New(mm, id, NULL));
      }
    }
    snprintf(id, sizeof(id), "n%d", notes[k]);
    HPDF_Array_Add(names, HPDF_String_New(mm, id, NULL));
    HPDF_Array_Add(names, held_dict(t, notes[k]));
  }
done:
  free(notes);
  return r->failed ? NULL : root;
}

// The opening of a box's artifact sequence, NULL when the box is content:
// running headers and footers are pagination artifacts; rules, rectangles,
// ellipses and segments that belong to no element are decoration.
static const char *
artifact_kind(const ap_box_t *box)
{
  if (box->tag && !strcmp(box->tag, "Artifact")) {
    if (box->role && !strcmp(box->role, "header"))
      return "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n";
    if (box->role && !strcmp(box->role, "footer"))
      return "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n";
    return "/Artifact BMC\n";
  }
  if (box->tag || box->in || box->elem > 0 || box->kind == AP_BOX_LINE || box->kind == AP_BOX_IMAGE)
    return NULL;
  return "/Artifact BMC\n";
}

// The element of a box: the one its layout element id already has in the
// current group instance, else a new one of that type (a box without an id
// is an element of its own). -1 when out of memory.
static int
find_element(ap_writer_t *r, const ap_box_t *box, const char *type)
{
  int elem;

  if (box->elem > 0 && (elem = lookup(r, box->elem)) >= 0)
    return elem;
  if ((elem = new_element(r, type, box->alt)) < 0)
    return -1;
  return box->elem > 0 && !record(r, box->elem, elem) ? -1 : elem;
}

// Child i of an element (below nkids_of()).
static kid_t
kid_at(const ap_tags_t *t, const elem_t *e, uint32_t i)
{
  const kids_t *list = e->flags & HAS_LIST ? ap_chunks_at(&t->lists, e->kid) : NULL;

  if (!list)
    return e->kid;
  return list->room > LIST_HERE ? list->at.kids[i] : list->at.here[i];
}

// The element of a layout element (ap_struct_t): the one made for it in the
// current group instance, else a new one, its ancestors made first (under
// the current parent when it has none). -1 when out of memory.
static int
layout_element(ap_writer_t *r, const ap_struct_t *node)
{
  int elem, up = r->tags->parent;

  if ((elem = lookup(r, node->id)) >= 0)
    return elem;
  if (node->up && (up = layout_element(r, node->up)) < 0)
    return -1;
  if ((elem = lookup(r, node->id)) >= 0) // Made with its parent
    return elem;
  return make_element(r, node, up);
}

// The element made for layout element id in the current group instance, -1 = none.
static int
lookup(ap_writer_t *r, int id)
{
  ap_tags_t *t = r->tags;
  int elem;

  if (id > 0 && (size_t)id < t->by_id.count && (elem = *(int *)ap_chunks_at(&t->by_id, (size_t)id)) > 0 &&
      scope_of(t, (size_t)--elem) == t->scope)
    return elem;
  return -1;
}

// The page (index into pages) a mark is on: the last page whose first mark
// is not after it (pages without marks before it have the same first).
static size_t
mark_page(const ap_tags_t *t, size_t mark)
{
  size_t lo = 0, hi = t->npages;

  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->pages[mid].first <= mark)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

// How many children an element has.
static uint32_t
nkids_of(const ap_tags_t *t, const elem_t *e)
{
  return e->flags & HAS_LIST ? ((const kids_t *)ap_chunks_at(&t->lists, e->kid))->n : e->flags & HAS_KID ? 1 : 0;
}

// Make a layout element under parent, with its attributes and the children
// the layout made with it (a row's cells, empty ones too). Its index, -1
// when out of memory.
static int
make_element(ap_writer_t *r, const ap_struct_t *node, int parent)
{
  ap_tags_t *t = r->tags;
  int saved = t->parent, elem;

  t->parent = parent;
  elem = new_element(r, node->tag, NULL);
  t->parent = saved;
  if (elem < 0 || !record(r, node->id, elem))
    return -1;
  if (node->scope || node->rowspan > 1 || node->colspan > 1) {
    extra_t *x = extra_of(r, elem);
    if (!x)
      return -1;
    x->th_scope = node->scope;
    x->rowspan = node->rowspan;
    x->colspan = node->colspan;
  }
  for (const ap_struct_t *kid = node->kids; kid; kid = kid->next)
    if (lookup(r, kid->id) < 0 && make_element(r, kid, elem) < 0)
      return -1;
  return elem;
}

// Note that layout element id is element elem; false when out of memory.
static bool
record(ap_writer_t *r, int id, int elem)
{
  ap_tags_t *t = r->tags;

  if (id <= 0 || !ap_chunks_extend(&t->by_id, (size_t)id + 1))
    return id <= 0;
  *(int *)ap_chunks_at(&t->by_id, (size_t)id) = elem + 1;
  return true;
}

// Make room for need items in a malloc'ed array (first items, then
// doubling); false when out of memory.
static bool
grow(void **array, size_t *alloc, size_t need, size_t size, size_t first)
{
  if (need <= *alloc)
    return true;
  size_t n = *alloc ? *alloc * 2 : first;
  while (n < need)
    n *= 2;
  void *p = realloc(*array, n * size);
  if (!p)
    return false;
  *array = p;
  *alloc = n;
  return true;
}

// A new element under the current parent; its index, -1 when out of memory.
static int
new_element(ap_writer_t *r, const char *type, const char *alt)
{
  ap_tags_t *t = r->tags;
  elem_t *e;
  int index = (int)t->elems.count;

  if (t->elems.count >= KID_MAX || !(e = ap_chunks_push(&t->elems)))
    return -1;
  for (e->type = 0; e->type < t->ntypes && strncmp(t->types[e->type], type, AP_TAG_TYPE - 1); e->type++)
    ;
  if (e->type == t->ntypes) { // A type not seen yet
    if (t->ntypes == USHRT_MAX || !grow((void **)&t->types, &t->atypes, t->ntypes + 1, AP_TAG_TYPE, 16))
      return -1;
    snprintf(t->types[t->ntypes++], AP_TAG_TYPE, "%s", type);
  }
  e->parent = t->parent;
  if (alt) {
    extra_t *x = extra_of(r, index);
    if (!x || !(x->alt = strdup(alt)))
      return -1;
  }
  if (!add_kid(r, t->parent, KID_ELEM, (size_t)index))
    return -1;
  return index;
}

// The group instance an element was made in: the last change at or before it.
static int
scope_of(const ap_tags_t *t, size_t elem)
{
  size_t lo = 0, hi = t->nscoped;

  while (lo < hi) { // The first change after it
    size_t mid = lo + (hi - lo) / 2;
    if (t->scoped[mid].from <= elem)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo ? t->scoped[lo - 1].scope : 0;
}

// Make the elements made from now on part of group instance scope; false
// when out of memory.
static bool
set_scope(ap_tags_t *t, int scope)
{
  size_t from = t->elems.count;

  t->scope = scope;
  if (t->nscoped && t->scoped[t->nscoped - 1].from == from) { // No element made since the last change
    t->scoped[t->nscoped - 1].scope = scope;
    return true;
  }
  if (!grow((void **)&t->scoped, &t->ascoped, t->nscoped + 1, sizeof(scope_t), 16))
    return false;
  t->scoped[t->nscoped++] = (scope_t){.from = from, .scope = scope};
  return true;
}

// Close the open sequence and open one for an element with the page's next MCID.
static bool
open_element(ap_writer_t *r, int elem)
{
  ap_tags_t *t = r->tags;
  page_t *p = &t->pages[t->npages - 1];
  char op[64];
  int mcid = (int)p->n;

  ap_tags_close(r);
  if (!grow((void **)&p->owners, &p->a, p->n + 1, sizeof(int), 16) || !add_kid(r, elem, KID_MARK, t->marks))
    return false;
  t->marks++;
  p->owners[p->n++] = elem;
  // "/Type <</MCID n>> BDC\n", without printf (a table's cells open one each)...
  const char *type = t->types[elem_at(t, (size_t)elem)->type];
  size_t n = strlen(type);
  op[0] = '/';
  memcpy(op + 1, type, n); // (a type is shorter than AP_TAG_TYPE)
  memcpy(op + 1 + n, " <</MCID ", 9);
  char *q = ap_render_uint(op + 10 + n, (unsigned)mcid);
  memcpy(q, ">> BDC\n", 7);
  q += 7;
  HPDF_Stream_Write(((HPDF_PageAttr)r->page->attr)->stream, (const HPDF_BYTE *)op, (HPDF_UINT)(q - op));
  t->open = elem;
  return true;
}

// Flush the text gathered for a stream.
static void
out_flush(out_t *o)
{
  if (o->n && o->status == HPDF_OK)
    o->status = HPDF_Stream_Write(o->stream, (const HPDF_BYTE *)o->buf, (HPDF_UINT)o->n);
  o->n = 0;
}

// A name (its slash, and #xx for the bytes PDF names escape), as libharu writes it.
static void
out_name(out_t *o, const char *name)
{
  out_flush(o);
  if (o->status == HPDF_OK)
    o->status = HPDF_Stream_WriteEscapeName(o->stream, name);
}

// Text as it is (short: a key, a delimiter).
static void
out_str(out_t *o, const char *text)
{
  size_t n = strlen(text);

  if (n > sizeof(o->buf) - o->n)
    out_flush(o);
  if (n > sizeof(o->buf)) {
    o->status = o->status == HPDF_OK ? HPDF_FAILD_TO_ALLOC_MEM : o->status;
    return;
  }
  memcpy(o->buf + o->n, text, n);
  o->n += n;
}

// A whole number in decimal, as printf's %u writes it (printf took a
// quarter of a tagged document's save).
static void
out_uint(out_t *o, uint64_t value)
{
  char digits[20];
  size_t k = (size_t)(ap_render_uint(digits, value) - digits);

  if (k > sizeof(o->buf) - o->n)
    out_flush(o);
  memcpy(o->buf + o->n, digits, k);
  o->n += k;
}

// A reference to an indirect object, "12 0 R" (its number read now: the
// document numbers its objects when they are made, and could again).
static void
out_ref(out_t *o, const void *obj)
{
  const HPDF_Obj_Header *h = obj;

  out_uint(o, h->obj_id & 0x00FFFFFF);
  out_str(o, " ");
  out_uint(o, h->gen_no);
  out_str(o, " R");
}

// Write a reference to an element (numbered at the end, in order from t->first).
static void
out_elem(out_t *o, const ap_tags_t *t, int elem)
{
  out_uint(o, (uint32_t)(t->first + (uint32_t)elem));
  out_str(o, " 0 R");
}

// Whether libharu holds an element's dictionary: a Note (the IDTree, a
// libharu array, lists it).
static bool
has_dict(const ap_tags_t *t, const elem_t *e)
{
  return !strcmp(t->types[e->type], "Note");
}

// The dictionary of an element libharu holds (held is in element order), NULL if none.
static HPDF_Dict
held_dict(const ap_tags_t *t, int elem)
{
  const held_t *h = t->nheld ? bsearch(&elem, t->held, t->nheld, sizeof(*t->held), held_by_elem) : NULL;
  return h ? h->dict : NULL;
}

// bsearch: an element number against a held dictionary's.
static int
held_by_elem(const void *key, const void *item)
{
  int a = *(const int *)key, b = ((const held_t *)item)->elem;
  return (a > b) - (a < b);
}

// Room for more items in a libharu list at once (libharu grows its lists
// by a block of items at a time, copying them all each time).
static bool
reserve_entries(HPDF_List list, size_t more)
{
  if (list->count + more <= list->block_siz)
    return true;
  if (more > 0x7FFFFF)
    return false; // More objects than a PDF holds (libharu's limit too)
  HPDF_UINT room = list->count + (HPDF_UINT)more + list->items_per_block;
  void **grown = HPDF_GetMem(list->mmgr, room * (HPDF_UINT)sizeof(void *));
  if (!grown)
    return false;
  if (list->count)
    memcpy(grown, list->obj, list->count * sizeof(void *));
  if (list->obj)
    HPDF_FreeMem(list->mmgr, list->obj);
  list->obj = grown;
  list->block_siz = room;
  return true;
}

// libharu hook of an element's dictionary: its entries before the ">>".
static HPDF_STATUS
write_element(HPDF_Dict dict,      // I - The element's dictionary
              HPDF_Stream stream)  // I - Where to write
{
  const held_t *h = dict->attr; // The element

  return write_entries(h->tags, (size_t)h->elem, stream);
}

// A StructElem's entries (before its ">>"), through the stream it is
// given only (the file, or an object stream): /S, /P
// (unless libharu's entries hold them: an element with /Alt), /ID of a
// Note, /A of a table cell, /Pg (the page of its first marked content)
// and /K: a lone MCID as a number; else an array of MCIDs on its /Pg as
// numbers, MCIDs of other pages as MCR dictionaries, annotations as OBJR
// dictionaries (their /Pg when another page's; a link left out has no
// annotation, nor entry), child elements as references.
static HPDF_STATUS
write_entries(const ap_tags_t *t,  // I - The structure
              size_t index,        // I - The element
              HPDF_Stream stream)  // I - Where to write
{
  const elem_t *e = elem_at(t, index);                    // The element
  const extra_t *x = find_extra(t, (int)index);           // Its rare attributes
  uint32_t nkids = nkids_of(t, e);                        // Its children
  out_t o = {.stream = stream, .status = HPDF_OK};        // Output
  size_t first = SIZE_MAX;                                // Page of its first marked content

  // Type and parent, its alternative text (a text string, as libharu writes one), its ID, its table attributes...
  out_str(&o, "/S ");
  out_name(&o, t->types[e->type]);
  out_str(&o, "\012/P ");
  if (e->parent >= 0)
    out_elem(&o, t, e->parent);
  else
    out_ref(&o, t->ranges[-1 - e->parent].dict);
  out_str(&o, "\012");
  if (x && x->alt) {
    void *alt = ap_render_text_string(t->writer, x->alt);
    out_str(&o, "/Alt ");
    out_flush(&o);
    if (!alt || HPDF_Obj_WriteValue(alt, stream, NULL) != HPDF_OK)
      o.status = o.status != HPDF_OK ? o.status : HPDF_FAILD_TO_ALLOC_MEM;
    if (alt)
      HPDF_Obj_Free(t->writer->pdf->mmgr, alt);
    out_str(&o, "\012");
  }
  if (!strcmp(t->types[e->type], "Note")) { // PDF/UA-1 7.9: a Note has a unique ID (in the IDTree)
    out_str(&o, "/ID (n");
    out_uint(&o, index);
    out_str(&o, ")\012");
  }
  if (x && (x->th_scope || x->rowspan > 1 || x->colspan > 1)) {
    out_str(&o, "/A <<\012/O /Table\012");
    if (x->th_scope) {
      out_str(&o, "/Scope ");
      out_name(&o, x->th_scope);
      out_str(&o, "\012");
    }
    if (x->rowspan > 1) {
      out_str(&o, "/RowSpan ");
      out_uint(&o, (unsigned)x->rowspan);
      out_str(&o, "\012");
    }
    if (x->colspan > 1) {
      out_str(&o, "/ColSpan ");
      out_uint(&o, (unsigned)x->colspan);
      out_str(&o, "\012");
    }
    out_str(&o, ">>\012");
  }

  // ...its page, and its children.
  for (uint32_t i = 0; i < nkids && first == SIZE_MAX; i++)
    if ((kid_at(t, e, i) & 3) == KID_MARK)
      first = mark_page(t, kid_at(t, e, i) >> 2);
  if (first != SIZE_MAX) {
    out_str(&o, "/Pg ");
    out_ref(&o, t->pages[first].page);
    out_str(&o, "\012");
  }
  if (nkids == 1 && (e->kid & 3) == KID_MARK) { // One marked-content sequence: its MCID alone
    out_str(&o, "/K ");
    out_uint(&o, (size_t)(e->kid >> 2) - t->pages[first].first);
    out_str(&o, "\012");
    out_flush(&o);
    return o.status;
  }
  out_str(&o, "/K [ ");
  for (uint32_t i = 0; i < nkids; i++) {
    kid_t kid = kid_at(t, e, i);
    size_t value = kid >> 2, page;                        // Its index, a mark's page
    if ((kid & 3) == KID_ELEM) {
      out_elem(&o, t, (int)value);
      out_str(&o, " ");
    } else if ((kid & 3) == KID_OBJR) {
      const objr_t *objr = &t->objrs[value];
      if (!objr->annot)
        continue;
      out_str(&o, "<<\012/Type /OBJR\012/Obj ");
      out_ref(&o, objr->annot);
      out_str(&o, "\012");
      if ((size_t)objr->page != first) {
        out_str(&o, "/Pg ");
        out_ref(&o, t->pages[objr->page].page);
        out_str(&o, "\012");
      }
      out_str(&o, ">> ");
    } else if ((page = mark_page(t, value)) == first) {
      out_uint(&o, value - t->pages[page].first);
      out_str(&o, " ");
    } else {
      out_str(&o, "<<\012/Type /MCR\012/Pg ");
      out_ref(&o, t->pages[page].page);
      out_str(&o, "\012/MCID ");
      out_uint(&o, value - t->pages[page].first);
      out_str(&o, "\012>> ");
    }
  }
  out_str(&o, "]\012");
  out_flush(&o);
  return o.status;
}

// libharu hook, writing the ParentTree's /Nums (or a leaf's, after its
// /Limits) before its ">>": each page's number and the elements of its
// MCIDs in order, then (in the last) each annotation's StructParent
// (numbered on from the pages' in ap_tags_finalize) and its Link.
static HPDF_STATUS
write_parent_leaf(HPDF_Dict dict,      // I - The ParentTree, or one of its leaves
                  HPDF_Stream stream)  // I - Where to write
{
  const leaf_t *l = dict->attr;                      // Its pages
  const ap_tags_t *t = l->tags;                      // The structure
  out_t o = {.stream = stream, .status = HPDF_OK};   // Output
  size_t annots = 0;                                 // Annotations' keys after the pages (last leaf)

  for (size_t i = 0; l->last && i < t->nobjrs; i++)
    annots += t->objrs[i].annot != NULL;
  if (l->kid)
  {
    out_str(&o, "/Limits [ ");
    out_uint(&o, l->from);
    out_str(&o, " ");
    out_uint(&o, l->to - 1 + annots);
    out_str(&o, " ] ");
  }
  out_str(&o, "/Nums [ ");
  write_parent_keys(&o, t, l->from, l->to, l->last);
  out_str(&o, "]\012");
  out_flush(&o);
  return o.status;
}

// The keys of pages [from, to) with the elements of their MCIDs, then (annots) each
// annotation's StructParent with its Link.
static void
write_parent_keys(out_t *o, const ap_tags_t *t, size_t from, size_t to, bool annots)
{
  size_t key = t->npages; // Next annotation's key

  for (size_t p = from; p < to; p++) {
    out_uint(o, p);
    out_str(o, " [ ");
    for (size_t m = 0; m < t->pages[p].n; m++) {
      out_elem(o, t, t->pages[p].owners[m]);
      out_str(o, " ");
    }
    out_str(o, "] ");
  }
  for (size_t i = 0; annots && i < t->nobjrs; i++)
    if (t->objrs[i].annot) {
      out_uint(o, key++);
      out_str(o, " ");
      out_elem(o, t, t->objrs[i].elem);
      out_str(o, " ");
    }
}

// libharu hook, writing the /K of the Document (or of one of its Divs)
// before its ">>": its children in order.
static HPDF_STATUS
write_range(HPDF_Dict dict,      // I - The Document or a Div
            HPDF_Stream stream)  // I - Where to write
{
  const range_t *g = dict->attr;                     // Its children
  const ap_tags_t *t = g->tags;                      // The structure
  out_t o = {.stream = stream, .status = HPDF_OK};   // Output

  out_str(&o, "/K [ ");
  for (size_t i = g->from; i < g->to; i++) {
    out_elem(&o, t, t->tops[i]);
    out_str(&o, " ");
  }
  out_str(&o, "]\012");
  out_flush(&o);
  return o.status;
}
