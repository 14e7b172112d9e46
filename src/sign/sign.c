// anpham sign: the signed PDF made in memory and written at once (the
// input's bytes, then the update of pdf-update.c with its /ByteRange and
// its CMS filled in), or nothing written at all. With a time-stamp
// authority, the room for the CMS grows with the token if it must.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output.h"
#include "sign-private.h"

#define MAX_PDF (1ull << 30) // Bytes of a PDF to sign at most

// A loaded signer: its key and certificates, and what the batch's manifest says of them.
struct ap_sign_key_s {
  ap_sign_keys_t keys;                       // The key and certificates
  char fingerprint[AP_SIGN_FINGERPRINT_HEX]; // SHA-256 of the signer's certificate (DER), hexadecimal
  char *subject;                             // Its subject, RFC 2253 (malloc'ed)
};

static char *organisation_of(X509 *cert);
static char *name_in(X509 *cert, const char *const *attrs);
static ap_sign_look_t *look_load(const ap_sign_request_t *req, X509 *cert, ap_diags_t *diags);
static char *subject_text(X509 *cert);
static bool load_keys(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags);
static bool sign_into(const ap_sign_keys_t *keys, const ap_sign_request_t *req, const ap_output_t *out,
                      ap_diags_t *diags);
static bool sign_once(const ap_sign_request_t *req, const ap_sign_keys_t *keys, const ap_sign_look_t *look,
                      const unsigned char *pdf,
                      size_t pdf_size, size_t room, char **whole, size_t *size, size_t *der_size, bool last,
                      ap_diags_t *diags);

//
// 'ap_sign()' - Sign a PDF anpham wrote into a new file.
//

bool
ap_sign(const ap_sign_request_t *req, ap_diags_t *diags)
{
  ap_output_t out;
  ap_sign_keys_t keys = {0};

  if (!ap_output_open(&out, req->out))
    return ap_fail(diags, ap_loc_file(req->out), "cannot write there: %s", strerror(errno));
  if (!load_keys(req, &keys, diags))
    return false;
  bool ok = sign_into(&keys, req, &out, diags);
  ap_sign_keys_free(&keys);
  return ok;
}

//
// 'ap_sign_key_load()' - Read and check a signer's key for many signatures.
//

ap_sign_key_t *
ap_sign_key_load(const ap_sign_request_t *req, ap_diags_t *diags)
{
  ap_sign_key_t *key = calloc(1, sizeof(*key));
  unsigned char md[32];
  unsigned int md_len = 0;

  if (!key) {
    ap_fail(diags, ap_loc_file(req->key), "out of memory");
    return NULL;
  }
  if (!load_keys(req, &key->keys, diags)) {
    free(key);
    return NULL;
  }

  // The certificate's fingerprint and subject (for the manifest)...
  key->subject = subject_text(key->keys.cert);
  if (!key->subject || !X509_digest(key->keys.cert, EVP_sha256(), md, &md_len) || md_len != sizeof md) {
    ERR_clear_error();
    ap_fail(diags, ap_loc_file(req->cert ? req->cert : req->key), "cannot read the certificate's subject or digest");
    ap_sign_key_free(key);
    return NULL;
  }
  for (unsigned i = 0; i < md_len; i++)
    snprintf(key->fingerprint + 2 * i, 3, "%02x", md[i]);
  return key;
}

//
// 'ap_sign_with_key()' - Sign a PDF with a loaded key.
//

bool
ap_sign_with_key(const ap_sign_key_t *key, const ap_sign_request_t *req, ap_diags_t *diags)
{
  ap_output_t out;

  if (!ap_output_open(&out, req->out))
    return ap_fail(diags, ap_loc_file(req->out), "cannot write there: %s", strerror(errno));
  return sign_into(&key->keys, req, &out, diags);
}

//
// 'ap_sign_look_read()' - Read a visible appearance once, for many signatures.
//

ap_sign_look_t *
ap_sign_look_read(const ap_sign_key_t *key, const ap_sign_request_t *req, ap_diags_t *diags)
{
  return look_load(req, key->keys.cert, diags);
}

//
// 'ap_sign_key_fingerprint()' - The signer's certificate's SHA-256.
//

const char *
ap_sign_key_fingerprint(const ap_sign_key_t *key)
{
  return key->fingerprint;
}

//
// 'ap_sign_key_subject()' - The signer's certificate's subject.
//

const char *
ap_sign_key_subject(const ap_sign_key_t *key)
{
  return key->subject;
}

//
// 'ap_sign_key_free()' - Free a loaded key.
//

void
ap_sign_key_free(ap_sign_key_t *key)
{
  if (!key)
    return;
  ap_sign_keys_free(&key->keys);
  free(key->subject);
  free(key);
}

// OpenSSL, then the key and certificates of req; the passphrase is wiped
// once used, whatever happens.
static bool
load_keys(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags)
{
  bool loaded = ap_openssl_load(diags);
  bool keyed = loaded && ap_sign_keys_load(req, keys, diags);
  if (req->pass) {
    if (loaded)
      OPENSSL_cleanse(req->pass, strlen(req->pass));
    else
      memset(req->pass, 0, strlen(req->pass));
  }
  return keyed;
}

// Sign req->in into the output out with keys: the PDF, then the signed
// file made with room for the CMS (more with a time-stamp token; a
// signature larger than that room with a token: once more with the room
// it needs, as a new token may be a few bytes longer), written at once or
// not at all.
static bool
sign_into(const ap_sign_keys_t *keys, const ap_sign_request_t *req, const ap_output_t *out, ap_diags_t *diags)
{
  unsigned char *pdf = NULL;
  size_t pdf_size = 0, size = 0, der_size = 0;
  char *whole = NULL;
  ap_sign_look_t *own = NULL; // Read here (not given read as req->look)
  const ap_sign_look_t *look = req->look;
  bool ok = false;

  // The appearance's images and text, checked before the PDF is read...
  if (!look && ap_sign_look_wanted(req)) {
    look = own = look_load(req, keys->cert, diags);
    if (!look)
      return false;
  }
  if (ap_sign_read_file(req->in, MAX_PDF, &pdf, &pdf_size, diags)) {
    size_t room = AP_SIGN_CONTENTS_BYTES + (req->tsa ? AP_SIGN_TIMESTAMP_BYTES : 0);
    bool failed = false;
    for (int attempt = 0; !whole && !failed && attempt < 2; attempt++) {
      failed = !sign_once(req, keys, look, pdf, pdf_size, room, &whole, &size, &der_size, attempt == 1 || !req->tsa,
                          diags);
      room = der_size + AP_SIGN_TIMESTAMP_BYTES / 8;
    }
    ok = whole && ap_output_write(out, whole, size, diags);
  }
  ap_sign_look_free(own);
  free(whole);
  free(pdf);
  return ok;
}

// The signed file in memory (*whole, *size: the input's bytes, the update
// with room bytes of /Contents, its byte range and CMS filled in). A CMS
// larger than room: *whole NULL and *der_size its size, an error if last.
static bool
sign_once(const ap_sign_request_t *req, const ap_sign_keys_t *keys, const ap_sign_look_t *look,
          const unsigned char *pdf, size_t pdf_size, size_t room, char **whole, size_t *size, size_t *der_size, bool last, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(req->in);
  ap_sign_update_t update = {0};
  unsigned char *der = NULL;
  char *bytes = NULL;
  bool ok = false;

  *whole = NULL;
  if (!ap_sign_update_build(req, look, pdf, pdf_size, room, &update, diags))
    return false;

  // The whole file, its byte range: everything but the /Contents string...
  size_t total = pdf_size + update.size;
  bytes = malloc(total);
  if (!bytes) {
    ap_fail(diags, at, "out of memory");
    goto done;
  }
  memcpy(bytes, pdf, pdf_size);
  memcpy(bytes + pdf_size, update.bytes, update.size);
  size_t hole = pdf_size + update.contents_at, after = hole + update.contents_len;
  char range[96];
  int n = snprintf(range, sizeof range, "0 %zu %zu %zu", hole, after, total - after);
  if (n < 0 || (size_t)n > update.byte_range_len) {
    ap_fail(diags, at, "the PDF is too large to sign");
    goto done;
  }
  memcpy(bytes + pdf_size + update.byte_range_at, range, (size_t)n);

  // ...the CMS over it, in hexadecimal in the hole.
  if (!ap_sign_cms(req, keys, (unsigned char *)bytes, hole, (unsigned char *)bytes + after, total - after, &der,
                   der_size, diags))
    goto done;
  if (2 * *der_size > update.contents_len - 2) {
    ok = !last;
    if (last)
      ap_fail(diags, at, "the signature (%zu bytes) does not fit in the room kept for it (%zu bytes): too many "
                         "certificates", *der_size, room);
    goto done;
  }
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < *der_size; i++) {
    bytes[hole + 1 + 2 * i] = hex[der[i] >> 4];
    bytes[hole + 2 + 2 * i] = hex[der[i] & 15];
  }
  *whole = bytes;
  *size = total;
  bytes = NULL;
  ok = true;

done:
  free(bytes);
  free(der);
  free(update.bytes);
  return ok;
}

// The certificate's subject, RFC 2253 in UTF-8 (malloc'ed), or NULL.
static char *
subject_text(X509 *cert)
{
  BIO *bio = BIO_new(BIO_s_mem());
  char *text = NULL, *subject = NULL;
  long len = bio && X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0,
                                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0
                 ? BIO_ctrl(bio, BIO_CTRL_INFO, 0, &text) : -1;
  if (len >= 0 && (subject = malloc((size_t)len + 1))) {
    memcpy(subject, text, (size_t)len);
    subject[len] = '\0';
  }
  BIO_free(bio);
  return subject;
}

// The appearance of a signature by the certificate's owner: for an
// office's copy, the organisation (--org, else the subject's O, else its
// CN) and the signer's name (the subject's CN) when it is another.
static ap_sign_look_t *
look_load(const ap_sign_request_t *req, X509 *cert, ap_diags_t *diags)
{
  static const char *const cn[] = {"CN=", NULL};
  char *org = req->office && !req->org ? organisation_of(cert) : NULL;
  char *signer = req->office ? name_in(cert, cn) : NULL;
  const char *organisation = req->org ? req->org : org;
  ap_sign_look_t *look = ap_sign_look_load(req, organisation,
                                           signer && organisation && strcmp(signer, organisation) ? signer : NULL,
                                           diags);
  free(org);
  free(signer);
  return look;
}

// The organisation a certificate names: its subject's O, else its CN
// (RFC 2253's escapes undone), malloc'ed; NULL when it has neither.
static char *
organisation_of(X509 *cert)
{
  static const char *const o_cn[] = {"O=", "CN=", NULL};
  return name_in(cert, o_cn);
}

// The value of the first of attrs ("O=", "CN="…) the certificate's
// subject has (RFC 2253's escapes undone), malloc'ed; NULL when none.
static char *
name_in(X509 *cert, const char *const *attrs)
{
  char *subject = subject_text(cert);
  char *found = NULL;
  for (int pass = 0; subject && !found && attrs[pass]; pass++) {
    const char *want = attrs[pass];
    size_t want_len = strlen(want);
    for (char *p = subject; *p && !found;) {
      char *value = !strncmp(p, want, want_len) ? p + want_len : NULL;
      char *out = value ? (found = malloc(strlen(value) + 1)) : NULL;
      if (value && !out)
        break;
      if (value)
        p = value;
      // The attribute runs to the next unescaped comma or plus sign.
      while (*p && *p != ',' && *p != '+') {
        if (*p == '\\' && p[1]) {
          unsigned hi, lo;
          if (sscanf(p + 1, "%1x%1x", &hi, &lo) == 2) {
            if (out)
              *out++ = (char)(hi << 4 | lo);
            p += 3;
            continue;
          }
          p++;
        }
        if (out)
          *out++ = *p;
        p++;
      }
      if (out)
        *out = '\0';
      if (*p)
        p++;
    }
  }
  free(subject);
  ERR_clear_error();
  return found;
}

//
// 'ap_sign_read_file()' - The whole of a file, at most max bytes.
//

bool
ap_sign_read_file(const char *path, size_t max, unsigned char **bytes, size_t *size, ap_diags_t *diags)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t used = 0, room = 0;

  *bytes = NULL;
  *size = 0;
  if (!f)
    return ap_fail(diags, ap_loc_file(path), "cannot read: %s", strerror(errno));
  for (;;) {
    if (used == room) {
      room = room ? room * 2 : 65536;
      unsigned char *grown = room <= 2 * max ? realloc(buf, room) : NULL;
      if (!grown) {
        free(buf);
        fclose(f);
        return ap_fail(diags, ap_loc_file(path), "too large (or out of memory)");
      }
      buf = grown;
    }
    size_t got = fread(buf + used, 1, room - used, f);
    used += got;
    if (got == 0)
      break;
  }
  bool failed = ferror(f) || used > max;
  fclose(f);
  if (failed) {
    free(buf);
    return ap_fail(diags, ap_loc_file(path), used > max ? "too large" : "cannot read");
  }
  *bytes = buf;
  *size = used;
  return true;
}
