// The built-in forms' elements: the header block, the title and the
// signature block of an administrative document, after Hướng dẫn
// 36-HD/VPTW (2018, Party documents: hd36) or Nghị định 30/2020/NĐ-CP,
// Phụ lục I (state documents: nd30). Each is bound to data fields (XPath
// expressions) and expanded into blocks the layout already knows —
// columns, paragraphs, a list, spaces — in the form's styles (parse/forms.c
// declares them; a layout may redeclare any), so that pagination, tagging
// and the dump treat them like any other blocks. The form's own words
// ("Số", ", ngày", "Nơi nhận:", the asterisk) are text runs marked as the
// layout's. docs/forms.md says which clause each part follows.
#include "bind-private.h"

#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLANK "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0" // 8 NO-BREAK SPACEs: room to write in
#define HEADER_SPACE 12.0 // Points between the header block and what follows (a công văn's text)
#define ROOM_MM 25.0 // Default room for the signature (and seal) between position and name

typedef enum form_e {
  FORM_HD36, // Hướng dẫn 36-HD/VPTW: Party documents
  FORM_ND30  // Nghị định 30/2020/NĐ-CP, Phụ lục I: state documents
} form_t;

// A data field of a form's element: what one of its attributes selects.
typedef struct field_s {
  xmlXPathObjectPtr obj; // Its value; NULL when the attribute is absent or (optional) selects nothing
  const char *text;      // Its string value as printed (a <sic> as its correction), spaces collapsed and trimmed
  ap_loc_t loc;          // Where the attribute stands
  ap_loc_t at;           // Where its first node stands in the data (file NULL: not a node of the data)
  ap_field_state_t state; // Not given (UNBOUND), selecting nothing, empty or given
} field_t;

static bool add_data_text(ap_binder_t *b, ap_node_t *para, const char *text, ap_loc_t loc);
static ap_node_t *add_para(ap_binder_t *b, xmlNodePtr e, ap_node_t *parent, const char *style);
static ap_node_t *add_column(ap_binder_t *b, xmlNodePtr e, ap_node_t *columns, double share);
static bool bind_field(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, const char *what,
                       form_t form, bool required, field_t *f);
static bool date_parts(const char *text, int *year, int *month, int *day);
static void drop_field(field_t *f);
static void note_field(const field_t *f, ap_form_field_t *fact);
static const char *form_name(form_t form);
static bool keep_with_signature(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent);
static bool place_date(ap_binder_t *b, xmlNodePtr e, ap_node_t *column, form_t form, const field_t *place,
                       const field_t *date);
static bool recipients(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *column, form_t form);
static void tidy(ap_binder_t *b, ap_node_t *node);
static bool which_form(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, form_t *form);

#define LOC(elem, attr) ap_source_loc(&b->layout->src, (elem), (attr))

//
// 'ap_bind_form_header()' - <form-header>: the header block of a document's first page.
//
// Two columns: on the left the parent body, the issuing body (HD 36: the
// asterisk under it; NĐ 30: a rule), the number and symbol, a công văn's
// summary, then the element's own blocks (a draft's "Dự thảo"); on the
// right the party title (HD 36) or Quốc hiệu and Tiêu ngữ (NĐ 30) with its
// rule, then place and date.
//

bool
ap_bind_form_header(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent)
{
  field_t up = {0}, issuer = {0}, number = {0}, symbol = {0}, subject = {0}, party = {0}, place = {0}, date = {0};
  form_t form;
  bool ok = which_form(b, e, ctx, &form);

  // The fields, each checked where the form requires it...
  ok = ok && bind_field(b, e, "parent", ctx, "parent body (tên cơ quan cấp trên)", form, false, &up) &&
       bind_field(b, e, "issuer", ctx, "issuing body (tên cơ quan ban hành)", form, true, &issuer) &&
       bind_field(b, e, "number", ctx, "number (số; empty: left blank)", form, true, &number) &&
       bind_field(b, e, "symbol", ctx, "symbol (ký hiệu)", form, true, &symbol) &&
       bind_field(b, e, "subject", ctx, "summary of a công văn (trích yếu)", form, false, &subject) &&
       bind_field(b, e, "party", ctx, "party title", form, false, &party) &&
       bind_field(b, e, "place", ctx, "place (địa danh)", form, true, &place) &&
       bind_field(b, e, "date", ctx, "date (ngày, tháng, năm)", form, true, &date);
  ap_form_facts_t *facts = &b->doc->form_facts;
  facts->header = LOC(e, NULL);
  note_field(&issuer, &facts->issuer), note_field(&number, &facts->number);
  note_field(&place, &facts->place), note_field(&date, &facts->date);
  note_field(&subject, &facts->subject);
  if (ok && party.obj && form != FORM_HD36)
    ok = ap_fail(b->diags, party.loc, "party= is the title of the Party form (hd36): nd30 prints Quốc hiệu and "
                 "Tiêu ngữ itself: expected no party= with nd30");

  // Two columns, the right one wide enough for Quốc hiệu...
  ap_node_t *row = ap_node_new(b->arena, AP_NODE_COLUMNS, LOC(e, NULL));
  row->level = 1; // The columns' first lines on one baseline (align="baseline")
  ap_node_t *left = ok ? add_column(b, e, row, form == FORM_HD36 ? 0.45 : 0.40) : NULL;
  ap_node_t *right = ok ? add_column(b, e, row, form == FORM_HD36 ? 0.55 : 0.60) : NULL;
  ap_node_t *p;
  ok = ok && left && right;

  // Left: parent body, issuing body, its mark, number and symbol, summary...
  if (ok && up.obj && *up.text)
    ok = (p = add_para(b, e, left, "form-parent")) && ap_bind_content(b, up.obj, p, NULL, up.loc);
  ok = ok && (p = add_para(b, e, left, "form-issuer")) && ap_bind_content(b, issuer.obj, p, NULL, issuer.loc);
  if (ok && form == FORM_HD36)
    ok = (p = add_para(b, e, left, "form-mark")) && ap_bind_own_text(b, p, "*", LOC(e, NULL));
  if (ok && (p = add_para(b, e, left, "form-number"))) {
    // "Số 05-BC/TU" (HD 36), "Số: 05/QĐ-UBND" (NĐ 30); a number below 10
    // with its zero; no number yet: room to write it in...
    char num[64];
    const char *n = number.text;
    if (*n && strspn(n, "0123456789") == strlen(n) && strlen(n) == 1)
      snprintf(num, sizeof(num), "0%s", n);
    else
      snprintf(num, sizeof(num), "%s", n);
    const char *sep = form == FORM_HD36 ? "-" : "/";
    if (*num)
      ok = ap_bind_own_text(b, p, form == FORM_HD36 ? "Số " : "Số: ", number.loc) &&
           add_data_text(b, p, num, number.loc) && ap_bind_own_text(b, p, sep, number.loc);
    else
      ok = ap_bind_own_text(b, p, ap_arena_printf(b->arena, "%s%s%s", form == FORM_HD36 ? "Số" : "Số:", BLANK, sep),
                            number.loc);
    ok = ok && add_data_text(b, p, symbol.text, symbol.loc);
  } else
    ok = false;
  if (ok && subject.obj && *subject.text)
    ok = (p = add_para(b, e, left, "form-subject")) &&
         (form == FORM_HD36 || ap_bind_own_text(b, p, "V/v ", subject.loc)) &&
         ap_bind_content(b, subject.obj, p, NULL, subject.loc);
  ok = ok && ap_bind_blocks(b, e->children, ctx, left);

  // Right: the title of the form, then place and date.
  if (ok && form == FORM_HD36)
    ok = (p = add_para(b, e, right, "form-party")) &&
         (party.obj ? ap_bind_content(b, party.obj, p, NULL, party.loc)
                    : ap_bind_own_text(b, p, "ĐẢNG CỘNG SẢN VIỆT NAM", LOC(e, NULL)));
  if (ok && form == FORM_ND30)
    ok = (p = add_para(b, e, right, "form-nation")) &&
         ap_bind_own_text(b, p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", LOC(e, NULL)) &&
         (p = add_para(b, e, right, "form-motto")) &&
         ap_bind_own_text(b, p, "Độc lập - Tự do - Hạnh phúc", LOC(e, NULL));
  ok = ok && place_date(b, e, right, form, &place, &date);
  if (ok) {
    ap_node_t *space = ap_node_new(b->arena, AP_NODE_SPACE, LOC(e, NULL));
    space->height = HEADER_SPACE;
    tidy(b, row);
    ap_node_append(parent, row);
    ap_node_append(parent, space);
  }

  drop_field(&up), drop_field(&issuer), drop_field(&number), drop_field(&symbol);
  drop_field(&subject), drop_field(&party), drop_field(&place), drop_field(&date);
  return ok;
}

//
// 'ap_bind_form_signature()' - <form-signature>: recipients and signature block.
//
// Two columns at the foot of the text: "Nơi nhận:" and its entries on the
// left (when recipients= is given), the signer's authority (T/M, K/T, T/L,
// Q. …), position, room for the signature and seal, and name on the right;
// with field= the room is a signature field of that name (sigfields.c).
// The block is one piece, and the paragraph before it is kept with it, so
// that the signature never stands on a page of its own; end="./." closes
// that paragraph with the form's mark (its own full stop taken as the
// mark's first).
//

bool
ap_bind_form_signature(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent)
{
  field_t authority = {0}, position = {0}, name = {0};
  double room = ap_mm(ROOM_MM);
  form_t form;
  bool ok = which_form(b, e, ctx, &form) &&
            bind_field(b, e, "authority", ctx, "signer's authority (T/M, K/T, T/L, Q.)", form, false, &authority) &&
            bind_field(b, e, "position", ctx, "signer's position (chức vụ)", form, true, &position) &&
            bind_field(b, e, "name", ctx, "signer's name (họ tên; empty: left blank)", form, true, &name) &&
            ap_bind_number(b, e, "room", ctx, &AP_RANGE_LENGTH, &room);

  ap_form_facts_t *facts = &b->doc->form_facts;
  facts->signature = LOC(e, NULL);
  note_field(&position, &facts->position), note_field(&name, &facts->name);

  ap_node_t *row = ap_node_new(b->arena, AP_NODE_COLUMNS, LOC(e, NULL));
  row->level = 1; // The columns' first lines on one baseline (align="baseline")
  ap_node_t *left = ok ? add_column(b, e, row, 0.5) : NULL;
  ap_node_t *right = ok ? add_column(b, e, row, 0.5) : NULL;
  ap_node_t *p;
  ok = ok && left && right;
  row->width = ap_mm(5); // Gap between the columns
  ok = ok && recipients(b, e, ctx, left, form);

  // Authority, position, room, name...
  if (ok && authority.obj && *authority.text)
    ok = (p = add_para(b, e, right, "form-authority")) && ap_bind_content(b, authority.obj, p, NULL, authority.loc);
  ok = ok && (p = add_para(b, e, right, "form-position")) && ap_bind_content(b, position.obj, p, NULL, position.loc);
  if (ok && xmlHasProp(e, (const xmlChar *)"field")) { // The room a signature field (field=: its name)
    ap_node_t *field = ap_bind_sigfield(b, e, "field", ctx, 0, room);
    ok = field != NULL;
    if (ok)
      ap_node_append(right, field);
  } else if (ok) {
    ap_node_t *space = ap_node_new(b->arena, AP_NODE_SPACE, LOC(e, NULL));
    space->height = room;
    ap_node_append(right, space);
  }
  if (ok && *name.text)
    ok = (p = add_para(b, e, right, "form-signer")) && ap_bind_content(b, name.obj, p, NULL, name.loc);

  // ...kept on the page of the paragraph before it.
  if (ok) {
    tidy(b, row);
    ok = keep_with_signature(b, e, ctx, parent);
  }
  if (ok)
    ap_node_append(parent, row);
  drop_field(&authority), drop_field(&position), drop_field(&name);
  return ok;
}

//
// 'ap_bind_form_title()' - <form-title>: the type of document and its summary.
//
// The type in capitals, the summary (trích yếu) under it, then HD 36's
// five hyphens or NĐ 30's rule (the summary style's rule-below); kept with
// the text that follows.
//

bool
ap_bind_form_title(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent)
{
  field_t type = {0}, title = {0};
  form_t form;
  ap_node_t *p;
  bool ok = which_form(b, e, ctx, &form) &&
            bind_field(b, e, "type", ctx, "type of document (tên loại văn bản)", form, true, &type) &&
            bind_field(b, e, "title", ctx, "summary (trích yếu nội dung)", form, false, &title);

  b->doc->form_facts.title = LOC(e, NULL);
  note_field(&type, &b->doc->form_facts.type);
  ok = ok && (p = add_para(b, e, parent, "form-type")) && ap_bind_content(b, type.obj, p, NULL, type.loc);
  if (ok)
    tidy(b, p);
  if (ok && title.obj && *title.text) {
    ok = (p = add_para(b, e, parent, "form-summary")) && ap_bind_content(b, title.obj, p, NULL, title.loc);
    if (ok)
      tidy(b, p);
    if (ok && form == FORM_HD36)
      ok = (p = add_para(b, e, parent, "form-summary-mark")) && ap_bind_own_text(b, p, "-----", LOC(e, NULL));
  }
  drop_field(&type), drop_field(&title);
  return ok;
}

// Text from the data that the form writes out itself (a padded number, a
// date's day, month and year): a text run of the data's, not the layout's.
static bool
add_data_text(ap_binder_t *b, ap_node_t *para, const char *text, ap_loc_t loc)
{
  xmlXPathObjectPtr s = xmlXPathNewCString(text);
  bool ok = s && ap_bind_content(b, s, para, NULL, loc);
  xmlXPathFreeObject(s);
  return ok || ap_fail(b->diags, loc, "out of memory");
}

// A column of share (0..1] of the row's width, appended to it.
static ap_node_t *
add_column(ap_binder_t *b, xmlNodePtr e, ap_node_t *columns, double share)
{
  ap_node_t *col = ap_node_new(b->arena, AP_NODE_COLUMN, LOC(e, NULL));
  col->width = share;
  ap_node_append(columns, col);
  return col;
}

// A paragraph in a style of the form, appended to parent (its text comes
// after, then tidy());
// NULL (recorded) when the style is not declared.
static ap_node_t *
add_para(ap_binder_t *b, xmlNodePtr e, ap_node_t *parent, const char *style)
{
  const ap_style_t *s = ap_doc_find_style(b->doc, style);
  if (!s) {
    ap_fail(b->diags, LOC(e, NULL),
            "<%s> is set in the style '%s', which is not declared: expected form=\"hd36\" or form=\"nd30\" on "
            "<layout> (its styles are built in) or <style name=\"%s\">", (const char *)e->name, style, style);
    return NULL;
  }
  ap_node_t *p = ap_node_new(b->arena, AP_NODE_PARA, LOC(e, NULL));
  p->style = s;
  ap_node_append(parent, p);
  return p;
}

// The data field an attribute selects into *f. Absent or selecting nothing
// is an error when the form requires it (what names it, in the form's
// words); a field may be empty (a number not yet given) where the caller
// allows it. False (recorded at the attribute) on error.
static bool
bind_field(ap_binder_t *b, xmlNodePtr e, const char *name, xmlNodePtr ctx, const char *what, form_t form,
           bool required, field_t *f)
{
  xmlChar *expr = xmlGetProp(e, (const xmlChar *)name);

  memset(f, 0, sizeof(*f));
  f->text = "";
  f->loc = LOC(e, expr ? name : NULL);
  bool lenient = b->doc->form_facts.lenient; // check --form: reported by the check, as a deviation
  if (!expr && required && lenient)
    f->obj = xmlXPathNewCString(""); // Bound as empty, noted as not given (f->state)
  if (!expr)
    return !required || lenient ||
           ap_fail(b->diags, f->loc, "<%s> needs %s=: the %s, which %s requires", (const char *)e->name,
                   name, what, form_name(form));
  f->obj = ap_bind_eval(b, (const char *)expr, ctx, f->loc);
  if (!f->obj) {
    xmlFree(expr);
    return false;
  }

  // Nothing selected...
  bool none = f->obj->type == XPATH_NODESET && (!f->obj->nodesetval || f->obj->nodesetval->nodeNr == 0);
  if (none) {
    xmlXPathFreeObject(f->obj);
    f->obj = NULL;
    f->state = AP_FIELD_NONE;
    if (required && lenient)
      f->obj = xmlXPathNewCString(""); // Bound as empty, noted as selecting nothing
    else if (required)
      ap_fail(b->diags, f->loc, "%s=\"%s\" selects nothing in the data: expected the %s, which %s requires", name,
              (const char *)expr, what, form_name(form));
    xmlFree(expr);
    return !required || lenient;
  }
  xmlFree(expr);

  // ...else its text as printed, and where it stands.
  xmlChar *s = ap_bind_string(f->obj);
  char *t = ap_bind_collapse(b->arena, s ? (const char *)s : "", s ? strlen((const char *)s) : 0);
  xmlFree(s);
  while (*t == ' ')
    t++;
  size_t n = strlen(t);
  while (n && t[n - 1] == ' ')
    t[--n] = '\0';
  f->text = t;
  f->state = *t ? AP_FIELD_GIVEN : AP_FIELD_EMPTY;
  if (f->obj->type == XPATH_NODESET && b->data_src)
    f->at = ap_source_loc(b->data_src, f->obj->nodesetval->nodeTab[0], NULL);
  return true;
}

// An ISO 8601 date, complete (2023-12-05) or reduced to a month (2023-12)
// or a year (2023) for a draft whose day or month is still to be written:
// its parts (0 for those left out); false for anything else.
static bool
date_parts(const char *text, int *year, int *month, int *day)
{
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  size_t n = strlen(text);

  *year = *month = *day = 0;
  if ((n != 4 && n != 7 && n != 10) || strspn(text, "0123456789") != 4)
    return false;
  *year = atoi(text);
  if (n >= 7 && (text[4] != '-' || strspn(text + 5, "0123456789") != 2))
    return false;
  if (n >= 7)
    *month = atoi(text + 5);
  if (n == 10 && (text[7] != '-' || strspn(text + 8, "0123456789") != 2))
    return false;
  if (n == 10)
    *day = atoi(text + 8);
  bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
  if (*year < 1 || (n >= 7 && (*month < 1 || *month > 12)) ||
      (n == 10 && (*day < 1 || *day > days[*month - 1] || (*month == 2 && *day == 29 && !leap))))
    return false;
  return true;
}

// What check --form needs to know of a field: its state, text and places.
static void
note_field(const field_t *f, ap_form_field_t *fact)
{
  *fact = (ap_form_field_t){.state = f->state, .text = f->text ? f->text : "", .loc = f->loc, .at = f->at};
}

// Free a field's value.
static void
drop_field(field_t *f)
{
  xmlXPathFreeObject(f->obj);
  f->obj = NULL;
}

// The form's name in messages.
static const char *
form_name(form_t form)
{
  return form == FORM_HD36 ? "HD 36-HD/VPTW (form=\"hd36\")" : "NĐ 30/2020/NĐ-CP (form=\"nd30\")";
}

// The last text block before the signature (a paragraph, or a list's last
// item) keeps with it: the signature is never alone on its page. With
// end= ("./."), that block ends with the mark, written as the layout's:
// after a full stop only the rest of the mark ("/.").
static bool
keep_with_signature(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *parent)
{
  ap_node_t *last = NULL; // The last block but spaces
  char *end = ap_bind_attr(b, e, "end", ctx);

  for (ap_node_t *n = parent->children; n; n = n->next)
    if (n->kind != AP_NODE_SPACE)
      last = n;
  if (last && last->kind == AP_NODE_LIST)
    last = last->last;
  if (!last || !last->style || (last->kind != AP_NODE_PARA && last->kind != AP_NODE_HEADING &&
                                last->kind != AP_NODE_ITEM))
    return !end || !*end || ap_bind_layout_alone(b) || // (the text is the data's)
           ap_fail(b->diags, LOC(e, "end"), "end=\"%s\" closes the paragraph before the signature, and there is "
                   "none: expected a paragraph or list before <form-signature>", end);
  ap_style_t *kept = AP_NEW(b->arena, ap_style_t);
  *kept = *last->style;
  kept->keep_with_next = true;
  kept->next = NULL;
  last->style = kept;

  // The closing mark after the last text (its full stop the mark's first)...
  if (!end || !*end)
    return true;
  b->doc->form_facts.end = end;
  const ap_node_t *text = NULL; // The block's last text run
  for (ap_node_t *n = last->children; n; n = n->next)
    if (n->kind == AP_NODE_TEXT && *n->text)
      text = n;
  size_t l = text ? strlen(text->text) : 0;
  const char *mark = end[0] == '.' && l && text->text[l - 1] == '.' ? end + 1 : end;
  return !*mark || ap_bind_own_text(b, last, mark, LOC(e, "end"));
}

// "Hậu Giang, ngày 05 tháng 02 năm 2024": the day below 10 and the months
// 1 and 2 with a leading zero (NĐ 30, Phụ lục I; HD 36 writes them the
// same); a draft's missing day or month left blank to be written in.
static bool
place_date(ap_binder_t *b, xmlNodePtr e, ap_node_t *column, form_t form, const field_t *place,
           const field_t *date)
{
  int year, month, day;
  char num[16];
  ap_node_t *p;

  (void)form;
  bool iso = date_parts(date->text, &year, &month, &day);
  b->doc->form_facts.date_iso = iso;
  if (!iso && b->doc->form_facts.lenient) // check --form reports it: the place and the date as given
    return (p = add_para(b, e, column, "form-place-date")) && ap_bind_content(b, place->obj, p, NULL, place->loc) &&
           (!*date->text || (ap_bind_own_text(b, p, ", ", date->loc) && add_data_text(b, p, date->text, date->loc)));
  if (!iso) {
    if (date->at.file)
      return ap_fail(b->diags, date->loc, "date=\"%s\" (%s line %d): expected an ISO 8601 date: 2023-12-05, or "
                     "2023-12 or 2023 for a draft whose day or month is left blank", date->text, date->at.file,
                     date->at.line);
    return ap_fail(b->diags, date->loc, "date=\"%s\": expected an ISO 8601 date: 2023-12-05, or 2023-12 or 2023 "
                   "for a draft whose day or month is left blank", date->text);
  }
  if (!(p = add_para(b, e, column, "form-place-date")) || !ap_bind_content(b, place->obj, p, NULL, place->loc))
    return false;
  bool ok = true;
  if (day) {
    snprintf(num, sizeof(num), "%02d", day);
    ok = ap_bind_own_text(b, p, ", ngày ", date->loc) && add_data_text(b, p, num, date->loc) &&
         ap_bind_own_text(b, p, " tháng ", date->loc);
  } else
    ok = ap_bind_own_text(b, p, ", ngày" BLANK "tháng", date->loc);
  if (ok && month) {
    snprintf(num, sizeof(num), month < 3 ? "%02d" : "%d", month);
    ok = (day || ap_bind_own_text(b, p, " ", date->loc)) && add_data_text(b, p, num, date->loc) &&
         ap_bind_own_text(b, p, " năm ", date->loc);
  } else if (ok)
    ok = ap_bind_own_text(b, p, BLANK "năm ", date->loc);
  snprintf(num, sizeof(num), "%d", year);
  return ok && add_data_text(b, p, num, date->loc);
}

// The recipients in column: "Nơi nhận:" (or the data's label) and one
// entry per node recipients= selects, each a list item after "-" whose
// wrapped lines hang under its text. Nothing without recipients=.
static bool
recipients(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, ap_node_t *column, form_t form)
{
  field_t label = {0}, list = {0};
  ap_node_t *p;

  if (!xmlHasProp(e, (const xmlChar *)"recipients"))
    return true;
  bool ok = bind_field(b, e, "recipients-label", ctx, "label of the recipients", form, false, &label) &&
            bind_field(b, e, "recipients", ctx, "recipients (nơi nhận)", form, true, &list);
  note_field(&list, &b->doc->form_facts.recipients);
  if (ok && list.state == AP_FIELD_NONE) { // check --form: none, reported by the check
    drop_field(&label), drop_field(&list);
    return true;
  }
  if (ok && list.obj->type != XPATH_NODESET)
    ok = ap_fail(b->diags, list.loc, "recipients= gives a %s: expected an expression that selects the entries",
                 list.obj->type == XPATH_STRING ? "string" : "value");
  ok = ok && (p = add_para(b, e, column, "form-recipients-label")) &&
       (label.obj ? ap_bind_content(b, label.obj, p, NULL, label.loc)
                  : ap_bind_own_text(b, p, "Nơi nhận:", LOC(e, NULL)));

  // The entries...
  const ap_style_t *style = ok ? ap_doc_find_style(b->doc, "form-recipient") : NULL;
  if (ok && !style)
    ok = add_para(b, e, column, "form-recipient") != NULL; // (says which style is missing)
  if (ok) {
    ap_node_t *items = ap_node_new(b->arena, AP_NODE_LIST, list.loc);
    items->style = style;
    items->label = "-";
    for (int i = 0; ok && i < list.obj->nodesetval->nodeNr; i++) {
      ap_node_t *item = ap_node_new(b->arena, AP_NODE_ITEM, list.loc);
      xmlXPathObjectPtr one = xmlXPathNewNodeSet(list.obj->nodesetval->nodeTab[i]);
      item->style = style;
      item->label = "-";
      ok = one && ap_bind_content(b, one, item, NULL, list.loc);
      xmlXPathFreeObject(one);
      ap_node_append(items, item);
    }
    ap_node_append(column, items);
  }
  drop_field(&label), drop_field(&list);
  return ok;
}

// The form an element follows: its own form=, else the layout's; an error
// at the element when neither says.
static bool
which_form(ap_binder_t *b, xmlNodePtr e, xmlNodePtr ctx, form_t *form)
{
  char *own = ap_bind_attr(b, e, "form", ctx);
  const char *name = own ? own : b->layout->form;

  if (name && !strcmp(name, "hd36"))
    *form = FORM_HD36;
  else if (name && !strcmp(name, "nd30"))
    *form = FORM_ND30;
  else
    return ap_fail(b->diags, LOC(e, own ? "form" : NULL), "<%s> follows no form: expected form=\"hd36\" or "
                   "form=\"nd30\" on it or on <layout>", (const char *)e->name);
  return true;
}

// Tidy the spaces (and capitals) of the paragraphs and items a form's
// element made, inside its columns and lists.
static void
tidy(ap_binder_t *b, ap_node_t *node)
{
  if (node->kind == AP_NODE_PARA || node->kind == AP_NODE_ITEM) {
    ap_bind_tidy(b, node);
    return;
  }
  if (node->kind == AP_NODE_COLUMNS || node->kind == AP_NODE_COLUMN || node->kind == AP_NODE_LIST)
    for (ap_node_t *c = node->children; c; c = c->next)
      tidy(b, c);
}
