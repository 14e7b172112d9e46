// The interactive form's field tree, walked from /AcroForm /Fields down
// through /Kids (ISO 32000-1 §12.7.3.1): a field whose kids have partial
// names (/T) is a parent, whose name prefixes theirs; the others are
// terminal fields (their kids, if any, are widget annotations). /FT is
// inherited (§12.7.3.1, Table 220). anpham's layouts make flat fields;
// other tools (and hand-edited forms) nest them, and --field takes the
// fully qualified name "parent.child".
#include <stdlib.h>
#include <string.h>

#include "form-fields.h"

#define MAX_DEPTH 32 // Levels of /Kids followed at most (a cycle ends there)

static bool add(ap_form_fields_t *list, qpdf_oh oh, const char *name, bool signature, bool is_signed);
static bool has_named_kid(qpdf_data q, qpdf_oh kids);
static bool matches_last(const char *full, const char *name);
static bool walk(qpdf_data q, qpdf_oh fields, const char *prefix, bool signature, int depth, ap_form_fields_t *list);

//
// 'ap_form_fields_read()' - The terminal fields of a form.
//

bool
ap_form_fields_read(qpdf_data q, qpdf_oh fields, ap_form_fields_t *list)
{
  *list = (ap_form_fields_t){0};
  return walk(q, fields, "", false, 0, list);
}

//
// 'ap_form_fields_free()' - Free a list of fields.
//

void
ap_form_fields_free(ap_form_fields_t *list)
{
  for (int i = 0; i < list->count; i++)
    free(list->items[i].name);
  free(list->items);
  *list = (ap_form_fields_t){0};
}

//
// 'ap_form_fields_find()' - The field a --field name names.
//

const ap_form_field_t *
ap_form_fields_find(const ap_form_fields_t *list, const char *name, int *matches)
{
  const ap_form_field_t *found = NULL;

  // The fully qualified name...
  *matches = 0;
  for (int i = 0; i < list->count; i++)
    if (!strcmp(list->items[i].name, name)) {
      found = &list->items[i];
      ++*matches;
    }
  // ...else the last partial name of a signature field.
  bool exact = *matches > 0;
  for (int i = 0; !exact && i < list->count; i++)
    if (list->items[i].signature && matches_last(list->items[i].name, name)) {
      found = &list->items[i];
      ++*matches;
    }
  return *matches == 1 ? found : NULL;
}

//
// 'ap_form_fields_has()' - Whether a field has this fully qualified name.
//

bool
ap_form_fields_has(const ap_form_fields_t *list, const char *name)
{
  for (int i = 0; i < list->count; i++)
    if (!strcmp(list->items[i].name, name))
      return true;
  return false;
}

//
// 'ap_form_fields_any_signed()' - Whether a signature field is signed.
//

bool
ap_form_fields_any_signed(const ap_form_fields_t *list)
{
  for (int i = 0; i < list->count; i++)
    if (list->items[i].is_signed)
      return true;
  return false;
}

//
// 'ap_form_fields_signature_names()' - The signature fields' names, for messages.
//

char *
ap_form_fields_signature_names(const ap_form_fields_t *list, const char *name)
{
  size_t size = 1;
  for (int i = 0; i < list->count; i++)
    size += strlen(list->items[i].name) + 2;
  char *text = malloc(size), *end = text;
  if (!text)
    return NULL;
  *end = '\0';
  for (int i = 0; i < list->count; i++) {
    const ap_form_field_t *f = &list->items[i];
    if (!f->signature || !*f->name || (name && strcmp(f->name, name) && !matches_last(f->name, name)))
      continue;
    size_t n = strlen(f->name);
    if (end != text) {
      memcpy(end, ", ", 2);
      end += 2;
    }
    memcpy(end, f->name, n + 1);
    end += n;
  }
  return text;
}

// Note a terminal field.
static bool
add(ap_form_fields_t *list, qpdf_oh oh, const char *name, bool signature, bool is_signed)
{
  if (list->count == list->room) {
    int room = list->room ? 2 * list->room : 16;
    ap_form_field_t *grown = realloc(list->items, (size_t)room * sizeof *grown);
    if (!grown)
      return false;
    list->items = grown;
    list->room = room;
  }
  char *copy = strdup(name);
  if (!copy)
    return false;
  list->items[list->count++] = (ap_form_field_t){oh, copy, signature, is_signed};
  return true;
}

// Whether some kid has a partial name (the node is a parent field).
static bool
has_named_kid(qpdf_data q, qpdf_oh kids)
{
  int n = qpdf_oh_is_array(q, kids) ? qpdf_oh_get_array_n_items(q, kids) : 0;
  for (int i = 0; i < n; i++) {
    qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
    if (qpdf_oh_is_dictionary(q, kid) && qpdf_oh_is_string(q, qpdf_oh_get_key(q, kid, "/T")))
      return true;
  }
  return false;
}

// Whether name is the last partial name of full ("a.b.NAME").
static bool
matches_last(const char *full, const char *name)
{
  size_t f = strlen(full), n = strlen(name);
  return n && f > n && full[f - n - 1] == '.' && !strcmp(full + f - n, name);
}

// The fields of the array fields, under the name prefix ("" at the top),
// /FT /Sig inherited when signature.
static bool
walk(qpdf_data q, qpdf_oh fields, const char *prefix, bool signature, int depth, ap_form_fields_t *list)
{
  int n = qpdf_oh_is_array(q, fields) && depth < MAX_DEPTH ? qpdf_oh_get_array_n_items(q, fields) : 0;
  for (int i = 0; i < n; i++) {
    qpdf_oh field = qpdf_oh_get_array_item(q, fields, i);
    if (!qpdf_oh_is_dictionary(q, field))
      continue;
    qpdf_oh t = qpdf_oh_get_key(q, field, "/T"), ft = qpdf_oh_get_key(q, field, "/FT");
    bool sig = qpdf_oh_is_name(q, ft) ? qpdf_oh_is_name_and_equals(q, ft, "/Sig") : signature;

    // Its fully qualified name: the prefix, a period, its partial name...
    const char *partial = qpdf_oh_is_string(q, t) ? qpdf_oh_get_utf8_value(q, t) : "";
    size_t size = strlen(prefix) + strlen(partial) + 2;
    char *name = malloc(size);
    if (!name)
      return false;
    strcpy(name, prefix);
    if (*prefix && *partial)
      strcat(name, ".");
    strcat(name, partial);

    // ...a parent's kids under it, or a terminal field.
    qpdf_oh kids = qpdf_oh_get_key(q, field, "/Kids");
    bool is_signed = sig && !qpdf_oh_is_null(q, qpdf_oh_get_key(q, field, "/V"));
    bool ok = has_named_kid(q, kids) ? walk(q, kids, name, sig, depth + 1, list)
                                     : add(list, field, name, sig, is_signed);
    free(name);
    if (!ok)
      return false;
  }
  return true;
}
