// Unit tests for base/arena.c: many allocations, 16-byte alignment, zeroing,
// string copies and the used() counter.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"

static void
test_many_allocations(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  unsigned char *blocks[5000];

  assert_non_null(arena);
  assert_int_equal(ap_arena_used(arena), 0);

  // Allocate odd sizes across several blocks; each is zeroed and aligned...
  for (size_t i = 0; i < 5000; i++) {
    size_t size = 1 + (i * 37) % 300;
    size_t before = ap_arena_used(arena);

    blocks[i] = ap_arena_alloc(arena, size);
    assert_non_null(blocks[i]);
    assert_int_equal((uintptr_t)blocks[i] % 16, 0);
    for (size_t k = 0; k < size; k++)
      assert_int_equal(blocks[i][k], 0);
    assert_true(ap_arena_used(arena) >= before + size);
    memset(blocks[i], (int)(i & 0xFF), size);
  }

  // No allocation overwrote another...
  for (size_t i = 0; i < 5000; i++) {
    size_t size = 1 + (i * 37) % 300;
    for (size_t k = 0; k < size; k++)
      assert_int_equal(blocks[i][k], (unsigned char)(i & 0xFF));
  }
  assert_true(ap_arena_used(arena) >= 5000);
  ap_arena_destroy(arena);
}

static void
test_large_allocation(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  size_t big = 3 * 1024 * 1024; // Larger than one block
  unsigned char *p = ap_arena_alloc(arena, big);
  unsigned char *q = ap_arena_alloc(arena, 10);

  assert_int_equal((uintptr_t)p % 16, 0);
  assert_int_equal((uintptr_t)q % 16, 0);
  assert_int_equal(p[0], 0);
  assert_int_equal(p[big - 1], 0);
  memset(p, 0xAB, big);
  memset(q, 0xCD, 10);
  assert_int_equal(p[big - 1], 0xAB);
  assert_true(ap_arena_used(arena) >= big + 10);
  ap_arena_destroy(arena);
}

static void
test_new_macros(void **state)
{
  typedef struct {
    double x;
    long double y;
    char c;
  } item_t;
  ap_arena_t *arena = ap_arena_create();
  item_t *one = AP_NEW(arena, item_t);
  item_t *many = AP_NEW_N(arena, item_t, 100);

  assert_int_equal((uintptr_t)one % 16, 0);
  assert_int_equal((uintptr_t)many % 16, 0);
  assert_true(one->x == 0.0 && one->c == 0);
  for (int i = 0; i < 100; i++)
    assert_true(many[i].x == 0.0 && many[i].c == 0);
  many[99].c = 'z';
  assert_int_equal(many[99].c, 'z');
  ap_arena_destroy(arena);
}

static void
test_strings(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  const char *vn = "Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xC3\x81nh";
  char *s;

  s = ap_arena_strdup(arena, vn);
  assert_string_equal(s, vn);
  assert_ptr_not_equal(s, vn);
  assert_int_equal((uintptr_t)s % 16, 0);
  assert_null(ap_arena_strdup(arena, NULL));

  s = ap_arena_strndup(arena, "abcdef", 3);
  assert_string_equal(s, "abc");
  s = ap_arena_strndup(arena, "", 0);
  assert_string_equal(s, "");

  s = ap_arena_printf(arena, "%s-%d-%05.1f", "trang", 42, 3.25);
  assert_string_equal(s, "trang-42-003.2");
  s = ap_arena_printf(arena, "%s", "");
  assert_string_equal(s, "");

  // A long formatted string spans more than one block...
  char big[600000];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  size_t before = ap_arena_used(arena);
  s = ap_arena_printf(arena, "<%s>", big);
  assert_int_equal(strlen(s), sizeof(big) + 1);
  assert_int_equal(s[0], '<');
  assert_int_equal(s[sizeof(big)], '>');
  assert_true(ap_arena_used(arena) >= before + sizeof(big) + 2);
  ap_arena_destroy(arena);
}

static void
test_used_grows(void **state)
{
  ap_arena_t *arena = ap_arena_create();
  size_t last = ap_arena_used(arena);

  for (int i = 0; i < 1000; i++) {
    ap_arena_printf(arena, "row %d", i);
    assert_true(ap_arena_used(arena) > last);
    last = ap_arena_used(arena);
  }
  ap_arena_destroy(arena);
  ap_arena_destroy(NULL);
}

// A reset gives back everything since the mark (small, block-filling and
// large one-off allocations alike: valgrind and ASan see no leak and no
// use of freed memory), keeps what came before, and the arena goes on.
static void
test_mark_and_reset(void **state)
{
  (void)state;
  ap_arena_t *arena = ap_arena_create();
  ap_arena_mark_t empty = ap_arena_mark(arena);
  char *kept = ap_arena_strdup(arena, "Hậu Giang");
  size_t used = ap_arena_used(arena);

  for (int round = 0; round < 3; round++) {
    ap_arena_mark_t mark = ap_arena_mark(arena);
    for (int i = 0; i < 5000; i++) // About 5 blocks of small ones...
      ap_arena_printf(arena, "row %d of round %d", i, round);
    memset(ap_arena_alloc(arena, 1u << 20), 0x5A, 1u << 20); // ...a large one-off block behind the current...
    ap_arena_printf(arena, "after the large one");
    ap_arena_reset(arena, mark);
    assert_int_equal(ap_arena_used(arena), used);
    assert_string_equal(kept, "Hậu Giang");
    char *again = ap_arena_strdup(arena, "Vị Thanh"); // ...and the arena goes on where it stood
    assert_ptr_equal(again, kept + 16);
    ap_arena_reset(arena, mark);
  }
  ap_arena_reset(arena, empty); // Back to nothing at all
  assert_int_equal(ap_arena_used(arena), 0);
  assert_non_null(ap_arena_strdup(arena, "Ngã Bảy"));
  ap_arena_destroy(arena);
}

// A block given back (by destroy or reset) serves the thread's next arenas:
// what they hand out is zeroed all the same, whatever the block held, and
// nothing of the old arena shows through.
static void
test_blocks_reused_zeroed(void **state)
{
  (void)state;
  for (int round = 0; round < 40; round++) { // More rounds than spare blocks are kept
    ap_arena_t *arena = ap_arena_create();
    for (int i = 0; i < 3; i++) { // Three standard blocks' worth, filled with non-zero bytes...
      unsigned char *p = ap_arena_alloc(arena, 200 * 1024);
      for (size_t k = 0; k < 200 * 1024; k++)
        assert_int_equal(p[k], 0); // ...each zeroed when handed out, reused or not
      memset(p, 0xA5, 200 * 1024);
    }
    ap_arena_mark_t mark = ap_arena_mark(arena);
    memset(ap_arena_alloc(arena, 200 * 1024), 0x5A, 200 * 1024);
    ap_arena_reset(arena, mark); // A reset gives its blocks back too
    unsigned char *again = ap_arena_alloc(arena, 200 * 1024);
    for (size_t k = 0; k < 200 * 1024; k++)
      assert_int_equal(again[k], 0);
    ap_arena_destroy(arena);
  }
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_many_allocations), cmocka_unit_test(test_large_allocation),
      cmocka_unit_test(test_new_macros),       cmocka_unit_test(test_strings),
      cmocka_unit_test(test_used_grows),       cmocka_unit_test(test_mark_and_reset),
      cmocka_unit_test(test_blocks_reused_zeroed),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
