// Unit tests for render/: pages built by hand are written as a PDF and
// checked with the real tools (pdftotext, pdffonts, pdfinfo, qpdf), for
// Vietnamese text, embedded subsets, ToUnicode, outline, links and
// byte-for-byte determinism.
#include "render-test.h"

#include <dirent.h>

#include "base/utf8.h"

#define TITLE "Báo cáo tổng kết năm 2023"
#define SENTENCE "Kết quả thực hiện nhiệm vụ công tác năm 2023 — Ẫ Ệ Ở"
#define HEADING "Chương 1 — Kết quả đạt được"
#define BODY "Ưu điểm: đoàn kết, sáng tạo; hạn chế: chưa đồng bộ."

static ap_pages_t *build_pages(fixture_t *f, const char *image);
static size_t count_dir(const char *dir);

// The private directory is TMPDIR too: any temporary file would show there.
static int
setup(void **state)
{
  return setup_fixture(state, "render", /*tmpdir*/ true, /*arena*/ true);
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
    assert_non_null(strstr(line, "Custom           yes yes yes")); // Our 1-2 byte CMap (fonts.c)
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
  assert_true(contains(data, size, "<01> <")); // ToUnicode: the first CIDs' codes are one byte
  assert_true(contains(data, size, "/CMapName /anpham-1-2")); // The encoding: codes of one byte, then two
  assert_true(contains(data, size, "<00> <7F>\n<8000> <FFFF>\nendcodespacerange"));
  assert_true(contains(data, size, "<00> <7F> 0\n<8000> <FFFF> 128\nendcidrange"));
  assert_true(contains(data, size, "/Subtype /CIDFontType2"));
  assert_true(contains(data, size, "/CIDToGIDMap "));
  assert_true(contains(data, size, "/FontFile2 "));
  assert_true(contains(data, size, "/Length1 "));
  assert_true(contains(data, size, "/F1 16 Tf\n"));
  assert_false(contains(data, size, "HPDFA"));
  assert_false(contains(data, size, "/Filter"));
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
  ap_page_t *page = add_page(a, pages, A4_WIDTH, A4_HEIGHT);
  ap_color_t black = {.r = 0, .g = 0, .b = 0};
  static char out[OUTPUT_MAX];
  static const char text[] = "x\u2011y\u4E2Dz \U0001F600 (a\\b)";

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

// Images are drawn from the set of checked images (a PNG made from our own
// first page); an image the set does not know is an internal error naming
// the file, and leaves no output: render never opens an image file.
static void
test_render_images(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  ap_images_t *set = ap_images_create();
  ap_render_options_t options = {.compress = true, .images = set};
  char png[160], unknown[160], line[512];
  static char out[OUTPUT_MAX];

  // A PNG made from our own first page...
  assert_true(ap_render_pdf(build_pages(f, NULL), f->pdf, NULL, &diags));
  snprintf(png, sizeof(png), "%s/page", f->dir);
  assert_int_equal(run(out, "pdftoppm -png -r 20 -f 1 -l 1 -singlefile '%s' '%s' 2>&1", f->pdf, png), 0);
  strcat(png, ".png");
  check_image(set, png);
  assert_true(ap_render_pdf(build_pages(f, png), f->pdf, &options, &diags));
  assert_int_equal(diags.errors, 0);
  assert_int_equal(run(out, "pdfimages -list '%s' 2>&1 | grep -c ' image '", f->pdf), 0);
  assert_string_equal(out, "1\n");

  // A file the set does not know, though it is there...
  snprintf(unknown, sizeof(unknown), "%s/unknown.png", f->dir);
  assert_int_equal(run(out, "cp '%s' '%s'", png, unknown), 0);
  assert_false(ap_render_pdf(build_pages(f, unknown), f->pdf, &options, &diags));
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, line, sizeof(line));
  printf("%s\n", line);
  assert_non_null(strstr(line, "internal error: image file '"));
  assert_non_null(strstr(line, unknown));
  assert_int_equal(access(f->pdf, F_OK), -1);
  assert_int_equal(count_dir(f->dir), 2); // Only page.png and unknown.png
  ap_diags_clear(&diags);
  ap_images_destroy(set);
  unlink(png);
  unlink(unknown);
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
  return cmocka_run_group_tests(tests, setup, teardown_fixture);
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

  for (int i = 0; i < 2; i++)
    add_page(a, pages, A4_WIDTH, A4_HEIGHT);
  pages->title = TITLE;
  pages->author = "Phòng Tổng hợp";
  pages->subject = "Tổng kết";
  pages->keywords = "báo cáo, 2023";
  pages->creator = "anpham test";

  // Page 1...
  ap_page_t *p1 = pages->first;
  add_line(a, p1, f->bold, 16, 72, 72, TITLE, black, false);
  ap_box_t *rule = add_box(a, p1, AP_BOX_RULE, (ap_rect_t){72, 100, 451, 0});
  rule->stroke = 0.5;
  rule->color = blue;
  ap_box_t *line = add_line(a, p1, f->regular, 11, 72, 110, SENTENCE, black, false);
  add_box(a, p1, AP_BOX_LINK, line->rect)->name = "chuong-1";
  if (image)
    add_box(a, p1, AP_BOX_IMAGE, (ap_rect_t){72, 200, 120, 170})->name = image;

  // Page 2...
  ap_page_t *p2 = pages->last;
  ap_box_t *dest = add_box(a, p2, AP_BOX_DEST, (ap_rect_t){72, 72, 0, 0});
  dest->name = "chuong-1";
  dest->title = HEADING;
  dest->level = 1;
  add_line(a, p2, f->bold, 14, 72, 72, HEADING, blue, false);
  add_line(a, p2, f->regular, 11, 72, 100, BODY, black, true);
  return pages;
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
