// The source a PDF embeds, read back (`anpham extract`, `anpham verify`):
// its /Names /EmbeddedFiles tree read with qpdf's C API (a strict, fuzzed
// PDF reader; anpham writes PDFs but reads none itself), every name and
// every file's SHA-256 checked against anpham-source.json before anything
// is written, files created below the folder one level at a time, never
// through a symlink, and the fonts the manifest names checked (a re-render
// needs those very files: the PDF holds subsets only).
#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/installed.h"
#include "base/utf8.h"
#include "embed.h"
#include "qpdf-lazy.h"

#define MAX_FILES 10000      // Embedded files read at most (a name tree can be made to hold millions)
#define MAX_DEPTH 32         // Levels of the name tree followed at most
#define MAX_FILE (256u << 20) // Bytes of one embedded file at most (anpham's largest input kind, data)

static bool beside_name(const char *path);
static bool copy_file(const char *from, int dirfd, const char *leaf);
static bool collect(ap_extracted_t *x, qpdf_data q, qpdf_oh node, int depth, ap_diags_t *diags);
static bool font_check(const ap_extracted_t *x, const char *dir, int dirfd, const char *fonts_dir, json_object *font,
                       ap_diags_t *diags);
static bool hash_at(const char *dir, const char *name, char hex[AP_SHA256_HEX]);
static int open_parent(int dirfd, const char *name, bool create, const char **leaf);
static bool safe_name(const char *name);
static bool write_file(int dirfd, const ap_embedded_t *f);

//
// 'ap_extract_fonts()' - Check the fonts a re-render needs.
//

bool
ap_extract_fonts(const ap_extracted_t *x, const char *dir, const char *fonts_dir, ap_diags_t *diags)
{
  int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  bool ok = true;

  if (dirfd < 0)
    return ap_fail(diags, ap_loc_file(x->pdf), "cannot open the folder %s: %s", dir, strerror(errno));
  for (size_t k = 0; k < json_object_array_length(x->fonts); k++)
    if (!font_check(x, dir, dirfd, fonts_dir, json_object_array_get_idx(x->fonts, k), diags))
      ok = false;
  close(dirfd);
  return ok;
}

//
// 'ap_extract_free()' - Free what ap_extract_read() read.
//

void
ap_extract_free(ap_extracted_t *x)
{
  for (int i = 0; i < x->count; i++) {
    free(x->files[i].name);
    free(x->files[i].bytes);
  }
  free(x->files);
  json_object_put(x->manifest);
  *x = (ap_extracted_t){0};
}

//
// 'ap_extract_read()' - Read and check the embedded source of a PDF.
//

bool
ap_extract_read(const char *pdf, ap_extracted_t *x, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(pdf);
  if (!ap_qpdf_load(diags))
    return false;
  qpdf_data q = qpdf_init();
  bool ok = false;

  *x = (ap_extracted_t){.pdf = pdf};

  // The PDF and its /Names /EmbeddedFiles tree...
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  if (qpdf_read(q, pdf, "") & QPDF_ERRORS) {
    ap_fail(diags, at, "cannot read the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
    goto done;
  }
  qpdf_oh names = qpdf_oh_get_key(q, qpdf_get_root(q), "/Names");
  qpdf_oh tree = qpdf_oh_is_dictionary(q, names) ? qpdf_oh_get_key(q, names, "/EmbeddedFiles") : qpdf_oh_new_null(q);
  if (!qpdf_oh_is_dictionary(q, tree)) {
    ap_fail(diags, at, "embeds no files: expected a PDF rendered with --embed-source");
    goto done;
  }
  if (!collect(x, q, tree, 0, diags))
    goto done;

  // Every name checked, and the manifest found...
  const ap_embedded_t *record = NULL;
  for (int i = 0; i < x->count; i++) {
    if (!safe_name(x->files[i].name)) {
      ap_fail(diags, at, "the embedded file '%s' would be written outside the folder: refused "
                         "(an embedded name must be a relative path without '..')", x->files[i].name);
      goto done;
    }
    if (!strcmp(x->files[i].name, AP_EMBED_MANIFEST))
      record = &x->files[i];
  }
  json_object *listed = NULL, *epoch = NULL;
  if (record) {
    struct json_tokener *tok = json_tokener_new();
    x->manifest = tok ? json_tokener_parse_ex(tok, (const char *)record->bytes, (int)record->size) : NULL;
    json_tokener_free(tok);
  }
  if (!x->manifest || !json_object_object_get_ex(x->manifest, "arguments", &x->arguments) ||
      !json_object_is_type(x->arguments, json_type_array) ||
      !json_object_object_get_ex(x->manifest, "files", &listed) || !json_object_is_type(listed, json_type_array) ||
      !json_object_object_get_ex(x->manifest, "fonts", &x->fonts) ||
      !json_object_is_type(x->fonts, json_type_array)) {
    ap_fail(diags, at, "has no valid %s: expected a PDF rendered with --embed-source", AP_EMBED_MANIFEST);
    goto done;
  }
  if (json_object_object_get_ex(x->manifest, "SOURCE_DATE_EPOCH", &epoch))
    x->epoch = json_object_get_string(epoch);

  // ...and every file against the SHA-256 the manifest gives it...
  for (int i = 0; i < x->count; i++) {
    const ap_embedded_t *f = &x->files[i];
    const char *want = NULL;
    for (size_t k = 0; f != record && !want && k < json_object_array_length(listed); k++) {
      json_object *e = json_object_array_get_idx(listed, k), *name, *sha;
      if (json_object_object_get_ex(e, "name", &name) && json_object_object_get_ex(e, "sha256", &sha) &&
          !strcmp(json_object_get_string(name) ? json_object_get_string(name) : "", f->name))
        want = json_object_get_string(sha);
    }
    unsigned char digest[AP_SHA256_SIZE];
    char hex[AP_SHA256_HEX];
    if (f != record && !(want && ap_sha256(f->bytes, f->size, digest) && (ap_sha256_hex(digest, hex), 1) &&
                         !strcmp(hex, want))) {
      ap_fail(diags, at, "the embedded file '%s' %s: the archive is damaged", f->name,
              want ? "does not have the SHA-256 anpham-source.json gives it" : "is not listed in anpham-source.json");
      goto done;
    }
  }
  ok = true;

done:
  qpdf_cleanup(&q);
  return ok;
}

//
// 'ap_extract_write()' - Write the files under a folder.
//

bool
ap_extract_write(const ap_extracted_t *x, const char *dir, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(x->pdf);
  int dirfd;

  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return ap_fail(diags, at, "cannot make the folder %s: %s", dir, strerror(errno));
  if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    return ap_fail(diags, at, "cannot open the folder %s: %s", dir, strerror(errno));
  for (int i = 0; i < x->count; i++)
    if (!write_file(dirfd, &x->files[i])) {
      ap_fail(diags, at, "cannot write %s/%s: %s", dir, x->files[i].name, strerror(errno));
      close(dirfd);
      return false;
    }

  // Each --allow-path of the recorded command that lies inside, made when
  // no embedded file is in it (a batch gives its folders to every job)...
  size_t nargs = x->arguments ? json_object_array_length(x->arguments) : 0;
  for (size_t k = 0; k + 1 < nargs; k++) {
    const char *opt = json_object_get_string(json_object_array_get_idx(x->arguments, k));
    const char *folder = json_object_get_string(json_object_array_get_idx(x->arguments, k + 1));
    if (!opt || strcmp(opt, "--allow-path") || !folder || !safe_name(folder))
      continue;
    size_t len = strlen(folder);
    char *name = malloc(len + 3); // FOLDER/x: open_parent() makes every part of FOLDER
    const char *leaf;
    int parent = name && snprintf(name, len + 3, "%s/x", folder) > 0 ? open_parent(dirfd, name, true, &leaf) : -1;
    free(name);
    if (parent < 0) {
      ap_fail(diags, at, "cannot make the folder %s/%s: %s", dir, folder, strerror(errno));
      close(dirfd);
      return false;
    }
    close(parent);
  }
  close(dirfd);
  return true;
}

// The one place below DIR, or beside it ("../"), where a relative path
// leads: ".." only at its start, no "." or empty part.
static bool
beside_name(const char *path)
{
  while (!strncmp(path, "../", 3))
    path += 3;
  return safe_name(path);
}

// Copy the file from into dirfd/leaf (never through a symlink).
static bool
copy_file(const char *from, int dirfd, const char *leaf)
{
  ap_embedded_t f = {.name = (char *)leaf};
  FILE *fp = fopen(from, "rb");
  char *bytes = NULL;
  size_t size = 0;
  FILE *mem = open_memstream(&bytes, &size);
  char buf[65536];
  size_t got;
  bool ok = fp && mem;

  while (ok && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
    ok = fwrite(buf, 1, got, mem) == got;
  ok = ok && !ferror(fp);
  if (fp)
    fclose(fp);
  if (mem)
    fclose(mem);
  f.bytes = (unsigned char *)bytes;
  f.size = size;
  ok = ok && write_file(dirfd, &f);
  free(bytes);
  return ok;
}

// Gather the files of a name tree node (its /Names pairs, then its /Kids);
// false with a diagnostic when the tree cannot be read.
static bool
collect(ap_extracted_t *x, qpdf_data q, qpdf_oh node, int depth, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(x->pdf);

  if (depth > MAX_DEPTH)
    return ap_fail(diags, at, "the tree of embedded files is deeper than %d levels", MAX_DEPTH);
  qpdf_oh pairs = qpdf_oh_get_key(q, node, "/Names"), kids = qpdf_oh_get_key(q, node, "/Kids");
  int n = qpdf_oh_is_array(q, pairs) ? qpdf_oh_get_array_n_items(q, pairs) : 0;
  for (int i = 0; i + 1 < n; i += 2) {
    qpdf_oh spec = qpdf_oh_get_array_item(q, pairs, i + 1);
    qpdf_oh name = qpdf_oh_get_key(q, spec, "/UF");
    if (!qpdf_oh_is_string(q, name))
      name = qpdf_oh_get_key(q, spec, "/F");
    qpdf_oh ef = qpdf_oh_get_key(q, spec, "/EF"), stream = qpdf_oh_get_key(q, ef, "/UF");
    if (!qpdf_oh_is_stream(q, stream))
      stream = qpdf_oh_get_key(q, ef, "/F");
    if (!qpdf_oh_is_string(q, name) || !qpdf_oh_is_stream(q, stream))
      return ap_fail(diags, at, "an embedded file has no name or no content");
    if (x->count == MAX_FILES)
      return ap_fail(diags, at, "embeds more than %d files", MAX_FILES);
    ap_embedded_t *files = realloc(x->files, sizeof(ap_embedded_t) * (size_t)(x->count + 1));
    if (!files)
      return ap_fail(diags, at, "out of memory");
    x->files = files;
    ap_embedded_t *f = &x->files[x->count];
    size_t len = 0;
    const char *text = qpdf_oh_get_utf8_value(q, name);
    *f = (ap_embedded_t){0};
    f->name = strdup(text ? text : "");
    x->count++;
    if (!f->name || (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, NULL, &f->bytes, &len) & QPDF_ERRORS) ||
        len > MAX_FILE)
      return ap_fail(diags, at, "cannot read the embedded file '%s'%s", f->name ? f->name : "",
                     len > MAX_FILE ? ": larger than 256 MB" : "");
    f->size = len;
  }
  n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
  for (int i = 0; i < n; i++)
    if (!collect(x, q, qpdf_oh_get_array_item(q, kids, i), depth + 1, diags))
      return false;
  return true;
}

// One font the manifest names: where the extracted layout's fonts= makes a
// re-render look (its path, relative to DIR), else in fonts_dir (when not
// NULL) or anpham's own fonts folder; with the same SHA-256. A font missing
// where the layout looks but found in one of those folders with that
// SHA-256 is linked there (a font is never written). A missing or different font file is
// reported as exactly that; false then.
static bool
font_check(const ap_extracted_t *x, const char *dir, int dirfd, const char *fonts_dir, json_object *font,
           ap_diags_t *diags)
{
  json_object *jname = NULL, *jpath = NULL, *jsha = NULL;
  const char *name = json_object_object_get_ex(font, "name", &jname) ? json_object_get_string(jname) : NULL;
  const char *path = json_object_object_get_ex(font, "path", &jpath) ? json_object_get_string(jpath) : NULL;
  const char *sha = json_object_object_get_ex(font, "sha256", &jsha) ? json_object_get_string(jsha) : NULL;
  char hex[AP_SHA256_HEX], own[4096];
  ap_loc_t at = ap_loc_file(x->pdf);
  const char *mismatch = "font mismatch: %s%s%s is not the font file the PDF was made with "
                         "(SHA-256 %s, expected %s): a re-render would not give the same bytes";

  if (!name || !sha || strchr(name, '/') || !safe_name(name) || (path && !beside_name(path)))
    return ap_fail(diags, at, "a font entry of %s is not a font file's name and SHA-256", AP_EMBED_MANIFEST);

  // Where the extracted layout looks...
  if (path && hash_at(dir, path, hex)) {
    if (!strcmp(hex, sha))
      return true;
    return ap_fail(diags, at, mismatch, dir, "/", path, hex, sha);
  }

  // ...else the folder the caller names, then anpham's own fonts folder
  // (the file found linked where the layout looks, when that is inside DIR)...
  const char *folders[] = {fonts_dir, ap_installed_fonts_dir()};
  char found_hex[AP_SHA256_HEX], *found = NULL;
  bool inside = path && safe_name(path);
  for (int i = 0; i < 2 && (!path || inside); i++) {
    if (!folders[i] || snprintf(own, sizeof(own), "%s/%s", folders[i], name) >= (int)sizeof(own) ||
        !ap_sha256_file(own, hex))
      continue;
    if (strcmp(hex, sha)) { // Another file of that name: said if no folder has the right one
      if (!found && (found = strdup(own)))
        memcpy(found_hex, hex, sizeof(found_hex));
      continue;
    }
    free(found);
    const char *leaf;
    int parent = inside ? open_parent(dirfd, path, true, &leaf) : -1;
    // (anpham's fonts folder is readable from anywhere: a link; another
    // folder is not, so the file is copied)...
    bool linked = !inside || (parent >= 0 && (folders[i] == fonts_dir ? copy_file(own, parent, leaf)
                                                                      : symlinkat(own, parent, leaf) == 0));
    if (!linked)
      ap_fail(diags, at, "cannot %s %s/%s to %s: %s", folders[i] == fonts_dir ? "copy" : "link", dir, path, own,
              strerror(errno));
    if (parent >= 0)
      close(parent);
    return linked;
  }
  if (found) {
    ap_fail(diags, at, mismatch, found, "", "", found_hex, sha);
    free(found);
    return false;
  }
  return ap_fail(diags, at, "font missing: %s (SHA-256 %s) is not at %s/%s: a re-render needs that very font file there",
                 name, sha, path ? dir : ap_installed_fonts_dir(), path ? path : name);
}

// The SHA-256 (hex) of DIR/name, or false when it cannot be read.
static bool
hash_at(const char *dir, const char *name, char hex[AP_SHA256_HEX])
{
  size_t size = strlen(dir) + strlen(name) + 2;
  char *full = malloc(size);
  bool ok = full && snprintf(full, size, "%s/%s", dir, name) > 0 && ap_sha256_file(full, hex);
  free(full);
  return ok;
}

// The folder below dirfd that holds name (its folders made when create is
// true; none followed through a symlink); *leaf is the last part. The
// folder's descriptor, or -1 with errno set.
static int
open_parent(int dirfd, const char *name, bool create, const char **leaf)
{
  int fd = dup(dirfd);
  const char *p = name;
  for (const char *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
    char part[256];
    if ((size_t)(slash - p) >= sizeof(part)) {
      close(fd);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(part, p, (size_t)(slash - p));
    part[slash - p] = '\0';
    if (create && mkdirat(fd, part, 0777) != 0 && errno != EEXIST) {
      close(fd);
      return -1;
    }
    int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(fd);
    fd = next;
  }
  *leaf = p;
  return fd;
}

// An embedded name that stays below DIR: UTF-8, relative, no "..", ".",
// empty part or backslash, no control character.
static bool
safe_name(const char *name)
{
  size_t n = strlen(name);
  if (!n || name[0] == '/' || name[n - 1] == '/' || !ap_utf8_validate(name, n, NULL))
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)name[i] < 0x20 || name[i] == '\\' || name[i] == 0x7F)
      return false;
  for (const char *p = name; *p;) {
    size_t len = strcspn(p, "/");
    if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
      return false;
    p += len + (p[len] == '/');
  }
  return true;
}

// Write one file below dirfd (replacing a regular file, never following a symlink).
static bool
write_file(int dirfd, const ap_embedded_t *f)
{
  const char *leaf;
  int dir = open_parent(dirfd, f->name, true, &leaf);
  if (dir < 0)
    return false;
  int fd = openat(dir, leaf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  close(dir);
  if (fd < 0)
    return false;
  size_t done = 0;
  while (done < f->size) {
    ssize_t n = write(fd, f->bytes + done, f->size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      close(fd);
      return false;
    }
    done += (size_t)n;
  }
  return close(fd) == 0;
}
