// Confined files: every file a run reads besides the layout and the data
// named on the command line (fonts, images, and whatever later features
// read) must resolve inside the run's allowed folders, be a regular file and
// stay under a size limit for its kind. The set also remembers every input
// by device and inode, so that no output can replace one.
#ifndef AP_FILES_H
#define AP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "diag.h"

typedef enum ap_file_kind_e {
  AP_FILE_LAYOUT, // A layout (XML)
  AP_FILE_DATA,   // A data file (XML)
  AP_FILE_FONT,   // A TrueType or OpenType font
  AP_FILE_IMAGE,  // A PNG or JPEG image
  AP_FILE_KINDS   // Number of kinds
} ap_file_kind_t;

typedef struct ap_files_s ap_files_t; // Allowed folders and inputs read (opaque)

// Create an empty set: no folder allowed yet. NULL when out of memory.
ap_files_t *ap_files_create(void);
// Free the set.
void ap_files_destroy(ap_files_t *files);

// Allow reading inside dir (and below it), resolved through its symlinks
// now. False with errno set when dir is not an existing folder.
bool ap_files_allow(ap_files_t *files, const char *dir);
// Allow reading files of one kind only inside dir (and below it): the
// folder of a font found by name is allowed for fonts alone.
bool ap_files_allow_kind(ap_files_t *files, const char *dir, ap_file_kind_t kind);
// Allow the folder a file is in (the layout's, the data's).
bool ap_files_allow_parent(ap_files_t *files, const char *path);

// Read a whole file of a kind, confined: the path (relative to the current
// folder) must resolve, symlinks followed, inside an allowed folder; it is
// checked to be a regular file within the kind's size limit before it is
// opened. On success *bytes (malloc'ed, NUL-terminated beyond *size) is
// the caller's; on failure one error at loc names the path and why, and
// hint (when not NULL) is added to it.
bool ap_files_read(ap_files_t *files, const char *path, ap_file_kind_t kind, char **bytes, size_t *size,
                   ap_diags_t *diags, ap_loc_t loc, const char *hint);
// The same checks, then the file mapped read-only (base/mapped.h: no copy,
// and a file made shorter while mapped ends the run with one error line,
// not a crash) or, when it cannot be, read: *bytes (*size of them, not
// NUL-terminated) stays valid until ap_files_unmap(*bytes).
bool ap_files_map(ap_files_t *files, const char *path, ap_file_kind_t kind, const void **bytes, size_t *size,
                  ap_diags_t *diags, ap_loc_t loc, const char *hint);
// ap_files_map() that also gives the file's status as it was mapped (its
// identity: device, inode, size, times).
bool ap_files_map_status(ap_files_t *files, const char *path, ap_file_kind_t kind, const void **bytes,
                         size_t *size, struct stat *status, ap_diags_t *diags, ap_loc_t loc, const char *hint);
// Release what ap_files_map() gave (unmapped, or freed when it was read).
void ap_files_unmap(const void *bytes);
// The same checks without reading (the file is not opened).
bool ap_files_check(ap_files_t *files, const char *path, ap_file_kind_t kind, ap_diags_t *diags, ap_loc_t loc,
                    const char *hint);

// Check a file the user named on the command line (the layout, the data):
// not confined, but a regular file within its kind's size, remembered as
// an input. A missing file passes (its reader says so in its own words);
// otherwise false with one error naming the file.
bool ap_files_check_named(ap_files_t *files, const char *path, ap_file_kind_t kind, ap_diags_t *diags);

// Remember a file read without confinement (the layout and the data named
// on the command line) as an input of the run.
void ap_files_note_input(ap_files_t *files, const char *path, ap_file_kind_t kind, dev_t dev, ino_t ino);
// The path of the input that is this device and inode, or NULL.
const char *ap_files_find_input(const ap_files_t *files, dev_t dev, ino_t ino);

// How many inputs the set noted, and the path of the i-th (as it was given,
// in the order first read; NULL out of range): what a batch manifest lists.
int ap_files_input_count(const ap_files_t *files);
const char *ap_files_input_path(const ap_files_t *files, int i);
// The kind the i-th input was read as (AP_FILE_KINDS out of range): what
// --embed-source tells the fonts from the source files by.
ap_file_kind_t ap_files_input_kind(const ap_files_t *files, int i);

// Where a set stands (its folders and inputs), and back there: a batch's
// prepared layout lays one job out and forgets that job's folders and
// inputs, but for the font files it loaded (they stay loaded, in the
// prepared layout's faces, for every job after it).
typedef struct ap_files_mark_s {
  int nroots, ninputs; // Counts at the mark
} ap_files_mark_t;
ap_files_mark_t ap_files_mark(const ap_files_t *files);
void ap_files_forget_since(ap_files_t *files, ap_files_mark_t mark);

// The largest file of a kind that is read, in bytes.
size_t ap_files_limit(ap_file_kind_t kind);
// Whether two looks at a path saw the same file, unchanged: device, inode,
// size, modification and status-change time to the nanosecond (any write
// moves the status-change time, even one that restores the others).
bool ap_files_same(const struct stat *a, const struct stat *b);
// What a kind is called in messages ("font file").
const char *ap_files_noun(ap_file_kind_t kind);

#endif
