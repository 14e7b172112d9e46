// The spool: compressed streams, once finished (every page's contents,
// fonts, images), wait for the save in an unlinked temporary file rather
// than in memory, where they were the largest thing libharu held that
// grows with the pages (8 MB for the 100,000-row table, a tenth of its
// peak RSS without the data tree). libharu writes each at save from its
// piece of the file: the stream becomes a reader of that piece (its
// record stays the same, so the page's pointer to it stays good; nothing
// may be written to it afterwards, as before). When no file can be made,
// or a write fails, the bytes stay in memory as they did. The first
// SPOOL_AFTER bytes of streams stay in memory all the same: a document of a
// few dozen pages makes no file at all. The file is made in $TMPDIR (an
// absolute path), else /tmp, without a name (O_TMPFILE; where the file
// system has none, a named file unlinked at once). Those kept in memory are
// read the same way, from the block they were compressed into
// (ap_spool_hold): libharu's memory stream copied them in and out again
// byte by byte.
#define _GNU_SOURCE // O_TMPFILE
#include "render-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/chunks.h"

#define PIECE_SHIFT 8              // Pieces of a block of the spool's: 256
#define SPOOL_AFTER (256 * 1024)   // Bytes of streams kept in memory before the spool is used

// One stream's bytes in the file, or held in memory.
typedef struct piece_s {
  ap_spool_t *spool;        // Whose file (NULL: held)
  unsigned char *bytes;     // Held: the bytes (malloc'ed, the piece's own), else NULL
  off_t at;                 // Where its bytes start in the file
  size_t size;              // How many
  size_t pos;               // Where libharu reads next (from 0)
} piece_t;

struct ap_spool_s {
  size_t kept;              // Bytes of streams left in memory so far (up to SPOOL_AFTER)
  bool tried;               // The file was asked for (once: a failure is kept)
  FILE *file;               // The unlinked temporary file, NULL when none could be made
  off_t size;               // Bytes in it (where the next piece goes)
  ap_chunks_t pieces;       // piece_t of each stream in it (they never move: streams point at them)
};

static void become_reader(HPDF_Stream s, piece_t *piece, void (*free_fn)(HPDF_Stream));
static void free_held(HPDF_Stream stream);
static FILE *open_file(void);
static HPDF_STATUS read_piece(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *size);
static HPDF_STATUS seek_piece(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode);
static HPDF_UINT32 size_piece(HPDF_Stream stream);
static HPDF_INT32 tell_piece(HPDF_Stream stream);

//
// 'ap_spool_close()' - Close the spool's file and free its records (after the document).
//

void
ap_spool_close(ap_spool_t *spool)       // I - Spool (NULL is fine)
{
  if (!spool)
    return;
  if (spool->file)
    fclose(spool->file);
  ap_chunks_free(&spool->pieces);
  free(spool);
}

//
// 'ap_spool_put()' - Give an emptied memory stream its bytes from the spool.
//
// The writer's spool is made on first use. False, with nothing changed,
// when the bytes cannot go there (no file, out of memory, a failed
// write): the caller keeps them in memory.
//

bool                                    // O - true when the stream now reads them from the spool
ap_spool_put(ap_writer_t *w,            // I - Writer
             HPDF_Stream s,             // I - Memory stream, emptied (HPDF_MemStream_FreeData)
             const unsigned char *bytes, // I - Its bytes
             size_t size)               // I - How many
{
  ap_spool_t *spool = w->spool;
  piece_t *piece;

  // The spool, made once (a failure is kept: the file is not asked for again)...
  if (!spool) {
    if (!(spool = w->spool = calloc(1, sizeof(*spool))))
      return false;
    ap_chunks_init(&spool->pieces, sizeof(piece_t), PIECE_SHIFT);
  }
  if (spool->kept + size <= SPOOL_AFTER) { // (a small document's streams all stay)
    spool->kept += size;
    return false;
  }
  if (!spool->file && !spool->tried) {
    spool->tried = true;
    spool->file = open_file();
  }
  if (!spool->file || s->type != HPDF_STREAM_MEMORY || size > UINT32_MAX)
    return false;

  // The bytes at the end of the file (a failed write leaves no piece: the
  // next one goes over it)...
  int fd = fileno(spool->file);
  for (size_t done = 0; done < size;) {
    ssize_t n = pwrite(fd, bytes + done, size - done, spool->size + (off_t)done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += (size_t)n;
  }
  if (!(piece = ap_chunks_push(&spool->pieces)))
    return false;
  *piece = (piece_t){.spool = spool, .at = spool->size, .size = size, .pos = 0};
  spool->size += (off_t)size;
  become_reader(s, piece, NULL); // (the pieces go with the spool)
  return true;
}

//
// 'ap_spool_hold()' - Give an emptied memory stream its bytes, kept in memory.
//
// For bytes ap_spool_put did not take: the stream reads them from the
// block they are in, which it owns from now on (freed with it). False,
// with nothing changed, when out of memory.
//

bool                                    // O - true when the stream owns bytes
ap_spool_hold(HPDF_Stream s,            // I - Memory stream, emptied (HPDF_MemStream_FreeData)
              unsigned char *bytes,     // I - Its bytes (malloc'ed)
              size_t size)              // I - How many
{
  piece_t *piece;

  if (s->type != HPDF_STREAM_MEMORY || size > UINT32_MAX || !(piece = malloc(sizeof(*piece))))
    return false;
  unsigned char *fit = size ? realloc(bytes, size) : NULL; // (compressed into a block of the worst case's size)
  *piece = (piece_t){.bytes = fit ? fit : bytes, .size = size};
  become_reader(s, piece, free_held);
  return true;
}

// Make a memory stream a reader of a piece (free_fn: what frees the piece with the stream).
static void
become_reader(HPDF_Stream s, piece_t *piece, void (*free_fn)(HPDF_Stream))
{
  if (s->free_fn)
    s->free_fn(s); // The memory stream's records
  s->type = HPDF_STREAM_CALLBACK;
  s->size = 0;
  s->write_fn = NULL;
  s->free_fn = free_fn;
  s->read_fn = read_piece;
  s->seek_fn = seek_piece;
  s->tell_fn = tell_piece;
  s->size_fn = size_piece;
  s->attr = piece;
}

// libharu hook, as it frees a stream holding its bytes: they and their piece go.
static void
free_held(HPDF_Stream stream)
{
  piece_t *p = stream->attr;
  if (p) {
    free(p->bytes);
    free(p);
  }
  stream->attr = NULL;
}

// The spool's file: without a name, in $TMPDIR (absolute) or /tmp; NULL
// when none can be made.
static FILE *
open_file(void)
{
  const char *env = getenv("TMPDIR");
  const char *dir = env && env[0] == '/' ? env : "/tmp";
  int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) { // No O_TMPFILE there
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s/anpham-spool-XXXXXX", dir) < sizeof(path) &&
        (fd = mkostemp(path, O_CLOEXEC)) >= 0)
      unlink(path);
  }
  if (fd < 0)
    return NULL;
  FILE *fp = fdopen(fd, "w+b");
  if (!fp)
    close(fd);
  return fp;
}

// libharu reader: the next bytes of a piece (HPDF_STREAM_EOF with the last).
static HPDF_STATUS
read_piece(HPDF_Stream stream, HPDF_BYTE *ptr, HPDF_UINT *size)
{
  piece_t *p = stream->attr;
  size_t want = *size, left = p->size - p->pos, n = want < left ? want : left, done = 0;

  if (p->bytes) {
    memcpy(ptr, p->bytes + p->pos, n);
    done = n;
  }
  while (done < n) {
    ssize_t got = pread(fileno(p->spool->file), ptr + done, n - done, p->at + (off_t)(p->pos + done));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, got < 0 ? errno : 0);
    done += (size_t)got;
  }
  p->pos += n;
  *size = (HPDF_UINT)n;
  return n < want ? HPDF_STREAM_EOF : HPDF_OK;
}

// libharu reader: move within a piece.
static HPDF_STATUS
seek_piece(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
  piece_t *p = stream->attr;
  long long to = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (long long)p->pos + pos : (long long)p->size + pos;

  if (to < 0 || (unsigned long long)to > p->size)
    return HPDF_SetError(stream->error, HPDF_FILE_IO_ERROR, 0);
  p->pos = (size_t)to;
  return HPDF_OK;
}

// libharu reader: the piece's size.
static HPDF_UINT32
size_piece(HPDF_Stream stream)
{
  return (HPDF_UINT32)((piece_t *)stream->attr)->size;
}

// libharu reader: where it reads next.
static HPDF_INT32
tell_piece(HPDF_Stream stream)
{
  return (HPDF_INT32)((piece_t *)stream->attr)->pos;
}
