// Read-only file mappings, guarded against the file shrinking under them:
// a SIGBUS on one of their pages ends the run with one error line.
#define _XOPEN_SOURCE 700

#include "mapped.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_MAPPINGS 64 // Guarded at once; more files are read instead (a layout names a few fonts)

// One mapping. The SIGBUS handler reads the table, so an entry is filled
// before `start` is set and emptied by clearing `start` first.
typedef struct mapping_s {
  const char *volatile start; // First byte (NULL: a free entry)
  size_t size;                // Bytes mapped
  char *message;              // The guard's whole error line (malloc'ed)
} mapping_t;

static mapping_t mappings[MAX_MAPPINGS];
static struct sigaction previous; // What SIGBUS did before the guard

static void on_sigbus(int sig, siginfo_t *info, void *context);

//
// 'ap_mapped_map()' - Map a file read-only, guarded.
//

const void *
ap_mapped_map(int fd, size_t size, const char *path, const char *noun)
{
  mapping_t *m = NULL;

  for (int i = 0; i < MAX_MAPPINGS && !m; i++)
    if (!mappings[i].start)
      m = &mappings[i];
  if (!m || size == 0) {
    errno = m ? EINVAL : ENFILE;
    return NULL;
  }

  // The guard, installed with the first mapping (and again if something replaced it)...
  struct sigaction now;
  if (sigaction(SIGBUS, NULL, &now) != 0)
    return NULL;
  if (!(now.sa_flags & SA_SIGINFO) || now.sa_sigaction != on_sigbus) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGBUS, &sa, &previous) != 0)
      return NULL;
  }

  // The line the guard writes, made now (a signal handler cannot format)...
  const char *format = "%s: error: the %s changed while it was read (another program made it shorter): expected a "
                       "file that stays\n";
  size_t len = strlen(format) + strlen(path) + strlen(noun);
  char *message = malloc(len);
  if (!message)
    return NULL;
  snprintf(message, len, format, path, noun);

  void *bytes = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (bytes == MAP_FAILED) {
    free(message);
    return NULL;
  }
  m->size = size;
  m->message = message;
  m->start = bytes;
  return bytes;
}

//
// 'ap_mapped_is()' - Whether bytes starts a guarded mapping.
//

bool
ap_mapped_is(const void *bytes)
{
  for (int i = 0; bytes && i < MAX_MAPPINGS; i++)
    if (mappings[i].start == bytes)
      return true;
  return false;
}

//
// 'ap_mapped_unmap()' - Unmap a guarded mapping.
//

void
ap_mapped_unmap(const void *bytes)
{
  for (int i = 0; bytes && i < MAX_MAPPINGS; i++) {
    mapping_t *m = &mappings[i];
    if (m->start != bytes)
      continue;
    m->start = NULL;
    munmap((void *)bytes, m->size);
    free(m->message);
    m->message = NULL;
    return;
  }
}

// SIGBUS: on a guarded mapping, its error line and exit status 1; anywhere
// else, what SIGBUS did before (by default: the program ends with the signal).
static void
on_sigbus(int sig, siginfo_t *info, void *context)
{
  const char *at = info ? (const char *)info->si_addr : NULL;

  for (int i = 0; at && i < MAX_MAPPINGS; i++) {
    const char *start = mappings[i].start;
    if (start && at >= start && at < start + mappings[i].size) {
      const char *message = mappings[i].message;
      ssize_t unused = write(STDERR_FILENO, message, strlen(message));
      (void)unused;
      _exit(1);
    }
  }
  if (previous.sa_flags & SA_SIGINFO && previous.sa_sigaction) {
    previous.sa_sigaction(sig, info, context);
    return;
  }
  if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
    previous.sa_handler(sig);
    return;
  }
  signal(SIGBUS, SIG_DFL); // Returning makes the access fault again, now fatal
}
