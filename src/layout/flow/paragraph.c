// Paragraph-like blocks (paragraphs, headings, list items, footnote
// paragraphs) → line boxes: inline items for the text stage, a label (heading
// number, list marker, footnote number) before the first line, baselines from
// the leading and the glyphs' real bounds.
#include "flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct label_s {
  const char *text;        // Label text, NULL for none
  const ap_font_t *font;   // Its face
  double size, rise;       // Its size and baseline shift
} label_t;

static ap_note_t *find_note(ap_note_t **found, int nfound, int number);
static ap_note_t *layout_note(ap_flow_t *flow, const ap_node_t *fn);
static void tag_lines(ap_flow_t *flow, const ap_node_t *node, ap_box_t **lines, int nlines);
static bool lay_lines(ap_flow_t *flow, const ap_node_t *node, const ap_node_t *first, const ap_node_t *stop,
                      double width, const label_t *label, bool first_segment, ap_box_t ***lines, int *nlines,
                      ap_note_t ****line_notes, int **line_nnotes);

//
// 'ap_flow_font()' - Face for a style plus inline emphasis.
//

const ap_font_t *
ap_flow_font(ap_flow_t *flow, const ap_style_t *style, bool bold, bool italic, ap_loc_t loc)
{
  int face = ((style->bold || bold) ? 1 : 0) + ((style->italic || italic) ? 2 : 0);
  const char *file = style->family->files[face] ? style->family->files[face] : style->family->files[0];
  return ap_fontset_load(flow->fonts, file, flow->diags, style->family->loc.file ? style->family->loc : loc);
}

//
// 'ap_flow_paragraph()' - Lay a paragraph-like node out as line boxes.
//

bool
ap_flow_paragraph(ap_flow_t *flow, const ap_node_t *node, double width, ap_box_t ***lines, int *nlines,
                  ap_note_t ****line_notes, int **line_nnotes)
{
  label_t label = {0};
  const ap_style_t *style = node->style;

  *nlines = 0;
  *lines = NULL;
  *line_notes = NULL;
  *line_nnotes = NULL;

  // The indents must leave the text room on the line: a line that starts
  // left of it or past its end would put the text off the page, unseen...
  double left = style->left_indent + (style->first_indent < 0 ? style->first_indent : 0);
  double right = style->left_indent + (style->first_indent > 0 ? style->first_indent : 0);
  if (left < 0 || right >= width)
    return ap_fail(flow->diags, node->loc,
                   "style '%s': indent=\"%.1fmm\" and first-indent=\"%.1fmm\" leave no room on a line %.1fmm wide: "
                   "expected indents that start the text inside the line (a negative first-indent at most as deep "
                   "as indent)", style->name, style->left_indent / ap_mm(1), style->first_indent / ap_mm(1),
                   width / ap_mm(1));

  // Headings and list items start with their number or marker...
  if (node->label) {
    label.text = node->label;
    label.font = ap_flow_label_font(flow, style, node->kind == AP_NODE_HEADING, false, node->label, node->loc);
    label.size = style->size * flow->scale;
    if (!label.font)
      return false;
  }

  // Forced breaks split the paragraph into segments laid out one after the other...
  const ap_node_t *start = node->children;
  bool first = true;
  for (;;) {
    const ap_node_t *stop = start;
    while (stop && stop->kind != AP_NODE_BREAK)
      stop = stop->next;
    if (!lay_lines(flow, node, start, stop, width, first ? &label : NULL, first, lines, nlines, line_notes,
                   line_nnotes))
      return false;
    first = false;
    if (!stop)
      break;
    start = stop->next;
  }
  tag_lines(flow, node, *lines, *nlines);
  return true;
}

// Make the lines of a paragraph-like node one structure element: a heading
// of its level (H1..H6, its number is in its text), else a paragraph.
static void
tag_lines(ap_flow_t *flow, const ap_node_t *node, ap_box_t **lines, int nlines)
{
  static const char *const headings[] = {"H1", "H2", "H3", "H4", "H5", "H6"};
  int level = node->level < 1 ? 1 : node->level > 6 ? 6 : node->level; // (PDF has six)
  const char *tag = node->kind == AP_NODE_HEADING ? headings[level - 1] : "P";
  int elem = ++flow->elems;

  for (int i = 0; i < nlines; i++) {
    lines[i]->elem = elem;
    lines[i]->tag = tag;
  }
}

// Lay the inline nodes [first, stop) out and append their line boxes.
static bool
lay_lines(ap_flow_t *flow, const ap_node_t *node, const ap_node_t *first, const ap_node_t *stop, double width,
          const label_t *label, bool first_segment, ap_box_t ***lines, int *nlines, ap_note_t ****line_notes,
          int **line_nnotes)
{
  const ap_style_t *style = node->style;
  const ap_notes_t *notes = &flow->doc->notes;
  ap_style_t scaled; // The style at flow->scale, for frames that shrink their text
  if (flow->scale != 1) {
    scaled = *style;
    scaled.size *= flow->scale;
    scaled.leading *= flow->scale;
    scaled.first_indent *= flow->scale;
    scaled.left_indent *= flow->scale;
    style = &scaled;
  }
  ap_inline_t *items = NULL;
  int n = 0, alloc = 0; // Items made, and room for them

  // As many items as inline nodes, usually: allocated once (tables have
  // tens of thousands of one-run cells), grown when a fallback face splits a text...
  for (const ap_node_t *c = first; c != stop; c = c->next)
    alloc++;
  items = alloc ? malloc(sizeof(ap_inline_t) * (size_t)alloc) : NULL; // Scratch: runs keep no pointer into it
  int nodes = alloc;         // Inline nodes: no more notes than that
  ap_note_t **found = NULL; // Notes referenced in this segment, numbers rising (room for nodes, made
                            // on the first note: every note of the paragraph stays, however many)
  int nfound = 0;

  // Inline nodes → items for the text stage...
  for (const ap_node_t *c = first; c != stop; c = c->next) {
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
      ap_note_t *note = layout_note(flow, c);
      if (!note)
        {
      free(items);
      return false;
    }
      if (!found)
        found = AP_NEW_N(flow->arena, ap_note_t *, nodes);
      found[nfound++] = note;
      snprintf(num, sizeof(num), "%d", note->number);
      it.text = ap_arena_strdup(flow->arena, num);
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
      snprintf(num, sizeof(num), "%d", c->kind == AP_NODE_PAGENUM ? flow->page_number : flow->page_count);
      it.text = ap_arena_strdup(flow->arena, num);
      it.len = strlen(num);
      it.label = true;
      break;
    default:
      continue;
    }

    // One item per face: characters the style's face lacks go to its fallbacks...
    if (it.len && !ap_flow_text_items(flow, face_style, bold, italic, &it, c->loc, &items, &n, &alloc)) {
      free(items);
      return false;
    }
  }

  // Break the lines; a label makes room for itself on the first line...
  const ap_font_t *base = ap_flow_font(flow, style, node->kind == AP_NODE_HEADING && false, false, node->loc);
  if (!base)
    {
      free(items);
      return false;
    }
  double label_w = 0;
  if (label && label->text) {
    label_w = ap_font_measure(label->font, label->text, strlen(label->text), label->size);
    label_w += label->rise > 0 ? 1.5 : ap_font_measure(base, " ", 1, style->size);
  }
  ap_par_config_t cfg = {0};
  cfg.measure = width - style->left_indent;
  cfg.first_indent = (first_segment ? style->first_indent : 0) + label_w;
  cfg.align = style->align == AP_H_CENTER  ? AP_ALIGN_CENTER
              : style->align == AP_H_RIGHT ? AP_ALIGN_RIGHT
              : style->align == AP_H_JUSTIFY ? AP_ALIGN_JUSTIFY
                                             : AP_ALIGN_LEFT;
  cfg.tolerance = 2.0;
  ap_line_t *out = NULL;
  size_t count = 0;
  if (n == 0 && !(label && label->text)) {
    // An empty paragraph still takes one line of its leading...
    static ap_line_t empty;
    out = &empty;
    count = 1;
  } else if (!ap_par_layout_cached(flow->par_cache, flow->arena, items, (size_t)n, &cfg, &out, &count, flow->diags,
                                   node->loc)) {
    {
      free(items);
      return false;
    }
  }
  free(items);
  if (count == 0) {
    static ap_line_t empty;
    out = &empty;
    count = 1;
  }

  // Lines → boxes with baselines; tall marks (Ẫ, Ệ) grow the line...
  ap_font_metrics_t m = ap_font_get_metrics(base, style->size);
  double base_off = (style->leading - (m.ascender - m.descender)) / 2 + m.ascender;
  int total = *nlines + (int)count;
  ap_box_t **grown = AP_NEW_N(flow->arena, ap_box_t *, total);
  ap_note_t ***grown_notes = AP_NEW_N(flow->arena, ap_note_t **, total);
  int *grown_n = AP_NEW_N(flow->arena, int, total);
  if (*nlines) {
    memcpy(grown, *lines, sizeof(ap_box_t *) * (size_t)*nlines);
    memcpy(grown_notes, *line_notes, sizeof(ap_note_t **) * (size_t)*nlines);
    memcpy(grown_n, *line_nnotes, sizeof(int) * (size_t)*nlines);
  }
  for (size_t i = 0; i < count; i++) {
    ap_line_t *ln = &out[i];
    ap_box_t *box = AP_NEW(flow->arena, ap_box_t);
    double ink_top = 0, ymin, ymax;
    box->kind = AP_BOX_LINE;
    box->role = node->kind == AP_NODE_HEADING ? "heading" : "body";
    box->ratio = ln->ratio;
    box->split_word = ln->split_word;
    for (ap_run_t *r = ln->runs; r; r = r->next)
      if (ap_font_get_bounds(r->font, r->text, strlen(r->text), r->size, &ymin, &ymax) && ymax - r->baseline > ink_top)
        ink_top = ymax - r->baseline;
    double off = base_off, h = style->leading;
    if (ink_top > off) {
      h += ink_top - off;
      off = ink_top;
    }
    box->rect.x = 0;
    box->rect.w = width;
    box->rect.h = h;

    // The label stands at the first line's indent, on the line's baseline...
    ap_run_t **tail = &box->runs;
    if (i == 0 && label && label->text) {
      ap_run_t *lr = AP_NEW(flow->arena, ap_run_t);
      lr->x = style->left_indent + (first_segment ? style->first_indent : 0);
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
      r->x += style->left_indent;
      r->baseline += off;
      *tail = r;
      tail = &r->next;
    }
    *tail = NULL;

    // Linked runs get a clickable area each, chained after the line...
    ap_box_t **after = &box->next;
    for (ap_run_t *r = box->runs; r; r = r->next) {
      if (!r->link)
        continue;
      ap_box_t *link = AP_NEW(flow->arena, ap_box_t);
      link->kind = AP_BOX_LINK;
      link->role = "link";
      link->name = r->link[0] == '#' ? r->link + 1 : r->link;
      link->rect.x = r->x;
      link->rect.y = 0;
      link->rect.w = r->width;
      link->rect.h = h;
      link->alt = ap_arena_strdup(flow->job, r->text); // Tagged: its /Contents (the job's: boxes are
                                                         // cloned into fresh arenas as pages go)
      *after = link;
      after = &link->next;
    }

    // Notes whose reference is on this line; each reference run points
    // at its note's element (tagged, it links there)...
    ap_note_t **ln_notes = ln->nmarks ? AP_NEW_N(flow->arena, ap_note_t *, ln->nmarks) : NULL;
    int k = 0;
    for (int j = 0; j < ln->nmarks; j++) {
      ap_note_t *note = find_note(found, nfound, ln->marks[j]);
      if (note)
        ln_notes[k++] = note;
    }
    for (ap_run_t *r = box->runs; r; r = r->next)
      if (r->note > 0) {
        ap_note_t *note = find_note(found, nfound, r->note);
        r->note = note ? note->elem : 0;
      }
    grown[*nlines + (int)i] = box;
    grown_notes[*nlines + (int)i] = ln_notes;
    grown_n[*nlines + (int)i] = k;
  }
  *lines = grown;
  *line_notes = grown_notes;
  *line_nnotes = grown_n;
  *nlines = total;
  return true;
}

// The note of a number among a segment's notes (in rising number order), NULL = none.
static ap_note_t *
find_note(ap_note_t **found, int nfound, int number)
{
  int lo = 0, hi = nfound; // Binary search

  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (found[mid]->number < number)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < nfound && found[lo]->number == number ? found[lo] : NULL;
}

// Number a footnote and lay its paragraphs out at the text width, the
// number raised before the first line.
static ap_note_t *
layout_note(ap_flow_t *flow, const ap_node_t *fn)
{
  ap_note_t *note = AP_NEW(flow->arena, ap_note_t);
  const ap_notes_t *cfg = &flow->doc->notes;
  double y = 0;
  int alloc = 0;

  note->number = ++flow->notes;
  int elem = ++flow->elems; // All its paragraphs are one Note element
  note->elem = elem;
  for (const ap_node_t *p = fn->children; p; p = p->next) {
    label_t label = {0};
    ap_box_t **lines = NULL;
    ap_note_t ***ln_notes;
    int nlines = 0, *ln_n;
    if (p == fn->children) {
      label.text = ap_arena_printf(flow->arena, "%d", note->number);
      label.font = ap_flow_font(flow, cfg->ref_style, false, false, fn->loc);
      label.size = cfg->ref_style->size;
      label.rise = p->style->size * 0.33;
      if (!label.font)
        return NULL;
    }
    if (!lay_lines(flow, p, p->children, NULL, flow->width, &label, p == fn->children, &lines, &nlines,
                   &ln_notes, &ln_n))
      return NULL;

    // Keep each line apart, with its top, for notes that must continue...
    if (note->nlines + nlines > alloc) {
      alloc = (note->nlines + nlines) * 2;
      ap_box_t **l = AP_NEW_N(flow->arena, ap_box_t *, alloc);
      double *t = AP_NEW_N(flow->arena, double, alloc), *h = AP_NEW_N(flow->arena, double, alloc);
      if (note->nlines) {
        memcpy(l, note->lines, sizeof(ap_box_t *) * (size_t)note->nlines);
        memcpy(t, note->tops, sizeof(double) * (size_t)note->nlines);
        memcpy(h, note->heights, sizeof(double) * (size_t)note->nlines);
      }
      note->lines = l, note->tops = t, note->heights = h;
    }
    for (int i = 0; i < nlines; i++) {
      lines[i]->role = "note";
      lines[i]->elem = elem;
      lines[i]->tag = "Note";
      ap_flow_shift(lines[i], 0, y);
      note->lines[note->nlines] = lines[i];
      note->tops[note->nlines] = y;
      note->heights[note->nlines] = lines[i]->rect.h;
      note->nlines++;
      y += lines[i]->rect.h;
    }
    y += p->style->space_after;
  }
  note->height = y;
  return note;
}
