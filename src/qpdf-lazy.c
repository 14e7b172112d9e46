// qpdf's C API loaded on first use (dlopen of the soname CMake found):
// only extract and verify read PDFs, and a render should not pay for
// loading libqpdf, the C++ runtime and GnuTLS at every start.
#include <dlfcn.h>
#include <qpdf/qpdf-c.h>

#include "qpdf-lazy.h"

#ifndef AP_QPDF_SONAME
#define AP_QPDF_SONAME "libqpdf.so.29" // Debian 12's
#endif

ap_qpdf_t ap_qpdf;

//
// 'ap_qpdf_load()' - Load libqpdf and find every function anpham calls.
//

bool
ap_qpdf_load(ap_diags_t *diags)
{
  static void *lib;

  if (lib)
    return true;
  void *handle = dlopen(AP_QPDF_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return ap_fail(diags, ap_loc_file(AP_QPDF_SONAME), "cannot load qpdf's library to read a PDF (%s): install "
                   "the Debian package libqpdf29", dlerror());
#define AP_QPDF_FIND(f)                                                                                            \
  if (!(*(void **)&ap_qpdf.p_##f = dlsym(handle, #f))) {                                                          \
    dlclose(handle);                                                                                               \
    return ap_fail(diags, ap_loc_file(AP_QPDF_SONAME), "qpdf's library has no function %s: expected qpdf 11", #f); \
  }
  AP_QPDF_FUNCTIONS(AP_QPDF_FIND)
#undef AP_QPDF_FIND
  lib = handle;
  return true;
}
