// SHA-256 (and MD5, which PDF wants as an embedded file's checksum) through
// GNU Nettle: batch manifests, the cache of valid layouts, an archive's
// /ID. Nettle rather than OpenSSL's libcrypto: loading libcrypto cost every
// run 2.5 M instructions of symbol relocations (4,191 of them), more than a
// one-paragraph document's layout; Nettle's cost 0.3 M.
#include "hash.h"

#include <errno.h>
#include <nettle/md5.h>
#include <nettle/sha2.h>
#include <stdio.h>

//
// 'ap_sha256()' - Digest of bytes.
//

bool
ap_sha256(const void *bytes, size_t size, unsigned char digest[AP_SHA256_SIZE])
{
  return ap_sha256_parts(&bytes, &size, 1, digest);
}

//
// 'ap_sha256_parts()' - Digest of pieces of bytes, in order.
//

bool
ap_sha256_parts(const void *const *parts, const size_t *sizes, int n, unsigned char digest[AP_SHA256_SIZE])
{
  struct sha256_ctx ctx;

  sha256_init(&ctx);
  for (int i = 0; i < n; i++)
    sha256_update(&ctx, sizes[i], parts[i]);
  sha256_digest(&ctx, AP_SHA256_SIZE, digest);
  return true;
}

//
// 'ap_md5()' - MD5 of bytes (an embedded file's /CheckSum: not for security).
//

void
ap_md5(const void *bytes, size_t size, unsigned char digest[AP_MD5_SIZE])
{
  struct md5_ctx ctx;

  md5_init(&ctx);
  md5_update(&ctx, size, bytes);
  md5_digest(&ctx, AP_MD5_SIZE, digest);
}

//
// 'ap_sha256_file()' - Digest of a file, as hex.
//

bool
ap_sha256_file(const char *path, char hex[AP_SHA256_HEX])
{
  unsigned char digest[AP_SHA256_SIZE], buf[65536];
  size_t got;
  struct sha256_ctx ctx;
  FILE *fp = fopen(path, "rb");

  if (!fp)
    return false;
  sha256_init(&ctx);
  while ((got = fread(buf, 1, sizeof(buf), fp)) > 0)
    sha256_update(&ctx, got, buf);
  bool ok = !ferror(fp);
  fclose(fp);
  if (!ok) {
    errno = EIO;
    return false;
  }
  sha256_digest(&ctx, AP_SHA256_SIZE, digest);
  ap_sha256_hex(digest, hex);
  return true;
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
