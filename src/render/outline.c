// Navigation: destinations from DEST boxes, the outline (bookmarks) from
// those with a level, both made as their page is painted, and link
// annotations from LINK boxes to them by name, made at the end because a
// link may point to a later page (URI links are made at once). Tagged,
// each annotation is an OBJR of a Link element (tags.c).
#include "render-private.h"

#include <stdlib.h>
#include <string.h>

static bool add_link(ap_writer_t *r, const char *name, HPDF_Rect rect, int objr);
static int compare_anchors(const void *a, const void *b);
static HPDF_Destination find_dest(const ap_writer_t *r, const char *name);
static bool set_top(ap_writer_t *r, HPDF_Destination dest, double top);

//
// 'ap_render_dest()' - Destination and outline entry of a DEST box.
//

bool
ap_render_dest(ap_writer_t *r, const ap_box_t *box)
{
  HPDF_Destination dest;
  double top = r->height - box->rect.y; // PDF y of the anchor

  // The destination: this page, scrolled to the anchor, zoom unchanged...
  if (!(dest = HPDF_Page_CreateDestination(r->page)))
    return false;
  if (top < 0)
    top = 0;
  if (top > r->height)
    top = r->height;
  if (!set_top(r, dest, top))
    return false;

  // Remember it under its name...
  if (box->name && *box->name) {
    if (r->nanchors == r->aanchors) {
      size_t n = r->aanchors ? r->aanchors * 2 : 16;
      ap_anchor_t *a = realloc(r->anchors, n * sizeof(*a));
      if (!a)
        return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
      r->anchors = a;
      r->aanchors = n;
    }
    if (!(r->anchors[r->nanchors].name = strdup(box->name)))
      return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    r->anchors[r->nanchors].order = r->nanchors;
    r->anchors[r->nanchors].dest = dest;
    r->nanchors++;
  }

  // An outline entry under the nearest shallower entry...
  if (box->level > 0) {
    int level = box->level > AP_OUTLINE_DEPTH ? AP_OUTLINE_DEPTH : box->level;
    HPDF_Outline parent = NULL, entry;
    for (int k = level - 2; k >= 0 && !parent; k--)
      parent = r->outline[k];
    entry = HPDF_CreateOutline(r->pdf, parent, box->title && *box->title ? box->title : " ",
                               HPDF_GetEncoder(r->pdf, "UTF-8"));
    if (!entry)
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
  for (size_t i = 0; i < r->nlinks; i++)
    free(r->links[i].name);
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
    HPDF_Destination dest = find_dest(r, link->name);
    HPDF_Annotation annot;
    if (!dest) {
      ap_warn(r->diags, ap_loc_file(r->path), "link to unknown destination '%s' left out", link->name);
      continue;
    }
    if (!(annot = HPDF_Page_CreateLinkAnnot(link->page, link->rect, dest)))
      return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
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
  HPDF_Rect rect = {(HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y - b->h),
                    (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(r->height - b->y)};
  HPDF_Annotation annot;
  int objr;

  if (!box->name || !*box->name)
    return true;
  if (!ap_tags_link(r, box, &objr))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");

  // External targets...
  if (strstr(box->name, "://") || !strncmp(box->name, "mailto:", 7)) {
    if (!(annot = HPDF_Page_CreateURILinkAnnot(r->page, rect, box->name)))
      return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
    ap_tags_annot(r, objr, annot);
    return !r->failed;
  }

  // Internal ones, for the end...
  return add_link(r, box->name, rect, objr);
}

// Note a link to a named destination on the current page (with its OBJR);
// false when out of memory (recorded).
static bool
add_link(ap_writer_t *r, const char *name, HPDF_Rect rect, int objr)
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
  r->nlinks++;
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

// The first destination with a name, or NULL.
static HPDF_Destination
find_dest(const ap_writer_t *r, const char *name)
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
    return r->anchors[lo].dest;
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
