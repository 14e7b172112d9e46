// The layout recipe: collect the body into flow items, distribute them over
// pages, compose each page.
#include "layout.h"

#include <stdlib.h>

#include "flow/flow.h"

//
// 'ap_layout_document()' - Document tree → laid-out pages.
//

ap_pages_t *
ap_layout_document(const ap_doc_t *doc, ap_fontset_t *fonts, ap_arena_t *arena, ap_diags_t *diags)
{
  ap_flow_t flow = {0};
  ap_pages_t *pages = AP_NEW(arena, ap_pages_t);
  ap_plan_t *plans = NULL;
  int npages = 0;
  const ap_master_t *m = doc->master;

  flow.doc = doc;
  flow.fonts = fonts;
  flow.arena = arena;
  flow.diags = diags;
  flow.width = m->width - m->inner - m->outer;
  flow.scale = 1;
  pages->title = doc->title;
  pages->author = doc->author;
  pages->subject = doc->subject;
  pages->keywords = doc->keywords;
  pages->creator = doc->creator;

  bool ok = ap_flow_collect(&flow, doc->body) && ap_flow_distribute(&flow, &plans, &npages) &&
            ap_flow_compose(&flow, plans, npages, pages);
  return ok && diags->errors == 0 ? pages : NULL;
}
