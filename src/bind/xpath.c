// XPath evaluation for bind: one context per bind, quiet (every error is
// kept for the one diagnostic, libxml2 prints nothing), and a budget of
// steps per expression so that no expression runs for ever (docs/limits.md).
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <string.h>

#define SHOWN_EXPR 60 // Longest expression quoted whole in a message (bytes)

static void keep_error(void *data, xmlErrorPtr err);
static const char *shorten(const char *expr, char *buf, size_t size);

//
// 'ap_bind_eval()' - Evaluate an XPath expression at a context node.
//
// Each evaluation may take AP_XPATH_MAX_STEPS steps (libxml2 counts one
// per node visited and per operation); libxml2 itself limits the nesting
// of an expression (brackets, predicates, operators).
//

xmlXPathObjectPtr
ap_bind_eval(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc)
{
  char shown[SHOWN_EXPR + 8]; // The expression as quoted
  char stray[256];            // What libxml2 said outside the context (an unknown function's name)

  b->xpath->node = ctx;
  b->xpath->opCount = 0;
  b->xpath->opLimit = AP_XPATH_MAX_STEPS;
  b->xpath_error[0] = '\0';
  b->xpath_code = 0;
  ap_xml_stray(stray, sizeof(stray));
  xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, b->xpath);
  { static unsigned long most; if (b->xpath->opCount > most) { most = b->xpath->opCount; fprintf(stderr, "OPS %lu %s\n", most, expr); } } // MEASURE
  if (obj)
    return obj;

  // Say what failed, in the expression's own terms...
  shorten(expr, shown, sizeof(shown));
  ap_xml_stray(stray, sizeof(stray));
  switch (b->xpath_code) {
  case XML_XPATH_EXPRESSION_OK + XPATH_OP_LIMIT_EXCEEDED:
    ap_fail(b->diags, loc, "XPath expression '%s' needs more than %d steps: simplify it (anpham stops an "
            "expression after %d nodes visited)", shown, AP_XPATH_MAX_STEPS, AP_XPATH_MAX_STEPS);
    break;
  case XML_XPATH_EXPRESSION_OK + XPATH_RECURSION_LIMIT_EXCEEDED:
    ap_fail(b->diags, loc, "XPath expression '%s' is nested too deeply: expected fewer than %d levels of "
            "nested brackets and predicates", shown, AP_XPATH_MAX_NESTING);
    break;
  case XML_XPATH_UNKNOWN_FUNC_ERROR: {
    // libxml2 names the function only in a message of its own...
    const char *name = strstr(stray, "function ");
    const char *end = name ? strstr(name, " not found") : NULL;
    if (name && end)
      ap_fail(b->diags, loc, "invalid XPath expression '%s': there is no function %.*s(): expected an XPath 1.0 "
              "function such as count(), sum(), concat() or substring()", shown,
              (int)(end - name - 9), name + 9);
    else
      ap_fail(b->diags, loc, "invalid XPath expression '%s': %s", shown, b->xpath_error);
    break;
  }
  default:
    ap_fail(b->diags, loc, "invalid XPath expression '%s': %s", shown,
            b->xpath_error[0] ? b->xpath_error : "evaluation failed");
    break;
  }
  return NULL;
}

//
// 'ap_bind_xpath_new()' - The XPath context of a bind, on its data.
//

xmlXPathContextPtr
ap_bind_xpath_new(ap_binder_t *b)
{
  ap_xml_quiet();
  xmlXPathContextPtr xpath = xmlXPathNewContext(b->data);
  if (!xpath)
    return NULL;
  xpath->error = keep_error;
  xpath->userData = b;
  xpath->opLimit = AP_XPATH_MAX_STEPS;
  return xpath;
}

// XPath errors are kept for the one diagnostic, never printed by libxml2.
// libxml2 2.9 leaves err->message empty for them: the code says what failed
// and int1 where in the expression.
static void
keep_error(void *data, xmlErrorPtr err)
{
  static const char *const what[] = {
      "ok", "a malformed number", "a string without its closing quote", "a string was expected",
      "a malformed variable reference", "an undefined variable", "an invalid predicate",
      "an invalid expression", "a bracket or parenthesis left open", "an unknown function",
      "an operand of the wrong type", "a value of the wrong type", "a wrong number of arguments",
      "an invalid context size", "an invalid context position", "out of memory"};
  ap_binder_t *b = data;

  if (!err || b->xpath_error[0])
    return;
  int code = err->code - XML_XPATH_EXPRESSION_OK;
  b->xpath_code = err->code;
  if (err->message && *err->message)
    snprintf(b->xpath_error, sizeof(b->xpath_error), "%s", err->message);
  else if (code > 0 && code < (int)(sizeof(what) / sizeof(what[0])))
    snprintf(b->xpath_error, sizeof(b->xpath_error), "%s at character %d", what[code], err->int1 + 1);
  else
    snprintf(b->xpath_error, sizeof(b->xpath_error), "libxml2 error %d", err->code);
  size_t n = strlen(b->xpath_error);
  while (n > 0 && b->xpath_error[n - 1] == '\n')
    b->xpath_error[--n] = '\0';
}

// The expression for a message: whole when short, else its start and "..."
// (cut between UTF-8 characters).
static const char *
shorten(const char *expr, char *buf, size_t size)
{
  size_t n = strlen(expr);

  if (n <= SHOWN_EXPR || size < SHOWN_EXPR + 4) {
    snprintf(buf, size, "%s", expr);
    return buf;
  }
  n = SHOWN_EXPR - 3;
  while (n > 0 && ((unsigned char)expr[n] & 0xC0) == 0x80)
    n--;
  snprintf(buf, size, "%.*s...", (int)n, expr);
  return buf;
}
