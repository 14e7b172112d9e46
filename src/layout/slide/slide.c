// Slides: pages of absolutely placed frames, shapes, grids and charts.
// A frame lays its blocks out in its width, aligns them vertically, and
// shrinks their text until it fits when asked; text that still does not fit
// is an error naming the frame, never text outside it.
#include "slide.h"

#include <math.h>
#include <string.h>

#include "../box.h"
#include "../chart/chart.h"

static double largest_size(const ap_node_t *blocks);
static bool place_frame(ap_layout_ctx_t *ctx, const ap_node_t *frame, ap_rect_t area, ap_box_t ***tail);
static bool place_grid(ap_layout_ctx_t *ctx, const ap_node_t *grid, ap_rect_t area, ap_box_t ***tail);

#define GRID_FRAMES 32 // Shrinking frames of one grid cell given one size for all cells (more: each its own)

// The sizes a grid's shrinking frames take: measured over every cell, then
// the smallest scale of each frame (by its place in the layout) for all.
typedef struct ap_grid_sizes_s {
  ap_loc_t at[GRID_FRAMES]; // The frame's element in the layout
  double scale[GRID_FRAMES]; // The smallest scale any cell needed
  int n;                    // How many
  bool apply;               // false: measuring the cells; true: placing them at those scales
} ap_grid_sizes_t;
static bool place_shape(ap_layout_ctx_t *ctx, const ap_node_t *shape, ap_rect_t area, ap_box_t ***tail);
static ap_rect_t resolve(const ap_spec_t *spec, ap_rect_t area);

//
// 'ap_slide_layout()' - Lay a slide out as a page of its own.
//

ap_page_t *
ap_slide_layout(ap_layout_ctx_t *ctx, const ap_node_t *slide, int number, int count, const ap_master_t *master)
{
  const ap_master_t *m = master ? master : slide->spec->master;
  ap_page_t *page = AP_NEW(ctx->arena, ap_page_t);
  ap_box_t **tail = &page->boxes;

  page->number = number;
  page->width = m->width;
  page->height = m->height;

  // Its bookmark (title=): an outline entry where the slide is a page...
  if (slide->text) {
    ap_box_t *dest = AP_NEW(ctx->arena, ap_box_t);
    dest->kind = AP_BOX_DEST;
    dest->role = "slide";
    dest->title = slide->text;
    dest->level = 1;
    *tail = dest;
    tail = &dest->next;
  }

  // Positions are relative to the page's text area (inside the margins); in
  // a deck, <page-number/> and <page-count/> are the slide's number and the
  // deck's slides...
  ap_rect_t area = {m->inner, m->top, m->width - m->inner - m->outer, m->height - m->top - m->bottom};
  int page_number = ctx->page_number, page_count = ctx->page_count;
  if (number > 0) {
    ctx->page_number = number;
    ctx->page_count = count;
  }
  bool ok = ap_slide_place(ctx, slide->children, area, &tail);
  ctx->page_number = page_number;
  ctx->page_count = page_count;
  if (!ok)
    return NULL;
  for (page->last = page->boxes; page->last && page->last->next;)
    page->last = page->last->next;
  return page;
}

//
// 'ap_slide_place()' - Place frames, shapes, grids and charts in an area.
//

bool
ap_slide_place(ap_layout_ctx_t *ctx, const ap_node_t *children, ap_rect_t area, ap_box_t ***tail)
{
  for (const ap_node_t *c = children; c; c = c->next) {
    switch (c->kind) {
    case AP_NODE_FRAME:
      if (!place_frame(ctx, c, area, tail))
        return false;
      break;
    case AP_NODE_SHAPE:
      if (!place_shape(ctx, c, area, tail))
        return false;
      break;
    case AP_NODE_CHART:
      if (!ap_chart_layout(ctx, c, resolve(c->spec, area), tail))
        return false;
      break;
    case AP_NODE_GRID:
      if (!place_grid(ctx, c, area, tail))
        return false;
      break;
    default:
      break;
    }
  }
  return true;
}

// A grid: cells in rows of `columns`, as many rows as the cells need. A
// frame that shrinks its text does so alike in every cell (the cards of a
// grid read as one set): the cells are laid out once to find how far each
// such frame must shrink in the fullest cell, then placed at that size.
static bool
place_grid(ap_layout_ctx_t *ctx, const ap_node_t *grid, ap_rect_t area, ap_box_t ***tail)
{
  const ap_spec_t *g = grid->spec;
  ap_rect_t r = resolve(g, area);
  int n = 0, cols = g->columns > 0 ? g->columns : 1;
  for (const ap_node_t *cell = grid->children; cell; cell = cell->next)
    n++;
  int rows = (n + cols - 1) / cols;
  double cw = (r.w - g->gap * (cols - 1)) / cols, ch = rows ? (r.h - g->gap * (rows - 1)) / rows : 0;
  ap_grid_sizes_t sizes = {.n = 0};
  struct ap_grid_sizes_s *outer = ctx->grid;
  int notes = ctx->notes, elems = ctx->elems; // The measuring pass numbers nothing for good
  bool ok = true;

  ctx->grid = &sizes;
  for (int pass = 0; pass < 2 && ok; pass++) {
    ap_box_t *scratch = NULL, **to = &scratch; // The measuring pass's boxes (left in the arena)
    sizes.apply = pass == 1;
    if (pass == 1) {
      ctx->notes = notes;
      ctx->elems = elems;
    }
    int i = 0;
    for (const ap_node_t *cell = grid->children; cell && ok; cell = cell->next, i++) {
      ap_rect_t cr = {r.x + (i % cols) * (cw + g->gap), r.y + (i / cols) * (ch + g->gap), cw, ch};
      ok = ap_slide_place(ctx, cell->children, cr, pass == 1 ? tail : &to);
    }
  }
  ctx->grid = outer;
  return ok;
}

// The grid entry of a shrinking frame (NULL: not in a grid, or past GRID_FRAMES).
static double *
grid_scale(ap_layout_ctx_t *ctx, const ap_node_t *frame)
{
  ap_grid_sizes_t *s = ctx->grid;
  if (!s || !frame->spec->shrink)
    return NULL;
  for (int k = 0; k < s->n; k++)
    if (s->at[k].line == frame->loc.line && s->at[k].col == frame->loc.col && s->at[k].file == frame->loc.file)
      return &s->scale[k];
  if (s->apply || s->n == GRID_FRAMES)
    return NULL;
  s->at[s->n] = frame->loc;
  s->scale[s->n] = 1;
  return &s->scale[s->n++];
}

// Largest text size among the blocks (what min-size limits when shrinking).
static double
largest_size(const ap_node_t *blocks)
{
  double m = 0;
  for (const ap_node_t *b = blocks; b; b = b->next) {
    if (b->style && b->style->size > m)
      m = b->style->size;
    double c = largest_size(b->children);
    if (c > m)
      m = c;
  }
  return m;
}

// A frame: its background, then its blocks inside the padding, aligned
// vertically; shrunk step by step when it asks to fit.
static bool
place_frame(ap_layout_ctx_t *ctx, const ap_node_t *frame, ap_rect_t area, ap_box_t ***tail)
{
  const ap_spec_t *spec = frame->spec;
  ap_rect_t r = resolve(spec, area);
  ap_rect_t in = {r.x + spec->padding, r.y + spec->padding, r.w - 2 * spec->padding, r.h - 2 * spec->padding};
  ap_box_t *boxes = NULL;
  ap_note_t **notes;
  int nnotes;
  double h, scale = 1, largest = largest_size(frame->children);
  double *shared = grid_scale(ctx, frame); // In a grid: the scale of this frame in every cell
  if (shared && ctx->grid->apply)
    scale = *shared;

  // The frame itself is a rect box (invisible when unpainted): the dump shows
  // where it is, and the lines that follow it are its content...
  ap_box_t *bg = AP_NEW(ctx->arena, ap_box_t);
  bg->kind = AP_BOX_RECT;
  bg->role = "frame";
  bg->name = spec->name;
  bg->rect = r;
  bg->fill = spec->paint.fill;
  bg->color = spec->paint.fill_color;
  bg->stroke = spec->paint.stroke ? spec->paint.stroke_width : 0;
  bg->stroke_color = spec->paint.stroke_color;
  bg->radius = spec->paint.radius;
  **tail = bg;
  *tail = &bg->next;
  if (in.w <= 0 || in.h <= 0)
    return frame->children ? ap_fail(ctx->diags, frame->loc, "frame '%s' has no room inside its padding", spec->name)
                           : true;

  // Lay the content out; shrink it until it fits when the frame says so...
  for (;;) {
    ctx->scale = scale;
    h = ap_block_stack(ctx, frame->children, in.w, &boxes, &notes, &nnotes);
    ctx->scale = 1;
    if (h < 0)
      return false;
    if (nnotes)
      return ap_fail(ctx->diags, frame->loc, "frame '%s': footnotes are not supported inside frames", spec->name);
    if (h <= in.h + 0.01)
      break;
    if (!spec->shrink)
      return ap_fail(ctx->diags, frame->loc,
                     "frame '%s': its text needs %.1f pt of height but the frame holds %.1f pt "
                     "(make it taller, or let it shrink the text with fit=\"shrink\")",
                     spec->name, h, in.h);
    double next = scale * fmax(0.80, fmin(0.97, sqrt(in.h / h)));
    if (largest * next < spec->min_size - 0.001) {
      if (largest * scale <= spec->min_size + 0.001)
        return ap_fail(ctx->diags, frame->loc,
                       "frame '%s': its text does not fit even at the minimum size %.1f pt (it needs %.1f pt of "
                       "height, the frame holds %.1f pt)",
                       spec->name, spec->min_size, h, in.h);
      next = spec->min_size / largest;
    }
    scale = next;
  }
  if (shared && !ctx->grid->apply && scale < *shared)
    *shared = scale;

  // Align vertically and move into place...
  double dy = spec->valign == AP_V_MIDDLE ? (in.h - h) / 2 : spec->valign == AP_V_BOTTOM ? in.h - h : 0;
  ap_box_shift(boxes, in.x, in.y + dy);
  **tail = boxes;
  while (**tail)
    *tail = &(**tail)->next;
  return true;
}

// A rectangle, circle or line.
static bool
place_shape(ap_layout_ctx_t *ctx, const ap_node_t *shape, ap_rect_t area, ap_box_t ***tail)
{
  const ap_spec_t *spec = shape->spec;
  ap_box_t *b = AP_NEW(ctx->arena, ap_box_t);

  b->role = "shape";
  b->fill = spec->paint.fill;
  b->color = spec->paint.fill_color;
  b->stroke = spec->paint.stroke ? spec->paint.stroke_width : 0;
  b->stroke_color = spec->paint.stroke_color;
  b->radius = spec->paint.radius;
  if (spec->shape == AP_SHAPE_LINE) {
    // Both ends resolve like positions; the box runs from one to the other...
    double x1 = area.x + spec->fx * area.w + spec->x;
    double y1 = area.y + spec->fy * area.h + spec->y;
    double x2 = area.x + spec->fw * area.w + spec->w;
    double y2 = area.y + spec->fh * area.h + spec->h;
    b->kind = AP_BOX_SEGMENT;
    b->rect = (ap_rect_t){x1, y1, x2 - x1, y2 - y1};
    b->color = spec->paint.stroke_color;
  } else {
    b->kind = spec->shape == AP_SHAPE_CIRCLE ? AP_BOX_ELLIPSE : AP_BOX_RECT;
    b->rect = resolve(spec, area);
  }
  **tail = b;
  *tail = &b->next;
  return true;
}

// A spec's rectangle in an area: fractions of it plus lengths, from its top-left corner.
static ap_rect_t
resolve(const ap_spec_t *spec, ap_rect_t area)
{
  ap_rect_t r;
  r.x = area.x + spec->fx * area.w + spec->x;
  r.y = area.y + spec->fy * area.h + spec->y;
  r.w = spec->fw * area.w + spec->w;
  r.h = spec->fh * area.h + spec->h;
  return r;
}
