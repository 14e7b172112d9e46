// Vietnamese value formatting: '.' thousands, ',' decimals, percentages,
// written-out dates, and parsing of both number notations. Digits are placed
// by hand so no output depends on LC_NUMERIC (printf only supplies digits).
#include "vnformat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUTO_DECIMALS 6   // Most decimals printed when decimals < 0
#define MIN_SIG_DIGITS 15 // Any decimal of 15 digits survives a double
#define MAX_SIG_DIGITS 17 // Digits that always read back as the same double

static int days_in_month(int year, int month);
static bool decimal_digits(double mag, char sig[MAX_SIG_DIGITS + 1], int *nsig, int *exp10);
static bool is_digit(char c);
static bool is_space(char c);
static bool is_thousands(const char *s, const char *e);
static bool read_fixed(const char *s, int n, int *value);
static bool scan_digits(const char *s, const char *e, char *out, size_t *len);

//
// 'ap_format_date()' - Write an ISO date as "ngày 22 tháng 11 năm 2026".
//
// Only the exact form "YYYY-MM-DD" is accepted (no spaces, no time part);
// years run 0001-9999 in the proleptic Gregorian calendar. On failure buf
// holds an empty string.
//

bool                                    // O - `true` on success, `false` on a bad date or small buf
ap_format_date(char       *buf,         // O - Output buffer
               size_t     size,         // I - Size of buf in bytes
               const char *iso,         // I - "YYYY-MM-DD"
               bool       two_digits)   // I - Zero-pad day and month below 10
{
  int year, month, day; // Date fields
  int n;                // Bytes snprintf wanted

  if (!buf || size == 0)
    return false;
  buf[0] = '\0';
  if (!iso)
    return false;

  // Check the shape "YYYY-MM-DD" and the calendar...
  if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-' || !read_fixed(iso, 4, &year) ||
      !read_fixed(iso + 5, 2, &month) || !read_fixed(iso + 8, 2, &day))
    return false;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return false;

  // Write it out; %d never takes grouping or locale digits...
  if (two_digits)
    n = snprintf(buf, size, "ngày %02d tháng %02d năm %d", day, month, year);
  else
    n = snprintf(buf, size, "ngày %d tháng %d năm %d", day, month, year);
  if (n < 0 || (size_t)n >= size) {
    buf[0] = '\0';
    return false;
  }
  return true;
}

//
// 'ap_format_number()' - Format a number the Vietnamese way.
//
// Rounding is half away from zero on the shortest decimal that reads back as
// the same double (15 to 17 significant digits, what JavaScript or Python's
// repr print), i.e. on the number as the data wrote it: 0.125 → "0,13",
// 0.285 → "0,29", 1.005 → "1,01", although the binary doubles behind 0.285
// and 1.005 lie slightly below the half. The flip side: a computed value that
// misses a half by one ulp (80.33 + 0.005 = 80.33499999999999) rounds down.
// A result of zero has no sign ("-0,001" with 2 decimals gives "0,00").
// NaN and infinities are refused. On failure buf holds an empty string.
//

bool                                    // O - `true` on success, `false` when buf is too small
ap_format_number(char   *buf,           // O - Output buffer
                 size_t size,           // I - Size of buf in bytes
                 double value,          // I - Value to format
                 int    decimals)       // I - Decimals, < 0 for "as needed, at most 6"
{
  char       sig[MAX_SIG_DIGITS + 1];  // Significant digits of |value|
  char       kept[MAX_SIG_DIGITS + 2]; // Leading digits of round(|value| * 10^d)
  int        nsig, exp10;              // Digit count, power of ten of sig[0]
  long long  d;                        // Decimals used for rounding
  long long  ndig;                     // Digits of |value| * 10^d before the point
  long long  klen, zeros;              // Digits in kept, implicit zeros after them
  long long  total, intlen, fraclen;   // Digits printed: all, before and after ','
  long long  need, pad, i;             // Output bytes, leading zeros, looping var
  char       round_digit;              // First digit dropped by rounding
  bool       negative;                 // Print a minus sign
  char       *out;                     // Output position

  if (!buf || size == 0)
    return false;
  buf[0] = '\0';
  if (!isfinite(value))
    return false;
  d = decimals < 0 ? AUTO_DECIMALS : decimals;

  // Get the significant digits of |value|...
  if (value == 0.0) {
    sig[0] = '0';
    nsig = 1;
    exp10 = 0;
  } else if (!decimal_digits(fabs(value), sig, &nsig, &exp10)) {
    return false;
  }

  // Keep the digits down to 10^-d, then round half away from zero on the
  // first dropped digit...
  ndig = (long long)exp10 + d + 1;
  klen = 0;
  zeros = 0;
  round_digit = '0';
  if (ndig == 0) {
    round_digit = sig[0];
  } else if (ndig > 0 && ndig < nsig) {
    klen = ndig;
    memcpy(kept, sig, (size_t)klen);
    round_digit = sig[ndig];
  } else if (ndig >= nsig) {
    klen = nsig;
    memcpy(kept, sig, (size_t)klen);
    zeros = ndig - nsig;
  }
  if (round_digit >= '5') {
    for (i = klen - 1; i >= 0 && kept[i] == '9'; i--)
      kept[i] = '0';
    if (i >= 0) {
      kept[i]++;
    } else { // All nines (or nothing kept): a new leading 1
      memmove(kept + 1, kept, (size_t)klen);
      kept[0] = '1';
      klen++;
    }
  }
  for (i = 0; i < klen && kept[i] == '0'; i++)
    ;
  if (i == klen) { // Rounded to zero
    klen = 0;
    zeros = 0;
  }
  negative = value < 0.0 && klen > 0;

  // Lay out the digits: at least one before the ',' and d after it; in
  // "as needed" mode the trailing zeros of the decimals are dropped...
  total = klen + zeros > d + 1 ? klen + zeros : d + 1;
  pad = total - (klen + zeros);
  intlen = total - d;
  fraclen = d;
  if (decimals < 0) {
    for (i = total - 1; fraclen > 0; i--, fraclen--) {
      long long j = i - pad; // Index in kept + zeros
      if (j >= 0 && j < klen && kept[j] != '0')
        break;
    }
  }

  need = (negative ? 1 : 0) + intlen + (intlen - 1) / 3 + (fraclen > 0 ? 1 + fraclen : 0) + 1;
  if (need < 0 || (unsigned long long)need > (unsigned long long)size)
    return false;

  // Write sign, grouped integer digits, then the decimals...
  out = buf;
  if (negative)
    *out++ = '-';
  for (i = 0; i < intlen + fraclen; i++) {
    long long j = i - pad; // Index in kept + zeros

    if (i == intlen)
      *out++ = ',';
    else if (i > 0 && i < intlen && (intlen - i) % 3 == 0)
      *out++ = '.';
    *out++ = (j >= 0 && j < klen) ? kept[j] : '0';
  }
  *out = '\0';
  return true;
}

//
// 'ap_format_percent()' - Format a number followed by '%'.
//
// The value is already a percentage: 12.27 gives "12,27%".
//

bool                                    // O - `true` on success, `false` when buf is too small
ap_format_percent(char   *buf,          // O - Output buffer
                  size_t size,          // I - Size of buf in bytes
                  double value,         // I - Percentage
                  int    decimals)      // I - As for ap_format_number
{
  size_t len; // Length of the number

  if (!ap_format_number(buf, size, value, decimals))
    return false;
  len = strlen(buf);
  if (len + 2 > size) {
    buf[0] = '\0';
    return false;
  }
  buf[len] = '%';
  buf[len + 1] = '\0';
  return true;
}

//
// 'ap_parse_number()' - Parse "7520.5" (XML) or "7.520,5" (Vietnamese).
//
// Accepted: an optional sign, then digits with at most one decimal separator;
// ASCII white space around the number is ignored. A ',' is always the
// decimal comma, and '.' before it must group thousands ("7.520,5",
// "93,78"). Without a ',', dots are thousands separators when they split
// the number into a 1-3 digit head that does not start with 0 and groups of
// exactly three ("7.520", "1.234.567"); otherwise a single '.' is the
// decimal point ("7.5", "0.125", "7520.500", ".5"). No exponents. The digits
// go through strtod without a radix character, so the locale plays no part.
//

bool                                    // O - `true` when text is a number
ap_parse_number(const char *text,       // I - Text to parse
                double     *value)      // O - Value (untouched on failure)
{
  const char *s, *e;        // Number text without spaces and sign
  const char *comma, *dot;  // First ',' and '.', NULL when absent
  const char *frac;         // Start of the decimals, NULL when none
  char       stack[128];    // Normalized digits for short numbers
  char       *norm;         // Normalized "DIGITSe-N"
  size_t     len, ilen = 0; // Text length, integer digit count
  size_t     flen = 0;      // Decimal digit count
  int        ndot = 0;      // Number of '.'
  bool       negative;      // Leading '-'
  double     v;             // Parsed value

  if (!text || !value)
    return false;

  // Trim white space, take the sign, check the characters...
  for (s = text; is_space(*s); s++)
    ;
  for (e = s + strlen(s); e > s && is_space(e[-1]); e--)
    ;
  negative = s < e && *s == '-';
  if (s < e && (*s == '-' || *s == '+'))
    s++;
  if (s == e)
    return false;
  comma = dot = NULL;
  for (const char *p = s; p < e; p++) {
    if (*p == ',') {
      if (comma)
        return false;
      comma = p;
    } else if (*p == '.') {
      if (!dot)
        dot = p;
      ndot++;
    } else if (!is_digit(*p)) {
      return false;
    }
  }

  // Decide what the separators mean...
  frac = NULL;
  if (comma) {
    if (comma == s || comma + 1 == e || (dot && dot > comma))
      return false;
    if (dot && !is_thousands(s, comma))
      return false;
    frac = comma + 1;
  } else if (dot && !is_thousands(s, e)) {
    if (ndot > 1 || e - s == 1) // "1.2.3" or a lone "."
      return false;
    frac = dot + 1;
  }

  // Normalize to "DIGITSe-N" and convert...
  len = (size_t)(e - s);
  norm = len + 32 <= sizeof(stack) ? stack : malloc(len + 32);
  if (!norm)
    return false;
  if (negative)
    norm[0] = '-';
  scan_digits(s, frac ? frac - 1 : e, norm + negative, &ilen);
  if (frac)
    scan_digits(frac, e, norm + negative + ilen, &flen);
  snprintf(norm + negative + ilen + flen, 32, "e-%zu", flen);
  v = strtod(norm, NULL);
  if (norm != stack)
    free(norm);
  if (!isfinite(v))
    return false;
  *value = v;
  return true;
}

// Days in a month of the proleptic Gregorian calendar.
static int
days_in_month(int year, int month)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

// Shortest 15-17 significant digits of mag > 0 that read back as mag, and
// the power of ten of the first one. printf supplies correctly rounded
// digits; its radix character (locale-dependent) is skipped, and the read
// back goes through strtod on "DIGITSe±N", which has none.
static bool
decimal_digits(double mag, char sig[MAX_SIG_DIGITS + 1], int *nsig, int *exp10)
{
  char tmp[64];  // printf's "%.*e" output
  char back[64]; // Digits written back as an integer and exponent

  for (int p = MIN_SIG_DIGITS; p <= MAX_SIG_DIGITS; p++) {
    const char *t;     // Position in tmp
    int        n = 0;  // Digits found
    int        ex = 0; // Exponent
    bool       exneg;  // Exponent sign

    if (snprintf(tmp, sizeof(tmp), "%.*e", p - 1, mag) >= (int)sizeof(tmp))
      return false;
    for (t = tmp; *t && *t != 'e' && *t != 'E'; t++) {
      if (is_digit(*t)) {
        if (n >= MAX_SIG_DIGITS)
          return false;
        sig[n++] = *t;
      }
    }
    if (!*t || n != p)
      return false;
    t++;
    exneg = *t == '-';
    if (*t == '-' || *t == '+')
      t++;
    for (; is_digit(*t); t++)
      ex = ex * 10 + (*t - '0');
    if (exneg)
      ex = -ex;
    sig[n] = '\0';
    *nsig = n;
    *exp10 = ex;
    snprintf(back, sizeof(back), "%se%d", sig, ex - (p - 1));
    if (strtod(back, NULL) == mag)
      break;
  }
  return true;
}

// ASCII digit test (isdigit() may accept more in some locales).
static bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

// ASCII white space as XML knows it.
static bool
is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// True when [s, e) is "1-3 digits (not starting with 0), then one or more
// '.' + exactly 3 digits": Vietnamese thousands grouping.
static bool
is_thousands(const char *s, const char *e)
{
  const char *p = s; // Position
  int        run;    // Digits in the current group

  for (run = 0; p < e && is_digit(*p); p++)
    run++;
  if (run < 1 || run > 3 || *s == '0' || p == e)
    return false;
  while (p < e) {
    if (*p != '.')
      return false;
    for (p++, run = 0; p < e && is_digit(*p); p++)
      run++;
    if (run != 3)
      return false;
  }
  return true;
}

// Read exactly n ASCII digits as a non-negative integer.
static bool
read_fixed(const char *s, int n, int *value)
{
  *value = 0;
  for (int i = 0; i < n; i++) {
    if (!is_digit(s[i]))
      return false;
    *value = *value * 10 + (s[i] - '0');
  }
  return true;
}

// Copy the digits of [s, e) to out, skipping separators; *len gets the count.
static bool
scan_digits(const char *s, const char *e, char *out, size_t *len)
{
  size_t n = 0; // Digits copied

  for (; s < e; s++)
    if (is_digit(*s))
      out[n++] = *s;
  *len = n;
  return n > 0;
}
