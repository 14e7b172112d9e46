// Unit tests for font/subset.c: the subset is small, keeps the requested
// glyphs at their original ids, drops layout and hinting tables, and is
// byte-for-byte deterministic.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "font/font.h"

#define SERIF AP_SOURCE_DIR "/fonts/LiberationSerif-Regular.ttf"
#define TEXT "Kết quả thực hiện nhiệm vụ công tác năm 2023 — Ẫ Ệ Ở"

typedef struct fixture_s {
  ap_fontset_t *set;   // Owns the face
  ap_font_t *font;     // Liberation Serif Regular
  uint32_t cps[128];   // Distinct code points of TEXT
  size_t ncps;         // Their number
} fixture_t;

// Load the face and collect the distinct code points of TEXT.
static int
setup(void **state)
{
  fixture_t *f = calloc(1, sizeof(*f));
  ap_diags_t diags = {0};
  const char *p = TEXT, *end = TEXT + strlen(TEXT);

  f->set = ap_fontset_create();
  f->font = ap_fontset_load(f->set, SERIF, &diags, ap_loc_file("test"));
  assert_non_null(f->font);
  while (p < end) {
    uint32_t cp = ap_utf8_next(&p, end);
    size_t i = 0;
    while (i < f->ncps && f->cps[i] != cp)
      i++;
    if (i == f->ncps)
      f->cps[f->ncps++] = cp;
  }
  *state = f;
  return 0;
}

static int
teardown(void **state)
{
  fixture_t *f = *state;

  ap_fontset_destroy(f->set);
  free(f);
  return 0;
}

// The subset is a small fraction of the face.
static void
test_subset_small(void **state)
{
  fixture_t *f = *state;
  unsigned char *data = NULL;
  size_t size = 0;
  FILE *fp = fopen(SERIF, "rb");
  long full;

  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  full = ftell(fp);
  fclose(fp);
  assert_true(ap_font_subset(f->font, f->cps, f->ncps, &data, &size));
  printf("subset of %zu code points: %zu bytes (face %ld bytes)\n", f->ncps, size, full);
  assert_true(size > 0);
  assert_true(size * 10 < (size_t)full);
  free(data);
}

// Every requested code point maps to the same glyph id as in the full face,
// and code points not requested are gone.
static void
test_subset_keeps_gids(void **state)
{
  fixture_t *f = *state;
  unsigned char *data = NULL;
  size_t size = 0;

  assert_true(ap_font_subset(f->font, f->cps, f->ncps, &data, &size));
  hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)size, HB_MEMORY_MODE_READONLY, NULL, NULL);
  hb_face_t *face = hb_face_create(blob, 0);
  hb_font_t *font = hb_font_create(face);

  for (size_t i = 0; i < f->ncps; i++) {
    hb_codepoint_t gid = 0;
    if (f->cps[i] == ' ')
      continue;
    assert_true(hb_font_get_nominal_glyph(font, f->cps[i], &gid));
    assert_int_not_equal(gid, 0);
    assert_int_equal(gid, ap_font_get_glyph(f->font, f->cps[i]));
    hb_glyph_extents_t ext;
    assert_true(hb_font_get_glyph_extents(font, gid, &ext));
    assert_true(ext.height != 0); // The outline is there, not an empty slot
  }
  hb_codepoint_t gid;
  assert_false(hb_font_get_nominal_glyph(font, 'Z', &gid));
  assert_false(hb_font_get_nominal_glyph(font, 0x1EF9, &gid)); // ỹ

  hb_font_destroy(font);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  free(data);
}

// The tables a PDF font file and its descriptor need stay; layout, kerning
// and hinting go.
static void
test_subset_tables(void **state)
{
  fixture_t *f = *state;
  static const char *const kept[] = {"cmap", "head", "hhea", "hmtx", "loca", "glyf", "maxp", "name", "post", "OS/2"};
  static const char *const dropped[] = {"GSUB", "GPOS", "GDEF", "kern", "fpgm", "prep", "cvt ", "gasp"};
  unsigned char *data = NULL;
  size_t size = 0;

  assert_true(ap_font_subset(f->font, f->cps, f->ncps, &data, &size));
  hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)size, HB_MEMORY_MODE_READONLY, NULL, NULL);
  hb_face_t *face = hb_face_create(blob, 0);

  for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
    hb_blob_t *t = hb_face_reference_table(face, hb_tag_from_string(kept[i], 4));
    assert_true(hb_blob_get_length(t) > 0);
    hb_blob_destroy(t);
  }
  for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++) {
    hb_blob_t *t = hb_face_reference_table(face, hb_tag_from_string(dropped[i], 4));
    assert_int_equal(hb_blob_get_length(t), 0);
    hb_blob_destroy(t);
  }
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  free(data);
}

// Same input, same bytes.
static void
test_subset_deterministic(void **state)
{
  fixture_t *f = *state;
  unsigned char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;

  assert_true(ap_font_subset(f->font, f->cps, f->ncps, &a, &na));
  assert_true(ap_font_subset(f->font, f->cps, f->ncps, &b, &nb));
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  free(a);
  free(b);
}

// An empty request still gives a valid face (just .notdef).
static void
test_subset_empty(void **state)
{
  fixture_t *f = *state;
  unsigned char *data = NULL;
  size_t size = 0;

  assert_true(ap_font_subset(f->font, NULL, 0, &data, &size));
  assert_true(size > 0);
  free(data);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_subset_small),
    cmocka_unit_test(test_subset_keeps_gids),
    cmocka_unit_test(test_subset_tables),
    cmocka_unit_test(test_subset_deterministic),
    cmocka_unit_test(test_subset_empty),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
