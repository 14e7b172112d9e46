// What the parts of anpham batch share: the run, the hash cache, and the
// manifest functions the runner calls (manifest.c).
#ifndef AP_BATCH_PRIVATE_H
#define AP_BATCH_PRIVATE_H

#include <json-c/json.h>
#include <stdio.h>
#include <sys/types.h>

#include "../anpham.h"
#include "../base/arena.h"
#include "../base/hash.h"
#include "batch.h"

// One file's digest.
typedef struct ap_hashed_file_s {
  char *path;               // The file as the run names it (malloc'ed)
  char hex[AP_SHA256_HEX];  // Its SHA-256
} ap_hashed_file_t;

// SHA-256 of files already hashed in this run, by path (a font shared by
// every job is hashed once; a forked job inherits the parent's); the
// user's cache spares even that while a file's status is the same
// (hashes.c).
typedef struct ap_hashes_s {
  ap_hashed_file_t *files;    // Hashed (or found in the cache) in this run
  int count, alloc;           // How many, room for
} ap_hashes_t;

// A layout prepared once for the jobs that use it.
typedef struct prepared_layout_s {
  const char *path;           // The layout
  ap_prepared_t *prepared;    // Parsed, fonts loaded (NULL when it failed)
  char *error;                // Its first error line when it failed (malloc'ed)
} prepared_layout_t;

struct ap_batch_s {
  ap_batch_options_t options;  // How to run
  const ap_batch_file_t *file; // The batch file
  ap_arena_t *arena;           // Job names and values
  ap_batch_job_t *jobs;        // This run's jobs, in order
  int njobs;                   // How many
  const char *manifest;        // Its path
  json_object *previous;       // The manifest of the last run: output → entry (NULL when none)
  ap_hashes_t hashes;          // Files hashed so far
  prepared_layout_t layouts[64]; // Layouts prepared so far
  int nlayouts;                // How many
  double started;              // When the run started (monotonic seconds)
  struct ap_render_cache_s *render_cache; // The jobs' shared deflated streams (shared memory), NULL for none
  struct ap_par_cache_s *par_cache; // Paragraphs set by a job process, for its next jobs (NULL: none)
  FILE *spill;                 // The manifest entries of the jobs that ended, one line each (tmpfile):
                               // memory does not grow with the number of jobs
};

// A job process (workers.c), seen from the batch: forked for one prepared
// layout, it runs the jobs it is given one after another.
typedef struct ap_worker_s {
  pid_t pid;                  // Its process
  int to;                     // Write end of its job pipe (job numbers, one a line)
  int from;                   // Read end of its report pipe (manifest entries, one a line)
  prepared_layout_t *layout;  // The layout it serves
  int job;                    // The job it runs, -1 when idle
  char *text;                 // What it wrote of its job's report so far (malloc'ed)
  size_t size;                // Bytes in text
} ap_worker_t;

// Fork a job process for a prepared layout (closing the other processes'
// pipes in it); false when none could be started.
bool ap_worker_start(ap_batch_t *batch, ap_worker_t *w, prepared_layout_t *layout, const ap_worker_t *others,
                     int nothers);
// Hand a job to an idle job process; false when the process is gone.
bool ap_worker_give(ap_worker_t *w, int index);
// What a job process wrote: 1 with its job's report (malloc'ed) in *report,
// 0 when none is complete yet, -1 when the process has closed its end.
int ap_worker_read(ap_worker_t *w, char **report);
// Close a job process's pipes and wait for it; its wait status.
int ap_worker_stop(ap_worker_t *w);

// The options of a job's run, and a job's first error as one line (runner.c).
ap_options_t ap_batch_job_options(const ap_batch_t *batch, ap_batch_job_t *job);
const char *ap_batch_first_error(ap_diags_t *diags, char *buf, size_t size, ap_status_t status);

// Keep a job's manifest entry (in the spill file; the object is released).
void ap_manifest_keep(ap_batch_t *batch, ap_batch_job_t *job, json_object *entry);

// The hex SHA-256 of a file, from this run, from the user's cache while
// the file's status is the same, or computed and kept; NULL when the file
// cannot be read.
const char *ap_hashes_get(ap_hashes_t *hashes, const char *path);
// Free the cache.
void ap_hashes_free(ap_hashes_t *hashes);

// The manifest entry of a finished job (in the job's own process): what it
// was, what it read (with digests), what it wrote; error is its first
// error line when it failed.
json_object *ap_manifest_entry(ap_batch_t *batch, const ap_batch_job_t *job, const ap_result_t *result,
                               const char *error, double ms);
// Read the previous manifest (none is fine; a broken one is ignored with a
// warning, so that every job renders again).
void ap_manifest_load(ap_batch_t *batch, ap_diags_t *diags);
// Whether the previous manifest has this job, done, with the same options,
// every input unchanged and its output in place.
bool ap_manifest_up_to_date(ap_batch_t *batch, ap_batch_job_t *job);
// Write the manifest of this run (every job that ended), atomically.
bool ap_manifest_write(ap_batch_t *batch, ap_diags_t *diags);
// A job's options as one line (what must match for it to be up to date).
// With --sign, the signer's certificate's fingerprint is part of it.
char *ap_manifest_job_key(const ap_batch_t *batch, const ap_batch_job_t *job);
// Sign a finished job's output (in its process, the PDF rendered at
// unsigned): the signed file written at the job's output, its entry's
// bytes and sha256 those of the signed file, its "signature" added.
// False with one diagnostic (the output not written).
bool ap_manifest_sign(ap_batch_t *batch, const ap_batch_job_t *job, const char *unsigned_pdf, json_object *entry,
                      ap_diags_t *diags);

// Monotonic seconds.
double ap_batch_now(void);

#endif
