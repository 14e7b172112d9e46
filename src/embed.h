// The source a PDF carries (--embed-source, implied by --pdfa): what the
// driver gathers from a finished run for render/attach.c to embed, and the
// manifest (anpham-source.json) that lets `anpham extract` print the
// command that renders the same bytes again.
#ifndef AP_EMBED_H
#define AP_EMBED_H

#include <stdbool.h>

#include "anpham.h"
#include "base/files.h"
#include "render/render.h"
#include "tree/tree.h"

#define AP_EMBED_MANIFEST "anpham-source.json" // The manifest's name among the embedded files

// Embed every source file the run read (its inputs except the fonts: the
// layout, the layouts it extends, the data, its bases, the images), named
// by their paths relative to the folder that holds them all, and
// anpham-source.json: the anpham version, the arguments of `anpham render`
// that give this PDF again (paths relative to that folder, no -o), every
// embedded file with its SHA-256, and each font file the layout's
// families name (a re-render checks them all, used or not) with its name,
// its path relative to that folder (when inside it) and its SHA-256.
// /ModDate from SOURCE_DATE_EPOCH, else none. Call after the last page,
// before ap_render_end*(). False on error (recorded).
bool ap_embed_source(ap_writer_t *writer, const ap_options_t *options, const ap_doc_t *doc, ap_files_t *files,
                     ap_diags_t *diags);

#endif
