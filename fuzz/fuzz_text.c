// Fuzz target: the text pipeline. Any bytes go through UTF-8 decoding and
// validation; valid text is collapsed and normalized to NFC as bind does,
// then broken into lines (Knuth–Plass) the way flow lays out a paragraph.
// Input: byte 0 = alignment and tolerance, byte 1 = measure, byte 2 =
// first-line indent, then the text; a 0x01 byte starts the next inline item
// (each item takes the next face: serif regular, bold, italic, sans; and a
// size from 6 to 25 pt). Invariants are checked, not just crashes.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "bind/bind.h"
#include "font/font.h"
#include "layout/text/text.h"

#define MAX_ITEMS 16 // Inline items per paragraph

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_decoding(const char *s, size_t len);

static ap_fontset_t *fonts;  // Loaded once per process (a job's fonts live as long as the job)
static const ap_font_t *faces[4]; // Serif regular, bold, italic; sans regular

//
// 'LLVMFuzzerTestOneInput()' - Decode, normalize and break one paragraph.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const files[4] = {"LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                                       "LiberationSerif-Italic.ttf", "DejaVuSans.ttf"};
  ap_diags_t diags = {0};     // What was wrong
  ap_inline_t items[MAX_ITEMS]; // The paragraph's items
  size_t nitems = 0;          // How many

  // The faces, once...
  if (!fonts) {
    fonts = ap_fontset_create();
    for (int i = 0; i < 4; i++) {
      char path[512];
      snprintf(path, sizeof(path), "%s/fonts/%s", AP_SOURCE_DIR, files[i]);
      if (!fonts || !(faces[i] = ap_fontset_load(fonts, path, &diags, ap_loc_file("fuzz"))))
        abort();
    }
  }
  if (size < 3)
    return 0;
  ap_par_config_t config = {.measure = 1.0 + data[1] * 2.0, // 1 to 511 pt
                            .first_indent = (data[2] % 64) * 1.5,
                            .align = (ap_align_t)(data[0] % 4),
                            .tolerance = 1.0 + (data[0] / 4 % 4)};
  const char *text = (const char *)data + 3;
  size_t len = size - 3;

  // Decoding must agree with validation whatever the bytes...
  check_decoding(text, len);
  size_t bad;
  if (!ap_utf8_validate(text, len, &bad) || memchr(text, 0, len))
    return 0;

  // Items: collapse, NFC (as bind does), and NFC is stable...
  ap_arena_t *arena = ap_arena_create();
  if (!arena)
    abort();
  for (const char *p = text, *end = text + len; p <= end && nitems < MAX_ITEMS;) {
    const char *stop = memchr(p, 0x01, (size_t)(end - p));
    if (!stop)
      stop = end;
    char *collapsed = ap_bind_collapse(arena, p, (size_t)(stop - p));
    char *nfc = ap_utf8_nfc(arena, collapsed, strlen(collapsed));
    if (!nfc || !ap_utf8_is_nfc(nfc, strlen(nfc)) || !ap_utf8_validate(nfc, strlen(nfc), &bad))
      abort();
    if (*nfc) {
      memset(&items[nitems], 0, sizeof(items[nitems]));
      items[nitems].text = nfc;
      items[nitems].len = strlen(nfc);
      items[nitems].font = faces[nitems % 4];
      items[nitems].size = 6.0 + (double)((nitems * 7 + (size_t)data[0]) % 20);
      nitems++;
    }
    p = stop + 1;
  }

  // Break into lines: false only with a diagnostic (a missing glyph); a
  // paragraph of spaces alone gives no line...
  ap_line_t *lines = NULL;
  size_t nlines = 0;
  bool ok = ap_par_layout(arena, items, nitems, &config, &lines, &nlines, &diags, ap_loc_file("fuzz.xml"));
  if (ok != (diags.errors == 0))
    abort();
  for (size_t i = 0; ok && i < nlines; i++)
    for (const ap_run_t *r = lines[i].runs; r; r = r->next)
      if (!(r->x == r->x) || !(r->width == r->width)) // NaN positions
        abort();
  ap_diags_clear(&diags);
  ap_arena_destroy(arena);
  return 0;
}

// ap_utf8_next walks any bytes to their end, and on valid UTF-8 the code
// points it gives encode back to the same bytes.
static void
check_decoding(const char *s, size_t len)
{
  size_t bad;
  bool valid = ap_utf8_validate(s, len, &bad);
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *before = p;
    uint32_t cp = ap_utf8_next(&p, end);
    char out[4];
    if (p <= before || p > end || cp > 0x10FFFF)
      abort();
    if (valid && (ap_utf8_encode(cp, out) != (size_t)(p - before) || memcmp(out, before, (size_t)(p - before))))
      abort();
  }
  if (!valid && bad >= len)
    abort();
}
