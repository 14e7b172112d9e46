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
// after the pages handed over are painted. Page streams are deflated by
// the painting thread itself (no third thread on two cores).
//
// What the thread records goes into a list of its own. A page that fails
// stops the painting; the main thread learns of it at its next page (or at
// the end) and gives up then: what it recorded after handing that page over
// (the next pages' layout, which a run on one thread would not have done)
// is taken back, and the thread's messages follow, as they would have.
// The PDF is the same bytes as painting each page at once: only the thread
// that paints differs.
#include "render-private.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define IN_FLIGHT 3 // Pages handed over and not freed yet, at most

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
};

static bool start(ap_pipeline_t *p);
static void free_painted(ap_pipeline_t *p, bool all);
static void *paint(void *arg);

//
// 'ap_pipeline_create()' - A pipeline for a writer; the thread starts with the second page.
//

ap_pipeline_t *                     // O - Pipeline, NULL when out of memory (then paint at once)
ap_pipeline_create(ap_writer_t *w)  // I - Writer, begun
{
  ap_pipeline_t *p = calloc(1, sizeof(*p));

  if (!p)
    return NULL;
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
  if (!p->started && (!share || !p->w->pages_done || !start(p)))
    return ap_render_page(p->w, page); // (a thread not started: the same at once)

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
  bool ok = true;
  if (p->started) {
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_mutex_lock(&p->lock); // (the thread is gone: for free_painted's rule)
    free_painted(p, true);
    pthread_mutex_unlock(&p->lock);
    ok = p->failed_at < 0;
    // A page failed: what the main thread recorded past it goes, the thread's messages follow...
    if (!ok)
      ap_diags_rewind(p->diags, p->slots[p->failed_at % IN_FLIGHT].mark);
    ap_diags_append(p->diags, &p->own);
    p->w->diags = p->diags;
    p->w->errors = p->errors;
  }
  pthread_cond_destroy(&p->painted);
  pthread_cond_destroy(&p->wake);
  pthread_mutex_destroy(&p->lock);
  free(p);
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
  // The thread deflates its pages itself (no background deflater: two
  // threads are enough on two cores); one running already keeps on...
  w->background = false;
  if (!(p->started = ap_render_thread_start(&p->thread, paint, p))) {
    w->diags = p->diags;
    w->errors = p->errors;
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
      pthread_cond_wait(&p->wake, &p->lock);
    if (p->done == p->handed)
      break;
    const ap_page_t *page = p->slots[p->done % IN_FLIGHT].page;
    bool go = p->failed_at < 0;
    pthread_mutex_unlock(&p->lock);
    bool ok = !go || ap_render_page(p->w, page);
    pthread_mutex_lock(&p->lock);
    if (!ok)
      p->failed_at = p->done;
    p->done++;
    pthread_cond_signal(&p->painted);
  }
  pthread_mutex_unlock(&p->lock);
  return NULL;
}
