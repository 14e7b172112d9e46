// Tables: resolve spans into a grid and size the columns (fixed, shares,
// content) once; then, as the flow asks for them, lay out one unit of rows
// at a time (rows joined by a rowspan travel together) and hand the flow one
// item per unit, or per slice of a tall row. Header rows come back at the
// top of every page the table continues on. Rows are laid out only when
// their page is near, so a table of any length takes little memory.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../flow/flow.h"

// A cell on the grid: what the whole table keeps (small: a table has a
// tcell_t per cell for as long as it gives rows).
typedef struct tcell_s {
  const ap_node_t *node;   // The cell
  int row, col;            // Top-left slot
  int rows, cols;          // Spans
  ap_halign_t align;       // Resolved alignment
  bool decimal;            // Aligned on the decimal comma
} tcell_t;

// A cell of the unit being laid out: its lines, in the flow's arena (they
// go with their page).
typedef struct tlaid_s {
  ap_box_t **lines;        // Its laid-out lines (x relative to the cell's inner left, y to its inner top)
  double *tops;            // Their tops (the lines themselves move into place)
  ap_note_t ***notes;      // Footnotes referenced on each line
  int *nnotes;             // How many on each line
  int nlines;              // How many
  double content;          // Height of the lines
  const ap_struct_t *elem; // Its TH or TD (made with its row's TR when the row is laid out)
} tlaid_t;

typedef struct ap_tabler_s {
  ap_flow_t *flow;         // Flow
  const ap_node_t *node;   // The table
  const ap_table_t *t;     // Its columns and looks
  const ap_node_t **rows;  // Its rows, in order
  int nrows;               // How many
  tcell_t *cells;          // Its cells, row by row
  int ncells;              // How many
  int *row_first;          // Index of the first cell of each row (cells of rows r..s are contiguous)
  tlaid_t *laid;           // The unit's cells laid out (flow arena), cell i at laid[i - laid_first]
  int laid_first;          // Index of the unit's first cell
  double *widths;          // Column widths
  double *xs;              // Column left edges (relative to the table)
  double *heights;         // Row heights (of the unit being laid out)
  double *ys;              // Row tops (relative to the unit's top)
  int *body_index;         // Zebra: body row counter per row (-1 for other rows)
  double *mi, *mf;         // Per column: widest part of its numbers before and from the comma
  int next_row;            // First row not handed to the flow yet
  ap_head_t *head;         // Header rows for later pages (NULL when not repeated)
  bool keep_next;          // The last unit keeps with the next (a header, a group row)
  bool first;              // No unit handed yet
  double space_before;     // Space before the table
  ap_struct_t *elem;         // Its Table structure element (the cells' lines say in which cell they are)
  ap_struct_t *groups[4];    // Its THead, TBody, TFoot (by row kind, made with their first row; job arena)
} tabler_t;

static bool collect_unit(tabler_t *tb, int r0, int r1, bool split_ok, ap_head_t *head, bool first_break_ok,
                         double space_before, ap_head_t *build_head);
static bool lay_unit(tabler_t *tb, int r0, int r1);
static double *unit_cuts(tabler_t *tb, int r0, int r1, double top, int *count);
static void measure_decimal(tabler_t *tb, const tcell_t *c, double *int_w, double *frac_w);
static ap_style_t *cell_style(tabler_t *tb, const tcell_t *c);
static void decimal_widths(const tcell_t *c, const ap_box_t *line, double *int_w, double *frac_w);
static bool grid(tabler_t *tb);
static void measure_cell(tabler_t *tb, const tcell_t *c, double *natural, double *least);
static void size_columns(tabler_t *tb);
static ap_box_t *rule(ap_flow_t *flow, double x, double y, double w, double h, ap_border_t b);
static void row_elements(tabler_t *tb, int r);

// Cell i of the unit being laid out.
static inline tlaid_t *
laid(const tabler_t *tb, int i)
{
  return &tb->laid[i - tb->laid_first];
}

//
// 'ap_table_begin()' - Start a table: grid, columns, decimal blocks.
//

bool
ap_table_begin(ap_flow_t *flow, const ap_node_t *node)
{
  tabler_t *tb = AP_NEW(flow->job, tabler_t); // Lives as long as the table gives rows
  const ap_table_t *t = node->table;
  double pad = t->padding;

  tb->flow = flow;
  tb->node = node;
  tb->t = t;
  if (!grid(tb))
    return false;
  size_columns(tb);
  tb->heights = AP_NEW_N(flow->job, double, tb->nrows + 1);
  tb->ys = AP_NEW_N(flow->job, double, tb->nrows + 1);

  // Numbers aligned on the comma: the widest parts per column, measured on
  // the text (a cell on one line: its number fits the column)...
  tb->mi = AP_NEW_N(flow->job, double, t->ncolumns);
  tb->mf = AP_NEW_N(flow->job, double, t->ncolumns);
  for (int i = 0; i < tb->ncells; i++) {
    tcell_t *c = &tb->cells[i];
    if (!c->decimal || c->cols != 1)
      continue;
    double int_w, frac_w;
    measure_decimal(tb, c, &int_w, &frac_w);
    if (int_w + frac_w <= tb->widths[c->col] - 2 * pad) {
      tb->mi[c->col] = fmax(tb->mi[c->col], int_w);
      tb->mf[c->col] = fmax(tb->mf[c->col], frac_w);
    }
  }

  tb->head = t->repeat_header ? AP_NEW(flow->job, ap_head_t) : NULL;
  tb->keep_next = flow->keep;
  tb->first = true;
  tb->space_before = flow->pending;
  tb->elem = ap_flow_struct(tb->flow, "Table", NULL);
  flow->table = tb;
  return true;
}

//
// 'ap_table_next()' - Hand the flow the table's next unit of rows.
//

bool
ap_table_next(ap_flow_t *flow)
{
  tabler_t *tb = flow->table;
  int r = tb->next_row, end = r + 1;

  if (r >= tb->nrows) {
    // The table is out: what follows it comes after its space...
    flow->pending = tb->node->style->space_after;
    flow->keep = false;
    flow->table = NULL;
    return true;
  }

  // A unit: rows joined by rowspans...
  for (bool grew = true; grew;) {
    grew = false;
    for (int i = tb->row_first[r]; i < tb->row_first[end]; i++) {
      const tcell_t *c = &tb->cells[i];
      if (c->row + c->rows > end) {
        end = c->row + c->rows;
        grew = true;
      }
    }
  }
  int kind = tb->rows[r]->level;
  bool is_head = kind == AP_ROW_HEADER;
  bool has_head = tb->head && tb->nrows > 0 && tb->rows[0]->level == AP_ROW_HEADER;
  if (!lay_unit(tb, r, end) ||
      !collect_unit(tb, r, end, tb->t->split_lines && !is_head, is_head || !has_head ? NULL : tb->head,
                    !tb->keep_next, tb->first ? tb->space_before : 0, is_head ? tb->head : NULL))
    return false;
  tb->first = false;
  // Headers and group rows stay with what follows them...
  tb->keep_next = is_head || kind == AP_ROW_GROUP;
  tb->next_row = end;
  return true;
}

// Lay the cells of rows [r0, r1) out (in the flow's arena: they go with
// their page) and size those rows.
static bool
lay_unit(tabler_t *tb, int r0, int r1)
{
  ap_flow_t *flow = tb->flow;
  const ap_table_t *t = tb->t;
  double pad = t->padding;

  tb->laid_first = tb->row_first[r0];
  tb->laid = AP_NEW_N(flow->arena, tlaid_t, tb->row_first[r1] - tb->row_first[r0] + 1);
  for (int r = r0; r < r1; r++)
    row_elements(tb, r);
  for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++) {
    tcell_t *c = &tb->cells[i];
    tlaid_t *l = laid(tb, i);
    double w = tb->xs[c->col + c->cols - 1] + tb->widths[c->col + c->cols - 1] - tb->xs[c->col] - 2 * pad;
    ap_node_t copy = *c->node;
    copy.style = cell_style(tb, c);
    copy.label = NULL;
    l->nlines = 0;
    l->content = 0;
    if (w < 1)
      return ap_fail(flow->diags, c->node->loc, "table: a cell is %.1f pt wide inside its padding: too narrow", w);
    if (!ap_flow_paragraph(flow, &copy, w, &l->lines, &l->nlines, &l->notes, &l->nnotes))
      return false;
    l->tops = AP_NEW_N(flow->arena, double, l->nlines + 1);
    for (int k = 0; k < l->nlines; k++) {
      ap_flow_shift(l->lines[k], 0, l->content);
      l->lines[k]->role = tb->rows[c->row]->level == AP_ROW_HEADER ? "th" : "cell";
      l->lines[k]->in = l->elem;
      l->tops[k] = l->content;
      l->content += l->lines[k]->rect.h;
    }

    // A number on one line: its comma in line with the column's...
    double iw, fw;
    if (c->decimal && c->cols == 1 && l->nlines == 1 && tb->mi[c->col] + tb->mf[c->col] > 0 &&
        tb->mi[c->col] + tb->mf[c->col] <= tb->widths[c->col] - 2 * pad) {
      decimal_widths(c, l->lines[0], &iw, &fw);
      ap_flow_shift(l->lines[0], -(tb->mf[c->col] - fw), 0);
    }
  }

  // Row heights: the tallest single-row cell; a rowspan grows its last row...
  for (int r = r0; r < r1; r++)
    tb->heights[r] = 0;
  for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++)
    if (tb->cells[i].rows == 1)
      tb->heights[tb->cells[i].row] = fmax(tb->heights[tb->cells[i].row], laid(tb, i)->content + 2 * pad);
  for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++) {
    tcell_t *c = &tb->cells[i];
    double have = 0, content = laid(tb, i)->content;
    for (int r = c->row; r < c->row + c->rows; r++)
      have += tb->heights[r];
    if (content + 2 * pad > have)
      tb->heights[c->row + c->rows - 1] += content + 2 * pad - have;
  }
  tb->ys[r0] = 0;
  for (int r = r0; r < r1; r++) {
    if (tb->heights[r] <= 0)
      tb->heights[r] = 2 * pad + tb->node->style->leading;
    tb->ys[r + 1] = tb->ys[r] + tb->heights[r];
  }
  return true;
}

// Rows [r0, r1) as flow items: one, or slices between text lines when the
// unit may split (or is taller than a page). Header units also append their
// boxes to build_head, the copy later pages repeat.
static bool
collect_unit(tabler_t *tb, int r0, int r1, bool split_ok, ap_head_t *head, bool first_break_ok,
             double space_before, ap_head_t *build_head)
{
  ap_flow_t *flow = tb->flow;
  const ap_table_t *t = tb->t;
  double top = tb->ys[r0], height = tb->ys[r1] - top, pad = t->padding;
  const ap_master_t *m = flow->doc->master;
  double page = m->height - m->top - m->bottom - (head ? head->height : 0);

  // Where the unit may be cut: row boundaries, and between text lines when
  // rows may split; a unit taller than a page always may. Rows of a few
  // lines move whole (and read cell by cell); only a tall row (a quarter
  // of a page or more) is cut between its lines...
  int ncuts = 1;
  double one_cut[2] = {0, 0};
  double *cuts = one_cut;
  if ((split_ok && height > page / 4) || height > page) {
    if (!(cuts = unit_cuts(tb, r0, r1, top, &ncuts)))
      return ap_fail(flow->diags, tb->cells[tb->row_first[r0]].node->loc, "out of memory splitting a table row");
  }
  cuts[ncuts] = height;

  // Each cell's lines go to the slices in order: where the next slice starts looking...
  int ncells = tb->row_first[r1] - tb->row_first[r0];
  int *next_line = calloc((size_t)(ncells > 0 ? ncells : 1), sizeof(int));
  if (!next_line) {
    if (cuts != one_cut)
      free(cuts);
    return ap_fail(flow->diags, tb->cells[tb->row_first[r0]].node->loc, "out of memory splitting a table row");
  }

  // One item per slice: backgrounds and borders clipped to it, lines whose top is in it...
  for (int s = 0; s < ncuts; s++) {
    double a = cuts[s], b = cuts[s + 1];
    ap_box_t *boxes = NULL, **tail = &boxes;
    ap_note_t **notes = NULL; // Footnotes referenced in the slice's lines, in cell order
    int nnotes = 0, anotes = 0;
    for (int i = tb->row_first[r0]; i < tb->row_first[r1]; i++) {
      const tcell_t *c = &tb->cells[i];
      const tlaid_t *l = laid(tb, i);
      double cx = tb->xs[c->col], cw = tb->xs[c->col + c->cols - 1] + tb->widths[c->col + c->cols - 1] - cx;
      double cy = tb->ys[c->row] - top, ch = tb->ys[c->row + c->rows] - tb->ys[c->row];
      double y0 = fmax(a, cy), y1 = fmin(b, cy + ch);
      if (y1 <= y0 + 0.001)
        continue;
      const ap_cell_t *cs = c->node->cell;
      int kind = tb->rows[c->row]->level;

      // The cell's shading: its own, its row kind's, or the stripe...
      bool fill = cs->fill;
      ap_color_t color = cs->fill_color;
      if (!fill && kind == AP_ROW_HEADER && t->header_fill)
        fill = true, color = t->header_color;
      if (!fill && kind == AP_ROW_GROUP && t->group_fill)
        fill = true, color = t->group_color;
      if (!fill && kind == AP_ROW_BODY && t->zebra && tb->body_index[c->row] % 2 == 1)
        fill = true, color = t->zebra_color;
      // Its shading and borders: one rect when the cell stands whole in the
      // slice with the same border all round (the common case: big tables
      // stay small), else a background and a rule per side...
      ap_border_t side[4];
      for (int q = 0; q < 4; q++)
        side[q] = cs->border_set[q] ? cs->border[q] : t->border;
      bool whole = cy >= a - 0.001 && cy + ch <= b + 0.001;
      bool same = true;
      for (int q = 1; q < 4; q++)
        same = same && side[q].width == side[0].width && ap_color_same(side[q].color, side[0].color);
      bool one_rect = whole && same;
      if (fill || (one_rect && side[0].width > 0)) {
        ap_box_t *bg = AP_NEW(flow->arena, ap_box_t);
        bg->kind = AP_BOX_RECT;
        bg->role = "cell";
        bg->rect = (ap_rect_t){cx, y0 - a, cw, y1 - y0};
        bg->fill = fill;
        bg->color = color;
        if (one_rect) {
          bg->stroke = side[0].width;
          bg->stroke_color = side[0].color;
        }
        *tail = bg;
        tail = &bg->next;
      }

      // Its lines, aligned vertically in the cell...
      double dy = cs->valign == AP_V_MIDDLE   ? (ch - 2 * pad - l->content) / 2
                  : cs->valign == AP_V_BOTTOM ? ch - 2 * pad - l->content
                                              : 0;
      int *k0 = &next_line[i - tb->row_first[r0]];
      for (int k = *k0; k < l->nlines; k++) {
        double ly = cy + pad + dy + l->tops[k];
        if (ly < a - 0.01)
          continue;
        if (ly >= b - 0.01 && b < height)
          break; // This line and the ones below it belong to later slices
        *k0 = k + 1;
        // Each line goes in exactly one slice: it moves there, uncopied,
        // with the footnotes it references...
        for (int q = 0; q < l->nnotes[k]; q++) {
          if (nnotes == anotes) {
            anotes = anotes ? anotes * 2 : 4;
            ap_note_t **grown = AP_NEW_N(flow->arena, ap_note_t *, anotes);
            if (nnotes)
              memcpy(grown, notes, sizeof(ap_note_t *) * (size_t)nnotes);
            notes = grown;
          }
          notes[nnotes++] = l->notes[k][q];
        }
        ap_box_t *line = l->lines[k];
        ap_flow_shift(line, cx + pad, ly - l->tops[k] - a);
        *tail = line;
        while (*tail)
          tail = &(*tail)->next;
      }

      // Borders side by side (cells split between slices, or with sides of
      // their own): top and left, right at the table's edge, bottom at the unit's...
      ap_box_t *r;
      if (!one_rect) {
        if (cy >= a - 0.001 && (r = rule(flow, cx, cy - a, cw, 0, side[0])))
          *tail = r, tail = &r->next;
        if ((r = rule(flow, cx, y0 - a, 0, y1 - y0, side[3])))
          *tail = r, tail = &r->next;
        if (c->col + c->cols == t->ncolumns && (r = rule(flow, cx + cw, y0 - a, 0, y1 - y0, side[1])))
          *tail = r, tail = &r->next;
        if (cy + ch <= b + 0.001 && (r = rule(flow, cx, cy + ch - a, cw, 0, side[2])))
          *tail = r, tail = &r->next;
      }
    }

    ap_item_t *it = ap_flow_add_item(flow, AP_ITEM_BLOCK);
    it->boxes = boxes;
    it->height = b - a;
    it->space_before = s == 0 ? space_before : 0;
    it->break_ok = s == 0 ? first_break_ok : true;
    it->head = head;
    it->notes = notes;
    it->nnotes = nnotes;
    if (build_head) {
      // The header's copy for later pages...
      ap_box_t *copy = ap_flow_clone(flow->job, boxes); // Outlives this page
      ap_flow_shift(copy, 0, build_head->height);
      ap_box_t **end = &build_head->boxes;
      while (*end)
        end = &(*end)->next;
      *end = copy;
      build_head->height += b - a;
    }
  }
  free(next_line);
  if (cuts != one_cut)
    free(cuts);
  return true;
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

// The style a cell is set in: its own, with the column's (or its) alignment
// and no indents or paragraph spacing.
static ap_style_t *
cell_style(tabler_t *tb, const tcell_t *c)
{
  ap_style_t *s = AP_NEW(tb->flow->arena, ap_style_t);
  *s = *c->node->style;
  s->align = c->align;
  s->first_indent = 0;
  s->left_indent = 0;
  s->space_before = s->space_after = 0;
  s->keep_with_next = false;
  return s;
}

// Widths of a one-line number before its decimal comma and from it on.
static void
decimal_widths(const tcell_t *c, const ap_box_t *line, double *int_w, double *frac_w)
{
  double start = line->runs ? line->runs->x : 0, end = start, comma = -1;
  for (const ap_run_t *r = line->runs; r; r = r->next) {
    const char *p = strchr(r->text, ',');
    if (p && comma < 0)
      comma = r->x + ap_font_measure(r->font, r->text, (size_t)(p - r->text), r->size);
    end = r->x + r->width;
  }
  (void)c;
  if (comma < 0)
    comma = end;
  *int_w = comma - start;
  *frac_w = end - comma;
}

// Place every cell on the grid of slots, following row and column spans.
static bool
grid(tabler_t *tb)
{
  ap_flow_t *flow = tb->flow;
  const ap_table_t *t = tb->t;
  int n = 0, ncells = 0;

  for (const ap_node_t *r = tb->node->children; r; r = r->next, n++)
    for (const ap_node_t *c = r->children; c; c = c->next)
      ncells++;
  tb->nrows = n;
  tb->rows = AP_NEW_N(flow->job, const ap_node_t *, n + 1);
  tb->cells = AP_NEW_N(flow->job, tcell_t, ncells + 1);
  tb->body_index = AP_NEW_N(flow->job, int, n + 1);
  unsigned char *used = AP_NEW_N(flow->job, unsigned char, (size_t)(n + 1) * (size_t)t->ncolumns);

  tb->row_first = AP_NEW_N(flow->job, int, n + 1);
  int r = 0, body = 0;
  for (const ap_node_t *row = tb->node->children; row; row = row->next, r++) {
    tb->rows[r] = row;
    tb->row_first[r] = tb->ncells;
    tb->body_index[r] = row->level == AP_ROW_BODY ? body++ : -1;
    int col = 0;
    for (const ap_node_t *cn = row->children; cn; cn = cn->next) {
      while (col < t->ncolumns && used[(size_t)r * t->ncolumns + col])
        col++;
      const ap_cell_t *cs = cn->cell;
      if (col + cs->colspan > t->ncolumns)
        return ap_fail(flow->diags, cn->loc, "table: this cell would need column %d, the table has %d", col + cs->colspan,
                       t->ncolumns);
      tcell_t *c = &tb->cells[tb->ncells++];
      c->node = cn;
      c->row = r;
      c->col = col;
      c->cols = cs->colspan;
      c->rows = r + cs->rowspan <= n ? cs->rowspan : n - r;
      const ap_column_t *column = &t->columns[col];
      c->decimal = cs->align_set ? cs->decimal : column->decimal && cs->colspan == 1;
      c->align = cs->align_set ? cs->align : column->align;
      if (row->level == AP_ROW_HEADER && !cs->align_set)
        c->align = AP_H_CENTER; // Column headings centred unless a cell says otherwise
      if (row->level == AP_ROW_GROUP && !cs->align_set)
        c->align = AP_H_LEFT;
      for (int rr = r; rr < r + c->rows; rr++)
        for (int cc = col; cc < col + c->cols; cc++)
          used[(size_t)rr * t->ncolumns + cc] = 1;
      col += c->cols;
    }
  }
  tb->row_first[n] = tb->ncells;
  return true;
}

// Natural width of a cell's text on one line, and its longest word.
static void
measure_cell(tabler_t *tb, const tcell_t *c, double *natural, double *least)
{
  *natural = *least = 0;
  double word = 0;
  for (const ap_node_t *n = c->node->children; n; n = n->next) {
    if (n->kind != AP_NODE_TEXT)
      continue;
    const ap_font_t *f = ap_flow_font(tb->flow, c->node->style, n->bold, n->italic, n->loc);
    if (!f)
      return;
    double size = c->node->style->size;
    *natural += ap_flow_measure(tb->flow, c->node->style, n->bold, n->italic, n->text, strlen(n->text), size);
    for (const char *p = n->text; *p;) {
      size_t k = strcspn(p, " ");
      word += ap_flow_measure(tb->flow, c->node->style, n->bold, n->italic, p, k, size);
      if (p[k] == ' ') {
        *least = fmax(*least, word);
        word = 0;
        k++;
      }
      p += k;
    }
  }
  *least = fmax(*least, word);
}

// Widths of a cell's text before its first decimal comma and from it on,
// measured as one line.
static void
measure_decimal(tabler_t *tb, const tcell_t *c, double *int_w, double *frac_w)
{
  bool comma = false;
  *int_w = *frac_w = 0;
  for (const ap_node_t *n = c->node->children; n; n = n->next) {
    if (n->kind != AP_NODE_TEXT)
      continue;
    const ap_font_t *f = ap_flow_font(tb->flow, c->node->style, n->bold, n->italic, n->loc);
    if (!f)
      return;
    const char *p = comma ? NULL : strchr(n->text, ',');
    size_t len = strlen(n->text), cut = p ? (size_t)(p - n->text) : len;
    double size = c->node->style->size;
    if (comma) {
      *frac_w += ap_flow_measure(tb->flow, c->node->style, n->bold, n->italic, n->text, len, size);
    } else {
      *int_w += ap_flow_measure(tb->flow, c->node->style, n->bold, n->italic, n->text, cut, size);
      *frac_w += ap_flow_measure(tb->flow, c->node->style, n->bold, n->italic, n->text + cut, len - cut, size);
      comma = p != NULL;
    }
  }
}

// Column widths: fixed ones as given, content-sized ones as their text asks
// (shrunk toward their longest word when space is short), shares of the rest.
static void
size_columns(tabler_t *tb)
{
  const ap_table_t *t = tb->t;
  int n = t->ncolumns;
  double W = tb->flow->width, fixed = 0, shares = 0, pad2 = 2 * t->padding;
  double *nat = AP_NEW_N(tb->flow->job, double, n), *least = AP_NEW_N(tb->flow->job, double, n);

  tb->widths = AP_NEW_N(tb->flow->job, double, n);
  tb->xs = AP_NEW_N(tb->flow->job, double, n + 1);
  for (int i = 0; i < tb->ncells; i++) {
    const tcell_t *c = &tb->cells[i];
    if (c->cols != 1 || t->columns[c->col].kind != AP_COL_AUTO)
      continue;
    double a, b;
    measure_cell(tb, c, &a, &b);
    nat[c->col] = fmax(nat[c->col], a + pad2 + 1);
    least[c->col] = fmax(least[c->col], b + pad2 + 1);
  }
  double autos = 0, autos_least = 0;
  for (int i = 0; i < n; i++) {
    if (t->columns[i].kind == AP_COL_FIXED)
      fixed += tb->widths[i] = t->columns[i].value;
    else if (t->columns[i].kind == AP_COL_FR)
      shares += t->columns[i].value;
    else
      autos += nat[i], autos_least += least[i];
  }

  // Content-sized columns take what they ask when it leaves room for the
  // shares (half of what remains at least), else shrink toward their words...
  double room = W - fixed, for_autos = shares > 0 ? fmin(autos, room / 2) : fmin(autos, room);
  double k = autos > autos_least ? (for_autos - autos_least) / (autos - autos_least) : 1;
  if (k > 1)
    k = 1;
  for (int i = 0; i < n; i++)
    if (t->columns[i].kind == AP_COL_AUTO)
      tb->widths[i] = autos > for_autos ? least[i] + fmax(0, k) * (nat[i] - least[i]) : nat[i];
  double used = fixed;
  for (int i = 0; i < n; i++)
    if (t->columns[i].kind == AP_COL_AUTO)
      used += tb->widths[i];
  for (int i = 0; i < n; i++)
    if (t->columns[i].kind == AP_COL_FR)
      tb->widths[i] = fmax(0, W - used) * t->columns[i].value / shares;
  // Without shares, what content-sized columns leave goes to them in proportion...
  if (shares == 0 && autos > 0 && used < W)
    for (int i = 0; i < n; i++)
      if (t->columns[i].kind == AP_COL_AUTO)
        tb->widths[i] += (W - used) * tb->widths[i] / (used - fixed);
  for (int i = 0; i < n; i++)
    tb->xs[i + 1] = tb->xs[i] + tb->widths[i];
}

// A horizontal (h = 0) or vertical (w = 0) border, NULL when it has no width.
static ap_box_t *
rule(ap_flow_t *flow, double x, double y, double w, double h, ap_border_t b)
{
  if (b.width <= 0)
    return NULL;
  ap_box_t *r = AP_NEW(flow->arena, ap_box_t);
  r->kind = w > 0 && h == 0 ? AP_BOX_RULE : AP_BOX_SEGMENT;
  r->role = "cell-border";
  r->rect = (ap_rect_t){x, y, w, h};
  r->stroke = b.width;
  r->color = b.color;
  return r;
}

// Row r's structure: a TR in the THead (header rows), TFoot (footer rows)
// or TBody (the others) with a TH per header cell (Scope Column) and a TD
// per other cell, every cell made with the row (an empty one too), their
// spans noted.
static void
row_elements(tabler_t *tb, int r)
{
  int kind = tb->rows[r]->level;
  int g = kind == AP_ROW_HEADER ? 0 : kind == AP_ROW_FOOTER ? 2 : 1;
  static const char *const groups[] = {"THead", "TBody", "TFoot"};

  if (!tb->groups[g])
    tb->groups[g] = ap_flow_struct(tb->flow, groups[g], tb->elem);
  ap_struct_t *row = ap_flow_struct(tb->flow, "TR", tb->groups[g]);
  const ap_struct_t **tail = &row->kids;
  for (int i = tb->row_first[r]; i < tb->row_first[r + 1]; i++) {
    const tcell_t *c = &tb->cells[i];
    ap_struct_t *e = ap_flow_struct(tb->flow, kind == AP_ROW_HEADER ? "TH" : "TD", row);
    e->scope = kind == AP_ROW_HEADER ? "Column" : NULL;
    e->rowspan = c->rows;
    e->colspan = c->cols;
    laid(tb, i)->elem = e;
    *tail = e;
    tail = &e->next;
  }
}
