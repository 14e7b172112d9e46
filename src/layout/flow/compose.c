// Compose: place each page's watermark first, its items in its text area,
// its footnotes at the foot under a short rule, and the page template's
// header and footer (which may show the page number).
#include "flow.h"

#include <string.h>

static void append(ap_page_t *page, ap_box_t *boxes);
static bool furniture(ap_flow_t *flow, const ap_master_t *m, ap_page_t *page, double x, double width);

//
// 'ap_flow_compose_page()' - Place a planned page.
//

ap_page_t *
ap_flow_compose_page(ap_flow_t *flow, const ap_plan_t *plan, int number)
{
  const ap_notes_t *cfg = &flow->ctx.doc->notes;
  bool whole = plan->end > plan->start && flow->items.at[plan->start].kind == AP_ITEM_PAGE;
  const ap_master_t *m = whole          ? flow->items.at[plan->start].master
                         : plan->master ? plan->master
                         : number == 1  ? flow->ctx.doc->first_master
                                        : flow->ctx.doc->master;
  ap_page_t *page = AP_NEW(flow->ctx.arena, ap_page_t);
  // Mirrored margins: the inner margin is on the left of odd pages...
  double x = m->mirror && number % 2 == 0 ? m->outer : m->inner;
  double y = m->top, notes_h = 0;

  page->number = number;
  page->width = m->width;
  page->height = m->height;
  page->master = m;
  page->bleed = m->bleed;
  flow->ctx.page_count = flow->map ? flow->map->count : number;
  if (!ap_watermark_layout(flow, m, page)) // First: everything else is painted over it
    return NULL;

  // A page of its own comes composed; flow items are placed in order...
  if (whole)
    append(page, flow->items.at[plan->start].boxes);
  if (!whole && plan->start < plan->end && flow->items.at[plan->start].head) {
    // The table's header rows again, above its continued rows (furniture:
    // their text is the table's once, where the table begins)...
    const ap_head_t *head = flow->items.at[plan->start].head;
    ap_box_t *copy = ap_box_clone(flow->ctx.arena, head->boxes);
    for (ap_box_t *b = copy; b; b = b->next)
      b->tag = "Artifact";
    ap_box_shift(copy, x, y);
    append(page, copy);
    y += head->height;
  }
  for (int i = plan->start; i < plan->end && !whole; i++) {
    ap_item_t *it = &flow->items.at[i];
    if (i > plan->start)
      y += it->space_before;
    ap_box_shift(it->boxes, x, y);
    append(page, it->boxes);
    y += it->height;
  }

  // The footnotes at the foot, under a rule...
  for (int k = 0; k < plan->npieces; k++)
    notes_h += ap_note_height(plan->pieces[k].note, plan->pieces[k].first, plan->pieces[k].count);
  if (plan->npieces) {
    double ny = m->height - m->bottom - notes_h;
    ap_box_t *rule = AP_NEW(flow->ctx.arena, ap_box_t);
    rule->kind = AP_BOX_RULE;
    rule->role = "note-separator";
    rule->stroke = 0.5;
    rule->rect.x = x;
    rule->rect.y = ny - 3;
    rule->rect.w = cfg->separator;
    append(page, rule);
    for (int k = 0; k < plan->npieces; k++) {
      const ap_piece_t *piece = &plan->pieces[k];
      const ap_note_t *note = piece->note;
      for (int l = piece->first; l < piece->first + piece->count; l++) {
        ap_box_shift(note->lines[l], x, ny - note->tops[piece->first]);
        append(page, note->lines[l]);
      }
      ny += ap_note_height(note, piece->first, piece->count);
    }
  }

  // Header and footer, which may count pages...
  flow->ctx.page_number = number;
  if (!furniture(flow, m, page, x, m->width - m->inner - m->outer))
    return NULL;

  // Backgrounds and pictures at the edge run on into the bleed...
  ap_flow_bleed(page, flow->ctx.arena);
  return page;
}

// Append a chain of boxes to a page.
static void
append(ap_page_t *page, ap_box_t *boxes)
{
  if (!boxes)
    return;
  if (page->last)
    page->last->next = boxes;
  else
    page->boxes = boxes;
  page->last = boxes;
  while (page->last->next)
    page->last = page->last->next;
}

// Lay the template's header and footer out for this page.
static bool
furniture(ap_flow_t *flow, const ap_master_t *m, ap_page_t *page, double x, double width)
{
  ap_box_t *boxes;
  ap_note_t **notes;
  int nnotes;

  if (m->header) {
    double h = ap_block_stack(&flow->ctx, m->header->children, width, &boxes, &notes, &nnotes);
    if (h < 0)
      return false;
    for (ap_box_t *b = boxes; b; b = b->next) {
      b->role = "header";
      b->tag = "Artifact";
    }
    ap_box_shift(boxes, x, m->header_offset);
    append(page, boxes);
  }
  if (m->footer) {
    double h = ap_block_stack(&flow->ctx, m->footer->children, width, &boxes, &notes, &nnotes);
    if (h < 0)
      return false;
    for (ap_box_t *b = boxes; b; b = b->next) {
      b->role = "footer";
      b->tag = "Artifact";
    }
    ap_box_shift(boxes, x, m->height - m->footer_offset - h);
    append(page, boxes);
  }
  return true;
}
