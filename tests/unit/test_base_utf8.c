// Unit tests for base/utf8.c: validation with byte offsets, decoding,
// encoding and NFC of Vietnamese text.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <utf8proc.h>

#include <string.h>

#include "base/utf8.h"

// "Báo cáo tổng hợp năm 2026 – Nguyễn Thị Ánh" precomposed (NFC).
#define SENTENCE_NFC                                                                               \
  "B\xC3\xA1o c\xC3\xA1o t\xE1\xBB\x95ng h\xE1\xBB\xA3p n\xC4\x83m 2026 \xE2\x80\x93 "             \
  "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xC3\x81nh"
// The same sentence decomposed (NFD): base letters + combining marks.
#define SENTENCE_NFD                                                                               \
  "Ba\xCC\x81o ca\xCC\x81o to\xCC\x82\xCC\x89ng ho\xCC\x9B\xCC\xA3p "                      \
  "na\xCC\x86m 2026 \xE2\x80\x93 "                                                               \
  "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 A\xCC\x81nh"

// Validate s (len bytes, may hold NULs) and expect failure at offset.
static void
expect_bad(const char *s, size_t len, size_t offset)
{
  size_t bad = (size_t)-1;

  assert_false(ap_utf8_validate(s, len, &bad));
  assert_int_equal(bad, offset);
}

static void
test_validate_good(void **state)
{
  size_t bad = 12345;

  assert_true(ap_utf8_validate(SENTENCE_NFC, strlen(SENTENCE_NFC), &bad));
  assert_true(ap_utf8_validate(SENTENCE_NFD, strlen(SENTENCE_NFD), &bad));
  assert_int_equal(bad, 12345); // Untouched on success
  assert_true(ap_utf8_validate("", 0, NULL));
  assert_true(ap_utf8_validate("plain ascii", 11, NULL));
  assert_true(ap_utf8_validate("\xF4\x8F\xBF\xBF", 4, NULL)); // U+10FFFF
  assert_true(ap_utf8_validate("\xEF\xBF\xBD", 3, NULL));     // U+FFFD
  assert_true(ap_utf8_validate("\xED\x9F\xBF", 3, NULL));     // U+D7FF, just below surrogates
  assert_true(ap_utf8_validate("\xF0\x9F\x98\x80", 4, NULL)); // U+1F600
  assert_true(ap_utf8_validate("a\0b", 3, NULL));             // NUL is valid UTF-8
}

static void
test_validate_bad(void **state)
{
  expect_bad("Vi\xE1\xBB\x87t \xC3", 8, 7);            // Lone lead byte at the end
  expect_bad("\xC3", 1, 0);                            // Only a lead byte
  expect_bad("ab\xFF" "cd", 5, 2);                     // 0xFF in the middle
  expect_bad("ng\xC3\xA0y \xFE", 7, 6);                // 0xFE
  expect_bad("x\xC0\xAF", 3, 1);                       // Overlong '/'
  expect_bad("\xE0\x80\xAF", 3, 0);                    // Overlong '/' in three bytes
  expect_bad("\xF0\x80\x80\xAF", 4, 0);                // Overlong '/' in four bytes
  expect_bad("ok \xED\xA0\x80", 6, 3);                 // Surrogate U+D800
  expect_bad("\xED\xBF\xBF", 3, 0);                    // Surrogate U+DFFF
  expect_bad("\xF4\x90\x80\x80", 4, 0);                // U+110000
  expect_bad("\xF5\x80\x80\x80", 4, 0);                // Lead byte past U+10FFFF
  expect_bad("a\x80", 2, 1);                           // Lone continuation byte
  expect_bad("\xE1\xBB", 2, 0);                        // Truncated three-byte sequence
  expect_bad("\xE1\xBB" "a", 3, 0);                    // Continuation replaced by ASCII
  expect_bad("\xC3\xA0\xC3", 3, 2);                    // Good, then truncated
}

static void
test_next(void **state)
{
  const char *text = "a\xC3\xA0\xE1\xBB\x91\xF0\x9F\x98\x80"; // a à ố 😀
  const char *p = text, *end = text + strlen(text);

  assert_int_equal(ap_utf8_next(&p, end), 0x61);
  assert_ptr_equal(p, text + 1);
  assert_int_equal(ap_utf8_next(&p, end), 0xE0);
  assert_ptr_equal(p, text + 3);
  assert_int_equal(ap_utf8_next(&p, end), 0x1ED1);
  assert_ptr_equal(p, text + 6);
  assert_int_equal(ap_utf8_next(&p, end), 0x1F600);
  assert_ptr_equal(p, end);

  // Malformed input gives U+FFFD and moves one byte...
  const char *bad = "\xFF" "a";
  p = bad;
  assert_int_equal(ap_utf8_next(&p, bad + 2), 0xFFFD);
  assert_ptr_equal(p, bad + 1);
  assert_int_equal(ap_utf8_next(&p, bad + 2), 'a');

  // A sequence cut by end is malformed too...
  const char *cut = "\xC3\xA0";
  p = cut;
  assert_int_equal(ap_utf8_next(&p, cut + 1), 0xFFFD);
  assert_ptr_equal(p, cut + 1);

  // So are overlongs and surrogates...
  const char *overlong = "\xC0\xAF";
  p = overlong;
  assert_int_equal(ap_utf8_next(&p, overlong + 2), 0xFFFD);
  assert_ptr_equal(p, overlong + 1);
  const char *surrogate = "\xED\xA0\x80";
  p = surrogate;
  assert_int_equal(ap_utf8_next(&p, surrogate + 3), 0xFFFD);
  assert_ptr_equal(p, surrogate + 1);
}

// ap_utf8_next on len bytes of s decodes as utf8proc_iterate does (U+FFFD
// and one byte for what it rejects) and moves as far.
static void
next_as_utf8proc(const unsigned char *s, size_t len)
{
  const char *p = (const char *)s;
  utf8proc_int32_t want;
  utf8proc_ssize_t n = utf8proc_iterate(s, (utf8proc_ssize_t)len, &want);
  uint32_t got = ap_utf8_next(&p, (const char *)s + len);
  bool same = n <= 0 ? got == 0xFFFD && p == (const char *)s + 1 : got == (uint32_t)want && p == (const char *)s + n;
  if (!same)
    fail_msg("%02X %02X %02X (%zu bytes): U+%04X, %td bytes; utf8proc: %ld, %ld bytes", s[0], s[1], s[2], len,
             (unsigned)got, p - (const char *)s, (long)want, (long)n);
}

// Every lead byte past ASCII, alone, with every next byte, and with every
// two next bytes: ap_utf8_next (its own two- and three-byte path, utf8proc
// for the rest) decodes as utf8proc_iterate does.
static void
test_next_as_utf8proc(void **state)
{
  unsigned char s[3] = {0};
  (void)state;
  for (unsigned b0 = 0x80; b0 <= 0xFF; b0++) {
    s[0] = (unsigned char)b0, s[1] = s[2] = 0;
    next_as_utf8proc(s, 1);
    for (unsigned b1 = 0; b1 <= 0xFF; b1++) {
      s[1] = (unsigned char)b1, s[2] = 0;
      next_as_utf8proc(s, 2);
      for (unsigned b2 = 0; b2 <= 0xFF; b2++) {
        s[2] = (unsigned char)b2;
        next_as_utf8proc(s, 3);
      }
    }
  }
}

static void
test_encode(void **state)
{
  static const struct {
    uint32_t cp;       // Code point
    size_t len;        // Expected length
    const char *bytes; // Expected bytes
  } cases[] = {
      {0x00, 1, "\x00"},
      {0x41, 1, "A"},
      {0x7F, 1, "\x7F"},
      {0x80, 2, "\xC2\x80"},
      {0xE0, 2, "\xC3\xA0"},
      {0x7FF, 2, "\xDF\xBF"},
      {0x800, 3, "\xE0\xA0\x80"},
      {0x1ED1, 3, "\xE1\xBB\x91"},
      {0xFFFD, 3, "\xEF\xBF\xBD"},
      {0xFFFF, 3, "\xEF\xBF\xBF"},
      {0x10000, 4, "\xF0\x90\x80\x80"},
      {0x1F600, 4, "\xF0\x9F\x98\x80"},
      {0x10FFFF, 4, "\xF4\x8F\xBF\xBF"},
  };

  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char out[4];
    size_t n = ap_utf8_encode(cases[i].cp, out);
    const char *p = out;

    assert_int_equal(n, cases[i].len);
    assert_memory_equal(out, cases[i].bytes, n);
    assert_true(ap_utf8_validate(out, n, NULL));
    assert_int_equal(ap_utf8_next(&p, out + n), cases[i].cp); // Round trip
    assert_ptr_equal(p, out + n);
  }
}

static void
test_nfc(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  char *s;

  assert_non_null(arena);

  // o + U+0302 + U+0301 becomes U+1ED1...
  s = ap_utf8_nfc(arena, "no\xCC\x82\xCC\x81i", 7);
  assert_non_null(s);
  assert_string_equal(s, "n\xE1\xBB\x91i");

  // A whole decomposed sentence equals its precomposed twin, byte for byte...
  s = ap_utf8_nfc(arena, SENTENCE_NFD, strlen(SENTENCE_NFD));
  assert_non_null(s);
  assert_int_equal(strlen(s), strlen(SENTENCE_NFC));
  assert_memory_equal(s, SENTENCE_NFC, strlen(SENTENCE_NFC));

  // NFC input is unchanged; only len bytes are read...
  s = ap_utf8_nfc(arena, SENTENCE_NFC, strlen(SENTENCE_NFC));
  assert_string_equal(s, SENTENCE_NFC);
  s = ap_utf8_nfc(arena, "abcdef", 3);
  assert_string_equal(s, "abc");
  s = ap_utf8_nfc(arena, "", 0);
  assert_non_null(s);
  assert_string_equal(s, "");

  // Invalid UTF-8 gives NULL...
  assert_null(ap_utf8_nfc(arena, "ab\xFF", 3));
  assert_null(ap_utf8_nfc(arena, "\xED\xA0\x80", 3));
  ap_arena_destroy(arena);
}

// NFC piece by piece (ap_utf8_nfc normalizes only around the code points
// that do not stand alone) equals utf8proc's NFC of the whole text, on
// 20,000 random texts of letters, Vietnamese marks (composing, reordered,
// stacked), precomposed letters, the quads U+2000/U+2001, Hangul jamo
// (which compose without marks), singletons (U+212B, U+0958) and
// composition exclusions.
static void
test_nfc_as_utf8proc(void **state)
{
  static const uint32_t alphabet[] = {
      'a',    'e',    'o',    'u',    'A',    ' ',    '.',    0x01A1, 0x01B0, 0x00E2, 0x0300, 0x0301, 0x0302,
      0x0303, 0x0309, 0x0323, 0x031B, 0x0306, 0x0345, 0x0344, 0x1EC7, 0x1EA0, 0x2000, 0x2001, 0x2013,
      0x1100, 0x1161, 0x11A8, 0xAC00, 0x212B, 0x0958, 0x093C, 0x0F73, 0x05B0, 0x05B7, 0x0591, 0x0041,
      0x030A, 0x00C5, 0x0385, 0x1F00, 0x0313, 0x1D15E, 0x4E2D,
  };
  const size_t letters = sizeof(alphabet) / sizeof(alphabet[0]);
  uint32_t seed = 12345;
  ap_arena_t *arena = ap_arena_create();
  (void)state;
  assert_non_null(arena);

  for (int round = 0; round < 20000; round++) {
    char text[16 * 4];
    size_t len = 0;
    seed = seed * 1103515245u + 12345u;
    int count = (int)((seed >> 16) % 16);
    for (int i = 0; i < count; i++) {
      seed = seed * 1103515245u + 12345u;
      len += ap_utf8_encode(alphabet[(seed >> 16) % letters], text + len);
    }
    utf8proc_uint8_t *whole = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, &whole,
                                      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    assert_true(n >= 0);
    const char *pieces = ap_utf8_nfc(arena, text, len);
    assert_non_null(pieces);
    assert_int_equal(strlen(pieces), (size_t)n);
    assert_memory_equal(pieces, whole, (size_t)n);
    assert_int_equal(ap_utf8_is_nfc(text, len), (size_t)n == len && !memcmp(whole, text, len));
    bool plain = !ap_utf8_is_plainly_nfc(text, len); // (the opposite: the call must set it)
    assert_true(ap_utf8_validate_plain(text, len, NULL, &plain));
    assert_int_equal(plain, ap_utf8_is_plainly_nfc(text, len));
    if (plain) // A text taken for NFC by its code points is utf8proc's NFC (U+2000 was not)
      assert_true((size_t)n == len && !memcmp(whole, text, len));
    free(whole);
  }
  ap_arena_destroy(arena);
}

static void
test_is_nfc(void **state)
{
  assert_true(ap_utf8_is_nfc("", 0));
  assert_true(ap_utf8_is_nfc("ascii only", 10));
  assert_true(ap_utf8_is_nfc(SENTENCE_NFC, strlen(SENTENCE_NFC)));
  assert_true(ap_utf8_is_nfc("n\xE1\xBB\x91i", 5));
  assert_false(ap_utf8_is_nfc(SENTENCE_NFD, strlen(SENTENCE_NFD)));
  assert_false(ap_utf8_is_nfc("no\xCC\x82\xCC\x81i", 7));
  assert_false(ap_utf8_is_nfc("e\xCC\x81", 3)); // e + combining acute
  // The quads are NFC U+2002 and U+2003 (the rest of U+2000-U+206F stands alone)...
  assert_false(ap_utf8_is_plainly_nfc("a\xE2\x80\x80", 4));
  assert_false(ap_utf8_is_nfc("a\xE2\x80\x80", 4));
  assert_false(ap_utf8_is_nfc("\xE2\x80\x81", 3));
  assert_true(ap_utf8_is_plainly_nfc("a\xE2\x80\x82\xE2\x80\x93", 7));
  // ...and told in the pass that validates, which still gives the bad byte.
  bool plain = false;
  size_t bad = 0;
  assert_true(ap_utf8_validate_plain(SENTENCE_NFC, strlen(SENTENCE_NFC), &bad, &plain) && plain);
  assert_true(ap_utf8_validate_plain(SENTENCE_NFD, strlen(SENTENCE_NFD), &bad, &plain) && !plain);
  assert_false(ap_utf8_validate_plain("ok \xE1\xBB", 5, &bad, &plain));
  assert_int_equal(bad, 3);
}

// Random bytes, heavy in the bytes where sequences start, end and go wrong:
// ap_utf8_validate_plain agrees with utf8proc_iterate on what is valid and
// where the first bad sequence starts, and with the rule of code points
// that stand alone (written plainly here) on what is plainly NFC. Its fast
// paths for C2..DF and E1 sequences must give what the full check gives.
static void
test_validate_random(void **state)
{
  (void)state;
  static const unsigned char bytes[] = {'a', ' ', 0x00, 0x7F, 0x80, 0x83, 0x9F, 0xA0, 0xBA, 0xBB, 0xBF,
                                        0xC0, 0xC1, 0xC2, 0xC4, 0xCB, 0xCC, 0xCD, 0xDF, 0xE0, 0xE1,
                                        0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  uint32_t seed = 11;
  for (int round = 0; round < 50000; round++) {
    unsigned char text[12];
    seed = seed * 1103515245u + 12345u;
    size_t len = (seed >> 16) % sizeof(text);
    for (size_t i = 0; i < len; i++) {
      seed = seed * 1103515245u + 12345u;
      text[i] = bytes[(seed >> 16) % sizeof(bytes)];
    }
    bool valid = true, alone = true;
    size_t at = 0;
    while (at < len) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t n = utf8proc_iterate(text + at, (utf8proc_ssize_t)(len - at), &cp);
      if (n <= 0) {
        valid = false;
        break;
      }
      alone = alone && (cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2002 && cp <= 0x206F));
      at += (size_t)n;
    }
    size_t bad = SIZE_MAX;
    bool plain = !alone;
    assert_int_equal(ap_utf8_validate_plain((const char *)text, len, &bad, &plain), valid);
    if (valid)
      assert_int_equal(plain, alone);
    else
      assert_int_equal(bad, at);
  }
}

// Combining marks (they stay with their base when a fallback face sets it)
// and the characters messages may quote as themselves.
static void
test_categories(void **state)
{
  (void)state;
  assert_true(ap_utf8_is_mark(0x0301));   // combining acute (Mn)
  assert_true(ap_utf8_is_mark(0x031B));   // combining horn, Vietnamese ơ ư decomposed
  assert_true(ap_utf8_is_mark(0x20DD));   // combining enclosing circle (Me)
  assert_false(ap_utf8_is_mark('a'));
  assert_false(ap_utf8_is_mark(0x1EA1)); // ạ precomposed
  assert_true(ap_utf8_is_visible(0x2713));  // ✓
  assert_true(ap_utf8_is_visible(0x1EA1));
  assert_false(ap_utf8_is_visible(0x200B)); // zero-width space (Cf)
  assert_false(ap_utf8_is_visible(0x0007)); // control
  assert_false(ap_utf8_is_visible(0xE000)); // private use
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate_good), cmocka_unit_test(test_validate_bad),
      cmocka_unit_test(test_next),          cmocka_unit_test(test_next_as_utf8proc),
      cmocka_unit_test(test_encode),
      cmocka_unit_test(test_nfc),           cmocka_unit_test(test_nfc_as_utf8proc),
      cmocka_unit_test(test_is_nfc), cmocka_unit_test(test_validate_random),
      cmocka_unit_test(test_categories),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
