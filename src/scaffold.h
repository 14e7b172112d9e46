// anpham new: a layout and data pair to start a document from, copied from
// the ready layouts (layouts/van-ban/, layouts/handout.xml) and their
// example data (data/examples/, data/2024/).
#ifndef AP_SCAFFOLD_H
#define AP_SCAFFOLD_H

#include <stdbool.h>

#include "base/diag.h"

#define AP_SCAFFOLD_FILES 3 // Files a scaffold writes at most

// What `anpham new KIND DIR` writes.
typedef struct ap_scaffold_s {
  const char *kind;                      // The kind's file stem ("thong-bao")
  const char *form;                      // "hd36", "nd30", NULL for the handout
  char *written[AP_SCAFFOLD_FILES];      // Paths written (DIR/…), NULL after the last
  char *layout, *data;                   // The layout and data among them
} ap_scaffold_t;

// The kinds, for messages and completion: "báo-cáo|thông-báo|kế-hoạch|công-văn|handout".
extern const char ap_scaffold_kinds[];

// The stem of a kind as typed (with or without Vietnamese marks, NFC or
// not: "thông-báo", "thong-bao"), NULL for none.
const char *ap_scaffold_kind(const char *typed);

// Write the kind's layout, its base and its data into DIR (made if
// missing), in FORM (NULL: hd36; ignored by the handout). Nothing is
// overwritten: when one file exists, nothing is written.
bool ap_scaffold_write(const char *kind, const char *form, const char *dir, ap_scaffold_t *out, ap_diags_t *diags);

// Free what ap_scaffold_write() filled in.
void ap_scaffold_free(ap_scaffold_t *s);

#endif
