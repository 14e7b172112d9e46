// Finalize: chosen lines → positioned runs. Justified lines are stretched or
// shrunk to the measure by placing every word piece; other lines (and the
// last line) keep natural spacing, and there words of one style share a run.
#include "text-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

// State of finalization: the paragraph, the line being built and its open run.
typedef struct ap_finalizer_s {
  ap_par_t *par;             // Paragraph
  ap_arena_t *arena;         // Owner of lines, runs and texts
  ap_line_t *line;           // Line being built
  ap_run_t *last;            // Last run of that line
  char *text;                // Text of the open run
  size_t ntext, text_cap;    // Used and allocated bytes
  int *marks;                // Marks of the line
  size_t nmarks, marks_cap;  // Used and allocated marks
  size_t mark_item;          // Item of the last mark recorded on the line
  size_t run_item;           // Item giving the open run its style (AP_PAR_NONE: no run open)
  int32_t run_top;           // Highest ink of the open run's glyphs, font units (INT32_MIN: none)
  double run_x, run_end;     // Left and right edges of the open run
} ap_finalizer_t;

static void add_text(ap_finalizer_t *fin, const char *text, size_t len);
static void close_run(ap_finalizer_t *fin);
static void finalize_line(ap_finalizer_t *fin, size_t index);
static bool is_same_style(const ap_par_t *par, size_t a, size_t b);
static void top_at_least(ap_finalizer_t *fin, int32_t top);

//
// 'ap_par_finalize()' - Turn the chosen spans into lines of positioned runs.
//

void
ap_par_finalize(ap_par_t *par,       // I - Paragraph with its spans
                ap_arena_t *arena,   // I - Owner of the lines
                ap_line_t **lines,   // O - Lines (NULL when none)
                size_t *nlines)      // O - Number of lines
{
  ap_finalizer_t fin; // Finalizer
  size_t i;           // Looping var

  memset(&fin, 0, sizeof(fin));
  fin.text = ap_scratch_take(AP_SCRATCH_TEXT, &fin.text_cap);
  fin.marks = ap_scratch_take(AP_SCRATCH_MARKS, &fin.marks_cap);
  fin.par = par;
  fin.arena = arena;
  *lines = par->nspans ? AP_NEW_N(arena, ap_line_t, par->nspans) : NULL;
  *nlines = par->nspans;
  for (i = 0; i < par->nspans; i++) {
    fin.line = *lines + i;
    finalize_line(&fin, i);
  }
  ap_scratch_give(AP_SCRATCH_TEXT, fin.text, fin.text_cap, 1);
  ap_scratch_give(AP_SCRATCH_MARKS, fin.marks, fin.marks_cap, sizeof(int));
}

// Append bytes to the open run's text.
static void
add_text(ap_finalizer_t *fin, const char *text, size_t len)
{
  fin->text = ap_par_grow(fin->text, &fin->text_cap, fin->ntext + len + 1, 1);
  memcpy(fin->text + fin->ntext, text, len);
  fin->ntext += len;
}

// Close the open run: give it to the line and grow the line's extent.
static void
close_run(ap_finalizer_t *fin)
{
  const ap_inline_t *item;  // Style of the run
  ap_line_t *line = fin->line; // Line
  ap_font_metrics_t m;      // Vertical metrics
  ap_run_t *run;            // New run
  double ascent, descent;   // Extent of the run around the line's baseline

  if (fin->run_item == AP_PAR_NONE)
    return;
  item = fin->par->items + fin->run_item;
  run = AP_NEW(fin->arena, ap_run_t);
  run->x = fin->run_x;
  run->baseline = item->rise != 0 ? -item->rise : 0;
  run->width = fin->run_end - fin->run_x;
  run->font = item->font;
  run->size = item->size;
  run->color = item->color;
  run->underline = item->underline;
  run->label = item->label;
  run->link = item->link;
  run->lang = item->lang;
  run->note = item->mark; // (its number; paragraph setting makes it the note's element)
  run->text = ap_arena_strndup(fin->arena, fin->text, fin->ntext);

  // ...its ink may rise above the line (stacked marks: Ẫ, Ệ)...
  if (fin->run_top != INT32_MIN) {
    double above = ap_font_top_at(item->font, fin->run_top, item->size) - run->baseline;
    if (above > line->ink_top)
      line->ink_top = above;
  }

  // Raised runs raise the line's ascent, lowered ones its descent...
  m = ap_font_get_metrics(item->font, item->size);
  ascent = m.ascender + item->rise;
  descent = -m.descender - item->rise;
  if (!line->runs || ascent > line->ascent)
    line->ascent = ascent;
  if (!line->runs || descent > line->descent)
    line->descent = descent;

  if (fin->last)
    fin->last->next = run;
  else
    line->runs = run;
  fin->last = run;
  line->width = run->x + run->width;
  fin->run_item = AP_PAR_NONE;
  fin->ntext = 0;
}

// Build line number index: ratio, x of every word piece, runs, marks.
static void
finalize_line(ap_finalizer_t *fin, size_t index)
{
  ap_par_t *par = fin->par;                      // Paragraph
  const ap_par_config_t *config = par->config;   // Measure, indent, alignment
  ap_span_t span = par->spans[index];            // Elements of the line
  bool last = span.end + 1 == par->nelems;       // The paragraph's last line
  bool justify = config->align == AP_ALIGN_JUSTIFY && !last; // Fill the measure
  double avail = ap_par_line_width(par, index);  // Width to fill
  double width = 0, stretch = 0, shrink = 0;     // Natural width, stretch, shrink
  double ratio = 0, x;                           // Adjustment ratio, pen position
  size_t end = span.end, k;                      // End of the line's content, looping var
  size_t glue = AP_PAR_NONE;                     // Glue since the last box (its item)
  bool glued = false;                            // Glue since the last box

  fin->last = NULL;
  fin->nmarks = 0;
  fin->mark_item = AP_PAR_NONE;
  fin->run_item = AP_PAR_NONE;
  fin->ntext = 0;
  fin->line->ink_top = 0;

  // Drop what trails the last box, then measure...
  while (end > span.start && par->elems[end - 1].kind != AP_ELEM_BOX)
    end--;
  for (k = span.start; k < end; k++) {
    if (par->elems[k].kind != AP_ELEM_PENALTY) {
      width += par->elems[k].width;
      stretch += par->elems[k].stretch;
      shrink += par->elems[k].shrink;
    }
  }

  // Justified lines take the ratio that fills the measure...
  if (justify && width < avail && stretch > 0)
    ratio = (avail - width) / stretch;
  else if (justify && width > avail && shrink > 0)
    ratio = fmax(-1, (avail - width) / shrink);
  x = index == 0 ? config->first_indent : 0;
  if (config->align == AP_ALIGN_CENTER && width < avail)
    x += (avail - width) / 2;
  else if (config->align == AP_ALIGN_RIGHT && width < avail)
    x += avail - width;

  // Place the boxes: runs join pieces of one style, across glue only at natural spacing...
  for (k = span.start; k < end; k++) {
    const ap_elem_t *e = par->elems + k; // Element

    if (e->kind == AP_ELEM_GLUE) {
      x += e->width + (ratio > 0 ? ratio * e->stretch : ratio * e->shrink);
      glue = e->item;
      glued = true;
    } else if (e->kind == AP_ELEM_BOX) {
      const ap_inline_t *item = par->items + e->item; // Item of the box

      if (fin->run_item != AP_PAR_NONE && is_same_style(par, fin->run_item, e->item) &&
          (!glued || (!justify && is_same_style(par, fin->run_item, glue)))) {
        if (glued) {
          add_text(fin, " ", 1);
          top_at_least(fin, ap_font_glyph_top(item->font, ap_font_get_glyph(item->font, ' ')));
        }
      } else {
        close_run(fin);
        fin->run_item = e->item;
        fin->run_x = x;
        fin->run_top = INT32_MIN;
      }
      add_text(fin, item->text + e->offset, e->len);
      top_at_least(fin, e->top);
      x += e->width;
      fin->run_end = x;
      glued = false;
      if (item->mark > 0 && fin->mark_item != e->item) {
        fin->marks = ap_par_grow(fin->marks, &fin->marks_cap, fin->nmarks + 1, sizeof(int));
        fin->marks[fin->nmarks++] = item->mark;
        fin->mark_item = e->item;
      }
    }
  }
  close_run(fin);

  fin->line->ratio = ratio;
  fin->line->split_word = !last && par->elems[span.end].kind == AP_ELEM_PENALTY;
  fin->line->nmarks = (int)fin->nmarks;
  if (fin->nmarks) {
    fin->line->marks = AP_NEW_N(fin->arena, int, fin->nmarks);
    memcpy(fin->line->marks, fin->marks, fin->nmarks * sizeof(int));
  }
}

// Raise the open run's ink top to top (font units) if it is higher.
static void
top_at_least(ap_finalizer_t *fin, int32_t top)
{
  if (top > fin->run_top)
    fin->run_top = top;
}

// True when two items share every style field, so their text can share a run.
static bool
is_same_style(const ap_par_t *par, size_t a, size_t b)
{
  const ap_inline_t *x, *y; // The two items

  if (a == b)
    return true;
  if (a == AP_PAR_NONE || b == AP_PAR_NONE)
    return false;
  x = par->items + a;
  y = par->items + b;
  return x->font == y->font && x->size == y->size && x->color.r == y->color.r &&
         x->color.g == y->color.g && x->color.b == y->color.b &&
         x->underline == y->underline && x->rise == y->rise && x->mark == y->mark &&
         x->label == y->label && x->link == y->link && x->lang == y->lang;
}
