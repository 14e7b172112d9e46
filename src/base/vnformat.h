// Vietnamese value formatting: thousands with '.', decimals with ',',
// percentages, and dates written out as "ngày 22 tháng 11 năm 2026".
// Locale-independent on purpose: output never depends on LC_NUMERIC.
#ifndef AP_VNFORMAT_H
#define AP_VNFORMAT_H

#include <stdbool.h>
#include <stddef.h>

// Format value with exactly `decimals` decimals (rounded half away from zero),
// '.' between thousands and ',' before decimals: 7520 → "7.520",
// 93.78 (2) → "93,78", -1234.5 (1) → "-1.234,5". decimals < 0 means "as
// many as needed, at most 6, trailing zeros dropped". Returns false when buf
// is too small.
bool ap_format_number(char *buf, size_t size, double value, int decimals);
// As ap_format_number followed by "%": 12.27 (2) → "12,27%".
bool ap_format_percent(char *buf, size_t size, double value, int decimals);
// ISO date "YYYY-MM-DD" → "ngày 22 tháng 11 năm 2026"; with `two_digits`
// days and months below 10 get a leading zero ("ngày 05 tháng 02 năm 2024"),
// as administrative documents write them. Returns false for an invalid date.
bool ap_format_date(char *buf, size_t size, const char *iso, bool two_digits);
// Parse a number written either the XML way ("7520.5") or the Vietnamese way
// ("7.520,5"); returns false when the text is not a number.
bool ap_parse_number(const char *text, double *value);

#endif
