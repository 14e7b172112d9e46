// Parse: read layout and data XML safely (no network, no entities, no DTD),
// check the layout against the built-in RELAX NG schema, and read the
// definitions (fonts, styles, pages, numbering, templates) into the document.
// Plain C for callers: a layout and a loaded XML file are opaque handles
// here; their libxml2 side (parse-xml.h) is for parse/ and bind/ only, the
// only stages that compile against libxml2.
#ifndef AP_PARSE_H
#define AP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/files.h"
#include "../tree/tree.h"

typedef struct ap_source_s ap_source_t; // An XML file loaded with its text kept (parse-xml.h)
typedef struct ap_layout_s ap_layout_t; // A parsed layout: definitions in its document, blocks still XML for bind

#define AP_LAYOUT_MAX_ATTRIBUTES 256 // Most attributes on one layout element (docs/limits.md)
#define AP_DATA_MAX_ATTRIBUTES 1024  // Most attributes on one data element (docs/limits.md)
#define AP_LAYOUT_MAX_PARAMS 32      // Most parameters of a layout (<param>, with $copy and $copies)

// Load, validate and read a layout file, with the layouts it extends
// (extends="base.xml", read only inside files' folders; files NULL:
// anywhere, for tests and tools). The layout and its document live in the
// arena; NULL (one diagnostic, nothing to free) on error.
ap_layout_t *ap_layout_parse(const char *path, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags);
// Free the layout's XML (NULL is fine); the layout, its document and its
// parameters stay in the arena.
void ap_layout_free(ap_layout_t *layout);
// The layout's document: families, styles, masters, notes; what bind adds.
ap_doc_t *ap_layout_doc(const ap_layout_t *layout);
// The layout's file name as given (for messages).
const char *ap_layout_path(const ap_layout_t *layout);
// Where the layout chooses its form: its root's form= attribute, else the
// root element (anpham check --form places there what the built-in
// definitions hold). Read it before ap_layout_free.
ap_loc_t ap_layout_form_loc(const ap_layout_t *layout);
// Declare a parameter, empty, unless the layout declares one of that name
// (its value then stays); false when it has AP_LAYOUT_MAX_PARAMS already.
bool ap_layout_add_param(ap_layout_t *layout, const char *name);
// Give the declared parameter named by the len bytes of name another value
// (kept, not copied); false when the layout declares none of that name.
bool ap_layout_set_param(ap_layout_t *layout, const char *name, size_t len, const char *value);

// The values of a layout's parameters (--set, $copy…), saved before a job
// and given back after it: a batch's prepared layout serves the next job
// as it was parsed.
typedef struct ap_layout_params_s {
  int count;                                // Parameters declared
  const char *values[AP_LAYOUT_MAX_PARAMS]; // Their values
} ap_layout_params_t;
void ap_layout_params_save(const ap_layout_t *layout, ap_layout_params_t *saved);
void ap_layout_params_restore(ap_layout_t *layout, const ap_layout_params_t *saved);

// Warn of the layout's definitions it never uses (unused.c): a <param>
// no expression reads ($name), a <style> no style attribute names (a
// built-in form's own styles aside). At the definition's name=.
void ap_layout_warn_unused(const ap_layout_t *layout, ap_diags_t *diags);

// Load a data file and the bases it inherits from (d:base="…", docs/data.md),
// merged into one document: the bases are read only inside files' folders
// (files NULL: anywhere, for tests and tools) and noted in files as inputs of
// the run. NULL (one diagnostic, nothing to free) on error. The file's bytes
// are let go once parsed, and read again only if a diagnostic wants a
// column (a 100,000-row table's 5 MB kept through the whole render).
ap_source_t *ap_source_open(const char *path, ap_files_t *files, ap_diags_t *diags);
// Free what ap_source_open made (NULL is fine).
void ap_source_close(ap_source_t *src);
// From now on, each data base (d:base=) is parsed once for this process
// and copied for each data file that names it (bases.c): a batch's jobs
// share the provincial edition their district files inherit.
void ap_source_keep_bases(void);

// Resolve every family's fallback= (names of other families) into its list
// of fallbacks; false (with a diagnostic at the attribute) on an unknown
// name or a cycle.
bool ap_families_resolve(ap_doc_t *doc, ap_arena_t *arena, ap_diags_t *diags);

// Parse a colour: "#RRGGBB" or the name of a palette colour.
bool ap_parse_color(const ap_doc_t *doc, const char *text, ap_color_t *color);
// Parse a length with unit (pt, mm, cm; bare = pt) into points.
bool ap_parse_length(const char *text, double *points);

#endif
