// Tables: a grid of cells whose columns are sized once, whose rows are laid
// out a unit at a time (rows joined by a rowspan together) as a paginator
// asks for them, each unit handed over as items (one, or a slice per page
// when tall); header rows come back at the top of every page.
#ifndef AP_TABLE_H
#define AP_TABLE_H

#include "../block.h"

typedef struct ap_tabler_s ap_tabler_t; // A table giving rows (table-private.h)

// Start a table in width (size its columns), its units going to items
// with space_before above the first (which keeps with what precedes it
// when keep); its rows come with ap_table_next. NULL on error (recorded).
ap_tabler_t *ap_table_begin(ap_layout_ctx_t *ctx, ap_items_t *items, const ap_node_t *table, double width,
                            double space_before, bool keep);
// Lay the table's next unit of rows out as items (the header first); *done
// (and no item) once the last row is out. False on error (recorded).
bool ap_table_next(ap_tabler_t *tb, bool *done);

#endif
