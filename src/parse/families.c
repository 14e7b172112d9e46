// Fallback families: each <family fallback="a b"> names other declared
// families that supply the characters its faces lack. Resolved once every
// family is read (a fallback may be declared after the family that names it)
// into one ordered list per family; unknown names and cycles are errors at
// the fallback= attribute.
#include "parse.h"

#include <stdio.h>
#include <string.h>

#define MAX_FALLBACKS 16 // Families in one family's fallback list, its fallbacks' fallbacks included

// A family's list being built: what is in it, and the path from the family
// down to the one being read (a name met again on that path closes a cycle).
typedef struct chain_s {
  const ap_family_t *root;                   // Family whose list this is
  const ap_family_t *list[MAX_FALLBACKS];    // Fallbacks found so far, in order
  int count;                                 // How many
  const ap_family_t *path[MAX_FALLBACKS + 1];// From root to the family being read
  int depth;                                 // Families on the path
} chain_t;

static bool add_fallbacks(chain_t *chain, const ap_family_t *family, const ap_doc_t *doc, ap_diags_t *diags);
static const ap_family_t *find_family(const ap_doc_t *doc, const char *name, size_t len);

//
// 'ap_families_resolve()' - Resolve every family's fallback= into its list of fallbacks.
//
// Families are checked in declaration order, so the first fallback= at fault
// in the file is the one reported.
//

bool                                  // O - false (with a diagnostic) on an unknown name, a cycle or too long a list
ap_families_resolve(ap_doc_t *doc,    // I - Document whose families are read
                    ap_arena_t *arena,// I - Arena of the lists
                    ap_diags_t *diags)// I - Where errors go
{
  ap_family_t *order[256]; // Families in declaration order (the list is newest first)
  int n = 0;

  for (ap_family_t *f = doc->families; f; f = f->next)
    n++;
  ap_family_t **all = n <= 256 ? order : AP_NEW_N(arena, ap_family_t *, n);
  int i = n;
  for (ap_family_t *f = doc->families; f; f = f->next)
    all[--i] = f;

  // Walk each family's fallbacks depth first...
  for (i = 0; i < n; i++) {
    ap_family_t *f = all[i];
    chain_t chain = {.root = f};
    if (!f->fallback)
      continue;
    if (!add_fallbacks(&chain, f, doc, diags))
      return false;
    f->fallbacks = AP_NEW_N(arena, const ap_family_t *, chain.count ? chain.count : 1);
    memcpy(f->fallbacks, chain.list, sizeof(chain.list[0]) * (size_t)chain.count);
    f->nfallbacks = chain.count;
  }
  return true;
}

// Append the fallbacks of family (each named one, then its own) to the
// chain's list, skipping those already in it.
static bool
add_fallbacks(chain_t *chain, const ap_family_t *family, const ap_doc_t *doc, ap_diags_t *diags)
{
  const char *p = family->fallback;

  if (!p)
    return true;
  chain->path[chain->depth++] = family;
  while (*p) {
    // One name of the space-separated list...
    size_t skip = strspn(p, " \t\r\n"), len;
    p += skip;
    len = strcspn(p, " \t\r\n");
    if (!len)
      break;
    const ap_family_t *next = find_family(doc, p, len);
    if (!next)
      return ap_fail(diags, family->fallback_loc,
                     "fallback=\"%s\": no font family '%.*s' is declared: expected the name of a <family> "
                     "of this layout", family->fallback, (int)len, p);

    // A family met again on the way down falls back on itself...
    for (int k = 0; k < chain->depth; k++) {
      if (chain->path[k] != next)
        continue;
      char cycle[512] = "";
      size_t used = 0;
      for (int j = k; j < chain->depth && used < sizeof(cycle); j++)
        used += (size_t)snprintf(cycle + used, sizeof(cycle) - used, "'%s' → ", chain->path[j]->name);
      if (used < sizeof(cycle))
        snprintf(cycle + used, sizeof(cycle) - used, "'%s'", next->name);
      return ap_fail(diags, family->fallback_loc,
                     "fallback=\"%s\": the fallbacks go round in a circle (%s): expected a chain of "
                     "families that ends", family->fallback, cycle);
    }

    // ...otherwise it joins the list (once), then its own fallbacks...
    bool known = next == chain->root;
    for (int k = 0; k < chain->count && !known; k++)
      known = chain->list[k] == next;
    if (!known) {
      if (chain->count == MAX_FALLBACKS)
        return ap_fail(diags, chain->root->fallback_loc,
                       "fallback=\"%s\": family '%s' would have more than %d fallback families (theirs "
                       "included): expected at most %d", chain->root->fallback, chain->root->name,
                       MAX_FALLBACKS, MAX_FALLBACKS);
      chain->list[chain->count++] = next;
      if (!add_fallbacks(chain, next, doc, diags))
        return false;
    }
    p += len;
  }
  chain->depth--;
  return true;
}

// The declared family of that name, or NULL.
static const ap_family_t *
find_family(const ap_doc_t *doc, const char *name, size_t len)
{
  for (const ap_family_t *f = doc->families; f; f = f->next)
    if (f->name && strlen(f->name) == len && !memcmp(f->name, name, len))
      return f;
  return NULL;
}
