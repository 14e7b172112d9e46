// Stream compression: libharu deflates every stream at save time at zlib's
// default level 6. We deflate finished streams ourselves with libdeflate
// (whole-buffer compression: on the 2023 report's content streams both
// faster and smaller than zlib at level 4, docs/benchmarks.md) and let
// libharu write the bytes as they are, adding the /Filter entry that it
// drops from a stream it does not filter. There is one compressor (668 KB
// at our level), which the background deflater's thread and the main
// thread take in turn: a compressor each kept both for the whole render.
#include "render-private.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/cache.h"
#include "../base/hash.h"


#define DEFLATE_LEVEL 5 // libdeflate level: smaller than zlib's 4 and fewer instructions (docs/benchmarks.md)

static pthread_mutex_t compressor_lock = PTHREAD_MUTEX_INITIALIZER; // Held while the compressor is used

static struct libdeflate_compressor *compressor(void);
static struct libdeflate_decompressor *decompressor(void);
static bool kept_name(const char *key, char name[AP_SHA256_HEX]);
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
  unsigned char *in, *out;
  size_t size, done;

  int taken = ap_render_deflate_take(r, dict, &in, &size);
  if (taken <= 0)
    return taken == 0;
  struct libdeflate_decompressor *d = decompressor();
  bool ok = d && ap_render_deflate_with(d, r->render_cache, in, size, &out, &done);
  free(in);
  if (!ok)
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory compressing a stream");
  return ap_render_deflate_put(r, dict, out, done);
}

//
// 'ap_render_deflate_kept()' - A stream's bytes, their zlib data kept in the user's cache.
//
// For a stream that is the same in many documents (a font subset: key is
// its name in the cache, ap_font_subset_key), whose bytes are given here
// rather than written into it first (libharu copies bytes in byte by
// byte): its zlib data is kept under kind (with key, this libdeflate and
// its level in the name) and taken when it inflates to exactly these
// bytes, a tenth of the work of compressing them (a third of a
// one-paragraph document's instructions went to compressing its subset).
// A kept file cut short or damaged fails that check: the bytes are
// compressed again and kept anew. No key, or a stream not marked for
// FlateDecode: the bytes are written into the stream, and it is deflated
// as ap_render_deflate does.
//

bool                                       // O - true on success
ap_render_deflate_kept(ap_writer_t *r,     // I - Renderer
                       HPDF_Dict    dict,  // I - Stream dictionary (memory stream, empty)
                       const unsigned char *in, // I - Its bytes
                       size_t       size,  // I - How many
                       const char  *kind,  // I - Folder of the cache
                       const char  *key)   // I - The stream's own name (hex), or NULL
{
  char name[AP_SHA256_HEX];
  unsigned char *out = NULL;
  size_t done = 0;

  if (size > UINT32_MAX) // (libharu's streams count in 32 bits)
    return ap_fail(r->diags, ap_loc_file(r->path), "a stream of %zu bytes is too large for the PDF writer", size);
  if (!key || !kept_name(key, name) || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
      dict->stream->type != HPDF_STREAM_MEMORY)
    return (HPDF_Stream_Write(dict->stream, in, (HPDF_UINT)size) == HPDF_OK ||
            ap_fail(r->diags, ap_loc_file(r->path), "out of memory")) &&
           ap_render_deflate(r, dict);
  struct libdeflate_decompressor *d = decompressor();
  bool ok = d && ap_cache_load(kind, name, size + size / 8 + 64, &out, &done) && ap_render_inflates_to(d, out, done, in, size);
  if (!ok) {
    free(out);
    ok = d && ap_render_deflate_with(d, r->render_cache, in, size, &out, &done);
    if (ok)
      ap_cache_store(kind, name, out, done);
  }
  if (!ok)
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory compressing a stream");
  return ap_render_deflate_put(r, dict, out, done);
}

// The name of a stream's zlib data in the cache: the SHA-256 of its own
// name, the libdeflate version and the level (another compressor makes
// other bytes: the PDF must be the one compressing them again would give).
static bool
kept_name(const char *key, char name[AP_SHA256_HEX])
{
  char text[200];
  unsigned char digest[AP_SHA256_SIZE];
  int n = snprintf(text, sizeof(text), "anpham zlib 1|%s|%s|%d", key, LIBDEFLATE_VERSION_STRING, DEFLATE_LEVEL);

  if (!*key || n <= 0 || (size_t)n >= sizeof(text) || !ap_sha256(text, (size_t)n, digest))
    return false;
  ap_sha256_hex(digest, name);
  return true;
}

//
// 'ap_render_inflates_to()' - Whether zlib data inflates to exactly some bytes.
//
// The check before kept zlib data is taken for bytes (here and in the
// batch's render cache): no collision of names or checksums passes it.
//

bool                                                            // O - true when it does
ap_render_inflates_to(struct libdeflate_decompressor *d,       // I - Decompressor of the caller's thread
                      const unsigned char *z, size_t zsize,    // I - zlib data
                      const unsigned char *in, size_t size)    // I - The bytes it must give
{
  unsigned char *back = malloc(size ? size : 1);
  size_t got = 0;
  bool same = back && libdeflate_zlib_decompress(d, z, zsize, back, size, &got) == LIBDEFLATE_SUCCESS &&
              got == size && !memcmp(back, in, size);
  free(back);
  return same;
}

//
// 'ap_render_deflate_take()' - The bytes of a finished stream to deflate.
//
// 1 with the stream's buffers in one malloc'ed block, and the stream
// emptied; 0 for a stream that is not to be deflated (then nothing is
// touched); -1 on error (recorded).
//

int                                          // O - 1 with *in to deflate, 0 for none, -1 on error
ap_render_deflate_take(ap_writer_t    *r,    // I - Renderer
                       HPDF_Dict      dict,  // I - Stream dictionary (memory stream)
                       unsigned char **in,   // O - Its bytes (malloc'ed)
                       size_t         *size) // O - How many
{
  HPDF_Stream s = dict ? dict->stream : NULL;

  *in = NULL;
  *size = 0;
  if (!s || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
    return 0;
  if (s->type != HPDF_STREAM_MEMORY) {
    ap_fail(r->diags, ap_loc_file(r->path), "unexpected stream type in libharu");
    return -1;
  }
  HPDF_UINT count = HPDF_MemStream_GetBufCount(s);
  if (!(*in = malloc(s->size ? s->size : 1))) {
    ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
    return -1;
  }
  for (HPDF_UINT i = 0; i < count && *size < s->size; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *buf = HPDF_MemStream_GetBufPtr(s, i, &len);
    if (buf && len > s->size - *size)
      len = (HPDF_UINT)(s->size - *size);
    if (buf)
      memcpy(*in + *size, buf, len);
    *size += buf ? len : 0;
  }
  HPDF_MemStream_FreeData(s);
  return 1;
}

//
// 'ap_render_deflate_with()' - zlib data of bytes, with the decompressor of the caller's thread.
//
// A batch's jobs share what they deflated (a font subset or a page that
// another job already compressed) through cache (NULL: none; see
// render-cache.c). Any thread may call this with a decompressor of its
// own; the compressor is taken in turn. False when out of memory.
//

bool                                                       // O - true with *out
ap_render_deflate_with(struct libdeflate_decompressor *d,  // I - Decompressor (the cache's check)
                       ap_render_cache_t             *cache, // I - The batch's cache, or NULL
                       const unsigned char            *in, // I - Bytes
                       size_t                          size, // I - How many
                       unsigned char                 **out, // O - zlib data (malloc'ed)
                       size_t                         *done) // O - Its size
{
  if (ap_render_cache_get(cache, d, in, size, out, done))
    return true;
  if (!ap_render_deflate_bytes(in, size, out, done))
    return false;
  ap_render_cache_put(cache, in, size, *out, *done);
  return true;
}

//
// 'ap_render_deflate_put()' - Give an emptied stream its deflated bytes.
//
// They are written as they are, under /Filter /FlateDecode; out is freed.
//

bool                                        // O - true on success
ap_render_deflate_put(ap_writer_t   *r,     // I - Renderer
                      HPDF_Dict      dict,  // I - Stream dictionary (emptied by _take)
                      unsigned char *out,   // I - zlib data (malloc'ed; freed here)
                      size_t         done)  // I - Its size
{
  HPDF_Stream s = dict->stream;
  HPDF_MemStreamAttr attr = s->attr;

  // The zlib data in the spool's file (spool.c), else held in memory as
  // they are (the stream owns out then), else (no memory for that) in one
  // block of its own size (libharu's blocks are of 4 KB: most of a table's
  // page was unused bytes, kept to the end)...
  HPDF_MemStream_FreeData(s);
  bool spooled = ap_spool_put(r, s, out, done);
  if (spooled)
    free(out);
  if (spooled || ap_spool_hold(s, out, done)) {
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_filter;
    return true;
  }
  if (done > 0 && done <= UINT32_MAX)
    attr->buf_siz = attr->w_pos = (HPDF_UINT)done; // (as FreeData leaves it: the last block full)
  HPDF_STATUS ret = HPDF_Stream_Write(s, out, (HPDF_UINT)done);
  free(out);
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_filter;
  return ret == HPDF_OK || ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
}

//
// 'ap_render_deflated()' - Mark a stream whose bytes are zlib data already.
//
// Written as they are, under /Filter /FlateDecode.
//

void
ap_render_deflated(HPDF_Dict dict) // I - Stream dictionary
{
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_filter;
}

//
// 'ap_render_deflate_ready()' - Make the compressor now, on the calling thread.
//

void
ap_render_deflate_ready(void)
{
  pthread_mutex_lock(&compressor_lock);
  compressor();
  pthread_mutex_unlock(&compressor_lock);
}

//
// 'ap_render_deflate_bytes()' - Compress bytes into a malloc'ed zlib stream.
//
// From any thread: the compressor is taken in turn.
//

bool                                        // O - false when out of memory
ap_render_deflate_bytes(const void *in,     // I - Bytes
                        size_t size,        // I - Their size
                        unsigned char **out, // O - zlib data (malloc'ed)
                        size_t *outsize)    // O - Its size
{
  pthread_mutex_lock(&compressor_lock);
  struct libdeflate_compressor *c = compressor();
  size_t bound = c ? libdeflate_zlib_compress_bound(c, size) : 0;

  *out = c ? malloc(bound) : NULL;
  *outsize = *out ? libdeflate_zlib_compress(c, in, size, *out, bound) : 0;
  pthread_mutex_unlock(&compressor_lock);
  if (*outsize)
    return true;
  free(*out);
  *out = NULL;
  return false;
}

// The compressor, made on first use and kept (jobs of a batch reuse it);
// only with compressor_lock held.
static struct libdeflate_compressor *
compressor(void)
{
  static struct libdeflate_compressor *c;
  if (!c)
    c = libdeflate_alloc_compressor(DEFLATE_LEVEL);
  return c;
}

// The decompressor of the thread that calls the writer (the cache's check:
// one thread at a time, the main one or the painting one, pipeline.c), made
// on first use and kept.
static struct libdeflate_decompressor *
decompressor(void)
{
  static struct libdeflate_decompressor *d;
  if (!d)
    d = libdeflate_alloc_decompressor();
  return d;
}

// libharu hook, called while writing a dictionary just before its ">>".
static HPDF_STATUS
write_filter(HPDF_Dict dict, HPDF_Stream out)
{
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}
