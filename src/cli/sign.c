// anpham sign IN.pdf -o OUT.pdf --key KEY.p12 (--pass-env VAR | --pass-file
// PATH) [--cert CHAIN.pem] [--field NAME] [--time ISO8601] [--rsa-pss]
// [--tsa URL [--tsa-timeout SECONDS] [--tsa-ca FILE]] [--certify] [--image SIG.png [--seal
// SEAL.png --seal-size LENGTH]] [--office [--org NAME]] [--allow-path DIR]: the
// options, the passphrase (from the environment or a file, never the
// command line, where every user of the machine could read it) and the
// signing time; src/sign/ signs (docs/signing.md).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/number.h"
#include "../sign/sign.h"
#include "cli.h"

#define MAX_PASS 1024 // Bytes of a passphrase file's first line at most
#define MAX_ALLOW 32  // --allow-path folders at most

// A seal's real width (no default: bodies' seals differ in size, so the
// user measures theirs): 10 to 100 mm, with its unit (mm, cm or pt).
static const ap_range_t seal_range = {AP_NUM_LENGTH, "a seal's width with its unit", 10, 100, false, "mm"};


//
// 'ap_cli_sign()' - anpham sign IN.pdf -o OUT.pdf --key KEY ….
//

int
ap_cli_sign(int argc, char **argv)
{
  ap_sign_request_t req = {.tsa_timeout = 30};
  const char *pass_env = NULL, *pass_file = NULL, *time_text = NULL, *seal_size = NULL;
  const char *allow[MAX_ALLOW];
  ap_diags_t diags = {0};

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool more = i + 1 < argc;
    if (!strcmp(a, "-o") && more)
      req.out = argv[++i];
    else if (!strcmp(a, "--key") && more)
      req.key = argv[++i];
    else if (!strcmp(a, "--cert") && more)
      req.cert = argv[++i];
    else if (!strcmp(a, "--pass-env") && more)
      pass_env = argv[++i];
    else if (!strcmp(a, "--pass-file") && more)
      pass_file = argv[++i];
    else if (!strcmp(a, "--field") && more)
      req.field = argv[++i];
    else if (!strcmp(a, "--time") && more)
      time_text = argv[++i];
    else if (!strcmp(a, "--rsa-pss"))
      req.pss = true;
    else if (!strcmp(a, "--certify"))
      req.certify = true;
    else if (!strcmp(a, "--tsa") && more)
      req.tsa = argv[++i];
    else if (!strcmp(a, "--tsa-ca") && more)
      req.tsa_ca = argv[++i];
    else if (!strcmp(a, "--tsa-timeout") && more) {
      char *end;
      long seconds = strtol(argv[++i], &end, 10);
      if (*end || end == argv[i] || seconds < 1 || seconds > 600)
        return ap_cli_usage_error("sign: --tsa-timeout takes seconds from 1 to 600");
      req.tsa_timeout = (int)seconds;
    }
    else if (!strcmp(a, "--image") && more)
      req.image = argv[++i];
    else if (!strcmp(a, "--seal") && more)
      req.seal = argv[++i];
    else if (!strcmp(a, "--seal-size") && more) {
      seal_size = argv[++i];
      if (!ap_cli_seal_size(seal_size, &req.seal_size))
        return ap_cli_usage_error("sign: --seal-size '%s': expected the seal's real width from 10mm to 100mm, with "
                                  "its unit (36mm, 3.6cm)", seal_size);
    } else if (!strcmp(a, "--office"))
      req.office = true;
    else if (!strcmp(a, "--org") && more)
      req.org = argv[++i];
    else if (!strcmp(a, "--allow-path") && more) {
      if (req.nallow == MAX_ALLOW)
        return ap_cli_usage_error("sign: --allow-path: %d folders at most", MAX_ALLOW);
      allow[req.nallow++] = argv[++i];
    }
    else if (!strcmp(a, "--pass"))
      return ap_cli_usage_error("sign: no passphrase on the command line (other users can read it): use "
                                "--pass-env VAR or --pass-file PATH");
    else if (a[0] == '-' && a[1])
      return ap_cli_usage_error("sign: unknown option '%s' (or its value is missing)", a);
    else if (!req.in)
      req.in = a;
    else
      return ap_cli_usage_error("sign: unexpected argument '%s'", a);
  }
  if (!req.in || !req.out || !req.key)
    return ap_cli_usage_error("sign takes IN.pdf -o OUT.pdf --key KEY.p12 (--pass-env VAR | --pass-file PATH)");
  if (pass_env && pass_file)
    return ap_cli_usage_error("sign: --pass-env and --pass-file: give one");
  int usage = ap_cli_sign_look_usage("sign", &req, seal_size != NULL);
  if (usage)
    return usage;
  req.allow = allow;
  if (req.tsa_ca && !req.tsa)
    return ap_cli_usage_error("sign: --tsa-ca FILE goes with an https:// --tsa URL");

  // The passphrase (a PKCS#12 file always needs one), the time, the signature.
  bool ok = true;
  if (!pass_env && !pass_file && !req.cert)
    ok = ap_fail(&diags, ap_loc_file(req.key), "a PKCS#12 file needs its passphrase: --pass-env VAR or "
                                               "--pass-file PATH (never on the command line)");
  ok = ok && (!(pass_env || pass_file) || ap_cli_read_pass(pass_env, pass_file, &req.pass, &diags));
  ok = ok && ap_cli_signing_time(time_text, &req.when, &diags) && ap_sign(&req, &diags);
  ap_cli_wipe(req.pass);
  free(req.pass);
  for (ap_diag_t *d = diags.first; d; d = d->next)
    if (d->severity == AP_SEV_ERROR) {
      fprintf(stderr, "anpham: sign: %s: %s\n", d->loc.file ? d->loc.file : "", d->message);
      break;
    }
  ap_diags_clear(&diags);
  return ok ? 0 : AP_BAD_INPUT;
}

//
// 'ap_cli_seal_size()' - --seal-size: a seal's real width with its unit.
//

bool
ap_cli_seal_size(const char *text, double *width)
{
  size_t len = strlen(text);
  return len && !(text[len - 1] >= '0' && text[len - 1] <= '9') && text[len - 1] != '.' &&
         ap_number_parse(&seal_range, text, width);
}

//
// 'ap_cli_sign_look_usage()' - The appearance options that do not go together.
//

int
ap_cli_sign_look_usage(const char *cmd, const ap_sign_request_t *req, bool seal_size)
{
  if (!req->seal != !seal_size)
    return ap_cli_usage_error("%s: --seal SEAL.png and --seal-size LENGTH (its real width) go together", cmd);
  if (req->seal && !req->image)
    return ap_cli_usage_error("%s: --seal needs --image SIG.png (the seal overlaps the signature's left third)", cmd);
  if (req->image && !req->field)
    return ap_cli_usage_error("%s: --image needs --field NAME (the field the signature shows in)", cmd);
  if (req->office && (req->field || req->image))
    return ap_cli_usage_error("%s: --office makes its own field at the top right of page 1: not with --field or "
                              "--image", cmd);
  if (req->org && !req->office)
    return ap_cli_usage_error("%s: --org NAME names the office of --office", cmd);
  return 0;
}

//
// 'ap_cli_read_pass()' - The passphrase: the environment variable's value,
// or the file's first line (without its line end); a copy the caller
// wipes and frees.
//

bool
ap_cli_read_pass(const char *env, const char *file, char **pass, ap_diags_t *diags)
{
  if (env) {
    const char *value = getenv(env);
    if (!value)
      return ap_fail(diags, ap_loc_file(env), "the environment variable holding the passphrase is not set");
    *pass = strdup(value);
  } else {
    FILE *f = fopen(file, "r");
    char line[MAX_PASS + 2];
    if (!f)
      return ap_fail(diags, ap_loc_file(file), "cannot read the passphrase file");
    bool got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    if (!got)
      line[0] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    *pass = strdup(line);
    ap_cli_wipe(line);
  }
  return *pass ? true : ap_fail(diags, ap_loc_file(env ? env : file), "out of memory");
}

//
// 'ap_cli_signing_time()' - The signing time: --time (or batch's
// --sign-time), else SOURCE_DATE_EPOCH (reproducible signatures), else
// now (UTC).
//

bool
ap_cli_signing_time(const char *text, ap_datetime_t *when, ap_diags_t *diags)
{
  const char *epoch = getenv("SOURCE_DATE_EPOCH");

  if (text) {
    if (!ap_datetime_parse(text, when))
      return ap_fail(diags, ap_loc_file("--time"), "'%s': expected an ISO 8601 date-time such as "
                                                   "2025-03-14T09:30:00+07:00", text);
    return true;
  }
  if (epoch && *epoch) {
    if (!ap_datetime_parse_epoch(epoch, when))
      return ap_fail(diags, ap_loc_file("SOURCE_DATE_EPOCH"), "'%s': expected the seconds since "
                                                              "1970-01-01 00:00:00 UTC (digits only)", epoch);
    return true;
  }
  time_t now = time(NULL);
  struct tm tm;
  if (!gmtime_r(&now, &tm))
    return ap_fail(diags, ap_loc_file("--time"), "the clock cannot be read");
  *when = (ap_datetime_t){.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday, .hour = tm.tm_hour,
                          .minute = tm.tm_min, .second = tm.tm_sec, .has_time = true};
  return true;
}

//
// 'ap_cli_wipe()' - Clear a passphrase's bytes (volatile: the compiler
// keeps the stores).
//

void
ap_cli_wipe(char *s)
{
  if (!s)
    return;
  for (volatile char *p = s; *p; p++)
    *p = 0;
}
