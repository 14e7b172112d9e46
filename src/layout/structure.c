// Structure the layout records for tagged PDF beyond one element per
// paragraph: elements that hold others (ap_struct_t in pages.h), and a list
// item's lines as an LI of its list: the marker an Lbl, the text its LBody.
// Render makes the elements as their content comes (src/render/tags.c).
#include "block.h"

//
// 'ap_struct_new()' - A new structure element under up (NULL: the Document).
//
// In the job's arena: the lines that point at it may reach later pages.
//

ap_struct_t *                         // O - The element (its spans 1)
ap_struct_new(ap_layout_ctx_t *ctx,   // I - Layout context (numbers it)
              const char *tag,        // I - Structure type (a literal)
              const ap_struct_t *up)  // I - Element that holds it, NULL = the Document
{
  return ap_struct_new_in(ctx, ctx->job, tag, up);
}

//
// 'ap_struct_new_in()' - A new structure element under up, in a given arena.
//
// In the context's arena (that of the page being planned): a table row's,
// moved with the boxes that point at it when they go on to the next page
// (ap_flow_release), and freed with the page where they end.
//

ap_struct_t *                           // O - The element (its spans 1)
ap_struct_new_in(ap_layout_ctx_t *ctx,  // I - Layout context (numbers it)
                 ap_arena_t *arena,     // I - The job's arena, or the context's
                 const char *tag,       // I - Structure type (a literal)
                 const ap_struct_t *up) // I - Element that holds it, NULL = the Document
{
  ap_struct_t *e = AP_NEW(arena, ap_struct_t);

  e->id = ++ctx->elems;
  e->paged = arena != ctx->job;
  e->tag = tag;
  e->up = up;
  e->rowspan = e->colspan = 1;
  return e;
}

//
// 'ap_struct_tag_item()' - Make a list item's lines an LI of a list.
//
// The LI holds an Lbl (when the item has a marker: the first line's label
// run) and an LBody (the rest of its text), both made with it.
//

void
ap_struct_tag_item(ap_layout_ctx_t *ctx,     // I - Layout context
                   const ap_struct_t *list,  // I - The list's L
                   const ap_node_t *item,    // I - The item
                   ap_box_t **lines,         // I - Its lines
                   int nlines)               // I - How many
{
  ap_struct_t *li = ap_struct_new(ctx, "LI", list);
  ap_struct_t *lbl = item->label && *item->label ? ap_struct_new(ctx, "Lbl", li) : NULL;
  ap_struct_t *body = ap_struct_new(ctx, "LBody", li);

  li->kids = lbl ? lbl : body;
  if (lbl)
    lbl->next = body;
  for (int i = 0; i < nlines; i++) {
    lines[i]->in = body;
    lines[i]->label_in = i == 0 && lbl && lines[i]->runs && lines[i]->runs->label ? lbl : NULL;
  }
}
