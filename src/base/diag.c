// Diagnostics list: record errors and warnings with their place.
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(ap_diags_t *diags, ap_severity_t sev, ap_loc_t loc, const char *fmt,
                   va_list ap);
static bool same_place(ap_loc_t a, ap_loc_t b);

//
// 'ap_diag_format()' - Format one diagnostic as file:line:col: kind: message.
//
// The hint, when there is one, follows the message after a colon: one
// line says what is wrong and how to fix it.
//

void
ap_diag_format(const ap_diag_t *d, char *buf, unsigned size)
{
  const char *kind = d->severity == AP_SEV_ERROR ? "error" : "warning";
  const char *file = d->loc.file ? d->loc.file : "anpham";
  const char *sep = d->hint ? ": " : "", *hint = d->hint ? d->hint : "";

  if (d->loc.line > 0 && d->loc.col > 0)
    snprintf(buf, size, "%s:%d:%d: %s: %s%s%s", file, d->loc.line, d->loc.col, kind, d->message, sep, hint);
  else if (d->loc.line > 0)
    snprintf(buf, size, "%s:%d: %s: %s%s%s", file, d->loc.line, kind, d->message, sep, hint);
  else
    snprintf(buf, size, "%s: %s: %s%s%s", file, kind, d->message, sep, hint);
}

//
// 'ap_deviate()' - Record a deviation from a form: an error that stops nothing.
//

void
ap_deviate(ap_diags_t *diags, ap_loc_t loc, const char *fmt, ...)
{
  ap_diag_t *before = diags->last;
  va_list ap;
  va_start(ap, fmt);
  record(diags, AP_SEV_ERROR, loc, fmt, ap);
  va_end(ap);
  if (diags->last != before) // (Not recorded when out of memory)
    diags->last->deviation = true;
}

//
// 'ap_diag_hint()' - Give the last diagnostic recorded a hint.
//

void
ap_diag_hint(ap_diags_t *diags, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;

  if (!diags->last || diags->dropped)
    return;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  free(diags->last->hint);
  diags->last->hint = strdup(buf);
}

//
// 'ap_diags_clear()' - Free every recorded diagnostic.
//

void
ap_diags_clear(ap_diags_t *diags)
{
  ap_diags_rewind(diags, NULL);
  memset(diags, 0, sizeof(*diags));
}

//
// 'ap_diags_rewind()' - Forget what was recorded after an entry.
//

void
ap_diags_rewind(ap_diags_t *diags, ap_diag_t *mark)
{
  ap_diag_t *d = mark ? mark->next : diags->first;

  while (d) {
    ap_diag_t *next = d->next;
    if (d->severity == AP_SEV_ERROR)
      diags->errors--;
    else
      diags->warnings--;
    free(d->message);
    free(d->hint);
    free((char *)d->loc.file);
    free(d);
    d = next;
  }
  if (mark)
    mark->next = NULL;
  else
    diags->first = NULL;
  diags->last = mark;
  diags->dropped = false;
}

//
// 'ap_diags_append()' - Move another list's entries to the end.
//

void
ap_diags_append(ap_diags_t *diags, ap_diags_t *from)
{
  if (!from->first)
    return;
  if (diags->last)
    diags->last->next = from->first;
  else
    diags->first = from->first;
  diags->last = from->last;
  diags->errors += from->errors;
  diags->warnings += from->warnings;
  diags->dropped = from->dropped;
  memset(from, 0, sizeof(*from));
}

//
// 'ap_diags_promote()' - --strict: every warning becomes an error.
//

int
ap_diags_promote(ap_diags_t *diags)
{
  int n = 0;

  for (ap_diag_t *d = diags->first; d; d = d->next)
    if (d->severity == AP_SEV_WARNING) {
      d->severity = AP_SEV_ERROR;
      d->promoted = true;
      n++;
    }
  diags->errors += n;
  diags->warnings -= n;
  return n;
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

  // A warning already given at the same place is not given twice...
  for (const ap_diag_t *o = sev == AP_SEV_WARNING ? diags->first : NULL; o; o = o->next)
    if (o->severity == AP_SEV_WARNING && same_place(o->loc, loc) && !strcmp(o->message, buf)) {
      free(d);
      diags->dropped = true;
      return;
    }
  diags->dropped = false;
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
  else
    diags->warnings++;
}

// Two places are the same: file, line and column.
static bool
same_place(ap_loc_t a, ap_loc_t b)
{
  return a.line == b.line && a.col == b.col &&
         (a.file == b.file || (a.file && b.file && !strcmp(a.file, b.file)));
}
