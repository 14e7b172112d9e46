// The user's cache folder (cache.h): small files under DIR/KIND/HEX,
// written under a name of their own and renamed into place, so that a
// fact is there whole or not at all. A marker's name is its fact; a value
// is read back only from a regular file of the user's, whole.
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// How many facts each kind keeps (the newest, by modification time): a
// store looks its folder over and deletes the oldest past the limit, or,
// for a kind stored often and kept by the thousand, one store in 16 (a
// name starting with '0') does. A kind not listed keeps everything.
static const struct {
  const char *kind; // Folder
  size_t keep;      // Facts kept
  bool sampled;     // Looked over by one store in 16 only
} limits[] = {
    {"font-subsets", 256, false},   // A few tens of KB each, one per new set of characters of a face
    {"font-streams", 256, false},   // Their zlib data
    {"face-metrics", 64, false},    // About 40 KB a face; each build of anpham makes new names
    {"valid-layouts", 1024, false}, // Empty markers; each edit of a layout makes one
    {"file-digests", 4096, true},   // A batch stores one per new file status
};

// A fact found in its kind's folder (trim).
typedef struct {
  struct timespec mtime; // Modification time
  char name[80];         // Hex name
} cached_t;

static bool cache_dir(char *buf, size_t size);
static bool fact_path(const char *kind, const char *hex, char *buf, size_t size);
static bool kind_path(const char *kind, char *buf, size_t size);
static bool make_folders(char *path);
static int older_first(const void *a, const void *b);
static void trim(const char *kind, size_t keep);

//
// 'ap_cache_has()' - Whether a fact is in the cache.
//

bool
ap_cache_has(const char *kind, const char *hex)
{
  char path[4096];
  struct stat st;

  return fact_path(kind, hex, path, sizeof(path)) && lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_uid == geteuid();
}

//
// 'ap_cache_mark()' - Record a fact.
//

void
ap_cache_mark(const char *kind, const char *hex)
{
  ap_cache_put(kind, hex, "");
}

//
// 'ap_cache_get()' - A fact's value.
//

bool
ap_cache_get(const char *kind, const char *hex, char *value, size_t size)
{
  unsigned char *bytes;
  size_t len;

  if (size < 2 || !ap_cache_load(kind, hex, size - 1, &bytes, &len))
    return false;
  memcpy(value, bytes, len);
  value[len] = '\0';
  free(bytes);
  return true;
}

//
// 'ap_cache_on()' - Whether there is a cache folder to use.
//

bool
ap_cache_on(void)
{
  char dir[4000];

  return cache_dir(dir, sizeof(dir));
}

//
// 'ap_cache_load()' - A fact's bytes.
//

bool
ap_cache_load(const char *kind, const char *hex, size_t max, unsigned char **bytes, size_t *size)
{
  char path[4096];
  struct stat st;
  int fd;

  *bytes = NULL;
  *size = 0;
  if (!fact_path(kind, hex, path, sizeof(path)) || (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
    return false;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_size > 0 &&
            (size_t)st.st_size <= max;
  unsigned char *buf = ok ? malloc((size_t)st.st_size) : NULL;
  ssize_t got = buf ? read(fd, buf, (size_t)st.st_size) : -1;
  close(fd);
  if (got != (ssize_t)st.st_size || got <= 0) {
    free(buf);
    return false;
  }
  *bytes = buf;
  *size = (size_t)got;
  return true;
}

//
// 'ap_cache_put()' - Record a fact with its value.
//

void
ap_cache_put(const char *kind, const char *hex, const char *value)
{
  ap_cache_store(kind, hex, value, strlen(value));
}

//
// 'ap_cache_store()' - Record a fact with its bytes.
//

void
ap_cache_store(const char *kind, const char *hex, const void *value, size_t size)
{
  char path[4096], tmp[4200];

  if (!fact_path(kind, hex, path, sizeof(path)))
    return;
  char *slash = strrchr(path, '/');
  *slash = '\0';
  bool made = make_folders(path);
  *slash = '/';
  if (!made)
    return;
  snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return;
  bool ok = size == 0 || write(fd, value, size) == (ssize_t)size;
  if (close(fd) != 0 || !ok || rename(tmp, path) != 0) {
    unlink(tmp);
    return;
  }
  for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
    if (!strcmp(kind, limits[i].kind) && (!limits[i].sampled || hex[0] == '0'))
      trim(kind, limits[i].keep);
}

// Keep only the newest keep facts of a kind (the oldest deleted first).
static void
trim(const char *kind, size_t keep)
{
  char dir[4096], path[4400];
  cached_t *facts = NULL;
  size_t n = 0, cap = 0;
  struct dirent *d;
  struct stat st;
  DIR *folder;

  if (!kind_path(kind, dir, sizeof(dir)) || !(folder = opendir(dir)))
    return;
  while ((d = readdir(folder)) != NULL) {
    size_t len = strlen(d->d_name);
    if (len == 0 || len >= sizeof(facts->name) || strspn(d->d_name, "0123456789abcdef") != len ||
        fstatat(dirfd(folder), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
      continue;
    if (n == cap) {
      cached_t *more = realloc(facts, (cap = cap ? 2 * cap : 64) * sizeof(*facts));
      if (!more)
        break;
      facts = more;
    }
    facts[n].mtime = st.st_mtim;
    memcpy(facts[n++].name, d->d_name, len + 1);
  }
  closedir(folder);
  if (n > keep) {
    qsort(facts, n, sizeof(*facts), older_first);
    for (size_t i = 0; i < n - keep; i++) {
      snprintf(path, sizeof(path), "%s/%s", dir, facts[i].name);
      unlink(path);
    }
  }
  free(facts);
}

// qsort: the older modification time first (then by name, for a stable order).
static int
older_first(const void *a, const void *b)
{
  const cached_t *x = a, *y = b;
  if (x->mtime.tv_sec != y->mtime.tv_sec)
    return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
  if (x->mtime.tv_nsec != y->mtime.tv_nsec)
    return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
  return strcmp(x->name, y->name);
}

// The cache folder, or false when there is none.
static bool
cache_dir(char *buf, size_t size)
{
  const char *own = getenv("ANPHAM_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
  int n;

  if (own && !strcmp(own, "off"))
    return false;
  if (own && *own == '/')
    n = snprintf(buf, size, "%s", own);
  else if (xdg && *xdg == '/') // The XDG base directory spec: relative paths are to be ignored
    n = snprintf(buf, size, "%s/anpham", xdg);
  else if (home && *home == '/')
    n = snprintf(buf, size, "%s/.cache/anpham", home);
  else
    return false;
  return n > 0 && (size_t)n < size;
}

// DIR/KIND, or false (no cache, or a kind that is not a plain word).
static bool
kind_path(const char *kind, char *buf, size_t size)
{
  char dir[4000];

  if (!kind || !*kind || strspn(kind, "abcdefghijklmnopqrstuvwxyz-") != strlen(kind) || !cache_dir(dir, sizeof(dir)))
    return false;
  int n = snprintf(buf, size, "%s/%s", dir, kind);
  return n > 0 && (size_t)n < size;
}

// DIR/KIND/HEX, or false (no cache, or a name that is not a plain word).
static bool
fact_path(const char *kind, const char *hex, char *buf, size_t size)
{
  char dir[4020];

  if (!hex || !*hex || strspn(hex, "0123456789abcdef") != strlen(hex) || !kind_path(kind, dir, sizeof(dir)))
    return false;
  int n = snprintf(buf, size, "%s/%s", dir, hex);
  return n > 0 && (size_t)n < size;
}

// mkdir -p with mode 0700 for what it makes; false when the folder is not there after.
static bool
make_folders(char *path)
{
  struct stat st;

  if (stat(path, &st) == 0)
    return S_ISDIR(st.st_mode);
  for (char *p = path + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
      *p = '/';
      if (!ok)
        return false;
    }
  return (mkdir(path, 0700) == 0 || errno == EEXIST) && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
