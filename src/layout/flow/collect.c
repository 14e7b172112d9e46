// Collect: body blocks → flow items. Paragraph lines become separate items
// so pages can break between them; widow/orphan and keep-with-next rules
// become "may a page break fall here" flags. Columns, rules and images are
// stacked into unbreakable blocks.
#include "flow.h"

#include <string.h>

#include "../slide/slide.h"
#include "../table/table.h"

static bool collect_block(ap_flow_t *flow, const ap_node_t *b);
static bool collect_later(ap_flow_t *flow);
static double overhang(const ap_items_t *items);


//
// 'ap_flow_need()' - Make sure item i is collected.
//
// Blocks (and a table's rows) are collected only as far as the page being
// planned needs them, so that the items of pages already written can go.
//

bool
ap_flow_need(ap_flow_t *flow, int i)
{
  while (flow->items.n <= i) {
    if (flow->ctx.diags->errors)
      return false;
    if (flow->table) {
      bool done;
      if (!ap_table_next(flow->table, &done))
        return false;
      if (done) {
        // The table is out: what follows it comes after its space...
        flow->pending = flow->table_after;
        flow->keep = false;
        flow->table = NULL;
      }
    } else if (flow->later) {
      if (!collect_later(flow))
        return false;
    } else if (flow->next) {
      const ap_node_t *b = flow->next;
      flow->next = b->next;
      if (b->kind == AP_NODE_LATER) { // Its repetitions come one by one
        flow->later = b;
        flow->later_i = 0;
      } else if (!collect_block(flow, b)) {
        return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

// The next repetition of blocks bound as they are reached, bound into the
// arena of the pages being planned and collected at once (nothing points
// at its nodes once that arena goes: ap_flow_release moves the items); past
// the last, on to the block after them.
static bool
collect_later(ap_flow_t *flow)
{
  ap_later_t *later = flow->later->later;

  if (flow->later_i >= later->count) {
    flow->later = NULL;
    return true;
  }
  const ap_node_t *blocks = later->bind(later, flow->later_i++, flow->ctx.arena);
  if (!blocks)
    return false;
  for (const ap_node_t *b = blocks->children; b; b = b->next)
    if (!collect_block(flow, b))
      return false;
  return true;
}

// One body block → flow items (a table starts giving its rows).
static bool
collect_block(ap_flow_t *flow, const ap_node_t *b)
{
  double pending = flow->pending; // Space after the previous block
  bool keep = flow->keep;         // The previous block keeps with this one

  {
    switch (b->kind) {
    case AP_NODE_PARA:
    case AP_NODE_HEADING:
    case AP_NODE_LIST: {
      // A list is its items, each a paragraph in the list's style; a block
      // kept together breaks nowhere inside, one kept with the previous not
      // before its first line...
      const ap_node_t *one = b->kind == AP_NODE_LIST ? b->children : b;
      bool together = b->style && b->style->keep_together;
      bool with_previous = b->style && b->style->keep_with_previous;
      const ap_struct_t *list = b->kind == AP_NODE_LIST ? ap_struct_new(&flow->ctx, "L", NULL) : NULL; // Its L
      for (; one; one = b->kind == AP_NODE_LIST ? one->next : NULL) {
        ap_lines_t ls;
        if (!ap_text_paragraph(&flow->ctx, one, flow->ctx.width, &ls))
          return false;
        if (list)
          ap_struct_tag_item(&flow->ctx, list, one, ls.boxes, ls.n);
        const ap_style_t *s = one->style;
        ap_box_t **lines = ls.boxes;
        int nlines = ls.n;
        flow->pars++;
        for (int i = 0; i < nlines; i++) {
          lines[i]->par = flow->pars;
          lines[i]->line = i + 1;
          lines[i]->lines = nlines;
          ap_item_t *it = ap_items_add(&flow->items, flow->ctx.arena, AP_ITEM_LINE);
          it->boxes = lines[i];
          it->height = lines[i]->rect.h;
          it->notes = ls.notes[i];
          it->nnotes = ls.nnotes[i];
          if (i == 0) {
            bool first = one == b || one == b->children;
            it->space_before = pending > s->space_before ? pending : s->space_before;
            it->break_ok = !keep && !s->keep_with_previous && !(first ? with_previous : together);
          } else {
            // Widows and orphans: two lines at least on each side of a break...
            it->break_ok = !s->keep_with_next && !s->keep_together && !together && b->kind != AP_NODE_HEADING &&
                           i >= 2 && nlines - i >= 2;
          }
          // A heading's first line carries its destination and outline entry...
          if (i == 0 && one->kind == AP_NODE_HEADING) {
            ap_box_t *dest = AP_NEW(flow->ctx.arena, ap_box_t);
            dest->kind = AP_BOX_DEST;
            dest->role = "heading";
            dest->name = one->id;
            dest->title = one->text;
            dest->level = one->level;
            dest->next = lines[0];
            it->boxes = dest;
          }
        }
        pending = s->space_after;
        keep = s->keep_with_next || one->kind == AP_NODE_HEADING;
      }
      break;
    }
    case AP_NODE_SPACE: {
      ap_item_t *it = ap_items_add(&flow->items, flow->ctx.arena, AP_ITEM_SPACE);
      it->space_before = pending + b->height;
      it->break_ok = !keep;
      pending = 0;
      break;
    }
    case AP_NODE_SLIDE:
    case AP_NODE_SLIDES:
    case AP_NODE_HANDOUT:
      if (!ap_slide_collect(&flow->ctx, &flow->items, b))
        return false;
      pending = 0;
      keep = false;
      break;
    case AP_NODE_TOC:
      if (!ap_flow_toc(flow, b, &pending, &keep))
        return false;
      break;
    case AP_NODE_TABLE:
      // The table gives its rows as they are needed (ap_table_next)...
      flow->pending = pending;
      flow->keep = keep;
      flow->table = ap_table_begin(&flow->ctx, &flow->items, b, flow->ctx.width, pending,
                                   keep || (b->style && b->style->keep_with_previous));
      flow->table_after = b->style->space_after;
      return flow->table != NULL;
    case AP_NODE_PAGEBREAK: {
      ap_item_t *it = ap_items_add(&flow->items, flow->ctx.arena, AP_ITEM_BREAK);
      it->break_ok = true;
      it->restart = b->spec && b->spec->restart;
      it->number = b->spec ? b->spec->number : 0;
      // A break into another page template: what follows is set in its width...
      if (b->spec && b->spec->master) {
        const ap_master_t *m = b->spec->master;
        it->master = m;
        flow->ctx.width = m->width - m->inner - m->outer;
      }
      pending = 0;
      keep = false;
      break;
    }
    default: {
      // Columns, rules, images: one unbreakable block...
      ap_item_t *it = ap_items_add(&flow->items, flow->ctx.arena, AP_ITEM_BLOCK);
      ap_node_t single = *b;
      single.next = NULL;
      it->height = ap_block_stack(&flow->ctx, &single, flow->ctx.width, &it->boxes, &it->notes, &it->nnotes);
      if (it->height < 0)
        return false;
      it->space_before = pending;
      // A rule keeps its distance from the descenders of the line above it,
      // however tight that line's leading...
      double clear = b->kind == AP_NODE_RULE ? overhang(&flow->items) : 0;
      if (clear > it->space_before)
        it->space_before = clear;
      it->break_ok = !keep && !(b->style && b->style->keep_with_previous);
      pending = 0;
      keep = false;
      break;
    }
    }
  }
  flow->pending = pending;
  flow->keep = keep;
  return true;
}

// How far the descenders of the last collected line reach below its line
// box (0 when they stay inside, or when the last item is no line): the
// least space above a rule under it, which then stands its 2 pt inset
// (block.c) clear of them.
static double
overhang(const ap_items_t *items)
{
  if (items->n < 2) // (the rule itself is the last item)
    return 0;
  const ap_item_t *it = &items->at[items->n - 2];
  double reach = 0;
  for (const ap_box_t *b = it->boxes; b; b = b->next)
    if (b->kind == AP_BOX_LINE) {
      double bottom = b->rect.y + b->rect.h;
      for (const ap_run_t *r = b->runs; r; r = r->next)
        if (r->font) {
          double below = r->baseline - ap_font_get_metrics(r->font, r->size).descender - bottom;
          if (below > reach)
            reach = below;
        }
    }
  return reach;
}
