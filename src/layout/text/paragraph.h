// Paragraph setting: a paragraph-like node (paragraph, heading, list item,
// table cell, footnote paragraph) → line boxes, each with the footnotes
// referenced on it, through the text stage (text.h); the faces that set a
// text (a style's, its fallbacks'). Everything is laid out with the layout
// context alone (context.h).
#ifndef AP_PARAGRAPH_H
#define AP_PARAGRAPH_H

#include "../context.h"
#include "text.h"

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

// The lines of a paragraph, each with the footnotes referenced on it (in ctx->arena).
typedef struct ap_lines_s {
  ap_box_t **boxes;        // Line boxes (each a chain: the line, then its link boxes)
  ap_note_t ***notes;      // Footnotes referenced on each line
  int *nnotes;             // How many on each
  int n;                   // How many lines
} ap_lines_t;

// Lay a paragraph-like node (para, heading, item) out as line boxes at x=0,
// y relative to each line's top; each line box is returned separately with
// its footnotes so a paginator can break between lines. False on error (recorded).
bool ap_text_paragraph(ap_layout_ctx_t *ctx, const ap_node_t *node, double width, ap_lines_t *lines);

// Face of a style with inline emphasis on top (NULL + diagnostic when the file is missing).
const ap_font_t *ap_text_font(ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic,
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
const ap_font_t *ap_text_label_font(ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic,
                                    const char *text, ap_loc_t loc);
// Width of a text set in the faces ap_text_items picks (tables measure cells with it).
double ap_text_measure(ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic, const char *text,
                       size_t len, double size);
// Append proto's text as items (malloc'ed array, grown), one per stretch set
// in one face: the style's face, and for characters it lacks the first
// fallback face that has them (combining marks kept with their base when
// one face has both). False (with a diagnostic at loc naming the characters)
// when no face has one. Without check, one item in the style's face, its
// characters not looked at (setting the paragraph fails on one it lacks:
// paragraph.c then checks).
bool ap_text_items(ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic, const ap_inline_t *proto,
                   ap_loc_t loc, ap_inline_t **items, int *n, int *alloc, bool check);

#endif
