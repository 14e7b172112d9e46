// The background deflater: from the second page on (a one-page document
// is not worth a thread), a finished page's content stream is handed to a
// second thread, which deflates it (ap_render_deflate_with, with the one
// compressor, taken in turn with the main thread's images and fonts, and a
// decompressor of its own) while the main thread lays out and paints the
// next pages; the main thread puts each result into its stream, in page
// order, as results come and at the end (before fonts and save). At most
// MAX_WAITING pages wait for the thread, so memory stays that of a few
// pages. libharu is only ever called from the main thread. The output is
// the same bytes as deflating each page at once (the same level, the same
// data): only the time it is done differs.
#include "render-private.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WAITING 4 // Pages handed over and not deflated yet, at most

// One page stream: handed over, deflated, put in place.
typedef struct task_s {
  HPDF_Dict dict;           // Its stream dictionary (main thread only)
  unsigned char *in;        // Its bytes (the thread frees them)
  size_t size;              // How many
  unsigned char *out;       // The zlib data (malloc'ed), when done
  size_t done;              // Its size
  bool ok;                  // Deflated (false: out of memory)
  bool finished;            // The thread is done with it
  struct task_s *next;      // The next page's
} task_t;

struct ap_deflater_s {
  pthread_t thread;         // The second thread
  pthread_mutex_t lock;     // Guards everything below but `first`
  pthread_cond_t wake;      // A task came, or stop
  pthread_cond_t finished;  // A task was finished
  task_t *first;            // Oldest task not put in place (main thread only)
  task_t *last;             // Newest task
  task_t *todo;             // Oldest task the thread has not taken (NULL: none)
  int unfinished;           // Tasks handed over and not finished
  bool stop;                // The thread ends when nothing is left to do
  ap_render_cache_t *cache; // The batch's deflate cache (borrowed), NULL for none
  struct libdeflate_decompressor *d; // The thread's decompressor (the cache's check)
};

static bool put_finished(ap_writer_t *r, bool all);

static void *work(void *arg);

//
// 'ap_deflater_start()' - Start the second thread.
//

ap_deflater_t *                     // O - Deflater, NULL when none could be started
ap_deflater_start(ap_render_cache_t *cache) // I - The batch's deflate cache, or NULL
{
  ap_deflater_t *d = calloc(1, sizeof(*d));

  if (!d)
    return NULL;
  d->cache = cache;
  if (!(d->d = libdeflate_alloc_decompressor())) {
    free(d);
    return NULL;
  }
  pthread_mutex_init(&d->lock, NULL);
  pthread_cond_init(&d->wake, NULL);
  pthread_cond_init(&d->finished, NULL);
  if (!ap_render_thread_start(&d->thread, work, d)) {
    pthread_cond_destroy(&d->finished);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    libdeflate_free_decompressor(d->d);
    free(d);
    return NULL;
  }
  return d;
}

//
// 'ap_deflater_page()' - Hand a finished page's stream to the thread.
//
// Without a deflater the stream is deflated at once, or, while the
// pipeline paints pages on a second thread, handed to it (ap_pipeline_defer).
// Results already done are put in place now. False on error (recorded).
//

bool                                // O - true on success
ap_deflater_page(ap_writer_t *r,    // I - Renderer
                 HPDF_Dict    dict) // I - The page's content stream
{
  ap_deflater_t *d = r->deflater;
  unsigned char *in;
  size_t size;

  if (!d && !r->pipeline)
    return ap_render_deflate(r, dict);
  int taken = ap_render_deflate_take(r, dict, &in, &size);
  if (taken <= 0)
    return taken == 0;
  if (!d) // Painted in the pipeline: deflated by whichever thread is free
    return ap_pipeline_defer(r->pipeline, dict, in, size);
  task_t *t = calloc(1, sizeof(*t));
  if (!t) {
    free(in);
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  }
  t->dict = dict;
  t->in = in;
  t->size = size;

  pthread_mutex_lock(&d->lock);
  if (d->last)
    d->last->next = t;
  else
    d->first = t;
  d->last = t;
  if (!d->todo)
    d->todo = t;
  d->unfinished++;
  pthread_cond_signal(&d->wake);
  while (d->unfinished > MAX_WAITING)
    pthread_cond_wait(&d->finished, &d->lock);
  pthread_mutex_unlock(&d->lock);
  return put_finished(r, false);
}

//
// 'ap_deflater_wait()' - Wait for every stream handed over, and put each in place.
//

bool                                // O - false when one could not be deflated (recorded)
ap_deflater_wait(ap_writer_t *r)    // I - Renderer (no deflater: nothing to do)
{
  return !r->deflater || put_finished(r, true);
}

//
// 'ap_deflater_stop()' - End the thread and free what is left.
//

void
ap_deflater_stop(ap_deflater_t *d)  // I - Deflater (NULL is fine)
{
  if (!d)
    return;
  pthread_mutex_lock(&d->lock);
  d->stop = true;
  pthread_cond_signal(&d->wake);
  pthread_mutex_unlock(&d->lock);
  pthread_join(d->thread, NULL);
  for (task_t *t = d->first, *next; t; t = next) {
    next = t->next;
    free(t->in);
    free(t->out);
    free(t);
  }
  pthread_cond_destroy(&d->finished);
  pthread_cond_destroy(&d->wake);
  pthread_mutex_destroy(&d->lock);
  libdeflate_free_decompressor(d->d);
  free(d);
}

// Put the finished results in their streams, oldest first, stopping at
// the first unfinished one (all: waiting for each). False when one could
// not be deflated or put in place (recorded).
static bool
put_finished(ap_writer_t *r, bool all)
{
  ap_deflater_t *d = r->deflater;
  bool ok = true;

  for (;;) {
    task_t *t = d->first;
    pthread_mutex_lock(&d->lock);
    while (all && t && !t->finished)
      pthread_cond_wait(&d->finished, &d->lock);
    bool ready = t && t->finished;
    if (ready) {
      d->first = t->next;
      if (!d->first)
        d->last = NULL;
    }
    pthread_mutex_unlock(&d->lock);
    if (!ready)
      return ok;
    if (t->ok)
      ok = ap_render_deflate_put(r, t->dict, t->out, t->done) && ok;
    else
      ok = ap_fail(r->diags, ap_loc_file(r->path), "out of memory compressing a page");
    free(t);
  }
}

// The second thread: deflate the tasks in order until stopped.
static void *
work(void *arg)
{
  ap_deflater_t *d = arg;

  pthread_mutex_lock(&d->lock);
  for (;;) {
    while (!d->todo && !d->stop)
      pthread_cond_wait(&d->wake, &d->lock);
    task_t *t = d->todo;
    if (!t)
      break; // Stopped, nothing left
    d->todo = t->next;
    pthread_mutex_unlock(&d->lock);

    t->ok = ap_render_deflate_with(d->d, d->cache, t->in, t->size, &t->out, &t->done);
    free(t->in);
    t->in = NULL;

    pthread_mutex_lock(&d->lock);
    t->finished = true;
    d->unfinished--;
    pthread_cond_broadcast(&d->finished);
  }
  pthread_mutex_unlock(&d->lock);
  return NULL;
}
