// The batch runner: expands the batch file's jobs (numbered copies, this
// shard's share), skips those the manifest says are up to date, prepares
// each layout once, then runs the jobs in job processes forked from this
// one (workers.c: so the parsed layout and the loaded fonts are shared,
// copy-on-write, and a crash ends one job only), at most `jobs` processes
// at a time, each running job after job of its layout: the paragraphs a
// job process sets are there for its next jobs (the district editions
// share all but their cover, recipients and page), and what one process
// compresses or subsets is there for all (the render cache, shared memory).
// SIGINT or SIGTERM stops new jobs; running ones finish (a second signal
// ends them) and the manifest lists exactly the jobs that ended.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch-private.h"

#define MAX_RUNNING 256 // Most job processes at a time
#define PAR_CACHE_BYTES (32u << 20) // Most bytes of set paragraphs a job process keeps for its next jobs
#define RENDER_CACHE_BYTES ((size_t)64 << 20) // Most bytes of deflated streams the jobs share

static volatile sig_atomic_t signals_seen; // SIGINT/SIGTERM received during the run
static volatile sig_atomic_t last_signal;  // Which, last

static bool make_folders(const char *path);
static bool add_job(ap_batch_t *b, const ap_job_spec_t *spec, int copy, ap_diags_t *diags);
static void end_job(ap_batch_t *b, int index, const char *report, int status);
static void fail_job(ap_batch_t *b, ap_batch_job_t *job, const char *error);
static prepared_layout_t *layout_for(ap_batch_t *b, const char *path);
static void on_signal(int sig);
static ap_worker_t *worker_for(ap_batch_t *b, int index, ap_worker_t *workers, int *nworkers);

//
// 'ap_batch_create()' - The run of a batch file's jobs.
//

ap_batch_t *
ap_batch_create(const ap_batch_file_t *file, const ap_batch_options_t *options, ap_diags_t *diags)
{
  ap_batch_t *b = calloc(1, sizeof(*b));
  int total = 0;

  if (!b || !(b->arena = ap_arena_create())) {
    free(b);
    ap_fail(diags, ap_loc_file(file->path), "out of memory");
    return NULL;
  }
  b->file = file;
  b->options = *options;
  if (b->options.jobs <= 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    b->options.jobs = n > 0 ? (int)n : 1;
  }
  if (b->options.jobs > MAX_RUNNING)
    b->options.jobs = MAX_RUNNING;

  // The folders every job may read: the command line's, then the batch file's...
  const char **allow = ap_arena_alloc(b->arena, sizeof(char *) * (size_t)(options->nallow + file->nallow + 1));
  for (int i = 0; i < options->nallow; i++)
    allow[i] = options->allow[i];
  for (int i = 0; i < file->nallow; i++)
    allow[options->nallow + i] = file->allow[i];
  b->options.allow = allow;
  b->options.nallow = options->nallow + file->nallow;

  // Every job of the file, a numbered copy being a job of its own, then
  // this shard's: job i belongs to shard i mod N...
  for (int i = 0; i < file->njobs; i++) {
    const ap_job_spec_t *s = &file->jobs[i];
    total += s->copies && !s->copies_in_one ? s->copies : 1;
    if (total > AP_BATCH_MAX_JOBS) {
      ap_fail(diags, s->loc, "more than %d jobs with their copies: split the batch", AP_BATCH_MAX_JOBS);
      ap_batch_destroy(b);
      return NULL;
    }
  }
  b->jobs = calloc((size_t)total, sizeof(ap_batch_job_t));
  int index = 0;
  bool ok = b->jobs != NULL;
  for (int i = 0; ok && i < file->njobs; i++) {
    const ap_job_spec_t *s = &file->jobs[i];
    int copies = s->copies && !s->copies_in_one ? s->copies : 0;
    for (int c = copies ? 1 : 0; ok && c <= copies; c++, index++)
      if (!b->options.nshards || index % b->options.nshards == b->options.shard)
        ok = add_job(b, s, c, diags);
  }

  // The manifest: beside the outputs, one per shard...
  if (ok)
    b->manifest = b->options.manifest ? b->options.manifest
                  : b->options.nshards ? ap_path_join(b->arena, file->output_dir,
                                                      ap_arena_printf(b->arena, "manifest-%d-of-%d.json",
                                                                      b->options.shard, b->options.nshards))
                                       : ap_path_join(b->arena, file->output_dir, "manifest.json");
  if (!ok) {
    ap_batch_destroy(b);
    return NULL;
  }
  return b;
}

//
// 'ap_batch_counts()' - The counts so far.
//

ap_batch_counts_t
ap_batch_counts(const ap_batch_t *b)
{
  ap_batch_counts_t n = {.total = b->njobs, .seconds = b->started ? ap_batch_now() - b->started : 0};
  for (int i = 0; i < b->njobs; i++)
    switch (b->jobs[i].state) {
    case AP_JOB_DONE: n.done++; break;
    case AP_JOB_UNCHANGED: n.unchanged++; break;
    case AP_JOB_FAILED: n.failed++; break;
    default: n.waiting++; break;
    }
  return n;
}

//
// 'ap_batch_destroy()' - Free the run.
//

void
ap_batch_destroy(ap_batch_t *b)
{
  if (!b)
    return;
  for (int i = 0; b->jobs && i < b->njobs; i++) {
    free(b->jobs[i].error);
  }
  for (int i = 0; i < b->nlayouts; i++) {
    ap_prepared_free(b->layouts[i].prepared);
    free(b->layouts[i].error);
  }
  free(b->jobs);
  json_object_put(b->previous);
  if (b->spill)
    fclose(b->spill);
  ap_hashes_free(&b->hashes);
  ap_par_cache_close(b->par_cache);
  ap_render_cache_close(b->render_cache);
  ap_arena_destroy(b->arena);
  free(b);
}

//
// 'ap_batch_job()' - The i-th job.
//

const ap_batch_job_t *
ap_batch_job(const ap_batch_t *b, int i)
{
  return i >= 0 && i < b->njobs ? &b->jobs[i] : NULL;
}

//
// 'ap_batch_manifest_path()' - The manifest's path.
//

const char *
ap_batch_manifest_path(const ap_batch_t *b)
{
  return b->manifest;
}

//
// 'ap_batch_run()' - Run every job.
//

int
ap_batch_run(ap_batch_t *b, ap_diags_t *diags)
{
  ap_worker_t workers[MAX_RUNNING];
  struct pollfd fds[MAX_RUNNING];
  int busy[MAX_RUNNING]; // Which workers poll() looks at
  struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term, old_pipe;
  struct sigaction ignore = {.sa_handler = SIG_IGN};
  int nworkers = 0, next = 0, lost = 0; // (lost: processes found ended when given the next job)
  bool stopped = false;

  b->started = ap_batch_now();
  // The jobs' shared deflated streams and font subsets: memory their
  // processes share (none when it cannot be mapped); the paragraphs each
  // job process sets, for its next jobs...
  if (!b->render_cache)
    b->render_cache = ap_render_cache_open(RENDER_CACHE_BYTES);
  if (!b->par_cache)
    b->par_cache = ap_par_cache_open(PAR_CACHE_BYTES);
  signals_seen = 0;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int); // No SA_RESTART: poll() returns at once
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGPIPE, &ignore, &old_pipe); // A job process that died is seen by its report pipe

  // What is up to date needs no process...
  if (!b->spill && !(b->spill = tmpfile())) {
    ap_fail(diags, ap_loc_file(b->manifest), "cannot create a temporary file for the manifest: %s", strerror(errno));
    return 1;
  }
  if (!b->options.force) // --force renders every job: the last manifest is not even read
    ap_manifest_load(b, diags);
  for (int i = 0; i < b->njobs && !signals_seen; i++)
    if (!b->options.force && ap_manifest_up_to_date(b, &b->jobs[i])) {
      b->jobs[i].state = AP_JOB_UNCHANGED;
      if (b->options.progress)
        b->options.progress(b->options.progress_ctx, b, &b->jobs[i]);
    }
  json_object_put(b->previous); // What carries over is in the spill file now
  b->previous = NULL;

  for (;;) {
    // Hand out jobs while a job process is free or can be started (none once a signal came)...
    while (!signals_seen && next < b->njobs) {
      if (b->jobs[next].state != AP_JOB_WAITING) {
        next++;
        continue;
      }
      ap_worker_t *w = worker_for(b, next, workers, &nworkers);
      if (!w && b->jobs[next].state == AP_JOB_WAITING)
        break; // Every process busy
      if (w && !ap_worker_give(w, next)) {
        // An idle process that ended meanwhile: the job goes to a new one (three tries)...
        ap_worker_stop(w);
        *w = workers[--nworkers];
        if (++lost < 3)
          continue;
        fail_job(b, &b->jobs[next], "cannot start the job: its process ended");
      } else if (w)
        b->jobs[next].state = AP_JOB_RUNNING;
      lost = 0;
      next++;
    }
    int nbusy = 0;
    for (int i = 0; i < nworkers; i++)
      if (workers[i].job >= 0)
        busy[nbusy++] = i;
    if (nbusy == 0)
      break;
    if (signals_seen >= 2 && !stopped) {
      for (int i = 0; i < nbusy; i++)
        kill(workers[busy[i]].pid, SIGTERM);
      stopped = true;
    }

    // Wait for a report of any running job; a process whose pipe closes has ended...
    for (int i = 0; i < nbusy; i++)
      fds[i] = (struct pollfd){.fd = workers[busy[i]].from, .events = POLLIN};
    if (poll(fds, (nfds_t)nbusy, -1) < 0)
      continue; // EINTR: a signal; look at the flags again
    for (int i = nbusy - 1; i >= 0; i--) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ap_worker_t *w = &workers[busy[i]];
      int job = w->job;
      char *report;
      int got = ap_worker_read(w, &report);
      if (got > 0)
        end_job(b, job, report, 0);
      free(report);
      if (got < 0) { // The process ended (crashed, or stopped) during its job
        char *text = w->text ? strdup(w->text) : NULL;
        int status = ap_worker_stop(w);
        end_job(b, job, text, status);
        free(text);
        *w = workers[--nworkers];
      }
    }
  }

  // No job left: the job processes end...
  for (int i = 0; i < nworkers; i++)
    ap_worker_stop(&workers[i]);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  sigaction(SIGPIPE, &old_pipe, NULL);
  bool written = (make_folders(b->manifest) || true) && ap_manifest_write(b, diags);
  if (signals_seen)
    return 128 + last_signal;
  ap_batch_counts_t n = ap_batch_counts(b);
  return n.failed || !written ? 1 : 0;
}

// One job of the run (copy 0: not numbered): its output name and values.
static bool
add_job(ap_batch_t *b, const ap_job_spec_t *spec, int copy, ap_diags_t *diags)
{
  ap_batch_job_t *job = &b->jobs[b->njobs];

  job->spec = spec;
  job->output = spec->output;
  for (int i = 0; i < spec->nsets; i++)
    job->sets[job->nsets++] = spec->sets[i];
  if (copy) {
    // NAME.pdf → NAME-001.pdf …; $copy is "001"… (as wide as the count, 3 at least), $copies the count...
    job->output = ap_copy_name(b->arena, spec->output, copy, spec->copies);
    job->sets[job->nsets++] = ap_arena_printf(b->arena, "copy=%0*d", ap_copy_width(spec->copies) & 15, copy);
    job->sets[job->nsets++] = ap_arena_printf(b->arena, "copies=%d", spec->copies);
    job->copy = copy;
  }

  // Two jobs writing one file would overwrite each other...
  for (int i = 0; i < b->njobs; i++)
    if (!strcmp(b->jobs[i].output, job->output))
      return ap_fail(diags, spec->loc, "this job writes %s, as an earlier job does: give each job its own output",
                     job->output);
  b->njobs++;
  return true;
}

// A job ended: its report, the manifest entry its process sent (or, with
// none, how the process ended: its wait status), becomes the job's state.
static void
end_job(ap_batch_t *b, int index, const char *report, int status)
{
  ap_batch_job_t *job = &b->jobs[index];
  json_object *entry = report ? json_tokener_parse(report) : NULL, *v;

  if (WIFSIGNALED(status) && signals_seen && WTERMSIG(status) == SIGTERM) {
    job->state = AP_JOB_WAITING; // Stopped by the second signal: it did not end
    json_object_put(entry);
    return;
  }
  if (!entry || !WIFEXITED(status)) {
    char error[256];
    if (WIFSIGNALED(status))
      snprintf(error, sizeof(error), "%s: the job crashed (signal %d, %s): please report it", job->output,
               WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
      snprintf(error, sizeof(error), "%s: the job ended without a report (exit status %d)", job->output,
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    json_object_put(entry);
    fail_job(b, job, error);
    return;
  }
  job->state = json_object_object_get_ex(entry, "status", &v) && !strcmp(json_object_get_string(v), "done")
                   ? AP_JOB_DONE : AP_JOB_FAILED;
  if (json_object_object_get_ex(entry, "error", &v))
    job->error = strdup(json_object_get_string(v));
  if (json_object_object_get_ex(entry, "pages", &v))
    job->pages = json_object_get_int(v);
  if (json_object_object_get_ex(entry, "bytes", &v))
    job->bytes = (size_t)json_object_get_int64(v);
  if (json_object_object_get_ex(entry, "ms", &v))
    job->ms = json_object_get_double(v);
  ap_manifest_keep(b, job, entry);
  if (b->options.progress)
    b->options.progress(b->options.progress_ctx, b, job);
}

// A job failed before or outside its process.
static void
fail_job(ap_batch_t *b, ap_batch_job_t *job, const char *error)
{
  job->state = AP_JOB_FAILED;
  job->error = strdup(error);
  ap_manifest_keep(b, job, ap_manifest_entry(b, job, NULL, error, 0));
  if (b->options.progress)
    b->options.progress(b->options.progress_ctx, b, job);
}

//
// 'ap_batch_first_error()' - The first error of a job as one line.
//

const char *
ap_batch_first_error(ap_diags_t *diags, char *buf, size_t size, ap_status_t status)
{
  for (ap_diag_t *d = diags->first; d; d = d->next)
    if (d->severity == AP_SEV_ERROR) {
      ap_diag_format(d, buf, (unsigned)size);
      return buf;
    }
  snprintf(buf, size, "internal error (status %d)", (int)status);
  return buf;
}

// The job process to run a job: an idle one of its layout, else a new one
// (the layout prepared on its first use), an idle process
// of another layout making room when every slot is taken; NULL when every
// process is busy. A job that cannot start (its layout failed, its folder
// cannot be made, no process) fails here: NULL, and the job has failed.
static ap_worker_t *
worker_for(ap_batch_t *b, int index, ap_worker_t *workers, int *nworkers)
{
  ap_batch_job_t *job = &b->jobs[index];
  prepared_layout_t *layout = layout_for(b, job->spec->layout);

  if (!layout || !layout->prepared) {
    fail_job(b, job, layout ? layout->error : "more than 64 layouts in one batch");
    return NULL;
  }
  if (!make_folders(job->output)) {
    char error[4096];
    snprintf(error, sizeof(error), "%s: error: cannot create its folder: %s", job->output, strerror(errno));
    fail_job(b, job, error);
    return NULL;
  }
  for (int i = 0; i < *nworkers; i++)
    if (workers[i].job < 0 && workers[i].layout == layout)
      return &workers[i];
  for (int i = 0; *nworkers >= b->options.jobs && i < *nworkers; i++)
    if (workers[i].job < 0) {
      ap_worker_stop(&workers[i]);
      workers[i] = workers[--*nworkers];
    }
  if (*nworkers >= b->options.jobs)
    return NULL;
  ap_worker_t *w = &workers[*nworkers];
  if (!ap_worker_start(b, w, layout, workers, *nworkers)) {
    fail_job(b, job, "cannot start the job: fork failed");
    return NULL;
  }
  (*nworkers)++;
  return w;
}

// The layout prepared for a path (prepared now on first use).
static prepared_layout_t *
layout_for(ap_batch_t *b, const char *path)
{
  for (int i = 0; i < b->nlayouts; i++)
    if (!strcmp(b->layouts[i].path, path))
      return &b->layouts[i];
  if (b->nlayouts == (int)(sizeof(b->layouts) / sizeof(b->layouts[0])))
    return NULL;
  prepared_layout_t *l = &b->layouts[b->nlayouts++];
  ap_options_t o = {.layout = path, .allow = b->options.allow, .nallow = b->options.nallow,
                    .font_paths = b->options.font_paths, .nfont_paths = b->options.nfont_paths,
                    .max_image_pixels = b->options.max_image_pixels};
  ap_diags_t diags = {0};
  ap_status_t status;
  char line[4096];

  l->path = path;
  if (!(l->prepared = ap_prepare(&o, &diags, &status)))
    l->error = strdup(ap_batch_first_error(&diags, line, sizeof(line), status));
  else // The files every job of this layout reads, hashed once...
    for (int i = 0; ap_prepared_input(l->prepared, i); i++)
      ap_hashes_get(&b->hashes, ap_prepared_input(l->prepared, i));
  ap_diags_clear(&diags);
  return l;
}

//
// 'ap_batch_job_options()' - The options of a job's run.
//

ap_options_t
ap_batch_job_options(const ap_batch_t *b, ap_batch_job_t *job)
{
  const ap_job_spec_t *s = job->spec;
  return (ap_options_t){.layout = s->layout, .data = s->data, .output = job->output, .handout = s->handout,
                        .deck = s->deck, .slide_page = s->slide_page, .sets = job->sets, .nsets = job->nsets,
                        .allow = b->options.allow, .nallow = b->options.nallow,
                        .font_paths = b->options.font_paths, .nfont_paths = b->options.nfont_paths,
                        .max_image_pixels = b->options.max_image_pixels, .impose = s->impose,
                        .crop_marks = s->crop_marks, .pdfa = s->pdfa || s->archive,
                        .no_tags = s->no_tags && !s->archive, .require_date = s->archive,
                        .render_cache = b->render_cache, .par_cache = b->par_cache,
                        .one_core = b->options.jobs > 1, .strict = b->options.strict};
}

// SIGINT, SIGTERM: counted; the loop stops starting jobs (and at the second, stops them).
static void
on_signal(int sig)
{
  last_signal = sig;
  signals_seen++;
}

// The folders above an output, made when missing (mkdir -p).
static bool
make_folders(const char *path)
{
  char dir[4096];
  const char *slash = strrchr(path, '/');
  struct stat st;

  if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
    return true;
  memcpy(dir, path, (size_t)(slash - path));
  dir[slash - path] = '\0';
  if (stat(dir, &st) == 0)
    return S_ISDIR(st.st_mode) || (errno = ENOTDIR, false);
  for (char *p = dir + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir(dir, 0777) < 0 && errno != EEXIST)
        return false;
      *p = '/';
    }
  return mkdir(dir, 0777) == 0 || errno == EEXIST;
}
