// Stream compression: libharu deflates every stream at save time at zlib's
// default level 6. We deflate finished streams ourselves with libdeflate
// (whole-buffer compression: on the 2023 report's content streams both
// faster and smaller than zlib at level 4, docs/benchmarks.md) and let
// libharu write the bytes as they are, adding the /Filter entry that it
// drops from a stream it does not filter.
#include "render-private.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#define DEFLATE_LEVEL 5 // libdeflate level: smaller than zlib's 4 and fewer instructions (docs/benchmarks.md)

static HPDF_STATUS write_filter(HPDF_Dict dict, HPDF_Stream out);

//
// 'ap_render_deflate()' - Compress a finished stream now, if libharu would at save.
//
// Only streams marked for FlateDecode are touched, so the document's
// compression mode still decides. Nothing may be written to the stream
// afterwards. False on error (recorded).
//

bool                                 // O - true on success
ap_render_deflate(ap_writer_t *r,  // I - Renderer
                  HPDF_Dict      dict) // I - Stream dictionary (memory stream)
{
  static struct libdeflate_compressor *compressor; // One per process, kept (jobs of a batch reuse it)
  HPDF_Stream s = dict ? dict->stream : NULL;
  unsigned char *in, *out;
  size_t bound, size = 0, done;

  if (!s || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
    return true;
  if (s->type != HPDF_STREAM_MEMORY)
    return ap_fail(r->diags, ap_loc_file(r->path), "unexpected stream type in libharu");
  if (!compressor && !(compressor = libdeflate_alloc_compressor(DEFLATE_LEVEL)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");

  // The stream's buffers in one block, deflated in one call (zlib format, as /FlateDecode wants)...
  HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
  if (!(in = malloc(s->size ? s->size : 1)))
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  for (HPDF_UINT i = 0; i < count && size < s->size; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *buf = HPDF_MemStream_GetBufPtr(s, i, &len);
    if (buf && len > s->size - size)
      len = (HPDF_UINT)(s->size - size);
    if (buf)
      memcpy(in + size, buf, len);
    size += buf ? len : 0;
  }
  bound = libdeflate_zlib_compress_bound(compressor, size);
  if (!(out = malloc(bound))) {
    free(in);
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  }
  done = libdeflate_zlib_compress(compressor, in, size, out, bound);
  free(in);
  if (!done) {
    free(out);
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot compress a stream");
  }

// ...which replaces its bytes, written unfiltered under /Filter /FlateDecode...
  HPDF_MemStream_FreeData(s);
  HPDF_STATUS ret = HPDF_Stream_Write(s, out, (HPDF_UINT)done);
  free(out);
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_filter;
  return ret == HPDF_OK;
}

// libharu hook, called while writing a dictionary just before its ">>".
static HPDF_STATUS
write_filter(HPDF_Dict dict, HPDF_Stream out)
{
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}
