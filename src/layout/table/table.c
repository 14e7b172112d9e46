// Tables: place each row's cells on a grid of slots (row and column
// spans), size the columns (fixed, shares, content) once; then, as the
// paginator asks for them, take one unit of rows at a time (rows joined by
// a rowspan travel together), lay it out and hand it over as one item, or
// one per slice of a tall unit. Header rows come back at the top of every
// page the table continues on. Rows are taken only when their page is
// near, and bound then when the table's rows are bound as layout reaches
// them (ap_rows_t): a table of any length keeps only a unit's rows, and
// its columns are measured in a pass of their own over the rows, each
// dropped once measured.
#include <math.h>
#include <string.h>

#include "table-private.h"

// What a pass over the rows measures before the layout (content-sized
// columns, numbers aligned on the comma).
typedef enum measure_e {
  MEASURE_AUTO,            // Natural width and longest word of content-sized columns' cells
  MEASURE_DECIMAL          // Widest parts of numbers before and from the comma
} measure_t;

#define MEASURE_ARENA_MAX (1u << 20) // Bytes of rows bound for measuring kept before their arena is renewed

static bool lay_unit(tabler_t *tb, int r0, int r1);
static void measure_decimal(tabler_t *tb, const tcell_t *c, double *int_w, double *frac_w);
static ap_style_t *cell_style(tabler_t *tb, const tcell_t *c);
static void decimal_widths(const tcell_t *c, const ap_box_t *line, double *int_w, double *frac_w);
static void measure_cell(tabler_t *tb, const tcell_t *c, double *natural, double *least);
static bool measure_rows(tabler_t *tb, measure_t what, double *nat, double *least);
static void open_window(tabler_t *tb);
static void restart(tabler_t *tb);
static void row_elements(tabler_t *tb, int r);
static void size_columns(tabler_t *tb, const double *nat, const double *least);
static bool take_row(tabler_t *tb);
static bool take_rows(tabler_t *tb, int n);
static bool take_unit(tabler_t *tb, int *end);

//
// 'ap_table_begin()' - Start a table: columns sized, numbers measured.
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
  int n = t->ncolumns;

  tb->ctx = ctx;
  tb->items = items;
  tb->width = width;
  tb->node = node;
  tb->t = t;
  tb->source = t->rows;
  if (tb->source) {
    tb->nrows = tb->source->count;
  } else {
    for (const ap_node_t *r = node->children; r; r = r->next)
      tb->nrows++;
  }
  tb->busy = AP_NEW_N(ctx->job, int, n);
  restart(tb);

  // Columns: content-sized ones measured over every row first...
  double *nat = AP_NEW_N(ctx->job, double, n), *least = AP_NEW_N(ctx->job, double, n);
  bool autos = false, decimals = !tb->source || tb->source->cell_decimal;
  for (int i = 0; i < n; i++) {
    autos |= t->columns[i].kind == AP_COL_AUTO;
    decimals |= t->columns[i].decimal;
  }
  if (autos && !measure_rows(tb, MEASURE_AUTO, nat, least))
    return NULL;
  size_columns(tb, nat, least);

  // Numbers aligned on the comma: the widest parts per column, measured on
  // the text (a cell on one line: its number fits the column)...
  tb->mi = AP_NEW_N(ctx->job, double, n);
  tb->mf = AP_NEW_N(ctx->job, double, n);
  if (decimals && !measure_rows(tb, MEASURE_DECIMAL, NULL, NULL))
    return NULL;

  tb->head = t->repeat_header ? AP_NEW(ctx->job, ap_head_t) : NULL;
  tb->keep_next = keep;
  tb->together = node->style && node->style->keep_together;
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
  *done = tb->taken >= tb->nrows;
  if (*done)
    return true;

  // A unit: rows joined by rowspans (the window's rows once taken), header
  // rows repeated above it on later pages (not above the header itself,
  // which builds their copy)...
  int end;
  open_window(tb);
  tb->bind_arena = tb->ctx->arena; // The unit's rows go with its page
  if (!take_unit(tb, &end))
    return false;
  int kind = tb->rows[0]->level;
  bool is_head = kind == AP_ROW_HEADER;
  bool has_head = tb->head && tb->head_first;
  // The table's last unit (its last row, with what a rowspan joins to it)
  // and its footer rows never start a page: they go with the row before
  // them, so a row never stands alone under the repeated header...
  bool closing = !tb->first && (tb->taken >= tb->nrows || kind == AP_ROW_FOOTER);
  tunit_t u = {
      .r0 = 0,
      .r1 = end,
      .split_ok = tb->t->split_lines && !is_head,
      .head = is_head || !has_head ? NULL : tb->head,
      .first_break_ok = !tb->keep_next && !closing && !(tb->together && !tb->first),
      .space_before = tb->first ? tb->space_before : 0,
      .build_head = is_head ? tb->head : NULL,
  };
  if (!lay_unit(tb, u.r0, u.r1) || !ap_table_collect_unit(tb, &u))
    return false;
  tb->first = false;
  // Headers and group rows stay with what follows them...
  tb->keep_next = is_head || kind == AP_ROW_GROUP;
  return true;
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
    // Set without the paragraph cache: a cell is mostly one short line,
    // set faster than its key is built, and a long table would fill the
    // cache with cells no one asks for again (the output is the same)...
    ap_lines_t lines;
    struct ap_par_cache_s *cache = ctx->par_cache;
    ctx->par_cache = NULL;
    bool set = ap_text_paragraph(ctx, &copy, w, &lines);
    ctx->par_cache = cache;
    if (!set)
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
// (nat: on one line, least: its longest word; shrunk toward that when
// space is short), shares of the rest.
static void
size_columns(tabler_t *tb, const double *nat, const double *least)
{
  const ap_table_t *t = tb->t;
  int n = t->ncolumns;
  double W = tb->width, fixed = 0, shares = 0;

  tb->widths = AP_NEW_N(tb->ctx->job, double, n);
  tb->xs = AP_NEW_N(tb->ctx->job, double, n + 1);
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

// One pass over every row before the layout, each row taken (bound, when
// the table binds them as reached, in an arena of the pass's own, renewed
// as it fills) and its cells measured: content-sized columns' natural
// widths and longest words into nat and least, or the widest parts of the
// numbers aligned on the comma into tb->mi and tb->mf. The rows start again
// from the first after it. False on error (recorded).
static bool
measure_rows(tabler_t *tb, measure_t what, double *nat, double *least)
{
  const ap_table_t *t = tb->t;
  double pad2 = 2 * t->padding;
  ap_arena_t *arena = tb->source ? ap_arena_create() : NULL;
  bool ok = !tb->source || arena;

  if (!ok)
    return ap_fail(tb->ctx->diags, tb->node->loc, "out of memory");
  while (ok && tb->taken < tb->nrows) {
    open_window(tb);
    if (arena && ap_arena_used(arena) > MEASURE_ARENA_MAX) { // Rows measured already go
      ap_arena_destroy(arena);
      if (!(arena = ap_arena_create())) {
        ok = ap_fail(tb->ctx->diags, tb->node->loc, "out of memory");
        break;
      }
    }
    tb->bind_arena = arena;
    if (!(ok = take_row(tb)))
      break;
    for (int i = tb->row_first[0]; i < tb->row_first[1]; i++) {
      const tcell_t *c = &tb->cells[i];
      double a, b;
      if (what == MEASURE_AUTO && c->cols == 1 && t->columns[c->col].kind == AP_COL_AUTO) {
        measure_cell(tb, c, &a, &b);
        nat[c->col] = fmax(nat[c->col], a + pad2 + 1);
        least[c->col] = fmax(least[c->col], b + pad2 + 1);
      } else if (what == MEASURE_DECIMAL && c->decimal && c->cols == 1) {
        measure_decimal(tb, c, &a, &b);
        if (a + b <= tb->widths[c->col] - pad2) {
          tb->mi[c->col] = fmax(tb->mi[c->col], a);
          tb->mf[c->col] = fmax(tb->mf[c->col], b);
        }
      }
    }
  }
  ap_arena_destroy(arena);
  tb->bind_arena = NULL;
  restart(tb);
  return ok;
}

// Start the window at the first row not taken yet: the rows before it are
// gone (handed over or measured), and what their cells cover moves up.
static void
open_window(tabler_t *tb)
{
  int shift = tb->taken - tb->base;

  for (int c = 0; c < tb->t->ncolumns; c++)
    tb->busy[c] = tb->busy[c] > shift ? tb->busy[c] - shift : 0;
  tb->base = tb->taken;
  tb->nwin = 0;
  tb->ncells = 0;
}

// Back to the table's first row, nothing taken.
static void
restart(tabler_t *tb)
{
  tb->taken = tb->base = tb->nwin = tb->ncells = tb->body = 0;
  tb->child = tb->node->children;
  memset(tb->busy, 0, sizeof(int) * (size_t)tb->t->ncolumns);
}

// Take the next row into the window: bound (into tb->bind_arena) or the
// node's next child, its cells placed on the grid in the first slots free
// of the cells above (their rowspans); false on error (recorded).
static bool
take_row(tabler_t *tb)
{
  ap_layout_ctx_t *ctx = tb->ctx;
  const ap_table_t *t = tb->t;
  const ap_node_t *row;

  if (tb->source) {
    if (!(row = tb->source->bind(tb->source, tb->taken, tb->bind_arena)))
      return false;
  } else {
    row = tb->child;
    tb->child = row->next;
  }

  // Room for one more row (and its cells), grown in the job's arena (as
  // large as the largest unit so far)...
  int r = tb->nwin, ncells = 0;
  for (const ap_node_t *cn = row->children; cn; cn = cn->next)
    ncells++;
  if (r + 1 >= tb->row_room) {
    int room = tb->row_room ? tb->row_room * 2 : 16;
    const ap_node_t **rows = AP_NEW_N(ctx->job, const ap_node_t *, room);
    int *row_first = AP_NEW_N(ctx->job, int, room + 1), *body_index = AP_NEW_N(ctx->job, int, room);
    if (r) {
      memcpy(rows, tb->rows, sizeof(*rows) * (size_t)r);
      memcpy(row_first, tb->row_first, sizeof(*row_first) * (size_t)(r + 1));
      memcpy(body_index, tb->body_index, sizeof(*body_index) * (size_t)r);
    }
    tb->rows = rows;
    tb->row_first = row_first;
    tb->body_index = body_index;
    tb->heights = AP_NEW_N(ctx->job, double, room + 1);
    tb->ys = AP_NEW_N(ctx->job, double, room + 1);
    tb->row_room = room;
  }
  if (tb->ncells + ncells >= tb->cell_room) {
    int room = tb->cell_room ? tb->cell_room * 2 : 64;
    while (room <= tb->ncells + ncells)
      room *= 2;
    tcell_t *cells = AP_NEW_N(ctx->job, tcell_t, room);
    if (tb->ncells)
      memcpy(cells, tb->cells, sizeof(*cells) * (size_t)tb->ncells);
    tb->cells = cells;
    tb->cell_room = room;
  }

  // The row, its zebra count, then its cells...
  if (tb->taken == 0)
    tb->head_first = row->level == AP_ROW_HEADER;
  tb->rows[r] = row;
  tb->row_first[r] = tb->ncells;
  tb->body_index[r] = row->level == AP_ROW_BODY ? tb->body++ : -1;
  int col = 0, left = tb->nrows - tb->taken; // (rows from this one to the table's end)
  for (const ap_node_t *cn = row->children; cn; cn = cn->next) {
    while (col < t->ncolumns && tb->busy[col] > r)
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
    c->rows = cs->rowspan <= left ? cs->rowspan : left;
    const ap_column_t *column = &t->columns[col];
    c->decimal = cs->align_set ? cs->decimal : column->decimal && cs->colspan == 1;
    c->align = cs->align_set ? cs->align : column->align;
    if (row->level == AP_ROW_HEADER && !cs->align_set)
      c->align = AP_H_CENTER; // Column headings centred unless a cell says otherwise
    if (row->level == AP_ROW_GROUP && !cs->align_set)
      c->align = AP_H_LEFT;
    for (int cc = col; cc < col + c->cols; cc++)
      if (tb->busy[cc] < r + c->rows)
        tb->busy[cc] = r + c->rows;
    col += c->cols;
  }
  tb->row_first[r + 1] = tb->ncells;
  tb->nwin++;
  tb->taken++;
  return true;
}

// Take rows until the window holds n; false on error (recorded).
static bool
take_rows(tabler_t *tb, int n)
{
  while (tb->nwin < n)
    if (!take_row(tb))
      return false;
  return true;
}

// Take the rows of the unit that starts the window: the first row and the
// rows its cells' rowspans join to it, and theirs, into window rows
// [0, *end). False on error (recorded).
static bool
take_unit(tabler_t *tb, int *end)
{
  int e = 1;

  if (!take_rows(tb, e))
    return false;
  for (bool grew = true; grew;) {
    grew = false;
    for (int i = tb->row_first[0]; i < tb->row_first[e]; i++) {
      int reach = tb->cells[i].row + tb->cells[i].rows;
      if (reach > e) {
        e = reach;
        grew = true;
        if (!take_rows(tb, e))
          return false;
      }
    }
  }
  *end = e;
  return true;
}

// Row r's structure: a TR in the THead (header rows), TFoot (footer rows)
// or TBody (the others) with a TH per header cell (Scope Column) and a TD
// per other cell, every cell made with the row (an empty one too), their
// spans noted. A file without tags has no use for them: they are only
// numbered, so that every later element keeps its number. They are in the
// arena of the page being planned, as the boxes that point at them (some
// 300 bytes a row that the job's arena kept to the end: ap_flow_release
// moves them with boxes that go on to the next page), but for header rows,
// whose copy is repeated on every page.
static void
row_elements(tabler_t *tb, int r)
{
  int kind = tb->rows[r]->level;
  int g = kind == AP_ROW_HEADER ? 0 : kind == AP_ROW_FOOTER ? 2 : 1;
  static const char *const groups[] = {"THead", "TBody", "TFoot"};

  if (!tb->groups[g])
    tb->groups[g] = ap_struct_new(tb->ctx, groups[g], tb->elem);
  if (tb->ctx->doc->untagged) {
    tb->ctx->elems += 1 + tb->row_first[r + 1] - tb->row_first[r];
    return;
  }
  ap_arena_t *arena = kind == AP_ROW_HEADER ? tb->ctx->job : tb->ctx->arena;
  ap_struct_t *row = ap_struct_new_in(tb->ctx, arena, "TR", tb->groups[g]);
  const ap_struct_t **tail = &row->kids;
  for (int i = tb->row_first[r]; i < tb->row_first[r + 1]; i++) {
    const tcell_t *c = &tb->cells[i];
    ap_struct_t *e = ap_struct_new_in(tb->ctx, arena, kind == AP_ROW_HEADER ? "TH" : "TD", row);
    e->scope = kind == AP_ROW_HEADER ? "Column" : NULL;
    e->rowspan = c->rows;
    e->colspan = c->cols;
    laid(tb, i)->elem = e;
    *tail = e;
    tail = &e->next;
  }
}
