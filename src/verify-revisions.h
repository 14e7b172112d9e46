// The revisions of a PDF anpham wrote and then signed (anpham sign appends
// each signature as an incremental update): where the original revision
// ends, what each later revision changes, and the signatures. verify.c
// re-renders the original revision alone and compares it with its bytes;
// this checks that the updates after it only sign (docs/archive.md,
// "Signed archives"). Nothing here prints: failures go to the callback.
#ifndef AP_VERIFY_REVISIONS_H
#define AP_VERIFY_REVISIONS_H

#include <stddef.h>

#include "verify.h"

#define AP_REVISIONS_MAX 64          // Revisions of one file followed at most
#define AP_REVISIONS_NAMES 1024      // Room for the signature fields' names

// What the revisions of a file are.
typedef struct ap_revisions_s {
  int count;                 // Revisions found, the original among them (0: the chain of
                             // cross-reference sections could not be followed)
  size_t original_end;       // Bytes of the original revision, to its %%EOF and the end-of-line after it
  size_t original_marker;    // Where its %%EOF ends (original_end less the end-of-line)
  int signatures;            // Signed signature fields (a /V with a /ByteRange) in the last revision
  char names[AP_REVISIONS_NAMES]; // Their names (/T), by the bytes they cover, ", " between
} ap_revisions_t;

// Find the revisions of the file (bytes, size; pdf names it in messages)
// and check the updates after the original one: each reads alone, changes
// no object but the catalog's /AcroForm, /Perms and /DSS, the form's
// /Fields and /SigFlags, a page's /Annots (signature widgets added at
// the end), an unsigned signature field's /V, /AP and /Rect; each
// signature covers, from byte 0, the whole of a later revision. The
// number of failures reported (each as (pdf, point, what)).
int ap_revisions_check(const char *pdf, const unsigned char *bytes, size_t size, ap_revisions_t *r,
                       ap_verify_failure_fn failure, void *ctx);

#endif
