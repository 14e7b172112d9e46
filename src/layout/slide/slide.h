// Slides: pages of absolutely placed frames, shapes, grids and charts
// (slide.c), and slides in the page sequence: a slide or a deck as pages of
// their own, or a deck printed N-up (handout.c), handed over as items.
#ifndef AP_SLIDE_H
#define AP_SLIDE_H

#include "../block.h"

// Lay a slide out as a page of its own, not in the document, in its own
// page template or in master when not NULL; number > 0: slide number of
// count in its deck (what <page-number/> and <page-count/> print on it).
// A slide with a title (slide->text) starts with its bookmark (a level 1
// destination box, role "slide").
ap_page_t *ap_slide_layout(ap_layout_ctx_t *ctx, const ap_node_t *slide, int number, int count,
                           const ap_master_t *master);
// Place frames, shapes, grids and charts inside area, appending at **tail.
bool ap_slide_place(ap_layout_ctx_t *ctx, const ap_node_t *children, ap_rect_t area, ap_box_t ***tail);
// Collect <slide>, <slides> and <handout> as whole-page items.
bool ap_slide_collect(ap_layout_ctx_t *ctx, ap_items_t *items, const ap_node_t *node);

#endif
