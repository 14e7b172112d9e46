// Flow: blocks → a list of flow items (lines, spaces, rules, unbreakable
// blocks) → page ranges (widows, orphans, keep-with-next, footnotes on the
// page of their reference) → boxes on pages with header and footer.
#ifndef AP_FLOW_H
#define AP_FLOW_H

#include "../../tree/tree.h"
#include "../pages.h"
#include "../text/text.h"

// A footnote laid out at the text width, waiting for its page. Its lines
// are kept apart (each with the link boxes it brings) so that a note that
// cannot fit on the page of its reference can continue on the next.
typedef struct ap_note_s {
  int number;              // 1..n in document order
  int elem;                // Its structure element (its lines' ap_box_t.elem): what its reference links to
  ap_box_t **lines;        // Line units, each a chain ending in NULL (rect.y relative to the note's top)
  double *tops;            // Top of each line relative to the note's top
  double *heights;         // Height of each line
  int nlines;              // Number of lines
  double height;           // Height of the note, spacing after included
  struct ap_note_s *moved; // Its copy while ap_flow_release moves what is left to a fresh arena
                           // (NULL otherwise): each note is copied once, found in constant time
} ap_note_t;

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
} ap_plan_t;

typedef enum ap_item_kind_e {
  AP_ITEM_LINE,   // One line of a paragraph: box (rect.y relative, 0)
  AP_ITEM_BLOCK,  // An unbreakable group of boxes (columns, rules, images)
  AP_ITEM_SPACE,  // Vertical space, dropped at the top of a page
  AP_ITEM_BREAK,  // A forced page break
  AP_ITEM_PAGE    // A whole page of its own (a slide, a handout page): boxes in page coordinates, master
} ap_item_kind_t;

typedef struct ap_item_s {
  ap_item_kind_t kind;     // What it is
  double height;           // Height it takes (lines: line box height)
  double space_before;     // Space above it, dropped at the top of a page
  bool break_ok;           // May a page break fall just before this item?
  ap_box_t *boxes;         // Its boxes, rect.y relative to the item's top
  ap_note_t **notes;       // Footnotes referenced in it
  int nnotes;              // How many
  const ap_master_t *master; // Pages: their template (size, header, footer)
  const struct ap_head_s *head; // Table rows: header rows to repeat when a page starts here
} ap_item_t;

// Header rows of a table, repeated at the top of each page the table continues on.
typedef struct ap_head_s {
  ap_box_t *boxes;         // Their boxes, rect.y relative to the header's top (copied per page)
  double height;           // Their height
} ap_head_t;

// Where the headings landed and how many pages there are: written by a
// first pass, read by the second (TOC numbers, page counts).
typedef struct ap_pagemap_s {
  const char **ids;        // Heading destination names (borrowed from the tree)
  int *pages;              // Their pages
  int n, alloc;            // Used and allocated
  int count;               // Pages in all
} ap_pagemap_t;

// State shared by the flow steps. Items of the pages being planned live in
// `arena`, which is replaced once a page is written (ap_flow_release);
// what outlives pages (table state, repeated headers, slides drawn N-up)
// lives in `job`.
typedef struct ap_flow_s {
  const ap_doc_t *doc;     // Document
  ap_fontset_t *fonts;     // Faces
  ap_arena_t *arena;       // Arena of the items not written yet
  ap_arena_t *job;         // Arena of the job (outlives every page)
  bool keep_all;           // Never release items (the caller keeps every page)
  ap_diags_t *diags;       // Errors
  ap_item_t *items;        // Collected items not written yet (items[0] opens the next page)
  int nitems, alloc;       // Used and allocated items
  const ap_node_t *next;   // Next body block to collect (NULL: none left)
  double pending;          // Space after the last block collected
  bool keep;               // The last block keeps with the next
  struct ap_tabler_s *table; // A table still giving rows (NULL: none)
  ap_piece_t *carry;       // Lines of notes continued on the next page (in `job`, grown as needed)
  int ncarry, carry_alloc; // Used and allocated
  const ap_master_t *cur;  // Template set by the last <page-break page=…> (NULL: the body's)
  int pages;               // Pages planned so far
  const ap_pagemap_t *map; // Heading pages and page count from the first pass (NULL in it)
  ap_pagemap_t *record;    // Where the first pass writes them (NULL in the second)
  int notes;               // Footnotes numbered so far
  int pars;                // Paragraphs of the flow numbered so far (for the dump)
  int elems;               // Structure elements numbered so far (box->elem: paragraphs, notes, charts)
  double width;            // Text width (measure of the body)
  int page_number;         // Page being composed (for page-number in headers)
  int page_count;          // Pages in all (known from the first pass)
  double scale;            // Text size factor (frames that shrink their text to fit), 1 otherwise
  struct ap_fallbacks_s *fallbacks; // Characters set in fallback families, for the warnings (NULL: not noted)
  struct ap_par_cache_s *par_cache; // Paragraphs already set, shared by the passes (NULL: none)
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
// notes move into a fresh arena and the old one is freed.
void ap_flow_release(ap_flow_t *flow, int end);
// Height of lines [first, first + count) of a note.
double ap_note_height(const ap_note_t *note, int first, int count);

// structure.c: a new structure element under up (NULL: the Document), in
// the job's arena; a list item's lines made an LI of list (Lbl + LBody).
ap_struct_t *ap_flow_struct(ap_flow_t *flow, const char *tag, const ap_struct_t *up);
void ap_flow_tag_item(ap_flow_t *flow, const ap_struct_t *list, const ap_node_t *item, ap_box_t **lines,
                      int nlines);

// Face of a style with inline emphasis on top (NULL + diagnostic when the file is missing).
const ap_font_t *ap_flow_font(ap_flow_t *flow, const ap_style_t *style, bool bold, bool italic,
                              ap_loc_t loc);
// fallback.c: characters the style's face lacks, set in its family's fallbacks.
typedef struct ap_fallbacks_s ap_fallbacks_t; // What each fallback family supplied (opaque)
// Create an empty record (NULL when out of memory), and free it.
ap_fallbacks_t *ap_fallbacks_create(void);
void ap_fallbacks_destroy(ap_fallbacks_t *fallbacks);
// Warn once per family/fallback pair, at the first place, naming the characters.
void ap_fallbacks_warn(const ap_fallbacks_t *fallbacks, ap_diags_t *diags);
// Face for a label (heading number, list marker), set as one run: the
// style's, or the first fallback face with all its characters (NULL +
// diagnostic when none has them).
const ap_font_t *ap_flow_label_font(ap_flow_t *flow, const ap_style_t *style, bool bold, bool italic,
                                    const char *text, ap_loc_t loc);
// Width of a text set in the faces ap_flow_text_items picks (tables measure cells with it).
double ap_flow_measure(ap_flow_t *flow, const ap_style_t *style, bool bold, bool italic, const char *text,
                       size_t len, double size);
// Append proto's text as items (malloc'ed array, grown), one per stretch set
// in one face: the style's face, and for characters it lacks the first
// fallback face that has them (combining marks kept with their base when
// one face has both). False (with a diagnostic at loc naming the characters)
// when no face has one.
bool ap_flow_text_items(ap_flow_t *flow, const ap_style_t *style, bool bold, bool italic,
                        const ap_inline_t *proto, ap_loc_t loc, ap_inline_t **items, int *n, int *alloc);

// Stack blocks vertically at (0,0) in width: boxes relative to the top,
// returns the height (or -1 on error); footnotes met go to *notes.
double ap_flow_stack(ap_flow_t *flow, const ap_node_t *blocks, double width, ap_box_t **boxes,
                     ap_note_t ***notes, int *nnotes);
// Lay a paragraph-like node (para, heading, item) out as line boxes at x=0,
// y relative to the first line's top; each line box is returned separately
// with its footnotes so the flow can break between lines.
bool ap_flow_paragraph(ap_flow_t *flow, const ap_node_t *node, double width, ap_box_t ***lines,
                       int *nlines, ap_note_t ****line_notes, int **line_nnotes);

// Lay a table of contents out as flow items (numbers from the first pass).
bool ap_flow_toc(ap_flow_t *flow, const ap_node_t *toc, double *pending, bool *keep);
// Append an empty flow item.
ap_item_t *ap_flow_add_item(ap_flow_t *flow, ap_item_kind_t kind);

// Lay a slide out as a page of its own, numbered number, not in the document,
// in its own page template or in master when not NULL.
ap_page_t *ap_slide_layout(ap_flow_t *flow, const ap_node_t *slide, int number, const ap_master_t *master);
// Place frames, shapes, grids and charts inside area, appending at **tail.
bool ap_slide_place(ap_flow_t *flow, const ap_node_t *children, ap_rect_t area, ap_box_t ***tail);
// Collect <slide>, <slides> and <handout> as whole-page items.
bool ap_slide_collect(ap_flow_t *flow, const ap_node_t *node);

// Start a table: size its columns; its rows come with ap_table_next.
bool ap_table_begin(ap_flow_t *flow, const ap_node_t *table);
// Lay the table's next unit of rows out as flow items (the header first);
// flow->table is NULL once the last row is out.
bool ap_table_next(ap_flow_t *flow);
// A deep copy of a chain of boxes, their runs and the runs' text, in arena.
ap_box_t *ap_flow_clone(ap_arena_t *arena, const ap_box_t *boxes);

// Move a chain of boxes (and their runs) by (dx, dy).
void ap_flow_shift(ap_box_t *boxes, double dx, double dy);

// Extend what a composed page paints up to its edge into its bleed
// (page->bleed): filled rectangles grow, images grow and are clipped.
void ap_flow_bleed(ap_page_t *page, ap_arena_t *arena);

#endif
