// The build of this anpham: the GNU build ID the linker writes into the
// executable (a digest of its contents), so that two builds of one version
// whose code differs are told apart (a batch's manifest: outputs made by
// another build are not this build's bytes).
#ifndef AP_BUILD_ID_H
#define AP_BUILD_ID_H

// The executable's build ID in lower-case hex, or "" when it has none
// (linked without --build-id). Static storage, the same string every call.
const char *ap_build_id(void);

#endif
