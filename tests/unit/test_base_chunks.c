// Unit tests for base/chunks.c: items across many blocks keep their values
// and their addresses as the array grows, new items come zeroed, extend
// zeroes what it adds, and a freed array can be used again.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/chunks.h"

typedef struct item_s {
  int a;              // Index written
  unsigned short b;   // Its low bits
  char pad[5];        // An odd size (12 bytes with padding)
} item_t;

static void
test_push_across_blocks(void **state)
{
  ap_chunks_t c;
  item_t *first, *last = NULL;

  (void)state;
  ap_chunks_init(&c, sizeof(item_t), /*shift*/ 3); // 8 items a block
  first = ap_chunks_push(&c);
  assert_non_null(first);
  first->a = 0;
  for (int i = 1; i < 1000; i++) {
    item_t *it = ap_chunks_push(&c);
    assert_non_null(it);
    assert_int_equal(it->a, 0); // New items are zeroed
    assert_int_equal(it->b, 0);
    it->a = i;
    it->b = (unsigned short)(i * 7);
    last = it;
  }
  assert_int_equal(c.count, 1000);
  assert_int_equal(c.nblocks, 125);
  assert_ptr_equal(ap_chunks_at(&c, 0), first); // Items never move
  assert_ptr_equal(ap_chunks_at(&c, 999), last);
  for (int i = 0; i < 1000; i++) {
    const item_t *it = ap_chunks_at(&c, (size_t)i);
    assert_int_equal(it->a, i);
    if (i)
      assert_int_equal(it->b, (unsigned short)(i * 7));
  }
  ap_chunks_free(&c);
  assert_int_equal(c.count, 0);
  assert_null(c.blocks);
}

static void
test_extend_zeroes(void **state)
{
  ap_chunks_t c;

  (void)state;
  ap_chunks_init(&c, sizeof(int), /*shift*/ 4); // 16 ints a block
  assert_true(ap_chunks_extend(&c, 5));
  assert_int_equal(c.count, 5);
  *(int *)ap_chunks_at(&c, 4) = 42;
  assert_true(ap_chunks_extend(&c, 3)); // Never shrinks
  assert_int_equal(c.count, 5);
  assert_true(ap_chunks_extend(&c, 100));
  assert_int_equal(c.count, 100);
  assert_int_equal(c.nblocks, 7);
  for (size_t i = 0; i < 100; i++)
    assert_int_equal(*(int *)ap_chunks_at(&c, i), i == 4 ? 42 : 0);
  *(int *)ap_chunks_at(&c, 99) = 7;
  int *pushed = ap_chunks_push(&c); // After extend, push goes on at the end
  assert_int_equal(c.count, 101);
  assert_ptr_equal(pushed, ap_chunks_at(&c, 100));
  assert_int_equal(*pushed, 0);
  ap_chunks_free(&c);

  // Freed, the array is empty and usable again...
  assert_true(ap_chunks_extend(&c, 1));
  assert_int_equal(*(int *)ap_chunks_at(&c, 0), 0);
  ap_chunks_free(&c);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_push_across_blocks),
      cmocka_unit_test(test_extend_zeroes),
  };

  return cmocka_run_group_tests(tests, NULL, NULL);
}
