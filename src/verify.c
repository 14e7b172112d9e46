// anpham verify, one PDF at a time: the file's own PDF/A-3 and PDF/UA-1
// points (docs/archive.md, "anpham verify"), read with qpdf's C API and,
// for the XMP packet, parse/xmp.c (libxml2 stays in parse/); then its embedded source extracted into a
// private folder (src/extract.c), rendered again in this process with the
// recorded arguments and SOURCE_DATE_EPOCH into memory, and compared byte
// for byte. A file changed by one byte fails the comparison (and, where
// the change breaks the file's structure, qpdf's check). A signed file
// (anpham sign appends incremental updates) is compared up to the end of
// its original revision, and its updates are checked to only sign
// (verify-revisions.c).
#define _XOPEN_SOURCE 700 // nftw
#include "verify.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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
#include "base/datetime.h"
#include "base/number.h"
#include "embed.h"
#include "extract.h"
#include "parse/xmp.h"
#include "qpdf-lazy.h"
#include "verify-revisions.h"

#ifndef AP_VERSION
#define AP_VERSION "0.0.0"
#endif

#define MAX_PDF (2048L << 20) // Bytes of one PDF verified at most
#define MAX_ARGS 32           // --set and --allow-path values of a recorded command, each at most
#define MAX_TREE_DEPTH 32     // Levels of a number tree (/ParentTree /Kids) followed at most

extern const unsigned char ap_srgb_icc[]; // The sRGB ICC profile anpham embeds (generated/srgb-icc.c)
extern const unsigned ap_srgb_icc_size;   // Its size in bytes

// An Info dictionary entry and the XMP property that must say the same.
typedef struct agreement_s {
  const char *info;              // The Info key ("/Title")
  const char *property;          // The XMP property, as named in messages
  const char *xpath;             // Its value in the packet
  bool date;                     // A date: the same instant, not the same text
} agreement_t;

static const agreement_t agreements[] = {
    {"/Title", "dc:title (x-default)", "string((//dc:title//rdf:li[@xml:lang='x-default'])[1])", false},
    {"/Author", "dc:creator", "string((//dc:creator//rdf:li)[1])", false},
    {"/Producer", "pdf:Producer", "string((//pdf:Producer | //@pdf:Producer)[1])", false},
    {"/Creator", "xmp:CreatorTool", "string((//xmp:CreatorTool | //@xmp:CreatorTool)[1])", false},
    {"/Keywords", "pdf:Keywords", "string((//pdf:Keywords | //@pdf:Keywords)[1])", false},
    {"/CreationDate", "xmp:CreateDate", "string((//xmp:CreateDate | //@xmp:CreateDate)[1])", true},
    {"/ModDate", "xmp:ModifyDate", "string((//xmp:ModifyDate | //@xmp:ModifyDate)[1])", true}};
#define NAGREEMENTS (sizeof(agreements) / sizeof(agreements[0]))

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
  char *agreeing[NAGREEMENTS];   // Each agreements[] property's value (malloc'ed; "" when absent)
} xmp_id_t;

// A PDF rendered to memory.
typedef struct capture_s {
  unsigned char *bytes;          // Its bytes (malloc'ed)
  size_t size;                   // How many
} capture_t;

static bool capture(void *ctx, const void *bytes, size_t size);
static void check_agreement(verifier_t *v, qpdf_data q, const xmp_id_t *id);
static bool check_catalog(verifier_t *v, qpdf_data q);
static void check_cid_widths(verifier_t *v, qpdf_data q, qpdf_oh font, int id);
static void check_fonts(verifier_t *v, qpdf_data q);
static void check_header(verifier_t *v, const unsigned char *bytes, size_t size);
static bool check_metadata(verifier_t *v, qpdf_data q, xmp_id_t *id);
static void check_page_tags(verifier_t *v, qpdf_data q, int page, qpdf_oh parent_tree);
static void check_tagging(verifier_t *v, qpdf_data q);
static int count_mcids(const unsigned char *text, size_t len, int *mcids, int room);
static bool instant(const char *text, bool pdf_date, long long *seconds);
static qpdf_oh number_tree_get(qpdf_data q, qpdf_oh tree, int number, int depth);
static void check_structure(verifier_t *v, const unsigned char *bytes, size_t size);
static qpdf_oh key(qpdf_data q, qpdf_oh oh, const char *name);
static void fail(verifier_t *v, const char *point, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool options_from(verifier_t *v, json_object *args, ap_options_t *o, const char **sets, const char **allow);
static bool parse_xmp(const unsigned char *text, size_t size, xmp_id_t *id);
static unsigned char *read_pdf(verifier_t *v, size_t *size);
static void render_again(verifier_t *v, const unsigned char *bytes, size_t size, const ap_revisions_t *rev);
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);

//
// 'ap_verify()' - Verify one PDF.
//

int
ap_verify(const char *pdf, const char *fonts_dir, ap_verify_failure_fn failure, ap_verify_note_fn note, void *ctx)
{
  verifier_t v = {.pdf = pdf, .fonts_dir = fonts_dir, .failure = failure, .ctx = ctx};
  ap_revisions_t rev;
  size_t size = 0;
  unsigned char *bytes = read_pdf(&v, &size);

  if (!bytes)
    return v.failures;
  check_header(&v, bytes, size);
  check_structure(&v, bytes, size);
  v.failures += ap_revisions_check(pdf, bytes, size, &rev, failure, ctx);
  render_again(&v, bytes, size, &rev);
  if (note && rev.count > 1) {
    char what[AP_REVISIONS_NAMES + 256];
    snprintf(what, sizeof(what), "%d signature%s%s%s%s, in %d update%s after the original revision (bytes 0 to %zu, "
             "what the re-render is compared with)", rev.signatures, rev.signatures == 1 ? "" : "s",
             rev.signatures ? " (" : "", rev.names, rev.signatures ? ")" : "", rev.count - 1,
             rev.count == 2 ? "" : "s", rev.original_end);
    note(ctx, pdf, "signatures", what);
  }
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

// The XMP properties that repeat the Info dictionary say the same: the
// same text, or for the dates the same instant (a PDF date against an
// ISO 8601 one); absent from both or present in both.
static void
check_agreement(verifier_t *v, qpdf_data q, const xmp_id_t *id)
{
  qpdf_oh info = key(q, qpdf_get_trailer(q), "/Info");

  for (size_t i = 0; i < NAGREEMENTS; i++) {
    const agreement_t *a = &agreements[i];
    qpdf_oh entry = key(q, info, a->info);
    const char *in_info = qpdf_oh_is_string(q, entry) ? qpdf_oh_get_utf8_value(q, entry) : "";
    const char *in_xmp = id->agreeing[i] ? id->agreeing[i] : "";
    long long t_info = 0, t_xmp = 0;

    if (!*in_info && !*in_xmp)
      continue;
    if (!*in_info || !*in_xmp)
      fail(v, "metadata", "%s is '%s' but the Info dictionary's %s is '%s': expected both, with the same %s",
           a->property, in_xmp, a->info, in_info, a->date ? "instant" : "text");
    else if (!a->date && strcmp(in_info, in_xmp))
      fail(v, "metadata", "%s is '%s' but the Info dictionary's %s is '%s': expected the same text", a->property,
           in_xmp, a->info, in_info);
    else if (a->date && !instant(in_info, true, &t_info))
      fail(v, "metadata", "the Info dictionary's %s '%s' is not a PDF date (expected D:YYYYMMDDHHmmSS+HH'mm')",
           a->info, in_info);
    else if (a->date && !instant(in_xmp, false, &t_xmp))
      fail(v, "metadata", "%s '%s' is not an ISO 8601 date (expected YYYY-MM-DDTHH:mm:SS+HH:mm)", a->property,
           in_xmp);
    else if (a->date && t_info != t_xmp)
      fail(v, "metadata", "%s is %s but the Info dictionary's %s is %s: expected the same instant", a->property,
           in_xmp, a->info, in_info);
  }
}

// The catalog's points: no encryption, a document /ID, the metadata, its
// identification and its agreement with Info, the output intent and its
// profile, tagging (conformance A), /Lang, and the associated files that
// carry the source. True when the file is held to conformance A.
static bool
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
  if (parsed)
    check_agreement(v, q, &id);
  for (size_t i = 0; i < NAGREEMENTS; i++)
    free(id.agreeing[i]);

  // ...the output intent...
  qpdf_oh intents = key(q, root, "/OutputIntents");
  bool intent = false;
  qpdf_oh profile = qpdf_oh_new_null(q);
  for (int i = 0; !intent && qpdf_oh_is_array(q, intents) && i < qpdf_oh_get_array_n_items(q, intents); i++) {
    qpdf_oh oi = qpdf_oh_get_array_item(q, intents, i);
    profile = key(q, oi, "/DestOutputProfile");
    qpdf_oh n = key(q, profile, "/N");
    intent = qpdf_oh_is_name_and_equals(q, key(q, oi, "/S"), "/GTS_PDFA1") &&
             qpdf_oh_is_stream(q, profile) && qpdf_oh_is_integer(q, n) && qpdf_oh_get_int_value(q, n) == 3;
  }
  if (!intent)
    fail(v, "output-intent", "no /OutputIntents entry with /S /GTS_PDFA1 and an ICC profile stream of /N 3 (sRGB)");
  unsigned char *icc = NULL;
  size_t icc_size = 0;
  if (intent && (qpdf_oh_get_stream_data(q, profile, qpdf_dl_generalized, NULL, &icc, &icc_size) & QPDF_ERRORS))
    fail(v, "output-intent", "the ICC profile stream of the output intent cannot be read");
  else if (intent && (icc_size != ap_srgb_icc_size || memcmp(icc, ap_srgb_icc, icc_size)))
    fail(v, "output-intent", "the output intent's ICC profile (%zu bytes) is not the sRGB profile anpham embeds "
         "(%u bytes, from icc-profiles-free's sRGB.icc)", icc_size, ap_srgb_icc_size);
  free(icc);

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
  return tagged;
}

// A CIDFontType2's /W gives a width to exactly the CIDs its /CIDToGIDMap
// stream maps, but CID 0 (.notdef, whose width is /DW): CIDs 1 to n - 1
// for a map of n CIDs (2n bytes), each once. An /Identity map names no
// count and is not checked.
static void
check_cid_widths(verifier_t *v, qpdf_data q, qpdf_oh font, int id)
{
  qpdf_oh map = key(q, font, "/CIDToGIDMap"), w = key(q, font, "/W"), base = key(q, font, "/BaseFont");
  const char *name = qpdf_oh_is_name(q, base) ? qpdf_oh_get_name(q, base) : "?";
  unsigned char *bytes = NULL;
  size_t len = 0;

  if (!qpdf_oh_is_stream(q, map))
    return;
  if ((qpdf_oh_get_stream_data(q, map, qpdf_dl_generalized, NULL, &bytes, &len) & QPDF_ERRORS) || len % 2 ||
      len > 2 * 65536) {
    free(bytes);
    fail(v, "fonts", "the /CIDToGIDMap of the font %s (object %d) cannot be read or is not 2 bytes a CID", name, id);
    return;
  }
  free(bytes);
  int cids = (int)(len / 2), widths = 0, n = qpdf_oh_is_array(q, w) ? qpdf_oh_get_array_n_items(q, w) : 0;
  bool *seen = calloc((size_t)cids + 1, sizeof(bool)), ok = seen != NULL;

  // /W: c [w1 w2 …] (CIDs c, c+1…) or c_first c_last w...
  for (int i = 0; ok && i < n;) {
    qpdf_oh first = qpdf_oh_get_array_item(q, w, i), next = qpdf_oh_get_array_item(q, w, i + 1);
    long long from = qpdf_oh_is_integer(q, first) ? qpdf_oh_get_int_value(q, first) : -1, to = -1;
    if (from >= 0 && qpdf_oh_is_array(q, next)) {
      to = from + qpdf_oh_get_array_n_items(q, next) - 1;
      i += 2;
    } else if (from >= 0 && qpdf_oh_is_integer(q, next) && i + 2 < n) {
      to = qpdf_oh_get_int_value(q, next);
      i += 3;
    } else {
      ok = false;
      break;
    }
    for (long long c = from; ok && c <= to; c++, widths++)
      ok = c >= 1 && c < cids && !seen[c] && (seen[c] = true);
  }
  free(seen);

  // ...as many widths as CIDs mapped, each once.
  if (!ok || widths != cids - 1)
    fail(v, "fonts", "the /W of the font %s (object %d) %s: expected one width for each of CIDs 1 to %d (its "
         "/CIDToGIDMap maps %d CIDs; CID 0 takes /DW)", name, id,
         !ok ? "is malformed or gives a CID outside the map, or one twice" : "does not give as many widths",
         cids - 1, cids);
}

// Every font embedded as anpham embeds them, TrueType: each simple or CID
// font has a /FontDescriptor, and every font descriptor its /FontFile2;
// every Type 0 font a /ToUnicode CMap stream; every CIDFontType2 a /W
// that agrees with its /CIDToGIDMap. Type 3 fonts are their own glyphs.
static void
check_fonts(verifier_t *v, qpdf_data q)
{
  qpdf_oh size = key(q, qpdf_get_trailer(q), "/Size");
  int n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value_as_int(q, size) : 0;

  for (int id = 1; id < n; id++) {
    qpdf_oh obj = qpdf_get_object_by_id(q, id, 0), type = key(q, obj, "/Type"), subtype = key(q, obj, "/Subtype");
    qpdf_oh base = key(q, obj, "/BaseFont"), fd = key(q, obj, "/FontDescriptor");
    const char *name = qpdf_oh_is_name(q, base) ? qpdf_oh_get_name(q, base) : "?";
    bool dict = qpdf_oh_is_dictionary(q, obj), font = dict && qpdf_oh_is_name_and_equals(q, type, "/Font");
    bool type0 = font && qpdf_oh_is_name_and_equals(q, subtype, "/Type0");

    if (font && !type0 && !qpdf_oh_is_name_and_equals(q, subtype, "/Type3") &&
        !qpdf_oh_is_stream(q, key(q, fd, "/FontFile2")))
      fail(v, "fonts", "the font %s (object %d) is not embedded: %s", name, id,
           qpdf_oh_is_dictionary(q, fd) ? "its /FontDescriptor has no /FontFile2 (a TrueType program)"
                                        : "it has no /FontDescriptor");
    if (dict && qpdf_oh_is_name_and_equals(q, type, "/FontDescriptor") &&
        !qpdf_oh_is_stream(q, key(q, obj, "/FontFile2"))) {
      qpdf_oh fname = key(q, obj, "/FontName");
      fail(v, "fonts", "the font descriptor of %s (object %d) has no /FontFile2: the font program is not embedded",
           qpdf_oh_is_name(q, fname) ? qpdf_oh_get_name(q, fname) : "?", id);
    }
    if (type0 && !qpdf_oh_is_stream(q, key(q, obj, "/ToUnicode")))
      fail(v, "fonts", "the Type 0 font %s (object %d) has no /ToUnicode CMap stream: its text cannot be read back",
           name, id);
    if (font && qpdf_oh_is_name_and_equals(q, subtype, "/CIDFontType2"))
      check_cid_widths(v, q, obj, id);
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

// One page of a tagged file: its /StructParents has a /ParentTree entry,
// an array with one element per marked-content sequence; the page's
// content (its streams decoded and joined) uses each MCID once, as many
// as the array holds, each an index into it.
static void
check_page_tags(verifier_t *v, qpdf_data q, int page, qpdf_oh parent_tree)
{
  qpdf_oh oh = qpdf_get_page_n(q, (size_t)page), sp = key(q, oh, "/StructParents");
  unsigned char *content = NULL;
  size_t len = 0;
  int mcids[4096];

  if (!qpdf_oh_is_integer(q, sp)) {
    fail(v, "tagged", "page %d has no /StructParents: its marked content is tied to no structure", page + 1);
    return;
  }
  int k = qpdf_oh_get_int_value_as_int(q, sp);
  qpdf_oh parents = number_tree_get(q, parent_tree, k, 0);
  if (!qpdf_oh_is_array(q, parents)) {
    fail(v, "tagged", "page %d: the /ParentTree has no array for its /StructParents %d", page + 1, k);
    return;
  }
  if (qpdf_oh_get_page_content_data(q, oh, &content, &len) & QPDF_ERRORS) {
    free(content);
    fail(v, "tagged", "page %d: its content streams cannot be decoded", page + 1);
    return;
  }
  int n = count_mcids(content, len, mcids, (int)(sizeof(mcids) / sizeof(mcids[0])));
  int expected = qpdf_oh_get_array_n_items(q, parents);
  free(content);
  if (n < 0) {
    fail(v, "tagged", "page %d uses more than %zu MCIDs (at most that many are checked)", page + 1,
         sizeof(mcids) / sizeof(mcids[0]));
    return;
  }
  if (n != expected)
    fail(v, "tagged", "page %d: its content has %d marked-content sequences with an MCID, its /ParentTree array "
         "(/StructParents %d) %d: expected as many", page + 1, n, k, expected);
  for (int i = 0; i < n; i++) {
    bool twice = false;
    for (int j = 0; j < i && !twice; j++)
      twice = mcids[j] == mcids[i];
    if (twice)
      fail(v, "tagged", "page %d uses /MCID %d twice: expected each marked-content sequence its own", page + 1,
           mcids[i]);
    else if (mcids[i] >= expected)
      fail(v, "tagged", "page %d: /MCID %d has no entry in its /ParentTree array (of %d)", page + 1, mcids[i],
           expected);
  }
}

// Conformance A: every page's marked content tied to the structure tree
// through the /ParentTree (check_page_tags()).
static void
check_tagging(verifier_t *v, qpdf_data q)
{
  int pages = qpdf_get_num_pages(q);
  if (pages < 0) {
    fail(v, "tagged", "qpdf cannot list the pages");
    return;
  }
  for (int page = 0; page < pages; page++) {
    qpdf_oh tree = key(q, key(q, qpdf_get_root(q), "/StructTreeRoot"), "/ParentTree");
    if (!qpdf_oh_is_dictionary(q, tree)) {
      fail(v, "tagged", "the /StructTreeRoot has no /ParentTree: no page's content is tied to the structure");
      return;
    }
    check_page_tags(v, q, page, tree);
    qpdf_oh_release_all(q); // Handles pile up otherwise, one page after the other
  }
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
  bool tagged = check_catalog(v, q);
  check_fonts(v, q);
  if (tagged)
    check_tagging(v, q);
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

// The MCIDs of decoded page content, in order: the integer after each
// /MCID name (a BDC's properties), strings and comments skipped (a
// string could hold the letters "/MCID"). qpdf's C API has no content
// tokenizer, and this needs only names apart from strings. The count, or
// -1 when there are more than room.
static int
count_mcids(const unsigned char *text, size_t len, int *mcids, int room)
{
  int n = 0, depth;

  for (size_t i = 0; i < len; i++) {
    unsigned char c = text[i];
    if (c == '(') { // A literal string: balanced parentheses, backslash escapes
      for (depth = 1, i++; i < len && depth; i++)
        if (text[i] == '\\')
          i++;
        else
          depth += (text[i] == '(') - (text[i] == ')');
      i--;
    } else if (c == '<' && i + 1 < len && text[i + 1] != '<') { // A hex string
      while (i < len && text[i] != '>')
        i++;
    } else if (c == '<') { // A dictionary opens
      i++;
    } else if (c == '%') { // A comment, to the end of the line
      while (i < len && text[i] != '\n' && text[i] != '\r')
        i++;
    } else if (c == '/' && len - i > 5 && !memcmp(text + i, "/MCID", 5) &&
               (i + 5 == len || strchr(" \t\r\n\f", text[i + 5]) || text[i + 5] == '\0')) {
      size_t j = i + 5;
      long value = 0;
      while (j < len && strchr(" \t\r\n\f", text[j]) && text[j])
        j++;
      size_t digits = j;
      while (j < len && text[j] >= '0' && text[j] <= '9' && value < 1000000)
        value = value * 10 + (text[j++] - '0');
      if (j == digits)
        continue; // Not an integer: not an MCID
      if (n == room)
        return -1;
      mcids[n++] = (int)value;
      i = j - 1;
    }
  }
  return n;
}

// The instant of a PDF date (D:YYYYMMDDHHmmSS, then Z or ±HH'mm'; later
// parts may be left out) or of an ISO 8601 date-time, as seconds since
// 1970 UTC; false when the text is neither.
static bool
instant(const char *text, bool pdf_date, long long *seconds)
{
  char iso[64];
  ap_datetime_t d;

  if (pdf_date) { // As ISO 8601 text, the missing parts their defaults
    const char *s = text, *zone = "Z";
    char part[6][3] = {"01", "01", "00", "00", "00", ""};
    char zh[3] = "00", zm[3] = "00";
    if (strncmp(s, "D:", 2) || strspn(s + 2, "0123456789") < 4)
      return false;
    s += 6;
    for (int p = 0; p < 5 && s[0] >= '0' && s[0] <= '9'; p++, s += 2) {
      if (!(s[1] >= '0' && s[1] <= '9'))
        return false;
      part[p][0] = s[0], part[p][1] = s[1];
    }
    if (*s == '+' || *s == '-') {
      zone = *s == '+' ? "+" : "-";
      if (strspn(s + 1, "0123456789") < 2)
        return false;
      memcpy(zh, s + 1, 2);
      s += 3;
      if (*s == '\'' && strspn(s + 1, "0123456789") >= 2) {
        memcpy(zm, s + 1, 2);
        s += 3;
      }
      if (*s == '\'')
        s++;
    } else if (*s == 'Z') {
      s++;
      if (*s == '\'') // Z00'00'
        s += strspn(s, "0123456789'");
    }
    if (*s)
      return false;
    if (zone[0] == 'Z')
      snprintf(iso, sizeof(iso), "%.4s-%s-%sT%s:%s:%sZ", text + 2, part[0], part[1], part[2], part[3], part[4]);
    else
      snprintf(iso, sizeof(iso), "%.4s-%s-%sT%s:%s:%s%s%s:%s", text + 2, part[0], part[1], part[2], part[3], part[4],
               zone, zh, zm);
    text = iso;
  }
  if (!ap_datetime_parse(text, &d))
    return false;

  // Days since 1970-01-01 of the civil date (proleptic Gregorian), then the time, less the zone.
  long long y = d.year - (d.month <= 2), era = y / 400;
  long long yoe = y - era * 400, mp = (d.month + 9) % 12;
  long long doy = (153 * mp + 2) / 5 + d.day - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  long long days = era * 146097 + doe - 719468;
  *seconds = days * 86400 + d.hour * 3600 + d.minute * 60 + d.second - d.offset * 60LL;
  return true;
}

// The value of a number tree (/Nums pairs, /Kids below) for one key;
// null when the tree does not hold it.
static qpdf_oh
number_tree_get(qpdf_data q, qpdf_oh tree, int number, int depth)
{
  qpdf_oh nums = key(q, tree, "/Nums"), kids = key(q, tree, "/Kids");

  for (int i = 0; qpdf_oh_is_array(q, nums) && i + 1 < qpdf_oh_get_array_n_items(q, nums); i += 2) {
    qpdf_oh k = qpdf_oh_get_array_item(q, nums, i);
    if (qpdf_oh_is_integer(q, k) && qpdf_oh_get_int_value(q, k) == number)
      return qpdf_oh_get_array_item(q, nums, i + 1);
  }
  for (int i = 0; depth < MAX_TREE_DEPTH && qpdf_oh_is_array(q, kids) && i < qpdf_oh_get_array_n_items(q, kids); i++) {
    qpdf_oh found = number_tree_get(q, qpdf_oh_get_array_item(q, kids, i), number, depth + 1);
    if (!qpdf_oh_is_null(q, found))
      return found;
  }
  return qpdf_oh_new_null(q);
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
// elements or as attributes of rdf:Description), and the properties that
// repeat the Info dictionary; false when it does not parse.
static bool
parse_xmp(const unsigned char *text, size_t size, xmp_id_t *id)
{
  const char *xpaths[3 + NAGREEMENTS] = {"string((//pdfaid:part | //@pdfaid:part)[1])",
                                         "string((//pdfaid:conformance | //@pdfaid:conformance)[1])",
                                         "string((//pdfuaid:part | //@pdfuaid:part)[1])"};
  char *values[3 + NAGREEMENTS] = {0};
  char *ids[3] = {id->part, id->conformance, id->ua_part};

  for (size_t i = 0; i < NAGREEMENTS; i++)
    xpaths[3 + i] = agreements[i].xpath;
  if (!ap_xmp_strings(text, size, xpaths, 3 + NAGREEMENTS, values))
    return false;
  for (size_t i = 0; i < 3; i++) {
    snprintf(ids[i], sizeof(id->part), "%s", values[i] ? values[i] : "");
    free(values[i]);
  }
  for (size_t i = 0; i < NAGREEMENTS; i++)
    id->agreeing[i] = values[3 + i]; // NULL (out of memory): as absent
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
// SOURCE_DATE_EPOCH, into memory) and compare with the file's bytes: all
// of them, or for a signed file (rev->count > 1) those of its original
// revision, to its %%EOF (the end-of-line after it the render's or the
// first update's).
static void
render_again(verifier_t *v, const unsigned char *bytes, size_t size, const ap_revisions_t *rev)
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
  } else if (rev->count > 1 && (again.size < rev->original_marker || again.size > rev->original_end ||
                                  memcmp(again.bytes, bytes, again.size))) {
    size_t at = 0;
    while (at < rev->original_end && at < again.size && again.bytes[at] == bytes[at])
      at++;
    fail(v, "re-render", "the original revision (bytes 0 to %zu, before the %d %s) differs from the PDF its "
         "embedded source renders (%zu bytes against %zu, first difference at byte %zu)%s", rev->original_end,
         rev->count - 1, rev->count == 2 ? "update that signs it" : "updates that sign it", rev->original_end,
         again.size, at, other);
  } else if (rev->count <= 1 && (again.size != size || memcmp(again.bytes, bytes, size))) {
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
