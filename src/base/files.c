// Confined files: allowed folders, checks before a file is opened, whole
// reads, and the identity (device, inode) of every input of a run.
// realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "files.h"
#include "mapped.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct input_s {
  dev_t dev;  // Device of the file
  ino_t ino;  // Its inode
  char *path; // As the run named it (for messages)
  ap_file_kind_t kind; // What it was read as
} input_t;

struct ap_files_s {
  char **roots;    // Allowed folders, resolved (malloc'ed)
  ap_file_kind_t *root_kinds; // What may be read in each: one kind, or AP_FILE_KINDS for every kind
  int nroots;      // How many
  input_t *inputs; // Every file read or named as input
  int ninputs;     // How many
  int ainputs;     // Allocated
};

static const size_t kind_limit[AP_FILE_KINDS] = {
    16u << 20,  // AP_FILE_LAYOUT: a layout is a few hundred lines
    256u << 20, // AP_FILE_DATA: 100,000 table rows fit
    64u << 20,  // AP_FILE_FONT: the largest CJK collections are ~30 MB
    64u << 20,  // AP_FILE_IMAGE: a print-quality photo is a few MB
};
static const char *const kind_noun[AP_FILE_KINDS] = {"layout file", "data file", "font file", "image file"};

static bool fail_path(ap_diags_t *diags, ap_loc_t loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool inside(const ap_files_t *files, const char *resolved, ap_file_kind_t kind);
static bool resolve(ap_files_t *files, const char *path, ap_file_kind_t kind, char *resolved, struct stat *st,
                    ap_diags_t *diags, ap_loc_t loc, const char *hint);
static const char *type_name(mode_t mode);
static int open_checked(ap_files_t *files, const char *path, ap_file_kind_t kind, struct stat *fst, ap_diags_t *diags,
                        ap_loc_t loc, const char *hint);
static bool read_open(ap_files_t *files, const char *path, ap_file_kind_t kind, int fd, const struct stat *fst,
                      char **bytes, size_t *size, ap_diags_t *diags, ap_loc_t loc, const char *hint);

//
// 'ap_files_allow()' - Allow reading inside a folder.
//

bool
ap_files_allow(ap_files_t *files, const char *dir)
{
  return ap_files_allow_kind(files, dir, AP_FILE_KINDS);
}

//
// 'ap_files_allow_kind()' - Allow reading files of one kind inside a folder.
//

bool
ap_files_allow_kind(ap_files_t *files, const char *dir, ap_file_kind_t kind)
{
  char resolved[PATH_MAX]; // dir through its symlinks
  struct stat st;          // What it is

  if (!realpath(dir, resolved))
    return false;
  if (stat(resolved, &st) != 0)
    return false;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return false;
  }
  for (int i = 0; i < files->nroots; i++)
    if (!strcmp(files->roots[i], resolved)) {
      if (files->root_kinds[i] != kind)
        files->root_kinds[i] = AP_FILE_KINDS; // Allowed for two kinds: for every kind
      return true;
    }
  char **roots = realloc(files->roots, sizeof(char *) * (size_t)(files->nroots + 1));
  if (!roots)
    return false;
  files->roots = roots;
  ap_file_kind_t *kinds = realloc(files->root_kinds, sizeof(ap_file_kind_t) * (size_t)(files->nroots + 1));
  if (!kinds)
    return false;
  files->root_kinds = kinds;
  if (!(files->roots[files->nroots] = strdup(resolved)))
    return false;
  kinds[files->nroots] = kind;
  files->nroots++;
  return true;
}

//
// 'ap_files_allow_parent()' - Allow the folder a file is in.
//

bool
ap_files_allow_parent(ap_files_t *files, const char *path)
{
  const char *slash = strrchr(path, '/');
  char dir[PATH_MAX];

  if (!slash)
    return ap_files_allow(files, ".");
  if (slash == path)
    return ap_files_allow(files, "/");
  snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
  return ap_files_allow(files, dir);
}

//
// 'ap_files_check()' - Check a file as ap_files_read would, without opening it.
//

bool
ap_files_check(ap_files_t *files, const char *path, ap_file_kind_t kind, ap_diags_t *diags, ap_loc_t loc,
               const char *hint)
{
  char resolved[PATH_MAX];
  struct stat st;

  return resolve(files, path, kind, resolved, &st, diags, loc, hint);
}

//
// 'ap_files_check_named()' - Check a file named on the command line.
//

bool
ap_files_check_named(ap_files_t *files, const char *path, ap_file_kind_t kind, ap_diags_t *diags)
{
  struct stat st; // What path is

  if (stat(path, &st) != 0)
    return true; // Its reader says "cannot read the file" in its own words
  if (!S_ISREG(st.st_mode))
    return ap_fail(diags, ap_loc_file(path), "the %s is %s, not a regular file: expected an XML file",
                   ap_files_noun(kind), type_name(st.st_mode));
  if ((size_t)st.st_size > ap_files_limit(kind))
    return ap_fail(diags, ap_loc_file(path), "the %s is too large (%lld MB): at most %zu MB is read",
                   ap_files_noun(kind), (long long)(st.st_size >> 20), ap_files_limit(kind) >> 20);
  ap_files_note_input(files, path, kind, st.st_dev, st.st_ino);
  return true;
}

//
// 'ap_files_create()' - Create an empty set.
//

ap_files_t *
ap_files_create(void)
{
  return calloc(1, sizeof(ap_files_t));
}

//
// 'ap_files_destroy()' - Free the set.
//

void
ap_files_destroy(ap_files_t *files)
{
  if (!files)
    return;
  for (int i = 0; i < files->nroots; i++)
    free(files->roots[i]);
  for (int i = 0; i < files->ninputs; i++)
    free(files->inputs[i].path);
  free(files->roots);
  free(files->root_kinds);
  free(files->inputs);
  free(files);
}

//
// 'ap_files_find_input()' - The input that is this file, or NULL.
//

const char *
ap_files_find_input(const ap_files_t *files, dev_t dev, ino_t ino)
{
  for (int i = 0; i < files->ninputs; i++)
    if (files->inputs[i].dev == dev && files->inputs[i].ino == ino)
      return files->inputs[i].path;
  return NULL;
}

//
// 'ap_files_input_count()' - Number of inputs noted.
//

int
ap_files_input_count(const ap_files_t *files)
{
  return files->ninputs;
}

//
// 'ap_files_input_path()' - Path of the i-th input, in the order they were first read.
//

const char *
ap_files_input_path(const ap_files_t *files, int i)
{
  return i >= 0 && i < files->ninputs ? files->inputs[i].path : NULL;
}

//
// 'ap_files_input_kind()' - Kind of the i-th input.
//

ap_file_kind_t
ap_files_input_kind(const ap_files_t *files, int i)
{
  return i >= 0 && i < files->ninputs ? files->inputs[i].kind : AP_FILE_KINDS;
}

//
// 'ap_files_mark()' - Where the set stands: its folders and inputs so far.
//

ap_files_mark_t
ap_files_mark(const ap_files_t *files)
{
  return (ap_files_mark_t){.nroots = files->nroots, .ninputs = files->ninputs};
}

//
// 'ap_files_forget_since()' - Forget the folders and inputs added since a mark, but fonts.
//

void
ap_files_forget_since(ap_files_t *files, ap_files_mark_t mark)
{
  for (int i = mark.nroots; i < files->nroots; i++)
    free(files->roots[i]);
  if (mark.nroots < files->nroots)
    files->nroots = mark.nroots;
  int kept = mark.ninputs;
  for (int i = mark.ninputs; i < files->ninputs; i++) {
    if (files->inputs[i].kind == AP_FILE_FONT)
      files->inputs[kept++] = files->inputs[i];
    else
      free(files->inputs[i].path);
  }
  if (kept < files->ninputs)
    files->ninputs = kept;
}

//
// 'ap_files_limit()' - Largest file of a kind, in bytes.
//

size_t
ap_files_limit(ap_file_kind_t kind)
{
  return kind < AP_FILE_KINDS ? kind_limit[kind] : 0;
}

//
// 'ap_files_same()' - Whether two looks at a path saw the same file, unchanged.
//

bool
ap_files_same(const struct stat *a, const struct stat *b)
{
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

//
// 'ap_files_noun()' - What a kind is called in messages.
//

const char *
ap_files_noun(ap_file_kind_t kind)
{
  return kind < AP_FILE_KINDS ? kind_noun[kind] : "file";
}

//
// 'ap_files_note_input()' - Remember an input of the run.
//

void
ap_files_note_input(ap_files_t *files, const char *path, ap_file_kind_t kind, dev_t dev, ino_t ino)
{
  if (ap_files_find_input(files, dev, ino))
    return;
  if (files->ninputs == files->ainputs) {
    int n = files->ainputs ? files->ainputs * 2 : 16;
    input_t *inputs = realloc(files->inputs, sizeof(input_t) * (size_t)n);
    if (!inputs)
      return;
    files->inputs = inputs;
    files->ainputs = n;
  }
  input_t *in = &files->inputs[files->ninputs];
  if (!(in->path = strdup(path)))
    return;
  in->dev = dev;
  in->ino = ino;
  in->kind = kind;
  files->ninputs++;
}

//
// 'ap_files_read()' - Read a whole file of a kind, confined.
//

bool
ap_files_read(ap_files_t *files, const char *path, ap_file_kind_t kind, char **bytes, size_t *size,
              ap_diags_t *diags, ap_loc_t loc, const char *hint)
{
  struct stat fst; // What was opened

  *bytes = NULL;
  *size = 0;
  int fd = open_checked(files, path, kind, &fst, diags, loc, hint);
  return fd >= 0 && read_open(files, path, kind, fd, &fst, bytes, size, diags, loc, hint);
}

//
// 'ap_files_map()' - Map a whole file of a kind read-only, confined.
//

bool
ap_files_map(ap_files_t *files, const char *path, ap_file_kind_t kind, const void **bytes, size_t *size,
             ap_diags_t *diags, ap_loc_t loc, const char *hint)
{
  return ap_files_map_status(files, path, kind, bytes, size, NULL, diags, loc, hint);
}

//
// 'ap_files_map_status()' - Map a whole file, confined, and say what it was when mapped.
//

bool
ap_files_map_status(ap_files_t *files, const char *path, ap_file_kind_t kind, const void **bytes, size_t *size,
                    struct stat *status, ap_diags_t *diags, ap_loc_t loc, const char *hint)
{
  struct stat fst, now; // What was opened; what it is once mapped

  *bytes = NULL;
  *size = 0;
  int fd = open_checked(files, path, kind, &fst, diags, loc, hint);
  if (fd < 0)
    return false;
  if ((size_t)fst.st_size > ap_files_limit(kind)) {
    close(fd);
    return fail_path(diags, loc, hint, "the %s '%s' grew past %zu MB while it was read", ap_files_noun(kind), path,
                     ap_files_limit(kind) >> 20);
  }
  const void *mapped = fst.st_size > 0 ? ap_mapped_map(fd, (size_t)fst.st_size, path, ap_files_noun(kind)) : NULL;
  if (!mapped) { // Empty, or not mappable: read it
    char *read_bytes;
    if (!read_open(files, path, kind, fd, &fst, &read_bytes, size, diags, loc, hint))
      return false;
    *bytes = read_bytes;
    if (status) { // (no identity for bytes that are not the size it had)
      *status = fst;
      if ((size_t)fst.st_size != *size)
        status->st_ino = 0;
    }
    return true;
  }

  // A file made shorter between fstat() and mmap() is refused now; later, the guard stops the run...
  if (fstat(fd, &now) != 0 || now.st_size != fst.st_size) {
    close(fd);
    ap_mapped_unmap(mapped);
    return fail_path(diags, loc, hint, "the %s '%s' changed while it was read: expected a file that stays",
                     ap_files_noun(kind), path);
  }
  close(fd);
  ap_files_note_input(files, path, kind, fst.st_dev, fst.st_ino);
  *bytes = mapped;
  *size = (size_t)fst.st_size;
  if (status)
    *status = now;
  return true;
}

//
// 'ap_files_unmap()' - Release what ap_files_map() gave.
//

void
ap_files_unmap(const void *bytes)
{
  if (ap_mapped_is(bytes))
    ap_mapped_unmap(bytes);
  else
    free((void *)bytes);
}

// Open a confined file for reading and check that it is still what was resolved: its descriptor, or -1 after one
// error.
static int
open_checked(ap_files_t *files, const char *path, ap_file_kind_t kind, struct stat *fst, ap_diags_t *diags,
             ap_loc_t loc, const char *hint)
{
  char resolved[PATH_MAX]; // path through its symlinks
  struct stat st;          // What the path is
  const char *noun = ap_files_noun(kind);

  if (!resolve(files, path, kind, resolved, &st, diags, loc, hint))
    return -1;
  int fd = open(resolved, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    fail_path(diags, loc, hint, "cannot read the %s '%s': %s", noun, path, strerror(errno));
    return -1;
  }
  if (fstat(fd, fst) != 0 || fst->st_dev != st.st_dev || fst->st_ino != st.st_ino || !S_ISREG(fst->st_mode)) {
    close(fd);
    fail_path(diags, loc, hint, "the %s '%s' changed while it was read: expected a file that stays", noun, path);
    return -1;
  }
  return fd;
}

// Read an open confined file whole (malloc'ed, NUL-terminated) and close it; false after one error.
static bool
read_open(ap_files_t *files, const char *path, ap_file_kind_t kind, int fd, const struct stat *fst, char **bytes,
          size_t *size, ap_diags_t *diags, ap_loc_t loc, const char *hint)
{
  const char *noun = ap_files_noun(kind);

  // Read it whole; a file that grew past its limit meanwhile is refused...
  size_t limit = ap_files_limit(kind), cap = (size_t)fst->st_size + 1, len = 0;
  char *buf = malloc(cap + 1);
  ssize_t n = 0;
  while (buf && (n = read(fd, buf + len, cap - len)) > 0) {
    len += (size_t)n;
    if (len == cap) {
      if (cap > limit)
        break;
      char *bigger = realloc(buf, (cap *= 2) + 1);
      if (!bigger)
        free(buf);
      buf = bigger;
    }
  }
  int error = n < 0 ? errno : 0;
  close(fd);
  if (!buf)
    return fail_path(diags, loc, hint, "out of memory reading the %s '%s'", noun, path);
  if (error || len > limit) {
    free(buf);
    if (error)
      return fail_path(diags, loc, hint, "cannot read the %s '%s': %s", noun, path, strerror(error));
    return fail_path(diags, loc, hint, "the %s '%s' grew past %zu MB while it was read", noun, path, limit >> 20);
  }
  buf[len] = '\0';
  ap_files_note_input(files, path, kind, fst->st_dev, fst->st_ino);
  *bytes = buf;
  *size = len;
  return true;
}

// Record an error about a path, with the caller's hint after it; false.
static bool
fail_path(ap_diags_t *diags, ap_loc_t loc, const char *hint, const char *fmt, ...)
{
  char message[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(message, sizeof(message), fmt, ap);
  va_end(ap);
  return ap_fail(diags, loc, "%s%s%s", message, hint ? " " : "", hint ? hint : "");
}

// Is a resolved path an allowed folder or below one, for files of its kind?
static bool
inside(const ap_files_t *files, const char *resolved, ap_file_kind_t kind)
{
  for (int i = 0; i < files->nroots; i++) {
    const char *root = files->roots[i];
    if (files->root_kinds[i] != AP_FILE_KINDS && files->root_kinds[i] != kind)
      continue;
    size_t n = strlen(root);
    if (!strncmp(resolved, root, n) && (resolved[n] == '/' || resolved[n] == '\0' || (n == 1 && root[0] == '/')))
      return true;
  }
  return false;
}

// Resolve a path through its symlinks and check it without opening it:
// inside an allowed folder, a regular file, within the kind's size.
static bool
resolve(ap_files_t *files, const char *path, ap_file_kind_t kind, char *resolved, struct stat *st,
        ap_diags_t *diags, ap_loc_t loc, const char *hint)
{
  const char *noun = ap_files_noun(kind);

  if (!path || !*path)
    return fail_path(diags, loc, hint, "the %s has an empty name", noun);
  if (!realpath(path, resolved)) {
    if (errno == ENOENT || errno == ENOTDIR)
      return fail_path(diags, loc, hint, "cannot read the %s '%s': there is no such file", noun, path);
    return fail_path(diags, loc, hint, "cannot read the %s '%s': %s", noun, path, strerror(errno));
  }
  if (!inside(files, resolved, kind))
    return fail_path(diags, loc, hint,
                     "the %s '%s' is outside the folders anpham reads (the layout's and the data's folders, "
                     "the fonts folder, --allow-path DIR): expected a file inside them", noun, path);
  if (stat(resolved, st) != 0)
    return fail_path(diags, loc, hint, "cannot read the %s '%s': %s", noun, path, strerror(errno));
  if (!S_ISREG(st->st_mode))
    return fail_path(diags, loc, hint, "the %s '%s' is %s, not a regular file", noun, path,
                     type_name(st->st_mode));
  if ((size_t)st->st_size > ap_files_limit(kind))
    return fail_path(diags, loc, hint, "the %s '%s' is too large (%lld MB): at most %zu MB is read", noun, path,
                     (long long)(st->st_size >> 20), ap_files_limit(kind) >> 20);
  return true;
}

// What a file that is not a regular one is, for messages.
static const char *
type_name(mode_t mode)
{
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISCHR(mode) || S_ISBLK(mode))
    return "a device";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a file";
}
