// manifest.json: what a batch run made, job by job (json-c writes and
// reads it; Nettle hashes). Each entry names the job (layout, data, --set
// values, options), every file it read with its SHA-256, and what it
// wrote (output, pages, bytes, SHA-256, milliseconds, status). A job is up
// to date when the previous manifest has it done with the same key, every
// input still has its digest and the output is still the file it wrote,
// and the manifest was made by this very build of anpham (its version and
// the executable's build ID: another build may write other bytes).
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/build-id.h"
#include "../output.h"
#include "batch-private.h"

#define FORMAT 1 // The manifest format's version
#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif

static json_object *read_json(const char *path, ap_diags_t *diags, bool quiet_missing);
static bool write_text(const char *path, const char *text, size_t size, ap_diags_t *diags);
static bool fill_manifest(void *ctx, int fd);

//
// 'ap_batch_now()' - Monotonic seconds.
//

double
ap_batch_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

//
// 'ap_manifest_entry()' - The manifest entry of a finished job.
//

json_object *
ap_manifest_entry(ap_batch_t *batch, const ap_batch_job_t *job, const ap_result_t *result, const char *error,
                  double ms)
{
  json_object *e = json_object_new_object();
  const ap_job_spec_t *spec = job->spec;

  json_object_object_add(e, "output", json_object_new_string(job->output));
  json_object_object_add(e, "status", json_object_new_string(error ? "failed" : "done"));
  char *key = ap_manifest_job_key(batch, job);
  json_object_object_add(e, "key", json_object_new_string(key ? key : ""));
  free(key);
  json_object_object_add(e, "layout", json_object_new_string(spec->layout));
  if (spec->data)
    json_object_object_add(e, "data", json_object_new_string(spec->data));
  json_object *sets = json_object_new_array();
  for (int i = 0; i < job->nsets; i++)
    json_object_array_add(sets, json_object_new_string(job->sets[i]));
  json_object_object_add(e, "sets", sets);
  if (job->copy)
    json_object_object_add(e, "copy", json_object_new_int(job->copy));

  // What it read, each with its digest (the shared files from the parent's cache)...
  if (result && !error) {
    json_object *inputs = json_object_new_array();
    for (int i = 0; i < result->ninputs; i++) {
      json_object *in = json_object_new_object();
      const char *hex = ap_hashes_get(&batch->hashes, result->inputs[i]);
      json_object_object_add(in, "path", json_object_new_string(result->inputs[i]));
      json_object_object_add(in, "sha256", hex ? json_object_new_string(hex) : NULL);
      json_object_array_add(inputs, in);
    }
    json_object_object_add(e, "inputs", inputs);
    char hex[AP_SHA256_HEX];
    ap_sha256_hex(result->sha256, hex);
    json_object_object_add(e, "pages", json_object_new_int(result->pages));
    json_object_object_add(e, "bytes", json_object_new_int64((int64_t)result->bytes));
    json_object_object_add(e, "sha256", json_object_new_string(hex));
  }
  json_object_object_add(e, "ms", json_object_new_double(ms));
  if (error)
    json_object_object_add(e, "error", json_object_new_string(error));
  return e;
}

//
// 'ap_manifest_sign()' - Sign a finished job's output and say so in its entry.
//

bool
ap_manifest_sign(ap_batch_t *batch, const ap_batch_job_t *job, const char *unsigned_pdf, json_object *entry,
                 ap_diags_t *diags)
{
  const ap_sign_key_t *key = batch->options.sign;
  ap_sign_request_t req = {.in = unsigned_pdf, .out = job->output, .when = batch->options.sign_when,
                           .field = batch->options.sign_field, .look = batch->options.sign_look};
  char hex[AP_SHA256_HEX], when[AP_DATETIME_ISO];
  struct stat st;

  if (!ap_sign_with_key(key, &req, diags))
    return false;
  if (stat(job->output, &st) < 0 || !ap_sha256_file(job->output, hex))
    return ap_fail(diags, ap_loc_file(job->output), "cannot read the signed file: %s", strerror(errno));
  json_object_object_add(entry, "bytes", json_object_new_int64((int64_t)st.st_size));
  json_object_object_add(entry, "sha256", json_object_new_string(hex));
  json_object *sig = json_object_new_object();
  json_object_object_add(sig, "certificate_sha256", json_object_new_string(ap_sign_key_fingerprint(key)));
  json_object_object_add(sig, "subject", json_object_new_string(ap_sign_key_subject(key)));
  ap_datetime_iso(&batch->options.sign_when, false, when);
  json_object_object_add(sig, "time", json_object_new_string(when));
  if (req.field)
    json_object_object_add(sig, "field", json_object_new_string(req.field));
  json_object_object_add(entry, "signature", sig);
  return true;
}

//
// 'ap_manifest_job_key()' - A job's options as one line.
//

char *
ap_manifest_job_key(const ap_batch_t *batch, const ap_batch_job_t *job)
{
  const ap_job_spec_t *s = job->spec;
  char *key = NULL;
  size_t size = 0;
  FILE *fp = open_memstream(&key, &size);

  if (!fp)
    return NULL;
  fprintf(fp, "layout=%s data=%s handout=%d deck=%s slide-page=%s impose=%s crop-marks=%d copy=%d", s->layout,
          s->data ? s->data : "", s->handout, s->deck ? s->deck : "", s->slide_page ? s->slide_page : "",
          s->impose ? s->impose : "", s->crop_marks, job->copy);
  if (s->pdfa || s->archive || s->source_date_epoch) { // Dates from SOURCE_DATE_EPOCH (other jobs' keys stay as they were)
    const char *epoch = s->source_date_epoch ? s->source_date_epoch : s->archive ? NULL : getenv("SOURCE_DATE_EPOCH");
    fprintf(fp, " pdfa=%d source-date-epoch=%s%s", s->pdfa || s->archive, epoch ? epoch : "",
            s->archive ? " archive=1" : "");
  }
  if (s->no_tags) // (other jobs' keys stay as they were)
    fprintf(fp, " tags=0");
  for (int i = 0; i < job->nsets; i++)
    fprintf(fp, " set=%s", job->sets[i]);
  if (batch->options.sign) // Another key or certificate signs again (unsigned jobs' keys stay as they were)
    fprintf(fp, " signer=%s", ap_sign_key_fingerprint(batch->options.sign));
  if (batch->options.sign && batch->options.sign_look_key) // Another field or appearance signs again
    fprintf(fp, " %s", batch->options.sign_look_key);
  fclose(fp);
  return key;
}

//
// 'ap_manifest_load()' - The previous run's manifest.
//

void
ap_manifest_load(ap_batch_t *batch, ap_diags_t *diags)
{
  json_object *root = read_json(batch->manifest, diags, true), *jobs, *made_by, *build;

  if (!root)
    return;
  // Made by another anpham, or another build of it: its outputs are not
  // this one's (every job renders again)...
  if (!json_object_object_get_ex(root, "anpham", &made_by) || !json_object_is_type(made_by, json_type_string) ||
      strcmp(json_object_get_string(made_by), AP_VERSION) || !json_object_object_get_ex(root, "build", &build) ||
      !json_object_is_type(build, json_type_string) || strcmp(json_object_get_string(build), ap_build_id())) {
    json_object_put(root);
    return;
  }
  batch->previous = json_object_new_object();
  if (json_object_object_get_ex(root, "jobs", &jobs) && json_object_is_type(jobs, json_type_array))
    for (size_t i = 0; i < json_object_array_length(jobs); i++) {
      json_object *e = json_object_array_get_idx(jobs, i), *out;
      if (json_object_object_get_ex(e, "output", &out) && json_object_is_type(out, json_type_string))
        json_object_object_add(batch->previous, json_object_get_string(out), json_object_get(e));
    }
  json_object_put(root);
}

//
// 'ap_manifest_up_to_date()' - Whether a job need not render again.
//

bool
ap_manifest_up_to_date(ap_batch_t *batch, ap_batch_job_t *job)
{
  json_object *e, *v, *inputs;

  if (!batch->previous || !json_object_object_get_ex(batch->previous, job->output, &e))
    return false;
  if (!json_object_object_get_ex(e, "status", &v) || strcmp(json_object_get_string(v), "done"))
    return false;
  char *key = ap_manifest_job_key(batch, job);
  bool same = key && json_object_object_get_ex(e, "key", &v) && !strcmp(json_object_get_string(v), key);
  free(key);
  if (!same || !json_object_object_get_ex(e, "inputs", &inputs) || !json_object_is_type(inputs, json_type_array))
    return false;

  // Every input as it was, and the output the file the job wrote...
  for (size_t i = 0; i < json_object_array_length(inputs); i++) {
    json_object *in = json_object_array_get_idx(inputs, i), *path, *sha;
    if (!json_object_object_get_ex(in, "path", &path) || !json_object_object_get_ex(in, "sha256", &sha))
      return false;
    const char *hex = ap_hashes_get(&batch->hashes, json_object_get_string(path));
    if (!hex || strcmp(hex, json_object_get_string(sha)))
      return false;
  }
  char hex[AP_SHA256_HEX];
  if (!json_object_object_get_ex(e, "sha256", &v) || !ap_sha256_file(job->output, hex) ||
      strcmp(hex, json_object_get_string(v)))
    return false;

  // Up to date: the entry carries over, and its facts show in the summary...
  if (json_object_object_get_ex(e, "pages", &v))
    job->pages = json_object_get_int(v);
  if (json_object_object_get_ex(e, "bytes", &v))
    job->bytes = (size_t)json_object_get_int64(v);
  ap_manifest_keep(batch, job, json_object_get(e));
  return true;
}

//
// 'ap_manifest_write()' - The manifest of this run.
//

bool
ap_manifest_write(ap_batch_t *batch, ap_diags_t *diags)
{
  ap_output_t out = {0};

  if (!ap_output_open(&out, batch->manifest))
    return ap_fail(diags, ap_loc_file(batch->manifest), "the manifest's name is a folder: expected a file name");
  return ap_output_write_with(&out, fill_manifest, batch, diags);
}

// The manifest written into fd as it is read from the spill file, entry
// after entry (memory does not grow with the number of jobs): the head,
// then each entry on a line of its own. False with errno on failure.
static bool
fill_manifest(void *ctx, int fd)
{
  ap_batch_t *batch = ctx;
  int copy = dup(fd);
  FILE *fp = copy >= 0 ? fdopen(copy, "w") : NULL;
  json_object *path = json_object_new_string(batch->file->path);
  bool ok = fp && path;
  char *line = NULL;

  if (!fp && copy >= 0)
    close(copy);
  if (ok) {
    fprintf(fp, "{\n  \"format\": %d,\n  \"anpham\": \"%s\",\n  \"build\": \"%s\",\n  \"batch\": %s,\n", FORMAT,
            AP_VERSION, ap_build_id(), json_object_to_json_string_ext(path, JSON_C_TO_STRING_NOSLASHESCAPE));
    if (batch->options.nshards)
      fprintf(fp, "  \"shard\": \"%d/%d\",\n", batch->options.shard, batch->options.nshards);
    fputs("  \"jobs\": [", fp);
    bool first = true;
    for (int i = 0; ok && i < batch->njobs; i++) {
      const ap_batch_job_t *job = &batch->jobs[i];
      if (!job->entry_size)
        continue;
      char *grown = realloc(line, job->entry_size);
      ok = grown && fseek(batch->spill, job->entry_at, SEEK_SET) == 0 &&
           fread((line = grown), 1, job->entry_size, batch->spill) == job->entry_size;
      if (ok)
        fprintf(fp, "%s\n    %.*s", first ? "" : ",", (int)job->entry_size, line);
      first = false;
    }
    fputs(first ? "]\n}\n" : "\n  ]\n}\n", fp);
    if (!ok && !errno)
      errno = ENOMEM;
  }
  free(line);
  json_object_put(path);
  if (fp && (ferror(fp) | fclose(fp)) != 0)
    ok = false;
  return ok;
}

//
// 'ap_manifest_keep()' - Keep a job's entry in the spill file.
//

void
ap_manifest_keep(ap_batch_t *batch, ap_batch_job_t *job, json_object *entry)
{
  size_t size = 0;
  const char *text = entry ? json_object_to_json_string_length(
                                 entry, JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, &size)
                           : NULL;
  job->entry_size = 0;
  if (text && batch->spill && fseek(batch->spill, 0, SEEK_END) == 0 && (job->entry_at = ftell(batch->spill)) >= 0 &&
      fwrite(text, 1, size, batch->spill) == size)
    job->entry_size = size;
  json_object_put(entry);
}

//
// 'ap_manifest_merge()' - Join the manifests of shards.
//

bool
ap_manifest_merge(const char *const *paths, int npaths, const char *out_path, ap_diags_t *diags)
{
  json_object *byout = json_object_new_object(), *order = json_object_new_array();
  bool ok = true;
  char build[129] = "";   // The shards' build, when they all name the same ("" before the first)
  bool mixed = false;     // Shards of different builds (or of none): the merged manifest names none

  for (int i = 0; ok && i < npaths; i++) {
    json_object *root = read_json(paths[i], diags, false), *jobs, *b;
    if (!root) {
      ok = false;
      break;
    }
    if (!json_object_object_get_ex(root, "jobs", &jobs) || !json_object_is_type(jobs, json_type_array)) {
      ok = ap_fail(diags, ap_loc_file(paths[i]), "not an anpham manifest: expected an object with \"jobs\": [...]");
      json_object_put(root);
      break;
    }
    const char *its = json_object_object_get_ex(root, "build", &b) && json_object_is_type(b, json_type_string)
                          ? json_object_get_string(b)
                          : "";
    if (!*its || strlen(its) >= sizeof(build) || (i && strcmp(its, build)))
      mixed = true;
    else if (!i)
      snprintf(build, sizeof(build), "%s", its);
    for (size_t j = 0; j < json_object_array_length(jobs); j++) {
      json_object *e = json_object_array_get_idx(jobs, j), *out;
      if (!json_object_object_get_ex(e, "output", &out) || !json_object_is_type(out, json_type_string))
        continue;
      if (!json_object_object_get_ex(byout, json_object_get_string(out), NULL))
        json_object_array_add(order, json_object_get(out));
      json_object_object_add(byout, json_object_get_string(out), json_object_get(e));
    }
    json_object_put(root);
  }
  if (ok) {
    json_object *root = json_object_new_object(), *jobs = json_object_new_array();
    json_object_object_add(root, "format", json_object_new_int(FORMAT));
    json_object_object_add(root, "anpham", json_object_new_string(AP_VERSION));
    json_object_object_add(root, "build", json_object_new_string(mixed ? "" : build)); // (the shards')
    json_object *merged = json_object_new_array();
    for (int i = 0; i < npaths; i++)
      json_object_array_add(merged, json_object_new_string(paths[i]));
    json_object_object_add(root, "merged", merged);
    for (size_t j = 0; j < json_object_array_length(order); j++) {
      json_object *e;
      json_object_object_get_ex(byout, json_object_get_string(json_object_array_get_idx(order, j)), &e);
      json_object_array_add(jobs, json_object_get(e));
    }
    json_object_object_add(root, "jobs", jobs);
    size_t size;
    const char *text = json_object_to_json_string_length(
        root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, &size);
    ok = write_text(out_path, text, size, diags);
    json_object_put(root);
  }
  json_object_put(order);
  json_object_put(byout);
  return ok;
}

// A JSON file (json-c's tokenizer: no parsing by hand); NULL with a
// diagnostic when it cannot be read or is not JSON (none when it is
// missing and quiet_missing).
static json_object *
read_json(const char *path, ap_diags_t *diags, bool quiet_missing)
{
  FILE *fp = fopen(path, "rb");
  char *text = NULL;
  size_t size = 0;

  if (!fp) {
    if (!(quiet_missing && errno == ENOENT))
      ap_fail(diags, ap_loc_file(path), "cannot read the manifest: %s", strerror(errno));
    return NULL;
  }
  FILE *mem = open_memstream(&text, &size);
  char buf[65536];
  size_t got;
  while (mem && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
    fwrite(buf, 1, got, mem);
  fclose(fp);
  if (mem)
    fclose(mem);
  json_tokener *tok = json_tokener_new();
  json_object *root = text && tok ? json_tokener_parse_ex(tok, text, (int)size) : NULL;
  enum json_tokener_error err = tok ? json_tokener_get_error(tok) : json_tokener_error_size;
  if (root && err != json_tokener_success) {
    json_object_put(root);
    root = NULL;
  }
  if (!root || !json_object_is_type(root, json_type_object)) {
    ap_loc_t loc = ap_loc_file(path);
    if (quiet_missing)
      ap_warn(diags, loc, "the manifest is not JSON (%s): every job renders again", json_tokener_error_desc(err));
    else
      ap_fail(diags, loc, "not a JSON manifest: %s", json_tokener_error_desc(err));
    json_object_put(root);
    root = NULL;
  }
  json_tokener_free(tok);
  free(text);
  return root;
}

// JSON text and a final newline, written atomically (temp file + rename).
static bool
write_text(const char *path, const char *text, size_t size, ap_diags_t *diags)
{
  ap_output_t out = {0};
  char *line = malloc(size + 1);

  if (!line)
    return ap_fail(diags, ap_loc_file(path), "out of memory");
  memcpy(line, text, size);
  line[size] = '\n';
  bool ok = ap_output_open(&out, path);
  if (!ok)
    ap_fail(diags, ap_loc_file(path), "the manifest's name is a folder: expected a file name");
  ok = ok && ap_output_write(&out, line, size + 1, diags);
  free(line);
  return ok;
}
