// Slides in the page sequence: a <slide> or a deck's slides as pages of
// their own, or a deck printed N-up on the body's pages the way
// presentation software prints handouts (1, 2, 3 with ruled lines for
// notes, 4, 6 per page). Slides stay vector: a handout page holds group
// boxes that draw the slide pages scaled.
#include "slide.h"

#include <math.h>
#include <string.h>

#include "../box.h"

#define GAP 14.0          // Space between slides on a handout page, points
#define NOTE_PITCH 22.0   // Distance between ruled note lines, points
#define LEGIBLE 6.0       // Smallest text size a printed slide may show, points
#define NOTES_MIN 60.0    // Narrowest column of note lines beside a slide, points

static void add_page(ap_layout_ctx_t *ctx, ap_items_t *items, ap_box_t *boxes, const ap_master_t *master);
static bool handout(ap_layout_ctx_t *ctx, ap_items_t *items, const ap_deck_t *deck, int per_page,
                    const ap_node_t *node);

//
// 'ap_slide_collect()' - <slide>, <slides> and <handout> as whole-page items.
//

bool
ap_slide_collect(ap_layout_ctx_t *ctx, ap_items_t *items, const ap_node_t *node)
{
  if (node->kind == AP_NODE_SLIDE) {
    ap_page_t *page = ap_slide_layout(ctx, node, 0, 0, NULL);
    if (!page)
      return false;
    add_page(ctx, items, page->boxes, node->spec->master);
    return true;
  }

  const ap_deck_t *deck = ap_doc_find_deck(ctx->doc, node->spec->deck);
  if (!deck)
    return ap_fail(ctx->diags, node->loc, "deck=\"%s\": no deck of that name is declared", node->spec->deck);

  // --handout N prints every deck N-up, wherever the layout shows it...
  if (node->kind == AP_NODE_HANDOUT || ctx->doc->handout > 0)
    return handout(ctx, items, deck, ctx->doc->handout > 0 ? ctx->doc->handout : node->spec->per_page, node);
  int count = 0, number = 0;
  for (const ap_node_t *s = deck->slides->children; s; s = s->next)
    count++;
  for (const ap_node_t *s = deck->slides->children; s; s = s->next) {
    ap_page_t *page = ap_slide_layout(ctx, s, ++number, count, node->spec->master);
    if (!page)
      return false;
    add_page(ctx, items, page->boxes, node->spec->master ? node->spec->master : s->spec->master);
  }
  return true;
}

// Append a whole-page item.
static void
add_page(ap_layout_ctx_t *ctx, ap_items_t *items, ap_box_t *boxes, const ap_master_t *master)
{
  ap_item_t *it = ap_items_add(items, ctx->arena, AP_ITEM_PAGE);
  it->boxes = boxes;
  it->master = master;
  it->break_ok = true;
}

// The smallest text size on a slide page (0: no text).
static double
smallest_text(const ap_page_t *slide)
{
  double least = 0;
  for (const ap_box_t *b = slide->boxes; b; b = b->next)
    if (b->kind == AP_BOX_LINE)
      for (const ap_run_t *r = b->runs; r; r = r->next)
        if (r->text && *r->text && (least == 0 || r->size < least))
          least = r->size;
  return least;
}

// The deck N-up on pages of the body's template: slides scaled into cells,
// a hairline around each, and for three per page ruled lines beside them.
// No text may print under LEGIBLE points: with three per page a slide
// grows into its note column as far as that needs (the notes keep
// NOTES_MIN); where a cell cannot hold a slide that large, fewer slides go
// on a page (6, 4, 3, 2, 1), with a warning naming the handout.
static bool
handout(ap_layout_ctx_t *ctx, ap_items_t *items, const ap_deck_t *deck, int per_page, const ap_node_t *node)
{
  const ap_master_t *m = ctx->doc->master;
  double W = m->width - m->inner - m->outer, H = m->height - m->top - m->bottom;
  int cols = per_page == 4 || per_page == 6 ? 2 : 1, rows = per_page == 6 ? 3 : per_page == 4 ? 2 : per_page;
  int count = 0, i = 0;
  ap_page_t **slides;

  if (per_page != 1 && per_page != 2 && per_page != 3 && per_page != 4 && per_page != 6)
    return ap_fail(ctx->diags, node->loc, "%d slides per page: expected 1, 2, 3, 4 or 6", per_page);

  // Lay each slide out once, as a page of its own the handout pages draw...
  for (const ap_node_t *s = deck->slides->children; s; s = s->next)
    count++;
  // (In the job's arena: every handout page draws them, whichever pages
  // are already written and released.)
  ap_arena_t *page_arena = ctx->arena;
  ctx->arena = ctx->job;
  slides = AP_NEW_N(ctx->arena, ap_page_t *, count ? count : 1);
  for (const ap_node_t *s = deck->slides->children; s; s = s->next, i++)
    if (!(slides[i] = ap_slide_layout(ctx, s, i + 1, count, node->spec->master))) {
      ctx->arena = page_arena;
      return false;
    }
  ctx->arena = page_arena;

  // A title takes a band at the top of every page (shown on the first), so
  // that every page holds its slides in the same grid...
  ap_lines_t title = {0};
  double band = 0;
  if (node->text) {
    ap_node_t para = {0}, text = {0};
    para.kind = AP_NODE_PARA;
    para.style = node->style;
    para.loc = node->loc;
    para.children = para.last = &text;
    text.kind = AP_NODE_TEXT;
    text.text = node->text;
    text.loc = node->loc;
    if (!ap_text_paragraph(ctx, &para, W, &title))
      return false;
    for (int k = 0; k < title.n; k++)
      band += title.boxes[k]->rect.h;
    band += node->style->space_after;
  }
  H -= band;

  // The slides' smallest text, and the scale that prints it legibly...
  double least = 0, need;
  for (int k = 0; k < count; k++) {
    double s = smallest_text(slides[k]);
    if (s > 0 && (least == 0 || s < least))
      least = s;
  }
  double widest = 0; // The widest slide (they share the deck's template unless a page= says otherwise)
  for (int k = 0; k < count; k++)
    if (slides[k]->width > widest)
      widest = slides[k]->width;
  need = least > 0 ? LEGIBLE / least : 0;

  // Cells: the slide as large as the cell allows, keeping its proportions;
  // with three per page the slide takes the left half (more when its text
  // needs it), notes the rest; fewer per page when a cell is too small...
  static const int fewer[] = {[6] = 4, [4] = 3, [3] = 2, [2] = 1};
  int asked = per_page;
  double cw, ch, sw;
  for (;;) {
    cols = per_page == 4 || per_page == 6 ? 2 : 1;
    rows = per_page == 6 ? 3 : per_page == 4 ? 2 : per_page;
    cw = (W - GAP * (cols - 1)) / cols;
    ch = (H - GAP * (rows - 1)) / rows;
    sw = per_page == 3 ? (cw - GAP) / 2 : cw;
    if (per_page == 3 && widest > 0 && need * widest > sw)
      sw = fmin(need * widest, cw - GAP - NOTES_MIN);
    bool legible = true;
    for (int k = 0; k < count && legible; k++) {
      double scale = fmin(sw / slides[k]->width, ch / slides[k]->height);
      legible = scale >= need - 1e-9;
    }
    if (legible || per_page == 1)
      break;
    per_page = fewer[per_page];
  }
  if (per_page != asked)
    ap_warn(ctx->diags, node->loc, "handout: %d slides per page would print their smallest text (%.1f pt) under "
            "%.0f pt: printed %d per page", asked, least, LEGIBLE, per_page);
  for (int first = 0; first < count; first += per_page) {
    ap_box_t *boxes = NULL, **tail = &boxes;
    if (first == 0 && title.n) {
      // The title, with its destination for the outline and the TOC...
      ap_box_t *dest = AP_NEW(ctx->arena, ap_box_t);
      dest->kind = AP_BOX_DEST;
      dest->role = "heading";
      dest->name = node->id;
      dest->title = node->text;
      dest->level = node->level;
      dest->rect = (ap_rect_t){m->inner, m->top, W, 0};
      *tail = dest;
      tail = &dest->next;
      double ty = m->top;
      for (int k = 0; k < title.n; k++) {
        title.boxes[k]->role = "heading";
        ap_box_shift(title.boxes[k], m->inner, ty);
        ty += title.boxes[k]->rect.h;
        *tail = title.boxes[k];
        while (*tail)
          tail = &(*tail)->next;
      }
    }
    for (int k = 0; k < per_page && first + k < count; k++) {
      const ap_page_t *slide = slides[first + k];
      double cx = m->inner + (k % cols) * (cw + GAP), cy = m->top + band + (k / cols) * (ch + GAP);
      double scale = sw / slide->width;
      if (slide->height * scale > ch)
        scale = ch / slide->height;
      double w = slide->width * scale, h = slide->height * scale;
      double x = per_page == 3 ? cx : cx + (cw - w) / 2, y = cy + (per_page >= 4 ? (ch - h) / 2 : 0);

      // The slide's bookmark, under the handout's title when it has one...
      const ap_box_t *mark = slide->boxes && slide->boxes->kind == AP_BOX_DEST ? slide->boxes : NULL;
      if (mark) {
        ap_box_t *dest = AP_NEW(ctx->arena, ap_box_t);
        *dest = *mark;
        dest->next = NULL;
        dest->level = node->text ? node->level + 1 : 1;
        dest->rect = (ap_rect_t){x, y, w, 0};
        *tail = dest;
        tail = &dest->next;
      }

      ap_box_t *g = AP_NEW(ctx->arena, ap_box_t);
      g->kind = AP_BOX_GROUP;
      g->role = "slide";
      g->source = slide;
      g->rect = (ap_rect_t){x, y, w, h};
      *tail = g;
      tail = &g->next;

      ap_box_t *frame = AP_NEW(ctx->arena, ap_box_t);
      frame->kind = AP_BOX_RECT;
      frame->role = "slide-border";
      frame->rect = g->rect;
      frame->stroke = 0.5;
      frame->stroke_color = (ap_color_t){.r = 0.6, .g = 0.6, .b = 0.6};
      *tail = frame;
      tail = &frame->next;

      // Ruled lines for notes beside the slide...
      if (per_page == 3) {
        double lx = cx + sw + GAP, lw = cw - sw - GAP;
        for (double ly = y + NOTE_PITCH; ly <= y + h + 0.01; ly += NOTE_PITCH) {
          ap_box_t *rule = AP_NEW(ctx->arena, ap_box_t);
          rule->kind = AP_BOX_RULE;
          rule->role = "note-line";
          rule->rect = (ap_rect_t){lx, ly, lw, 0};
          rule->stroke = 0.5;
          rule->color = (ap_color_t){.r = 0.6, .g = 0.6, .b = 0.6};
          *tail = rule;
          tail = &rule->next;
        }
      }
    }
    add_page(ctx, items, boxes, m);
  }
  return true;
}
