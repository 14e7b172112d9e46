// The executable's GNU build ID (build-id.h): read from its own note
// segment, which the dynamic loader has mapped (dl_iterate_phdr lists the
// main program first), never from the file.
#define _GNU_SOURCE // dl_iterate_phdr
#include "build-id.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#define MAX_ID 64 // Bytes of an ID at most (the linker's default, SHA-1, has 20)

static int find_note(struct dl_phdr_info *info, size_t size, void *data);

static char hex[2 * MAX_ID + 1]; // The ID, once read
static int state;                // 0: not read yet, 1: read

//
// 'ap_build_id()' - The executable's build ID in hex, or "".
//

const char *
ap_build_id(void)
{
  if (!state) {
    dl_iterate_phdr(find_note, hex);
    state = 1;
  }
  return hex;
}

// The main program's NT_GNU_BUILD_ID note into data (hex); stop after it.
static int
find_note(struct dl_phdr_info *info, size_t size, void *data)
{
  (void)size;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE)
      continue;
    const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
    const unsigned char *end = p + ph->p_memsz;
    // Notes: a header, then the name and the descriptor, each padded to 4 bytes...
    while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
      const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
      size_t name = (n->n_namesz + 3u) & ~3u, desc = (n->n_descsz + 3u) & ~3u;
      if ((size_t)(end - p) - sizeof(*n) < name || (size_t)(end - p) - sizeof(*n) - name < desc)
        break;
      const unsigned char *nm = p + sizeof(*n), *d = nm + name;
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(nm, "GNU", 4) && n->n_descsz > 0 &&
          n->n_descsz <= MAX_ID) {
        for (size_t k = 0; k < n->n_descsz; k++)
          snprintf((char *)data + 2 * k, 3, "%02x", d[k]);
        return 1;
      }
      p = d + desc;
    }
  }
  return 1; // The first object listed is the main program: look no further
}
