// The PDF file, written by us from libharu's objects: libharu builds every
// object and serializes each value (HPDF_Obj_WriteValue), but its own save
// writes each object on its own with a 20-byte cross-reference line, which
// made the structure tree of a tagged PDF a fifth of the file. Here every
// object that is not a stream goes into compressed object streams (PDF 1.5,
// ISO 32000-1 7.5.7: at most OBJSTM_MAX objects each, libdeflate), and the
// cross-reference table is itself a compressed stream (7.5.8). Streams
// (pages' content, fonts, images, metadata, attachments) stay where they
// were, as the standard wants. PDF/A-2 and -3 allow both; anpham writes no
// PDF/A-1 and never encrypts.
//
// Layout of the file: header, the streams in object order, each object
// stream after the streams that came before its last object and the next
// object stream's (where a thread deflating it meanwhile once put it; see
// flush_objstm), the cross-reference
// stream (its dictionary is the trailer: /Root, /Info, /ID), startxref. An
// uncompressed document (a render for reading the file as text:
// compression off) keeps the classic form: every object on its own, a
// cross-reference table and a trailer.
#include "render-private.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBJSTM_MAX 100 // Objects in one object stream (as qpdf and most writers)
#define OBJSTM_BYTES (256 * 1024) // Bytes of objects an object stream takes before it is written

// A growing buffer libharu writes into through a callback stream; the
// file's is handed on piece by piece when it has a receiver (put).
typedef struct buffer_s {
  unsigned char *bytes; // Written so far (malloc'ed)
  size_t size, alloc;   // Bytes written and allocated
  bool failed;          // Out of memory, or the receiver refused
  ap_render_put_t put;  // Receiver of the bytes, or NULL: all kept
  void *ctx;            // Its context
  size_t handed;        // Bytes handed to it before bytes[0]
} buffer_t;

#define HAND_ON (1 << 20) // Bytes a buffer with a receiver keeps before handing them on

// Where an object is: in the file (offset), or in an object stream.
// (Object streams are numbered after the objects: places grow with them.)
typedef struct place_s {
  unsigned char type;   // 0 free, 1 in the file, 2 in an object stream
  uint32_t where;       // Offset in the file, or the object stream's number
  uint16_t index;       // Index in its object stream (type 2)
} place_t;

// The object stream being filled, and the one before (deflated, not in the file yet).
typedef struct objstm_s {
  buffer_t head;        // "number offset" pairs
  buffer_t body;        // The objects' values, one after the other
  HPDF_Stream sink;     // Writes into body
  int count;            // Objects in it
  uint32_t numbers[OBJSTM_MAX]; // Their object numbers
  bool sealed;          // There is a stream before, not in the file yet
  bool sealed_ok;       // It was deflated (false: out of memory)
  unsigned char *sealed_z; // Its zlib data (malloc'ed)
  size_t sealed_zsize;  // Its size
  uint32_t sealed_number; // Its object number
  int sealed_count;     // Its objects (/N)
  size_t sealed_first;  // Where its first object's value starts (/First)
} objstm_t;

static bool append(buffer_t *b, const void *bytes, size_t size);
static size_t offset(const buffer_t *b);
static bool save(ap_writer_t *w, buffer_t *into);
static bool appendf(buffer_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool append_number(buffer_t *b, uint64_t n, const char *after);
static HPDF_STATUS buffer_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size);
static bool flush_objstm(buffer_t *file, objstm_t *os, place_t **places, size_t *room, uint32_t *next, bool last);
static bool place_sealed(buffer_t *file, objstm_t *os, place_t *places);
static bool is_stream(void *obj);
static bool write_object(ap_writer_t *w, buffer_t *file, HPDF_Stream out, uint32_t number, HPDF_XrefEntry entry);
static bool write_value(ap_writer_t *w, uint32_t number, HPDF_XrefEntry entry, HPDF_Stream stream);
static bool write_table(ap_writer_t *w, buffer_t *file, HPDF_Stream out, const place_t *places, uint32_t size);
static bool write_trailer_keys(ap_writer_t *w, buffer_t *file, HPDF_Stream out);
static bool write_xref(ap_writer_t *w, buffer_t *file, HPDF_Stream out, place_t *places, uint32_t size);

//
// 'ap_render_save()' - Serialize the document into a malloc'ed buffer.
//

bool                                   // O - true on success
ap_render_save(ap_writer_t *w,         // I - Writer, every object made
               unsigned char **bytes,  // O - The PDF (malloc'ed)
               size_t *size)           // O - Its size
{
  buffer_t file = {0};

  if (!save(w, &file)) {
    free(file.bytes);
    return false;
  }
  unsigned char *fitted = realloc(file.bytes, file.size ? file.size : 1); // Give back the unused end
  *bytes = fitted ? fitted : file.bytes;
  *size = file.size;
  return true;
}

//
// 'ap_render_save_to()' - Serialize the document, handing its bytes to put in order.
//
// The file is never whole in memory (a megabyte at a time): what a large
// document saves of its peak. False when put refuses or memory runs out.
//

bool                                   // O - true on success
ap_render_save_to(ap_writer_t *w,      // I - Writer, every object made
                  ap_render_put_t put, // I - Receiver of the bytes
                  void *ctx)           // I - Its context
{
  buffer_t file = {.put = put, .ctx = ctx};
  bool ok = save(w, &file) && (!file.size || put(ctx, file.bytes, file.size));

  free(file.bytes);
  return ok;
}

// Serialize the document into file.
static bool
save(ap_writer_t *w, buffer_t *into)
{
  static const char *const versions[] = {"1.2", "1.3", "1.4", "1.5", "1.6", "1.7"};
  HPDF_Doc pdf = w->pdf;
  HPDF_Xref xref = pdf->xref;
  buffer_t file = *into;
  objstm_t os = {0};
  HPDF_Stream out = NULL;
  place_t *places = NULL;

  if (pdf->encrypt_on || !xref || xref->prev || xref->start_offset != 0)
    return false; // Never so: anpham does not encrypt nor update
  bool packed = pdf->compression_mode != HPDF_COMP_NONE; // Object streams, else the classic form
  if (packed && pdf->pdf_version < HPDF_VER_15)
    pdf->pdf_version = HPDF_VER_15; // Object and cross-reference streams
  uint32_t count = xref->entries->count, next = count;
  size_t room = count + count / OBJSTM_MAX + 2; // Objects, their object streams, the xref stream
  bool ok = (places = calloc(room, sizeof(*places))) != NULL &&
            (out = HPDF_CallbackWriter_New(pdf->mmgr, buffer_write, &file)) != NULL &&
            (os.sink = HPDF_CallbackWriter_New(pdf->mmgr, buffer_write, &os.body)) != NULL;

  // The header (a comment of bytes above 127: the file is binary), then
  // each object: streams into the file, the others into object streams...
  ok = ok && appendf(&file, "%%PDF-%s\n%%\267\276\255\252\n", versions[pdf->pdf_version <= HPDF_VER_17 ? pdf->pdf_version : 5]);
  places[0] = (place_t){.type = 0, .where = 0, .index = 0xFFFF};
  for (uint32_t i = 1; ok && i < count; i++) {
    HPDF_XrefEntry entry = HPDF_Xref_GetEntry(xref, i);
    if (!packed || (!ap_tags_shares(w, entry) && (entry->gen_no != 0 || is_stream(entry->obj)))) {
      places[i] = (place_t){.type = 1, .where = (uint32_t)offset(&file)};
      ok = write_object(w, &file, out, i, entry);
      continue;
    }
    places[i] = (place_t){.type = 2, .index = (uint16_t)os.count};
    os.numbers[os.count] = i;
    ok = append_number(&os.head, i, " ") && append_number(&os.head, os.body.size, " ") &&
         write_value(w, i, entry, os.sink) && append(&os.body, "\n", 1) && !os.body.failed;
    if (ok && (++os.count == OBJSTM_MAX || os.body.size >= OBJSTM_BYTES))
      ok = flush_objstm(&file, &os, &places, &room, &next, false);
  }
  ok = ok && flush_objstm(&file, &os, &places, &room, &next, true);

  // ...and the cross-reference stream, which is also the trailer.
  ok = ok && next < room &&
       (packed ? write_xref(w, &file, out, places, next) : write_table(w, &file, out, places, next)) &&
       !file.failed && !w->failed &&
       offset(&file) <= UINT32_MAX; // Offsets have 4 bytes in the cross-reference stream
  if (out)
    HPDF_Stream_Free(out);
  if (os.sink)
    HPDF_Stream_Free(os.sink);
  free(os.sealed_z);
  free(os.head.bytes);
  free(os.body.bytes);
  free(places);
  *into = file;
  return ok;
}

// Append bytes; false when out of memory (and remembered). A buffer with
// a receiver hands what it holds on first when these would take it past
// HAND_ON, and hands large pieces on directly.
static bool
append(buffer_t *b, const void *bytes, size_t size)
{
  if (b->failed)
    return false;
  if (b->put && b->size + size > HAND_ON) {
    if (b->size && !b->put(b->ctx, b->bytes, b->size))
      return !(b->failed = true);
    b->handed += b->size;
    b->size = 0;
    if (size > HAND_ON) {
      b->handed += size;
      return b->put(b->ctx, bytes, size) || !(b->failed = true);
    }
  }
  if (size > b->alloc - b->size) {
    size_t alloc = b->alloc ? b->alloc : 1 << 16;
    while (alloc && size > alloc - b->size)
      alloc = alloc <= SIZE_MAX / 2 ? alloc * 2 : 0;
    unsigned char *grown = alloc ? realloc(b->bytes, alloc) : NULL;
    if (!grown)
      return !(b->failed = true);
    b->bytes = grown;
    b->alloc = alloc;
  }
  memcpy(b->bytes + b->size, bytes, size);
  b->size += size;
  return true;
}

// Where the next byte goes in the file.
static size_t
offset(const buffer_t *b)
{
  return b->handed + b->size;
}

// A whole number in decimal, then after, into b: what "%u" and "%zu" give,
// without printf (an object stream lists each object's number and offset:
// 51,000 objects in the 10,000-row table, 58 M instructions through appendf).
static bool
append_number(buffer_t *b, uint64_t n, const char *after)
{
  char text[48]; // (20 digits: any uint64_t; after is short)
  char *end = ap_render_uint(text, n);
  size_t len = strlen(after);
  memcpy(end, after, len);
  return append(b, text, (size_t)(end - text) + len);
}

// Append formatted text.
static bool
appendf(buffer_t *b, const char *fmt, ...)
{
  char text[512];
  va_list ap;

  va_start(ap, fmt);
  int n = vsnprintf(text, sizeof(text), fmt, ap);
  va_end(ap);
  return n >= 0 && (size_t)n < sizeof(text) && append(b, text, (size_t)n);
}

// libharu's write hook: into the buffer the stream was made for.
static HPDF_STATUS
buffer_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size)
{
  return append(stream->attr, ptr, size) ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
}

// Seal the object stream being filled (when it has objects) and start an
// empty one: its number is the next after the objects' (*places grown to
// hold it and the cross-reference stream's), its pairs then its objects are
// deflated, and the stream sealed before goes into the file now (the last
// one too, after it).
//
// An object stream was once deflated on a second thread while the next
// objects were serialized, and went into the file when the next was
// sealed; it still goes there (the same bytes). Handing each stream over
// and taking it back cost more than deflating it here: on the 2-core
// virtual machine measured, a thread's wake-up takes about as long as
// deflating 100 objects, twice per stream. Without the thread the
// 100,000-row table's render went 3.58 -> 2.86 s, the 2023 report's
// 17.18 -> 17.02 ms median (docs/benchmarks.md, step 12).
static bool
flush_objstm(buffer_t *file, objstm_t *os, place_t **at, size_t *room, uint32_t *next, bool last)
{
  bool ok = place_sealed(file, os, *at);
  if (!ok || !os->count)
    return ok;
  if (*next + 2 > *room) {
    size_t more = *room + *room / 8 + 16;
    place_t *grown = realloc(*at, more * sizeof(*grown));
    if (!grown)
      return false;
    memset(grown + *room, 0, (more - *room) * sizeof(*grown));
    *at = grown;
    *room = more;
  }
  uint32_t number = (*next)++;
  for (int k = 0; k < os->count; k++)
    (*at)[os->numbers[k]].where = number;
  os->sealed_number = number;
  os->sealed_count = os->count;
  os->sealed_first = os->head.size;
  if (!append(&os->head, os->body.bytes, os->body.size))
    return false;
  os->sealed_ok = ap_render_deflate_bytes(os->head.bytes, os->head.size, &os->sealed_z, &os->sealed_zsize);
  free(os->head.bytes);
  os->sealed = true;
  os->head = (buffer_t){0};
  os->body.size = 0;
  os->count = 0;
  return !last || place_sealed(file, os, *at);
}

// Put the object stream sealed before (if any) into the file: << /Type
// /ObjStm /N /First >>, its zlib data.
static bool
place_sealed(buffer_t *file, objstm_t *os, place_t *places)
{
  if (!os->sealed)
    return true;
  unsigned char *z = os->sealed_z;
  size_t zsize = os->sealed_zsize;
  bool ok = os->sealed_ok;
  os->sealed = false;
  os->sealed_z = NULL;
  places[os->sealed_number] = (place_t){.type = 1, .where = (uint32_t)offset(file)};
  ok = ok && appendf(file, "%u 0 obj\n<< /Type /ObjStm /N %d /First %zu /Filter /FlateDecode /Length %zu >>\nstream\n",
                     os->sealed_number, os->sealed_count, os->sealed_first, zsize) &&
       append(file, z, zsize) && append(file, "\nendstream\nendobj\n", 18);
  free(z);
  return ok;
}

// Whether an object is a stream (a dictionary with data): it stays in the file.
static bool
is_stream(void *obj)
{
  HPDF_Obj_Header *h = obj;
  return obj && (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream != NULL;
}

// An object on its own in the file (a stream; every object when uncompressed), as libharu writes one.
static bool
write_object(ap_writer_t *w, buffer_t *file, HPDF_Stream out, uint32_t number, HPDF_XrefEntry entry)
{
  return append_number(file, number, " 0 obj\n") && write_value(w, number, entry, out) &&
         append(file, "\nendobj\n", 8);
}

// An object's value: libharu's object, or a structure element of the
// entry they share (tags.c).
static bool
write_value(ap_writer_t *w, uint32_t number, HPDF_XrefEntry entry, HPDF_Stream stream)
{
  if (ap_tags_shares(w, entry))
    return ap_tags_write_shared(w, number, stream);
  return HPDF_Obj_WriteValue(entry->obj, stream, NULL) == HPDF_OK;
}

// The cross-reference stream (ISO 32000-1 7.5.8; /W [1 4 2]: type, offset
// or object stream, generation or index), with the trailer's entries, then
// startxref.
static bool
write_xref(ap_writer_t *w, buffer_t *file, HPDF_Stream out, place_t *places, uint32_t size)
{
  uint32_t number = size; // The stream's own number, the last
  unsigned char *rows = malloc(7 * ((size_t)size + 1)), *z = NULL;
  size_t zsize = 0, at = offset(file);

  if (!rows)
    return false;
  places[number] = (place_t){.type = 1, .where = (uint32_t)at};
  for (uint32_t i = 0; i <= number; i++) {
    unsigned char *r = rows + 7 * (size_t)i;
    r[0] = places[i].type;
    for (int k = 0; k < 4; k++)
      r[1 + k] = (unsigned char)(places[i].where >> (24 - 8 * k));
    r[5] = (unsigned char)(places[i].index >> 8);
    r[6] = (unsigned char)places[i].index;
  }
  bool ok = ap_render_deflate_bytes(rows, 7 * ((size_t)number + 1), &z, &zsize);
  free(rows);

  ok = ok && appendf(file, "%u 0 obj\n<< /Type /XRef /Size %u /W [1 4 2]", number, number + 1) &&
       write_trailer_keys(w, file, out) &&
       appendf(file, " /Filter /FlateDecode /Length %zu >>\nstream\n", zsize) && append(file, z, zsize) &&
       appendf(file, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", at);
  free(z);
  return ok;
}

// The classic cross-reference table and trailer (uncompressed documents).
static bool
write_table(ap_writer_t *w, buffer_t *file, HPDF_Stream out, const place_t *places, uint32_t size)
{
  size_t at = offset(file);
  bool ok = appendf(file, "xref\n0 %u\n", size);

  for (uint32_t i = 0; ok && i < size; i++)
    ok = appendf(file, "%010u %05u %c\r\n", places[i].where, i ? 0u : 65535u, i ? 'n' : 'f');
  return ok && appendf(file, "trailer\n<< /Size %u", size) && write_trailer_keys(w, file, out) &&
         appendf(file, " >>\nstartxref\n%zu\n%%%%EOF\n", at);
}

// The trailer's entries: /Root, /Info, /ID.
static bool
write_trailer_keys(ap_writer_t *w, buffer_t *file, HPDF_Stream out)
{
  HPDF_Doc pdf = w->pdf;
  HPDF_Array id = HPDF_Dict_GetItem(pdf->trailer, "ID", HPDF_OCLASS_ARRAY);
  bool ok = appendf(file, " /Root %u 0 R", (unsigned)(pdf->catalog->header.obj_id & 0x00FFFFFF));

  if (ok && pdf->info)
    ok = appendf(file, " /Info %u 0 R", (unsigned)(pdf->info->header.obj_id & 0x00FFFFFF));
  if (ok && id)
    ok = append(file, " /ID ", 5) && HPDF_Obj_WriteValue(id, out, NULL) == HPDF_OK;
  return ok;
}
