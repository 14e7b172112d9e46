// Geometry: every length is a double in PostScript points; layout space has
// its origin at the page's top-left corner and y growing downward.
#ifndef AP_GEOM_H
#define AP_GEOM_H

#include <stdbool.h>

#define AP_PT_PER_MM (72.0 / 25.4) // Points in one millimetre

typedef struct ap_point_s {
  double x, y; // Position in points
} ap_point_t;

typedef struct ap_size_s {
  double w, h; // Extent in points
} ap_size_t;

typedef struct ap_rect_s {
  double x, y, w, h; // Top-left corner and extent, in points
} ap_rect_t;

typedef struct ap_color_s {
  float r, g, b;        // DeviceRGB components, 0..1 (for CMYK colours: their RGB look, for dumps)
  bool cmyk;            // Print as DeviceCMYK with c, m, y, k instead
  float c, m, y, k;     // DeviceCMYK components, 0..1 (floats: every box and run holds colours)
} ap_color_t;

// Same colour (the same colour space and the same printed components).
static inline bool
ap_color_same(ap_color_t a, ap_color_t b)
{
  return a.cmyk == b.cmyk && (a.cmyk ? a.c == b.c && a.m == b.m && a.y == b.y && a.k == b.k
                                     : a.r == b.r && a.g == b.g && a.b == b.b);
}

static inline double
ap_mm(double mm)
{
  return mm * AP_PT_PER_MM;
}

#endif
