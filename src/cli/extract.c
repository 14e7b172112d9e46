// anpham extract FILE.pdf -o DIR: the source a PDF embeds (--embed-source)
// written back under DIR, the fonts its anpham-source.json names checked,
// and the command that renders the same PDF again printed. The PDF is read
// with qpdf's C API (a strict, fuzzed PDF reader; anpham writes PDFs but
// reads none itself). An archive is input and may be hostile: every
// embedded name is checked before anything is written (relative, no "..",
// no empty part), each file's bytes must match the SHA-256 the manifest
// gives, and files are created below DIR one folder at a time, never
// through a symlink.
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/hash.h"
#include "../base/utf8.h"
#include "../embed.h"
#include "cli.h"

#define MAX_FILES 10000      // Embedded files read at most (a name tree can be made to hold millions)
#define MAX_DEPTH 32         // Levels of the name tree followed at most
#define MAX_FILE (256u << 20) // Bytes of one embedded file at most (anpham's largest input kind, data)

// One embedded file.
typedef struct embedded_s {
  char *name;           // Its /UF (else /F) name, UTF-8 (malloc'ed)
  unsigned char *bytes; // Its decoded content (malloc'ed by qpdf)
  size_t size;          // Its size
} embedded_t;

// What extract has read.
typedef struct extract_s {
  const char *pdf;      // The PDF's path (for messages)
  qpdf_data q;          // The PDF
  embedded_t *files;    // Its embedded files
  int count;            // How many
} extract_t;

static bool collect(extract_t *x, qpdf_oh node, int depth);
static bool font_check(const char *dir, int dirfd, json_object *font);
static int open_parent(int dirfd, const char *name, bool create, const char **leaf);
static void print_command(const char *dir, const char *epoch, json_object *args);
static bool safe_name(const char *name);
static bool write_file(int dirfd, const embedded_t *f);

//
// 'ap_cli_extract()' - anpham extract FILE.pdf -o DIR.
//

int
ap_cli_extract(int argc, char **argv)
{
  const char *pdf = NULL, *dir = NULL;
  extract_t x = {0};
  int status = 0, dirfd = -1;
  json_object *manifest = NULL;

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
  x.pdf = pdf;

  // The PDF and its /Names /EmbeddedFiles tree...
  x.q = qpdf_init();
  qpdf_silence_errors(x.q);
  if (qpdf_read(x.q, pdf, "") & QPDF_ERRORS) {
    fprintf(stderr, "anpham: extract: %s: cannot read the PDF: %s\n", pdf,
            qpdf_get_error_full_text(x.q, qpdf_get_error(x.q)));
    status = AP_BAD_INPUT;
    goto done;
  }
  qpdf_oh tree = qpdf_oh_get_key(x.q, qpdf_oh_get_key(x.q, qpdf_get_root(x.q), "/Names"), "/EmbeddedFiles");
  if (!qpdf_oh_is_dictionary(x.q, tree)) {
    fprintf(stderr, "anpham: extract: %s embeds no files: expected a PDF rendered with --embed-source\n", pdf);
    status = AP_BAD_INPUT;
    goto done;
  }
  if (!collect(&x, tree, 0)) {
    status = AP_BAD_INPUT;
    goto done;
  }

  // Every name checked, and every file against the manifest, before anything is written...
  const embedded_t *record = NULL;
  for (int i = 0; i < x.count; i++) {
    if (!safe_name(x.files[i].name)) {
      fprintf(stderr, "anpham: extract: %s: the embedded file '%s' would be written outside %s: refused "
                      "(an embedded name must be a relative path without '..')\n", pdf, x.files[i].name, dir);
      status = AP_BAD_INPUT;
      goto done;
    }
    if (!strcmp(x.files[i].name, AP_EMBED_MANIFEST))
      record = &x.files[i];
  }
  json_object *args = NULL, *listed = NULL, *fonts = NULL;
  if (record) {
    struct json_tokener *tok = json_tokener_new();
    manifest = tok ? json_tokener_parse_ex(tok, (const char *)record->bytes, (int)record->size) : NULL;
    json_tokener_free(tok);
  }
  if (!manifest || !json_object_object_get_ex(manifest, "arguments", &args) ||
      !json_object_is_type(args, json_type_array) || !json_object_object_get_ex(manifest, "files", &listed) ||
      !json_object_is_type(listed, json_type_array) || !json_object_object_get_ex(manifest, "fonts", &fonts) ||
      !json_object_is_type(fonts, json_type_array)) {
    fprintf(stderr, "anpham: extract: %s has no valid %s: expected a PDF rendered with --embed-source\n", pdf,
            AP_EMBED_MANIFEST);
    status = AP_BAD_INPUT;
    goto done;
  }
  for (int i = 0; i < x.count; i++) {
    const embedded_t *f = &x.files[i];
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
      fprintf(stderr, "anpham: extract: %s: the embedded file '%s' %s: the archive is damaged\n", pdf, f->name,
              want ? "does not have the SHA-256 anpham-source.json gives it" : "is not listed in anpham-source.json");
      status = AP_BAD_INPUT;
      goto done;
    }
  }

  // ...then written under DIR (made if missing)...
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "anpham: extract: cannot make the folder %s: %s\n", dir, strerror(errno));
    status = AP_BAD_INPUT;
    goto done;
  }
  if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    fprintf(stderr, "anpham: extract: cannot open the folder %s: %s\n", dir, strerror(errno));
    status = AP_BAD_INPUT;
    goto done;
  }
  for (int i = 0; i < x.count; i++)
    if (!write_file(dirfd, &x.files[i])) {
      fprintf(stderr, "anpham: extract: cannot write %s/%s: %s\n", dir, x.files[i].name, strerror(errno));
      status = AP_BAD_INPUT;
      goto done;
    }

  // ...the fonts checked (a re-render needs the very same files), and the command printed...
  for (size_t k = 0; k < json_object_array_length(fonts); k++)
    if (!font_check(dir, dirfd, json_object_array_get_idx(fonts, k)))
      status = AP_BAD_INPUT;
  json_object *epoch = NULL;
  json_object_object_get_ex(manifest, "SOURCE_DATE_EPOCH", &epoch);
  print_command(dir, epoch ? json_object_get_string(epoch) : NULL, args);

done:
  if (dirfd >= 0)
    close(dirfd);
  json_object_put(manifest);
  for (int i = 0; i < x.count; i++) {
    free(x.files[i].name);
    free(x.files[i].bytes);
  }
  free(x.files);
  qpdf_cleanup(&x.q);
  return status;
}

// Gather the files of a name tree node (its /Names pairs, then its /Kids);
// false after printing why the tree cannot be read.
static bool
collect(extract_t *x, qpdf_oh node, int depth)
{
  qpdf_data q = x->q;

  if (depth > MAX_DEPTH) {
    fprintf(stderr, "anpham: extract: %s: the tree of embedded files is deeper than %d levels\n", x->pdf, MAX_DEPTH);
    return false;
  }
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
    if (!qpdf_oh_is_string(q, name) || !qpdf_oh_is_stream(q, stream)) {
      fprintf(stderr, "anpham: extract: %s: an embedded file has no name or no content\n", x->pdf);
      return false;
    }
    if (x->count == MAX_FILES) {
      fprintf(stderr, "anpham: extract: %s embeds more than %d files\n", x->pdf, MAX_FILES);
      return false;
    }
    embedded_t *files = realloc(x->files, sizeof(embedded_t) * (size_t)(x->count + 1));
    if (!files)
      return false;
    x->files = files;
    embedded_t *f = &x->files[x->count];
    size_t len = 0;
    const char *text = qpdf_oh_get_utf8_value(q, name);
    *f = (embedded_t){0};
    f->name = strdup(text ? text : "");
    x->count++;
    if (!f->name || (qpdf_oh_get_stream_data(q, stream, qpdf_dl_generalized, NULL, &f->bytes, &len) & QPDF_ERRORS) ||
        len > MAX_FILE) {
      fprintf(stderr, "anpham: extract: %s: cannot read the embedded file '%s'%s\n", x->pdf,
              f->name ? f->name : "", len > MAX_FILE ? ": larger than 256 MB" : "");
      return false;
    }
    f->size = len;
  }
  n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
  for (int i = 0; i < n; i++)
    if (!collect(x, qpdf_oh_get_array_item(q, kids, i), depth + 1))
      return false;
  return true;
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

// Write one file below dirfd (replacing a regular file, never following a symlink).
static bool
write_file(int dirfd, const embedded_t *f)
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

// The one place below DIR, or beside it ("../"), where a relative path
// leads: ".." only at its start, no "." or empty part.
static bool
beside_name(const char *path)
{
  while (!strncmp(path, "../", 3))
    path += 3;
  return safe_name(path);
}

// One font the manifest names: where the extracted layout's fonts= makes a
// re-render look (its path, relative to DIR), or, with no path, anpham's
// own fonts folder; with the same SHA-256. A font missing where the layout
// looks but present in anpham's fonts folder with that SHA-256 is linked
// there (a font is never written). A missing or different font file is
// reported as exactly that; false then.
static bool
font_check(const char *dir, int dirfd, json_object *font)
{
  json_object *jname = NULL, *jpath = NULL, *jsha = NULL;
  const char *name = json_object_object_get_ex(font, "name", &jname) ? json_object_get_string(jname) : NULL;
  const char *path = json_object_object_get_ex(font, "path", &jpath) ? json_object_get_string(jpath) : NULL;
  const char *sha = json_object_object_get_ex(font, "sha256", &jsha) ? json_object_get_string(jsha) : NULL;
  char hex[AP_SHA256_HEX], own[4096];
  const char *mismatch = "anpham: extract: font mismatch: %s%s%s is not the font file the PDF was made with "
                         "(SHA-256 %s, expected %s): a re-render would not give the same bytes\n";

  if (!name || !sha || strchr(name, '/') || !safe_name(name) || (path && !beside_name(path))) {
    fprintf(stderr, "anpham: extract: a font entry of %s is not a font file's name and SHA-256\n",
            AP_EMBED_MANIFEST);
    return false;
  }

  // Where the extracted layout looks...
  if (path && hash_at(dir, path, hex)) {
    if (!strcmp(hex, sha))
      return true;
    fprintf(stderr, mismatch, dir, "/", path, hex, sha);
    return false;
  }

  // ...else anpham's own fonts folder (linked where the layout looks, when that is inside DIR)...
  snprintf(own, sizeof(own), "%s/%s", AP_FONTS_DIR, name);
  bool inside = path && safe_name(path);
  if ((!path || inside) && ap_sha256_file(own, hex)) {
    if (strcmp(hex, sha)) {
      fprintf(stderr, mismatch, own, "", "", hex, sha);
      return false;
    }
    const char *leaf;
    int parent = inside ? open_parent(dirfd, path, true, &leaf) : -1;
    if (inside && (parent < 0 || symlinkat(own, parent, leaf) != 0)) {
      fprintf(stderr, "anpham: extract: cannot link %s/%s to %s: %s\n", dir, path, own, strerror(errno));
      if (parent >= 0)
        close(parent);
      return false;
    }
    if (parent >= 0)
      close(parent);
    return true;
  }
  fprintf(stderr, "anpham: extract: font missing: %s (SHA-256 %s) is not at %s%s%s: a re-render needs that very "
                  "font file there\n", name, sha, path ? dir : AP_FONTS_DIR, "/", path ? path : name);
  return false;
}

// One argument for a POSIX shell: as it is when plain, else single-quoted.
static void
print_quoted(const char *s)
{
  if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%") == strlen(s)) {
    fputs(s, stdout);
    return;
  }
  putchar('\'');
  for (; *s; s++)
    s[0] == '\'' ? fputs("'\\''", stdout) : putchar(*s);
  putchar('\'');
}

// The command that renders the same PDF again: in DIR, with the recorded
// SOURCE_DATE_EPOCH, the recorded arguments, -o OUT.pdf.
static void
print_command(const char *dir, const char *epoch, json_object *args)
{
  fputs("cd ", stdout);
  print_quoted(dir);
  fputs(" && ", stdout);
  if (epoch) {
    fputs("SOURCE_DATE_EPOCH=", stdout);
    print_quoted(epoch);
    putchar(' ');
  }
  fputs("anpham", stdout);
  for (size_t k = 0; k < json_object_array_length(args); k++) {
    const char *a = json_object_get_string(json_object_array_get_idx(args, k));
    putchar(' ');
    print_quoted(a ? a : "");
  }
  fputs(" -o OUT.pdf\n", stdout);
}
