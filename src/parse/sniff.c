// What a file is before libxml2 reads it: another format known by its first
// bytes (PNG, PDF, ZIP...), UTF-16 or UTF-32 text, binary data or stray
// text. UTF-16 with a byte order mark is converted with iconv (glibc).
#include "parse-private.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool from_utf16(ap_source_t *src, bool big_endian, ap_diags_t *diags);

//
// 'ap_source_sniff()' - Say what a file is when it is not XML.
//
// One diagnostic and false for a file that is empty, white space, another
// format (by its first bytes), UTF-32, UTF-16 without a byte order mark,
// binary data or text that does not start with '<'. UTF-16 with a byte
// order mark is converted to UTF-8 in place (*converted set): its
// encoding is not a guess.
//

bool
ap_source_sniff(ap_source_t *src, bool *converted, ap_diags_t *diags)
{
  static const struct {
    const char *magic; // First bytes
    size_t len;        // How many
    const char *what;  // What such a file is
  } kinds[] = {
      {"\x89PNG\r\n\x1a\n", 8, "a PNG image"},
      {"\xFF\xD8\xFF", 3, "a JPEG image"},
      {"GIF8", 4, "a GIF image"},
      {"%PDF-", 5, "a PDF document"},
      {"PK\x03\x04", 4, "a ZIP archive (a .docx or .xlsx?)"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "an old Office file (a .doc or .xls?)"},
      {"{\\rtf", 5, "an RTF document"},
      {"\x1F\x8B", 2, "a gzip archive"},
  };
  const unsigned char *b = (const unsigned char *)src->text;
  size_t n = src->size, i = 0;
  ap_loc_t loc = ap_loc_file(src->path);
#define ascii(c) (((c) >= 0x20 && (c) < 0x7F) || (c) == '\t' || (c) == '\r' || (c) == '\n')

  // Nothing, another format, UTF-32, UTF-16...
  if (n == 0)
    return ap_fail(diags, loc, "the file is empty: expected an XML document");
  for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
    if (n >= kinds[k].len && !memcmp(b, kinds[k].magic, kinds[k].len))
      return ap_fail(diags, loc, "not XML: the file starts with the bytes of %s: expected an XML document",
                     kinds[k].what);
  if (n >= 4 && (!memcmp(b, "\xFF\xFE\0\0", 4) || !memcmp(b, "\0\0\xFE\xFF", 4)))
    return ap_fail(diags, loc, "UTF-32 text: save it as UTF-8");
  if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
    if (!from_utf16(src, /*big_endian*/ b[0] == 0xFE, diags))
      return false;
    *converted = true;
    b = (const unsigned char *)src->text;
    n = src->size;
  } else if (n >= 4 && ((ascii(b[0]) && !b[1] && ascii(b[2]) && !b[3]) ||
                        (!b[0] && ascii(b[1]) && !b[2] && ascii(b[3])))) {
    return ap_fail(diags, loc, "UTF-16 text without a byte order mark: save it as UTF-8");
  }

  // ...then XML starts with '<' (after a UTF-8 byte order mark and white space)...
  if (n >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3))
    i = 3;
  while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
    i++;
#undef ascii
  if (i == n)
    return ap_fail(diags, loc, "the file holds only white space: expected an XML document");
  if (b[i] == '<')
    return true;

  // ...else say whether it is binary data or some other text.
  bool binary = false;
  for (size_t k = i; k < n && k < i + 16; k++)
    if ((b[k] < 0x20 && b[k] != '\t' && b[k] != '\r' && b[k] != '\n') || b[k] == 0x7F)
      binary = true;
  char shown[64] = ""; // The first bytes in hex, or the first words
  size_t len = 0;
  if (binary) {
    for (size_t k = 0; k < n && k < 8; k++)
      len += (size_t)snprintf(shown + len, sizeof(shown) - len, "%s%02X", k ? " " : "", b[k]);
    return ap_fail(diags, loc, "not XML: the file starts with binary data (bytes %s%s): expected an XML document",
                   shown, n > 8 ? " ..." : "");
  }
  for (size_t k = i; k < n && len < 40 && b[k] >= 0x20 && b[k] != 0x7F;) {
    size_t seq = b[k] < 0x80 ? 1 : (b[k] & 0xE0) == 0xC0 ? 2 : (b[k] & 0xF0) == 0xE0 ? 3 : (b[k] & 0xF8) == 0xF0 ? 4 : 0;
    bool whole = seq > 0 && k + seq <= n;
    for (size_t c = 1; whole && c < seq; c++)
      whole = (b[k + c] & 0xC0) == 0x80;
    if (!whole)
      break;
    memcpy(shown + len, b + k, seq);
    len += seq;
    k += seq;
  }
  shown[len] = '\0';
  return ap_fail(diags, loc, "not XML: the file starts with the text '%s%s': expected an XML document, which "
                 "starts with '<'", shown, len == 40 || (i + len < n && b[i + len] >= 0x20) ? "..." : "");
}

// Replace UTF-16 text (after its byte order mark) by its UTF-8 form.
static bool
from_utf16(ap_source_t *src, bool big_endian, ap_diags_t *diags)
{
  iconv_t cd = iconv_open("UTF-8", big_endian ? "UTF-16BE" : "UTF-16LE");
  if (cd == (iconv_t)-1)
    return ap_fail(diags, ap_loc_file(src->path), "UTF-16 text cannot be converted here: save it as UTF-8");
  size_t cap = src->size / 2 * 3 + 4; // Each UTF-16 unit gives at most 3 bytes
  char *out = malloc(cap + 1), *in = src->text + 2, *o = out;
  size_t inleft = src->size - 2, outleft = cap;
  if (!out) {
    iconv_close(cd);
    return ap_fail(diags, ap_loc_file(src->path), "out of memory");
  }
  size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
  iconv_close(cd);
  if (rc == (size_t)-1) {
    free(out);
    return ap_fail(diags, ap_loc_file(src->path), "invalid UTF-16 at byte %zu: expected UTF-16 text throughout "
                   "(better: save the file as UTF-8)", (size_t)(in - src->text));
  }
  free(src->text);
  src->text = out;
  src->size = cap - outleft;
  out[src->size] = '\0';
  return true;
}
