// Flow: the paginator. Blocks → a list of items (lines, spaces, rules,
// unbreakable blocks; block.h) → page ranges (widows, orphans,
// keep-with-next, footnotes on the page of their reference) → boxes on
// pages with header and footer. Blocks, tables and slides are laid out
// below it (block.h, table/table.h, slide/slide.h), with the layout context
// it holds (context.h).
#ifndef AP_FLOW_H
#define AP_FLOW_H

#include "../block.h"
#include "../box.h"

// A run of lines of one note placed on one page.
typedef struct ap_piece_s {
  ap_note_t *note;         // The note
  int first, count;        // Its lines [first, first + count)
} ap_piece_t;

// What one page holds: flow items [start, end) and note pieces.
typedef struct ap_plan_s {
  const ap_master_t *master; // Page template (NULL: the document's first or body template)
  int start, end;          // Items
  ap_piece_t *pieces;      // Note pieces in order (continued ones first)
  int npieces;             // How many
  int number;              // The page's number as printed (<body first-number>, <page-break restart number>)
  bool first;              // It takes the body's first-page template
} ap_plan_t;

// Where the headings landed and how many pages there are: written by a
// first pass, read by the second (TOC numbers, page counts).
typedef struct ap_pagemap_s {
  const char **ids;        // Heading destination names (borrowed from the tree)
  int *pages;              // Their pages
  int n, alloc;            // Used and allocated
  int count;               // The last page's number (pages in all, unless numbering restarts or is offset)
} ap_pagemap_t;

// The paginator's state. Items of the pages being planned live in
// ctx.arena, which is replaced once a page is written (ap_flow_release);
// what outlives pages (table state, repeated headers, slides drawn N-up)
// lives in ctx.job.
typedef struct ap_flow_s {
  ap_layout_ctx_t ctx;     // What blocks are laid out with (document, faces, arenas, numbering)
  bool keep_all;           // Never release items (the caller keeps every page)
  ap_items_t items;        // Collected items not written yet (items.at[0] opens the next page)
  const ap_node_t *next;   // Next body block to collect (NULL: none left)
  const ap_node_t *later;  // Blocks bound as they are reached, still giving repetitions (NULL: none)
  int later_i;             // The next of its repetitions
  double pending;          // Space after the last block collected
  bool keep;               // The last block keeps with the next
  struct ap_tabler_s *table; // A table still giving rows (NULL: none)
  double table_after;      // Space after that table
  ap_piece_t *carry;       // Lines of notes continued on the next page (in ctx.job, grown as needed)
  int ncarry, carry_alloc; // Used and allocated
  const ap_master_t *cur;  // Template set by the last <page-break page=…> (NULL: the body's)
  int pages;               // Pages planned so far
  int origin, start;       // Page index origin (0-based) is numbered start (0: 1): <body first-number>, restarts
  int first_at;            // Index (0-based) of the page that takes the body's first-page template
  const ap_pagemap_t *map; // Heading pages and page count from the first pass (NULL in it)
  ap_pagemap_t *record;    // Where the first pass writes them (NULL in the second)
  int pars;                // Paragraphs of the flow numbered so far (for the dump)
  ap_retire_fn retire;     // Takes the arena of written pages over (NULL: it is freed)
  void *retire_ctx;        // Its context
} ap_flow_t;

// Make sure item i is collected (more blocks, more table rows); false when
// the content ends before it, or on error (check diags).
bool ap_flow_need(ap_flow_t *flow, int i);
// Plan the next page from items[0…] and the continued notes; false when
// nothing is left (or on error: check diags).
bool ap_flow_next_page(ap_flow_t *flow, ap_plan_t *plan);
// Place a planned page: its items, footnotes, header and footer.
ap_page_t *ap_flow_compose_page(ap_flow_t *flow, const ap_plan_t *plan, int number);
// Place the page's watermark (its template's, else the document's; none
// when its text is empty) as the page's first box; false on error.
bool ap_watermark_layout(ap_flow_t *flow, const ap_master_t *m, ap_page_t *page);
// Forget items [0, end) (their page is written): the rest and the continued
// notes move into a fresh arena and the old one is freed (or given to
// flow->retire).
void ap_flow_release(ap_flow_t *flow, int end);
// Height of lines [first, first + count) of a note.
double ap_note_height(const ap_note_t *note, int first, int count);

// Lay a table of contents out as flow items (numbers from the first pass).
bool ap_flow_toc(ap_flow_t *flow, const ap_node_t *toc, double *pending, bool *keep);

// Extend what a composed page paints up to its edge into its bleed
// (page->bleed): filled rectangles grow, images grow and are clipped.
void ap_flow_bleed(ap_page_t *page, ap_arena_t *arena);

#endif
