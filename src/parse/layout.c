// Layout files: schema check against the embedded RELAX NG grammar, then the
// global definitions (families, styles with inheritance, page templates,
// footnote settings, numbering, templates) read into the document.
#include "parse.h"

#include <stdlib.h>
#include <string.h>


typedef struct reader_s {
  ap_layout_t *layout; // Layout being read
  ap_arena_t *arena;   // Job arena
  ap_diags_t *diags;   // Where errors go
} reader_t;

static char *attr(reader_t *r, xmlNodePtr node, const char *name);
static bool bool_attr(reader_t *r, xmlNodePtr node, const char *name, bool *value);
static bool length_attr(reader_t *r, xmlNodePtr node, const char *name, double *value);
static bool read_color(reader_t *r, xmlNodePtr node);
static bool read_family(reader_t *r, xmlNodePtr node);
static bool read_footnotes(reader_t *r, xmlNodePtr node);
static bool read_page(reader_t *r, xmlNodePtr node);
static bool read_style(reader_t *r, xmlNodePtr node);

//
// 'ap_layout_free()' - Free the layout's XML.
//

void
ap_layout_free(ap_layout_t *layout)
{
  ap_source_free(&layout->src);
}

//
// 'ap_layout_parse()' - Load, validate and read a layout file.
//

bool
ap_layout_parse(ap_layout_t *layout, const char *path, ap_arena_t *arena, ap_diags_t *diags)
{
  reader_t r = {layout, arena, diags};
  bool ok = true;

  memset(layout, 0, sizeof(*layout));
  if (!ap_source_load(&layout->src, path, diags) || !ap_layout_validate(layout, diags))
    return false;

  // Fonts are found relative to the layout file's folder...
  ap_doc_t *doc = layout->doc = AP_NEW(arena, ap_doc_t);
  xmlNodePtr root = xmlDocGetRootElement(layout->src.doc);
  char *fonts = attr(&r, root, "fonts");
  const char *slash = strrchr(path, '/');
  char *dir = slash ? ap_arena_strndup(arena, path, (size_t)(slash - path)) : ap_arena_strdup(arena, ".");
  if (!fonts)
    doc->fonts_dir = ap_arena_printf(arena, "%s/../fonts", dir);
  else if (fonts[0] == '/')
    doc->fonts_dir = fonts;
  else
    doc->fonts_dir = ap_arena_printf(arena, "%s/%s", dir, fonts);

  // Definitions in document order (styles may only inherit from earlier ones)...
  for (xmlNodePtr n = root->children; n && ok; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)n->name;
    if (!strcmp(name, "family"))
      ok = read_family(&r, n);
    else if (!strcmp(name, "style"))
      ok = read_style(&r, n);
    else if (!strcmp(name, "page"))
      ok = read_page(&r, n);
    else if (!strcmp(name, "numbering")) {
      int level = atoi(attr(&r, n, "level"));
      layout->numbering[level] = attr(&r, n, "format");
    } else if (!strcmp(name, "param")) {
      if (layout->nparams == 32)
        return ap_fail(diags, ap_source_loc(&layout->src, n, NULL), "too many parameters (32 at most)");
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
    } else if (!strcmp(name, "info") || !strcmp(name, "body") || !strcmp(name, "footnotes")) {
      // One of each at most (the schema allows any order, not counts)...
      xmlNodePtr *slot = name[0] == 'i' ? &layout->info : name[0] == 'b' ? &layout->body : NULL;
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
  if (!layout->nmasters)
    return ap_fail(diags, ap_source_loc(&layout->src, where, NULL), "the layout declares no <page>: at least one page template is expected");
  if (!layout->body)
    return ap_fail(diags, ap_source_loc(&layout->src, where, NULL), "the layout has no <body>: the content to lay out is expected there");

  // Which templates the pages use...
  const char *first = attr(&r, layout->body, "first-page");
  const char *rest = attr(&r, layout->body, "page");
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
  if (!doc->notes.style)
    doc->notes.style = doc->notes.ref_style = ap_doc_find_style(doc, "body");
  if (!doc->notes.style)
    doc->notes.style = doc->notes.ref_style = doc->styles;
  return true;
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

bool
ap_parse_length(const char *text, double *points)
{
  char *end;
  double v = strtod(text, &end);

  if (end == text)
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

// Length attribute; absent leaves *value.
static bool
length_attr(reader_t *r, xmlNodePtr node, const char *name, double *value)
{
  char *v = attr(r, node, name);
  if (v && !ap_parse_length(v, value))
    return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, name),
                   "%s=\"%s\": expected a length such as 12pt, 20mm or 1.5cm", name, v);
  return true;
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
    char *p = cmyk, *end;
    for (int i = 0; i < 4; i++) {
      v[i] = strtod(p, &end) / 100.0;
      if (end == p || v[i] < 0 || v[i] > 1 || (i < 3 ? *end != ',' : *end != '\0'))
        return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "cmyk"),
                       "cmyk=\"%s\": expected four percentages from 0 to 100 (cyan,magenta,yellow,black)", cmyk);
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

// <family name regular bold italic bold-italic>
static bool
read_family(reader_t *r, xmlNodePtr node)
{
  static const char *const faces[4] = {"regular", "bold", "italic", "bold-italic"};
  ap_family_t *f = AP_NEW(r->arena, ap_family_t);
  ap_doc_t *doc = r->layout->doc;

  f->name = attr(r, node, "name");
  f->loc = ap_source_loc(&r->layout->src, node, "regular"); // Later font errors point here
  for (int i = 0; i < 4; i++) {
    char *file = attr(r, node, faces[i]);
    if (!file)
      continue;
    f->files[i] = file[0] == '/' ? file : ap_arena_printf(r->arena, "%s/%s", doc->fonts_dir, file);

    // A missing file is the layout's mistake: say so at its attribute, before any layout...
    FILE *fp = fopen(f->files[i], "rb");
    if (!fp)
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, faces[i]),
                     "%s=\"%s\": cannot read the font file '%s': expected a TrueType file in the fonts "
                     "folder (fonts= on <layout>)", faces[i], file, f->files[i]);
    fclose(fp);
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
  return length_attr(r, node, "separator", &notes->separator) &&
         length_attr(r, node, "gap", &notes->gap);
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
    char *end;
    w = ap_mm(strtod(size, &end));
    if (*end != 'x' || (h = ap_mm(strtod(end + 1, &end))) <= 0 || strcmp(end, "mm") || w <= 0)
      return ap_fail(r->diags, ap_source_loc(&layout->src, node, "size"),
                     "size=\"%s\": expected A4, A5, A3, Letter or a size such as 210x297mm", size);
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
  if (!length_attr(r, node, "margin-top", &m->top) || !length_attr(r, node, "margin-bottom", &m->bottom) ||
      !length_attr(r, node, "margin-left", &m->inner) || !length_attr(r, node, "margin-right", &m->outer) ||
      !bool_attr(r, node, "mirror", &mirror))
    return false;
  m->mirror = mirror;
  if (m->top + m->bottom >= h - 36 || m->inner + m->outer >= w - 36)
    return ap_fail(r->diags, m->loc, "page '%s': the margins leave no room for text", m->name);

  // Header and footer regions are bound later, with the data...
  int i = layout->nmasters++;
  layout->masters[i] = m;
  m->header_offset = m->top / 2;
  m->footer_offset = m->bottom / 2;
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    bool header = !strcmp((const char *)c->name, "header");
    if (header)
      layout->header[i] = c;
    else
      layout->footer[i] = c;
    if (!length_attr(r, c, "offset", header ? &m->header_offset : &m->footer_offset))
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
  if (!length_attr(r, node, "size", &s->size))
    return false;
  if (s->size <= 0 || s->size > 500)
    return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "size"), "size must be between 0 and 500pt");

  // Leading: a length, or a bare factor of the size; inherited leading scales with the size...
  if (leading) {
    char *end;
    double v = strtod(leading, &end);
    if (*end == '\0' && v > 0 && v < 5)
      s->leading = v * s->size;
    else if (!ap_parse_length(leading, &s->leading))
      return ap_fail(r->diags, ap_source_loc(&r->layout->src, node, "leading"),
                     "leading=\"%s\": expected a length (15pt) or a factor of the size (1.2)", leading);
  } else if (!s->leading)
    s->leading = 1.2 * s->size;
  else if (old_size != s->size)
    s->leading *= s->size / old_size;

  // Spacing, indents, alignment, colour, flags...
  if (!length_attr(r, node, "space-before", &s->space_before) ||
      !length_attr(r, node, "space-after", &s->space_after) ||
      !length_attr(r, node, "first-indent", &s->first_indent) ||
      !length_attr(r, node, "indent", &s->left_indent) || !bool_attr(r, node, "bold", &s->bold) ||
      !bool_attr(r, node, "italic", &s->italic) || !bool_attr(r, node, "underline", &s->underline) ||
      !bool_attr(r, node, "uppercase", &s->uppercase) ||
      !bool_attr(r, node, "keep-with-next", &s->keep_with_next))
    return false;
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
