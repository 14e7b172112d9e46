// Inside the parse folder only: what source.c and its helpers share.
#ifndef AP_PARSE_PRIVATE_H
#define AP_PARSE_PRIVATE_H

#include "parse-xml.h"

// Look at a loaded file's first bytes before libxml2 does: false (one
// diagnostic) when it is not XML; UTF-16 with a byte order mark becomes
// UTF-8 in src->text (*converted set).
bool ap_source_sniff(ap_source_t *src, bool *converted, ap_diags_t *diags);
// Parse the bytes of a file already read (malloc'ed, NUL-terminated after
// size; they become src->text, or are freed on error) as ap_source_read
// does; false with one diagnostic on error.
bool ap_source_parse(ap_source_t *src, const char *path, char *text, size_t size, ap_file_kind_t kind,
                     ap_diags_t *diags);

// Load the layouts src extends (extends="…", relative to the file naming
// it), each checked against the schema, into src->base and down; false
// (one diagnostic at the extends attribute) on a missing, unreadable or
// invalid base, or a cycle.
bool ap_layout_load_bases(ap_source_t *src, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags);
// Load the definitions of the layout's built-in form (form="hd36" or
// "nd30", the nearest of its chain; see forms.c) as the base of its deepest
// base, and note the form in layout->form; true with nothing done when no
// layout of the chain names a form, false (one diagnostic) on error.
bool ap_layout_load_form(ap_layout_t *layout, ap_arena_t *arena, ap_diags_t *diags);
// The form a form= value names ("hd36", "nd30"), NULL for any other value.
const char *ap_layout_form_name(const char *value);
// The definitions of a layout merged with its bases' (see extends.c) into
// defs; how many, or -1 when more than max.
int ap_layout_definitions(const ap_source_t *src, xmlNodePtr *defs, int max);

// Load the bases a data file names (d:base="…" in urn:anpham:data, relative
// to the file naming it; read only inside files' folders, each noted as an
// input; files NULL: anywhere) and merge them with it (see inherit.c):
// src->doc becomes the merged document, src->base the chain of bases.
// Nothing changes for a file without d:base. False (one diagnostic) on a
// missing or unreadable base, a cycle, a chain too long or an operation
// the base cannot take.
bool ap_data_inherit(ap_source_t *src, ap_files_t *files, ap_diags_t *diags);
// Read a data base inside files' folders (noted as an input) and parse it,
// as ap_files_read and ap_source_parse would (bases.c: once for many jobs
// after ap_source_keep_bases); false with one diagnostic at loc on error.
bool ap_data_base_read(ap_files_t *files, const char *path, ap_source_t *base, ap_diags_t *diags, ap_loc_t loc,
                       const char *hint);
// The file a node (or its attribute attr, when not NULL) of a merged data
// document came from, or NULL for a document that was never merged.
const ap_source_t *ap_data_origin(const xmlNode *node, const char *attr);

#endif
