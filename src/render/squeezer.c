// The squeezer: bytes deflated on a second thread, one buffer at a time,
// while the caller goes on. save.c hands it each object stream as it is
// filled and serializes the next objects meanwhile; the caller takes the
// zlib data back later (waiting if it must). The bytes are those of
// ap_render_deflate_bytes on the calling thread (the one compressor, taken
// in turn): without a thread (one core, or none could start) each buffer
// is deflated at once when handed, and taking it gives the same data.
#include "render-private.h"

#include <pthread.h>
#include <stdlib.h>

struct ap_squeezer_s {
  pthread_t thread;         // The second thread
  bool started;             // Whether it runs
  pthread_mutex_t lock;     // Guards what follows
  pthread_cond_t cond;      // Bytes came, were deflated, or stop
  unsigned char *in;        // Bytes handed over, not yet taken by the thread (malloc'ed; NULL: none)
  size_t size;              // How many
  bool finished;            // The bytes handed over are deflated (or could not be)
  bool ok;                  // They were (false: out of memory)
  unsigned char *out;       // Their zlib data (malloc'ed, for the caller)
  size_t done;              // Its size
  bool stop;                // The thread ends
};

static void *work(void *arg);

//
// 'ap_squeezer_start()' - A squeezer, with a thread when threads is true.
//
// Without a thread when none could start (each buffer deflated when handed).
//

ap_squeezer_t *                 // O - Squeezer, NULL when out of memory
ap_squeezer_start(bool threads) // I - Deflate on a second thread
{
  ap_squeezer_t *s = calloc(1, sizeof(*s));

  if (!s)
    return NULL;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  s->started = threads && ap_render_thread_start(&s->thread, work, s);
  return s;
}

//
// 'ap_squeezer_hand()' - Hand over malloc'ed bytes to deflate (the squeezer frees them).
//
// What was handed before must have been taken.
//

void
ap_squeezer_hand(ap_squeezer_t *s,   // I - Squeezer
                 unsigned char *in,  // I - Bytes (malloc'ed; taken over)
                 size_t size)        // I - How many
{
  if (!s->started) {
    s->ok = ap_render_deflate_bytes(in, size, &s->out, &s->done);
    s->finished = true;
    free(in);
    return;
  }
  pthread_mutex_lock(&s->lock);
  s->in = in;
  s->size = size;
  s->finished = false;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

//
// 'ap_squeezer_take()' - Wait for the bytes handed over, and take their zlib data.
//

bool                                  // O - true with *out (malloc'ed); false when out of memory
ap_squeezer_take(ap_squeezer_t *s,    // I - Squeezer
                 unsigned char **out, // O - zlib data
                 size_t *done)        // O - Its size
{
  pthread_mutex_lock(&s->lock);
  while (!s->finished)
    pthread_cond_wait(&s->cond, &s->lock);
  bool ok = s->ok;
  *out = s->out;
  *done = s->done;
  s->out = NULL;
  s->finished = false;
  pthread_mutex_unlock(&s->lock);
  return ok;
}

//
// 'ap_squeezer_stop()' - End the thread (once it is done) and free the squeezer (NULL is fine).
//

void
ap_squeezer_stop(ap_squeezer_t *s) // I - Squeezer
{
  if (!s)
    return;
  if (s->started) {
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
  }
  free(s->in);
  free(s->out);
  pthread_cond_destroy(&s->cond);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

// The second thread: deflate what is handed over until stopped (a buffer
// handed over before the stop is deflated first).
static void *
work(void *arg)
{
  ap_squeezer_t *s = arg;

  pthread_mutex_lock(&s->lock);
  for (;;) {
    while (!s->in && !s->stop)
      pthread_cond_wait(&s->cond, &s->lock);
    unsigned char *in = s->in;
    size_t size = s->size;
    if (!in)
      break; // Stopped, nothing left
    s->in = NULL;
    pthread_mutex_unlock(&s->lock);

    unsigned char *out = NULL;
    size_t done = 0;
    bool ok = ap_render_deflate_bytes(in, size, &out, &done);
    free(in);

    pthread_mutex_lock(&s->lock);
    s->ok = ok;
    s->out = out;
    s->done = done;
    s->finished = true;
    pthread_cond_broadcast(&s->cond);
  }
  pthread_mutex_unlock(&s->lock);
  return NULL;
}
