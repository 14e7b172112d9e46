// Unit tests for font/lookup.c: a family's four faces found by name in a
// folder, letter case aside; a family comes whole from the first folder
// holding it (fonts/ holds DejaVu Sans's regular face alone, the system
// its others); a missing family is one error naming the closest first.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "font/lookup.h"

#define FONTS AP_SOURCE_DIR "/fonts"

// The file name of a path (after its last '/').
static const char *
leaf(const char *path)
{
  const char *slash = path ? strrchr(path, '/') : NULL;
  return slash ? slash + 1 : path;
}

// Liberation Sans in fonts/: its four faces, whatever the case of its name.
static void
test_four_faces(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  ap_diags_t diags = {0};
  const char *dirs[] = {"/nonexistent-folder", FONTS}, *files[4];
  (void)state;

  assert_true(ap_font_lookup("liberation SANS", dirs, 2, arena, files, &diags, ap_loc_file("test")));
  assert_int_equal(diags.errors, 0);
  assert_string_equal(leaf(files[0]), "LiberationSans-Regular.ttf");
  assert_string_equal(leaf(files[1]), "LiberationSans-Bold.ttf");
  assert_string_equal(leaf(files[2]), "LiberationSans-Italic.ttf");
  assert_string_equal(leaf(files[3]), "LiberationSans-BoldItalic.ttf");
  assert_true(files[0][0] == '/'); // Absolute
  ap_arena_destroy(arena);
}

// DejaVu Sans: fonts/ holds only its regular face, and gives only that.
static void
test_first_folder_whole(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  ap_diags_t diags = {0};
  const char *dirs[] = {FONTS}, *files[4];
  (void)state;

  assert_true(ap_font_lookup("DejaVu Sans", dirs, 1, arena, files, &diags, ap_loc_file("test")));
  assert_string_equal(leaf(files[0]), "DejaVuSans.ttf");
  assert_null(files[1]);
  assert_null(files[2]);
  assert_null(files[3]);
  ap_arena_destroy(arena);
}

// A missing family: false, one error at loc, the nearest family first.
static void
test_missing(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  ap_diags_t diags = {0};
  const char *dirs[] = {FONTS}, *files[4];
  char line[1024];
  (void)state;

  assert_false(ap_font_lookup("Liberation Serf", dirs, 1, arena, files, &diags, (ap_loc_t){"x.xml", 4, 24}));
  assert_int_equal(diags.errors, 1);
  ap_diag_format(diags.first, line, sizeof(line));
  assert_non_null(strstr(line, "x.xml:4:24: error: no font named \"Liberation Serf\""));
  assert_non_null(strstr(line, "(closest: Liberation Serif, "));
  ap_diags_clear(&diags);
  ap_arena_destroy(arena);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_four_faces),
      cmocka_unit_test(test_first_folder_whole),
      cmocka_unit_test(test_missing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
