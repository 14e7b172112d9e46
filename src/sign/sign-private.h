// What the files of src/sign/ share: the signer's key and certificates
// (keys.c), the CMS SignedData (cms.c) and the incremental update of the
// PDF (pdf-update.c). OpenSSL calls go through openssl-lazy.h.
#ifndef AP_SIGN_PRIVATE_H
#define AP_SIGN_PRIVATE_H

#include <stddef.h>

#include "openssl-lazy.h"
#include "sign.h"

// The signer: a private key, its certificate, the rest of its chain.
typedef struct ap_sign_keys_s {
  EVP_PKEY *pkey;        // The private key (freed, with its memory cleared, by ap_sign_keys_free)
  X509 *cert;            // The signer's certificate
  STACK_OF(X509) *chain; // The issuers' certificates (maybe NULL)
} ap_sign_keys_t;

// Read the key and certificates of req (PKCS#12, or PEM key + PEM chain)
// and check them: the passphrase opens them, the key is the certificate's,
// RSA of 2048 bits or more or ECDSA P-256, valid at req->when.
bool ap_sign_keys_load(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags);
void ap_sign_keys_free(ap_sign_keys_t *keys);

// The detached CMS SignedData (DER, malloc'ed) over the two byte ranges
// a and b, SHA-256, with the signing-certificate-v2 attribute and no
// signing-time attribute (PAdES B-B).
// RSASSA-PSS when req->pss (an RSA key), else PKCS#1 v1.5 or ECDSA; with
// req->tsa, a time-stamp token over the signature (B-T, timestamp.c).
bool ap_sign_cms(const ap_sign_request_t *req, const ap_sign_keys_t *keys, const unsigned char *a, size_t a_size,
                 const unsigned char *b, size_t b_size, unsigned char **der, size_t *der_size, ap_diags_t *diags);

// Ask the time-stamp authority sign->tsa (RFC 3161 over HTTP or HTTPS,
// sign->tsa_timeout seconds) for a token over si's signature value and add
// it as si's unsigned attribute id-aa-signatureTimeStampToken; false with
// one diagnostic (naming sign->in).
bool ap_sign_timestamp(CMS_SignerInfo *si, const ap_sign_request_t *sign, ap_diags_t *diags);

// POST query (DER) to the time-stamp authority at url (http:// or
// https://, its certificate checked against ca_file or, when NULL, the
// system's CA store) as application/timestamp-query: the answer's body (a
// memory BIO) or NULL with one diagnostic (at: the file named in it). A
// refused connection fails at once; timeout (seconds) bounds the rest.
BIO *ap_sign_tsa_post(const char *url, const char *ca_file, BIO *query, int timeout, const char *at,
                      ap_diags_t *diags);

#define AP_SIGN_CONTENTS_BYTES 8192   // Room for the CMS in /Contents (16 KB of hex digits)
#define AP_SIGN_TIMESTAMP_BYTES 8192  // More room with --tsa, for the time-stamp token

// The visible appearance (appearance.c, its type in sign.h): the
// signature and seal images of a field, or the office's text, read and
// checked before anything is written.
#define AP_SIGN_LOOK_OBJECTS 6 // Objects an appearance writes at most

// Whether req asks for a visible appearance.
static inline bool ap_sign_look_wanted(const ap_sign_request_t *req)
{
  return req->image || req->seal || req->office;
}
// Read and check the images (confined: the PDF's folder, req->allow) and
// the office's font and text (organisation: its name; signer: the
// signer's name when the certificate names a person besides it, else
// NULL); NULL with one diagnostic.
ap_sign_look_t *ap_sign_look_load(const ap_sign_request_t *req, const char *organisation, const char *signer,
                                  ap_diags_t *diags);
// How many objects ap_sign_look_objects writes.
int ap_sign_look_count(const ap_sign_look_t *look);
// The widget's rectangle: the field's grown to hold the seal, or for the
// office the top right of the page (its /TrimBox, else its /MediaBox).
void ap_sign_look_rect(const ap_sign_look_t *look, const double field[4], const double page[4], double rect[4]);
// The bodies (dictionary and stream, without "N 0 obj") of the objects
// ids[0..count-1]: the form XObject of the widget at rect (the /AP /N),
// then what it draws; malloc'ed. False when out of memory.
bool ap_sign_look_objects(const ap_sign_look_t *look, const double field[4], const double rect[4], const int ids[],
                          char *bodies[], size_t sizes[]);

// The incremental update for a signature: the bytes to append to the PDF,
// and where in them the /ByteRange and the /Contents hex string stand.
typedef struct ap_sign_update_s {
  char *bytes;           // The update (malloc'ed)
  size_t size;           // Its length
  size_t byte_range_at;  // Offset in bytes of the ByteRange array's inside (blank-padded)
  size_t byte_range_len; // Its room
  size_t contents_at;    // Offset in bytes of the '<' of /Contents
  size_t contents_len;   // Its length with both angle brackets
} ap_sign_update_t;

// Read the PDF (its bytes pdf, pdf_size; name for messages) with qpdf and
// build the update that adds the signature (a new field, or req->field),
// with room for contents_bytes of CMS in /Contents.
// look (NULL: none) is the widget's visible appearance.
bool ap_sign_update_build(const ap_sign_request_t *req, const ap_sign_look_t *look, const unsigned char *pdf,
                          size_t pdf_size, size_t contents_bytes, ap_sign_update_t *update, ap_diags_t *diags);

// The whole file at path (malloc'ed), at most max bytes; false with one
// diagnostic naming it.
bool ap_sign_read_file(const char *path, size_t max, unsigned char **bytes, size_t *size, ap_diags_t *diags);

#endif
