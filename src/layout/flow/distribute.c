// Distribute: flow items → pages. A greedy fill that backs up to the last
// item before which a break is allowed (widows, orphans, headings kept with
// what follows), counting each line's footnotes on the same page. A note
// that cannot fit on the page of its reference starts there and continues
// at the foot of the next page, as word processors do.
#include "flow.h"

#include <string.h>

typedef struct filler_s {
  ap_flow_t *flow;         // Flow
  ap_piece_t *pieces;      // Pieces of the page being filled
  int npieces, alloc;      // Used and allocated
  double notes;            // Height of its notes, separator included
} filler_t;

static void add_piece(filler_t *f, ap_note_t *note, int first, int count);
static int lines_that_fit(const ap_note_t *note, int first, double room);

#define SEPARATOR(flow) ((flow)->doc->notes.gap + 4) // Space taken by the rule above the notes

//
// 'ap_flow_distribute()' - Split the items and their notes into pages.
//

bool
ap_flow_distribute(ap_flow_t *flow, ap_plan_t **plans, int *npages)
{
  int cap = 64, n = 0;
  ap_plan_t *out = AP_NEW_N(flow->arena, ap_plan_t, cap);
  ap_piece_t carry[64];    // Lines of notes continued from the previous page
  const ap_master_t *cur = NULL; // Template set by the last <page-break page=…> (NULL: the body's)
  int ncarry = 0;
  int start = 0;           // First item of the page being filled

  while (start < flow->nitems || ncarry || n == 0) {
    filler_t f = {flow, NULL, 0, 0, 0};

    // A page of its own (a slide, a handout page) is a plan alone...
    if (!ncarry && start < flow->nitems && flow->items[start].kind == AP_ITEM_PAGE) {
      if (n == cap) {
        ap_plan_t *grown = AP_NEW_N(flow->arena, ap_plan_t, cap * 2);
        memcpy(grown, out, sizeof(ap_plan_t) * (size_t)cap);
        out = grown;
        cap *= 2;
      }
      out[n++] = (ap_plan_t){NULL, start, start + 1, NULL, 0};
      start++;
      if (start >= flow->nitems)
        break;
      continue;
    }
    const ap_master_t *pm = cur ? cur : n == 0 ? flow->doc->first_master : flow->doc->master;
    double avail = pm->height - pm->top - pm->bottom, used = 0;
    int i = start, end;

    // A table continued here repeats its header rows first...
    if (start < flow->nitems && flow->items[start].head)
      used += flow->items[start].head->height;

    // Continued notes come first, as much of them as the page holds...
    int carried = ncarry;
    ncarry = 0;
    for (int k = 0; k < carried; k++) {
      ap_piece_t c = carry[k];
      double room = avail - f.notes - (f.npieces ? 0 : SEPARATOR(flow));
      int fit = ncarry ? 0 : lines_that_fit(c.note, c.first, room);
      if (fit > c.count)
        fit = c.count;
      if (fit)
        add_piece(&f, c.note, c.first, fit);
      if (fit < c.count && ncarry < 64)
        carry[ncarry++] = (ap_piece_t){c.note, c.first + fit, c.count - fit};
    }

    // Fill until an item does not fit...
    for (; i < flow->nitems && !ncarry; i++) {
      const ap_item_t *it = &flow->items[i];
      if (it->kind == AP_ITEM_BREAK) {
        if (it->master) // The pages after it take another template
          cur = it->master;
        i++;
        break;
      }
      if (it->kind == AP_ITEM_PAGE) // Ends the page being filled
        break;
      double before = i == start ? 0 : it->space_before;
      double nh = 0;
      for (int k = 0; k < it->nnotes; k++)
        nh += it->notes[k]->height;
      double sep = !f.npieces && nh > 0 ? SEPARATOR(flow) : 0;
      if (used + before + it->height + f.notes + nh + sep <= avail + 0.001) {
        used += before + it->height;
        for (int k = 0; k < it->nnotes; k++)
          add_piece(&f, it->notes[k], 0, it->notes[k]->nlines);
        continue;
      }

      // The line fits but its notes do not: start them here, continue them
      // on the next page (when a page break may follow this line)...
      bool may_end = i + 1 >= flow->nitems || flow->items[i + 1].break_ok;
      double room = avail - used - before - it->height - f.notes - sep;
      if (it->nnotes && room > 0 && (may_end || i == start) &&
          lines_that_fit(it->notes[0], 0, room) > 0) {
        used += before + it->height;
        for (int k = 0; k < it->nnotes; k++) {
          ap_note_t *note = it->notes[k];
          int fit = ncarry ? 0 : lines_that_fit(note, 0, room);
          if (fit > note->nlines)
            fit = note->nlines;
          if (fit) {
            add_piece(&f, note, 0, fit);
            room -= ap_note_height(note, 0, fit);
          }
          if (fit < note->nlines && ncarry < 64)
            carry[ncarry++] = (ap_piece_t){note, fit, note->nlines - fit};
        }
        i++;
        break;
      }
      if (i == start) { // Alone on an empty page and still too tall: place it anyway
        used += it->height;
        for (int k = 0; k < it->nnotes; k++)
          add_piece(&f, it->notes[k], 0, it->notes[k]->nlines);
        i++;
      }
      break;
    }
    end = i;

    // ...then back up to an allowed break (unless the page would be empty).
    if (!ncarry && end < flow->nitems && end > start && flow->items[end - 1].kind != AP_ITEM_BREAK &&
        flow->items[end].kind != AP_ITEM_PAGE &&
        !flow->items[end].break_ok) {
      int j = end;
      while (j > start + 1 && !flow->items[j].break_ok)
        j--;
      if (flow->items[j].break_ok && j > start) {
        // Drop the pieces of the items moved to the next page...
        for (int k = j; k < end; k++)
          for (int m = 0; m < flow->items[k].nnotes; m++)
            for (int p = 0; p < f.npieces; p++)
              if (f.pieces[p].note == flow->items[k].notes[m]) {
                memmove(&f.pieces[p], &f.pieces[p + 1], sizeof(ap_piece_t) * (size_t)(f.npieces - p - 1));
                f.npieces--;
                break;
              }
        end = j;
      }
    }
    if (n == cap) {
      ap_plan_t *grown = AP_NEW_N(flow->arena, ap_plan_t, cap * 2);
      memcpy(grown, out, sizeof(ap_plan_t) * (size_t)cap);
      out = grown;
      cap *= 2;
    }
    out[n++] = (ap_plan_t){cur ? pm : NULL, start, end, f.pieces, f.npieces};
    start = end;
    if (start >= flow->nitems && !ncarry)
      break;
  }
  *plans = out;
  *npages = n;
  return true;
}

//
// 'ap_note_height()' - Height of a run of a note's lines.
//

double
ap_note_height(const ap_note_t *note, int first, int count)
{
  if (count <= 0)
    return 0;
  // A piece that ends the note takes the space after it too...
  if (first + count >= note->nlines)
    return note->height - note->tops[first];
  int last = first + count - 1;
  return note->tops[last] + note->heights[last] - note->tops[first];
}

// Record a piece on the page being filled.
static void
add_piece(filler_t *f, ap_note_t *note, int first, int count)
{
  if (f->npieces == f->alloc) {
    int cap = f->alloc ? f->alloc * 2 : 8;
    ap_piece_t *grown = AP_NEW_N(f->flow->arena, ap_piece_t, cap);
    if (f->npieces)
      memcpy(grown, f->pieces, sizeof(ap_piece_t) * (size_t)f->npieces);
    f->pieces = grown;
    f->alloc = cap;
  }
  if (!f->npieces)
    f->notes += SEPARATOR(f->flow);
  f->pieces[f->npieces++] = (ap_piece_t){note, first, count};
  f->notes += ap_note_height(note, first, count);
}

// How many lines of a note, from first on, fit in room.
static int
lines_that_fit(const ap_note_t *note, int first, double room)
{
  int k = 0;
  while (first + k < note->nlines && ap_note_height(note, first, k + 1) <= room + 0.001)
    k++;
  return k;
}

