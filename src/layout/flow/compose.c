// Compose: place each page's watermark first, its items in its text area,
// its footnotes at the foot under a short rule, and the page template's
// header and footer (which may show the page number). A page that the text
// runs on from ends at its bottom margin (or on its notes): the space
// between its paragraphs stretches, each gap by at most its own size, to
// take up what the page breaks left (flush bottom); the last page, a page
// before a forced break and a page before a page of its own end where
// their text does.
#include "flow.h"

#include <string.h>

static void append(ap_page_t *page, ap_box_t *boxes);
static double stretch(const ap_flow_t *flow, const ap_plan_t *plan, double room);
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
                         : plan->first   ? flow->ctx.doc->first_master
                                        : flow->ctx.doc->master;
  ap_page_t *page = AP_NEW(flow->ctx.arena, ap_page_t);
  // Mirrored margins: the inner margin is on the left of odd pages...
  double x = m->mirror && number % 2 == 0 ? m->outer : m->inner;
  double y = m->top, notes_h = 0;

  page->number = number;
  page->label = plan->number;
  page->width = m->width;
  page->height = m->height;
  page->master = m;
  page->bleed = m->bleed;
  flow->ctx.page_count = flow->map ? flow->map->count : plan->number;
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
  // The footnotes' height, and what is left of the text area (flush bottom)...
  for (int k = 0; k < plan->npieces; k++)
    notes_h += ap_note_height(plan->pieces[k].note, plan->pieces[k].first, plan->pieces[k].count);
  double used = y;
  for (int i = plan->start; i < plan->end && !whole; i++)
    used += (i > plan->start ? flow->items.at[i].space_before : 0) + flow->items.at[i].height;
  double bottom = m->height - m->bottom - notes_h - (plan->npieces ? cfg->gap + 4 : 0);
  double factor = whole ? 0 : stretch(flow, plan, bottom - used); // Of each gap, added

  for (int i = plan->start; i < plan->end && !whole; i++) {
    ap_item_t *it = &flow->items.at[i];
    if (i > plan->start)
      y += it->space_before * (1 + factor);
    ap_box_shift(it->boxes, x, y);
    append(page, it->boxes);
    y += it->height;
  }

  // The footnotes at the foot, under a rule...
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
  flow->ctx.page_number = plan->number;
  if (!furniture(flow, m, page, x, m->width - m->inner - m->outer))
    return NULL;

  // Backgrounds and pictures at the edge run on into the bleed...
  ap_flow_bleed(page, flow->ctx.arena);
  return page;
}

// How much of its own size each gap between paragraphs grows (0 to 1) so
// that a page the text runs on from ends at its bottom, room being what
// the page breaks left; 0 for the last page, before a forced break or a
// page of its own, and for a page without gaps.
static double
stretch(const ap_flow_t *flow, const ap_plan_t *plan, double room)
{
  double gaps = 0; // Their sizes, together
  if (room <= 0.01 || plan->end <= plan->start)
    return 0;
  if (flow->items.at[plan->end - 1].kind == AP_ITEM_BREAK)
    return 0;
  bool more = plan->end < flow->items.n ? flow->items.at[plan->end].kind != AP_ITEM_PAGE
                                        : flow->next != NULL || flow->table != NULL;
  if (!more)
    return 0;
  for (int i = plan->start + 1; i < plan->end; i++)
    gaps += flow->items.at[i].space_before;
  if (gaps <= 0)
    return 0;
  return room >= gaps ? 1 : room / gaps;
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
