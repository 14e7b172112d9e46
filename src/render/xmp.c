// The XMP packet of a PDF/A-3 archive: dc, pdf and xmp properties that
// agree with the Info dictionary, the PDF/A (and PDF/UA) identification,
// the Nghị định 30/2020 document metadata under anpham's vbhc schema, and
// the PDF/A extension schema descriptions those custom properties need.
//
// Output, not parsing: a small writer that escapes the five XML special
// characters and drops the control characters XML 1.0 forbids. (Render
// links libharu only; libxml2 stays in parse and bind, and a test parses
// every packet with xmllint.)
#include "render-private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_VBHC "https://anpham.vn/ns/vbhc/1.0/" // anpham's schema of NĐ 30/2020 Phụ lục VI

typedef struct text_s {
  char *bytes;   // Text so far (malloc'ed, NUL-terminated)
  size_t size;   // Its length
  size_t room;   // Allocated
  bool failed;   // Out of memory: the text is lost
} text_t;

typedef struct property_s {
  const char *name;        // Property name (without prefix)
  const char *type;        // XMP value type (Text, Date, Integer)
  const char *category;    // "internal" (made by the writer) or "external" (the document's)
  const char *description; // What it holds
} property_t;

static void add(text_t *t, const char *bytes, size_t n);
static void addf(text_t *t, const char *format, ...);
static void add_escaped(text_t *t, const char *s);
static void add_lang_alt(text_t *t, const char *name, const char *value);
static void add_schema(text_t *t, const char *title, const char *uri, const char *prefix,
                       const property_t *props, size_t nprops);
static void add_simple(text_t *t, const char *name, const char *value);

//
// 'ap_render_xmp()' - Write the XMP packet of an archive.
//
// Each property only when its value is known; the dates in the ISO 8601
// form of the same instant the Info dictionary holds.
//

char *                                          // O - Packet (malloc'ed), NULL when out of memory
ap_render_xmp(const ap_pages_t *info,           // I - Document information (as in Info)
              const ap_render_archive_t *a,     // I - Archive settings and NĐ 30 metadata
              size_t *size)                     // O - Bytes of the packet
{
  static const property_t pdfua[] = {
      {"part", "Integer", "internal", "Part of ISO 14289 (PDF/UA) the document conforms to"}};
  static const property_t vbhc[] = {
      {"issuer", "Text", "external", "Cơ quan, tổ chức ban hành văn bản (issuing body)"},
      {"number", "Text", "external", "Số, ký hiệu văn bản (document number and symbol)"},
      {"issueDate", "Date", "external", "Ngày, tháng, năm ban hành văn bản (issue date)"},
      {"docType", "Text", "external", "Tên loại văn bản (document type)"},
      {"subject", "Text", "external", "Trích yếu nội dung (subject)"},
      {"signerPosition", "Text", "external", "Chức vụ của người ký (signer's position)"},
      {"signerName", "Text", "external", "Họ và tên người ký (signer's name)"}};
  text_t t = {0};                               // Packet
  char date[AP_DATETIME_ISO], issued[AP_DATETIME_ISO]; // The PDF's date; the issue date
  const char *vbhc_values[7];                   // The vbhc properties' values, NULL when absent
  bool any_vbhc = false;

  if (a->dated)
    ap_datetime_iso(&a->date, /*date_alone*/ false, date);
  if (a->issued)
    ap_datetime_iso(&a->issue_date, /*date_alone*/ true, issued);
  vbhc_values[0] = a->issuer, vbhc_values[1] = a->number, vbhc_values[2] = a->issued ? issued : NULL;
  vbhc_values[3] = a->doc_type, vbhc_values[4] = info->subject, vbhc_values[5] = a->signer_position;
  vbhc_values[6] = a->signer;
  for (int i = 0; i < 7; i++)
    any_vbhc = any_vbhc || (vbhc_values[i] && *vbhc_values[i] && i != 4);

  // The packet, the description of the document and its namespaces...
  addf(&t, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
           "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
           " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
           "  <rdf:Description rdf:about=\"\"\n"
           "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
           "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
           "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
           "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"%s%s>\n",
       a->tagged ? "\n    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"" : "",
       any_vbhc ? "\n    xmlns:vbhc=\"" NS_VBHC "\"" : "");

  // ...Dublin Core, PDF and XMP basic (the Info dictionary's entries)...
  add_simple(&t, "dc:format", "application/pdf");
  add_lang_alt(&t, "dc:title", info->title);
  if (info->author && *info->author) {
    addf(&t, "   <dc:creator><rdf:Seq><rdf:li>");
    add_escaped(&t, info->author);
    addf(&t, "</rdf:li></rdf:Seq></dc:creator>\n");
  }
  add_lang_alt(&t, "dc:description", info->subject);
  add_simple(&t, "pdf:Keywords", info->keywords);
  add_simple(&t, "pdf:Producer", "anpham");
  add_simple(&t, "xmp:CreatorTool", info->creator);
  if (a->dated) {
    add_simple(&t, "xmp:CreateDate", date);
    add_simple(&t, "xmp:ModifyDate", date);
    add_simple(&t, "xmp:MetadataDate", date);
  }

  // ...the conformance claimed, and the NĐ 30 metadata...
  add_simple(&t, "pdfaid:part", "3");
  add_simple(&t, "pdfaid:conformance", a->tagged ? "A" : "B");
  if (a->tagged)
    add_simple(&t, "pdfuaid:part", "1");
  for (int i = 0; any_vbhc && i < 7; i++) {
    char name[32];
    snprintf(name, sizeof(name), "vbhc:%s", vbhc[i].name);
    add_simple(&t, name, vbhc_values[i]);
  }
  addf(&t, "  </rdf:Description>\n");

  // ...and the extension schemas PDF/A requires for properties of its own.
  if (a->tagged || any_vbhc) {
    addf(&t, "  <rdf:Description rdf:about=\"\"\n"
             "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
             "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
             "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
             "   <pdfaExtension:schemas>\n    <rdf:Bag>\n");
    if (a->tagged)
      add_schema(&t, "PDF/UA Universal Accessibility Schema", "http://www.aiim.org/pdfua/ns/id/", "pdfuaid", pdfua,
                 sizeof(pdfua) / sizeof(pdfua[0]));
    if (any_vbhc)
      add_schema(&t, "Văn bản hành chính: Nghị định 30/2020/NĐ-CP, Phụ lục VI (anpham)", NS_VBHC, "vbhc", vbhc,
                 sizeof(vbhc) / sizeof(vbhc[0]));
    addf(&t, "    </rdf:Bag>\n   </pdfaExtension:schemas>\n  </rdf:Description>\n");
  }
  addf(&t, " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");

  if (t.failed) {
    free(t.bytes);
    return NULL;
  }
  *size = t.size;
  return t.bytes;
}

// Append n bytes.
static void
add(text_t *t, const char *bytes, size_t n)
{
  if (t->failed)
    return;
  if (t->size + n + 1 > t->room) {
    size_t room = t->room ? t->room * 2 : 4096;
    while (room < t->size + n + 1)
      room *= 2;
    char *grown = realloc(t->bytes, room);
    if (!grown) {
      t->failed = true;
      return;
    }
    t->bytes = grown;
    t->room = room;
  }
  memcpy(t->bytes + t->size, bytes, n);
  t->size += n;
  t->bytes[t->size] = '\0';
}

// Append formatted markup (never data: data goes through add_escaped()).
static void
addf(text_t *t, const char *format, ...)
{
  char small[1024];
  va_list ap;
  va_start(ap, format);
  int n = vsnprintf(small, sizeof(small), format, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof(small)) {
    t->failed = true; // Markup is short: a longer one is a bug
    return;
  }
  add(t, small, (size_t)n);
}

// Append text as XML character data: & < > " ' as entities, the C0
// controls XML 1.0 forbids (all but tab, newline, return) left out.
static void
add_escaped(text_t *t, const char *s)
{
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    switch (c) {
    case '&':
      add(t, "&amp;", 5);
      break;
    case '<':
      add(t, "&lt;", 4);
      break;
    case '>':
      add(t, "&gt;", 4);
      break;
    case '"':
      add(t, "&quot;", 6);
      break;
    case '\'':
      add(t, "&apos;", 6);
      break;
    default:
      if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
        add(t, p, 1);
    }
  }
}

// A language alternative (dc:title, dc:description): x-default first, as
// XMP wants, then the same text as Vietnamese.
static void
add_lang_alt(text_t *t, const char *name, const char *value)
{
  static const char *const langs[] = {"x-default", "vi"};
  if (!value || !*value)
    return;
  addf(t, "   <%s><rdf:Alt>", name);
  for (int i = 0; i < 2; i++) {
    addf(t, "<rdf:li xml:lang=\"%s\">", langs[i]);
    add_escaped(t, value);
    addf(t, "</rdf:li>");
  }
  addf(t, "</rdf:Alt></%s>\n", name);
}

// One pdfaExtension:schemas entry: a schema and its properties.
static void
add_schema(text_t *t, const char *title, const char *uri, const char *prefix, const property_t *props, size_t nprops)
{
  addf(t, "     <rdf:li rdf:parseType=\"Resource\">\n");
  add_simple(t, "   pdfaSchema:schema", title);
  add_simple(t, "   pdfaSchema:namespaceURI", uri);
  add_simple(t, "   pdfaSchema:prefix", prefix);
  addf(t, "       <pdfaSchema:property>\n        <rdf:Seq>\n");
  for (size_t i = 0; i < nprops; i++) {
    addf(t, "         <rdf:li rdf:parseType=\"Resource\">\n");
    add_simple(t, "       pdfaProperty:name", props[i].name);
    add_simple(t, "       pdfaProperty:valueType", props[i].type);
    add_simple(t, "       pdfaProperty:category", props[i].category);
    add_simple(t, "       pdfaProperty:description", props[i].description);
    addf(t, "         </rdf:li>\n");
  }
  addf(t, "        </rdf:Seq>\n       </pdfaSchema:property>\n     </rdf:li>\n");
}

// <name>value</name> on its own line, when value is given. Leading spaces
// of name indent the element further.
static void
add_simple(text_t *t, const char *name, const char *value)
{
  size_t indent = strspn(name, " ");
  if (!value || !*value)
    return;
  addf(t, "   %.*s<%s>", (int)indent, name, name + indent);
  add_escaped(t, value);
  addf(t, "</%s>\n", name + indent);
}
