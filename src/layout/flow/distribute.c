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
  double avail;            // Height of its text area
  double used;             // Height its items take so far
  int ncarry;              // Pieces continued on the next page so far (flow->carry[0, ncarry))
  int number;              // The page's number (as printed)
  bool first;              // It takes the body's first-page template (page 1, or the first after a restart)
} filler_t;

typedef struct mover_s {
  ap_arena_t *to;          // The fresh arena (notes already moved point to their copy: ap_note_t.moved)
  const ap_struct_t **olds; // Structure elements of the page's arena moved (table rows and cells)…
  ap_struct_t **news;      // …and their copies (in to)
  int nmoved, amoved;      // How many, room
} mover_t;

static void add_notes(filler_t *f, const ap_item_t *it);
static void add_piece(filler_t *f, ap_note_t *note, int first, int count);
static int back_up(filler_t *f, int end);
static void carry_piece(filler_t *f, ap_note_t *note, int first, int count);
static void apply_break(ap_flow_t *flow, const ap_item_t *it, int page);
static bool close_page(filler_t *f, ap_plan_t *plan, const ap_master_t *master, int end);
static int end_at(filler_t *f, int i, double before, double sep);
static int fill_items(filler_t *f);
static int lines_that_fit(const ap_note_t *note, int first, double room);
static ap_note_t *move_note(mover_t *m, ap_note_t *note, int first);
static void move_elements(mover_t *m, ap_box_t *boxes);
static const ap_struct_t *move_element(mover_t *m, const ap_struct_t *s);
static ap_struct_t *copy_elements(mover_t *m, const ap_struct_t *s, const ap_struct_t *up);
static void place_carried(filler_t *f, int carried);
static bool record_dests(ap_flow_t *flow, int end, int number);
static void slide_window(ap_flow_t *flow, int end);
static void split_notes(filler_t *f, const ap_item_t *it, double room);

#define SEPARATOR(flow) ((flow)->ctx.doc->notes.gap + 4) // Space taken by the rule above the notes

//
// 'ap_flow_next_page()' - Plan the next page.
//
// The recipe: the notes continued from the previous page, then the items
// while they fit with their notes, then back to an allowed break.
//

bool                                   // O - `true` with a plan, `false` when nothing is left or on error (recorded)
ap_flow_next_page(ap_flow_t  *flow,    // I - Flow
                  ap_plan_t  *plan)    // O - The page's items and note pieces
{
  filler_t f = {flow, NULL, 0, 0, 0, 0, 0, 0, 0, false};
  int carried = flow->ncarry;          // Pieces continued from the previous page

  // A forced break that would open the page (after a page of its own, or a
  // page the text filled) makes no empty page: it only sets this page's
  // template and number...
  while (!carried && ap_flow_need(flow, 0) && flow->items.at[0].kind == AP_ITEM_BREAK) {
    apply_break(flow, &flow->items.at[0], flow->pages);
    slide_window(flow, 1);
  }

  // Its number and template, as the body or the last restart set them...
  f.number = flow->pages - flow->origin + (flow->start ? flow->start : 1);
  f.first = flow->pages == flow->first_at;

  // Nothing left: done (an empty document still has a page)...
  memset(plan, 0, sizeof(*plan));
  if (!carried && !ap_flow_need(flow, 0)) {
    if (flow->ctx.diags->errors || flow->pages > 0)
      return false;
    flow->pages++;
    plan->number = f.number;
    plan->first = f.first;
    return true;
  }

  // A page of its own (a slide, a handout page) is a plan alone...
  if (!carried && flow->items.at[0].kind == AP_ITEM_PAGE)
    return close_page(&f, plan, NULL, 1);

  // The page's text area, less the header rows a table continued here repeats...
  const ap_master_t *pm = flow->cur ? flow->cur : f.first ? flow->ctx.doc->first_master : flow->ctx.doc->master;
  f.avail = pm->height - pm->top - pm->bottom;
  if (flow->items.n > 0 && flow->items.at[0].head)
    f.used += flow->items.at[0].head->height;

  // Continued notes come first, then the items while they fit...
  flow->ncarry = 0;
  place_carried(&f, carried);
  int end = fill_items(&f);
  if (flow->ctx.diags->errors)
    return false;

  // ...then back up to an allowed break (the plan names its template once a
  // <page-break page=…> has set one)...
  end = back_up(&f, end);
  return close_page(&f, plan, flow->cur ? pm : NULL, end);
}

//
// 'ap_flow_release()' - Forget the items of a written page.
//

void
ap_flow_release(ap_flow_t *flow,       // I - Flow
                int        end)        // I - End of the written page's items
{
  // The caller keeps every page: only the window moves...
  if (flow->keep_all) {
    slide_window(flow, end);
    return;
  }

  // What is left (items of the next pages, continued notes) moves to a
  // fresh arena, with the text of its runs; the old arena goes (and stays,
  // when there is no memory for a new one: the job fails)...
  mover_t m = {.to = ap_arena_create()};
  if (!m.to) {
    ap_fail(flow->ctx.diags, flow->ctx.doc->body->loc, "out of memory");
    slide_window(flow, end);
    return;
  }
  int left = flow->items.n - end, cap = left > 128 ? left * 2 : 256;
  ap_item_t *items = AP_NEW_N(m.to, ap_item_t, cap);
  for (int i = 0; i < left; i++) {
    items[i] = flow->items.at[end + i];
    items[i].boxes = ap_box_clone(m.to, items[i].boxes);
    move_elements(&m, items[i].boxes);
    if (items[i].nnotes) {
      ap_note_t **notes = AP_NEW_N(m.to, ap_note_t *, items[i].nnotes);
      for (int k = 0; k < items[i].nnotes; k++)
        notes[k] = move_note(&m, items[i].notes[k], 0);
      items[i].notes = notes;
    }
  }
  for (int k = 0; k < flow->ncarry; k++)
    flow->carry[k].note = move_note(&m, flow->carry[k].note, flow->carry[k].first);
  if (flow->retire)
    flow->retire(flow->retire_ctx, flow->ctx.arena);
  else
    ap_arena_destroy(flow->ctx.arena);
  flow->ctx.arena = m.to;
  flow->items.at = items;
  flow->items.n = left;
  flow->items.alloc = cap;
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

// Place all the notes of an item, whole.
static void
add_notes(filler_t *f, const ap_item_t *it)
{
  for (int k = 0; k < it->nnotes; k++)
    add_piece(f, it->notes[k], 0, it->notes[k]->nlines);
}

// Record a piece on the page being filled.
static void
add_piece(filler_t *f, ap_note_t *note, int first, int count)
{
  if (f->npieces == f->alloc) {
    int cap = f->alloc ? f->alloc * 2 : 8;
    ap_piece_t *grown = AP_NEW_N(f->flow->ctx.arena, ap_piece_t, cap);
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

// The page's end moved back to the last item before which a break is
// allowed, when the break falls where it is not (unless the page would be
// empty, or notes continue from its last item); the notes of the items
// moved to the next page leave it.
static int
back_up(filler_t *f, int end)
{
  ap_flow_t *flow = f->flow;

  if (f->ncarry || end == 0 || !ap_flow_need(flow, end) || flow->items.at[end - 1].kind == AP_ITEM_BREAK ||
      flow->items.at[end].kind == AP_ITEM_PAGE || flow->items.at[end].break_ok)
    return end;
  int j = end;
  while (j > 1 && !flow->items.at[j].break_ok)
    j--;
  if (!flow->items.at[j].break_ok || j == 0)
    return end;

  // Drop the pieces of the items moved to the next page...
  for (int k = j; k < end; k++)
    for (int m = 0; m < flow->items.at[k].nnotes; m++)
      for (int p = 0; p < f->npieces; p++)
        if (f->pieces[p].note == flow->items.at[k].notes[m]) {
          memmove(&f->pieces[p], &f->pieces[p + 1], sizeof(ap_piece_t) * (size_t)(f->npieces - p - 1));
          f->npieces--;
          break;
        }
  return j;
}

// Continue lines [first, first + count) of a note on the next page. The
// list grows as needed (in the job's arena: it outlives the page arenas),
// so however many notes a page cannot hold, none is dropped.
static void
carry_piece(filler_t *f, ap_note_t *note, int first, int count)
{
  ap_flow_t *flow = f->flow;

  if (f->ncarry == flow->carry_alloc) {
    int cap = flow->carry_alloc ? flow->carry_alloc * 2 : 64;
    ap_piece_t *grown = AP_NEW_N(flow->ctx.job, ap_piece_t, cap);
    if (flow->carry_alloc) // All of it: pieces still to be read follow the ones written
      memcpy(grown, flow->carry, sizeof(ap_piece_t) * (size_t)flow->carry_alloc);
    flow->carry = grown;
    flow->carry_alloc = cap;
  }
  flow->carry[f->ncarry++] = (ap_piece_t){note, first, count};
}

// Hand the planned page over: items [0, end) under master, its note
// pieces, the notes it continues; false when recording where its headings
// landed fails.
static bool
close_page(filler_t *f, ap_plan_t *plan, const ap_master_t *master, int end)
{
  ap_flow_t *flow = f->flow;

  flow->ncarry = f->ncarry;
  *plan = (ap_plan_t){master, 0, end, f->pieces, f->npieces, f->number, f->first};
  flow->pages++;
  return record_dests(flow, end, f->number);
}

// Item i does not fit whole with its notes: it stays, with as many lines
// of its notes as fit and the rest continued, when a page break may follow
// it; it stays alone on an empty page however tall; else it goes to the
// next page. Returns the end of the page's items.
static int
end_at(filler_t *f, int i, double before, double sep)
{
  ap_flow_t *flow = f->flow;
  bool may_end = !ap_flow_need(flow, i + 1) || flow->items.at[i + 1].break_ok;
  const ap_item_t *it = &flow->items.at[i]; // (collecting may have moved the items)
  double room = f->avail - f->used - before - it->height - f->notes - sep;

  // The line fits but its notes do not: start them here, continue them on the next page...
  if (it->nnotes && room > 0 && (may_end || i == 0) && lines_that_fit(it->notes[0], 0, room) > 0) {
    f->used += before + it->height;
    split_notes(f, it, room);
    return i + 1;
  }

  // Alone on an empty page and still too tall: place it anyway...
  if (i == 0) {
    f->used += it->height;
    add_notes(f, it);
    return 1;
  }
  return i;
}

// Place items from the first on, each with its notes, until one does not
// fit or a break ends the page; returns the end of the page's items.
static int
fill_items(filler_t *f)
{
  ap_flow_t *flow = f->flow;
  int i = 0;

  for (; !f->ncarry && ap_flow_need(flow, i); i++) {
    const ap_item_t *it = &flow->items.at[i];

    // A forced break ends the page after it, a page of its own before it...
    if (it->kind == AP_ITEM_BREAK) {
      apply_break(flow, it, flow->pages + 1);
      return i + 1;
    }
    if (it->kind == AP_ITEM_PAGE)
      return i;

    // The item with all its notes, when they fit...
    double before = i == 0 ? 0 : it->space_before;
    double nh = 0;
    for (int k = 0; k < it->nnotes; k++)
      nh += it->notes[k]->height;
    double sep = !f->npieces && nh > 0 ? SEPARATOR(flow) : 0;
    if (f->used + before + it->height + f->notes + nh + sep > f->avail + 0.001)
      return end_at(f, i, before, sep);
    f->used += before + it->height;
    add_notes(f, it);
  }
  return i;
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
    copy->lines[k] = k >= first ? ap_box_clone(m->to, note->lines[k]) : NULL;
    move_elements(m, copy->lines[k]);
    copy->tops[k] = note->tops[k];
    copy->heights[k] = note->heights[k];
  }
  return copy;
}

// The notes continued from the previous page, as much of them as the page
// holds, in order: once one does not fit whole, it and all after it
// continue again on the next page.
static void
place_carried(filler_t *f, int carried)
{
  ap_flow_t *flow = f->flow;

  for (int k = 0; k < carried; k++) {
    ap_piece_t c = flow->carry[k]; // (the list is rewritten in place: k >= f->ncarry)
    double room = f->avail - f->notes - (f->npieces ? 0 : SEPARATOR(flow));
    int fit = f->ncarry ? 0 : lines_that_fit(c.note, c.first, room);
    if (fit > c.count)
      fit = c.count;
    if (fit)
      add_piece(f, c.note, c.first, fit);
    if (fit < c.count)
      carry_piece(f, c.note, c.first + fit, c.count - fit);
  }
}

// A forced break's effects on the page it opens (index page, 0-based):
// restart="true" starts the pages anew there (number 1 or number=, the
// body's first-page template), number= alone numbers on from it, page=
// sets the template of the pages from it on.
static void
apply_break(ap_flow_t *flow, const ap_item_t *it, int page)
{
  if (it->restart || it->number) {
    flow->origin = page;
    flow->start = it->number ? it->number : 1;
  }
  if (it->restart) {
    flow->first_at = page;
    flow->cur = NULL;
  }
  if (it->master)
    flow->cur = it->master;
}

// The first pass writes down where each heading landed (TOC numbers: the
// page's number as printed) and the last page's number (<page-count/>);
// false when out of memory (recorded).
static bool
record_dests(ap_flow_t *flow, int end, int number)
{
  ap_pagemap_t *map = flow->record;
  if (!map)
    return true;
  map->count = number;
  for (int i = 0; i < end; i++)
    for (const ap_box_t *b = flow->items.at[i].boxes; b; b = b->next)
      if (b->kind == AP_BOX_DEST && b->name) {
        // Grow both lists (each kept valid, to be freed, when the other cannot grow)...
        if (map->n == map->alloc) {
          int cap = map->alloc ? map->alloc * 2 : 64;
          const char **ids = realloc(map->ids, sizeof(char *) * (size_t)cap);
          if (ids)
            map->ids = ids;
          int *pages = ids ? realloc(map->pages, sizeof(int) * (size_t)cap) : NULL;
          if (pages)
            map->pages = pages;
          if (!ids || !pages)
            return ap_fail(flow->ctx.diags, flow->ctx.doc->body->loc, "out of memory");
          map->alloc = cap;
        }
        map->ids[map->n] = b->name;
        map->pages[map->n++] = number;
      }
  return true;
}

// Forget items [0, end) by moving the window past them (their memory stays
// in the arena).
static void
slide_window(ap_flow_t *flow, int end)
{
  // Not past nothing: an empty body has no items, and NULL + 0 is undefined...
  if (end > 0)
    flow->items.at += end;
  flow->items.n -= end;
  flow->items.alloc -= end;
}

// The notes of an item that fits while they do not: as many lines as fit
// in room, in order; once one does not fit whole, it and all after it
// continue on the next page.
static void
split_notes(filler_t *f, const ap_item_t *it, double room)
{
  for (int k = 0; k < it->nnotes; k++) {
    ap_note_t *note = it->notes[k];
    int fit = f->ncarry ? 0 : lines_that_fit(note, 0, room);
    if (fit > note->nlines)
      fit = note->nlines;
    if (fit) {
      add_piece(f, note, 0, fit);
      room -= ap_note_height(note, 0, fit);
    }
    if (fit < note->nlines)
      carry_piece(f, note, fit, note->nlines - fit);
  }
}

// The boxes moved to the fresh arena point at the copies of the structure
// elements of the old one (a table row and its cells, copied together:
// render makes the cells with their row), each copied once.
static void
move_elements(mover_t *m, ap_box_t *boxes)
{
  for (ap_box_t *b = boxes; b; b = b->next) {
    b->in = move_element(m, b->in);
    b->label_in = move_element(m, b->label_in);
    for (ap_run_t *r = b->runs; r; r = r->next)
      r->in = move_element(m, r->in);
  }
}

// An element's copy in the fresh arena (itself when it is the job's).
static const ap_struct_t *
move_element(mover_t *m, const ap_struct_t *s)
{
  if (!s || !s->paged)
    return s;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < m->nmoved; i++)
      if (m->olds[i] == s)
        return m->news[i];
    const ap_struct_t *root = s; // The topmost element of the old arena above it (a row)
    while (root->up && root->up->paged)
      root = root->up;
    copy_elements(m, root, root->up);
  }
  return s; // (never: copied on the first pass)
}

// Copy an element of the old arena and those under it, noting each copy.
static ap_struct_t *
copy_elements(mover_t *m, const ap_struct_t *s, const ap_struct_t *up)
{
  ap_struct_t *c = AP_NEW(m->to, ap_struct_t);
  *c = *s;
  c->up = up;
  c->kids = c->next = NULL;
  if (m->nmoved == m->amoved) {
    int room = m->amoved ? m->amoved * 2 : 16;
    const ap_struct_t **olds = AP_NEW_N(m->to, const ap_struct_t *, room);
    ap_struct_t **news = AP_NEW_N(m->to, ap_struct_t *, room);
    if (m->nmoved) {
      memcpy(olds, m->olds, sizeof(*olds) * (size_t)m->nmoved);
      memcpy(news, m->news, sizeof(*news) * (size_t)m->nmoved);
    }
    m->olds = olds;
    m->news = news;
    m->amoved = room;
  }
  m->olds[m->nmoved] = s;
  m->news[m->nmoved++] = c;
  const ap_struct_t **tail = &c->kids;
  for (const ap_struct_t *k = s->kids; k; k = k->next) {
    ap_struct_t *kc = copy_elements(m, k, c);
    *tail = kc;
    tail = &kc->next;
  }
  return c;
}
