// Helpers shared by the render/ unit tests (test_render_*.c): the fixture,
// the real tools run through a shell, files read back, pages built by hand.
// Header-only: each test is its own executable; unused helpers cost nothing.
#ifndef AP_RENDER_TEST_H
#define AP_RENDER_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "font/font.h"
#include "render/render.h"

#define SERIF AP_SOURCE_DIR "/fonts/LiberationSerif-Regular.ttf"
#define SERIF_BOLD AP_SOURCE_DIR "/fonts/LiberationSerif-Bold.ttf"
#define A4_WIDTH 595.28  // Points
#define A4_HEIGHT 841.89 // Points
#define OUTPUT_MAX 65536 // Bytes of tool output kept

typedef struct fixture_s {
  char dir[64];           // Private temporary directory (removed by teardown_fixture())
  char pdf[128];          // Output path, in dir
  ap_fontset_t *set;      // Faces (outlive every writer, as in a job)
  ap_font_t *regular;     // Liberation Serif
  ap_font_t *bold;        // Liberation Serif Bold
  ap_arena_t *arena;      // Pages, or NULL when the test keeps them elsewhere
} fixture_t;

static inline ap_box_t *add_box(ap_arena_t *arena, ap_page_t *page, ap_box_kind_t kind, ap_rect_t rect);
static inline ap_box_t *add_line(ap_arena_t *arena, ap_page_t *page, ap_font_t *font, double size,
                                 double x, double top, const char *text, ap_color_t color,
                                 bool underline);
static inline ap_page_t *add_page(ap_arena_t *arena, ap_pages_t *pages, double width, double height);
static inline void append_page(ap_pages_t *pages, ap_page_t *page);
static inline const ap_image_t *check_image(ap_images_t *set, const char *path);
static inline bool contains(const unsigned char *data, size_t size, const char *needle);
static inline size_t count(const char *text, const char *needle);
static inline void keep(const fixture_t *f, const char *name);
static inline unsigned char *load(const char *path, size_t *size);
static inline int run(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int setup_fixture(void **state, const char *name, bool tmpdir, bool arena);
static inline int teardown_fixture(void **state);

//
// 'add_box()' - Append a box of a kind at rect to a page, in the arena.
//

static inline ap_box_t *                // O - The box, zeroed but for kind, role and rect
add_box(ap_arena_t *arena,              // I - Memory of the pages
        ap_page_t  *page,               // I - Page to append to
        ap_box_kind_t kind,             // I - Kind of box
        ap_rect_t  rect)                // I - Where, in points from the top left
{
  ap_box_t *box = AP_NEW(arena, ap_box_t);

  box->kind = kind;
  box->role = "body";
  box->rect = rect;
  if (page->last)
    page->last->next = box;
  else
    page->boxes = box;
  page->last = box;
  return box;
}

//
// 'add_line()' - Append a line box whose words are runs one space apart.
//

static inline ap_box_t *                // O - The line box
add_line(ap_arena_t *arena,             // I - Memory of the pages
         ap_page_t  *page,              // I - Page to append to
         ap_font_t  *font,              // I - Face of every run
         double     size,               // I - Font size in points
         double     x,                  // I - Left edge of the first word
         double     top,                // I - Top of the line
         const char *text,              // I - Words, space-separated
         ap_color_t color,              // I - Colour of every run
         bool       underline)          // I - Underline every run
{
  ap_font_metrics_t m = ap_font_get_metrics(font, size);
  ap_box_t *box = add_box(arena, page, AP_BOX_LINE, (ap_rect_t){x, top, 400, m.ascender - m.descender});
  ap_run_t **tail = &box->runs;
  double space = ap_font_measure(font, " ", 1, size), pen = x;

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
  return box;
}

//
// 'add_page()' - A new empty page of a size, in the arena.
//
// With pages, the page is appended and numbered after the last one; without,
// it is page 1 of no list (a slide or a page drawn by a group).
//

static inline ap_page_t *               // O - The page
add_page(ap_arena_t *arena,             // I - Memory of the pages
         ap_pages_t *pages,             // I - List to append to, or NULL
         double     width,              // I - Width in points
         double     height)             // I - Height in points
{
  ap_page_t *page = AP_NEW(arena, ap_page_t);

  page->number = 1;
  page->width = width;
  page->height = height;
  if (pages) {
    page->number = pages->count + 1;
    append_page(pages, page);
  }
  return page;
}

//
// 'append_page()' - Append a page, wherever it lives, to a page list.
//

static inline void
append_page(ap_pages_t *pages,          // I - List of pages
            ap_page_t  *page)           // I - Page, numbered already
{
  if (pages->last)
    pages->last->next = page;
  else
    pages->first = page;
  pages->last = page;
  pages->count++;
}

//
// 'check_image()' - Read an image file into a set, as the driver does before render.
//

static inline const ap_image_t *        // O - The checked image
check_image(ap_images_t *set,           // I - Set that render will draw from
            const char  *path)          // I - PNG or JPEG file
{
  ap_diags_t diags = {0};
  size_t size;
  unsigned char *data = load(path, &size);
  const ap_image_t *image = ap_images_add(set, path, data, size, NULL, &diags, ap_loc_file(path));

  assert_non_null(image);
  assert_int_equal(diags.errors, 0);
  return image;
}

//
// 'contains()' - True when needle occurs in the bytes.
//

static inline bool
contains(const unsigned char *data, size_t size, const char *needle)
{
  size_t n = strlen(needle);

  for (size_t i = 0; i + n <= size; i++)
    if (!memcmp(data + i, needle, n))
      return true;
  return false;
}

//
// 'count()' - Occurrences of needle in text (not overlapping).
//

static inline size_t
count(const char *text, const char *needle)
{
  size_t n = 0;

  for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

//
// 'keep()' - Copy the output to $AP_KEEP_DIR/name when set, to look at it.
//

static inline void
keep(const fixture_t *f, const char *name)
{
  const char *dir = getenv("AP_KEEP_DIR");
  static char out[OUTPUT_MAX];

  if (dir && *dir)
    assert_int_equal(run(out, "cp '%s' '%s/%s'", f->pdf, dir, name), 0);
}

//
// 'load()' - A whole file, malloc'ed.
//

static inline unsigned char *           // O - The bytes (the caller frees them)
load(const char *path,                  // I - File to read
     size_t     *size)                  // O - Its size in bytes
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

//
// 'run()' - Run a shell command, keep its output and return its exit status.
//

static inline int                       // O - Exit status, -1 when killed
run(char       *out,                    // O - Output, NUL-terminated (OUTPUT_MAX bytes)
    const char *fmt,                    // I - printf format of the command
    ...)                                // I - Its arguments
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

//
// 'setup_fixture()' - Make the private directory and load both faces.
//
// For a cmocka group setup: /tmp/anpham-test-<name>-XXXXXX holds out.pdf;
// tmpdir makes it TMPDIR too (so any temporary file shows there), arena
// gives the pages an arena.
//

static inline int                       // O - 0 (cmocka's success)
setup_fixture(void       **state,       // O - The fixture_t
              const char *name,         // I - Test name, part of the directory's
              bool       tmpdir,        // I - Make the directory TMPDIR
              bool       arena)         // I - Create f->arena
{
  fixture_t *f = calloc(1, sizeof(*f));
  ap_diags_t diags = {0};

  if (!f)
    abort();
  snprintf(f->dir, sizeof(f->dir), "/tmp/anpham-test-%s-XXXXXX", name);
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->pdf, sizeof(f->pdf), "%s/out.pdf", f->dir);
  if (tmpdir)
    setenv("TMPDIR", f->dir, 1);
  f->set = ap_fontset_create();
  f->regular = ap_fontset_load(f->set, SERIF, &diags, ap_loc_file("test"));
  f->bold = ap_fontset_load(f->set, SERIF_BOLD, &diags, ap_loc_file("test"));
  assert_non_null(f->regular);
  assert_non_null(f->bold);
  if (arena)
    f->arena = ap_arena_create();
  *state = f;
  return 0;
}

//
// 'teardown_fixture()' - Remove the directory and free the fixture.
//

static inline int                       // O - 0 (cmocka's success)
teardown_fixture(void **state)          // I - The fixture_t
{
  fixture_t *f = *state;
  char cmd[160];

  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
  assert_int_equal(system(cmd), 0);
  if (f->arena)
    ap_arena_destroy(f->arena);
  ap_fontset_destroy(f->set);
  free(f);
  return 0;
}

#endif
