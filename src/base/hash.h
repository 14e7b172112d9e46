// SHA-256 of bytes and of files (GNU Nettle: no hashing by hand), as raw
// digests and as lower-case hex: what a batch manifest records of every
// input and output, the cache of valid layouts' names, an archive's /ID;
// and MD5, the checksum PDF wants of an embedded file.
#ifndef AP_HASH_H
#define AP_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define AP_SHA256_SIZE 32                       // Bytes of a SHA-256 digest
#define AP_SHA256_HEX (2 * AP_SHA256_SIZE + 1)  // Its hex form with the NUL
#define AP_MD5_SIZE 16                          // Bytes of an MD5 digest

// Digest of size bytes into digest (always true: kept for the callers' checks).
bool ap_sha256(const void *bytes, size_t size, unsigned char digest[AP_SHA256_SIZE]);
// Digest of n pieces of bytes one after the other (always true).
bool ap_sha256_parts(const void *const *parts, const size_t *sizes, int n, unsigned char digest[AP_SHA256_SIZE]);
// Digest of a whole file (read in pieces) as hex; false with errno set when
// the file cannot be read.
bool ap_sha256_file(const char *path, char hex[AP_SHA256_HEX]);
// MD5 of bytes (a PDF embedded file's /CheckSum; not for security).
void ap_md5(const void *bytes, size_t size, unsigned char digest[AP_MD5_SIZE]);
// A digest as lower-case hex.
void ap_sha256_hex(const unsigned char digest[AP_SHA256_SIZE], char hex[AP_SHA256_HEX]);

#endif
