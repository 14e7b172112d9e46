// The pipeline driver: the only file that includes every stage. Each stage
// boundary is checked for errors; outputs go through a temporary file.
#include "anpham.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bind/bind.h"
#include "layout/layout.h"
#include "render/render.h"

static bool write_dump(const ap_pages_t *pages, const char *path, ap_diags_t *diags);
static char *temp_name(const char *path, int *fd);

//
// 'ap_run()' - Parse, bind, lay out, render.
//

ap_status_t
ap_run(const ap_options_t *options, ap_diags_t *diags)
{
  ap_arena_t *arena = ap_arena_create();
  ap_fontset_t *fonts = ap_fontset_create();
  ap_layout_t layout;
  ap_source_t data = {0};
  ap_status_t status = AP_BAD_INPUT;
  ap_pages_t *pages = NULL;

  if (!arena || !fonts)
    return AP_INTERNAL;

  // Parse and bind, then free the XML...
  bool ok = ap_layout_parse(&layout, options->layout, arena, diags);
  if (ok && options->data)
    ok = ap_source_load(&data, options->data, diags);
  if (ok)
    ok = ap_bind(&layout, options->data ? &data : NULL, arena, diags);
  ap_source_free(&data);
  ap_layout_free(&layout);

  // Lay out (a check lays out too: it finds missing fonts and glyphs)...
  if (ok)
    ok = (pages = ap_layout_document(layout.doc, fonts, arena, diags)) != NULL;

  // Write the outputs through temporary files...
  if (ok && options->dump)
    ok = write_dump(pages, options->dump, diags);
  if (ok && options->output) {
    int fd;
    char *tmp = temp_name(options->output, &fd);
    if (!tmp) {
      ap_fail(diags, ap_loc_file(options->output), "cannot create a file next to it");
      ok = false;
    } else {
      close(fd);
      ap_render_options_t ro = {.compress = true};
      ok = ap_render_pdf(pages, tmp, &ro, diags);
      if (ok && rename(tmp, options->output) != 0)
        ok = ap_fail(diags, ap_loc_file(options->output), "cannot write the file");
      if (!ok) {
        unlink(tmp);
        if (diags->errors == 0)
          status = AP_INTERNAL;
      }
      free(tmp);
    }
  }
  if (ok)
    status = AP_OK;

  ap_fontset_destroy(fonts);
  ap_arena_destroy(arena);
  return status;
}

// A unique temporary file next to path (same folder, so rename is atomic).
static char *
temp_name(const char *path, int *fd)
{
  size_t n = strlen(path) + 16;
  char *tmp = malloc(n);
  snprintf(tmp, n, "%s.tmp-XXXXXX", path);
  if ((*fd = mkstemp(tmp)) < 0) {
    free(tmp);
    return NULL;
  }
  return tmp;
}

// Write the layout dump through a temporary file.
static bool
write_dump(const ap_pages_t *pages, const char *path, ap_diags_t *diags)
{
  int fd;
  char *tmp = temp_name(path, &fd);
  FILE *fp = tmp ? fdopen(fd, "w") : NULL;
  if (!fp) {
    free(tmp);
    return ap_fail(diags, ap_loc_file(path), "cannot create a file next to it");
  }
  ap_pages_dump(pages, fp);
  bool ok = fclose(fp) == 0 && rename(tmp, path) == 0;
  if (!ok)
    unlink(tmp);
  free(tmp);
  return ok || ap_fail(diags, ap_loc_file(path), "cannot write the file");
}
