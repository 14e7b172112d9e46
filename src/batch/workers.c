// Job processes: forked from the batch's process once its layout is
// prepared (parsed, checked, fonts loaded), a job process runs
// the jobs the batch hands it one after another on that prepared layout
// (ap_run_kept gives each job's memory back and leaves the layout as it
// was), so a job pays no fork, no copy-on-write of the batch's memory and
// no exit of its own. The batch writes job numbers into the process's job
// pipe, one per line; the process answers each with the job's manifest
// entry, one line of JSON, through its report pipe, and ends when its job
// pipe closes. A job that crashes ends its process, and with it only that
// job: the batch reports it and starts a new process for the next one.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/heap.h"
#include "../output.h"
#include "batch-private.h"

static void serve(ap_batch_t *b, prepared_layout_t *layout, int in, int out);
static void run_job(ap_batch_t *b, ap_batch_job_t *job, prepared_layout_t *layout, int out, const char *epoch);

//
// 'ap_worker_start()' - Fork a job process for a prepared layout.
//
// others are the batch's other job processes, whose pipes the new one
// closes (else a process would hold another's pipe open past its end).
// False when no process could be started.
//

bool
ap_worker_start(ap_batch_t *b, ap_worker_t *w, prepared_layout_t *layout, const ap_worker_t *others, int nothers)
{
  int jobs[2], reports[2];

  if (pipe(jobs) < 0)
    return false;
  if (pipe(reports) < 0) {
    close(jobs[0]);
    close(jobs[1]);
    return false;
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(jobs[0]);
    close(jobs[1]);
    close(reports[0]);
    close(reports[1]);
    return false;
  }
  if (pid == 0) {
    // The job process: Ctrl-C (sent to the whole process group) lets its
    // job finish; the batch ends it with SIGTERM at the second one...
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    close(jobs[1]);
    close(reports[0]);
    for (int i = 0; i < nothers; i++) {
      close(others[i].to);
      close(others[i].from);
    }
    ap_heap_prefer_huge_pages(); // Its jobs' memory on huge pages (above the heap shared with the batch)
    ap_arena_own_huge_pages();   // (in chunks of its own)
    serve(b, layout, jobs[0], reports[1]);
  }
  close(jobs[0]);
  close(reports[1]);
  *w = (ap_worker_t){.pid = pid, .to = jobs[1], .from = reports[0], .layout = layout, .job = -1};
  return true;
}

//
// 'ap_worker_give()' - Hand a job to an idle job process; false when it is gone.
//

bool
ap_worker_give(ap_worker_t *w, int index)
{
  char line[32];
  int n = snprintf(line, sizeof(line), "%d\n", index);

  if (!ap_write_all(w->to, line, (size_t)n))
    return false;
  w->job = index;
  return true;
}

//
// 'ap_worker_read()' - Take what a job process wrote.
//
// 1 with its job's report (one line, malloc'ed, without the newline) in
// *report: the process is idle again; 0 when no report is complete yet;
// -1 when the process closed its end (it ended; what it wrote of an
// unfinished report stays in w->text).
//

int
ap_worker_read(ap_worker_t *w, char **report)
{
  char buf[16384];
  ssize_t got;

  *report = NULL;
  while ((got = read(w->from, buf, sizeof(buf))) < 0 && errno == EINTR)
    ;
  if (got <= 0)
    return -1;
  char *t = realloc(w->text, w->size + (size_t)got + 1);
  if (!t)
    return 0; // (the report is lost: the job will read as ended without one)
  memcpy(t + w->size, buf, (size_t)got);
  w->text = t;
  w->size += (size_t)got;
  t[w->size] = '\0';
  char *nl = memchr(t, '\n', w->size);
  if (!nl)
    return 0;
  // One job at a time: nothing follows its report...
  *nl = '\0';
  *report = t;
  w->text = NULL;
  w->size = 0;
  w->job = -1;
  return 1;
}

//
// 'ap_worker_stop()' - Close a job process's pipes and wait for its end.
//
// Returns its wait status. An idle process ends as soon as its job pipe
// closes.
//

int
ap_worker_stop(ap_worker_t *w)
{
  int status = 0;

  close(w->to);
  close(w->from);
  while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
    ;
  free(w->text);
  w->text = NULL;
  return status;
}

// In the job process: run the jobs that come through in, one at a time,
// until the batch closes it.
static void
serve(ap_batch_t *b, prepared_layout_t *layout, int in, int out)
{
  // The environment's date, for the jobs that do not set their own...
  const char *env = getenv("SOURCE_DATE_EPOCH");
  char *epoch = env ? strdup(env) : NULL;
  FILE *jobs = fdopen(in, "r");
  char line[64];

  while (jobs && fgets(line, sizeof(line), jobs)) {
    int i = atoi(line);
    if (i >= 0 && i < b->njobs)
      run_job(b, &b->jobs[i], layout, out, epoch);
  }
  _exit(0);
}

// In the job process: run one job on the prepared layout and send its
// manifest entry (one line) through out.
static void
run_job(ap_batch_t *b, ap_batch_job_t *job, prepared_layout_t *layout, int out, const char *epoch)
{
  const ap_job_spec_t *s = job->spec;
  ap_options_t o = ap_batch_job_options(b, job);
  ap_diags_t diags = {0};
  ap_result_t result = {0};
  char line[4096];

  // The job's own date (an archive's never the environment's: its data's, else its own)...
  if (s->source_date_epoch)
    setenv("SOURCE_DATE_EPOCH", s->source_date_epoch, 1);
  else if (s->archive || !epoch)
    unsetenv("SOURCE_DATE_EPOCH");
  else
    setenv("SOURCE_DATE_EPOCH", epoch, 1);

  // With --sign, the PDF is rendered beside the output, then signed into it (nothing there when that fails)...
  char unsigned_pdf[4096 + 64];
  if (b->options.sign) {
    snprintf(unsigned_pdf, sizeof(unsigned_pdf), "%s.unsigned-%ld.pdf", job->output, (long)getpid());
    o.output = unsigned_pdf;
  }

  double t0 = ap_batch_now();
  ap_status_t status = ap_run_kept(layout->prepared, &o, &diags, &result);
  if (status == AP_OK && diags.warnings > 0 && b->options.warnings) // (said by the job's process: its own)
    b->options.warnings(b->options.warnings_ctx, job, &diags);
  json_object *entry = NULL;
  if (status == AP_OK && b->options.sign) {
    entry = ap_manifest_entry(b, job, &result, NULL, 0);
    if (!ap_manifest_sign(b, job, unsigned_pdf, entry, &diags)) {
      status = AP_BAD_INPUT;
      json_object_put(entry);
      entry = NULL;
    }
  }
  if (b->options.sign)
    unlink(unsigned_pdf);
  double ms = (ap_batch_now() - t0) * 1000;
  if (entry)
    json_object_object_add(entry, "ms", json_object_new_double(ms));
  else
    entry = ap_manifest_entry(b, job, &result,
                              status == AP_OK ? NULL : ap_batch_first_error(&diags, line, sizeof(line), status), ms);

  // One line (plain JSON escapes the newlines of its strings)...
  size_t size;
  const char *text = json_object_to_json_string_length(entry, JSON_C_TO_STRING_PLAIN, &size);
  if (!ap_write_all(out, text, size) || !ap_write_all(out, "\n", 1))
    _exit(1); // The batch is gone
  json_object_put(entry);
  ap_result_free(&result);
  ap_diags_clear(&diags);
}
