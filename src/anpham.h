// anpham: XML layout + XML data → typeset PDF. The public interface the
// command line and the tests use; includes only libc and base/diag.h.
#ifndef ANPHAM_H
#define ANPHAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

struct ap_par_cache_s; // Set paragraphs shared by the runs of a process (ap_par_cache_open)
struct ap_render_cache_s; // Deflated streams shared by the processes of a batch (ap_render_cache_open)

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
  const char **font_paths; // Folders searched first for a <family font="NAME"> (--font-path), in order
  int nfont_paths;      // How many
  long max_image_pixels; // Most pixels (width x height) of one image; 0 = the default (100,000,000)
  struct ap_render_cache_s *render_cache; // Not NULL: deflated streams shared between the jobs of a
                                            // batch (ap_render_cache_open; ap_render_options_t)
  bool one_core;        // Render on the calling thread alone (anpham batch: the other cores run other
                        // jobs); else page streams are deflated on a second thread (same bytes)
  struct ap_par_cache_s *par_cache; // Not NULL: paragraphs set by an earlier run of this process, taken
                                    // from there and added to it (a batch's, ap_par_cache_open)
  const char *impose;   // Not NULL: "a5-booklet" (saddle stitch, two A5 pages per A4 sheet side) or "2up"
  bool crop_marks;      // Print crop marks outside the trim box (the page grows by the bleed and the marks)
  bool no_tags;         // Write an untagged PDF: no marked content, no structure tree (--no-tags)
  bool pdfa;            // Write a PDF/A-3 archive (XMP metadata, sRGB output intent, /ID; docs/archive.md)
  bool embed_source;    // Embed the source files and anpham-source.json in the PDF (--embed-source; also with pdfa)
  bool require_date;    // With pdfa: no date (neither SOURCE_DATE_EPOCH nor <info date>) is an error (anpham archive)
  const char *form;     // check --form: "hd36" or "nd30", the form the document is checked against (each
                        // deviation an error, docs/forms.md), NULL = none
  bool strict;          // --strict: a warning fails the run as an error would (AP_BAD_INPUT, nothing written)
  int copies_in_one;    // > 0: that many numbered copies one after the other in one PDF ($copy, $copies)
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

// What a run wrote and read (anpham batch's manifest).
typedef struct ap_result_s {
  int pages;                  // Pages of the PDF (or of the dump)
  size_t bytes;               // Size of the PDF
  unsigned char sha256[32];   // SHA-256 of the PDF
  char **inputs;              // Every file the run read, as given (malloc'ed; ap_result_free)
  int ninputs;                // How many
} ap_result_t;

typedef struct ap_prepared_s ap_prepared_t; // A layout parsed once for many jobs (opaque)

// Run the pipeline: parse, bind, layout, and (when asked) render and dump.
// Files besides the layout and the data are read only inside the layout's
// and the data's folders, anpham's fonts and options->allow. Outputs are
// made whole in memory and only then written (regular files through a
// temporary file renamed into place, devices and `-` written through), so
// a failed run leaves no output behind; an output that names an input of
// the run, or both outputs naming one file, is a usage error (AP_USAGE)
// and nothing is written.
ap_status_t ap_run(const ap_options_t *options, ap_diags_t *diags);
// ap_run, and (result not NULL, on success) what it wrote and read.
ap_status_t ap_run_result(const ap_options_t *options, ap_diags_t *diags, ap_result_t *result);
// Free the inputs a result lists.
void ap_result_free(ap_result_t *result);

// The layout's part of a run done once for many jobs (anpham batch): the
// layout (options->layout, options->allow) read, checked against the schema
// and its definitions, every font of its families loaded. NULL with
// *status and diagnostics on error.
ap_prepared_t *ap_prepare(const ap_options_t *options, ap_diags_t *diags, ap_status_t *status);
// One job on a prepared layout, with the job's options (the same layout
// and allow as ap_prepare's, its own data, outputs, --set values...). The
// prepared layout is used up: free it with ap_prepared_free, or leave it
// to the end of the process (a batch prepares once, then forks one process
// per job, each with its own copy; freeing it there would copy every page
// the job shares with the batch, for nothing).
ap_status_t ap_run_prepared(ap_prepared_t *prepared, const ap_options_t *options, ap_diags_t *diags,
                            ap_result_t *result);
// One job on a prepared layout that is left as it was for the jobs after
// it (ap_run_prepared uses it up): a batch's job process runs job after
// job on one prepared layout.
ap_status_t ap_run_kept(ap_prepared_t *prepared, const ap_options_t *options, ap_diags_t *diags,
                        ap_result_t *result);
// The i-th file a prepared layout read (layout, bases, fonts), NULL past the last.
const char *ap_prepared_input(const ap_prepared_t *prepared, int i);
// Free a prepared layout.
void ap_prepared_free(ap_prepared_t *prepared);

// A cache of set paragraphs for the runs of one process (anpham batch:
// filled once by a run before the jobs are forked, each job's process
// finding there what it shares with it), keeping at most budget bytes;
// NULL when out of memory. Close it with ap_par_cache_close.
struct ap_par_cache_s *ap_par_cache_open(size_t budget);
void ap_par_cache_close(struct ap_par_cache_s *cache);
// A cache of deflated streams in memory shared with the processes forked
// after it (a batch's jobs): at most bytes of zlib data. NULL when no
// memory could be mapped. Close it with ap_render_cache_close.
struct ap_render_cache_s *ap_render_cache_open(size_t bytes);
void ap_render_cache_close(struct ap_render_cache_s *cache);

#endif
