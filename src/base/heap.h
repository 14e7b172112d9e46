// The process's heap on huge pages (see heap.c).
#ifndef AP_HEAP_H
#define AP_HEAP_H

// Have malloc's next allocations backed by 2 MB pages where the system allows.
void ap_heap_prefer_huge_pages(void);

#endif
