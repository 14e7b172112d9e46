// Table binding: columns, header/body/footer rows repeated from data,
// cells with spans, alignment, shading and borders, and the running row
// number of the body rows. A table of the body binds its rows as layout
// reaches them: bind expands its for-each and if down to the rows and keeps,
// for each, its <row> and data node (a few bytes); layout has each row
// bound (ap_rows_t) into the arena of its page, and again in another pass.
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

// A row of a table that binds its rows as layout reaches them: what binds it.
typedef struct row_ref_s {
  xmlNodePtr elem;            // Its <row>
  xmlNodePtr ctx;             // The data node it is bound at
  int number;                 // Body rows up to it, itself included (<row-number/>)
  int level;                  // Its kind (ap_row_kind_t)
} row_ref_t;

// A table that binds its rows as layout reaches them.
typedef struct lazy_rows_s {
  ap_rows_t rows;             // What layout sees (the first member: layout's pointer is this struct's)
  ap_binder_t *b;             // The binder (kept after ap_bind until ap_bind_release)
  ap_node_t *table;           // The table
  row_ref_t *refs;            // Its rows (malloc'ed), rows.count of them
  int alloc;                  // Room in refs
  int counted;                // Rows bound once already: their XPath steps and footnotes are counted
  struct lazy_rows_s *next;   // The bind's next such table
} lazy_rows_t;

typedef struct rows_arg_s {
  ap_node_t *table;           // The table
  ap_row_kind_t kind;         // Kind of the rows being bound
  int *rows;                  // Rows of the table so far, every kind (limit AP_MAX_TABLE_ROWS)
  lazy_rows_t **lazy;         // Its rows bound as layout reaches them: where they are kept (NULL: bound now)
} rows_arg_t;

typedef struct cells_arg_s {
  ap_node_t *row;             // The row
  const ap_table_t *t;        // Its table's looks
} cells_arg_t;

static bool cell_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static bool row_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static bool bind_cells(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *row, const ap_table_t *t);
static ap_node_t *bind_later(ap_rows_t *rows, int i, ap_arena_t *arena);
static bool bind_rows(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *table, ap_row_kind_t kind,
                      int *rows, lazy_rows_t **lazy);
static bool bind_now(ap_binder_t *b, lazy_rows_t *lazy, ap_node_t *table);
static bool get_border(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, ap_border_t *border,
                       bool *set);
static bool get_fill(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, ap_color_t *color, bool *set);
static ap_node_t *new_row(ap_binder_t *b, xmlNodePtr e, ap_node_t *table, int level);

#define LOC(elem, attr) ap_bind_loc(b, (elem), (attr))

//
// 'ap_bind_table()' - Bind a <table>: its columns and rows.
//

ap_node_t *
ap_bind_table(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_TABLE, LOC(e, NULL));
  ap_table_t *t = AP_NEW(b->arena, ap_table_t);
  char *split = ap_bind_attr(b, e, "split", ctx), *repeat = ap_bind_attr(b, e, "repeat-header", ctx);
  bool set;

  node->table = t;
  if (!(node->style = ap_bind_style(b, e, ctx)))
    return NULL;
  if (split && strcmp(split, "lines") && strcmp(split, "rows")) {
    ap_fail(b->diags, LOC(e, "split"), "split=\"%s\": expected rows (a row moves whole) or lines", split);
    return NULL;
  }
  t->split_lines = split && !strcmp(split, "lines");
  t->repeat_header = !repeat || strcmp(repeat, "false");
  t->padding = ap_mm(1.5);
  t->border.width = 0.5;
  if (!ap_bind_number(b, e, "padding", ctx, &AP_RANGE_LENGTH, &t->padding) || !get_border(b, e, "border", ctx, &t->border, &set) ||
      !get_fill(b, e, "zebra", ctx, &t->zebra_color, &t->zebra) ||
      !get_fill(b, e, "header-fill", ctx, &t->header_color, &t->header_fill) ||
      !get_fill(b, e, "group-fill", ctx, &t->group_color, &t->group_fill))
    return NULL;

  // Styles of the header and group rows (the table's style by default)...
  const char *names[2] = {"header-style", "group-style"};
  const ap_style_t **slots[2] = {&t->header_style, &t->group_style};
  for (int i = 0; i < 2; i++) {
    char *s = ap_bind_attr(b, e, names[i], ctx);
    *slots[i] = s ? ap_doc_find_style(b->doc, s) : node->style;
    if (!*slots[i]) {
      ap_fail(b->diags, LOC(e, names[i]), "%s=\"%s\": no style of that name is declared", names[i], s);
      return NULL;
    }
  }

  // Columns: a length, a share ("2fr") or "auto"...
  for (xmlNodePtr c = e->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "column") &&
        !ap_number_count(b->diags, LOC(c, NULL), "columns in a table", &t->ncolumns, AP_MAX_TABLE_COLUMNS))
      return NULL;
  if (!t->ncolumns) {
    ap_fail(b->diags, LOC(e, NULL), "table: no <column>: at least one column is expected (at most %d)",
            AP_MAX_TABLE_COLUMNS);
    return NULL;
  }
  t->columns = AP_NEW_N(b->arena, ap_column_t, t->ncolumns);
  int i = 0;
  for (xmlNodePtr c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "column"))
      continue;
    ap_column_t *col = &t->columns[i++];
    int before = b->diags->errors;
    char *w = ap_bind_attr(b, c, "width", ctx), *align = ap_bind_attr(b, c, "align", ctx);
    size_t len = w ? strlen(w) : 0;
    col->kind = AP_COL_FR;
    col->value = 1;
    col->align = node->style->align == AP_H_JUSTIFY ? AP_H_LEFT : node->style->align;
    if (b->diags->errors != before)
      return NULL;
    if (w && !strcmp(w, "auto")) {
      col->kind = AP_COL_AUTO;
    } else if (w && len > 2 && !strcmp(w + len - 2, "fr")) {
      if (!ap_number_read(b->diags, LOC(c, "width"), "width", w, &AP_RANGE_SHARE, &col->value))
        return NULL;
    } else if (w) {
      char expect[160];
      col->kind = AP_COL_FIXED;
      if (!ap_number_parse(&AP_RANGE_EXTENT, w, &col->value)) {
        ap_number_describe(&AP_RANGE_EXTENT, expect, sizeof(expect));
        ap_fail(b->diags, LOC(c, "width"), "width=\"%s\": expected %s, a share (2fr) or auto", w, expect);
        return NULL;
      }
    }
    if (align) {
      col->decimal = !strcmp(align, "decimal");
      col->align = col->decimal || !strcmp(align, "right") ? AP_H_RIGHT
                   : !strcmp(align, "center")               ? AP_H_CENTER
                   : !strcmp(align, "justify")              ? AP_H_JUSTIFY
                                                            : AP_H_LEFT;
    }
  }

  // Rows: the header, the body (with group rows), the footer; in the body,
  // kept to be bound as layout reaches them, unless a cell counts the pages
  // (the layout needs to know that before it starts)...
  lazy_rows_t *lazy = NULL;
  if (b->in_flow && !ap_bind_has_element(e, "page-count", NULL, NULL)) {
    lazy = AP_NEW(b->arena, lazy_rows_t);
    lazy->rows.bind = bind_later;
    lazy->rows.cell_decimal = ap_bind_has_element(e, "cell", "align", "decimal");
    lazy->b = b;
    lazy->table = node;
  }
  int saved = b->table_rows;
  b->table_rows = 0;
  bool ok = true;
  int rows = 0;
  for (xmlNodePtr c = e->children; c && ok; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "header"))
      ok = bind_rows(b, c->children, ctx, node, AP_ROW_HEADER, &rows, &lazy);
  ok = ok && bind_rows(b, e->children, ctx, node, AP_ROW_BODY, &rows, &lazy);
  for (xmlNodePtr c = e->children; c && ok; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "footer"))
      ok = bind_rows(b, c->children, ctx, node, AP_ROW_FOOTER, &rows, &lazy);
  b->table_rows = saved;

  // Rows kept (lazy NULL once a row's data node made them all bound now):
  // the layout binds them, until ap_bind_release...
  if (lazy && lazy->refs && ok) {
    t->rows = &lazy->rows;
    lazy->next = b->lazy;
    b->lazy = lazy;
  } else if (lazy) {
    free(lazy->refs);
  }
  return ok ? node : NULL;
}

//
// 'ap_bind_tables_release()' - Forget the rows kept to be bound later.
//

void
ap_bind_tables_release(ap_binder_t *b)
{
  for (lazy_rows_t *lazy = b->lazy; lazy; lazy = lazy->next) {
    free(lazy->refs);
    lazy->refs = NULL;
    lazy->rows.count = lazy->alloc = 0;
  }
  b->lazy = NULL;
}

// Bind row i of a table that binds its rows as layout reaches them, into
// arena. Bound again (another pass, or after the columns were measured),
// a row is the same (ap_bind_reached_begin).
static ap_node_t *
bind_later(ap_rows_t *rows, int i, ap_arena_t *arena)
{
  lazy_rows_t *lazy = (lazy_rows_t *)rows;
  ap_binder_t *b = lazy->b;
  const row_ref_t *ref = &lazy->refs[i];
  ap_reached_t saved = ap_bind_reached_begin(b, arena, i < lazy->counted);

  b->table_rows = ref->number;
  ap_node_t *row = new_row(b, ref->elem, lazy->table, ref->level);
  size_t scope = ap_bind_scope_begin(b);
  bool ok = bind_cells(b, ref->elem->children, ref->ctx, row, lazy->table->table);
  ap_bind_scope_end(b, scope);
  ap_bind_reached_end(b, saved);
  if (i >= lazy->counted)
    lazy->counted = i + 1;
  return ok ? row : NULL;
}

// The rows kept so far bound now (into the job's arena), and the table's
// rows all bound now from here on: a row's data node is a namespace node,
// which lives only as long as the node set that selected it.
static bool
bind_now(ap_binder_t *b, lazy_rows_t *lazy, ap_node_t *table)
{
  int saved = b->table_rows;
  bool ok = true;

  for (int i = 0; ok && i < lazy->rows.count; i++) {
    const row_ref_t *ref = &lazy->refs[i];
    ap_node_t *row = new_row(b, ref->elem, table, ref->level);
    b->table_rows = ref->number;
    size_t scope = ap_bind_scope_begin(b);
    ok = bind_cells(b, ref->elem->children, ref->ctx, row, table->table);
    ap_bind_scope_end(b, scope);
    ap_node_append(table, row);
  }
  b->table_rows = saved;
  free(lazy->refs);
  lazy->refs = NULL;
  lazy->rows.count = lazy->alloc = 0;
  return ok;
}

// <cell> elements (through for-each and if) into a row.
static bool
bind_cells(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *row, const ap_table_t *t)
{
  cells_arg_t args = {row, t};
  return ap_bind_each(b, first, ctx, cell_one, &args);
}

// One <cell> of a row (for-each and if are expanded by ap_bind_each).
static bool
cell_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  static const char *const sides[4] = {"border-top", "border-right", "border-bottom", "border-left"};
  const cells_arg_t *args = arg;
  ap_node_t *row = args->row;
  const ap_table_t *t = args->t;
  const char *name = (const char *)e->name;
  if (!strcmp(name, "cell")) {
    ap_node_t *cell = ap_node_new(b->arena, AP_NODE_CELL, LOC(e, NULL));
    bool plain = true; // No attribute but style: share one default spec (big tables)
    for (xmlAttrPtr a = e->properties; a && plain; a = a->next)
      plain = !strcmp((const char *)a->name, "style");
    if (plain && !b->plain_cell) {
      ap_cell_t *d = AP_NEW(b->lasting, ap_cell_t);
      d->colspan = d->rowspan = 1;
      b->plain_cell = d;
    }
    ap_cell_t *c = plain ? (ap_cell_t *)b->plain_cell : AP_NEW(b->arena, ap_cell_t);
    char *cs = ap_bind_attr(b, e, "colspan", ctx), *rs = ap_bind_attr(b, e, "rowspan", ctx);
    char *align = ap_bind_attr(b, e, "align", ctx), *valign = ap_bind_attr(b, e, "valign", ctx);
    char *style = ap_bind_attr(b, e, "style", ctx);
    ap_border_t all;
    bool all_set = false;

    cell->cell = c;
    if (!plain) {
      double colspan = 1, rowspan = 1;
      if ((cs && !ap_number_read(b->diags, LOC(e, "colspan"), "colspan", cs, &AP_RANGE_SPAN, &colspan)) ||
          (rs && !ap_number_read(b->diags, LOC(e, "rowspan"), "rowspan", rs, &AP_RANGE_SPAN, &rowspan)))
        return false;
      c->colspan = (int)colspan;
      c->rowspan = (int)rowspan;
      if (align) {
        c->align_set = true;
        c->decimal = !strcmp(align, "decimal");
        c->align = c->decimal || !strcmp(align, "right") ? AP_H_RIGHT
                   : !strcmp(align, "center")             ? AP_H_CENTER
                   : !strcmp(align, "justify")            ? AP_H_JUSTIFY
                                                          : AP_H_LEFT;
      }
      c->valign = !valign ? AP_V_TOP : !strcmp(valign, "middle") ? AP_V_MIDDLE
                                     : !strcmp(valign, "bottom") ? AP_V_BOTTOM
                                                                 : AP_V_TOP;
      if (!get_fill(b, e, "fill", ctx, &c->fill_color, &c->fill) || !get_border(b, e, "border", ctx, &all, &all_set))
        return false;
      for (int s = 0; s < 4; s++) {
        c->border[s] = all;
        c->border_set[s] = all_set;
        if (!get_border(b, e, sides[s], ctx, &c->border[s], &c->border_set[s]))
          return false;
      }
    }

    // The style: the cell's, else the row kind's, else the table's...
    const ap_style_t *row_style = row->level == AP_ROW_HEADER  ? t->header_style
                                  : row->level == AP_ROW_GROUP ? t->group_style
                                                               : NULL;
    cell->style = style ? ap_doc_find_style(b->doc, style) : row_style;
    if (style && !cell->style)
      return ap_fail(b->diags, LOC(e, "style"), "style=\"%s\": no style of that name is declared", style);
    if (!cell->style)
      cell->style = row->style;
    if (!ap_bind_inlines(b, e, ctx, cell, NULL))
      return false;
    ap_bind_tidy(b, cell);
    ap_node_append(row, cell);
  }
  return true;
}

// <row> elements (through for-each and if) of one kind into the table;
// <column>, <header> and <footer> among them are not rows and are skipped.
static bool
bind_rows(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *table, ap_row_kind_t kind, int *rows,
          lazy_rows_t **lazy)
{
  rows_arg_t args = {table, kind, rows, lazy};
  return ap_bind_each(b, first, ctx, row_one, &args);
}

// A row node of a kind, in the table's style (its cells to come).
static ap_node_t *
new_row(ap_binder_t *b, xmlNodePtr e, ap_node_t *table, int level)
{
  ap_node_t *row = ap_node_new(b->arena, AP_NODE_ROW, LOC(e, NULL));
  row->level = level;
  row->style = table->style;
  return row;
}

// One <row> (for-each and if are expanded by ap_bind_each; <column>, <header> and <footer> are not rows).
static bool
row_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  const rows_arg_t *args = arg;
  ap_node_t *table = args->table;
  ap_row_kind_t kind = args->kind;
  lazy_rows_t *lazy = *args->lazy;
  const char *name = (const char *)e->name;
  if (!strcmp(name, "row")) {
    if (!ap_number_count(b->diags, LOC(e, NULL), "rows in a table", args->rows, AP_MAX_TABLE_ROWS))
      return false;
    char *k = ap_bind_attr(b, e, "kind", ctx);
    int level = kind == AP_ROW_BODY && k && !strcmp(k, "group") ? AP_ROW_GROUP : (int)kind;
    if (level == AP_ROW_BODY)
      b->table_rows++; // <row-number/> in its cells shows this

    // Kept to be bound as layout reaches it (a namespace node as its data
    // node: the table's rows bound now)...
    if (lazy && ctx->type == XML_NAMESPACE_DECL) {
      *args->lazy = NULL;
      if (!bind_now(b, lazy, table))
        return false;
      lazy = NULL;
    }
    if (lazy) {
      if (lazy->rows.count == lazy->alloc) {
        int room = lazy->alloc ? lazy->alloc * 2 : 64;
        row_ref_t *grown = realloc(lazy->refs, sizeof(row_ref_t) * (size_t)room);
        if (!grown)
          return ap_fail(b->diags, LOC(e, NULL), "out of memory");
        lazy->refs = grown;
        lazy->alloc = room;
      }
      lazy->refs[lazy->rows.count++] = (row_ref_t){e, ctx, b->table_rows, level};
      return true;
    }
    ap_node_t *row = new_row(b, e, table, level);
    if (!bind_cells(b, e->children, ctx, row, table->table))
      return false;
    ap_node_append(table, row);
  }
  return true;
}

// A border: "0.5pt #777777", "1pt do" (a palette colour), "0.5pt" (black) or "none".
static bool
get_border(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, ap_border_t *border, bool *set)
{
  int before = b->diags->errors;
  char *v = ap_bind_attr(b, e, name, ctx);
  if (!v)
    return b->diags->errors == before;
  *set = true;
  if (!strcmp(v, "none")) {
    border->width = 0;
    return true;
  }
  char *space = strchr(v, ' ');
  if (space)
    *space = '\0';
  memset(&border->color, 0, sizeof(border->color));
  if (!ap_number_parse(&AP_RANGE_THICKNESS, v, &border->width) ||
      (space && !ap_parse_color(b->doc, space + 1 + strspn(space + 1, " "), &border->color)))
    return ap_fail(b->diags, LOC(e, name),
                   "%s: expected a width and a colour (\"0.5pt #777777\") or none, the width from 0mm to 100mm", name);
  return true;
}

// A shading colour (#RRGGBB or a palette name; "none" for none).
static bool
get_fill(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, ap_color_t *color, bool *set)
{
  int before = b->diags->errors;
  char *v = ap_bind_attr(b, e, name, ctx);
  if (!v)
    return b->diags->errors == before;
  if (!strcmp(v, "none"))
    return true;
  if (!ap_parse_color(b->doc, v, color))
    return ap_fail(b->diags, LOC(e, name), "%s=\"%s\": expected #RRGGBB or a colour declared with <color>", name, v);
  *set = true;
  return true;
}
