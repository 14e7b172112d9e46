// The pipeline driver: the only file that includes every stage. Each stage
// boundary is checked for errors; outputs go through a temporary file.
#include "anpham.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bind/bind.h"
#include "layout/layout.h"
#include "render/render.h"

static bool check_images(const ap_node_t *node, ap_diags_t *diags);
static bool fail_create(ap_diags_t *diags, const char *path, int error);
static void keep_file_names(ap_diags_t *diags, const ap_options_t *options, const char *tmp);
static bool set_param(ap_layout_t *layout, const char *set, ap_diags_t *diags);
static bool only_deck(ap_doc_t *doc, const char *name, const char *page, ap_arena_t *arena, ap_diags_t *diags);
static bool write_page(void *ctx, const ap_page_t *page, int count);
static bool write_dump(const ap_pages_t *pages, const char *path, char **tmp, ap_diags_t *diags);
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
  for (int i = 0; ok && i < options->nsets; i++)
    ok = set_param(&layout, options->sets[i], diags);
  if (ok && options->data)
    ok = ap_source_load(&data, options->data, diags);
  if (ok)
    ok = ap_bind(&layout, options->data ? &data : NULL, arena, diags);
  if (ok)
    layout.doc->handout = options->handout;
  if (ok && options->deck)
    ok = only_deck(layout.doc, options->deck, options->slide_page, arena, diags);
  ap_source_free(&data);
  ap_layout_free(&layout);

  // Images must exist before layout (render would find out too late to name the layout line)...
  for (const ap_master_t *m = ok ? layout.doc->masters : NULL; m && ok; m = m->next)
    ok = check_images(m->header, diags) && check_images(m->footer, diags);
  if (ok)
    ok = check_images(layout.doc->body, diags);

  // Lay out and write. A dump (or a check) keeps every page; a PDF alone is
  // written page by page as the layout gives them, each page freed once
  // written, so that memory does not grow with the pages written. Outputs
  // go to temporary files, moved into place only when both are complete...
  char *dump_tmp = NULL, *pdf_tmp = NULL;
  bool stream = ok && options->output && !options->dump;
  if (ok && !stream)
    ok = (pages = ap_layout_document(layout.doc, fonts, arena, diags)) != NULL;
  if (ok && options->dump)
    ok = write_dump(pages, options->dump, &dump_tmp, diags);
  if (ok && options->output) {
    int fd;
    if (!(pdf_tmp = temp_name(options->output, &fd))) {
      ok = fail_create(diags, options->output, errno);
    } else {
      close(fd);
      ap_render_options_t ro = {.compress = true};
      if (stream) {
        ap_pages_t info = {.title = layout.doc->title, .author = layout.doc->author, .subject = layout.doc->subject,
                           .keywords = layout.doc->keywords, .creator = layout.doc->creator};
        ap_writer_t *w = ap_render_begin(&info, pdf_tmp, &ro, diags);
        ok = w && ap_layout_run(layout.doc, fonts, arena, diags, /*keep_all*/ false, write_page, w);
        ok = w && (ok ? ap_render_end(w) : (ap_render_abort(w), false));
      } else {
        ok = ap_render_pdf(pages, pdf_tmp, &ro, diags);
      }
      keep_file_names(diags, options, pdf_tmp);
    }
  }
  if (ok && pdf_tmp && rename(pdf_tmp, options->output) != 0)
    ok = fail_create(diags, options->output, errno);
  if (ok && dump_tmp && rename(dump_tmp, options->dump) != 0)
    ok = fail_create(diags, options->dump, errno);
  if (!ok) {
    if (pdf_tmp)
      unlink(pdf_tmp);
    if (dump_tmp)
      unlink(dump_tmp);
    if (diags->errors == 0)
      status = AP_INTERNAL;
  }
  free(pdf_tmp);
  free(dump_tmp);
  if (ok)
    status = AP_OK;

  // Diagnostics outlive the arena: keep the file names they point to...

  ap_fontset_destroy(fonts);
  ap_arena_destroy(arena);
  return status;
}

// Every image of a block tree must be a readable PNG or JPEG file (its place is the <image> element).
static bool
check_images(const ap_node_t *node, ap_diags_t *diags)
{
  if (!node)
    return true;
  if (node->kind == AP_NODE_IMAGE) {
    FILE *fp = node->text ? fopen(node->text, "rb") : NULL;
    unsigned char magic[4] = {0}; // First bytes: PNG \x89PNG, JPEG \xFF\xD8\xFF
    if (!fp)
      return ap_fail(diags, node->loc, "cannot read the image file '%s': expected a PNG or JPEG file "
                     "(src= is relative to the layout file)", node->text ? node->text : "");
    size_t n = fread(magic, 1, sizeof(magic), fp);
    fclose(fp);
    if (n < 3 || (memcmp(magic, "\x89PNG", 4) && memcmp(magic, "\xFF\xD8\xFF", 3)))
      return ap_fail(diags, node->loc, "image file '%s' is neither PNG nor JPEG: expected a PNG or JPEG file",
                     node->text);
  }
  for (const ap_node_t *c = node->children; c; c = c->next)
    if (!check_images(c, diags))
      return false;
  return true;
}

// Record why an output file cannot be created; returns false.
static bool
fail_create(ap_diags_t *diags, const char *path, int error)
{
  if (error == ENOENT)
    return ap_fail(diags, ap_loc_file(path), "cannot create the file: its folder does not exist");
  if (error == EACCES || error == EROFS || error == EPERM)
    return ap_fail(diags, ap_loc_file(path), "cannot create the file: its folder is not writable");
  return ap_fail(diags, ap_loc_file(path), "cannot create the file: %s", strerror(error));
}

// Render reports errors on the temporary file it writes: name the output instead.
static void
keep_file_names(ap_diags_t *diags, const ap_options_t *options, const char *tmp)
{
  for (ap_diag_t *d = diags->first; d; d = d->next)
    if (d->loc.file && tmp && !strcmp(d->loc.file, tmp)) {
      free((char *)d->loc.file);
      d->loc.file = strdup(options->output);
    }
}

// --deck NAME [--slide-page PAGE]: the document becomes that deck's slides
// alone (for projection), in their own page template or in PAGE.
static bool
only_deck(ap_doc_t *doc, const char *name, const char *page, ap_arena_t *arena, ap_diags_t *diags)
{
  const ap_deck_t *deck = ap_doc_find_deck(doc, name);
  if (!deck)
    return ap_fail(diags, doc->body->loc, "--deck %s: the layout declares no deck of that name", name);
  ap_spec_t *spec = AP_NEW(arena, ap_spec_t);
  for (const ap_master_t *m = doc->masters; page && m && !spec->master; m = m->next)
    if (!strcmp(m->name, page))
      spec->master = m;
  if (page && !spec->master)
    return ap_fail(diags, doc->body->loc, "--slide-page %s: the layout declares no page template of that name", page);
  ap_node_t *slides = ap_node_new(arena, AP_NODE_SLIDES, doc->body->loc);
  spec->deck = deck->name;
  slides->spec = spec;
  doc->body = ap_node_new(arena, AP_NODE_COLUMN, doc->body->loc);
  ap_node_append(doc->body, slides);
  return true;
}

// --set NAME=VALUE: give a declared <param> another value.
static bool
set_param(ap_layout_t *layout, const char *set, ap_diags_t *diags)
{
  const char *eq = strchr(set, '=');
  for (int i = 0; eq && i < layout->nparams; i++)
    if (strlen(layout->params[i][0]) == (size_t)(eq - set) && !strncmp(layout->params[i][0], set, (size_t)(eq - set))) {
      layout->params[i][1] = eq + 1;
      return true;
    }
  return ap_fail(diags, ap_loc_file(layout->src.path), "--set %s: the layout declares no <param name=\"%.*s\">", set,
                 eq ? (int)(eq - set) : (int)strlen(set), set);
}

// Hand a laid-out page to the PDF writer (the layout frees it afterwards).
static bool
write_page(void *ctx, const ap_page_t *page, int count)
{
  (void)count;
  return ap_render_page(ctx, page);
}

// A unique temporary file next to path (same folder, so rename is atomic);
// NULL with errno set when the folder does not take it.
static char *
temp_name(const char *path, int *fd)
{
  size_t n = strlen(path) + 16;
  char *tmp = malloc(n);
  if (!tmp)
    return NULL;
  snprintf(tmp, n, "%s.tmp-XXXXXX", path);
  if ((*fd = mkstemp(tmp)) < 0) {
    int error = errno;
    free(tmp);
    errno = error;
    return NULL;
  }

  // mkstemp makes the file private (0600): give it the mode any new file gets...
  mode_t mask = umask(0);
  umask(mask);
  fchmod(*fd, 0666 & ~mask);
  return tmp;
}

// Write the layout dump into a temporary file next to path (*tmp, to rename).
static bool
write_dump(const ap_pages_t *pages, const char *path, char **tmp, ap_diags_t *diags)
{
  int fd;
  FILE *fp = (*tmp = temp_name(path, &fd)) ? fdopen(fd, "w") : NULL;
  if (!fp) {
    int error = errno;
    if (*tmp) {
      close(fd);
      unlink(*tmp);
      free(*tmp);
      *tmp = NULL;
    }
    return fail_create(diags, path, error);
  }
  ap_pages_dump(pages, fp);
  if (fclose(fp) != 0)
    return fail_create(diags, path, errno);
  return true;
}
