// anpham verify [--fonts DIR] DIR|FILE…: every PDF named, and every *.pdf below each
// folder (in name order), verified (src/verify.c): one line per failure,
// `FILE: point: what is wrong` (and for a signed file a line
// `FILE: signatures: …`), then a summary line, on standard output;
// exit status 1 when a file fails.
#define _XOPEN_SOURCE 700 // nftw
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../verify.h"
#include "cli.h"

// The PDFs to verify.
typedef struct found_s {
  char **paths;    // malloc'ed, each malloc'ed
  int count, alloc; // How many, room for
} found_t;

static found_t *walk_found; // nftw has no context argument: the list being filled

static bool add_path(found_t *f, const char *path);
static int by_name(const void *a, const void *b);
static int on_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);
static void print_failure(void *ctx, const char *pdf, const char *point, const char *what);

//
// 'ap_cli_verify()' - anpham verify [--fonts DIR] DIR|FILE….
//

int
ap_cli_verify(int argc, char **argv)
{
  found_t found = {0};
  int failed = 0, status = 0, first = 1;
  const char *fonts = NULL;

  if (argc >= 3 && !strcmp(argv[1], "--fonts")) {
    fonts = argv[2];
    first = 3;
  }
  if (argc <= first)
    return ap_cli_usage_error("verify takes [--fonts DIR] and the PDFs to verify, or folders holding them");
  for (int i = first; i < argc; i++)
    if (argv[i][0] == '-' && argv[i][1])
      return ap_cli_usage_error("verify: unknown option '%s' (--fonts DIR comes first)", argv[i]);

  // The files: as named, or every *.pdf below a folder, in name order...
  for (int i = first; i < argc && status == 0; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      int before = found.count;
      walk_found = &found;
      if (nftw(argv[i], on_entry, 16, FTW_PHYS) != 0)
        status = AP_INTERNAL;
      qsort(found.paths + before, (size_t)(found.count - before), sizeof(char *), by_name);
      if (found.count == before)
        fprintf(stdout, "%s: files: no PDF in this folder\n", argv[i]), failed++;
    } else if (!add_path(&found, argv[i])) {
      status = AP_INTERNAL;
    }
  }

  // ...each verified, its failures printed as they come...
  for (int i = 0; i < found.count && status == 0; i++)
    if (ap_verify(found.paths[i], fonts, print_failure, print_failure, NULL) > 0)
      failed++;
  if (status == 0)
    printf("anpham verify: %d file%s: %d passed, %d failed\n", found.count, found.count == 1 ? "" : "s",
           found.count - failed < 0 ? 0 : found.count - failed, failed);
  else
    fputs("anpham: verify: out of memory or a folder cannot be read\n", stderr);
  for (int i = 0; i < found.count; i++)
    free(found.paths[i]);
  free(found.paths);
  return status ? status : failed ? AP_BAD_INPUT : 0;
}

// Add a copy of path to the list.
static bool
add_path(found_t *f, const char *path)
{
  if (f->count == f->alloc) {
    int n = f->alloc ? 2 * f->alloc : 64;
    char **p = realloc(f->paths, sizeof(char *) * (size_t)n);
    if (!p)
      return false;
    f->paths = p;
    f->alloc = n;
  }
  return (f->paths[f->count] = strdup(path)) && ++f->count;
}

// qsort: paths in byte order.
static int
by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

// nftw: a regular file whose name ends in .pdf joins the list.
static int
on_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  size_t n = strlen(path);
  (void)ftw;
  if (flag == FTW_F && S_ISREG(st->st_mode) && n > 4 && !strcmp(path + n - 4, ".pdf"))
    return add_path(walk_found, path) ? 0 : 1;
  return 0;
}

// One failure, or a note (a signed file's signatures): FILE: point: what.
static void
print_failure(void *ctx, const char *pdf, const char *point, const char *what)
{
  (void)ctx;
  printf("%s: %s: %s\n", pdf, point, what);
  fflush(stdout);
}
