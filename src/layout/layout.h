// Layout: the document tree → pages of positioned boxes. Measures with the
// font module, never calls libharu.
#ifndef AP_LAYOUT_H
#define AP_LAYOUT_H

#include "../tree/tree.h"
#include "pages.h"

// Lay the whole document out. Returns NULL (with diagnostics) on error; the
// pages live in the arena.
ap_pages_t *ap_layout_document(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena,
                               ap_diags_t *diags);

#endif
