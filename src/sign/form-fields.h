// The fields of a PDF's interactive form (the catalog's /AcroForm
// /Fields and their /Kids), by fully qualified name (ISO 32000-1
// §12.7.3.2: the partial names /T from the top down, joined by periods),
// for anpham sign's --field NAME: the terminal fields, whether each is a
// signature field (/FT /Sig, its own or inherited) and whether it is
// signed (/V).
#ifndef AP_SIGN_FORM_FIELDS_H
#define AP_SIGN_FORM_FIELDS_H

#include <stdbool.h>

#include "../qpdf-lazy.h"

// One terminal field.
typedef struct ap_form_field_s {
  qpdf_oh oh;     // Its dictionary
  char *name;     // Its fully qualified name (UTF-8, malloc'ed; "" when none of its ancestors has a /T)
  bool signature; // /FT /Sig (inherited or its own)
  bool is_signed; // A signature field with a /V
} ap_form_field_t;

// The terminal fields of a form, in the order of the tree.
typedef struct ap_form_fields_s {
  ap_form_field_t *items;
  int count, room;
} ap_form_fields_t;

// Read the field tree under fields (the /Fields array; /Kids followed at
// most 32 deep, so a cycle ends); false when out of memory.
bool ap_form_fields_read(qpdf_data q, qpdf_oh fields, ap_form_fields_t *list);
void ap_form_fields_free(ap_form_fields_t *list);

// The field named name: the one field whose fully qualified name it is,
// else the one signature field whose last partial name it is. NULL when
// none or several match; *matches says how many did (0: missing).
const ap_form_field_t *ap_form_fields_find(const ap_form_fields_t *list, const char *name, int *matches);
// Whether a field has this fully qualified name.
bool ap_form_fields_has(const ap_form_fields_t *list, const char *name);
// Whether a signature field is signed.
bool ap_form_fields_any_signed(const ap_form_fields_t *list);
// The fully qualified names of the signature fields (those matching name
// when name is given, as ap_form_fields_find matches them), joined by ", "
// (malloc'ed; "" when none), or NULL when out of memory.
char *ap_form_fields_signature_names(const ap_form_fields_t *list, const char *name);

#endif
