// Inside the parse folder only: what source.c and its helpers share.
#ifndef AP_PARSE_PRIVATE_H
#define AP_PARSE_PRIVATE_H

#include "parse.h"

// Look at a loaded file's first bytes before libxml2 does: false (one
// diagnostic) when it is not XML; UTF-16 with a byte order mark becomes
// UTF-8 in src->text (*converted set).
bool ap_source_sniff(ap_source_t *src, bool *converted, ap_diags_t *diags);

// Load the layouts src extends (extends="…", relative to the file naming
// it), each checked against the schema, into src->base and down; false
// (one diagnostic at the extends attribute) on a missing, unreadable or
// invalid base, or a cycle.
bool ap_layout_load_bases(ap_source_t *src, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags);
// The definitions of a layout merged with its bases' (see extends.c) into
// defs; how many, or -1 when more than max.
int ap_layout_definitions(const ap_source_t *src, xmlNodePtr *defs, int max);

#endif
