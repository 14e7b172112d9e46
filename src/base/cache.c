// The user's cache folder (cache.h): small files under DIR/KIND/HEX,
// written under a name of their own and renamed into place, so that a
// fact is there whole or not at all. A marker's name is its fact; a value
// is read back only from a regular file of the user's, whole.
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool cache_dir(char *buf, size_t size);
static bool fact_path(const char *kind, const char *hex, char *buf, size_t size);
static bool make_folders(char *path);

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
  char path[4096];
  struct stat st;
  int fd;

  if (!size || !fact_path(kind, hex, path, sizeof(path)) ||
      (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
    return false;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() && st.st_size >= 0 &&
            (size_t)st.st_size < size;
  ssize_t got = ok ? read(fd, value, size - 1) : -1;
  close(fd);
  if (!ok || got != st.st_size)
    return false;
  value[got] = '\0';
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
  if (close(fd) != 0 || !ok || rename(tmp, path) != 0)
    unlink(tmp);
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

// DIR/KIND/HEX, or false (no cache, or a name that is not a plain word).
static bool
fact_path(const char *kind, const char *hex, char *buf, size_t size)
{
  char dir[4000];

  if (!kind || !hex || !*kind || !*hex || strspn(hex, "0123456789abcdef") != strlen(hex) ||
      strspn(kind, "abcdefghijklmnopqrstuvwxyz-") != strlen(kind) || !cache_dir(dir, sizeof(dir)))
    return false;
  int n = snprintf(buf, size, "%s/%s/%s", dir, kind, hex);
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
