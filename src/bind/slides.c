// Slide binding: decks of slides, frames, shapes, grids repeated from the
// data, charts and their points, and the <slides>/<handout> placements.
// Geometry stays relative (lengths or fractions of the container): layout
// resolves it against the slide or the grid cell.
#include "bind-private.h"
#include "../base/utf8.h"

#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static bool bind_chart(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *node);
static bool get_colors(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_spec_t *spec);
static bool point_extras(ap_binder_t *b, xmlNodePtr e, xmlNodePtr data, const char *at, const char *series,
                         const char *reference, int index, ap_node_t *pt);
typedef struct slides_arg_s {
  ap_node_t *holder;          // Where the slides go
  const ap_master_t *master;  // Their default page template
} slides_arg_t;

static bool placed(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static bool slide_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static bool bind_placed(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *parent);
static ap_node_t *bind_slide(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, const ap_master_t *master);
static bool bind_slides(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *holder,
                        const ap_master_t *master);
static bool get_extent(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, double *length,
                       double *fraction);
static bool get_paint(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_paint_t *paint);
static const ap_master_t *find_master(ap_binder_t *b, const char *name);
static ap_node_t *new_spec_node(ap_binder_t *b, ap_node_kind_t kind, xmlNodePtr e, ap_spec_t **spec);

#define LOC(elem, attr) ap_bind_loc(b, (elem), (attr))

//
// 'ap_bind_deck()' - Bind a deck's slides and keep the deck by name.
//

bool
ap_bind_deck(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_deck_t *deck = AP_NEW(b->arena, ap_deck_t);
  char *page = ap_bind_attr(b, e, "page", ctx);

  deck->name = ap_bind_attr(b, e, "name", ctx);
  if (!deck->name || !page)
    return false;
  if (ap_doc_find_deck(b->doc, deck->name))
    return ap_fail(b->diags, LOC(e, "name"), "deck '%s' is declared twice", deck->name);
  if (!(deck->master = find_master(b, page)))
    return ap_fail(b->diags, LOC(e, "page"), "page=\"%s\": no page template of that name", page);
  deck->slides = ap_node_new(b->arena, AP_NODE_COLUMN, LOC(e, NULL));
  if (!bind_slides(b, e->children, ctx, deck->slides, deck->master))
    return false;
  deck->next = b->doc->decks;
  b->doc->decks = deck;
  return true;
}

//
// 'ap_bind_slide_block()' - A slide, chart, <slides> or <handout> among the blocks.
//

ap_node_t *
ap_bind_slide_block(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  const char *name = (const char *)e->name;
  ap_spec_t *spec;
  ap_node_t *node;

  if (!strcmp(name, "slide"))
    return bind_slide(b, e, ctx, b->doc->master);
  if (!strcmp(name, "chart")) {
    node = new_spec_node(b, AP_NODE_CHART, e, &spec);
    return bind_chart(b, e, ctx, node) ? node : NULL;
  }

  // <slides deck> and <handout deck per-page>: the deck is looked up at layout
  // time, once every deck is bound...
  node = new_spec_node(b, !strcmp(name, "slides") ? AP_NODE_SLIDES : AP_NODE_HANDOUT, e, &spec);
  if (!(spec->deck = ap_bind_attr(b, e, "deck", ctx)))
    return NULL;
  char *page = ap_bind_attr(b, e, "page", ctx);
  double per = 3;
  if (!ap_bind_number(b, e, "per-page", ctx, &AP_RANGE_PER_PAGE, &per))
    return NULL;
  spec->per_page = (int)per;

  // A handout may open with a title: a level-1 entry of the outline and TOC...
  char *title = ap_bind_attr(b, e, "title", ctx);
  if (title) {
    char *style = ap_bind_attr(b, e, "title-style", ctx);
    node->text = title;
    node->level = 1;
    node->id = ap_arena_printf(b->arena, "h%d", ++b->headings);
    if (!(node->style = ap_doc_find_style(b->doc, style ? style : "body")))
      return ap_fail(b->diags, LOC(e, "title-style"), "title-style=\"%s\": no style of that name is declared",
                     style ? style : "body"), NULL;
  }
  // page= sets the slides in another page template (16:9 or A4 landscape):
  // their geometry is relative, so they lay out again at that size...
  if (page && !(spec->master = find_master(b, page))) {
    ap_fail(b->diags, LOC(e, "page"), "page=\"%s\": no page template of that name", page);
    return NULL;
  }
  return node;
}

// <chart type x y width height select label value at series reference colors title unit decimals style
// title-style fill stroke>
static bool
bind_chart(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *node)
{
  ap_spec_t *spec = (ap_spec_t *)node->spec;
  char *type = ap_bind_attr(b, e, "type", ctx);
  double decimals = -1; // Absent: as many as needed
  xmlChar *label = xmlGetProp(e, (const xmlChar *)"label"), *value = xmlGetProp(e, (const xmlChar *)"value");
  xmlChar *at = xmlGetProp(e, (const xmlChar *)"at");               // Number on a numeric axis
  xmlChar *series = xmlGetProp(e, (const xmlChar *)"series");       // Series name
  xmlChar *reference = xmlGetProp(e, (const xmlChar *)"reference"); // A reference value, not a point
  xmlNodeSetPtr set;
  xmlXPathObjectPtr obj;
  bool ok = true;

  spec->columns = type && !strcmp(type, "line") ? 1 : 0;
  if (!ap_bind_number(b, e, "decimals", ctx, &AP_RANGE_DECIMALS, &decimals))
    return false;
  spec->decimals = (int)decimals;
  spec->unit = ap_bind_attr(b, e, "unit", ctx);
  node->text = ap_bind_attr(b, e, "title", ctx);
  spec->fw = spec->fh = 1; // Default: the whole container
  if (!get_extent(b, e, "x", ctx, &spec->x, &spec->fx) || !get_extent(b, e, "y", ctx, &spec->y, &spec->fy) ||
      !get_extent(b, e, "width", ctx, &spec->w, &spec->fw) ||
      !get_extent(b, e, "height", ctx, &spec->h, &spec->fh) || !get_paint(b, e, ctx, &spec->paint) ||
      !(node->style = ap_bind_style(b, e, ctx))) {
    ok = false;
  } else {
    char *ts = ap_bind_attr(b, e, "title-style", ctx);
    spec->style2 = ts ? ap_doc_find_style(b->doc, ts) : node->style;
    if (!spec->style2)
      ok = ap_fail(b->diags, LOC(e, "title-style"), "title-style=\"%s\": no style of that name is declared", ts);
    else if (node->text && spec->style2->uppercase) // As paragraphs in that style would be
      node->text = ap_bind_uppercase(b->arena, node->text);
  }
  if (ok && !get_colors(b, e, ctx, spec))
    ok = false;
  spec->numeric_axis = at != NULL;

  // One point per selected node: its label and value, read at that node...
  if (ok && (ok = ap_bind_select(b, e, "select", ctx, &set, &obj))) {
    for (int i = 0; ok && set && i < set->nodeNr; i++) {
      ap_node_t *pt = ap_node_new(b->arena, AP_NODE_POINT, node->loc);
      xmlXPathObjectPtr lo = ap_bind_eval(b, (const char *)label, set->nodeTab[i], LOC(e, "label"));
      xmlXPathObjectPtr vo = lo ? ap_bind_eval(b, (const char *)value, set->nodeTab[i], LOC(e, "value")) : NULL;
      if (!lo || !vo) {
        ok = false;
      } else {
        xmlChar *s = ap_bind_string(lo);
        pt->text = ap_bind_collapse(b->arena, (const char *)s, strlen((const char *)s));
        if (node->style->uppercase)
          pt->text = ap_bind_uppercase(b->arena, pt->text);
        xmlFree(s);
        pt->width = xmlXPathCastToNumber(vo);
        if (!ap_number_in(&AP_RANGE_VALUE, pt->width)) {
          char expect[160];
          ap_number_describe(&AP_RANGE_VALUE, expect, sizeof(expect));
          ok = ap_fail(b->diags, LOC(e, "value"), "value=\"%s\" gives %s for point %d ('%s'): expected %s",
                       (const char *)value, xmlXPathIsNaN(pt->width) ? "no number" : "a number out of range", i + 1,
                       pt->text, expect);
        }
        if (ok)
          ok = point_extras(b, e, set->nodeTab[i], (const char *)at, (const char *)series,
                            (const char *)reference, i + 1, pt);
        ap_node_append(node, pt);
      }
      xmlXPathFreeObject(lo);
      xmlXPathFreeObject(vo);
    }
    xmlXPathFreeObject(obj);
    if (ok && !node->children)
      ok = ap_fail(b->diags, LOC(e, "select"), "the chart selects no data point");
  }
  xmlFree(label);
  xmlFree(value);
  xmlFree(at);
  xmlFree(series);
  xmlFree(reference);
  return ok;
}

// colors="c1 c2 …": the colours of a chart's series, by value or palette name.
static bool
get_colors(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_spec_t *spec)
{
  int before = b->diags->errors;
  char *v = ap_bind_attr(b, e, "colors", ctx);
  if (!v)
    return b->diags->errors == before;
  int n = 0;
  for (char *p = v; *p;) {
    p += strspn(p, " \t\n");
    if (*p)
      n++;
    p += strcspn(p, " \t\n");
  }
  if (n == 0 || n > AP_CHART_MAX_SERIES)
    return ap_fail(b->diags, LOC(e, "colors"), "colors=\"%s\": expected 1 to %d colours (#RRGGBB or names "
                   "declared with <color>) separated by spaces", v, AP_CHART_MAX_SERIES);
  ap_color_t *colors = AP_NEW_N(b->arena, ap_color_t, n);
  int i = 0;
  for (char *p = v; *p;) {
    p += strspn(p, " \t\n");
    size_t len = strcspn(p, " \t\n");
    if (!len)
      break;
    char *name = ap_arena_strndup(b->arena, p, len);
    if (!ap_parse_color(b->doc, name, &colors[i++]))
      return ap_fail(b->diags, LOC(e, "colors"), "colors=\"%s\": '%s' is neither #RRGGBB nor a colour declared "
                     "with <color>", v, name);
    p += len;
  }
  spec->colors = colors;
  spec->ncolors = n;
  return true;
}

// at=, series= and reference= of one chart point, read at its data node.
static bool
point_extras(ap_binder_t *b, xmlNodePtr e, xmlNodePtr data, const char *at, const char *series,
             const char *reference, int index, ap_node_t *pt)
{
  xmlXPathObjectPtr obj;

  // A reference value (an average of a period, a target): a line, not a point...
  if (reference) {
    if (!(obj = ap_bind_eval(b, reference, data, LOC(e, "reference"))))
      return false;
    pt->level = xmlXPathCastToBoolean(obj) ? 1 : 0;
    xmlXPathFreeObject(obj);
  }

  // The point's number on a numeric axis (a year); a reference value has none...
  if (at && !pt->level) {
    if (!(obj = ap_bind_eval(b, at, data, LOC(e, "at"))))
      return false;
    pt->height = xmlXPathCastToNumber(obj);
    xmlXPathFreeObject(obj);
    if (!ap_number_in(&AP_RANGE_VALUE, pt->height)) {
      char expect[160];
      ap_number_describe(&AP_RANGE_VALUE, expect, sizeof(expect));
      return ap_fail(b->diags, LOC(e, "at"), "at=\"%s\" gives %s for point %d ('%s'): expected %s", at,
                     xmlXPathIsNaN(pt->height) ? "no number" : "a number out of range", index, pt->text, expect);
    }
  }

  // The series it belongs to, by name (empty: the chart's one series)...
  if (series && !pt->level) {
    if (!(obj = ap_bind_eval(b, series, data, LOC(e, "series"))))
      return false;
    xmlChar *s = ap_bind_string(obj);
    xmlXPathFreeObject(obj);
    char *name = s ? ap_bind_collapse(b->arena, (const char *)s, strlen((const char *)s)) : NULL;
    xmlFree(s);
    pt->label = name && *name ? name : NULL;
  }
  return true;
}

// What a slide or a grid cell holds: frames, shapes, grids, charts, control.
static bool
bind_placed(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *parent)
{
  return ap_bind_each(b, first, ctx, placed, parent);
}

// One frame, shape, grid or chart (for-each and if are expanded by ap_bind_each).
static bool
placed(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  ap_node_t *parent = arg;
  const char *name = (const char *)e->name;
  ap_spec_t *spec;
  ap_node_t *node = NULL;

  if (!strcmp(name, "frame") || !strcmp(name, "rect") || !strcmp(name, "circle")) {
    bool frame = name[0] == 'f';
    node = new_spec_node(b, frame ? AP_NODE_FRAME : AP_NODE_SHAPE, e, &spec);
    spec->shape = name[0] == 'c' ? AP_SHAPE_CIRCLE : AP_SHAPE_RECT;
    spec->fw = spec->fh = 1; // Default: the whole container
    char *valign = ap_bind_attr(b, e, "valign", ctx), *fit = ap_bind_attr(b, e, "fit", ctx);
    spec->valign = !valign ? AP_V_TOP : !strcmp(valign, "middle") ? AP_V_MIDDLE
                                      : !strcmp(valign, "bottom") ? AP_V_BOTTOM
                                                                  : AP_V_TOP;
    spec->shrink = fit && !strcmp(fit, "shrink");
    spec->min_size = 6;
    if (frame) {
      char *fname = ap_bind_attr(b, e, "name", ctx);
      spec->name = fname ? fname : ap_arena_printf(b->arena, "frame at line %ld", xmlGetLineNo(e));
    }
    if (!get_extent(b, e, "x", ctx, &spec->x, &spec->fx) ||
        !get_extent(b, e, "y", ctx, &spec->y, &spec->fy) ||
        !get_extent(b, e, "width", ctx, &spec->w, &spec->fw) ||
        !get_extent(b, e, "height", ctx, &spec->h, &spec->fh) || !get_paint(b, e, ctx, &spec->paint) ||
        !ap_bind_number(b, e, "radius", ctx, &AP_RANGE_LENGTH, &spec->paint.radius) ||
        !ap_bind_number(b, e, "padding", ctx, &AP_RANGE_LENGTH, &spec->padding) ||
        !ap_bind_number(b, e, "min-size", ctx, &AP_RANGE_FONT_SIZE, &spec->min_size))
      return false;
    if (frame && !ap_bind_blocks(b, e->children, ctx, node))
      return false;
  } else if (!strcmp(name, "line")) {
    // A line keeps its two ends: (x, y) = first, (w, h) = second...
    node = new_spec_node(b, AP_NODE_SHAPE, e, &spec);
    spec->shape = AP_SHAPE_LINE;
    if (!get_extent(b, e, "x1", ctx, &spec->x, &spec->fx) ||
        !get_extent(b, e, "y1", ctx, &spec->y, &spec->fy) ||
        !get_extent(b, e, "x2", ctx, &spec->w, &spec->fw) ||
        !get_extent(b, e, "y2", ctx, &spec->h, &spec->fh) || !get_paint(b, e, ctx, &spec->paint))
      return false;
    if (!spec->paint.stroke) {
      spec->paint.stroke = true;
      spec->paint.stroke_width = spec->paint.stroke_width ? spec->paint.stroke_width : 0.75;
    }
  } else if (!strcmp(name, "grid")) {
    // One cell per selected node, bound at that node...
    node = new_spec_node(b, AP_NODE_GRID, e, &spec);
    spec->fw = spec->fh = 1;
    double cols = 1;
    if (!ap_bind_number(b, e, "columns", ctx, &AP_RANGE_GRID_COLUMNS, &cols))
      return false;
    spec->columns = (int)cols;
    xmlNodeSetPtr set;
    xmlXPathObjectPtr obj;
    if (!get_extent(b, e, "x", ctx, &spec->x, &spec->fx) ||
        !get_extent(b, e, "y", ctx, &spec->y, &spec->fy) ||
        !get_extent(b, e, "width", ctx, &spec->w, &spec->fw) ||
        !get_extent(b, e, "height", ctx, &spec->h, &spec->fh) ||
        !ap_bind_number(b, e, "gap", ctx, &AP_RANGE_LENGTH, &spec->gap) ||
        !ap_bind_select(b, e, "select", ctx, &set, &obj))
      return false;
    bool ok = true;
    for (int i = 0; ok && set && i < set->nodeNr; i++) {
      ap_node_t *cell = ap_node_new(b->arena, AP_NODE_COLUMN, node->loc);
      ok = bind_placed(b, e->children, set->nodeTab[i], cell);
      ap_node_append(node, cell);
    }
    xmlXPathFreeObject(obj);
    if (!ok)
      return false;
  } else if (!strcmp(name, "chart")) {
    node = new_spec_node(b, AP_NODE_CHART, e, &spec);
    if (!bind_chart(b, e, ctx, node))
      return false;
  }
  if (node)
    ap_node_append(parent, node);
  return true;
}

// One <slide page>: its frames and shapes; NULL on error.
static ap_node_t *
bind_slide(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, const ap_master_t *master)
{
  ap_spec_t *spec;
  ap_node_t *slide = new_spec_node(b, AP_NODE_SLIDE, e, &spec);
  char *page = ap_bind_attr(b, e, "page", ctx);

  spec->master = page ? find_master(b, page) : master;
  if (!spec->master) {
    ap_fail(b->diags, LOC(e, "page"), "page=\"%s\": no page template of that name", page);
    return NULL;
  }
  char *title = ap_bind_attr(b, e, "title", ctx); // Its bookmark
  if (title && *title)
    slide->text = ap_utf8_nfc(b->arena, title, strlen(title));
  return bind_placed(b, e->children, ctx, slide) ? slide : NULL;
}

// <slide> elements (through for-each and if) into holder.
static bool
bind_slides(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *holder, const ap_master_t *master)
{
  slides_arg_t args = {holder, master};
  return ap_bind_each(b, first, ctx, slide_one, &args);
}

// One <slide> of a deck (for-each and if are expanded by ap_bind_each).
static bool
slide_one(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  const slides_arg_t *args = arg;
  ap_node_t *holder = args->holder;
  const ap_master_t *master = args->master;
  const char *name = (const char *)e->name;
  if (!strcmp(name, "slide")) {
    ap_node_t *slide = bind_slide(b, e, ctx, master);
    if (!slide)
      return false;
    ap_node_append(holder, slide);
  }
  return true;
}

// A length ("12mm"), a percentage of the container ("50%"), or both
// ("100% - 28mm", "50% + 2mm"); absent leaves both parts as they are.
static bool
get_extent(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, double *length, double *fraction)
{
  int before = b->diags->errors;
  char *v = ap_bind_attr(b, e, name, ctx);
  if (!v)
    return b->diags->errors == before;

  // Terms: [sign] number [unit], joined by + or -...
  double len = 0, frac = 0;
  const char *p = v;
  bool first = true;
  for (;;) {
    while (*p == ' ')
      p++;
    double sign = 1;
    if (*p == '+' || *p == '-') {
      sign = *p == '-' ? -1 : 1;
      p++;
      while (*p == ' ')
        p++;
    } else if (!first) {
      break;
    }
    const char *end, *num = p; // The term's number
    double n;
    if (!ap_number_scan(p, &n, &end))
      goto bad;
    p = end;
    if (*p == '%') {
      frac += sign * n / 100.0;
      p++;
    } else {
      for (int k = 0; k < 2 && *p >= 'a' && *p <= 'z'; k++) // The unit: pt, mm, cm
        p++;
      double pts;
      char term[64];
      if ((size_t)(p - num) >= sizeof(term))
        goto bad;
      memcpy(term, num, (size_t)(p - num));
      term[p - num] = '\0';
      if (!ap_parse_length(term, &pts))
        goto bad;
      len += sign * pts;
    }
    first = false;
    while (*p == ' ')
      p++;
    if (!*p)
      break;
  }
  if (*p || !ap_number_in(&AP_RANGE_POSITION, len) || !ap_number_in(&AP_RANGE_FRACTION, frac * 100))
    goto bad;
  *length = len;
  *fraction = frac;
  return true;

bad:
  return ap_fail(b->diags, LOC(e, name),
                 "%s=\"%s\": expected a length (12mm), a percentage (50%%) or both (100%% - 28mm), "
                 "the length from -5000mm to 5000mm, the percentage from -1000%% to 1000%%", name, v);
}

// fill, stroke, stroke-width: colours by value or palette name.
static bool
get_paint(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_paint_t *paint)
{
  const char *names[2] = {"fill", "stroke"};
  ap_color_t *colors[2] = {&paint->fill_color, &paint->stroke_color};
  bool *flags[2] = {&paint->fill, &paint->stroke};

  for (int i = 0; i < 2; i++) {
    int before = b->diags->errors;
    char *v = ap_bind_attr(b, e, names[i], ctx);
    if (!v) {
      if (b->diags->errors != before)
        return false;
      continue;
    }
    if (!strcmp(v, "none"))
      continue;
    if (!ap_parse_color(b->doc, v, colors[i]))
      return ap_fail(b->diags, LOC(e, names[i]), "%s=\"%s\": expected #RRGGBB or a colour declared with <color>",
                     names[i], v);
    *flags[i] = true;
  }
  paint->stroke_width = paint->stroke ? 0.75 : 0;
  return ap_bind_number(b, e, "stroke-width", ctx, &AP_RANGE_THICKNESS, &paint->stroke_width);
}

// Page template by name.
static const ap_master_t *
find_master(ap_binder_t *b, const char *name)
{
  for (const ap_master_t *m = b->doc->masters; m; m = m->next)
    if (!strcmp(m->name, name))
      return m;
  return NULL;
}

// A node with a fresh spec.
static ap_node_t *
new_spec_node(ap_binder_t *b, ap_node_kind_t kind, xmlNodePtr e, ap_spec_t **spec)
{
  ap_node_t *node = ap_node_new(b->arena, kind, LOC(e, NULL));
  *spec = AP_NEW(b->arena, ap_spec_t);
  node->spec = *spec;
  return node;
}
