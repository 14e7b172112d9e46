// Inside the parse folder only: what source.c and its helpers share.
#ifndef AP_PARSE_PRIVATE_H
#define AP_PARSE_PRIVATE_H

#include "parse.h"

// Look at a loaded file's first bytes before libxml2 does: false (one
// diagnostic) when it is not XML; UTF-16 with a byte order mark becomes
// UTF-8 in src->text (*converted set).
bool ap_source_sniff(ap_source_t *src, bool *converted, ap_diags_t *diags);

#endif
