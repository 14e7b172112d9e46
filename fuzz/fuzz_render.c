// Fuzz target: a whole render. The bytes are a layout, then (after the first
// NUL byte, if any) its data; they become DIR/layouts/layout.xml and
// DIR/layouts/data.xml and go through ap_run into a PDF (and, for inputs of
// odd length, a layout dump: the pages kept rather than streamed).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anpham.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_output(ap_options_t *options, bool dump);
static void render_cleanup(void);

//
// 'LLVMFuzzerTestOneInput()' - Render one layout with its data.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr(data, 0, size); // Layout | NUL | data
  size_t layout_size = nul ? (size_t)(nul - data) : size;
  ap_options_t options = {.layout = ap_fuzz_write("layouts/layout.xml", data, layout_size)};
  ap_diags_t diags = {0}; // What was wrong

  if (nul)
    options.data = ap_fuzz_write("layouts/data.xml", nul + 1, size - layout_size - 1);
  render_output(&options, size % 2 == 1);
  ap_status_t status = ap_run(&options, &diags);
  if ((status == AP_OK) != (diags.errors == 0) || status == AP_INTERNAL) // Bad input always says why
    abort();
  render_cleanup();
  ap_diags_clear(&diags);
  return 0;
}

// Where the run writes: files in the scratch folder today. The one place
// to change for a render to memory.
static void
render_output(ap_options_t *options, bool dump)
{
  options->output = ap_fuzz_path("out/out.pdf");
  options->dump = dump ? ap_fuzz_path("out/out.txt") : NULL;
}

// Remove what the run wrote.
static void
render_cleanup(void)
{
  ap_fuzz_remove("out/out.pdf");
  ap_fuzz_remove("out/out.txt");
}
