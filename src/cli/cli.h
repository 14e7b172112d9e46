// The command line's parts: each subcommand's entry point and what they
// share (usage, printing diagnostics). Only src/cli prints.
#ifndef AP_CLI_H
#define AP_CLI_H

#include <stdio.h>

#include "../anpham.h"
#include "../batch/batch.h"

// anpham batch … (argv[0] is "batch"); returns the exit status.
int ap_cli_batch(int argc, char **argv);
// anpham manifest merge … (argv[0] is "manifest").
int ap_cli_manifest(int argc, char **argv);
// anpham extract FILE.pdf -o DIR (argv[0] is "extract"): the embedded source written back.
int ap_cli_extract(int argc, char **argv);
// anpham verify DIR|FILE… (argv[0] is "verify"): each PDF re-rendered from its source and checked.
int ap_cli_verify(int argc, char **argv);
// anpham sign IN.pdf -o OUT.pdf --key KEY … (argv[0] is "sign"): a PAdES B-B signature appended.
int ap_cli_sign(int argc, char **argv);
// anpham archive [ARCHIVE.xml] [-o DIR] (argv[0] is "archive"): the yearly editions as verified archives.
int ap_cli_archive(int argc, char **argv);
// anpham new KIND DIR [--form hd36|nd30] (new.c).
int ap_cli_new(int argc, char **argv);
// One argument for a POSIX shell, on stdout: plain, or single-quoted (quote.c).
void ap_cli_print_quoted(const char *s);
// anpham watch LAYOUT.xml … -o OUT.pdf (options parsed as render's): render,
// then again on every change of what the render read, until SIGINT or SIGTERM.
int ap_cli_watch(const ap_options_t *options);

// Run a batch file's jobs (anpham batch, anpham archive): progress on
// stderr, then the summary line ("anpham COMMAND: N jobs: …") and each
// failure; the exit status.
// The passphrase of --pass-env VAR or --pass-file PATH (a copy to wipe
// with ap_cli_wipe and free); the signing time (--time TEXT, else
// SOURCE_DATE_EPOCH, else now). src/cli/sign.c.
bool ap_cli_read_pass(const char *env, const char *file, char **pass, ap_diags_t *diags);
bool ap_cli_signing_time(const char *text, ap_datetime_t *when, ap_diags_t *diags);
// --seal-size TEXT: a seal's real width, 10 to 100 mm, with its unit; false when not.
bool ap_cli_seal_size(const char *text, double *width);
// The visible appearance's options of req (seal_size: --seal-size given)
// that do not go together: a usage error for cmd ("sign", "batch"; its
// exit status), else 0. src/cli/sign.c.
int ap_cli_sign_look_usage(const char *cmd, const ap_sign_request_t *req, bool seal_size);
void ap_cli_wipe(char *s);
int ap_cli_batch_run(const ap_batch_file_t *file, ap_batch_options_t *opt, bool quiet, const char *command,
                     ap_diags_t *diags);

// --jobs N of batch and archive: false unless a whole number from 1 to 256.
bool ap_cli_parse_jobs(const char *text, int *jobs);
// Print the usage text to out and return status.
int ap_cli_usage(FILE *out, int status);
// Print "anpham: MESSAGE" and a pointer to --help; returns AP_USAGE.
int ap_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
// How diagnostics are printed (--diagnostic-format, diagnostics.c).
typedef enum ap_diag_style_e {
  AP_DIAG_SHORT, // One line: file:line:col: error: message
  AP_DIAG_HUMAN, // The message, the source line with a caret under the column, the hint
  AP_DIAG_JSON   // One JSON object per line
} ap_diag_style_t;

// --diagnostic-format human|short|json; false for another name. Until it
// is called: human when standard error is a terminal, else short.
bool ap_cli_diagnostic_format(const char *name);
// Print one diagnostic to out (standard error, or a buffer) in the chosen format.
void ap_cli_print_diag(FILE *out, const ap_diag_t *d);
// Print the first error alone, or every warning when there is none (every
// warning --strict made an error, when those are the only errors); clear
// the list; return the number of errors.
int ap_cli_print_diags(ap_diags_t *diags);

#endif
