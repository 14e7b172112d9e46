// libcrypto loaded on first use (dlopen of the soname CMake found): only
// `anpham sign` needs OpenSSL, and a render should not pay for loading it
// at every start (the way src/qpdf-lazy.c loads libqpdf). libssl (TLS) is
// loaded the same way, only for an https:// time-stamp authority.
#include <dlfcn.h>

#include "openssl-lazy.h"

#ifndef AP_CRYPTO_SONAME
#define AP_CRYPTO_SONAME "libcrypto.so.3" // Debian 12's
#endif
#ifndef AP_SSL_SONAME
#define AP_SSL_SONAME "libssl.so.3" // Debian 12's
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

//
// 'ap_openssl_load_ssl()' - Load libssl and find every TLS function anpham calls.
//

bool
ap_openssl_load_ssl(ap_diags_t *diags)
{
  static void *lib;

  if (lib)
    return true;
  void *handle = dlopen(AP_SSL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return ap_fail(diags, ap_loc_file(AP_SSL_SONAME), "cannot load OpenSSL's TLS library for an https:// time-stamp "
                   "authority (%s): install the Debian package libssl3", dlerror());
#define AP_OPENSSL_FIND_SSL(f)                                                                                     \
  if (!(*(void **)&ap_openssl.p_##f = dlsym(handle, #f))) {                                                       \
    dlclose(handle);                                                                                               \
    return ap_fail(diags, ap_loc_file(AP_SSL_SONAME), "OpenSSL's TLS library has no function %s: expected "        \
                   "OpenSSL 3", #f);                                                                               \
  }
  AP_OPENSSL_SSL_FUNCTIONS(AP_OPENSSL_FIND_SSL)
#undef AP_OPENSSL_FIND_SSL
  lib = handle;
  return true;
}
