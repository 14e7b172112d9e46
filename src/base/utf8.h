// UTF-8: validation, decoding and NFC normalization (through utf8proc).
// Every text that enters the pipeline goes through ap_utf8_nfc once.
#ifndef AP_UTF8_H
#define AP_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

// True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates, or
// code points past U+10FFFF). Otherwise *bad_offset gets the byte offset of
// the start of the first malformed sequence.
bool ap_utf8_validate(const char *s, size_t len, size_t *bad_offset);
// ap_utf8_validate, telling in the same pass whether the text is NFC by its
// code points alone (ap_utf8_is_plainly_nfc) when it is valid.
bool ap_utf8_validate_plain(const char *s, size_t len, size_t *bad_offset, bool *plain);
// Decode the code point at *p (advancing *p past it); end bounds the read.
// Returns 0xFFFD for a malformed sequence and advances one byte; returns 0
// without moving when *p is at (or past) end. ASCII is decoded here, inline
// (most of a Vietnamese text: measuring and breaking ask for every
// character); anything else by utf8proc (ap_utf8_next_multibyte).
uint32_t ap_utf8_next_multibyte(const char **p, const char *end);
static inline uint32_t
ap_utf8_next(const char **p, const char *end)
{
  if (*p < end && (unsigned char)**p < 0x80)
    return (uint32_t)(unsigned char)*(*p)++;
  return ap_utf8_next_multibyte(p, end);
}
// Encode cp into out (4 bytes at most); returns the number of bytes. A
// surrogate or a value past U+10FFFF is written as U+FFFD.
size_t ap_utf8_encode(uint32_t cp, char out[4]);
// NFC of valid UTF-8, owned by the arena; NULL when the input is not valid
// UTF-8 (validate first to get the offset).
char *ap_utf8_nfc(ap_arena_t *arena, const char *s, size_t len);
// True when the text is already NFC (cheap check used before copying).
bool ap_utf8_is_nfc(const char *s, size_t len);
// True when the text is NFC by its code points alone (false: ap_utf8_is_nfc decides).
bool ap_utf8_is_plainly_nfc(const char *s, size_t len);
// True for a combining mark (Unicode categories Mn, Mc, Me): it belongs
// with the character before it.
bool ap_utf8_is_mark(uint32_t cp);
// True for a character that prints as itself (not a control, format,
// separator, private-use or unassigned code point): messages quote it.
bool ap_utf8_is_visible(uint32_t cp);

#endif
