// Fuzz target: a batch file (anpham batch JOBS.xml). The bytes become
// DIR/batch.xml and go through ap_batch_read (well-formedness, each element
// and attribute, the embedded RELAX NG grammar); no job runs.
#include <stdint.h>
#include <stdlib.h>

#include "base/arena.h"
#include "parse/batch.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

//
// 'LLVMFuzzerTestOneInput()' - Read and check one batch file.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *path = ap_fuzz_write("batch/batch.xml", data, size);
  ap_arena_t *arena = ap_arena_create(); // The jobs
  ap_diags_t diags = {0};                // What was wrong
  ap_batch_file_t batch;                 // The jobs read

  if (!arena)
    abort();
  bool ok = ap_batch_read(path, NULL, arena, &diags, &batch);
  if (ok != (diags.errors == 0)) // A failure always says why, a success never has an error
    abort();
  for (int i = 0; ok && i < batch.njobs; i++) // A job read has its layout and its output
    if (!batch.jobs[i].layout || !batch.jobs[i].output || batch.jobs[i].nsets > AP_BATCH_MAX_SETS)
      abort();
  if (ok && batch.njobs < 1)
    abort();
  ap_diags_clear(&diags);
  ap_arena_destroy(arena);
  return 0;
}
