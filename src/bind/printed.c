// Printed text of data: a <sic corr="…"> element keeps a typo of the source
// in the data and prints its correction; every other node prints its text.
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <string.h>

static void append_printed(xmlNodePtr n, xmlBufferPtr out);
static bool has_sic(xmlNodePtr n);

//
// 'ap_bind_sic_corr()' - The correction a data element prints instead of its
//                        text: corr= of a <sic>, NULL for any other node
//                        (and for a <sic> without corr=, which prints its text).
//
// The caller frees the result with xmlFree().
//

xmlChar *                               // O - Correction, or NULL
ap_bind_sic_corr(xmlNodePtr n)          // I - Data node
{
  if (!n || n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "sic"))
    return NULL;
  return xmlGetProp(n, (const xmlChar *)"corr");
}

//
// 'ap_bind_string()' - String value of an XPath result as printed.
//
// As XPath's string(): the first node of a node set in document order, a
// number or boolean cast; inside that node each <sic corr="…"> counts as
// its correction. The caller frees the result with xmlFree().
//

xmlChar *                               // O - Text, never NULL but when out of memory
ap_bind_string(xmlXPathObjectPtr obj)   // I - Result of an evaluation
{
  if (!obj || obj->type != XPATH_NODESET || !obj->nodesetval || obj->nodesetval->nodeNr == 0)
    return xmlXPathCastToString(obj);

  // The first node in document order; without a <sic> inside, XPath's own value...
  xmlXPathNodeSetSort(obj->nodesetval);
  xmlNodePtr first = obj->nodesetval->nodeTab[0];
  if (!has_sic(first))
    return xmlXPathCastToString(obj);
  xmlBufferPtr out = xmlBufferCreate();
  if (!out)
    return NULL;
  append_printed(first, out);
  xmlChar *s = xmlStrdup(xmlBufferContent(out));
  xmlBufferFree(out);
  return s;
}

// Append the printed text of a node (its text, each <sic> as its correction).
static void
append_printed(xmlNodePtr n, xmlBufferPtr out)
{
  xmlChar *corr = ap_bind_sic_corr(n);
  if (corr) {
    xmlBufferCat(out, corr);
    xmlFree(corr);
    return;
  }
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (n->content)
      xmlBufferCat(out, n->content);
    return;
  }
  if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
    return;
  for (xmlNodePtr c = n->children; c; c = c->next)
    append_printed(c, out);
}

// True when a node is, or holds, a <sic> element.
static bool
has_sic(xmlNodePtr n)
{
  if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, "sic"))
    return true;
  if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE)
    return false;
  for (xmlNodePtr c = n->children; c; c = c->next)
    if (has_sic(c))
      return true;
  return false;
}
