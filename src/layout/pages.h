// Laid-out pages: the contract between layout and render. Layout fills these
// structures (in the job arena); render only reads them, and the text dump
// prints them. Coordinates: points, origin at the page's top-left, y down.
#ifndef AP_PAGES_H
#define AP_PAGES_H

#include <stdbool.h>
#include <stdio.h>

#include "../base/arena.h"
#include "../base/geom.h"
#include "../font/font.h"

// One positioned piece of text with one style: a word, a word fragment, a
// footnote number, a page number.
typedef struct ap_run_s {
  double x;               // Left edge of the run's first glyph
  double baseline;        // y of the baseline
  double width;           // Advance width (ap_font_measure)
  const ap_font_t *font;  // Face
  double size;            // Font size in points
  ap_color_t color;       // Fill colour
  bool underline;         // Draw an underline below the run
  const char *text;       // NFC UTF-8, no leading/trailing space
  bool label;             // Made by the layout (number, marker, page number), not data text
  const char *link;       // Link target of the run ("#id" or a URI), NULL for none
  const char *lang;       // Language of its text when not the document's (BCP 47), NULL = the document's
  int note;               // A footnote reference: its note's structure element (the note's lines'
                          // ap_box_t.elem; the text stage gives the note's number, paragraph setting
                          // turns it into the element), 0 = none. Tagged, render links it to its note
  bool artifact;          // Decoration inside a line (a contents entry's leader dots): tagged, an Artifact
  const struct ap_struct_s *in; // Tagged: the element the run's text belongs to within its line's
                          // (a contents entry's page number: its Reference), NULL = the line's
  struct ap_run_s *next;  // Next run on the line, left to right
} ap_run_t;

// A structure element that holds others (a table, its row groups, rows and
// cells; a list and its items; the contents and their entries), made by the
// layout for render's structure tree. Boxes point at the innermost one
// their content belongs to (ap_box_t.in); render makes each element when
// its first content comes (its ancestors before it), so the tree's order is
// the reading order and a table split over pages stays one element. In the
// job's arena (it outlives every page its boxes are on), but for the rows
// of a table and their cells (`paged`), which are in the arena of the page
// being planned, and move with the boxes that point at them when these go
// on to the next page (ap_flow_release): render knows an element by its id.
typedef struct ap_struct_s {
  int id;                          // Unique in the job (shares the numbering of ap_box_t.elem)
  bool paged;                      // In a page's arena (and so are the elements under it)
  const char *tag;                 // Structure type: "Table", "THead", "TBody", "TR", "TH", "TD", "L", "LI", "LBody", "TOC", "TOCI", "Link", "Reference"
  const struct ap_struct_s *up;      // Element that holds it, NULL = the Document
  const struct ap_struct_s *kids;    // Children made with it, in order, even without content (a row's cells), NULL = none
  const struct ap_struct_s *next;    // Next of those children
  const char *scope;               // TH: "Column" or "Row" (its /A /Scope), NULL otherwise
  int rowspan, colspan;            // TH, TD: spans (written when above 1)
} ap_struct_t;

typedef enum ap_box_kind_e {
  AP_BOX_LINE,  // A line of text: runs, rect = line box, ratio = adjustment ratio
  AP_BOX_RULE,  // A horizontal or vertical stroke along rect (w or h is 0)
  AP_BOX_RECT,  // A filled and/or stroked rectangle
  AP_BOX_IMAGE, // An image file drawn into rect
  AP_BOX_LINK,  // A clickable area whose target is a named destination
  AP_BOX_DEST,  // A named destination (anchor) at rect.y; with level>0 also an outline entry
  AP_BOX_ELLIPSE, // A filled and/or stroked ellipse inscribed in rect (a circle when w = h)
  AP_BOX_SEGMENT, // A straight line from (rect.x, rect.y) to (rect.x + rect.w, rect.y + rect.h)
  AP_BOX_GROUP,   // Another page (source) drawn scaled into rect, clipped to it: N-up handouts
  AP_BOX_WATERMARK, // One run turned by `angle` about its baseline's start (run x, baseline),
                   // painted first, at `opacity`, as an artifact outside the page's text;
                   // rect = the unturned run's box (x, top, advance, size) centred on the page
  AP_BOX_SIGFIELD  // An unsigned signature field over rect, named `name` (unique in the document):
                   // paints nothing in the page; render makes its widget and AcroForm field
} ap_box_kind_t;

typedef struct ap_box_s {
  ap_box_kind_t kind;      // What it is
  const char *role;        // What it is for: "body", "heading", "footnote", "header", "footer", "toc", ...
  ap_rect_t rect;          // Where (for lines: left of measure, top of the line box, measure, height)
  double ratio;            // Lines: adjustment ratio of the glue (0 = natural, 1 = fully stretched, <0 shrunk)
  bool split_word;         // Lines: the last word goes on on the next line of the paragraph
  ap_run_t *runs;          // Lines: runs, left to right
  ap_color_t color;        // Rules and segments: stroke colour; rects and ellipses: fill colour
  bool fill;               // Rects and ellipses: filled
  double stroke;           // Rules, segments, rects, ellipses: stroke width (0 = none)
  ap_color_t stroke_color; // Rects and ellipses: stroke colour
  double radius;           // Rects: corner radius (0 = square corners)
  const struct ap_page_s *source; // Groups: the page drawn into rect (scaled by rect.w / source->width)
  ap_rect_t clip;          // Groups: the area painted, when it differs from rect (w = 0: rect): the bleed of imposed pages
  const char *name;        // Links: destination name; dests: their name; images: file path; signature fields: field name
  const char *title;       // Dests with level>0: the outline title
  int level;               // Dests: outline level (1 = top), 0 = not in the outline
  double angle;            // Watermarks: degrees counterclockwise about the run's start
  double opacity;          // Watermarks: opacity of the fill, above 0 and at most 1
  int par, line, lines;    // Lines of the flow: paragraph number, line in it (1-based), its line count
  int elem;                // Structure element the box belongs to (boxes of one paragraph, note or chart
                           // share it; unique in the job), 0 = none (render gives a line a P of its own)
  const char *tag;         // Its structure type: "P", "H1".."H6", "Note", "Figure"; "Artifact" = page
                           // furniture; NULL = by kind (lines P, images Figure, other shapes Artifact)
  const char *alt;         // Figures: their alternative text (charts: the title); links: their
                           // description (/Contents, tagged only: the linked text, a contents entry's
                           // "title, trang N"), NULL = none
  const ap_struct_t *in;     // Element the box's content belongs to directly (a table cell, a list item's body):
                           // it replaces elem and tag; NULL = elem and tag say (under the Document)
                           // Link boxes: the Link their annotation belongs to (a contents entry's); NULL = the
                           // Link render made for the linked run, else one of its own
  const ap_struct_t *label_in; // Lines with `in`: element its label runs (run.label: a list marker) belong to,
                           // its Lbl; NULL = the same as the rest
  struct ap_box_s *next;   // Next box in painting order
} ap_box_t;

typedef struct ap_page_s {
  int number;              // 1-based physical page number
  int label;               // Its number as printed (the same unless numbering restarts or is offset)
  double width, height;    // Page size in points
  ap_box_t *boxes, *last;  // Boxes in painting order
  const struct ap_master_s *master; // Page template it was composed in (layout only: imposition's checks)
  double bleed;            // How far its content may reach beyond each edge, points (its template's bleed=)
  const char *side;        // Imposed sheets: "sheet 2 front"; NULL for a page of the document
  double fold, cut;        // Imposed sheets: x of the fold between two pages (booklet), of the cut (2-up); 0 = none
  ap_rect_t trim_box, bleed_box; // With crop marks: the trimmed page and its bleed on the grown page (w = 0: none)
  struct ap_page_s *next;  // Next page
} ap_page_t;

typedef struct ap_pages_s {
  ap_page_t *first, *last; // Pages in order
  int count;               // Number of pages
  // Document information, from the data (NULL when absent).
  const char *title, *author, *subject, *keywords, *creator;
} ap_pages_t;

// Called, when given, with the arena of pages already handed over, instead
// of layout freeing it: the callee owns it and frees it (ap_arena_destroy)
// once done with those pages (a renderer on another thread still painting
// them). ap_layout_run (layout.h) takes one; the paginator calls it.
typedef void (*ap_retire_fn)(void *ctx, ap_arena_t *arena);

// Write the pages as text: one line per page and per box, one indented line
// per run; fixed two-decimal numbers, independent of the locale.
void ap_pages_dump(const ap_pages_t *pages, FILE *out);

#endif
