// The command line: argument parsing, exit codes, and the one place that
// prints diagnostics.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../anpham.h"
#include "../base/heap.h"
#include "../base/number.h"
#include "../base/path.h"
#include "../check/form.h"
#include "cli.h"

#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif

static int render_copies(ap_options_t *opt, int copies, const char **sets);
#define print_diags ap_cli_print_diags
#define usage ap_cli_usage

//
// 'main()' - anpham render|check|batch|manifest ….
//

int
main(int argc, char **argv)
{
  ap_options_t opt = {0};
  const char *sets[32];
  const char *allow[32];
  const char *font_paths[32];
  ap_diags_t diags = {0};
  bool check = false;
  bool watch = false;         // anpham watch: render, then again on every change
  int copies = 0;             // --copies N
  bool copies_in_one = false; // --copies-in-one

  if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
    return usage(stdout, 0);
  if (argc >= 2 && !strcmp(argv[1], "--version")) {
    printf("anpham %s\n", AP_VERSION);
    return 0;
  }
  if (argc >= 2 && !strcmp(argv[1], "batch"))
    return ap_cli_batch(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "manifest"))
    return ap_cli_manifest(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "extract"))
    return ap_cli_extract(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "verify"))
    return ap_cli_verify(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "sign"))
    return ap_cli_sign(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "archive"))
    return ap_cli_archive(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "new"))
    return ap_cli_new(argc - 1, argv + 1);
  if (argc < 3 || (strcmp(argv[1], "render") && strcmp(argv[1], "check") && strcmp(argv[1], "watch")))
    return usage(stderr, AP_USAGE);
  check = !strcmp(argv[1], "check");
  watch = !strcmp(argv[1], "watch");
  ap_heap_prefer_huge_pages(); // one process, no fork: the render's memory on huge pages

  // Options...
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char **slot = NULL;
    if (!strcmp(a, "--data"))
      slot = &opt.data;
    else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
      slot = &opt.output;
    else if (!strcmp(a, "--dump"))
      slot = &opt.dump;
    else if (!strcmp(a, "--deck"))
      slot = &opt.deck;
    else if (!strcmp(a, "--slide-page"))
      slot = &opt.slide_page;
    else if (!strcmp(a, "--impose"))
      slot = &opt.impose;
    else if (!strcmp(a, "--crop-marks")) {
      opt.crop_marks = true;
      continue;
    } else if (!strcmp(a, "--no-tags")) {
      opt.no_tags = true;
      continue;
    } else if (!strcmp(a, "--pdfa")) {
      opt.pdfa = true;
      continue;
    } else if (!strcmp(a, "--embed-source")) {
      opt.embed_source = true;
      continue;
    } else if (!strcmp(a, "--form")) {
      // check --form hd36|nd30: the document against a built-in form (docs/forms.md)...
      if (i + 1 >= argc || !ap_check_form_known(argv[i + 1]))
        return ap_cli_usage_error("--form takes hd36 or nd30 (the form to check against), not '%s'",
                                  i + 1 < argc ? argv[i + 1] : "");
      opt.form = argv[++i];
      continue;
    } else if (!strcmp(a, "--strict")) {
      opt.strict = true;
      continue;
    } else if (!strcmp(a, "--diagnostic-format")) {
      if (i + 1 >= argc || !ap_cli_diagnostic_format(argv[i + 1]))
        return ap_cli_usage_error("--diagnostic-format takes human, short or json, not '%s'",
                                  i + 1 < argc ? argv[i + 1] : "");
      i++;
      continue;
    } else if (!strcmp(a, "--set")) {
      const char *set = i + 1 < argc ? argv[i + 1] : NULL;
      if (!set)
        return ap_cli_usage_error("--set needs NAME=VALUE");
      if (!strchr(set, '='))
        return ap_cli_usage_error("--set %s: expected NAME=VALUE, with '=' (--set %s= for an empty value)", set, set);
      if (set[0] == '=')
        return ap_cli_usage_error("--set %s: expected a parameter's name before '='", set);
      if (opt.nsets == 32)
        return ap_cli_usage_error("--set %s: 32 --set values at most", set);
      sets[opt.nsets++] = argv[++i];
      opt.sets = sets;
      continue;
    } else if (!strcmp(a, "--allow-path")) {
      if (i + 1 >= argc || opt.nallow == 32) {
        fputs("anpham: --allow-path takes a folder (32 at most)\n", stderr);
        return AP_USAGE;
      }
      allow[opt.nallow++] = argv[++i];
      opt.allow = allow;
      continue;
    } else if (!strcmp(a, "--font-path")) {
      if (i + 1 >= argc || opt.nfont_paths == 32)
        return ap_cli_usage_error("--font-path takes a folder (32 at most)");
      font_paths[opt.nfont_paths++] = argv[++i];
      opt.font_paths = font_paths;
      continue;
    } else if (!strcmp(a, "--copies")) {
      double n = 0;
      if (i + 1 >= argc || !ap_number_parse(&(ap_range_t){AP_NUM_INTEGER, "a number of copies", 1, 100000, false, ""},
                                            argv[i + 1], &n)) {
        fprintf(stderr, "anpham: --copies takes a number of copies from 1 to 100000, not '%s'\n",
                i + 1 < argc ? argv[i + 1] : "");
        return AP_USAGE;
      }
      copies = (int)n;
      i++;
      continue;
    } else if (!strcmp(a, "--copies-in-one")) {
      copies_in_one = true;
      continue;
    } else if (!strcmp(a, "--max-image-pixels")) {
      double n = 0;
      if (i + 1 >= argc || !ap_number_parse(&AP_RANGE_PIXELS, argv[i + 1], &n)) {
        fprintf(stderr, "anpham: --max-image-pixels takes a whole number from 1 to 10000000000, not '%s'\n",
                i + 1 < argc ? argv[i + 1] : "");
        return AP_USAGE;
      }
      opt.max_image_pixels = (long)n;
      i++;
      continue;
    } else if (!strcmp(a, "--handout")) {
      // Slides per handout page: the counts presentation software prints...
      const char *n = i + 1 < argc ? argv[i + 1] : "";
      if (strlen(n) != 1 || !strchr("12346", n[0])) {
        fprintf(stderr, "anpham: --handout takes 1, 2, 3, 4 or 6 (slides per page), not '%s'\n", n);
        return usage(stderr, AP_USAGE);
      }
      opt.handout = n[0] - '0';
      i++;
      continue;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "anpham: unknown option '%s'\n", a);
      return usage(stderr, AP_USAGE);
    } else if (!opt.layout) {
      opt.layout = a;
      continue;
    } else {
      fprintf(stderr, "anpham: unexpected argument '%s'\n", a);
      return usage(stderr, AP_USAGE);
    }
    if (++i >= argc) {
      fprintf(stderr, "anpham: option '%s' needs a value\n", a);
      return usage(stderr, AP_USAGE);
    }
    *slot = argv[i];
  }
  if (!opt.layout)
    return usage(stderr, AP_USAGE);
  if (opt.slide_page && !opt.deck) {
    fputs("anpham: --slide-page goes with --deck\n", stderr);
    return AP_USAGE;
  }
  if (opt.impose && strcmp(opt.impose, "a5-booklet") && strcmp(opt.impose, "2up")) {
    fprintf(stderr, "anpham: --impose takes a5-booklet or 2up, not '%s'\n", opt.impose);
    return AP_USAGE;
  }
  if (!check && opt.form)
    return ap_cli_usage_error("--form belongs to check (anpham check --form hd36|nd30 LAYOUT.xml)");
  if (check && (opt.output || opt.dump)) {
    fputs("anpham: check writes nothing: -o and --dump belong to render\n", stderr);
    return AP_USAGE;
  }
  if (!check && !opt.output && !opt.dump) {
    fputs(watch ? "anpham: watch needs -o OUT.pdf (or --dump FILE)\n" : "anpham: render needs -o OUT.pdf (or --dump FILE)\n",
          stderr);
    return AP_USAGE;
  }
  if (watch && (copies || (opt.output && !strcmp(opt.output, "-")) || (opt.dump && !strcmp(opt.dump, "-"))))
    return ap_cli_usage_error("watch writes files: no --copies, no '-' (standard output)");
  if (watch)
    return ap_cli_watch(&opt);

  if (copies_in_one && !copies) {
    fputs("anpham: --copies-in-one goes with --copies N\n", stderr);
    return AP_USAGE;
  }
  if (copies && (check || opt.nsets > 30)) {
    fputs(check ? "anpham: --copies belongs to render\n" : "anpham: --copies: 30 --set values at most\n", stderr);
    return AP_USAGE;
  }
  if (copies && copies_in_one)
    opt.copies_in_one = copies;
  else if (copies)
    return render_copies(&opt, copies, sets);

  ap_status_t status = ap_run(&opt, &diags);
  int errors = print_diags(&diags);
  if (status == AP_OK && errors)
    status = AP_BAD_INPUT;
  return (int)status;
}

// --copies N: N runs, copy k writing NAME-00k.pdf with $copy = "00k" (as wide
// as N, 3 digits at least) and $copies = N; stops at the first failure.
static int
render_copies(ap_options_t *opt, int copies, const char **sets)
{
  char copy_set[32], copies_set[32];
  const char *output = opt->output, *dump = opt->dump;
  ap_arena_t *names = ap_arena_create(); // The copies' file names
  ap_status_t status = names ? AP_OK : AP_INTERNAL;

  snprintf(copies_set, sizeof(copies_set), "copies=%d", copies);
  sets[opt->nsets] = copy_set;
  sets[opt->nsets + 1] = copies_set;
  opt->sets = sets;
  opt->nsets += 2;
  for (int k = 1; k <= copies && status == AP_OK; k++) {
    ap_diags_t diags = {0};
    snprintf(copy_set, sizeof(copy_set), "copy=%0*d", ap_copy_width(copies) & 15, k);
    opt->output = output ? ap_copy_name(names, output, k, copies) : NULL;
    opt->dump = dump ? ap_copy_name(names, dump, k, copies) : NULL;
    status = ap_run(opt, &diags);
    if (print_diags(&diags) && status == AP_OK)
      status = AP_BAD_INPUT;
  }
  ap_arena_destroy(names);
  return (int)status;
}

//
// 'ap_cli_usage_error()' - One line saying what is wrong with the command line.
//

int
ap_cli_usage_error(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("anpham: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs(" (anpham --help)\n", stderr);
  va_end(ap);
  return AP_USAGE;
}

//
// 'ap_cli_usage()' - Print the usage text and return status.
//

int
ap_cli_usage(FILE *out, int status)
{
  fputs("usage: anpham render LAYOUT.xml [--data DATA.xml] -o OUT.pdf [--dump LAYOUT.txt]\n"
        "                     [--deck NAME [--slide-page PAGE]] [--handout N] [--set NAME=VALUE]...\n"
        "                     [--allow-path DIR]... [--font-path DIR]... [--max-image-pixels N]\n"
        "                     [--impose a5-booklet|2up] [--crop-marks] [--no-tags] [--pdfa] [--copies N [--copies-in-one]]\n"
        "                     [--embed-source] [--strict] [--diagnostic-format human|short|json]\n"
        "       anpham check LAYOUT.xml [--data DATA.xml] [--form hd36|nd30] [--allow-path DIR]...\n"
        "                    [--font-path DIR]... [--strict]\n"
        "                    [--diagnostic-format human|short|json]\n"
        "       anpham watch LAYOUT.xml [--data DATA.xml] -o OUT.pdf [render's options]\n"
        "       anpham batch JOBS.xml [-o DIR] [--jobs N] [--shard K/N] [--force] [--quiet]\n"
        "                    [--manifest FILE] [--allow-path DIR]... [--font-path DIR]... [--max-image-pixels N]\n"
        "                    [--strict] [--sign KEY.p12 (--pass-env VAR | --pass-file PATH) [--cert CHAIN.pem]\n"
        "                    [--sign-time ISO8601] [--field NAME] [--image SIG.png [--seal SEAL.png\n"
        "                    --seal-size LENGTH]] [--office [--org NAME]]]\n"
        "       anpham batch LAYOUT.xml --data A.xml B.xml... -o DIR [--set NAME=VALUE]... [options]\n"
        "       anpham manifest merge A.json B.json... -o OUT.json\n"
        "       anpham extract FILE.pdf -o DIR\n"
        "       anpham archive [ARCHIVE.xml] [-o DIR] [--jobs N] [--force] [--quiet]\n"
        "       anpham verify [--fonts DIR] DIR|FILE.pdf...\n"
        "       anpham new báo-cáo|thông-báo|kế-hoạch|công-văn|handout DIR [--form hd36|nd30]\n"
        "       anpham sign IN.pdf -o OUT.pdf --key KEY.p12 (--pass-env VAR | --pass-file PATH)\n"
        "                   [--cert CHAIN.pem] [--field NAME] [--time ISO8601] [--rsa-pss]\n"
        "                   [--tsa URL [--tsa-timeout SECONDS] [--tsa-ca FILE]] [--certify]\n"
        "                   [--image SIG.png [--seal SEAL.png --seal-size 36mm]] [--office [--org NAME]]\n"
        "                   [--allow-path DIR]...\n"
        "       anpham --help | --version\n"
        "\n"
        "render  typeset the layout with the data into a PDF (and/or a text dump of the pages)\n"
        "check   validate the layout (and bind the data) without writing anything\n"
        "watch   render, then render again whenever the layout, the data, their bases, the\n"
        "        fonts or the images change (Ctrl-C stops); a failed render keeps the last PDF\n"
        "batch   render many jobs in one run: the layout parsed once, jobs in parallel,\n"
        "        a manifest.json of inputs and outputs, only changed jobs rendered again\n"
        "manifest merge  join the manifests of a batch run in shards\n"
        "extract  write the source a PDF embeds (--embed-source) into DIR, check the fonts\n"
        "         it names, and print the command that renders the same PDF again\n"
        "archive  render the yearly editions (samples/archive.xml, or ARCHIVE.xml: a batch file)\n"
        "         as PDF/A archives with their source into DIR/<year>/ (default DIR: archive)\n"
        "verify  re-render each PDF from its embedded source, compare the bytes, check the\n"
        "        PDF/A and PDF/UA points; one line per failure (FILE: point: what)\n"
        "new     write a layout and data pair to start a document from (a ready layout in the\n"
        "        Party form hd36, the default, or the state form nd30, and its example data)\n"
        "sign    sign a PDF anpham wrote (PAdES B-B, an incremental update): a PKCS#12 key,\n"
        "        or a PEM key with --cert; the passphrase from the environment or a file;\n"
        "        --tsa URL adds an RFC 3161 time-stamp over the signature (PAdES B-T;\n"
        "        http:// or https://, whose certificate --tsa-ca FILE may trust);\n"
        "        --certify makes the first signature a certification (DocMDP); --image and\n"
        "        --seal show the signature and the seal in the field, --office the office's\n"
        "        name and the time at the top right of page 1\n"
        "\n",
        out);
  fputs("--deck NAME  print only the slides of that deck, one per page (for projection)\n"
        "--slide-page PAGE  with --deck: set the slides in that page template (A4 landscape...)\n"
        "--set NAME=VALUE  give the layout's <param name=NAME> this value ($NAME in expressions)\n"
        "--form hd36|nd30  check: report each deviation of the document from the form\n"
        "                  (HD 36-HD/VPTW or NĐ 30/2020/NĐ-CP), one line each; exit 1 if any\n"
        "--strict  make warnings errors: exit 1, nothing written\n"
        "--diagnostic-format human|short|json  how errors and warnings are printed (default:\n"
        "          human on a terminal, else short: one line; json: one object per line)\n"
        "--handout N  print the slides of every deck N per page (1, 2, 3 with ruled\n"
        "             lines for notes, 4 or 6) instead of one per page\n"
        "-o -  write the PDF to standard output (a device such as /dev/null is written\n"
        "      through; a regular file is replaced only once the PDF is complete)\n"
        "--allow-path DIR  also read fonts and images inside DIR (besides the layout's\n"
        "                  and the data's folders and anpham's fonts)\n"
        "--font-path DIR  look for a <family font=\"NAME\"> in DIR first (then ANPHAM_FONT_PATH,\n"
        "                 the layout's fonts=, the system's fonts); its folder is read for fonts\n"
        "--max-image-pixels N  refuse images of more than N pixels (default 100000000)\n"
        "--impose a5-booklet  print an A5 document two pages per A4 landscape sheet side in\n"
        "                     folding order (saddle stitch); --impose 2up: two pages per side\n"
        "--crop-marks  add crop marks (and the bleed of page templates) around each page\n"
        "--no-tags  write an untagged PDF (no structure tree, no marked content)\n"
        "--pdfa  write a PDF/A-3 archive: XMP metadata, sRGB output intent, document ID;\n"
        "        dates from <info date> or SOURCE_DATE_EPOCH (docs/archive.md)\n"
        "--embed-source  embed the layout, the data, their bases and the images in the PDF,\n"
        "                with anpham-source.json (options, SHA-256 of files and fonts); --pdfa too\n"
        "--copies N  N numbered copies, OUT-001.pdf …, the layout reading $copy (\"001\") and\n"
        "            $copies (\"N\"); with --copies-in-one, one PDF holding every copy\n"
        "\n"
        "--jobs N  batch: N jobs at a time (default: one per core)\n"
        "--sign KEY  batch: sign every output with this key (read once, before any job;\n"
        "        --cert, --pass-env, --pass-file as for sign; --sign-time as sign's --time;\n"
        "        --field, --image, --seal, --seal-size, --office, --org as sign's, on every output)\n"
        "--shard K/N  batch: only the jobs i with i mod N = K (0 <= K < N)\n"
        "--force  batch: render every job, even those the manifest says are up to date\n"
        "\n"
        "exit status: 0 ok, 1 bad input (batch: a job failed), 2 usage error, 3 internal\n"
        "error, 130 interrupted (batch)\n",
        out);
  return status;
}
