// Crop marks (--crop-marks): each PDF page grows around its trimmed size
// by its bleed and room for the marks; the marks show the printer where to
// cut (and, on booklet sheets, where to fold). Render only paints them and
// writes the trim and bleed boxes it is given.
#include "layout.h"

#include "box.h"

#define MARK_LENGTH (5 * AP_PT_PER_MM)  // Length of one mark
#define MARK_OFFSET (3 * AP_PT_PER_MM)  // Least distance from the trim to a mark (more when the bleed is wider)
#define MARK_MARGIN (2 * AP_PT_PER_MM)  // Paper left beyond the marks
#define MARK_WIDTH 0.25                 // Stroke width of a mark, points

static void add_mark(ap_page_t *page, ap_arena_t *arena, const char *role, double x, double y, double w, double h);

//
// 'ap_pages_crop_marks()' - Grow every page for its bleed and crop marks, add the marks.
//
// The trimmed page keeps its size and content and moves in by the room
// around it: the bleed (the page's bleed=), then at least 3 mm (more when
// the bleed is wider: a mark never stands inside the bleed), a 5 mm mark
// and 2 mm of paper; with a 3 mm bleed the page grows by 10 mm on each
// side. At each corner two thin black lines (0.25 pt) continue the trim
// edges outwards; a booklet sheet also gets a fold mark at the top and the
// bottom of its fold, a 2-up sheet crop marks at its cut. The page's trim
// box (its own size) and bleed box are recorded for render.
//

void
ap_pages_crop_marks(ap_pages_t *pages,  // I - Pages or sheets (changed in place)
                    ap_arena_t *arena)  // I - Where their boxes live
{
  for (ap_page_t *p = pages->first; p; p = p->next) {
    double bleed = p->bleed, off = bleed > MARK_OFFSET ? bleed : MARK_OFFSET;
    double room = off + MARK_LENGTH + MARK_MARGIN, w = p->width, h = p->height;

    // The content moves in (a group's clip too); the page grows...
    ap_box_shift(p->boxes, room, room);
    for (ap_box_t *b = p->boxes; b; b = b->next)
      if (b->kind == AP_BOX_GROUP && b->clip.w > 0) {
        b->clip.x += room;
        b->clip.y += room;
      }
    p->width = w + 2 * room;
    p->height = h + 2 * room;
    p->trim_box = (ap_rect_t){room, room, w, h};
    p->bleed_box = (ap_rect_t){room - bleed, room - bleed, w + 2 * bleed, h + 2 * bleed};

    // Two marks at each corner, off the trim by at least the bleed...
    double left = room, right = room + w, top = room, bottom = room + h;
    add_mark(p, arena, "crop-mark", left - off - MARK_LENGTH, top, MARK_LENGTH, 0);
    add_mark(p, arena, "crop-mark", left, top - off - MARK_LENGTH, 0, MARK_LENGTH);
    add_mark(p, arena, "crop-mark", right + off, top, MARK_LENGTH, 0);
    add_mark(p, arena, "crop-mark", right, top - off - MARK_LENGTH, 0, MARK_LENGTH);
    add_mark(p, arena, "crop-mark", left - off - MARK_LENGTH, bottom, MARK_LENGTH, 0);
    add_mark(p, arena, "crop-mark", left, bottom + off, 0, MARK_LENGTH);
    add_mark(p, arena, "crop-mark", right + off, bottom, MARK_LENGTH, 0);
    add_mark(p, arena, "crop-mark", right, bottom + off, 0, MARK_LENGTH);

    // ...and where an imposed sheet is folded or cut between its pages...
    double middle = p->fold > 0 ? p->fold : p->cut;
    if (middle > 0) {
      const char *role = p->fold > 0 ? "fold-mark" : "crop-mark";
      add_mark(p, arena, role, room + middle, top - off - MARK_LENGTH, 0, MARK_LENGTH);
      add_mark(p, arena, role, room + middle, bottom + off, 0, MARK_LENGTH);
    }
  }
}

// Append one mark: a thin black rule along (x, y, w, h), w or h zero.
static void
add_mark(ap_page_t *page, ap_arena_t *arena, const char *role, double x, double y, double w, double h)
{
  ap_box_t *mark = AP_NEW(arena, ap_box_t);

  mark->kind = AP_BOX_RULE;
  mark->role = role;
  mark->rect = (ap_rect_t){x, y, w, h};
  mark->stroke = MARK_WIDTH;
  mark->color = (ap_color_t){.r = 0, .g = 0, .b = 0};
  if (page->last)
    page->last->next = mark;
  else
    page->boxes = mark;
  page->last = mark;
}
