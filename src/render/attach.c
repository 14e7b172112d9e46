// The source a PDF carries (--embed-source, docs/archive.md "Embedded
// source"): each file as an /EmbeddedFile stream in a /Filespec that is a
// PDF/A-3 associated file of the document (catalog /AF, /AFRelationship
// /Source) and an entry of the catalog's /Names /EmbeddedFiles name tree,
// so that any reader lists it (pdfdetach -list) and `anpham extract`
// writes it back. Which files, and under which names, the driver decides;
// here they only become PDF objects, in name order, with no byte that
// depends on the clock or the machine.
#include "render-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hash.h"
#include "../base/utf8.h"


static int by_name(const void *a, const void *b);
static HPDF_Dict embed_one(ap_writer_t *r, const ap_attachment_t *file, const char *mod_date);
static HPDF_Dict params(ap_writer_t *r, const ap_attachment_t *file, const char *mod_date);

//
// 'ap_render_attach()' - Embed files as the document's associated source files.
//

bool                                          // O - true on success
ap_render_attach(ap_writer_t *r,              // I - Writer, every page painted
                 const ap_attachment_t *files, // I - The files (any order)
                 int count,                   // I - How many
                 const char *mod_date)        // I - PDF date of every file, or NULL for none
{
  HPDF_MMgr mm = r->pdf->mmgr;
  HPDF_Dict names, tree;
  HPDF_Array keys, af;
  const ap_attachment_t **sorted;
  bool ok = true;

  if (count <= 0)
    return true;
  if (!(sorted = malloc(sizeof(*sorted) * (size_t)count)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  for (int i = 0; i < count; i++)
    sorted[i] = &files[i];
  qsort(sorted, (size_t)count, sizeof(*sorted), by_name); // A name tree's keys are in order

  // The catalog's /Names (made here unless something made it already) and /AF...
  if (!(names = HPDF_Dict_GetItem(r->pdf->catalog, "Names", HPDF_OCLASS_DICT))) {
    ok = (names = HPDF_Dict_New(mm)) && HPDF_Dict_Add(r->pdf->catalog, "Names", names) == HPDF_OK;
  }
  ok = ok && (tree = HPDF_Dict_New(mm)) && HPDF_Dict_Add(names, "EmbeddedFiles", tree) == HPDF_OK &&
       (keys = HPDF_Array_New(mm)) && HPDF_Dict_Add(tree, "Names", keys) == HPDF_OK &&
       (af = HPDF_Array_New(mm)) && HPDF_Dict_Add(r->pdf->catalog, "AF", af) == HPDF_OK;

  // ...and each file: its name in the tree, its file specification in both...
  for (int i = 0; ok && i < count; i++) {
    HPDF_Dict spec = embed_one(r, sorted[i], mod_date);
    void *key = spec ? ap_render_text_string(r, sorted[i]->name) : NULL;
    ok = key && HPDF_Array_Add(keys, key) == HPDF_OK && HPDF_Array_Add(keys, spec) == HPDF_OK &&
         HPDF_Array_Add(af, spec) == HPDF_OK;
  }
  free(sorted);
  r->pdf->pdf_version = HPDF_VER_17; // /UF and /AF: PDF 1.7 (ISO 32000-1), as PDF/A-3 is
  if (!ok || r->failed)
    return r->failed || ap_fail(r->diags, ap_loc_file(r->path), "out of memory embedding the source files");
  return true;
}

// qsort: attachments by name, byte by byte.
static int
by_name(const void *a, const void *b)
{
  return strcmp((*(const ap_attachment_t *const *)a)->name, (*(const ap_attachment_t *const *)b)->name);
}

// One file's /EmbeddedFile stream (deflated) and its /Filespec (an
// indirect object, as the name tree and /AF both point at it); NULL on error.
static HPDF_Dict
embed_one(ap_writer_t *r, const ap_attachment_t *file, const char *mod_date)
{
  HPDF_MMgr mm = r->pdf->mmgr;
  HPDF_Dict stream, spec, ef, p;

  if (!(stream = HPDF_DictStream_New(mm, r->pdf->xref)) ||
      HPDF_Dict_AddName(stream, "Type", "EmbeddedFile") != HPDF_OK ||
      HPDF_Dict_AddName(stream, "Subtype", file->mime) != HPDF_OK || !(p = params(r, file, mod_date)) ||
      HPDF_Dict_Add(stream, "Params", p) != HPDF_OK ||
      (file->size && HPDF_Stream_Write(stream->stream, file->bytes, (HPDF_UINT)file->size) != HPDF_OK))
    return NULL;
  stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (!ap_render_deflate(r, stream))
    return NULL;

  if (!(spec = HPDF_Dict_New(mm)) || HPDF_Xref_Add(r->pdf->xref, spec) != HPDF_OK ||
      HPDF_Dict_AddName(spec, "Type", "Filespec") != HPDF_OK ||
      HPDF_Dict_Add(spec, "F", HPDF_String_New(mm, file->name, NULL)) != HPDF_OK ||
      HPDF_Dict_Add(spec, "UF", ap_render_text_string(r, file->name)) != HPDF_OK ||
      HPDF_Dict_Add(spec, "Desc", HPDF_String_New(mm, file->description, NULL)) != HPDF_OK ||
      HPDF_Dict_AddName(spec, "AFRelationship", "Source") != HPDF_OK || !(ef = HPDF_Dict_New(mm)) ||
      HPDF_Dict_Add(spec, "EF", ef) != HPDF_OK || HPDF_Dict_Add(ef, "F", stream) != HPDF_OK ||
      HPDF_Dict_Add(ef, "UF", stream) != HPDF_OK)
    return NULL;
  return spec;
}

// An embedded file's /Params: /Size, /CheckSum (the MD5 of its bytes,
// through Nettle) and /ModDate when the run has a date; NULL on error.
static HPDF_Dict
params(ap_writer_t *r, const ap_attachment_t *file, const char *mod_date)
{
  HPDF_MMgr mm = r->pdf->mmgr;
  unsigned char md5[AP_MD5_SIZE];
  HPDF_Dict p;

  if (file->size > 0x7FFFFFFF)
    return NULL;
  ap_md5(file->bytes ? (const void *)file->bytes : "", file->size, md5);
  if (!(p = HPDF_Dict_New(mm)) || HPDF_Dict_AddNumber(p, "Size", (HPDF_INT32)file->size) != HPDF_OK ||
      HPDF_Dict_Add(p, "CheckSum", HPDF_Binary_New(mm, md5, AP_MD5_SIZE)) != HPDF_OK ||
      (mod_date && HPDF_Dict_Add(p, "ModDate", HPDF_String_New(mm, mod_date, NULL)) != HPDF_OK))
    return NULL;
  return p;
}
