// Unit tests for the batch's render cache (render/render-cache.c): what
// a forked process keeps, its parent (and any later process) takes; a
// stream is taken only when it inflates to the very bytes asked for; small
// streams are not kept; a full cache keeps nothing more and still answers;
// a font subset is taken only for the same face and the same characters.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libdeflate.h>

#include "../../src/render/render-private.h"

#define SIZE 8192 // Bytes of a test stream (over the smallest size kept)

// Bytes that compress (text-like), varied by seed.
static void
fill(unsigned char *bytes, size_t size, unsigned seed)
{
  for (size_t i = 0; i < size; i++)
    bytes[i] = (unsigned char)("BT /F1 12 Tf 72 700 Td (Hau Giang) Tj ET\n"[(i + seed) % 41]);
  bytes[0] = (unsigned char)seed;
}

// zlib data of bytes, as render makes it.
static unsigned char *
compress(const unsigned char *in, size_t size, size_t *done)
{
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(5);
  size_t bound = libdeflate_zlib_compress_bound(c, size);
  unsigned char *out = malloc(bound);
  *done = libdeflate_zlib_compress(c, in, size, out, bound);
  libdeflate_free_compressor(c);
  assert_true(*done > 0);
  return out;
}

// A stream kept by a child process is taken by the parent, byte for byte.
static void
test_shared_across_fork(void **state)
{
  (void)state;
  ap_render_cache_t *cache = ap_render_cache_create(1 << 20);
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  unsigned char in[SIZE];
  size_t zsize, done = 0;
  unsigned char *z, *out = NULL;

  assert_non_null(cache);
  fill(in, sizeof(in), 7);
  z = compress(in, sizeof(in), &zsize);
  assert_false(ap_render_cache_get(cache, d, in, sizeof(in), &out, &done)); // Nothing kept yet

  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    ap_render_cache_put(cache, in, sizeof(in), z, zsize);
    _exit(0);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);

  assert_true(ap_render_cache_get(cache, d, in, sizeof(in), &out, &done));
  assert_int_equal(done, zsize);
  assert_memory_equal(out, z, zsize);
  free(out);
  free(z);
  libdeflate_free_decompressor(d);
  ap_render_cache_destroy(cache);
}

// Other bytes of the same size are not taken; small streams are not kept.
static void
test_only_the_same_bytes(void **state)
{
  (void)state;
  ap_render_cache_t *cache = ap_render_cache_create(1 << 20);
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  unsigned char a[SIZE], b[SIZE], small[100];
  size_t za, zsmall, done;
  unsigned char *z = NULL, *zs = NULL, *out = NULL;

  fill(a, sizeof(a), 1);
  fill(b, sizeof(b), 2);
  fill(small, sizeof(small), 3);
  z = compress(a, sizeof(a), &za);
  zs = compress(small, sizeof(small), &zsmall);
  ap_render_cache_put(cache, a, sizeof(a), z, za);
  ap_render_cache_put(cache, small, sizeof(small), zs, zsmall);

  assert_false(ap_render_cache_get(cache, d, b, sizeof(b), &out, &done));
  assert_false(ap_render_cache_get(cache, d, a, sizeof(a) - 1, &out, &done));
  assert_false(ap_render_cache_get(cache, d, small, sizeof(small), &out, &done));
  assert_true(ap_render_cache_get(cache, d, a, sizeof(a), &out, &done));
  free(out);
  free(z);
  free(zs);
  libdeflate_free_decompressor(d);
  ap_render_cache_destroy(cache);
}

// A cache whose data area is full keeps nothing more, and what it holds is still taken.
static void
test_full_keeps_nothing_more(void **state)
{
  (void)state;
  unsigned char a[SIZE], b[SIZE];
  size_t za, zb, done;
  unsigned char *z1, *z2, *out = NULL;

  fill(a, sizeof(a), 4);
  fill(b, sizeof(b), 5);
  z1 = compress(a, sizeof(a), &za);
  z2 = compress(b, sizeof(b), &zb);
  ap_render_cache_t *cache = ap_render_cache_create(za + zb / 2); // Room for the first only
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  ap_render_cache_put(cache, a, sizeof(a), z1, za);
  ap_render_cache_put(cache, b, sizeof(b), z2, zb);

  assert_false(ap_render_cache_get(cache, d, b, sizeof(b), &out, &done));
  assert_true(ap_render_cache_get(cache, d, a, sizeof(a), &out, &done));
  assert_memory_equal(out, z1, za);
  free(out);
  free(z1);
  free(z2);
  libdeflate_free_decompressor(d);
  ap_render_cache_destroy(cache);
  ap_render_cache_destroy(NULL); // (fine)
}

// A subset kept by a child is the parent's for the same face and
// characters, and for nothing else.
static void
test_subsets(void **state)
{
  (void)state;
  ap_render_cache_t *cache = ap_render_cache_create(1 << 20);
  const uint32_t cps[] = {0x48, 0x1EADu, 0x75, 0x20}, other[] = {0x48, 0x1EADu, 0x75, 0x21};
  const unsigned char subset[] = "a font subset";
  const char *face = "fonts/LiberationSerif-Regular.ttf|LiberationSerif|2618|410000";
  unsigned char *data = NULL;
  size_t size = 0;

  assert_false(ap_render_cache_get_subset(cache, face, cps, 4, &data, &size));
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    ap_render_cache_put_subset(cache, face, cps, 4, subset, sizeof(subset));
    _exit(0);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);

  assert_true(ap_render_cache_get_subset(cache, face, cps, 4, &data, &size));
  assert_int_equal(size, sizeof(subset));
  assert_memory_equal(data, subset, sizeof(subset));
  free(data);
  assert_false(ap_render_cache_get_subset(cache, face, other, 4, &data, &size));
  assert_false(ap_render_cache_get_subset(cache, face, cps, 3, &data, &size));
  assert_false(ap_render_cache_get_subset(cache, "fonts/LiberationSans-Regular.ttf|LiberationSans|2618|410000", cps,
                                          4, &data, &size));
  assert_false(ap_render_cache_get_subset(NULL, face, cps, 4, &data, &size));
  ap_render_cache_destroy(cache);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_shared_across_fork),
      cmocka_unit_test(test_only_the_same_bytes),
      cmocka_unit_test(test_full_keeps_nothing_more),
      cmocka_unit_test(test_subsets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
