// Printing diagnostics, the one place that does (--diagnostic-format):
//   human  the message, its place, the source line with a caret under the
//          column and the hint (as rustc and Typst set them); the default
//          when standard error is a terminal
//   short  one line, file:line:col: error: message: hint; the default
//          otherwise (scripts, tests, editors' error parsers)
//   json   one JSON object per diagnostic per line: severity, message,
//          file, line, column (0 when unknown), hint (null when none)
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_LINE 4096 // Longest source line shown (longer ones are cut)

static int format = -1; // An ap_diag_style_t, -1 until chosen (then from the terminal)

static void print_human(FILE *out, const ap_diag_t *d);
static void print_json(FILE *out, const ap_diag_t *d);
static bool source_line(const char *file, int line, char *buf, size_t size);

//
// 'ap_cli_diagnostic_format()' - Choose how diagnostics are printed.
//

bool                                        // O - false when the name is none of the three
ap_cli_diagnostic_format(const char *name)  // I - "human", "short" or "json"
{
  if (!strcmp(name, "human"))
    format = AP_DIAG_HUMAN;
  else if (!strcmp(name, "short"))
    format = AP_DIAG_SHORT;
  else if (!strcmp(name, "json"))
    format = AP_DIAG_JSON;
  else
    return false;
  return true;
}

//
// 'ap_cli_print_diag()' - Print one diagnostic in the chosen format.
//

void
ap_cli_print_diag(FILE *out, const ap_diag_t *d)
{
  char line[MAX_LINE];

  if (format < 0)
    format = isatty(STDERR_FILENO) ? AP_DIAG_HUMAN : AP_DIAG_SHORT;
  switch (format) {
  case AP_DIAG_HUMAN:
    print_human(out, d);
    break;
  case AP_DIAG_JSON:
    print_json(out, d);
    break;
  default:
    ap_diag_format(d, line, sizeof(line));
    fprintf(out, "%s\n", line);
    break;
  }
}

//
// 'ap_cli_print_diags()' - The first error alone, or, when all went well, every warning.
//
// One clear line: what went wrong first is what to fix. Warnings made
// errors by --strict, and deviations from a form (check --form), are all
// printed (none stops another).
//

int
ap_cli_print_diags(ap_diags_t *diags)
{
  int errors = diags->errors, promoted = 0;

  for (const ap_diag_t *d = diags->first; d; d = d->next)
    promoted += d->promoted || d->deviation;
  bool first_only = errors > promoted; // A real error: it alone
  for (const ap_diag_t *d = diags->first; d; d = d->next) {
    if (first_only && (d->severity != AP_SEV_ERROR || d->promoted || d->deviation))
      continue;
    ap_cli_print_diag(stderr, d);
    if (first_only)
      break;
  }
  ap_diags_clear(diags);
  return errors;
}

// human: "warning: message", " --> file:line:col", the line and a caret, "= hint: …".
static void
print_human(FILE *out, const ap_diag_t *d)
{
  const char *file = d->loc.file ? d->loc.file : "anpham";
  char text[MAX_LINE];
  int width = d->loc.line > 0 ? snprintf(NULL, 0, "%d", d->loc.line) : 1; // Of the gutter's line number

  // What, then where (the arrow and the gutter as wide as the line number, as rustc sets them)...
  fprintf(out, "%s: %s\n", d->severity == AP_SEV_ERROR ? "error" : "warning", d->message);
  if (d->loc.line > 0 && d->loc.col > 0)
    fprintf(out, "%*s--> %s:%d:%d\n", width, "", file, d->loc.line, d->loc.col);
  else if (d->loc.line > 0)
    fprintf(out, "%*s--> %s:%d\n", width, "", file, d->loc.line);
  else
    fprintf(out, "%*s--> %s\n", width, "", file);

  // The source line, and a caret under the column (a tab under a tab, so
  // that it lines up however the terminal sets tabs)...
  if (d->loc.line > 0 && source_line(d->loc.file, d->loc.line, text, sizeof(text))) {
    fprintf(out, "%*s |\n%d | %s\n", width, "", d->loc.line, text);
    if (d->loc.col > 0) {
      fprintf(out, "%*s | ", width, "");
      int col = 1;
      for (const char *c = text; *c && col < d->loc.col; c++)
        if (((unsigned char)*c & 0xC0) != 0x80) { // Columns count characters
          fputc(*c == '\t' ? '\t' : ' ', out);
          col++;
        }
      fputs("^\n", out);
    }
  }
  if (d->hint)
    fprintf(out, "%*s = hint: %s\n", width, "", d->hint);
}

// json: one object on one line.
static void
print_json(FILE *out, const ap_diag_t *d)
{
  json_object *o = json_object_new_object();

  if (!o)
    return;
  json_object_object_add(o, "severity", json_object_new_string(d->severity == AP_SEV_ERROR ? "error" : "warning"));
  json_object_object_add(o, "message", json_object_new_string(d->message));
  json_object_object_add(o, "file", d->loc.file ? json_object_new_string(d->loc.file) : NULL);
  json_object_object_add(o, "line", json_object_new_int(d->loc.line));
  json_object_object_add(o, "column", json_object_new_int(d->loc.col));
  json_object_object_add(o, "hint", d->hint ? json_object_new_string(d->hint) : NULL);
  fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
}

// Line `line` of a file, without its end of line (cut to size); false when
// it cannot be read (a built-in form, a file gone since).
static bool
source_line(const char *file, int line, char *buf, size_t size)
{
  FILE *fp = file ? fopen(file, "rb") : NULL;
  int n = 1, c;
  size_t len = 0;

  if (!fp)
    return false;
  while (n < line && (c = getc(fp)) != EOF)
    n += c == '\n';
  while (n == line && (c = getc(fp)) != EOF && c != '\n')
    if (c != '\r' && len + 1 < size)
      buf[len++] = (char)c;
  fclose(fp);
  buf[len] = '\0';
  return n == line;
}
