// Stream compression: libharu deflates every stream at save time at zlib's
// default level 6. We deflate finished streams ourselves with libdeflate
// (whole-buffer compression: on the 2023 report's content streams both
// faster and smaller than zlib at level 4, docs/benchmarks.md) and let
// libharu write the bytes as they are, adding the /Filter entry that it
// drops from a stream it does not filter.
#include "render-private.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#define DEFLATE_LEVEL 5 // libdeflate level: smaller than zlib's 4 and fewer instructions (docs/benchmarks.md)

#define CACHE_MIN 2048             // Smaller streams are deflated again rather than looked up
#define CACHE_MAX (64 << 20)       // Largest deflated stream taken from the cache

static bool cache_read(const char *path, unsigned char **bytes, size_t *size);
static struct libdeflate_compressor *compressor(void);
static bool inflates_to(const unsigned char *z, size_t zsize, const unsigned char *bytes, size_t size);
static void cache_write(const char *path, const unsigned char *bytes, size_t size);
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
  HPDF_Stream s = dict ? dict->stream : NULL;
  unsigned char *in, *out;
  size_t bound, size = 0, done;

  if (!s || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
    return true;
  if (s->type != HPDF_STREAM_MEMORY)
    return ap_fail(r->diags, ap_loc_file(r->path), "unexpected stream type in libharu");
  struct libdeflate_compressor *c = compressor();
  if (!c)
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

  // A batch's jobs share what they deflated (a font subset or a page that
  // another job already compressed), found by the bytes' CRC-32, Adler-32
  // and size, and taken only when it inflates to exactly these bytes: a
  // check at a tenth of the cost of compressing, which no collision passes...
  char cached[4096] = "";
  if (r->deflate_cache && size >= CACHE_MIN) {
    snprintf(cached, sizeof(cached), "%s/%08x%08x-%zu-%d.z", r->deflate_cache, libdeflate_crc32(0, in, size),
             libdeflate_adler32(1, in, size), size, DEFLATE_LEVEL);
    if (cache_read(cached, &out, &done)) {
      if (inflates_to(out, done, in, size)) {
        free(in);
        goto replace;
      }
      free(out);
    }
  }

  bound = libdeflate_zlib_compress_bound(c, size);
  if (!(out = malloc(bound))) {
    free(in);
    return ap_fail(r->diags, ap_loc_file(r->path), "out of memory");
  }
  done = libdeflate_zlib_compress(c, in, size, out, bound);
  free(in);
  if (!done) {
    free(out);
    return ap_fail(r->diags, ap_loc_file(r->path), "cannot compress a stream");
  }
  if (*cached)
    cache_write(cached, out, done);

  // ...which replaces its bytes, written unfiltered under /Filter /FlateDecode...
replace:
  HPDF_MemStream_FreeData(s);
  HPDF_STATUS ret = HPDF_Stream_Write(s, out, (HPDF_UINT)done);
  free(out);
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_filter;
  return ret == HPDF_OK;
}

//
// 'ap_render_deflate_bytes()' - Compress bytes into a malloc'ed zlib stream.
//

bool                                        // O - false when out of memory
ap_render_deflate_bytes(const void *in,     // I - Bytes
                        size_t size,        // I - Their size
                        unsigned char **out, // O - zlib data (malloc'ed)
                        size_t *outsize)    // O - Its size
{
  struct libdeflate_compressor *c = compressor();
  size_t bound = c ? libdeflate_zlib_compress_bound(c, size) : 0;

  *out = c ? malloc(bound) : NULL;
  *outsize = *out ? libdeflate_zlib_compress(c, in, size, *out, bound) : 0;
  if (*outsize)
    return true;
  free(*out);
  *out = NULL;
  return false;
}

// The process's compressor, made on first use and kept (jobs of a batch reuse it).
static struct libdeflate_compressor *
compressor(void)
{
  static struct libdeflate_compressor *c;
  if (!c)
    c = libdeflate_alloc_compressor(DEFLATE_LEVEL);
  return c;
}

// libharu hook, called while writing a dictionary just before its ">>".
static HPDF_STATUS
write_filter(HPDF_Dict dict, HPDF_Stream out)
{
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

// A deflated stream from the cache: the whole file, or false (then the
// stream is deflated anew; a file is only ever complete, see cache_write).
static bool
cache_read(const char *path, unsigned char **bytes, size_t *size)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  bool ok = false;

  if (fd < 0)
    return false;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= CACHE_MAX &&
      (*bytes = malloc((size_t)st.st_size))) {
    size_t got = 0;
    ssize_t n = 1;
    while (got < (size_t)st.st_size && (n = read(fd, *bytes + got, (size_t)st.st_size - got)) > 0)
      got += (size_t)n;
    if (!(ok = got == (size_t)st.st_size))
      free(*bytes);
    *size = got;
  }
  close(fd);
  return ok;
}

// Whether zlib data inflates to exactly these bytes.
static bool
inflates_to(const unsigned char *z, size_t zsize, const unsigned char *bytes, size_t size)
{
  static struct libdeflate_decompressor *d; // One per process, kept
  unsigned char *back = malloc(size);
  size_t got = 0;
  bool same = false;

  if (back && (d || (d = libdeflate_alloc_decompressor())))
    same = libdeflate_zlib_decompress(d, z, zsize, back, size, &got) == LIBDEFLATE_SUCCESS && got == size &&
           !memcmp(back, bytes, size);
  free(back);
  return same;
}

// Keep a deflated stream for the other jobs: written under a name of its
// own, then renamed into place, so that a reader sees the whole file or
// none. Failures only cost the next job the compression.
static void
cache_write(const char *path, const unsigned char *bytes, size_t size)
{
  char tmp[4200];
  snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  size_t put = 0;
  ssize_t n = 1;
  while (put < size && (n = write(fd, bytes + put, size - put)) > 0)
    put += (size_t)n;
  if (close(fd) == 0 && put == size && rename(tmp, path) == 0)
    return;
  unlink(tmp);
}
