// anpham's own files, wherever this anpham is: an installed anpham
// (PREFIX/bin/anpham) finds them in PREFIX/share/anpham, located from its
// executable's own path, so that a copy installed under any prefix (or
// moved with its share folder) works; an anpham run from its build tree
// uses the source tree's folders that the build compiled in.
#ifndef AP_INSTALLED_H
#define AP_INSTALLED_H

// anpham's own fonts folder: PREFIX/share/anpham/fonts when installed, else
// the build's AP_FONTS_DIR (the source tree's fonts/). Always the same
// string (compare it with strcmp); static, never freed. Called first
// before any thread is started.
const char *ap_installed_fonts_dir(void);
// anpham's own file RELATIVE (e.g. "samples/archive.xml") in
// PREFIX/share/anpham when installed, else FALLBACK (the build's path).
// Static storage, overwritten by the next call.
const char *ap_installed_file(const char *relative, const char *fallback);

#endif
