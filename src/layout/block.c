// Blocks in a width: the one dispatcher that lays out any block (a
// paragraph, a list, columns, a rule, an image, a chart, spacing) with the
// layout context alone, stacked one under the other without page breaks.
// Column content, frames, headers and footers are laid out with it, and
// the paginator's unbreakable blocks.
#include "block.h"

#include <string.h>

#include "box.h"
#include "chart/chart.h"

// Blocks being stacked: where the next one goes, and what they hold so far.
typedef struct stacker_s {
  ap_layout_ctx_t *ctx;    // Layout context
  double width;            // Width of the blocks
  double y;                // Top of the next block (the height so far)
  double pending;          // Space after the last paragraph (collapses with the next one's before)
  ap_box_t **tail;         // Where the next box goes
  ap_note_t ***notes;      // Footnotes met so far (the caller's)
  int *nnotes;             // How many
} stacker_t;

static void add_box(stacker_t *s, ap_box_t *box);
static void add_notes(stacker_t *s, ap_note_t **notes, int n);
static bool stack_chart(stacker_t *s, const ap_node_t *b);
static bool stack_columns(stacker_t *s, const ap_node_t *b);
static void stack_image(stacker_t *s, const ap_node_t *b);
static bool stack_paragraphs(stacker_t *s, const ap_node_t *b);
static void stack_rule(stacker_t *s, const ap_node_t *b);
static void stack_sigfield(stacker_t *s, const ap_node_t *b);
static double stacked_width(const stacker_t *s, const ap_node_t *b);
static double stacked_x(const stacker_t *s, const ap_node_t *b, double w);

//
// 'ap_block_stack()' - Stack blocks in a width, without page breaks.
//

double                                     // O - Height of the blocks, -1 on error (recorded)
ap_block_stack(ap_layout_ctx_t *ctx,       // I - Layout context
               const ap_node_t *blocks,    // I - First block (the others follow it)
               double width,               // I - Width, points
               ap_box_t **boxes,           // O - Their boxes, relative to the top-left corner
               ap_note_t ***notes,         // O - Footnotes referenced in them
               int *nnotes)                // O - How many
{
  ap_box_t *first = NULL;
  stacker_t s = {.ctx = ctx, .width = width, .tail = &first, .notes = notes, .nnotes = nnotes};
  bool ok = true;

  *nnotes = 0;
  *notes = NULL;
  for (const ap_node_t *b = blocks; b && ok; b = b->next) {
    switch (b->kind) {
    case AP_NODE_PARA:
    case AP_NODE_HEADING:
    case AP_NODE_LIST:
      ok = stack_paragraphs(&s, b);
      break;
    case AP_NODE_COLUMNS:
      ok = stack_columns(&s, b);
      break;
    case AP_NODE_SPACE:
      s.y += b->height;
      s.pending = 0;
      break;
    case AP_NODE_RULE:
      stack_rule(&s, b);
      break;
    case AP_NODE_CHART:
      ok = stack_chart(&s, b);
      break;
    case AP_NODE_IMAGE:
      stack_image(&s, b);
      break;
    case AP_NODE_SIGFIELD:
      stack_sigfield(&s, b);
      break;
    default:
      break;
    }
  }
  if (!ok)
    return -1;
  *boxes = first;
  return s.y;
}

// Append a chain of boxes.
static void
add_box(stacker_t *s, ap_box_t *box)
{
  *s->tail = box;
  while (*s->tail) // A line may bring link boxes along
    s->tail = &(*s->tail)->next;
}

// Add footnotes to those met so far.
static void
add_notes(stacker_t *s, ap_note_t **notes, int n)
{
  if (!n)
    return;
  ap_note_t **grown = AP_NEW_N(s->ctx->arena, ap_note_t *, *s->nnotes + n);
  if (*s->nnotes)
    memcpy(grown, *s->notes, sizeof(ap_note_t *) * (size_t)*s->nnotes);
  memcpy(grown + *s->nnotes, notes, sizeof(ap_note_t *) * (size_t)n);
  *s->notes = grown;
  *s->nnotes += n;
}

// A chart in the text takes the width (or less) and its given height, centred.
static bool
stack_chart(stacker_t *s, const ap_node_t *b)
{
  ap_rect_t area = {0, s->y, b->spec->fw * s->width + b->spec->w, b->spec->h};

  if (b->spec->fh != 0 || area.h <= 0)
    return ap_fail(s->ctx->diags, b->loc, "a chart in the text needs a height in mm or pt, not a percentage");
  if (area.w > s->width)
    area.w = s->width;
  area.x = (s->width - area.w) / 2;
  if (!ap_chart_layout(s->ctx, b, area, &s->tail))
    return false;
  s->y += area.h;
  s->pending = 0;
  return true;
}

// The baseline of the first line among boxes (relative to their top), or
// -1 when they hold no text.
static double
first_baseline(const ap_box_t *boxes)
{
  for (const ap_box_t *box = boxes; box; box = box->next)
    if (box->kind == AP_BOX_LINE && box->runs)
      return box->runs->baseline;
  return -1;
}

// Columns side by side, each its blocks in its share of the width; the
// block is as tall as the tallest. With align="baseline" the first lines
// of the columns stand on one baseline: columns whose first baseline is
// higher move down to the lowest one.
static bool
stack_columns(stacker_t *s, const ap_node_t *b)
{
  double x = 0, tallest = 0, gap = b->width;
  int ncols = 0;
  bool baseline = b->level == 1;

  for (const ap_node_t *c = b->children; c; c = c->next)
    ncols++;
  double usable = s->width - gap * (ncols - 1);
  if (ncols > 1 && usable <= 0) // The gaps alone fill the line
    return ap_fail(s->ctx->diags, b->loc, "columns: gap=\"%.1fmm\" between %d columns leaves no room on a line "
                   "%.1fmm wide: expected gaps that add up to less than the line", gap / ap_mm(1), ncols,
                   s->width / ap_mm(1));
  ap_box_t **cboxes = AP_NEW_N(s->ctx->arena, ap_box_t *, ncols ? ncols : 1);
  double *heights = AP_NEW_N(s->ctx->arena, double, ncols ? ncols : 1);
  double *bases = AP_NEW_N(s->ctx->arena, double, ncols ? ncols : 1), lowest = -1;
  int i = 0;
  for (const ap_node_t *c = b->children; c; c = c->next, i++) {
    ap_note_t **cnotes;
    int cn;
    heights[i] = ap_block_stack(s->ctx, c->children, usable * c->width, &cboxes[i], &cnotes, &cn);
    if (heights[i] < 0)
      return false;
    add_notes(s, cnotes, cn);
    bases[i] = baseline ? first_baseline(cboxes[i]) : -1;
    if (bases[i] > lowest)
      lowest = bases[i];
  }
  i = 0;
  for (const ap_node_t *c = b->children; c; c = c->next, i++) {
    double down = bases[i] >= 0 ? lowest - bases[i] : 0; // (0 unless aligned on the baseline)
    ap_box_shift(cboxes[i], x, s->y + down);
    add_box(s, cboxes[i]);
    if (heights[i] + down > tallest)
      tallest = heights[i] + down;
    x += usable * c->width + gap;
  }
  s->y += tallest;
  s->pending = 0;
  return true;
}

// An image at its size, aligned in the width.
static void
stack_image(stacker_t *s, const ap_node_t *b)
{
  ap_box_t *box = AP_NEW(s->ctx->arena, ap_box_t);

  box->kind = AP_BOX_IMAGE;
  box->role = "image";
  box->name = b->text;
  box->alt = b->alt && *b->alt ? b->alt : NULL;
  box->tag = b->alt && !*b->alt ? "Artifact" : NULL; // alt="": decoration
  box->rect.w = b->width;
  box->rect.h = b->height;
  box->rect.x = b->align == AP_H_CENTER ? (s->width - b->width) / 2 : b->align == AP_H_RIGHT ? s->width - b->width : 0;
  box->rect.y = s->y;
  s->y += b->height;
  s->pending = 0;
  add_box(s, box);
}

// A paragraph or heading, or a list (its items, each a paragraph in the
// list's style, an LI of its L): line under line, the space between
// paragraphs the larger of the one's after and the next's before.
static bool
stack_paragraphs(stacker_t *s, const ap_node_t *b)
{
  ap_layout_ctx_t *ctx = s->ctx;
  const ap_node_t *one = b->kind == AP_NODE_LIST ? b->children : b;
  const ap_struct_t *list = b->kind == AP_NODE_LIST ? ap_struct_new(ctx, "L", NULL) : NULL; // Its L

  for (; one; one = b->kind == AP_NODE_LIST ? one->next : NULL) {
    ap_lines_t lines;
    if (!ap_text_paragraph(ctx, one, s->width, &lines))
      return false;
    if (list)
      ap_struct_tag_item(ctx, list, one, lines.boxes, lines.n);
    double before = one->style->space_before * ctx->scale;
    s->y += s->y > 0 ? (s->pending > before ? s->pending : before) : 0;
    for (int i = 0; i < lines.n; i++) {
      ap_box_shift(lines.boxes[i], 0, s->y);
      s->y += lines.boxes[i]->rect.h;
      add_box(s, lines.boxes[i]);
      add_notes(s, lines.notes[i], lines.nnotes[i]);
    }
    s->pending = one->style->space_after * ctx->scale;
  }
  return true;
}

// A horizontal rule, its width or the line's, aligned.
static void
stack_rule(stacker_t *s, const ap_node_t *b)
{
  double w = stacked_width(s, b);
  ap_box_t *box = AP_NEW(s->ctx->arena, ap_box_t);

  box->kind = AP_BOX_RULE;
  box->role = "rule";
  box->stroke = b->stroke;
  box->rect.x = stacked_x(s, b, w);
  box->rect.y = s->y + 2 + b->stroke / 2;
  box->rect.w = w;
  s->y += 4 + b->stroke;
  s->pending = 0;
  add_box(s, box);
}

// The width of a rule or field: its own when narrower than the line, else the line's.
static double
stacked_width(const stacker_t *s, const ap_node_t *b)
{
  return b->width > 0 && b->width < s->width ? b->width : s->width;
}

// Where a rule or field of width w starts on the line, as its align= says.
static double
stacked_x(const stacker_t *s, const ap_node_t *b, double w)
{
  return b->align == AP_H_CENTER ? (s->width - w) / 2 : b->align == AP_H_RIGHT ? s->width - w : 0;
}

// A signature field: its width (or the line's) and height, aligned; it
// paints nothing, render makes its widget over the box.
static void
stack_sigfield(stacker_t *s, const ap_node_t *b)
{
  double w = stacked_width(s, b);
  ap_box_t *box = AP_NEW(s->ctx->arena, ap_box_t);

  box->kind = AP_BOX_SIGFIELD;
  box->role = "signature";
  box->name = b->text;
  box->rect.x = stacked_x(s, b, w);
  box->rect.y = s->y;
  box->rect.w = w;
  box->rect.h = b->height;
  s->y += b->height;
  s->pending = 0;
  add_box(s, box);
}
