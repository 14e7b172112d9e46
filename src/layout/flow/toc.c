// Table of contents: one entry per heading up to a level, the title on the
// left (its wrapped lines hanging under the title, right of the heading's
// number), leader dots, the page number on the right; each entry links to its
// heading. The numbers come from the first pass of the layout, which wrote
// down where every heading landed (an entry's height does not depend on its
// number, which has a column of its own, so both passes paginate alike).
// Tagged, the contents are a TOC, each entry a TOCI holding a Link: its
// lines' title text, its page number as a Reference, the annotations over
// its lines (described as "title, trang N"); the leader dots are an
// artifact.
#include "flow.h"

#include <stdio.h>
#include <string.h>

#define NUMBER_COLUMN 30.0 // Width kept for the page number, points

static bool add_entry(ap_flow_t *flow, const ap_node_t *toc, const ap_struct_t *tag, const ap_node_t *heading,
                      double *pending, bool *keep);
static bool walk(ap_flow_t *flow, const ap_node_t *toc, const ap_struct_t *tag, const ap_node_t *blocks,
                 double *pending, bool *keep);

//
// 'ap_flow_toc()' - Lay a table of contents out as flow items.
//

bool
ap_flow_toc(ap_flow_t *flow, const ap_node_t *toc, double *pending, bool *keep)
{
  return walk(flow, toc, ap_struct_new(&flow->ctx, "TOC", NULL), flow->ctx.doc->body->children, pending, keep);
}

// One entry: the heading's title laid out as a paragraph, dots and a number
// run on its last line, a link over each line; a TOCI of the contents' TOC
// (tag) whose Link holds the lines, the number's Reference and the links.
static bool
add_entry(ap_flow_t *flow, const ap_node_t *toc, const ap_struct_t *tag, const ap_node_t *heading, double *pending,
          bool *keep)
{
  const ap_struct_t *entry = ap_struct_new(&flow->ctx, "Link", ap_struct_new(&flow->ctx, "TOCI", tag));
  ap_style_t *style = AP_NEW(flow->ctx.arena, ap_style_t);
  ap_node_t para = {0}, text = {0};
  ap_lines_t ls;

  // The entry is a paragraph in the TOC style, indented by level...
  *style = *toc->style;
  style->left_indent += (heading->level - 1) * toc->width;
  style->first_indent = 0;
  if (style->align == AP_H_JUSTIFY)
    style->align = AP_H_LEFT;

  // A numbered heading's wrapped lines hang under its title, right of its
  // number ("2. Hậu Giang hoàn thành …" continues under "Hậu")...
  size_t nlabel = heading->label ? strlen(heading->label) : 0;
  if (nlabel && heading->text && !strncmp(heading->text, heading->label, nlabel) && heading->text[nlabel] == ' ') {
    const ap_font_t *face = ap_text_font(&flow->ctx, style, false, false, toc->loc);
    if (!face)
      return false;
    double hang = ap_font_measure(face, heading->text, nlabel + 1, style->size * flow->ctx.scale);
    style->left_indent += hang;
    style->first_indent = -hang;
  }
  para.kind = AP_NODE_PARA;
  para.style = style;
  para.loc = toc->loc;
  para.children = para.last = &text;
  text.kind = AP_NODE_TEXT;
  text.text = heading->text;
  text.loc = toc->loc;
  if (!ap_text_paragraph(&flow->ctx, &para, flow->ctx.width - NUMBER_COLUMN, &ls))
    return false;
  ap_box_t **lines = ls.boxes;
  int nlines = ls.n;

  const ap_font_t *font = ap_text_font(&flow->ctx, style, false, false, toc->loc);
  if (!font)
    return false;

  // The number: the first pass knows the heading's page...
  int number = 0;
  for (int k = 0; flow->map && k < flow->map->n && !number; k++)
    if (!strcmp(flow->map->ids[k], heading->id))
      number = flow->map->pages[k];
  const char *contents = number && heading->text ? ap_arena_printf(flow->ctx.job, "%s, trang %d", heading->text, number)
                                                 : heading->text; // Its links' description
  for (int i = 0; i < nlines; i++) {
    ap_box_t *line = lines[i];
    line->role = "toc";
    line->in = entry;
    line->rect.w = flow->ctx.width;

    // Leader dots from the end of the title to the number column...
    ap_run_t *last = line->runs;
    while (last && last->next)
      last = last->next;
    if (i == nlines - 1 && last) {
      double from = last->x + last->width + 4, to = flow->ctx.width - NUMBER_COLUMN + 6;
      double dot = ap_font_measure(font, ".", 1, style->size);
      int n = dot > 0 ? (int)((to - from) / dot) : 0;
      if (n > 0) {
        ap_run_t *dots = AP_NEW(flow->ctx.arena, ap_run_t);
        char *s = ap_arena_alloc(flow->ctx.arena, (size_t)n + 1);
        memset(s, '.', (size_t)n);
        *dots = *last;
        dots->next = NULL;
        dots->link = NULL;
        dots->note = 0;
        dots->in = NULL;
        dots->artifact = true;
        dots->text = s;
        dots->width = n * dot;
        dots->x = to - dots->width;
        dots->label = true;
        last->next = dots;
        last = dots;
      }
      // The number, right-aligned, a Reference in the entry's Link...
      ap_run_t *num = AP_NEW(flow->ctx.arena, ap_run_t);
      *num = *last;
      num->next = NULL;
      num->link = NULL;
      num->note = 0;
      num->artifact = false;
      num->in = ap_struct_new(&flow->ctx, "Reference", entry);
      num->text = number ? ap_arena_printf(flow->ctx.arena, "%d", number) : "?";
      num->width = ap_font_measure(num->font, num->text, strlen(num->text), num->size);
      num->x = flow->ctx.width - num->width;
      num->label = true;
      last->next = num;
    }

    // The whole line links to the heading...
    ap_box_t *link = AP_NEW(flow->ctx.arena, ap_box_t);
    link->kind = AP_BOX_LINK;
    link->role = "toc";
    link->name = heading->id;
    link->in = entry;
    link->alt = contents;
    link->rect = line->rect;
    link->next = line->next;
    line->next = link;

    ap_item_t *it = ap_items_add(&flow->items, flow->ctx.arena, AP_ITEM_LINE);
    it->boxes = line;
    it->height = line->rect.h;
    it->space_before = i == 0 ? (*pending > style->space_before ? *pending : style->space_before) : 0;
    it->break_ok = i == 0 ? !*keep : false;
  }
  *pending = style->space_after;
  *keep = false;
  return true;
}

// Visit the headings in document order.
static bool
walk(ap_flow_t *flow, const ap_node_t *toc, const ap_struct_t *tag, const ap_node_t *blocks, double *pending,
     bool *keep)
{
  for (const ap_node_t *b = blocks; b; b = b->next) {
    if ((b->kind == AP_NODE_HEADING || (b->kind == AP_NODE_HANDOUT && b->text)) && b->level <= toc->level) {
      if (!add_entry(flow, toc, tag, b, pending, keep))
        return false;
    } else if (b->kind == AP_NODE_COLUMNS || b->kind == AP_NODE_COLUMN) {
      if (!walk(flow, toc, tag, b->children, pending, keep))
        return false;
    }
  }
  return true;
}
