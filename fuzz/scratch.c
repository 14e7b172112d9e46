// Fuzz targets' scratch folder: one per process, stable paths, removed at exit.
#include "scratch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PATHS 8 // Distinct names a target uses

static char dir[512];                    // The folder, "" until made
static char paths[MAX_PATHS][640];       // Full paths handed out
static int npaths;                       // How many

static void remove_dir(void);
static void make_parents(const char *path);

//
// 'ap_fuzz_dir()' - The process's scratch folder.
//

const char *
ap_fuzz_dir(void)
{
  if (dir[0])
    return dir;
  // Every input is validated: the user's cache of valid layouts would hide
  // the validator from the fuzzer, and fill with the fuzzer's layouts...
  setenv("ANPHAM_CACHE_DIR", "off", 1);

  // $TMPDIR, else /dev/shm (memory, fast), else /tmp...
  const char *base = getenv("TMPDIR");
  struct stat st;
  if (!base || !*base)
    base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
  snprintf(dir, sizeof(dir), "%s/anpham-fuzz-%ld", base, (long)getpid());
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "fuzz: cannot create %s: %s\n", dir, strerror(errno));
    abort();
  }
  atexit(remove_dir);

  // fonts -> the project's fonts: a layout at DIR/layouts/x.xml finds ../fonts...
  char link[600];
  snprintf(link, sizeof(link), "%s/fonts", dir);
  unlink(link);
  if (symlink(AP_SOURCE_DIR "/fonts", link) != 0) {
    fprintf(stderr, "fuzz: cannot link %s: %s\n", link, strerror(errno));
    abort();
  }
  return dir;
}

//
// 'ap_fuzz_path()' - Full path of a name in the scratch folder.
//

const char *
ap_fuzz_path(const char *name)
{
  const char *d = ap_fuzz_dir();
  for (int i = 0; i < npaths; i++)
    if (!strcmp(paths[i] + strlen(d) + 1, name))
      return paths[i];
  if (npaths == MAX_PATHS) {
    fputs("fuzz: too many scratch names\n", stderr);
    abort();
  }
  snprintf(paths[npaths], sizeof(paths[npaths]), "%s/%s", d, name);
  make_parents(paths[npaths]);
  return paths[npaths++];
}

//
// 'ap_fuzz_remove()' - Remove a scratch file.
//

void
ap_fuzz_remove(const char *name)
{
  unlink(ap_fuzz_path(name));
}

//
// 'ap_fuzz_write()' - Write the bytes to a scratch file.
//

const char *
ap_fuzz_write(const char *name, const uint8_t *data, size_t size)
{
  const char *path = ap_fuzz_path(name);
  FILE *fp = fopen(path, "wb");
  if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
    fprintf(stderr, "fuzz: cannot write %s: %s\n", path, strerror(errno));
    abort();
  }
  return path;
}

// Create the folders above path inside the scratch folder.
static void
make_parents(const char *path)
{
  char buf[640];
  snprintf(buf, sizeof(buf), "%s", path);
  for (char *p = buf + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
    *p = '\0';
    mkdir(buf, 0700);
    *p = '/';
  }
}

// At exit: remove every file handed out, the fonts link and the folder.
static void
remove_dir(void)
{
  char link[600];
  for (int i = npaths - 1; i >= 0; i--)
    unlink(paths[i]);
  for (int i = npaths - 1; i >= 0; i--) { // Their sub-folders, deepest first
    char buf[640];
    snprintf(buf, sizeof(buf), "%s", paths[i]);
    for (char *slash; (slash = strrchr(buf, '/')) && slash > buf + strlen(dir);) {
      *slash = '\0';
      rmdir(buf);
    }
  }
  snprintf(link, sizeof(link), "%s/fonts", dir);
  unlink(link);
  rmdir(dir);
}
