// Render's threads (the painting thread, pipeline.c; a batch's deflater,
// deflater.c): started with every signal
// blocked, and on a core other than the caller's.
//
// A new thread is placed by the kernel on the core of the thread that made
// it, and moves to an idle core only when the scheduler next balances the
// load: on the machines measured (2 cores, a virtual machine) the painting
// thread began from 0.1 to 2.7 ms after it was made, while the main thread
// laid out pages, and the main thread then waited for it (up to 2.3 ms, a
// tenth of the 2023 report's wall time, in one run out of three). So a
// thread is made on the cores allowed to the process but the caller's,
// when there are any, and is allowed every one of them again as soon as it
// runs (the kernel may then move it as it likes).
#define _GNU_SOURCE // pthread_attr_setaffinity_np, sched_getcpu, CPU_* macros
#include "render-private.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>

// What a thread runs, and the cores it may run on once started.
typedef struct start_s {
  void *(*fn)(void *); // What it runs
  void *arg;           // Its argument
  cpu_set_t allowed;   // The process's cores
} start_t;

static void *begin(void *arg);

//
// 'ap_render_thread_start()' - Start a thread of render's that takes no signal.
//
// SIGINT, SIGTERM and SIGHUP are the main thread's, which holds them while
// an output's temporary file exists (output.c), as it does while a PDF is
// saved into one: the deflater and the painting thread (pipeline.c) block
// every signal.
//

bool                                         // O - true when the thread runs
ap_render_thread_start(pthread_t *thread,    // O - The thread
                       void *(*fn)(void *),  // I - What it runs
                       void *arg)            // I - Its argument
{
  start_t *s = malloc(sizeof(*s));
  pthread_attr_t attr;
  bool placed = false;

  if (!s)
    return false;
  s->fn = fn;
  s->arg = arg;

  // Another core than this one, if the process may use one...
  int here = sched_getcpu();
  if (here >= 0 && sched_getaffinity(0, sizeof(s->allowed), &s->allowed) == 0 && pthread_attr_init(&attr) == 0) {
    cpu_set_t other = s->allowed;
    if (here < CPU_SETSIZE)
      CPU_CLR(here, &other);
    placed = CPU_COUNT(&other) > 0 && pthread_attr_setaffinity_np(&attr, sizeof(other), &other) == 0;
    if (!placed)
      pthread_attr_destroy(&attr);
  }

  sigset_t all, was;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &was);
  int started = pthread_create(thread, placed ? &attr : NULL, begin, s);
  pthread_sigmask(SIG_SETMASK, &was, NULL);
  if (placed)
    pthread_attr_destroy(&attr);
  if (started != 0)
    free(s);
  return started == 0;
}

// The thread's start: every core of the process allowed again, then its work.
static void *
begin(void *arg)
{
  start_t s = *(start_t *)arg;

  free(arg);
  sched_setaffinity(0, sizeof(s.allowed), &s.allowed); // (failing: it stays where it was put)
  return s.fn(s.arg);
}
