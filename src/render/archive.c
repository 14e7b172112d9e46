// PDF/A-3 archives (--pdfa): what the writer adds to the pages. At the
// start the Info dictionary's dates, the XMP metadata stream (xmp.c) and
// the sRGB output intent with its ICC profile (read into the binary at
// build time from the Debian package icc-profiles-free); before the save
// PDF 1.7, printable link annotations and a placeholder /ID; after the
// save the /ID, taken from the SHA-256 of the file's own bytes, so that
// the same inputs give the same file and different files different IDs.
#include "render-private.h"

#include <stdlib.h>
#include <string.h>

#include "../base/hash.h"

#define ID_BYTES 16                                  // Bytes of each /ID string
#define ICC_NAME "sRGB IEC61966-2.1"                 // The profile's registered condition

extern const unsigned char ap_srgb_icc[];            // The ICC profile (generated/srgb-icc.c)
extern const unsigned ap_srgb_icc_size;              // Its size in bytes

static bool add_metadata(ap_writer_t *r, const ap_pages_t *info, const ap_render_archive_t *a);
static bool add_output_intent(ap_writer_t *r);
static bool mark_annotations_printable(ap_writer_t *r);
static bool set_dates(ap_writer_t *r, const ap_render_archive_t *a);

//
// 'ap_render_archive_begin()' - Dates, XMP metadata and output intent of an archive.
//

bool                                                 // O - true on success
ap_render_archive_begin(ap_writer_t *r,              // I - Writer (Info already set)
                        const ap_pages_t *info,      // I - Document information (NULL = none)
                        const ap_render_archive_t *a) // I - Archive settings
{
  static const ap_pages_t none;                      // No information

  r->archive = true;
  return set_dates(r, a) && add_metadata(r, info ? info : &none, a) && add_output_intent(r) && !r->failed;
}

//
// 'ap_render_archive_prepare()' - PDF 1.7, printable links, a placeholder /ID.
//

bool                                                 // O - true on success
ap_render_archive_prepare(ap_writer_t *r)            // I - Writer, every page painted
{
  static const HPDF_BYTE zeros[ID_BYTES];            // Placeholder, replaced after the save
  HPDF_Array id;

  r->pdf->pdf_version = HPDF_VER_17; // ISO 19005-3 is based on PDF 1.7 (ISO 32000-1)
  if (!mark_annotations_printable(r))
    return false;
  if (!(id = HPDF_Array_New(r->pdf->mmgr)) ||
      HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES)) != HPDF_OK ||
      HPDF_Array_Add(id, HPDF_Binary_New(r->pdf->mmgr, (HPDF_BYTE *)zeros, ID_BYTES)) != HPDF_OK ||
      HPDF_Dict_Add(r->pdf->trailer, "ID", id) != HPDF_OK)
    return false;
  return !r->failed;
}

//
// 'ap_render_archive_seal()' - Give the saved file its /ID.
//
// Both strings of the trailer's /ID become the first 16 bytes of the
// SHA-256 of the file as saved (with the placeholder zeros): derived from
// the content, never from the clock.
//

bool                                                 // O - true on success
ap_render_archive_seal(ap_writer_t *r,               // I - Writer
                       unsigned char *bytes,         // IO - The saved PDF
                       size_t size)                  // I - Its size
{
  static const char hex[] = "0123456789ABCDEF";
  unsigned char digest[AP_SHA256_SIZE];              // SHA-256 of the file
  char placeholder[2 * ID_BYTES + 3];                // "<000…0>"
  unsigned char *trailer = NULL, *at;                // The last trailer; a placeholder in it
  int found = 0;

  // The last trailer, and the two placeholders in it...
  memset(placeholder, '0', sizeof(placeholder) - 1);
  placeholder[0] = '<', placeholder[sizeof(placeholder) - 2] = '>', placeholder[sizeof(placeholder) - 1] = '\0';
  for (size_t i = size >= 11 ? size - 11 : 0; !trailer && i-- > 0;) // The cross-reference stream's dictionary,
    if (!memcmp(bytes + i, "/Type /XRef", 11) || !memcmp(bytes + i, "trailer", 7)) // or the trailer (save.c)
      trailer = bytes + i;
  if (!trailer || !ap_sha256(bytes, size, digest))
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: no trailer for the document ID");

  // ...each replaced by the digest's first 16 bytes in hex.
  for (at = trailer; found < 2 && (size_t)(at - bytes) + sizeof(placeholder) - 1 <= size; at++)
    if (!memcmp(at, placeholder, sizeof(placeholder) - 1)) {
      for (int k = 0; k < ID_BYTES; k++) {
        at[1 + 2 * k] = (unsigned char)hex[digest[k] >> 4];
        at[2 + 2 * k] = (unsigned char)hex[digest[k] & 15];
      }
      at += sizeof(placeholder) - 2;
      found++;
    }
  if (found != 2)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: the document ID was not written");
  return true;
}

// The XMP metadata stream on the catalog (uncompressed, as PDF/A wants:
// any reader finds it without decoding).
static bool
add_metadata(ap_writer_t *r, const ap_pages_t *info, const ap_render_archive_t *a)
{
  size_t size = 0;
  char *xmp = ap_render_xmp(info, a, &size);
  HPDF_Dict stream;
  bool ok;

  if (!xmp)
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  ok = (stream = HPDF_DictStream_New(r->pdf->mmgr, r->pdf->xref)) != NULL &&
       HPDF_Dict_AddName(stream, "Type", "Metadata") == HPDF_OK &&
       HPDF_Dict_AddName(stream, "Subtype", "XML") == HPDF_OK &&
       HPDF_Stream_Write(stream->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)size) == HPDF_OK &&
       HPDF_Dict_Add(r->pdf->catalog, "Metadata", stream) == HPDF_OK;
  free(xmp);
  return ok && !r->failed;
}

// The catalog's OutputIntents: one PDF/A intent whose destination profile
// is sRGB (three components), the colour space every page paints in.
static bool
add_output_intent(ap_writer_t *r)
{
  HPDF_MMgr mmgr = r->pdf->mmgr;
  HPDF_Dict icc, intent;
  HPDF_Array intents;

  // The profile, deflated like every other stream of the document...
  if (!(icc = HPDF_DictStream_New(mmgr, r->pdf->xref)) || HPDF_Dict_AddNumber(icc, "N", 3) != HPDF_OK ||
      HPDF_Stream_Write(icc->stream, ap_srgb_icc, ap_srgb_icc_size) != HPDF_OK)
    return false;
  if (r->pdf->compression_mode != HPDF_COMP_NONE) {
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (!ap_render_deflate(r, icc))
      return false;
  }

  // ...and the intent naming it.
  if (!(intent = HPDF_Dict_New(mmgr)) || HPDF_Dict_AddName(intent, "Type", "OutputIntent") != HPDF_OK ||
      HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") != HPDF_OK ||
      HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mmgr, ICC_NAME, NULL)) != HPDF_OK ||
      HPDF_Dict_Add(intent, "Info", HPDF_String_New(mmgr, ICC_NAME, NULL)) != HPDF_OK ||
      HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mmgr, "http://www.color.org", NULL)) != HPDF_OK ||
      HPDF_Dict_Add(intent, "DestOutputProfile", icc) != HPDF_OK)
    return false;
  return (intents = HPDF_Array_New(mmgr)) != NULL && HPDF_Array_Add(intents, intent) == HPDF_OK &&
         HPDF_Dict_Add(r->pdf->catalog, "OutputIntents", intents) == HPDF_OK && !r->failed;
}

// Every annotation (links) gets /F 4: printable, as ISO 19005-3 6.3.2
// wants of every annotation but popups.
static bool
mark_annotations_printable(ap_writer_t *r)
{
  HPDF_List pages = r->pdf->page_list;

  for (HPDF_UINT i = 0; pages && i < pages->count; i++) {
    HPDF_Dict page = HPDF_List_ItemAt(pages, i);
    HPDF_Array annots = page ? HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY) : NULL;
    for (HPDF_UINT k = 0; annots && k < annots->list->count; k++) {
      HPDF_Dict annot = HPDF_Array_GetItem(annots, k, HPDF_OCLASS_DICT);
      if (annot && !HPDF_Dict_GetItem(annot, "F", HPDF_OCLASS_NUMBER) &&
          HPDF_Dict_AddNumber(annot, "F", 4) != HPDF_OK)
        return false;
    }
  }
  return !r->failed;
}

// CreationDate and ModDate of the Info dictionary, the same instant as the
// XMP's dates (nothing when the archive has no date).
static bool
set_dates(ap_writer_t *r, const ap_render_archive_t *a)
{
  char date[AP_DATETIME_PDF];
  HPDF_Dict info = r->pdf->info;

  if (!a->dated)
    return true;
  if (!info)
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot write the PDF: no document information");
  ap_datetime_pdf(&a->date, date);
  return HPDF_Dict_Add(info, "CreationDate", HPDF_String_New(r->pdf->mmgr, date, NULL)) == HPDF_OK &&
         HPDF_Dict_Add(info, "ModDate", HPDF_String_New(r->pdf->mmgr, date, NULL)) == HPDF_OK && !r->failed;
}
