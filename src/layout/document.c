// The layout recipe, page after page: plan the next page (collecting only
// the blocks and table rows it needs), compose it, give it to the caller,
// forget it. A document that counts its pages or lists them in a table of
// contents is laid out twice: the first pass only writes down where each
// heading lands and how many pages there are; the second takes its
// paragraphs' lines from the first (text/cache.c), as tables take their
// repeated cells'.
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "../base/number.h"
#include "flow/flow.h"

#define PAR_CACHE_BUDGET (16u << 20) // Most bytes of paragraphs kept for the second pass and repeated cells

typedef struct keeper_s {
  ap_pages_t *pages;       // Pages kept so far
} keeper_t;

static bool keep_page(void *ctx, const ap_page_t *page, int count);
static bool needs_map(const ap_node_t *nodes);
static bool pass(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags, bool keep_all,
                 const ap_pagemap_t *map, ap_pagemap_t *record, ap_fallbacks_t *fallbacks, ap_par_cache_t *cache,
                 ap_page_fn fn, ap_retire_fn retire, void *ctx);

//
// 'ap_layout_document()' - Lay the whole document out and keep every page.
//

ap_pages_t *
ap_layout_document(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags,
                   ap_par_cache_t *cache)
{
  ap_pages_t *pages = AP_NEW(arena, ap_pages_t);
  keeper_t keeper = {pages};

  pages->title = doc->title;
  pages->author = doc->author;
  pages->subject = doc->subject;
  pages->keywords = doc->keywords;
  pages->creator = doc->creator;
  return ap_layout_run(doc, fonts, arena, diags, cache, /*keep_all*/ true, keep_page, NULL, &keeper) ? pages : NULL;
}

//
// 'ap_layout_run()' - Lay the document out page after page.
//

bool
ap_layout_run(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags,
              ap_par_cache_t *shared, bool keep_all, ap_page_fn fn, ap_retire_fn retire, void *ctx)
{
  // Page numbers or page counts needed before the pages exist: a first pass...
  bool twice = needs_map(doc->body->children);
  for (const ap_master_t *m = doc->masters; m && !twice; m = m->next)
    twice = (m->header && needs_map(m->header->children)) || (m->footer && needs_map(m->footer->children));
  ap_pagemap_t map = {0};
  ap_par_cache_t *own = shared ? NULL : ap_par_cache_create(PAR_CACHE_BUDGET);
  ap_par_cache_t *cache = shared ? shared : own; // (NULL: every paragraph set anew)
  ap_par_cache_again_only(own, !twice);          // (laid out once: only what repeats is worth keeping)
  bool ok = !twice || pass(doc, fonts, arena, diags, /*keep_all*/ false, NULL, &map, NULL, cache, NULL, NULL, NULL);

  // The pass that gives the pages notes what fallback faces set, warned once at the end...
  ap_fallbacks_t *fallbacks = ap_fallbacks_create();
  ok = ok && fallbacks && pass(doc, fonts, arena, diags, keep_all, twice ? &map : NULL, NULL, fallbacks, cache, fn, retire, ctx);
  if (ok)
    ap_fallbacks_warn(fallbacks, diags);
  ap_fallbacks_destroy(fallbacks);
  ap_par_cache_destroy(own);
  free(map.ids);
  free(map.pages);
  return ok && diags->errors == 0;
}

// Append a page to the kept ones.
static bool
keep_page(void *ctx, const ap_page_t *page, int count)
{
  ap_pages_t *pages = ((keeper_t *)ctx)->pages;
  ap_page_t *p = (ap_page_t *)page;
  (void)count;
  p->next = NULL;
  if (pages->last)
    pages->last->next = p;
  else
    pages->first = p;
  pages->last = p;
  pages->count++;
  return true;
}

// Does anything need the pages before they exist (a TOC, a page count)?
static bool
needs_map(const ap_node_t *nodes)
{
  for (const ap_node_t *n = nodes; n; n = n->next)
    if (n->kind == AP_NODE_TOC || n->kind == AP_NODE_PAGECOUNT || needs_map(n->children))
      return true;
  return false;
}

// One pass over the document: plan, compose (when fn is given), hand over, release.
static bool
pass(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags, bool keep_all,
     const ap_pagemap_t *map, ap_pagemap_t *record, ap_fallbacks_t *fallbacks, ap_par_cache_t *cache, ap_page_fn fn,
     ap_retire_fn retire, void *ctx)
{
  ap_flow_t flow = {0};
  const ap_master_t *m = doc->master;
  ap_plan_t plan;
  int number = 0;
  bool ok = true;

  flow.ctx.doc = doc;
  flow.ctx.fonts = fonts;
  flow.ctx.job = arena;
  flow.ctx.arena = keep_all ? arena : ap_arena_create();
  flow.keep_all = keep_all;
  flow.ctx.diags = diags;
  flow.ctx.width = m->width - m->inner - m->outer;
  flow.ctx.scale = 1;
  flow.next = doc->body->children;
  flow.map = map;
  flow.record = record;
  flow.ctx.fallbacks = fallbacks;
  flow.ctx.par_cache = cache;
  flow.start = doc->first_number;
  flow.retire = retire;
  flow.retire_ctx = ctx;

  while (ok && ap_flow_next_page(&flow, &plan)) {
    // A runaway document stops at the page limit, not at the end of memory or disk...
    if (!ap_number_count(diags, doc->body->loc, "pages in a document", &number, AP_MAX_PAGES)) {
      ok = false;
      break;
    }
    if (fn) {
      const ap_page_t *page = ap_flow_compose_page(&flow, &plan, number);
      ok = page && fn(ctx, page, map ? map->count : 0);
    }
    ap_flow_release(&flow, plan.end);
  }
  // The last arena (empty, or holding a page's items when memory ran out
  // and nothing moved) goes the way the pages' went...
  if (!keep_all && retire)
    retire(ctx, flow.ctx.arena);
  else if (!keep_all)
    ap_arena_destroy(flow.ctx.arena);
  return ok && diags->errors == 0;
}
