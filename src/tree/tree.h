// The document tree: what bind produces and layout consumes. Styles are
// resolved, data is interpolated, text is NFC with whitespace collapsed;
// nothing here refers to XML any more. Everything lives in the job arena.
#ifndef AP_TREE_H
#define AP_TREE_H

#include <stdbool.h>
#include <stdio.h>

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/geom.h"

typedef enum ap_halign_e {
  AP_H_LEFT,    // Ragged right
  AP_H_CENTER,  // Centred
  AP_H_RIGHT,   // Ragged left
  AP_H_JUSTIFY  // Flush both sides
} ap_halign_t;

typedef enum ap_valign_e {
  AP_V_TOP,         // Content at the top of its frame
  AP_V_MIDDLE,      // Centred vertically
  AP_V_BOTTOM       // At the bottom
} ap_valign_t;

typedef enum ap_shape_kind_e {
  AP_SHAPE_RECT,    // Rectangle, optionally rounded
  AP_SHAPE_CIRCLE,  // Circle (or ellipse) inscribed in the rectangle
  AP_SHAPE_LINE     // Straight line from (x, y) to (x + w, y + h)
} ap_shape_kind_t;

// Fill and stroke of a frame or shape.
typedef struct ap_paint_s {
  bool fill;                         // Filled
  ap_color_t fill_color;             // Fill colour
  bool stroke;                       // Stroked
  ap_color_t stroke_color;           // Stroke colour
  double stroke_width;               // Stroke width, points
  double radius;                     // Corner radius of rectangles, points
} ap_paint_t;

#define AP_CHART_MAX_SERIES 8 // Most series of one chart (docs/limits.md)

// What frames, shapes, grids, charts, slides and handouts need beyond a node.
typedef struct ap_spec_s {
  const char *name;                  // Name (frames: named in error messages)
  double x, y, w, h;                 // Geometry: the part in points ("28mm")...
  double fx, fy, fw, fh;             // ...plus a fraction of the container ("100% - 28mm": fw 1, w -28mm)
  ap_valign_t valign;                // Frames: vertical alignment of the content
  ap_paint_t paint;                  // Frames and shapes: background and border
  double padding;                    // Frames: inner margin, points
  bool shrink;                       // Frames: shrink the text until it fits
  double min_size;                   // Frames: smallest size the largest text may shrink to
  ap_shape_kind_t shape;             // Shapes: which
  int columns;                       // Grids: columns; charts: 0 bar, 1 line
  double gap;                        // Grids: space between cells
  const char *deck;                  // Slides and handouts: the deck
  const struct ap_master_s *master;  // Slides: page template
  int per_page;                      // Handouts: slides per page (1, 2, 3, 4, 6)
  const struct ap_style_s *style2;   // Charts: style of the title
  const char *unit;                  // Charts: unit of the values
  int decimals;                      // Charts: decimals of value labels (-1: as needed)
  bool numeric_axis;                 // Charts: points stand at their at= numbers (POINT height)
  const ap_color_t *colors;          // Charts: colours of the series, in order of appearance
  int ncolors;                       // Charts: how many colors= gives
  bool restart;                      // Page breaks: the next page starts the page sequence anew (number 1,
                                     // the body's first-page template)
  int number;                        // Page breaks: the next page's number (0: counting on, or 1 on restart)
} ap_spec_t;

typedef enum ap_col_kind_e {
  AP_COL_FIXED,     // A length
  AP_COL_FR,        // A share of what the fixed and content-sized columns leave
  AP_COL_AUTO       // As wide as its content asks, within reason
} ap_col_kind_t;

typedef struct ap_border_s {
  double width;                      // Stroke width, points (0 = none)
  ap_color_t color;                  // Stroke colour
} ap_border_t;

// One column of a table.
typedef struct ap_column_s {
  ap_col_kind_t kind;                // How its width is found
  double value;                      // Points (fixed) or share (fr)
  ap_halign_t align;                 // Alignment of its cells
  bool decimal;                      // Numbers aligned on the decimal comma
} ap_column_t;

typedef enum ap_row_kind_e {
  AP_ROW_BODY,                       // A data row (counted, striped)
  AP_ROW_HEADER,                     // Repeated at the top of every page the table spans
  AP_ROW_GROUP,                      // A heading row inside the body (kept with the next row)
  AP_ROW_FOOTER                      // After the last body row
} ap_row_kind_t;

// What a table needs beyond its node.
typedef struct ap_table_s {
  ap_column_t *columns;              // Columns
  int ncolumns;                      // How many
  bool split_lines;                  // A row that does not fit may split between its text lines
  bool repeat_header;                // Header rows again on every page (default true)
  bool zebra;                        // Stripe every other body row
  ap_color_t zebra_color;            // Its colour
  bool header_fill, group_fill;      // Header and group rows shaded
  ap_color_t header_color, group_color; // Their colours
  ap_border_t border;                // Border of every cell side (unless a cell says otherwise)
  double padding;                    // Inner margin of every cell
  const struct ap_style_s *header_style; // Style of header cells
  const struct ap_style_s *group_style;  // Style of group rows
  struct ap_rows_s *rows;            // Its rows when they are bound as layout reaches them (NULL: the
                                     // node's children are its rows, bound with the rest of the tree)
} ap_table_t;

// What a cell needs beyond its node.
typedef struct ap_cell_s {
  int colspan, rowspan;              // Columns and rows it covers (1 = itself)
  bool align_set;                    // align overrides the column's
  ap_halign_t align;                 // Horizontal alignment
  bool decimal;                      // Aligned on the decimal comma
  ap_valign_t valign;                // Vertical alignment
  bool fill;                         // Shaded
  ap_color_t fill_color;             // Its colour
  bool border_set[4];                // Sides given: top, right, bottom, left
  ap_border_t border[4];             // Their borders
} ap_cell_t;

// A font family: four TrueType files (paths resolved against the fonts dir,
// or found by a family name) and the families that supply the characters
// they lack.
typedef struct ap_family_s {
  const char *name;                  // Family name used by styles
  const char *files[4];              // regular, bold, italic, bold-italic (NULL = fall back to regular)
  ap_loc_t loc;                      // Where it was declared
  ap_loc_t file_locs[4];             // Where each face's file is named (its attribute)
  const char *font;                  // font= as written: a family name whose faces fontconfig finds
                                     // for the files not given (NULL: none; font/lookup.h)
  ap_loc_t font_loc;                 // Place of the font= attribute
  bool font_found;                   // Its faces were looked up (files[] holds them)
  const char *fallback;              // fallback= as written: family names, space-separated (NULL: none)
  ap_loc_t fallback_loc;             // Place of the fallback= attribute
  const struct ap_family_s **fallbacks; // Families tried in order for characters its faces lack
                                     // (each named one, then its own fallbacks, depth first; no repeats)
  int nfallbacks;                    // How many
  struct ap_family_s *next;          // Next family
} ap_family_t;

// A resolved paragraph style (inheritance already applied).
typedef struct ap_style_s {
  const char *name;                  // Style name
  const ap_family_t *family;         // Font family
  bool bold, italic;                 // Face within the family
  double size;                       // Font size, points
  double leading;                    // Baseline-to-baseline distance, points
  double space_before, space_after;  // Vertical space, points
  double first_indent;               // First-line indent, points
  double left_indent;                // Left indent of every line, points
  ap_halign_t align;                 // Alignment
  ap_color_t color;                  // Text colour
  bool uppercase;                    // Set the text in capitals
  bool underline;                    // Underline every run
  bool keep_with_next;               // Keep on the page of the next block
  bool keep_with_previous;           // Keep on the page of the previous block
  bool keep_together;                // Never break a page inside the block (unless it cannot fit a page)
  bool hang;                         // Lines after a labelled first line start under its text, not its label
  double rule_below;                 // A rule under the paragraph: this fraction (0..1] of its widest line's
                                     // text width, centred under it; 0 = none
  ap_loc_t loc;                      // Where it was declared
  struct ap_style_s *next;           // Next style
} ap_style_t;

typedef enum ap_node_kind_e {
  // Blocks
  AP_NODE_PARA,       // Paragraph: inline children
  AP_NODE_HEADING,    // Heading: a paragraph with a level, a label and an outline entry
  AP_NODE_LIST,       // List: AP_NODE_ITEM children
  AP_NODE_ITEM,       // List item: blocks, label = marker
  AP_NODE_COLUMNS,    // Side-by-side columns: AP_NODE_COLUMN children
  AP_NODE_COLUMN,     // One column: blocks, width = fraction of the row
  AP_NODE_SPACE,      // Vertical space of `height`
  AP_NODE_RULE,       // Horizontal rule of `width` (0 = full measure), aligned by `align`
  AP_NODE_PAGEBREAK,  // Start a new page
  AP_NODE_IMAGE,      // Image file `text` scaled to `width` x `height`
  AP_NODE_TOC,        // Table of contents of headings up to `level`
  AP_NODE_SLIDE,      // A page of its own with absolutely placed frames and shapes (spec)
  AP_NODE_FRAME,      // A box at a position holding blocks (spec: geometry, paint, fit)
  AP_NODE_SHAPE,      // A rectangle, circle or line (spec)
  AP_NODE_GRID,       // Cells laid out in columns: AP_NODE_COLUMN children, one per cell (spec)
  AP_NODE_CHART,      // A bar or line chart: AP_NODE_POINT children (spec)
  AP_NODE_POINT,      // One chart value: text = label, width = value, height = at= number,
                      // label = series name (NULL: the one series), level 1 = a reference value
  AP_NODE_SLIDES,     // A deck's slides, one per page (spec->deck)
  AP_NODE_HANDOUT,    // A deck's slides printed N-up (spec->deck, spec->per_page)
  AP_NODE_TABLE,      // A table (table): AP_NODE_ROW children
  AP_NODE_ROW,        // A table row: level = ap_row_kind_t; AP_NODE_CELL children
  AP_NODE_CELL,       // A table cell (cell): inline children, style
  AP_NODE_SIGFIELD,   // A signature field: `width` x `height` (width 0 = the measure), its name
                      // `text` (unique in the document), aligned by `align`
  AP_NODE_LATER,      // Blocks bound as layout reaches them (later): a long <for-each> of the body
  // Inlines
  AP_NODE_TEXT,       // Text run: text, bold/italic/underline/sup
  AP_NODE_FOOTNOTE,   // Footnote: block children (paragraphs of the note)
  AP_NODE_PAGENUM,    // Current page number (in headers and footers)
  AP_NODE_PAGECOUNT,  // Total page count
  AP_NODE_BREAK       // Forced line break
} ap_node_kind_t;

// Fields in an order without padding, and the kind-specific pointers in one
// union: a 10,000-row table binds about 90,000 nodes (136 bytes each, not 160).
typedef struct ap_node_s {
  ap_node_kind_t kind;              // What it is
  ap_halign_t align;                // Rules and images: placement
  ap_loc_t loc;                     // Where in the layout it came from
  const ap_style_t *style;          // Blocks: paragraph style
  const char *text;                 // Text runs: NFC text; images: path; signature fields: name; headings: outline title; slides: bookmark (title=)
  const char *label;                // Headings: number ("I.", "3.1."); items: marker ("-")
  const char *id;                   // Headings: destination name for outline/TOC links
  const char *link;                 // Text runs: link target ("#id" inside, or a URI)
  const char *alt;                  // Images: alternative text (alt=; "" = decoration), NULL = none given
  int level;                        // Headings: 1..6; TOC: deepest level listed; text runs: 1 = the
                                    // layout's own words (a form's "Số", "ngày"), not the data's;
                                    // columns: 1 = first lines on one baseline (align="baseline")
  bool bold, italic, underline, sup;// Text runs: inline emphasis on top of the style
  double width, height, stroke;     // Space, rule, image, column sizes (points; columns: fraction)
  union {                           // By kind (read each only on its kinds):
    const ap_spec_t *spec;          // Slides, frames, shapes, grids, charts, handouts, page breaks: the rest
    const ap_table_t *table;        // Tables: columns and looks
    const ap_cell_t *cell;          // Cells: spans, alignment, shading, borders
    const char *lang;               // Text runs: language (a BCP 47 tag) when not the document's, NULL = its
    struct ap_later_s *later;       // Blocks bound later: what binds them
  };
  struct ap_node_s *children, *last;// Children in order
  struct ap_node_s *next;           // Next sibling
} ap_node_t;

// The rows of a table bound as layout reaches them (bind/tables.c makes
// it, the data's nodes of each row chosen at bind time): how many there
// are, and what binds one into the arena it is to live in. A row bound
// again is the same row; errors in its cells are recorded as it is bound.
typedef struct ap_rows_s {
  int count;                        // Rows in all: header, body (group rows among them), footer
  bool cell_decimal;                // A cell of some row may be aligned on the decimal comma by its own align=
  ap_node_t *(*bind)(struct ap_rows_s *rows, int i, ap_arena_t *arena); // Row i (0 ≤ i < count): an
                                    // AP_NODE_ROW with its cells; NULL on error (recorded)
} ap_rows_t;

// The blocks of a long <for-each> of the body, bound as layout reaches them
// (bind/later.c makes it, the data nodes chosen at bind time): how many
// times the for-each's content repeats, and what binds one repetition into
// the arena it is to live in. Bound again, a repetition is the same.
typedef struct ap_later_s {
  int count;                        // Repetitions (the nodes the for-each selected)
  ap_node_t *(*bind)(struct ap_later_s *later, int i, ap_arena_t *arena); // Repetition i (0 ≤ i < count):
                                    // an AP_NODE_COLUMN holding its blocks; NULL on error (recorded)
} ap_later_t;

// A watermark: one line of text set large, light and at an angle behind
// everything else on a page (of a template, or of the whole document).
typedef struct ap_watermark_s {
  const char *text;                  // Bound text, NFC, spaces collapsed and trimmed (NULL or "" = none)
  const ap_family_t *family;         // Family of its face
  bool bold, italic;                 // Face in the family (default bold)
  ap_color_t color;                  // Colour (default light grey)
  double opacity;                    // Opacity of the colour, above 0 and at most 1 (default 1)
  double size;                       // Font size, points (0 = the largest that spans 75% of the diagonal)
  bool angle_set;                    // angle= given (otherwise the page's diagonal)
  double angle;                      // Degrees counterclockwise from the baseline of ordinary text
  ap_loc_t loc;                      // Where it was declared
} ap_watermark_t;

// Page template: size, margins and header/footer content.
typedef struct ap_master_s {
  const char *name;                  // Template name
  double width, height;              // Page size, points (orientation applied)
  double top, bottom, inner, outer;  // Margins, points (inner = left on odd pages)
  bool mirror;                       // Swap inner/outer on even pages (duplex)
  ap_node_t *header, *footer;        // Blocks placed in the top / bottom margin (NULL = none)
  double header_offset;              // Distance from the page top to the header's first baseline region
  double footer_offset;              // Distance from the page bottom to the footer's last line
  double bleed;                      // Bleed beyond the trim on every side, points (0 = none)
  ap_watermark_t *watermark;         // Its pages' watermark, instead of the document's (NULL = the document's)
  ap_loc_t loc;                      // Where it was declared
  struct ap_master_s *next;          // Next template
} ap_master_t;

// Footnote settings.
typedef struct ap_notes_s {
  const ap_style_t *style;           // Style of the note text
  const ap_style_t *ref_style;       // Style of the number in the text (size; raised)
  double separator;                  // Length of the rule above the notes (points)
  double gap;                        // Space between the text and the rule
} ap_notes_t;

// A deck: slides defined once, placed full size (<slides>) or N-up (<handout>).
typedef struct ap_deck_s {
  const char *name;                  // Deck name
  const struct ap_master_s *master;  // Page template of its slides
  struct ap_node_s *slides;          // AP_NODE_SLIDE nodes (children of a holder node)
  struct ap_deck_s *next;            // Next deck
} ap_deck_t;

// A named colour of the palette.
typedef struct ap_swatch_s {
  const char *name;                  // Colour name
  ap_color_t color;                  // Its value
  struct ap_swatch_s *next;          // Next colour
} ap_swatch_t;

// What the binding of a form's elements found, for anpham check --form
// (check/form.c compares it with the form): each field's state and place.
typedef enum ap_field_state_e {
  AP_FIELD_UNBOUND = 0, // Not bound: its element is not in the document, or the attribute is not given
  AP_FIELD_NONE,        // Its attribute selects nothing in the data
  AP_FIELD_EMPTY,       // Selected, empty (a draft's blank to write in by hand)
  AP_FIELD_GIVEN        // Selected, with text
} ap_field_state_t;

typedef struct ap_form_field_s {
  ap_field_state_t state;            // Found or not
  const char *text;                  // Its text as printed ("" when none)
  ap_loc_t loc;                      // Its attribute in the layout (or the element when not given)
  ap_loc_t at;                       // Where its first node stands in the data (file NULL: none)
} ap_form_field_t;

typedef struct ap_form_facts_s {
  bool lenient;                      // Set before binding by check --form: a required field missing or a
                                     // date not ISO 8601 is recorded here for the check, not an error
  ap_loc_t header, title, signature; // <form-header>, <form-title>, <form-signature> (file NULL: none bound)
  ap_form_field_t issuer, number, place, date, type, position, name, recipients; // The fields checked
  ap_form_field_t subject;           // A công văn's summary (V/v): a công văn has no type of document
  bool date_iso;                     // date= gave an ISO 8601 date (complete, or a draft's year or month)
  const char *end;                   // end= of <form-signature> ("./."), NULL when not given or empty
} ap_form_facts_t;

typedef struct ap_doc_s {
  ap_family_t *families;             // Declared families
  ap_style_t *styles;                // Declared styles
  ap_master_t *masters;              // Declared page templates
  const ap_master_t *first_master;   // Template of page 1
  const ap_master_t *master;         // Template of the other pages
  int first_number;                  // Number of page 1 (<body first-number>; 0: 1)
  ap_notes_t notes;                  // Footnote settings
  ap_node_t *body;                   // The flow: a node whose children are blocks
  const char *title, *author, *subject, *keywords, *creator; // Document information
  // Nghị định 30/2020 Phụ lục VI (archive XMP, --pdfa): <info issuer number date doc-type signer
  // signer-position>, NULL when absent or empty; date checked as ISO 8601
  const char *issuer, *number, *date, *doc_type, *signer, *signer_position;
  const char *fonts_dir;             // Where family files are found
  ap_deck_t *decks;                  // Declared decks (bound slides)
  ap_swatch_t *palette;              // Named colours
  int handout;                       // > 0: print every <slides> as a handout with this many per page
  ap_watermark_t *watermark;         // Watermark of every page whose template has none (NULL = none)
  bool untagged;                     // Written without tags (--no-tags): layout need not make the
                                     // structure elements of tables' rows (it numbers them all the same)
  bool rendering;                    // A render, not a check: bind warns of a layout that reads data
                                     // when the run was given none (bind/warnings.c)
  ap_form_facts_t form_facts;        // What the form's elements bound (anpham check --form)
  struct ap_binder_s *binder;        // Bind's state while tables bind their rows as layout reaches them
                                     // (bind.h: ap_bind_release), NULL = none
} ap_doc_t;

// New node of a kind at loc, owned by the arena.
ap_node_t *ap_node_new(ap_arena_t *arena, ap_node_kind_t kind, ap_loc_t loc);
// Append child to parent's children.
void ap_node_append(ap_node_t *parent, ap_node_t *child);
// Name of a node kind ("para", "heading", ...).
const char *ap_node_kind_name(ap_node_kind_t kind);
// Write the tree as indented text (tests read it).
void ap_node_dump(const ap_node_t *node, FILE *out, int depth);
// Deck by name, NULL when undeclared.
const ap_deck_t *ap_doc_find_deck(const ap_doc_t *doc, const char *name);
// Style by name, NULL when undeclared.
const ap_style_t *ap_doc_find_style(const ap_doc_t *doc, const char *name);

#endif
