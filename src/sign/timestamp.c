// PAdES baseline B-T: a time-stamp token (RFC 3161) over the signature
// value, from the time-stamp authority given by `anpham sign --tsa URL`,
// added to the SignerInfo as its unsigned attribute
// id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14, RFC 5126;
// ETSI EN 319 142-1 §5.3). OpenSSL makes the request (TS_REQ: a SHA-256
// message imprint of the SignerInfo's signature octets, certReq true, a
// random 64-bit nonce), posts it (tsa-http.c: libcrypto's HTTP client,
// http:// or https://), and reads the response (TS_RESP), whose status, imprint and nonce are
// checked before its token is kept.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sign-private.h"

static TS_REQ *make_request(const unsigned char *digest, unsigned digest_size, ASN1_INTEGER **nonce);
static bool check_response(TS_RESP *resp, const unsigned char *digest, unsigned digest_size,
                           const ASN1_INTEGER *nonce, const char *url, const char *at, ap_diags_t *diags);

//
// 'ap_sign_timestamp()' - Add a time-stamp token over si's signature value.
//

bool
ap_sign_timestamp(CMS_SignerInfo *si, const ap_sign_request_t *sign, ap_diags_t *diags)
{
  const char *url = sign->tsa, *at = sign->in;
  unsigned char digest[EVP_MAX_MD_SIZE], *query_der = NULL, *token_der = NULL;
  unsigned digest_size = 0;
  ASN1_INTEGER *nonce = NULL;
  TS_REQ *req = NULL;
  TS_RESP *resp = NULL;
  BIO *query = NULL, *answer = NULL;
  bool ok = false;

  // The request: the SHA-256 of the signature octets, certReq, a nonce...
  const ASN1_OCTET_STRING *value = CMS_SignerInfo_get0_signature(si);
  if (!EVP_Digest(ASN1_STRING_get0_data(value), (size_t)ASN1_STRING_length(value), digest, &digest_size,
                  EVP_sha256(), NULL) ||
      !(req = make_request(digest, digest_size, &nonce))) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not make the time-stamp request");
    goto done;
  }
  int query_size = i2d_TS_REQ(req, &query_der);
  query = query_size > 0 ? BIO_new_mem_buf(query_der, query_size) : NULL;
  if (!query) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not encode the time-stamp request");
    goto done;
  }

  // ...posted to the authority; its answer checked, its token kept.
  if (!(answer = ap_sign_tsa_post(url, sign->tsa_ca, query, sign->tsa_timeout, at, diags)))
    goto done;
  if (!(resp = d2i_TS_RESP_bio(answer, NULL))) {
    ap_fail(diags, ap_loc_file(at), "the time-stamp authority %s answered with no time-stamp response", url);
    goto done;
  }
  if (!check_response(resp, digest, digest_size, nonce, url, at, diags))
    goto done;
  int token_size = i2d_PKCS7(TS_RESP_get_token(resp), &token_der);
  if (token_size <= 0 ||
      !CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token_der, token_size)) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not add the time-stamp token to the signature");
    goto done;
  }
  ok = true;

done:
  ERR_clear_error();
  OPENSSL_free(token_der);
  OPENSSL_free(query_der);
  BIO_free(query);
  BIO_free(answer);
  TS_RESP_free(resp);
  TS_REQ_free(req);
  ASN1_INTEGER_free(nonce);
  return ok;
}

// A version 1 request for digest (SHA-256), asking for the authority's
// certificate, with a random 64-bit nonce (kept in *nonce to check the
// answer's).
static TS_REQ *
make_request(const unsigned char *digest, unsigned digest_size, ASN1_INTEGER **nonce)
{
  TS_REQ *req = TS_REQ_new();
  TS_MSG_IMPRINT *imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR *algo = X509_ALGOR_new();
  uint64_t random = 0;

  *nonce = ASN1_INTEGER_new();
  bool ok = req && imprint && algo && *nonce && RAND_bytes((unsigned char *)&random, sizeof random) > 0 &&
            ASN1_INTEGER_set_uint64(*nonce, random >> 1) && // Positive, at most 63 bits
            X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
            TS_MSG_IMPRINT_set_algo(imprint, algo) &&
            TS_MSG_IMPRINT_set_msg(imprint, (unsigned char *)digest, (int)digest_size) &&
            TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, imprint) && TS_REQ_set_nonce(req, *nonce) &&
            TS_REQ_set_cert_req(req, 1);
  X509_ALGOR_free(algo); // The setters keep copies
  TS_MSG_IMPRINT_free(imprint);
  if (!ok) {
    TS_REQ_free(req);
    return NULL;
  }
  return req;
}

// The response grants a token whose message imprint is digest (SHA-256)
// and whose nonce is the request's.
static bool
check_response(TS_RESP *resp, const unsigned char *digest, unsigned digest_size, const ASN1_INTEGER *nonce,
               const char *url, const char *at, ap_diags_t *diags)
{
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
  if (status != 0 && status != 1) // granted, grantedWithMods
    return ap_fail(diags, ap_loc_file(at), "the time-stamp authority %s refused the request (PKIStatus %ld)", url,
                   status);
  TS_TST_INFO *info = TS_RESP_get_tst_info(resp);
  if (!TS_RESP_get_token(resp) || !info)
    return ap_fail(diags, ap_loc_file(at), "the time-stamp authority %s granted no token", url);

  TS_MSG_IMPRINT *imprint = TS_TST_INFO_get_msg_imprint(info);
  const ASN1_OBJECT *algo = NULL;
  X509_ALGOR_get0(&algo, NULL, NULL, TS_MSG_IMPRINT_get_algo(imprint));
  ASN1_OCTET_STRING *msg = TS_MSG_IMPRINT_get_msg(imprint);
  if (OBJ_obj2nid(algo) != NID_sha256 || ASN1_STRING_length(msg) != (int)digest_size ||
      memcmp(ASN1_STRING_get0_data(msg), digest, digest_size))
    return ap_fail(diags, ap_loc_file(at), "the time-stamp token of %s is not over this signature (its message "
                                           "imprint differs)", url);
  const ASN1_INTEGER *got = TS_TST_INFO_get_nonce(info);
  if (!got || ASN1_INTEGER_cmp(got, nonce))
    return ap_fail(diags, ap_loc_file(at), "the time-stamp token of %s does not answer this request (its nonce "
                                           "differs)", url);
  return true;
}
