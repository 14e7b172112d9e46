// Layouts that extend another: <layout extends="base.xml">. The bases are
// loaded (each validated, read only inside the run's folders, no cycles),
// and their definitions merged with the extending layout's: a definition
// of the same kind and name replaces the base's in its place, a new one
// comes after the base's, and <info>, <footnotes> and <body> replace the
// base's when given.
#include "parse-private.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/path.h"

#define MAX_BASES 8 // Layouts in one chain of extends (the extending one too)

static bool load_base(ap_source_t *src, const char *path, xmlNodePtr at, ap_source_t *named_by, ap_files_t *files,
                      ap_arena_t *arena, ap_diags_t *diags);
static bool same_definition(xmlNodePtr a, xmlNodePtr b);

//
// 'ap_layout_definitions()' - The merged definitions of a layout and its bases.
//
// Element children of the root of the deepest base first, in their order;
// then each extending layout's, each replacing the base's definition of
// the same kind and name where it stood, or coming after. Returns how many
// were stored in defs (at most max; -1 when there are more).
//

int
ap_layout_definitions(const ap_source_t *src, xmlNodePtr *defs, int max)
{
  int n = src->base ? ap_layout_definitions(src->base, defs, max) : 0;
  int inherited = n; // Only these may be replaced (a file's own duplicates stay, for their error)

  if (n < 0)
    return n;
  for (xmlNodePtr c = xmlDocGetRootElement(src->doc)->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    int i = 0;
    while (i < inherited && !same_definition(defs[i], c))
      i++;
    if (i == inherited)
      i = n;
    if (i == n && n == max)
      return -1;
    defs[i] = c;
    if (i == n)
      n++;
  }
  return n;
}

//
// 'ap_layout_load_bases()' - Load the chain of layouts a layout extends.
//

bool
ap_layout_load_bases(ap_source_t *src, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags)
{
  ap_source_t *chain[MAX_BASES]; // The layouts loaded so far, the extending one first
  struct stat seen[MAX_BASES];   // Their identities, for cycles
  int n = 0;

  for (ap_source_t *s = src;;) {
    xmlNodePtr root = xmlDocGetRootElement(s->doc);
    xmlChar *extends = xmlGetProp(root, (const xmlChar *)"extends");
    if (!extends)
      return true;
    chain[n] = s;
    if (stat(s->path, &seen[n]) != 0)
      memset(&seen[n], 0, sizeof(seen[n]));
    n++;

    // The base's path, relative to the file that names it...
    const char *path = ap_path_beside(arena, s->path, (const char *)extends);
    xmlFree(extends);
    ap_loc_t at = ap_source_loc(s, root, "extends");
    if (n == MAX_BASES)
      return ap_fail(diags, at, "extends=\"%s\": more than %d layouts extend one another: expected a shorter chain",
                     path, MAX_BASES - 1);

    // ...not one of the chain already...
    struct stat st;
    if (stat(path, &st) == 0)
      for (int i = 0; i < n; i++)
        if (st.st_dev == seen[i].st_dev && st.st_ino == seen[i].st_ino)
          return ap_fail(diags, at, "extends=\"%s\": the layouts extend one another in a circle ('%s' is "
                         "already in the chain): expected a base that extends nothing in the chain",
                         path, chain[i]->path);

    // ...loaded and validated as a layout of its own.
    s->base = calloc(1, sizeof(ap_source_t));
    if (!s->base)
      return ap_fail(diags, at, "out of memory");
    if (!load_base(s->base, path, root, s, files, arena, diags)) {
      ap_source_free(s->base); // What a failed validation leaves
      free(s->base);
      s->base = NULL;
      return false;
    }
    s = s->base;
  }
}

// Load one base layout named at a node of another; one error at the
// extends attribute when it cannot be read.
static bool
load_base(ap_source_t *src, const char *path, xmlNodePtr at, ap_source_t *named_by, ap_files_t *files,
          ap_arena_t *arena, ap_diags_t *diags)
{
  ap_loc_t loc = ap_source_loc(named_by, at, "extends");
  struct stat st;

  (void)arena;
  if (files) {
    if (!ap_files_check(files, path, AP_FILE_LAYOUT, diags, loc, "(extends= is relative to the layout that names it)"))
      return false;
  } else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
    return ap_fail(diags, loc, "cannot read the layout file '%s': expected a regular file", path);
  }
  if (!ap_source_read(src, path, AP_FILE_LAYOUT, diags))
    return false;
  if (files && stat(path, &st) == 0)
    ap_files_note_input(files, path, AP_FILE_LAYOUT, st.st_dev, st.st_ino);

  // A base is checked against the schema as a layout of its own...
  ap_layout_t check = {.src = *src};
  bool ok = ap_layout_validate(&check, diags);
  *src = check.src; // (the line index it may have built)
  return ok;
}

// Do two definitions define the same thing (so that the later replaces
// the earlier)? Same element, and the same name (templates: match; numbering:
// level); <info>, <footnotes>, <body> and <watermark> are one each.
static bool
same_definition(xmlNodePtr a, xmlNodePtr b)
{
  static const char *const keys[][2] = {
      {"family", "name"}, {"style", "name"},     {"page", "name"}, {"color", "name"},  {"param", "name"},
      {"deck", "name"},   {"template", "match"}, {"numbering", "level"},
  };

  if (strcmp((const char *)a->name, (const char *)b->name))
    return false;
  for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
    if (!strcmp((const char *)a->name, keys[i][0])) {
      xmlChar *ka = xmlGetProp(a, (const xmlChar *)keys[i][1]), *kb = xmlGetProp(b, (const xmlChar *)keys[i][1]);
      bool same = ka && kb && !xmlStrcmp(ka, kb);
      xmlFree(ka);
      xmlFree(kb);
      return same;
    }
  return !strcmp((const char *)a->name, "info") || !strcmp((const char *)a->name, "footnotes") ||
         !strcmp((const char *)a->name, "body") || !strcmp((const char *)a->name, "watermark");
}
