// Definitions a layout never uses, found in its text (whatever the data):
// a <param> that no expression reads as $name, a <style> that no style
// attribute names. Warnings, at the definition (docs/command-line.md,
// "Warnings"). The definitions counted are the layout's merged with its
// bases' (a base's definition replaced is not one of them); a built-in
// form's own styles are the form elements', never warned of.
#include "parse-private.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEFS 4096 // Definitions looked at (a layout has far fewer)

// The attributes that name a style.
static const char *const style_attrs[] = {"style", "parent", "ref-style", "title-style", "header-style",
                                          "group-style"};

static bool form_declares(const ap_layout_t *layout, const char *kind, const char *name);
static bool glob_match(const char *pattern, const char *name);
static bool in_form(const ap_layout_t *layout, xmlNodePtr def);
// The patterns of every style attribute of the definitions (gathered once,
// for all the styles looked for).
typedef struct patterns_s {
  char **at;        // Patterns (malloc'ed)
  size_t n, alloc;  // Used and allocated
  bool gathered;    // Filled
  bool partial;     // Out of memory while filling: every style counts as named
} patterns_t;

static bool gather_patterns(xmlNodePtr node, patterns_t *patterns);
static bool names_style(const patterns_t *patterns, const char *name);
static bool reads_param(xmlNodePtr node, const char *name);
static bool says_param(const char *text, const char *name);
static void style_pattern(const char *value, char *pattern, size_t size);

//
// 'ap_layout_warn_unused()' - Warn of parameters and styles a layout never uses.
//

void
ap_layout_warn_unused(const ap_layout_t *layout, ap_diags_t *diags)
{
  xmlNodePtr *defs = malloc(MAX_DEFS * sizeof(*defs));
  int n = defs ? ap_layout_definitions(&layout->src, defs, MAX_DEFS) : -1;
  bool first_style = true; // The first style declared stands in for a missing "body"
  patterns_t patterns = {0}; // Every style attribute's, gathered for the first style looked for

  for (int i = 0; i < n; i++) {
    xmlNodePtr d = defs[i];
    bool param = !strcmp((const char *)d->name, "param"), style = !strcmp((const char *)d->name, "style");
    if ((!param && !style) || in_form(layout, d))
      continue;
    xmlChar *name = xmlGetProp(d, (const xmlChar *)"name");
    bool used = !name;
    if (style) {
      // "body" is every paragraph's style by default, the first style the
      // default's stand-in; a style the form declares is the form's elements'...
      used = used || first_style || !strcmp((const char *)name, "body") ||
             form_declares(layout, "style", (const char *)name);
      first_style = false;
    }
    for (int k = 0; !used && param && k < n; k++)
      used = reads_param(defs[k], (const char *)name);
    if (!used && style && !patterns.gathered) {
      patterns.gathered = true;
      for (int k = 0; k < n && !patterns.partial; k++)
        patterns.partial = !gather_patterns(defs[k], &patterns);
    }
    if (!used && style)
      used = names_style(&patterns, (const char *)name);
    if (!used && param) {
      ap_warn(diags, ap_source_loc(&layout->src, d, "name"), "<param name=\"%s\"> is never read: no expression "
              "of the layout says $%s", (const char *)name, (const char *)name);
      ap_diag_hint(diags, "remove it, or read it as $%s (<if test=\"$%s = '…'\">, {$%s})", (const char *)name,
                   (const char *)name, (const char *)name);
    } else if (!used) {
      ap_warn(diags, ap_source_loc(&layout->src, d, "name"), "<style name=\"%s\"> is never used: no style=, "
              "parent= or other style attribute of the layout names it", (const char *)name);
      ap_diag_hint(diags, "remove it, or name it where it is meant (style=\"%s\")", (const char *)name);
    }
    xmlFree(name);
  }
  for (size_t j = 0; j < patterns.n; j++)
    free(patterns.at[j]);
  free(patterns.at);
  free(defs);
}

// The built-in form of a layout declares a definition of that kind and name.
static bool
form_declares(const ap_layout_t *layout, const char *kind, const char *name)
{
  const ap_source_t *s = &layout->src;
  while (s && !(layout->form && !strncmp(s->path, "form ", 5)))
    s = s->base;
  if (!s)
    return false;
  for (xmlNodePtr c = xmlDocGetRootElement(s->doc)->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, kind))
      continue;
    xmlChar *n = xmlGetProp(c, (const xmlChar *)"name");
    bool same = n && !strcmp((const char *)n, name);
    xmlFree(n);
    if (same)
      return true;
  }
  return false;
}

// name matches the pattern ('*': any text, '\x': x).
static bool
glob_match(const char *pattern, const char *name)
{
  if (*pattern == '*') {
    for (const char *p = name;; p++) {
      if (glob_match(pattern + 1, p))
        return true;
      if (!*p)
        return false;
    }
  }
  if (*pattern == '\\' && pattern[1])
    pattern++;
  if (!*pattern)
    return !*name;
  return *pattern == *name && glob_match(pattern + 1, name + 1);
}

// A layout's definition that comes from its built-in form.
static bool
in_form(const ap_layout_t *layout, xmlNodePtr def)
{
  for (const ap_source_t *s = &layout->src; s; s = s->base)
    if (s->doc == def->doc)
      return layout->form && !strncmp(s->path, "form ", 5);
  return false;
}

// The patterns of the style attributes of node and its descendants: a
// value, or, for a value computed with {…} (style="h{level}"), its literal
// parts around any text. False when out of memory.
static bool
gather_patterns(xmlNodePtr node, patterns_t *patterns)
{
  if (node->type != XML_ELEMENT_NODE)
    return true;
  for (size_t i = 0; i < sizeof(style_attrs) / sizeof(style_attrs[0]); i++) {
    xmlChar *v = xmlGetProp(node, (const xmlChar *)style_attrs[i]);
    if (!v)
      continue;
    char pattern[512], *copy;
    style_pattern((const char *)v, pattern, sizeof(pattern));
    xmlFree(v);
    if (patterns->n == patterns->alloc) {
      size_t alloc = patterns->alloc ? patterns->alloc * 2 : 64;
      char **at = realloc(patterns->at, alloc * sizeof(*at));
      if (!at)
        return false;
      patterns->at = at;
      patterns->alloc = alloc;
    }
    if (!(copy = strdup(pattern)))
      return false;
    patterns->at[patterns->n++] = copy;
  }
  for (xmlNodePtr k = node->children; k; k = k->next)
    if (!gather_patterns(k, patterns))
      return false;
  return true;
}

// Some style attribute of the definitions names the style (any style,
// when they could not all be gathered: no warning rather than a wrong one).
static bool
names_style(const patterns_t *patterns, const char *name)
{
  if (patterns->partial)
    return true;
  for (size_t j = 0; j < patterns->n; j++)
    if (glob_match(patterns->at[j], name))
      return true;
  return false;
}

// Some attribute or text of node (or of its descendants) reads $name: the
// name followed by a character no XPath name holds.
static bool
reads_param(xmlNodePtr node, const char *name)
{
  if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
    return says_param((const char *)node->content, name);
  if (node->type != XML_ELEMENT_NODE)
    return false;
  for (xmlAttrPtr a = node->properties; a; a = a->next) {
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    bool found = says_param((const char *)v, name);
    xmlFree(v);
    if (found)
      return true;
  }
  for (xmlNodePtr k = node->children; k; k = k->next)
    if (reads_param(k, name))
      return true;
  return false;
}

// A text says $name, followed by a character no XPath name holds.
static bool
says_param(const char *text, const char *name)
{
  size_t len = strlen(name);

  for (const char *p = text ? strchr(text, '$') : NULL; p; p = strchr(p + 1, '$')) {
    if (strncmp(p + 1, name, len))
      continue;
    unsigned char after = (unsigned char)p[1 + len];
    bool name_char = after >= 0x80 || (after && strchr("-_.", after)) || (after >= '0' && after <= '9') ||
                     ((after | 0x20) >= 'a' && (after | 0x20) <= 'z');
    if (!name_char)
      return true;
  }
  return false;
}

// An attribute value as a pattern: each {expression} becomes '*', "{{"
// and "}}" their brace, '*' itself '\*'.
static void
style_pattern(const char *value, char *pattern, size_t size)
{
  size_t n = 0;

  for (const char *p = value; *p && n + 3 < size; p++) {
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      pattern[n++] = *p++;
    } else if (*p == '{') {
      const char *close = strchr(p, '}');
      pattern[n++] = '*';
      if (!close)
        break;
      p = close;
    } else {
      if (*p == '*' || *p == '\\')
        pattern[n++] = '\\';
      pattern[n++] = *p;
    }
  }
  pattern[n] = '\0';
}
