// anpham sign: the signed PDF made in memory and written at once (the
// input's bytes, then the update of pdf-update.c with its /ByteRange and
// its CMS filled in), or nothing written at all.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../output.h"
#include "sign-private.h"

#define MAX_PDF (1ull << 30) // Bytes of a PDF to sign at most

//
// 'ap_sign()' - Sign a PDF anpham wrote into a new file.
//

bool
ap_sign(const ap_sign_request_t *req, ap_diags_t *diags)
{
  ap_loc_t at = ap_loc_file(req->in);
  ap_output_t out;
  unsigned char *pdf = NULL, *der = NULL;
  size_t pdf_size = 0, der_size = 0;
  ap_sign_update_t update = {0};
  ap_sign_keys_t keys = {0};
  char *whole = NULL;
  bool ok = false;

  if (!ap_output_open(&out, req->out))
    return ap_fail(diags, ap_loc_file(req->out), "cannot write there: %s", strerror(errno));

  // The key and certificates (the passphrase wiped once used), the PDF and its update...
  bool loaded = ap_openssl_load(diags);
  bool keyed = loaded && ap_sign_keys_load(req, &keys, diags);
  if (req->pass) {
    if (loaded)
      OPENSSL_cleanse(req->pass, strlen(req->pass));
    else
      memset(req->pass, 0, strlen(req->pass));
  }
  if (!keyed || !ap_sign_read_file(req->in, MAX_PDF, &pdf, &pdf_size, diags) ||
      !ap_sign_update_build(req, pdf, pdf_size, &update, diags))
    goto done;

  // ...the whole file, its byte range: everything but the /Contents string...
  size_t size = pdf_size + update.size;
  whole = malloc(size);
  if (!whole) {
    ap_fail(diags, at, "out of memory");
    goto done;
  }
  memcpy(whole, pdf, pdf_size);
  memcpy(whole + pdf_size, update.bytes, update.size);
  size_t hole = pdf_size + update.contents_at, after = hole + update.contents_len;
  char range[96];
  int n = snprintf(range, sizeof range, "0 %zu %zu %zu", hole, after, size - after);
  if (n < 0 || (size_t)n > update.byte_range_len) {
    ap_fail(diags, at, "the PDF is too large to sign");
    goto done;
  }
  memcpy(whole + pdf_size + update.byte_range_at, range, (size_t)n);

  // ...the CMS over it, in hexadecimal in the hole.
  if (!ap_sign_cms(&keys, req->pss, (unsigned char *)whole, hole, (unsigned char *)whole + after, size - after, &der,
                   &der_size, req->in, diags))
    goto done;
  if (2 * der_size > update.contents_len - 2) {
    ap_fail(diags, at, "the signature (%zu bytes) does not fit in the room kept for it (%d bytes): too many "
                       "certificates", der_size, AP_SIGN_CONTENTS_BYTES);
    goto done;
  }
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < der_size; i++) {
    whole[hole + 1 + 2 * i] = hex[der[i] >> 4];
    whole[hole + 2 + 2 * i] = hex[der[i] & 15];
  }
  ok = ap_output_write(&out, whole, size, diags);

done:
  if (loaded)
    ap_sign_keys_free(&keys);
  free(der);
  free(whole);
  free(update.bytes);
  free(pdf);
  return ok;
}

//
// 'ap_sign_read_file()' - The whole of a file, at most max bytes.
//

bool
ap_sign_read_file(const char *path, size_t max, unsigned char **bytes, size_t *size, ap_diags_t *diags)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t used = 0, room = 0;

  *bytes = NULL;
  *size = 0;
  if (!f)
    return ap_fail(diags, ap_loc_file(path), "cannot read: %s", strerror(errno));
  for (;;) {
    if (used == room) {
      room = room ? room * 2 : 65536;
      unsigned char *grown = room <= 2 * max ? realloc(buf, room) : NULL;
      if (!grown) {
        free(buf);
        fclose(f);
        return ap_fail(diags, ap_loc_file(path), "too large (or out of memory)");
      }
      buf = grown;
    }
    size_t got = fread(buf + used, 1, room - used, f);
    used += got;
    if (got == 0)
      break;
  }
  bool failed = ferror(f) || used > max;
  fclose(f);
  if (failed) {
    free(buf);
    return ap_fail(diags, ap_loc_file(path), used > max ? "too large" : "cannot read");
  }
  *bytes = buf;
  *size = used;
  return true;
}
