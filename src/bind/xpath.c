// XPath evaluation for bind: one context per bind, quiet (every error is
// kept for the one diagnostic, libxml2 prints nothing), and a budget of
// steps per expression so that no expression runs for ever (docs/limits.md).
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOWN_EXPR 60 // Longest expression quoted whole in a message (bytes)

static xmlXPathCompExprPtr compiled(ap_binder_t *b, const char *expr, bool *kept, signed char **reach);
static xmlXPathObjectPtr eval(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc, bool nodes);
static bool open_nodes(ap_binder_t *b, xmlXPathObjectPtr obj, ap_loc_t loc);
static bool open_reach(ap_binder_t *b, const char *expr, signed char *kept_reach, xmlNodePtr ctx, ap_loc_t loc);
static bool opened(ap_binder_t *b, xmlNodePtr node, ap_loc_t loc);
static void keep_error(void *data, xmlErrorPtr err);
static const char *shorten(const char *expr, char *buf, size_t size);
static const char *undefined_variable(ap_binder_t *b, const char *expr);

//
// 'ap_bind_eval()' - Evaluate an XPath expression at a context node.
//
// Each evaluation may take AP_XPATH_MAX_STEPS steps (libxml2 counts one
// per node visited and per operation), all evaluations of a run together
// AP_XPATH_RUN_STEPS or AP_XPATH_STEPS_PER_ELEMENT per data element, the
// larger (an expression under its own budget repeated for every row would
// otherwise run for hours); libxml2 itself limits the nesting of an
// expression (brackets, predicates).
//

xmlXPathObjectPtr
ap_bind_eval(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc)
{
  return eval(b, expr, ctx, loc, /*nodes*/ false);
}

//
// 'ap_bind_eval_nodes()' - Evaluate an expression whose nodes are contexts or tested, not read.
//

xmlXPathObjectPtr
ap_bind_eval_nodes(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc)
{
  return eval(b, expr, ctx, loc, /*nodes*/ true);
}

// Evaluate expr at ctx: the packed records it may read are in the tree
// first (the context, every one when reach.c cannot say), and the records
// among the nodes it gives after (unless nodes: they are only contexts).
static xmlXPathObjectPtr
eval(ap_binder_t *b, const char *expr, xmlNodePtr ctx, ap_loc_t loc, bool nodes)
{
  char shown[SHOWN_EXPR + 8]; // The expression as quoted
  char stray[256];            // What libxml2 said outside the context (an unknown function's name)

  // The budget: the expression's own, or what is left of the run's...
  unsigned long left = b->xpath_steps < b->xpath_run_steps ? b->xpath_run_steps - b->xpath_steps : 0;
  bool run_budget = left < AP_XPATH_MAX_STEPS; // The run's budget is the tighter
  b->xpath->node = ctx;
  b->xpath->opCount = 0;
  b->xpath->opLimit = run_budget ? (left > 0 ? left : 1) : AP_XPATH_MAX_STEPS; // 0 would mean no limit
  b->xpath_error[0] = '\0';
  b->xpath_code = 0;
  b->xpath_pos = -1;
  ap_xml_stray(stray, sizeof(stray));
  bool kept;
  signed char *reach; // Where the compiled expression keeps how far it reads
  xmlXPathCompExprPtr comp = compiled(b, expr, &kept, &reach);
  if (comp && ap_packed_closed(b->packed) && !open_reach(b, expr, reach, ctx, loc)) {
    if (!kept)
      xmlXPathFreeCompExpr(comp);
    return NULL;
  }
  b->xpath->depth = 0;
  xmlXPathObjectPtr obj = comp ? xmlXPathCompiledEval(comp, b->xpath) : NULL;
  b->xpath_steps += b->xpath->opCount;
  if (comp && !kept)
    xmlXPathFreeCompExpr(comp);
  if (obj) {
    ap_bind_note_result(b, expr, obj, loc); // (for the warnings: does the layout read this data?)
    if (!nodes && obj->type == XPATH_NODESET && ap_packed_closed(b->packed) && !open_nodes(b, obj, loc)) {
      xmlXPathFreeObject(obj);
      return NULL;
    }
    return obj;
  }

  // Say what failed, in the expression's own terms, and where in it...
  shorten(expr, shown, sizeof(shown));
  const char *undefined = b->xpath_code == XML_XPATH_UNDEF_VARIABLE_ERROR ? undefined_variable(b, expr) : NULL;
  if (undefined)
    b->xpath_pos = (int)(undefined - expr);
  ap_loc_t written = loc; // The attribute or element the expression is written in
  if (b->xpath_pos >= 0)
    loc = ap_source_loc_in(&b->layout->src, written, expr, (size_t)b->xpath_pos);
  ap_xml_stray(stray, sizeof(stray));
  switch (b->xpath_code) {
  case XML_XPATH_EXPRESSION_OK + XPATH_OP_LIMIT_EXCEEDED:
    if (run_budget)
      ap_fail(b->diags, loc, "XPath expression '%s' takes the steps of all expressions on this data over %lu: "
              "simplify it or what repeats it (anpham allows a run %d steps, or %d per data element)", shown,
              b->xpath_run_steps, AP_XPATH_RUN_STEPS, AP_XPATH_STEPS_PER_ELEMENT);
    else
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
    char call[128];
    snprintf(call, sizeof(call), "%.*s(", name && end ? (int)(end - name - 9) : 0, name ? name + 9 : "");
    const char *named = name && end ? strstr(expr, call) : NULL; // The call, in the expression
    if (named)
      loc = ap_source_loc_in(&b->layout->src, written, expr, (size_t)(named - expr));
    if (name && end)
      ap_fail(b->diags, loc, "invalid XPath expression '%s': there is no function %.*s(): expected an XPath 1.0 "
              "function such as count(), sum(), concat() or substring()", shown,
              (int)(end - name - 9), name + 9);
    else
      ap_fail(b->diags, loc, "invalid XPath expression '%s': %s", shown, b->xpath_error);
    break;
  }
  case XML_XPATH_UNDEF_VARIABLE_ERROR:
    if (undefined) {
      int n = (int)strspn(undefined + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
      ap_fail(b->diags, loc, "invalid XPath expression '%s': an undefined variable, $%.*s", shown, n, undefined + 1);
      ap_diag_hint(b->diags, "declare it in the layout, <param name=\"%.*s\" value=\"…\"/> (--set %.*s=VALUE then gives "
                   "it another value)", n, undefined + 1, n, undefined + 1);
      break;
    }
    // fall through
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
  // libxml2 2.9 keeps the objects an evaluation makes and drops (node sets,
  // strings, booleans of tests such as not(@span)) for the next one only
  // when asked, as libxslt asks for every transformation: a table's rows
  // evaluate the same expressions thousands of times.
  xmlXPathContextSetCache(xpath, 1, -1, 0);

  // The run's budget grows with the data (a table of 100,000 rows takes
  // about 11 steps per element)...
  unsigned long elements = 0;
  for (xmlNodePtr n = xmlDocGetRootElement(b->data); n;) {
    elements++;
    xmlNodePtr next = n->children;
    while (next && next->type != XML_ELEMENT_NODE)
      next = next->next;
    while (!next && n) {
      for (next = n->next; next && next->type != XML_ELEMENT_NODE; next = next->next)
        ;
      if (!next)
        n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
    }
    n = next;
  }
  elements += ap_packed_elements(b->packed); // (those inside packed records count as read)
  b->xpath_run_steps = AP_XPATH_RUN_STEPS;
  if (elements * AP_XPATH_STEPS_PER_ELEMENT > b->xpath_run_steps)
    b->xpath_run_steps = elements * AP_XPATH_STEPS_PER_ELEMENT;
  b->xpath_steps = 0;
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
      "an operand of the wrong type",
      "a value of the wrong type: expected nodes (a path such as /r/item) where a function or '|' takes nodes",
      "a wrong number of arguments",
      "an invalid context size", "an invalid context position", "out of memory"};
  ap_binder_t *b = data;

  if (!err || b->xpath_error[0])
    return;
  int code = err->code - XML_XPATH_EXPRESSION_OK;
  bool evaluating = code == XPATH_UNDEF_VARIABLE_ERROR || code >= XPATH_INVALID_OPERAND; // Not a syntax error
  bool inside = err->str1 && err->int1 < (int)strlen(err->str1); // A place before the end (evaluation errors name the end)
  b->xpath_code = err->code;
  if ((!evaluating || inside) && err->int1 >= 0)
    b->xpath_pos = err->int1;
  if (err->message && *err->message)
    snprintf(b->xpath_error, sizeof(b->xpath_error), "%s", err->message);
  else if (code > 0 && code < (int)(sizeof(what) / sizeof(what[0])) && (!evaluating || inside))
    snprintf(b->xpath_error, sizeof(b->xpath_error), "%s at character %d", what[code], err->int1 + 1);
  else if (code > 0 && code < (int)(sizeof(what) / sizeof(what[0])))
    snprintf(b->xpath_error, sizeof(b->xpath_error), "%s", what[code]);
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

// An expression compiled, once (*kept: the binder keeps it; otherwise the
// caller frees it): binding repeats the same few expressions for every node
// a for-each selects. *reach: where a kept one keeps how far it reads into
// packed records (NULL when not kept). NULL (the error kept for the
// diagnostic) when it does not compile.
static xmlXPathCompExprPtr
compiled(ap_binder_t *b, const char *expr, bool *kept, signed char **reach)
{
  *reach = NULL;
  uint32_t h = 2166136261u; // FNV-1a of the expression: its slot
  for (const char *p = expr; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;

  // Room for one more (at most half the slots taken)...
  if (b->ncompiled * 2 + 2 > b->compiled_room) {
    size_t room = b->compiled_room ? b->compiled_room * 2 : 64;
    ap_compiled_t *grown = calloc(room, sizeof(*grown));
    for (size_t i = 0; grown && i < b->compiled_room; i++)
      if (b->compiled[i].expr) {
        size_t j = b->compiled[i].hash & (room - 1);
        while (grown[j].expr)
          j = (j + 1) & (room - 1);
        grown[j] = b->compiled[i];
      }
    if (grown) {
      free(b->compiled);
      b->compiled = grown;
      b->compiled_room = room;
    }
  }

  // Found, else compiled and kept (when there is room)...
  size_t mask = b->compiled_room - 1, j = h & mask;
  for (; b->compiled_room && b->compiled[j].expr; j = (j + 1) & mask)
    if (b->compiled[j].hash == h && !strcmp(b->compiled[j].expr, expr)) {
      *kept = true;
      *reach = &b->compiled[j].reach;
      return b->compiled[j].comp;
    }
  b->xpath->depth = 0;
  xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(b->xpath, (const xmlChar *)expr);
  char *copy = comp && b->ncompiled * 2 + 2 <= b->compiled_room ? strdup(expr) : NULL;
  *kept = copy != NULL;
  if (copy) {
    b->compiled[j] = (ap_compiled_t){copy, h, comp, -1};
    b->ncompiled++;
    *reach = &b->compiled[j].reach;
  }
  return comp;
}

//
// 'ap_bind_xpath_free()' - Free the binder's XPath context and compiled expressions.
//

void
ap_bind_xpath_free(ap_binder_t *b)
{
  for (size_t i = 0; i < b->compiled_room; i++)
    if (b->compiled[i].expr) {
      free(b->compiled[i].expr);
      xmlXPathFreeCompExpr(b->compiled[i].comp);
    }
  free(b->compiled);
  b->compiled = NULL;
  free(b->opened);
  b->opened = NULL;
  b->nopened = b->opened_room = 0;
  b->compiled_room = b->ncompiled = 0;
  xmlXPathFreeContext(b->xpath);
  b->xpath = NULL;
}

// The first $name of an expression that names no variable of the context
// (outside string literals), NULL when there is none.
static const char *
undefined_variable(ap_binder_t *b, const char *expr)
{
  char quote = 0; // Inside a literal: its quote
  char name[128];

  for (const char *p = expr; *p; p++) {
    if (quote) {
      quote = *p == quote ? 0 : quote;
      continue;
    }
    if (*p == '"' || *p == '\'') {
      quote = *p;
      continue;
    }
    if (*p != '$')
      continue;
    size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
    if (n == 0 || n >= sizeof(name))
      continue;
    memcpy(name, p + 1, n);
    name[n] = '\0';
    xmlXPathObjectPtr v = xmlXPathVariableLookup(b->xpath, (const xmlChar *)name);
    if (!v)
      return p;
    xmlXPathFreeObject(v);
  }
  return NULL;
}

//
// 'ap_bind_scope_begin()' - Where a scope of evaluations begins.
//

size_t
ap_bind_scope_begin(const ap_binder_t *b)
{
  return b->nopened;
}

//
// 'ap_bind_scope_end()' - Close the records opened since the scope began.
//

void
ap_bind_scope_end(ap_binder_t *b, size_t mark)
{
  while (b->nopened > mark)
    ap_packed_close(b->packed, b->opened[--b->nopened]);
}

//
// 'ap_bind_unpack()' - Every packed record into the tree for good.
//

bool
ap_bind_unpack(ap_binder_t *b, ap_loc_t loc)
{
  if (!ap_packed_closed(b->packed) || ap_packed_unpack(b->packed))
    return true;
  return ap_fail(b->diags, loc, "out of memory reading the data again");
}

// The records among the nodes of a result in the tree: open (until the
// scope ends), or all of them when a node holds records.
static bool
open_nodes(ap_binder_t *b, xmlXPathObjectPtr obj, ap_loc_t loc)
{
  for (int i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr && ap_packed_closed(b->packed); i++) {
    xmlNodePtr n = obj->nodesetval->nodeTab[i];
    if (ap_packed_holds(b->packed, n))
      return ap_bind_unpack(b, loc);
    if (!opened(b, n, loc))
      return false;
  }
  return true;
}

// Before an evaluation: its context in the tree when it is a record, and
// every record when the expression may read inside others (reach.c).
static bool
open_reach(ap_binder_t *b, const char *expr, signed char *kept_reach, xmlNodePtr ctx, ap_loc_t loc)
{
  if (!opened(b, ctx, loc))
    return false;
  signed char reach = kept_reach ? *kept_reach : -1;
  if (reach < 0) {
    ap_reach_names_t names;
    ap_packed_names(b->packed, &names.records, &names.above);
    reach = (signed char)ap_bind_reach(expr, &names);
    if (kept_reach)
      *kept_reach = reach;
  }
  if (reach == AP_REACH_RECORDS || (reach == AP_REACH_CONTEXT && ap_packed_holds(b->packed, ctx)))
    return ap_bind_unpack(b, loc);
  return true;
}

// A node in the tree whole: a closed record is opened until the scope ends.
static bool
opened(ap_binder_t *b, xmlNodePtr node, ap_loc_t loc)
{
  if (!ap_packed_is_record(b->packed, node))
    return true;
  if (b->nopened == b->opened_room) {
    size_t room = b->opened_room ? b->opened_room * 2 : 64;
    xmlNodePtr *grown = realloc(b->opened, room * sizeof(*grown));
    if (!grown)
      return ap_fail(b->diags, loc, "out of memory");
    b->opened = grown;
    b->opened_room = room;
  }
  int got = ap_packed_open(b->packed, node);
  if (got < 0)
    return ap_fail(b->diags, loc, "out of memory reading a record of the data again");
  if (got > 0)
    b->opened[b->nopened++] = node;
  return true;
}
