// Bind: instantiate the layout's blocks against the data. XPath selects
// repeat elements, {…} interpolates values, templates match data elements;
// the result is the document tree (no XML after this stage).
#ifndef AP_BIND_H
#define AP_BIND_H

#include "../parse/parse.h"

// Fill layout->doc's body, header/footer blocks and document information
// from the data (data may be NULL: expressions then see an empty document).
bool ap_bind(ap_layout_t *layout, const ap_source_t *data, ap_arena_t *arena, ap_diags_t *diags);

// Collapse XML whitespace (space, tab, CR, LF runs → one space; U+00A0 kept)
// of len bytes into the arena.
char *ap_bind_collapse(ap_arena_t *arena, const char *s, size_t len);

#endif
