// Data bases parsed once for many jobs: the district editions of a batch
// all inherit the provincial edition (d:base="../hau-giang-2024.xml"), and
// a job process runs job after job. Once kept (ap_source_keep_bases), a
// base read here is parsed the first time and copied from then on: its
// text and a copy of its document (each job merges into a document of its
// own). A base is the same file only while its device, inode, size and
// modification and status-change times are (as make and git judge a
// file); any write parses it again. Every read is still checked as
// ap_files_read checks it (inside the run's folders, a regular file within
// the size limit) and noted as an input of the run. The kept bases live as
// long as the process (a batch's job process runs many jobs).
#include "parse-private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_KEPT 16          // Bases kept at most (the oldest goes)
#define MAX_KEPT_LINES 65535 // Larger files are not kept: libxml2 keeps lines past this outside the node a copy keeps

// One base as parsed.
typedef struct kept_s {
  struct stat st; // Its file's identity when it was read
  char *text;     // Its bytes (malloc'ed)
  size_t size;    // How many
  xmlDocPtr doc;  // Its document, never merged into
} kept_t;

static bool keeping;             // Bases are kept (a prepared layout serves many jobs)
static kept_t kept[MAX_KEPT];    // The bases kept, oldest first
static int nkept;                // How many

static void keep(const ap_source_t *base, const struct stat *st);

//
// 'ap_source_keep_bases()' - Parse each data base once for the jobs of this process.
//

void
ap_source_keep_bases(void)
{
  keeping = true;
}

//
// 'ap_data_base_read()' - Read and parse a data base (inside files' folders), once when kept.
//
// As ap_files_read and ap_source_parse would: false with one diagnostic at
// loc (hint after it) on error; base->path is path.
//

bool
ap_data_base_read(ap_files_t *files, const char *path, ap_source_t *base, ap_diags_t *diags, ap_loc_t loc,
                  const char *hint)
{
  char *text = NULL;
  size_t size = 0;
  struct stat st;

  if (keeping && !ap_files_check(files, path, AP_FILE_DATA, diags, loc, hint))
    return false;
  if (!keeping || stat(path, &st) != 0)
    return ap_files_read(files, path, AP_FILE_DATA, &text, &size, diags, loc, hint) &&
           ap_source_parse(base, path, text, size, AP_FILE_DATA, diags);

  // Parsed before: a copy of its text and document...
  for (int i = 0; i < nkept; i++) {
    if (!ap_files_same(&kept[i].st, &st))
      continue;
    memset(base, 0, sizeof(*base));
    base->path = path;
    base->size = kept[i].size;
    if (!(base->text = malloc(kept[i].size + 1)) || !(base->doc = xmlCopyDoc(kept[i].doc, 1))) {
      free(base->text);
      base->text = NULL;
      return ap_fail(diags, loc, "out of memory reading the data file '%s'", path);
    }
    memcpy(base->text, kept[i].text, kept[i].size + 1);
    ap_files_note_input(files, path, AP_FILE_DATA, st.st_dev, st.st_ino);
    return true;
  }

  // ...else read and parsed now, and kept when it is still the file stat saw.
  if (!ap_files_read(files, path, AP_FILE_DATA, &text, &size, diags, loc, hint) ||
      !ap_source_parse(base, path, text, size, AP_FILE_DATA, diags))
    return false;
  struct stat now;
  if (stat(path, &now) == 0 && ap_files_same(&now, &st) && (size_t)st.st_size == base->size)
    keep(base, &st);
  return true;
}

// Keep a copy of a base just parsed (nothing when it is too long or out of memory).
static void
keep(const ap_source_t *base, const struct stat *st)
{
  int lines = 0;
  for (const char *p = base->text; p && (p = memchr(p, '\n', base->size - (size_t)(p - base->text))); p++)
    if (++lines >= MAX_KEPT_LINES)
      return;
  kept_t k = {.st = *st, .size = base->size, .text = malloc(base->size + 1), .doc = xmlCopyDoc(base->doc, 1)};
  if (!k.text || !k.doc) {
    free(k.text);
    if (k.doc)
      xmlFreeDoc(k.doc);
    return;
  }
  memcpy(k.text, base->text, base->size + 1);
  if (nkept == MAX_KEPT) { // The oldest goes
    free(kept[0].text);
    xmlFreeDoc(kept[0].doc);
    memmove(kept, kept + 1, sizeof(kept_t) * (MAX_KEPT - 1));
    nkept--;
  }
  kept[nkept++] = k;
}
