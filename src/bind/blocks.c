// Block binding: paragraphs, headings (with their numbers), lists, columns,
// rules, spaces, images, and the control elements for-each, if and apply.
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/datetime.h"
#include "../base/utf8.h"

static bool block(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static ap_node_t *bind_p(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_heading(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_list(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_columns(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_space(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_rule(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_toc(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_page_break(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static ap_node_t *bind_image(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static bool bind_apply(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent);
static bool find_template(ap_binder_t *b, ap_loc_t loc, xmlNodePtr dn, xmlNodePtr *tpl);
static ap_halign_t bind_align(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx);
static bool list_item(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg);
static bool bind_list_items(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *list);
static bool bind_para(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx, ap_node_t *node);
static char *format_number(ap_binder_t *b, const char *format, const int *counters, int level);
static void archive_info(ap_binder_t *b, xmlNodePtr info, xmlNodePtr ctx, ap_doc_t *doc);
static char *info_text(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx);

#define LOC(elem, attr) ap_bind_loc(b, (elem), (attr))

// The block elements that make one node each, and what binds them (<apply>,
// which binds templates, is the one other block).
static const struct {
  const char *name;                                              // Element
  ap_node_t *(*bind)(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx); // Its node, NULL (recorded) on error
} block_kinds[] = {
    {"p", bind_p},
    {"heading", bind_heading},
    {"list", bind_list},
    {"columns", bind_columns},
    {"space", bind_space},
    {"rule", bind_rule},
    {"slide", ap_bind_slide_block},
    {"chart", ap_bind_slide_block},
    {"slides", ap_bind_slide_block},
    {"handout", ap_bind_slide_block},
    {"table", ap_bind_table},
    {"toc", bind_toc},
    {"page-break", bind_page_break},
    {"image", bind_image},
    {"signature-field", ap_bind_signature_field},
};

//
// 'ap_bind()' - Instantiate the layout against the data.
//

bool
ap_bind(ap_layout_t *layout, const ap_source_t *data, ap_arena_t *arena, ap_diags_t *diags)
{
  ap_binder_t *b = AP_NEW(arena, ap_binder_t); // Kept past the bind when tables bind their rows later
  bool ok;

  ap_bind_release(layout->doc);
  b->layout = layout;
  b->doc = layout->doc;
  b->arena = b->lasting = arena;
  b->diags = diags;
  b->data = data && data->doc ? data->doc : xmlNewDoc((const xmlChar *)"1.0");
  b->data_src = data && data->doc ? data : NULL;
  b->packed = b->data_src ? b->data_src->packed : NULL;
  b->xpath = ap_bind_xpath_new(b);
  // Parameters are XPath variables: $table, $district...
  for (int i = 0; i < layout->nparams; i++)
    xmlXPathRegisterVariable(b->xpath, (const xmlChar *)layout->params[i][0],
                             xmlXPathNewString((const xmlChar *)layout->params[i][1]));
  xmlNodePtr root = xmlDocGetRootElement(b->data);
  xmlNodePtr ctx = root ? root : (xmlNodePtr)b->data;

  // Document information...
  ap_doc_t *doc = layout->doc;
  doc->form_facts = (ap_form_facts_t){.lenient = doc->form_facts.lenient}; // Found anew by each binding
  if (layout->info) {
    doc->title = info_text(b, layout->info, "title", ctx);
    doc->author = info_text(b, layout->info, "author", ctx);
    doc->subject = info_text(b, layout->info, "subject", ctx);
    doc->keywords = info_text(b, layout->info, "keywords", ctx);
    doc->creator = info_text(b, layout->info, "creator", ctx);
    archive_info(b, layout->info, ctx, doc);
  }

  // Decks first (their slides are placed by <slides> and <handout>), the
  // flow, then each page template's header, footer and watermark...
  b->repeated = true; // (slides may be drawn twice: full size and in handouts)
  for (int i = 0; i < layout->ndecks && diags->errors == 0; i++)
    ap_bind_deck(b, layout->decks[i], ctx);
  b->repeated = false;
  doc->body = ap_node_new(arena, AP_NODE_COLUMN, LOC(layout->body, NULL));
  ok = diags->errors == 0 && ap_bind_blocks(b, layout->body->children, ctx, doc->body);
  b->repeated = true; // (headers and footers: on every page of their template)
  for (int i = 0; ok && i < layout->nmasters; i++) {
    ap_master_t *m = layout->masters[i];
    if (layout->header[i]) {
      m->header = ap_node_new(arena, AP_NODE_COLUMN, LOC(layout->header[i], NULL));
      ok = ap_bind_blocks(b, layout->header[i]->children, ctx, m->header);
    }
    if (ok && layout->footer[i]) {
      m->footer = ap_node_new(arena, AP_NODE_COLUMN, LOC(layout->footer[i], NULL));
      ok = ap_bind_blocks(b, layout->footer[i]->children, ctx, m->footer);
    }
    if (ok && m->watermark)
      ok = (m->watermark->text = info_text(b, layout->watermarks[i], "text", ctx)) != NULL;
  }
  b->repeated = false;
  // The document's watermark (text="{$mark}": a --set may choose it, "" for none)...
  if (ok && doc->watermark)
    ok = (doc->watermark->text = info_text(b, layout->watermark, "text", ctx)) != NULL;

  // Rows and blocks bound as layout reaches them need the binder (and its
  // XPath context) until the document is laid out...
  doc->binder = b;
  if (!b->lazy && !b->later)
    ap_bind_release(doc);
  return ok && diags->errors == 0;
}

//
// 'ap_bind_release()' - Free what bind kept for rows bound as laid out.
//

void
ap_bind_release(ap_doc_t *doc)
{
  ap_binder_t *b = doc->binder;

  if (!b)
    return;
  ap_bind_warn(b); // Every row is bound: what the bind read is known
  ap_bind_tables_release(b);
  ap_bind_later_release(b);
  ap_bind_xpath_free(b);
  if (!b->data_src)
    xmlFreeDoc(b->data);
  doc->binder = NULL;
}

//
// 'ap_bind_attr()' - Interpolated attribute of a layout element.
//

char *
ap_bind_attr(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx)
{
  xmlChar *v = xmlGetProp(elem, (const xmlChar *)name);
  if (!v)
    return NULL;
  char *s = ap_bind_interpolate(b, (const char *)v, ctx, LOC(elem, name));
  xmlFree(v);
  return s;
}

//
// 'ap_bind_each()' - Visit elements, expanding for-each and if.
//

bool
ap_bind_each(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_bind_fn fn, void *arg)
{
  for (xmlNodePtr e = first; e; e = e->next) {
    if (e->type != XML_ELEMENT_NODE)
      continue;
    const char *name = (const char *)e->name;
    if (!strcmp(name, "for-each")) {
      xmlNodeSetPtr set;
      xmlXPathObjectPtr obj;
      if (!ap_bind_select(b, e, "select", ctx, &set, &obj))
        return false;
      if (fn == block && arg == b->doc->body && ap_bind_later(b, e, set, arg)) { // (the body's: may wait)
        xmlXPathFreeObject(obj);
        continue;
      }
      bool ok = true;
      for (int i = 0; ok && set && i < set->nodeNr; i++) {
        size_t scope = ap_bind_scope_begin(b); // (the records its evaluations open, closed after it)
        ok = ap_bind_each(b, e->children, set->nodeTab[i], fn, arg);
        ap_bind_scope_end(b, scope);
      }
      xmlXPathFreeObject(obj);
      if (!ok)
        return false;
    } else if (!strcmp(name, "if")) {
      bool yes;
      if (!ap_bind_test(b, e, ctx, &yes) || (yes && !ap_bind_each(b, e->children, ctx, fn, arg)))
        return false;
    } else if (!fn(b, e, ctx, arg)) {
      return false;
    }
  }
  return true;
}

//
// 'ap_bind_has_element()' - An element of a name below a layout element.
//
// With attr, only one whose attr="value". Any depth, for-each and if
// included (what a table's rows or a for-each's content may hold).
//

bool                                         // O - Such an element is there
ap_bind_has_element(xmlNodePtr e,            // I - Layout element
                    const char *name,        // I - Element name
                    const char *attr,        // I - Attribute it must have, NULL = any
                    const char *value)       // I - That attribute's value
{
  for (xmlNodePtr c = e ? e->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (!strcmp((const char *)c->name, name)) {
      xmlChar *v = attr ? xmlGetProp(c, (const xmlChar *)attr) : NULL;
      bool match = !attr || (v && !strcmp((const char *)v, value));
      xmlFree(v);
      if (match)
        return true;
    }
    if (ap_bind_has_element(c, name, attr, value))
      return true;
  }
  return false;
}

//
// 'ap_bind_blocks()' - Bind block elements, from first on, at a data node.
//

bool
ap_bind_blocks(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *parent)
{
  return ap_bind_each(b, first, ctx, block, parent);
}

// One block element (for-each and if are expanded by ap_bind_each): <apply>
// binds templates into parent, a form's element (forms.c) its blocks, every
// other kind makes one node appended to it; elements that are no blocks are
// left alone.
static bool
block(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  ap_node_t *parent = arg;
  const char *name = (const char *)e->name;

  if (!strcmp(name, "apply"))
    return bind_apply(b, e, ctx, parent);
  if (!strcmp(name, "form-header"))
    return ap_bind_form_header(b, e, ctx, parent);
  if (!strcmp(name, "form-title"))
    return ap_bind_form_title(b, e, ctx, parent);
  if (!strcmp(name, "form-signature"))
    return ap_bind_form_signature(b, e, ctx, parent);
  for (size_t i = 0; i < sizeof(block_kinds) / sizeof(block_kinds[0]); i++)
    if (!strcmp(name, block_kinds[i].name)) {
      b->in_flow = parent == b->doc->body;
      ap_node_t *node = block_kinds[i].bind(b, e, ctx);
      if (!node)
        return false;
      ap_node_append(parent, node);
      return true;
    }
  return true;
}

// <p>: a paragraph.
static ap_node_t *
bind_p(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_PARA, LOC(e, NULL));
  return bind_para(b, e, ctx, node) ? node : NULL;
}

// <list style marker>: its items, each marked (with "-" unless it says).
static ap_node_t *
bind_list(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_LIST, LOC(e, NULL));

  if (!(node->style = ap_bind_style(b, e, ctx)))
    return NULL;
  char *marker = ap_bind_attr(b, e, "marker", ctx);
  node->label = marker ? marker : "-";
  return bind_list_items(b, e->children, ctx, node) ? node : NULL;
}

// <columns gap>: side by side, each <column width> (a percentage) holding
// blocks; the widths add up to 100% at most.
static ap_node_t *
bind_columns(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_loc_t loc = LOC(e, NULL);
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_COLUMNS, loc);
  double total = 0; // Sum of the column widths (1 = all)

  node->width = 0;
  if (!ap_bind_number(b, e, "gap", ctx, &AP_RANGE_LENGTH, &node->width))
    return NULL;
  char *align = ap_bind_attr(b, e, "align", ctx);
  if (align && strcmp(align, "top") && strcmp(align, "baseline")) {
    ap_fail(b->diags, LOC(e, "align"), "align=\"%s\": expected top or baseline", align);
    return NULL;
  }
  node->level = align && !strcmp(align, "baseline"); // 1: first lines on one baseline
  for (xmlNodePtr c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    ap_node_t *col = ap_node_new(b->arena, AP_NODE_COLUMN, LOC(c, NULL));
    double percent = 0;
    if (!ap_bind_number(b, c, "width", ctx, &AP_RANGE_PERCENT, &percent))
      return NULL;
    col->width = percent / 100.0;
    total += col->width;
    if (!ap_bind_blocks(b, c->children, ctx, col))
      return NULL;
    ap_node_append(node, col);
  }
  if (total > 1.0001) {
    ap_fail(b->diags, loc, "the column widths add up to %g%%: at most 100%% expected", total * 100);
    return NULL;
  }
  return node;
}

// <space height>: vertical space.
static ap_node_t *
bind_space(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_SPACE, LOC(e, NULL));
  return ap_bind_number(b, e, "height", ctx, &AP_RANGE_LENGTH, &node->height) ? node : NULL;
}

// <rule align width thickness>: a horizontal line (0.5 pt unless it says).
static ap_node_t *
bind_rule(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_RULE, LOC(e, NULL));

  node->stroke = 0.5;
  node->align = bind_align(b, e, ctx);
  if (!ap_bind_number(b, e, "width", ctx, &AP_RANGE_LENGTH, &node->width) ||
      !ap_bind_number(b, e, "thickness", ctx, &AP_RANGE_THICKNESS, &node->stroke))
    return NULL;
  return node;
}

// <toc levels style indent>: a table of contents; its entries are the
// document's headings, collected at layout time.
static ap_node_t *
bind_toc(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_TOC, LOC(e, NULL));
  double levels = 2; // Heading levels listed

  if (!ap_bind_number(b, e, "levels", ctx, &AP_RANGE_LEVEL, &levels))
    return NULL;
  node->level = (int)levels;
  node->width = ap_mm(6);
  if (!(node->style = ap_bind_style(b, e, ctx)) || !ap_bind_number(b, e, "indent", ctx, &AP_RANGE_LENGTH, &node->width))
    return NULL;
  return node;
}

// <page-break page restart number>: a new page; the pages after it take
// the page template named (landscape tables), when one is; restart="true"
// starts the pages anew after it (numbered from 1, the body's first-page
// template first), number="N" numbers the next page N.
static ap_node_t *
bind_page_break(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_PAGEBREAK, LOC(e, NULL));
  char *page = ap_bind_attr(b, e, "page", ctx);
  char *restart = ap_bind_attr(b, e, "restart", ctx);
  double number = 0;

  if (restart && strcmp(restart, "true") && strcmp(restart, "false")) {
    ap_fail(b->diags, LOC(e, "restart"), "restart=\"%s\": expected true or false", restart);
    return NULL;
  }
  if (!ap_bind_number(b, e, "number", ctx, &AP_RANGE_PAGE_NUMBER, &number))
    return NULL;
  ap_spec_t *spec = NULL;
  if ((restart && !strcmp(restart, "true")) || number > 0) {
    spec = AP_NEW(b->arena, ap_spec_t);
    spec->restart = restart && !strcmp(restart, "true");
    spec->number = (int)number;
    node->spec = spec;
  }
  if (page) {
    if (!spec)
      spec = AP_NEW(b->arena, ap_spec_t);
    for (const ap_master_t *m = b->doc->masters; m && !spec->master; m = m->next)
      if (!strcmp(m->name, page))
        spec->master = m;
    if (!spec->master) {
      ap_fail(b->diags, LOC(e, "page"), "page=\"%s\": no page template of that name", page);
      return NULL;
    }
    node->spec = spec;
  }
  return node;
}

// <image src alt align width height>: a picture; a relative src is relative
// to the layout file, alt says what it shows to those who cannot see it
// (the Figure's /Alt).
static ap_node_t *
bind_image(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_IMAGE, LOC(e, NULL));
  char *src = ap_bind_attr(b, e, "src", ctx);
  const char *layout = b->layout->src.path; // The layout file's path

  if (!src)
    return NULL;
  const char *slash = strrchr(layout, '/');
  node->text = src[0] == '/' || !slash ? src : ap_arena_printf(b->arena, "%.*s/%s", (int)(slash - layout), layout, src);
  node->alt = info_text(b, e, "alt", ctx);
  node->align = bind_align(b, e, ctx);
  if (!ap_bind_number(b, e, "width", ctx, &AP_RANGE_EXTENT, &node->width) ||
      !ap_bind_number(b, e, "height", ctx, &AP_RANGE_EXTENT, &node->height))
    return NULL;
  return node;
}

// <apply select>: each selected data element bound, as context, by the
// template that matches it, into parent; 64 nested applies at most.
static bool
bind_apply(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent)
{
  ap_loc_t loc = LOC(e, NULL);
  xmlNodeSetPtr set;
  xmlXPathObjectPtr obj;

  if (!ap_bind_unpack(b, loc) || !ap_bind_select(b, e, "select", ctx, &set, &obj)) // (templates match anywhere)
    return false;
  bool ok = true;
  if (++b->depth > 64)
    ok = ap_fail(b->diags, loc, "templates nest more than 64 deep: is a template applying itself?");
  for (int i = 0; ok && set && i < set->nodeNr; i++) {
    xmlNodePtr dn = set->nodeTab[i], tpl = NULL;
    if (dn->type != XML_ELEMENT_NODE)
      continue;
    if (!find_template(b, loc, dn, &tpl))
      ok = false;
    else if (!tpl) {
      // (the data file that holds the element: a base, or the file inheriting from it)
      ap_loc_t at = b->data_src ? ap_source_loc(b->data_src, dn, NULL) : (ap_loc_t){"data", (int)xmlGetLineNo(dn), 0};
      ok = ap_fail(b->diags, loc, "no template matches the data element <%s> (%s line %d)", (const char *)dn->name,
                   at.file, at.line);
    } else
      ok = ap_bind_blocks(b, tpl->children, dn, parent);
  }
  b->depth--;
  xmlXPathFreeObject(obj);
  return ok;
}

// The first template whose match= names the data element dn (or is "*")
// into *tpl, NULL when none does; false (recorded at loc) when out of memory.
static bool
find_template(ap_binder_t *b, ap_loc_t loc, xmlNodePtr dn, xmlNodePtr *tpl)
{
  *tpl = NULL;
  for (int t = 0; t < b->layout->ntemplates && !*tpl; t++) {
    xmlChar *match = xmlGetProp(b->layout->templates[t], (const xmlChar *)"match"); // Required by the schema
    if (!match)
      return ap_fail(b->diags, loc, "out of memory reading the match= of a template");
    if (!strcmp((const char *)match, (const char *)dn->name) || !strcmp((const char *)match, "*")) {
      *tpl = b->layout->templates[t];
      b->reads.applied[t] = true; // (warnings.c: a template never used is warned of)
    }
    xmlFree(match);
  }
  return true;
}

// An align= of left, center or right (left when absent or another word).
static ap_halign_t
bind_align(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  char *align = ap_bind_attr(b, e, "align", ctx);
  return !align                      ? AP_H_LEFT
         : !strcmp(align, "center") ? AP_H_CENTER
         : !strcmp(align, "right")  ? AP_H_RIGHT
                                    : AP_H_LEFT;
}

// <heading level style numbered outline>: a paragraph with a number, an id and an outline title.
static ap_node_t *
bind_heading(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx)
{
  ap_node_t *node = ap_node_new(b->arena, AP_NODE_HEADING, LOC(e, NULL));
  char *numbered = ap_bind_attr(b, e, "numbered", ctx);
  double level = 0;

  if (!ap_bind_number(b, e, "level", ctx, &AP_RANGE_LEVEL, &level))
    return NULL;
  if (!level) {
    ap_fail(b->diags, LOC(e, NULL), "<heading> needs level=: a whole number from 1 to 6");
    return NULL;
  }
  int n = (int)level;
  node->level = n;

  // Count it, and number it when the layout declares a format for its level...
  b->counters[n]++;
  for (int i = (int)n + 1; i <= 6; i++)
    b->counters[i] = 0;
  const char *format = b->layout->numbering[n];
  if (format && !(numbered && !strcmp(numbered, "false")))
    node->label = format_number(b, format, b->counters, (int)n);
  char *id = ap_bind_attr(b, e, "id", ctx);
  node->id = id ? id : ap_arena_printf(b->arena, "h%d", b->headings + 1);
  b->headings++;
  if (!bind_para(b, e, ctx, node))
    return NULL;

  // The outline title: outline= when given, else the heading's text with
  // its number, a forced line break read as a space...
  char *given = ap_bind_attr(b, e, "outline", ctx);
  if (given) {
    node->text = node->label ? ap_arena_printf(b->arena, "%s %s", node->label, given) : given;
    return node;
  }
  size_t len = 0;
  for (ap_node_t *t = node->children; t; t = t->next)
    len += t->kind == AP_NODE_TEXT ? strlen(t->text) : t->kind == AP_NODE_BREAK;
  char *title = ap_arena_alloc(b->arena, len + (node->label ? strlen(node->label) + 2 : 1));
  if (node->label)
    strcat(strcat(title, node->label), " ");
  for (ap_node_t *t = node->children; t; t = t->next) {
    size_t at = strlen(title);
    if (t->kind == AP_NODE_TEXT)
      strcat(title, t->text);
    else if (t->kind == AP_NODE_BREAK && at && title[at - 1] != ' ')
      strcat(title, " ");
  }
  node->text = title;
  return node;
}

// <item> children of a list, through for-each and if.
static bool
bind_list_items(ap_binder_t *b, xmlNodePtr first, xmlNodePtr ctx, ap_node_t *list)
{
  return ap_bind_each(b, first, ctx, list_item, list);
}

// One <item> of a list (for-each and if are expanded by ap_bind_each).
static bool
list_item(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, void *arg)
{
  ap_node_t *list = arg;
  const char *name = (const char *)e->name;
  if (!strcmp(name, "item")) {
    ap_node_t *item = ap_node_new(b->arena, AP_NODE_ITEM, LOC(e, NULL));
    item->style = list->style;
    item->label = list->label;
    if (!ap_bind_inlines(b, e, ctx, item, NULL))
      return false;
    ap_bind_tidy(b, item);
    ap_node_append(list, item);
  }
  return true;
}

// A paragraph-like element: style, then inline content, then tidy spaces.
static bool
bind_para(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *node)
{
  ap_node_t flags = {0}; // Its text's language (lang=), if given
  if (!(node->style = ap_bind_style(b, e, ctx)) || !ap_bind_lang(b, e, ctx, &flags))
    return false;
  if (!ap_bind_inlines(b, e, ctx, node, flags.lang ? &flags : NULL))
    return false;
  ap_bind_tidy(b, node);
  return true;
}

//
// 'ap_bind_test()' - The test of an <if>.
//

bool
ap_bind_test(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, bool *yes)
{
  xmlChar *test = xmlGetProp(e, (const xmlChar *)"test");
  xmlXPathObjectPtr obj = ap_bind_eval_nodes(b, (const char *)test, ctx, LOC(e, "test"));
  xmlFree(test);
  if (!obj)
    return false;
  *yes = xmlXPathCastToBoolean(obj);
  xmlXPathFreeObject(obj);
  return true;
}

//
// 'ap_bind_select()' - Evaluate an attribute to a node set (obj to free after use).
//

bool
ap_bind_select(ap_binder_t *b, xmlNodePtr elem, const char *attr, xmlNodePtr ctx, xmlNodeSetPtr *set,
          xmlXPathObjectPtr *obj)
{
  xmlChar *expr = xmlGetProp(elem, (const xmlChar *)attr);
  *obj = ap_bind_eval_nodes(b, (const char *)expr, ctx, LOC(elem, attr));
  if (!*obj) {
    xmlFree(expr);
    return false;
  }
  if ((*obj)->type != XPATH_NODESET) {
    ap_fail(b->diags, LOC(elem, attr), "%s=\"%s\": expected an expression that selects nodes", attr,
            (const char *)expr);
    xmlFree(expr);
    xmlXPathFreeObject(*obj);
    return false;
  }
  xmlFree(expr);
  *set = (*obj)->nodesetval;
  return true;
}

// Heading number from a format such as "I.", "1.", "1.1.", "a)": each number
// token takes the counter of one level, the last token this level's.
static char *
format_number(ap_binder_t *b, const char *format, const int *counters, int level)
{
  static const char *const roman[] = {"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"};
  static const int values[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  char out[128] = "";
  int tokens = 0;

  // How many number tokens, so the first takes the right level...
  for (const char *p = format; *p; p++)
    if (strchr("1IiAa", *p) && !(p > format && strchr("1IiAa", p[-1])))
      tokens++;
  int lvl = level - tokens + 1;
  for (const char *p = format; *p; p++) {
    char piece[32] = "";
    int v = lvl >= 1 && lvl <= 6 ? counters[lvl] : 0;
    if (*p == '1') {
      snprintf(piece, sizeof(piece), "%d", v);
      lvl++;
    } else if (*p == 'I' || *p == 'i') {
      for (int k = 0; k < 13; k++)
        while (v >= values[k]) {
          strcat(piece, roman[k]);
          v -= values[k];
        }
      if (*p == 'i')
        for (char *c = piece; *c; c++)
          *c = (char)(*c - 'A' + 'a');
      lvl++;
    } else if (*p == 'a' || *p == 'A') {
      snprintf(piece, sizeof(piece), "%c", (*p) + (v - 1) % 26);
      lvl++;
    } else {
      piece[0] = *p;
    }
    if (strlen(out) + strlen(piece) < sizeof(out))
      strcat(out, piece);
  }
  return ap_arena_strdup(b->arena, out);
}

// The document metadata of Nghị định 30/2020 Phụ lục VI that the archive
// XMP carries (--pdfa): <info issuer number date doc-type signer
// signer-position>, each NULL when absent or empty; date must be an ISO 8601
// date or date-time (an error at the attribute otherwise).
static void
archive_info(ap_binder_t *b, xmlNodePtr info, xmlNodePtr ctx, ap_doc_t *doc)
{
  const struct {
    const char *name;   // Attribute
    const char **slot;  // Where its text goes
  } fields[] = {{"issuer", &doc->issuer}, {"number", &doc->number}, {"date", &doc->date},
                {"doc-type", &doc->doc_type}, {"signer", &doc->signer}, {"signer-position", &doc->signer_position}};
  ap_datetime_t date;

  for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
    const char *v = info_text(b, info, fields[i].name, ctx);
    *fields[i].slot = v && *v ? v : NULL;
  }
  if (doc->date && !ap_datetime_parse(doc->date, &date))
    ap_fail(b->diags, LOC(info, "date"),
            "<info date=\"%s\">: expected an ISO 8601 date (2023-12-15) or date-time (2023-12-15T08:30:00+07:00)",
            doc->date);
}

// Document information and watermarks: interpolated, white space collapsed
// and trimmed, NFC (it is text the reader sees, like any other).
static char *
info_text(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx)
{
  char *v = ap_bind_attr(b, elem, name, ctx);
  if (!v)
    return NULL;
  char *s = ap_bind_collapse(b->arena, v, strlen(v));
  if (*s == ' ')
    s++;
  size_t n = strlen(s);
  if (n && s[n - 1] == ' ')
    s[--n] = '\0';
  char *nfc = ap_utf8_nfc(b->arena, s, n);
  return nfc ? nfc : s;
}

//
// 'ap_bind_number()' - Number attribute (interpolated) inside its range; absent leaves *value.
//
// The check is the layout's (base/number.h) whether the text is written in
// the layout or comes from the data: an interpolated value that is no
// number of the range stops at the attribute, its text shown as the data
// gave it.
//

bool
ap_bind_number(ap_binder_t *b, xmlNodePtr elem, const char *name, xmlNodePtr ctx, const ap_range_t *range,
               double *value)
{
  int before = b->diags->errors;
  char *v = ap_bind_attr(b, elem, name, ctx);
  if (!v)
    return b->diags->errors == before;
  if (ap_number_parse(range, v, value))
    return true;

  // Say what was written and, when the data gave it, what it became...
  char expect[160];
  xmlChar *raw = xmlGetProp(elem, (const xmlChar *)name);
  ap_number_describe(range, expect, sizeof(expect));
  if (raw && strcmp((const char *)raw, v))
    ap_fail(b->diags, LOC(elem, name), "%s=\"%s\" gives \"%s\": expected %s", name, (const char *)raw, v, expect);
  else
    ap_fail(b->diags, LOC(elem, name), "%s=\"%s\": expected %s", name, v, expect);
  xmlFree(raw);
  return false;
}

//
// 'ap_bind_style()' - Style named by an element's style attribute ("body" when absent).
//

const ap_style_t *
ap_bind_style(ap_binder_t *b, xmlNodePtr elem, xmlNodePtr ctx)
{
  int before = b->diags->errors;
  char *name = ap_bind_attr(b, elem, "style", ctx);
  if (b->diags->errors != before)
    return NULL;
  const ap_style_t *s = ap_doc_find_style(b->doc, name ? name : "body");
  if (!s && !name && b->doc->styles)
    return b->doc->styles;
  if (!s)
    ap_fail(b->diags, LOC(elem, "style"), "style=\"%s\": no style of that name is declared",
            name ? name : "body");
  return s;
}
