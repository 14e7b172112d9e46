// Where anpham's own files are (installed.h): PREFIX/share/anpham beside an
// installed executable (found through /proc/self/exe), else the folders the
// build compiled in. realpath() is XSI.
#define _XOPEN_SOURCE 700

#include "installed.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

// Set by the build: the source tree's fonts folder (a CMake cache variable)
// and the way from the installed executable's folder to its share folder
// ("../share/anpham", from CMAKE_INSTALL_BINDIR and CMAKE_INSTALL_DATADIR).
#ifndef AP_FONTS_DIR
#define AP_FONTS_DIR "fonts"
#endif
#ifndef AP_SHARE_FROM_BIN
#define AP_SHARE_FROM_BIN "../share/anpham"
#endif

static const char *share_dir(void);

//
// 'ap_installed_file()' - One of anpham's own files, installed or the build's.
//

const char *
ap_installed_file(const char *relative, const char *fallback)
{
  static char path[PATH_MAX]; // share/RELATIVE
  const char *share = share_dir();
  struct stat st;

  if (!share || snprintf(path, sizeof(path), "%s/%s", share, relative) >= (int)sizeof(path) || stat(path, &st) != 0)
    return fallback;
  return path;
}

//
// 'ap_installed_fonts_dir()' - anpham's own fonts folder.
//

const char *
ap_installed_fonts_dir(void)
{
  static char fonts[PATH_MAX]; // share/fonts, once found
  static const char *found;    // fonts or AP_FONTS_DIR
  const char *share = share_dir();
  struct stat st;

  if (!found)
    found = share && snprintf(fonts, sizeof(fonts), "%s/fonts", share) < (int)sizeof(fonts) &&
                    stat(fonts, &st) == 0 && S_ISDIR(st.st_mode)
                ? fonts
                : AP_FONTS_DIR;
  return found;
}

// The share folder of an installed anpham (its executable's folder, then
// AP_SHARE_FROM_BIN, symlinks resolved), or NULL when there is none: the
// executable is in a build tree. The executable is /proc/self/exe, or where
// /proc is not mounted (a bare chroot) the file the kernel was asked to run
// (AT_EXECFN, made absolute: anpham has not changed folder yet). Looked up once.
static const char *
share_dir(void)
{
  static char share[PATH_MAX]; // Resolved share folder
  static int state;            // 0 not looked up, 1 found, -1 none
  char exe[PATH_MAX];          // The executable, then its folder
  char way[PATH_MAX];          // Its folder/AP_SHARE_FROM_BIN
  struct stat st;

  if (state)
    return state > 0 ? share : NULL;
  state = -1;
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  const char *execfn = (const char *)getauxval(AT_EXECFN);
  if (n > 0 && n < (ssize_t)sizeof(exe) - 1)
    exe[n] = '\0';
  else if (!execfn || !realpath(execfn, exe))
    return NULL;
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  if (snprintf(way, sizeof(way), "%s/%s", exe, AP_SHARE_FROM_BIN) >= (int)sizeof(way))
    return NULL;
  if (!realpath(way, share) || stat(share, &st) != 0 || !S_ISDIR(st.st_mode))
    return NULL;
  state = 1;
  return share;
}
