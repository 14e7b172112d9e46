// Reading an XMP metadata packet (a PDF's /Metadata stream) for anpham
// verify: XPath string expressions evaluated on it, with the prefixes of
// the schemas a PDF/A archive uses. Plain C for callers: libxml2 stays in
// parse/.
#ifndef AP_PARSE_XMP_H
#define AP_PARSE_XMP_H

#include <stdbool.h>
#include <stddef.h>

// Evaluate n XPath expressions that give strings ("string(//dc:title…)")
// on the packet: values[i] is each result (malloc'ed, "" when nothing
// matches, NULL when out of memory). The prefixes rdf, dc, pdf, xmp,
// pdfaid and pdfuaid are bound. False (values untouched) when the packet
// is not well-formed XML. Read safely: no network, no entities, no DTD;
// libxml2 prints nothing.
bool ap_xmp_strings(const void *text, size_t size, const char *const *xpaths, size_t n, char **values);

#endif
