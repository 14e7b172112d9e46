// Unit tests for bind/reach.c: which XPath expressions may read inside the
// records parse keeps packed (records <r>, held by <g> in <t>).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "bind/bind-private.h"

static const char *const records[] = {"r", NULL};
static const char *const above[] = {"t", "g", NULL};
static const ap_reach_names_t names = {records, above};

// Each expression with the answer expected.
static void
expect_all(const char *const *exprs, ap_reach_t want)
{
  for (; *exprs; exprs++) {
    ap_reach_t got = ap_bind_reach(*exprs, &names);
    if (got != want)
      fail_msg("'%s': reach %d, expected %d", *exprs, (int)got, (int)want);
  }
}

// What the table and long-body layouts evaluate, and other shallow reads.
static void
test_reach_none(void **state)
{
  (void)state;
  static const char *const exprs[] = {
      "/t/g", "r", "n", "v", "@name", "../@key", "@span", "not(@span) and not(@in)", "count(/t/g/r)",
      "count(r) > 5", "/t/g[1]", "/t/g[@name = 'x']/r", "r[1]", "r[last()]", "r[position() > 2 and @span]",
      "r/@span", "r/..", "r/.", "..", ".", "/", "$split", "'a' = 'b'", "1 + 2 * 3", "concat(@name, ' ', $x)",
      "/t/g | /t/g/r", "count(/t/g/r | /t/g)", "boolean(r)", "not(r)", "name(..)", "/t/g[r]",
      "(/t/g/r)[1]", "(/t/g/r)[1]/@span", "normalize-space(n)", "string(v)", "sum(x/y)", "/t/meta/title",
      "ancestor::g/@key", "parent::g", "self::r", "@*", "r[@*]", "g/r[2]/@in", "/t/g[count(r) > 3]",
      "format-number(v, '0')", "r[1][2]", "r[ @span = '3' ]", NULL};
  expect_all(exprs, AP_REACH_NONE);
}

// The context node read as text: shallow unless it holds records.
static void
test_reach_context(void **state)
{
  (void)state;
  static const char *const exprs[] = {"string(.)", "normalize-space()", ". = 'x'", "string-length()",
                                      "number() > 3", "concat(., 'x')", "n[. = 'x']/../@y = string()", NULL};
  expect_all(exprs, AP_REACH_CONTEXT);
}

// Reads that may go inside records: the tree must hold them all.
static void
test_reach_records(void **state)
{
  (void)state;
  static const char *const exprs[] = {
      "//r", "/t//v", "descendant::v", "following-sibling::r", "preceding::r[1]/n", "r/n", "/t/g/r/v",
      "sum(/t/g/r/v)", "sum(r)", "string(r)", "r = 'x'", "concat(r, '')", "string(..)", "string(/)",
      "/t/g = 'x'", "normalize-space(/t/g)", "*", "g/*", "node()", "text()", "r/text()", "id('a')",
      "r[n = 'x']", "r[.]", "r[string()]", "r[v]", "/t/g[r/v > 1]", "/t/g[. = 'x']", "..[. = 'x']",
      "ancestor::g/r/n", "(r)/n", "(/t/g/r)[1]/n", "string((/t/g/r)[1])", "self::node()",
      "-r", "r + 1", "r | n = 'x'", "count(r, n)", "(r | g) = 'x'", "@", "r[", "a]", ")", NULL};
  expect_all(exprs, AP_REACH_RECORDS);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reach_none),
      cmocka_unit_test(test_reach_context),
      cmocka_unit_test(test_reach_records),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
