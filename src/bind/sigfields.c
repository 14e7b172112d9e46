// Signature fields: a named area the document's signer signs into later
// (anpham sign --field, or any tool that signs into existing fields).
// <signature-field> is one in the flow; <form-signature field=> puts one
// in the room between the signer's position and name (forms.c). The name
// is interpolated from the data and unique in the document: two fields of
// one name would be one field to a signing tool.
#include "bind-private.h"

#include <string.h>

#define LOC(elem, attr) ap_bind_loc(b, (elem), (attr))

// A field name bound so far, and where.
typedef struct ap_field_name_s {
  const char *name;               // The name (in the job's arena)
  ap_loc_t loc;                   // Its attribute's place
  struct ap_field_name_s *next;   // The one bound before it
} ap_field_name_t;

//
// 'ap_bind_sigfield()' - A signature field node named by an attribute.
//

ap_node_t *                                  // O - The node, NULL (recorded) on error
ap_bind_sigfield(ap_binder_t *b,             // I - Binder
                 xmlNodePtr e,               // I - Layout element
                 const char *attr,           // I - Attribute holding the name
                 xmlNodePtr ctx,             // I - Data context
                 double width,               // I - Width, points (0 = the measure)
                 double height)              // I - Height, points
{
  ap_loc_t loc = LOC(e, attr);
  char *name = ap_bind_attr(b, e, attr, ctx);

  if (b->repeated) { // (one field, one place: a name twice in /AcroForm is one field to a signing tool)
    ap_fail(b->diags, LOC(e, NULL), "a signature field cannot stand in a slide or a page template's header or "
            "footer, which may be drawn more than once: put it in the <body>");
    return NULL;
  }
  if (!name)
    return NULL;
  // Trimmed: "{position}" of a data element written over lines...
  while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r')
    name++;
  size_t len = strlen(name);
  while (len && (name[len - 1] == ' ' || name[len - 1] == '\t' || name[len - 1] == '\n' || name[len - 1] == '\r'))
    name[--len] = '\0';
  if (!*name && ap_bind_layout_alone(b))
    name = "layout-alone"; // (the name would come from the data)
  if (!*name) {
    ap_fail(b->diags, loc, "%s=\"\": a signature field needs a name", attr);
    return NULL;
  }
  if (strchr(name, '.')) { // (a period separates the parts of a field's full name, ISO 32000-1 12.7.3.2)
    ap_fail(b->diags, loc, "%s=\"%s\": a signature field's name may not hold a period", attr, name);
    return NULL;
  }
  for (const ap_field_name_t *f = b->field_names; f; f = f->next)
    if (!strcmp(f->name, name)) {
      ap_fail(b->diags, loc, "%s=\"%s\": a signature field of that name is already at %s:%d:%d", attr, name,
              f->loc.file, f->loc.line, f->loc.col);
      return NULL;
    }
  ap_field_name_t *f = AP_NEW(b->lasting, ap_field_name_t);
  f->name = ap_arena_strdup(b->lasting, name);
  f->loc = loc;
  f->next = b->field_names;
  b->field_names = f;

  ap_node_t *node = ap_node_new(b->arena, AP_NODE_SIGFIELD, LOC(e, NULL));
  node->text = f->name;
  node->width = width;
  node->height = height;
  return node;
}

//
// 'ap_bind_signature_field()' - <signature-field name width height align>.
//
// A block as high as height=, as wide as width= (default the measure),
// aligned by align=, holding a signature field named name=.
//

ap_node_t *                                        // O - The node, NULL (recorded) on error
ap_bind_signature_field(ap_binder_t *b,            // I - Binder
                        xmlNodePtr e,              // I - The element
                        xmlNodePtr ctx)            // I - Data context
{
  double width = 0, height = 0;
  char *align;

  if (!ap_bind_number(b, e, "height", ctx, &AP_RANGE_EXTENT, &height))
    return NULL;
  if (xmlHasProp(e, (const xmlChar *)"width") && !ap_bind_number(b, e, "width", ctx, &AP_RANGE_EXTENT, &width))
    return NULL;
  if (height <= 0) {
    ap_fail(b->diags, LOC(e, NULL), "<signature-field> needs height=");
    return NULL;
  }
  ap_node_t *node = ap_bind_sigfield(b, e, "name", ctx, width, height);
  if (node && (align = ap_bind_attr(b, e, "align", ctx)))
    node->align = !strcmp(align, "center") ? AP_H_CENTER : !strcmp(align, "right") ? AP_H_RIGHT : AP_H_LEFT;
  return node;
}
