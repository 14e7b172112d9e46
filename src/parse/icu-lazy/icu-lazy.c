// ICU's converters, loaded when libxml2 first asks for one (dlopen), for a
// libxml2 linked statically (AP_STATIC_DEPS, docs/benchmarks.md "Fixed
// cost"). Debian's libxml2 converts an encoding glibc's iconv does not know
// with ICU, and its shared library names libicuuc, which brings libicudata,
// the C++ runtime and libgcc_s: about 1.5 ms of every start, for a
// conversion almost no file needs. Linked statically, libxml2's seven calls
// into ICU resolve to the functions below, which load libicuuc (the soname
// CMake found) on the first ucnv_open() and pass every call on. When it
// cannot be loaded, ucnv_open() fails as ICU does for an unknown converter
// and libxml2 reports the encoding as one it cannot read.
//
// <unicode/ucnv.h> renames every function with ICU's version (ucnv_open is
// ucnv_open_72): the names defined here are the ones libxml2.a refers to,
// and ICU_SYMBOL() gives the same names to dlsym.
#include <dlfcn.h>
#include <stddef.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#ifndef AP_ICUUC_SONAME
#define AP_ICUUC_SONAME "libicuuc.so.72" // Debian 12's
#endif

#define ICU_NAME(f) #f
#define ICU_SYMBOL(f) ICU_NAME(f) // f expanded first: "ucnv_open_72"

// The real functions, once loaded.
static struct {
  __typeof__(&ucnv_open) open;
  __typeof__(&ucnv_close) close;
  __typeof__(&ucnv_convertEx) convert;
  __typeof__(&ucnv_setToUCallBack) set_to_u;
  __typeof__(&ucnv_setFromUCallBack) set_from_u;
  UConverterToUCallback to_u_stop;
  UConverterFromUCallback from_u_stop;
} icu;

static int icu_load(void);

//
// 'ucnv_open()' - Load ICU on first use, then open a converter.
//

U_CAPI UConverter *U_EXPORT2
ucnv_open(const char *converterName, UErrorCode *err)
{
  if (U_FAILURE(*err))
    return NULL;
  if (!icu_load()) {
    *err = U_FILE_ACCESS_ERROR;
    return NULL;
  }
  return icu.open(converterName, err);
}

//
// 'ucnv_close()' - Close a converter (only ever made by a loaded ICU).
//

U_CAPI void U_EXPORT2
ucnv_close(UConverter *converter)
{
  if (converter && icu.close)
    icu.close(converter);
}

//
// 'ucnv_convertEx()' - Convert between two converters' encodings.
//

U_CAPI void U_EXPORT2
ucnv_convertEx(UConverter *targetCnv, UConverter *sourceCnv, char **target, const char *targetLimit,
               const char **source, const char *sourceLimit, UChar *pivotStart, UChar **pivotSource,
               UChar **pivotTarget, const UChar *pivotLimit, UBool reset, UBool flush, UErrorCode *pErrorCode)
{
  if (U_FAILURE(*pErrorCode))
    return;
  if (!icu.convert) {
    *pErrorCode = U_ILLEGAL_ARGUMENT_ERROR;
    return;
  }
  icu.convert(targetCnv, sourceCnv, target, targetLimit, source, sourceLimit, pivotStart, pivotSource, pivotTarget,
              pivotLimit, reset, flush, pErrorCode);
}

//
// 'ucnv_setToUCallBack()' - Set a converter's decoding error callback (ICU's own "stop" for ours).
//

U_CAPI void U_EXPORT2
ucnv_setToUCallBack(UConverter *converter, UConverterToUCallback newAction, const void *newContext,
                    UConverterToUCallback *oldAction, const void **oldContext, UErrorCode *err)
{
  if (U_FAILURE(*err))
    return;
  if (!icu.set_to_u) {
    *err = U_ILLEGAL_ARGUMENT_ERROR;
    return;
  }
  if (newAction == UCNV_TO_U_CALLBACK_STOP)
    newAction = icu.to_u_stop;
  icu.set_to_u(converter, newAction, newContext, oldAction, oldContext, err);
}

//
// 'ucnv_setFromUCallBack()' - Set a converter's encoding error callback (ICU's own "stop" for ours).
//

U_CAPI void U_EXPORT2
ucnv_setFromUCallBack(UConverter *converter, UConverterFromUCallback newAction, const void *newContext,
                      UConverterFromUCallback *oldAction, const void **oldContext, UErrorCode *err)
{
  if (U_FAILURE(*err))
    return;
  if (!icu.set_from_u) {
    *err = U_ILLEGAL_ARGUMENT_ERROR;
    return;
  }
  if (newAction == UCNV_FROM_U_CALLBACK_STOP)
    newAction = icu.from_u_stop;
  icu.set_from_u(converter, newAction, newContext, oldAction, oldContext, err);
}

//
// 'UCNV_TO_U_CALLBACK_STOP()' - ICU's "stop at the first bad byte" callback, by address only.
//
// libxml2 passes it to ucnv_setToUCallBack(), which hands ICU its own; it is
// called only if a caller kept it some other way.
//

U_CAPI void U_EXPORT2
UCNV_TO_U_CALLBACK_STOP(const void *context, UConverterToUnicodeArgs *toUArgs, const char *codeUnits, int32_t length,
                        UConverterCallbackReason reason, UErrorCode *err)
{
  if (icu.to_u_stop)
    icu.to_u_stop(context, toUArgs, codeUnits, length, reason, err);
}

//
// 'UCNV_FROM_U_CALLBACK_STOP()' - ICU's "stop at the first character it cannot encode", by address only.
//

U_CAPI void U_EXPORT2
UCNV_FROM_U_CALLBACK_STOP(const void *context, UConverterFromUnicodeArgs *fromUArgs, const UChar *codeUnits,
                          int32_t length, UChar32 codePoint, UConverterCallbackReason reason, UErrorCode *err)
{
  if (icu.from_u_stop)
    icu.from_u_stop(context, fromUArgs, codeUnits, length, codePoint, reason, err);
}

// Load libicuuc once and find the functions above in it: 1 when every one is there.
static int
icu_load(void)
{
  static int tried;

  if (tried)
    return icu.open != NULL;
  tried = 1;
  void *lib = dlopen(AP_ICUUC_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    return 0;
  *(void **)&icu.open = dlsym(lib, ICU_SYMBOL(ucnv_open));
  *(void **)&icu.close = dlsym(lib, ICU_SYMBOL(ucnv_close));
  *(void **)&icu.convert = dlsym(lib, ICU_SYMBOL(ucnv_convertEx));
  *(void **)&icu.set_to_u = dlsym(lib, ICU_SYMBOL(ucnv_setToUCallBack));
  *(void **)&icu.set_from_u = dlsym(lib, ICU_SYMBOL(ucnv_setFromUCallBack));
  *(void **)&icu.to_u_stop = dlsym(lib, ICU_SYMBOL(UCNV_TO_U_CALLBACK_STOP));
  *(void **)&icu.from_u_stop = dlsym(lib, ICU_SYMBOL(UCNV_FROM_U_CALLBACK_STOP));
  if (!icu.open || !icu.close || !icu.convert || !icu.set_to_u || !icu.set_from_u || !icu.to_u_stop ||
      !icu.from_u_stop) {
    icu = (__typeof__(icu)){0};
    dlclose(lib);
    return 0;
  }
  return 1;
}
