// Diagnostics list: record errors and warnings with their place.
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(ap_diags_t *diags, ap_severity_t sev, ap_loc_t loc, const char *fmt,
                   va_list ap);

//
// 'ap_diag_format()' - Format one diagnostic as file:line:col: kind: message.
//

void
ap_diag_format(const ap_diag_t *d, char *buf, unsigned size)
{
  const char *kind = d->severity == AP_SEV_ERROR ? "error" : "warning";
  const char *file = d->loc.file ? d->loc.file : "anpham";

  if (d->loc.line > 0 && d->loc.col > 0)
    snprintf(buf, size, "%s:%d:%d: %s: %s", file, d->loc.line, d->loc.col, kind, d->message);
  else if (d->loc.line > 0)
    snprintf(buf, size, "%s:%d: %s: %s", file, d->loc.line, kind, d->message);
  else
    snprintf(buf, size, "%s: %s: %s", file, kind, d->message);
}

//
// 'ap_diags_clear()' - Free every recorded diagnostic.
//

void
ap_diags_clear(ap_diags_t *diags)
{
  for (ap_diag_t *d = diags->first, *next; d; d = next) {
    next = d->next;
    free(d->message);
    free((char *)d->loc.file);
    free(d);
  }
  memset(diags, 0, sizeof(*diags));
}

//
// 'ap_fail()' - Record an error; returns false.
//

bool
ap_fail(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  record(diags, AP_SEV_ERROR, loc, fmt, ap);
  va_end(ap);
  return false;
}

//
// 'ap_warn()' - Record a warning.
//

void
ap_warn(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  record(diags, AP_SEV_WARNING, loc, fmt, ap);
  va_end(ap);
}

// Append one diagnostic; messages are trimmed of a trailing newline (libxml2 adds one).
static void
record(ap_diags_t *diags, ap_severity_t sev, ap_loc_t loc, const char *fmt, va_list ap)
{
  ap_diag_t *d = calloc(1, sizeof(*d));
  char buf[2048];

  if (!d)
    return;
  vsnprintf(buf, sizeof(buf), fmt, ap);
  size_t n = strlen(buf);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
    buf[--n] = '\0';
  d->severity = sev;
  d->loc = loc;
  d->loc.file = loc.file ? strdup(loc.file) : NULL; // Owned: names may live in a freed job
  d->message = strdup(buf);
  if (diags->last)
    diags->last->next = d;
  else
    diags->first = d;
  diags->last = d;
  if (sev == AP_SEV_ERROR)
    diags->errors++;
}
