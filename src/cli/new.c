// anpham new KIND DIR [--form hd36|nd30]: a layout and data pair to start a
// document from (src/scaffold.c writes it), then the command that renders
// it printed.
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../scaffold.h"
#include "cli.h"

//
// 'ap_cli_new()' - anpham new KIND DIR [--form hd36|nd30].
//

int
ap_cli_new(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"form", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  const char *form = NULL, *kind = NULL, *dir = NULL;
  int c;

  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (strcmp(optarg, "hd36") && strcmp(optarg, "nd30"))
        return ap_cli_usage_error("new: --form takes hd36 (Party) or nd30 (state), not '%s'", optarg);
      form = optarg;
      break;
    case 'h': return ap_cli_usage(stdout, 0);
    default: return ap_cli_usage_error("new: unknown option or missing value: '%s'", argv[optind - 1]);
    }
  }
  if (argc - optind != 2)
    return ap_cli_usage_error("new takes KIND DIR: KIND is one of %s", ap_scaffold_kinds);
  if (!(kind = ap_scaffold_kind(argv[optind])))
    return ap_cli_usage_error("new: no kind of document '%s': expected %s", argv[optind], ap_scaffold_kinds);
  dir = argv[optind + 1];
  if (form && !strcmp(kind, "handout"))
    return ap_cli_usage_error("new: the handout has no form (--form is for báo-cáo, thông-báo, kế-hoạch, công-văn)");

  // Written (nothing when a file is in the way), then how to render it.
  ap_scaffold_t s;
  ap_diags_t diags = {0};
  if (!ap_scaffold_write(kind, form, dir, &s, &diags)) {
    for (ap_diag_t *d = diags.first; d; d = d->next)
      fprintf(stderr, "anpham: new: %s: %s\n", d->loc.file ? d->loc.file : dir, d->message);
    ap_diags_clear(&diags);
    return AP_BAD_INPUT;
  }
  for (int i = 0; i < AP_SCAFFOLD_FILES && s.written[i]; i++)
    printf("wrote %s\n", s.written[i]);
  printf("render it with:\n  anpham render ");
  ap_cli_print_quoted(s.layout);
  printf(" --data ");
  ap_cli_print_quoted(s.data);
  printf(" -o ");
  char pdf[4096];
  snprintf(pdf, sizeof(pdf), "%.*s.pdf", (int)(strlen(s.layout) - 4), s.layout); // KIND.xml -> KIND.pdf
  ap_cli_print_quoted(pdf);
  putchar('\n');
  ap_scaffold_free(&s);
  return 0;
}
