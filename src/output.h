// Outputs of a run (the PDF, the dump): where they go and how they are
// written. A regular file (or a new one) is replaced atomically by a
// temporary file renamed over it; anything else (a device such as
// /dev/null, a FIFO, a terminal, `-` for standard output) is written
// through, never replaced. The bytes are complete before anything is
// created, so a failed or interrupted run leaves nothing behind.
#ifndef AP_OUTPUT_H
#define AP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/diag.h"

typedef enum ap_output_kind_e {
  AP_OUTPUT_FILE,    // A regular file, or none yet: temporary file + rename
  AP_OUTPUT_THROUGH, // A device, FIFO or socket: opened and written, never replaced
  AP_OUTPUT_STDOUT   // `-`: standard output
} ap_output_kind_t;

typedef struct ap_output_s {
  const char *path;      // As given on the command line
  ap_output_kind_t kind; // How it is written
  bool exists;           // Something is there now (dev and ino are valid)
  dev_t dev;             // Its device
  ino_t ino;             // Its inode
  bool device;           // It is a character device (/dev/null, a terminal): outputs may share it
} ap_output_t;

// Look at what path names now; false (with errno) when it cannot be an
// output at all (a folder, a path through a missing folder is fine: the
// write will say so).
bool ap_output_open(ap_output_t *out, const char *path);
// Do two outputs name the same file (same inode, or the same path)? A
// character device may take both (-o /dev/null --dump /dev/null).
bool ap_output_same(const ap_output_t *a, const ap_output_t *b);
// Write bytes to the output: complete, or not at all (one error at the
// output's name). Signals that would end the process wait until a
// temporary file is renamed or removed.
bool ap_output_write(const ap_output_t *out, const void *bytes, size_t size, ap_diags_t *diags);
// The same, the bytes written by fill into fd piece by piece (false with
// errno on failure): what is too large to be held whole (a batch's
// manifest). Complete or not at all, as above.
typedef bool (*ap_output_fill_t)(void *ctx, int fd);
bool ap_output_write_with(const ap_output_t *out, ap_output_fill_t fill, void *ctx, ap_diags_t *diags);
// write() until all is written (again after EINTR); false with errno on failure.
bool ap_write_all(int fd, const void *bytes, size_t size);

#endif
