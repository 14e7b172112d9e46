// Blocks: the one dispatcher that lays out any block (paragraph, list,
// columns, rule, image, chart…) in a given width with the layout context
// alone (block.c); what blocks hand a paginator (items, repeated table
// headers); the structure elements that hold others (structure.c). Tables,
// charts and slides are laid out through it, and the paginator (flow/)
// uses it too: nothing here calls the paginator.
#ifndef AP_BLOCK_H
#define AP_BLOCK_H

#include "context.h"
#include "text/paragraph.h"

typedef enum ap_item_kind_e {
  AP_ITEM_LINE,   // One line of a paragraph: box (rect.y relative, 0)
  AP_ITEM_BLOCK,  // An unbreakable group of boxes (columns, rules, images)
  AP_ITEM_SPACE,  // Vertical space, dropped at the top of a page
  AP_ITEM_BREAK,  // A forced page break
  AP_ITEM_PAGE    // A whole page of its own (a slide, a handout page): boxes in page coordinates, master
} ap_item_kind_t;

// Header rows of a table, repeated at the top of each page the table continues on.
typedef struct ap_head_s {
  ap_box_t *boxes;         // Their boxes, rect.y relative to the header's top (copied per page)
  double height;           // Their height
} ap_head_t;

// What a paginator places: a line, a block, a space, a break or a page.
typedef struct ap_item_s {
  ap_item_kind_t kind;     // What it is
  double height;           // Height it takes (lines: line box height)
  double space_before;     // Space above it, dropped at the top of a page
  bool break_ok;           // May a page break fall just before this item?
  bool restart;            // Forced breaks: the next page starts the pages anew (number 1, first-page template)
  int number;              // Forced breaks: the next page's number (0: counting on, or 1 on restart)
  ap_box_t *boxes;         // Its boxes, rect.y relative to the item's top
  ap_note_t **notes;       // Footnotes referenced in it
  int nnotes;              // How many
  const ap_master_t *master; // Pages: their template (size, header, footer)
  const ap_head_t *head;   // Table rows: header rows to repeat when a page starts here
} ap_item_t;

// Items collected and not placed yet (the paginator's; tables and slides append to it).
typedef struct ap_items_s {
  ap_item_t *at;           // Items (at[0] opens the next page)
  int n, alloc;            // Used and allocated
} ap_items_t;

// items.c: append an empty item (the list grows in arena).
ap_item_t *ap_items_add(ap_items_t *items, ap_arena_t *arena, ap_item_kind_t kind);

// Stack blocks vertically at (0,0) in width: boxes relative to the top,
// returns the height (or -1 on error); footnotes met go to *notes.
double ap_block_stack(ap_layout_ctx_t *ctx, const ap_node_t *blocks, double width, ap_box_t **boxes,
                      ap_note_t ***notes, int *nnotes);

// structure.c: a new structure element under up (NULL: the Document), in
// the job's arena; a list item's lines made an LI of list (Lbl + LBody).
ap_struct_t *ap_struct_new(ap_layout_ctx_t *ctx, const char *tag, const ap_struct_t *up);
ap_struct_t *ap_struct_new_in(ap_layout_ctx_t *ctx, ap_arena_t *arena, const char *tag, const ap_struct_t *up);
void ap_struct_tag_item(ap_layout_ctx_t *ctx, const ap_struct_t *list, const ap_node_t *item, ap_box_t **lines,
                        int nlines);

#endif
