// The end of a PDF file: where its last cross-reference section starts.
// Read by anpham sign (the update it appends points back there) and anpham
// verify (a signed file's revisions, walked from the last).
#ifndef AP_PDF_TAIL_H
#define AP_PDF_TAIL_H

#include <stdbool.h>
#include <stddef.h>

// The offset the file's last "startxref" gives, looked for in its last
// 1,024 bytes; false when there is none (or no digits follow it).
bool ap_pdf_last_startxref(const unsigned char *pdf, size_t size, size_t *offset);

#endif
