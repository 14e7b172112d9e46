// Bind: instantiate the layout's blocks against the data. XPath selects
// repeat elements, {…} interpolates values, templates match data elements;
// the result is the document tree (no XML after this stage, but for the
// rows of the body's tables, bound as layout reaches them).
#ifndef AP_BIND_H
#define AP_BIND_H

#include "../parse/parse.h"

// Fill layout->doc's body, header/footer blocks and document information
// from the data (data may be NULL: expressions then see an empty document).
// The rows of the body's tables are bound as layout reaches them (ap_rows_t):
// then the layout and the data stay until the document is laid out, and
// ap_bind_release frees what bind kept for them (doc->binder). Binding
// again releases what the last binding kept.
bool ap_bind(ap_layout_t *layout, const ap_source_t *data, ap_arena_t *arena, ap_diags_t *diags);
// Free what ap_bind kept for the rows it binds as layout reaches them, once
// the document is laid out (before the layout and the data are freed);
// nothing when it kept nothing. The document is not laid out again after.
void ap_bind_release(ap_doc_t *doc);

// Collapse XML whitespace (space, tab, CR, LF runs → one space; U+00A0 kept)
// of len bytes into the arena.
char *ap_bind_collapse(ap_arena_t *arena, const char *s, size_t len);

#endif
