// The incremental update that adds a signature to a PDF anpham wrote
// (ISO 32000-1 §7.5.6, §12.8): appended to the file's bytes, which stay as
// they are. qpdf's C API reads the PDF and edits the objects in memory (the
// page's /Annots, the catalog's /AcroForm, a field's /V); each changed or
// new object is written again from qpdf's own serialization (unparse),
// then the signature dictionary with room for the ByteRange and the CMS,
// a cross-reference section for those objects alone and a trailer whose
// /Prev points at the previous one. anpham writes (libharu) classic
// cross-reference tables, so the update has one too; a PDF anpham did not
// write is refused.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pdf-tail.h"
#include "../qpdf-lazy.h"
#include "form-fields.h"
#include "sign-private.h"

#define MAX_OBJECTS 16       // Objects one update writes at most
#define BYTE_RANGE_ROOM 64   // Characters between the ByteRange's brackets (four numbers of up to 15 digits)

// The update being written.
typedef struct writer_s {
  char *bytes;       // What is written so far
  size_t size, room; // Its length and allocated room
  bool failed;       // Out of memory
} writer_t;

// One object of the update: number, generation, offset in the whole file.
typedef struct entry_s {
  int id, gen;
  size_t offset;
} entry_t;

static bool add_changed(qpdf_data q, qpdf_oh oh, qpdf_oh changed[], int *count);
static int by_id(const void *a, const void *b);
static bool give_appearance(qpdf_data q, const ap_sign_look_t *look, qpdf_oh widget, qpdf_oh page, int ids[],
                            char *bodies[], size_t sizes[]);
static qpdf_oh find_field(qpdf_data q, qpdf_oh fields, const char *name, bool *signature, ap_loc_t at,
                          ap_diags_t *diags);
static void put(writer_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_bytes(writer_t *w, const char *bytes, size_t size);
static void write_xref_stream(writer_t *w, const entry_t *entries, int count, const char *trailer_keys);
static void write_xref_table(writer_t *w, const entry_t *entries, int count, const char *trailer_keys);

//
// 'ap_sign_update_build()' - The update that adds the signature.
//

bool
ap_sign_update_build(const ap_sign_request_t *req, const ap_sign_look_t *look, const unsigned char *pdf,
                     size_t pdf_size, size_t contents_bytes, ap_sign_update_t *update, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(req->in);
  qpdf_oh changed[MAX_OBJECTS];
  int count = 0;
  entry_t entries[MAX_OBJECTS + 2 + AP_SIGN_LOOK_OBJECTS];
  char *look_bodies[AP_SIGN_LOOK_OBJECTS] = {0};
  size_t look_sizes[AP_SIGN_LOOK_OBJECTS] = {0};
  int look_ids[AP_SIGN_LOOK_OBJECTS], look_count = 0;
  writer_t w = {0};
  size_t prev = 0;
  bool ok = false;

  *update = (ap_sign_update_t){0};
  if (!ap_qpdf_load(diags))
    return false;
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);

  // The PDF, written by anpham, with a classic cross-reference table...
  if (qpdf_read_memory(q, req->in, (const char *)pdf, (unsigned long long)pdf_size, "") & QPDF_ERRORS) {
    ap_fail(diags, at, "cannot read the PDF: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
    goto done;
  }
  qpdf_oh trailer = qpdf_get_trailer(q), root = qpdf_get_root(q);
  qpdf_oh info = qpdf_oh_get_key(q, trailer, "/Info");
  qpdf_oh producer = qpdf_oh_is_dictionary(q, info) ? qpdf_oh_get_key(q, info, "/Producer") : qpdf_oh_new_null(q);
  if (!qpdf_oh_is_string(q, producer) || strcmp(qpdf_oh_get_utf8_value(q, producer), "anpham")) {
    ap_fail(diags, at, "not a PDF anpham wrote (its /Producer is not anpham): anpham signs only its own PDFs");
    goto done;
  }
  if (qpdf_is_encrypted(q) || !ap_pdf_last_startxref(pdf, pdf_size, &prev) || prev + 4 > pdf_size ||
      qpdf_get_num_pages(q) < 1) {
    ap_fail(diags, at, "not a PDF as anpham writes it (no startxref, encrypted, or no page)");
    goto done;
  }
  bool stream_xref = memcmp(pdf + prev, "xref", 4) != 0; // A cross-reference stream (anpham's compressed PDFs)
  qpdf_oh page = qpdf_get_page_n(q, 0);

  // The signature dictionary's number (its text is written below)...
  qpdf_oh sig = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));

  // ...a certification signature (--certify): the first of the file, named
  // by the catalog's /Perms /DocMDP...
  if (req->certify) {
    qpdf_oh form0 = qpdf_oh_get_key(q, root, "/AcroForm");
    ap_form_fields_t all = {0};
    if (qpdf_oh_is_dictionary(q, form0) && !ap_form_fields_read(q, qpdf_oh_get_key(q, form0, "/Fields"), &all)) {
      ap_form_fields_free(&all);
      ap_fail(diags, at, "out of memory");
      goto done;
    }
    bool was_signed = ap_form_fields_any_signed(&all);
    ap_form_fields_free(&all);
    if (!qpdf_oh_is_null(q, qpdf_oh_get_key(q, root, "/Perms")) || was_signed) {
      ap_fail(diags, at, "the PDF is already signed: --certify makes the first signature only");
      goto done;
    }
    qpdf_oh perms = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, perms, "/DocMDP", sig);
    qpdf_oh_replace_key(q, root, "/Perms", perms);
  }

  // The form: the catalog's /AcroForm and its /Fields (new, or a new version)...
  qpdf_oh form = qpdf_oh_get_key(q, root, "/AcroForm");
  if (!qpdf_oh_is_dictionary(q, form)) {
    form = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, root, "/AcroForm", form);
  }
  qpdf_oh fields = qpdf_oh_get_key(q, form, "/Fields");
  if (!qpdf_oh_is_array(q, fields)) {
    fields = qpdf_oh_new_array(q);
    qpdf_oh_replace_key(q, form, "/Fields", fields);
  }
  qpdf_oh_replace_key(q, form, "/SigFlags", qpdf_oh_new_integer(q, 3)); // SignaturesExist | AppendOnly
  add_changed(q, root, changed, &count);
  add_changed(q, form, changed, &count);
  add_changed(q, fields, changed, &count);

  // The field: an existing unsigned one, or a new invisible one on page 1...
  if (req->field) {
    bool signature = false;
    qpdf_oh field = find_field(q, fields, req->field, &signature, at, diags);
    if (qpdf_oh_is_null(q, field))
      goto done;
    if (!signature || !qpdf_oh_is_indirect(q, field)) {
      ap_fail(diags, at, "the field %s is not a signature field", req->field);
      goto done;
    }
    if (!qpdf_oh_is_null(q, qpdf_oh_get_key(q, field, "/V"))) {
      ap_fail(diags, at, "the signature field %s is already signed", req->field);
      goto done;
    }
    qpdf_oh_replace_key(q, field, "/V", sig);
    if (look && !give_appearance(q, look, field, qpdf_oh_get_key(q, field, "/P"), look_ids, look_bodies, look_sizes)) {
      ap_fail(diags, at, "out of memory (the signature's appearance)");
      goto done;
    }
    add_changed(q, field, changed, &count);
  } else {
    char name[32];
    int n = 1;
    ap_form_fields_t all;
    if (!ap_form_fields_read(q, fields, &all)) {
      ap_form_fields_free(&all);
      ap_fail(diags, at, "out of memory");
      goto done;
    }
    do
      snprintf(name, sizeof name, "Signature%d", n++);
    while (ap_form_fields_has(&all, name));
    ap_form_fields_free(&all);
    qpdf_oh field = qpdf_oh_new_dictionary(q), rect = qpdf_oh_new_array(q);
    for (int i = 0; i < 4; i++)
      qpdf_oh_append_item(q, rect, qpdf_oh_new_integer(q, 0));
    qpdf_oh_replace_key(q, field, "/Type", qpdf_oh_new_name(q, "/Annot"));
    qpdf_oh_replace_key(q, field, "/Subtype", qpdf_oh_new_name(q, "/Widget"));
    qpdf_oh_replace_key(q, field, "/FT", qpdf_oh_new_name(q, "/Sig"));
    qpdf_oh_replace_key(q, field, "/T", qpdf_oh_new_unicode_string(q, name));
    qpdf_oh_replace_key(q, field, "/V", sig);
    qpdf_oh_replace_key(q, field, "/Rect", rect);
    qpdf_oh_replace_key(q, field, "/F", qpdf_oh_new_integer(q, 132)); // Print | Locked
    qpdf_oh_replace_key(q, field, "/P", page);
    if (look && !give_appearance(q, look, field, page, look_ids, look_bodies, look_sizes)) { // --office
      ap_fail(diags, at, "out of memory (the signature's appearance)");
      goto done;
    }
    field = qpdf_make_indirect_object(q, field);
    qpdf_oh_append_item(q, fields, field);
    qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
    if (!qpdf_oh_is_array(q, annots)) {
      annots = qpdf_oh_new_array(q);
      qpdf_oh_replace_key(q, page, "/Annots", annots);
    }
    qpdf_oh_append_item(q, annots, field);
    add_changed(q, page, changed, &count);
    add_changed(q, annots, changed, &count);
    add_changed(q, field, changed, &count);
  }
  if (count >= MAX_OBJECTS) {
    ap_fail(diags, at, "the update would change too many objects");
    goto done;
  }

  qpdf_oh xref_stream = stream_xref ? qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q)) : 0; // Its number

  // The signature dictionary: /ByteRange and /Contents filled once the
  // whole file is known (ap_sign())...
  char when[AP_DATETIME_PDF];
  ap_datetime_pdf(&req->when, when);
  if (pdf_size && pdf[pdf_size - 1] != '\n' && pdf[pdf_size - 1] != '\r')
    put(&w, "\n");
  entries[0] = (entry_t){qpdf_oh_get_object_id(q, sig), 0, pdf_size + w.size};
  put(&w, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /M (%s)\n", entries[0].id,
      when);
  if (req->certify) // DocMDP, P 2: filling forms and signing allowed (ISO 32000-1 §12.8.2.2)
    put(&w, "/Reference [ << /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 "
            "/V /1.2 >> >> ]\n");
  put(&w, "/ByteRange [");
  update->byte_range_at = w.size;
  update->byte_range_len = BYTE_RANGE_ROOM;
  put(&w, "%*s]\n/Contents ", BYTE_RANGE_ROOM, "");
  update->contents_at = w.size;
  update->contents_len = 2 * contents_bytes + 2;
  put(&w, "<");
  for (size_t i = 0; i < contents_bytes; i++)
    put(&w, "00");
  put(&w, ">\n>>\nendobj\n");

  // ...the appearance's objects (appearance.c)...
  look_count = look ? ap_sign_look_count(look) : 0;
  for (int i = 0; i < look_count; i++) {
    entries[count + 1 + i] = (entry_t){look_ids[i], 0, pdf_size + w.size};
    put(&w, "%d 0 obj\n", look_ids[i]);
    put_bytes(&w, look_bodies[i], look_sizes[i]);
    put(&w, "\nendobj\n");
  }

  // ...the changed objects, from qpdf's serialization...
  for (int i = 0; i < count; i++) {
    entries[i + 1] = (entry_t){qpdf_oh_get_object_id(q, changed[i]), qpdf_oh_get_generation(q, changed[i]),
                               pdf_size + w.size};
    put(&w, "%d %d obj\n", entries[i + 1].id, entries[i + 1].gen);
    put(&w, "%s", qpdf_oh_unparse_resolved(q, changed[i]));
    put(&w, "\nendobj\n");
  }

  // ...the cross-reference section and the trailer, in the previous
  // section's form: a table, or a stream (uncompressed).
  long long size = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, trailer, "/Size"));
  size_t xref = pdf_size + w.size;
  int entry_count = count + 1 + look_count;
  if (stream_xref) // The stream is an object of its own section
    entries[entry_count++] = (entry_t){qpdf_oh_get_object_id(q, xref_stream), 0, xref};
  qsort(entries, (size_t)entry_count, sizeof *entries, by_id);
  if (entries[entry_count - 1].id + 1 > size)
    size = entries[entry_count - 1].id + 1;
  // (qpdf's C API returns each unparsed text in one buffer: copied at once.)
  char trailer_keys[512];
  qpdf_oh id = qpdf_oh_get_key(q, trailer, "/ID");
  int n = snprintf(trailer_keys, sizeof trailer_keys, "/Size %lld /Prev %zu /Root %s", size, prev,
                   qpdf_oh_unparse(q, root));
  if (n > 0 && qpdf_oh_is_dictionary(q, info))
    n += snprintf(trailer_keys + n, sizeof trailer_keys - (size_t)n, " /Info %s", qpdf_oh_unparse(q, info));
  if (n > 0 && (size_t)n < sizeof trailer_keys && qpdf_oh_is_array(q, id))
    n += snprintf(trailer_keys + n, sizeof trailer_keys - (size_t)n, " /ID %s", qpdf_oh_unparse_resolved(q, id));
  if (n < 0 || (size_t)n >= sizeof trailer_keys) {
    ap_fail(diags, at, "the trailer's /ID is too long");
    goto done;
  }
  if (stream_xref)
    write_xref_stream(&w, entries, entry_count, trailer_keys);
  else
    write_xref_table(&w, entries, entry_count, trailer_keys);
  put(&w, "startxref\n%zu\n%%%%EOF\n", xref);
  if (w.failed) {
    ap_fail(diags, at, "out of memory");
    goto done;
  }
  update->bytes = w.bytes;
  update->size = w.size;
  w.bytes = NULL;
  ok = true;

done:
  for (int i = 0; i < AP_SIGN_LOOK_OBJECTS; i++)
    free(look_bodies[i]);
  free(w.bytes);
  qpdf_cleanup(&q);
  return ok;
}

// Give the widget (not yet written) its visible appearance: its /Rect
// grown to hold what it draws (or the office's place on the page), /AP
// /N the form XObject, numbers reserved for the appearance's objects
// (ids) and their bodies made.
static bool
give_appearance(qpdf_data q, const ap_sign_look_t *look, qpdf_oh widget, qpdf_oh page, int ids[], char *bodies[],
                size_t sizes[])
{
  double field[4] = {0, 0, 0, 0}, box[4] = {0, 0, 595.276, 841.89}, rect[4]; // A4 unless the page says
  qpdf_oh r = qpdf_oh_get_key(q, widget, "/Rect"), media = qpdf_oh_get_key(q, page, "/TrimBox"); // The finished page
  if (!qpdf_oh_is_array(q, media))
    media = qpdf_oh_get_key(q, page, "/MediaBox");
  for (int i = 0; i < 4; i++) {
    if (qpdf_oh_is_array(q, r) && qpdf_oh_get_array_n_items(q, r) == 4)
      field[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, r, i));
    if (qpdf_oh_is_array(q, media) && qpdf_oh_get_array_n_items(q, media) == 4)
      box[i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, media, i));
  }
  if (field[0] > field[2]) { // A rectangle's corners may come in any order
    double t = field[0]; field[0] = field[2]; field[2] = t;
  }
  if (field[1] > field[3]) {
    double t = field[1]; field[1] = field[3]; field[3] = t;
  }
  ap_sign_look_rect(look, field, box, rect);
  qpdf_oh rect_oh = qpdf_oh_new_array(q), ap = qpdf_oh_new_dictionary(q);
  for (int i = 0; i < 4; i++)
    qpdf_oh_append_item(q, rect_oh, qpdf_oh_new_real_from_double(q, rect[i], 2));
  int n = ap_sign_look_count(look);
  for (int i = 0; i < n; i++) {
    qpdf_oh reserved = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    ids[i] = qpdf_oh_get_object_id(q, reserved);
    if (!i)
      qpdf_oh_replace_key(q, ap, "/N", reserved);
  }
  qpdf_oh_replace_key(q, widget, "/Rect", rect_oh);
  qpdf_oh_replace_key(q, widget, "/AP", ap);
  return ap_sign_look_objects(look, field, rect, ids, bodies, sizes);
}

// Note an indirect object changed (once); a direct one is written with
// the object that holds it.
static bool
add_changed(qpdf_data q, qpdf_oh oh, qpdf_oh changed[], int *count)
{
  if (!qpdf_oh_is_indirect(q, oh))
    return false;
  for (int i = 0; i < *count; i++)
    if (qpdf_oh_get_object_id(q, changed[i]) == qpdf_oh_get_object_id(q, oh))
      return false;
  if (*count < MAX_OBJECTS)
    changed[(*count)++] = oh;
  return true;
}

// The field --field names (form-fields.c: its fully qualified name, or
// the last part of one signature field's), or null with one diagnostic
// listing the signature fields; *signature: whether it is one (/FT /Sig,
// maybe inherited).
static qpdf_oh
find_field(qpdf_data q, qpdf_oh fields, const char *name, bool *signature, ap_loc_t at, ap_diags_t *diags)
{
  ap_form_fields_t list;
  int matches = 0;
  qpdf_oh found = qpdf_oh_new_null(q);

  if (!ap_form_fields_read(q, fields, &list)) {
    ap_form_fields_free(&list);
    ap_fail(diags, at, "out of memory");
    return found;
  }
  const ap_form_field_t *field = ap_form_fields_find(&list, name, &matches);
  char *names = ap_form_fields_signature_names(&list, matches > 1 ? name : NULL);
  if (field) {
    found = field->oh;
    *signature = field->signature;
  } else if (!names)
    ap_fail(diags, at, "out of memory");
  else if (matches > 1)
    ap_fail(diags, at, "the signature field name %s is ambiguous: %s (give the fully qualified name)", name, names);
  else if (*names)
    ap_fail(diags, at, "no signature field named %s (the signature fields: %s)", name, names);
  else
    ap_fail(diags, at, "no signature field named %s (the PDF has no signature field)", name);
  free(names);
  ap_form_fields_free(&list);
  return found;
}

// A classic cross-reference section for entries (by number) and its trailer.
static void
write_xref_table(writer_t *w, const entry_t *entries, int count, const char *trailer_keys)
{
  put(w, "xref\n");
  for (int i = 0; i < count;) {
    int run = 1;
    while (i + run < count && entries[i + run].id == entries[i].id + run)
      run++;
    put(w, "%d %d\n", entries[i].id, run);
    for (int k = 0; k < run; k++)
      put(w, "%010zu %05d n\r\n", entries[i + k].offset, entries[i + k].gen);
    i += run;
  }
  put(w, "trailer\n<< %s >>\n", trailer_keys);
}

// A cross-reference stream (ISO 32000-1 §7.5.8) for entries (by number,
// its own among them), unfiltered: /W [1 4 2], an /Index of the runs of
// consecutive numbers, the trailer's keys in its dictionary.
static void
write_xref_stream(writer_t *w, const entry_t *entries, int count, const char *trailer_keys)
{
  unsigned char data[(MAX_OBJECTS + 2 + AP_SIGN_LOOK_OBJECTS) * 7];
  int self = 0;
  for (int i = 0; i < count; i++) {
    unsigned char *e = data + 7 * i;
    e[0] = 1;
    for (int b = 0; b < 4; b++)
      e[1 + b] = (unsigned char)(entries[i].offset >> (8 * (3 - b)));
    e[5] = (unsigned char)(entries[i].gen >> 8);
    e[6] = (unsigned char)entries[i].gen;
    if (entries[i].offset > entries[self].offset)
      self = i; // The stream is the last object written
  }
  put(w, "%d 0 obj\n<< /Type /XRef %s /W [1 4 2] /Index [", entries[self].id, trailer_keys);
  for (int i = 0; i < count;) {
    int run = 1;
    while (i + run < count && entries[i + run].id == entries[i].id + run)
      run++;
    put(w, "%s%d %d", i ? " " : "", entries[i].id, run);
    i += run;
  }
  put(w, "] /Length %d >>\nstream\n", 7 * count);
  put_bytes(w, (const char *)data, 7 * (size_t)count);
  put(w, "\nendstream\nendobj\n");
}

// Objects in the order of their numbers.
static int
by_id(const void *a, const void *b)
{
  return ((const entry_t *)a)->id - ((const entry_t *)b)->id;
}

// Append formatted text to the update.
static void
put(writer_t *w, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || w->failed) {
    w->failed = true;
    return;
  }
  char *text = malloc((size_t)n + 1);
  if (!text) {
    w->failed = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(text, (size_t)n + 1, fmt, ap);
  va_end(ap);
  put_bytes(w, text, (size_t)n);
  free(text);
}

// Append bytes to the update.
static void
put_bytes(writer_t *w, const char *bytes, size_t size)
{
  if (w->failed)
    return;
  if (w->size + size > w->room) {
    size_t room = w->room ? w->room * 2 : 65536;
    while (room < w->size + size)
      room *= 2;
    char *grown = realloc(w->bytes, room);
    if (!grown) {
      w->failed = true;
      return;
    }
    w->bytes = grown;
    w->room = room;
  }
  memcpy(w->bytes + w->size, bytes, size);
  w->size += size;
}
