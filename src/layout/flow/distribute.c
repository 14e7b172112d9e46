// Distribute: flow items → page ranges. A greedy fill that backs up to the
// last item before which a break is allowed (widows, orphans, headings kept
// with what follows), counting each line's footnotes on the same page.
#include "flow.h"

#include <stdlib.h>

static double page_height(const ap_flow_t *flow, int page);
static double notes_height(const ap_flow_t *flow, const ap_item_t *it, bool *any);

//
// 'ap_flow_distribute()' - Split the items into pages.
//

bool
ap_flow_distribute(ap_flow_t *flow, int **starts, int *npages)
{
  int cap = 64, n = 0;
  int *s = malloc(sizeof(int) * (size_t)cap);
  int start = 0; // First item of the page being filled

  while (start < flow->nitems || n == 0) {
    double avail = page_height(flow, n), used = 0, notes = 0;
    bool any_notes = false;
    int i = start, end;

    // Fill until an item does not fit...
    for (; i < flow->nitems; i++) {
      const ap_item_t *it = &flow->items[i];
      if (it->kind == AP_ITEM_BREAK) {
        i++;
        break;
      }
      bool had = any_notes;
      double before = i == start ? 0 : it->space_before;
      double nh = notes_height(flow, it, &any_notes);
      double sep = !had && any_notes ? flow->doc->notes.gap + 4 : 0;
      if (used + before + it->height + notes + nh + sep > avail + 0.001 && i > start)
        break;
      used += before + it->height;
      notes += nh + sep;
    }
    end = i;

    // ...then back up to an allowed break (unless the page would be empty).
    if (end < flow->nitems && flow->items[end - 1].kind != AP_ITEM_BREAK) {
      int j = end;
      while (j > start + 1 && !flow->items[j].break_ok)
        j--;
      if (j > start + 1 || flow->items[j].break_ok)
        end = j;
    }
    if (n == cap)
      s = realloc(s, sizeof(int) * (size_t)(cap *= 2));
    s[n++] = start;
    start = end;
    if (start >= flow->nitems)
      break;
  }
  *starts = s;
  *npages = n;
  return true;
}

// Height of the text area of a page (0-based index).
static double
page_height(const ap_flow_t *flow, int page)
{
  const ap_master_t *m = page == 0 ? flow->doc->first_master : flow->doc->master;
  return m->height - m->top - m->bottom;
}

// Height of the footnotes an item brings; sets *any when it brings some.
static double
notes_height(const ap_flow_t *flow, const ap_item_t *it, bool *any)
{
  double h = 0;
  for (int k = 0; k < it->nnotes; k++) {
    h += it->notes[k]->height;
    *any = true;
  }
  return h;
}
