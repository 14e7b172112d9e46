// Box helpers: chains of positioned boxes (pages.h) moved and copied as a
// whole, whatever laid them out. Every layer of layout uses them.
#ifndef AP_BOX_H
#define AP_BOX_H

#include "../base/arena.h"
#include "pages.h"

// A deep copy of a chain of boxes, their runs and the runs' text, in arena.
ap_box_t *ap_box_clone(ap_arena_t *arena, const ap_box_t *boxes);

// Move a chain of boxes (and their runs) by (dx, dy).
void ap_box_shift(ap_box_t *boxes, double dx, double dy);

#endif
