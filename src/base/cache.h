// The user's cache folder: facts anpham worked out once and may trust
// again, each a small file named by a digest of everything the fact
// depends on (a layout that passed the schema: an empty marker; a file's
// SHA-256 while its status is the same: the digest). The folder
// is $ANPHAM_CACHE_DIR, else $XDG_CACHE_HOME/anpham, else ~/.cache/anpham;
// ANPHAM_CACHE_DIR=off (or no HOME) means no cache: every fact is worked
// out again. A cache that cannot be read or written is the same as none.
#ifndef AP_CACHE_H
#define AP_CACHE_H

#include <stdbool.h>
#include <stddef.h>

// Whether a cache folder is set (ANPHAM_CACHE_DIR is not off, a home is known).
bool ap_cache_on(void);
// Whether the fact kind/hex is known (hex: lower-case hex digits).
bool ap_cache_has(const char *kind, const char *hex);
// Record the fact kind/hex (folders made as needed, readable by the user only).
void ap_cache_mark(const char *kind, const char *hex);
// The value of kind/hex (1 to size - 1 bytes, NUL-terminated); false when unknown.
bool ap_cache_get(const char *kind, const char *hex, char *value, size_t size);
// Record kind/hex with a value (written whole, then renamed into place).
void ap_cache_put(const char *kind, const char *hex, const char *value);
// The bytes of kind/hex (1 to max of them, malloc'ed); false when unknown.
bool ap_cache_load(const char *kind, const char *hex, size_t max, unsigned char **bytes, size_t *size);
// Record kind/hex with these bytes (written whole, then renamed into place);
// a kind with a limit (cache.c) keeps only its newest facts.
void ap_cache_store(const char *kind, const char *hex, const void *bytes, size_t size);

#endif
