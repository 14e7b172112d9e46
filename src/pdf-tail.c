// The end of a PDF file: the offset its last "startxref" gives.
#include "pdf-tail.h"

#include <string.h>

#define TAIL 1024 // Bytes at the end of a PDF where its last startxref is looked for

//
// 'ap_pdf_last_startxref()' - The offset the PDF's last "startxref" gives.
//

bool                                              // O - false when there is none
ap_pdf_last_startxref(const unsigned char *pdf,   // I - The file's bytes
                      size_t               size,  // I - How many
                      size_t              *offset) // O - The offset written after it
{
  static const char word[] = "startxref";
  size_t from = size > TAIL ? size - TAIL : 0;
  if (size < sizeof word)
    return false;
  for (size_t i = size - (sizeof word - 1) + 1; i-- > from;) {
    if (memcmp(pdf + i, word, sizeof word - 1))
      continue;
    size_t k = i + sizeof word - 1, value = 0, digits = 0;
    while (k < size && (pdf[k] == ' ' || pdf[k] == '\r' || pdf[k] == '\n'))
      k++;
    for (; k < size && pdf[k] >= '0' && pdf[k] <= '9' && digits < 15; k++, digits++)
      value = value * 10 + (size_t)(pdf[k] - '0');
    *offset = value;
    return digits > 0;
  }
  return false;
}
