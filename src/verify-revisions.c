// The revisions of a signed PDF, for anpham verify. anpham sign appends
// each signature as an incremental update (src/sign/pdf-update.c): a
// cross-reference section whose trailer's /Prev gives the offset of the
// previous one, then "startxref", that section's own offset, "%%EOF".
// The revisions are found by following that chain backwards with qpdf's
// C API: qpdf reads the file (its trailer keeps /Prev), the previous
// revision ends at the first "startxref N %%EOF" after offset N, where N
// is that /Prev (each revision's tail names its own section, so a
// "%%EOF" inside a stream or a comment is not taken for an end), and qpdf
// reads that prefix alone, and so on to a trailer without /Prev: the
// original revision, what anpham render wrote. Neither a signature's
// /ByteRange (it says where a signed revision ends, not where its update
// begins) nor the first "%%EOF" of the file (it may stand in stream data)
// would say that by itself.
//
// Each pair of neighbouring revisions is compared object by object
// (qpdf reading each prefix; streams by their dictionary and raw data):
// what an update may change is what anpham sign and other signers
// change, nothing that draws the page.
#include "verify-revisions.h"

#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf-tail.h"
#include "qpdf-lazy.h"

#define MAX_KEYS 256      // Keys of one dictionary compared at most
#define MAX_SIGNATURES 64 // Signatures listed at most
#define MAX_FIELD_DEPTH 8 // Levels of /Kids followed in the form's fields

// One check of a file's revisions.
typedef struct checker_s {
  const char *pdf;              // The PDF, for messages
  const unsigned char *bytes;   // Its bytes
  size_t size;                  // How many
  ap_verify_failure_fn failure; // Where failures go
  void *ctx;                    // Its first argument
  int failures;                 // How many so far
  char update[96];              // The update being compared, as messages name it
} checker_t;

// A signature found in the form.
typedef struct signature_s {
  char name[128];               // The field's name (/T, with its parents' joined by '.')
  long long range[4];           // Its /ByteRange
} signature_t;

static bool appended_fields_only(checker_t *c, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *what);
static int by_coverage(const void *x, const void *y);
static void check_form(checker_t *c, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now);
static void check_signatures(checker_t *c, qpdf_data q, const size_t ends[], int n, ap_revisions_t *r);
static void compare(checker_t *c, qpdf_data a, qpdf_data b);
static void compare_object(checker_t *c, int id, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now);
static const char *changed_key(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *const allowed[]);
static bool differs(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *name);
static void fail(checker_t *c, const char *point, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int find_signatures(qpdf_data q, qpdf_oh fields, const char *parent, bool parent_sig, int depth,
                           signature_t *found, int count);
static bool is_annots(qpdf_data q, int id);
static bool is_signature_field(qpdf_data q, qpdf_oh field);
static qpdf_oh key(qpdf_data q, qpdf_oh oh, const char *name);
static void kind(qpdf_data q, qpdf_oh oh, char *text, size_t room);
static qpdf_data read_part(checker_t *c, size_t end, bool quiet);
static bool revision_end(const unsigned char *bytes, size_t size, size_t xref, size_t *marker, size_t *end);
static bool same(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now);

//
// 'ap_revisions_check()' - Find the revisions and check the updates.
//

int
ap_revisions_check(const char *pdf, const unsigned char *bytes, size_t size, ap_revisions_t *r,
                   ap_verify_failure_fn failure, void *ctx)
{
  checker_t c = {.pdf = pdf, .bytes = bytes, .size = size, .failure = failure, .ctx = ctx};
  size_t ends[AP_REVISIONS_MAX], markers[AP_REVISIONS_MAX], xref = 0;
  ap_diags_t loading = {0};
  int n = 0;

  *r = (ap_revisions_t){0};
  bool loaded = ap_qpdf_load(&loading); // Not loaded: the structure check says so
  ap_diags_clear(&loading);
  if (!loaded || !ap_pdf_last_startxref(bytes, size, &xref) || !revision_end(bytes, size, xref, &markers[0], &ends[0]))
    return 0; // Not as anpham writes a file: compared whole (verify.c), so any change shows there
  size_t trailing = size - ends[0]; // Bytes after the last revision (none in a file anpham wrote)
  qpdf_data whole = read_part(&c, size, true), newer = whole;
  if (!whole)
    return 0; // Damage: the structure check reports it

  // The chain of /Prev, backwards, each pair of revisions compared...
  n = 1;
  bool complete = false;
  while (!complete) {
    qpdf_oh prev = key(newer, qpdf_get_trailer(newer), "/Prev");
    if (qpdf_oh_is_null(newer, prev)) {
      complete = true;
      break;
    }
    long long at = qpdf_oh_is_integer(newer, prev) ? qpdf_oh_get_int_value(newer, prev) : -1;
    size_t marker = 0, end = 0;
    if (at < 0 || (size_t)at >= ends[n - 1] || !revision_end(bytes, ends[n - 1], (size_t)at, &marker, &end) ||
        end >= ends[n - 1]) {
      fail(&c, "revisions", "the revision ending at byte %zu names /Prev %lld, but no earlier revision ends with "
           "'startxref %lld %%%%EOF' after that offset", ends[n - 1], at, at);
      break;
    }
    if (n == AP_REVISIONS_MAX) {
      fail(&c, "revisions", "more than %d revisions: not followed further", AP_REVISIONS_MAX);
      break;
    }
    qpdf_data older = read_part(&c, end, false);
    if (!older)
      break;
    snprintf(c.update, sizeof(c.update), "the update at bytes %zu to %zu", end, ends[n - 1]);
    compare(&c, older, newer);
    if (newer != whole)
      qpdf_cleanup(&newer);
    newer = older;
    ends[n] = end;
    markers[n] = marker;
    n++;
  }
  if (newer != whole)
    qpdf_cleanup(&newer);

  // ...and the signatures, each over a whole revision. (Bytes after the
  // last revision of an unsigned file fail its comparison whole.)
  if (complete && n > 1 && trailing)
    fail(&c, "revisions", "%zu bytes after the last revision's %%%%EOF (byte %zu), which no revision accounts for",
         trailing, ends[0]);
  if (complete && (n > 1 || !trailing)) {
    r->count = n;
    r->original_end = ends[n - 1];
    r->original_marker = markers[n - 1];
    check_signatures(&c, whole, ends, n, r);
  }
  qpdf_cleanup(&whole);
  return c.failures;
}

// Whether the array now (in b) is the array old (in a; null: none) with
// signature fields added at its end, and nothing else; a failure naming
// what (the form's /Fields, a page's /Annots) when not.
static bool
appended_fields_only(checker_t *c, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *what)
{
  int was = qpdf_oh_is_array(a, old) ? qpdf_oh_get_array_n_items(a, old) : 0;
  int is = qpdf_oh_is_array(b, now) ? qpdf_oh_get_array_n_items(b, now) : -1;

  if (is < was || (!qpdf_oh_is_null(a, old) && !qpdf_oh_is_array(a, old))) {
    fail(c, "revisions", "%s removes entries from %s (%d before, %d after)", c->update, what, was, is < 0 ? 0 : is);
    return false;
  }
  for (int i = 0; i < was; i++) {
    qpdf_oh x = qpdf_oh_get_array_item(a, old, i), y = qpdf_oh_get_array_item(b, now, i);
    char before[256];
    snprintf(before, sizeof(before), "%s", qpdf_oh_unparse(a, x));
    if (strcmp(before, qpdf_oh_unparse(b, y))) {
      fail(c, "revisions", "%s replaces entry %d of %s (%s by %s)", c->update, i + 1, what, before,
           qpdf_oh_unparse(b, y));
      return false;
    }
  }
  for (int i = was; i < is; i++)
    if (!is_signature_field(b, qpdf_oh_get_array_item(b, now, i))) {
      fail(c, "revisions", "%s adds to %s an entry that is not a signature field (%s)", c->update, what,
           qpdf_oh_unparse(b, qpdf_oh_get_array_item(b, now, i)));
      return false;
    }
  return true;
}

// qsort: signatures by the bytes they cover.
static int
by_coverage(const void *x, const void *y)
{
  const signature_t *s = x, *t = y;
  long long u = s->range[2] + s->range[3], v = t->range[2] + t->range[3];
  return (u > v) - (u < v);
}

// The form (the catalog's /AcroForm; old null when there was none): only
// its /Fields (signature fields added) and /SigFlags may change.
static void
check_form(checker_t *c, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now)
{
  static const char *const allowed[] = {"/Fields", "/SigFlags", NULL};
  const char *other;

  if (!qpdf_oh_is_dictionary(b, now)) {
    fail(c, "revisions", "%s removes the form (/AcroForm)", c->update);
    return;
  }
  if (!qpdf_oh_is_null(a, old) && !qpdf_oh_is_dictionary(a, old)) {
    fail(c, "revisions", "%s replaces the catalog's /AcroForm, which was not a dictionary", c->update);
    return;
  }
  if ((other = changed_key(a, old, b, now, allowed))) {
    fail(c, "revisions", "%s changes the form's %s, which a signature does not change", c->update, other);
    return;
  }
  if (differs(a, old, b, now, "/Fields"))
    appended_fields_only(c, a, key(a, old, "/Fields"), b, key(b, now, "/Fields"), "the form's /Fields");
}

// The signed signature fields of the last revision: each /ByteRange starts
// at byte 0 and covers exactly a revision after the original, its
// /Contents (the gap) inside that revision's update; their names, in the
// order they were signed, into r.
static void
check_signatures(checker_t *c, qpdf_data q, const size_t ends[], int n, ap_revisions_t *r)
{
  signature_t *found = calloc(MAX_SIGNATURES, sizeof(signature_t));
  if (!found) {
    fail(c, "signatures", "out of memory");
    return;
  }
  qpdf_oh fields = key(q, key(q, qpdf_get_root(q), "/AcroForm"), "/Fields");
  int count = find_signatures(q, fields, "", false, 0, found, 0);
  qsort(found, (size_t)count, sizeof(*found), by_coverage);

  size_t used = 0;
  for (int i = 0; i < count; i++) {
    const signature_t *s = &found[i];
    const long long *br = s->range;
    int j = -1; // The revision it covers: ends[j] (ends[] from the last revision back to the original)
    for (int k = 0; k + 1 < n; k++)
      if (br[0] == 0 && br[3] >= 0 && br[2] > br[1] && (size_t)(br[2] + br[3]) == ends[k])
        j = k;
    if (br[0] < 0) // No /ByteRange of four integers
      fail(c, "signatures", "the signature %s has no /ByteRange of four integers", s->name);
    else if (j < 0)
      fail(c, "signatures", "the signature %s's /ByteRange [%lld %lld %lld %lld] does not cover, from byte 0, the "
           "whole of a revision after the original (bytes 0 to %zu)", s->name, br[0], br[1], br[2], br[3],
           ends[n - 1]);
    else if ((size_t)br[1] < ends[j + 1] || c->bytes[br[1]] != '<' || c->bytes[br[2] - 1] != '>')
      fail(c, "signatures", "the signature %s's /ByteRange [%lld %lld %lld %lld] leaves out bytes %lld to %lld, "
           "which are not its /Contents in the update at bytes %zu to %zu", s->name, br[0], br[1], br[2], br[3],
           br[1], br[2], ends[j + 1], ends[j]);
    int w = snprintf(r->names + used, sizeof(r->names) - used, "%s%s", i ? ", " : "", s->name);
    if (w > 0 && used + (size_t)w < sizeof(r->names))
      used += (size_t)w;
  }
  r->signatures = count;
  free(found);
}

// Two revisions: a the older, b the newer. Every object of a is in b,
// the same, or changed as a signature changes it (compare_object); new
// objects (the signature dictionary, the widget's appearance, the
// cross-reference stream) change nothing by themselves: nothing that was
// there may point at them but what compare_object allows.
static void
compare(checker_t *c, qpdf_data a, qpdf_data b)
{
  qpdf_oh size = key(a, qpdf_get_trailer(a), "/Size");
  long long objects = qpdf_oh_is_integer(a, size) ? qpdf_oh_get_int_value(a, size) : 0;
  int before = c->failures;

  for (long long id = 1; id < objects && c->failures - before < 10; id++) {
    qpdf_oh old = qpdf_get_object_by_id(a, (int)id, 0);
    if (qpdf_oh_is_null(a, old))
      continue;
    qpdf_oh now = qpdf_get_object_by_id(b, (int)id, 0);
    if (qpdf_oh_is_null(b, now)) {
      char was[64];
      kind(a, old, was, sizeof(was));
      fail(c, "revisions", "%s deletes object %lld (%s)", c->update, id, was);
    } else if (!same(a, old, b, now)) {
      compare_object(c, (int)id, a, old, b, now);
    }
  }
}

// One object that changed (id; old in a, now in b): the catalog (its
// /AcroForm, /Perms when there was none, /DSS), the form, a page (its
// /Annots), an unsigned signature field (/V, /AP, /Rect), the form's
// /Fields or a page's /Annots (signature fields added); a failure for
// anything else.
static void
compare_object(checker_t *c, int id, qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now)
{
  static const char *const catalog_keys[] = {"/AcroForm", "/Perms", "/DSS", NULL};
  static const char *const page_keys[] = {"/Annots", NULL};
  static const char *const field_keys[] = {"/V", "/AP", "/Rect", NULL};
  qpdf_oh root = qpdf_get_root(a), form = key(a, root, "/AcroForm"), form_now = key(b, qpdf_get_root(b), "/AcroForm");
  const char *other = NULL;
  char what[64];

  kind(a, old, what, sizeof(what));
  if (qpdf_oh_get_type_code(a, old) != qpdf_oh_get_type_code(b, now)) {
    fail(c, "revisions", "%s replaces object %d (%s) by an object of another type", c->update, id, what);
  } else if (id == qpdf_oh_get_object_id(a, root)) {
    if ((other = changed_key(a, old, b, now, catalog_keys)))
      fail(c, "revisions", "%s changes the catalog's %s, which a signature does not change", c->update, other);
    else if (differs(a, old, b, now, "/Perms") && !qpdf_oh_is_null(a, key(a, old, "/Perms")))
      fail(c, "revisions", "%s changes the catalog's /Perms, which a later signature does not change", c->update);
    else if (differs(a, old, b, now, "/AcroForm"))
      check_form(c, a, key(a, old, "/AcroForm"), b, key(b, now, "/AcroForm"));
  } else if ((qpdf_oh_is_indirect(a, form) && id == qpdf_oh_get_object_id(a, form)) ||
             (qpdf_oh_is_indirect(b, form_now) && id == qpdf_oh_get_object_id(b, form_now))) {
    check_form(c, a, old, b, now);
  } else if (qpdf_oh_is_name_and_equals(a, key(a, old, "/Type"), "/Page")) {
    if ((other = changed_key(a, old, b, now, page_keys)))
      fail(c, "revisions", "%s changes a page's %s (object %d), which a signature does not change", c->update, other,
           id);
    else
      appended_fields_only(c, a, key(a, old, "/Annots"), b, key(b, now, "/Annots"), "a page's /Annots");
  } else if (qpdf_oh_is_dictionary(a, old) && is_signature_field(a, old) &&
             qpdf_oh_is_null(a, key(a, old, "/V"))) {
    if ((other = changed_key(a, old, b, now, field_keys)))
      fail(c, "revisions", "%s changes the signature field's %s (object %d), which signing does not change", c->update,
           other, id);
    else if (!qpdf_oh_is_dictionary(b, key(b, now, "/V")))
      fail(c, "revisions", "%s gives the signature field (object %d) a /V that is not a signature dictionary",
           c->update, id);
  } else if (qpdf_oh_is_array(a, old) && ((qpdf_oh_is_indirect(b, key(b, form_now, "/Fields")) &&
                                           id == qpdf_oh_get_object_id(b, key(b, form_now, "/Fields"))) ||
                                          is_annots(b, id))) {
    appended_fields_only(c, a, old, b, now, "the form's /Fields or a page's /Annots");
  } else {
    fail(c, "revisions", "%s changes object %d (%s), which a signature does not change", c->update, id, what);
  }
}

// The first key of old or now (dictionaries, or streams' dictionaries)
// whose value differs and that allowed (NULL-ended) does not list; NULL
// when there is none. (qpdf's key iterator is one per qpdf_data: the keys
// are copied before the values are compared.)
static const char *
changed_key(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *const allowed[])
{
  static char found[128];
  char *keys[2 * MAX_KEYS];
  int n = 0;
  const char *result = NULL;

  for (int side = 0; side < 2; side++) {
    qpdf_data q = side ? b : a;
    qpdf_oh oh = side ? now : old;
    if (qpdf_oh_is_stream(q, oh))
      oh = qpdf_oh_get_dict(q, oh);
    if (!qpdf_oh_is_dictionary(q, oh))
      continue;
    qpdf_oh_begin_dict_key_iter(q, oh);
    while (qpdf_oh_dict_more_keys(q) && n < 2 * MAX_KEYS) {
      char *k = strdup(qpdf_oh_dict_next_key(q));
      if (k)
        keys[n++] = k;
    }
  }
  for (int i = 0; i < n && !result; i++) {
    bool listed = false;
    for (int j = 0; allowed[j] && !listed; j++)
      listed = !strcmp(keys[i], allowed[j]);
    if (!listed && differs(a, old, b, now, keys[i])) {
      snprintf(found, sizeof(found), "%s", keys[i]);
      result = found;
    }
  }
  for (int i = 0; i < n; i++)
    free(keys[i]);
  return result;
}

// Whether the value of one key differs between old (in a) and now (in
// b): its text, an indirect value as its reference (what it points at is
// compared as an object of its own).
static bool
differs(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now, const char *name)
{
  char before[4096];
  const char *text = qpdf_oh_unparse(a, key(a, old, name));
  if (strlen(text) >= sizeof(before))
    return true; // Too long to hold: said to differ (a direct value that long is no signature's business)
  memcpy(before, text, strlen(text) + 1);
  return strcmp(before, qpdf_oh_unparse(b, key(b, now, name))) != 0;
}

// One failure, to the callback.
static void
fail(checker_t *c, const char *point, const char *fmt, ...)
{
  char what[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  c->failures++;
  c->failure(c->ctx, c->pdf, point, what);
}

// The signed signature fields among fields (and their /Kids), after the
// count already found; the new count.
static int
find_signatures(qpdf_data q, qpdf_oh fields, const char *parent, bool parent_sig, int depth, signature_t *found,
                int count)
{
  int n = qpdf_oh_is_array(q, fields) ? qpdf_oh_get_array_n_items(q, fields) : 0;

  for (int i = 0; i < n && count < MAX_SIGNATURES && depth < MAX_FIELD_DEPTH; i++) {
    qpdf_oh field = qpdf_oh_get_array_item(q, fields, i), t = key(q, field, "/T"), ft = key(q, field, "/FT");
    char name[128];
    const char *own = qpdf_oh_is_string(q, t) ? qpdf_oh_get_utf8_value(q, t) : "";
    if (snprintf(name, sizeof(name), "%s%s%s", parent, *parent && *own ? "." : "", own) < 0) // Cut when long
      name[0] = '\0';
    bool sig = qpdf_oh_is_null(q, ft) ? parent_sig : qpdf_oh_is_name_and_equals(q, ft, "/Sig");
    qpdf_oh v = key(q, field, "/V"), range = key(q, v, "/ByteRange");
    if (sig && qpdf_oh_is_dictionary(q, v)) {
      signature_t *s = &found[count++];
      snprintf(s->name, sizeof(s->name), "%s", *name ? name : "(unnamed)");
      s->range[0] = -1;
      if (qpdf_oh_is_array(q, range) && qpdf_oh_get_array_n_items(q, range) == 4) {
        for (int k = 0; k < 4; k++) {
          qpdf_oh item = qpdf_oh_get_array_item(q, range, k);
          s->range[k] = qpdf_oh_is_integer(q, item) ? qpdf_oh_get_int_value(q, item) : -1;
        }
        for (int k = 0; k < 4; k++)
          if (s->range[k] < 0)
            s->range[0] = -1;
      }
    }
    count = find_signatures(q, key(q, field, "/Kids"), name, sig, depth + 1, found, count);
  }
  return count;
}

// Whether object id of q is a page's /Annots.
static bool
is_annots(qpdf_data q, int id)
{
  int pages = qpdf_get_num_pages(q);
  for (int i = 0; i < pages; i++) {
    qpdf_oh annots = key(q, qpdf_get_page_n(q, (size_t)i), "/Annots");
    if (qpdf_oh_is_indirect(q, annots) && qpdf_oh_get_object_id(q, annots) == id)
      return true;
  }
  return false;
}

// Whether a field (or widget) is a signature field: /FT /Sig, its own or
// its parent's.
static bool
is_signature_field(qpdf_data q, qpdf_oh field)
{
  return qpdf_oh_is_name_and_equals(q, key(q, field, "/FT"), "/Sig") ||
         qpdf_oh_is_name_and_equals(q, key(q, key(q, field, "/Parent"), "/FT"), "/Sig");
}

// A key of a dictionary or of a stream's dictionary; null for anything else.
static qpdf_oh
key(qpdf_data q, qpdf_oh oh, const char *name)
{
  if (qpdf_oh_is_stream(q, oh))
    oh = qpdf_oh_get_dict(q, oh);
  return qpdf_oh_is_dictionary(q, oh) ? qpdf_oh_get_key(q, oh, name) : qpdf_oh_new_null(q);
}

// What an object is, for messages: its /Type (and /Subtype), else a
// stream, a dictionary, an array…
static void
kind(qpdf_data q, qpdf_oh oh, char *text, size_t room)
{
  qpdf_oh type = key(q, oh, "/Type"), subtype = key(q, oh, "/Subtype");
  const char *base = qpdf_oh_is_stream(q, oh) ? "a stream" : qpdf_oh_is_dictionary(q, oh) ? "a dictionary"
                     : qpdf_oh_is_array(q, oh) ? "an array" : "a value";

  if (qpdf_oh_is_name(q, type) && qpdf_oh_is_name(q, subtype)) {
    char t[48];
    snprintf(t, sizeof(t), "%s", qpdf_oh_get_name(q, type));
    snprintf(text, room, "%s %s %s", base, t, qpdf_oh_get_name(q, subtype));
  } else if (qpdf_oh_is_name(q, type)) {
    snprintf(text, room, "%s %s", base, qpdf_oh_get_name(q, type));
  } else {
    snprintf(text, room, "%s", base);
  }
}

// The first n bytes of the file read by qpdf; NULL (and, unless quiet, a
// failure) when qpdf cannot read them or recovers from damage.
static qpdf_data
read_part(checker_t *c, size_t end, bool quiet)
{
  qpdf_data q = qpdf_init();
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  bool read = !(qpdf_read_memory(q, c->pdf, (const char *)c->bytes, (unsigned long long)end, "") & QPDF_ERRORS);
  if (read && !qpdf_more_warnings(q))
    return q;
  if (!quiet)
    fail(c, "revisions", "the revision at bytes 0 to %zu does not read on its own: %s", end,
         read ? qpdf_get_error_full_text(q, qpdf_next_warning(q)) : qpdf_get_error_full_text(q, qpdf_get_error(q)));
  qpdf_cleanup(&q);
  return NULL;
}

// Where the revision whose cross-reference section is at offset xref
// ends: the first "startxref", blanks, the decimal xref, blanks, "%%EOF"
// after that offset (within size); marker is the end of "%%EOF", end that
// with the end-of-line after it (CR LF, LF or CR; none at the end of the
// file). False when there is none.
static bool
revision_end(const unsigned char *bytes, size_t size, size_t xref, size_t *marker, size_t *end)
{
  static const char word[] = "startxref", eof[] = "%%EOF";
  char number[24];
  int digits = snprintf(number, sizeof(number), "%zu", xref);

  for (size_t i = xref; i + sizeof word - 1 <= size; i++) {
    const unsigned char *hit = memchr(bytes + i, 's', size - i);
    if (!hit)
      return false;
    i = (size_t)(hit - bytes);
    if (i + sizeof word - 1 > size || memcmp(bytes + i, word, sizeof word - 1))
      continue;
    size_t k = i + sizeof word - 1;
    while (k < size && strchr(" \t\r\n\f", bytes[k]) && bytes[k])
      k++;
    if (k + (size_t)digits > size || memcmp(bytes + k, number, (size_t)digits) ||
        (k + (size_t)digits < size && bytes[k + digits] >= '0' && bytes[k + digits] <= '9'))
      continue;
    k += (size_t)digits;
    while (k < size && strchr(" \t\r\n\f", bytes[k]) && bytes[k])
      k++;
    if (k + sizeof eof - 1 > size || memcmp(bytes + k, eof, sizeof eof - 1))
      continue;
    k += sizeof eof - 1;
    *marker = k;
    if (k + 1 < size && bytes[k] == '\r' && bytes[k + 1] == '\n')
      k += 2;
    else if (k < size && (bytes[k] == '\n' || bytes[k] == '\r'))
      k++;
    *end = k;
    return true;
  }
  return false;
}

// Whether an object is the same in two revisions: the same text (a
// stream: the same dictionary and the same raw data).
static bool
same(qpdf_data a, qpdf_oh old, qpdf_data b, qpdf_oh now)
{
  if (qpdf_oh_get_type_code(a, old) != qpdf_oh_get_type_code(b, now))
    return false;
  if (!qpdf_oh_is_stream(a, old)) // Each qpdf_data returns its text in a buffer of its own
    return !strcmp(qpdf_oh_unparse_resolved(a, old), qpdf_oh_unparse_resolved(b, now));
  if (strcmp(qpdf_oh_unparse_resolved(a, qpdf_oh_get_dict(a, old)), qpdf_oh_unparse_resolved(b, qpdf_oh_get_dict(b, now))))
    return false;
  unsigned char *x = NULL, *y = NULL;
  size_t nx = 0, ny = 0;
  bool equal = !(qpdf_oh_get_stream_data(a, old, qpdf_dl_none, NULL, &x, &nx) & QPDF_ERRORS) &&
               !(qpdf_oh_get_stream_data(b, now, qpdf_dl_none, NULL, &y, &ny) & QPDF_ERRORS) && nx == ny &&
               (nx == 0 || !memcmp(x, y, nx)); // (an empty stream's data may be NULL)
  free(x);
  free(y);
  return equal;
}
