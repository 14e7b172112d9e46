// The user's cache folder: facts anpham worked out once and may trust
// again, each an empty marker file named by a digest of everything the
// fact depends on (a layout that passed the schema, for one). The folder
// is $ANPHAM_CACHE_DIR, else $XDG_CACHE_HOME/anpham, else ~/.cache/anpham;
// ANPHAM_CACHE_DIR=off (or no HOME) means no cache: every fact is worked
// out again. A cache that cannot be read or written is the same as none.
#ifndef AP_CACHE_H
#define AP_CACHE_H

#include <stdbool.h>

// Whether the fact kind/hex is known (hex: lower-case hex digits).
bool ap_cache_has(const char *kind, const char *hex);
// Record the fact kind/hex (folders made as needed, readable by the user only).
void ap_cache_mark(const char *kind, const char *hex);

#endif
