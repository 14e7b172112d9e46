// Places of layout elements for messages, remembered: binding repeats the
// same few elements (a table's <row> and <cell> once per row, a for-each's
// children once per node), and each place is found by reading its line.
#include "bind-private.h"

#include <stdint.h>
#include <string.h>

//
// 'ap_bind_loc()' - Where a layout element (or one of its attributes) stands.
//
// ap_source_loc's answer, kept in a small table of the binder's by element
// and attribute name (a newer place takes an older one's slot).
//

ap_loc_t                                   // O - The place
ap_bind_loc(ap_binder_t *b,                // I - Binder
            xmlNodePtr elem,               // I - Element of the layout
            const char *attr)              // I - One of its attributes, NULL for the element
{
  size_t len = attr ? strlen(attr) : 0;
  ap_place_t *p;

  if (!elem || len >= sizeof(p->attr)) // No element, or a name too long to keep: found every time
    return ap_source_loc(&b->layout->src, elem, attr);
  uint64_t h = (uint64_t)(uintptr_t)elem; // The slot: the element and the name, mixed (MurmurHash3's finalizer)
  for (size_t i = 0; attr && i <= len; i++)
    h = h * 31 + (unsigned char)attr[i] + 1;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  p = &b->places[h % AP_BIND_PLACES];
  if (p->elem == elem && p->has_attr == (attr != NULL) && (!attr || !strcmp(p->attr, attr)))
    return p->loc;
  p->loc = ap_source_loc(&b->layout->src, elem, attr);
  p->elem = elem;
  p->has_attr = attr != NULL;
  memcpy(p->attr, attr ? attr : "", len + 1);
  return p->loc;
}
