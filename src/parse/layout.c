// Layout files: schema check against the embedded RELAX NG grammar, then the
// global definitions (families, styles with inheritance, page templates,
// footnote settings, numbering, templates) read into the document.
#include "parse-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/installed.h"
#include "../base/number.h"
#include "../base/path.h"


// A style's rule-below=: a share of its widest line's text, in percent.
static const ap_range_t RULE_BELOW = {AP_NUM_REAL, "a percentage of the line's text", 0, 100, false, "%"};

typedef struct reader_s {
  ap_layout_t *layout; // Layout being read
  ap_arena_t *arena;   // Job arena
  ap_diags_t *diags;   // Where errors go
} reader_t;

static char *attr(reader_t *r, xmlNodePtr node, const char *name);
static bool bool_attr(reader_t *r, xmlNodePtr node, const char *name, bool *value);
static bool length_attr(reader_t *r, xmlNodePtr node, const char *name, const ap_range_t *range, double *value);
static bool read_color(reader_t *r, xmlNodePtr node);
static bool read_family(reader_t *r, xmlNodePtr node);
static bool read_footnotes(reader_t *r, xmlNodePtr node);
static bool read_layout(ap_layout_t *layout, const char *path, ap_files_t *files, ap_arena_t *arena,
                        ap_diags_t *diags);
static bool read_page(reader_t *r, xmlNodePtr node);
static bool read_style(reader_t *r, xmlNodePtr node);

//
// 'ap_layout_doc()' - The layout's document.
//

ap_doc_t *
ap_layout_doc(const ap_layout_t *layout)
{
  return layout->doc;
}

//
// 'ap_layout_free()' - Free the layout's XML.
//

void
ap_layout_free(ap_layout_t *layout)
{
  if (layout)
    ap_source_free(&layout->src);
}

//
// 'ap_layout_parse()' - Load, validate and read a layout file into the arena.
//

ap_layout_t *
ap_layout_parse(const char *path, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags)
{
  ap_layout_t *layout = AP_NEW(arena, ap_layout_t);

  if (read_layout(layout, path, files, arena, diags))
    return layout;
  ap_layout_free(layout);
  return NULL;
}

//
// 'ap_layout_path()' - The layout's file name as given.
//

const char *
ap_layout_path(const ap_layout_t *layout)
{
  return layout->src.path;
}

//
// 'ap_parse_color()' - Parse "#RRGGBB" or a palette colour's name.
//

bool
ap_parse_color(const ap_doc_t *doc, const char *text, ap_color_t *color)
{
  if (text[0] == '#' && strlen(text) == 7 && strspn(text + 1, "0123456789abcdefABCDEF") == 6) {
    unsigned long rgb = strtoul(text + 1, NULL, 16);
    memset(color, 0, sizeof(*color));
    color->r = ((rgb >> 16) & 0xFF) / 255.0;
    color->g = ((rgb >> 8) & 0xFF) / 255.0;
    color->b = (rgb & 0xFF) / 255.0;
    return true;
  }
  for (const ap_swatch_t *s = doc->palette; s; s = s->next)
    if (!strcmp(s->name, text)) {
      *color = s->color;
      return true;
    }
  return false;
}

//
// 'ap_parse_length()' - Parse "12pt", "20mm", "1.5cm" or "12" (points).
//
// Only finite lengths: "nan", "inf" and overflowing values are refused
// (callers check the range of their attribute, see base/number.h).
//

bool
ap_parse_length(const char *text, double *points)
{
  const char *end;
  double v;

  if (!ap_number_scan(text, &v, &end) || !isfinite(ap_mm(v * 10)))
    return false;
  if (!*end || !strcmp(end, "pt"))
    *points = v;
  else if (!strcmp(end, "mm"))
    *points = ap_mm(v);
  else if (!strcmp(end, "cm"))
    *points = ap_mm(v * 10);
  else
    return false;
  return true;
}

// Attribute value copied into the arena, or NULL when absent.
static char *
attr(reader_t *r, xmlNodePtr node, const char *name)
{
  xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
  if (!v)
    return NULL;
  char *s = ap_arena_strdup(r->arena, (const char *)v);
  xmlFree(v);
  return s;
}

// Boolean attribute (schema-checked to true/false); absent leaves *value.
static bool
bool_attr(reader_t *r, xmlNodePtr node, const char *name, bool *value)
{
  char *v = attr(r, node, name);
  if (v)
    *value = !strcmp(v, "true");
  return true;
}

// Length attribute inside its range (base/number.h); absent leaves *value.
static bool
length_attr(reader_t *r, xmlNodePtr node, const char *name, const ap_range_t *range, double *value)
{
  char *v = attr(r, node, name);
  return !v || ap_number_read(r->diags, ap_source_loc(&r->layout->src, node, name), name, v, range, value);
}

// <color name rgb|cmyk>: a palette colour. A CMYK colour keeps an RGB look
// (the usual naive conversion) for the dump and for screens.
static bool
read_color(reader_t *r, xmlNodePtr node)
{
  ap_swatch_t *s = AP_NEW(r->arena, ap_swatch_t);
  char *rgb = attr(r, node, "rgb"), *cmyk = attr(r, node, "cmyk");

  s->name = attr(r, node, "name");
  for (const ap_swatch_t *o = r->layout->doc->palette; o; o = o->next)
    if (!strcmp(o->name, s->name))
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "name"), "colour '%s' is declared twice", s->name);
  if (rgb) {
    if (rgb[0] != '#' || !ap_parse_color(r->layout->doc, rgb, &s->color))
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "rgb"), "rgb=\"%s\": expected #RRGGBB", rgb);
  } else if (!cmyk) {
    return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, NULL), "<color> needs rgb= or cmyk=");
  } else {
    double v[4] = {0};
    const char *p = cmyk, *end;
    for (int i = 0; i < 4; i++) {
      if (!ap_number_scan(p, &v[i], &end) || !ap_number_in(&AP_RANGE_CMYK, v[i]) ||
          (i < 3 ? *end != ',' : *end != '\0'))
        return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "cmyk"),
                       "cmyk=\"%s\": expected four percentages from 0 to 100 (cyan,magenta,yellow,black)", cmyk);
      v[i] /= 100.0;
      p = end + (i < 3);
    }
    s->color.cmyk = true;
    s->color.c = v[0], s->color.m = v[1], s->color.y = v[2], s->color.k = v[3];
    s->color.r = (1 - v[0]) * (1 - v[3]);
    s->color.g = (1 - v[1]) * (1 - v[3]);
    s->color.b = (1 - v[2]) * (1 - v[3]);
  }
  s->next = r->layout->doc->palette;
  r->layout->doc->palette = s;
  return true;
}

// <family name regular bold italic bold-italic font fallback>
static bool
read_family(reader_t *r, xmlNodePtr node)
{
  static const char *const faces[4] = {"regular", "bold", "italic", "bold-italic"};
  ap_family_t *f = AP_NEW(r->arena, ap_family_t);
  ap_doc_t *doc = r->layout->doc;

  f->name = attr(r, node, "name");
  if (!xmlHasProp(node, (const xmlChar *)"regular") && !xmlHasProp(node, (const xmlChar *)"font"))
    return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, NULL),
                   "<family> needs the attribute regular= (a font file) or font= (a font family's name)");
  // font="Family Name": the driver finds the faces not given as files (font/lookup.h)...
  if ((f->font = attr(r, node, "font")) != NULL)
    f->font_loc = ap_source_loc(&r->layout->src, node, "font");
  // Later font errors point at regular=, else at font=...
  f->loc = ap_source_loc(&r->layout->src, node, xmlHasProp(node, (const xmlChar *)"regular") ? "regular" : "font");
  if ((f->fallback = attr(r, node, "fallback")) != NULL) // Resolved once every family is read
    f->fallback_loc = ap_source_loc(&r->layout->src, node, "fallback");
  for (int i = 0; i < 4; i++) {
    char *file = attr(r, node, faces[i]);
    if (!file)
      continue;
    // The file is not opened here: the driver checks it against the folders a run may read...
    f->files[i] = file[0] == '/' ? file : ap_arena_printf(r->arena, "%s/%s", doc->fonts_dir, file);
    f->file_locs[i] = ap_source_loc(&r->layout->src, node, faces[i]);
  }
  f->next = doc->families;
  doc->families = f;
  return true;
}

// <footnotes style ref-style separator gap>
static bool
read_footnotes(reader_t *r, xmlNodePtr node)
{
  ap_notes_t *notes = &r->layout->doc->notes;
  const char *names[2] = {"style", "ref-style"};
  const ap_style_t **slots[2] = {&notes->style, &notes->ref_style};

  for (int i = 0; i < 2; i++) {
    char *name = attr(r, node, names[i]);
    if (!(*slots[i] = ap_doc_find_style(r->layout->doc, name)))
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, names[i]),
                     "%s=\"%s\": no style of that name is declared before it", names[i], name);
  }
  notes->separator = ap_mm(40);
  notes->gap = 8;
  return length_attr(r, node, "separator", &AP_RANGE_LENGTH, &notes->separator) &&
         length_attr(r, node, "gap", &AP_RANGE_LENGTH, &notes->gap);
}

// Load, validate and read a layout file into *layout (zeroed); false (one
// diagnostic) on error, its XML then left for ap_layout_free.
static bool
read_layout(ap_layout_t *layout, const char *path, ap_files_t *files, ap_arena_t *arena, ap_diags_t *diags)
{
  reader_t r = {layout, arena, diags};
  bool ok = true;

  if (!ap_source_read(&layout->src, path, AP_FILE_LAYOUT, diags) || !ap_layout_validate(layout, diags) ||
      !ap_layout_load_bases(&layout->src, files, arena, diags) || !ap_layout_load_form(layout, arena, diags))
    return false;

  // Fonts are found relative to the folder of the layout that says fonts=
  // (this one, else the nearest base); without one, in anpham's own fonts
  // folder (ap_installed_fonts_dir(): installed, or the build's)...
  ap_doc_t *doc = layout->doc = AP_NEW(arena, ap_doc_t);
  xmlNodePtr root = xmlDocGetRootElement(layout->src.doc);
  doc->fonts_dir = ap_installed_fonts_dir();
  for (const ap_source_t *s = &layout->src; s; s = s->base) {
    char *fonts = attr(&r, xmlDocGetRootElement(s->doc), "fonts");
    if (!fonts)
      continue;
    doc->fonts_dir = ap_path_beside(arena, s->path, fonts);
    break;
  }

  // Definitions in document order, the bases' first (styles may only
  // inherit from earlier ones)...
  int ndefs = 0;
  for (const ap_source_t *s = &layout->src; s; s = s->base)
    for (xmlNodePtr c = xmlDocGetRootElement(s->doc)->children; c; c = c->next)
      ndefs += c->type == XML_ELEMENT_NODE;
  xmlNodePtr *defs = AP_NEW_N(arena, xmlNodePtr, ndefs + 1);
  ndefs = ap_layout_definitions(&layout->src, defs, ndefs + 1);
  for (int d = 0; d < ndefs && ok; d++) {
    xmlNodePtr n = defs[d];
    const char *name = (const char *)n->name;
    if (!strcmp(name, "family"))
      ok = read_family(&r, n);
    else if (!strcmp(name, "style"))
      ok = read_style(&r, n);
    else if (!strcmp(name, "page"))
      ok = read_page(&r, n);
    else if (!strcmp(name, "numbering")) {
      double level;
      if (!ap_number_read(diags, ap_source_loc(&layout->src, n, "level"), "level", attr(&r, n, "level"),
                          &AP_RANGE_LEVEL, &level))
        return false;
      layout->numbering[(int)level] = attr(&r, n, "format");
    } else if (!strcmp(name, "param")) {
      if (layout->nparams == AP_LAYOUT_MAX_PARAMS)
        return ap_fail(diags, ap_source_loc(&layout->src, n, NULL), "too many parameters (%d at most)",
                       AP_LAYOUT_MAX_PARAMS);
      layout->params[layout->nparams][0] = attr(&r, n, "name");
      layout->params[layout->nparams][1] = attr(&r, n, "value");
      layout->nparams++;
    } else if (!strcmp(name, "color")) {
      ok = read_color(&r, n);
    } else if (!strcmp(name, "deck")) {
      if (layout->ndecks == (int)(sizeof(layout->decks) / sizeof(layout->decks[0])))
        return ap_fail(diags, ap_source_loc(&layout->src, n, NULL), "too many decks (16 at most)");
      layout->decks[layout->ndecks++] = n;
    } else if (!strcmp(name, "template")) {
      if (layout->ntemplates == (int)(sizeof(layout->templates) / sizeof(layout->templates[0])))
        return ap_fail(diags, ap_source_loc(&layout->src, n, NULL), "too many templates (64 at most)");
      layout->templates[layout->ntemplates++] = n;
    } else if (!strcmp(name, "info") || !strcmp(name, "body") || !strcmp(name, "footnotes") ||
               !strcmp(name, "watermark")) {
      // One of each at most (the schema allows any order, not counts)...
      xmlNodePtr *slot = name[0] == 'i'   ? &layout->info
                         : name[0] == 'b' ? &layout->body
                         : name[0] == 'w' ? &layout->watermark
                                          : NULL;
      if (slot && *slot)
        return ap_fail(diags, ap_source_loc(&layout->src, n, NULL), "a second <%s>: a layout has one", name);
      if (slot)
        *slot = n;
      else
        ok = read_footnotes(&r, n);
    }
  }
  if (!ok)
    return false;
  xmlNodePtr where = root;
  if (!doc->families)
    return ap_fail(diags, ap_source_loc(&layout->src, where, NULL), "the layout declares no <family>: at least one font family is expected");
  if (!ap_families_resolve(doc, arena, diags))
    return false;
  if (!layout->nmasters)
    return ap_fail(diags, ap_source_loc(&layout->src, where, NULL), "the layout declares no <page>: at least one page template is expected");
  if (!layout->body)
    return ap_fail(diags, ap_source_loc(&layout->src, where, NULL), "the layout has no <body>: the content to lay out is expected there");

  // Watermarks, once every family and colour they may name is known...
  if (layout->watermark && !(doc->watermark = ap_watermark_read(layout, layout->watermark, arena, diags)))
    return false;
  for (int i = 0; i < layout->nmasters; i++)
    if (layout->watermarks[i] &&
        !(layout->masters[i]->watermark = ap_watermark_read(layout, layout->watermarks[i], arena, diags)))
      return false;

  // Which templates the pages use (a form's own, "first" and "rest", when
  // the body names none)...
  const char *first = attr(&r, layout->body, "first-page");
  const char *rest = attr(&r, layout->body, "page");
  if (layout->form && !first && !rest)
    first = "first", rest = "rest";
  for (ap_master_t *m = doc->masters; m; m = m->next) {
    if (first && !strcmp(m->name, first))
      doc->first_master = m;
    if (rest && !strcmp(m->name, rest))
      doc->master = m;
  }
  if (!doc->master && rest)
    return ap_fail(diags, ap_source_loc(&layout->src, layout->body, "page"),
                   "no page template named '%s'", rest);
  if (!doc->first_master && first)
    return ap_fail(diags, ap_source_loc(&layout->src, layout->body, "first-page"),
                   "no page template named '%s'", first);
  if (!doc->master)
    doc->master = layout->masters[0];
  if (!doc->first_master)
    doc->first_master = doc->master;
  double first_number = 1;
  char *number = attr(&r, layout->body, "first-number");
  if (number && !ap_number_read(diags, ap_source_loc(&layout->src, layout->body, "first-number"), "first-number", number,
                                &AP_RANGE_PAGE_NUMBER, &first_number))
    return false;
  doc->first_number = (int)first_number;
  if (!doc->notes.style)
    doc->notes.style = doc->notes.ref_style = ap_doc_find_style(doc, "body");
  if (!doc->notes.style)
    doc->notes.style = doc->notes.ref_style = doc->styles;
  return true;
}

// <page name size orientation margin-* mirror> with optional header/footer.
static bool
read_page(reader_t *r, xmlNodePtr node)
{
  ap_layout_t *layout = r->layout;
  ap_master_t *m = AP_NEW(r->arena, ap_master_t);
  char *size = attr(r, node, "size"), *orient = attr(r, node, "orientation");
  bool mirror = false;

  if (layout->nmasters == 16)
    return ap_fail(r->diags, ap_source_loc(&layout->src, node, NULL), "too many page templates (16 at most)");
  m->name = attr(r, node, "name");
  m->loc = ap_source_loc(&layout->src, node, NULL);

  // Paper size, then orientation...
  double w = ap_mm(210), h = ap_mm(297);
  if (size && !strcmp(size, "A5"))
    w = ap_mm(148), h = ap_mm(210);
  else if (size && !strcmp(size, "A3"))
    w = ap_mm(297), h = ap_mm(420);
  else if (size && !strcmp(size, "Letter"))
    w = 612, h = 792;
  else if (size && strchr(size, 'x')) {
    // Custom: WIDTHxHEIGHTmm, each side inside its range...
    const char *end;
    char sides[64];
    if (!ap_number_scan(size, &w, &end) || *end != 'x' || !ap_number_scan(end + 1, &h, &end) ||
        strcmp(end, "mm") || !ap_number_in(&AP_RANGE_PAGE_SIDE, w) || !ap_number_in(&AP_RANGE_PAGE_SIDE, h)) {
      ap_number_describe(&AP_RANGE_PAGE_SIDE, sides, sizeof(sides));
      return ap_fail(r->diags, ap_source_loc(&layout->src, node, "size"),
                     "size=\"%s\": expected A4, A5, A3, Letter or a size such as 210x297mm, each side %s", size,
                     sides + strlen("a page side "));
    }
    w = ap_mm(w), h = ap_mm(h);
  } else if (size && strcmp(size, "A4")) {
    return ap_fail(r->diags, ap_source_loc(&layout->src, node, "size"),
                   "size=\"%s\": expected A4, A5, A3, Letter or a size such as 210x297mm", size);
  }
  if (orient && !strcmp(orient, "landscape") && w < h) {
    double t = w;
    w = h, h = t;
  }
  m->width = w, m->height = h;

  // Margins (defaults: 20 mm all round)...
  m->top = m->bottom = m->inner = m->outer = ap_mm(20);
  if (!length_attr(r, node, "margin-top", &AP_RANGE_LENGTH, &m->top) ||
      !length_attr(r, node, "margin-bottom", &AP_RANGE_LENGTH, &m->bottom) ||
      !length_attr(r, node, "margin-left", &AP_RANGE_LENGTH, &m->inner) ||
      !length_attr(r, node, "margin-right", &AP_RANGE_LENGTH, &m->outer) ||
      !bool_attr(r, node, "mirror", &mirror) || !length_attr(r, node, "bleed", &AP_RANGE_BLEED, &m->bleed))
    return false;
  m->mirror = mirror;
  if (m->top + m->bottom >= h - 36 || m->inner + m->outer >= w - 36) {
    bool tall = m->top + m->bottom >= h - 36; // Which pair is at fault
    return ap_fail(r->diags, m->loc,
                   "page '%s': the margins leave no room for text: %s and %s add up to %.1fmm on a page %.1fmm %s "
                   "(at least 12.7mm must remain)", m->name, tall ? "margin-top" : "margin-left",
                   tall ? "margin-bottom" : "margin-right", (tall ? m->top + m->bottom : m->inner + m->outer) / ap_mm(1),
                   (tall ? h : w) / ap_mm(1), tall ? "high" : "wide");
  }

  // Header, footer and watermark are bound later, with the data...
  int i = layout->nmasters++;
  layout->masters[i] = m;
  m->header_offset = m->top / 2;
  m->footer_offset = m->bottom / 2;
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (!strcmp((const char *)c->name, "watermark")) { // Read with the document's, see ap_layout_parse
      layout->watermarks[i] = c;
      continue;
    }
    bool header = !strcmp((const char *)c->name, "header");
    if (header)
      layout->header[i] = c;
    else
      layout->footer[i] = c;
    if (!length_attr(r, c, "offset", &AP_RANGE_LENGTH, header ? &m->header_offset : &m->footer_offset))
      return false;
  }

  // Keep declaration order...
  ap_master_t **tail = &layout->doc->masters;
  while (*tail)
    tail = &(*tail)->next;
  *tail = m;
  return true;
}

// <style name parent ...>: copy the parent, then override what is given.
static bool
read_style(reader_t *r, xmlNodePtr node)
{
  ap_doc_t *doc = r->layout->doc;
  ap_style_t *s = AP_NEW(r->arena, ap_style_t);
  char *parent = attr(r, node, "parent"), *family = attr(r, node, "family");
  char *leading = attr(r, node, "leading"), *align = attr(r, node, "align"), *color = attr(r, node, "color");

  if (parent) {
    // Styles inherit from earlier ones only, so no chain of parents can loop...
    xmlChar *own = xmlGetProp(node, (const xmlChar *)"name");
    bool self = own && !strcmp((const char *)own, parent);
    xmlFree(own);
    if (self)
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "parent"),
                     "parent=\"%s\": a style cannot inherit from itself: expected an earlier style", parent);
    const ap_style_t *p = ap_doc_find_style(doc, parent);
    if (!p)
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "parent"),
                     "parent=\"%s\": no style of that name is declared before this one", parent);
    *s = *p;
  } else {
    s->size = 12;
    s->leading = 0; // Set below from the size
    s->align = AP_H_LEFT;
  }
  s->name = attr(r, node, "name");
  s->loc = ap_source_loc(&r->layout->src, node, NULL);
  s->next = NULL;
  if (ap_doc_find_style(doc, s->name))
    return ap_fail(r->diags, s->loc, "style '%s' is declared twice", s->name);

  // Font...
  if (family) {
    s->family = NULL;
    for (const ap_family_t *f = doc->families; f; f = f->next)
      if (!strcmp(f->name, family))
        s->family = f;
    if (!s->family)
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "family"),
                     "family=\"%s\": no font family of that name is declared before this style", family);
  }
  if (!s->family && !(s->family = doc->families))
    return ap_fail(r->diags, s->loc, "style '%s' needs a font family: declare <family> first", s->name);
  double old_size = s->size;
  if (!length_attr(r, node, "size", &AP_RANGE_FONT_SIZE, &s->size))
    return false;

  // Leading: a length, or a bare factor of the size; inherited leading scales with the size...
  if (leading) {
    const char *end;
    double v;
    char expect[160];
    if (ap_number_scan(leading, &v, &end) && *end == '\0' && v > 0 && v < 5)
      s->leading = v * s->size;
    else if (!ap_number_parse(&AP_RANGE_LEADING, leading, &s->leading)) {
      ap_number_describe(&AP_RANGE_LEADING, expect, sizeof(expect));
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "leading"),
                     "leading=\"%s\": expected a factor of the size above 0 and below 5 (1.2) or %s", leading,
                     expect);
    }
  } else if (!s->leading)
    s->leading = 1.2 * s->size;
  else if (old_size != s->size)
    s->leading *= s->size / old_size;

  // Spacing, indents, alignment, colour, flags...
  if (!length_attr(r, node, "space-before", &AP_RANGE_LENGTH, &s->space_before) ||
      !length_attr(r, node, "space-after", &AP_RANGE_LENGTH, &s->space_after) ||
      !length_attr(r, node, "first-indent", &AP_RANGE_INDENT, &s->first_indent) ||
      !length_attr(r, node, "indent", &AP_RANGE_LENGTH, &s->left_indent) || !bool_attr(r, node, "bold", &s->bold) ||
      !bool_attr(r, node, "italic", &s->italic) || !bool_attr(r, node, "underline", &s->underline) ||
      !bool_attr(r, node, "uppercase", &s->uppercase) ||
      !bool_attr(r, node, "keep-with-next", &s->keep_with_next) ||
      !bool_attr(r, node, "keep-with-previous", &s->keep_with_previous) ||
      !bool_attr(r, node, "keep-together", &s->keep_together) || !bool_attr(r, node, "hang", &s->hang))
    return false;

  // A rule under the paragraph: a percentage of its widest line's text...
  char *rule = attr(r, node, "rule-below");
  if (rule) {
    double percent;
    if (!ap_number_read(r->diags, ap_source_loc(&r->layout->src, node, "rule-below"), "rule-below", rule,
                        &RULE_BELOW, &percent))
      return false;
    s->rule_below = percent / 100;
  }
  if (align)
    s->align = !strcmp(align, "center") ? AP_H_CENTER
               : !strcmp(align, "right") ? AP_H_RIGHT
               : !strcmp(align, "justify") ? AP_H_JUSTIFY
                                           : AP_H_LEFT;
  if (color && !ap_parse_color(doc, color, &s->color))
    return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "color"),
                   "color=\"%s\": expected #RRGGBB or a colour declared before with <color>", color);

  // Keep declaration order...
  ap_style_t **tail = &doc->styles;
  while (*tail)
    tail = &(*tail)->next;
  *tail = s;
  return true;
}
