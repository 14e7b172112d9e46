// Numbers of the layout language: the ranges of each kind of number, and
// the one reader that parses a number's text and checks it against its
// range, so every attribute refuses NaN, infinities and absurd values the
// same way, with the same words. Parsing goes through strtod on a checked
// prefix (the C locale is never changed, so '.' is the decimal point).
#include "number.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geom.h"

static void put_bound(char *buf, size_t size, double v, const char *unit);
static double unit_scale(const ap_range_t *range);

const ap_range_t AP_RANGE_LENGTH = {AP_NUM_LENGTH, "a length", 0, 5000, false, "mm"};
const ap_range_t AP_RANGE_EXTENT = {AP_NUM_LENGTH, "a length", 0, 5000, true, "mm"};
const ap_range_t AP_RANGE_INDENT = {AP_NUM_LENGTH, "a length", -500, 500, false, "mm"};
const ap_range_t AP_RANGE_PAGE_SIDE = {AP_NUM_REAL, "a page side", 10, 5000, false, "mm"};
const ap_range_t AP_RANGE_THICKNESS = {AP_NUM_LENGTH, "a thickness", 0, 100, false, "mm"};
const ap_range_t AP_RANGE_FONT_SIZE = {AP_NUM_LENGTH, "a font size", 1, 1000, false, "pt"};
const ap_range_t AP_RANGE_LEADING = {AP_NUM_LENGTH, "a leading", 0, 2000, true, "pt"};
const ap_range_t AP_RANGE_POSITION = {AP_NUM_LENGTH, "a length", -5000, 5000, false, "mm"};
const ap_range_t AP_RANGE_FRACTION = {AP_NUM_REAL, "a percentage", -1000, 1000, false, "%"};
const ap_range_t AP_RANGE_PERCENT = {AP_NUM_REAL, "a percentage of the row", 0, 100, true, "%"};
const ap_range_t AP_RANGE_CMYK = {AP_NUM_REAL, "a percentage", 0, 100, false, ""};
const ap_range_t AP_RANGE_SHARE = {AP_NUM_REAL, "a share", 0, 1000, true, "fr"};
const ap_range_t AP_RANGE_DECIMALS = {AP_NUM_INTEGER, "a number of decimals", 0, 10, false, ""};
const ap_range_t AP_RANGE_DIGITS = {AP_NUM_INTEGER, "a number of digits", 1, 9, false, ""};
const ap_range_t AP_RANGE_LEVEL = {AP_NUM_INTEGER, "a level", 1, 6, false, ""};
const ap_range_t AP_RANGE_GRID_COLUMNS = {AP_NUM_INTEGER, "a number of columns", 1, 12, false, ""};
const ap_range_t AP_RANGE_SPAN = {AP_NUM_INTEGER, "a span", 1, 1000, false, ""};
const ap_range_t AP_RANGE_PER_PAGE = {AP_NUM_INTEGER, "a number of slides", 1, 6, false, ""};
const ap_range_t AP_RANGE_VALUE = {AP_NUM_REAL, "a number", -AP_MAX_VALUE, AP_MAX_VALUE, false, ""};
const ap_range_t AP_RANGE_PAGE_NUMBER = {AP_NUM_INTEGER, "a page number", 1, AP_MAX_PAGES, false, ""};
const ap_range_t AP_RANGE_PIXELS = {AP_NUM_INTEGER, "a pixel count", 1, 1e10, false, ""};
const ap_range_t AP_RANGE_BLEED = {AP_NUM_LENGTH, "a bleed", 0, 20, false, "mm"};
const ap_range_t AP_RANGE_OPACITY = {AP_NUM_REAL, "an opacity in percent", 0, 100, true, "%"};
const ap_range_t AP_RANGE_ANGLE = {AP_NUM_REAL, "an angle in degrees", -180, 180, false, ""};

//
// 'ap_number_count()' - Count one more of something against its limit.
//

bool
ap_number_count(ap_diags_t *diags,  // I - Where the error goes
                ap_loc_t   loc,     // I - What made one too many
                const char *what,   // I - Plural noun phrase: "pages", "rows in a table"
                int        *count,  // IO - Count so far, incremented
                int        max)     // I - Limit
{
  if (*count >= max)
    return ap_fail(diags, loc, "more than %d %s: the limit is %d", max, what, max);
  ++*count;
  return true;
}

//
// 'ap_number_describe()' - Describe a range as messages do.
//
// "a length from 0mm to 5000mm", "a length greater than 0mm, at most
// 5000mm", with "(such as 12pt, 20mm or 1.5cm)" after lengths so that a
// message about a malformed length also shows the form expected.
//

void
ap_number_describe(const ap_range_t *range,     // I - Range
                   char             *buf,       // O - Description
                   size_t           size)       // I - Size of buf
{
  char lo[48], hi[48]; // The bounds, with their unit

  put_bound(lo, sizeof(lo), range->min, range->unit);
  put_bound(hi, sizeof(hi), range->max, range->unit);
  snprintf(buf, size, range->above_min ? "%s greater than %s, at most %s%s" : "%s from %s to %s%s", range->what, lo,
           hi, range->kind == AP_NUM_LENGTH ? " (such as 12pt, 20mm or 1.5cm)"
               : range->kind == AP_NUM_INTEGER ? " (a whole number)"
                                              : "");
}

//
// 'ap_number_in()' - Is a value finite and inside a range?
//

bool
ap_number_in(const ap_range_t *range, double value)
{
  double scale = unit_scale(range); // Range unit to the unit values are kept in

  if (!isfinite(value))
    return false;
  if (range->above_min ? !(value > range->min * scale) : !(value >= range->min * scale))
    return false;
  return value <= range->max * scale;
}

//
// 'ap_number_parse()' - Read and check a number of a range's kind.
//

bool
ap_number_parse(const ap_range_t *range, const char *text, double *value)
{
  const char *end; // After the number
  double v;        // The number as written

  if (!text || !ap_number_scan(text, &v, &end))
    return false;

  // The unit or suffix...
  if (range->kind == AP_NUM_LENGTH) {
    if (!strcmp(end, "mm"))
      v = ap_mm(v);
    else if (!strcmp(end, "cm"))
      v = ap_mm(v * 10);
    else if (*end && strcmp(end, "pt"))
      return false;
  } else if (range->kind == AP_NUM_INTEGER) {
    const char *p = text + (*text == '+' || *text == '-');
    if (*end || strspn(p, "0123456789") != strlen(p))
      return false;
  } else if (strcmp(end, range->unit[0] == '%' || !strcmp(range->unit, "fr") ? range->unit : "")) {
    return false;
  }

  // The range...
  if (!ap_number_in(range, v))
    return false;
  *value = v;
  return true;
}

//
// 'ap_number_read()' - Read and check a number, recording an error at loc.
//

bool
ap_number_read(ap_diags_t *diags, ap_loc_t loc, const char *name, const char *text, const ap_range_t *range,
               double *value)
{
  char expect[160]; // What was expected

  if (ap_number_parse(range, text, value))
    return true;
  ap_number_describe(range, expect, sizeof(expect));
  return ap_fail(diags, loc, "%s=\"%s\": expected %s", name, text ? text : "", expect);
}

//
// 'ap_number_scan()' - Read the decimal number at the start of a text.
//
// Only plain decimal notation: strtod alone would also take "nan",
// "infinity" and "0x1p3", which are no numbers of the layout language.
//

bool
ap_number_scan(const char *text, double *value, const char **end)
{
  const char *p = text; // Position
  size_t digits = 0;    // Digits of the mantissa

  if (*p == '+' || *p == '-')
    p++;
  for (; *p >= '0' && *p <= '9'; p++)
    digits++;
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++)
      digits++;
  if (!digits)
    return false;
  if (*p == 'e' || *p == 'E') {
    const char *q = p + 1 + (p[1] == '+' || p[1] == '-');
    if (*q >= '0' && *q <= '9') {
      for (p = q; *p >= '0' && *p <= '9'; p++)
        ;
    }
  }

  // strtod reads exactly this prefix (it is valid C syntax); an overflow gives HUGE_VAL, caught by ranges...
  char stack[64], *copy = (size_t)(p - text) < sizeof(stack) ? stack : malloc((size_t)(p - text) + 1);
  if (!copy)
    return false;
  memcpy(copy, text, (size_t)(p - text));
  copy[p - text] = '\0';
  *value = strtod(copy, NULL);
  if (copy != stack)
    free(copy);
  *end = p;
  return true;
}

// A bound as messages write it: whole numbers plainly ("5000mm",
// "1000000"), powers of ten past a billion as "1e15", others as %g.
static void
put_bound(char *buf, size_t size, double v, const char *unit)
{
  int exp10 = v ? (int)lround(log10(fabs(v))) : 0; // Power of ten, when v is one

  if (fabs(v) >= 1e9 && fabs(v) == pow(10, exp10))
    snprintf(buf, size, "%se%d%s", v < 0 ? "-1" : "1", exp10, unit);
  else if (v == floor(v) && fabs(v) < 1e16)
    snprintf(buf, size, "%.0f%s", v, unit);
  else
    snprintf(buf, size, "%g%s", v, unit);
}

// Points per range unit for lengths (the bounds are in mm or pt), 1 otherwise.
static double
unit_scale(const ap_range_t *range)
{
  if (range->kind == AP_NUM_LENGTH && !strcmp(range->unit, "mm"))
    return ap_mm(1);
  return 1;
}
