// The process's heap on huge pages. A render's malloc'ed memory (libxml2's
// trees, HarfBuzz's and libharu's buffers, the compressor, ours) is touched
// for the first time once, and on the machines measured every 4 KB page
// touched for the first time costs a page fault of about 11 µs (a virtual
// machine's), while a 2 MB huge page costs one fault of about 150 µs for
// 512 pages. Of the 2023 report's 810 page faults, 500 were its heap's.
//
// glibc's malloc can ask for huge pages itself (its glibc.malloc.hugetlb
// tunable), but only from the environment the process starts with. So
// ap_heap_prefer_huge_pages(), called before the render allocates:
//   1. has malloc grow its heap once by 4 MB more than it needs (address
//      space: nothing is touched), by allocating a block that fills the rest
//      of the heap up to the next 2 MB boundary; that block is never used
//      nor freed (freed, it would be cut into the small blocks it is there
//      to keep below the boundary);
//   2. advises huge pages from the boundary to the heap's end: the render's
//      allocations start there, and its first 4 MB take two faults;
//   3. keeps up to 8 MB free at the heap's top instead of 128 KB (a heap
//      trimmed and grown again would be faulted in again, in 4 KB pages).
// Past those 4 MB the heap grows in 4 KB pages, as before; blocks of 128 KB
// or more are mapped on their own once the heap's top cannot hold them, as
// before. The 100,000-row table's peak is no higher (docs/benchmarks.md).
// Nothing here changes what is allocated or what is read; only how the
// kernel backs it.
//
// It does nothing under AddressSanitizer or valgrind (their malloc is not
// glibc's) and with ANPHAM_HUGE_PAGES=0 (to measure:
// docs/command-line.md#memory-pages). A batch's own process does not call
// it (its job processes are forked from it: a huge page it wrote would be
// copied by the first job that writes to it); each job process does, when
// it starts, for the memory its jobs allocate past the heap it shares with
// the batch (the eight district handouts: 83.6 -> 71.5 ms median). The
// unit tests do not.
#define _DEFAULT_SOURCE // MADV_HUGEPAGE, sbrk
#include "heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)  // x86-64's PMD page
#define MARGIN (4 << 20)                // Heap grown beyond need once, and advised
#define KEEP_AT_TOP (8 << 20)           // Free bytes at the heap's top not given back
#define TOP_PAD (128 << 10)             // glibc's default growth beyond need, restored
#define MMAP_THRESHOLD (128 << 10)      // glibc's default first threshold, restored

#if defined(__SANITIZE_ADDRESS__)
#define NOT_GLIBC_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOT_GLIBC_MALLOC 1
#endif
#endif

//
// 'ap_heap_prefer_huge_pages()' - Back the heap's next allocations with huge pages.
//
// Call once, early, before the bulk of the process's allocations. Quietly
// does nothing where it cannot (another malloc, no brk heap, no THP).
//

void
ap_heap_prefer_huge_pages(void)
{
#if defined(__x86_64__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(NOT_GLIBC_MALLOC)
  static void *filler; // The untouched block below the boundary (kept for the process's life)
  const char *env = getenv("ANPHAM_HUGE_PAGES");
  if (filler || (env && !strcmp(env, "0")))
    return;
  void *volatile probe = malloc(1); // (malloc's heap made, if nothing made it before main; volatile: not
  free(probe);                      // optimized away)
  struct mallinfo2 info = mallinfo2();
  uintptr_t brk_now = (uintptr_t)sbrk(0);
  if (brk_now == (uintptr_t)-1 || info.arena == 0) // no brk heap (valgrind's malloc, a failed brk)
    return;
  // The heap's top block ends at the break: a block of its size plus the
  // gap up to the boundary leaves the next allocation at the boundary (a
  // few bytes before it do not matter).
  uintptr_t boundary = (brk_now + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  size_t want = (size_t)(boundary - brk_now) + info.keepcost;
  want = want > 64 ? want - 64 : 0;
  if (!mallopt(M_MMAP_THRESHOLD, (int)(HUGE_PAGE + MARGIN)) || !mallopt(M_TOP_PAD, MARGIN) ||
      !mallopt(M_TRIM_THRESHOLD, KEEP_AT_TOP))
    return;
  filler = malloc(want);
  mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
  mallopt(M_TOP_PAD, TOP_PAD);
  uintptr_t end = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);
  if (filler && end > boundary)
    madvise((void *)boundary, end - boundary, MADV_HUGEPAGE); // (advice: 4 KB pages where it is not followed)
#endif
}
