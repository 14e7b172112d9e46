// Charts: a bar or line chart drawn as boxes (rects, segments, ellipses,
// text lines) from the points of an AP_NODE_CHART node.
#ifndef AP_CHART_H
#define AP_CHART_H

#include "../context.h"

// Lay the chart out inside area (page coordinates, points) and append its
// boxes at **tail (advancing *tail to the new end of the chain). Returns
// false with a diagnostic at chart->loc when it cannot (no room, a face
// without a needed glyph).
bool ap_chart_layout(ap_layout_ctx_t *ctx, const ap_node_t *chart, ap_rect_t area, ap_box_t ***tail);

#endif
