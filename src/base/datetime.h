// Calendar date-times of a document (its <info date>, SOURCE_DATE_EPOCH):
// read from ISO 8601 text or from seconds since 1970, written as a PDF
// date (Info dictionary) and as an XMP date (ISO 8601). Never the clock.
#ifndef AP_DATETIME_H
#define AP_DATETIME_H

#include <stdbool.h>

#define AP_DATETIME_PDF 24 // "D:YYYYMMDDHHmmSS+HH'mm'" with the NUL
#define AP_DATETIME_ISO 26 // "YYYY-MM-DDTHH:mm:SS+HH:mm" with the NUL

typedef struct ap_datetime_s {
  int year, month, day;     // 1000..9999, 1..12, 1..the month's days
  int hour, minute, second; // 0..23, 0..59, 0..59 (00:00:00 for a date alone)
  int offset;               // Minutes east of UTC, -14:00..+14:00 (0 for a date alone or no zone)
  bool has_time;            // The text gave a time (else a calendar date alone)
} ap_datetime_t;

// ISO 8601 date or date-time: YYYY-MM-DD, optionally followed by
// THH:MM[:SS] and a zone (Z or ±HH:MM; none = UTC). False when text is
// anything else or names no real day or time.
bool ap_datetime_parse(const char *text, ap_datetime_t *out);
// SOURCE_DATE_EPOCH: decimal seconds since 1970-01-01T00:00:00Z (digits
// only, up to the year 9999), as a UTC date-time. False otherwise.
bool ap_datetime_parse_epoch(const char *text, ap_datetime_t *out);
// The same instant seen at another offset (minutes east of UTC): a
// signing time in Vietnam's +07:00, or in UTC (offset 0) for X.509.
void ap_datetime_at_offset(const ap_datetime_t *d, int offset, ap_datetime_t *out);
// As a PDF date string: D:20231215083000+07'00'.
void ap_datetime_pdf(const ap_datetime_t *d, char out[AP_DATETIME_PDF]);
// As an XMP date: 2023-12-15T08:30:00+07:00, or 2023-12-15 for a date alone
// when date_alone is true (a date alone always gets 00:00:00+00:00 otherwise).
void ap_datetime_iso(const ap_datetime_t *d, bool date_alone, char out[AP_DATETIME_ISO]);

#endif
