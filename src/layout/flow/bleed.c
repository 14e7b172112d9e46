// Bleed: what a page paints up to its edge (a background, a band of colour,
// a picture) goes on beyond it by the template's bleed=, so that a trim a
// little off still leaves no white edge. Only the painted areas that touch
// the page's edge grow; text and everything inside the edge stay put.
#include "flow.h"

#define TOUCH 0.01 // Closer than this to an edge (points) is touching it

static void cover(ap_arena_t *arena, ap_box_t *box, ap_rect_t grown);
static ap_rect_t grow(ap_rect_t r, double width, double height, double bleed);

//
// 'ap_flow_bleed()' - Extend the painted areas that touch the trim into the bleed.
//
// A filled rectangle (a frame's or a shape's background) grows on each side
// that touches the page's edge. An image keeps its proportions: it is
// scaled, about its centre, until it covers its grown box, and clipped to
// that box (a group around it). Ellipses, rules, lines and text never grow.
//

void
ap_flow_bleed(ap_page_t *page,      // I - Composed page (its bleed set from its template)
              ap_arena_t *arena)    // I - Where the page's boxes live
{
  if (page->bleed <= 0)
    return;
  for (ap_box_t *b = page->boxes; b; b = b->next) {
    if (b->kind != AP_BOX_RECT && b->kind != AP_BOX_IMAGE)
      continue;
    if (b->kind == AP_BOX_RECT && (!b->fill || b->rect.w <= 0 || b->rect.h <= 0))
      continue;
    ap_rect_t g = grow(b->rect, page->width, page->height, page->bleed);
    if (g.x == b->rect.x && g.y == b->rect.y && g.w == b->rect.w && g.h == b->rect.h)
      continue;
    if (b->kind == AP_BOX_RECT)
      b->rect = g;
    else
      cover(arena, b, g);
  }
}

// Turn an image box into a group of the grown box that draws the image
// scaled to cover it (the larger of the two scales), centred, clipped.
static void
cover(ap_arena_t *arena, ap_box_t *box, ap_rect_t grown)
{
  ap_page_t *inner = AP_NEW(arena, ap_page_t); // The group's source: the grown box at scale 1
  ap_box_t *image = AP_NEW(arena, ap_box_t);   // The image, scaled, in it
  double sx = grown.w / box->rect.w, sy = grown.h / box->rect.h;
  double scale = sx > sy ? sx : sy;

  if (box->rect.w <= 0 || box->rect.h <= 0)
    return;
  *image = *box;
  image->next = NULL;
  image->rect.w = box->rect.w * scale;
  image->rect.h = box->rect.h * scale;
  image->rect.x = (grown.w - image->rect.w) / 2;
  image->rect.y = (grown.h - image->rect.h) / 2;
  inner->width = grown.w;
  inner->height = grown.h;
  inner->boxes = inner->last = image;

  box->kind = AP_BOX_GROUP;
  box->role = "bleed-image";
  box->rect = grown;
  box->source = inner;
}

// A rectangle grown by bleed on each side that touches the page's edge.
static ap_rect_t
grow(ap_rect_t r, double width, double height, double bleed)
{
  double left = r.x, top = r.y, right = r.x + r.w, bottom = r.y + r.h;

  if (left <= TOUCH && left > -bleed)
    left = -bleed;
  if (top <= TOUCH && top > -bleed)
    top = -bleed;
  if (right >= width - TOUCH && right < width + bleed)
    right = width + bleed;
  if (bottom >= height - TOUCH && bottom < height + bleed)
    bottom = height + bleed;
  return (ap_rect_t){left, top, right - left, bottom - top};
}
