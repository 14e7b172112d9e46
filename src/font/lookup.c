// Fonts by family name, found with fontconfig: each folder is read in
// order (every TrueType file directly in it, in name order, asked for its
// family names and style with FcFreeTypeQuery: no cache is written), then
// the system's fonts (fontconfig's own configuration, FcFontList). The
// first place holding a face of the family gives all four faces, so that a
// family is never mixed from two folders. A family matches only by its own
// name, compared without regard to case: fontconfig's substitutes (another
// family for a missing one) are never taken.
#define _XOPEN_SOURCE 700 // realpath() is XSI
#include "lookup.h"

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#ifndef AP_FONTCONFIG_SONAME
#define AP_FONTCONFIG_SONAME "libfontconfig.so.1" // Debian 12's
#endif

#define MAX_CLOSEST 3 // Families the error for a missing one suggests

// Every fontconfig function this file calls, loaded by load_fontconfig().
#define FC_FUNCTIONS(X)                                                                                            \
  X(FcInitLoadConfigAndFonts) X(FcFreeTypeQuery) X(FcPatternCreate) X(FcPatternDestroy) X(FcPatternGetString)     \
  X(FcPatternGetInteger) X(FcObjectSetBuild) X(FcObjectSetDestroy) X(FcFontList) X(FcFontSetDestroy)

static struct {
#define FC_POINTER(f) __typeof__(&f) f;
  FC_FUNCTIONS(FC_POINTER)
#undef FC_POINTER
} fc;

// One face of the family looked for.
typedef struct face_s {
  char *file; // Its absolute path, symlinks resolved (malloc'ed)
  int weight; // FC_WEIGHT_*
  int slant;  // FC_SLANT_*: 0 upright
  int width;  // FC_WIDTH_*: 100 normal (DejaVu Serif has condensed faces too)
} face_t;

// What the places searched hold: the faces of the family looked for, and
// every family name met (for the error when there is none).
typedef struct found_s {
  const char *name; // Family looked for
  face_t *faces;    // Its faces in the place being read
  int nfaces;       // How many
  char **names;     // Every family met anywhere (malloc'ed, no repeats)
  int nnames;       // How many
} found_t;

static bool consider(found_t *found, FcPattern *pattern, const char *file);
static int distance(const char *a, const char *b);
static void forget_faces(found_t *found);
static bool load_fontconfig(ap_diags_t *diags, ap_loc_t loc);
static const char *pick(const found_t *found, int face, ap_arena_t *arena);
static void read_folder(found_t *found, const char *dir);
static void read_system(found_t *found);

//
// 'ap_font_lookup()' - Find a family's faces by its name.
//

bool                                          // O - false (one error at loc) when no face of it is found
ap_font_lookup(const char *name,              // I - Family name
               const char *const *dirs,       // I - Folders searched first, in order
               int ndirs,                     // I - How many
               ap_arena_t *arena,             // I - Where the paths go
               const char *files[4],          // O - Regular, bold, italic, bold italic (NULL: none)
               ap_diags_t *diags,             // I - Where the error goes
               ap_loc_t loc)                  // I - Place of the name
{
  found_t found = {.name = name};
  bool ok;

  if (!load_fontconfig(diags, loc))
    return false;

  // The first place holding the family gives its faces...
  for (int i = 0; i < ndirs && !found.nfaces; i++)
    read_folder(&found, dirs[i]);
  if (!found.nfaces)
    read_system(&found);
  for (int k = 0; k < 4; k++)
    files[k] = found.nfaces ? pick(&found, k, arena) : NULL;

  // ...else the error names the closest families met...
  if (!(ok = found.nfaces > 0)) {
    const char *closest[MAX_CLOSEST];
    int nclosest = 0, far[MAX_CLOSEST];
    for (int i = 0; i < found.nnames; i++) {
      int d = distance(name, found.names[i]), at = nclosest;
      while (at > 0 && d < far[at - 1])
        at--;
      if (at == MAX_CLOSEST)
        continue;
      if (nclosest < MAX_CLOSEST)
        nclosest++;
      memmove(closest + at + 1, closest + at, sizeof(closest[0]) * (size_t)(nclosest - 1 - at));
      memmove(far + at + 1, far + at, sizeof(far[0]) * (size_t)(nclosest - 1 - at));
      closest[at] = found.names[i];
      far[at] = d;
    }
    char list[512] = "";
    size_t used = 0;
    for (int i = 0; i < nclosest && used < sizeof(list); i++)
      used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", closest[i]);
    ap_fail(diags, loc, "no font named \"%s\" in the font folders or the system's fonts (closest: %s)", name,
            nclosest ? list : "none found");
    ap_diag_hint(diags, "expected a family name that fc-list lists, or its files (regular=\"…\")");
  }
  forget_faces(&found);
  for (int i = 0; i < found.nnames; i++)
    free(found.names[i]);
  free(found.names);
  return ok;
}

// Load libfontconfig once; false with an error naming it when it cannot be.
static bool
load_fontconfig(ap_diags_t *diags, ap_loc_t loc)
{
  static void *lib;

  if (lib)
    return true;
  void *handle = dlopen(AP_FONTCONFIG_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return ap_fail(diags, loc, "cannot load fontconfig's library to find a font by name (%s): install the Debian "
                   "package libfontconfig1", dlerror());
#define FC_FIND(f)                                                                                                 \
  if (!(*(void **)&fc.f = dlsym(handle, #f))) {                                                                    \
    dlclose(handle);                                                                                               \
    return ap_fail(diags, loc, "fontconfig's library has no function %s: expected fontconfig 2.13 or later", #f); \
  }
  FC_FUNCTIONS(FC_FIND)
#undef FC_FIND
  lib = handle;
  return true;
}

// qsort: file names in byte order.
static int
by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// Every TrueType file directly in dir, in name order, asked what it is.
static void
read_folder(found_t *found, const char *dir)
{
  DIR *d = opendir(dir);
  char **entries = NULL;
  int n = 0, size = 0;

  if (!d)
    return; // A folder that is not there holds no font
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.')
      continue;
    if (n == size) {
      char **more = realloc(entries, sizeof(char *) * (size_t)(size = size ? size * 2 : 32));
      if (!more)
        break;
      entries = more;
    }
    if ((entries[n] = strdup(e->d_name)))
      n++;
  }
  closedir(d);
  if (n)
    qsort(entries, (size_t)n, sizeof(char *), by_name);
  for (int i = 0; i < n; i++) {
    char path[PATH_MAX];
    struct stat st;
    int count;
    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, entries[i]) < sizeof(path) && stat(path, &st) == 0 &&
        S_ISREG(st.st_mode)) {
      FcPattern *pattern = fc.FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
      if (pattern) {
        consider(found, pattern, path);
        fc.FcPatternDestroy(pattern);
      }
    }
    free(entries[i]);
  }
  free(entries);
}

// The system's fonts, as fontconfig's configuration lists them (loaded
// once a process: its cache makes that fast, and a batch asks again).
static void
read_system(found_t *found)
{
  static FcConfig *config;

  if (!config && !(config = fc.FcInitLoadConfigAndFonts()))
    return;
  FcPattern *all = fc.FcPatternCreate();
  FcObjectSet *os = fc.FcObjectSetBuild(FC_FAMILY, FC_WEIGHT, FC_SLANT, FC_WIDTH, FC_FILE, FC_INDEX, FC_FONTFORMAT, NULL);
  FcFontSet *set = all && os ? fc.FcFontList(config, all, os) : NULL;
  for (int i = 0; set && i < set->nfont; i++) {
    FcChar8 *file;
    if (fc.FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) == FcResultMatch)
      consider(found, set->fonts[i], (const char *)file);
  }
  // The system's files in name order, as a folder's are...
  if (found->nfaces > 1) {
    for (int i = 1; i < found->nfaces; i++)
      for (int j = i; j > 0 && strcmp(found->faces[j - 1].file, found->faces[j].file) > 0; j--) {
        face_t t = found->faces[j];
        found->faces[j] = found->faces[j - 1];
        found->faces[j - 1] = t;
      }
  }
  if (set)
    fc.FcFontSetDestroy(set);
  if (os)
    fc.FcObjectSetDestroy(os);
  if (all)
    fc.FcPatternDestroy(all);
}

// One font a place holds: its families join the names met, and it joins
// the faces when it is a TrueType face (the first of its file) of the
// family looked for.
static bool
consider(found_t *found, FcPattern *pattern, const char *file)
{
  FcChar8 *family, *format;
  int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN, width = FC_WIDTH_NORMAL;
  bool match = false;

  for (int k = 0; fc.FcPatternGetString(pattern, FC_FAMILY, k, &family) == FcResultMatch; k++) {
    match = match || !strcasecmp((const char *)family, found->name);
    bool known = false;
    for (int i = 0; i < found->nnames && !known; i++)
      known = !strcasecmp(found->names[i], (const char *)family);
    char **more = known ? NULL : realloc(found->names, sizeof(char *) * (size_t)(found->nnames + 1));
    if (more && (found->names = more, more[found->nnames] = strdup((const char *)family)))
      found->nnames++;
  }
  fc.FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
  fc.FcPatternGetInteger(pattern, FC_WEIGHT, 0, &weight);
  fc.FcPatternGetInteger(pattern, FC_SLANT, 0, &slant);
  fc.FcPatternGetInteger(pattern, FC_WIDTH, 0, &width);
  if (!match || index != 0 || fc.FcPatternGetString(pattern, FC_FONTFORMAT, 0, &format) != FcResultMatch ||
      strcmp((const char *)format, "TrueType"))
    return false; // Only TrueType faces are read (font.c), one a file
  char real[PATH_MAX];
  face_t *more = realloc(found->faces, sizeof(face_t) * (size_t)(found->nfaces + 1));
  if (!more || !realpath(file, real))
    return false;
  found->faces = more;
  if (!(more[found->nfaces].file = strdup(real)))
    return false;
  more[found->nfaces].weight = weight;
  more[found->nfaces].slant = slant;
  more[found->nfaces].width = width;
  found->nfaces++;
  return true;
}

// The file of one face (0 regular, 1 bold, 2 italic, 3 bold italic): the
// face of that slant (upright or not) and boldness (semibold or heavier)
// whose width is nearest to normal, then whose weight is nearest (the
// first in file name order of equals); for the regular face, failing that,
// the face nearest to it. NULL when there is none (the regular face stands in).
static const char *
pick(const found_t *found, int face, ap_arena_t *arena)
{
  bool bold = face & 1, italic = face & 2;
  int target = bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR, best = -1, nearest = 0;

  for (int i = 0; i < found->nfaces; i++) {
    const face_t *f = &found->faces[i];
    bool same = (f->slant != FC_SLANT_ROMAN) == italic && (f->weight >= FC_WEIGHT_DEMIBOLD) == bold;
    int d = abs(f->weight - target) + 1000 * abs(f->width - FC_WIDTH_NORMAL) + (same ? 0 : 1000000);
    if ((same || face == 0) && (best < 0 || d < nearest))
      best = i, nearest = d;
  }
  return best < 0 ? NULL : ap_arena_strdup(arena, found->faces[best].file);
}

// Free the faces a place gave.
static void
forget_faces(found_t *found)
{
  for (int i = 0; i < found->nfaces; i++)
    free(found->faces[i].file);
  free(found->faces);
  found->faces = NULL;
  found->nfaces = 0;
}

// Edit distance between two names, letters compared without regard to case
// (Levenshtein; names longer than 255 bytes are cut there).
static int
distance(const char *a, const char *b)
{
  int row[256], la = (int)strnlen(a, 255), lb = (int)strnlen(b, 255);

  for (int j = 0; j <= lb; j++)
    row[j] = j;
  for (int i = 1; i <= la; i++) {
    int diagonal = row[0];
    row[0] = i;
    for (int j = 1; j <= lb; j++) {
      int above = row[j];
      int change = diagonal + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
      row[j] = change < above + 1 ? change : above + 1;
      if (row[j - 1] + 1 < row[j])
        row[j] = row[j - 1] + 1;
      diagonal = above;
    }
  }
  return row[lb];
}
