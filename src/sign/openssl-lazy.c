// libcrypto loaded on first use (dlopen of the soname CMake found): only
// `anpham sign` needs OpenSSL, and a render should not pay for loading it
// at every start (the way src/qpdf-lazy.c loads libqpdf).
#include <dlfcn.h>

#include "openssl-lazy.h"

#ifndef AP_CRYPTO_SONAME
#define AP_CRYPTO_SONAME "libcrypto.so.3" // Debian 12's
#endif

ap_openssl_t ap_openssl;

//
// 'ap_openssl_load()' - Load libcrypto and find every function anpham calls.
//

bool
ap_openssl_load(ap_diags_t *diags)
{
  static void *lib;

  if (lib)
    return true;
  void *handle = dlopen(AP_CRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return ap_fail(diags, ap_loc_file(AP_CRYPTO_SONAME), "cannot load OpenSSL's library to sign (%s): install "
                   "the Debian package libssl3", dlerror());
#define AP_OPENSSL_FIND(f)                                                                                         \
  if (!(*(void **)&ap_openssl.p_##f = dlsym(handle, #f))) {                                                       \
    dlclose(handle);                                                                                               \
    return ap_fail(diags, ap_loc_file(AP_CRYPTO_SONAME), "OpenSSL's library has no function %s: expected "         \
                   "OpenSSL 3", #f);                                                                               \
  }
  AP_OPENSSL_FUNCTIONS(AP_OPENSSL_FIND)
#undef AP_OPENSSL_FIND
  lib = handle;
  return true;
}
