// anpham new KIND DIR: a layout and data pair that renders at once, copied
// from the ready layouts. An administrative kind (báo cáo, thông báo, kế
// hoạch, công văn) writes its ready layout in the chosen form
// (layouts/van-ban/KIND-FORM.xml, as DIR/KIND.xml), the base it extends
// (van-ban.xml) and its example data (data/examples/KIND-FORM.xml, as
// DIR/KIND-data.xml); the handout writes layouts/handout.xml and the 2024
// data. Two things change on the way: the <?xml-model?> line points at the
// schema where anpham keeps it (an editor validates the copy), and
// fonts="../fonts" (anpham's own fonts folder, seen from layouts/) is
// dropped, since that folder is the default. Nothing is ever overwritten:
// every target is checked first, and each file is created with O_EXCL.
#define _XOPEN_SOURCE 700

#include "scaffold.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/installed.h"
#include "base/utf8.h"

// Where the build finds its own layouts and data when not installed.
#ifndef AP_SOURCE_DIR
#define AP_SOURCE_DIR "."
#endif

const char ap_scaffold_kinds[] = "báo-cáo|thông-báo|kế-hoạch|công-văn|handout";

// A kind: how it may be typed and its file stem.
static const struct {
  const char *typed, *ascii, *stem;
} kinds[] = {
    {"báo-cáo", "bao-cao", "bao-cao"},       {"thông-báo", "thong-bao", "thong-bao"},
    {"kế-hoạch", "ke-hoach", "ke-hoach"},    {"công-văn", "cong-van", "cong-van"},
    {"handout", "handout", "handout"},
};

// One file to copy: from (relative to the share folder) and to (in DIR).
typedef struct copy_s {
  char *from, *to;
  bool layout; // Rewrite its xml-model line and fonts="../fonts"
} copy_t;

static bool plan(const char *stem, const char *form, const char *dir, copy_t copies[AP_SCAFFOLD_FILES],
                 ap_diags_t *diags);
static bool make_dir(const char *dir, ap_diags_t *diags);
static char *read_all(const char *path, size_t *size, ap_diags_t *diags);
static char *rewrite_layout(const char *text, size_t *size);
static char *source_file(const char *relative);
static bool write_new(const char *path, const char *bytes, size_t size, ap_diags_t *diags);

//
// 'ap_scaffold_kind()' - The stem of a kind as typed, NULL for none.
//

const char *
ap_scaffold_kind(const char *typed)
{
  ap_arena_t *arena = ap_arena_create();
  const char *nfc = arena ? ap_utf8_nfc(arena, typed, strlen(typed)) : NULL;
  const char *stem = NULL;

  for (size_t i = 0; nfc && !stem && i < sizeof(kinds) / sizeof(kinds[0]); i++)
    if (!strcmp(nfc, kinds[i].typed) || !strcmp(nfc, kinds[i].ascii))
      stem = kinds[i].stem;
  ap_arena_destroy(arena);
  return stem;
}

//
// 'ap_scaffold_write()' - Write a kind's layout, base and data into DIR.
//

bool
ap_scaffold_write(const char *kind, const char *form, const char *dir, ap_scaffold_t *out, ap_diags_t *diags)
{
  copy_t copies[AP_SCAFFOLD_FILES] = {{0}};
  bool handout = !strcmp(kind, "handout");
  bool ok;

  memset(out, 0, sizeof(*out));
  out->kind = kind;
  out->form = handout ? NULL : form ? form : "hd36";
  if (!plan(kind, out->form, dir, copies, diags))
    ok = false;
  else {
    // Every target checked before anything is written...
    ok = true;
    for (int i = 0; ok && i < AP_SCAFFOLD_FILES && copies[i].to; i++) {
      struct stat st;
      if (lstat(copies[i].to, &st) == 0)
        ok = ap_fail(diags, ap_loc_file(copies[i].to), "exists: anpham new never overwrites a file "
                                                       "(choose another folder, or move the file away)");
    }
    ok = ok && make_dir(dir, diags);

    // ...then each read, rewritten where it is a layout, and created.
    for (int i = 0; ok && i < AP_SCAFFOLD_FILES && copies[i].to; i++) {
      size_t size = 0;
      char *text = read_all(copies[i].from, &size, diags);
      char *bytes = text && copies[i].layout ? rewrite_layout(text, &size) : text;
      ok = bytes && write_new(copies[i].to, bytes, size, diags);
      if (bytes != text)
        free(bytes);
      free(text);
      if (ok)
        out->written[i] = strdup(copies[i].to);
    }
  }
  // The layout is the first file, the data the last; a failure takes back
  // what was written.
  int n = 0;
  while (n < AP_SCAFFOLD_FILES && out->written[n])
    n++;
  if (ok && n > 0) {
    out->layout = out->written[0];
    out->data = out->written[n - 1];
  }
  for (int i = 0; !ok && i < n; i++) {
    unlink(out->written[i]);
    free(out->written[i]);
    out->written[i] = NULL;
  }
  for (int i = 0; i < AP_SCAFFOLD_FILES; i++) {
    free(copies[i].from);
    free(copies[i].to);
  }
  return ok;
}

//
// 'ap_scaffold_free()' - Free what ap_scaffold_write() filled in.
//

void
ap_scaffold_free(ap_scaffold_t *s)
{
  for (int i = 0; i < AP_SCAFFOLD_FILES; i++)
    free(s->written[i]);
  memset(s, 0, sizeof(*s));
}

// The files of a kind: the layout first, then its base, then its data.
static bool
plan(const char *stem, const char *form, const char *dir, copy_t copies[AP_SCAFFOLD_FILES], ap_diags_t *diags)
{
  char from[3][256], to[3][256];
  int n = 0;

  if (!strcmp(stem, "handout")) {
    snprintf(from[n], sizeof(from[n]), "layouts/handout.xml");
    snprintf(to[n++], sizeof(to[n]), "handout.xml");
    snprintf(from[n], sizeof(from[n]), "data/2024/hau-giang-2024.xml");
    snprintf(to[n++], sizeof(to[n]), "hau-giang-2024.xml");
  } else {
    snprintf(from[n], sizeof(from[n]), "layouts/van-ban/%s-%s.xml", stem, form);
    snprintf(to[n++], sizeof(to[n]), "%s.xml", stem);
    snprintf(from[n], sizeof(from[n]), "layouts/van-ban/van-ban.xml");
    snprintf(to[n++], sizeof(to[n]), "van-ban.xml");
    snprintf(from[n], sizeof(from[n]), "data/examples/%s-%s.xml", stem, form);
    snprintf(to[n++], sizeof(to[n]), "%s-data.xml", stem);
  }
  for (int i = 0; i < n; i++) {
    size_t len = strlen(dir) + strlen(to[i]) + 2;
    copies[i].from = source_file(from[i]);
    copies[i].to = malloc(len);
    copies[i].layout = !strncmp(from[i], "layouts/", 8);
    if (!copies[i].from || !copies[i].to)
      return ap_fail(diags, ap_loc_file(dir), "out of memory");
    snprintf(copies[i].to, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", to[i]);
  }
  return true;
}

// One of anpham's own files: installed (PREFIX/share/anpham/…) or the source tree's.
static char *
source_file(const char *relative)
{
  char fallback[4096];
  snprintf(fallback, sizeof(fallback), "%s/%s", AP_SOURCE_DIR, relative);
  return strdup(ap_installed_file(relative, fallback));
}

// DIR and the folders above it that are missing.
static bool
make_dir(const char *dir, ap_diags_t *diags)
{
  char *path = strdup(dir);
  bool ok = path != NULL;

  for (char *p = path ? path + 1 : NULL; ok && p; p = strchr(p + 1, '/')) {
    char keep = *p;
    *p = '\0';
    if (*path && mkdir(path, 0777) != 0 && errno != EEXIST)
      ok = ap_fail(diags, ap_loc_file(dir), "cannot make the folder %s: %s", path, strerror(errno));
    *p = keep;
    if (!keep)
      break;
  }
  if (ok && mkdir(dir, 0777) != 0 && errno != EEXIST)
    ok = ap_fail(diags, ap_loc_file(dir), "cannot make the folder: %s", strerror(errno));
  free(path);
  return ok;
}

// A whole file of anpham's own (a ready layout or example: small).
static char *
read_all(const char *path, size_t *size, ap_diags_t *diags)
{
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long len;

  if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
      !(text = malloc((size_t)len + 1)) || fread(text, 1, (size_t)len, f) != (size_t)len) {
    ap_fail(diags, ap_loc_file(path), "cannot read anpham's own file: %s (is anpham installed whole?)",
            strerror(errno ? errno : EIO));
    free(text);
    text = NULL;
  } else {
    text[len] = '\0';
    *size = (size_t)len;
  }
  if (f)
    fclose(f);
  return text;
}

// A layout's text with its schema line pointing at anpham's schema and
// without fonts="../fonts" (the default folder): a new string, or NULL.
static char *
rewrite_layout(const char *text, size_t *size)
{
  static const char href[] = "href=\"../schema/layout.rng\"";
  static const char fonts[] = " fonts=\"../fonts\"";
  char schema[4096];
  const char *h = strstr(text, href), *f = strstr(text, fonts);
  size_t len = *size;

  snprintf(schema, sizeof(schema), "%s/layouts/schema/layout.rng", AP_SOURCE_DIR);
  const char *rng = ap_installed_file("layouts/schema/layout.rng", schema);
  char *out = malloc(len + strlen(rng) + 32), *o = out;
  if (!out)
    return NULL;
  for (const char *p = text; p < text + len;) {
    if (p == h) {
      o += sprintf(o, "href=\"%s\"", rng);
      p += sizeof(href) - 1;
    } else if (p == f)
      p += sizeof(fonts) - 1;
    else
      *o++ = *p++;
  }
  *size = (size_t)(o - out);
  return out;
}

// A new file (O_EXCL: never one that appeared meanwhile), written whole or removed.
static bool
write_new(const char *path, const char *bytes, size_t size, ap_diags_t *diags)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return ap_fail(diags, ap_loc_file(path), "cannot create: %s", strerror(errno));
  for (size_t done = 0; done < size;) {
    ssize_t n = write(fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      int e = errno;
      close(fd);
      unlink(path);
      return ap_fail(diags, ap_loc_file(path), "cannot write: %s", strerror(e));
    }
    done += (size_t)n;
  }
  if (close(fd) != 0) {
    unlink(path);
    return ap_fail(diags, ap_loc_file(path), "cannot write: %s", strerror(errno));
  }
  return true;
}
