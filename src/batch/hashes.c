// The batch run's file digests: the SHA-256 of every file a job read,
// computed once per run, and not even once while the user's cache
// (base/cache.c, file-digests/) knows the file's digest for its present
// status: same device, inode, size, modification and change times to the
// nanosecond, the way make and git trust a file's status. Hashing the
// fonts of one layout (4 MB) took longer than two district handouts.
//
// A digest is recorded only when the file's last change is at least
// RACY_SECONDS older than the hashing: a file written in the instant it
// was hashed could change again with the same times.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/cache.h"
#include "batch-private.h"

#define RACY_SECONDS 2 // A file changed this recently is hashed every time

static bool status_key(const char *path, char key[AP_SHA256_HEX], bool *racy);

//
// 'ap_hashes_get()' - A file's digest: from this run, from the cache, or computed.
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

  // The cache's digest for the file as it is now, else its bytes' (kept
  // for next time unless the file has only just changed)...
  ap_hashed_file_t *f = &hashes->files[hashes->count];
  char key[AP_SHA256_HEX], cached[AP_SHA256_HEX + 1];
  bool racy = true;
  bool keyed = status_key(path, key, &racy);
  if (keyed && ap_cache_get("file-digests", key, cached, sizeof(cached)) && strlen(cached) == AP_SHA256_HEX - 1 &&
      strspn(cached, "0123456789abcdef") == AP_SHA256_HEX - 1)
    memcpy(f->hex, cached, AP_SHA256_HEX);
  else if (!ap_sha256_file(path, f->hex))
    return NULL;
  else if (keyed && !racy)
    ap_cache_put("file-digests", key, f->hex);
  if (!(f->path = strdup(path)))
    return NULL;
  return hashes->files[hashes->count++].hex;
}

//
// 'ap_hashes_free()' - Free the cache.
//

void
ap_hashes_free(ap_hashes_t *hashes)
{
  for (int i = 0; i < hashes->count; i++)
    free(hashes->files[i].path);
  free(hashes->files);
  memset(hashes, 0, sizeof(*hashes));
}

// The cache's name for "this file, as it is now": SHA-256 of its status.
// False when it is no regular file (then it is always hashed); *racy when
// it changed in the last RACY_SECONDS.
static bool
status_key(const char *path, char key[AP_SHA256_HEX], bool *racy)
{
  struct stat s;
  char text[256];
  unsigned char digest[AP_SHA256_SIZE];

  if (stat(path, &s) != 0 || !S_ISREG(s.st_mode))
    return false;
  int n = snprintf(text, sizeof(text), "anpham: a file's SHA-256, for dev %llu ino %llu size %lld mtime %lld.%09ld ctime %lld.%09ld",
                   (unsigned long long)s.st_dev, (unsigned long long)s.st_ino, (long long)s.st_size,
                   (long long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec, (long long)s.st_ctim.tv_sec, s.st_ctim.tv_nsec);
  if (n < 0 || (size_t)n >= sizeof(text) || !ap_sha256(text, (size_t)n, digest))
    return false;
  ap_sha256_hex(digest, key);
  *racy = (long long)s.st_ctim.tv_sec + RACY_SECONDS > (long long)time(NULL);
  return true;
}
