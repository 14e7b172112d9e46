// Batch files (`anpham batch JOBS.xml`): read safely like every XML input,
// each element and attribute checked with a message that names it and says
// what was expected, then the whole file checked against the embedded
// grammar (layouts/schema/batch.rng) as a backstop. Defaults on <batch>
// apply to every <job>; paths resolve relative to the batch file.
#include "batch.h"

#include <libxml/relaxng.h>
#include <stdlib.h>
#include <string.h>

#include "../base/datetime.h"
#include "../base/number.h"
#include "parse-xml.h"

extern const unsigned char ap_batch_schema[]; // layouts/schema/batch.rng, embedded
extern const unsigned ap_batch_schema_size;   // Its size in bytes

// The reading of one batch file.
typedef struct reader_s {
  ap_source_t *src;      // The file
  ap_arena_t *arena;     // Where the jobs go
  ap_diags_t *diags;     // Where errors go
  const char *dir;       // The batch file's folder
  const char *out_dir;   // Where outputs go
} reader_t;

static const char *const job_options[] = {"layout", "data", "copies", "copies-in-one", "handout", "deck",
                                          "slide-page", "impose", "crop-marks", "pdfa", "tags",
                                          "source-date-epoch", NULL};

static bool known(const char *name, const char *const *names);
static bool read_job(reader_t *r, xmlNodePtr e, ap_job_spec_t *job, bool is_default);
static bool read_sets(reader_t *r, xmlNodePtr e, ap_job_spec_t *job);
static bool validate(reader_t *r);
static const char *value(xmlNodePtr e, const char *name, ap_arena_t *arena);

//
// 'ap_batch_read()' - Read a batch file.
//

bool
ap_batch_read(const char *path, const char *output_dir, ap_arena_t *arena, ap_diags_t *diags,
              ap_batch_file_t *batch)
{
  ap_source_t src = {0};
  reader_t r = {&src, arena, diags, ap_path_dir(arena, path), NULL};
  ap_job_spec_t defaults = {0};
  bool ok = false;

  memset(batch, 0, sizeof(*batch));
  batch->path = ap_arena_strdup(arena, path);
  if (!ap_source_read(&src, path, AP_FILE_LAYOUT, diags))
    goto done;
  xmlNodePtr root = xmlDocGetRootElement(src.doc);
  if (!root || strcmp((const char *)root->name, "batch") || root->ns) {
    ap_fail(diags, ap_source_loc(&src, root, NULL), "<%s> is not a batch file: expected <batch version=\"1\">",
            root ? (const char *)root->name : "");
    goto done;
  }

  // <batch>: version, output-dir, every job's defaults, then the jobs...
  const char *version = value(root, "version", arena);
  if (!version || strcmp(version, "1")) {
    ap_fail(diags, ap_source_loc(&src, root, version ? "version" : NULL),
            "<batch> needs version=\"1\" (the only version of the batch format)");
    goto done;
  }
  const char *dir = value(root, "output-dir", arena);
  r.out_dir = output_dir ? output_dir : dir ? ap_path_join(arena, r.dir, dir) : r.dir;
  batch->output_dir = r.out_dir;
  if (!read_job(&r, root, &defaults, true) || !read_sets(&r, root, &defaults))
    goto done;
  int count = 0;
  for (xmlNodePtr e = root->children; e; e = e->next)
    if (e->type == XML_ELEMENT_NODE && !strcmp((const char *)e->name, "job") &&
        !ap_number_count(diags, ap_source_loc(&src, e, NULL), "jobs in a batch file", &count, AP_BATCH_MAX_JOBS))
      goto done;
  batch->jobs = ap_arena_alloc(arena, sizeof(ap_job_spec_t) * (size_t)(count ? count : 1));
  for (xmlNodePtr e = root->children; e; e = e->next) {
    if (e->type != XML_ELEMENT_NODE || !strcmp((const char *)e->name, "set"))
      continue;
    if (!strcmp((const char *)e->name, "allow-path") && !e->ns) {
      const char *d = value(e, "dir", arena);
      if (!d || !*d) {
        ap_fail(diags, ap_source_loc(&src, e, NULL), "<allow-path> needs dir=\"FOLDER\" (relative to the batch file)");
        goto done;
      }
      if (batch->nallow == 32) {
        ap_fail(diags, ap_source_loc(&src, e, NULL), "more than 32 <allow-path> folders");
        goto done;
      }
      batch->allow[batch->nallow++] = ap_path_join(arena, r.dir, d);
      continue;
    }
    if (strcmp((const char *)e->name, "job") || e->ns) {
      ap_fail(diags, ap_source_loc(&src, e, NULL), "<%s> is not part of a batch file: expected <job>, <set> or <allow-path>",
              (const char *)e->name);
      goto done;
    }
    ap_job_spec_t *job = &batch->jobs[batch->njobs];
    *job = defaults;
    job->loc = ap_source_loc(&src, e, NULL);
    if (!read_job(&r, e, job, false) || !read_sets(&r, e, job))
      goto done;
    batch->njobs++;
  }
  if (!batch->njobs) {
    ap_fail(diags, ap_source_loc(&src, root, NULL), "the batch lists no job: expected one <job output=\"…\"> or more");
    goto done;
  }
  ok = validate(&r);

done:
  ap_source_free(&src);
  return ok;
}

// Whether name is in a NULL-terminated list.
static bool
known(const char *name, const char *const *names)
{
  for (; *names; names++)
    if (!strcmp(name, *names))
      return true;
  return false;
}

// The options of <batch> (defaults: no output) or of one <job>, over what
// job already holds.
static bool
read_job(reader_t *r, xmlNodePtr e, ap_job_spec_t *job, bool is_default)
{
  const char *elem = is_default ? "batch" : "job";
  ap_arena_t *arena = r->arena;
  const char *v;

  for (xmlAttrPtr a = e->properties; a; a = a->next) {
    const char *name = (const char *)a->name;
    if (a->ns || !(known(name, job_options) || (is_default && (!strcmp(name, "version") || !strcmp(name, "output-dir"))) ||
                   (!is_default && !strcmp(name, "output"))))
      return ap_fail(r->diags, ap_source_loc(r->src, e, name),
                     "<%s> has no attribute %s: expected %s layout, data, copies, copies-in-one, handout, deck, "
                     "slide-page, impose, crop-marks, pdfa, tags or source-date-epoch", elem, name, is_default ? "version, output-dir," : "output,");
  }
  if ((v = value(e, "layout", arena)))
    job->layout = ap_path_join(arena, r->dir, v);
  if ((v = value(e, "data", arena)))
    job->data = ap_path_join(arena, r->dir, v);
  if (!is_default) {
    if (!(v = value(e, "output", arena)) || !*v)
      return ap_fail(r->diags, ap_source_loc(r->src, e, NULL), "<job> needs output=\"NAME.pdf\" (relative to the "
                     "output folder)");
    job->output = ap_path_join(arena, r->out_dir, v);
    if (!job->layout)
      return ap_fail(r->diags, ap_source_loc(r->src, e, NULL), "<job> needs a layout: layout=\"…\" on it or on <batch>");
  }
  if ((v = value(e, "copies", arena))) {
    double n;
    ap_range_t range = {AP_NUM_INTEGER, "a number of copies", 1, AP_BATCH_MAX_COPIES, false, ""};
    if (!ap_number_parse(&range, v, &n))
      return ap_fail(r->diags, ap_source_loc(r->src, e, "copies"),
                     "copies=\"%s\": expected a whole number of copies from 1 to %d", v, AP_BATCH_MAX_COPIES);
    job->copies = (int)n;
  }
  static const char *const booleans[] = {"copies-in-one", "crop-marks", "pdfa", "tags"};
  bool tags = !job->no_tags;
  bool *flags[] = {&job->copies_in_one, &job->crop_marks, &job->pdfa, &tags};
  for (int i = 0; i < 4; i++)
    if ((v = value(e, booleans[i], arena))) {
      if (strcmp(v, "true") && strcmp(v, "false"))
        return ap_fail(r->diags, ap_source_loc(r->src, e, booleans[i]), "%s=\"%s\": expected true or false",
                       booleans[i], v);
      *flags[i] = !strcmp(v, "true");
    }
  job->no_tags = !tags;
  if ((v = value(e, "handout", arena))) {
    if (strlen(v) != 1 || !strchr("12346", v[0]))
      return ap_fail(r->diags, ap_source_loc(r->src, e, "handout"),
                     "handout=\"%s\": expected 1, 2, 3, 4 or 6 (slides per page)", v);
    job->handout = v[0] - '0';
  }
  if ((v = value(e, "impose", arena))) {
    if (strcmp(v, "a5-booklet") && strcmp(v, "2up"))
      return ap_fail(r->diags, ap_source_loc(r->src, e, "impose"), "impose=\"%s\": expected a5-booklet or 2up", v);
    job->impose = v;
  }
  if ((v = value(e, "deck", arena)))
    job->deck = v;
  if ((v = value(e, "source-date-epoch", arena))) {
    ap_datetime_t when;
    if (!ap_datetime_parse_epoch(v, &when))
      return ap_fail(r->diags, ap_source_loc(r->src, e, "source-date-epoch"),
                     "source-date-epoch=\"%s\": expected the seconds since 1970-01-01 00:00:00 UTC (digits only, "
                     "before the year 10000)", v);
    job->source_date_epoch = v;
  }
  if ((v = value(e, "slide-page", arena)))
    job->slide_page = v;
  return true;
}

// The <set name= value=> children of e, added to job's.
static bool
read_sets(reader_t *r, xmlNodePtr e, ap_job_spec_t *job)
{
  for (xmlNodePtr c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "set"))
      continue;
    const char *name = value(c, "name", r->arena), *v = value(c, "value", r->arena);
    if (!name || !*name || !v)
      return ap_fail(r->diags, ap_source_loc(r->src, c, NULL), "<set> needs name=\"PARAM\" and value=\"…\"");
    if (job->nsets == AP_BATCH_MAX_SETS)
      return ap_fail(r->diags, ap_source_loc(r->src, c, NULL), "more than %d <set> values for one job",
                     AP_BATCH_MAX_SETS);
    job->sets[job->nsets++] = ap_arena_printf(r->arena, "%s=%s", name, v);
  }
  return true;
}

// The whole file against the grammar (what the checks above missed).
static bool
validate(reader_t *r)
{
  static xmlRelaxNGPtr schema; // Parsed once per process
  ap_xml_quiet();
  if (!schema) {
    xmlRelaxNGParserCtxtPtr pctxt = xmlRelaxNGNewMemParserCtxt((const char *)ap_batch_schema,
                                                              (int)ap_batch_schema_size);
    schema = pctxt ? xmlRelaxNGParse(pctxt) : NULL;
    xmlRelaxNGFreeParserCtxt(pctxt);
    if (!schema)
      return ap_fail(r->diags, ap_loc_file(r->src->path), "internal error: the batch schema does not load");
  }
  xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
  if (!vctxt)
    return ap_fail(r->diags, ap_loc_file(r->src->path), "out of memory");
  xmlRelaxNGSetValidStructuredErrors(vctxt, NULL, NULL);
  int rc = xmlRelaxNGValidateDoc(vctxt, r->src->doc);
  xmlRelaxNGFreeValidCtxt(vctxt);
  if (rc != 0)
    return ap_fail(r->diags, ap_loc_file(r->src->path),
                   "does not match the batch schema (docs/batch.md): check the order of <set> and <job>");
  return true;
}

// An attribute's value in the arena, or NULL.
static const char *
value(xmlNodePtr e, const char *name, ap_arena_t *arena)
{
  xmlChar *v = xmlGetNoNsProp(e, (const xmlChar *)name);
  if (!v)
    return NULL;
  const char *s = ap_arena_strdup(arena, (const char *)v);
  xmlFree(v);
  return s;
}
