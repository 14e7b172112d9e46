// anpham check --form hd36|nd30: each clause of a built-in form the
// document does not meet, as one deviation with its place. The clauses and
// their figures are those docs/forms.md gives with their sources (Hướng
// dẫn 36-HD/VPTW, 2018; Nghị định 30/2020/NĐ-CP, Phụ lục I): what the
// form's definitions (parse/forms.c) take one value of, the check accepts
// over the whole range the source allows.
#include "form.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define DASH "\xe2\x80\x93" // EN DASH, between the ends of a range
#define A4_WIDTH 595.276    // Points (210 mm)
#define A4_HEIGHT 841.890   // Points (297 mm)
#define SIZE_SLACK 1.0      // Points a page may differ from A4 (rounding of mm)
#define MM_SLACK 0.05       // Millimetres a margin may pass the end of its range (rounding)

// What a form wants of the style of one of its parts: a size range and,
// where it says, bold, italic and capitals (-1: the form says nothing).
typedef struct want_s {
  const char *style; // Style name (parse/forms.c)
  const char *what;  // The part, in messages
  double min, max;   // Type size range, points
  int bold, italic, upper; // 1 wanted, 0 not wanted, -1 not checked
} want_t;

// One form: its name in messages and what it wants.
typedef struct form_s {
  const char *name;     // "hd36"
  const char *title;    // "HD 36", in messages
  const want_t *parts;  // Its parts' styles, ending with a NULL style
  bool end_mark;        // The text ends with "./." (<form-signature end="./.">)
} form_t;

// HD 36's table of type sizes and styles (docs/forms.md).
static const want_t hd36_parts[] = {
    {"form-parent", "parent body", 14, 14, 0, 0, 1},
    {"form-issuer", "issuing body", 14, 14, 1, 0, 1},
    {"form-number", "number", 14, 14, 0, 0, -1},
    {"form-subject", "summary of a công văn", 12, 12, 0, 1, -1},
    {"form-party", "title of the Party", 15, 15, 1, 0, 1},
    {"form-place-date", "place and date", 14, 14, 0, 1, -1},
    {"form-type", "type of document", 15, 16, 1, 0, 1},
    {"form-summary", "summary", 14, 15, 1, 0, -1},
    {"form-recipients-label", "\"Nơi nhận:\"", 14, 14, 0, 0, -1},
    {"form-recipient", "recipients", 12, 12, 0, 0, -1},
    {"form-authority", "signer's authority", 14, 14, 1, 0, 1},
    {"form-position", "signer's position", 14, 14, 1, 0, 1},
    {"form-signer", "signer's name", 14, 14, 1, 0, -1},
    {"body", "body text", 14, 15, -1, -1, -1},
    {"page-number", "page numbers", 14, 14, -1, 0, -1},
    {NULL, NULL, 0, 0, 0, 0, 0}};

// NĐ 30 Phụ lục I's table of type sizes and styles (docs/forms.md).
static const want_t nd30_parts[] = {
    {"form-parent", "parent body", 12, 13, 0, 0, 1},
    {"form-issuer", "issuing body", 12, 13, 1, 0, 1},
    {"form-number", "number", 13, 14, 0, 0, -1},
    {"form-subject", "summary of a công văn", 12, 13, 0, 0, -1},
    {"form-nation", "Quốc hiệu", 12, 13, 1, 0, 1},
    {"form-motto", "Tiêu ngữ", 13, 14, 1, 0, -1},
    {"form-place-date", "place and date", 13, 14, 0, 1, -1},
    {"form-type", "type of document", 13, 14, 1, 0, 1},
    {"form-summary", "summary", 13, 14, 1, 0, -1},
    {"form-recipients-label", "\"Nơi nhận:\"", 12, 12, 1, 1, -1},
    {"form-recipient", "recipients", 11, 11, 0, 0, -1},
    {"form-authority", "signer's authority", 13, 14, 1, 0, 1},
    {"form-position", "signer's position", 13, 14, 1, 0, 1},
    {"form-signer", "signer's name", 13, 14, 1, 0, -1},
    {"body", "body text", 13, 14, -1, -1, -1},
    {"page-number", "page numbers", 13, 14, -1, 0, -1},
    {NULL, NULL, 0, 0, 0, 0, 0}};

static const form_t forms[] = {
    {"hd36", "HD 36", hd36_parts, false},
    {"nd30", "NĐ 30", nd30_parts, true},
};

static void check_date(const form_t *f, const ap_form_facts_t *facts, ap_diags_t *diags);
static void check_fields(const form_t *f, const ap_doc_t *doc, ap_loc_t where, ap_diags_t *diags);
static void check_page(const form_t *f, const ap_master_t *m, ap_loc_t form_loc, ap_diags_t *diags);
static void check_style(const form_t *f, const want_t *w, const ap_style_t *s, ap_loc_t form_loc,
                        ap_diags_t *diags);
static const form_t *find_form(const char *name);
static const char *number(char *buf, size_t size, double value);
static bool missing(const ap_form_field_t *field);
static bool has_page_number(const ap_node_t *node);
static ap_loc_t place_of(ap_loc_t loc, ap_loc_t form_loc);
static const char *range(char *buf, size_t size, double min, double max);

//
// 'ap_check_form_known()' - Whether the check knows a form of that name.
//

bool
ap_check_form_known(const char *name)
{
  return name && find_form(name) != NULL;
}

//
// 'ap_check_form()' - Record each deviation of the document from a form.
//
// In the order of the document: the pages, the styles of the form's parts
// and of the text, then the fields of the header, title and signature.
//

int
ap_check_form(const ap_doc_t *doc, const char *form, ap_loc_t form_loc, ap_diags_t *diags)
{
  const form_t *f = find_form(form);
  int before = diags->errors;

  if (!f)
    return 0;

  // Page 1 and the pages after it...
  if (doc->first_master)
    check_page(f, doc->first_master, form_loc, diags);
  if (doc->master && doc->master != doc->first_master)
    check_page(f, doc->master, form_loc, diags);
  if (doc->first_master && (has_page_number(doc->first_master->header) ||
                            has_page_number(doc->first_master->footer)))
    ap_deviate(diags, place_of(doc->first_master->loc, form_loc),
               "form %s: page 1 (page '%s') carries a page number; %s wants none on page 1, numbers from page 2",
               f->name, doc->first_master->name ? doc->first_master->name : "", f->title);

  // ...the type of each part the document declares...
  for (const want_t *w = f->parts; w->style; w++) {
    const ap_style_t *s = ap_doc_find_style(doc, w->style);
    if (s)
      check_style(f, w, s, form_loc, diags);
  }

  // ...and the parts and fields the form requires.
  ap_loc_t where = doc->body && doc->body->loc.file ? doc->body->loc : form_loc;
  check_fields(f, doc, where, diags);
  return diags->errors - before;
}

// The date of the header: given, and ISO 8601 (which the form writes with
// its leading zeros: "ngày 05 tháng 02 năm 2024").
static void
check_date(const form_t *f, const ap_form_facts_t *facts, ap_diags_t *diags)
{
  const ap_form_field_t *d = &facts->date;

  if (missing(d) || d->state == AP_FIELD_EMPTY)
    ap_deviate(diags, d->at.file ? d->at : d->loc,
               "form %s: no date (ngày, tháng, năm)%s; %s wants the date of issue, given as an ISO 8601 date "
               "(2024-02-05: \"ngày 05 tháng 02 năm 2024\")", f->name,
               d->state == AP_FIELD_NONE ? ": date= selects nothing in the data" : "", f->title);
  else if (!facts->date_iso)
    ap_deviate(diags, d->at.file ? d->at : d->loc,
               "form %s: date \"%s\" is not an ISO 8601 date; %s wants it written \"ngày dd tháng mm năm yyyy\" "
               "with leading zeros, from an ISO 8601 date in the data (2024-02-05)", f->name, d->text, f->title);
}

// The parts the form requires: header (issuing body, number, place,
// date), title (type), signature (position, name, recipients), and NĐ 30's
// closing mark.
static void
check_fields(const form_t *f, const ap_doc_t *doc, ap_loc_t where, ap_diags_t *diags)
{
  const ap_form_facts_t *facts = &doc->form_facts;

  // The header...
  if (!facts->header.file)
    ap_deviate(diags, where, "form %s: no <form-header>; %s wants the header block: issuing body, number and "
               "symbol, place and date", f->name, f->title);
  else {
    if (missing(&facts->issuer) || facts->issuer.state == AP_FIELD_EMPTY)
      ap_deviate(diags, facts->issuer.loc, "form %s: no issuing body (tên cơ quan ban hành); %s wants it",
                 f->name, f->title);
    if (missing(&facts->number))
      ap_deviate(diags, facts->number.loc, "form %s: no number (số)%s; %s wants it (an empty element leaves it "
                 "blank, to be written in by hand)", f->name,
                 facts->number.state == AP_FIELD_NONE ? ": number= selects nothing in the data" : "", f->title);
    if (missing(&facts->place) || facts->place.state == AP_FIELD_EMPTY)
      ap_deviate(diags, facts->place.loc, "form %s: no place (địa danh) before the date; %s wants it", f->name,
                 f->title);
    check_date(f, facts, diags);
  }

  // ...the title (a công văn, whose summary follows "V/v" under the
  // number, has no type of document)...
  bool cong_van = !missing(&facts->subject) && facts->subject.state != AP_FIELD_EMPTY;
  if (!facts->title.file) {
    if (!cong_van)
      ap_deviate(diags, where, "form %s: no <form-title>; %s wants the type of document (tên loại văn bản) above "
                 "the text", f->name, f->title);
  } else if (missing(&facts->type) || facts->type.state == AP_FIELD_EMPTY)
    ap_deviate(diags, facts->type.loc, "form %s: no type of document (tên loại văn bản); %s wants it", f->name,
               f->title);

  // ...the signature, its recipients and the closing mark.
  if (!facts->signature.file) {
    ap_deviate(diags, where, "form %s: no <form-signature>; %s wants the signer's position and name and the "
               "recipients (nơi nhận) after the text", f->name, f->title);
    return;
  }
  if (missing(&facts->position) || facts->position.state == AP_FIELD_EMPTY)
    ap_deviate(diags, facts->position.loc, "form %s: no signer's position (chức vụ); %s wants it", f->name,
               f->title);
  if (missing(&facts->name))
    ap_deviate(diags, facts->name.loc, "form %s: no signer's name (họ tên)%s; %s wants it (an empty element "
               "leaves it blank: an unsigned draft)", f->name,
               facts->name.state == AP_FIELD_NONE ? ": name= selects nothing in the data" : "", f->title);
  if (missing(&facts->recipients))
    ap_deviate(diags, facts->recipients.state == AP_FIELD_UNBOUND ? facts->signature : facts->recipients.loc,
               "form %s: no recipients (nơi nhận)%s; %s wants them after the text", f->name,
               facts->recipients.state == AP_FIELD_NONE ? ": recipients= selects nothing in the data"
                                                        : ": <form-signature> has no recipients=",
               f->title);
  if (f->end_mark && (!facts->end || strcmp(facts->end, "./.")))
    ap_deviate(diags, facts->signature, "form %s: the text does not end with \"./.\"%s; %s wants the mark after "
               "the last paragraph (end=\"./.\" on <form-signature>)", f->name,
               facts->end ? " (end= gives another mark)" : "", f->title);
}

// A page template: A4 upright, margins top and bottom 20–25, left 30–35,
// right 15–20 mm (both forms).
static void
check_page(const form_t *f, const ap_master_t *m, ap_loc_t form_loc, ap_diags_t *diags)
{
  static const struct {
    const char *side;
    double min, max;
  } sides[] = {{"top", 20, 25}, {"bottom", 20, 25}, {"left", 30, 35}, {"right", 15, 20}};
  const double margins[] = {m->top, m->bottom, m->inner, m->outer};
  ap_loc_t at = place_of(m->loc, form_loc);
  const char *name = m->name ? m->name : "";
  char a[32], b[32], r[64];

  if (fabs(m->width - A4_WIDTH) > SIZE_SLACK || fabs(m->height - A4_HEIGHT) > SIZE_SLACK)
    ap_deviate(diags, at, "form %s: page '%s' is %s × %s mm; %s wants A4 upright (210 × 297 mm)", f->name, name,
               number(a, sizeof(a), m->width * 25.4 / 72), number(b, sizeof(b), m->height * 25.4 / 72), f->title);
  for (int i = 0; i < 4; i++) {
    double mm = margins[i] * 25.4 / 72;
    if (mm < sides[i].min - MM_SLACK || mm > sides[i].max + MM_SLACK)
      ap_deviate(diags, at, "form %s: %s margin of page '%s' is %s mm; %s wants %s mm", f->name, sides[i].side, name,
                 number(a, sizeof(a), mm), f->title, range(r, sizeof(r), sides[i].min, sides[i].max));
  }
}

// The effective style of one part: its size in the form's range, bold,
// italic and capitals as the form wants them.
static void
check_style(const form_t *f, const want_t *w, const ap_style_t *s, ap_loc_t form_loc, ap_diags_t *diags)
{
  ap_loc_t at = place_of(s->loc, form_loc);
  char a[32], r[64];

  if (s->size < w->min - 0.01 || s->size > w->max + 0.01)
    ap_deviate(diags, at, "form %s: %s (%s) is %s pt; %s wants %s pt", f->name, w->what, w->style,
               number(a, sizeof(a), s->size), f->title, range(r, sizeof(r), w->min, w->max));
  if (w->bold >= 0 && s->bold != (w->bold == 1))
    ap_deviate(diags, at, "form %s: %s (%s) is %s; %s wants it %s", f->name, w->what, w->style,
               s->bold ? "bold" : "not bold", f->title, w->bold ? "bold" : "not bold");
  if (w->italic >= 0 && s->italic != (w->italic == 1))
    ap_deviate(diags, at, "form %s: %s (%s) is %s; %s wants it %s", f->name, w->what, w->style,
               s->italic ? "italic" : "upright", f->title, w->italic ? "italic" : "upright");
  if (w->upper >= 0 && s->uppercase != (w->upper == 1))
    ap_deviate(diags, at, "form %s: %s (%s) is %s; %s wants it %s", f->name, w->what, w->style,
               s->uppercase ? "in capitals" : "not in capitals", f->title,
               w->upper ? "in capitals" : "not in capitals");
}

// The form of that name, NULL when none.
static const form_t *
find_form(const char *name)
{
  for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
    if (!strcmp(forms[i].name, name))
      return &forms[i];
  return NULL;
}

// A block tree holds the page number (in a header or footer).
static bool
has_page_number(const ap_node_t *node)
{
  if (!node)
    return false;
  if (node->kind == AP_NODE_PAGENUM)
    return true;
  for (const ap_node_t *c = node->children; c; c = c->next)
    if (has_page_number(c))
      return true;
  return false;
}

// A field the form requires is not there: the attribute not given, or
// selecting nothing in the data (an empty one is a blank left to write in).
static bool
missing(const ap_form_field_t *field)
{
  return field->state == AP_FIELD_UNBOUND || field->state == AP_FIELD_NONE;
}

// A number as messages write it: to a tenth, without trailing zeros.
static const char *
number(char *buf, size_t size, double value)
{
  snprintf(buf, size, "%g", round(value * 10) / 10);
  return buf;
}

// The place of a definition: its own, or the layout's form= for the
// built-in ones (a file named "form hd36 (built in)" is nowhere to look).
static ap_loc_t
place_of(ap_loc_t loc, ap_loc_t form_loc)
{
  return !loc.file || !strncmp(loc.file, "form ", 5) ? form_loc : loc;
}

// "15–16" or "14".
static const char *
range(char *buf, size_t size, double min, double max)
{
  char a[24], b[24];

  if (min == max)
    snprintf(buf, size, "%s", number(a, sizeof(a), min));
  else
    snprintf(buf, size, "%s" DASH "%s", number(a, sizeof(a), min), number(b, sizeof(b), max));
  return buf;
}
