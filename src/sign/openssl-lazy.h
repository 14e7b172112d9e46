// OpenSSL's libcrypto, loaded when `anpham sign` first needs it (dlopen)
// rather than linked: only signing uses it, and a render should not pay
// for mapping and relocating libcrypto at every start (like libqpdf,
// src/qpdf-lazy.h); libssl, for TLS, only when a time-stamp authority's URL
// is https://. Include this after the OpenSSL headers: each call
// below then goes through the loaded table. Call ap_openssl_load() first.
// The OpenSSL headers' inline stack helpers (sk_X509_num...) would call
// libcrypto directly: use the OPENSSL_sk_* functions with casts instead.
#ifndef AP_SIGN_OPENSSL_LAZY_H
#define AP_SIGN_OPENSSL_LAZY_H

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/http.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <stdbool.h>

#include "../base/diag.h"

// Every libcrypto function anpham calls.
#define AP_OPENSSL_FUNCTIONS(X)                                                                                    \
  X(BIO_new_mem_buf) X(BIO_free) X(ERR_clear_error) X(ERR_peek_last_error) X(ERR_error_string_n)                  \
  X(d2i_PKCS12_bio) X(PKCS12_verify_mac) X(PKCS12_parse) X(PKCS12_free)                                            \
  X(PEM_read_bio_PrivateKey) X(PEM_read_bio_X509)                                                                  \
  X(X509_check_private_key) X(X509_get0_notBefore) X(X509_get0_notAfter) X(X509_free)                            \
  X(ASN1_TIME_new) X(ASN1_TIME_free) X(ASN1_TIME_set_string_X509) X(ASN1_TIME_compare)                             \
  X(EVP_PKEY_free) X(EVP_PKEY_get_base_id) X(EVP_PKEY_get_bits) X(EVP_PKEY_get_group_name)                        \
  X(OPENSSL_sk_num) X(OPENSSL_sk_value) X(OPENSSL_sk_new_null) X(OPENSSL_sk_push) X(OPENSSL_sk_free)              \
  X(OPENSSL_sk_pop_free) X(OPENSSL_sk_shift) X(OPENSSL_cleanse) X(CRYPTO_free)                                     \
  X(EVP_sha256) X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestSignInit) X(EVP_DigestSign)                       \
  X(CMS_sign) X(CMS_add1_signer) X(CMS_add1_cert) X(CMS_final) X(CMS_get0_SignerInfos)                             \
  X(CMS_signed_get_attr_by_NID) X(CMS_signed_delete_attr) X(CMS_signed_get_attr_count) X(CMS_signed_get_attr)      \
  X(CMS_SignerInfo_get0_signature) X(X509_ATTRIBUTE_free) X(ASN1_item_i2d) X(PKCS7_ATTR_SIGN_it)                  \
  X(ASN1_STRING_set) X(i2d_CMS_ContentInfo) X(CMS_ContentInfo_free)                                              \
  X(CMS_SignerInfo_get0_pkey_ctx) X(EVP_PKEY_CTX_set_rsa_padding) X(EVP_PKEY_CTX_set_rsa_pss_saltlen)              \
  X(X509_digest) X(X509_get_subject_name) X(X509_NAME_print_ex) X(BIO_new) X(BIO_s_mem) X(BIO_ctrl) \
  X(EVP_Digest) X(RAND_bytes) X(ASN1_INTEGER_new) X(ASN1_INTEGER_free) X(ASN1_INTEGER_set_uint64)                  \
  X(ASN1_INTEGER_get) X(ASN1_INTEGER_cmp) X(ASN1_STRING_get0_data) X(ASN1_STRING_length) X(X509_ALGOR_new)         \
  X(X509_ALGOR_free) X(X509_ALGOR_set0) X(X509_ALGOR_get0) X(OBJ_nid2obj) X(OBJ_obj2nid) X(TS_MSG_IMPRINT_new)     \
  X(TS_MSG_IMPRINT_free) X(TS_MSG_IMPRINT_set_algo) X(TS_MSG_IMPRINT_set_msg) X(TS_MSG_IMPRINT_get_msg)            \
  X(TS_MSG_IMPRINT_get_algo) X(TS_REQ_new) X(TS_REQ_free) X(TS_REQ_set_version) X(TS_REQ_set_msg_imprint)          \
  X(TS_REQ_set_nonce) X(TS_REQ_set_cert_req) X(i2d_TS_REQ) X(d2i_TS_RESP_bio) X(TS_RESP_free)                      \
  X(TS_RESP_get_status_info) X(TS_STATUS_INFO_get0_status) X(TS_RESP_get_tst_info)                                 \
  X(TS_TST_INFO_get_msg_imprint) X(TS_TST_INFO_get_nonce) X(TS_RESP_get_token) X(i2d_PKCS7)                        \
  X(CMS_unsigned_add1_attr_by_NID) X(OSSL_HTTP_parse_url) X(OSSL_HTTP_transfer) X(ERR_reason_error_string)        \
  X(ERR_peek_error) X(OSSL_HTTP_adapt_proxy) X(OSSL_HTTP_proxy_connect) X(BIO_new_connect) X(BIO_test_flags)     \
  X(BIO_wait) X(BIO_push) X(BIO_pop) X(BIO_free_all) X(ERR_get_error_all) X(ERR_set_mark) X(ERR_pop_to_mark)       \
  X(X509_verify_cert_error_string)

// Every libssl function anpham calls (only for an https:// time-stamp
// authority: loaded by ap_openssl_load_ssl()).
#define AP_OPENSSL_SSL_FUNCTIONS(X)                                                                                \
  X(TLS_client_method) X(SSL_CTX_new) X(SSL_CTX_free) X(SSL_CTX_ctrl) X(SSL_CTX_set_verify)                        \
  X(SSL_CTX_load_verify_file) X(SSL_CTX_set_default_verify_paths) X(SSL_new) X(SSL_free) X(SSL_set1_host)          \
  X(SSL_ctrl) X(SSL_set_connect_state) X(SSL_get_verify_result) X(BIO_f_ssl) X(BIO_ssl_shutdown)

// The loaded functions.
typedef struct ap_openssl_s {
#define AP_OPENSSL_POINTER(f) __typeof__(&f) p_##f;
  AP_OPENSSL_FUNCTIONS(AP_OPENSSL_POINTER)
  AP_OPENSSL_SSL_FUNCTIONS(AP_OPENSSL_POINTER)
#undef AP_OPENSSL_POINTER
} ap_openssl_t;

extern ap_openssl_t ap_openssl; // Filled by ap_openssl_load()

// Load libcrypto (its soname found at build time) once; false with a
// diagnostic naming the library when it cannot be loaded.
bool ap_openssl_load(ap_diags_t *diags);
// Load libssl too (TLS: an https:// time-stamp authority), once; false
// with a diagnostic naming the library. Call ap_openssl_load() first.
bool ap_openssl_load_ssl(ap_diags_t *diags);

// From here on, each call goes through the loaded table.
#define BIO_new_mem_buf (*ap_openssl.p_BIO_new_mem_buf)
#define BIO_free (*ap_openssl.p_BIO_free)
#define ERR_clear_error (*ap_openssl.p_ERR_clear_error)
#define ERR_peek_last_error (*ap_openssl.p_ERR_peek_last_error)
#define ERR_error_string_n (*ap_openssl.p_ERR_error_string_n)
#define d2i_PKCS12_bio (*ap_openssl.p_d2i_PKCS12_bio)
#define PKCS12_verify_mac (*ap_openssl.p_PKCS12_verify_mac)
#define PKCS12_parse (*ap_openssl.p_PKCS12_parse)
#define PKCS12_free (*ap_openssl.p_PKCS12_free)
#define PEM_read_bio_PrivateKey (*ap_openssl.p_PEM_read_bio_PrivateKey)
#define PEM_read_bio_X509 (*ap_openssl.p_PEM_read_bio_X509)
#define X509_check_private_key (*ap_openssl.p_X509_check_private_key)
#define X509_get0_notBefore (*ap_openssl.p_X509_get0_notBefore)
#define X509_get0_notAfter (*ap_openssl.p_X509_get0_notAfter)
#define X509_free (*ap_openssl.p_X509_free)
#define ASN1_TIME_new (*ap_openssl.p_ASN1_TIME_new)
#define ASN1_TIME_free (*ap_openssl.p_ASN1_TIME_free)
#define ASN1_TIME_set_string_X509 (*ap_openssl.p_ASN1_TIME_set_string_X509)
#define ASN1_TIME_compare (*ap_openssl.p_ASN1_TIME_compare)
#define EVP_PKEY_free (*ap_openssl.p_EVP_PKEY_free)
#define EVP_PKEY_get_base_id (*ap_openssl.p_EVP_PKEY_get_base_id)
#define EVP_PKEY_get_bits (*ap_openssl.p_EVP_PKEY_get_bits)
#define EVP_PKEY_get_group_name (*ap_openssl.p_EVP_PKEY_get_group_name)
#define OPENSSL_sk_num (*ap_openssl.p_OPENSSL_sk_num)
#define OPENSSL_sk_value (*ap_openssl.p_OPENSSL_sk_value)
#define OPENSSL_sk_new_null (*ap_openssl.p_OPENSSL_sk_new_null)
#define OPENSSL_sk_push (*ap_openssl.p_OPENSSL_sk_push)
#define OPENSSL_sk_free (*ap_openssl.p_OPENSSL_sk_free)
#define OPENSSL_sk_pop_free (*ap_openssl.p_OPENSSL_sk_pop_free)
#define OPENSSL_sk_shift (*ap_openssl.p_OPENSSL_sk_shift)
#define OPENSSL_cleanse (*ap_openssl.p_OPENSSL_cleanse)
#define CRYPTO_free (*ap_openssl.p_CRYPTO_free)
#define EVP_sha256 (*ap_openssl.p_EVP_sha256)
#define EVP_MD_CTX_new (*ap_openssl.p_EVP_MD_CTX_new)
#define EVP_MD_CTX_free (*ap_openssl.p_EVP_MD_CTX_free)
#define EVP_DigestSignInit (*ap_openssl.p_EVP_DigestSignInit)
#define EVP_DigestSign (*ap_openssl.p_EVP_DigestSign)
#define CMS_sign (*ap_openssl.p_CMS_sign)
#define CMS_add1_signer (*ap_openssl.p_CMS_add1_signer)
#define CMS_add1_cert (*ap_openssl.p_CMS_add1_cert)
#define CMS_final (*ap_openssl.p_CMS_final)
#define CMS_get0_SignerInfos (*ap_openssl.p_CMS_get0_SignerInfos)
#define CMS_signed_get_attr_by_NID (*ap_openssl.p_CMS_signed_get_attr_by_NID)
#define CMS_signed_delete_attr (*ap_openssl.p_CMS_signed_delete_attr)
#define CMS_signed_get_attr_count (*ap_openssl.p_CMS_signed_get_attr_count)
#define CMS_signed_get_attr (*ap_openssl.p_CMS_signed_get_attr)
#define CMS_SignerInfo_get0_signature (*ap_openssl.p_CMS_SignerInfo_get0_signature)
#define X509_ATTRIBUTE_free (*ap_openssl.p_X509_ATTRIBUTE_free)
#define ASN1_item_i2d (*ap_openssl.p_ASN1_item_i2d)
#define PKCS7_ATTR_SIGN_it (*ap_openssl.p_PKCS7_ATTR_SIGN_it)
#define ASN1_STRING_set (*ap_openssl.p_ASN1_STRING_set)
#define i2d_CMS_ContentInfo (*ap_openssl.p_i2d_CMS_ContentInfo)
#define CMS_ContentInfo_free (*ap_openssl.p_CMS_ContentInfo_free)
#define CMS_SignerInfo_get0_pkey_ctx (*ap_openssl.p_CMS_SignerInfo_get0_pkey_ctx)
#define EVP_PKEY_CTX_set_rsa_padding (*ap_openssl.p_EVP_PKEY_CTX_set_rsa_padding)
#define EVP_PKEY_CTX_set_rsa_pss_saltlen (*ap_openssl.p_EVP_PKEY_CTX_set_rsa_pss_saltlen)
#define X509_digest (*ap_openssl.p_X509_digest)
#define X509_get_subject_name (*ap_openssl.p_X509_get_subject_name)
#define X509_NAME_print_ex (*ap_openssl.p_X509_NAME_print_ex)
#define BIO_new (*ap_openssl.p_BIO_new)
#define BIO_s_mem (*ap_openssl.p_BIO_s_mem)
#define BIO_ctrl (*ap_openssl.p_BIO_ctrl)
#define EVP_Digest (*ap_openssl.p_EVP_Digest)
#define RAND_bytes (*ap_openssl.p_RAND_bytes)
#define ASN1_INTEGER_new (*ap_openssl.p_ASN1_INTEGER_new)
#define ASN1_INTEGER_free (*ap_openssl.p_ASN1_INTEGER_free)
#define ASN1_INTEGER_set_uint64 (*ap_openssl.p_ASN1_INTEGER_set_uint64)
#define ASN1_INTEGER_get (*ap_openssl.p_ASN1_INTEGER_get)
#define ASN1_INTEGER_cmp (*ap_openssl.p_ASN1_INTEGER_cmp)
#define ASN1_STRING_get0_data (*ap_openssl.p_ASN1_STRING_get0_data)
#define ASN1_STRING_length (*ap_openssl.p_ASN1_STRING_length)
#define X509_ALGOR_new (*ap_openssl.p_X509_ALGOR_new)
#define X509_ALGOR_free (*ap_openssl.p_X509_ALGOR_free)
#define X509_ALGOR_set0 (*ap_openssl.p_X509_ALGOR_set0)
#define X509_ALGOR_get0 (*ap_openssl.p_X509_ALGOR_get0)
#define OBJ_nid2obj (*ap_openssl.p_OBJ_nid2obj)
#define OBJ_obj2nid (*ap_openssl.p_OBJ_obj2nid)
#define TS_MSG_IMPRINT_new (*ap_openssl.p_TS_MSG_IMPRINT_new)
#define TS_MSG_IMPRINT_free (*ap_openssl.p_TS_MSG_IMPRINT_free)
#define TS_MSG_IMPRINT_set_algo (*ap_openssl.p_TS_MSG_IMPRINT_set_algo)
#define TS_MSG_IMPRINT_set_msg (*ap_openssl.p_TS_MSG_IMPRINT_set_msg)
#define TS_MSG_IMPRINT_get_msg (*ap_openssl.p_TS_MSG_IMPRINT_get_msg)
#define TS_MSG_IMPRINT_get_algo (*ap_openssl.p_TS_MSG_IMPRINT_get_algo)
#define TS_REQ_new (*ap_openssl.p_TS_REQ_new)
#define TS_REQ_free (*ap_openssl.p_TS_REQ_free)
#define TS_REQ_set_version (*ap_openssl.p_TS_REQ_set_version)
#define TS_REQ_set_msg_imprint (*ap_openssl.p_TS_REQ_set_msg_imprint)
#define TS_REQ_set_nonce (*ap_openssl.p_TS_REQ_set_nonce)
#define TS_REQ_set_cert_req (*ap_openssl.p_TS_REQ_set_cert_req)
#define i2d_TS_REQ (*ap_openssl.p_i2d_TS_REQ)
#define d2i_TS_RESP_bio (*ap_openssl.p_d2i_TS_RESP_bio)
#define TS_RESP_free (*ap_openssl.p_TS_RESP_free)
#define TS_RESP_get_status_info (*ap_openssl.p_TS_RESP_get_status_info)
#define TS_STATUS_INFO_get0_status (*ap_openssl.p_TS_STATUS_INFO_get0_status)
#define TS_RESP_get_tst_info (*ap_openssl.p_TS_RESP_get_tst_info)
#define TS_TST_INFO_get_msg_imprint (*ap_openssl.p_TS_TST_INFO_get_msg_imprint)
#define TS_TST_INFO_get_nonce (*ap_openssl.p_TS_TST_INFO_get_nonce)
#define TS_RESP_get_token (*ap_openssl.p_TS_RESP_get_token)
#define i2d_PKCS7 (*ap_openssl.p_i2d_PKCS7)
#define CMS_unsigned_add1_attr_by_NID (*ap_openssl.p_CMS_unsigned_add1_attr_by_NID)
#define OSSL_HTTP_parse_url (*ap_openssl.p_OSSL_HTTP_parse_url)
#define OSSL_HTTP_transfer (*ap_openssl.p_OSSL_HTTP_transfer)
#define ERR_reason_error_string (*ap_openssl.p_ERR_reason_error_string)
#define ERR_peek_error (*ap_openssl.p_ERR_peek_error)
#define OSSL_HTTP_adapt_proxy (*ap_openssl.p_OSSL_HTTP_adapt_proxy)
#define OSSL_HTTP_proxy_connect (*ap_openssl.p_OSSL_HTTP_proxy_connect)
#define BIO_new_connect (*ap_openssl.p_BIO_new_connect)
#define BIO_test_flags (*ap_openssl.p_BIO_test_flags)
#define BIO_wait (*ap_openssl.p_BIO_wait)
#define BIO_push (*ap_openssl.p_BIO_push)
#define BIO_pop (*ap_openssl.p_BIO_pop)
#define BIO_free_all (*ap_openssl.p_BIO_free_all)
#define ERR_get_error_all (*ap_openssl.p_ERR_get_error_all)
#define ERR_set_mark (*ap_openssl.p_ERR_set_mark)
#define ERR_pop_to_mark (*ap_openssl.p_ERR_pop_to_mark)
#define X509_verify_cert_error_string (*ap_openssl.p_X509_verify_cert_error_string)
#define TLS_client_method (*ap_openssl.p_TLS_client_method)
#define SSL_CTX_new (*ap_openssl.p_SSL_CTX_new)
#define SSL_CTX_free (*ap_openssl.p_SSL_CTX_free)
#define SSL_CTX_ctrl (*ap_openssl.p_SSL_CTX_ctrl)
#define SSL_CTX_set_verify (*ap_openssl.p_SSL_CTX_set_verify)
#define SSL_CTX_load_verify_file (*ap_openssl.p_SSL_CTX_load_verify_file)
#define SSL_CTX_set_default_verify_paths (*ap_openssl.p_SSL_CTX_set_default_verify_paths)
#define SSL_new (*ap_openssl.p_SSL_new)
#define SSL_free (*ap_openssl.p_SSL_free)
#define SSL_set1_host (*ap_openssl.p_SSL_set1_host)
#define SSL_ctrl (*ap_openssl.p_SSL_ctrl)
#define SSL_set_connect_state (*ap_openssl.p_SSL_set_connect_state)
#define SSL_get_verify_result (*ap_openssl.p_SSL_get_verify_result)
#define BIO_f_ssl (*ap_openssl.p_BIO_f_ssl)
#define BIO_ssl_shutdown (*ap_openssl.p_BIO_ssl_shutdown)

#endif
