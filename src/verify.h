// anpham verify: a PDF/A archive anpham wrote, checked on its own. Its
// embedded source is extracted into a private folder and rendered again in
// this process with the recorded options (and SOURCE_DATE_EPOCH), into
// memory, and the bytes compared with the file; the PDF/A-3 and PDF/UA-1
// points of docs/archive.md are checked on the file with qpdf's C API (the
// XMP packet parsed with libxml2). Nothing here prints: each failure goes
// to a callback as (file, point, what is wrong).
#ifndef AP_VERIFY_H
#define AP_VERIFY_H

// Called once per failure: the PDF, the point checked ("re-render",
// "metadata", "fonts"…), and what is wrong with it.
typedef void (*ap_verify_failure_fn)(void *ctx, const char *pdf, const char *point, const char *what);
// Called for what is not a failure but worth saying: a signed file's
// signatures and revisions ("signatures", what was found).
typedef void (*ap_verify_note_fn)(void *ctx, const char *pdf, const char *point, const char *what);

// Verify one PDF; the number of failures reported (0: it passes). The font
// files its source names are looked for where its layout's fonts= looks
// (in the extracted source, where fonts never are), then in fonts_dir
// (when not NULL), then in anpham's fonts folder. A signed file (anpham
// sign's incremental updates) is verified as its original revision,
// re-rendered and compared, and updates that only sign
// (verify-revisions.c); note (NULL: not called) hears of its signatures.
int ap_verify(const char *pdf, const char *fonts_dir, ap_verify_failure_fn failure, ap_verify_note_fn note,
              void *ctx);

#endif
