// Paragraph cache: a paragraph set once is not set again. A document with a
// table of contents or a page count is laid out twice (the first pass only
// learns where the pages fall), tables repeat the same cells, and the jobs
// of a batch repeat their common text (anpham batch sets its first job's
// paragraphs once, before the jobs are forked: runner.c). The lines of a
// paragraph are kept under everything they depend on (every item's text,
// face (by its file, so that another run's faces of the same files find
// them), size, colour, underline, rise, footnote mark, label, link and
// language, and the measure, indent, alignment and tolerance), compared in
// full on a hit, and given back as a fresh copy the caller may move about:
// its texts in the caller's arena, its faces, link and language strings
// those of the caller's items (the faces are the caller's run's; the
// strings belong to the document tree, which outlives the pages, when the
// arena of a page's items does not). The key's bytes are hashed with
// libdeflate's CRC-32 (no hashing by hand) only to pick a slot. The cache keeps
// at most its budget of bytes; past it, paragraphs are set and not kept.
// A cache told to keep only what comes again (a document laid out once,
// whose paragraphs are worth keeping only when they repeat: a hundred
// thousand rows of different text would fill it for nothing) keeps a
// paragraph the second time it is set: the first time, only its hash is
// noted, in a small table where a newer hash takes an older one's place.
#include "text-private.h"

#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#define REFS 3 // Items named for each run: its face's, its link's, its language's
enum { FROM_FONT, FROM_LINK, FROM_LANG };

typedef struct entry_s {
  unsigned char *key;   // What the lines depend on (key_size bytes, in the cache's arena)
  size_t key_size;      // Its size
  uint32_t hash;        // CRC-32 of the key
  ap_line_t *lines;     // The lines as set (in the cache's arena; font, link and lang NULL)
  size_t nlines;        // How many
  int *refs;            // For each run in order, the items its face, link and language came from (-1: none)
} entry_t;

struct ap_par_cache_s {
  ap_arena_t *arena;    // Keys and lines
  entry_t *slots;       // Open addressing, a power of two; key NULL = empty
  size_t nslots, used;  // Slots, and how many are taken
  size_t budget;        // Most bytes of the arena
  unsigned char *buf;   // Scratch: the key being built
  size_t len, cap;      // Its bytes, and room
  size_t hits, misses;  // Lookups answered, not answered (for the tests)
  bool again_only;      // Keep a paragraph only when it is set a second time
  uint32_t *seen;       // Hashes of paragraphs set once (SEEN_SLOTS, malloc'ed on the second; 0 = none)
  uint32_t first_seen;  // The first one's mark, before there is a table (a one-paragraph document makes none)
};

#define SEEN_SLOTS 16384 // Paragraphs set once that are remembered (their hashes: 64 KB)

static void add_bytes(ap_par_cache_t *cache, const void *bytes, size_t size);
static void add_string(ap_par_cache_t *cache, const char *s, size_t len);
static void build_key(ap_par_cache_t *cache, const ap_inline_t *items, size_t count, const ap_par_config_t *config);
static ap_line_t *copy_lines(ap_arena_t *arena, const ap_line_t *lines, size_t nlines);
static int find_item(const ap_inline_t *items, size_t count, const void *p, int what);
static bool grow(ap_par_cache_t *cache);
static bool worth_keeping(ap_par_cache_t *cache, uint32_t hash);
static bool keep(ap_par_cache_t *cache, uint32_t hash, const ap_inline_t *items, size_t count,
                 const ap_line_t *lines, size_t nlines);

//
// 'ap_par_cache_create()' - A paragraph cache of at most budget bytes.
//

ap_par_cache_t *                    // O - Cache, NULL when out of memory
ap_par_cache_create(size_t budget)  // I - Most bytes kept (keys and lines)
{
  ap_par_cache_t *cache = calloc(1, sizeof(*cache));

  if (!cache || !(cache->arena = ap_arena_create())) {
    free(cache);
    return NULL;
  }
  cache->budget = budget;
  return cache;
}

//
// 'ap_par_cache_again_only()' - Keep only the paragraphs set more than once.
//
// For a document laid out once with a cache of its own; a cache that
// outlives a run (a batch's, watch's) or serves a second pass keeps every
// paragraph it sets (the default).
//

void
ap_par_cache_again_only(ap_par_cache_t *cache, // I - Cache (NULL is fine)
                        bool again_only)        // I - true: a paragraph is kept the second time it is set
{
  if (cache)
    cache->again_only = again_only;
}

//
// 'ap_par_cache_destroy()' - Free a paragraph cache (NULL is fine).
//

void
ap_par_cache_destroy(ap_par_cache_t *cache) // I - Cache
{
  if (!cache)
    return;
  ap_arena_destroy(cache->arena);
  free(cache->slots);
  free(cache->seen);
  free(cache->buf);
  free(cache);
}

//
// 'ap_par_cache_stats()' - Lookups answered from the cache, and not.
//

void
ap_par_cache_stats(const ap_par_cache_t *cache, // I - Cache
                   size_t *hits,                // O - Answered
                   size_t *misses)              // O - Set anew
{
  *hits = cache ? cache->hits : 0;
  *misses = cache ? cache->misses : 0;
}

//
// 'ap_par_layout_cached()' - ap_par_layout, through a cache.
//
// The same result as ap_par_layout: lines owned by arena, which the caller
// may change. A paragraph that fails (a face without a glyph) is not kept.
//

bool                                                // O - false when a face lacks a glyph
ap_par_layout_cached(ap_par_cache_t *cache,         // I - Cache, or NULL for none
                     ap_arena_t *arena,             // I - Owner of the lines and runs
                     const ap_inline_t *items,      // I - Inline items
                     size_t count,                  // I - Number of items
                     const ap_par_config_t *config, // I - Measure, indent, alignment, tolerance
                     ap_line_t **lines,             // O - Lines (NULL when there is no text)
                     size_t *nlines,                // O - Number of lines
                     ap_diags_t *diags,             // I - Where errors go
                     ap_loc_t loc)                  // I - Place of the paragraph in the sources
{
  if (!cache)
    return ap_par_layout(arena, items, count, config, lines, nlines, diags, loc);

  // Look the paragraph up by everything its lines depend on...
  build_key(cache, items, count, config);
  uint32_t hash = libdeflate_crc32(0, cache->buf, cache->len);
  size_t slot = 0;
  if (cache->nslots) {
    for (slot = hash & (cache->nslots - 1); cache->slots[slot].key; slot = (slot + 1) & (cache->nslots - 1)) {
      const entry_t *e = &cache->slots[slot];
      if (e->hash == hash && e->key_size == cache->len && !memcmp(e->key, cache->buf, cache->len)) {
        cache->hits++;
        *lines = copy_lines(arena, e->lines, e->nlines);
        *nlines = e->nlines;
        int k = 0;
        for (size_t i = 0; i < e->nlines; i++)
          for (ap_run_t *r = (*lines)[i].runs; r; r = r->next, k += REFS) {
            r->font = items[e->refs[k]].font;
            r->link = e->refs[k + 1] >= 0 ? items[e->refs[k + 1]].link : NULL;
            r->lang = e->refs[k + 2] >= 0 ? items[e->refs[k + 2]].lang : NULL;
          }
        return true;
      }
    }
  }

  // ...else set it, and keep a copy while the budget lasts...
  cache->misses++;
  if (!ap_par_layout(arena, items, count, config, lines, nlines, diags, loc))
    return false;
  if (ap_arena_used(cache->arena) + cache->len <= cache->budget && worth_keeping(cache, hash))
    keep(cache, hash, items, count, *lines, *nlines);
  return true;
}

// Keep a copy of a paragraph's lines under the key just built; nothing is
// kept when out of memory, or when a run's face, link or language is not
// one of the items' (then it could not be given back as the caller's).
static bool
keep(ap_par_cache_t *cache, uint32_t hash, const ap_inline_t *items, size_t count, const ap_line_t *lines,
     size_t nlines)
{
  size_t nruns = 0;
  for (size_t i = 0; i < nlines; i++)
    for (const ap_run_t *r = lines[i].runs; r; r = r->next)
      nruns++;
  int *refs = nruns ? malloc(sizeof(int) * REFS * nruns) : NULL;
  if (nruns && !refs)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < nlines; i++)
    for (const ap_run_t *r = lines[i].runs; r; r = r->next, k += REFS)
      if ((refs[k] = find_item(items, count, r->font, FROM_FONT)) < 0 ||
          (refs[k + 1] = find_item(items, count, r->link, FROM_LINK)) < -1 ||
          (refs[k + 2] = find_item(items, count, r->lang, FROM_LANG)) < -1) {
        free(refs);
        return false;
      }
  if (!grow(cache)) {
    free(refs);
    return false;
  }

  size_t slot = hash & (cache->nslots - 1);
  while (cache->slots[slot].key)
    slot = (slot + 1) & (cache->nslots - 1);
  entry_t *e = &cache->slots[slot];
  e->key = ap_arena_alloc(cache->arena, cache->len ? cache->len : 1);
  memcpy(e->key, cache->buf, cache->len);
  e->key_size = cache->len;
  e->hash = hash;
  e->lines = copy_lines(cache->arena, lines, nlines);
  e->nlines = nlines;
  e->refs = nruns ? AP_NEW_N(cache->arena, int, REFS * nruns) : NULL;
  if (nruns)
    memcpy(e->refs, refs, sizeof(int) * REFS * nruns);
  free(refs);
  for (size_t i = 0; i < nlines; i++)
    for (ap_run_t *r = e->lines[i].runs; r; r = r->next) {
      r->font = NULL;
      r->link = r->lang = NULL;
    }
  cache->used++;
  return true;
}

// The first item whose face, link or language is that very pointer: its
// index, -1 for NULL, -2 when no item has it.
static int
find_item(const ap_inline_t *items, size_t count, const void *p, int what)
{
  if (!p)
    return -1;
  for (size_t j = 0; j < count && j < (size_t)INT32_MAX; j++)
    if ((what == FROM_FONT ? (const void *)items[j].font
         : what == FROM_LINK ? (const void *)items[j].link
                             : (const void *)items[j].lang) == p)
      return (int)j;
  return -2;
}

// Append bytes to the key being built.
static void
add_bytes(ap_par_cache_t *cache, const void *bytes, size_t size)
{
  cache->buf = ap_par_grow(cache->buf, &cache->cap, cache->len + size, 1);
  memcpy(cache->buf + cache->len, bytes, size);
  cache->len += size;
}

// Append a string with its length (NULL differs from "").
static void
add_string(ap_par_cache_t *cache, const char *s, size_t len)
{
  size_t n = s ? len : SIZE_MAX;
  add_bytes(cache, &n, sizeof(n));
  if (s)
    add_bytes(cache, s, len);
}

// The key of a paragraph: every field of every item, then the config.
// Fields are appended one by one (never a whole struct: its padding bytes
// are not values).
static void
build_key(ap_par_cache_t *cache, const ap_inline_t *items, size_t count, const ap_par_config_t *config)
{
  cache->len = 0;
  add_bytes(cache, &count, sizeof(count));
  for (size_t i = 0; i < count; i++) {
    const ap_inline_t *it = &items[i];
    const ap_color_t *c = &it->color;
    unsigned char flags = (unsigned char)((it->underline ? 1 : 0) | (it->label ? 2 : 0) | (c->cmyk ? 4 : 0));
    float components[7] = {c->r, c->g, c->b, c->c, c->m, c->y, c->k};
    const char *face = it->font ? ap_font_path(it->font) : NULL;
    add_string(cache, it->text, it->len);
    add_string(cache, face, face ? strlen(face) : 0);
    add_bytes(cache, &it->size, sizeof(it->size));
    add_bytes(cache, components, sizeof(components));
    add_bytes(cache, &flags, sizeof(flags));
    add_bytes(cache, &it->rise, sizeof(it->rise));
    add_bytes(cache, &it->mark, sizeof(it->mark));
    add_string(cache, it->link, it->link ? strlen(it->link) : 0);
    add_string(cache, it->lang, it->lang ? strlen(it->lang) : 0);
  }
  int align = (int)config->align;
  add_bytes(cache, &config->measure, sizeof(config->measure));
  add_bytes(cache, &config->first_indent, sizeof(config->first_indent));
  add_bytes(cache, &align, sizeof(align));
  add_bytes(cache, &config->tolerance, sizeof(config->tolerance));
}

// A deep copy of lines into an arena: runs, their texts and the marks (link
// and language strings are the caller's to set).
static ap_line_t *
copy_lines(ap_arena_t *arena, const ap_line_t *lines, size_t nlines)
{
  ap_line_t *out = nlines ? AP_NEW_N(arena, ap_line_t, nlines) : NULL;

  for (size_t i = 0; i < nlines; i++) {
    out[i] = lines[i];
    ap_run_t **tail = &out[i].runs;
    for (const ap_run_t *r = lines[i].runs; r; r = r->next) {
      ap_run_t *copy = AP_NEW(arena, ap_run_t);
      *copy = *r;
      copy->text = r->text ? ap_arena_strdup(arena, r->text) : NULL;
      *tail = copy;
      tail = &copy->next;
    }
    *tail = NULL;
    if (lines[i].nmarks) {
      out[i].marks = AP_NEW_N(arena, int, lines[i].nmarks);
      memcpy(out[i].marks, lines[i].marks, sizeof(int) * (size_t)lines[i].nmarks);
    }
  }
  return out;
}

// Whether a paragraph just set (by its key's hash) is to be kept: always,
// unless the cache keeps only what is set again; then when its hash was
// noted before (a CRC-32 shared by two keys only keeps one that did not
// repeat), else it is noted now (and not kept when there is no memory).
static bool
worth_keeping(ap_par_cache_t *cache, uint32_t hash)
{
  uint32_t mark = hash | 1; // (0: an empty slot)
  if (!cache->again_only)
    return true;
  if (!cache->seen) {
    if (!cache->first_seen || cache->first_seen == mark) {
      bool again = cache->first_seen == mark;
      cache->first_seen = mark;
      return again;
    }
    if (!(cache->seen = calloc(SEEN_SLOTS, sizeof(uint32_t))))
      return false;
    cache->seen[cache->first_seen & (SEEN_SLOTS - 1)] = cache->first_seen;
  }
  uint32_t *slot = &cache->seen[hash & (SEEN_SLOTS - 1)];
  if (*slot == mark)
    return true;
  *slot = mark;
  return false;
}

// Room for one more entry (the table at most half full); false when out of memory.
static bool
grow(ap_par_cache_t *cache)
{
  if (2 * (cache->used + 1) <= cache->nslots)
    return true;
  size_t n = cache->nslots ? 2 * cache->nslots : 256;
  entry_t *slots = calloc(n, sizeof(entry_t));
  if (!slots)
    return false;
  for (size_t i = 0; i < cache->nslots; i++) {
    const entry_t *e = &cache->slots[i];
    if (!e->key)
      continue;
    size_t s = e->hash & (n - 1);
    while (slots[s].key)
      s = (s + 1) & (n - 1);
    slots[s] = *e;
  }
  free(cache->slots);
  cache->slots = slots;
  cache->nslots = n;
  return true;
}
