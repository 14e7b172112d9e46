// The exchange with a time-stamp authority (timestamp.c's request posted,
// its answer read): libcrypto's HTTP client (OSSL_HTTP_transfer) over a
// connection made here, so that an authority that is not there fails at
// once. OSSL_HTTP_open would connect by itself, but it takes "connection
// refused" for a passing error and tries again until the timeout; here a
// refused or unreachable connection is reported as soon as the system says
// so, and only silence waits for the timeout. An https:// authority is
// reached through TLS (libssl, loaded only then): the SSL BIO wraps the
// connection in the bio_update_fn, as OpenSSL's own apps do; the server's
// certificate is checked against the system's CA store (or --tsa-ca FILE),
// its name against the URL's host. The http_proxy / https_proxy / no_proxy
// variables are honoured (an http:// request goes to the proxy with the
// absolute URL; an https:// one through the proxy's CONNECT tunnel).
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sign-private.h"

#define MAX_RESPONSE (1 << 20) // Bytes of a time-stamp response at most

// What the bio_update_fn needs, and what it learns.
typedef struct tls_s {
  SSL_CTX *ctx;     // NULL: plain http://
  const char *host; // The authority's host (SNI, the certificate's name)
  const char *port; // Its port (the proxy's CONNECT)
  bool via_proxy;   // An https_proxy: CONNECT first
  int timeout;      // Seconds, for the CONNECT
  SSL *ssl;         // The TLS session while it lasts
  long verify;      // The certificate check's result (X509_V_OK...), kept when it ends
} tls_t;

static BIO *connect_to(const char *host, const char *port, time_t deadline, const char *what, const char *url,
                       const char *at, ap_diags_t *diags);
static const char *error_text(char *buf, size_t size);
static SSL_CTX *tls_context(const char *ca_file, const char *at, ap_diags_t *diags);
static BIO *wrap_tls(BIO *bio, void *arg, int connect, int detail);

//
// 'ap_sign_tsa_post()' - POST a time-stamp query, the answer's body.
//

BIO *
ap_sign_tsa_post(const char *url, const char *ca_file, BIO *query, int timeout, const char *at, ap_diags_t *diags)
{
  char *host = NULL, *port = NULL, *path = NULL, *q = NULL, *frag = NULL, *user = NULL;
  char *proxy_host = NULL, *proxy_port = NULL, *target = NULL;
  int use_tls = 0, port_num = 0;
  time_t deadline = time(NULL) + timeout;
  tls_t tls = {.verify = X509_V_OK, .timeout = timeout};
  BIO *conn = NULL, *answer = NULL;

  // The URL: http:// or https://; a CA file for https:// alone...
  if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) {
    ap_fail(diags, ap_loc_file(at), "--tsa %s: expected an http:// or https:// URL", url);
    return NULL;
  }
  if (!OSSL_HTTP_parse_url(url, &use_tls, &user, &host, &port, &port_num, &path, &q, &frag) || !*host) {
    ap_fail(diags, ap_loc_file(at), "--tsa %s: not a valid URL", url);
    goto done;
  }
  if (ca_file && !use_tls) {
    ap_fail(diags, ap_loc_file(at), "--tsa-ca %s: only for an https:// time-stamp authority (--tsa %s)", ca_file, url);
    goto done;
  }
  if (use_tls && !(tls.ctx = tls_context(ca_file, at, diags)))
    goto done;
  tls.host = host;
  tls.port = port;

  // ...the proxy the environment names for it, if any (its host and port)...
  const char *proxy = OSSL_HTTP_adapt_proxy(NULL, NULL, host, use_tls);
  if (proxy && !OSSL_HTTP_parse_url(proxy, NULL, NULL, &proxy_host, &proxy_port, NULL, NULL, NULL, NULL)) {
    ap_fail(diags, ap_loc_file(at), "the proxy %s (from %s) is not a valid URL", proxy,
            use_tls ? "https_proxy" : "http_proxy");
    goto done;
  }
  tls.via_proxy = proxy && use_tls;

  // ...the path asked for (the absolute URL through a plain HTTP proxy)...
  size_t target_size = strlen(host) + strlen(port) + strlen(path) + (q ? strlen(q) : 0) + 16;
  if (!(target = malloc(target_size))) {
    ap_fail(diags, ap_loc_file(at), "out of memory");
    goto done;
  }
  if (proxy && !use_tls)
    snprintf(target, target_size, "http://%s:%s%s%s%s", host, port, path, q ? "?" : "", q ? q : "");
  else
    snprintf(target, target_size, "%s%s%s", path, q ? "?" : "", q ? q : "");

  // ...the connection, failing at once when refused...
  if (!(conn = connect_to(proxy ? proxy_host : host, proxy ? proxy_port : port, deadline,
                          proxy ? "the proxy for the time-stamp authority at" : "the time-stamp authority at", url,
                          at, diags)))
    goto done;

  // ...and the exchange, in the time left.
  long left = (long)(deadline - time(NULL));
  ERR_clear_error();
  answer = OSSL_HTTP_transfer(NULL, host, port, target, use_tls, NULL, NULL, conn, NULL, use_tls ? wrap_tls : NULL,
                              &tls, 0, NULL, "application/timestamp-query", query, "application/timestamp-reply", 1,
                              MAX_RESPONSE, left > 0 ? (int)left : 1, 0);
  if (!answer) {
    char why[256];
    if (tls.verify == X509_V_ERR_HOSTNAME_MISMATCH || tls.verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
      ap_fail(diags, ap_loc_file(at), "the time-stamp authority at %s presents a certificate for another host than "
                                      "%s", url, host);
    else if (tls.verify != X509_V_OK)
      ap_fail(diags, ap_loc_file(at), "the time-stamp authority at %s presents a certificate that is not trusted "
                                      "(%s)%s", url, X509_verify_cert_error_string(tls.verify),
              ca_file ? "" : ": --tsa-ca FILE names its CA if the system's store has not got it");
    else
      ap_fail(diags, ap_loc_file(at), "no time-stamp response from %s (%s)", url, error_text(why, sizeof why));
  }

done:
  ERR_clear_error();
  BIO_free_all(conn);
  if (tls.ctx)
    SSL_CTX_free(tls.ctx);
  free(target);
  OPENSSL_free(proxy_host);
  OPENSSL_free(proxy_port);
  OPENSSL_free(host);
  OPENSSL_free(port);
  OPENSSL_free(path);
  OPENSSL_free(q);
  OPENSSL_free(frag);
  OPENSSL_free(user);
  return answer;
}

// A TCP connection to host:port (a libcrypto connect BIO, non-blocking):
// NULL with one diagnostic when the system refuses it (connection refused,
// no route, unknown host: at once) or when nothing answers by deadline.
// what names the peer in the message ("the time-stamp authority at", "the
// proxy for …").
static BIO *
connect_to(const char *host, const char *port, time_t deadline, const char *what, const char *url, const char *at,
           ap_diags_t *diags)
{
  BIO *bio = BIO_new_connect(host);
  bool timed_out = false;
  char why[256];

  ERR_clear_error();
  if (!bio || BIO_set_conn_port(bio, port) <= 0 || BIO_set_nbio(bio, 1) <= 0) {
    BIO_free_all(bio);
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not make a connection to %s", url);
    return NULL;
  }
  for (;;) {
    if (BIO_do_connect(bio) > 0)
      return bio;
    if (!BIO_should_retry(bio)) // Refused, unreachable, unknown: the system's answer
      break;
    int waited = BIO_wait(bio, deadline, 100);
    if (waited <= 0) {
      timed_out = waited == 0 || time(NULL) >= deadline;
      break;
    }
  }
  if (timed_out)
    ap_fail(diags, ap_loc_file(at), "cannot connect to %s %s: no answer within the --tsa-timeout", what, url);
  else
    ap_fail(diags, ap_loc_file(at), "cannot connect to %s %s: %s", what, url, error_text(why, sizeof why));
  BIO_free_all(bio);
  return NULL;
}

// The reason of libcrypto's errors (their queue emptied), in buf: the
// system's (strerror) when there is one, the resolver's (getaddrinfo)
// when it failed, else the first error's reason.
static const char *
error_text(char *buf, size_t size)
{
  const char *data = NULL;
  int flags = 0;
  unsigned long e, first = 0;
  char detail[160] = "";

  buf[0] = '\0';
  while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags))) {
    if (ERR_GET_LIB(e) == ERR_LIB_SYS && ERR_GET_REASON(e) > 0 && !buf[0])
      snprintf(buf, size, "%s", strerror(ERR_GET_REASON(e)));
    if (!first) {
      first = e;
      if ((flags & ERR_TXT_STRING) && data && *data)
        snprintf(detail, sizeof detail, "%s", data);
    }
  }
  if (buf[0])
    return buf;
  const char *reason = first ? ERR_reason_error_string(first) : NULL;
  if (detail[0] && ERR_GET_LIB(first) == ERR_LIB_BIO && ERR_GET_REASON(first) == ERR_R_SYS_LIB)
    snprintf(buf, size, "%s", detail); // getaddrinfo's words
  else
    snprintf(buf, size, "%s", reason ? reason : "no connection");
  return buf;
}

// The TLS client's context: TLS 1.2 or later, the peer's certificate
// verified against ca_file (PEM), or the system's CA store.
static SSL_CTX *
tls_context(const char *ca_file, const char *at, ap_diags_t *diags)
{
  if (!ap_openssl_load_ssl(diags))
    return NULL;
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION)) {
    ap_fail(diags, ap_loc_file(at), "OpenSSL could not make a TLS context");
    goto failed;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
  if (ca_file ? !SSL_CTX_load_verify_file(ctx, ca_file) : !SSL_CTX_set_default_verify_paths(ctx)) {
    if (ca_file)
      ap_fail(diags, ap_loc_file(ca_file), "--tsa-ca: cannot read CA certificates (PEM) from this file");
    else
      ap_fail(diags, ap_loc_file(at), "cannot read the system's CA certificates");
    goto failed;
  }
  return ctx;

failed:
  ERR_clear_error();
  if (ctx)
    SSL_CTX_free(ctx);
  return NULL;
}

// OSSL_HTTP's bio_update_fn: once connected, a CONNECT tunnel through an
// https_proxy, then an SSL BIO (client, the host's name for SNI and for the
// certificate check) pushed on the connection; at the end, the check's
// result kept and the SSL BIO taken off and freed (the connection is the
// caller's).
static BIO *
wrap_tls(BIO *bio, void *arg, int connect, int detail)
{
  tls_t *tls = arg;
  unsigned char ip[16];
  (void)detail;

  if (!tls->ctx)
    return bio;
  if (connect) {
    if (tls->via_proxy && !OSSL_HTTP_proxy_connect(bio, tls->host, tls->port, NULL, NULL, tls->timeout, NULL, NULL))
      return NULL;
    BIO *sbio = BIO_new(BIO_f_ssl());
    SSL *ssl = sbio ? SSL_new(tls->ctx) : NULL;
    bool address = inet_pton(AF_INET, tls->host, ip) == 1 || inet_pton(AF_INET6, tls->host, ip) == 1; // No SNI then
    if (!ssl || !SSL_set1_host(ssl, tls->host) || (!address && !SSL_set_tlsext_host_name(ssl, tls->host))) {
      if (ssl)
        SSL_free(ssl);
      BIO_free(sbio);
      return NULL;
    }
    SSL_set_connect_state(ssl);
    BIO_set_ssl(sbio, ssl, BIO_CLOSE);
    tls->ssl = ssl;
    return BIO_push(sbio, bio);
  }
  if (tls->ssl)
    tls->verify = SSL_get_verify_result(tls->ssl);
  tls->ssl = NULL;
  ERR_set_mark();
  BIO_ssl_shutdown(bio);
  BIO *next = BIO_pop(bio);
  BIO_free(bio);
  ERR_pop_to_mark();
  return next;
}
