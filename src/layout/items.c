// Items: what blocks hand a paginator (lines, unbreakable blocks, spaces,
// breaks, whole pages), in a list the paginator reads from its start and
// tables and slides append to.
#include "block.h"

#include <string.h>

//
// 'ap_items_add()' - Append an empty item.
//

ap_item_t *                            // O - The item (zeroed, its kind set)
ap_items_add(ap_items_t *items,        // I - List of items
             ap_arena_t *arena,        // I - Arena the list grows in (the items not written yet)
             ap_item_kind_t kind)      // I - What it is
{
  if (items->n == items->alloc) {
    int cap = items->alloc ? items->alloc * 2 : 256;
    ap_item_t *grown = AP_NEW_N(arena, ap_item_t, cap);
    if (items->n)
      memcpy(grown, items->at, sizeof(ap_item_t) * (size_t)items->n);
    items->at = grown;
    items->alloc = cap;
  }
  ap_item_t *it = &items->at[items->n++];
  memset(it, 0, sizeof(*it));
  it->kind = kind;
  return it;
}
