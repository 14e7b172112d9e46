// Unit tests for render/ops.c: the path and colour operators anpham writes
// itself are libharu's to the byte. Random sequences of operators go to two
// pages of one document, libharu's functions on the one and ours on the
// other, and after every operator both pages' content streams, graphics
// mode, current point, colours and the error raised (for a colour out of
// range, an operator in the wrong mode) are the same. The numbers'
// writers are compared with HPDF_FToA and printf.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_gstate.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>
#include <stdio.h>
#include <string.h>

#include "render/render-private.h"

static HPDF_STATUS last_error; // The error libharu raised last (0: none since it was cleared)

// libharu's error handler: keep the error.
static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
  (void)detail, (void)data;
  last_error = error;
}

// The bytes of a page's content stream so far, into buf (at most cap); their count.
static size_t
stream_bytes(HPDF_Page page, unsigned char *buf, size_t cap)
{
  HPDF_Stream s = ((HPDF_PageAttr)page->attr)->stream;
  size_t n = 0;
  for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(s) && n < s->size; i++) {
    HPDF_UINT len = 0;
    HPDF_BYTE *bytes = HPDF_MemStream_GetBufPtr(s, i, &len);
    if (len > s->size - n)
      len = (HPDF_UINT)(s->size - n);
    assert_true(n + len <= cap);
    memcpy(buf + n, bytes, len);
    n += len;
  }
  return n;
}

// Both pages alike: stream, mode, points, colours.
static void
assert_same_pages(HPDF_Page a, HPDF_Page b)
{
  static unsigned char ba[1 << 20], bb[1 << 20];
  size_t na = stream_bytes(a, ba, sizeof(ba)), nb = stream_bytes(b, bb, sizeof(bb));
  assert_int_equal(na, nb);
  assert_memory_equal(ba, bb, na);
  HPDF_PageAttr pa = (HPDF_PageAttr)a->attr, pb = (HPDF_PageAttr)b->attr;
  assert_int_equal(pa->gmode, pb->gmode);
  assert_memory_equal(&pa->cur_pos, &pb->cur_pos, sizeof(pa->cur_pos));
  assert_memory_equal(&pa->str_pos, &pb->str_pos, sizeof(pa->str_pos));
  HPDF_GState ga = pa->gstate, gb = pb->gstate;
  assert_int_equal(ga->cs_fill, gb->cs_fill);
  assert_int_equal(ga->cs_stroke, gb->cs_stroke);
  assert_memory_equal(&ga->rgb_fill, &gb->rgb_fill, sizeof(ga->rgb_fill));
  assert_memory_equal(&ga->rgb_stroke, &gb->rgb_stroke, sizeof(ga->rgb_stroke));
  assert_memory_equal(&ga->cmyk_fill, &gb->cmyk_fill, sizeof(ga->cmyk_fill));
  assert_memory_equal(&ga->cmyk_stroke, &gb->cmyk_stroke, sizeof(ga->cmyk_stroke));
}

// A number of the kinds the operators meet: page positions, sizes, colour
// parts (some out of 0..1), tiny, negative and large values.
static HPDF_REAL
number(uint32_t *seed)
{
  static const double values[] = {0,     1,      0.5,       0.25,    -0.1, 1.1,      1e-6,     0.000004,
                                  72,    595.28, 841.89,    -12.5,   100000.123, 56.693, 0.333333, 2.0 / 3,
                                  123.456789, -0.00001, 99999.99999, 1e9};
  *seed = *seed * 1103515245u + 12345u;
  uint32_t pick = (*seed >> 16) % (sizeof(values) / sizeof(values[0]) + 4);
  if (pick < sizeof(values) / sizeof(values[0]))
    return (HPDF_REAL)values[pick];
  *seed = *seed * 1103515245u + 12345u;
  return (HPDF_REAL)((double)((*seed >> 8) % 2000000) / 1000.0 - 500.0); // -500..1500, thousandths
}

static void
test_ops_as_libharu(void **state)
{
  (void)state;
  HPDF_Doc pdf = HPDF_New(on_error, NULL);
  assert_non_null(pdf);
  HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
  HPDF_Page a = HPDF_AddPage(pdf), b = HPDF_AddPage(pdf);
  assert_non_null(a);
  assert_non_null(b);

  uint32_t seed = 7;
  for (int step = 0; step < 20000; step++) {
    HPDF_REAL v[6];
    for (int i = 0; i < 6; i++)
      v[i] = number(&seed);
    seed = seed * 1103515245u + 12345u;
    int op = (int)((seed >> 16) % 12);
    HPDF_STATUS error_a, error_b;

    for (int side = 0; side < 2; side++) {
      HPDF_Page p = side ? b : a;
      HPDF_ResetError(pdf);
      last_error = 0;
      switch (op) {
      case 0: side ? ap_render_move_to(p, v[0], v[1]) : (void)HPDF_Page_MoveTo(p, v[0], v[1]); break;
      case 1: side ? ap_render_line_to(p, v[0], v[1]) : (void)HPDF_Page_LineTo(p, v[0], v[1]); break;
      case 2:
        side ? ap_render_curve_to(p, v[0], v[1], v[2], v[3], v[4], v[5])
             : (void)HPDF_Page_CurveTo(p, v[0], v[1], v[2], v[3], v[4], v[5]);
        break;
      case 3: side ? ap_render_rectangle(p, v[0], v[1], v[2], v[3]) : (void)HPDF_Page_Rectangle(p, v[0], v[1], v[2], v[3]); break;
      case 4: side ? ap_render_rgb(p, false, v[0], v[1], v[2]) : (void)HPDF_Page_SetRGBFill(p, v[0], v[1], v[2]); break;
      case 5: side ? ap_render_rgb(p, true, v[0], v[1], v[2]) : (void)HPDF_Page_SetRGBStroke(p, v[0], v[1], v[2]); break;
      case 6:
        side ? ap_render_cmyk(p, false, v[0], v[1], v[2], v[3]) : (void)HPDF_Page_SetCMYKFill(p, v[0], v[1], v[2], v[3]);
        break;
      case 7:
        side ? ap_render_cmyk(p, true, v[0], v[1], v[2], v[3]) : (void)HPDF_Page_SetCMYKStroke(p, v[0], v[1], v[2], v[3]);
        break;
      // (libharu's own operators, on both pages: the modes the ones above leave must suit them)
      case 8: HPDF_Page_Fill(p); break;
      case 9: HPDF_Page_Stroke(p); break;
      case 10: HPDF_Page_EndPath(p); break;
      default: HPDF_Page_BeginText(p); HPDF_Page_EndText(p); break;
      }
      *(side ? &error_b : &error_a) = last_error;
    }
    assert_int_equal(error_a, error_b);
    assert_same_pages(a, b);
  }
  HPDF_Free(pdf);
}

// ap_render_real against HPDF_FToA itself: values that round across a
// decimal, an integer and libharu's limits, then a million floats: a third
// of every magnitude (random bit patterns, NaN and the infinities left
// out), a third of page positions in thousandths, a third in -0.5..1.5.
static void
test_real_as_libharu(void **state)
{
  (void)state;
  static const float edges[] = {0, -0.0f, 1, -1, 0.5f, 0.000004f, 0.000005f, 0.0000051f, -0.000004f, 0.99999f,
                                0.999995f, 0.9999951f, 1.000005f, 2.99999f, 9.999995f, 10, 100.05f, 32766.99999f,
                                32767, 32767.5f, 32768, -32767.5f, 1e9f, -1e9f, 123.456789f, 56.693f};
  uint32_t seed = 3;
  for (long i = 0; i < 1000000 + (long)(sizeof(edges) / sizeof(edges[0])); i++) {
    float v;
    if (i < (long)(sizeof(edges) / sizeof(edges[0]))) {
      v = edges[i];
    } else {
      seed = seed * 1103515245u + 12345u;
      uint32_t bits = seed ^ (seed >> 15) * 2654435761u;
      if (i % 3 == 0) { // Any float
        memcpy(&v, &bits, sizeof(v));
        if (v != v || v - v != 0) // (NaN, infinities)
          continue;
      } else if (i % 3 == 1) { // Page positions in thousandths, past the limits
        v = (float)((double)(bits % 80000000u) / 1000.0 - 40000.0);
      } else { // Colour parts and small sizes
        v = (float)((double)(bits % 20000000u) / 10000000.0 - 0.5);
      }
    }
    char ours[32] = {0}, theirs[32] = {0};
    char *end = ap_render_real(ours, v);
    HPDF_FToA(theirs, v, theirs + sizeof(theirs) - 1);
    assert_true(end - ours <= 12);
    if (strcmp(ours, theirs)) {
      printf("%.9g: ours '%s', libharu's '%s'\n", (double)v, ours, theirs);
      fail();
    }
  }
}

// ap_render_uint against printf's %llu: 0, the largest value, and powers
// of ten with their neighbours.
static void
test_uint_as_printf(void **state)
{
  (void)state;
  uint64_t values[64];
  int n = 0;
  values[n++] = 0;
  values[n++] = UINT64_MAX;
  for (uint64_t p = 1; n + 3 <= 64 && p <= UINT64_MAX / 10; p *= 10) {
    values[n++] = p - 1;
    values[n++] = p;
    values[n++] = p + 1;
  }
  for (int i = 0; i < n; i++) {
    char ours[32], theirs[32];
    *ap_render_uint(ours, values[i]) = '\0';
    snprintf(theirs, sizeof(theirs), "%llu", (unsigned long long)values[i]);
    assert_string_equal(ours, theirs);
  }
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ops_as_libharu),
    cmocka_unit_test(test_real_as_libharu),
    cmocka_unit_test(test_uint_as_printf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
