// The signer's private key and certificates, read with OpenSSL from a
// PKCS#12 file or from a PEM key and a PEM chain, and checked before
// anything is signed: the passphrase opens them, the key belongs to the
// certificate, the key is RSA of 2048 bits or more or ECDSA P-256, and the
// certificate is valid at the signing time. The key stays in memory only,
// freed by ap_sign_keys_free() (OpenSSL clears a private key's memory
// when it frees it); it is never written nor printed.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign-private.h"

#define MAX_KEY_FILE (1u << 20) // Bytes of a key or certificate file at most

static bool check_key(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags);
static bool check_validity(const ap_sign_request_t *req, const X509 *cert, ap_diags_t *diags);
static bool load_pem(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags);
static bool load_pkcs12(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags);
static int pem_passphrase(char *buf, int size, int rwflag, void *pass);

//
// 'ap_sign_keys_load()' - Read and check the signer's key and certificates.
//

bool
ap_sign_keys_load(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags)
{
  *keys = (ap_sign_keys_t){0};
  ERR_clear_error();
  bool ok = req->cert ? load_pem(req, keys, diags) : load_pkcs12(req, keys, diags);
  ERR_clear_error(); // OpenSSL's queue may hold what it tried (never printed)
  if (ok && check_key(req, keys, diags) && check_validity(req, keys->cert, diags))
    return true;
  ap_sign_keys_free(keys);
  return false;
}

//
// 'ap_sign_keys_free()' - Free the key (its memory cleared) and certificates.
//

void
ap_sign_keys_free(ap_sign_keys_t *keys)
{
  EVP_PKEY_free(keys->pkey); // Clears the key's memory (OpenSSL's key management frees with OPENSSL_clear_free)
  X509_free(keys->cert);
  if (keys->chain)
    OPENSSL_sk_pop_free((OPENSSL_STACK *)keys->chain, (void (*)(void *))ap_openssl.p_X509_free);
  *keys = (ap_sign_keys_t){0};
}

// A PKCS#12 file: its MAC checked with the passphrase first (a wrong one
// says so), then the key, the certificate and the chain taken out.
static bool
load_pkcs12(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(req->key);
  unsigned char *bytes = NULL;
  size_t size = 0;
  bool ok = false;

  if (!ap_sign_read_file(req->key, MAX_KEY_FILE, &bytes, &size, diags))
    return false;
  BIO *bio = BIO_new_mem_buf(bytes, (int)size);
  PKCS12 *p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
  const char *pass = req->pass ? req->pass : "";
  if (!p12)
    ap_fail(diags, at, "not a PKCS#12 file (for a PEM key, give its certificates with --cert)");
  else if (!PKCS12_verify_mac(p12, pass, -1))
    ap_fail(diags, at, "wrong passphrase");
  else if (!PKCS12_parse(p12, pass, &keys->pkey, &keys->cert, &keys->chain) || !keys->pkey || !keys->cert)
    ap_fail(diags, at, "holds no private key with its certificate");
  else
    ok = true;
  PKCS12_free(p12);
  BIO_free(bio);
  OPENSSL_cleanse(bytes, size);
  free(bytes);
  return ok;
}

// A PEM private key (encrypted or not) and a PEM chain, the signer's
// certificate first.
static bool
load_pem(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags)
{
  unsigned char *bytes = NULL;
  size_t size = 0;
  bool ok = false;

  // The key...
  if (!ap_sign_read_file(req->key, MAX_KEY_FILE, &bytes, &size, diags))
    return false;
  BIO *bio = BIO_new_mem_buf(bytes, (int)size);
  keys->pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, pem_passphrase, req->pass) : NULL;
  BIO_free(bio);
  OPENSSL_cleanse(bytes, size);
  free(bytes);
  if (!keys->pkey) {
    if (req->pass)
      return ap_fail(diags, ap_loc_file(req->key), "wrong passphrase, or not a PEM private key");
    return ap_fail(diags, ap_loc_file(req->key), "not a PEM private key (or an encrypted one and no passphrase: "
                                                 "--pass-env or --pass-file)");
  }

  // The certificates...
  if (!ap_sign_read_file(req->cert, MAX_KEY_FILE, &bytes, &size, diags))
    return false;
  bio = BIO_new_mem_buf(bytes, (int)size);
  keys->cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
  if (!keys->cert) {
    ap_fail(diags, ap_loc_file(req->cert), "holds no PEM certificate");
  } else {
    ok = true;
    X509 *next;
    while (ok && (next = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
      if (!keys->chain)
        keys->chain = (STACK_OF(X509) *)OPENSSL_sk_new_null();
      if (!keys->chain || !OPENSSL_sk_push((OPENSSL_STACK *)keys->chain, next)) {
        X509_free(next);
        ok = ap_fail(diags, ap_loc_file(req->cert), "out of memory");
      }
    }
  }
  BIO_free(bio);
  free(bytes);
  return ok;
}

// The passphrase OpenSSL asks for an encrypted PEM key: the given one, or
// none (never a prompt on the terminal).
static int
pem_passphrase(char *buf, int size, int rwflag, void *pass)
{
  size_t n = pass ? strlen(pass) : 0;
  if (!pass || n >= (size_t)size)
    return 0;
  memcpy(buf, pass, n);
  return (int)n;
}

// The key is the certificate's, of a kind and size PAdES signers accept.
static bool
check_key(const ap_sign_request_t *req, ap_sign_keys_t *keys, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(req->key);
  int type = EVP_PKEY_get_base_id(keys->pkey);
  char group[64] = "";
  size_t group_len = 0;

  if (!X509_check_private_key(keys->cert, keys->pkey)) {
    ERR_clear_error();
    return ap_fail(diags, at, "the private key does not match the certificate");
  }
  if (req->pss && type != EVP_PKEY_RSA)
    return ap_fail(diags, at, "--rsa-pss needs an RSA key");
  if (type == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(keys->pkey) < 2048)
      return ap_fail(diags, at, "an RSA key of %d bits: expected 2048 bits or more", EVP_PKEY_get_bits(keys->pkey));
    return true;
  }
  if (type == EVP_PKEY_EC && EVP_PKEY_get_group_name(keys->pkey, group, sizeof group, &group_len) &&
      !strcmp(group, "prime256v1"))
    return true;
  return ap_fail(diags, at, "a key of a kind anpham does not sign with: expected RSA (2048 bits or more) or "
                            "ECDSA P-256");
}

// The certificate is valid at the signing time (not expired, not yet to come).
static bool
check_validity(const ap_sign_request_t *req, const X509 *cert, ap_diags_t *diags)
{
  const ap_datetime_t *w = &req->when;
  char text[32];
  bool ok = false;

  // The signing time in UTC, as an X.509 time...
  ap_datetime_t u;
  ap_datetime_at_offset(w, 0, &u);
  snprintf(text, sizeof text, "%04d%02d%02d%02d%02d%02dZ", u.year, u.month, u.day, u.hour, u.minute, u.second);
  ASN1_TIME *t = ASN1_TIME_new();
  if (!t || !ASN1_TIME_set_string_X509(t, text))
    ap_fail(diags, ap_loc_file(req->key), "the signing time is out of range");
  else if (ASN1_TIME_compare(X509_get0_notAfter(cert), t) < 0)
    ap_fail(diags, ap_loc_file(req->cert ? req->cert : req->key), "the certificate expired before the signing time");
  else if (ASN1_TIME_compare(X509_get0_notBefore(cert), t) > 0)
    ap_fail(diags, ap_loc_file(req->cert ? req->cert : req->key),
            "the certificate is not yet valid at the signing time");
  else
    ok = true;
  ASN1_TIME_free(t);
  return ok;
}
