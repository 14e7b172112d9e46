// The batch run's file digests: the SHA-256 of every file a job read,
// computed once per run, and not even once when the last manifest already
// has the file's digest and the file has not changed since (same device,
// inode, size, modification and change times, to the nanosecond), the way
// make and git trust a file's status. Hashing the fonts of one layout
// (4 MB) took longer than two district handouts.
//
// A digest is remembered with the file's status only when the file's last
// change is at least RACY_SECONDS older than the hashing: a file written in
// the same instant it was hashed could change again with the same times.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "batch-private.h"

#define RACY_SECONDS 2 // A file changed this recently is hashed every time

static bool same_status(const ap_file_status_t *a, const ap_file_status_t *b);
static bool status_of(const char *path, ap_file_status_t *st);

//
// 'ap_hashes_get()' - A file's digest: from this run, from the last manifest, or computed.
//

const char *
ap_hashes_get(ap_hashes_t *hashes, const char *path)
{
  for (int i = 0; i < hashes->count; i++)
    if (!strcmp(hashes->files[i].path, path))
      return hashes->files[i].hex;
  if (hashes->count == hashes->alloc) {
    int n = hashes->alloc ? hashes->alloc * 2 : 32;
    ap_hashed_file_t *grown = realloc(hashes->files, sizeof(*grown) * (size_t)n);
    if (!grown)
      return NULL;
    hashes->files = grown;
    hashes->alloc = n;
  }

  // The last manifest's digest when the file is as it was then, else its bytes'...
  ap_hashed_file_t *f = &hashes->files[hashes->count];
  memset(f, 0, sizeof(*f));
  bool known = status_of(path, &f->status);
  const ap_hashed_file_t *old = NULL;
  for (int i = 0; known && i < hashes->nrecorded && !old; i++)
    if (!strcmp(hashes->recorded[i].path, path) && same_status(&hashes->recorded[i].status, &f->status))
      old = &hashes->recorded[i];
  if (old)
    memcpy(f->hex, old->hex, sizeof(f->hex));
  else if (!ap_sha256_file(path, f->hex))
    return NULL;
  f->trusted = known && (old || f->status.ctime_ns / 1000000000 + RACY_SECONDS <= (long long)time(NULL));
  if (!(f->path = strdup(path)))
    return NULL;
  return hashes->files[hashes->count++].hex;
}

//
// 'ap_hashes_record()' - Remember a digest the last manifest gave for a file's status.
//

void
ap_hashes_record(ap_hashes_t *hashes, const char *path, const char *hex, const ap_file_status_t *status)
{
  if (!path || !hex || strlen(hex) != AP_SHA256_HEX - 1 || strspn(hex, "0123456789abcdef") != AP_SHA256_HEX - 1)
    return;
  if (hashes->nrecorded == hashes->recorded_alloc) {
    int n = hashes->recorded_alloc ? hashes->recorded_alloc * 2 : 32;
    ap_hashed_file_t *grown = realloc(hashes->recorded, sizeof(*grown) * (size_t)n);
    if (!grown)
      return;
    hashes->recorded = grown;
    hashes->recorded_alloc = n;
  }
  ap_hashed_file_t *r = &hashes->recorded[hashes->nrecorded];
  if (!(r->path = strdup(path)))
    return;
  memcpy(r->hex, hex, sizeof(r->hex));
  r->status = *status;
  r->trusted = true;
  hashes->nrecorded++;
}

//
// 'ap_hashes_free()' - Free the cache.
//

void
ap_hashes_free(ap_hashes_t *hashes)
{
  for (int i = 0; i < hashes->count; i++)
    free(hashes->files[i].path);
  for (int i = 0; i < hashes->nrecorded; i++)
    free(hashes->recorded[i].path);
  free(hashes->files);
  free(hashes->recorded);
  memset(hashes, 0, sizeof(*hashes));
}

// Whether two statuses name the same, unchanged file.
static bool
same_status(const ap_file_status_t *a, const ap_file_status_t *b)
{
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
         a->ctime_ns == b->ctime_ns;
}

// A regular file's status; false when it is none (or cannot be read).
static bool
status_of(const char *path, ap_file_status_t *st)
{
  struct stat s;

  if (stat(path, &s) != 0 || !S_ISREG(s.st_mode))
    return false;
  *st = (ap_file_status_t){.dev = (unsigned long long)s.st_dev,
                           .ino = (unsigned long long)s.st_ino,
                           .size = (long long)s.st_size,
                           .mtime_ns = (long long)s.st_mtim.tv_sec * 1000000000 + s.st_mtim.tv_nsec,
                           .ctime_ns = (long long)s.st_ctim.tv_sec * 1000000000 + s.st_ctim.tv_nsec};
  return true;
}
