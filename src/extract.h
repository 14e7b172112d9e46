// The source a PDF embeds (--embed-source), read back: what `anpham
// extract` writes out and `anpham verify` renders again. The PDF is read
// with qpdf's C API; an archive is input and may be hostile, so every name
// is checked before anything is written and every file against the
// SHA-256 its anpham-source.json gives. Nothing here prints: failures are
// diagnostics located at the PDF.
#ifndef AP_EXTRACT_H
#define AP_EXTRACT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

// One embedded file.
typedef struct ap_embedded_s {
  char *name;           // Its /UF (else /F) name, UTF-8 (malloc'ed)
  unsigned char *bytes; // Its decoded content (malloc'ed)
  size_t size;          // Its size
} ap_embedded_t;

// The source of one PDF, checked.
typedef struct ap_extracted_s {
  const char *pdf;      // The PDF's path (borrowed; for messages)
  ap_embedded_t *files; // Its embedded files, anpham-source.json among them
  int count;            // How many
  json_object *manifest; // anpham-source.json, parsed (owned)
  json_object *arguments; // Its "arguments": `anpham render …` without -o (borrowed from manifest)
  json_object *fonts;   // Its "fonts": name, path, sha256 of each (borrowed from manifest)
  const char *epoch;    // Its SOURCE_DATE_EPOCH, or NULL (borrowed from manifest)
} ap_extracted_t;

// Read the embedded files of pdf and its anpham-source.json into *x, and
// check them: every name a relative path without ".." (one that would
// leave the folder is refused), every file listed with its SHA-256.
// False with one diagnostic on error (*x is then to be freed all the same).
bool ap_extract_read(const char *pdf, ap_extracted_t *x, ap_diags_t *diags);
// Write the files under dir (made if missing), one folder at a time,
// never through a symlink. False with a diagnostic.
bool ap_extract_write(const ap_extracted_t *x, const char *dir, ap_diags_t *diags);
// Check each font the manifest names: where the extracted layout's fonts=
// makes a re-render look (relative to dir), else in fonts_dir (when not
// NULL) or anpham's fonts folder (the file then linked into dir where the
// layout looks), with the same SHA-256. One diagnostic per missing or
// different font ("font missing: …", "font mismatch: …"); false when
// there is one.
bool ap_extract_fonts(const ap_extracted_t *x, const char *dir, const char *fonts_dir, ap_diags_t *diags);
// Free what ap_extract_read() read.
void ap_extract_free(ap_extracted_t *x);

#endif
