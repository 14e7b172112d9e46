// Unit tests for render/: pages built by hand are written as a PDF and
// checked with the real tools (pdftotext, pdffonts, pdfinfo, qpdf), for
// Vietnamese text, embedded subsets, ToUnicode, outline, links and
// byte-for-byte determinism.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "font/font.h"
#include "render/render.h"

#define SERIF AP_SOURCE_DIR "/fonts/LiberationSerif-Regular.ttf"
#define SERIF_BOLD AP_SOURCE_DIR "/fonts/LiberationSerif-Bold.ttf"
#define TITLE "Báo cáo tổng kết năm 2023"
#define SENTENCE "Kết quả thực hiện nhiệm vụ công tác năm 2023 — Ẫ Ệ Ở"
#define HEADING "Chương 1 — Kết quả đạt được"
#define BODY "Ưu điểm: đoàn kết, sáng tạo; hạn chế: chưa đồng bộ."
#define OUTPUT_MAX 65536 // Bytes of tool output kept

typedef struct fixture_s {
  char dir[64];           // Private temporary directory (also TMPDIR)
  char pdf[128];          // Output path
  ap_fontset_t *set;      // Faces
  ap_font_t *regular;     // Liberation Serif
  ap_font_t *bold;        // Liberation Serif Bold
  ap_arena_t *arena;      // Pages
} fixture_t;

static void add_box(ap_page_t *page, ap_box_t *box);
static ap_box_t *add_line(ap_arena_t *arena, ap_page_t *page, ap_font_t *font, double size,
                          double x, double top, const char *text, ap_color_t color, bool underline);
static ap_pages_t *build_pages(fixture_t *f, const char *image);
static bool contains(const unsigned char *data, size_t size, const char *needle);
static size_t count_dir(const char *dir);
static void keep(const fixture_t *f, const char *name);
static unsigned char *load(const char *path, size_t *size);
static int run(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
setup(void **state)
{
  fixture_t *f = calloc(1, sizeof(*f));
  ap_diags_t diags = {0};

  if (!f)
    abort();
  strcpy(f->dir, "/tmp/anpham-test-render-XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->pdf, sizeof(f->pdf), "%s/out.pdf", f->dir);
  setenv("TMPDIR", f->dir, 1); // Any temporary file would show here
  f->set = ap_fontset_create();
  f->regular = ap_fontset_load(f->set, SERIF, &diags, ap_loc_file("test"));
  f->bold = ap_fontset_load(f->set, SERIF_BOLD, &diags, ap_loc_file("test"));
  assert_non_null(f->regular);
  assert_non_null(f->bold);
  f->arena = ap_arena_create();
  *state = f;
  return 0;
}

static int
teardown(void **state)
{
  fixture_t *f = *state;
  char cmd[160];

  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  ap_arena_destroy(f->arena);
  ap_fontset_destroy(f->set);
  free(f);
  return 0;
}

// The real tools read the text, fonts and information back without a warning.
static void
test_render_tools(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  static char out[OUTPUT_MAX];

  assert_true(ap_utf8_is_nfc(SENTENCE, strlen(SENTENCE)));
  assert_true(ap_render_pdf(build_pages(f, NULL), f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 0);
  assert_null(diags.first);
  keep(f, "render-pdf.pdf");

  // pdftotext: nothing on stderr, the text exactly...
  assert_int_equal(run(out, "pdftotext '%s' /dev/null 2>&1", f->pdf), 0);
  assert_string_equal(out, "");
  assert_int_equal(run(out, "pdftotext '%s' - 2>&1", f->pdf), 0);
  printf("pdftotext:\n%s", out);
  assert_non_null(strstr(out, SENTENCE "\n"));
  assert_non_null(strstr(out, HEADING "\n"));
  assert_non_null(strstr(out, BODY "\n"));
  assert_null(strstr(out, "Warning"));

  // pdffonts: both faces embedded as subsets with a ToUnicode map...
  assert_int_equal(run(out, "pdffonts '%s' 2>&1", f->pdf), 0);
  printf("pdffonts:\n%s", out);
  int fonts = 0;
  for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
    if (!strstr(line, "CID TrueType"))
      continue;
    fonts++;
    assert_non_null(strstr(line, "Identity-H       yes yes yes"));
    assert_non_null(strchr(line, '+')); // Subset tag
  }
  assert_int_equal(fonts, 2);

  // qpdf: structurally sound; pdfinfo: the Vietnamese title, no date...
  assert_int_equal(run(out, "qpdf --check '%s' 2>&1", f->pdf), 0);
  assert_int_equal(run(out, "pdfinfo '%s' 2>&1", f->pdf), 0);
  printf("pdfinfo:\n%s", out);
  assert_non_null(strstr(out, "Title:           " TITLE "\n"));
  assert_non_null(strstr(out, "Author:          Phòng Tổng hợp\n"));
  assert_non_null(strstr(out, "Producer:        anpham\n"));
  assert_non_null(strstr(out, "Pages:           2\n"));
  assert_null(strstr(out, "CreationDate"));
  assert_null(strstr(out, "Syntax"));

  // The outline entry and the link survive (qpdf's JSON view)...
  assert_int_equal(run(out, "qpdf --json --json-key=outlines '%s' 2>&1", f->pdf), 0);
  assert_non_null(strstr(out, "\"title\": \"" HEADING "\""));
  assert_int_equal(run(out, "qpdf --qdf --object-streams=disable '%s' - 2>&1 | grep -a -c '/Subtype /Link'",
                       f->pdf), 0);
  assert_string_equal(out, "1\n");
}

// Two renders of the same pages are byte-identical, small, and leave no
// temporary file behind.
static void
test_render_deterministic(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  char other[160];
  size_t na, nb;

  snprintf(other, sizeof(other), "%s/again.pdf", f->dir);
  ap_pages_t *pages = build_pages(f, NULL);
  size_t fds = count_dir("/proc/self/fd");
  assert_true(ap_render_pdf(pages, f->pdf, NULL, &diags));
  assert_true(ap_render_pdf(pages, other, NULL, &diags));
  assert_int_equal(count_dir("/proc/self/fd"), fds); // No file left open
  unsigned char *a = load(f->pdf, &na), *b = load(other, &nb);
  printf("2 pages, 2 faces: %zu bytes\n", na);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  assert_true(na < 40 * 1024);
  assert_int_equal(count_dir(f->dir), 2); // The two PDFs, no subset file
  free(a);
  free(b);
  unlink(other);
}

// Uncompressed, the file shows what it holds: one BT per line box, fonts
// written by us (CIDs through a CIDToGIDMap, the subset as FontFile2, no
// libharu subset tag), a bfchar ToUnicode and no cidrange, the destination,
// no temporary name.
static void
test_render_uncompressed(void **state)
{
  fixture_t *f = *state;
  ap_render_options_t options = {/*compress*/ false};
  ap_diags_t diags = {0};
  size_t size, bt = 0;

  assert_true(ap_render_pdf(build_pages(f, NULL), f->pdf, &options, &diags));
  keep(f, "render-pdf-uncompressed.pdf");
  unsigned char *data = load(f->pdf, &size);
  for (size_t i = 0; i + 3 < size; i++)
    if (!memcmp(data + i, "\nBT\n", 4))
      bt++;
  assert_int_equal(bt, 4);
  assert_true(contains(data, size, "beginbfchar"));
  assert_true(contains(data, size, "> <1EAA>\n")); // A CID for Ẫ
  assert_true(contains(data, size, "/Encoding /Identity-H"));
  assert_true(contains(data, size, "/Subtype /CIDFontType2"));
  assert_true(contains(data, size, "/CIDToGIDMap "));
  assert_true(contains(data, size, "/FontFile2 "));
  assert_true(contains(data, size, "/Length1 "));
  assert_true(contains(data, size, "/F1 16 Tf\n"));
  assert_false(contains(data, size, "HPDFA"));
  assert_false(contains(data, size, "/Filter"));
  assert_false(contains(data, size, "begincidrange"));
  assert_false(contains(data, size, "/CMapName /UTF-8"));
  assert_true(contains(data, size, "/XYZ null"));
  assert_false(contains(data, size, "anpham-font"));
  assert_false(contains(data, size, f->dir));
  assert_false(contains(data, size, "CreationDate"));
  free(data);
}

// Characters that share a glyph (here .notdef: the face has neither U+2011
// nor U+4E2D) and one beyond the BMP each keep their own CID, so the text
// comes back exactly; the file is compressed, and still sound.
static void
test_render_shared_glyph(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  ap_arena_t *a = f->arena;
  ap_pages_t *pages = AP_NEW(a, ap_pages_t);
  ap_page_t *page = AP_NEW(a, ap_page_t);
  ap_color_t black = {.r = 0, .g = 0, .b = 0};
  static char out[OUTPUT_MAX];
  static const char text[] = "x\u2011y\u4E2Dz \U0001F600 (a\\b)";

  page->number = 1;
  page->width = 595.28;
  page->height = 841.89;
  pages->first = pages->last = page;
  pages->count = 1;
  add_line(a, page, f->regular, 12, 72, 72, text, black, false);
  assert_true(ap_render_pdf(pages, f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 0);
  keep(f, "render-pdf-shared.pdf");
  assert_int_equal(run(out, "pdftotext -enc UTF-8 '%s' - 2>&1", f->pdf), 0);
  printf("pdftotext: %s", out);
  assert_non_null(strstr(out, text));
  assert_int_equal(run(out, "qpdf --check '%s' 2>&1", f->pdf), 0);
  assert_int_equal(run(out, "grep -a -c '^/Filter /FlateDecode$' '%s'", f->pdf), 0);
  assert_true(atoi(out) >= 4); // Page, font file, CIDToGIDMap, ToUnicode
}

// Images load from PNG files; a missing one is an error naming the file and
// leaves no output.
static void
test_render_images(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  char png[160], missing[160], line[512];
  static char out[OUTPUT_MAX];

  // A PNG made from our own first page...
  assert_true(ap_render_pdf(build_pages(f, NULL), f->pdf, NULL, &diags));
  snprintf(png, sizeof(png), "%s/page", f->dir);
  assert_int_equal(run(out, "pdftoppm -png -r 20 -f 1 -l 1 -singlefile '%s' '%s' 2>&1", f->pdf, png), 0);
  strcat(png, ".png");
  assert_true(ap_render_pdf(build_pages(f, png), f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 0);
  assert_int_equal(run(out, "pdfimages -list '%s' 2>&1 | grep -c ' image '", f->pdf), 0);
  assert_string_equal(out, "1\n");

  // A missing file...
  snprintf(missing, sizeof(missing), "%s/nowhere.png", f->dir);
  assert_false(ap_render_pdf(build_pages(f, missing), f->pdf, NULL, &diags));
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, line, sizeof(line));
  printf("%s\n", line);
  assert_non_null(strstr(line, missing));
  assert_int_equal(access(f->pdf, F_OK), -1);
  assert_int_equal(count_dir(f->dir), 1); // Only page.png
  ap_diags_clear(&diags);
  unlink(png);
}

// A libharu failure (here: the output cannot be opened) is one error.
static void
test_render_bad_path(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  char path[160], line[512];

  snprintf(path, sizeof(path), "%s/no/such/dir/out.pdf", f->dir);
  assert_false(ap_render_pdf(build_pages(f, NULL), path, NULL, &diags));
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, line, sizeof(line));
  printf("%s\n", line);
  assert_non_null(strstr(line, "cannot open the file"));
  assert_int_equal(count_dir(f->dir), 0); // No subset file left
  ap_diags_clear(&diags);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_render_tools),
    cmocka_unit_test(test_render_deterministic),
    cmocka_unit_test(test_render_uncompressed),
    cmocka_unit_test(test_render_shared_glyph),
    cmocka_unit_test(test_render_images),
    cmocka_unit_test(test_render_bad_path),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

// Append a box to a page.
static void
add_box(ap_page_t *page, ap_box_t *box)
{
  if (page->last)
    page->last->next = box;
  else
    page->boxes = box;
  page->last = box;
}

// A line box whose words are runs one space apart, top of the line at top.
static ap_box_t *
add_line(ap_arena_t *arena, ap_page_t *page, ap_font_t *font, double size, double x, double top,
         const char *text, ap_color_t color, bool underline)
{
  ap_box_t *box = AP_NEW(arena, ap_box_t);
  ap_run_t **tail = &box->runs;
  ap_font_metrics_t m = ap_font_get_metrics(font, size);
  double space = ap_font_measure(font, " ", 1, size), pen = x;

  box->kind = AP_BOX_LINE;
  box->role = "body";
  box->rect = (ap_rect_t){x, top, 400, m.ascender - m.descender};
  for (const char *p = text; *p;) {
    size_t len = strcspn(p, " ");
    ap_run_t *r = AP_NEW(arena, ap_run_t);
    r->x = pen;
    r->baseline = top + m.ascender;
    r->width = ap_font_measure(font, p, len, size);
    r->font = font;
    r->size = size;
    r->color = color;
    r->underline = underline;
    r->text = ap_arena_strndup(arena, p, len);
    *tail = r;
    tail = &r->next;
    pen += r->width + space;
    p += len;
    while (*p == ' ')
      p++;
  }
  add_box(page, box);
  return box;
}

// Two A4 pages: a bold title, the sentence, a rule and a link on the first;
// a destination with an outline entry, a heading and a body line on the
// second; optionally an image on the first.
static ap_pages_t *
build_pages(fixture_t *f, const char *image)
{
  ap_arena_t *a = f->arena;
  ap_pages_t *pages = AP_NEW(a, ap_pages_t);
  ap_color_t black = {.r = 0, .g = 0, .b = 0}, blue = {.r = 0, .g = 0, .b = 0.6};

  for (int i = 0; i < 2; i++) {
    ap_page_t *page = AP_NEW(a, ap_page_t);
    page->number = i + 1;
    page->width = 595.28;
    page->height = 841.89;
    if (pages->last)
      pages->last->next = page;
    else
      pages->first = page;
    pages->last = page;
    pages->count++;
  }
  pages->title = TITLE;
  pages->author = "Phòng Tổng hợp";
  pages->subject = "Tổng kết";
  pages->keywords = "báo cáo, 2023";
  pages->creator = "anpham test";

  // Page 1...
  ap_page_t *p1 = pages->first;
  add_line(a, p1, f->bold, 16, 72, 72, TITLE, black, false);
  ap_box_t *rule = AP_NEW(a, ap_box_t);
  rule->kind = AP_BOX_RULE;
  rule->rect = (ap_rect_t){72, 100, 451, 0};
  rule->stroke = 0.5;
  rule->color = blue;
  add_box(p1, rule);
  ap_box_t *line = add_line(a, p1, f->regular, 11, 72, 110, SENTENCE, black, false);
  ap_box_t *link = AP_NEW(a, ap_box_t);
  link->kind = AP_BOX_LINK;
  link->rect = line->rect;
  link->name = "chuong-1";
  add_box(p1, link);
  if (image) {
    ap_box_t *img = AP_NEW(a, ap_box_t);
    img->kind = AP_BOX_IMAGE;
    img->rect = (ap_rect_t){72, 200, 120, 170};
    img->name = image;
    add_box(p1, img);
  }

  // Page 2...
  ap_page_t *p2 = pages->last;
  ap_box_t *dest = AP_NEW(a, ap_box_t);
  dest->kind = AP_BOX_DEST;
  dest->rect = (ap_rect_t){72, 72, 0, 0};
  dest->name = "chuong-1";
  dest->title = HEADING;
  dest->level = 1;
  add_box(p2, dest);
  add_line(a, p2, f->bold, 14, 72, 72, HEADING, blue, false);
  add_line(a, p2, f->regular, 11, 72, 100, BODY, black, true);
  return pages;
}

// True when needle occurs in the bytes.
static bool
contains(const unsigned char *data, size_t size, const char *needle)
{
  size_t n = strlen(needle);

  for (size_t i = 0; i + n <= size; i++)
    if (!memcmp(data + i, needle, n))
      return true;
  return false;
}

// Number of entries in a directory, without . and ..
static size_t
count_dir(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t n = 0;

  assert_non_null(d);
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      n++;
  closedir(d);
  return n;
}

// Copy the output to $AP_KEEP_DIR/name when set, to look at it.
static void
keep(const fixture_t *f, const char *name)
{
  const char *dir = getenv("AP_KEEP_DIR");
  static char out[OUTPUT_MAX];

  if (dir && *dir)
    assert_int_equal(run(out, "cp '%s' '%s/%s'", f->pdf, dir, name), 0);
}

// A whole file, malloc'ed.
static unsigned char *
load(const char *path, size_t *size)
{
  FILE *fp = fopen(path, "rb");
  unsigned char *data;
  long n;

  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
  fclose(fp);
  *size = (size_t)n;
  return data;
}

// Run a shell command, keep its output (NUL-terminated) and return its exit status.
static int
run(char *out, const char *fmt, ...)
{
  char cmd[1024];
  va_list ap;
  size_t n = 0;
  FILE *pp;

  va_start(ap, fmt);
  vsnprintf(cmd, sizeof(cmd), fmt, ap);
  va_end(ap);
  assert_non_null(pp = popen(cmd, "r"));
  while (n < OUTPUT_MAX - 1 && !feof(pp)) {
    size_t got = fread(out + n, 1, OUTPUT_MAX - 1 - n, pp);
    if (got == 0)
      break;
    n += got;
  }
  out[n] = '\0';
  int status = pclose(pp);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
