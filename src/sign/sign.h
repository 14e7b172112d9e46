// anpham sign: a PDF anpham wrote signed with PAdES baseline B-B (ETSI EN
// 319 142-1) as an incremental update appended to its bytes: a signature
// field (a new invisible one on page 1, or an existing unsigned one named
// by --field), a signature dictionary whose /Contents is a detached CMS
// SignedData made with OpenSSL over every byte but that /Contents. The
// command line reads the options and the passphrase (docs/signing.md).
#ifndef AP_SIGN_H
#define AP_SIGN_H

#include <stdbool.h>

#include "../base/datetime.h"
#include "../base/diag.h"

// A visible appearance read and checked (appearance.c): its images, or the
// office's font and text.
typedef struct ap_sign_look_s ap_sign_look_t;

typedef struct ap_sign_request_s {
  const char *in;    // The PDF to sign (written by anpham)
  const char *out;   // The signed PDF (written through a temporary file)
  const char *key;   // A PKCS#12 file (.p12, .pfx), or a PEM private key when cert is set
  const char *cert;  // A PEM certificate chain, the signer's first (with a PEM key), else NULL
  char *pass;        // The passphrase (NULL: none); wiped once the key is read
  const char *field; // Sign into this unsigned signature field, or NULL: add an invisible one
  bool certify;      // A certification signature (DocMDP, P 2: forms and signatures allowed); only the first
  bool pss;          // An RSA key signs with RSASSA-PSS (SHA-256, MGF1 SHA-256, 32-byte salt), not PKCS#1 v1.5
  ap_datetime_t when; // The signing time, written as /M (PAdES B-B: not in the CMS)
  const char *tsa;    // A time-stamp authority's http:// or https:// URL (RFC 3161): PAdES B-T; NULL: B-B
  const char *tsa_ca; // With an https:// tsa: its CA certificates (PEM) instead of the system's store, or NULL
  int tsa_timeout;    // Seconds the authority has to answer
  // The visible appearance (appearance.c, docs/signing.md); all unset: none.
  const char *image;  // The signer's signature, a PNG with transparency, centred in req->field
  const char *seal;   // The organisation's seal, a PNG with transparency, over the signature's left third
  double seal_size;   // The seal's real width in points (with seal)
  bool office;        // A copy signed by the office: its name and the time at the top right of page 1
  const char *org;    // The office's name (NULL: the certificate's O, else its CN)
  const char *const *allow; // Folders the images may be read from besides the PDF's (--allow-path)
  int nallow;
  const ap_sign_look_t *look; // The appearance read once (ap_sign_look_read), used instead of reading
                              // image, seal, office and org again (NULL: read from them when set)
} ap_sign_request_t;

// Sign req->in into req->out; false with one diagnostic (nothing written).
bool ap_sign(const ap_sign_request_t *req, ap_diags_t *diags);

// A signer's key and certificates read once and checked, for many
// signatures (anpham batch --sign signs every output with it).
typedef struct ap_sign_key_s ap_sign_key_t;

#define AP_SIGN_FINGERPRINT_HEX 65 // A SHA-256 in hexadecimal, with its NUL

// Read and check the key of req (key, cert, pass, pss, when: as ap_sign
// does; the passphrase is wiped); NULL with one diagnostic.
ap_sign_key_t *ap_sign_key_load(const ap_sign_request_t *req, ap_diags_t *diags);
// Sign req->in into req->out with a loaded key (req's key, cert and pass
// are not used; its pss must be the one the key was loaded with);
// false with one diagnostic (nothing written).
bool ap_sign_with_key(const ap_sign_key_t *key, const ap_sign_request_t *req, ap_diags_t *diags);
// The SHA-256 of the signer's certificate (DER), in lowercase hexadecimal.
const char *ap_sign_key_fingerprint(const ap_sign_key_t *key);
// The signer's certificate's subject (RFC 2253, UTF-8).
const char *ap_sign_key_subject(const ap_sign_key_t *key);
// Free a loaded key (its memory cleared); NULL is fine.
void ap_sign_key_free(ap_sign_key_t *key);
// Read and check req's visible appearance once for many signatures with
// key (anpham batch --sign --image …): the images (confined to the folder
// of req->in and req->allow), the office's font and text (the time
// req->when, the organisation req->org, else the certificate's O, else its
// CN); NULL with one diagnostic. Give it to each request as req->look.
ap_sign_look_t *ap_sign_look_read(const ap_sign_key_t *key, const ap_sign_request_t *req, ap_diags_t *diags);
// Free an appearance; NULL is fine.
void ap_sign_look_free(ap_sign_look_t *look);

#endif
