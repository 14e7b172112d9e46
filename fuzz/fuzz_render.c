// Fuzz target: a whole render. The bytes are a layout, then (after the first
// NUL byte, if any) its data; they become DIR/layouts/layout.xml and
// DIR/layouts/data.xml and go through ap_run into a PDF in memory (and, for
// inputs of odd length, a layout dump: the pages kept rather than streamed).
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anpham.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_output(ap_options_t *options, bool dump);
static void render_cleanup(void);
static bool keep_pdf(void *ctx, const void *bytes, size_t size);

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

// Where the run writes: the PDF to memory (checked to be one), the dump
// (every other input) to a file of the scratch folder.
static void
render_output(ap_options_t *options, bool dump)
{
  options->output = "memory.pdf";
  options->pdf_sink = keep_pdf;
  options->dump = dump ? ap_fuzz_path("out/out.txt") : NULL;
}

// The rendered PDF, in memory: a PDF from its first byte to its %%EOF.
static bool
keep_pdf(void *ctx, const void *bytes, size_t size)
{
  const char *pdf = bytes;
  bool eof = false; // "%%EOF" among the last bytes

  (void)ctx;
  for (size_t i = size > 16 ? size - 16 : 0; i + 5 <= size && !eof; i++)
    eof = !memcmp(pdf + i, "%%EOF", 5);
  if (size < 16 || memcmp(pdf, "%PDF-", 5) || !eof)
    abort(); // A render that succeeds writes a whole PDF
  return true;
}

// Remove what the run wrote.
static void
render_cleanup(void)
{
  ap_fuzz_remove("out/out.pdf");
  ap_fuzz_remove("out/out.txt");
}
