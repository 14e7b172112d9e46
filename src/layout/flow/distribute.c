// Distribute: flow items → the next page. A greedy fill that backs up to the
// last item before which a break is allowed (widows, orphans, headings kept
// with what follows), counting each line's footnotes on the same page. A
// note that cannot fit on the page of its reference starts there and
// continues at the foot of the next page, as word processors do. Items are
// collected only as far as the page needs, and released once it is written.
#include "flow.h"

#include <stdlib.h>
#include <string.h>

typedef struct filler_s {
  ap_flow_t *flow;         // Flow
  ap_piece_t *pieces;      // Pieces of the page being filled
  int npieces, alloc;      // Used and allocated
  double notes;            // Height of its notes, separator included
} filler_t;

typedef struct mover_s {
  ap_arena_t *to;          // The fresh arena (notes already moved point to their copy: ap_note_t.moved)
} mover_t;

static void add_piece(filler_t *f, ap_note_t *note, int first, int count);
static int lines_that_fit(const ap_note_t *note, int first, double room);
static ap_note_t *move_note(mover_t *m, ap_note_t *note, int first);
static void record_dests(ap_flow_t *flow, int end);

#define SEPARATOR(flow) ((flow)->doc->notes.gap + 4) // Space taken by the rule above the notes

//
// 'ap_flow_next_page()' - Plan the next page.
//

bool
ap_flow_next_page(ap_flow_t *flow, ap_plan_t *plan)
{
  filler_t f = {flow, NULL, 0, 0, 0};
  ap_piece_t *carry = flow->carry;
  int carried = flow->ncarry, ncarry = 0;

  memset(plan, 0, sizeof(*plan));
  if (!flow->ncarry && !ap_flow_need(flow, 0)) {
    if (flow->diags->errors || flow->pages > 0)
      return false;
    flow->pages++; // An empty document still has a page
    return true;
  }

  // A page of its own (a slide, a handout page) is a plan alone...
  if (!carried && flow->items[0].kind == AP_ITEM_PAGE) {
    plan->start = 0;
    plan->end = 1;
    flow->pages++;
    record_dests(flow, 1);
    return true;
  }
  const ap_master_t *pm = flow->cur ? flow->cur : flow->pages == 0 ? flow->doc->first_master : flow->doc->master;
  double avail = pm->height - pm->top - pm->bottom, used = 0;
  int i = 0, end;

  // A table continued here repeats its header rows first...
  if (flow->nitems > 0 && flow->items[0].head)
    used += flow->items[0].head->height;

  // Continued notes come first, as much of them as the page holds...
  flow->ncarry = 0;
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
  for (; !ncarry && ap_flow_need(flow, i); i++) {
    const ap_item_t *it = &flow->items[i];
    if (it->kind == AP_ITEM_BREAK) {
      if (it->master) // The pages after it take another template
        flow->cur = it->master;
      i++;
      break;
    }
    if (it->kind == AP_ITEM_PAGE) // Ends the page being filled
      break;
    double before = i == 0 ? 0 : it->space_before;
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
    bool may_end = !ap_flow_need(flow, i + 1) || flow->items[i + 1].break_ok;
    it = &flow->items[i]; // (collecting may have moved the items)
    double room = avail - used - before - it->height - f.notes - sep;
    if (it->nnotes && room > 0 && (may_end || i == 0) && lines_that_fit(it->notes[0], 0, room) > 0) {
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
    if (i == 0) { // Alone on an empty page and still too tall: place it anyway
      used += it->height;
      for (int k = 0; k < it->nnotes; k++)
        add_piece(&f, it->notes[k], 0, it->notes[k]->nlines);
      i++;
    }
    break;
  }
  if (flow->diags->errors)
    return false;
  end = i;

  // ...then back up to an allowed break (unless the page would be empty).
  if (!ncarry && end > 0 && ap_flow_need(flow, end) && flow->items[end - 1].kind != AP_ITEM_BREAK &&
      flow->items[end].kind != AP_ITEM_PAGE && !flow->items[end].break_ok) {
    int j = end;
    while (j > 1 && !flow->items[j].break_ok)
      j--;
    if (flow->items[j].break_ok && j > 0) {
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
  flow->ncarry = ncarry;
  *plan = (ap_plan_t){flow->cur ? pm : NULL, 0, end, f.pieces, f.npieces};
  flow->pages++;
  record_dests(flow, end);
  return true;
}

//
// 'ap_flow_release()' - Forget the items of a written page.
//

void
ap_flow_release(ap_flow_t *flow, int end)
{
  if (flow->keep_all) {
    // The caller keeps every page: only the window moves (not past
    // nothing: an empty body has no items, and NULL + 0 is undefined)...
    if (end > 0)
      flow->items += end;
    flow->nitems -= end;
    flow->alloc -= end;
    return;
  }

  // What is left (items of the next pages, continued notes) moves to a
  // fresh arena, with the text of its runs; the old arena goes...
  mover_t m = {ap_arena_create()};
  int left = flow->nitems - end, cap = left > 128 ? left * 2 : 256;
  ap_item_t *items = AP_NEW_N(m.to, ap_item_t, cap);
  for (int i = 0; i < left; i++) {
    items[i] = flow->items[end + i];
    items[i].boxes = ap_flow_clone(m.to, items[i].boxes);
    if (items[i].nnotes) {
      ap_note_t **notes = AP_NEW_N(m.to, ap_note_t *, items[i].nnotes);
      for (int k = 0; k < items[i].nnotes; k++)
        notes[k] = move_note(&m, items[i].notes[k], 0);
      items[i].notes = notes;
    }
  }
  for (int k = 0; k < flow->ncarry; k++)
    flow->carry[k].note = move_note(&m, flow->carry[k].note, flow->carry[k].first);
  ap_arena_destroy(flow->arena);
  flow->arena = m.to;
  flow->items = items;
  flow->nitems = left;
  flow->alloc = cap;
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

// A note in the fresh arena (once, however many items and pieces share it);
// lines before first are on pages already written (and chained into them).
static ap_note_t *
move_note(mover_t *m, ap_note_t *note, int first)
{
  if (note->moved)
    return note->moved;
  ap_note_t *copy = AP_NEW(m->to, ap_note_t);
  *copy = *note;
  copy->moved = NULL;
  note->moved = copy; // The old note goes with its arena
  copy->lines = AP_NEW_N(m->to, ap_box_t *, note->nlines + 1);
  copy->tops = AP_NEW_N(m->to, double, note->nlines + 1);
  copy->heights = AP_NEW_N(m->to, double, note->nlines + 1);
  for (int k = 0; k < note->nlines; k++) {
    copy->lines[k] = k >= first ? ap_flow_clone(m->to, note->lines[k]) : NULL;
    copy->tops[k] = note->tops[k];
    copy->heights[k] = note->heights[k];
  }
  return copy;
}

// The first pass writes down where each heading landed (TOC numbers).
static void
record_dests(ap_flow_t *flow, int end)
{
  ap_pagemap_t *map = flow->record;
  if (!map)
    return;
  map->count = flow->pages;
  for (int i = 0; i < end; i++)
    for (const ap_box_t *b = flow->items[i].boxes; b; b = b->next)
      if (b->kind == AP_BOX_DEST && b->name) {
        if (map->n == map->alloc) {
          map->alloc = map->alloc ? map->alloc * 2 : 64;
          map->ids = realloc(map->ids, sizeof(char *) * (size_t)map->alloc);
          map->pages = realloc(map->pages, sizeof(int) * (size_t)map->alloc);
        }
        map->ids[map->n] = b->name;
        map->pages[map->n++] = flow->pages;
      }
}
