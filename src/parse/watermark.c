// Watermarks: a <watermark> of the whole document or of a page template.
// Its looks (face, colour, opacity, size, angle) are read here; its text
// may come from the data or a parameter and is bound later (bind/blocks.c).
#include "parse-private.h"

#include <string.h>

#include "../base/number.h"

#define DEFAULT_GREY 0.8 // Default colour: light grey (#CCCCCC)

static char *attr(xmlNodePtr node, const char *name, ap_arena_t *arena);
static bool read_face(const ap_layout_t *layout, xmlNodePtr node, ap_watermark_t *w, ap_arena_t *arena,
                      ap_diags_t *diags);

//
// 'ap_watermark_read()' - Read a <watermark>'s attributes but its text.
//

ap_watermark_t *                                  // O - Watermark (arena), NULL on error (recorded)
ap_watermark_read(const ap_layout_t *layout,      // I - Layout (families, palette, source)
                  xmlNodePtr         node,        // I - The <watermark> element
                  ap_arena_t        *arena,       // I - Job arena
                  ap_diags_t        *diags)       // I - Where errors go
{
  ap_watermark_t *w = AP_NEW(arena, ap_watermark_t); // The result
  char *color = attr(node, "color", arena), *value;
  double percent = 100;

  w->loc = ap_source_loc(&layout->src, node, NULL);
  w->color = (ap_color_t){.r = DEFAULT_GREY, .g = DEFAULT_GREY, .b = DEFAULT_GREY};
  w->opacity = 1;

  // Face: a style's, a family's bold face, or the first family's bold face...
  if (!read_face(layout, node, w, arena, diags))
    return NULL;

  // Colour, opacity, size and angle...
  if (color && !ap_parse_color(layout->doc, color, &w->color)) {
    ap_fail(diags, ap_source_loc(&layout->src, node, "color"),
            "color=\"%s\": expected #RRGGBB or a colour declared with <color>", color);
    return NULL;
  }
  if ((value = attr(node, "opacity", arena)) &&
      !ap_number_read(diags, ap_source_loc(&layout->src, node, "opacity"), "opacity", value, &AP_RANGE_OPACITY,
                      &percent))
    return NULL;
  w->opacity = percent / 100;
  if ((value = attr(node, "size", arena)) &&
      !ap_number_read(diags, ap_source_loc(&layout->src, node, "size"), "size", value, &AP_RANGE_FONT_SIZE,
                      &w->size))
    return NULL;
  if ((value = attr(node, "angle", arena))) {
    if (!ap_number_read(diags, ap_source_loc(&layout->src, node, "angle"), "angle", value, &AP_RANGE_ANGLE,
                        &w->angle))
      return NULL;
    w->angle_set = true;
  }
  return w;
}

// Attribute value copied into the arena, or NULL when absent.
static char *
attr(xmlNodePtr node, const char *name, ap_arena_t *arena)
{
  xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
  if (!v)
    return NULL;
  char *s = ap_arena_strdup(arena, (const char *)v);
  xmlFree(v);
  return s;
}

// The face: style= gives a style's family and face; family= a family (its
// bold face); face= the face within it. Without any, the bold face of the
// first family declared.
static bool
read_face(const ap_layout_t *layout, xmlNodePtr node, ap_watermark_t *w, ap_arena_t *arena, ap_diags_t *diags)
{
  const ap_doc_t *doc = layout->doc;
  char *style = attr(node, "style", arena), *family = attr(node, "family", arena), *face = attr(node, "face", arena);

  // The first family declared is the last of the list (families are prepended)...
  for (const ap_family_t *f = doc->families; f; f = f->next)
    w->family = f;
  w->bold = true;
  if (style) {
    const ap_style_t *s = ap_doc_find_style(doc, style);
    if (!s)
      return ap_fail(diags, ap_source_loc(&layout->src, node, "style"),
                     "style=\"%s\": no style of that name is declared", style);
    w->family = s->family;
    w->bold = s->bold;
    w->italic = s->italic;
  }
  if (family) {
    const ap_family_t *found = NULL;
    for (const ap_family_t *f = doc->families; f; f = f->next)
      if (!strcmp(f->name, family))
        found = f;
    if (!found)
      return ap_fail(diags, ap_source_loc(&layout->src, node, "family"),
                     "family=\"%s\": no font family of that name is declared", family);
    w->family = found;
  }
  if (face) { // The schema allows these four only
    w->bold = !strcmp(face, "bold") || !strcmp(face, "bold-italic");
    w->italic = !strcmp(face, "italic") || !strcmp(face, "bold-italic");
  }
  return true;
}
