// SHA-256 of bytes and of files (OpenSSL's EVP interface: no hashing by
// hand), as raw digests and as lower-case hex: what a batch manifest
// records of every input and output.
#ifndef AP_HASH_H
#define AP_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define AP_SHA256_SIZE 32                       // Bytes of a SHA-256 digest
#define AP_SHA256_HEX (2 * AP_SHA256_SIZE + 1)  // Its hex form with the NUL

// Digest of size bytes into digest; false only when OpenSSL fails.
bool ap_sha256(const void *bytes, size_t size, unsigned char digest[AP_SHA256_SIZE]);
// Digest of a whole file (read in pieces) as hex; false with errno set when
// the file cannot be read.
bool ap_sha256_file(const char *path, char hex[AP_SHA256_HEX]);
// A cache key for bytes: BLAKE2b-512 (OpenSSL), as 128 hex digits; faster
// than SHA-256 on machines without SHA instructions. False only when
// OpenSSL fails.
#define AP_KEY_HEX (2 * 64 + 1) // The key's hex form with the NUL
bool ap_cache_key(const void *bytes, size_t size, char hex[AP_KEY_HEX]);
// A digest as lower-case hex.
void ap_sha256_hex(const unsigned char digest[AP_SHA256_SIZE], char hex[AP_SHA256_HEX]);

#endif
