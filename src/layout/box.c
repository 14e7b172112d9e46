// Box helpers: a chain of boxes copied into another arena (items that
// outlive their page, header rows repeated on every page) or moved into
// place (lines into their paragraph, blocks onto their page).
#include "box.h"

//
// 'ap_box_clone()' - Deep copy of a chain of boxes, in an arena.
//
// Run texts are copied too (they live in the arena of the items); names,
// titles and link targets come from the document tree, which outlives pages.
//

ap_box_t *
ap_box_clone(ap_arena_t *arena, const ap_box_t *boxes)
{
  ap_box_t *first = NULL, **tail = &first;
  for (const ap_box_t *b = boxes; b; b = b->next) {
    ap_box_t *c = AP_NEW(arena, ap_box_t);
    *c = *b;
    c->next = NULL;
    ap_run_t **rt = &c->runs;
    for (const ap_run_t *r = b->runs; r; r = r->next) {
      ap_run_t *rc = AP_NEW(arena, ap_run_t);
      *rc = *r;
      rc->text = ap_arena_strdup(arena, r->text);
      rc->next = NULL;
      *rt = rc;
      rt = &rc->next;
    }
    *tail = c;
    tail = &c->next;
  }
  return first;
}

//
// 'ap_box_shift()' - Move a chain of boxes and their runs.
//

void
ap_box_shift(ap_box_t *boxes, double dx, double dy)
{
  for (ap_box_t *b = boxes; b; b = b->next) {
    b->rect.x += dx;
    b->rect.y += dy;
    for (ap_run_t *r = b->runs; r; r = r->next) {
      r->x += dx;
      r->baseline += dy;
    }
  }
}
