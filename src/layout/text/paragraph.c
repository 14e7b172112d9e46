// Paragraph-like blocks (paragraphs, headings, list items, footnote
// paragraphs) → line boxes: inline items for the text stage, a label (heading
// number, list marker, footnote number) before the first line, baselines from
// the leading and the glyphs' real bounds. A paragraph is set segment by
// segment (forced breaks end one), each in steps: items from its inline
// nodes, configuration, lines from the text stage, a box per line, the
// line's links and the notes referenced on it. A style may hang the lines
// after a label's line under its text, and draw a rule under the paragraph.
#include "paragraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../box.h"

#define RULE_STROKE 0.5 // Width of a style's rule below its paragraph, points
#define RULE_GAP 2.0    // Its distance from the descenders above it and from what follows, points

// A label before a paragraph's first line: a heading number, a list marker, a footnote number.
typedef struct label_s {
  const char *text;        // Label text, NULL for none
  const ap_font_t *font;   // Its face
  double size, rise;       // Its size and baseline shift
} label_t;

// A segment of a paragraph: its inline nodes up to a forced break, and how they are set.
typedef struct segment_s {
  const ap_node_t *node;   // The paragraph-like node (kind, place)
  const ap_style_t *style; // Its style at the context's scale
  const ap_node_t *first;  // First inline node
  const ap_node_t *stop;   // Node after the last (a forced break, or NULL)
  double width;            // Line width
  const label_t *label;    // Label before the first line (NULL, or a NULL text: none)
  bool first_segment;      // The paragraph's first segment (its first line takes the first indent)
  double hang;             // Every line starts this much further in (a hanging label's width), 0 = none
} segment_t;

// What an item was made from, to make it again with its characters checked.
typedef struct origin_s {
  const ap_style_t *style; // Style whose face (or fallbacks) sets it
  bool bold, italic;       // Emphasis on top of it
  ap_loc_t loc;            // Place of its inline node
} origin_t;

// Inline items of a segment for the text stage (malloc'ed scratch: runs keep
// no pointer into it). Each is first set whole in its style's face, its
// characters not looked at: a paragraph whose face lacks one fails to be
// set, and is set again from items checked (break_lines).
typedef struct items_s {
  ap_inline_t *at;         // Items
  origin_t *origin;        // What each was made from (malloc'ed, as many)
  int n, alloc;            // Used and allocated
} items_t;

// Footnotes referenced in a segment, in rising number order.
typedef struct found_s {
  ap_note_t **notes;       // Made on the first note, with room for one per inline node
  int n, room;             // Used and allocated
} found_t;

static void add_links(ap_layout_ctx_t *ctx, ap_box_t *box);
static void append_boxes(ap_layout_ctx_t *ctx, const segment_t *seg, const found_t *found, const ap_font_t *base,
                         ap_line_t *lines, size_t count, ap_lines_t *out);
static bool break_lines(ap_layout_ctx_t *ctx, const segment_t *seg, const items_t *items, const ap_font_t *base,
                        ap_line_t **lines, size_t *count);
static void add_rule_below(ap_layout_ctx_t *ctx, const ap_style_t *style, ap_lines_t *lines);
static ap_par_config_t configure(const segment_t *seg, const ap_font_t *base);
static ap_note_t *find_note(const found_t *found, int number);
static bool inline_items(ap_layout_ctx_t *ctx, const segment_t *seg, items_t *items, found_t *found);
static double label_width(const label_t *label, const ap_font_t *base, const ap_style_t *style);
static bool lay_lines(ap_layout_ctx_t *ctx, const segment_t *seg, ap_lines_t *out);
static ap_note_t *layout_note(ap_layout_ctx_t *ctx, const ap_node_t *fn);
static ap_box_t *line_box(ap_layout_ctx_t *ctx, const segment_t *seg, ap_line_t *ln, bool first_line,
                          double base_off);
static int line_notes(ap_layout_ctx_t *ctx, const found_t *found, const ap_line_t *ln, ap_box_t *box,
                      ap_note_t ***notes);
static const ap_style_t *scale_style(const ap_layout_ctx_t *ctx, const ap_style_t *style, ap_style_t *scaled);
static void tag_lines(ap_layout_ctx_t *ctx, const ap_node_t *node, ap_box_t **lines, int nlines);

//
// 'ap_text_font()' - Face for a style plus inline emphasis.
//

const ap_font_t *
ap_text_font(ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic, ap_loc_t loc)
{
  int face = ((style->bold || bold) ? 1 : 0) + ((style->italic || italic) ? 2 : 0);
  const char *file = style->family->files[face] ? style->family->files[face] : style->family->files[0];
  return ap_fontset_load(ctx->fonts, file, ctx->diags, style->family->loc.file ? style->family->loc : loc);
}

//
// 'ap_text_paragraph()' - Lay a paragraph-like node out as line boxes.
//

bool                                       // O - false on error (recorded)
ap_text_paragraph(ap_layout_ctx_t *ctx,    // I - Layout context
                  const ap_node_t *node,   // I - Paragraph, heading or list item (inline children)
                  double width,            // I - Line width, points
                  ap_lines_t *lines)       // O - Its lines (NULL, 0 until set)
{
  label_t label = {0};
  const ap_style_t *style = node->style;

  *lines = (ap_lines_t){0};

  // The indents must leave the text room on the line: a line that starts
  // left of it or past its end would put the text off the page, unseen...
  double left = style->left_indent + (style->first_indent < 0 ? style->first_indent : 0);
  double right = style->left_indent + (style->first_indent > 0 ? style->first_indent : 0);
  if (left < 0 || right >= width)
    return ap_fail(ctx->diags, node->loc,
                   "style '%s': indent=\"%.1fmm\" and first-indent=\"%.1fmm\" leave no room on a line %.1fmm wide: "
                   "expected indents that start the text inside the line (a negative first-indent at most as deep "
                   "as indent)", style->name, style->left_indent / ap_mm(1), style->first_indent / ap_mm(1),
                   width / ap_mm(1));

  // Headings and list items start with their number or marker...
  if (node->label) {
    label.text = node->label;
    label.font = ap_text_label_font(ctx, style, node->kind == AP_NODE_HEADING, false, node->label, node->loc);
    label.size = style->size * ctx->scale;
    if (!label.font)
      return false;
  }

  // A hanging label: every line of every segment starts where the first
  // line's text does, right of the label...
  segment_t seg = {.node = node, .first = node->children, .width = width, .label = &label, .first_segment = true};
  if (style->hang && label.text) {
    ap_style_t scaled;
    const ap_style_t *at = scale_style(ctx, style, &scaled);
    const ap_font_t *base = ap_text_font(ctx, at, false, false, node->loc);
    if (!base)
      return false;
    seg.hang = label_width(&label, base, at);
  }

  // Forced breaks split the paragraph into segments laid out one after the other...
  for (;;) {
    seg.stop = seg.first;
    while (seg.stop && seg.stop->kind != AP_NODE_BREAK)
      seg.stop = seg.stop->next;
    if (!lay_lines(ctx, &seg, lines))
      return false;
    seg.label = NULL;
    seg.first_segment = false;
    if (!seg.stop)
      break;
    seg.first = seg.stop->next;
  }
  tag_lines(ctx, node, lines->boxes, lines->n);
  if (style->rule_below > 0 && lines->n > 0)
    add_rule_below(ctx, style, lines);
  return true;
}

// The style's rule under a paragraph (a form's rule under its title): a
// fraction of the widest line's text, centred under that text, a set
// distance below the face's descenders; the last line's box grows to hold
// it, so that whatever follows keeps its distance. The rule is chained
// after the last line (and its links): it moves and breaks with it.
static void
add_rule_below(ap_layout_ctx_t *ctx, const ap_style_t *style, ap_lines_t *lines)
{
  ap_style_t scaled;
  const ap_style_t *at = scale_style(ctx, style, &scaled);
  const ap_font_t *base = ap_text_font(ctx, at, false, false, style->loc);
  double left = 0, right = 0; // The widest line's text
  double baseline = 0;        // The last line's baseline

  // The widest line's text (labels included: a marker is part of the line)...
  for (int i = 0; i < lines->n; i++) {
    const ap_run_t *r = lines->boxes[i]->runs;
    if (!r)
      continue;
    double l = r->x, rr = r->x + r->width;
    for (; r; r = r->next) {
      l = r->x < l ? r->x : l;
      rr = r->x + r->width > rr ? r->x + r->width : rr;
      baseline = r->baseline;
    }
    if (rr - l > right - left)
      left = l, right = rr;
  }
  if (!base || right <= left)
    return;

  // ...a fraction of it, centred, RULE_GAP below the descenders.
  ap_box_t *last = lines->boxes[lines->n - 1], *tail = last;
  while (tail->next)
    tail = tail->next;
  ap_box_t *rule = AP_NEW(ctx->arena, ap_box_t);
  double w = (right - left) * style->rule_below;
  rule->kind = AP_BOX_RULE;
  rule->role = "rule";
  rule->stroke = RULE_STROKE;
  rule->rect.x = (left + right - w) / 2;
  rule->rect.w = w;
  rule->rect.y = baseline - ap_font_get_metrics(base, at->size).descender + RULE_GAP + RULE_STROKE / 2;
  tail->next = rule;
  if (rule->rect.y + RULE_STROKE / 2 + RULE_GAP > last->rect.h)
    last->rect.h = rule->rect.y + RULE_STROKE / 2 + RULE_GAP;
}

// Linked runs get a clickable area each, chained after the line.
static void
add_links(ap_layout_ctx_t *ctx, ap_box_t *box)
{
  ap_box_t **after = &box->next;

  for (ap_run_t *r = box->runs; r; r = r->next) {
    if (!r->link)
      continue;
    ap_box_t *link = AP_NEW(ctx->arena, ap_box_t);
    link->kind = AP_BOX_LINK;
    link->role = "link";
    link->name = r->link[0] == '#' ? r->link + 1 : r->link;
    link->rect.x = r->x;
    link->rect.y = 0;
    link->rect.w = r->width;
    link->rect.h = box->rect.h;
    link->alt = ap_arena_strdup(ctx->job, r->text); // Tagged: its /Contents (the job's: boxes are
                                                       // cloned into fresh arenas as pages go)
    *after = link;
    after = &link->next;
  }
}

// Lines → boxes with baselines (the style's face sets them), links and the
// notes referenced on them, appended to out.
static void
append_boxes(ap_layout_ctx_t *ctx, const segment_t *seg, const found_t *found, const ap_font_t *base, ap_line_t *lines,
             size_t count, ap_lines_t *out)
{
  const ap_style_t *style = seg->style;
  ap_font_metrics_t m = ap_font_get_metrics(base, style->size);
  double base_off = (style->leading - (m.ascender - m.descender)) / 2 + m.ascender;
  int total = out->n + (int)count;
  ap_box_t **boxes = AP_NEW_N(ctx->arena, ap_box_t *, total);
  ap_note_t ***notes = AP_NEW_N(ctx->arena, ap_note_t **, total);
  int *nnotes = AP_NEW_N(ctx->arena, int, total);

  if (out->n) {
    memcpy(boxes, out->boxes, sizeof(ap_box_t *) * (size_t)out->n);
    memcpy(notes, out->notes, sizeof(ap_note_t **) * (size_t)out->n);
    memcpy(nnotes, out->nnotes, sizeof(int) * (size_t)out->n);
  }
  for (size_t i = 0; i < count; i++) {
    ap_box_t *box = line_box(ctx, seg, &lines[i], i == 0, base_off);
    add_links(ctx, box);
    boxes[out->n + (int)i] = box;
    nnotes[out->n + (int)i] = line_notes(ctx, found, &lines[i], box, &notes[out->n + (int)i]);
  }
  out->boxes = boxes;
  out->notes = notes;
  out->nnotes = nnotes;
  out->n = total;
}

// The text stage breaks the items into lines (taken from the paragraph
// cache when set before); an empty segment still takes one line of its
// leading. False on error (recorded).
static bool
break_lines(ap_layout_ctx_t *ctx, const segment_t *seg, const items_t *items, const ap_font_t *base, ap_line_t **lines,
            size_t *count)
{
  static ap_line_t empty; // The line of an empty segment (no run)
  const label_t *label = seg->label;
  ap_par_config_t cfg = configure(seg, base);

  if (items->n == 0 && !(label && label->text)) {
    *lines = &empty;
    *count = 1;
    return true;
  }
  // Set as the items are; failing that (a face lacks a character, as a rule
  // none does), again from items whose characters are checked: each one's
  // in the first face that has it, or an error that names it...
  ap_diags_t quiet = {0};
  bool ok = ap_par_layout_cached(ctx->par_cache, ctx->arena, items->at, (size_t)items->n, &cfg, lines, count,
                                 &quiet, seg->node->loc);
  ap_diags_clear(&quiet);
  if (!ok) {
    items_t checked = {0};
    int i = 0;
    while (i < items->n && ap_text_items(ctx, items->origin[i].style, items->origin[i].bold, items->origin[i].italic,
                                         &items->at[i], items->origin[i].loc, &checked.at, &checked.n,
                                         &checked.alloc, true))
      i++;
    ok = i == items->n && ap_par_layout_cached(ctx->par_cache, ctx->arena, checked.at, (size_t)checked.n, &cfg,
                                               lines, count, ctx->diags, seg->node->loc);
    free(checked.at);
    if (!ok)
      return false;
  }
  if (*count == 0) {
    *lines = &empty;
    *count = 1;
  }
  return true;
}

// The text stage's configuration of a segment: its measure, its first
// line's indent (room for the label included) and alignment.
static ap_par_config_t
configure(const segment_t *seg, const ap_font_t *base)
{
  const ap_style_t *style = seg->style;
  const label_t *label = seg->label;
  ap_par_config_t cfg = {0};
  double label_w = 0;

  if (label && label->text && seg->hang == 0)
    label_w = label_width(label, base, style);
  cfg.measure = seg->width - style->left_indent - seg->hang;
  cfg.first_indent = (seg->first_segment ? style->first_indent : 0) + label_w;
  cfg.align = style->align == AP_H_CENTER  ? AP_ALIGN_CENTER
              : style->align == AP_H_RIGHT ? AP_ALIGN_RIGHT
              : style->align == AP_H_JUSTIFY ? AP_ALIGN_JUSTIFY
                                             : AP_ALIGN_LEFT;
  cfg.tolerance = 2.0;
  return cfg;
}

// Width a label takes before the first line's text: its own and a space
// (a raised footnote number: a thin gap).
static double
label_width(const label_t *label, const ap_font_t *base, const ap_style_t *style)
{
  double w = ap_font_measure(label->font, label->text, strlen(label->text), label->size);
  return w + (label->rise > 0 ? 1.5 : ap_font_measure(base, " ", 1, style->size));
}

// The note of a number among a segment's notes, NULL = none.
static ap_note_t *
find_note(const found_t *found, int number)
{
  int lo = 0, hi = found->n; // Binary search

  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (found->notes[mid]->number < number)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < found->n && found->notes[lo]->number == number ? found->notes[lo] : NULL;
}

// A segment's inline nodes → items for the text stage, one per stretch set
// in one face; footnotes met are numbered, laid out and noted in found.
static bool
inline_items(ap_layout_ctx_t *ctx, const segment_t *seg, items_t *items, found_t *found)
{
  const ap_style_t *style = seg->style;
  const ap_notes_t *notes = &ctx->doc->notes;

  // As many items as inline nodes, usually: allocated once (tables have
  // tens of thousands of one-run cells), grown when a fallback face splits a text...
  for (const ap_node_t *c = seg->first; c != seg->stop; c = c->next)
    items->alloc++;
  items->at = items->alloc ? malloc(sizeof(ap_inline_t) * (size_t)items->alloc) : NULL;
  items->origin = items->alloc ? malloc(sizeof(origin_t) * (size_t)items->alloc) : NULL;
  if (items->alloc && (!items->at || !items->origin))
    return ap_fail(ctx->diags, seg->node->loc, "out of memory");
  found->room = items->alloc; // Inline nodes: no more notes than that

  for (const ap_node_t *c = seg->first; c != seg->stop; c = c->next) {
    ap_inline_t it = {0};
    char num[32];
    const ap_style_t *face_style = style; // Style whose face (or fallbacks) sets the item
    bool bold = false, italic = false;    // Emphasis on top of it
    it.color = style->color;
    it.size = style->size;
    it.underline = style->underline;
    switch (c->kind) {
    case AP_NODE_TEXT:
      it.text = c->text;
      it.len = strlen(c->text);
      it.label = c->level == 1; // The layout's own words (a form's), not the data's
      bold = c->bold;
      italic = c->italic;
      it.underline |= c->underline;
      it.link = c->link;
      it.lang = c->lang;
      if (c->sup) {
        it.size = style->size * 0.65;
        it.rise = style->size * 0.35;
      }
      break;
    case AP_NODE_FOOTNOTE: {
      ap_note_t *note = layout_note(ctx, c);
      if (!note)
        return false;
      if (!found->notes) // (every note of the paragraph stays, however many)
        found->notes = AP_NEW_N(ctx->arena, ap_note_t *, found->room);
      found->notes[found->n++] = note;
      snprintf(num, sizeof(num), "%d", note->number);
      it.text = ap_arena_strdup(ctx->arena, num);
      it.len = strlen(num);
      face_style = notes->ref_style;
      it.size = notes->ref_style->size;
      it.rise = style->size * 0.33;
      it.mark = note->number;
      it.label = true;
      break;
    }
    case AP_NODE_PAGENUM:
    case AP_NODE_PAGECOUNT:
      snprintf(num, sizeof(num), "%d", c->kind == AP_NODE_PAGENUM ? ctx->page_number : ctx->page_count);
      it.text = ap_arena_strdup(ctx->arena, num);
      it.len = strlen(num);
      it.label = true;
      break;
    default:
      continue;
    }

    // One item in the style's face (break_lines sends characters it lacks to its fallbacks)...
    if (!it.len)
      continue;
    if (!ap_text_items(ctx, face_style, bold, italic, &it, c->loc, &items->at, &items->n, &items->alloc, false))
      return false;
    items->origin[items->n - 1] = (origin_t){face_style, bold, italic, c->loc};
  }
  return true;
}

// Lay a segment out and append its line boxes to out.
static bool
lay_lines(ap_layout_ctx_t *ctx, const segment_t *given, ap_lines_t *out)
{
  segment_t seg = *given;
  ap_style_t scaled; // The style at ctx->scale, for frames that shrink their text
  items_t items = {0};
  found_t found = {0};
  ap_line_t *lines = NULL;
  size_t count = 0;

  seg.style = scale_style(ctx, given->node->style, &scaled);
  bool ok = inline_items(ctx, &seg, &items, &found);
  const ap_font_t *base = ok ? ap_text_font(ctx, seg.style, false, false, seg.node->loc) : NULL;
  ok = base && break_lines(ctx, &seg, &items, base, &lines, &count);
  free(items.at);
  free(items.origin);
  if (ok)
    append_boxes(ctx, &seg, &found, base, lines, count, out);
  return ok;
}

// Number a footnote and lay its paragraphs out at the text width, the
// number raised before the first line.
static ap_note_t *
layout_note(ap_layout_ctx_t *ctx, const ap_node_t *fn)
{
  ap_note_t *note = AP_NEW(ctx->arena, ap_note_t);
  const ap_notes_t *cfg = &ctx->doc->notes;
  double y = 0;
  int alloc = 0;

  note->number = ++ctx->notes;
  int elem = ++ctx->elems; // All its paragraphs are one Note element
  note->elem = elem;
  for (const ap_node_t *p = fn->children; p; p = p->next) {
    label_t label = {0};
    ap_lines_t lines = {0};
    if (p == fn->children) {
      label.text = ap_arena_printf(ctx->arena, "%d", note->number);
      label.font = ap_text_font(ctx, cfg->ref_style, false, false, fn->loc);
      label.size = cfg->ref_style->size;
      label.rise = p->style->size * 0.33;
      if (!label.font)
        return NULL;
    }
    segment_t seg = {.node = p, .first = p->children, .width = ctx->width, .label = &label,
                     .first_segment = p == fn->children};
    if (!lay_lines(ctx, &seg, &lines))
      return NULL;

    // Keep each line apart, with its top, for notes that must continue...
    if (note->nlines + lines.n > alloc) {
      alloc = (note->nlines + lines.n) * 2;
      ap_box_t **l = AP_NEW_N(ctx->arena, ap_box_t *, alloc);
      double *t = AP_NEW_N(ctx->arena, double, alloc), *h = AP_NEW_N(ctx->arena, double, alloc);
      if (note->nlines) {
        memcpy(l, note->lines, sizeof(ap_box_t *) * (size_t)note->nlines);
        memcpy(t, note->tops, sizeof(double) * (size_t)note->nlines);
        memcpy(h, note->heights, sizeof(double) * (size_t)note->nlines);
      }
      note->lines = l, note->tops = t, note->heights = h;
    }
    for (int i = 0; i < lines.n; i++) {
      ap_box_t *line = lines.boxes[i];
      line->role = "note";
      line->elem = elem;
      line->tag = "Note";
      ap_box_shift(line, 0, y);
      note->lines[note->nlines] = line;
      note->tops[note->nlines] = y;
      note->heights[note->nlines] = line->rect.h;
      note->nlines++;
      y += line->rect.h;
    }
    y += p->style->space_after;
  }
  note->height = y;
  return note;
}

// A line → its box: as tall as the leading, taller when marks (Ẫ, Ệ) rise
// above it; the runs on its baseline, the label before the first line.
static ap_box_t *
line_box(ap_layout_ctx_t *ctx, const segment_t *seg, ap_line_t *ln, bool first_line, double base_off)
{
  const ap_style_t *style = seg->style;
  const label_t *label = seg->label;
  ap_box_t *box = AP_NEW(ctx->arena, ap_box_t);
  double ink_top = ln->ink_top; // (what finalize measured of its runs)

  box->kind = AP_BOX_LINE;
  box->role = seg->node->kind == AP_NODE_HEADING ? "heading" : "body";
  box->ratio = ln->ratio;
  box->split_word = ln->split_word;
  double off = base_off, h = style->leading;
  if (ink_top > off) {
    h += ink_top - off;
    off = ink_top;
  }
  box->rect.x = 0;
  box->rect.w = seg->width;
  box->rect.h = h;

  // The label stands at the first line's indent, on the line's baseline...
  ap_run_t **tail = &box->runs;
  if (first_line && label && label->text) {
    ap_run_t *lr = AP_NEW(ctx->arena, ap_run_t);
    lr->x = style->left_indent + (seg->first_segment ? style->first_indent : 0);
    lr->baseline = off - label->rise;
    lr->font = label->font;
    lr->size = label->size;
    lr->color = style->color;
    lr->width = ap_font_measure(label->font, label->text, strlen(label->text), label->size);
    lr->text = label->text;
    lr->label = true;
    *tail = lr;
    tail = &lr->next;
  }
  for (ap_run_t *r = ln->runs; r; r = r->next) {
    r->x += style->left_indent + seg->hang;
    r->baseline += off;
    *tail = r;
    tail = &r->next;
  }
  *tail = NULL;
  return box;
}

// The notes whose reference stands on a line (*notes, their count
// returned); each reference run then points at its note's element (tagged,
// it links there).
static int
line_notes(ap_layout_ctx_t *ctx, const found_t *found, const ap_line_t *ln, ap_box_t *box, ap_note_t ***notes)
{
  int k = 0;

  *notes = ln->nmarks ? AP_NEW_N(ctx->arena, ap_note_t *, ln->nmarks) : NULL;
  for (int j = 0; j < ln->nmarks; j++) {
    ap_note_t *note = find_note(found, ln->marks[j]);
    if (note)
      (*notes)[k++] = note;
  }
  for (ap_run_t *r = box->runs; r; r = r->next)
    if (r->note > 0) {
      ap_note_t *note = find_note(found, r->note);
      r->note = note ? note->elem : 0;
    }
  return k;
}

// The style at the context's scale (frames that shrink their text): style
// itself at 1, else a scaled copy in *scaled.
static const ap_style_t *
scale_style(const ap_layout_ctx_t *ctx, const ap_style_t *style, ap_style_t *scaled)
{
  if (ctx->scale == 1)
    return style;
  *scaled = *style;
  scaled->size *= ctx->scale;
  scaled->leading *= ctx->scale;
  scaled->first_indent *= ctx->scale;
  scaled->left_indent *= ctx->scale;
  return scaled;
}

// Make the lines of a paragraph-like node one structure element: a heading
// of its level (H1..H6, its number is in its text), else a paragraph.
static void
tag_lines(ap_layout_ctx_t *ctx, const ap_node_t *node, ap_box_t **lines, int nlines)
{
  static const char *const headings[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
  int level = node->level < 1 ? 1 : node->level > 6 ? 6 : node->level; // (PDF has six)
  const char *tag = node->kind == AP_NODE_HEADING ? headings[level - 1] : "P";
  int elem = ++ctx->elems;

  for (int i = 0; i < nlines; i++) {
    lines[i]->elem = elem;
    lines[i]->tag = tag;
  }
}
