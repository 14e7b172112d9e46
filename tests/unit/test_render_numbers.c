// Unit tests for the numbers of render/text.c: text placed at extreme
// positions is written with bounded, well-formed numbers (the writer clamps
// what layout should never give it), and ordinary positions stay exact.
#include "render-test.h"


// The private directory is TMPDIR too: any temporary file would show there.
static int
setup(void **state)
{
  return setup_fixture(state, "numbers", /*tmpdir*/ true, /*arena*/ true);
}

// Write one page with a line at x and return the uncompressed PDF (malloc'ed).
static unsigned char *
render_at(fixture_t *f, double x, size_t *size)
{
  ap_pages_t *pages = AP_NEW(f->arena, ap_pages_t);
  ap_render_options_t options = {/*compress*/ false};
  ap_diags_t diags = {0};
  ap_color_t black = {0};

  ap_page_t *page = add_page(f->arena, pages, A4_WIDTH, A4_HEIGHT);
  add_line(f->arena, page, f->regular, 12, x, 100, "Xin chào", black, /*underline*/ false);
  assert_true(ap_render_pdf(pages, f->pdf, &options, &diags));
  assert_int_equal(diags.errors, 0);
  ap_diags_clear(&diags);
  return load(f->pdf, size);
}

// An ordinary position is written exactly, in thousandths of a point.
static void
test_position_exact(void **state)
{
  fixture_t *f = *state;
  size_t size;
  unsigned char *data = render_at(f, 56.693, &size);

  assert_true(contains(data, size, "56.693 "));
  free(data);
}

// Positions past any page (1e300 points, both signs) come out clamped to
// a billion points, never as a garbled or overflowing number.
static void
test_position_clamped(void **state)
{
  fixture_t *f = *state;
  size_t size;
  unsigned char *data = render_at(f, -1e300, &size);

  assert_true(contains(data, size, "\n-1000000000 "));
  assert_false(contains(data, size, "-9223372036854775"));
  free(data);
  data = render_at(f, 1e300, &size);
  assert_true(contains(data, size, "\n1000000000 "));
  assert_false(contains(data, size, "9223372036854775"));
  free(data);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_position_exact),
      cmocka_unit_test(test_position_clamped),
  };
  return cmocka_run_group_tests(tests, setup, teardown_fixture);
}
