// Table units into ctx items: a unit moves whole as one item, or, when
// tall, is cut into slices between text lines; each slice paints its cells'
// shading, borders and the lines whose top falls in it.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "table-private.h"

// One slice of a unit being filled: the boxes of its ctx item and the
// footnotes their lines reference.
typedef struct tslice_s {
  double unit_top;         // The unit's top in tb->ys
  double unit_height;      // The unit's height (its last slice takes every line left)
  double a, b;             // The slice's top and bottom, from the unit's top
  ap_box_t *boxes;         // Its boxes, in paint order
  ap_box_t **tail;         // Where its next box goes
  ap_note_t **notes;       // Footnotes referenced in its lines, in cell order (ctx arena)
  int nnotes, anotes;      // Used and allocated
} tslice_t;

// Where a cell stands in its unit, and the part of it inside a slice.
typedef struct tspot_s {
  double x, w;             // Left edge (relative to the table) and width
  double y, h;             // Top (from the unit's top) and height
  double y0, y1;           // Top and bottom of its part inside the slice (from the unit's top)
} tspot_t;

static double *choose_cuts(tabler_t *tb, const tunit_t *u, double top, double height, double *one_cut, int *count);
static void slice_cell(tabler_t *tb, tslice_t *slice, int i, int *next_line);
static tspot_t cell_spot(const tabler_t *tb, const tcell_t *c, const tslice_t *slice);
static bool cell_sides(const tabler_t *tb, const tcell_t *c, const tspot_t *at, const tslice_t *slice,
                       ap_border_t side[4]);
static bool cell_shading(const tabler_t *tb, const tcell_t *c, ap_color_t *color);
static void cell_background(tabler_t *tb, const tcell_t *c, const tspot_t *at, tslice_t *slice,
                            const ap_border_t side[4], bool one_rect);
static void cell_lines(tabler_t *tb, const tcell_t *c, const tlaid_t *l, const tspot_t *at, tslice_t *slice,
                       int *next_line);
static void cell_rules(tabler_t *tb, const tcell_t *c, const tspot_t *at, tslice_t *slice, const ap_border_t side[4]);
static void slice_add(tslice_t *slice, ap_box_t *boxes);
static void slice_note(ap_layout_ctx_t *ctx, tslice_t *slice, ap_note_t *note);
static void hand_slice(tabler_t *tb, const tunit_t *u, const tslice_t *slice, bool first);
static ap_loc_t unit_loc(const tabler_t *tb, const tunit_t *u);
static double *unit_cuts(tabler_t *tb, int r0, int r1, double top, int *count);
static ap_box_t *rule(ap_layout_ctx_t *ctx, double x, double y, double w, double h, ap_border_t b);

//
// 'ap_table_collect_unit()' - Hand the ctx a laid-out unit of rows as items.
//
// One item, or one per slice between text lines when the unit may split (or
// is taller than a page). Header units also append their boxes to
// u->build_head, the copy later pages repeat.
//

bool                                        // O - false (recorded) when out of memory
ap_table_collect_unit(tabler_t *tb,         // I - Table giving rows, its unit laid out (lay_unit)
                      const tunit_t *u)     // I - The unit and how it goes in
{
  ap_layout_ctx_t *ctx = tb->ctx;
  double top = tb->ys[u->r0], height = tb->ys[u->r1] - top;
  int first = tb->row_first[u->r0], ncells = tb->row_first[u->r1] - first;

  // Where the unit is cut: nowhere, or where a tall one may be...
  int ncuts = 1;
  double one_cut[2] = {0, 0};
  double *cuts = choose_cuts(tb, u, top, height, one_cut, &ncuts);
  if (!cuts)
    return ap_fail(ctx->diags, unit_loc(tb, u), "out of memory splitting a table row");
  cuts[ncuts] = height;

  // Each cell's lines go to the slices in order: where the next slice starts looking...
  int *next_line = calloc((size_t)(ncells > 0 ? ncells : 1), sizeof(int));
  if (!next_line) {
    if (cuts != one_cut)
      free(cuts);
    return ap_fail(ctx->diags, unit_loc(tb, u), "out of memory splitting a table row");
  }

  // One item per slice: each cell's part of it, in cell order...
  for (int s = 0; s < ncuts; s++) {
    tslice_t slice = {.unit_top = top, .unit_height = height, .a = cuts[s], .b = cuts[s + 1]};
    slice.tail = &slice.boxes;
    for (int i = first; i < first + ncells; i++)
      slice_cell(tb, &slice, i, &next_line[i - first]);
    hand_slice(tb, u, &slice, /*first*/ s == 0);
  }
  free(next_line);
  if (cuts != one_cut)
    free(cuts);
  return true;
}

// Where a unit is cut, from its top, with room for one more (its height):
// one_cut (its top only) for a unit that moves whole; else every place
// unit_cuts finds. Rows of a few lines move whole (and read cell by cell);
// only a tall unit that may split (a quarter of a page or more) or one
// taller than a page is cut between its lines. NULL when out of memory.
static double *
choose_cuts(tabler_t *tb, const tunit_t *u, double top, double height, double *one_cut, int *count)
{
  const ap_master_t *m = tb->ctx->doc->master;
  double page = m->height - m->top - m->bottom - (u->head ? u->head->height : 0);

  *count = 1;
  if ((u->split_ok && height > page / 4) || height > page)
    return unit_cuts(tb, u->r0, u->r1, top, count);
  return one_cut;
}

// Cell i's part of a slice, when it has one: its shading and borders as one
// rect when it can, its lines whose top is in the slice, and otherwise a
// rule per side, in that paint order.
static void
slice_cell(tabler_t *tb, tslice_t *slice, int i, int *next_line)
{
  const tcell_t *c = &tb->cells[i];
  tspot_t at = cell_spot(tb, c, slice);
  ap_border_t side[4];

  if (at.y1 <= at.y0 + 0.001)
    return;
  bool one_rect = cell_sides(tb, c, &at, slice, side);
  cell_background(tb, c, &at, slice, side, one_rect);
  cell_lines(tb, c, laid(tb, i), &at, slice, next_line);
  if (!one_rect)
    cell_rules(tb, c, &at, slice, side);
}

// Where a cell stands in its unit, and the part of it inside a slice.
static tspot_t
cell_spot(const tabler_t *tb, const tcell_t *c, const tslice_t *slice)
{
  tspot_t at;

  at.x = tb->xs[c->col];
  at.w = tb->xs[c->col + c->cols - 1] + tb->widths[c->col + c->cols - 1] - at.x;
  at.y = tb->ys[c->row] - slice->unit_top;
  at.h = tb->ys[c->row + c->rows] - tb->ys[c->row];
  at.y0 = fmax(slice->a, at.y);
  at.y1 = fmin(slice->b, at.y + at.h);
  return at;
}

// A cell's four borders (its own sides, else the table's) into side (top,
// right, bottom, left); true when it stands whole in the slice with the same
// border all round: one rect draws it (the common case: big tables stay small).
static bool
cell_sides(const tabler_t *tb, const tcell_t *c, const tspot_t *at, const tslice_t *slice, ap_border_t side[4])
{
  const ap_cell_t *cs = c->node->cell;

  for (int q = 0; q < 4; q++)
    side[q] = cs->border_set[q] ? cs->border[q] : tb->t->border;
  bool whole = at->y >= slice->a - 0.001 && at->y + at->h <= slice->b + 0.001;
  bool same = true;
  for (int q = 1; q < 4; q++)
    same = same && side[q].width == side[0].width && ap_color_same(side[q].color, side[0].color);
  return whole && same;
}

// A cell's shading: its own, its row kind's, or the stripe; false for none
// (*color is then its own fill color, unused).
static bool
cell_shading(const tabler_t *tb, const tcell_t *c, ap_color_t *color)
{
  const ap_table_t *t = tb->t;
  const ap_cell_t *cs = c->node->cell;
  int kind = tb->rows[c->row]->level;
  bool fill = cs->fill;

  *color = cs->fill_color;
  if (!fill && kind == AP_ROW_HEADER && t->header_fill)
    fill = true, *color = t->header_color;
  if (!fill && kind == AP_ROW_GROUP && t->group_fill)
    fill = true, *color = t->group_color;
  if (!fill && kind == AP_ROW_BODY && t->zebra && tb->body_index[c->row] % 2 == 1)
    fill = true, *color = t->zebra_color;
  return fill;
}

// A cell's background in the slice, with its border when one rect draws
// it; nothing when it has neither shading nor such a border.
static void
cell_background(tabler_t *tb, const tcell_t *c, const tspot_t *at, tslice_t *slice, const ap_border_t side[4],
                bool one_rect)
{
  ap_color_t color;
  bool fill = cell_shading(tb, c, &color);

  if (!fill && !(one_rect && side[0].width > 0))
    return;
  ap_box_t *bg = AP_NEW(tb->ctx->arena, ap_box_t);
  bg->kind = AP_BOX_RECT;
  bg->role = "cell";
  bg->rect = (ap_rect_t){at->x, at->y0 - slice->a, at->w, at->y1 - at->y0};
  bg->fill = fill;
  bg->color = color;
  if (one_rect) {
    bg->stroke = side[0].width;
    bg->stroke_color = side[0].color;
  }
  slice_add(slice, bg);
}

// A cell's lines whose top is in the slice, aligned vertically in the cell,
// from *next_line on. Each line goes in exactly one slice: it moves there,
// uncopied, with the footnotes it references.
static void
cell_lines(tabler_t *tb, const tcell_t *c, const tlaid_t *l, const tspot_t *at, tslice_t *slice, int *next_line)
{
  const ap_cell_t *cs = c->node->cell;
  double pad = tb->t->padding, a = slice->a, b = slice->b;
  double dy = cs->valign == AP_V_MIDDLE   ? (at->h - 2 * pad - l->content) / 2
              : cs->valign == AP_V_BOTTOM ? at->h - 2 * pad - l->content
                                          : 0;

  for (int k = *next_line; k < l->nlines; k++) {
    double ly = at->y + pad + dy + l->tops[k];
    if (ly < a - 0.01)
      continue;
    if (ly >= b - 0.01 && b < slice->unit_height)
      break; // This line and the ones below it belong to later slices
    *next_line = k + 1;
    for (int q = 0; q < l->nnotes[k]; q++)
      slice_note(tb->ctx, slice, l->notes[k][q]);
    ap_box_t *line = l->lines[k];
    ap_box_shift(line, at->x + pad, ly - l->tops[k] - a);
    slice_add(slice, line);
  }
}

// A cell's borders side by side (a cell split between slices, or with
// sides of its own): top and left, right at the table's edge, bottom at the unit's.
static void
cell_rules(tabler_t *tb, const tcell_t *c, const tspot_t *at, tslice_t *slice, const ap_border_t side[4])
{
  ap_layout_ctx_t *ctx = tb->ctx;
  double a = slice->a;
  ap_box_t *r;

  if (at->y >= a - 0.001 && (r = rule(ctx, at->x, at->y - a, at->w, 0, side[0])))
    slice_add(slice, r);
  if ((r = rule(ctx, at->x, at->y0 - a, 0, at->y1 - at->y0, side[3])))
    slice_add(slice, r);
  if (c->col + c->cols == tb->t->ncolumns && (r = rule(ctx, at->x + at->w, at->y0 - a, 0, at->y1 - at->y0, side[1])))
    slice_add(slice, r);
  if (at->y + at->h <= slice->b + 0.001 && (r = rule(ctx, at->x, at->y + at->h - a, at->w, 0, side[2])))
    slice_add(slice, r);
}

// Append a chain of boxes (a line may bring more than one) to a slice.
static void
slice_add(tslice_t *slice, ap_box_t *boxes)
{
  *slice->tail = boxes;
  while (*slice->tail)
    slice->tail = &(*slice->tail)->next;
}

// Note a footnote referenced in a slice's lines (the list grows in the ctx's arena).
static void
slice_note(ap_layout_ctx_t *ctx, tslice_t *slice, ap_note_t *note)
{
  if (slice->nnotes == slice->anotes) {
    slice->anotes = slice->anotes ? slice->anotes * 2 : 4;
    ap_note_t **grown = AP_NEW_N(ctx->arena, ap_note_t *, slice->anotes);
    if (slice->nnotes)
      memcpy(grown, slice->notes, sizeof(ap_note_t *) * (size_t)slice->nnotes);
    slice->notes = grown;
  }
  slice->notes[slice->nnotes++] = note;
}

// Hand a filled slice to the ctx as one item; a header unit's slice also
// goes, copied, below the header rows later pages repeat.
static void
hand_slice(tabler_t *tb, const tunit_t *u, const tslice_t *slice, bool first)
{
  ap_layout_ctx_t *ctx = tb->ctx;
  ap_item_t *it = ap_items_add(tb->items, ctx->arena, AP_ITEM_BLOCK);

  it->boxes = slice->boxes;
  it->height = slice->b - slice->a;
  it->space_before = first ? u->space_before : 0;
  it->break_ok = first ? u->first_break_ok : !tb->together;
  it->head = u->head;
  it->notes = slice->notes;
  it->nnotes = slice->nnotes;
  if (u->build_head) {
    ap_head_t *head = u->build_head;
    ap_box_t *copy = ap_box_clone(ctx->job, slice->boxes); // Outlives this page
    ap_box_shift(copy, 0, head->height);
    ap_box_t **end = &head->boxes;
    while (*end)
      end = &(*end)->next;
    *end = copy;
    head->height += slice->b - slice->a;
  }
}

// Where to report a unit's trouble: its first cell, or its row when it has none.
static ap_loc_t
unit_loc(const tabler_t *tb, const tunit_t *u)
{
  int first = tb->row_first[u->r0];
  return first < tb->row_first[u->r1] ? tb->cells[first].node->loc : tb->rows[u->r0]->loc;
}

// The lines of a unit's cells as spans of height, ordered by their top.
typedef struct span_s {
  double top, bottom; // From the unit's top, points
} span_t;

// Order spans by their top (qsort).
static int
compare_spans(const void *x, const void *y)
{
  const span_t *a = x, *b = y;
  return a->top < b->top ? -1 : a->top > b->top;
}

// Order cut positions (qsort).
static int
compare_cuts(const void *x, const void *y)
{
  double a = *(const double *)x, b = *(const double *)y;
  return a < b ? -1 : a > b;
}

// Where a tall unit (rows [r0, r1)) may be cut, from its top, ascending:
// 0, every row boundary, and every line bottom that no line of another
// cell crosses. malloc'ed with room for one more (the unit's height); NULL
// when out of memory. Linear in the lines after a sort, however many
// lines the unit has (a cell of 100,000 lines is just as well split).
static double *
unit_cuts(tabler_t *tb, int r0, int r1, double top, int *count)
{
  double pad = tb->t->padding;
  size_t nlines = 0, ncand = 0;
  for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++)
    nlines += (size_t)laid(tb, i)->nlines;
  double *cuts = malloc(sizeof(double) * (nlines + (size_t)(r1 - r0) + 2));
  double *bottoms = malloc(sizeof(double) * (nlines + 1));
  span_t *spans = malloc(sizeof(span_t) * (nlines + 1));
  if (!cuts || !bottoms || !spans) {
    free(cuts);
    free(bottoms);
    free(spans);
    return NULL;
  }

  // Every line as a span, and every line bottom but a cell's last as a candidate...
  size_t nspans = 0;
  for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++) {
    const tcell_t *c = &tb->cells[i];
    const tlaid_t *l = laid(tb, i);
    for (int k = 0; k < l->nlines; k++) {
      double y = tb->ys[c->row] - top + pad + l->tops[k];
      spans[nspans++] = (span_t){y, y + l->lines[k]->rect.h};
      if (k + 1 < l->nlines)
        bottoms[ncand++] = y + l->lines[k]->rect.h;
    }
  }
  qsort(spans, nspans, sizeof(span_t), compare_spans);
  qsort(bottoms, ncand, sizeof(double), compare_cuts);

  // A bottom is a cut when no span that starts above it ends below it
  // (the lowest end of the spans started so far tells)...
  int n = 0;
  cuts[n++] = 0;
  for (int r = r0 + 1; r < r1; r++)
    cuts[n++] = tb->ys[r] - top;
  size_t p = 0;
  double reach = -INFINITY; // Lowest bottom of the spans that start above y
  for (size_t j = 0; j < ncand; j++) {
    double y = bottoms[j];
    for (; p < nspans && spans[p].top < y - 0.01; p++)
      reach = fmax(reach, spans[p].bottom);
    if (reach <= y + 0.01)
      cuts[n++] = y;
  }
  free(bottoms);
  free(spans);

  // Sorted, without near duplicates...
  qsort(cuts, (size_t)n, sizeof(double), compare_cuts);
  int w = 1;
  for (int a = 1; a < n; a++)
    if (cuts[a] > cuts[w - 1] + 0.5)
      cuts[w++] = cuts[a];
  *count = w;
  return cuts;
}

// A horizontal (h = 0) or vertical (w = 0) border, NULL when it has no width.
static ap_box_t *
rule(ap_layout_ctx_t *ctx, double x, double y, double w, double h, ap_border_t b)
{
  if (b.width <= 0)
    return NULL;
  ap_box_t *r = AP_NEW(ctx->arena, ap_box_t);
  r->kind = w > 0 && h == 0 ? AP_BOX_RULE : AP_BOX_SEGMENT;
  r->role = "cell-border";
  r->rect = (ap_rect_t){x, y, w, h};
  r->stroke = b.width;
  r->color = b.color;
  return r;
}
