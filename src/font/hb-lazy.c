// HarfBuzz loaded on first use (hb-lazy.h): dlopen of libharfbuzz-subset's
// soname, which brings libharfbuzz; every function looked up at once.
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include "hb-lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>

#ifndef AP_HB_SUBSET_SONAME
#define AP_HB_SUBSET_SONAME "libharfbuzz-subset.so.0" // Debian 12's
#endif
#ifndef AP_HB_FILE
#define AP_HB_FILE "" // libharfbuzz by its soname in its folder (its status names its version)
#endif
#ifndef AP_HB_SUBSET_FILE
#define AP_HB_SUBSET_FILE ""
#endif

ap_hb_t ap_hb;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure; // Why loading failed, NULL when it did not (or has not run)
static char message[512];   // failure's text
static void load(void);

//
// 'ap_hb_load()' - Load HarfBuzz and find every function anpham calls.
//

bool
ap_hb_load(const char **why)
{
  pthread_once(&once, load);
  if (failure && why)
    *why = failure;
  return !failure;
}

//
// 'ap_hb_identity()' - HarfBuzz's library files by their status.
//

bool
ap_hb_identity(char *buf, size_t size)
{
  struct stat a, b;

  if (!*AP_HB_FILE || !*AP_HB_SUBSET_FILE || stat(AP_HB_FILE, &a) != 0 || stat(AP_HB_SUBSET_FILE, &b) != 0)
    return false;
  int n = snprintf(buf, size, "%s|%ju|%ju|%jd|%jd.%09ld|%s|%ju|%ju|%jd|%jd.%09ld", AP_HB_FILE, (uintmax_t)a.st_dev,
                   (uintmax_t)a.st_ino, (intmax_t)a.st_size, (intmax_t)a.st_mtim.tv_sec, a.st_mtim.tv_nsec,
                   AP_HB_SUBSET_FILE, (uintmax_t)b.st_dev, (uintmax_t)b.st_ino, (intmax_t)b.st_size,
                   (intmax_t)b.st_mtim.tv_sec, b.st_mtim.tv_nsec);
  return n > 0 && (size_t)n < size;
}

// Open the library and fill the table, or say why not (once per process).
static void
load(void)
{
  void *handle = dlopen(AP_HB_SUBSET_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(message, sizeof(message), "cannot load HarfBuzz (%s): install the Debian package libharfbuzz-subset0",
             dlerror());
    failure = message;
    return;
  }
#define AP_HB_FIND(f)                                                                                               \
  if (!failure && !(*(void **)&ap_hb.p_##f = dlsym(handle, #f))) {                                                 \
    snprintf(message, sizeof(message), "HarfBuzz's library has no function %s: expected HarfBuzz 6 or later", #f); \
    failure = message;                                                                                             \
  }
  AP_HB_FUNCTIONS(AP_HB_FIND)
#undef AP_HB_FIND
  if (failure)
    dlclose(handle);
}
