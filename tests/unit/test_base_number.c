// Unit tests for base/number.c: numbers read against their ranges (NaN,
// infinities, signs, overflow, units, whole numbers), the messages that name
// a range, and the counts against the layout's limits.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/geom.h"
#include "base/number.h"

// Parse text against range; it must be accepted with exactly expect.
#define ACCEPT(range, text, expect)                                                                \
  do {                                                                                             \
    double v_ = -12345.0;                                                                          \
    assert_true(ap_number_parse(&(range), (text), &v_));                                           \
    assert_true(fabs(v_ - (expect)) < 1e-9);                                                       \
  } while (0)

// Parse text against range; it must be refused and the value left alone.
#define REFUSE(range, text)                                                                        \
  do {                                                                                             \
    double v_ = -12345.0;                                                                          \
    assert_false(ap_number_parse(&(range), (text), &v_));                                          \
    assert_true(v_ == -12345.0);                                                                   \
  } while (0)

// Lengths: units, bounds in mm, the refused forms of strtod.
static void
test_length(void **state)
{
  (void)state;
  ACCEPT(AP_RANGE_LENGTH, "12pt", 12);
  ACCEPT(AP_RANGE_LENGTH, "12", 12);
  ACCEPT(AP_RANGE_LENGTH, "20mm", ap_mm(20));
  ACCEPT(AP_RANGE_LENGTH, "1.5cm", ap_mm(15));
  ACCEPT(AP_RANGE_LENGTH, "0mm", 0);
  ACCEPT(AP_RANGE_LENGTH, "5000mm", ap_mm(5000));
  ACCEPT(AP_RANGE_LENGTH, "500cm", ap_mm(5000));
  ACCEPT(AP_RANGE_LENGTH, ".5mm", ap_mm(0.5));
  ACCEPT(AP_RANGE_LENGTH, "1e1mm", ap_mm(10));
  REFUSE(AP_RANGE_LENGTH, "5001mm");
  REFUSE(AP_RANGE_LENGTH, "-1mm");
  REFUSE(AP_RANGE_LENGTH, "NaN");
  REFUSE(AP_RANGE_LENGTH, "nanmm");
  REFUSE(AP_RANGE_LENGTH, "inf");
  REFUSE(AP_RANGE_LENGTH, "-infinity");
  REFUSE(AP_RANGE_LENGTH, "0x10");
  REFUSE(AP_RANGE_LENGTH, "1e308mm");
  REFUSE(AP_RANGE_LENGTH, "1e999");
  REFUSE(AP_RANGE_LENGTH, "12px");
  REFUSE(AP_RANGE_LENGTH, "12 mm");
  REFUSE(AP_RANGE_LENGTH, "mm");
  REFUSE(AP_RANGE_LENGTH, "");
  REFUSE(AP_RANGE_LENGTH, ".");
  REFUSE(AP_RANGE_LENGTH, NULL);
}

// Ranges with an open minimum, negative ranges and font sizes.
static void
test_bounds(void **state)
{
  (void)state;
  REFUSE(AP_RANGE_EXTENT, "0mm");
  REFUSE(AP_RANGE_EXTENT, "-5mm");
  ACCEPT(AP_RANGE_EXTENT, "0.1mm", ap_mm(0.1));
  ACCEPT(AP_RANGE_INDENT, "-10mm", ap_mm(-10));
  REFUSE(AP_RANGE_INDENT, "-501mm");
  ACCEPT(AP_RANGE_FONT_SIZE, "1pt", 1);
  ACCEPT(AP_RANGE_FONT_SIZE, "1000", 1000);
  REFUSE(AP_RANGE_FONT_SIZE, "0pt");
  REFUSE(AP_RANGE_FONT_SIZE, "1001pt");
  REFUSE(AP_RANGE_FONT_SIZE, "NaN");
  ACCEPT(AP_RANGE_THICKNESS, "0.5pt", 0.5);
  REFUSE(AP_RANGE_THICKNESS, "101mm");
  REFUSE(AP_RANGE_LEADING, "0pt");
}

// Whole numbers: no fraction, no exponent, no overflow past the range.
static void
test_integer(void **state)
{
  (void)state;
  ACCEPT(AP_RANGE_DECIMALS, "0", 0);
  ACCEPT(AP_RANGE_DECIMALS, "10", 10);
  ACCEPT(AP_RANGE_DECIMALS, "+2", 2);
  REFUSE(AP_RANGE_DECIMALS, "11");
  REFUSE(AP_RANGE_DECIMALS, "-1");
  REFUSE(AP_RANGE_DECIMALS, "2147483647");
  REFUSE(AP_RANGE_DECIMALS, "99999999999999999999999");
  REFUSE(AP_RANGE_DECIMALS, "2.0");
  REFUSE(AP_RANGE_DECIMALS, "1e1");
  REFUSE(AP_RANGE_DECIMALS, "2pt");
  ACCEPT(AP_RANGE_LEVEL, "6", 6);
  REFUSE(AP_RANGE_LEVEL, "0");
  REFUSE(AP_RANGE_LEVEL, "7");
  ACCEPT(AP_RANGE_SPAN, "1000", 1000);
  REFUSE(AP_RANGE_SPAN, "99999999999");
}

// Numbers with a suffix (percentages, shares) and plain ones.
static void
test_suffix(void **state)
{
  (void)state;
  ACCEPT(AP_RANGE_PERCENT, "40%", 40);
  ACCEPT(AP_RANGE_PERCENT, "100%", 100);
  REFUSE(AP_RANGE_PERCENT, "40");
  REFUSE(AP_RANGE_PERCENT, "0%");
  REFUSE(AP_RANGE_PERCENT, "NaN%");
  REFUSE(AP_RANGE_PERCENT, "101%");
  ACCEPT(AP_RANGE_SHARE, "2fr", 2);
  REFUSE(AP_RANGE_SHARE, "0fr");
  REFUSE(AP_RANGE_SHARE, "nanfr");
  REFUSE(AP_RANGE_SHARE, "2");
  ACCEPT(AP_RANGE_VALUE, "-1e15", -1e15);
  REFUSE(AP_RANGE_VALUE, "1.1e15");
  REFUSE(AP_RANGE_VALUE, "12%");
}

// ap_number_in: NaN and infinities are never in any range.
static void
test_in(void **state)
{
  (void)state;
  assert_false(ap_number_in(&AP_RANGE_POSITION, NAN));
  assert_false(ap_number_in(&AP_RANGE_POSITION, INFINITY));
  assert_false(ap_number_in(&AP_RANGE_POSITION, -INFINITY));
  assert_true(ap_number_in(&AP_RANGE_POSITION, ap_mm(-5000)));
  assert_false(ap_number_in(&AP_RANGE_POSITION, ap_mm(-5001)));
  assert_true(ap_number_in(&AP_RANGE_FRACTION, -1000));
  assert_false(ap_number_in(&AP_RANGE_VALUE, 1e300));
}

// ap_number_scan: where the number ends, and what it refuses outright.
static void
test_scan(void **state)
{
  const char *end;
  double v;
  (void)state;
  assert_true(ap_number_scan("210x297mm", &v, &end));
  assert_true(v == 210 && !strcmp(end, "x297mm"));
  assert_true(ap_number_scan("-2.5e3mm", &v, &end));
  assert_true(v == -2500 && !strcmp(end, "mm"));
  assert_true(ap_number_scan("3em", &v, &end)); // "e" without digits is not an exponent
  assert_true(v == 3 && !strcmp(end, "em"));
  assert_false(ap_number_scan("nan", &v, &end));
  assert_false(ap_number_scan("inf", &v, &end));
  assert_false(ap_number_scan("-", &v, &end));
  assert_false(ap_number_scan(" 1", &v, &end));
}

// Messages: attribute, text as written and the range with its unit.
static void
test_messages(void **state)
{
  ap_diags_t diags = {0};
  ap_loc_t loc = {"layout.xml", 4, 37};
  double v = 7;
  char buf[256];
  (void)state;

  assert_false(ap_number_read(&diags, loc, "size", "NaN", &AP_RANGE_FONT_SIZE, &v));
  assert_true(v == 7);
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, buf, sizeof(buf));
  assert_string_equal(buf, "layout.xml:4:37: error: size=\"NaN\": expected a font size from 1pt to 1000pt "
                           "(such as 12pt, 20mm or 1.5cm)");
  ap_number_describe(&AP_RANGE_EXTENT, buf, sizeof(buf));
  assert_string_equal(buf, "a length greater than 0mm, at most 5000mm (such as 12pt, 20mm or 1.5cm)");
  ap_number_describe(&AP_RANGE_DECIMALS, buf, sizeof(buf));
  assert_string_equal(buf, "a number of decimals from 0 to 10 (a whole number)");
  ap_number_describe(&AP_RANGE_VALUE, buf, sizeof(buf));
  assert_string_equal(buf, "a number from -1e15 to 1e15");
  assert_true(ap_number_read(&diags, loc, "size", "14pt", &AP_RANGE_FONT_SIZE, &v));
  assert_true(v == 14);
  assert_int_equal(diags.errors, 1);
  ap_diags_clear(&diags);
}

// Counts stop exactly one past their limit, with the limit in the message.
static void
test_count(void **state)
{
  ap_diags_t diags = {0};
  ap_loc_t loc = {"layout.xml", 9, 5};
  int count = 0;
  char buf[256];
  (void)state;

  for (int i = 0; i < 1000; i++)
    assert_true(ap_number_count(&diags, loc, "columns in a table", &count, AP_MAX_TABLE_COLUMNS));
  assert_int_equal(count, 1000);
  assert_false(ap_number_count(&diags, loc, "columns in a table", &count, AP_MAX_TABLE_COLUMNS));
  assert_int_equal(count, 1000);
  ap_diag_format(diags.first, buf, sizeof(buf));
  assert_string_equal(buf, "layout.xml:9:5: error: more than 1000 columns in a table: the limit is 1000");
  ap_diags_clear(&diags);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_length),   cmocka_unit_test(test_bounds), cmocka_unit_test(test_integer),
      cmocka_unit_test(test_suffix),   cmocka_unit_test(test_in),     cmocka_unit_test(test_scan),
      cmocka_unit_test(test_messages), cmocka_unit_test(test_count),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
