// anpham: XML layout + XML data → typeset PDF. The public interface the
// command line and the tests use; includes only libc and base/diag.h.
#ifndef ANPHAM_H
#define ANPHAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

typedef struct ap_options_s {
  const char *layout;   // Layout file (required)
  const char *data;     // Data file, or NULL
  const char *output;   // PDF to write, or NULL (check only)
  const char *dump;     // Layout dump to write, or NULL
  int handout;          // > 0: print every deck of slides N-up (1, 2, 3, 4 or 6 per page)
  const char *deck;     // Not NULL: print only this deck's slides, one per page (or N-up with handout)
  const char *slide_page; // Not NULL: the page template the deck's slides are set in (with deck)
  const char **sets;    // "name=value" pairs for the layout's <param>s ($name in expressions)
  int nsets;            // How many
  const char **allow;   // Further folders files may be read from (--allow-path)
  int nallow;           // How many
  long max_image_pixels; // Most pixels (width x height) of one image; 0 = the default (100,000,000)
  // Not NULL: the finished PDF goes to this function instead of a file
  // (output then only names it in messages); false from it fails the run.
  // For tests and fuzzing: a whole render to memory.
  bool (*pdf_sink)(void *ctx, const void *bytes, size_t size);
  void *pdf_sink_ctx;    // Its first argument
} ap_options_t;

typedef enum ap_status_e {
  AP_OK = 0,        // Done
  AP_BAD_INPUT = 1, // The layout or the data is wrong: see the diagnostics
  AP_USAGE = 2,     // The command line is wrong
  AP_INTERNAL = 3   // Something failed that is not the user's input
} ap_status_t;

// Run the pipeline: parse, bind, layout, and (when asked) render and dump.
// Files besides the layout and the data are read only inside the layout's
// and the data's folders, anpham's fonts and options->allow. Outputs are
// made whole in memory and only then written (regular files through a
// temporary file renamed into place, devices and `-` written through), so
// a failed run leaves no output behind; an output that names an input of
// the run, or both outputs naming one file, is a usage error (AP_USAGE)
// and nothing is written.
ap_status_t ap_run(const ap_options_t *options, ap_diags_t *diags);

#endif
