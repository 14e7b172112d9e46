// anpham watch: render, then render again whenever a file the render read
// changes (the layout, the data, their bases, fonts, images), until SIGINT
// or SIGTERM. Files are watched through their folders (inotify), so that
// an editor that saves by writing a new file and renaming it over the old
// one is seen like one that writes in place; after the first change the
// watch waits until the folders have been quiet for SETTLE_MS (an editor
// that writes twice, a backup then the file, gives one render). Each
// render prints one line (its time), or its first error; a render that
// fails leaves the last good PDF as it was (ap_run writes only whole
// outputs). Only this file and main.c print for it.
#define _XOPEN_SOURCE 700 // realpath() is XSI
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define SETTLE_MS 10   // Quiet time after a change before rendering
#define MAX_FILES 1024 // Most files watched (a layout's inputs: far fewer)
#define EVENTS (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB)

// One file a render read: its folder (absolute) and its name there.
typedef struct watched_s {
  char *dir;   // Folder, as realpath gives it (malloc'ed)
  char *name;  // File name in it (malloc'ed)
  int wd;      // The folder's inotify watch
} watched_t;

typedef struct watch_s {
  int fd;                        // inotify
  watched_t files[MAX_FILES];    // The files of the last render (and the layout and data always)
  int nfiles;                    // How many
} watch_t;

static volatile sig_atomic_t stopped; // SIGINT or SIGTERM came

static void add_file(watch_t *w, const char *path);
static void clear_files(watch_t *w);
static void forget_files(watch_t *w, watched_t *old, int nold);
static double now_ms(void);
static void on_signal(int sig);
static int render(const ap_options_t *options, watch_t *w);
static bool wait_for_change(watch_t *w);

//
// 'ap_cli_watch()' - Render, then render again on every change.
//

int                                       // O - Exit status: 0 when stopped by a signal
ap_cli_watch(const ap_options_t *options) // I - render's options (-o or --dump given)
{
  struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
  watch_t *w = calloc(1, sizeof(*w));

  if (!w || (w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
    fprintf(stderr, "anpham watch: cannot watch files: %s\n", strerror(w ? errno : ENOMEM));
    free(w);
    return AP_INTERNAL;
  }
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int); // No SA_RESTART: poll() returns at once
  sigaction(SIGTERM, &sa, &old_term);
  stopped = 0;

  int status = AP_OK;
  while (!stopped) {
    if ((status = render(options, w)) == AP_USAGE || status == AP_INTERNAL)
      break; // (the command line, or the machine: a change of a file will not help)
    status = AP_OK;
    if (!wait_for_change(w))
      break;
  }
  if (stopped)
    fputs("anpham watch: stopped\n", stderr);
  clear_files(w);
  close(w->fd);
  free(w);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  return status;
}

// Render once: one line with the time, or the first error; then watch what
// the render read (a failed render: what the last good one read, and the
// layout and the data). The folders stay watched from one render to the
// next (a folder no longer needed is let go after the render): a change
// made while a render runs, or right after it, is seen, and renders again.
// Returns the render's status.
static int
render(const ap_options_t *options, watch_t *w)
{
  ap_diags_t diags = {0};
  ap_result_t result = {0};
  const char *out = options->output ? options->output : options->dump;

  add_file(w, options->layout); // (watched before the first render reads them)
  if (options->data)
    add_file(w, options->data);
  double t0 = now_ms();
  ap_status_t status = ap_run_result(options, &diags, &result);
  double ms = now_ms() - t0;
  int errors = ap_cli_print_diags(&diags);
  if (status == AP_OK && !errors) {
    fprintf(stderr, "anpham watch: wrote %s (%d page%s) in %.0f ms\n", out, result.pages,
            result.pages == 1 ? "" : "s", ms);
    // The files this render read, their folders' watches kept (the same
    // folder gives the same watch); those of files it no longer read go...
    watched_t *old = malloc(sizeof(watched_t) * (size_t)(w->nfiles ? w->nfiles : 1));
    int nold = 0;
    if (old) {
      memcpy(old, w->files, sizeof(watched_t) * (size_t)w->nfiles);
      nold = w->nfiles;
      w->nfiles = 0;
      for (int i = 0; i < result.ninputs; i++)
        add_file(w, result.inputs[i]);
      add_file(w, options->layout);
      if (options->data)
        add_file(w, options->data);
      forget_files(w, old, nold);
      free(old);
    }
  } else {
    fprintf(stderr, "anpham watch: %s left as it was; watching for changes (Ctrl-C stops)\n", out);
    if (status == AP_OK)
      status = AP_BAD_INPUT;
  }
  add_file(w, options->layout);
  if (options->data)
    add_file(w, options->data);
  ap_result_free(&result);
  return (int)status;
}

// Wait until a watched file changes, then until its folders are quiet;
// false when stopped (or inotify fails).
static bool
wait_for_change(watch_t *w)
{
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  struct pollfd p = {.fd = w->fd, .events = POLLIN};
  bool changed = false;

  while (!stopped) {
    int n = poll(&p, 1, changed ? SETTLE_MS : -1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    if (n == 0) // Quiet since the change: render
      return true;
    ssize_t got;
    while ((got = read(w->fd, buf, sizeof(buf))) > 0)
      for (char *q = buf; q < buf + got;) {
        const struct inotify_event *e = (const struct inotify_event *)q;
        for (int i = 0; i < w->nfiles && !changed; i++)
          changed = e->len && w->files[i].wd == e->wd && !strcmp(w->files[i].name, e->name);
        q += sizeof(*e) + e->len;
      }
  }
  return false;
}

// Watch a file through its folder (once per file).
static void
add_file(watch_t *w, const char *path)
{
  const char *slash = strrchr(path, '/');
  char dir[PATH_MAX], real[PATH_MAX];

  if (w->nfiles == MAX_FILES)
    return;
  snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1, slash ? path : ".");
  if (!realpath(dir, real))
    return;
  const char *name = slash ? slash + 1 : path;
  for (int i = 0; i < w->nfiles; i++)
    if (!strcmp(w->files[i].dir, real) && !strcmp(w->files[i].name, name))
      return;
  watched_t *f = &w->files[w->nfiles];
  if ((f->wd = inotify_add_watch(w->fd, real, EVENTS)) < 0 || !(f->dir = strdup(real)) ||
      !(f->name = strdup(name))) {
    free(f->dir);
    f->dir = NULL;
    return;
  }
  w->nfiles++;
}

// Forget the files of the list before: their names, and the watches of
// their folders that no file watched now is in.
static void
forget_files(watch_t *w, watched_t *old, int nold)
{
  for (int i = 0; i < nold; i++) {
    bool needed = false, done = false;
    for (int k = 0; k < w->nfiles && !needed; k++)
      needed = w->files[k].wd == old[i].wd;
    for (int k = 0; k < i && !done; k++)
      done = old[k].wd == old[i].wd;
    if (!needed && !done)
      inotify_rm_watch(w->fd, old[i].wd);
    free(old[i].dir);
    free(old[i].name);
  }
}

// Forget every file (the folders' watches go with the last of their files).
static void
clear_files(watch_t *w)
{
  for (int i = 0; i < w->nfiles; i++) {
    bool last = true;
    for (int k = i + 1; k < w->nfiles && last; k++)
      last = w->files[k].wd != w->files[i].wd;
    if (last)
      inotify_rm_watch(w->fd, w->files[i].wd);
    free(w->files[i].dir);
    free(w->files[i].name);
  }
  w->nfiles = 0;
}

// Monotonic milliseconds.
static double
now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

// SIGINT, SIGTERM: stop after the render under way.
static void
on_signal(int sig)
{
  (void)sig;
  stopped = 1;
}
