// Signature fields: each SIGFIELD box becomes one unsigned /Sig field
// merged with its widget annotation (ISO 32000-1 12.7.4.5, 12.5.6.19):
// /FT /Sig, its name /T (a text string: UTF-16BE for Vietnamese), /Rect
// over the box, printed (/F 4), on its page (/P, and in the page's /Annots),
// with an appearance (/AP /N: an empty form XObject of the box's size, as
// PDF/A asks of every annotation), in the catalog's /AcroForm /Fields with
// /SigFlags 1 (signatures exist). No JavaScript, no /NeedAppearances.
// Tagged, the widget is the OBJR of a Form element. A signing tool
// (anpham sign --field, Adobe, pyHanko) signs into the field by its name.
// Objects are made in the boxes' order: the bytes are the same every run.
#include "render-private.h"

//
// 'ap_render_sigfield()' - A signature field over a SIGFIELD box.
//

bool                                    // O - true on success
ap_render_sigfield(ap_writer_t *r,      // I - Writer
                   const ap_box_t *box) // I - The field's box on the current page
{
  HPDF_MMgr mm = r->pdf->mmgr;
  const ap_rect_t *b = &box->rect;
  HPDF_Rect rect = ap_render_page_rect(r, b->x, r->height - b->y - b->h, b->x + b->w, r->height - b->y);
  HPDF_Dict form, widget, ap, xobject;
  HPDF_Array fields, annots, area, bbox;
  int objr;
  bool ok = true;

  if (!box->name || !*box->name || b->w <= 0 || b->h <= 0)
    return true;
  if (!ap_tags_form(r, &objr))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");

  // The catalog's /AcroForm, made with the first field...
  if (!(form = HPDF_Dict_GetItem(r->pdf->catalog, "AcroForm", HPDF_OCLASS_DICT)))
    ok = (form = HPDF_Dict_New(mm)) && HPDF_Dict_Add(r->pdf->catalog, "AcroForm", form) == HPDF_OK &&
         (fields = HPDF_Array_New(mm)) && HPDF_Dict_Add(form, "Fields", fields) == HPDF_OK &&
         HPDF_Dict_AddNumber(form, "SigFlags", 1) == HPDF_OK;
  ok = ok && (fields = HPDF_Dict_GetItem(form, "Fields", HPDF_OCLASS_ARRAY));

  // ...the page's /Annots (links may have made it)...
  if (ok && !(annots = HPDF_Dict_GetItem(r->page, "Annots", HPDF_OCLASS_ARRAY)))
    ok = (annots = HPDF_Array_New(mm)) && HPDF_Dict_Add(r->page, "Annots", annots) == HPDF_OK;

  // ...its appearance: an empty form XObject as large as the field...
  ok = ok && (xobject = HPDF_DictStream_New(mm, r->pdf->xref)) &&
       HPDF_Dict_AddName(xobject, "Type", "XObject") == HPDF_OK &&
       HPDF_Dict_AddName(xobject, "Subtype", "Form") == HPDF_OK && (bbox = HPDF_Array_New(mm)) &&
       HPDF_Dict_Add(xobject, "BBox", bbox) == HPDF_OK && HPDF_Array_AddReal(bbox, 0) == HPDF_OK &&
       HPDF_Array_AddReal(bbox, 0) == HPDF_OK && HPDF_Array_AddReal(bbox, rect.right - rect.left) == HPDF_OK &&
       HPDF_Array_AddReal(bbox, rect.top - rect.bottom) == HPDF_OK;

  // ...and the field merged with its widget.
  ok = ok && (widget = HPDF_Dict_New(mm)) && HPDF_Xref_Add(r->pdf->xref, widget) == HPDF_OK &&
       HPDF_Dict_AddName(widget, "Type", "Annot") == HPDF_OK &&
       HPDF_Dict_AddName(widget, "Subtype", "Widget") == HPDF_OK && HPDF_Dict_AddName(widget, "FT", "Sig") == HPDF_OK &&
       HPDF_Dict_Add(widget, "T", ap_render_text_string(r, box->name)) == HPDF_OK &&
       HPDF_Dict_Add(widget, "TU", ap_render_text_string(r, box->name)) == HPDF_OK &&
       (area = HPDF_Array_New(mm)) && HPDF_Dict_Add(widget, "Rect", area) == HPDF_OK &&
       HPDF_Array_AddReal(area, rect.left) == HPDF_OK && HPDF_Array_AddReal(area, rect.bottom) == HPDF_OK &&
       HPDF_Array_AddReal(area, rect.right) == HPDF_OK && HPDF_Array_AddReal(area, rect.top) == HPDF_OK &&
       HPDF_Dict_AddNumber(widget, "F", 4) == HPDF_OK && HPDF_Dict_Add(widget, "P", r->page) == HPDF_OK &&
       (ap = HPDF_Dict_New(mm)) && HPDF_Dict_Add(widget, "AP", ap) == HPDF_OK &&
       HPDF_Dict_Add(ap, "N", xobject) == HPDF_OK && HPDF_Array_Add(annots, widget) == HPDF_OK &&
       HPDF_Array_Add(fields, widget) == HPDF_OK;
  if (!ok || r->failed)
    return r->failed || ap_fail(r->diags, ap_loc_file(r->path), "out of memory making the signature field %s",
                                box->name);
  ap_tags_annot(r, objr, widget);
  return true;
}
