// Navigation: destinations from DEST boxes, the outline (bookmarks) from
// those with a level, and link annotations from LINK boxes to them by name.
#include "render-private.h"

#include <stdlib.h>
#include <string.h>

static int compare_anchors(const void *a, const void *b);
static HPDF_Destination find_dest(const ap_renderer_t *r, const char *name);
static bool set_top(ap_renderer_t *r, HPDF_Destination dest, double top);

//
// 'ap_render_dest()' - Destination and outline entry of a DEST box.
//

bool
ap_render_dest(ap_renderer_t *r, const ap_box_t *box)
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
    r->anchors[r->nanchors].name = box->name;
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
// 'ap_render_finalize_dests()' - Sort destinations by name for look-ups.
//

void
ap_render_finalize_dests(ap_renderer_t *r)
{
  if (r->nanchors > 1)
    qsort(r->anchors, r->nanchors, sizeof(ap_anchor_t), compare_anchors);
}

//
// 'ap_render_link()' - Link annotation from a LINK box to its destination.
//
// Names with a URI scheme ("https://...", "mailto:...") become URI links.
//

bool
ap_render_link(ap_renderer_t *r, const ap_box_t *box)
{
  const ap_rect_t *b = &box->rect;
  HPDF_Rect rect = {(HPDF_REAL)b->x, (HPDF_REAL)(r->height - b->y - b->h),
                    (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(r->height - b->y)};
  HPDF_Annotation annot;
  HPDF_Destination dest;

  if (!box->name || !*box->name)
    return true;

  // External targets...
  if (strstr(box->name, "://") || !strncmp(box->name, "mailto:", 7)) {
    if (!(annot = HPDF_Page_CreateURILinkAnnot(r->page, rect, box->name)))
      return false;
    HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
    return !r->failed;
  }

  // Internal ones: a dangling name is reported, the link left out...
  if (!(dest = find_dest(r, box->name))) {
    ap_warn(r->diags, ap_loc_file(r->path), "link to unknown destination '%s' left out", box->name);
    return true;
  }
  if (!(annot = HPDF_Page_CreateLinkAnnot(r->page, rect, dest)))
    return false;
  HPDF_LinkAnnot_SetBorderStyle(annot, 0, 0, 0);
  return !r->failed;
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
find_dest(const ap_renderer_t *r, const char *name)
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
set_top(ap_renderer_t *r, HPDF_Destination dest, double top)
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
