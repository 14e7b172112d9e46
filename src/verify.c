// anpham verify, one PDF at a time: the file's own PDF/A-3 and PDF/UA-1
// points (docs/archive.md, "anpham verify"), read with qpdf's C API and,
// for the XMP packet, libxml2; then its embedded source extracted into a
// private folder (src/extract.c), rendered again in this process with the
// recorded arguments and SOURCE_DATE_EPOCH into memory, and compared byte
// for byte. A file changed by one byte fails the comparison (and, where
// the change breaks the file's structure, qpdf's check).
#define _XOPEN_SOURCE 700 // nftw
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <qpdf/qpdf-c.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anpham.h"
#include "base/number.h"
#include "embed.h"
#include "extract.h"
#include "qpdf-lazy.h"

#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif

#define MAX_PDF (2048L << 20) // Bytes of one PDF verified at most
#define MAX_ARGS 32           // --set and --allow-path values of a recorded command, each at most

// One verification.
typedef struct verifier_s {
  const char *pdf;               // The PDF
  const char *fonts_dir;         // A further folder of font files, or NULL
  ap_verify_failure_fn failure;  // Where failures go
  void *ctx;                     // Its first argument
  int failures;                  // How many so far
} verifier_t;

// The XMP packet's identification.
typedef struct xmp_id_s {
  char part[16];                 // pdfaid:part ("" when absent)
  char conformance[16];          // pdfaid:conformance
  char ua_part[16];              // pdfuaid:part
} xmp_id_t;

// A PDF rendered to memory.
typedef struct capture_s {
  unsigned char *bytes;          // Its bytes (malloc'ed)
  size_t size;                   // How many
} capture_t;

static bool capture(void *ctx, const void *bytes, size_t size);
static void check_catalog(verifier_t *v, qpdf_data q);
static void check_fonts(verifier_t *v, qpdf_data q);
static void check_header(verifier_t *v, const unsigned char *bytes, size_t size);
static bool check_metadata(verifier_t *v, qpdf_data q, xmp_id_t *id);
static void check_structure(verifier_t *v, const unsigned char *bytes, size_t size);
static qpdf_oh key(qpdf_data q, qpdf_oh oh, const char *name);
static void fail(verifier_t *v, const char *point, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool options_from(verifier_t *v, json_object *args, ap_options_t *o, const char **sets, const char **allow);
static bool parse_xmp(const unsigned char *text, size_t size, xmp_id_t *id);
static unsigned char *read_pdf(verifier_t *v, size_t *size);
static void render_again(verifier_t *v, const unsigned char *bytes, size_t size);
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);

//
// 'ap_verify()' - Verify one PDF.
//

int
ap_verify(const char *pdf, const char *fonts_dir, ap_verify_failure_fn failure, void *ctx)
{
  verifier_t v = {.pdf = pdf, .fonts_dir = fonts_dir, .failure = failure, .ctx = ctx};
  size_t size = 0;
  unsigned char *bytes = read_pdf(&v, &size);

  if (!bytes)
    return v.failures;
  check_header(&v, bytes, size);
  check_structure(&v, bytes, size);
  render_again(&v, bytes, size);
  free(bytes);
  return v.failures;
}

// The pdf_sink of the re-render: the bytes kept.
static bool
capture(void *ctx, const void *bytes, size_t size)
{
  capture_t *c = ctx;
  if (!(c->bytes = malloc(size ? size : 1)))
    return false;
  memcpy(c->bytes, bytes, size);
  c->size = size;
  return true;
}

// The catalog's points: no encryption, a document /ID, the metadata and its
// identification, the output intent, tagging (conformance A), /Lang, and
// the associated files that carry the source.
static void
check_catalog(verifier_t *v, qpdf_data q)
{
  qpdf_oh trailer = qpdf_get_trailer(q), root = qpdf_get_root(q);
  xmp_id_t id = {0};

  // The trailer...
  if (qpdf_is_encrypted(q) || !qpdf_oh_is_null(q, key(q, trailer, "/Encrypt")))
    fail(v, "encryption", "the file is encrypted (/Encrypt): PDF/A forbids encryption");
  qpdf_oh ids = key(q, trailer, "/ID");
  if (!qpdf_oh_is_array(q, ids) || qpdf_oh_get_array_n_items(q, ids) != 2 ||
      !qpdf_oh_is_string(q, qpdf_oh_get_array_item(q, ids, 0)) ||
      !qpdf_oh_is_string(q, qpdf_oh_get_array_item(q, ids, 1)))
    fail(v, "id", "the trailer has no document /ID (expected an array of two strings)");

  // The metadata and what it claims...
  bool parsed = check_metadata(v, q, &id);
  bool tagged = !parsed || !strcmp(id.conformance, "A"); // Unreadable: hold it to the stricter level
  if (parsed && strcmp(id.part, "3"))
    fail(v, "identification", "pdfaid:part is '%s': expected 3 (PDF/A-3)", id.part);
  if (parsed && strcmp(id.conformance, "A") && strcmp(id.conformance, "B"))
    fail(v, "identification", "pdfaid:conformance is '%s': expected A (tagged) or B", id.conformance);
  if (parsed && tagged && strcmp(id.ua_part, "1"))
    fail(v, "identification", "pdfuaid:part is '%s': expected 1 (PDF/UA-1, claimed by every tagged archive)",
         id.ua_part);

  // ...the output intent...
  qpdf_oh intents = key(q, root, "/OutputIntents");
  bool intent = false;
  for (int i = 0; !intent && qpdf_oh_is_array(q, intents) && i < qpdf_oh_get_array_n_items(q, intents); i++) {
    qpdf_oh oi = qpdf_oh_get_array_item(q, intents, i), profile = key(q, oi, "/DestOutputProfile");
    qpdf_oh n = key(q, profile, "/N");
    intent = qpdf_oh_is_name_and_equals(q, key(q, oi, "/S"), "/GTS_PDFA1") &&
             qpdf_oh_is_stream(q, profile) && qpdf_oh_is_integer(q, n) && qpdf_oh_get_int_value(q, n) == 3;
  }
  if (!intent)
    fail(v, "output-intent", "no /OutputIntents entry with /S /GTS_PDFA1 and an ICC profile stream of /N 3 (sRGB)");

  // ...tagging (PDF/A-3a, PDF/UA-1), the language...
  qpdf_oh marked = key(q, key(q, root, "/MarkInfo"), "/Marked");
  if (tagged && !(qpdf_oh_is_bool(q, marked) && qpdf_oh_get_bool_value(q, marked)))
    fail(v, "tagged", "the catalog has no /MarkInfo << /Marked true >>: conformance A needs a tagged PDF");
  if (tagged && !qpdf_oh_is_dictionary(q, key(q, root, "/StructTreeRoot")))
    fail(v, "tagged", "the catalog has no /StructTreeRoot: conformance A needs a structure tree");
  qpdf_oh lang = key(q, root, "/Lang");
  size_t len = 0;
  if (tagged && (!qpdf_oh_is_string(q, lang) || !qpdf_oh_get_binary_string_value(q, lang, &len) || !len))
    fail(v, "lang", "the catalog has no /Lang: PDF/UA needs the document's language (vi)");

  // ...and the source as associated files (/AF, AFRelationship /Source)...
  qpdf_oh af = key(q, root, "/AF");
  bool source = false;
  for (int i = 0; qpdf_oh_is_array(q, af) && i < qpdf_oh_get_array_n_items(q, af); i++) {
    qpdf_oh spec = qpdf_oh_get_array_item(q, af, i), name = key(q, spec, "/UF");
    if (!qpdf_oh_is_name_and_equals(q, key(q, spec, "/AFRelationship"), "/Source"))
      fail(v, "associated-files", "the associated file %d has no /AFRelationship /Source", i + 1);
    const char *text = qpdf_oh_is_string(q, name) ? qpdf_oh_get_utf8_value(q, name) : NULL;
    source = source || (text && !strcmp(text, AP_EMBED_MANIFEST));
  }
  if (!source)
    fail(v, "associated-files", "the catalog's /AF does not hold the embedded source (%s and the files it lists)",
         AP_EMBED_MANIFEST);
}

// Every font embedded: each simple or CID font's /FontDescriptor has its
// font program (/FontFile, /FontFile2 or /FontFile3). Type 0 fonts are
// checked through their descendant, Type 3 fonts are their own glyphs.
static void
check_fonts(verifier_t *v, qpdf_data q)
{
  qpdf_oh size = key(q, qpdf_get_trailer(q), "/Size");
  int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;

  for (int id = 1; id < n; id++) {
    qpdf_oh font = qpdf_get_object_by_id(q, id, 0);
    if (qpdf_oh_is_dictionary(q, font) && qpdf_oh_is_name_and_equals(q, key(q, font, "/Type"), "/Font") &&
        !qpdf_oh_is_name_and_equals(q, key(q, font, "/Subtype"), "/Type0") &&
        !qpdf_oh_is_name_and_equals(q, key(q, font, "/Subtype"), "/Type3")) {
      qpdf_oh fd = key(q, font, "/FontDescriptor"), base = key(q, font, "/BaseFont");
      if (!qpdf_oh_is_stream(q, key(q, fd, "/FontFile")) &&
          !qpdf_oh_is_stream(q, key(q, fd, "/FontFile2")) &&
          !qpdf_oh_is_stream(q, key(q, fd, "/FontFile3")))
        fail(v, "fonts", "the font %s (object %d) is not embedded: its /FontDescriptor has no /FontFile2 "
             "(or /FontFile, /FontFile3)", qpdf_oh_is_name(q, base) ? qpdf_oh_get_name(q, base) : "?", id);
    }
    qpdf_oh_release_all(q); // Handles pile up otherwise, one object after the other
  }
}

// %PDF-1.7, then a comment line of at least 4 bytes of 128 or more (the
// file is binary: ISO 19005-3 on the file header).
static void
check_header(verifier_t *v, const unsigned char *bytes, size_t size)
{
  if (size < 8 || memcmp(bytes, "%PDF-1.7", 8))
    fail(v, "header", "the file does not start with %%PDF-1.7 (found '%.8s')", size >= 8 ? (const char *)bytes : "");
  size_t i = 0;
  while (i < size && bytes[i] != '\n' && bytes[i] != '\r')
    i++;
  while (i < size && (bytes[i] == '\n' || bytes[i] == '\r'))
    i++;
  int high = 0;
  if (i < size && bytes[i] == '%')
    for (i++; i < size && bytes[i] != '\n' && bytes[i] != '\r'; i++)
      high += bytes[i] >= 128;
  if (high < 4)
    fail(v, "header", "the second line is not a comment of 4 or more bytes >= 128 (the binary marker)");
}

// The catalog's /Metadata: an uncompressed /Type /Metadata /Subtype /XML
// stream whose packet parses; its identification into *id. False when
// there is no packet to read.
static bool
check_metadata(verifier_t *v, qpdf_data q, xmp_id_t *id)
{
  qpdf_oh m = key(q, qpdf_get_root(q), "/Metadata");
  unsigned char *text = NULL;
  size_t len = 0;

  if (!qpdf_oh_is_stream(q, m)) {
    fail(v, "metadata", "the catalog has no /Metadata stream (XMP)");
    return false;
  }
  if (!qpdf_oh_is_name_and_equals(q, key(q, m, "/Type"), "/Metadata") ||
      !qpdf_oh_is_name_and_equals(q, key(q, m, "/Subtype"), "/XML"))
    fail(v, "metadata", "the /Metadata stream is not /Type /Metadata /Subtype /XML");
  if (!qpdf_oh_is_null(q, key(q, m, "/Filter")))
    fail(v, "metadata", "the /Metadata stream is compressed (/Filter): PDF/A wants it readable as it is");
  if (qpdf_oh_get_stream_data(q, m, qpdf_dl_generalized, NULL, &text, &len) & QPDF_ERRORS) {
    fail(v, "metadata", "the /Metadata stream cannot be read");
    return false;
  }
  bool ok = parse_xmp(text, len, id);
  free(text);
  if (!ok)
    fail(v, "metadata", "the XMP packet is not well-formed XML");
  return ok;
}

// What qpdf says of the file (it cannot be read; damage it recovered
// from; a stream that does not decode), then the points of the catalog
// and the fonts.
static void
check_structure(verifier_t *v, const unsigned char *bytes, size_t size)
{
  ap_diags_t loading = {0};
  if (!ap_qpdf_load(&loading)) {
    fail(v, "structure", "qpdf's library cannot be loaded (install the Debian package libqpdf29)");
    ap_diags_clear(&loading);
    return;
  }
  qpdf_data q = qpdf_init();

  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE); // Collected below, as failures
  if (qpdf_read_memory(q, v->pdf, (const char *)bytes, (unsigned long long)size, "") & QPDF_ERRORS) {
    fail(v, "structure", "qpdf cannot read the file: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
    qpdf_cleanup(&q);
    return;
  }
  while (qpdf_more_warnings(q))
    fail(v, "structure", "qpdf: %s", qpdf_get_error_full_text(q, qpdf_next_warning(q)));
  check_catalog(v, q);
  check_fonts(v, q);
  if (qpdf_check_pdf(q) & QPDF_ERRORS)
    fail(v, "structure", "qpdf's check fails: %s", qpdf_get_error_full_text(q, qpdf_get_error(q)));
  while (qpdf_more_warnings(q))
    fail(v, "structure", "qpdf's check: %s", qpdf_get_error_full_text(q, qpdf_next_warning(q)));
  qpdf_cleanup(&q);
}

// One failure, to the callback.
static void
fail(verifier_t *v, const char *point, const char *fmt, ...)
{
  char what[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof(what), fmt, ap);
  va_end(ap);
  v->failures++;
  v->failure(v->ctx, v->pdf, point, what);
}

// A key of a dictionary or of a stream's dictionary; null for anything
// else (qpdf warns of a key asked of a null: a missing dictionary is
// reported by the checks, not as damage).
static qpdf_oh
key(qpdf_data q, qpdf_oh oh, const char *name)
{
  if (qpdf_oh_is_stream(q, oh))
    oh = qpdf_oh_get_dict(q, oh);
  return qpdf_oh_is_dictionary(q, oh) ? qpdf_oh_get_key(q, oh, name) : qpdf_oh_new_null(q);
}

// The recorded `anpham render LAYOUT [options]` as options (the options
// embed.c records, nothing else); false (and a failure) on anything else.
static bool
options_from(verifier_t *v, json_object *args, ap_options_t *o, const char **sets, const char **allow)
{
  int n = (int)json_object_array_length(args);
  const char *a[256];
  double number;

  if (n < 2 || n > 256)
    return fail(v, "source", "%s records no `anpham render LAYOUT …` command", AP_EMBED_MANIFEST), false;
  for (int i = 0; i < n; i++)
    if (!(a[i] = json_object_get_string(json_object_array_get_idx(args, i))))
      return fail(v, "source", "%s: argument %d is not a string", AP_EMBED_MANIFEST, i + 1), false;
  if (strcmp(a[0], "render") || a[1][0] == '-')
    return fail(v, "source", "%s records '%s %s', not `anpham render LAYOUT …`", AP_EMBED_MANIFEST, a[0], a[1]), false;
  o->layout = a[1];
  for (int i = 2; i < n; i++) {
    const char *opt = a[i], *value = i + 1 < n ? a[i + 1] : NULL;
    bool takes = true;
    if (!strcmp(opt, "--data") && value)
      o->data = value;
    else if (!strcmp(opt, "--allow-path") && value && o->nallow < MAX_ARGS)
      allow[o->nallow++] = value;
    else if (!strcmp(opt, "--set") && value && strchr(value, '=') && o->nsets < MAX_ARGS)
      sets[o->nsets++] = value;
    else if (!strcmp(opt, "--deck") && value)
      o->deck = value;
    else if (!strcmp(opt, "--slide-page") && value)
      o->slide_page = value;
    else if (!strcmp(opt, "--handout") && value && strlen(value) == 1 && strchr("12346", value[0]))
      o->handout = value[0] - '0';
    else if (!strcmp(opt, "--impose") && value && (!strcmp(value, "a5-booklet") || !strcmp(value, "2up")))
      o->impose = value;
    else if (!strcmp(opt, "--copies") && value && i + 2 < n && !strcmp(a[i + 2], "--copies-in-one") &&
             ap_number_parse(&(ap_range_t){AP_NUM_INTEGER, "a number of copies", 1, 100000, false, ""}, value, &number)) {
      o->copies_in_one = (int)number;
      i++;
    } else if (!strcmp(opt, "--max-image-pixels") && value && ap_number_parse(&AP_RANGE_PIXELS, value, &number))
      o->max_image_pixels = (long)number;
    else {
      takes = false;
      if (!strcmp(opt, "--crop-marks"))
        o->crop_marks = true;
      else if (!strcmp(opt, "--no-tags"))
        o->no_tags = true;
      else if (!strcmp(opt, "--pdfa"))
        o->pdfa = true;
      else if (!strcmp(opt, "--embed-source"))
        o->embed_source = true;
      else
        return fail(v, "source", "%s records the argument '%s', which anpham render does not take here",
                    AP_EMBED_MANIFEST, opt), false;
    }
    i += takes;
  }
  o->sets = sets;
  o->allow = allow;
  return true;
}

// pdfaid:part, pdfaid:conformance and pdfuaid:part of an XMP packet (as
// elements or as attributes of rdf:Description); false when it does not parse.
static bool
parse_xmp(const unsigned char *text, size_t size, xmp_id_t *id)
{
  static const struct { const char *xpath; size_t offset; } props[] = {
      {"string((//pdfaid:part | //@pdfaid:part)[1])", offsetof(xmp_id_t, part)},
      {"string((//pdfaid:conformance | //@pdfaid:conformance)[1])", offsetof(xmp_id_t, conformance)},
      {"string((//pdfuaid:part | //@pdfuaid:part)[1])", offsetof(xmp_id_t, ua_part)}};
  if (size > INT32_MAX)
    return false;
  xmlDocPtr doc = xmlReadMemory((const char *)text, (int)size, "metadata.xmp", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
  if (!ctx) {
    xmlFreeDoc(doc);
    return false;
  }
  xmlXPathRegisterNs(ctx, BAD_CAST "pdfaid", BAD_CAST "http://www.aiim.org/pdfa/ns/id/");
  xmlXPathRegisterNs(ctx, BAD_CAST "pdfuaid", BAD_CAST "http://www.aiim.org/pdfua/ns/id/");
  for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST props[i].xpath, ctx);
    char *into = (char *)id + props[i].offset;
    snprintf(into, sizeof(id->part), "%s", r && r->stringval ? (const char *)r->stringval : "");
    xmlXPathFreeObject(r);
  }
  xmlXPathFreeContext(ctx);
  xmlFreeDoc(doc);
  return true;
}

// The whole file (NULL, and a failure, when it cannot be read).
static unsigned char *
read_pdf(verifier_t *v, size_t *size)
{
  FILE *fp = fopen(v->pdf, "rb");
  struct stat st;
  unsigned char *bytes = NULL;

  if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_PDF) {
    fail(v, "file", "cannot read it: %s", !fp ? strerror(errno) : "not a regular file of at most 2 GB");
    if (fp)
      fclose(fp);
    return NULL;
  }
  *size = (size_t)st.st_size;
  if (!(bytes = malloc(*size ? *size : 1)) || fread(bytes, 1, *size, fp) != *size) {
    fail(v, "file", "cannot read it: %s", bytes ? "short read" : "out of memory");
    free(bytes);
    bytes = NULL;
  }
  fclose(fp);
  return bytes;
}

// Extract the embedded source into a private folder, render it again
// there (in this process, with the recorded arguments and
// SOURCE_DATE_EPOCH, into memory) and compare with the file's bytes.
static void
render_again(verifier_t *v, const unsigned char *bytes, size_t size)
{
  ap_extracted_t x;
  ap_diags_t diags = {0};
  char dir[4096];
  const char *tmp = getenv("TMPDIR");
  const char *sets[MAX_ARGS], *allow[MAX_ARGS];
  ap_options_t o = {0};
  capture_t again = {0};
  int here = -1;

  // The source, checked, in a folder of its own, its fonts in place...
  dir[0] = '\0';
  if (!ap_extract_read(v->pdf, &x, &diags)) {
    fail(v, "source", "%s", diags.first ? diags.first->message : "cannot read the embedded source");
    goto done;
  }
  snprintf(dir, sizeof(dir), "%s/anpham-verify.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fail(v, "re-render", "cannot make a private folder for the source (%s): %s", dir, strerror(errno));
    dir[0] = '\0';
    goto done;
  }
  if (!ap_extract_write(&x, dir, &diags)) {
    fail(v, "re-render", "%s", diags.first ? diags.first->message : "cannot write the source");
    goto done;
  }
  if (!ap_extract_fonts(&x, dir, v->fonts_dir, &diags)) { // Said as such: a different font is not a damaged archive
    for (ap_diag_t *d = diags.first; d; d = d->next)
      fail(v, "font-files", "%s", d->message);
    goto done;
  }
  if (!options_from(v, x.arguments, &o, sets, allow))
    goto done;

  // ...rendered there with the recorded date (the process's own put back after)...
  const char *was = getenv("SOURCE_DATE_EPOCH");
  char *saved = was ? strdup(was) : NULL;
  if (x.epoch)
    setenv("SOURCE_DATE_EPOCH", x.epoch, 1);
  else
    unsetenv("SOURCE_DATE_EPOCH");
  o.output = "verify.pdf"; // Only names the PDF in messages: it goes to capture()
  o.pdf_sink = capture;
  o.pdf_sink_ctx = &again;
  ap_status_t status = AP_INTERNAL;
  if ((here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0 && chdir(dir) == 0)
    status = ap_run(&o, &diags);
  if (here < 0 || fchdir(here) != 0)
    status = AP_INTERNAL;
  if (saved)
    setenv("SOURCE_DATE_EPOCH", saved, 1);
  else
    unsetenv("SOURCE_DATE_EPOCH");
  free(saved);

  // ...and compared...
  json_object *version = NULL;
  const char *made_by = json_object_object_get_ex(x.manifest, "anpham", &version) ? json_object_get_string(version) : NULL;
  char line[4096] = "", other[256] = "";
  for (ap_diag_t *d = diags.first; d && !line[0]; d = d->next)
    if (d->severity == AP_SEV_ERROR)
      ap_diag_format(d, line, sizeof(line));
  if (made_by && strcmp(made_by, AP_VERSION))
    snprintf(other, sizeof(other), ": the file was made by anpham %s, not this one (%s)", made_by, AP_VERSION);
  if (status != AP_OK) {
    fail(v, "re-render", "the embedded source does not render again: %s", line[0] ? line : "internal error");
  } else if (again.size != size || memcmp(again.bytes, bytes, size)) {
    size_t at = 0;
    while (at < size && at < again.size && again.bytes[at] == bytes[at])
      at++;
    fail(v, "re-render", "the file differs from the PDF its embedded source renders (%zu bytes against %zu, first "
         "difference at byte %zu)%s", size, again.size, at, other);
  }

done:
  if (here >= 0)
    close(here);
  if (dir[0])
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  free(again.bytes);
  ap_diags_clear(&diags);
  ap_extract_free(&x);
}

// nftw: remove one entry of the private folder (symlinks themselves, never what they name).
static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void)st;
  (void)flag;
  (void)ftw;
  remove(path);
  return 0;
}
