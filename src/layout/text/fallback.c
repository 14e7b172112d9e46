// Fallback faces: characters the style's face lacks are set in the first
// fallback family (<family fallback="…">) whose face has them, in the same
// weight and slant (else its regular) and size. What each fallback supplied
// is noted for one warning per family/fallback pair; a character no face
// has is an error, never an empty box.
#include "paragraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../base/utf8.h"

#define MAX_FACES 17   // The style's face and its family's fallbacks (16 at most, see parse/families.c)
#define MAX_LISTED 8   // Characters a message names before "and N more"

// Characters one fallback family supplied for one family, for its warning.
typedef struct pair_s {
  const ap_family_t *family;   // Family whose face lacked them
  const ap_family_t *fallback; // Family that supplied them
  const char *file;            // File of the first of its faces used (borrowed from the font set)
  ap_loc_t loc;                // Where they first occurred
  uint32_t *order;             // Characters in order of first use (malloc'ed)
  size_t count, order_cap;     // Used and allocated characters
  uint32_t *seen;              // Open-addressing set of the same (0 = empty slot; malloc'ed)
  size_t seen_cap;             // Slots (a power of two, at least twice count)
} pair_t;

struct ap_fallbacks_s {
  pair_t *pairs;               // Pairs in order of first use
  size_t count, cap;           // Used and allocated pairs
};

// The faces a text may be set in: the style's, then its family's fallbacks'.
typedef struct faces_s {
  ap_layout_ctx_t *ctx;              // Layout context (font set, diagnostics)
  const ap_family_t *family;         // The style's family
  int face;                          // 0 regular, 1 bold, 2 italic, 3 bold-italic
  const ap_font_t *font[MAX_FACES];  // Loaded faces (font[0]: the style's); NULL until needed
  int count;                         // 1 + the family's fallbacks
  ap_loc_t loc;                      // Place of the text (for a file that cannot be loaded)
} faces_t;

static bool add_item(ap_inline_t **items, int *n, int *alloc, const ap_inline_t *proto, const char *text,
                     size_t len, const ap_font_t *font);
static size_t cluster_end(const char *text, size_t from, size_t len);
static const ap_font_t *face_get(faces_t *faces, int k);
static bool face_has(faces_t *faces, int k, const char *text, size_t len);
static void faces_init(faces_t *faces, ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic,
                       ap_loc_t loc);
static bool fail_missing(faces_t *faces, const uint32_t *cps, size_t count, ap_loc_t loc);
static void list_chars(char *out, size_t size, const uint32_t *cps, size_t count);
static void note(ap_layout_ctx_t *ctx, faces_t *faces, int k, const char *text, size_t len, ap_loc_t loc);
static bool set_add(pair_t *pair, uint32_t cp);

//
// 'ap_fallbacks_create()' - Create an empty record of fallback characters.
//

ap_fallbacks_t *
ap_fallbacks_create(void)
{
  return calloc(1, sizeof(ap_fallbacks_t));
}

//
// 'ap_fallbacks_destroy()' - Free the record.
//

void
ap_fallbacks_destroy(ap_fallbacks_t *fallbacks)
{
  if (!fallbacks)
    return;
  for (size_t i = 0; i < fallbacks->count; i++) {
    free(fallbacks->pairs[i].order);
    free(fallbacks->pairs[i].seen);
  }
  free(fallbacks->pairs);
  free(fallbacks);
}

//
// 'ap_fallbacks_warn()' - One warning per family/fallback pair, at its first place.
//
// Shape: "'serif' has no glyph for ✓ (U+2713), ★ (U+2605): set in 'symbols'
// (DejaVuSans.ttf)".
//

void
ap_fallbacks_warn(const ap_fallbacks_t *fallbacks, ap_diags_t *diags)
{
  char list[1024]; // Characters named

  for (size_t i = 0; fallbacks && i < fallbacks->count; i++) {
    const pair_t *p = fallbacks->pairs + i;
    const char *slash = strrchr(p->file, '/');
    list_chars(list, sizeof(list), p->order, p->count);
    ap_warn(diags, p->loc, "'%s' has no glyph for %s: set in '%s' (%s)", p->family->name, list,
            p->fallback->name, slash ? slash + 1 : p->file);
  }
}

//
// 'ap_text_label_font()' - Face for a label: the style's, or a fallback's that has all of it.
//
// Labels (heading numbers, list markers) are set as one run: the first face
// with every character of the label sets it.
//

const ap_font_t *                          // O - Face, NULL (with a diagnostic) when none has the label
ap_text_label_font(ap_layout_ctx_t *ctx,    // I - Layout context
                   const ap_style_t *style, // I - Style of the label
                   bool bold, bool italic,  // I - Emphasis on top of the style
                   const char *text,        // I - Label text (UTF-8, NFC)
                   ap_loc_t loc)            // I - Place of the labelled element
{
  faces_t faces; // Faces to try
  size_t len = strlen(text);

  faces_init(&faces, ctx, style, bold, italic, loc);
  for (int k = 0; k < faces.count; k++) {
    if (!face_get(&faces, k))
      return NULL;
    if (face_has(&faces, k, text, len)) {
      note(ctx, &faces, k, text, len, loc);
      return faces.font[k];
    }
  }

  // No face has the whole label: name what no face has at all...
  uint32_t cps[64]; // Characters no face has
  size_t n = 0;
  for (const char *p = text, *end = text + len; p < end && n < 64;) {
    const char *q = p;
    ap_utf8_next(&p, end);
    bool any = false;
    for (int k = 0; k < faces.count && !any; k++)
      any = face_has(&faces, k, q, (size_t)(p - q));
    if (!any)
      cps[n++] = ap_utf8_next(&q, end);
  }
  if (n)
    fail_missing(&faces, cps, n, loc);
  else // Every character exists somewhere, but in no one face
    ap_fail(ctx->diags, loc, "no font has every character of the label '%s' (it is set in one face): "
            "expected a family with all of them as fallback=\"…\" of '%s'", text, faces.family->name);
  return NULL;
}

//
// 'ap_text_measure()' - Width of a text set in the faces ap_text_items would pick.
//
// No record, no error: a character no face has is measured in the style's
// face (laying the text out reports it).
//

double                                   // O - Advance in points
ap_text_measure(ap_layout_ctx_t *ctx,    // I - Layout context
                const ap_style_t *style, // I - Style of the text
                bool bold, bool italic,  // I - Emphasis on top of the style
                const char *text,        // I - Text (UTF-8, NFC)
                size_t len,              // I - Bytes
                double size)             // I - Size in points
{
  faces_t faces; // Faces to try
  double width = 0;
  size_t from = 0;

  faces_init(&faces, ctx, style, bold, italic, (ap_loc_t){0});
  if (!face_get(&faces, 0))
    return 0;
  if (faces.count == 1 || face_has(&faces, 0, text, len))
    return ap_font_measure(faces.font[0], text, len, size);
  while (from < len) {
    size_t to = cluster_end(text, from, len);
    int k = 0;
    while (k < faces.count && !(face_get(&faces, k) && face_has(&faces, k, text + from, to - from)))
      k++;
    width += ap_font_measure(faces.font[k < faces.count ? k : 0], text + from, to - from, size);
    from = to;
  }
  return width;
}

//
// 'ap_text_items()' - Append a text as items, one per stretch set in one face.
//
// Characters the style's face has stay in it; the others go, cluster by
// cluster (a character with the combining marks after it), to the first
// fallback face that has the whole cluster, else character by character.
// Spaces always stay in the style's face (they are glue of its width).
//

bool                                // O - false (with a diagnostic at loc) when no face has a character
ap_text_items(ap_layout_ctx_t *ctx,     // I - Layout context
              const ap_style_t *style,  // I - Style of the text
              bool bold, bool italic,   // I - Emphasis on top of the style
              const ap_inline_t *proto, // I - The item: text, len, size, colour… (font is set here)
              ap_loc_t loc,             // I - Place of the element that produced the text
              ap_inline_t **items,      // IO - Items (malloc'ed, grown)
              int *n, int *alloc,       // IO - Used and allocated items
              bool check)               // I - Look for characters the style's face lacks (false: one item in it)
{
  faces_t faces;                  // Faces to try
  const char *text = proto->text; // Text to set
  size_t len = proto->len, from = 0, start = 0;
  int cur = 0;                    // Face of the stretch being built
  uint32_t missing[64];           // Characters no face has (the first 64)
  size_t nmissing = 0;

  faces_init(&faces, ctx, style, bold, italic, loc);
  if (!face_get(&faces, 0))
    return false;

  // The usual case: the style's face has every character (or the caller
  // checks that when it sets the text: check false)...
  if (!check || !ap_font_find_missing(faces.font[0], text, len))
    return add_item(items, n, alloc, proto, text, len, faces.font[0]);

  // Otherwise cluster by cluster...
  while (from < len) {
    size_t to = cluster_end(text, from, len);
    const char *p = text + from;
    uint32_t cp = ap_utf8_next(&p, text + to);
    int k = 0;

    if (cp == ' ' || cp == 0xA0) {
      to = (size_t)(p - text); // A mark after a space is a cluster of its own
    } else {
      while (k < faces.count && !(face_get(&faces, k) && face_has(&faces, k, text + from, to - from)))
        k++;
      if (ctx->diags->errors)
        return false;
    }
    if (k == faces.count) {
      // ...no face has the whole cluster: its characters one by one...
      if (to - from > (size_t)(p - text) - from) {
        to = (size_t)(p - text);
        k = 0;
        while (k < faces.count && !face_has(&faces, k, text + from, to - from))
          k++;
      }
      if (k == faces.count) {
        bool known = false;
        for (size_t j = 0; j < nmissing && !known; j++)
          known = missing[j] == cp;
        if (!known && nmissing < 64)
          missing[nmissing++] = cp;
        k = 0;
      }
    }
    if (k != cur) {
      if (from > start && !add_item(items, n, alloc, proto, text + start, from - start, faces.font[cur]))
        return false;
      start = from;
      cur = k;
    }
    if (k > 0)
      note(ctx, &faces, k, text + from, to - from, loc);
    from = to;
  }
  if (nmissing)
    return fail_missing(&faces, missing, nmissing, loc);
  return add_item(items, n, alloc, proto, text + start, len - start, faces.font[cur]);
}

// Append a copy of proto with its own text and face.
static bool
add_item(ap_inline_t **items, int *n, int *alloc, const ap_inline_t *proto, const char *text, size_t len,
         const ap_font_t *font)
{
  if (*n == *alloc) {
    int grown = *alloc ? *alloc * 2 : 8;
    ap_inline_t *more = realloc(*items, sizeof(ap_inline_t) * (size_t)grown);
    if (!more)
      return false;
    *items = more;
    *alloc = grown;
  }
  (*items)[*n] = *proto;
  (*items)[*n].text = text;
  (*items)[*n].len = len;
  (*items)[*n].font = font;
  (*n)++;
  return true;
}

// End (byte offset) of the cluster starting at from: a character and the
// combining marks after it.
static size_t
cluster_end(const char *text, size_t from, size_t len)
{
  const char *p = text + from, *end = text + len;

  ap_utf8_next(&p, end);
  while (p < end) {
    const char *q = p;
    if (!ap_utf8_is_mark(ap_utf8_next(&q, end)))
      break;
    p = q;
  }
  return (size_t)(p - text);
}

// Face k, loaded on first use (NULL with a diagnostic when its file cannot be read).
static const ap_font_t *
face_get(faces_t *faces, int k)
{
  if (!faces->font[k]) {
    const ap_family_t *f = k ? faces->family->fallbacks[k - 1] : faces->family;
    int face = f->files[faces->face] ? faces->face : 0;
    ap_loc_t at = f->file_locs[face].file ? f->file_locs[face] : f->loc.file ? f->loc : faces->loc;
    faces->font[k] = ap_fontset_load(faces->ctx->fonts, f->files[face], faces->ctx->diags, at);
  }
  return faces->font[k];
}

// True when face k has a glyph for every character of the text (spaces aside).
static bool
face_has(faces_t *faces, int k, const char *text, size_t len)
{
  const ap_font_t *font = face_get(faces, k);
  return font && !ap_font_find_missing(font, text, len);
}

// The faces of a style with emphasis: the style's first, then its fallbacks'.
static void
faces_init(faces_t *faces, ap_layout_ctx_t *ctx, const ap_style_t *style, bool bold, bool italic, ap_loc_t loc)
{
  memset(faces, 0, sizeof(*faces));
  faces->ctx = ctx;
  faces->family = style->family;
  faces->face = ((style->bold || bold) ? 1 : 0) + ((style->italic || italic) ? 2 : 0);
  faces->count = 1 + (style->family->nfallbacks < MAX_FACES - 1 ? style->family->nfallbacks : MAX_FACES - 1);
  faces->loc = loc;
  faces->font[0] = ap_text_font(ctx, style, bold, italic, loc);
}

// Record the error for characters no face has; returns false.
static bool
fail_missing(faces_t *faces, const uint32_t *cps, size_t count, ap_loc_t loc)
{
  char list[1024]; // Characters named

  list_chars(list, sizeof(list), cps, count);
  if (faces->count == 1)
    return ap_fail(faces->ctx->diags, loc, "no font has a glyph for %s: add a family with %s as fallback=\"…\" "
                   "of '%s'", list, count > 1 ? "them" : "it", faces->family->name);
  return ap_fail(faces->ctx->diags, loc, "no font has a glyph for %s: add a family with %s to fallback=\"%s\" "
                 "of '%s'", list, count > 1 ? "them" : "it", faces->family->fallback, faces->family->name);
}

// "✓ (U+2713), ★ (U+2605)": each character (a mark on a dotted circle,
// nothing for an invisible one) and its code point; "and N more" past MAX_LISTED.
static void
list_chars(char *out, size_t size, const uint32_t *cps, size_t count)
{
  size_t used = 0;

  out[0] = '\0';
  for (size_t i = 0; i < count && i < MAX_LISTED && used < size; i++) {
    char glyph[12] = "";          // The character as printed
    size_t g = 0;
    if (ap_utf8_is_mark(cps[i]))
      g += ap_utf8_encode(0x25CC, glyph); // ◌
    if (ap_utf8_is_visible(cps[i])) {
      g += ap_utf8_encode(cps[i], glyph + g);
      glyph[g++] = ' ';
    }
    glyph[g] = '\0';
    used += (size_t)snprintf(out + used, size - used, "%s%s(U+%04X)", i ? ", " : "", glyph, (unsigned)cps[i]);
  }
  if (count > MAX_LISTED && used < size)
    snprintf(out + used, size - used, " and %zu more", count - MAX_LISTED);
}

// Note the characters of text set in fallback face k, for the warnings.
static void
note(ap_layout_ctx_t *ctx, faces_t *faces, int k, const char *text, size_t len, ap_loc_t loc)
{
  ap_fallbacks_t *record = ctx->fallbacks;
  const ap_family_t *fallback; // Family of face k
  pair_t *pair = NULL;

  if (!record || k == 0)
    return;
  fallback = faces->family->fallbacks[k - 1];
  for (size_t i = 0; i < record->count && !pair; i++)
    if (record->pairs[i].family == faces->family && record->pairs[i].fallback == fallback)
      pair = record->pairs + i;
  if (!pair) {
    if (record->count == record->cap) {
      size_t grown = record->cap ? record->cap * 2 : 4;
      pair_t *more = realloc(record->pairs, sizeof(pair_t) * grown);
      if (!more)
        return;
      record->pairs = more;
      record->cap = grown;
    }
    pair = record->pairs + record->count++;
    memset(pair, 0, sizeof(*pair));
    pair->family = faces->family;
    pair->fallback = fallback;
    pair->file = ap_font_path(faces->font[k]);
    pair->loc = loc;
  }
  // Only what the style's face lacks (a base it has may follow its mark into the fallback)...
  for (const char *p = text, *end = text + len; p < end;) {
    uint32_t cp = ap_utf8_next(&p, end);
    if (!ap_font_get_glyph(faces->font[0], cp))
      set_add(pair, cp);
  }
}

// Add a character to a pair's list unless it is there already.
static bool
set_add(pair_t *pair, uint32_t cp)
{
  size_t mask, slot;

  // Grow the set (and rehash) to stay at most half full...
  if (2 * (pair->count + 1) > pair->seen_cap) {
    size_t cap = pair->seen_cap ? pair->seen_cap * 2 : 64;
    uint32_t *seen = calloc(cap, sizeof(uint32_t));
    if (!seen)
      return false;
    for (size_t i = 0; i < pair->count; i++) {
      for (slot = (pair->order[i] * 2654435761u) & (cap - 1); seen[slot]; slot = (slot + 1) & (cap - 1))
        ;
      seen[slot] = pair->order[i];
    }
    free(pair->seen);
    pair->seen = seen;
    pair->seen_cap = cap;
  }

  // Known already, or a new slot...
  mask = pair->seen_cap - 1;
  for (slot = (cp * 2654435761u) & mask; pair->seen[slot]; slot = (slot + 1) & mask)
    if (pair->seen[slot] == cp)
      return true;
  if (pair->count == pair->order_cap) {
    size_t grown = pair->order_cap ? pair->order_cap * 2 : 16;
    uint32_t *more = realloc(pair->order, sizeof(uint32_t) * grown);
    if (!more)
      return false;
    pair->order = more;
    pair->order_cap = grown;
  }
  pair->seen[slot] = cp;
  pair->order[pair->count++] = cp;
  return true;
}
