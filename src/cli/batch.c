// anpham batch and anpham manifest merge: their options (getopt_long), the
// progress they print and the summary. The work itself is src/batch/.
//   anpham batch JOBS.xml [-o DIR] [--jobs N] [--shard K/N] [--force] [--quiet] [--strict]
//                [--sign KEY.p12 [--cert CHAIN.pem] (--pass-env VAR | --pass-file PATH) [--sign-time T]
//                 [--field NAME] [--image SIG.png [--seal SEAL.png --seal-size LENGTH]] [--office [--org NAME]]]
//   anpham batch LAYOUT.xml --data A.xml B.xml … -o DIR [--set NAME=VALUE]…
//   anpham manifest merge A.json B.json … -o OUT.json
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/hash.h"
#include "../base/number.h"
#include "../batch/batch.h"

// What the progress printer knows.
typedef struct progress_s {
  bool tty;       // stderr is a terminal: one line, rewritten
  bool quiet;     // Only failures
  int width;      // Width of the last line written (tty)
} progress_t;

// The options of --sign's visible appearance (sign's), past getopt's letters.
enum { OPT_FIELD = 1000, OPT_IMAGE, OPT_SEAL, OPT_SEAL_SIZE, OPT_OFFICE, OPT_ORG };

static char *look_key(const ap_sign_request_t *req, const char *seal_size, ap_diags_t *diags);
static bool parse_shard(const char *text, int *k, int *n);
static void print_progress(void *ctx, const ap_batch_t *batch, const ap_batch_job_t *job);
static void print_warnings(void *ctx, const ap_batch_job_t *job, ap_diags_t *diags);
static void simple_batch(ap_batch_file_t *file, const char *layout, char **data, int ndata, const char *dir,
                         const char **sets, int nsets, ap_arena_t *arena);

//
// 'ap_cli_batch()' - anpham batch.
//

int
ap_cli_batch(int argc, char **argv)
{
  static const struct option longopts[] = {
      {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
      {"shard", required_argument, NULL, 'S'},  {"force", no_argument, NULL, 'f'},
      {"quiet", no_argument, NULL, 'q'},        {"data", no_argument, NULL, 'd'},
      {"set", required_argument, NULL, 's'},    {"allow-path", required_argument, NULL, 'a'},
      {"manifest", required_argument, NULL, 'm'}, {"max-image-pixels", required_argument, NULL, 'p'},
      {"strict", no_argument, NULL, 'W'},       {"diagnostic-format", required_argument, NULL, 'D'},
      {"font-path", required_argument, NULL, 'F'}, {"help", no_argument, NULL, 'h'},
      {"sign", required_argument, NULL, 'K'},   {"cert", required_argument, NULL, 'C'},
      {"pass-env", required_argument, NULL, 'E'}, {"pass-file", required_argument, NULL, 'P'},
      {"sign-time", required_argument, NULL, 'T'}, {"field", required_argument, NULL, OPT_FIELD},
      {"image", required_argument, NULL, OPT_IMAGE}, {"seal", required_argument, NULL, OPT_SEAL},
      {"seal-size", required_argument, NULL, OPT_SEAL_SIZE}, {"office", no_argument, NULL, OPT_OFFICE},
      {"org", required_argument, NULL, OPT_ORG},
      {NULL, 0, NULL, 0}};
  ap_batch_options_t opt = {0};
  const char *dir = NULL, *sets[AP_BATCH_MAX_SETS], *allow[32], *font_paths[32];
  int nsets = 0, nallow = 0, nfont_paths = 0;
  bool with_data = false, quiet = false;
  double n;
  ap_sign_request_t sign = {0};
  const char *pass_env = NULL, *pass_file = NULL, *sign_time = NULL, *seal_size = NULL;

  optind = 1;
  opterr = 0;
  int c;
  // (getopt_long permutes: every non-option ends up after the options, so
  // `LAYOUT --data A B -o DIR` gives the layout then the data files.)
  while ((c = getopt_long(argc, argv, "o:j:q", longopts, NULL)) != -1) {
    switch (c) {
    case 'o': dir = optarg; break;
    case 'j':
      if (!ap_cli_parse_jobs(optarg, &opt.jobs))
        return ap_cli_usage_error("--jobs takes a number of processes from 1 to 256, not '%s'", optarg);
      break;
    case 'S':
      if (!parse_shard(optarg, &opt.shard, &opt.nshards))
        return ap_cli_usage_error("--shard takes K/N with 0 <= K < N (shard K of N), not '%s'", optarg);
      break;
    case 'f': opt.force = true; break;
    case 'q': quiet = true; break;
    case 'd': with_data = true; break;
    case 's':
      if (!strchr(optarg, '=') || optarg[0] == '=')
        return ap_cli_usage_error("--set takes NAME=VALUE, not '%s'", optarg);
      if (nsets == AP_BATCH_MAX_SETS)
        return ap_cli_usage_error("--set: %d values at most", AP_BATCH_MAX_SETS);
      sets[nsets++] = optarg;
      break;
    case 'a':
      if (nallow == 32)
        return ap_cli_usage_error("--allow-path: 32 folders at most");
      allow[nallow++] = optarg;
      break;
    case 'F':
      if (nfont_paths == 32)
        return ap_cli_usage_error("--font-path: 32 folders at most");
      font_paths[nfont_paths++] = optarg;
      break;
    case 'm': opt.manifest = optarg; break;
    case 'p':
      if (!ap_number_parse(&AP_RANGE_PIXELS, optarg, &n))
        return ap_cli_usage_error("--max-image-pixels takes a whole number from 1 to 10000000000, not '%s'", optarg);
      opt.max_image_pixels = (long)n;
      break;
    case 'W': opt.strict = true; break;
    case 'D':
      if (!ap_cli_diagnostic_format(optarg))
        return ap_cli_usage_error("--diagnostic-format takes human, short or json, not '%s'", optarg);
      break;
    case 'K': sign.key = optarg; break;
    case 'C': sign.cert = optarg; break;
    case 'E': pass_env = optarg; break;
    case 'P': pass_file = optarg; break;
    case 'T': sign_time = optarg; break;
    case OPT_FIELD: sign.field = optarg; break;
    case OPT_IMAGE: sign.image = optarg; break;
    case OPT_SEAL: sign.seal = optarg; break;
    case OPT_SEAL_SIZE:
      seal_size = optarg;
      if (!ap_cli_seal_size(seal_size, &sign.seal_size))
        return ap_cli_usage_error("batch: --seal-size '%s': expected the seal's real width from 10mm to 100mm, with "
                                  "its unit (36mm, 3.6cm)", seal_size);
      break;
    case OPT_OFFICE: sign.office = true; break;
    case OPT_ORG: sign.org = optarg; break;
    case 'h': return ap_cli_usage(stdout, 0);
    default:
      return ap_cli_usage_error("batch: unknown option or missing value: '%s'", argv[optind - 1]);
    }
  }
  if (optind >= argc)
    return ap_cli_usage_error("batch needs a batch file (JOBS.xml) or a layout with --data A.xml B.xml …");
  if (!sign.key && (sign.cert || pass_env || pass_file || sign_time || sign.field || sign.image || sign.seal ||
                    seal_size || sign.office || sign.org))
    return ap_cli_usage_error("batch: --cert, --pass-env, --pass-file, --sign-time, --field, --image, --seal, "
                              "--seal-size, --office and --org go with --sign KEY");
  int usage = ap_cli_sign_look_usage("batch", &sign, seal_size != NULL);
  if (usage)
    return usage;
  if (pass_env && pass_file)
    return ap_cli_usage_error("batch: --pass-env and --pass-file: give one");
  opt.allow = allow;
  opt.nallow = nallow;
  opt.font_paths = font_paths;
  opt.nfont_paths = nfont_paths;

  // The batch: a batch file, or LAYOUT --data FILES… -o DIR...
  if (with_data && optind + 2 > argc)
    return ap_cli_usage_error("batch LAYOUT.xml --data A.xml B.xml …: expected a layout and data files");
  if (with_data && !dir)
    return ap_cli_usage_error("batch LAYOUT.xml --data …: -o DIR names the folder the PDFs go to");
  if (!with_data && optind + 1 != argc)
    return ap_cli_usage_error("batch: unexpected argument '%s' (one batch file; --data A.xml … after a layout)",
                              argv[optind + 1]);
  if (!with_data && nsets)
    return ap_cli_usage_error("batch: --set goes into the batch file (<set name= value=>) or with --data");
  ap_arena_small_pages(); // Jobs of a few milliseconds each: no huge pages (base/arena.c)
  ap_arena_t *arena = ap_arena_create();
  ap_diags_t diags = {0};
  ap_batch_file_t file = {0};
  int status;
  if (!arena)
    return AP_INTERNAL;
  if (with_data) {
    simple_batch(&file, argv[optind], argv + optind + 1, argc - optind - 1, dir, sets, nsets, arena);
  } else if (!ap_batch_read(argv[optind], dir, arena, &diags, &file)) {
    ap_cli_print_diags(&diags);
    ap_arena_destroy(arena);
    return 1;
  }

  // With --sign, the key and the appearance's images are read once,
  // before any job: a wrong passphrase or a bad image stops the batch here
  // (the images may come from the batch file's folder, or the layout's,
  // and the --allow-path folders)...
  ap_sign_key_t *key = NULL;
  ap_sign_look_t *look = NULL;
  char *look_text = NULL;
  if (sign.key) {
    bool ok = true;
    if (!pass_env && !pass_file && !sign.cert)
      ok = ap_fail(&diags, ap_loc_file(sign.key), "a PKCS#12 file needs its passphrase: --pass-env VAR or "
                                                  "--pass-file PATH (never on the command line)");
    ok = ok && (!(pass_env || pass_file) || ap_cli_read_pass(pass_env, pass_file, &sign.pass, &diags));
    ok = ok && ap_cli_signing_time(sign_time, &sign.when, &diags) && (key = ap_sign_key_load(&sign, &diags));
    ap_cli_wipe(sign.pass);
    free(sign.pass);
    sign.pass = NULL;
    sign.in = argv[optind];
    sign.allow = allow;
    sign.nallow = nallow;
    if (ok && (sign.image || sign.office))
      ok = (look = ap_sign_look_read(key, &sign, &diags)) != NULL;
    if (ok && (sign.field || look))
      ok = (look_text = look_key(&sign, seal_size, &diags)) != NULL;
    if (!ok) {
      for (ap_diag_t *d = diags.first; d; d = d->next)
        if (d->severity == AP_SEV_ERROR) {
          fprintf(stderr, "anpham: batch: --sign: %s: %s\n", d->loc.file ? d->loc.file : "", d->message);
          break;
        }
      ap_diags_clear(&diags);
      ap_sign_look_free(look);
      ap_sign_key_free(key);
      ap_arena_destroy(arena);
      return 1;
    }
    opt.sign = key;
    opt.sign_when = sign.when;
    opt.sign_field = sign.field;
    opt.sign_look = look;
    opt.sign_look_key = look_text;
  }

  status = ap_cli_batch_run(&file, &opt, quiet, "batch", &diags);
  free(look_text);
  ap_sign_look_free(look);
  ap_sign_key_free(key);
  ap_arena_destroy(arena);
  return status;
}

//
// 'ap_cli_batch_run()' - Run a batch file's jobs with progress and a summary.
//

int
ap_cli_batch_run(const ap_batch_file_t *file, ap_batch_options_t *opt, bool quiet, const char *command,
                 ap_diags_t *diags)
{
  int status;

  // Run, with progress...
  progress_t progress = {.tty = isatty(STDERR_FILENO), .quiet = quiet};
  opt->progress = print_progress;
  opt->progress_ctx = &progress;
  opt->warnings = print_warnings;
  ap_batch_t *batch = ap_batch_create(file, opt, diags);
  if (!batch) {
    ap_cli_print_diags(diags);
    return 1;
  }
  status = ap_batch_run(batch, diags);
  if (progress.tty && progress.width)
    fprintf(stderr, "\r%*s\r", progress.width, "");

  // The summary: counts, then each failure with its first error line...
  ap_batch_counts_t counts = ap_batch_counts(batch);
  if (!quiet || counts.failed || status > 128) {
    fprintf(stderr, "anpham %s: %d job%s: %d done, %d up to date, %d failed", command, counts.total,
            counts.total == 1 ? "" : "s", counts.done, counts.unchanged, counts.failed);
    if (counts.waiting)
      fprintf(stderr, ", %d not run", counts.waiting);
    fprintf(stderr, " in %.2f s%s; manifest %s\n", counts.seconds, status > 128 ? " (interrupted)" : "",
            ap_batch_manifest_path(batch));
  }
  if (progress.tty)
    for (int i = 0; i < counts.total; i++) {
      const ap_batch_job_t *job = ap_batch_job(batch, i);
      if (job->state == AP_JOB_FAILED)
        fprintf(stderr, "failed %s: %s\n", job->output, job->error ? job->error : "");
    }
  ap_cli_print_diags(diags);
  ap_batch_destroy(batch);
  return status;
}

//
// 'ap_cli_manifest()' - anpham manifest merge A.json B.json … -o OUT.json.
//

int
ap_cli_manifest(int argc, char **argv)
{
  const char *out = NULL;
  const char *paths[1024];
  int npaths = 0;

  if (argc < 2 || strcmp(argv[1], "merge"))
    return ap_cli_usage_error("manifest: expected merge A.json B.json … -o OUT.json");
  for (int i = 2; i < argc; i++) {
    if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
      if (++i >= argc)
        return ap_cli_usage_error("manifest merge: -o needs a file name");
      out = argv[i];
    } else if (argv[i][0] == '-' && argv[i][1]) {
      return ap_cli_usage_error("manifest merge: unknown option '%s'", argv[i]);
    } else if (npaths == 1024) {
      return ap_cli_usage_error("manifest merge: 1024 manifests at most (merge in steps)");
    } else {
      paths[npaths++] = argv[i];
    }
  }
  if (!npaths || !out)
    return ap_cli_usage_error("manifest merge: expected manifests and -o OUT.json");
  ap_diags_t diags = {0};
  bool ok = ap_manifest_merge(paths, npaths, out, &diags);
  ap_cli_print_diags(&diags);
  return ok ? 0 : 1;
}

//
// 'ap_cli_parse_jobs()' - --jobs N: processes at a time, 1 to 256.
//

bool
ap_cli_parse_jobs(const char *text, int *jobs)
{
  double n;
  if (!ap_number_parse(&(ap_range_t){AP_NUM_INTEGER, "a number of jobs", 1, 256, false, ""}, text, &n))
    return false;
  *jobs = (int)n;
  return true;
}

// What the signature's field and appearance are made of, for the jobs'
// keys (a change signs every job again): the field, each image's SHA-256,
// the seal's width, the office and its name. malloc'ed; NULL with a
// diagnostic when an image cannot be read.
static char *
look_key(const ap_sign_request_t *req, const char *seal_size, ap_diags_t *diags)
{
  char image[AP_SHA256_HEX] = "", seal[AP_SHA256_HEX] = "";
  const char *field = req->field ? req->field : "", *org = req->org ? req->org : "";
  const char *width = seal_size ? seal_size : "", *format = "sign-field=%s image=%s seal=%s seal-size=%s office=%d org=%s";

  if ((req->image && !ap_sha256_file(req->image, image)) || (req->seal && !ap_sha256_file(req->seal, seal))) {
    ap_fail(diags, ap_loc_file(req->image), "cannot read the images again to hash them");
    return NULL;
  }
  int n = snprintf(NULL, 0, format, field, image, seal, width, req->office, org);
  char *text = n < 0 ? NULL : malloc((size_t)n + 1);
  if (!text)
    ap_fail(diags, ap_loc_file(req->in), "out of memory");
  else
    snprintf(text, (size_t)n + 1, format, field, image, seal, width, req->office, org);
  return text;
}

// K/N with 0 <= K < N.
static bool
parse_shard(const char *text, int *k, int *n)
{
  const char *slash = strchr(text, '/');
  double a, b;
  char left[32];
  if (!slash || (size_t)(slash - text) >= sizeof(left))
    return false;
  memcpy(left, text, (size_t)(slash - text));
  left[slash - text] = '\0';
  ap_range_t range = {AP_NUM_INTEGER, "a shard", 0, 1000000, false, ""};
  if (!ap_number_parse(&range, left, &a) || !ap_number_parse(&range, slash + 1, &b) || b < 1 || a >= b)
    return false;
  *k = (int)a;
  *n = (int)b;
  return true;
}

// After each job: on a terminal one line rewritten (done/total, jobs per
// second, time left, failures); otherwise one line per job (failures
// only with --quiet).
static void
print_progress(void *ctx, const ap_batch_t *batch, const ap_batch_job_t *job)
{
  progress_t *p = ctx;
  ap_batch_counts_t n = ap_batch_counts(batch);
  int ended = n.done + n.unchanged + n.failed;

  if (p->tty) {
    if (job->state == AP_JOB_FAILED) { // A failure stays on the screen, above the line
      fprintf(stderr, "\r%*s\rfailed %s: %s\n", p->width, "", job->output, job->error ? job->error : "");
      p->width = 0;
    }
    if (p->quiet)
      return;
    double rate = n.seconds > 0 ? (n.done + n.failed) / n.seconds : 0;
    double eta = rate > 0 ? n.waiting / rate : 0;
    int w = fprintf(stderr, "\r[%d/%d] %.1f jobs/s, %.0f s left, %d failed", ended, n.total, rate, eta, n.failed);
    if (w < p->width)
      fprintf(stderr, "%*s", p->width - w, "");
    p->width = w > p->width ? w : p->width;
    fflush(stderr);
    return;
  }
  if (job->state == AP_JOB_FAILED)
    fprintf(stderr, "failed %s: %s\n", job->output, job->error ? job->error : "");
  else if (!p->quiet)
    fprintf(stderr, "%s %s (%d page%s%s)\n", job->state == AP_JOB_UNCHANGED ? "up to date" : "done", job->output,
            job->pages, job->pages == 1 ? "" : "s", "");
}

// In a job's process, after the job went well: its warnings (a warning
// names its place in the layout or the data, the job's output naming
// nothing more), one write each, so that jobs running side by side do not
// mix their lines.
static void
print_warnings(void *ctx, const ap_batch_job_t *job, ap_diags_t *diags)
{
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream(&text, &size);

  (void)ctx;
  (void)job;
  for (const ap_diag_t *d = diags->first; out && d; d = d->next)
    ap_cli_print_diag(out, d);
  if (out && fclose(out) == 0)
    for (size_t put = 0; put < size;) {
      ssize_t n = write(STDERR_FILENO, text + put, size - put);
      if (n <= 0)
        break;
      put += (size_t)n;
    }
  free(text);
  ap_diags_clear(diags);
}

// LAYOUT --data A.xml B.xml … -o DIR: one job per data file, its PDF named
// after it (DIR/A.pdf), the --set values for every job.
static void
simple_batch(ap_batch_file_t *file, const char *layout, char **data, int ndata, const char *dir,
             const char **sets, int nsets, ap_arena_t *arena)
{
  file->path = layout;
  file->output_dir = dir;
  file->jobs = AP_NEW_N(arena, ap_job_spec_t, ndata);
  for (int i = 0; i < ndata; i++) {
    ap_job_spec_t *job = &file->jobs[file->njobs++];
    const char *slash = strrchr(data[i], '/'), *name = slash ? slash + 1 : data[i];
    const char *dot = strrchr(name, '.');
    int stem = dot && dot > name ? (int)(dot - name) : (int)strlen(name);
    job->layout = layout;
    job->data = data[i];
    job->output = ap_path_join(arena, dir, ap_arena_printf(arena, "%.*s.pdf", stem, name));
    job->loc = ap_loc_file(data[i]);
    for (int k = 0; k < nsets; k++)
      job->sets[job->nsets++] = sets[k];
  }
}
