// Navigation: destinations from DEST boxes, the outline (bookmarks) from
// those with a level, both made as their page is painted, and link
// annotations from LINK boxes to them by name, made at the end because a
// link may point to a later page (URI links are made at once). Tagged,
// each annotation is an OBJR of a Link element (tags.c) and has a
// /Contents (its text, a contents entry's "title, trang N"), and each
// footnote reference links to its note's first line ("Chú thích N").
#include "render-private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool add_anchor(ap_writer_t *r, const char *name, HPDF_Destination dest, double top);
static bool add_link(ap_writer_t *r, const char *name, HPDF_Rect rect, int objr, const char *contents);
static int compare_anchors(const void *a, const void *b);
static HPDF_Destination create_dest(ap_writer_t *r, double y);
static HPDF_Destination direct_dest(ap_writer_t *r, const ap_anchor_t *anchor);
static void note_name(char *name, size_t size, int elem);
static const ap_anchor_t *find_anchor(const ap_writer_t *r, const char *name);
static bool set_top(ap_writer_t *r, HPDF_Destination dest, double top);

//
// 'ap_render_dest()' - Destination and outline entry of a DEST box.
//

bool
ap_render_dest(ap_writer_t *r, const ap_box_t *box)
{
  HPDF_Destination dest;

  // The destination: this page, scrolled to the anchor, zoom unchanged,
  // remembered under its name...
  if (!(dest = create_dest(r, box->rect.y)))
    return false;
  if (box->name && *box->name && !add_anchor(r, box->name, dest, 0))
    return false;

  // An outline entry under the nearest shallower entry (not for a page a
  // group draws)...
  if (box->level > 0 && r->depth == 0) {
    int level = box->level > AP_OUTLINE_DEPTH ? AP_OUTLINE_DEPTH : box->level;
    HPDF_Outline parent = NULL, entry;
    for (int k = level - 2; k >= 0 && !parent; k--)
      parent = r->outline[k];
    entry = HPDF_CreateOutline(r->pdf, parent, " ", NULL);
    if (!entry || HPDF_Dict_Add(entry, "Title", ap_render_text_string(r, box->title && *box->title ? box->title : " "))
                      != HPDF_OK)
      return false;
    HPDF_Outline_SetDestination(entry, dest);
    HPDF_Outline_SetOpened(entry, level == 1 ? HPDF_TRUE : HPDF_FALSE);
    r->outline[level - 1] = entry;
    for (int k = level; k < AP_OUTLINE_DEPTH; k++)
      r->outline[k] = NULL;
  }
  return !r->failed;
}

//
// 'ap_render_destroy_links()' - Free the destination and link records.
//

void
ap_render_destroy_links(ap_writer_t *r)
{
  for (size_t i = 0; i < r->nanchors; i++)
    free(r->anchors[i].name);
  for (size_t i = 0; i < r->nlinks; i++) {
    free(r->links[i].name);
    free(r->links[i].contents);
  }
  free(r->anchors);
  free(r->links);
  r->anchors = NULL;
  r->links = NULL;
  r->nanchors = r->aanchors = r->nlinks = r->alinks = 0;
}

//
// 'ap_render_finalize_links()' - Create the annotations of the noted links.
//
// Every page exists now, with its destinations: sort them by name, then
// give each link, in the order the pages had them, its destination. A
// dangling name is reported and the link left out.
//

bool                                      // O - true on success
ap_render_finalize_links(ap_writer_t *r)  // I - Writer, every page painted
{
  if (r->nanchors > 1)
    qsort(r->anchors, r->nanchors, sizeof(ap_anchor_t), compare_anchors);
  for (size_t i = 0; i < r->nlinks; i++) {
    const ap_link_t *link = r->links + i;
    const ap_anchor_t *anchor = find_anchor(r, link->name);
    HPDF_Destination dest = !anchor ? NULL : anchor->dest ? anchor->dest : direct_dest(r, anchor);
    HPDF_Annotation annot;
    if (!dest) {
      if (anchor) // (out of memory: libharu reported)
        return false;
      ap_warn(r->diags, ap_loc_file(r->path), "link to unknown destination '%s' left out", link->name);
      continue;
    }
    if (!(annot = HPDF_Page_CreateLinkAnnot(link->page, link->rect, dest)))
      return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
    if (link->contents)
      HPDF_Dict_Add(annot, "Contents", ap_render_text_string(r, link->contents));
    ap_tags_annot(r, link->objr, annot);
    if (r->failed)
      return false;
  }
  return true;
}

//
// 'ap_render_link()' - Link annotation from a LINK box, now or at the end.
//
// Names with a URI scheme ("https://...", "mailto:...") become URI links
// at once; others name a destination that may be on a later page, so the
// link (page, area, a copy of the name) waits for ap_render_finalize_links().
//

bool
ap_render_link(ap_writer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;
  HPDF_Rect rect = ap_render_page_rect(r, b->x, r->height - b->y - b->h, b->x + b->w, r->height - b->y);
  HPDF_Annotation annot;
  int objr;
  const char *contents = r->tags ? (box->alt && *box->alt ? box->alt : box->name) : NULL; // Tagged: its description

  if (!box->name || !*box->name)
    return true;
  if (!ap_tags_link(r, box, &objr))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");

  // External targets...
  if (strstr(box->name, "://") || !strncmp(box->name, "mailto:", 7)) {
    if (!(annot = HPDF_Page_CreateURILinkAnnot(r->page, rect, box->name)))
      return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
    if (contents)
      HPDF_Dict_Add(annot, "Contents", ap_render_text_string(r, contents));
    ap_tags_annot(r, objr, annot);
    return !r->failed;
  }

  // Internal ones, for the end...
  return add_link(r, box->name, rect, objr, contents);
}

//
// 'ap_render_note_dest()' - The destination of a footnote's first line.
//
// Tagged only: the references of the note (ap_render_note_link) link here,
// by a name no layout can give (its element id after a control character).
// Not an object of its own: each link gets the array itself (fewer bytes).
//

bool                                      // O - true on success
ap_render_note_dest(ap_writer_t *r,       // I - Writer
                    const ap_box_t *box)  // I - The note's first line painted, on the current page
{
  double top = r->height - box->rect.y;   // PDF y of its top
  char name[32];

  if (!box->elem)
    return true;
  note_name(name, sizeof(name), box->elem);
  top = ceil(ap_render_page_y(r, top < 0 ? 0 : top > r->height ? r->height : top)); // (a whole point, at or above
  return add_anchor(r, name, NULL, top);                                       // the line: fewer bytes)
}

//
// 'ap_render_note_link()' - Link a footnote reference to its note.
//
// Tagged, while the reference is shown in its Link (in a group: where the
// sheet draws it): an annotation over the number, described as "Chú thích N", to the note's
// first line (made at the end, as the note may come after it).
//

bool                                      // O - true on success
ap_render_note_link(ap_writer_t *r,       // I - Writer
                    const ap_run_t *run)  // I - The reference (run->note its note)
{
  ap_font_metrics_t m = ap_font_get_metrics(run->font, run->size);
  HPDF_Rect rect = ap_render_page_rect(r, run->x, r->height - run->baseline + m.descender, run->x + run->width,
                                       r->height - run->baseline + m.ascender); // Around the number...
  char name[32], contents[64];
  int objr;

  rect = (HPDF_Rect){floorf(rect.left), floorf(rect.bottom), ceilf(rect.right), ceilf(rect.top)}; // ...in whole
                                                                          // points (fewer bytes)
  if (!ap_tags_note_link(r, &objr))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  if (objr < 0)
    return true;
  note_name(name, sizeof(name), run->note);
  snprintf(contents, sizeof(contents), "Chú thích %.32s", run->text);
  return add_link(r, name, rect, objr, contents);
}

// Remember a destination under a name (without dest: one at top on the
// current page, made for each link); false when out of memory (recorded).
static bool
add_anchor(ap_writer_t *r, const char *name, HPDF_Destination dest, double top)
{
  if (r->nanchors == r->aanchors) {
    size_t n = r->aanchors ? r->aanchors * 2 : 16;
    ap_anchor_t *a = realloc(r->anchors, n * sizeof(*a));
    if (!a)
      return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    r->anchors = a;
    r->aanchors = n;
  }
  if (!(r->anchors[r->nanchors].name = strdup(name)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  r->anchors[r->nanchors].order = r->nanchors;
  r->anchors[r->nanchors].dest = dest;
  r->anchors[r->nanchors].page = r->page;
  r->anchors[r->nanchors].top = top;
  r->nanchors++;
  return true;
}

// Note a link to a named destination on the current page (with its OBJR);
// false when out of memory (recorded).
static bool
add_link(ap_writer_t *r, const char *name, HPDF_Rect rect, int objr, const char *contents)
{
  if (r->nlinks == r->alinks) {
    size_t n = r->alinks ? r->alinks * 2 : 16;
    ap_link_t *links = realloc(r->links, n * sizeof(*links));
    if (!links)
      return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    r->links = links;
    r->alinks = n;
  }
  if (!(r->links[r->nlinks].name = strdup(name)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  r->links[r->nlinks].page = r->page;
  r->links[r->nlinks].rect = rect;
  r->links[r->nlinks].objr = objr;
  r->links[r->nlinks].contents = NULL;
  r->nlinks++; // (counted now: destroy frees its name)
  if (contents && !(r->links[r->nlinks - 1].contents = strdup(contents)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  return true;
}

// Order anchors by name, then by document order (the first one wins).
static int
compare_anchors(const void *a, const void *b)
{
  const ap_anchor_t *x = a, *y = b;
  int c = strcmp(x->name, y->name);

  if (c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

// A destination on the current page scrolled to layout y (clamped to the
// page), zoom unchanged; NULL on error.
static HPDF_Destination
create_dest(ap_writer_t *r, double y)
{
  HPDF_Destination dest = HPDF_Page_CreateDestination(r->page);
  double top = r->height - y; // PDF y of the anchor

  if (top < 0)
    top = 0;
  if (top > r->height)
    top = r->height;
  return dest && set_top(r, dest, ap_render_page_y(r, top)) ? dest : NULL;
}

// A destination [page /XYZ null top null] for one link, as a direct array
// (libharu's are indirect objects); NULL on error.
static HPDF_Destination
direct_dest(ap_writer_t *r, const ap_anchor_t *anchor)
{
  HPDF_Destination dest = HPDF_Array_New(r->pdf->mmgr);

  if (!dest)
    return NULL;
  dest->header.obj_class |= HPDF_OSUBCLASS_DESTINATION; // (what libharu checks a /Dest by)
  HPDF_Array_Add(dest, anchor->page);
  HPDF_Array_AddName(dest, "XYZ");
  HPDF_Array_Add(dest, HPDF_Null_New(r->pdf->mmgr));
  HPDF_Array_AddReal(dest, (HPDF_REAL)anchor->top);
  HPDF_Array_Add(dest, HPDF_Null_New(r->pdf->mmgr));
  return r->failed ? NULL : dest;
}

// The name of a note's destination: "\001" and its element id (no layout
// name holds a control character).
static void
note_name(char *name, size_t size, int elem)
{
  snprintf(name, size, "\001%d", elem);
}

// The first anchor with a name, or NULL.
static const ap_anchor_t *
find_anchor(const ap_writer_t *r, const char *name)
{
  size_t lo = 0, hi = r->nanchors; // Search [lo, hi) for the first match

  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(r->anchors[mid].name, name) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < r->nanchors && !strcmp(r->anchors[lo].name, name))
    return &r->anchors[lo];
  return NULL;
}

// Make the destination [page /XYZ null top null]: libharu's SetXYZ refuses a
// zero (keep) zoom, so set zoom 1 and replace it, and the left, by null.
static bool
set_top(ap_writer_t *r, HPDF_Destination dest, double top)
{
  if (HPDF_Destination_SetXYZ(dest, 0, (HPDF_REAL)top, 1) != HPDF_OK)
    return false;
  if (dest->list->count != 5)
    return true; // Not the layout we know: keep the explicit values
  // The zoom is last: append a null in its place...
  void *old = HPDF_List_RemoveByIndex(dest->list, 4);
  HPDF_Null null = HPDF_Null_New(dest->mmgr);
  if (old)
    HPDF_Obj_Free(dest->mmgr, old);
  if (!null || HPDF_Array_Add(dest, null) != HPDF_OK)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write a destination");

  // The left is third: insert a null before the top...
  old = HPDF_List_RemoveByIndex(dest->list, 2);
  null = HPDF_Null_New(dest->mmgr);
  if (old)
    HPDF_Obj_Free(dest->mmgr, old);
  if (!null || HPDF_Array_Insert(dest, HPDF_List_ItemAt(dest->list, 2), null) != HPDF_OK)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write a destination");
  return true;
}
