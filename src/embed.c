// The source a PDF carries (--embed-source): the run's inputs that are not
// fonts, read again through the run's confined file set, named relative to
// the one folder that holds them all (so that extracting them recreates
// their folders: layouts/bao-cao.xml, data/2023/bao-cao-2023.xml), and
// anpham-source.json, the record of how to render the same bytes again:
// the anpham version, the arguments of `anpham render`, every embedded
// file's SHA-256, and every font file's name and SHA-256 (the PDF holds
// only subsets of the fonts). Paths are made absolute lexically (the
// current folder, then "." and ".." taken away), never through symlinks:
// a re-render inside the extracted folder names everything the same way.
#include "embed.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/datetime.h"
#include "base/hash.h"
#include "base/installed.h"
#include "base/utf8.h"

#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif

// One input of the run, as the manifest and the PDF name it.
typedef struct source_s {
  ap_file_kind_t kind;  // What it was read as
  const char *path;     // As the run named it (the files set's)
  char *absolute;       // Lexically absolute (malloc'ed)
  const char *name;     // absolute below the root (points into it), NULL when outside
  char *relative;       // A font's path relative to the root, ".." allowed (malloc'ed), or NULL
  char *bytes;          // Its content, read again (malloc'ed; NULL for a font)
  size_t size;          // Its size
  char sha256[AP_SHA256_HEX]; // Its SHA-256 in hex
} source_t;

static char *absolute_path(const char *path);
static int by_name(const void *a, const void *b);
static bool add_args(json_object *args, const ap_options_t *o, const char *root);
static const char *below(const char *absolute, const char *root);
static char *relative_to(const char *absolute, const char *root);
static const char *kind_name(ap_file_kind_t kind);
static char *manifest_text(const ap_options_t *o, const source_t *s, int n, const char *root, const char *epoch,
                           size_t *size);
static const char *mime_type(const source_t *s);

//
// 'ap_embed_source()' - Embed the run's source files and anpham-source.json.
//

bool
ap_embed_source(ap_writer_t *writer, const ap_options_t *options, const ap_doc_t *doc, ap_files_t *files,
                ap_diags_t *diags)
{
  int ninputs = ap_files_input_count(files), nfaces = 0, n = 0, nsources = 0;
  for (const ap_family_t *f = doc ? doc->families : NULL; f; f = f->next)
    nfaces += 4;
  source_t *s = calloc((size_t)(ninputs + nfaces) + 1, sizeof(source_t));
  ap_attachment_t *attachments = calloc((size_t)ninputs + 1, sizeof(ap_attachment_t));
  char *root = NULL, *manifest = NULL;
  char date[AP_DATETIME_PDF];
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  size_t manifest_size = 0;
  bool ok = s && attachments;

  if (!ok)
    ap_fail(diags, ap_loc_file(options->output), "out of memory");

  // The date of every embedded file: SOURCE_DATE_EPOCH, else none (never the clock)...
  ap_datetime_t when;
  if (ok && epoch && *epoch) {
    if ((ok = ap_datetime_parse_epoch(epoch, &when)))
      ap_datetime_pdf(&when, date);
    else
      ap_fail(diags, ap_loc_file("SOURCE_DATE_EPOCH"), // As --pdfa says it (src/base/datetime.c reads it)
              "SOURCE_DATE_EPOCH=%s: expected the seconds since 1970-01-01 00:00:00 UTC (digits only, before the "
              "year 10000)", epoch);
  }

  // The source files: every input but the fonts, made absolute; the root is
  // the deepest folder holding them all...
  for (int i = 0; ok && i < ninputs; i++) {
    if (ap_files_input_kind(files, i) == AP_FILE_FONT)
      continue; // Fonts: below, every face the layout names (a re-render checks them all)
    source_t *e = &s[n++];
    e->kind = ap_files_input_kind(files, i);
    e->path = ap_files_input_path(files, i);
    if (!(e->absolute = absolute_path(e->path)))
      ok = ap_fail(diags, ap_loc_file(e->path), "cannot embed the file: its absolute path is too long");
    if (!ok)
      continue;
    if (!root) {
      root = strdup(e->absolute);
      if (root)
        *strrchr(root, '/') = '\0';
    } else {
      size_t k = 0, last = 0; // Common prefix, then back to a whole folder
      while (root[k] && root[k] == e->absolute[k])
        k++;
      if (root[k] == '\0' && e->absolute[k] == '/')
        last = k;
      else
        for (last = k; last > 0 && root[last] != '/'; last--)
          ;
      root[last] = '\0';
    }
  }
  if (ok && !root)
    ok = ap_fail(diags, ap_loc_file(options->output), "out of memory");

  // ...each read again (confined, as the run read it), hashed, and named below the root...
  for (int i = 0; ok && i < n; i++) {
    unsigned char digest[AP_SHA256_SIZE];
    s[i].name = below(s[i].absolute, root);
    ok = ap_files_read(files, s[i].path, s[i].kind, &s[i].bytes, &s[i].size, diags, ap_loc_file(s[i].path),
                       "(reading it again to embed it: --embed-source)");
    if (ok && !(ok = ap_sha256(s[i].bytes, s[i].size, digest)))
      ap_fail(diags, ap_loc_file(s[i].path), "cannot hash the file");
    if (ok)
      ap_sha256_hex(digest, s[i].sha256);
    if (ok && !ap_utf8_validate(s[i].name, strlen(s[i].name), NULL))
      ok = ap_fail(diags, ap_loc_file(s[i].path), "cannot embed the file: its path is not UTF-8");
    else if (ok && !strcmp(s[i].name, AP_EMBED_MANIFEST))
      ok = ap_fail(diags, ap_loc_file(s[i].path), "cannot embed the file: %s is the name of anpham's own record "
                                                  "of the source; rename the file", AP_EMBED_MANIFEST);
    if (ok)
      attachments[nsources++] = (ap_attachment_t){
          .name = s[i].name, .mime = mime_type(&s[i]), .bytes = (const unsigned char *)s[i].bytes,
          .size = s[i].size,
          .description = s[i].kind == AP_FILE_LAYOUT ? "anpham layout" : s[i].kind == AP_FILE_DATA ? "anpham data" : "image"};
  }

  // ...listed by name in the manifest (the order the run read them in
  // differs between a render and a batch job that prepared its layout first)...
  if (ok)
    qsort(s, (size_t)n, sizeof(source_t), by_name);

  // ...and every face of every family: its name and SHA-256 only (the PDF
  // holds subsets), checked as the run checked it, once per file...
  for (const ap_family_t *f = ok && doc ? doc->families : NULL; f && ok; f = f->next)
    for (int k = 0; k < 4 && ok; k++) {
      if (!f->files[k])
        continue;
      source_t *e = &s[n];
      *e = (source_t){.kind = AP_FILE_FONT, .path = f->files[k], .absolute = absolute_path(f->files[k])};
      bool seen = false;
      for (int j = 0; e->absolute && j < n && !seen; j++)
        seen = s[j].kind == AP_FILE_FONT && !strcmp(s[j].absolute, e->absolute);
      if (!e->absolute)
        ok = ap_fail(diags, f->file_locs[k], "cannot embed the font's name: its absolute path is too long");
      else if (seen)
        free(e->absolute);
      else if (!(ok = ap_files_check(files, e->path, AP_FILE_FONT, diags, f->file_locs[k], NULL)))
        free(e->absolute);
      else {
        // Where the layout's fonts= makes a re-render look, below (or beside)
        // the root; nothing for anpham's own fonts folder, found from anywhere...
        if (strcmp(doc->fonts_dir, ap_installed_fonts_dir()) && !(e->relative = relative_to(e->absolute, root)))
          ok = ap_fail(diags, f->file_locs[k], "out of memory");
        n++;
        if (!(ok = ap_sha256_file(e->path, e->sha256)))
          ap_fail(diags, f->file_locs[k], "cannot read the font file '%s' to record its SHA-256: %s", e->path,
                  strerror(errno));
      }
    }

  // ...and the record of how they render, then into the PDF...
  if (ok && !(manifest = manifest_text(options, s, n, root, epoch && *epoch ? epoch : NULL, &manifest_size)))
    ok = ap_fail(diags, ap_loc_file(options->output), "out of memory");
  if (ok) {
    attachments[nsources++] = (ap_attachment_t){.name = AP_EMBED_MANIFEST, .mime = "application/json",
                                                .description = "how anpham renders this PDF again from its source",
                                                .bytes = (const unsigned char *)manifest, .size = manifest_size};
    ok = ap_render_attach(writer, attachments, nsources, epoch && *epoch ? date : NULL);
  }

  for (int i = 0; s && i < n; i++) {
    free(s[i].absolute);
    free(s[i].relative);
    free(s[i].bytes);
  }
  free(s);
  free(attachments);
  free(root);
  free(manifest);
  return ok;
}

// qsort: source files by their embedded name.
static int
by_name(const void *a, const void *b)
{
  const char *x = ((const source_t *)a)->name, *y = ((const source_t *)b)->name;
  return strcmp(x ? x : "", y ? y : "");
}

// A path made absolute against the current folder, "." and ".." taken
// away component by component ("/" has no parent); NULL when too long.
static char *
absolute_path(const char *path)
{
  char cwd[PATH_MAX], joined[2 * PATH_MAX + 2];

  if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
    return NULL;
  if (snprintf(joined, sizeof(joined), "%s/%s", path[0] == '/' ? "" : cwd, path) >= (int)sizeof(joined))
    return NULL;
  char *out = malloc(strlen(joined) + 2);
  size_t len = 0;
  if (!out)
    return NULL;
  for (char *save = NULL, *part = strtok_r(joined, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
    if (!strcmp(part, "."))
      continue;
    if (!strcmp(part, "..")) {
      while (len > 0 && out[--len] != '/')
        ;
      continue;
    }
    out[len++] = '/';
    memcpy(out + len, part, strlen(part));
    len += strlen(part);
  }
  if (len == 0)
    out[len++] = '/';
  out[len] = '\0';
  return out;
}

// An absolute path below root ("" for root itself), or NULL outside it.
static const char *
below(const char *absolute, const char *root)
{
  size_t k = strlen(root);
  if (k == 0) // The root is "/"
    return absolute + 1;
  if (strncmp(absolute, root, k))
    return NULL;
  return absolute[k] == '/' ? absolute + k + 1 : absolute[k] == '\0' ? absolute + k : NULL;
}

// An absolute path relative to root: "../" for each folder of root that
// it is not below, then the rest (malloc'ed; NULL when out of memory).
static char *
relative_to(const char *absolute, const char *root)
{
  size_t common = 0, ups = 0;
  for (size_t k = 0;; k++) { // The longest common run of whole folders
    if ((root[k] == '\0' || root[k] == '/') && (absolute[k] == '/' || absolute[k] == '\0'))
      common = k;
    if (!root[k] || root[k] != absolute[k])
      break;
  }
  for (const char *p = root + common; *p; p++)
    ups += *p == '/';
  const char *rest = absolute + common + (absolute[common] == '/');
  char *out = malloc(3 * ups + strlen(rest) + 1);
  if (!out)
    return NULL;
  out[0] = '\0';
  for (size_t i = 0; i < ups; i++)
    strcat(out, "../");
  strcat(out, rest);
  return out;
}

// The MIME type of an embedded file: XML for layouts and data, an image's
// by its signature (the image reader checked it is PNG or JPEG).
static const char *
mime_type(const source_t *s)
{
  static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  static const unsigned char jpeg[3] = {0xFF, 0xD8, 0xFF};

  if (s->kind != AP_FILE_IMAGE)
    return "application/xml";
  if (s->size >= sizeof(png) && !memcmp(s->bytes, png, sizeof(png)))
    return "image/png";
  if (s->size >= sizeof(jpeg) && !memcmp(s->bytes, jpeg, sizeof(jpeg)))
    return "image/jpeg";
  return "application/octet-stream";
}

// What the manifest calls a kind of file.
static const char *
kind_name(ap_file_kind_t kind)
{
  static const char *const names[AP_FILE_KINDS] = {"layout", "data", "font", "image"};
  return kind < AP_FILE_KINDS ? names[kind] : "file";
}

// Append one argument; false when out of memory.
static bool
arg(json_object *args, const char *text)
{
  json_object *s = json_object_new_string(text);
  return s && json_object_array_add(args, s) == 0;
}

// A path given on the command line, as the manifest names it: relative
// to the root when inside it (the re-render runs there), else NULL.
static char *
relative_arg(const char *path, const char *root)
{
  char *abs = absolute_path(path);
  const char *rel = abs ? below(abs, root) : NULL;
  char *out = rel ? strdup(*rel ? rel : ".") : NULL;
  free(abs);
  return out;
}

// The arguments of `anpham render` that shape the output, in a fixed
// order (-o left out: the re-render names its own PDF). An --allow-path
// outside the root is left out (only fonts can lie there: extract checks
// those). False when out of memory or the layout or data is outside.
static bool
add_args(json_object *args, const ap_options_t *o, const char *root)
{
  char number[32];
  char *layout = relative_arg(o->layout, root), *data = o->data ? relative_arg(o->data, root) : NULL;
  bool ok = layout && (!o->data || data) && arg(args, "render") && arg(args, layout);

  if (ok && data)
    ok = arg(args, "--data") && arg(args, data);
  free(layout);
  free(data);
  for (int i = 0; ok && i < o->nallow; i++) {
    char *dir = relative_arg(o->allow[i], root);
    if (dir)
      ok = arg(args, "--allow-path") && arg(args, dir);
    free(dir);
  }
  for (int i = 0; ok && i < o->nsets; i++)
    ok = arg(args, "--set") && arg(args, o->sets[i]);
  if (ok && o->deck)
    ok = arg(args, "--deck") && arg(args, o->deck);
  if (ok && o->slide_page)
    ok = arg(args, "--slide-page") && arg(args, o->slide_page);
  if (ok && o->handout)
    ok = snprintf(number, sizeof(number), "%d", o->handout) > 0 && arg(args, "--handout") && arg(args, number);
  if (ok && o->impose)
    ok = arg(args, "--impose") && arg(args, o->impose);
  if (ok && o->crop_marks)
    ok = arg(args, "--crop-marks");
  if (ok && o->copies_in_one)
    ok = snprintf(number, sizeof(number), "%d", o->copies_in_one) > 0 && arg(args, "--copies") &&
         arg(args, number) && arg(args, "--copies-in-one");
  if (ok && o->max_image_pixels)
    ok = snprintf(number, sizeof(number), "%ld", o->max_image_pixels) > 0 && arg(args, "--max-image-pixels") &&
         arg(args, number);
  if (ok && o->no_tags)
    ok = arg(args, "--no-tags");
  if (ok && o->pdfa)
    ok = arg(args, "--pdfa");
  if (ok && o->embed_source)
    ok = arg(args, "--embed-source");
  return ok;
}

// A JSON object member; false when out of memory.
static bool
put(json_object *obj, const char *key, json_object *value)
{
  return value && json_object_object_add(obj, key, value) == 0;
}

// anpham-source.json (malloc'ed, *size bytes; NULL when out of memory):
// the same run in the same folders gives the same bytes. SOURCE_DATE_EPOCH
// (epoch, when set) is recorded: the dates it gives are part of the bytes.
static char *
manifest_text(const ap_options_t *o, const source_t *s, int n, const char *root, const char *epoch, size_t *size)
{
  json_object *top = json_object_new_object(), *args = json_object_new_array(), *list = json_object_new_array(),
              *fonts = json_object_new_array();
  bool ok = top && put(top, "anpham", json_object_new_string(AP_VERSION)) && put(top, "arguments", args) &&
            add_args(args, o, root) && (!epoch || put(top, "SOURCE_DATE_EPOCH", json_object_new_string(epoch))) &&
            put(top, "files", list) && put(top, "fonts", fonts);

  for (int i = 0; ok && i < n; i++) {
    json_object *e = json_object_new_object();
    if (!e || json_object_array_add(s[i].kind == AP_FILE_FONT ? fonts : list, e) != 0) {
      json_object_put(e);
      ok = false;
    } else if (s[i].kind == AP_FILE_FONT) {
      ok = put(e, "name", json_object_new_string(strrchr(s[i].absolute, '/') + 1)) &&
           (!s[i].relative || put(e, "path", json_object_new_string(s[i].relative))) &&
           put(e, "sha256", json_object_new_string(s[i].sha256));
    } else {
      ok = put(e, "name", json_object_new_string(s[i].name)) &&
           put(e, "kind", json_object_new_string(kind_name(s[i].kind))) &&
           put(e, "size", json_object_new_int64((int64_t)s[i].size)) &&
           put(e, "sha256", json_object_new_string(s[i].sha256));
    }
  }
  char *text = NULL;
  if (ok) {
    size_t len = 0;
    const char *t = json_object_to_json_string_length(
        top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (t && (text = malloc(len + 2))) {
      memcpy(text, t, len);
      text[len++] = '\n';
      text[len] = '\0';
      *size = len;
    }
  }
  json_object_put(top);
  return text;
}
