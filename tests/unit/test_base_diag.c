// Unit tests for base/diag.c: a warning given twice at one place is kept
// once, a hint follows its message in the one-line form (and is not given
// to the diagnostic before a dropped warning), --strict's promotion, a
// form's deviations (check --form: errors marked as stopping nothing).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/diag.h"

// The same warning at the same place is recorded once; at another place, again.
static void
test_warning_once(void **state)
{
  (void)state;
  ap_diags_t diags = {0};
  ap_loc_t a = {"layout.xml", 3, 5}, b = {"layout.xml", 4, 5};

  ap_warn(&diags, a, "style '%s' is never used", "dead");
  ap_warn(&diags, a, "style '%s' is never used", "dead");
  assert_int_equal(diags.warnings, 1);
  ap_warn(&diags, b, "style '%s' is never used", "dead");
  ap_warn(&diags, a, "style '%s' is never used", "other");
  assert_int_equal(diags.warnings, 3);
  ap_fail(&diags, a, "an error");
  ap_fail(&diags, a, "an error"); // (errors are never merged)
  assert_int_equal(diags.errors, 2);
  ap_diags_clear(&diags);
  assert_int_equal(diags.warnings, 0);
  assert_null(diags.first);
}

// A hint after its message; a dropped warning's hint goes nowhere.
static void
test_hint(void **state)
{
  (void)state;
  ap_diags_t diags = {0};
  ap_loc_t a = {"layout.xml", 3, 5};
  char line[256];

  ap_warn(&diags, a, "never used");
  ap_diag_hint(&diags, "remove %s", "it");
  ap_diag_format(diags.first, line, sizeof(line));
  assert_string_equal(line, "layout.xml:3:5: warning: never used: remove it");
  ap_warn(&diags, a, "never used"); // Dropped: the hint below is not the first's
  ap_diag_hint(&diags, "something else");
  assert_string_equal(diags.first->hint, "remove it");
  assert_null(diags.first->next);
  ap_fail(&diags, ap_loc_file("data.xml"), "no hint");
  ap_diag_format(diags.last, line, sizeof(line));
  assert_string_equal(line, "data.xml: error: no hint");
  ap_diags_clear(&diags);
}

// --strict: every warning an error, marked promoted; errors stay as they are.
static void
test_promote(void **state)
{
  (void)state;
  ap_diags_t diags = {0};
  ap_loc_t a = {"layout.xml", 3, 5}, b = {"layout.xml", 9, 1};
  char line[256];

  ap_warn(&diags, a, "first");
  ap_warn(&diags, b, "second");
  assert_int_equal(ap_diags_promote(&diags), 2);
  assert_int_equal(diags.errors, 2);
  assert_int_equal(diags.warnings, 0);
  assert_true(diags.first->promoted && diags.last->promoted);
  ap_diag_format(diags.last, line, sizeof(line));
  assert_string_equal(line, "layout.xml:9:1: error: second");
  assert_int_equal(ap_diags_promote(&diags), 0);
  ap_diags_clear(&diags);
}

// check --form: a deviation is an error, marked; two alike at one place are both kept.
static void
test_deviate(void **state)
{
  (void)state;
  ap_diags_t diags = {0};
  ap_loc_t a = {"layout.xml", 12, 3};
  char line[256];

  ap_deviate(&diags, a, "form hd36: type of document (form-type) is %d pt; HD 36 wants 15–16 pt", 20);
  ap_deviate(&diags, a, "form hd36: type of document (form-type) is %d pt; HD 36 wants 15–16 pt", 20);
  ap_fail(&diags, a, "a real error");
  assert_int_equal(diags.errors, 3);
  assert_true(diags.first->deviation);
  assert_true(diags.first->next->deviation);
  assert_false(diags.last->deviation);
  assert_false(diags.first->promoted);
  ap_diag_format(diags.first, line, sizeof(line));
  assert_string_equal(line, "layout.xml:12:3: error: form hd36: type of document (form-type) is 20 pt; HD 36 wants 15–16 pt");
  ap_diags_clear(&diags);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_warning_once),
      cmocka_unit_test(test_hint),
      cmocka_unit_test(test_promote),
      cmocka_unit_test(test_deviate),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
