// Unit tests for render/ page by page: each page is built in its own
// memory, given to ap_render_page() and at once overwritten with garbage
// and freed, as layout does with a page's arena. The PDF must not notice:
// a link on page 1 to a destination on page 3, an image on two pages, text
// in two faces, a group drawing another page, the outline. Run under
// valgrind to prove nothing reads freed memory.
#include "render-test.h"

#define MARK AP_SOURCE_DIR "/tests/e2e/pages/mark.png"
#define TITLE "Báo cáo tổng kết năm 2023"
#define SENTENCE "Xem phần kết luận ở trang 3."
#define PAGE2 "Trang hai: hình thu nhỏ của trang chiếu"
#define SLIDE "Hậu Giang — quỹ đất"
#define HEADING "Kết luận"
#define BODY "Ưu điểm: đoàn kết, sáng tạo; hạn chế: chưa đồng bộ."
#define SUBHEADING "Kiến nghị"
#define GARBAGE 0xA5 // What a freed page's memory is overwritten with

typedef struct pool_s {
  void **ptrs;            // Allocations (malloc'ed)
  size_t *sizes;          // Their sizes
  size_t n, a;            // Used and allocated entries
} pool_t;

static ap_page_t *build_page(fixture_t *f, pool_t *pool, int number);
static ap_pages_t *build_info(pool_t *pool);
static char *object_text(const char *json, const char *ref);
static void expect_page_failed(fixture_t *f, ap_writer_t *w, ap_diags_t *diags, const ap_diag_t *d, int warnings);
static void page_object(const char *json, int number, char ref[32]);
static ap_box_t *pool_add_box(pool_t *pool, ap_page_t *page, ap_box_kind_t kind, ap_rect_t rect);
static void pool_add_line(pool_t *pool, ap_page_t *page, ap_font_t *font, double size, double x,
                          double top, const char *text);
static void *pool_alloc(pool_t *pool, size_t size);
static char *pool_strdup(pool_t *pool, const char *s);
static void pool_trash(pool_t *pool);
static void render_streamed(fixture_t *f, const char *path);
static void squeeze(char *text);

static ap_render_options_t options; // Compressed, drawing from the set that holds MARK

// No arena: every page lives in a pool of its own. The image is checked
// into the set render draws from, as the driver does.
static int
setup(void **state)
{
  options.compress = true;
  options.images = ap_images_create();
  check_image((ap_images_t *)options.images, MARK);
  return setup_fixture(state, "stream", /*tmpdir*/ false, /*arena*/ false);
}

// The fixture, then the set of images.
static int
teardown(void **state)
{
  ap_images_destroy((ap_images_t *)options.images);
  return teardown_fixture(state);
}

// Pages freed as soon as they are painted still make the whole PDF: text
// exact in both faces (the group's too), fonts embedded as subsets, the
// image once, the link on page 1 to page 3, the outline.
static void
test_stream_tools(void **state)
{
  fixture_t *f = *state;
  static char out[OUTPUT_MAX];
  char page1[32], page3[32], annot[32], dest[32], want[80], *p, *q;

  render_streamed(f, f->pdf);
  keep(f, "render-stream.pdf");

  // qpdf: sound; pdftotext: no warning, each page's text exactly...
  assert_int_equal(run(out, "qpdf --check '%s' 2>&1", f->pdf), 0);
  assert_int_equal(run(out, "pdftotext '%s' /dev/null 2>&1", f->pdf), 0);
  assert_string_equal(out, "");
  assert_int_equal(run(out, "pdftotext -enc UTF-8 -f 1 -l 1 '%s' - 2>&1", f->pdf), 0);
  assert_string_equal(out, TITLE "\n" SENTENCE "\n\n\f");
  assert_int_equal(run(out, "pdftotext -enc UTF-8 -f 2 -l 2 '%s' - 2>&1", f->pdf), 0);
  assert_string_equal(out, PAGE2 "\n\n" SLIDE "\n\n\f");
  assert_int_equal(run(out, "pdftotext -enc UTF-8 -f 3 -l 3 '%s' - 2>&1", f->pdf), 0);
  assert_string_equal(out, HEADING "\n" BODY "\n\n" SUBHEADING "\n\n\f");

  // pdffonts: both faces embedded as subsets with a ToUnicode map...
  assert_int_equal(run(out, "pdffonts '%s' 2>&1", f->pdf), 0);
  printf("pdffonts:\n%s", out);
  assert_int_equal(count(out, "CID TrueType"), 2);
  assert_int_equal(count(out, "Custom           yes yes yes"), 2); // Our 1-2 byte CMap (fonts.c)
  assert_int_equal(count(out, "+LiberationSerif"), 2);

  // pdfinfo: the title (freed after begin) and three pages; the image
  // drawn on pages 1 and 3, one object...
  assert_int_equal(run(out, "pdfinfo '%s' 2>&1", f->pdf), 0);
  assert_non_null(strstr(out, "Title:           " TITLE "\n"));
  assert_non_null(strstr(out, "Pages:           3\n"));
  assert_int_equal(run(out, "pdfimages -list '%s' 2>&1 | awk '$3 == \"image\" { print $1 }' | tr '\\n' ' '",
                       f->pdf), 0);
  assert_string_equal(out, "1 3 ");
  assert_int_equal(run(out, "pdfimages -list '%s' 2>&1 | awk '$3 == \"image\" { print $11 }' | sort -u | wc -l",
                       f->pdf), 0);
  assert_string_equal(out, "1\n");

  // The outline: two entries, both on page 3, the second nested...
  assert_int_equal(run(out, "qpdf --json --json-key=outlines '%s' 2>&1", f->pdf), 0);
  squeeze(out);
  printf("outlines: %s\n", out);
  assert_int_equal(count(out, "\"destpageposfrom1\": 3"), 2);
  assert_non_null(strstr(out, "\"title\": \"" HEADING "\""));
  assert_non_null(p = strstr(out, "\"kids\": [ { \"dest\""));
  assert_non_null(strstr(p, "\"title\": \"" SUBHEADING "\""));

  // The link: in page 1's /Annots, its /Dest names the object of page 3...
  assert_int_equal(run(out, "qpdf --json --json-key=pages '%s' 2>&1", f->pdf), 0);
  squeeze(out);
  page_object(out, 1, page1);
  page_object(out, 3, page3);
  printf("page 1 is %s, page 3 is %s\n", page1, page3);
  assert_int_equal(run(out, "qpdf --json --json-key=qpdf '%s' 2>&1", f->pdf), 0);
  squeeze(out);
  assert_int_equal(count(out, "\"/Subtype\": \"/Link\""), 2); // The destination link, the URI one
  assert_int_equal(count(out, "\"/URI\": \"u:https://example.org/\""), 1);
  assert_non_null(p = object_text(out, page1));
  assert_non_null(q = strstr(p, "\"/Annots\": [ \""));
  q += strlen("\"/Annots\": [ \"");
  snprintf(annot, sizeof(annot), "%.*s", (int)strcspn(q, "\""), q);
  free(p);
  assert_non_null(p = object_text(out, annot));
  printf("link %s: %s\n", annot, p);
  assert_non_null(strstr(p, "\"/Subtype\": \"/Link\""));
  assert_non_null(q = strstr(p, "\"/Dest\": \"")); // libharu: an indirect destination array
  q += strlen("\"/Dest\": \"");
  snprintf(dest, sizeof(dest), "%.*s", (int)strcspn(q, "\""), q);
  free(p);
  assert_non_null(p = object_text(out, dest));
  printf("destination %s: %s\n", dest, p);
  snprintf(want, sizeof(want), "\"value\": [ \"%s\", \"/XYZ\", null, 769.89", page3);
  assert_non_null(strstr(p, want));
  free(p);
}

// Page by page gives the same bytes every time, and the same bytes as the
// whole pages given at once to ap_render_pdf().
static void
test_stream_deterministic(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  pool_t pool = {0};
  char other[160], whole[160];
  size_t na, nb, nc;

  snprintf(other, sizeof(other), "%s/again.pdf", f->dir);
  snprintf(whole, sizeof(whole), "%s/whole.pdf", f->dir);
  render_streamed(f, f->pdf);
  render_streamed(f, other);

  // The same pages, all in memory...
  ap_pages_t *pages = build_info(&pool);
  for (int i = 1; i <= 3; i++)
    append_page(pages, build_page(f, &pool, i));
  assert_true(ap_render_pdf(pages, whole, &options, &diags));
  assert_int_equal(diags.errors, 0);
  pool_trash(&pool);

  unsigned char *a = load(f->pdf, &na), *b = load(other, &nb), *c = load(whole, &nc);
  printf("3 pages streamed: %zu bytes\n", na);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  assert_int_equal(na, nc);
  assert_memory_equal(a, c, na);
  free(a);
  free(b);
  free(c);
  unlink(other);
  unlink(whole);
}

// A writer given up writes nothing; one whose page failed cannot end.
static void
test_stream_abort(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  pool_t pool = {0};
  ap_writer_t *w;
  ap_page_t *page;
  char missing[160];

  // Aborted after a good page: no file...
  unlink(f->pdf);
  assert_non_null(w = ap_render_begin(NULL, f->pdf, &options, &diags));
  assert_true(ap_render_page(w, build_page(f, &pool, 1)));
  pool_trash(&pool);
  ap_render_abort(w);
  assert_int_equal(access(f->pdf, F_OK), -1);
  assert_int_equal(diags.errors, 0);

  // A page whose image the set does not know: one error, the end fails, no file...
  assert_non_null(w = ap_render_begin(NULL, f->pdf, &options, &diags));
  page = build_page(f, &pool, 3);
  snprintf(missing, sizeof(missing), "%s/nowhere.png", f->dir);
  pool_add_box(&pool, page, AP_BOX_IMAGE, (ap_rect_t){72, 400, 50, 50})->name = pool_strdup(&pool, missing);
  assert_false(ap_render_page(w, page));
  pool_trash(&pool);
  assert_false(ap_render_end(w));
  assert_int_equal(diags.errors, 1);
  assert_int_equal(access(f->pdf, F_OK), -1);
  ap_diags_clear(&diags);
}

// Pages painted on a second thread (render/pipeline.c) make the same bytes
// as pages painted at once, whether every page is handed over or some are
// painted at once between them (faces that could not be shared); each
// page's arena is freed by the pipeline once the page is painted.
static void
test_stream_pipeline(void **state)
{
  fixture_t *f = *state;
  // (The first page waits for the second, and goes to the thread with it;
  // one that may not be shared is painted at once, and so is a first page
  // held when the second may not be shared.)
  static const bool shares[][3] = {{true, true, true}, {true, false, true}, {false, true, true}, {true, true, false}};
  char piped[160];
  size_t na, nb;

  render_streamed(f, f->pdf);
  unsigned char *a = load(f->pdf, &na);
  snprintf(piped, sizeof(piped), "%s/piped.pdf", f->dir);
  for (size_t k = 0; k < sizeof(shares) / sizeof(shares[0]); k++) {
    ap_diags_t diags = {0};
    pool_t pools[3] = {{0}};
    ap_writer_t *w;
    ap_pipeline_t *pipe;

    pool_t info = {0};
    assert_non_null(w = ap_render_begin(build_info(&info), piped, &options, &diags));
    pool_trash(&info);
    assert_non_null(pipe = ap_pipeline_create(w));
    for (int i = 1; i <= 3; i++) {
      assert_true(ap_pipeline_page(pipe, build_page(f, &pools[i - 1], i), shares[k][i - 1]));
      ap_pipeline_retire(pipe, ap_arena_create());
    }
    assert_true(ap_pipeline_end(pipe));
    for (int i = 0; i < 3; i++)
      pool_trash(&pools[i]);
    assert_true(ap_render_end(w));
    assert_null(diags.first);
    unsigned char *b = load(piped, &nb);
    printf("pipeline %zu: %zu bytes, at once: %zu\n", k, nb, na);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(b);
  }
  free(a);
  unlink(piped);
}

// A one-page document through the pipeline: its page, held for a second
// that never comes, is painted at the end, here; no thread is started, and
// the bytes are those of painting it at once.
static void
test_stream_pipeline_one_page(void **state)
{
  fixture_t *f = *state;
  char once[160], piped[160];
  size_t na, nb;

  snprintf(once, sizeof(once), "%s/once.pdf", f->dir);
  snprintf(piped, sizeof(piped), "%s/piped1.pdf", f->dir);
  for (int k = 0; k < 2; k++) {
    ap_diags_t diags = {0};
    pool_t pool = {0}, info = {0};
    ap_writer_t *w;
    assert_non_null(w = ap_render_begin(build_info(&info), k ? piped : once, &options, &diags));
    pool_trash(&info);
    if (k) {
      ap_pipeline_t *pipe;
      assert_non_null(pipe = ap_pipeline_create(w));
      assert_true(ap_pipeline_page(pipe, build_page(f, &pool, 1), true));
      ap_pipeline_retire(pipe, ap_arena_create());
      assert_true(ap_pipeline_end(pipe));
    } else {
      assert_true(ap_render_page(w, build_page(f, &pool, 1)));
    }
    pool_trash(&pool);
    assert_true(ap_render_end(w));
    assert_int_equal(diags.errors, 0); // (its link to page 3 is left out, with a warning)
    ap_diags_clear(&diags);
  }
  unsigned char *a = load(once, &na), *b = load(piped, &nb);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  free(a);
  free(b);
  unlink(once);
  unlink(piped);
}

// The first page fails, held: on the thread with the second, at once
// before a second that may not be shared, or at the end of a one-page
// document. Each time the messages are those of a run that painted it at
// once: what was laid out after it is taken back, its error follows.
static void
test_stream_pipeline_held_failure(void **state)
{
  fixture_t *f = *state;
  static const struct {
    int pages;    // Pages given
    bool share2;  // The second may be shared
  } cases[] = {{2, true}, {2, false}, {1, true}};
  char missing[160];

  snprintf(missing, sizeof(missing), "%s/nowhere.png", f->dir);
  for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
    ap_diags_t diags = {0};
    pool_t pools[2] = {{0}};
    ap_writer_t *w;
    ap_pipeline_t *pipe;

    unlink(f->pdf);
    assert_non_null(w = ap_render_begin(NULL, f->pdf, &options, &diags));
    assert_non_null(pipe = ap_pipeline_create(w));
    for (int i = 1; i <= cases[k].pages; i++) {
      ap_page_t *page = build_page(f, &pools[i - 1], i);
      if (i == 1)
        pool_add_box(&pools[0], page, AP_BOX_IMAGE, (ap_rect_t){72, 400, 50, 50})->name =
            pool_strdup(&pools[0], missing);
      ap_warn(&diags, ap_loc_file("layout.xml"), "page %d laid out", i);
      bool ok = ap_pipeline_page(pipe, page, i == 1 || cases[k].share2);
      if (i == 1)
        assert_true(ok); // (held)
      if (i == 2 && !cases[k].share2)
        assert_false(ok); // (the held page painted at once, and failed)
      ap_pipeline_retire(pipe, ap_arena_create());
    }
    assert_false(ap_pipeline_end(pipe));
    for (int i = 0; i < 2; i++)
      pool_trash(&pools[i]);
    const ap_diag_t *d = diags.first;
    assert_non_null(d);
    assert_string_equal(d->message, "page 1 laid out");
    expect_page_failed(f, w, &diags, d->next, 1);
  }
}

// A page that fails on the thread: the messages are those of a run on one
// thread, which would have stopped there (what the main thread recorded
// after handing it over is taken back, the page's error follows); the end
// fails and writes nothing.
static void
test_stream_pipeline_failure(void **state)
{
  fixture_t *f = *state;
  ap_diags_t diags = {0};
  pool_t pools[5] = {{0}};
  ap_writer_t *w;
  ap_pipeline_t *pipe;
  char missing[160];

  unlink(f->pdf);
  snprintf(missing, sizeof(missing), "%s/nowhere.png", f->dir);
  assert_non_null(w = ap_render_begin(NULL, f->pdf, &options, &diags));
  assert_non_null(pipe = ap_pipeline_create(w));
  for (int i = 1; i <= 5; i++) {
    ap_page_t *page = build_page(f, &pools[i - 1], i <= 3 ? i : 1);
    if (i == 3) // (an image the set does not know)
      pool_add_box(&pools[i - 1], page, AP_BOX_IMAGE, (ap_rect_t){72, 400, 50, 50})->name =
          pool_strdup(&pools[i - 1], missing);
    ap_warn(&diags, ap_loc_file("layout.xml"), "page %d laid out", i);
    bool ok = ap_pipeline_page(pipe, page, true);
    if (i < 3)
      assert_true(ok);
    ap_pipeline_retire(pipe, ap_arena_create());
  }
  assert_false(ap_pipeline_end(pipe));
  for (int i = 0; i < 5; i++)
    pool_trash(&pools[i]);
  const ap_diag_t *d = diags.first;
  for (int i = 1; i <= 3; i++, d = d->next) {
    char want[32];
    snprintf(want, sizeof(want), "page %d laid out", i);
    assert_non_null(d);
    assert_string_equal(d->message, want);
  }
  expect_page_failed(f, w, &diags, d, 3);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_stream_tools),
    cmocka_unit_test(test_stream_deterministic),
    cmocka_unit_test(test_stream_abort),
    cmocka_unit_test(test_stream_pipeline),
    cmocka_unit_test(test_stream_pipeline_failure),
    cmocka_unit_test(test_stream_pipeline_one_page),
    cmocka_unit_test(test_stream_pipeline_held_failure),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

// The end of a run whose page failed on its missing image: d is that
// error, the last message, after warnings; the end fails and writes nothing.
static void
expect_page_failed(fixture_t *f, ap_writer_t *w, ap_diags_t *diags, const ap_diag_t *d, int warnings)
{
  assert_non_null(d);
  assert_int_equal(d->severity, AP_SEV_ERROR);
  assert_non_null(strstr(d->message, "nowhere.png"));
  assert_null(d->next);
  assert_int_equal(diags->errors, 1);
  assert_int_equal(diags->warnings, warnings);
  assert_false(ap_render_end(w));
  assert_int_equal(access(f->pdf, F_OK), -1);
  ap_diags_clear(diags);
}

// The document information, in the pool.
static ap_pages_t *
build_info(pool_t *pool)
{
  ap_pages_t *info = pool_alloc(pool, sizeof(*info));

  info->title = pool_strdup(pool, TITLE);
  info->author = pool_strdup(pool, "Phòng Tổng hợp");
  info->creator = pool_strdup(pool, "anpham test");
  return info;
}

// One A4 page, every byte of it (boxes, runs, strings, the slide its group
// draws) in the pool. 1: title, a line linked to page 3's destination, the
// image; 2: a line, a URI link, a group drawing a slide (a filled rect and
// bold text) at 40 %; 3: destinations with outline entries at two levels,
// text in both faces, the same image again.
static ap_page_t *
build_page(fixture_t *f, pool_t *pool, int number)
{
  ap_page_t *page = pool_alloc(pool, sizeof(*page));
  ap_box_t *box;

  page->number = number;
  page->width = A4_WIDTH;
  page->height = A4_HEIGHT;
  switch (number) {
  case 1:
    pool_add_line(pool, page, f->bold, 16, 72, 72, TITLE);
    pool_add_line(pool, page, f->regular, 11, 72, 110, SENTENCE);
    pool_add_box(pool, page, AP_BOX_LINK, (ap_rect_t){72, 110, 200, 14})->name = pool_strdup(pool, "ket-luan");
    pool_add_box(pool, page, AP_BOX_IMAGE, (ap_rect_t){72, 200, 64, 64})->name = pool_strdup(pool, MARK);
    break;
  case 2: {
    ap_page_t *slide = pool_alloc(pool, sizeof(*slide));
    slide->number = 99;
    slide->width = 720;
    slide->height = 540;
    box = pool_add_box(pool, slide, AP_BOX_RECT, (ap_rect_t){36, 36, 648, 120});
    box->fill = true;
    box->color = (ap_color_t){.r = 0.85, .g = 0.9, .b = 1};
    pool_add_line(pool, slide, f->bold, 40, 60, 60, SLIDE);
    pool_add_line(pool, page, f->regular, 11, 72, 72, PAGE2);
    pool_add_box(pool, page, AP_BOX_LINK, (ap_rect_t){72, 72, 100, 14})->name =
        pool_strdup(pool, "https://example.org/");
    pool_add_box(pool, page, AP_BOX_GROUP, (ap_rect_t){72, 150, 288, 216})->source = slide;
    break;
  }
  case 3:
    box = pool_add_box(pool, page, AP_BOX_DEST, (ap_rect_t){72, 72, 0, 0});
    box->name = pool_strdup(pool, "ket-luan");
    box->title = pool_strdup(pool, HEADING);
    box->level = 1;
    pool_add_line(pool, page, f->bold, 14, 72, 72, HEADING);
    pool_add_line(pool, page, f->regular, 11, 72, 100, BODY);
    box = pool_add_box(pool, page, AP_BOX_DEST, (ap_rect_t){72, 130, 0, 0});
    box->name = pool_strdup(pool, "kien-nghi");
    box->title = pool_strdup(pool, SUBHEADING);
    box->level = 2;
    pool_add_line(pool, page, f->bold, 12, 72, 130, SUBHEADING);
    pool_add_box(pool, page, AP_BOX_IMAGE, (ap_rect_t){300, 200, 32, 32})->name = pool_strdup(pool, MARK);
    break;
  }
  return page;
}

// The value of an object in qpdf's squeezed JSON (malloc'ed), or NULL.
static char *
object_text(const char *json, const char *ref)
{
  char key[48];
  const char *start, *end;

  snprintf(key, sizeof(key), "\"obj:%s\": {", ref);
  if (!(start = strstr(json, key)))
    return NULL;
  start += strlen(key);
  if (!(end = strstr(start, "\"obj:")) && !(end = strstr(start, "\"trailer\"")))
    end = start + strlen(start);
  return strndup(start, (size_t)(end - start));
}

// The object of a page ("4 0 R") from qpdf's squeezed JSON of the pages
// (each page's own "object" follows its "label").
static void
page_object(const char *json, int number, char ref[32])
{
  const char *p = json;

  for (int i = 0; i < number; i++) {
    assert_non_null(p = strstr(p, "\"label\": null, \"object\": \""));
    p += strlen("\"label\": null, \"object\": \"");
  }
  snprintf(ref, 32, "%.*s", (int)strcspn(p, "\""), p);
}

// Append a box of a kind to a page, in the pool.
static ap_box_t *
pool_add_box(pool_t *pool, ap_page_t *page, ap_box_kind_t kind, ap_rect_t rect)
{
  ap_box_t *box = pool_alloc(pool, sizeof(*box));

  box->kind = kind;
  box->role = pool_strdup(pool, "body");
  box->rect = rect;
  if (page->last)
    page->last->next = box;
  else
    page->boxes = box;
  page->last = box;
  return box;
}

// A line box whose words are runs one space apart, top of the line at top,
// in the pool.
static void
pool_add_line(pool_t *pool, ap_page_t *page, ap_font_t *font, double size, double x, double top,
              const char *text)
{
  ap_font_metrics_t m = ap_font_get_metrics(font, size);
  ap_box_t *box = pool_add_box(pool, page, AP_BOX_LINE, (ap_rect_t){x, top, 400, m.ascender - m.descender});
  ap_run_t **tail = &box->runs;
  double space = ap_font_measure(font, " ", 1, size), pen = x;

  for (const char *p = text; *p;) {
    size_t len = strcspn(p, " ");
    ap_run_t *r = pool_alloc(pool, sizeof(*r));
    char *word = pool_alloc(pool, len + 1);
    memcpy(word, p, len);
    r->x = pen;
    r->baseline = top + m.ascender;
    r->width = ap_font_measure(font, p, len, size);
    r->font = font;
    r->size = size;
    r->text = word;
    *tail = r;
    tail = &r->next;
    pen += r->width + space;
    p += len;
    while (*p == ' ')
      p++;
  }
}

// Zeroed memory, noted in the pool.
static void *
pool_alloc(pool_t *pool, size_t size)
{
  void *p = calloc(1, size);

  assert_non_null(p);
  if (pool->n == pool->a) {
    pool->a = pool->a ? pool->a * 2 : 64;
    assert_non_null(pool->ptrs = realloc(pool->ptrs, pool->a * sizeof(*pool->ptrs)));
    assert_non_null(pool->sizes = realloc(pool->sizes, pool->a * sizeof(*pool->sizes)));
  }
  pool->ptrs[pool->n] = p;
  pool->sizes[pool->n++] = size;
  return p;
}

// A copy of a string, in the pool.
static char *
pool_strdup(pool_t *pool, const char *s)
{
  return memcpy(pool_alloc(pool, strlen(s) + 1), s, strlen(s) + 1);
}

// Overwrite everything in the pool with garbage, then free it: whatever
// still pointed there reads nonsense (or, under valgrind, freed memory).
static void
pool_trash(pool_t *pool)
{
  for (size_t i = 0; i < pool->n; i++) {
    memset(pool->ptrs[i], GARBAGE, pool->sizes[i]);
    free(pool->ptrs[i]);
  }
  free(pool->ptrs);
  free(pool->sizes);
  memset(pool, 0, sizeof(*pool));
}

// Write the three pages to path one at a time, each page's memory (and the
// information's, and the path's) trashed as soon as it has been given.
static void
render_streamed(fixture_t *f, const char *path)
{
  ap_diags_t diags = {0};
  pool_t pool = {0};
  ap_writer_t *w;

  assert_non_null(w = ap_render_begin(build_info(&pool), pool_strdup(&pool, path), &options, &diags));
  pool_trash(&pool);
  for (int i = 1; i <= 3; i++) {
    assert_true(ap_render_page(w, build_page(f, &pool, i)));
    pool_trash(&pool);
  }
  assert_true(ap_render_end(w));
  assert_int_equal(diags.errors, 0);
  assert_null(diags.first);
}

// Make every run of white space one space (qpdf's JSON, on one line).
static void
squeeze(char *text)
{
  char *out = text;
  bool space = false;

  for (const char *p = text; *p; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      space = true;
      continue;
    }
    if (space && out != text)
      *out++ = ' ';
    space = false;
    *out++ = *p;
  }
  *out = '\0';
}
