// SHA-256 through OpenSSL's EVP interface (libcrypto), for batch manifests.
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>

static bool digest_of(const void *const *parts, const size_t *sizes, int nparts, unsigned char *digest,
                      unsigned int *n);

static EVP_MD *sha256_md; // SHA-256, fetched once (an implicit fetch per digest cost more than the hashing)

//
// 'ap_sha256()' - Digest of bytes.
//

bool
ap_sha256(const void *bytes, size_t size, unsigned char digest[AP_SHA256_SIZE])
{
  unsigned int n = 0;
  return digest_of(&bytes, &size, 1, digest, &n) && n == AP_SHA256_SIZE;
}

//
// 'ap_sha256_parts()' - Digest of pieces of bytes, in order.
//

bool
ap_sha256_parts(const void *const *parts, const size_t *sizes, int n, unsigned char digest[AP_SHA256_SIZE])
{
  unsigned int got = 0;
  return digest_of(parts, sizes, n, digest, &got) && got == AP_SHA256_SIZE;
}

//
// 'ap_hash_prepare()' - Fetch SHA-256 now, once for the processes forked after.
//
// OpenSSL's first fetch of an algorithm costs about 5 M instructions: a
// batch pays it once, not in every job.
//

void
ap_hash_prepare(void)
{
  if (!sha256_md)
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

//
// 'ap_sha256_file()' - Digest of a file, as hex.
//

bool
ap_sha256_file(const char *path, char hex[AP_SHA256_HEX])
{
  unsigned char digest[AP_SHA256_SIZE], buf[65536];
  unsigned int n = 0;
  size_t got;
  FILE *fp = fopen(path, "rb");
  EVP_MD_CTX *ctx = fp ? EVP_MD_CTX_new() : NULL;
  ap_hash_prepare();
  bool ok = ctx && sha256_md && EVP_DigestInit_ex2(ctx, sha256_md, NULL) == 1;

  while (ok && (got = fread(buf, 1, sizeof(buf), fp)) > 0)
    ok = EVP_DigestUpdate(ctx, buf, got) == 1;
  if (ok && ferror(fp)) {
    ok = false;
    errno = EIO;
  }
  ok = ok && EVP_DigestFinal_ex(ctx, digest, &n) == 1 && n == AP_SHA256_SIZE;
  if (ok)
    ap_sha256_hex(digest, hex);
  EVP_MD_CTX_free(ctx);
  if (fp)
    fclose(fp);
  return ok;
}

//
// 'ap_sha256_hex()' - A digest as lower-case hex.
//

void
ap_sha256_hex(const unsigned char digest[AP_SHA256_SIZE], char hex[AP_SHA256_HEX])
{
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < AP_SHA256_SIZE; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[2 * AP_SHA256_SIZE] = '\0';
}

// SHA-256 of bytes with the algorithm fetched once and a context kept for
// the process (OpenSSL 3 fetches the algorithm again for every EVP_Digest
// with EVP_sha256(): most of a small digest's instructions).
static bool
digest_of(const void *const *parts, const size_t *sizes, int nparts, unsigned char *digest, unsigned int *n)
{
  static EVP_MD_CTX *ctx; // Reused by every digest of bytes

  ap_hash_prepare();
  if (!ctx)
    ctx = EVP_MD_CTX_new();
  bool ok = sha256_md && ctx && EVP_DigestInit_ex2(ctx, sha256_md, NULL) == 1;
  for (int i = 0; ok && i < nparts; i++)
    ok = EVP_DigestUpdate(ctx, parts[i], sizes[i]) == 1;
  return ok && EVP_DigestFinal_ex(ctx, digest, n) == 1;
}
