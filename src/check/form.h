// anpham check --form hd36|nd30: the document, bound and laid out, compared
// with a built-in form's clauses (docs/forms.md, "Clauses checked"): type
// sizes and faces of its parts, page size and margins, the body text, page
// numbers, the fields the form requires, the date and NĐ 30's closing mark.
#ifndef AP_CHECK_FORM_H
#define AP_CHECK_FORM_H

#include "../tree/tree.h"

// Whether name is a form the check knows ("hd36", "nd30").
bool ap_check_form_known(const char *name);
// Record one deviation (ap_deviate) per clause of the form the document
// does not meet, each at the place that decides it: a style's or a page
// template's declaration (form_loc for the built-in definitions), the
// attribute or data node of a field, the form's element, the <body>
// (form_loc when it has none) for an element missing. Bind must have
// noted the form's fields (doc->form_facts). Returns how many.
int ap_check_form(const ap_doc_t *doc, const char *form, ap_loc_t form_loc, ap_diags_t *diags);

#endif
