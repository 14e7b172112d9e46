// Collect: body blocks → flow items. Paragraph lines become separate items
// so pages can break between them; widow/orphan and keep-with-next rules
// become "may a page break fall here" flags. Columns, rules and images are
// stacked into unbreakable blocks.
#include "flow.h"

#include <string.h>

#include "../chart/chart.h"

static bool collect_block(ap_flow_t *flow, const ap_node_t *b);


//
// 'ap_flow_need()' - Make sure item i is collected.
//
// Blocks (and a table's rows) are collected only as far as the page being
// planned needs them, so that the items of pages already written can go.
//

bool
ap_flow_need(ap_flow_t *flow, int i)
{
  while (flow->nitems <= i) {
    if (flow->diags->errors)
      return false;
    if (flow->table) {
      if (!ap_table_next(flow))
        return false;
    } else if (flow->next) {
      const ap_node_t *b = flow->next;
      flow->next = b->next;
      if (!collect_block(flow, b))
        return false;
    } else {
      return false;
    }
  }
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
      // A list is its items, each a paragraph in the list's style...
      const ap_node_t *one = b->kind == AP_NODE_LIST ? b->children : b;
      const ap_struct_t *list = b->kind == AP_NODE_LIST ? ap_flow_struct(flow, "L", NULL) : NULL; // Its L
      for (; one; one = b->kind == AP_NODE_LIST ? one->next : NULL) {
        ap_box_t **lines;
        ap_note_t ***notes;
        int nlines = 0, *nnotes;
        if (!ap_flow_paragraph(flow, one, flow->width, &lines, &nlines, &notes, &nnotes))
          return false;
        if (list)
          ap_flow_tag_item(flow, list, one, lines, nlines);
        const ap_style_t *s = one->style;
        flow->pars++;
        for (int i = 0; i < nlines; i++) {
          lines[i]->par = flow->pars;
          lines[i]->line = i + 1;
          lines[i]->lines = nlines;
          ap_item_t *it = ap_flow_add_item(flow, AP_ITEM_LINE);
          it->boxes = lines[i];
          it->height = lines[i]->rect.h;
          it->notes = notes[i];
          it->nnotes = nnotes[i];
          if (i == 0) {
            it->space_before = pending > s->space_before ? pending : s->space_before;
            it->break_ok = !keep;
          } else {
            // Widows and orphans: two lines at least on each side of a break...
            it->break_ok = !s->keep_with_next && b->kind != AP_NODE_HEADING && i >= 2 && nlines - i >= 2;
          }
          // A heading's first line carries its destination and outline entry...
          if (i == 0 && one->kind == AP_NODE_HEADING) {
            ap_box_t *dest = AP_NEW(flow->arena, ap_box_t);
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
      ap_item_t *it = ap_flow_add_item(flow, AP_ITEM_SPACE);
      it->space_before = pending + b->height;
      it->break_ok = !keep;
      pending = 0;
      break;
    }
    case AP_NODE_SLIDE:
    case AP_NODE_SLIDES:
    case AP_NODE_HANDOUT:
      if (!ap_slide_collect(flow, b))
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
      return ap_table_begin(flow, b);
    case AP_NODE_PAGEBREAK: {
      ap_item_t *it = ap_flow_add_item(flow, AP_ITEM_BREAK);
      it->break_ok = true;
      // A break into another page template: what follows is set in its width...
      if (b->spec && b->spec->master) {
        const ap_master_t *m = b->spec->master;
        it->master = m;
        flow->width = m->width - m->inner - m->outer;
      }
      pending = 0;
      keep = false;
      break;
    }
    default: {
      // Columns, rules, images: one unbreakable block...
      ap_item_t *it = ap_flow_add_item(flow, AP_ITEM_BLOCK);
      ap_node_t single = *b;
      single.next = NULL;
      it->height = ap_flow_stack(flow, &single, flow->width, &it->boxes, &it->notes, &it->nnotes);
      if (it->height < 0)
        return false;
      it->space_before = pending;
      it->break_ok = !keep;
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

//
// 'ap_flow_stack()' - Stack blocks in a width, without page breaks.
//

double
ap_flow_stack(ap_flow_t *flow, const ap_node_t *blocks, double width, ap_box_t **boxes, ap_note_t ***notes,
              int *nnotes)
{
  double y = 0, pending = 0;
  ap_box_t *first = NULL, **tail = &first;

  *nnotes = 0;
  *notes = NULL;
  for (const ap_node_t *b = blocks; b; b = b->next) {
    ap_box_t *box = NULL;
    switch (b->kind) {
    case AP_NODE_PARA:
    case AP_NODE_HEADING:
    case AP_NODE_LIST: {
      const ap_node_t *one = b->kind == AP_NODE_LIST ? b->children : b;
      const ap_struct_t *list = b->kind == AP_NODE_LIST ? ap_flow_struct(flow, "L", NULL) : NULL; // Its L
      for (; one; one = b->kind == AP_NODE_LIST ? one->next : NULL) {
        ap_box_t **lines;
        ap_note_t ***ln_notes;
        int nlines = 0, *ln_n;
        if (!ap_flow_paragraph(flow, one, width, &lines, &nlines, &ln_notes, &ln_n))
          return -1;
        if (list)
          ap_flow_tag_item(flow, list, one, lines, nlines);
        double before = one->style->space_before * flow->scale;
        y += y > 0 ? (pending > before ? pending : before) : 0;
        for (int i = 0; i < nlines; i++) {
          ap_flow_shift(lines[i], 0, y);
          y += lines[i]->rect.h;
          *tail = lines[i];
          while (*tail) // A line may bring link boxes along
            tail = &(*tail)->next;
          if (ln_n[i]) {
            ap_note_t **grown = AP_NEW_N(flow->arena, ap_note_t *, *nnotes + ln_n[i]);
            if (*nnotes)
              memcpy(grown, *notes, sizeof(ap_note_t *) * (size_t)*nnotes);
            memcpy(grown + *nnotes, ln_notes[i], sizeof(ap_note_t *) * (size_t)ln_n[i]);
            *notes = grown;
            *nnotes += ln_n[i];
          }
        }
        pending = one->style->space_after * flow->scale;
      }
      continue;
    }
    case AP_NODE_COLUMNS: {
      // Columns side by side; the block is as tall as the tallest...
      double x = 0, tallest = 0, gap = b->width;
      int ncols = 0;
      for (const ap_node_t *c = b->children; c; c = c->next)
        ncols++;
      double usable = width - gap * (ncols - 1);
      if (ncols > 1 && usable <= 0) { // The gaps alone fill the line
        ap_fail(flow->diags, b->loc, "columns: gap=\"%.1fmm\" between %d columns leaves no room on a line %.1fmm wide: "
                "expected gaps that add up to less than the line", gap / ap_mm(1), ncols, width / ap_mm(1));
        return -1;
      }
      for (const ap_node_t *c = b->children; c; c = c->next) {
        ap_box_t *cboxes;
        ap_note_t **cnotes;
        int cn;
        double w = usable * c->width;
        double h = ap_flow_stack(flow, c->children, w, &cboxes, &cnotes, &cn);
        if (h < 0)
          return -1;
        ap_flow_shift(cboxes, x, y);
        *tail = cboxes;
        while (*tail)
          tail = &(*tail)->next;
        if (cn) {
          ap_note_t **grown = AP_NEW_N(flow->arena, ap_note_t *, *nnotes + cn);
          if (*nnotes)
            memcpy(grown, *notes, sizeof(ap_note_t *) * (size_t)*nnotes);
          memcpy(grown + *nnotes, cnotes, sizeof(ap_note_t *) * (size_t)cn);
          *notes = grown;
          *nnotes += cn;
        }
        if (h > tallest)
          tallest = h;
        x += w + gap;
      }
      y += tallest;
      pending = 0;
      continue;
    }
    case AP_NODE_SPACE:
      y += b->height;
      pending = 0;
      continue;
    case AP_NODE_RULE: {
      double w = b->width > 0 && b->width < width ? b->width : width;
      box = AP_NEW(flow->arena, ap_box_t);
      box->kind = AP_BOX_RULE;
      box->role = "rule";
      box->stroke = b->stroke;
      box->rect.x = b->align == AP_H_CENTER ? (width - w) / 2 : b->align == AP_H_RIGHT ? width - w : 0;
      box->rect.y = y + 2 + b->stroke / 2;
      box->rect.w = w;
      y += 4 + b->stroke;
      pending = 0;
      break;
    }
    case AP_NODE_CHART: {
      // A chart in the flow takes the width and its given height...
      ap_rect_t area = {0, y, b->spec->fw * width + b->spec->w, b->spec->h};
      if (b->spec->fh != 0 || area.h <= 0)
        return ap_fail(flow->diags, b->loc, "a chart in the text needs a height in mm or pt, not a percentage"), -1;
      if (area.w > width)
        area.w = width;
      area.x = (width - area.w) / 2;
      if (!ap_chart_layout(flow, b, area, &tail))
        return -1;
      y += area.h;
      pending = 0;
      continue;
    }
    case AP_NODE_IMAGE: {
      box = AP_NEW(flow->arena, ap_box_t);
      box->kind = AP_BOX_IMAGE;
      box->role = "image";
      box->name = b->text;
      box->alt = b->alt && *b->alt ? b->alt : NULL;
      box->tag = b->alt && !*b->alt ? "Artifact" : NULL; // alt="": decoration
      box->rect.w = b->width;
      box->rect.h = b->height;
      box->rect.x = b->align == AP_H_CENTER ? (width - b->width) / 2 : b->align == AP_H_RIGHT ? width - b->width : 0;
      box->rect.y = y;
      y += b->height;
      pending = 0;
      break;
    }
    default:
      continue;
    }
    if (box) {
      *tail = box;
      tail = &box->next;
    }
  }
  *boxes = first;
  return y;
}

//
// 'ap_flow_add_item()' - Append an empty flow item.
//

ap_item_t *
ap_flow_add_item(ap_flow_t *flow, ap_item_kind_t kind)
{
  if (flow->nitems == flow->alloc) {
    int cap = flow->alloc ? flow->alloc * 2 : 256;
    ap_item_t *grown = AP_NEW_N(flow->arena, ap_item_t, cap);
    if (flow->nitems)
      memcpy(grown, flow->items, sizeof(ap_item_t) * (size_t)flow->nitems);
    flow->items = grown;
    flow->alloc = cap;
  }
  ap_item_t *it = &flow->items[flow->nitems++];
  memset(it, 0, sizeof(*it));
  it->kind = kind;
  return it;
}

//
// 'ap_flow_clone()' - Deep copy of a chain of boxes, in an arena.
//
// Run texts are copied too (they live in the arena of the items); names,
// titles and link targets come from the document tree, which outlives pages.
//

ap_box_t *
ap_flow_clone(ap_arena_t *arena, const ap_box_t *boxes)
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
// 'ap_flow_shift()' - Move a chain of boxes and their runs.
//

void
ap_flow_shift(ap_box_t *boxes, double dx, double dy)
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
