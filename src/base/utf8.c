// UTF-8 validation and decoding by hand (byte offsets for errors), NFC
// through utf8proc (a maintained Unicode database beats a hand-made table).
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

// A code point that is its own NFC and never combines with a neighbour
// (canonical combining class 0, NFC_Quick_Check Yes): NFC may cut a text
// before it. Below U+0300 (ASCII, Latin-1, Latin Extended-A/B), precomposed
// Vietnamese (U+1E00-U+1EFF) and general punctuation from U+2002 (U+2000
// and U+2001, the quads, are NFC U+2002 and U+2003) are such; every other
// code point is left to utf8proc, which knows.
static inline bool
stands_alone(uint32_t cp)
{
  return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) || (cp >= 0x2002 && cp <= 0x206F);
}

typedef struct piece_buf_s {
  char *bytes;     // malloc'ed
  size_t n, alloc; // Used and allocated
} piece_buf_t;

static bool append(piece_buf_t *b, const char *bytes, size_t n);

//
// 'ap_utf8_encode()' - Encode one code point; returns its byte count.
//

size_t
ap_utf8_encode(uint32_t cp, char out[4])
{
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) // Not a scalar value: U+FFFD
    cp = 0xFFFD;
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

//
// 'ap_utf8_is_mark()' - True for a combining mark (categories Mn, Mc, Me).
//

bool
ap_utf8_is_mark(uint32_t cp)
{
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);

  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

//
// 'ap_utf8_is_nfc()' - True when the text is already in NFC.
//

bool
ap_utf8_is_nfc(const char *s, size_t len)
{
  if (ap_utf8_is_plainly_nfc(s, len))
    return true;

  utf8proc_uint8_t *nfc = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
                                    UTF8PROC_COMPOSE | UTF8PROC_STABLE);
  bool same = n == (utf8proc_ssize_t)len && !memcmp(nfc, s, len);
  free(nfc);
  return same;
}

//
// 'ap_utf8_is_plainly_nfc()' - True when the text is NFC by its code points alone.
//

bool
ap_utf8_is_plainly_nfc(const char *s, size_t len)
{
  bool plain;
  return ap_utf8_validate_plain(s, len, NULL, &plain) && plain; // (not valid UTF-8: not plainly anything)
}

//
// 'ap_utf8_is_visible()' - True for a character that prints as itself.
//

bool
ap_utf8_is_visible(uint32_t cp)
{
  utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);

  return cat != UTF8PROC_CATEGORY_CN && cat != UTF8PROC_CATEGORY_CC && cat != UTF8PROC_CATEGORY_CF &&
         cat != UTF8PROC_CATEGORY_CS && cat != UTF8PROC_CATEGORY_CO && cat != UTF8PROC_CATEGORY_ZS &&
         cat != UTF8PROC_CATEGORY_ZL && cat != UTF8PROC_CATEGORY_ZP;
}

//
// 'ap_utf8_next_multibyte()' - Decode the code point at *p and advance past it.
//
// What ap_utf8_next (utf8.h) does not decode inline: a code point past
// ASCII, a malformed sequence, the end. Well-formed two- and three-byte
// sequences (every Vietnamese letter: U+00C0-U+01B0, U+1EA0-U+1EF9) are
// decoded here with utf8proc_iterate's own checks (continuation bytes, no
// overlong form, no surrogate); the rest goes to utf8proc. Measuring,
// breaking and drawing decode every character, and the call into
// utf8proc was 3 % of the 2023 report's instructions.
//

uint32_t
ap_utf8_next_multibyte(const char **p, const char *end)
{
  const unsigned char *s = (const unsigned char *)*p;
  utf8proc_int32_t cp;
  if (*p >= end) // Nothing left: never read or move past the end
    return 0;
  ptrdiff_t left = end - *p;
  if (s[0] >= 0xC2 && s[0] <= 0xDF && left >= 2 && (s[1] & 0xC0) == 0x80) {
    *p += 2;
    return (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
  }
  if ((s[0] & 0xF0) == 0xE0 && left >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    uint32_t three = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
    if (three >= 0x800 && (three < 0xD800 || three > 0xDFFF)) {
      *p += 3;
      return three;
    }
  }
  utf8proc_ssize_t n = utf8proc_iterate(s, left, &cp);

  if (n <= 0) {
    (*p)++;
    return 0xFFFD;
  }
  *p += n;
  return (uint32_t)cp;
}

//
// 'ap_utf8_nfc()' - NFC copy of valid UTF-8, owned by the arena.
//
// NFC of a text is the NFC of its pieces cut before every code point that
// stands alone: such code points are copied, and only a piece that holds
// another one (from the last code point standing alone before it, which a
// mark may compose with, to the next one) goes through utf8proc. A seed's
// decomposed paragraph costs a few pieces, not a pass of utf8proc over it.
//

char *
ap_utf8_nfc(ap_arena_t *arena, const char *s, size_t len)
{
  if (!ap_utf8_validate(s, len, NULL))
    return NULL;

  piece_buf_t out = {0};
  const char *p = s, *end = s + len;
  const char *copied = s; // Input up to here is in out
  const char *start = s;  // Where the current piece begins
  bool ok = true;

  while (ok && p < end) {
    const char *at = p;
    if (stands_alone(ap_utf8_next(&p, end))) {
      start = at;
      continue;
    }
    // A piece for utf8proc: on to the next code point that stands alone...
    while (p < end) {
      const char *q = p;
      if (stands_alone(ap_utf8_next(&q, end)))
        break;
      p = q;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)start, (utf8proc_ssize_t)(p - start), &nfc,
                                      UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    ok = n >= 0 && append(&out, copied, (size_t)(start - copied)) && append(&out, (const char *)nfc, (size_t)n);
    free(nfc);
    copied = start = p;
  }
  char *nfc = !ok                ? NULL
              : copied == s      ? ap_arena_strndup(arena, s, len) // (nothing to normalize)
              : append(&out, copied, (size_t)(end - copied)) ? ap_arena_strndup(arena, out.bytes, out.n)
                                                              : NULL;
  free(out.bytes);
  return nfc;
}

// Append bytes to a growing buffer; false when out of memory.
static bool
append(piece_buf_t *b, const char *bytes, size_t n)
{
  if (b->n + n > b->alloc) {
    size_t alloc = b->alloc ? b->alloc : 256;
    while (alloc < b->n + n)
      alloc *= 2;
    char *grown = realloc(b->bytes, alloc);
    if (!grown)
      return false;
    b->bytes = grown;
    b->alloc = alloc;
  }
  if (n)
    memcpy(b->bytes + b->n, bytes, n);
  b->n += n;
  return true;
}

//
// 'ap_utf8_validate()' - Check well-formedness; report the first bad byte.
//

bool
ap_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
  return ap_utf8_validate_plain(s, len, bad_offset, NULL);
}

//
// 'ap_utf8_validate_plain()' - ap_utf8_validate, and ap_utf8_is_plainly_nfc in the same pass.
//

bool
ap_utf8_validate_plain(const char *s, size_t len, size_t *bad_offset, bool *plain)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  bool alone = true; // Every code point so far stands alone

  while (i < len) {
    unsigned c = u[i];
    size_t n;         // Continuation bytes expected
    uint32_t cp, min; // Code point and the smallest one that needs this length

    if (c < 0x80) {
      i++;
      continue;
    }
    // Vietnamese text is mostly two sequences: Latin-1 and Latin Extended
    // (Ă, Đ, Ơ, Ư: C2..DF, never overlong) and Latin Extended Additional
    // (ạ…ỹ: E1, neither overlong nor a surrogate); only their continuation
    // bytes need a look...
    if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
      alone = alone && c < 0xCC; // (below U+0300)
      i += 2;
      continue;
    }
    if (c == 0xE1 && i + 2 < len && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
      alone = alone && stands_alone(0x1000 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F));
      i += 3;
      continue;
    }
    // ...every other sequence, checked in full.
    if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      goto bad;
    }
    if (i + n >= len) // Truncated sequence
      goto bad;
    for (size_t k = 1; k <= n; k++) {
      if ((u[i + k] & 0xC0) != 0x80)
        goto bad;
      cp = (cp << 6) | (u[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      goto bad;
    alone = alone && stands_alone(cp);
    i += n + 1;
  }
  if (plain)
    *plain = alone;
  return true;

bad:
  if (bad_offset)
    *bad_offset = i;
  return false;
}
