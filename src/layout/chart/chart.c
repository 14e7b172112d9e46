// Charts (placeholder until the chart module lands): draws nothing.
#include "chart.h"

//
// 'ap_chart_layout()' - Lay a chart out (placeholder).
//

bool
ap_chart_layout(ap_flow_t *flow, const ap_node_t *chart, ap_rect_t area, ap_box_t ***tail)
{
  (void)flow, (void)chart, (void)area, (void)tail;
  return true;
}
