// anpham archive [ARCHIVE.xml] [-o DIR]: the yearly editions as PDF/A-3
// archives carrying their source (docs/archive.md, "anpham archive"). An
// archive file is a batch file (layouts/schema/batch.rng) whose every job
// is made an archive job: --pdfa (which embeds the source), dated by the
// edition's <info date> or its job's source-date-epoch=, never the
// environment's SOURCE_DATE_EPOCH nor the clock. The batch runner does the
// rest: jobs in parallel, DIR/manifest.json, only changed jobs again.
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../base/installed.h"
#include "../base/number.h"
#include "cli.h"

#ifndef AP_ARCHIVE_FILE
#define AP_ARCHIVE_FILE "samples/archive.xml"
#endif

//
// 'ap_cli_archive()' - anpham archive [ARCHIVE.xml] [-o DIR] [--jobs N] [--force] [--quiet].
//

int
ap_cli_archive(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
      {"force", no_argument, NULL, 'f'},        {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  ap_batch_options_t opt = {0};
  const char *dir = "archive", *path = ap_installed_file("samples/archive.xml", AP_ARCHIVE_FILE);
  bool quiet = false;
  int c;

  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:j:q", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': dir = optarg; break;
    case 'j':
      if (!ap_cli_parse_jobs(optarg, &opt.jobs))
        return ap_cli_usage_error("--jobs takes a number of processes from 1 to 256, not '%s'", optarg);
      break;
    case 'f': opt.force = true; break;
    case 'q': quiet = true; break;
    case 'h': return ap_cli_usage(stdout, 0);
    default: return ap_cli_usage_error("archive: unknown option or missing value: '%s'", argv[optind - 1]);
    }
  }
  if (optind + 1 < argc)
    return ap_cli_usage_error("archive: unexpected argument '%s' (one archive file)", argv[optind + 1]);
  if (optind < argc)
    path = argv[optind];

  // The archive file, every job an archive job...
  ap_arena_small_pages(); // Jobs of a few milliseconds each: no huge pages (base/arena.c)
  ap_arena_t *arena = ap_arena_create();
  ap_diags_t diags = {0};
  ap_batch_file_t file = {0};
  if (!arena)
    return AP_INTERNAL;
  if (!ap_batch_read(path, dir, arena, &diags, &file)) {
    ap_cli_print_diags(&diags);
    ap_arena_destroy(arena);
    return 1;
  }
  for (int i = 0; i < file.njobs; i++) {
    file.jobs[i].pdfa = true;
    file.jobs[i].archive = true;
  }

  // ...run as a batch...
  int status = ap_cli_batch_run(&file, &opt, quiet, "archive", &diags);
  ap_arena_destroy(arena);
  return status;
}
