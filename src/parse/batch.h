// Batch files: the jobs of one `anpham batch JOBS.xml` run (docs/batch.md,
// layouts/schema/batch.rng), read into plain C (no libxml2 for callers).
#ifndef AP_PARSE_BATCH_H
#define AP_PARSE_BATCH_H

#include <stdbool.h>

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/path.h"

#define AP_BATCH_MAX_SETS 32      // Most <set> values of one job (as --set)
#define AP_BATCH_MAX_JOBS 1000000 // Most jobs in one batch file (docs/limits.md)
#define AP_BATCH_MAX_COPIES 100000 // Most numbered copies of one job

// One job as the batch file gives it, defaults of <batch> applied; paths
// resolved relative to the batch file (output relative to output-dir).
typedef struct ap_job_spec_s {
  const char *layout;         // Layout file
  const char *data;           // Data file, or NULL
  const char *output;         // PDF to write
  const char *sets[AP_BATCH_MAX_SETS]; // "name=value" pairs, <batch>'s first
  int nsets;                  // How many
  int copies;                 // Numbered copies (0: not numbered)
  bool copies_in_one;         // All copies in one PDF
  int handout;                // Slides N-up (0: as the layout says)
  const char *deck;           // --deck, or NULL
  const char *slide_page;     // --slide-page, or NULL
  const char *impose;         // --impose, or NULL
  bool crop_marks;            // --crop-marks
  bool pdfa;                  // --pdfa
  bool no_tags;               // tags="false": --no-tags (an untagged PDF)
  const char *source_date_epoch; // SOURCE_DATE_EPOCH of this job (digits), or NULL: the environment's
  bool archive;               // anpham archive's job: PDF/A with its source, dated by <info date> or
                              // source_date_epoch (never the environment's, never the clock)
  ap_loc_t loc;               // The <job> element
} ap_job_spec_t;

typedef struct ap_batch_file_s {
  const char *path;           // The batch file
  const char *output_dir;     // Where outputs go (output-dir=, or the batch file's folder)
  const char *allow[32];      // <allow-path dir=…> folders (relative to the batch file, resolved)
  int nallow;                 // How many
  ap_job_spec_t *jobs;        // The jobs, in order
  int njobs;                  // How many
} ap_batch_file_t;

// Read a batch file into *batch (everything in the arena). output_dir, when
// not NULL, replaces the file's output-dir= (the command line's -o DIR).
// False with one diagnostic (file:line:col, what was expected) on error.
bool ap_batch_read(const char *path, const char *output_dir, ap_arena_t *arena, ap_diags_t *diags,
                   ap_batch_file_t *batch);


#endif
