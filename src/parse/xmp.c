// XMP packets read for anpham verify: parsed as every XML input is (no
// network, entities or DTD; libxml2 kept quiet), then XPath expressions on
// it with the XMP schemas' prefixes bound.
#include "xmp.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse-xml.h"

static void ignore_error(void *ctx, xmlErrorPtr error);

//
// 'ap_xmp_strings()' - String XPath expressions on an XMP packet.
//

bool
ap_xmp_strings(const void *text, size_t size, const char *const *xpaths, size_t n, char **values)
{
  static const char *const prefixes[][2] = {
      {"rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}, {"dc", "http://purl.org/dc/elements/1.1/"},
      {"pdf", "http://ns.adobe.com/pdf/1.3/"},                {"xmp", "http://ns.adobe.com/xap/1.0/"},
      {"pdfaid", "http://www.aiim.org/pdfa/ns/id/"},          {"pdfuaid", "http://www.aiim.org/pdfua/ns/id/"}};

  if (size > INT32_MAX)
    return false;
  ap_xml_quiet();
  xmlDocPtr doc = xmlReadMemory((const char *)text, (int)size, "metadata.xmp", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlXPathContextPtr ctx = doc ? xmlXPathNewContext(doc) : NULL;
  if (!ctx) {
    xmlFreeDoc(doc);
    return false;
  }
  ctx->error = ignore_error; // A bad expression is a programming error: its result is just ""
  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    xmlXPathRegisterNs(ctx, BAD_CAST prefixes[i][0], BAD_CAST prefixes[i][1]);
  for (size_t i = 0; i < n; i++) {
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpaths[i], ctx);
    values[i] = strdup(r && r->type == XPATH_STRING && r->stringval ? (const char *)r->stringval : "");
    xmlXPathFreeObject(r);
  }
  xmlXPathFreeContext(ctx);
  xmlFreeDoc(doc);
  return true;
}

// XPath's structured error handler: nothing is printed.
static void
ignore_error(void *ctx, xmlErrorPtr error)
{
  (void)ctx;
  (void)error;
}
