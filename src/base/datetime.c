// Calendar date-times: ISO 8601 text and SOURCE_DATE_EPOCH in, PDF and XMP
// dates out. Fixed-width fields read digit by digit: no locale, no clock.
#include "datetime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int days_in_month(int year, int month);
static bool digits(const char *s, int n, int *value);

//
// 'ap_datetime_iso()' - Write a date-time as XMP (ISO 8601) writes it.
//

void
ap_datetime_iso(const ap_datetime_t *d,        // I - Date-time
                bool date_alone,               // I - A date without time stays YYYY-MM-DD
                char out[AP_DATETIME_ISO])     // O - Text
{
  int off = d->offset < 0 ? -d->offset : d->offset; // Zone, minutes

  if (date_alone && !d->has_time)
    snprintf(out, AP_DATETIME_ISO, "%04d-%02d-%02d", d->year, d->month, d->day);
  else
    snprintf(out, AP_DATETIME_ISO, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d->year, d->month, d->day, d->hour,
             d->minute, d->second, d->offset < 0 ? '-' : '+', (off / 60) % 100, off % 60);
}

//
// 'ap_datetime_parse()' - Read an ISO 8601 date or date-time.
//

bool                                           // O - true when text is one
ap_datetime_parse(const char *text,            // I - Text
                  ap_datetime_t *out)          // O - Date-time
{
  ap_datetime_t d = {0};                       // Result
  const char *s = text;                        // Next character
  int oh = 0, om = 0;                          // Zone hours and minutes

  // YYYY-MM-DD...
  if (!s || !digits(s, 4, &d.year) || s[4] != '-' || !digits(s + 5, 2, &d.month) || s[7] != '-' ||
      !digits(s + 8, 2, &d.day))
    return false;
  s += 10;
  if (d.year < 1000 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in_month(d.year, d.month))
    return false;

  // ...THH:MM[:SS]...
  if (*s == 'T') {
    if (!digits(s + 1, 2, &d.hour) || s[3] != ':' || !digits(s + 4, 2, &d.minute))
      return false;
    s += 6;
    if (*s == ':') {
      if (!digits(s + 1, 2, &d.second))
        return false;
      s += 3;
    }
    if (d.hour > 23 || d.minute > 59 || d.second > 59)
      return false;
    d.has_time = true;

    // ...and the zone: Z, ±HH:MM or none (UTC)...
    if (*s == 'Z') {
      s++;
    } else if (*s == '+' || *s == '-') {
      if (!digits(s + 1, 2, &oh) || s[3] != ':' || !digits(s + 4, 2, &om) || om > 59 || oh * 60 + om > 14 * 60)
        return false;
      d.offset = (*s == '-' ? -1 : 1) * (oh * 60 + om);
      s += 6;
    }
  }
  if (*s)
    return false;
  *out = d;
  return true;
}

//
// 'ap_datetime_parse_epoch()' - Read SOURCE_DATE_EPOCH (seconds since 1970, UTC).
//

bool                                           // O - true when text is one
ap_datetime_parse_epoch(const char *text,      // I - Text
                        ap_datetime_t *out)    // O - Date-time, UTC
{
  long long seconds = 0;                       // Value
  struct tm tm;                                // Its calendar form
  time_t t;

  if (!text || !*text || strlen(text) > 12)
    return false;
  for (const char *s = text; *s; s++) {
    if (*s < '0' || *s > '9')
      return false;
    seconds = seconds * 10 + (*s - '0');
  }
  t = (time_t)seconds;
  if ((long long)t != seconds || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999)
    return false;
  *out = (ap_datetime_t){.year = tm.tm_year + 1900, .month = tm.tm_mon + 1, .day = tm.tm_mday, .hour = tm.tm_hour,
                         .minute = tm.tm_min, .second = tm.tm_sec, .has_time = true};
  return true;
}

//
// 'ap_datetime_at_offset()' - The same instant at another UTC offset.
//
// Days are counted from 1970-01-01 in the proleptic Gregorian calendar
// (eras of 400 years from March 1st), so no time_t or time zone is used.
//

void
ap_datetime_at_offset(const ap_datetime_t *d,  // I - Date-time
                      int offset,              // I - Minutes east of UTC wanted
                      ap_datetime_t *out)      // O - The same instant there
{
  // The civil date as days since 1970-01-01, then the minutes of the instant there...
  int y = d->year - (d->month <= 2), era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400, mp = d->month + (d->month > 2 ? -3 : 9);
  long days = era * 146097L + yoe * 365L + yoe / 4 - yoe / 100 + (153 * mp + 2) / 5 + d->day - 1 - 719468L;
  long minutes = days * 1440 + d->hour * 60L + d->minute - d->offset + offset;
  long day = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
  long in_day = minutes - day * 1440;

  // ...and back to a civil date.
  long z = day + 719468, e = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - e * 146097, yoe2 = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe2 + yoe2 / 4 - yoe2 / 100), mp2 = (5 * doy + 2) / 153;
  int month = (int)(mp2 < 10 ? mp2 + 3 : mp2 - 9);
  *out = (ap_datetime_t){.year = (int)(yoe2 + e * 400 + (month <= 2)), .month = month,
                         .day = (int)(doy - (153 * mp2 + 2) / 5 + 1), .hour = (int)(in_day / 60),
                         .minute = (int)(in_day % 60), .second = d->second, .offset = offset, .has_time = true};
}

//
// 'ap_datetime_pdf()' - Write a date-time as a PDF date string.
//

void
ap_datetime_pdf(const ap_datetime_t *d,        // I - Date-time
                char out[AP_DATETIME_PDF])     // O - Text
{
  int off = d->offset < 0 ? -d->offset : d->offset; // Zone, minutes

  snprintf(out, AP_DATETIME_PDF, "D:%04d%02d%02d%02d%02d%02d%c%02d'%02d'", d->year, d->month, d->day, d->hour,
           d->minute, d->second, d->offset < 0 ? '-' : '+', (off / 60) % 100, off % 60);
}

// Days of a month of the Gregorian calendar.
static int
days_in_month(int year, int month)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// Exactly n ASCII digits at s, as a number.
static bool
digits(const char *s, int n, int *value)
{
  *value = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    *value = *value * 10 + (s[i] - '0');
  }
  return true;
}
