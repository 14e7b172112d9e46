// Tables: resolve spans into a grid and size the columns (fixed, shares,
// content) once; then, as the paginator asks for them, lay out one unit of rows
// at a time (rows joined by a rowspan travel together) and hand it one
// item per unit, or per slice of a tall row. Header rows come back at the
// top of every page the table continues on. Rows are laid out only when
// their page is near, so a table of any length takes little memory.
#include <math.h>
#include <string.h>

#include "table-private.h"

static int unit_end(const tabler_t *tb, int r);
static bool lay_unit(tabler_t *tb, int r0, int r1);
static void measure_decimal(tabler_t *tb, const tcell_t *c, double *int_w, double *frac_w);
static ap_style_t *cell_style(tabler_t *tb, const tcell_t *c);
static void decimal_widths(const tcell_t *c, const ap_box_t *line, double *int_w, double *frac_w);
static bool grid(tabler_t *tb);
static void measure_cell(tabler_t *tb, const tcell_t *c, double *natural, double *least);
static void size_columns(tabler_t *tb);
static void row_elements(tabler_t *tb, int r);

//
// 'ap_table_begin()' - Start a table: grid, columns, decimal blocks.
//

ap_tabler_t *                              // O - The table giving rows, NULL on error (recorded)
ap_table_begin(ap_layout_ctx_t *ctx,       // I - Layout context
               ap_items_t *items,          // I - Where its units go
               const ap_node_t *node,      // I - The table
               double width,               // I - Width it is laid out in (the text's)
               double space_before,        // I - Space above it
               bool keep)                  // I - What precedes it keeps with it
{
  tabler_t *tb = AP_NEW(ctx->job, tabler_t); // Lives as long as the table gives rows
  const ap_table_t *t = node->table;
  double pad = t->padding;

  tb->ctx = ctx;
  tb->items = items;
  tb->width = width;
  tb->node = node;
  tb->t = t;
  if (!grid(tb))
    return NULL;
  size_columns(tb);
  tb->heights = AP_NEW_N(ctx->job, double, tb->nrows + 1);
  tb->ys = AP_NEW_N(ctx->job, double, tb->nrows + 1);

  // Numbers aligned on the comma: the widest parts per column, measured on
  // the text (a cell on one line: its number fits the column)...
  tb->mi = AP_NEW_N(ctx->job, double, t->ncolumns);
  tb->mf = AP_NEW_N(ctx->job, double, t->ncolumns);
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

  tb->head = t->repeat_header ? AP_NEW(ctx->job, ap_head_t) : NULL;
  tb->keep_next = keep;
  tb->first = true;
  tb->space_before = space_before;
  tb->elem = ap_struct_new(ctx, "Table", NULL);
  return tb;
}

//
// 'ap_table_next()' - Hand the paginator the table's next unit of rows.
//

bool                                       // O - false on error (recorded)
ap_table_next(ap_tabler_t *tb,             // I - Table giving rows
              bool *done)                  // O - true (and no item) once its last row is out
{
  int r = tb->next_row;

  *done = r >= tb->nrows;
  if (*done)
    return true;

  // A unit: rows joined by rowspans, header rows repeated above it on later
  // pages (not above the header itself, which builds their copy)...
  int kind = tb->rows[r]->level;
  bool is_head = kind == AP_ROW_HEADER;
  bool has_head = tb->head && tb->nrows > 0 && tb->rows[0]->level == AP_ROW_HEADER;
  tunit_t u = {
      .r0 = r,
      .r1 = unit_end(tb, r),
      .split_ok = tb->t->split_lines && !is_head,
      .head = is_head || !has_head ? NULL : tb->head,
      .first_break_ok = !tb->keep_next,
      .space_before = tb->first ? tb->space_before : 0,
      .build_head = is_head ? tb->head : NULL,
  };
  if (!lay_unit(tb, u.r0, u.r1) || !ap_table_collect_unit(tb, &u))
    return false;
  tb->first = false;
  // Headers and group rows stay with what follows them...
  tb->keep_next = is_head || kind == AP_ROW_GROUP;
  tb->next_row = u.r1;
  return true;
}

// The end of the unit that starts at row r: rows joined by rowspans go together.
static int
unit_end(const tabler_t *tb, int r)
{
  int end = r + 1;

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
  return end;
}

// Lay the cells of rows [r0, r1) out (in the context's arena: they go with
// their page) and size those rows.
static bool
lay_unit(tabler_t *tb, int r0, int r1)
{
  ap_layout_ctx_t *ctx = tb->ctx;
  const ap_table_t *t = tb->t;
  double pad = t->padding;

  tb->laid_first = tb->row_first[r0];
  tb->laid = AP_NEW_N(ctx->arena, tlaid_t, tb->row_first[r1] - tb->row_first[r0] + 1);
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
      return ap_fail(ctx->diags, c->node->loc, "table: a cell is %.1f pt wide inside its padding: too narrow", w);
    ap_lines_t lines;
    if (!ap_text_paragraph(ctx, &copy, w, &lines))
      return false;
    l->lines = lines.boxes;
    l->notes = lines.notes;
    l->nnotes = lines.nnotes;
    l->nlines = lines.n;
    l->tops = AP_NEW_N(ctx->arena, double, l->nlines + 1);
    for (int k = 0; k < l->nlines; k++) {
      ap_box_shift(l->lines[k], 0, l->content);
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
      ap_box_shift(l->lines[0], -(tb->mf[c->col] - fw), 0);
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

// The style a cell is set in: its own, with the column's (or its) alignment
// and no indents or paragraph spacing.
static ap_style_t *
cell_style(tabler_t *tb, const tcell_t *c)
{
  ap_style_t *s = AP_NEW(tb->ctx->arena, ap_style_t);
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
  ap_layout_ctx_t *ctx = tb->ctx;
  const ap_table_t *t = tb->t;
  int n = 0, ncells = 0;

  for (const ap_node_t *r = tb->node->children; r; r = r->next, n++)
    for (const ap_node_t *c = r->children; c; c = c->next)
      ncells++;
  tb->nrows = n;
  tb->rows = AP_NEW_N(ctx->job, const ap_node_t *, n + 1);
  tb->cells = AP_NEW_N(ctx->job, tcell_t, ncells + 1);
  tb->body_index = AP_NEW_N(ctx->job, int, n + 1);
  unsigned char *used = AP_NEW_N(ctx->job, unsigned char, (size_t)(n + 1) * (size_t)t->ncolumns);

  tb->row_first = AP_NEW_N(ctx->job, int, n + 1);
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
        return ap_fail(ctx->diags, cn->loc, "table: this cell would need column %d, the table has %d", col + cs->colspan,
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
    const ap_font_t *f = ap_text_font(tb->ctx, c->node->style, n->bold, n->italic, n->loc);
    if (!f)
      return;
    double size = c->node->style->size;
    *natural += ap_text_measure(tb->ctx, c->node->style, n->bold, n->italic, n->text, strlen(n->text), size);
    for (const char *p = n->text; *p;) {
      size_t k = strcspn(p, " ");
      word += ap_text_measure(tb->ctx, c->node->style, n->bold, n->italic, p, k, size);
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
    const ap_font_t *f = ap_text_font(tb->ctx, c->node->style, n->bold, n->italic, n->loc);
    if (!f)
      return;
    const char *p = comma ? NULL : strchr(n->text, ',');
    size_t len = strlen(n->text), cut = p ? (size_t)(p - n->text) : len;
    double size = c->node->style->size;
    if (comma) {
      *frac_w += ap_text_measure(tb->ctx, c->node->style, n->bold, n->italic, n->text, len, size);
    } else {
      *int_w += ap_text_measure(tb->ctx, c->node->style, n->bold, n->italic, n->text, cut, size);
      *frac_w += ap_text_measure(tb->ctx, c->node->style, n->bold, n->italic, n->text + cut, len - cut, size);
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
  double W = tb->width, fixed = 0, shares = 0, pad2 = 2 * t->padding;
  double *nat = AP_NEW_N(tb->ctx->job, double, n), *least = AP_NEW_N(tb->ctx->job, double, n);

  tb->widths = AP_NEW_N(tb->ctx->job, double, n);
  tb->xs = AP_NEW_N(tb->ctx->job, double, n + 1);
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
    tb->groups[g] = ap_struct_new(tb->ctx, groups[g], tb->elem);
  ap_struct_t *row = ap_struct_new(tb->ctx, "TR", tb->groups[g]);
  const ap_struct_t **tail = &row->kids;
  for (int i = tb->row_first[r]; i < tb->row_first[r + 1]; i++) {
    const tcell_t *c = &tb->cells[i];
    ap_struct_t *e = ap_struct_new(tb->ctx, kind == AP_ROW_HEADER ? "TH" : "TD", row);
    e->scope = kind == AP_ROW_HEADER ? "Column" : NULL;
    e->rowspan = c->rows;
    e->colspan = c->cols;
    laid(tb, i)->elem = e;
    *tail = e;
    tail = &e->next;
  }
}
