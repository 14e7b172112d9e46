// Unit tests for base/vnformat.c: Vietnamese numbers, percentages, dates and
// number parsing, including a run under a non-C locale.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/vnformat.h"

// Format value with decimals and compare with expect.
#define CHECK_NUMBER(value, decimals, expect)                                                      \
  do {                                                                                             \
    char buf_[128];                                                                                \
    assert_true(ap_format_number(buf_, sizeof(buf_), (value), (decimals)));                        \
    assert_string_equal(buf_, (expect));                                                           \
  } while (0)

// Parse text and compare with expect (exact double equality).
#define CHECK_PARSE(text, expect)                                                                  \
  do {                                                                                             \
    double v_ = -12345.0;                                                                          \
    assert_true(ap_parse_number((text), &v_));                                                     \
    assert_true(v_ == (expect));                                                                   \
  } while (0)

// Every formatting case whose output must not depend on the locale.
static const struct {
  double value;       // Input
  int decimals;       // Decimals
  const char *expect; // Output
} number_cases[] = {
    {7520, 0, "7.520"},
    {93.78, 2, "93,78"},
    {80.33, 2, "80,33"},
    {106.44, 2, "106,44"},
    {1234567.891, 2, "1.234.567,89"},
    {-1234.5, 1, "-1.234,5"},
    {0, 0, "0"},
    {0.5, -1, "0,5"},
    {1234567.25, -1, "1.234.567,25"},
};

static void
test_number_basic(void **state)
{
  for (size_t i = 0; i < sizeof(number_cases) / sizeof(number_cases[0]); i++)
    CHECK_NUMBER(number_cases[i].value, number_cases[i].decimals, number_cases[i].expect);
  CHECK_NUMBER(0, 2, "0,00");
  CHECK_NUMBER(7, 3, "7,000");
  CHECK_NUMBER(999, 0, "999");
  CHECK_NUMBER(1000, 0, "1.000");
  CHECK_NUMBER(100000, 0, "100.000");
  CHECK_NUMBER(1000000, 0, "1.000.000");
  CHECK_NUMBER(0.05, 2, "0,05");
  CHECK_NUMBER(1e20, 0, "100.000.000.000.000.000.000");
  CHECK_NUMBER(9007199254740992.0, 0, "9.007.199.254.740.992");
}

static void
test_number_negative(void **state)
{
  CHECK_NUMBER(-3, 0, "-3");
  CHECK_NUMBER(-7520, 0, "-7.520");
  CHECK_NUMBER(-93.78, 2, "-93,78");
  CHECK_NUMBER(-0.5, 0, "-1");    // Half away from zero
  CHECK_NUMBER(-0.001, 2, "0,00"); // Rounds to zero: no sign
  CHECK_NUMBER(-0.0, 0, "0");
}

static void
test_number_rounding(void **state)
{
  CHECK_NUMBER(0.5, 0, "1");
  CHECK_NUMBER(1.5, 0, "2");
  CHECK_NUMBER(2.5, 0, "3"); // Not banker's rounding
  CHECK_NUMBER(0.125, 2, "0,13");
  CHECK_NUMBER(0.285, 2, "0,29");   // Binary value is 0.28499999...
  CHECK_NUMBER(1.005, 2, "1,01");   // Binary value is 1.00499999...
  CHECK_NUMBER(2.675, 2, "2,68");   // Binary value is 2.67499999...
  CHECK_NUMBER(-2.675, 2, "-2,68");
  CHECK_NUMBER(0.124, 2, "0,12");
  CHECK_NUMBER(9.995, 2, "10,00");  // Carry into a new digit
  CHECK_NUMBER(999999.5, 0, "1.000.000");
  CHECK_NUMBER(0.004, 2, "0,00");
  CHECK_NUMBER(0.005, 2, "0,01");
  CHECK_NUMBER(1e-300, 2, "0,00");
  CHECK_NUMBER(12.3456, 0, "12");
}

static void
test_number_auto_decimals(void **state)
{
  CHECK_NUMBER(7520, -1, "7.520");
  CHECK_NUMBER(93.78, -1, "93,78");
  CHECK_NUMBER(0.1 + 0.2, -1, "0,3");
  CHECK_NUMBER(1.0 / 3.0, -1, "0,333333");
  CHECK_NUMBER(2.0 / 3.0, -1, "0,666667");
  CHECK_NUMBER(1.23456789, -5, "1,234568");
  CHECK_NUMBER(0.0000004, -1, "0");
  CHECK_NUMBER(0.0000005, -1, "0,000001");
  CHECK_NUMBER(-12.5, -1, "-12,5");
  CHECK_NUMBER(-0.0000001, -1, "0");
}

static void
test_number_small_buffer(void **state)
{
  char buf[16];

  // "1.234.567,89" needs 13 bytes with its NUL...
  assert_true(ap_format_number(buf, 13, 1234567.891, 2));
  assert_string_equal(buf, "1.234.567,89");
  assert_false(ap_format_number(buf, 12, 1234567.891, 2));
  assert_string_equal(buf, "");
  assert_false(ap_format_number(buf, 1, 7, 0));
  assert_false(ap_format_number(buf, 0, 7, 0));
  assert_false(ap_format_number(NULL, 16, 7, 0));
  assert_true(ap_format_number(buf, 2, 7, 0));
  assert_string_equal(buf, "7");
  assert_false(ap_format_number(buf, sizeof(buf), 1, 1000000)); // A million decimals
  assert_false(ap_format_number(buf, sizeof(buf), 1e300, 0));

  // Percent needs one more byte...
  assert_true(ap_format_percent(buf, 7, 12.27, 2));
  assert_string_equal(buf, "12,27%");
  assert_false(ap_format_percent(buf, 6, 12.27, 2));
  assert_string_equal(buf, "");
}

static void
test_number_not_finite(void **state)
{
  char buf[32];

  assert_false(ap_format_number(buf, sizeof(buf), NAN, 2));
  assert_false(ap_format_number(buf, sizeof(buf), INFINITY, 2));
  assert_false(ap_format_number(buf, sizeof(buf), -INFINITY, 0));
  assert_false(ap_format_percent(buf, sizeof(buf), NAN, 2));
}

static void
test_number_extremes(void **state)
{
  char buf[512];

  assert_true(ap_format_number(buf, sizeof(buf), DBL_MAX, 0));
  assert_int_equal(strlen(buf), 309 + 102); // 309 digits, 102 dots
  assert_memory_equal(buf, "179.769.313.486.231.57", 22);
  assert_true(ap_format_number(buf, sizeof(buf), -DBL_MAX, 2));
  assert_int_equal(buf[0], '-');
  assert_true(ap_format_number(buf, sizeof(buf), DBL_MIN, 2));
  assert_string_equal(buf, "0,00");
  assert_true(ap_format_number(buf, sizeof(buf), 1.5, 30));
  assert_string_equal(buf, "1,500000000000000000000000000000");
}

static void
test_percent(void **state)
{
  char buf[32];

  assert_true(ap_format_percent(buf, sizeof(buf), 12.27, 2));
  assert_string_equal(buf, "12,27%");
  assert_true(ap_format_percent(buf, sizeof(buf), 100, 0));
  assert_string_equal(buf, "100%");
  assert_true(ap_format_percent(buf, sizeof(buf), -3.5, -1));
  assert_string_equal(buf, "-3,5%");
  assert_true(ap_format_percent(buf, sizeof(buf), 1234.5, 1));
  assert_string_equal(buf, "1.234,5%");
}

static void
test_date(void **state)
{
  char buf[64];

  assert_true(ap_format_date(buf, sizeof(buf), "2026-11-22", false));
  assert_string_equal(buf, "ng\xC3\xA0y 22 th\xC3\xA1ng 11 n\xC4\x83m 2026");
  assert_true(ap_format_date(buf, sizeof(buf), "2024-02-05", false));
  assert_string_equal(buf, "ng\xC3\xA0y 5 th\xC3\xA1ng 2 n\xC4\x83m 2024");
  assert_true(ap_format_date(buf, sizeof(buf), "2024-02-05", true));
  assert_string_equal(buf, "ng\xC3\xA0y 05 th\xC3\xA1ng 02 n\xC4\x83m 2024");
  assert_true(ap_format_date(buf, sizeof(buf), "2026-11-22", true));
  assert_string_equal(buf, "ng\xC3\xA0y 22 th\xC3\xA1ng 11 n\xC4\x83m 2026");
  assert_true(ap_format_date(buf, sizeof(buf), "2023-12-31", false));
  assert_true(ap_format_date(buf, sizeof(buf), "2023-01-01", false));
}

static void
test_date_leap(void **state)
{
  char buf[64];

  assert_true(ap_format_date(buf, sizeof(buf), "2024-02-29", false));
  assert_string_equal(buf, "ng\xC3\xA0y 29 th\xC3\xA1ng 2 n\xC4\x83m 2024");
  assert_false(ap_format_date(buf, sizeof(buf), "2023-02-29", false));
  assert_true(ap_format_date(buf, sizeof(buf), "2000-02-29", false));  // Divisible by 400
  assert_false(ap_format_date(buf, sizeof(buf), "1900-02-29", false)); // Divisible by 100
  assert_true(ap_format_date(buf, sizeof(buf), "2023-02-28", false));
}

static void
test_date_invalid(void **state)
{
  char buf[64];
  static const char *bad[] = {
      "2023-02-30", "2023-13-01", "x",           "",           "2023-00-10", "2023-01-00",
      "2023-04-31", "0000-01-01", "2023-1-5",    "2023/01/05", "2023-01-05 ", " 2023-01-05",
      "2023-01-05T10:00",         "20230105",    "2023-01-3a", "-202-01-05", "2023-+1-05",
  };

  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    strcpy(buf, "junk");
    assert_false(ap_format_date(buf, sizeof(buf), bad[i], false));
    assert_string_equal(buf, "");
  }
  assert_false(ap_format_date(buf, sizeof(buf), NULL, false));
}

static void
test_date_small_buffer(void **state)
{
  char buf[64];
  size_t len = strlen("ng\xC3\xA0y 22 th\xC3\xA1ng 11 n\xC4\x83m 2026");

  assert_true(ap_format_date(buf, len + 1, "2026-11-22", false));
  assert_false(ap_format_date(buf, len, "2026-11-22", false));
  assert_string_equal(buf, "");
  assert_false(ap_format_date(buf, 0, "2026-11-22", false));
}

static void
test_parse_accept(void **state)
{
  CHECK_PARSE("7520", 7520.0);
  CHECK_PARSE("7520.5", 7520.5);
  CHECK_PARSE("-3", -3.0);
  CHECK_PARSE("+3", 3.0);
  CHECK_PARSE("7.520", 7520.0);   // Groups of three after the dot: thousands
  CHECK_PARSE("7.5", 7.5);        // Not a group of three: decimal point
  CHECK_PARSE("7.520,5", 7520.5);
  CHECK_PARSE("93,78", 93.78);
  CHECK_PARSE("1.234.567,89", 1234567.89);
  CHECK_PARSE("1.234.567", 1234567.0);
  CHECK_PARSE("-1.234,5", -1234.5);
  CHECK_PARSE("0.125", 0.125);    // A leading 0 is never a thousands group
  CHECK_PARSE("7520.500", 7520.5); // Head of four digits: decimal point
  CHECK_PARSE("12.34", 12.34);
  CHECK_PARSE("0,5", 0.5);
  CHECK_PARSE(".5", 0.5);
  CHECK_PARSE("5.", 5.0);
  CHECK_PARSE("007", 7.0);
  CHECK_PARSE("  42\n", 42.0);
  CHECK_PARSE("0.1", 0.1);
  CHECK_PARSE("80.33", 80.33);
  CHECK_PARSE("106,44", 106.44);
  CHECK_PARSE("9007199254740993", 9007199254740992.0);
}

static void
test_parse_reject(void **state)
{
  static const char *bad[] = {
      "abc", "", " ", "1.2.3x", "1.2.3", "-", "+", ".", ",", ",5", "5,", "1,2,3", "1,234.56",
      "7.52,5", "7.5200,5", "0.500,5", "1e3", "12a", "- 3", "--3", "+-3", "1 000", "0x10",
      "inf", "nan", "1.234.56", "12.3456.789",
  };
  double v = 99.0;

  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if (ap_parse_number(bad[i], &v))
      fail_msg("accepted \"%s\" as %g", bad[i], v);
  }
  assert_true(v == 99.0);
  assert_false(ap_parse_number(NULL, &v));
  assert_false(ap_parse_number("1", NULL));

  // A number too large for a double is not a number we can use...
  char big[400];
  memset(big, '9', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  assert_false(ap_parse_number(big, &v));
}

static void
test_parse_round_trip(void **state)
{
  static const double values[] = {7520, 93.78, 80.33, 106.44, 1234567.89, -1234.5, 0, 0.5,
                                  -0.25, 12.27, 1e15, 123456789.125};
  char buf[128];

  for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    double v = -1;

    assert_true(ap_format_number(buf, sizeof(buf), values[i], -1));
    assert_true(ap_parse_number(buf, &v));
    if (v != values[i])
      fail_msg("%s read back as %.17g, not %.17g", buf, v, values[i]);
  }

  // A long run of digits takes the heap path...
  char longnum[300];
  memset(longnum, '0', sizeof(longnum) - 1);
  longnum[sizeof(longnum) - 4] = '4';
  longnum[sizeof(longnum) - 3] = ',';
  longnum[sizeof(longnum) - 2] = '5';
  longnum[sizeof(longnum) - 1] = '\0';
  double v = 0;
  assert_true(ap_parse_number(longnum, &v));
  assert_true(v == 4.5);
}

// Set the first available locale with a ',' decimal point; returns its name.
static const char *
set_foreign_locale(void)
{
  static const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "vi_VN.UTF-8", "vi_VN.utf8",
                                "fr_FR.UTF-8", "fr_FR.utf8", "C.UTF-8",     "C.utf8"};

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (setlocale(LC_ALL, names[i]))
      return names[i];
  return NULL;
}

static void
test_locale_independent(void **state)
{
  char before[64][128], after[64][128];
  size_t n = sizeof(number_cases) / sizeof(number_cases[0]);
  const char *name;
  double v;

  for (size_t i = 0; i < n; i++)
    assert_true(ap_format_number(before[i], sizeof(before[i]), number_cases[i].value,
                                 number_cases[i].decimals));
  assert_true(ap_format_percent(before[n], sizeof(before[n]), 12.27, 2));
  assert_true(ap_format_number(before[n + 1], sizeof(before[n + 1]), 0.285, 2));

  // Switch locale; C.UTF-8 keeps '.' so then the check proves little...
  name = set_foreign_locale();
  if (!name)
    skip();
  if (strcmp(localeconv()->decimal_point, ".") == 0)
    print_message("note: only %s is installed (decimal point '.'); install de_DE.UTF-8 or "
                  "run with LOCPATH pointing at compiled locales for a real check\n",
                  name);
  else
    print_message("locale %s, decimal point '%s'\n", name, localeconv()->decimal_point);

  for (size_t i = 0; i < n; i++) {
    assert_true(ap_format_number(after[i], sizeof(after[i]), number_cases[i].value,
                                 number_cases[i].decimals));
    assert_string_equal(after[i], number_cases[i].expect);
    assert_string_equal(after[i], before[i]);
  }
  assert_true(ap_format_percent(after[n], sizeof(after[n]), 12.27, 2));
  assert_string_equal(after[n], before[n]);
  assert_true(ap_format_number(after[n + 1], sizeof(after[n + 1]), 0.285, 2));
  assert_string_equal(after[n + 1], "0,29");

  // Parsing ignores the locale too...
  CHECK_PARSE("7520.5", 7520.5);
  CHECK_PARSE("7.520,5", 7520.5);
  CHECK_PARSE("93,78", 93.78);
  assert_false(ap_parse_number("1.2.3x", &v));

  setlocale(LC_ALL, "C");
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_number_basic),        cmocka_unit_test(test_number_negative),
      cmocka_unit_test(test_number_rounding),     cmocka_unit_test(test_number_auto_decimals),
      cmocka_unit_test(test_number_small_buffer), cmocka_unit_test(test_number_not_finite),
      cmocka_unit_test(test_number_extremes),     cmocka_unit_test(test_percent),
      cmocka_unit_test(test_date),                cmocka_unit_test(test_date_leap),
      cmocka_unit_test(test_date_invalid),        cmocka_unit_test(test_date_small_buffer),
      cmocka_unit_test(test_parse_accept),        cmocka_unit_test(test_parse_reject),
      cmocka_unit_test(test_parse_round_trip),    cmocka_unit_test(test_locale_independent),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
