// The signature's /Contents: a detached CMS SignedData (RFC 5652) made by
// OpenSSL over the signed bytes, as PAdES baseline B-B (ETSI EN 319 142-1
// §6.3) asks: SHA-256; RSA PKCS#1 v1.5, RSASSA-PSS (--rsa-pss) or ECDSA; the signer's certificate and chain; signed
// attributes content-type, message-digest and signing-certificate-v2 (ESS,
// RFC 5035: OpenSSL's CMS_CADES flag adds it); no S/MIME capabilities; and
// no signing-time attribute (its cardinality is 0 in PAdES: the claimed
// time is the signature dictionary's /M). OpenSSL 3.0's CMS_final() always
// adds a signing time, so it is removed afterwards and the signed
// attributes signed again, with OpenSSL: their DER (OpenSSL's encoder, as a
// SET OF ordered as DER asks) signed by EVP_DigestSign with the same key
// and digest. With --tsa, the signature value is then time-stamped
// (timestamp.c: B-T).
#include <stdlib.h>
#include <string.h>

#include "sign-private.h"

static bool drop_signing_time(CMS_SignerInfo *si, EVP_PKEY *pkey, bool pss);
static bool use_pss(EVP_PKEY_CTX *ctx);

//
// 'ap_sign_cms()' - The detached CMS SignedData over two byte ranges.
//

bool
ap_sign_cms(const ap_sign_request_t *req, const ap_sign_keys_t *keys, const unsigned char *a, size_t a_size,
            const unsigned char *b, size_t b_size, unsigned char **der, size_t *der_size, ap_diags_t *diags)
{
  const char *at = req->in;
  bool pss = req->pss;
  const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP;
  unsigned char *content = malloc(a_size + b_size + 1);
  CMS_ContentInfo *cms = NULL;
  BIO *bio = NULL;
  bool ok = false;

  *der = NULL;
  *der_size = 0;
  if (!content)
    return ap_fail(diags, ap_loc_file(at), "out of memory");
  memcpy(content, a, a_size);
  memcpy(content + a_size, b, b_size);

  // The SignedData, its signer (with signing-certificate-v2) and chain,
  // the digest of the content...
  cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL);
  CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, keys->cert, keys->pkey, EVP_sha256(),
                                              flags | CMS_CADES | (pss ? CMS_KEY_PARAM : 0))
                           : NULL;
  bool chained = si && (!pss || use_pss(CMS_SignerInfo_get0_pkey_ctx(si))); // PSS: OpenSSL writes its parameters
  for (int i = 0; chained && keys->chain && i < OPENSSL_sk_num((const OPENSSL_STACK *)keys->chain); i++)
    chained = CMS_add1_cert(cms, OPENSSL_sk_value((const OPENSSL_STACK *)keys->chain, i)) > 0;
  bio = chained ? BIO_new_mem_buf(content, (int)(a_size + b_size)) : NULL;
  if (!bio || !CMS_final(cms, bio, NULL, flags) || !drop_signing_time(si, keys->pkey, pss)) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not make the signature");
    goto done;
  }
  if (req->tsa && !ap_sign_timestamp(si, req, diags)) // B-T
    goto done;

  // ...in DER.
  unsigned char *out = NULL;
  int n = i2d_CMS_ContentInfo(cms, &out);
  if (n <= 0) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not encode the signature");
    goto done;
  }
  *der = malloc((size_t)n);
  if (*der) {
    memcpy(*der, out, (size_t)n);
    *der_size = (size_t)n;
    ok = true;
  } else {
    ap_fail(diags, ap_loc_file(at), "out of memory");
  }
  OPENSSL_free(out);

done:
  ERR_clear_error();
  BIO_free(bio);
  CMS_ContentInfo_free(cms);
  free(content);
  return ok;
}

// Remove the signing-time attribute CMS_final() added and sign the signed
// attributes again (the signature's algorithm, set by CMS_add1_signer(),
// stays: the same key and SHA-256).
static bool
drop_signing_time(CMS_SignerInfo *si, EVP_PKEY *pkey, bool pss)
{
  int at = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
  if (at < 0)
    return true; // An OpenSSL that did not add one: signed as it is

  X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, at));
  OPENSSL_STACK *attrs = OPENSSL_sk_new_null();
  unsigned char *der = NULL, *sig = NULL;
  size_t sig_size = 0;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  EVP_PKEY_CTX *ctx = NULL;
  bool ok = attrs && md;
  for (int i = 0; ok && i < CMS_signed_get_attr_count(si); i++)
    ok = OPENSSL_sk_push(attrs, CMS_signed_get_attr(si, i)) > 0;
  int der_size = ok ? ASN1_item_i2d((ASN1_VALUE *)attrs, &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN)) : 0;
  ok = der_size > 0 && EVP_DigestSignInit(md, &ctx, EVP_sha256(), NULL, pkey) > 0 &&
       (!pss || use_pss(ctx)) &&
       EVP_DigestSign(md, NULL, &sig_size, der, (size_t)der_size) > 0 && (sig = malloc(sig_size)) &&
       EVP_DigestSign(md, sig, &sig_size, der, (size_t)der_size) > 0 &&
       ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)sig_size) > 0;
  free(sig);
  OPENSSL_free(der);
  EVP_MD_CTX_free(md);
  OPENSSL_sk_free(attrs); // The attributes stay the SignerInfo's
  return ok;
}

// RSASSA-PSS on a signing context: SHA-256 (the digest's, also MGF1's) and
// a salt as long as the digest, as PAdES signers commonly use.
static bool
use_pss(EVP_PKEY_CTX *ctx)
{
  return ctx && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_DIGEST) > 0;
}
