// anpham batch: many jobs in one run. The layouts are parsed and their fonts
// loaded once; each job then runs in a process of its own, forked from the
// one that prepared them (a crash or a failure ends only that job), at
// most `jobs` at a time. The run keeps a manifest (manifest.json: every
// job's inputs with their SHA-256, its output, pages, bytes, time, status)
// and renders again only the jobs whose inputs changed. Nothing here
// prints: the command line hears of each finished job through a callback.
#ifndef AP_BATCH_H
#define AP_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/diag.h"
#include "../parse/batch.h"
#include "../sign/sign.h"

typedef enum ap_job_state_e {
  AP_JOB_WAITING,   // Not started (or not reached before an interruption)
  AP_JOB_RUNNING,   // Its process runs
  AP_JOB_DONE,      // Rendered now
  AP_JOB_UNCHANGED, // Up to date in the manifest: not rendered
  AP_JOB_FAILED     // Failed (error holds its first error line) or crashed
} ap_job_state_t;

// One job of the run: a job of the batch file, or one copy of it.
typedef struct ap_batch_job_s {
  const ap_job_spec_t *spec;  // What the batch file says
  const char *output;         // The PDF it writes (a copy's own name)
  const char *sets[AP_BATCH_MAX_SETS + 2]; // --set values, with copy= and copies= for numbered copies
  int nsets;                  // How many
  int copy;                   // Copy number (1…copies), 0 when not numbered
  ap_job_state_t state;       // Where it is
  char *error;                // First error line when it failed (malloc'ed)
  int pages;                  // Pages written
  size_t bytes;               // Bytes written
  double ms;                  // Milliseconds it took (wall, in its process)
  long entry_at;              // Where its manifest entry stands in the run's spill file
  size_t entry_size;          // Its length in bytes (0: no entry: the job did not end)
} ap_batch_job_t;

typedef struct ap_batch_s ap_batch_t;

// How to run.
typedef struct ap_batch_options_s {
  int jobs;                   // Processes at a time (0: one per core)
  int shard, nshards;         // Run only the jobs of shard K of N (nshards 0: all)
  bool force;                 // Render every job, up to date or not
  const char *manifest;       // The manifest to read and write (NULL: OUTPUT_DIR/manifest.json)
  const char **allow;         // --allow-path folders for every job
  int nallow;                 // How many
  const char **font_paths;    // --font-path folders for every job (a <family font="NAME"> looks there first)
  int nfont_paths;            // How many
  long max_image_pixels;      // As ap_options_t
  bool strict;                // As ap_options_t: a job that warns fails (--strict)
  const ap_sign_key_t *sign;  // Sign every output with this key (--sign), NULL: unsigned
  ap_datetime_t sign_when;    // The signing time (with sign)
  const char *sign_field;     // Sign into this signature field of every output (--field), NULL: a new one
  const ap_sign_look_t *sign_look; // The visible appearance, read once (--image, --seal, --office), NULL: none
  const char *sign_look_key;  // What the appearance is made of, for the jobs' keys (NULL: none)
  // Called in a job's own process when the job went well, with its
  // warnings (NULL: they are dropped); the list is cleared after.
  void (*warnings)(void *ctx, const ap_batch_job_t *job, ap_diags_t *diags);
  void *warnings_ctx;         // Its first argument
  // Called in the parent after each job ends (done, unchanged or failed).
  void (*progress)(void *ctx, const ap_batch_t *batch, const ap_batch_job_t *job);
  void *progress_ctx;         // Its first argument
} ap_batch_options_t;

// Counts of a run.
typedef struct ap_batch_counts_s {
  int total;                  // Jobs of this run (this shard's)
  int done, unchanged, failed;// How they ended
  int waiting;                // Never started (interrupted run)
  double seconds;             // Wall time so far
} ap_batch_counts_t;

// Make the run of a batch file's jobs (copies expanded, this shard's only).
// NULL with a diagnostic on error (a usage error: *usage set).
ap_batch_t *ap_batch_create(const ap_batch_file_t *file, const ap_batch_options_t *options, ap_diags_t *diags);
// Run it: every job, up to options->jobs at a time. Returns 0 when every
// job is done or up to date, 1 when one failed, 128+signal when SIGINT or
// SIGTERM interrupted it (running jobs finish first; a second signal stops
// them); the manifest is written in every case (a diagnostic and 1 when it
// cannot be).
int ap_batch_run(ap_batch_t *batch, ap_diags_t *diags);
// The counts so far.
ap_batch_counts_t ap_batch_counts(const ap_batch_t *batch);
// The i-th job (0 ≤ i < counts.total).
const ap_batch_job_t *ap_batch_job(const ap_batch_t *batch, int i);
// The manifest's path.
const char *ap_batch_manifest_path(const ap_batch_t *batch);
// Free the run.
void ap_batch_destroy(ap_batch_t *batch);

// Join the manifests of shards into one (`anpham manifest merge`): every
// job of each, once (a later file's entry for the same output wins),
// written to out. False with a diagnostic.
bool ap_manifest_merge(const char *const *paths, int npaths, const char *out, ap_diags_t *diags);

#endif
