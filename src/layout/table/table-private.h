// Table internals shared by the steps of this folder: the grid of cells,
// the tabler's state, and the unit of rows on its way to the paginator.
// Never included from outside src/layout/table/.
#ifndef AP_TABLE_PRIVATE_H
#define AP_TABLE_PRIVATE_H

#include "table.h"

#include "../box.h"

// A cell on the grid of the window (rows relative to the window's first).
typedef struct tcell_s {
  const ap_node_t *node;   // The cell
  int row, col;            // Top-left slot
  int rows, cols;          // Spans
  ap_halign_t align;       // Resolved alignment
  bool decimal;            // Aligned on the decimal comma
} tcell_t;

// A cell of the unit being laid out: its lines, in the context's arena
// (they go with their page).
typedef struct tlaid_s {
  ap_box_t **lines;        // Its laid-out lines (x relative to the cell's inner left, y to its inner top)
  double *tops;            // Their tops (the lines themselves move into place)
  ap_note_t ***notes;      // Footnotes referenced on each line
  int *nnotes;             // How many on each line
  int nlines;              // How many
  double content;          // Height of the lines
  const ap_struct_t *elem; // Its TH or TD (made with its row's TR when the row is laid out)
} tlaid_t;

// A table giving rows to a paginator: its columns, sized once, and a
// window of its rows: those taken (from the node, or bound as reached)
// and not handed over yet, the unit being laid out. Rows before the
// window are gone: a table of any length keeps only a unit's rows.
typedef struct ap_tabler_s {
  ap_layout_ctx_t *ctx;    // Layout context
  ap_items_t *items;       // Where its units go
  double width;            // Width it is laid out in
  const ap_node_t *node;   // The table
  const ap_table_t *t;     // Its columns and looks
  ap_rows_t *source;       // Its rows bound as they are taken (NULL: the node's children)
  const ap_node_t *child;  // No source: the next child row to take
  ap_arena_t *bind_arena;  // Source: where rows are bound (the unit's: ctx->arena)
  int nrows;               // Rows in all
  int taken;               // Rows taken so far (the window's end)
  int body;                // Body rows taken so far (zebra)
  bool head_first;         // The table's first row is a header row
  int base;                // The window's first row (in the table); window row r is row base + r
  const ap_node_t **rows;  // The window's rows, in order
  int nwin;                // How many
  int row_room;            // Room in the per-row arrays (rows, row_first, body_index, heights, ys)
  tcell_t *cells;          // The window's cells, row by row
  int ncells;              // How many
  int cell_room;           // Room in cells
  int *row_first;          // Index of the first cell of each row (cells of rows r..s are contiguous), and the end
  int *busy;               // Per column: the first window row no cell taken so far covers
  tlaid_t *laid;           // The unit's cells laid out (ctx->arena), cell i at laid[i - laid_first]
  int laid_first;          // Index of the unit's first cell
  double *widths;          // Column widths
  double *xs;              // Column left edges (relative to the table)
  double *heights;         // Row heights (of the unit being laid out)
  double *ys;              // Row tops (relative to the unit's top)
  int *body_index;         // Zebra: body row counter per row (-1 for other rows)
  double *mi, *mf;         // Per column: widest part of its numbers before and from the comma
  ap_head_t *head;         // Header rows for later pages (NULL when not repeated)
  bool keep_next;          // The last unit keeps with the next (a header, a group row)
  bool together;           // keep-together: no page break inside the table (unless it cannot fit a page)
  bool first;              // No unit handed yet
  double space_before;     // Space before the table
  ap_struct_t *elem;         // Its Table structure element (the cells' lines say in which cell they are)
  ap_struct_t *groups[4];    // Its THead, TBody, TFoot (by row kind, made with their first row; job arena)
} tabler_t;

// A unit of rows on its way to the paginator, and how it goes in.
typedef struct tunit_s {
  int r0, r1;              // Its rows [r0, r1) of the window
  bool split_ok;           // May be cut between text lines when tall (split="lines", not header rows)
  ap_head_t *head;         // Header rows repeated above it on a new page (NULL: none)
  bool first_break_ok;     // May the page break just before it?
  double space_before;     // Space above it (the table's, for its first unit)
  ap_head_t *build_head;   // A header unit: the copy later pages repeat, to extend (NULL otherwise)
} tunit_t;

// Cell i of the unit being laid out.
static inline tlaid_t *
laid(const tabler_t *tb, int i)
{
  return &tb->laid[i - tb->laid_first];
}

// Rows [u->r0, u->r1), laid out, as items (slice.c): one, or slices
// between text lines when the unit may split (or is taller than a page);
// false (recorded) when out of memory.
bool ap_table_collect_unit(tabler_t *tb, const tunit_t *u);

#endif
