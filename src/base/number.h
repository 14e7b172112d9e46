// Numbers of the layout language and the limits of what a layout creates.
// Every number read from a layout, from the data (interpolated attributes,
// chart values) or from the command line is read here against the range of
// its kind, so that NaN, infinities and absurd sizes stop at their attribute
// and never reach layout or the PDF writer. docs/limits.md lists them all.
#ifndef AP_NUMBER_H
#define AP_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

// What the layout creates (counted at bind or layout time).
#define AP_MAX_PAGES 100000       // Pages of one document (each pass)
#define AP_MAX_TABLE_ROWS 1000000 // Rows of one table (header, body and footer)
#define AP_MAX_TABLE_COLUMNS 1000 // <column>s of one table
#define AP_MAX_FOOTNOTES 100000   // Footnotes of one document
#define AP_MAX_VALUE 1e15         // Largest magnitude of a data value shown or charted

// How a number's text is read.
typedef enum ap_num_kind_e {
  AP_NUM_LENGTH,  // A length: a number and pt, mm or cm (bare = pt); kept in points
  AP_NUM_REAL,    // A decimal number, followed by the range's suffix when it has one
  AP_NUM_INTEGER  // A whole number (digits with an optional sign)
} ap_num_kind_t;

// The range a kind of number must fall in, and how a message names it.
typedef struct ap_range_s {
  ap_num_kind_t kind;     // How the text is read
  const char *what;       // What the message calls it: "a length", "a font size"
  double min, max;        // Inclusive bounds, in unit (mm or pt for lengths)
  bool above_min;         // min itself is refused: the value must be greater
  const char *unit;       // Unit of min and max in messages ("mm", "pt", "%", "fr" or "")
} ap_range_t;

// The ranges (their values are in docs/limits.md)...
extern const ap_range_t AP_RANGE_LENGTH;      // Spaces, margins, gaps, paddings, offsets: 0 to 5000 mm
extern const ap_range_t AP_RANGE_EXTENT;      // A width or height that must show: above 0, at most 5000 mm
extern const ap_range_t AP_RANGE_INDENT;      // A first-line indent (hanging when negative): -500 to 500 mm
extern const ap_range_t AP_RANGE_PAGE_SIDE;   // A side of a custom page size: 10 to 5000 mm
extern const ap_range_t AP_RANGE_THICKNESS;   // A line, rule, border or stroke: 0 to 100 mm
extern const ap_range_t AP_RANGE_FONT_SIZE;   // A font size: 1 to 1000 pt
extern const ap_range_t AP_RANGE_LEADING;     // A leading given as a length: above 0, at most 2000 pt
extern const ap_range_t AP_RANGE_POSITION;    // A slide position's length part: -5000 to 5000 mm
extern const ap_range_t AP_RANGE_FRACTION;    // A slide position's percentage part: -1000 to 1000 %
extern const ap_range_t AP_RANGE_PERCENT;     // A column of a <columns> row: above 0, at most 100 %
extern const ap_range_t AP_RANGE_CMYK;        // A CMYK component: 0 to 100 %
extern const ap_range_t AP_RANGE_SHARE;       // A table column share: above 0, at most 1000 fr
extern const ap_range_t AP_RANGE_DECIMALS;    // Decimals of a value or chart: 0 to 10
extern const ap_range_t AP_RANGE_DIGITS;      // Minimum digits of a value: 1 to 9
extern const ap_range_t AP_RANGE_LEVEL;       // A heading, numbering or TOC level: 1 to 6
extern const ap_range_t AP_RANGE_GRID_COLUMNS; // Columns of a slide grid: 1 to 12
extern const ap_range_t AP_RANGE_SPAN;        // A cell's colspan or rowspan: 1 to 1000
extern const ap_range_t AP_RANGE_PER_PAGE;    // Slides per handout page: 1 to 6 (1, 2, 3, 4, 6 at layout)
extern const ap_range_t AP_RANGE_VALUE;       // A data value shown or charted: -1e15 to 1e15
extern const ap_range_t AP_RANGE_PAGE_NUMBER; // A page's number (first-number, number=): 1 to 100,000
extern const ap_range_t AP_RANGE_PIXELS;      // --max-image-pixels: 1 to 10,000,000,000
extern const ap_range_t AP_RANGE_BLEED;       // A page template's bleed: 0 to 20 mm
extern const ap_range_t AP_RANGE_OPACITY;     // A watermark's opacity: above 0, at most 100 %
extern const ap_range_t AP_RANGE_ANGLE;       // A watermark's angle: -180 to 180 degrees

// Count one more of what (a "pages", "rows in a table"...) against its
// limit: false, recording "more than MAX WHAT: the limit is MAX" at loc,
// once *count passes max.
bool ap_number_count(ap_diags_t *diags, ap_loc_t loc, const char *what, int *count, int max);
// Describe a range as messages do ("a length from 0mm to 5000mm") into buf.
void ap_number_describe(const ap_range_t *range, char *buf, size_t size);
// True when value is finite and inside range (value in points for lengths).
bool ap_number_in(const ap_range_t *range, double value);
// Read text as a number of range's kind and check it; false (value
// untouched) when the text is not such a number or lies outside.
bool ap_number_parse(const ap_range_t *range, const char *text, double *value);
// As ap_number_parse, recording `name="text": expected <range>` at loc on failure.
bool ap_number_read(ap_diags_t *diags, ap_loc_t loc, const char *name, const char *text,
                    const ap_range_t *range, double *value);
// Read the number at the start of text: [sign] digits [. digits] [e [sign]
// digits], never "nan", "inf" or hexadecimal; *end gets what follows.
// False when text does not start with one.
bool ap_number_scan(const char *text, double *value, const char **end);

#endif
