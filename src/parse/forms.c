// Built-in forms: form="hd36" (Hướng dẫn 36-HD/VPTW, 2018: Party documents)
// or form="nd30" (Nghị định 30/2020/NĐ-CP, Phụ lục I: state administrative
// documents) on <layout> puts the form's own definitions below the layout
// and its bases, as if the deepest base extended them: a font family, the
// styles of the form's parts, A4 pages with the form's margins and the page
// number centred at the top from page 2. A definition of the same name in
// the layout replaces the form's (docs/forms.md says what each holds and
// which clause it follows).
#include "parse-private.h"

#include <stdlib.h>
#include <string.h>

// What both forms share: Liberation Serif (Times New Roman's metric twin),
// the text 14 pt justified with a 10 mm first-line indent and 6 pt between
// paragraphs, A4 with 20/20/30/15 mm margins, page numbers from page 2.
#define COMMON_HEAD                                                                                           \
  "<layout version=\"1\">\n"                                                                                  \
  "<family name=\"serif\" regular=\"LiberationSerif-Regular.ttf\" bold=\"LiberationSerif-Bold.ttf\""         \
  " italic=\"LiberationSerif-Italic.ttf\" bold-italic=\"LiberationSerif-BoldItalic.ttf\"/>\n"                \
  "<style name=\"base\" family=\"serif\" size=\"14pt\" color=\"#000000\"/>\n"                                \
  "<style name=\"body\" parent=\"base\" align=\"justify\" first-indent=\"10mm\" space-after=\"6pt\"/>\n"     \
  "<style name=\"page-number\" parent=\"base\" align=\"center\"/>\n"
#define COMMON_PAGES                                                                                          \
  "<page name=\"first\" size=\"A4\" margin-top=\"20mm\" margin-bottom=\"20mm\" margin-left=\"30mm\""          \
  " margin-right=\"15mm\"/>\n"                                                                                \
  "<page name=\"rest\" size=\"A4\" margin-top=\"20mm\" margin-bottom=\"20mm\" margin-left=\"30mm\""           \
  " margin-right=\"15mm\">\n"                                                                                 \
  "<header offset=\"10mm\"><p style=\"page-number\"><page-number/></p></header></page>\n"                    \
  "</layout>\n"

// HD 36: the parent body 14 upright, the issuing body 14 bold, the
// asterisk under it; "Số 341-BC/TU" 14; the title ĐẢNG CỘNG SẢN VIỆT NAM
// 15 bold with a rule as long as itself; place and date 14 italic; the
// type 16 bold, the summary 14 bold, five hyphens under it; "Nơi nhận:"
// 14 underlined, its entries 12; authority, position and name 14 bold.
static const char hd36[] =
    COMMON_HEAD
    "<style name=\"form-parent\" parent=\"base\" align=\"center\" uppercase=\"true\"/>\n"
    "<style name=\"form-issuer\" parent=\"form-parent\" bold=\"true\"/>\n"
    "<style name=\"form-mark\" parent=\"base\" align=\"center\"/>\n"
    "<style name=\"form-number\" parent=\"base\" align=\"center\"/>\n"
    "<style name=\"form-subject\" parent=\"base\" size=\"12pt\" italic=\"true\" align=\"center\"/>\n"
    "<style name=\"form-party\" parent=\"base\" size=\"15pt\" bold=\"true\" align=\"center\" uppercase=\"true\""
    " rule-below=\"100%\"/>\n"
    "<style name=\"form-place-date\" parent=\"base\" italic=\"true\" align=\"center\" space-before=\"4pt\"/>\n"
    "<style name=\"form-type\" parent=\"base\" size=\"16pt\" bold=\"true\" align=\"center\" uppercase=\"true\""
    " space-before=\"18pt\" keep-with-next=\"true\"/>\n"
    "<style name=\"form-summary\" parent=\"base\" bold=\"true\" align=\"center\" keep-with-next=\"true\"/>\n"
    "<style name=\"form-summary-mark\" parent=\"base\" align=\"center\" space-after=\"10pt\"/>\n"
    "<style name=\"form-recipients-label\" parent=\"base\" underline=\"true\"/>\n"
    "<style name=\"form-recipient\" parent=\"base\" size=\"12pt\" hang=\"true\"/>\n"
    "<style name=\"form-authority\" parent=\"base\" bold=\"true\" align=\"center\" uppercase=\"true\"/>\n"
    "<style name=\"form-position\" parent=\"form-authority\"/>\n"
    "<style name=\"form-signer\" parent=\"base\" bold=\"true\" align=\"center\"/>\n"
    COMMON_PAGES;

// NĐ 30: the agency 13 upright, its issuing body 13 bold with a rule of
// 1/3 to 1/2 of its line; "Số: 12/QĐ-UBND" 13, "V/v" 12; Quốc hiệu 12
// bold, Tiêu ngữ 13 bold with a rule as long as its line; place and date
// 14 italic; the type 14 bold, the summary 14 bold with a rule of 1/3 to
// 1/2; "Nơi nhận:" 12 bold italic, its entries 11; authority, position and
// name 14 bold.
static const char nd30[] =
    COMMON_HEAD
    "<style name=\"form-parent\" parent=\"base\" size=\"13pt\" align=\"center\" uppercase=\"true\"/>\n"
    "<style name=\"form-issuer\" parent=\"form-parent\" bold=\"true\" rule-below=\"40%\"/>\n"
    "<style name=\"form-number\" parent=\"base\" size=\"13pt\" align=\"center\" space-before=\"4pt\"/>\n"
    "<style name=\"form-subject\" parent=\"base\" size=\"12pt\" align=\"center\"/>\n"
    "<style name=\"form-nation\" parent=\"base\" size=\"12pt\" bold=\"true\" align=\"center\" uppercase=\"true\"/>\n"
    "<style name=\"form-motto\" parent=\"base\" size=\"13pt\" bold=\"true\" align=\"center\" rule-below=\"100%\"/>\n"
    "<style name=\"form-place-date\" parent=\"base\" italic=\"true\" align=\"center\" space-before=\"4pt\"/>\n"
    "<style name=\"form-type\" parent=\"base\" bold=\"true\" align=\"center\" uppercase=\"true\""
    " space-before=\"18pt\" keep-with-next=\"true\"/>\n"
    "<style name=\"form-summary\" parent=\"base\" bold=\"true\" align=\"center\" keep-with-next=\"true\""
    " rule-below=\"40%\" space-after=\"10pt\"/>\n"
    "<style name=\"form-recipients-label\" parent=\"base\" size=\"12pt\" bold=\"true\" italic=\"true\"/>\n"
    "<style name=\"form-recipient\" parent=\"base\" size=\"11pt\" hang=\"true\"/>\n"
    "<style name=\"form-authority\" parent=\"base\" bold=\"true\" align=\"center\" uppercase=\"true\"/>\n"
    "<style name=\"form-position\" parent=\"form-authority\"/>\n"
    "<style name=\"form-signer\" parent=\"base\" bold=\"true\" align=\"center\"/>\n"
    COMMON_PAGES;

//
// 'ap_layout_form_name()' - The form a form= value names, NULL for another value.
//

const char *
ap_layout_form_name(const char *value)
{
  return !value                  ? NULL
         : !strcmp(value, "hd36") ? "hd36"
         : !strcmp(value, "nd30") ? "nd30"
                                  : NULL;
}

//
// 'ap_layout_form_loc()' - Where the layout chooses its form (or its root element).
//

ap_loc_t
ap_layout_form_loc(const ap_layout_t *layout)
{
  xmlNodePtr root = layout->src.doc ? xmlDocGetRootElement(layout->src.doc) : NULL;

  if (!root)
    return ap_loc_file(layout->src.path);
  return ap_source_loc(&layout->src, root, xmlHasProp(root, (const xmlChar *)"form") ? "form" : NULL);
}

//
// 'ap_layout_load_form()' - Put the definitions of the layout's form below its chain.
//
// The form is the nearest form= of the chain (the layout's own, else its
// bases' in order); its definitions are read like a base layout that the
// deepest base extends, named "form hd36 (built in)" in messages.
//

bool
ap_layout_load_form(ap_layout_t *layout, ap_arena_t *arena, ap_diags_t *diags)
{
  ap_source_t *deepest = &layout->src;

  // The nearest form= (the schema allows only hd36 and nd30)...
  layout->form = NULL;
  for (ap_source_t *s = &layout->src; s; s = s->base) {
    xmlChar *form = xmlGetProp(xmlDocGetRootElement(s->doc), (const xmlChar *)"form");
    if (form && !layout->form)
      layout->form = ap_layout_form_name((const char *)form);
    xmlFree(form);
    deepest = s;
  }
  if (!layout->form)
    return true;

  // ...read from memory as the deepest base's base, checked like any layout.
  const char *text = !strcmp(layout->form, "hd36") ? hd36 : nd30;
  size_t size = strlen(text);
  char *copy = malloc(size + 1);
  deepest->base = calloc(1, sizeof(ap_source_t));
  if (!copy || !deepest->base) {
    free(copy);
    free(deepest->base);
    deepest->base = NULL;
    return ap_fail(diags, ap_loc_file(layout->src.path), "out of memory");
  }
  memcpy(copy, text, size + 1);
  const char *path = ap_arena_printf(arena, "form %s (built in)", layout->form);
  if (!ap_source_parse(deepest->base, path, copy, size, AP_FILE_LAYOUT, diags)) {
    free(deepest->base);
    deepest->base = NULL;
    return false;
  }
  ap_layout_t check = {.src = *deepest->base};
  bool ok = ap_layout_validate(&check, diags);
  *deepest->base = check.src;
  return ok;
}
