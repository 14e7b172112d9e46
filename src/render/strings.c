// PDF text strings from UTF-8 (ISO 32000-1, 7.9.2.2), for document
// information, outline titles, link contents, alternative text and file
// names: PDFDocEncoding, a literal string, when every character is one of
// Latin-1's printable ones (where the two agree: "Chú thích 3"); else
// UTF-16BE with its byte order mark, made here (Vietnamese). libharu's own
// UTF-8 encoder is never loaded: setting it up cost a sixth of a
// millisecond on every run.
#include "render-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"

//
// 'ap_render_text_string()' - A text string for a dictionary, in the fewest bytes.
//

void *                                // O - The string (owned by the document), NULL when out of memory
ap_render_text_string(ap_writer_t *r, // I - Writer
                      const char *utf8) // I - Text (UTF-8, checked by the driver)
{
  size_t len = strlen(utf8), n = 0;
  const char *p = utf8, *end = utf8 + len;
  bool latin = true;

  // Latin-1's printable characters only: the bytes as they are...
  while (p < end && latin) {
    uint32_t cp = ap_utf8_next(&p, end);
    latin = ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF)) && !(n++ == 0 && cp == 0xFE);
  } // (a leading þÿ would read as a byte order mark)
  if (latin) {
    char *bytes = malloc(len + 1);
    if (!bytes)
      return NULL;
    n = 0;
    for (p = utf8; p < end;)
      bytes[n++] = (char)ap_utf8_next(&p, end);
    bytes[n] = '\0';
    HPDF_String s = HPDF_String_New(r->pdf->mmgr, bytes, NULL);
    free(bytes);
    return s;
  }

  // ...else UTF-16BE, code point after code point, after the byte order mark.
  HPDF_BYTE *out = malloc(4 * len + 2);
  if (!out)
    return NULL;
  out[0] = 0xFE;
  out[1] = 0xFF;
  n = 2;
  for (p = utf8; p < end;) {
    uint32_t cp = ap_utf8_next(&p, end);
    if (cp >= 0x10000) { // A surrogate pair
      uint32_t v = cp - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
      out[n++] = (HPDF_BYTE)(hi >> 8), out[n++] = (HPDF_BYTE)hi;
      out[n++] = (HPDF_BYTE)(lo >> 8), out[n++] = (HPDF_BYTE)lo;
    } else {
      out[n++] = (HPDF_BYTE)(cp >> 8), out[n++] = (HPDF_BYTE)cp;
    }
  }
  void *s = HPDF_Binary_New(r->pdf->mmgr, out, (HPDF_UINT)n);
  free(out);
  return s;
}
