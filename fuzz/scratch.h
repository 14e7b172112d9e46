// Fuzz targets' scratch folder: the library reads its inputs by path, so
// every target writes the fuzzer's bytes into files of one folder per
// process (under $TMPDIR, else /dev/shm, else /tmp). The paths never change
// within a process, so diagnostics are the same for the same input.
#ifndef AP_FUZZ_SCRATCH_H
#define AP_FUZZ_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

// The process's scratch folder, created on first use (with a `fonts` link
// to the project's fonts, so that a layout's default fonts folder works)
// and removed at exit. Aborts when it cannot be made.
const char *ap_fuzz_dir(void);
// Write size bytes to NAME inside the scratch folder (sub-folders made as
// needed); returns the full path (static storage per name slot). Aborts on
// a write error: that is the machine's fault, not the input's.
const char *ap_fuzz_write(const char *name, const uint8_t *data, size_t size);
// Full path of NAME inside the scratch folder (the file need not exist).
const char *ap_fuzz_path(const char *name);
// Remove NAME inside the scratch folder if it exists.
void ap_fuzz_remove(const char *name);

#endif
