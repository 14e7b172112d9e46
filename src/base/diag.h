// Diagnostics as data with a place: every stage records errors into the job's
// list; only the command line prints them.
#ifndef AP_DIAG_H
#define AP_DIAG_H

#include <stdarg.h>
#include <stdbool.h>

typedef struct ap_loc_s {
  const char *file; // Source file name (borrowed, lives as long as the job)
  int line;         // 1-based line, 0 when unknown
  int col;          // 1-based column, 0 when unknown
} ap_loc_t;

typedef enum ap_severity_e {
  AP_SEV_ERROR,   // Stops the job at the next stage boundary
  AP_SEV_WARNING  // Reported, never stops anything
} ap_severity_t;

typedef struct ap_diag_s {
  ap_severity_t severity; // Error or warning
  ap_loc_t loc;           // Where (the diagnostic owns a copy of the file name)
  char *message;          // What, then what was expected (malloc'ed)
  char *hint;             // How to fix it, or NULL (malloc'ed; ap_diag_hint)
  bool promoted;          // A warning made an error by --strict (ap_diags_promote)
  bool deviation;         // A deviation from a form (check --form, ap_deviate): an error that stops
                          // nothing, printed with every other one
  struct ap_diag_s *next; // Next in order of recording
} ap_diag_t;

typedef struct ap_diags_s {
  ap_diag_t *first, *last; // Recorded diagnostics, oldest first
  int errors;              // Number of errors recorded (promoted warnings too)
  int warnings;            // Number of warnings recorded (an identical one is recorded once)
  bool dropped;            // The last warning was one recorded already (so a hint is not for `last`)
} ap_diags_t;

// Record an error at loc; always returns false so callers can `return ap_fail(...)`.
bool ap_fail(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// Record a warning at loc, unless the same warning at the same place is
// recorded already (a layout bound once per copy warns once).
void ap_warn(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
// Record a deviation of the document from a form (anpham check --form): an
// error (the check fails) that stops nothing, so that every one is printed.
void ap_deviate(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
// Give the last diagnostic recorded a hint: how to fix it, said apart from
// what is wrong (--diagnostic-format prints it on a line of its own, or as
// the "hint" of the JSON object). Nothing when there is none.
void ap_diag_hint(ap_diags_t *diags, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// --strict: every warning becomes an error (marked promoted); returns how many.
int ap_diags_promote(ap_diags_t *diags);
// Format one diagnostic as "file:line:col: error: message" into buf.
void ap_diag_format(const ap_diag_t *d, char *buf, unsigned size);
// Free the list's entries (the list itself is caller-owned).
void ap_diags_clear(ap_diags_t *diags);
// Forget what was recorded after `mark` (an entry of the list, NULL: the
// list's start): those entries are freed and no longer counted. A run that
// went on past a failure it learnt of late (a page painted on another
// thread) takes back what the run would not have recorded.
void ap_diags_rewind(ap_diags_t *diags, ap_diag_t *mark);
// Move every entry of `from` to the end of diags, with its counts; `from`
// is left empty.
void ap_diags_append(ap_diags_t *diags, ap_diags_t *from);

// A location with only a file name.
static inline ap_loc_t
ap_loc_file(const char *file)
{
  ap_loc_t loc = {file, 0, 0};
  return loc;
}

#endif
