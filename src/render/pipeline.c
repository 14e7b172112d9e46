// The render pipeline: pages painted on a second thread while the main
// thread lays out the next ones. Layout hands each page over as it is
// composed (ap_pipeline_page), then the arena the page lives in
// (ap_pipeline_retire, layout's ap_retire_fn); the thread paints the pages
// in order with the one writer (libharu is only ever called by one thread
// at a time: the main thread before the pipeline starts and after it ends,
// this thread in between); the main thread frees a page's arena once the
// page is painted, so that the arena's blocks go back to the thread that
// makes arenas. At most IN_FLIGHT pages are handed over and not freed, so
// memory stays that of a few pages.
//
// Two threads read the faces at once (layout measuring, render drawing):
// the caller hands a page over only while every face answers from its
// arrays alone (ap_fontset_read_only), and paints it itself otherwise,
// after the pages handed over are painted.
//
// A painted page's stream waits in a queue to be deflated (ap_pipeline_defer)
// by whichever thread is free: the main thread when it would wait for the
// painting (too many pages in flight, or the end), the painting thread
// when no page is waiting for it (or too many streams are). Only the
// thread holding the writer puts deflated bytes in their streams, oldest
// first: the painting thread before it paints a page, the main thread
// once the thread has ended (no third thread on two cores).
//
// What the thread records goes into a list of its own. A page that fails
// stops the painting; the main thread learns of it at its next page (or at
// the end) and gives up then: what it recorded after handing that page over
// (the next pages' layout, which a run on one thread would not have done)
// is taken back, and the thread's messages follow, as they would have.
// The PDF is the same bytes as painting each page at once: only the thread
// that paints differs.
#include "render-private.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define IN_FLIGHT 6 // Pages handed over and not freed yet, at most
#define MAX_STREAMS 3 // Streams waiting to be deflated before the painting thread deflates one first

// A page's stream waiting to be deflated, or deflated and not yet in place.
typedef struct job_s {
  HPDF_Dict dict;           // Its stream dictionary (emptied)
  unsigned char *in;        // Its bytes (malloc'ed; freed once deflated)
  size_t size;              // How many
  unsigned char *out;       // Its zlib data, once deflated (malloc'ed)
  size_t done;              // Its size
  bool ok;                  // Deflated (false: out of memory)
  bool finished;            // Deflated, or tried
  struct job_s *next;       // The next stream's
} job_t;

// One page handed over.
typedef struct slot_s {
  const ap_page_t *page; // The page
  ap_arena_t *arena;     // The memory it lives in, once layout retired it (freed when painted)
  ap_diag_t *mark;       // The main thread's last diagnostic when it came (NULL: none yet)
} slot_t;

struct ap_pipeline_s {
  ap_writer_t *w;          // The writer (the thread's while the pipeline runs)
  ap_diags_t *diags;       // The run's diagnostics (the main thread's)
  int errors;              // w->errors before the thread took the writer
  pthread_t thread;        // The painting thread (when started)
  bool started;            // It was
  pthread_mutex_t lock;    // Guards what follows
  pthread_cond_t wake;     // A page came, or the end
  pthread_cond_t painted;  // A page was painted
  slot_t slots[IN_FLIGHT]; // Page i is in slots[i % IN_FLIGHT]
  long handed;             // Pages handed over
  long done;               // Pages the thread is done with
  long freed;              // Pages whose arena the main thread freed
  long failed_at;          // The page that failed (-1: none)
  bool handed_last;        // The last page given went to the thread (its arena comes next)
  bool stop;               // No more pages
  ap_diags_t own;          // What the thread recorded
  job_t *first, *last;     // Streams handed over and not put in place, oldest first
  job_t *todo;             // The oldest not taken to deflate (NULL: none)
  int waiting;             // Streams not taken yet
  struct libdeflate_decompressor *d[2]; // The batch cache's check: the main thread's, the painting thread's
};

static bool paint_held(ap_pipeline_t *p);
static bool start(ap_pipeline_t *p);
static bool deflate_one(ap_pipeline_t *p, int who);
static void free_painted(ap_pipeline_t *p, bool all);
static void *paint(void *arg);
static bool put_deflated(ap_pipeline_t *p);

//
// 'ap_pipeline_create()' - A pipeline for a writer; the thread starts with the second page.
//
// The first page waits for it, held (a one-page document makes no thread:
// its page is painted at the end), and goes to the thread with it: the
// main thread goes on to lay out the second page instead of painting the
// first (the 2023 report's cover: 1.3 M instructions).
//

ap_pipeline_t *                     // O - Pipeline, NULL when out of memory (then paint at once)
ap_pipeline_create(ap_writer_t *w)  // I - Writer, begun
{
  ap_pipeline_t *p = calloc(1, sizeof(*p));

  if (!p)
    return NULL;
  // The compressor (668 KB, kept) made here: from the top of the main
  // thread's heap, on huge pages (base/heap.c), rather than from a mapping
  // of its own in the painting thread's malloc arena, whose 4 KB pages its
  // first page would fault in one by one (the 2023 report: 62 page faults
  // fewer)...
  ap_render_deflate_ready();
  p->w = w;
  p->diags = w->diags;
  p->failed_at = -1;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->painted, NULL);
  return p;
}

//
// 'ap_pipeline_page()' - Paint a page: on the thread, or at once.
//
// share: the faces may be read by two threads now (ap_fontset_read_only).
// The first page, and a page that may not be shared, is painted at once,
// after every page handed over. False when this page or one before failed
// (recorded, or to be recorded by ap_pipeline_end).
//

bool                                     // O - true while nothing failed
ap_pipeline_page(ap_pipeline_t   *p,     // I - Pipeline
                 const ap_page_t *page,  // I - The page (alive until its arena is retired and painted)
                 bool             share) // I - Its faces may be read by two threads
{
  p->handed_last = false;
  if (!p->started && p->failed_at >= 0)
    return false;
  if (!p->started) {
    // The first page waits for a second one, unless one was painted before
    // (a copy of --copies-in-one: then the thread starts with this page)...
    if (share && !p->handed && !p->w->pages_done) {
      p->slots[0] = (slot_t){.page = page, .mark = p->diags->last};
      p->handed = 1;
      p->handed_last = true;
      return true;
    }
    // ...and goes to the thread before it; a page that may not be shared,
    // or no thread, paints it and this one at once.
    if (!share || !start(p))
      return paint_held(p) && ap_render_page(p->w, page);
  }

  pthread_mutex_lock(&p->lock);
  free_painted(p, !share); // (a page painted here waits for those before it)
  bool ok = p->failed_at < 0;
  if (ok && share) {
    slot_t *s = &p->slots[p->handed % IN_FLIGHT];
    s->page = page;
    s->arena = NULL;
    s->mark = p->diags->last;
    p->handed++;
    p->handed_last = true;
    pthread_cond_signal(&p->wake);
  }
  pthread_mutex_unlock(&p->lock);
  if (ok && !share) { // Every page before painted: this one here, with the writer's own diagnostics
    p->w->diags = p->diags;
    p->w->errors = p->errors;
    ok = ap_render_page(p->w, page);
    p->w->diags = &p->own;
    p->w->errors = 0;
  }
  return ok;
}

//
// 'ap_pipeline_retire()' - Take the arena of the page just given (layout's ap_retire_fn).
//

void
ap_pipeline_retire(ap_pipeline_t *p,      // I - Pipeline
                   ap_arena_t    *arena)  // I - Arena of the page last given to ap_pipeline_page
{
  // Not the arena of a page handed over (one painted at once, layout's
  // last): freed once the pages handed over are painted, in case one of
  // them lives in it (an arena layout could not replace)...
  pthread_mutex_lock(&p->lock);
  if (!p->handed_last) {
    if (p->started)
      free_painted(p, true);
    pthread_mutex_unlock(&p->lock);
    ap_arena_destroy(arena);
    return;
  }
  p->slots[(p->handed - 1) % IN_FLIGHT].arena = arena; // (not freed before it is set: free_painted)
  p->handed_last = false;
  pthread_mutex_unlock(&p->lock);
}

//
// 'ap_pipeline_end()' - Wait for the pages handed over, stop the thread, free the pipeline.
//
// The writer is the caller's again, with the thread's diagnostics recorded
// in the run's. False when a page failed.
//

bool                                // O - true when every page was painted
ap_pipeline_end(ap_pipeline_t *p)   // I - Pipeline, or NULL
{
  if (!p)
    return true;
  bool ok = p->started || (paint_held(p) && p->failed_at < 0); // (a one-page document's page)
  if (p->started) {
    pthread_mutex_lock(&p->lock);
    free_painted(p, true); // (deflating streams meanwhile)
    p->stop = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_mutex_lock(&p->lock); // (the thread is gone: for free_painted's rule)
    free_painted(p, true);
    while (deflate_one(p, 0))
      ;
    pthread_mutex_unlock(&p->lock);
    ok = p->failed_at < 0;
    p->w->pipeline = NULL;
    bool put = put_deflated(p); // (the writer is the main thread's again)
    // A page failed: what the main thread recorded past it goes, the thread's messages follow...
    if (!ok)
      ap_diags_rewind(p->diags, p->slots[p->failed_at % IN_FLIGHT].mark);
    ap_diags_append(p->diags, &p->own);
    p->w->diags = p->diags;
    p->w->errors = p->errors;
    if (ok && !put)
      ok = ap_fail(p->diags, ap_loc_file(p->w->path), "out of memory compressing a page");
  }
  for (job_t *j = p->first, *next; j; j = next) { // (left by a failure)
    next = j->next;
    free(j->in);
    free(j->out);
    free(j);
  }
  for (int i = 0; i < 2; i++)
    if (p->d[i])
      libdeflate_free_decompressor(p->d[i]);
  pthread_cond_destroy(&p->painted);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
  free(p);
  return ok;
}

// Paint the page held for the thread, if any, here and now (the thread
// did not start); false when it failed. Its arena is freed. Its messages
// follow the main thread's, as the thread's would; when it fails, what the
// main thread recorded since the page came goes first (a run that painted
// it at once would have stopped there).
static bool
paint_held(ap_pipeline_t *p)
{
  if (p->done == p->handed)
    return true;
  ap_writer_t *w = p->w;
  slot_t *s = &p->slots[0];
  ap_diags_t own = {0};
  int errors = w->errors;
  w->diags = &own;
  w->errors = 0;
  bool ok = ap_render_page(w, s->page);
  w->diags = p->diags;
  w->errors = errors;
  if (!ok) {
    ap_diags_rewind(p->diags, s->mark);
    p->failed_at = p->done;
  }
  ap_diags_append(p->diags, &own);
  ap_arena_destroy(s->arena); // (NULL: not retired, when layout stopped)
  *s = (slot_t){0};
  p->done = p->freed = p->handed;
  return ok;
}

// Start the thread, which takes the writer (false: it could not start; paint at once).
static bool
start(ap_pipeline_t *p)
{
  ap_writer_t *w = p->w;

  p->errors = w->errors;
  w->diags = &p->own;
  w->errors = 0;
  // Its pages' streams go to the pipeline's queue, deflated by whichever
  // thread is free (no background deflater: two threads are enough on two
  // cores); one running already keeps on...
  w->background = false;
  w->pipeline = p;
  if (!(p->started = ap_render_thread_start(&p->thread, paint, p))) {
    w->diags = p->diags;
    w->errors = p->errors;
    w->pipeline = NULL;
  }
  return p->started;
}

// Free the arenas of the pages painted (lock held); with all, wait for
// every page handed over first. A page's slot is taken again only once its
// arena is freed.
static void
free_painted(ap_pipeline_t *p, bool all)
{
  while (all ? p->done < p->handed : p->handed - p->freed >= IN_FLIGHT && p->done == p->freed)
    if (!deflate_one(p, 0)) // (rather than wait: a stream the thread painted)
      pthread_cond_wait(&p->painted, &p->lock);
  for (; p->freed < p->done; p->freed++) {
    slot_t *s = &p->slots[p->freed % IN_FLIGHT];
    ap_arena_destroy(s->arena); // (NULL: not retired, when layout stopped)
    s->arena = NULL;
  }
}

// The thread: paint the pages handed over, in order, until the end.
static void *
paint(void *arg)
{
  ap_pipeline_t *p = arg;

  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (p->done == p->handed && !p->stop)
      if (!deflate_one(p, 1)) // (while no page waits: a stream)
        pthread_cond_wait(&p->wake, &p->lock);
    if (p->done == p->handed)
      break;
    if (p->waiting > MAX_STREAMS) // (the main thread has not had to wait for long)
      deflate_one(p, 1);
    const ap_page_t *page = p->slots[p->done % IN_FLIGHT].page;
    bool go = p->failed_at < 0;
    pthread_mutex_unlock(&p->lock);
    // The writer is this thread's until the page is painted: the streams
    // deflated so far go in first...
    bool ok = true;
    if (go && !put_deflated(p))
      ok = ap_fail(p->w->diags, ap_loc_file(p->w->path), "out of memory compressing a page");
    ok = !go || (ok && ap_render_page(p->w, page));
    pthread_mutex_lock(&p->lock);
    if (!ok)
      p->failed_at = p->done;
    p->done++;
    pthread_cond_signal(&p->painted);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}

//
// 'ap_pipeline_defer()' - A painted page's stream, to deflate when a thread is free.
//

bool                                      // O - false when out of memory (recorded)
ap_pipeline_defer(ap_pipeline_t *p,       // I - Pipeline
                  HPDF_Dict      dict,    // I - The stream (emptied by ap_render_deflate_take)
                  unsigned char *in,      // I - Its bytes (malloc'ed; taken over)
                  size_t         size)    // I - How many
{
  job_t *j = calloc(1, sizeof(*j));

  if (!j) {
    free(in);
    return ap_fail(p->w->diags, ap_loc_file(p->w->path), "out of memory");
  }
  j->dict = dict;
  j->in = in;
  j->size = size;
  pthread_mutex_lock(&p->lock);
  if (p->last)
    p->last->next = j;
  else
    p->first = j;
  p->last = j;
  if (!p->todo)
    p->todo = j;
  p->waiting++;
  pthread_cond_signal(&p->wake); // (a thread waiting for a page may deflate it)
  pthread_mutex_unlock(&p->lock);
  return true;
}

// Deflate the oldest stream not taken (lock held; released while it is
// deflated) for who (0 the main thread, 1 the painting thread); false
// when none waits.
static bool
deflate_one(ap_pipeline_t *p, int who)
{
  job_t *j = p->todo;

  if (!j)
    return false;
  p->todo = j->next;
  p->waiting--;
  pthread_mutex_unlock(&p->lock);
  ap_render_cache_t *cache = p->w->render_cache;
  if (cache && !p->d[who])
    p->d[who] = libdeflate_alloc_decompressor();
  j->ok = (!cache || p->d[who]) && ap_render_deflate_with(p->d[who], cache, j->in, j->size, &j->out, &j->done);
  free(j->in);
  j->in = NULL;
  pthread_mutex_lock(&p->lock);
  j->finished = true;
  pthread_cond_broadcast(&p->painted); // (the end waits for the streams too)
  return true;
}

// Put the deflated streams in place, oldest first, stopping at the first
// not deflated yet. Only by the thread holding the writer. False when one
// could not be deflated.
static bool
put_deflated(ap_pipeline_t *p)
{
  bool ok = true;

  for (;;) {
    pthread_mutex_lock(&p->lock);
    job_t *j = p->first;
    bool ready = j && j->finished;
    if (ready && !(p->first = j->next))
      p->last = NULL;
    pthread_mutex_unlock(&p->lock);
    if (!ready)
      return ok;
    if (j->ok) {
      ok = ap_render_deflate_put(p->w, j->dict, j->out, j->done) && ok; // (frees out)
    } else {
      free(j->out);
      ok = false;
    }
    free(j);
  }
}
