// Files mapped into memory read-only instead of read into a buffer: the
// pages come from the page cache as they are touched (no copy, no zeroed
// pages), which saves a font's worth of page faults at every start
// (docs/benchmarks.md "Fixed cost"). A file that another program makes
// shorter while it is mapped would make the next read of a page past its
// new end raise SIGBUS: a guard catches that signal for every mapping made
// here and ends the run with one error line naming the file ("changed while
// it was read", exit 1) rather than a crash. Outputs are made whole in
// memory before they are written, so no partial output is left. Mappings
// are made and released by one thread (the one that loads fonts).
#ifndef AP_MAPPED_H
#define AP_MAPPED_H

#include <stdbool.h>
#include <stddef.h>

// Map size bytes (size > 0) of the open regular file fd (which may be closed
// afterwards), read-only and private; path and noun ("font file") name it
// in the guard's message. NULL with errno set when it cannot be mapped
// (mmap failed, or too many mappings are guarded): read the file instead.
const void *ap_mapped_map(int fd, size_t size, const char *path, const char *noun);
// Whether bytes is the start of a mapping made by ap_mapped_map.
bool ap_mapped_is(const void *bytes);
// Unmap a mapping made by ap_mapped_map (and stop guarding it).
void ap_mapped_unmap(const void *bytes);

#endif
