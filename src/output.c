// Outputs: classify what -o and --dump name, and write complete bytes to it
// (temporary file + rename for regular files, write-through otherwise).
// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool fail_create(ap_diags_t *diags, const char *path, int error);
static bool write_replace(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags);
static bool write_through(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags);
static bool fill_bytes(void *ctx, int fd);

// Bytes given whole (ap_output_write).
typedef struct bytes_s {
  const void *bytes; // The bytes
  size_t size;       // How many
} bytes_t;

//
// 'ap_output_open()' - Look at what an output path names.
//

bool
ap_output_open(ap_output_t *out, const char *path)
{
  struct stat st;        // What is there
  char real[PATH_MAX];   // Through its symlinks

  memset(out, 0, sizeof(*out));
  out->path = path;
  if (!strcmp(path, "-")) {
    out->kind = AP_OUTPUT_STDOUT;
    if (fstat(STDOUT_FILENO, &st) == 0) {
      out->exists = true;
      out->dev = st.st_dev;
      out->ino = st.st_ino;
      out->device = S_ISCHR(st.st_mode);
    }
    return true;
  }
  if (stat(path, &st) != 0) {
    out->kind = AP_OUTPUT_FILE; // Nothing there yet (or its folder is missing: the write says so)
    return true;
  }
  out->exists = true;
  out->dev = st.st_dev;
  out->ino = st.st_ino;
  out->device = S_ISCHR(st.st_mode);
  if (S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return false;
  }

  // A regular file is replaced, unless it is reached through /proc or /dev
  // (/dev/stdout, /dev/fd/1, /proc/self/fd/1): that is a descriptor's file,
  // written through like a device...
  out->kind = S_ISREG(st.st_mode) ? AP_OUTPUT_FILE : AP_OUTPUT_THROUGH;
  if (out->kind == AP_OUTPUT_FILE && (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6) ||
                                      (realpath(path, real) && (!strncmp(real, "/dev/", 5) ||
                                                                !strncmp(real, "/proc/", 6)))))
    out->kind = AP_OUTPUT_THROUGH;
  return true;
}

//
// 'ap_output_same()' - Do two outputs name the same file?
//

bool
ap_output_same(const ap_output_t *a, const ap_output_t *b)
{
  if (a->exists && b->exists)
    return a->dev == b->dev && a->ino == b->ino && !a->device;
  if (a->kind == AP_OUTPUT_STDOUT || b->kind == AP_OUTPUT_STDOUT)
    return a->kind == b->kind;
  if (!strcmp(a->path, b->path))
    return true;

  // Neither exists yet: the same folder and name? (./x.pdf and x.pdf)...
  char da[PATH_MAX], db[PATH_MAX], fa[PATH_MAX], fb[PATH_MAX];
  const char *sa = strrchr(a->path, '/'), *sb = strrchr(b->path, '/');
  snprintf(fa, sizeof(fa), "%.*s", sa ? (int)(sa - a->path) : 1, sa ? a->path : ".");
  snprintf(fb, sizeof(fb), "%.*s", sb ? (int)(sb - b->path) : 1, sb ? b->path : ".");
  if (!realpath(fa[0] ? fa : "/", da) || !realpath(fb[0] ? fb : "/", db))
    return false;
  return !strcmp(da, db) && !strcmp(sa ? sa + 1 : a->path, sb ? sb + 1 : b->path);
}

//
// 'ap_output_write()' - Write complete bytes to an output, or nothing.
//

bool
ap_output_write(const ap_output_t *out, const void *bytes, size_t size, ap_diags_t *diags)
{
  bytes_t whole = {bytes, size};
  return ap_output_write_with(out, fill_bytes, &whole, diags);
}

//
// 'ap_output_write_with()' - Write an output piece by piece, as ap_output_write does.
//

bool
ap_output_write_with(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags)
{
  switch (out->kind) {
  case AP_OUTPUT_STDOUT:
    if (!fill(ctx, STDOUT_FILENO))
      return ap_fail(diags, ap_loc_file("-"), "cannot write to standard output: %s", strerror(errno));
    return true;
  case AP_OUTPUT_THROUGH:
    return write_through(out, fill, ctx, diags);
  case AP_OUTPUT_FILE:
  default:
    return write_replace(out, fill, ctx, diags);
  }
}

// The fill of bytes given whole.
static bool
fill_bytes(void *ctx, int fd)
{
  const bytes_t *whole = ctx;
  return ap_write_all(fd, whole->bytes, whole->size);
}

// Record why an output file cannot be created; returns false.
static bool
fail_create(ap_diags_t *diags, const char *path, int error)
{
  if (error == ENOENT)
    return ap_fail(diags, ap_loc_file(path), "cannot create the file: its folder does not exist");
  if (error == EACCES || error == EROFS || error == EPERM)
    return ap_fail(diags, ap_loc_file(path), "cannot create the file: its folder is not writable");
  return ap_fail(diags, ap_loc_file(path), "cannot create the file: %s", strerror(error));
}

//
// 'ap_write_all()' - write() until done; false with errno on failure.
//

bool
ap_write_all(int fd, const void *bytes, size_t size)
{
  const char *p = bytes;

  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    size -= (size_t)n;
  }
  return true;
}

// A temporary file beside the output (same folder: the rename is atomic),
// written, synced and renamed over it. SIGINT, SIGTERM and SIGHUP wait
// while the temporary file exists, so that no signal leaves it behind.
static bool
write_replace(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags)
{
  sigset_t block, old;    // The signals held back, and the mask before
  size_t n = strlen(out->path) + 32;
  char *tmp = malloc(n);  // Temporary file name
  int error = 0;

  if (!tmp)
    return ap_fail(diags, ap_loc_file(out->path), "out of memory");
  const char *slash = strrchr(out->path, '/');
  snprintf(tmp, n, "%.*s.%s.anpham-XXXXXX", slash ? (int)(slash - out->path + 1) : 0, out->path,
           slash ? slash + 1 : out->path);

  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &old);

  // Create, write, then give it the mode any new file gets (mkstemp makes 0600)...
  int fd = mkstemp(tmp);
  if (fd < 0) {
    error = errno;
  } else {
    mode_t mask = umask(0);
    umask(mask);
    errno = 0;
    if (fchmod(fd, 0666 & ~mask) != 0 || !fill(ctx, fd))
      error = errno ? errno : EIO;
    if (close(fd) != 0 && !error)
      error = errno;
    if (!error && rename(tmp, out->path) != 0)
      error = errno;
    if (error)
      unlink(tmp);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  free(tmp);
  if (error)
    return fail_create(diags, out->path, error);
  return true;
}

// Devices, FIFOs and descriptors' files are opened and written, never
// created or replaced.
static bool
write_through(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags)
{
  int fd = open(out->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);

  if (fd < 0)
    return fail_create(diags, out->path, errno);
  errno = 0;
  bool ok = fill(ctx, fd);
  int error = errno ? errno : EIO;
  if (close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok)
    return ap_fail(diags, ap_loc_file(out->path), "cannot write: %s", strerror(error));
  return true;
}
