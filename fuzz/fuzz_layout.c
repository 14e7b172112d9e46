// Fuzz target: a layout file. The bytes become DIR/layouts/layout.xml and go
// through ap_layout_parse (well-formedness, the RELAX NG schema, then the
// definitions: fonts, styles, pages, numbering, templates).
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "parse/parse.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

//
// 'LLVMFuzzerTestOneInput()' - Parse and check one layout.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = ap_fuzz_write("layouts/layout.xml", data, size);
  ap_arena_t *arena = ap_arena_create(); // The definitions
  ap_diags_t diags = {0};                // What was wrong

  if (!arena)
    abort();
  ap_layout_t *layout = ap_layout_parse(path, /*files*/ NULL, arena, &diags); // NULL on failure
  if ((layout != NULL) != (diags.errors == 0)) // A failure always says why, a success never has an error
    abort();
  ap_layout_free(layout);
  ap_diags_clear(&diags);
  ap_arena_destroy(arena);
  return 0;
}
