// The pipeline driver: the only file that includes every stage. Each stage
// boundary is checked for errors; outputs go through a temporary file.
#include "anpham.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/files.h"
#include "base/hash.h"
#include "base/installed.h"
#include "base/path.h"
#include "bind/bind.h"
#include "check/form.h"
#include "layout/layout.h"
#include "layout/text/text.h"
#include "embed.h"
#include "font/lookup.h"
#include "output.h"
#include "render/render.h"

typedef struct run_s {
  const ap_options_t *options; // What was asked
  ap_diags_t *diags;           // Where errors go
  ap_files_t *files;           // Folders files are read from; every input read
  ap_output_t pdf, dump;       // The outputs (pdf.path / dump.path NULL when not asked)
  bool misused;                // An output names an input or the other output (AP_USAGE)
  ap_images_t *images;         // Images read and checked, for render
  ap_arena_t *arena;           // The document's memory
  ap_fontset_t *fonts;         // Every face the job loaded
  ap_layout_t *layout;         // The parsed layout, in the arena (its XML freed once bound), or NULL
  bool keep_layout;            // Its XML is kept after binding (a job on a prepared layout: ap_run_kept)
  ap_diags_t unused;           // A kept layout's warnings of definitions it never uses (found once)
  bool unused_found;           // They were looked for
  ap_result_t *result;         // Where the facts of the outputs go, or NULL
  ap_writer_t *writer;         // The PDF being made (from the first page rendered)
  FILE *dump_fp;               // The dump being made (from the first page dumped)
  char *dump_text;             // Its text (open_memstream)
  size_t dump_size;            // Its size
  unsigned char *pdf_bytes;    // The PDF, finished in memory (end_pdf), until written (malloc'ed)
  size_t pdf_size;             // Its size
  bool pdf_streamed;           // Instead, the writer is kept finalized and saves as it writes (write_pdf)
} run_t;

// A layout parsed once for several jobs (anpham batch): a run stopped
// before its job's own files.
struct ap_prepared_s {
  run_t run; // The run so far
};

static bool check_fonts(run_t *run, ap_doc_t *doc);
static void warn_unused(run_t *run, ap_diags_t *diags);
static bool find_named_fonts(run_t *run, ap_doc_t *doc);
static bool check_images(run_t *run, const ap_node_t *node);
static ap_status_t check_outputs(run_t *run);
static bool add_builtin_params(ap_layout_t *layout, ap_diags_t *diags);
static ap_status_t finish(run_t *run);
static bool only_deck(ap_doc_t *doc, const char *name, const char *page, ap_arena_t *arena, ap_diags_t *diags);
static ap_status_t open_job(run_t *run);
static ap_status_t open_layout(run_t *run);
static bool preload_fonts(run_t *run);
static void run_free(run_t *run);
static bool run_init(run_t *run, const ap_options_t *options, ap_diags_t *diags);
static bool set_param(ap_layout_t *layout, const char *set, ap_diags_t *diags);
static bool dump_pages(run_t *run, const ap_pages_t *pages);
static bool render_pages(run_t *run, const ap_doc_t *doc, const ap_pages_t *pages);
static bool archive_settings(run_t *run, const ap_doc_t *doc, ap_render_archive_t *archive);
static bool set_copy(ap_layout_t *layout, int copy, int copies, ap_arena_t *arena, ap_diags_t *diags);
static bool write_dump(run_t *run);
static bool write_page(void *ctx, const ap_page_t *page, int count);
static void retire_page(void *ctx, ap_arena_t *arena);
static bool end_pdf(run_t *run);
static bool write_pdf(run_t *run);
static bool save_pdf(void *ctx, int fd);
static bool put_fd(void *ctx, const void *bytes, size_t size);

//
// 'ap_run()' - Parse, bind, lay out, render.
//

ap_status_t
ap_run(const ap_options_t *options, ap_diags_t *diags)
{
  return ap_run_result(options, diags, NULL);
}

//
// 'ap_run_result()' - ap_run, and the facts of what was written.
//

ap_status_t
ap_run_result(const ap_options_t *options, ap_diags_t *diags, ap_result_t *result)
{
  run_t run;
  ap_status_t status;

  if (!run_init(&run, options, diags))
    status = AP_INTERNAL;
  else if ((status = open_layout(&run)) == AP_OK && (status = open_job(&run)) == AP_OK) {
    run.result = result;
    status = (run.layout = ap_layout_parse(options->layout, run.files, run.arena, diags)) ? finish(&run) : AP_BAD_INPUT;
  }
  run_free(&run);
  return status;
}

//
// 'ap_prepare()' - Parse and validate a layout, and load its fonts, once for many jobs.
//

ap_prepared_t *
ap_prepare(const ap_options_t *options, ap_diags_t *diags, ap_status_t *status)
{
  ap_prepared_t *p = calloc(1, sizeof(*p));

  if (!p || !run_init(&p->run, options, diags)) {
    *status = AP_INTERNAL;
    if (p)
      run_free(&p->run);
    free(p);
    return NULL;
  }
  ap_source_keep_bases(); // The jobs' data files may share their bases
  if ((*status = open_layout(&p->run)) == AP_OK &&
      !((p->run.layout = ap_layout_parse(options->layout, p->run.files, p->run.arena, diags)) &&
        check_fonts(&p->run, ap_layout_doc(p->run.layout)) && preload_fonts(&p->run)))
    *status = diags->errors ? AP_BAD_INPUT : AP_INTERNAL;
  if (*status != AP_OK) {
    ap_prepared_free(p);
    return NULL;
  }
  return p;
}

//
// 'ap_run_prepared()' - Run one job on a prepared layout (which it uses up).
//

ap_status_t
ap_run_prepared(ap_prepared_t *prepared, const ap_options_t *options, ap_diags_t *diags, ap_result_t *result)
{
  run_t *run = &prepared->run;
  ap_status_t status;

  run->options = options;
  run->diags = diags;
  run->result = result;
  if ((status = open_job(run)) == AP_OK)
    status = finish(run);
  return status;
}

//
// 'ap_run_kept()' - Run one job on a prepared layout, which it leaves as it was.
//
// What the job changes is undone when it ends: the layout's parameters
// (--set, $copy…) have their values of before, the folders and inputs the
// job added are forgotten but for the fonts it loaded (they stay loaded,
// for every job after it), its images were a set of its own, its memory in
// the run's arena is given back, and the layout's XML is kept. The next
// job finds the layout as ap_prepare left it.
//

ap_status_t
ap_run_kept(ap_prepared_t *prepared, const ap_options_t *options, ap_diags_t *diags, ap_result_t *result)
{
  run_t *run = &prepared->run;
  ap_layout_params_t params;
  ap_files_mark_t files = ap_files_mark(run->files);
  ap_arena_mark_t memory = ap_arena_mark(run->arena);
  ap_images_t *images = run->images;
  ap_status_t status;

  if (!(run->images = ap_images_create())) {
    run->images = images;
    return AP_INTERNAL;
  }
  ap_layout_params_save(run->layout, &params);
  run->options = options;
  run->diags = diags;
  run->result = result;
  run->keep_layout = true;
  run->misused = false;
  run->pdf = run->dump = (ap_output_t){0};
  if ((status = open_job(run)) == AP_OK)
    status = finish(run);
  run->keep_layout = false;
  ap_layout_params_restore(run->layout, &params);
  ap_files_forget_since(run->files, files);
  ap_images_destroy(run->images);
  run->images = images;
  ap_arena_reset(run->arena, memory);
  run->options = NULL;
  run->diags = NULL;
  run->result = NULL;
  return status;
}

//
// 'ap_prepared_input()' - A file a prepared layout read.
//

const char *
ap_prepared_input(const ap_prepared_t *prepared, int i)
{
  return ap_files_input_path(prepared->run.files, i);
}

//
// 'ap_prepared_free()' - Free a prepared layout.
//

void
ap_prepared_free(ap_prepared_t *prepared)
{
  if (!prepared)
    return;
  run_free(&prepared->run);
  free(prepared);
}

//
// 'ap_par_cache_open()' - A cache of set paragraphs for the runs of a process.
//

struct ap_par_cache_s *
ap_par_cache_open(size_t budget)
{
  return ap_par_cache_create(budget);
}

//
// 'ap_par_cache_close()' - Free a cache of set paragraphs (NULL is fine).
//

void
ap_par_cache_close(struct ap_par_cache_s *cache)
{
  ap_par_cache_destroy(cache);
}

//
// 'ap_render_cache_open()' - Deflated streams shared by the processes forked after it.
//

struct ap_render_cache_s *
ap_render_cache_open(size_t bytes)
{
  return ap_render_cache_create(bytes);
}

//
// 'ap_render_cache_close()' - Unmap a cache of deflated streams (NULL is fine).
//

void
ap_render_cache_close(struct ap_render_cache_s *cache)
{
  ap_render_cache_destroy(cache);
}

//
// 'ap_result_free()' - Free what a run put into a result.
//

void
ap_result_free(ap_result_t *result)
{
  for (int i = 0; i < result->ninputs; i++)
    free(result->inputs[i]);
  free(result->inputs);
  result->inputs = NULL;
  result->ninputs = 0;
}

// The job's own part of a run, once the layout is parsed: --set values,
// the data, bind, images, layout, and the outputs. With --copies-in-one the
// layout is bound and laid out once per copy ($copy = 001, 002…), every
// copy's pages going into the one PDF (and the one dump).
static ap_status_t
finish(run_t *run)
{
  const ap_options_t *options = run->options;
  ap_diags_t *diags = run->diags;
  ap_layout_t *layout = run->layout;
  ap_doc_t *doc = ap_layout_doc(layout); // Its document, which binding fills
  ap_source_t *data = NULL;              // The data file, when there is one
  int copies = options->copies_in_one;
  ap_loc_t form_loc = ap_layout_form_loc(layout); // check --form: where the built-in definitions are chosen

  // The --set values and the data...
  ap_fontset_confine(run->fonts, run->files);
  bool ok = add_builtin_params(layout, diags);
  for (int i = 0; ok && i < options->nsets; i++)
    ok = set_param(layout, options->sets[i], diags);
  doc->rendering = options->output || options->dump;
  if (ok)
    warn_unused(run, diags); // Parameters and styles never used (warnings)
  if (ok)
    ok = check_fonts(run, doc);
  if (ok && options->data)
    ok = (data = ap_source_open(options->data, run->files, diags)) != NULL;

  for (int copy = copies ? 1 : 0; ok && copy <= copies; copy++) {
    ap_pages_t *pages = NULL;

    // Bind (for a copy, with its number); after the last binding free the
    // XML, unless tables bind their rows as layout reaches them...
    if (copy)
      ok = set_copy(layout, copy, copies, run->arena, diags);
    doc->decks = NULL; // Each binding declares the decks again
    // A field missing is check --form's to report, not an error; a check of
    // the layout alone (no --data) cannot judge the data's fields at all...
    doc->form_facts.lenient = options->form != NULL || (!doc->rendering && !options->data);
    if (ok)
      ok = ap_bind(layout, data, run->arena, diags);
    if (ok)
      doc->handout = options->handout;
    doc->untagged = options->no_tags;
    if (ok && options->deck)
      ok = only_deck(doc, options->deck, options->slide_page, run->arena, diags);
    if (copy == copies && !doc->binder) {
      ap_source_close(data);
      data = NULL;
      if (!run->keep_layout)
        ap_layout_free(layout);
    }

    // Images must be read and checked before layout (render would find out too late to name the layout line)...
    for (const ap_master_t *m = ok ? doc->masters : NULL; m && ok; m = m->next)
      ok = check_images(run, m->header) && check_images(run, m->footer);
    if (ok)
      ok = check_images(run, doc->body);

    // Lay out. A dump (or a check) keeps every page; a PDF alone is made page
    // by page as the layout gives them, each page freed once painted, so
    // that layout memory does not grow with the pages written...
    bool stream = ok && options->output && !options->dump && !options->impose && !options->crop_marks && !copies;
    if (ok && !stream)
      ok = (pages = ap_layout_document(doc, run->fonts, run->arena, diags, options->par_cache)) != NULL;
    // Print production: sheets of pages (in an order that needs them all), crop marks...
    if (ok && options->impose)
      ok = (pages = ap_pages_impose(pages, options->impose, run->arena, diags)) != NULL;
    if (ok && options->crop_marks)
      ap_pages_crop_marks(pages, run->arena);
    if (ok && pages && run->result)
      run->result->pages += pages->count;
    // check --form: the document against the form, each deviation an error that stops nothing...
    if (ok && options->form && ap_check_form(doc, options->form, form_loc, diags))
      ok = false;

    // The pages go to the outputs, which are made whole in memory...
    if (ok && options->dump)
      ok = dump_pages(run, pages);
    if (ok && options->output)
      ok = render_pages(run, doc, pages);
    ap_bind_release(doc); // Laid out: the rows are all bound
  }
  ap_bind_release(doc);
  ap_source_close(data);
  if (!run->keep_layout)
    ap_layout_free(layout);

  // ...the PDF finished (it may warn too); with --strict a warning fails
  // the run now, before anything is written...
  if (ok && options->output)
    ok = end_pdf(run);
  if (ok && options->strict && diags->warnings > 0) {
    ap_diags_promote(diags);
    ok = false;
  }

  // ...checked against every input the run read (fonts and images too), and only then written...
  if (ok && options->dump)
    ok = write_dump(run);
  if (ok && options->output)
    ok = write_pdf(run);
  free(run->pdf_bytes);
  run->pdf_bytes = NULL;
  if (run->writer && !ok)
    ap_render_abort(run->writer);
  run->writer = NULL;

  // What the run read, for a batch's manifest...
  if (ok && run->result) {
    int n = ap_files_input_count(run->files);
    run->result->inputs = calloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; run->result->inputs && i < n; i++)
      if ((run->result->inputs[run->result->ninputs] = strdup(ap_files_input_path(run->files, i))))
        run->result->ninputs++;
  }
  return ok ? AP_OK : run->misused ? AP_USAGE : diags->errors ? AP_BAD_INPUT : AP_INTERNAL;
}

// Warn of the parameters and styles the layout never uses: they depend on
// the layout alone, so a layout kept for many jobs (ap_run_kept) looks for
// them once and warns every job of them again.
static void
warn_unused(run_t *run, ap_diags_t *diags)
{
  if (!run->keep_layout) {
    ap_layout_warn_unused(run->layout, diags);
    return;
  }
  if (!run->unused_found) {
    ap_layout_warn_unused(run->layout, &run->unused);
    run->unused_found = true;
  }
  for (const ap_diag_t *d = run->unused.first; d; d = d->next) {
    ap_warn(diags, d->loc, "%s", d->message);
    if (d->hint && !diags->dropped)
      ap_diag_hint(diags, "%s", d->hint);
  }
}

// $copy and $copies of one copy of --copies-in-one ("007", as wide as the
// count and 3 digits at least; the count).
static bool
set_copy(ap_layout_t *layout, int copy, int copies, ap_arena_t *arena, ap_diags_t *diags)
{
  return set_param(layout, ap_arena_printf(arena, "copy=%0*d", ap_copy_width(copies) & 15, copy), diags) &&
         set_param(layout, ap_arena_printf(arena, "copies=%d", copies), diags);
}

// Every face of every family loaded now (anpham batch: once for all jobs).
static bool
preload_fonts(run_t *run)
{
  ap_fontset_confine(run->fonts, run->files);
  for (const ap_family_t *f = ap_layout_doc(run->layout)->families; f; f = f->next)
    for (int i = 0; i < 4; i++)
      if (f->files[i] && !ap_fontset_load(run->fonts, f->files[i], run->diags, f->file_locs[i]))
        return false;
  return true;
}

// Free a run's memory.
static void
run_free(run_t *run)
{
  if (run->writer)
    ap_render_abort(run->writer);
  if (run->dump_fp)
    fclose(run->dump_fp);
  free(run->dump_text);
  free(run->pdf_bytes);
  ap_layout_free(run->layout);
  ap_diags_clear(&run->unused);
  ap_images_destroy(run->images);
  ap_files_destroy(run->files);
  ap_fontset_destroy(run->fonts);
  ap_arena_destroy(run->arena);
  memset(run, 0, sizeof(*run));
}

// Set up an empty run; false when out of memory.
static bool
run_init(run_t *run, const ap_options_t *options, ap_diags_t *diags)
{
  *run = (run_t){.options = options, .diags = diags, .files = ap_files_create(), .images = ap_images_create(),
                 .arena = ap_arena_create(), .fonts = ap_fontset_create()};
  return run->files && run->images && run->arena && run->fonts;
}

// $copy and $copies, the numbered copy ("001"…) and their count, are
// parameters every layout has: empty unless the run prints numbered copies
// (--copies N), so `<if test="$copies != ''">` prints "Bản số …" only then.
static bool
add_builtin_params(ap_layout_t *layout, ap_diags_t *diags)
{
  static const char *const names[] = {"copy", "copies"};
  for (int k = 0; k < 2; k++)
    if (!ap_layout_add_param(layout, names[k]))
      return ap_fail(diags, ap_loc_file(ap_layout_path(layout)),
                     "too many parameters (%d at most, with $copy and $copies)", AP_LAYOUT_MAX_PARAMS);
  return true;
}

// Every face of every family is a readable font file inside the allowed
// folders (not opened yet: its place is the attribute that names it), once
// the families named by font= have their faces.
static bool
check_fonts(run_t *run, ap_doc_t *doc)
{
  if (!find_named_fonts(run, doc))
    return false;
  for (const ap_family_t *f = doc->families; f; f = f->next)
    for (int i = 0; i < 4; i++)
      if (f->files[i] && !ap_files_check(run->files, f->files[i], AP_FILE_FONT, run->diags, f->file_locs[i],
                                         "(font files are named relative to fonts= on <layout>)"))
        return false;
  return true;
}

// Every <family font="NAME">: the faces its files do not give, found by
// that name (font/lookup.h) in the --font-path folders, those of
// ANPHAM_FONT_PATH (colon-separated), the layout's fonts= folder, then the
// system's fonts; the folder of each face found is allowed, for fonts only.
// A family is looked up once (a batch's prepared layout serves every job).
static bool
find_named_fonts(run_t *run, ap_doc_t *doc)
{
  const ap_options_t *o = run->options;
  const char **dirs = NULL;
  int ndirs = 0;

  for (ap_family_t *f = doc->families; f; f = f->next) {
    if (!f->font || f->font_found)
      continue;
    // The folders, in order (once a run)...
    if (!dirs) {
      const char *env = getenv("ANPHAM_FONT_PATH");
      size_t most = (size_t)o->nfont_paths + 2 + (env ? strlen(env) : 0);
      dirs = AP_NEW_N(run->arena, const char *, most);
      for (int i = 0; i < o->nfont_paths; i++)
        dirs[ndirs++] = o->font_paths[i];
      for (const char *p = env ? env : ""; *p; p += *p == ':') {
        size_t len = strcspn(p, ":");
        if (len)
          dirs[ndirs++] = ap_arena_printf(run->arena, "%.*s", (int)len, p);
        p += len;
      }
      dirs[ndirs++] = doc->fonts_dir;
    }

    // ...searched for the family; found faces fill what regular= & co. left out...
    const char *found[4];
    if (!ap_font_lookup(f->font, dirs, ndirs, run->arena, found, run->diags, f->font_loc))
      return false;
    for (int k = 0; k < 4; k++) {
      if (f->files[k] || !found[k])
        continue;
      f->files[k] = found[k];
      f->file_locs[k] = f->font_loc;
      if (!ap_files_allow_kind(run->files, ap_path_dir(run->arena, found[k]), AP_FILE_FONT))
        return ap_fail(run->diags, f->font_loc, "cannot read the folder of the font file '%s': %s", found[k],
                       strerror(errno));
    }
    f->font_found = true;
  }
  return true;
}

// Every image of a block tree is read (inside the allowed folders) and
// must be a PNG or JPEG file; its place is the <image> element.
static bool
check_images(run_t *run, const ap_node_t *node)
{
  if (!node)
    return true;
  // An archive is accessible (PDF/UA): every image says what it shows...
  if (node->kind == AP_NODE_IMAGE && run->options->pdfa && !run->options->no_tags && !node->alt)
    return ap_fail(run->diags, node->loc,
                   "<image src=\"%s\"> has no alt=: a --pdfa archive (PDF/UA) gives every image its "
                   "alternative text; expected alt=\"what the image shows\" (alt=\"\" for decoration)",
                   node->text ? node->text : "");
  if (node->kind == AP_NODE_IMAGE && !ap_images_find(run->images, node->text)) {
    char *bytes;
    size_t size;
    if (!ap_files_read(run->files, node->text ? node->text : "", AP_FILE_IMAGE, &bytes, &size, run->diags,
                       node->loc, "(src= is relative to the layout file)"))
      return false;
    ap_image_limits_t limits = {.max_pixels = run->options->max_image_pixels};
    if (!ap_images_add(run->images, node->text, (unsigned char *)bytes, size, &limits, run->diags, node->loc))
      return false; // Decoded (PNG) or read through (JPEG) in full; bytes now belong to the set
    const ap_image_t *image = ap_images_find(run->images, node->text);
    if (run->options->pdfa && image && image->color == AP_IMAGE_CMYK)
      return ap_fail(run->diags, node->loc,
                     "image '%s' is a CMYK JPEG: a --pdfa archive paints in sRGB (its output intent); "
                     "expected an RGB or gray image", node->text);
  }
  for (const ap_node_t *c = node->children; c; c = c->next)
    if (!check_images(run, c))
      return false;
  return true;
}

// No output may name an input of the run (compared by device and inode)
// or the other output: AP_USAGE with one error naming both, else AP_OK.
static ap_status_t
check_outputs(run_t *run)
{
  const ap_output_t *outs[2] = {run->pdf.path ? &run->pdf : NULL, run->dump.path ? &run->dump : NULL};
  const char *flags[2] = {"-o", "--dump"};

  if (outs[0] && outs[1] && ap_output_same(outs[0], outs[1])) {
    ap_fail(run->diags, ap_loc_file(outs[1]->path), "-o and --dump name the same file: give each its own file");
    run->misused = true;
    return AP_USAGE;
  }
  for (int i = 0; i < 2; i++) {
    const char *input;
    if (!outs[i] || !outs[i]->exists || outs[i]->kind == AP_OUTPUT_STDOUT)
      continue;
    if (outs[i]->kind == AP_OUTPUT_THROUGH)
      continue; // A device is not an input (/dev/null as -o and as an image are both fine)
    if ((input = ap_files_find_input(run->files, outs[i]->dev, outs[i]->ino))) {
      ap_fail(run->diags, ap_loc_file(outs[i]->path),
              "%s names '%s', an input of this run: an input is never overwritten; choose another file",
              flags[i], input);
      run->misused = true;
      return AP_USAGE;
    }
  }
  return AP_OK;
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
  if (eq && ap_layout_set_param(layout, set, (size_t)(eq - set), eq + 1))
    return true;
  return ap_fail(diags, ap_loc_file(ap_layout_path(layout)), "--set %s: the layout declares no <param name=\"%.*s\">",
                 set, eq ? (int)(eq - set) : (int)strlen(set), set);
}

// The PDF writer of a run, page after page.
typedef struct painter_s {
  ap_writer_t *writer;   // Where pages go
  ap_pipeline_t *pipe;   // Painting them on a second thread (NULL: here, at once)
  const ap_fontset_t *fonts; // The run's faces (a page is painted on the thread while all are read-only)
  int pages;             // How many went
} painter_t;

// Hand a laid-out page to the PDF writer (the layout frees it afterwards).
static bool
write_page(void *ctx, const ap_page_t *page, int count)
{
  painter_t *painter = ctx;
  painter->pages++;
  // A document laid out twice (count: its pages, known from the first
  // pass) takes its second pass's paragraphs from the first: too little
  // layout is left to paint beside (the 2024 handout: 5 % slower on two
  // threads). Painted at once, as without a pipeline...
  if (!painter->pipe || count > 0)
    return ap_render_page(painter->writer, page);
  return ap_pipeline_page(painter->pipe, page, ap_fontset_read_only(painter->fonts));
}

// Layout is done with a page's memory: freed once the page is painted.
static void
retire_page(void *ctx, ap_arena_t *arena)
{
  painter_t *painter = ctx;
  if (painter->pipe)
    ap_pipeline_retire(painter->pipe, arena);
  else
    ap_arena_destroy(arena);
}

// The layout's side of a run: the allowed folders (the layout's, anpham's
// fonts, --allow-path) and the layout file itself. AP_USAGE for a bad
// --allow-path, AP_BAD_INPUT when the layout cannot be an input.
static ap_status_t
open_layout(run_t *run)
{
  const ap_options_t *o = run->options;
  ap_diags_t *diags = run->diags;

  if (!ap_files_allow_parent(run->files, o->layout) && errno != ENOENT)
    return AP_INTERNAL;
  ap_files_allow(run->files, ap_installed_fonts_dir());
  for (int i = 0; i < o->nfont_paths; i++) {
    struct stat st;
    if (stat(o->font_paths[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
      ap_fail(diags, ap_loc_file(o->font_paths[i]), "--font-path: %s: expected an existing folder",
              errno == ENOENT ? "there is no such folder" : "not a folder");
      return AP_USAGE;
    }
  }
  for (int i = 0; i < o->nallow; i++)
    if (!ap_files_allow(run->files, o->allow[i])) {
      ap_fail(diags, ap_loc_file(o->allow[i]), "--allow-path: %s: expected an existing folder",
              errno == ENOTDIR ? "not a folder" : errno == ENOENT ? "there is no such folder" : strerror(errno));
      return AP_USAGE;
    }
  return ap_files_check_named(run->files, o->layout, AP_FILE_LAYOUT, diags) ? AP_OK : AP_BAD_INPUT;
}

// The job's side: the data's folder and file, and what the outputs name.
// AP_USAGE when an output cannot be one (a folder, an input, the other
// output), AP_BAD_INPUT when the data cannot be an input.
static ap_status_t
open_job(run_t *run)
{
  const ap_options_t *o = run->options;
  ap_diags_t *diags = run->diags;

  if (o->data && !ap_files_allow_parent(run->files, o->data) && errno != ENOENT)
    return AP_INTERNAL;
  if (o->data && !ap_files_check_named(run->files, o->data, AP_FILE_DATA, diags))
    return AP_BAD_INPUT;
  if (o->output && !o->pdf_sink && !ap_output_open(&run->pdf, o->output)) {
    ap_fail(diags, ap_loc_file(o->output), "-o names a folder: expected a file name (or - for standard output)");
    return AP_USAGE;
  }
  if (o->dump && !ap_output_open(&run->dump, o->dump)) {
    ap_fail(diags, ap_loc_file(o->dump), "--dump names a folder: expected a file name (or - for standard output)");
    return AP_USAGE;
  }
  return check_outputs(run);
}

// Add the pages to the layout dump, kept in memory until write_dump().
static bool
dump_pages(run_t *run, const ap_pages_t *pages)
{
  if (!run->dump_fp && !(run->dump_fp = open_memstream(&run->dump_text, &run->dump_size)))
    return ap_fail(run->diags, ap_loc_file(run->dump.path), "out of memory");
  ap_pages_dump(pages, run->dump_fp);
  return true;
}

// The layout dump, whole, written to its output.
static bool
write_dump(run_t *run)
{
  bool ok = run->dump_fp && fclose(run->dump_fp) == 0;
  run->dump_fp = NULL;
  if (!ok)
    ap_fail(run->diags, ap_loc_file(run->dump.path), "out of memory");
  ok = ok && check_outputs(run) == AP_OK && ap_output_write(&run->dump, run->dump_text, run->dump_size, run->diags);
  free(run->dump_text);
  run->dump_text = NULL;
  return ok;
}

// Render pages into the run's PDF (started on the first call): the kept
// pages, or (pages NULL) page by page as the layout gives them.
static bool
render_pages(run_t *run, const ap_doc_t *doc, const ap_pages_t *pages)
{
  ap_render_options_t ro = {.compress = true, .images = run->images, .no_tags = run->options->no_tags,
                            .render_cache = run->options->render_cache, .one_core = run->options->one_core};
  ap_pages_t info = {.title = doc->title, .author = doc->author, .subject = doc->subject,
                     .keywords = doc->keywords, .creator = doc->creator};
  ap_render_archive_t archive;
  bool ok = true;

  if (!run->writer && run->options->pdfa) {
    if (!archive_settings(run, doc, &archive))
      return false;
    ro.archive = &archive;
  }

  if (!run->writer && !(run->writer = ap_render_begin(pages ? pages : &info, run->options->output, &ro, run->diags)))
    return false;
  if (pages) {
    for (const ap_page_t *page = pages->first; ok && page; page = page->next)
      ok = ap_render_page(run->writer, page);
  } else {
    // ...painted on a second thread while the next pages are laid out,
    // unless the run is to keep to one core (a batch's jobs)...
    painter_t painter = {run->writer, NULL, run->fonts, 0};
    if (!run->options->one_core)
      painter.pipe = ap_pipeline_create(run->writer);
    ok = ap_layout_run(doc, run->fonts, run->arena, run->diags, run->options->par_cache, /*keep_all*/ false,
                       write_page, retire_page, &painter);
    ok = ap_pipeline_end(painter.pipe) && ok;
    if (run->result)
      run->result->pages += painter.pages;
  }
  return ok;
}

// --pdfa: what the archive writes besides the pages (docs/archive.md). Its
// date is SOURCE_DATE_EPOCH when set (the reproducible-builds convention
// for the time of a build), else the data's <info date>, else none: never
// the clock. A malformed SOURCE_DATE_EPOCH is an error, as that convention
// asks.
static bool
archive_settings(run_t *run, const ap_doc_t *doc, ap_render_archive_t *archive)
{
  const char *epoch = getenv("SOURCE_DATE_EPOCH");

  *archive = (ap_render_archive_t){.tagged = !run->options->no_tags, .issuer = doc->issuer, .number = doc->number,
                                   .doc_type = doc->doc_type, .signer = doc->signer,
                                   .signer_position = doc->signer_position};
  archive->issued = doc->date && ap_datetime_parse(doc->date, &archive->issue_date); // (bind checked it)
  if (epoch && *epoch) {
    if (!ap_datetime_parse_epoch(epoch, &archive->date))
      return ap_fail(run->diags, ap_loc_file("SOURCE_DATE_EPOCH"),
                     "SOURCE_DATE_EPOCH=%s: expected the seconds since 1970-01-01 00:00:00 UTC (digits only, "
                     "before the year 10000)", epoch);
    archive->dated = true;
  } else if (archive->issued) {
    archive->date = archive->issue_date;
    archive->dated = true;
  }
  if (!archive->dated && run->options->require_date) // anpham archive: a date from the data or the job, never none
    return ap_fail(run->diags, ap_loc_file(run->options->data ? run->options->data : run->options->layout),
                   "an archive needs its date: expected <info date=\"…\"> from the data, or source-date-epoch= on "
                   "its job in the archive file (never the clock)");
  return true;
}

// The PDF finished in memory (run->pdf_bytes), its source embedded when asked.
// A PDF written alone to a file (no dump, no batch, no archive: nothing
// else reads its bytes) is only finalized here, and saved into the
// temporary file as write_pdf writes it, never whole in memory (a large
// table's peak); the file still replaces the output only once complete.
static bool
end_pdf(run_t *run)
{
  // The source travels with the file (--embed-source, and every archive: embed.c)...
  if (run->options->embed_source || run->options->pdfa)
    ap_embed_source(run->writer, run->options, ap_layout_doc(run->layout), run->files,
                    run->diags); // An error fails the end below
  if (!run->options->dump && !run->result && !run->options->pdf_sink && !run->options->pdfa &&
      run->pdf.kind == AP_OUTPUT_FILE) { // (a device, a FIFO, standard output: written once complete)
    run->pdf_streamed = true;
    return ap_render_finalize(run->writer); // (the writer is kept: write_pdf saves it)
  }
  bool ok = ap_render_end_buffer(run->writer, &run->pdf_bytes, &run->pdf_size);
  run->writer = NULL;
  if (ok && run->result) {
    run->result->bytes = run->pdf_size;
    ok = ap_sha256(run->pdf_bytes, run->pdf_size, run->result->sha256);
  }
  return ok;
}

// The finalized PDF saved into fd as it is made (end_pdf kept the writer): false with errno.
static bool
save_pdf(void *ctx, int fd)
{
  run_t *run = ctx;
  ap_writer_t *w = run->writer;

  run->writer = NULL; // (freed by the end, whatever happens)
  errno = 0;
  return ap_render_end_stream(w, put_fd, &fd);
}

// Bytes of the PDF into the descriptor ctx points at.
static bool
put_fd(void *ctx, const void *bytes, size_t size)
{
  return ap_write_all(*(const int *)ctx, bytes, size);
}

// The finished PDF written to its output.
static bool
write_pdf(run_t *run)
{
  bool ok;

  if (run->pdf_streamed) {
    ok = check_outputs(run) == AP_OK && ap_output_write_with(&run->pdf, save_pdf, run, run->diags);
  } else if (run->options->pdf_sink) {
    ok = run->options->pdf_sink(run->options->pdf_sink_ctx, run->pdf_bytes, run->pdf_size);
    if (!ok)
      ap_fail(run->diags, ap_loc_file(run->options->output), "the PDF was refused by its receiver");
  } else {
    ok = check_outputs(run) == AP_OK && ap_output_write(&run->pdf, run->pdf_bytes, run->pdf_size, run->diags);
  }
  return ok;
}
