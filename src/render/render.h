// Render: laid-out pages → PDF through libharu. Reads pages only; never
// decides where anything goes. The only folder that includes hpdf.h.
#ifndef AP_RENDER_H
#define AP_RENDER_H

#include <stdbool.h>

#include "../base/diag.h"
#include "../layout/pages.h"

typedef struct ap_render_options_s {
  bool compress;        // Flate-compress content and font streams (default true)
} ap_render_options_t;

// Write the pages as a PDF at path (the caller passes a temporary path and
// renames it). Fonts are subset to the glyphs the pages use and embedded;
// each font gets a correct ToUnicode CMap; the outline comes from DEST boxes
// with level > 0; no byte depends on the clock, so the same pages give the
// same bytes.
bool ap_render_pdf(const ap_pages_t *pages, const char *path, const ap_render_options_t *options,
                   ap_diags_t *diags);

#endif
