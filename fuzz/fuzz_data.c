// Fuzz target: data bound against the project's own layouts. The first byte
// picks an edition of samples/editions.txt (its layout and options); the
// rest becomes DIR/data.xml and goes through ap_run as `anpham check` does:
// parse the layout, load the data, bind, lay out every page (nothing written).
#include <stdint.h>
#include <stdlib.h>

#include "anpham.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// The editions of samples/editions.txt: a layout and its options.
typedef struct edition_s {
  const char *layout;     // Layout file
  const char *deck;       // --deck, or NULL
  const char *slide_page; // --slide-page, or NULL
  const char *set;        // --set NAME=VALUE, or NULL
} edition_t;

static const edition_t editions[] = {
    {AP_SOURCE_DIR "/layouts/bao-cao.xml", NULL, NULL, NULL},
    {AP_SOURCE_DIR "/layouts/handout.xml", NULL, NULL, NULL},
    {AP_SOURCE_DIR "/layouts/handout.xml", "hg", NULL, NULL},
    {AP_SOURCE_DIR "/layouts/handout.xml", "hg", "slide-a4", NULL},
    {AP_SOURCE_DIR "/layouts/tom-tat.xml", NULL, NULL, NULL},
    {AP_SOURCE_DIR "/layouts/phu-luc.xml", NULL, NULL, NULL},
    {AP_SOURCE_DIR "/layouts/phu-luc.xml", NULL, NULL, "table=landscape"},
};

//
// 'LLVMFuzzerTestOneInput()' - Check one data file against one edition.
//

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1)
    return 0;
  const edition_t *e = &editions[data[0] % (sizeof(editions) / sizeof(editions[0]))]; // Which edition
  const char *sets[1] = {e->set};                                                      // Its --set, if any
  ap_options_t options = {.layout = e->layout,
                          .data = ap_fuzz_write("data.xml", data + 1, size - 1),
                          .handout = data[0] >= 128 ? 3 : 0, // Half the time as a handout
                          .deck = e->deck,
                          .slide_page = e->slide_page,
                          .sets = sets,
                          .nsets = e->set ? 1 : 0};
  ap_diags_t diags = {0}; // What was wrong

  ap_status_t status = ap_run(&options, &diags);
  if ((status == AP_OK) != (diags.errors == 0) || status == AP_INTERNAL) // Bad input always says why
    abort();
  ap_diags_clear(&diags);
  return 0;
}
