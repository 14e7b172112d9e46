// Unit tests for base/datetime.c: ISO 8601 dates and date-times read (zones,
// leap years, what is refused), SOURCE_DATE_EPOCH read, and both written as
// the PDF date and the XMP date of the same instant.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include <string.h>

#include "base/datetime.h"

// Parse text; it must give the PDF date pdf and the XMP date iso (date_alone).
static void
accept(const char *text, const char *pdf, const char *iso)
{
  ap_datetime_t d;
  char p[AP_DATETIME_PDF], i[AP_DATETIME_ISO];
  assert_true(ap_datetime_parse(text, &d));
  ap_datetime_pdf(&d, p);
  ap_datetime_iso(&d, /*date_alone*/ true, i);
  assert_string_equal(p, pdf);
  assert_string_equal(i, iso);
}

static void
test_parse_accepts(void **state)
{
  (void)state;
  accept("2025-03-14", "D:20250314000000+00'00'", "2025-03-14");
  accept("2025-03-14T09:30", "D:20250314093000+00'00'", "2025-03-14T09:30:00+00:00");
  accept("2025-03-14T09:30:05Z", "D:20250314093005+00'00'", "2025-03-14T09:30:05+00:00");
  accept("2025-03-14T09:30:00+07:00", "D:20250314093000+07'00'", "2025-03-14T09:30:00+07:00");
  accept("1999-12-31T23:59:59-09:30", "D:19991231235959-09'30'", "1999-12-31T23:59:59-09:30");
  accept("2024-02-29", "D:20240229000000+00'00'", "2024-02-29");
  accept("2000-02-29", "D:20000229000000+00'00'", "2000-02-29");
}

static void
test_parse_refuses(void **state)
{
  static const char *const bad[] = {"",           "14/03/2025",          "2025-3-14",          "2025-03-14 ",
                                    "2025-13-01", "2025-04-31",          "2023-02-29",         "1900-02-29",
                                    "0999-01-01", "2025-03-14T24:00",    "2025-03-14T09:60",   "2025-03-14T09:30:60",
                                    "2025-03-14T09", "2025-03-14T09:30+7", "2025-03-14T09:30+15:00", "2025-03-14T09:30:00Zx",
                                    "２０２５-03-14"};
  ap_datetime_t d = {.year = 7};
  (void)state;
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    assert_false(ap_datetime_parse(bad[i], &d));
    assert_int_equal(d.year, 7); // Left alone
  }
  assert_false(ap_datetime_parse(NULL, &d));
}

static void
test_epoch(void **state)
{
  ap_datetime_t d;
  char p[AP_DATETIME_PDF], i[AP_DATETIME_ISO];
  (void)state;
  assert_true(ap_datetime_parse_epoch("1700000000", &d));
  ap_datetime_pdf(&d, p);
  ap_datetime_iso(&d, /*date_alone*/ true, i);
  assert_string_equal(p, "D:20231114221320+00'00'");
  assert_string_equal(i, "2023-11-14T22:13:20+00:00");
  assert_true(ap_datetime_parse_epoch("0", &d));
  ap_datetime_iso(&d, false, i);
  assert_string_equal(i, "1970-01-01T00:00:00+00:00");
  assert_true(ap_datetime_parse_epoch("253402300799", &d)); // 9999-12-31T23:59:59Z
  assert_int_equal(d.year, 9999);
  assert_false(ap_datetime_parse_epoch("253402300800", &d)); // The year 10000
  assert_false(ap_datetime_parse_epoch("", &d));
  assert_false(ap_datetime_parse_epoch("-1", &d));
  assert_false(ap_datetime_parse_epoch("17e8", &d));
  assert_false(ap_datetime_parse_epoch(" 1700000000", &d));
  assert_false(ap_datetime_parse_epoch("9999999999999", &d));
}

// The same instant at another offset: across midnight, a month, a year
// and 29 February; every day of several years against the epoch reader.
static void
test_at_offset(void **state)
{
  (void)state;
  ap_datetime_t d, v;
  char iso[AP_DATETIME_ISO];

  assert_true(ap_datetime_parse("2024-05-01T20:30:05Z", &d));
  ap_datetime_at_offset(&d, 7 * 60, &v);
  ap_datetime_iso(&v, false, iso);
  assert_string_equal(iso, "2024-05-02T03:30:05+07:00");
  assert_true(ap_datetime_parse("2024-03-01T02:00:00+07:00", &d));
  ap_datetime_at_offset(&d, 0, &v);
  ap_datetime_iso(&v, false, iso);
  assert_string_equal(iso, "2024-02-29T19:00:00+00:00");
  assert_true(ap_datetime_parse("2023-12-31T23:59:59-05:00", &d));
  ap_datetime_at_offset(&d, 7 * 60, &v);
  ap_datetime_iso(&v, false, iso);
  assert_string_equal(iso, "2024-01-01T11:59:59+07:00");

  // Every 7 hours over 1999..2101 (leap years, 2000, 2100), UTC against
  // SOURCE_DATE_EPOCH's reading of the same second...
  for (long long t = 915148800LL; t < 4133980800LL; t += 7 * 3600 + 13) {
    char text[32];
    ap_datetime_t utc, there, back;
    snprintf(text, sizeof text, "%lld", t);
    assert_true(ap_datetime_parse_epoch(text, &utc));
    ap_datetime_at_offset(&utc, -3 * 60 - 30, &there);
    ap_datetime_at_offset(&there, 0, &back);
    assert_int_equal(back.year, utc.year);
    assert_int_equal(back.month, utc.month);
    assert_int_equal(back.day, utc.day);
    assert_int_equal(back.hour, utc.hour);
    assert_int_equal(back.minute, utc.minute);
    snprintf(text, sizeof text, "%lld", t - 3 * 3600 - 30 * 60);
    assert_true(ap_datetime_parse_epoch(text, &utc)); // (the wall clock at -03:30)
    assert_int_equal(there.day, utc.day);
    assert_int_equal(there.hour, utc.hour);
    assert_int_equal(there.minute, utc.minute);
  }
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_accepts),
      cmocka_unit_test(test_parse_refuses),
      cmocka_unit_test(test_epoch),
      cmocka_unit_test(test_at_offset),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
