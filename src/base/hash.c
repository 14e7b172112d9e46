// SHA-256 through OpenSSL's EVP interface (libcrypto), for batch manifests.
#include "hash.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>

//
// 'ap_sha256()' - Digest of bytes.
//

bool
ap_sha256(const void *bytes, size_t size, unsigned char digest[AP_SHA256_SIZE])
{
  unsigned int n = 0;
  return EVP_Digest(bytes, size, digest, &n, EVP_sha256(), NULL) == 1 && n == AP_SHA256_SIZE;
}

//
// 'ap_cache_key()' - BLAKE2b-512 of bytes, as hex.
//

bool
ap_cache_key(const void *bytes, size_t size, char hex[AP_KEY_HEX])
{
  static const char digits[] = "0123456789abcdef";
  unsigned char digest[64];
  unsigned int n = 0;

  if (EVP_Digest(bytes, size, digest, &n, EVP_blake2b512(), NULL) != 1 || n != sizeof(digest))
    return false;
  for (unsigned i = 0; i < n; i++) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 15];
  }
  hex[2 * n] = '\0';
  return true;
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
  bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;

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
