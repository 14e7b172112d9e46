// anpham extract FILE.pdf -o DIR: the source a PDF embeds (--embed-source)
// written back under DIR (src/extract.c reads and checks it: hostile names
// refused, every file against its SHA-256), the fonts its
// anpham-source.json names checked, and the command that renders the same
// PDF again printed.
#include <stdio.h>
#include <string.h>

#include "../extract.h"
#include "cli.h"

static void print_command(const char *dir, const char *epoch, json_object *args);
static int print_errors(ap_diags_t *diags);

//
// 'ap_cli_extract()' - anpham extract FILE.pdf -o DIR.
//

int
ap_cli_extract(int argc, char **argv)
{
  const char *pdf = NULL, *dir = NULL;
  ap_extracted_t x;
  ap_diags_t diags = {0};
  int status = 0;

  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc)
      dir = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1])
      return ap_cli_usage_error("extract: unknown option '%s'", argv[i]);
    else if (!pdf)
      pdf = argv[i];
    else
      return ap_cli_usage_error("extract: unexpected argument '%s'", argv[i]);
  }
  if (!pdf || !dir)
    return ap_cli_usage_error("extract takes FILE.pdf -o DIR");

  // Read and checked, written, the fonts checked (every missing or
  // different one said), and the command printed...
  if (!ap_extract_read(pdf, &x, &diags) || !ap_extract_write(&x, dir, &diags)) {
    status = AP_BAD_INPUT;
  } else {
    if (!ap_extract_fonts(&x, dir, /*fonts_dir*/ NULL, &diags))
      status = AP_BAD_INPUT;
    print_command(dir, x.epoch, x.arguments);
  }
  print_errors(&diags);
  ap_extract_free(&x);
  return status;
}

// Every error, one line each ("anpham: extract: FILE: message"); their number.
static int
print_errors(ap_diags_t *diags)
{
  int errors = diags->errors;
  for (ap_diag_t *d = diags->first; d; d = d->next)
    if (d->severity == AP_SEV_ERROR)
      fprintf(stderr, "anpham: extract: %s: %s\n", d->loc.file ? d->loc.file : "", d->message);
  ap_diags_clear(diags);
  return errors;
}

// The command that renders the same PDF again: in DIR, with the recorded
// SOURCE_DATE_EPOCH, the recorded arguments, -o OUT.pdf.
static void
print_command(const char *dir, const char *epoch, json_object *args)
{
  fputs("cd ", stdout);
  ap_cli_print_quoted(dir);
  fputs(" && ", stdout);
  if (epoch) {
    fputs("SOURCE_DATE_EPOCH=", stdout);
    ap_cli_print_quoted(epoch);
    putchar(' ');
  }
  fputs("anpham", stdout);
  for (size_t k = 0; k < json_object_array_length(args); k++) {
    const char *a = json_object_get_string(json_object_array_get_idx(args, k));
    putchar(' ');
    ap_cli_print_quoted(a ? a : "");
  }
  fputs(" -o OUT.pdf\n", stdout);
}
