// Imposition (--impose): the document's pages placed two per side of a
// printing sheet, as vector groups (never rasterised), in the order a
// printer needs: folding order for a saddle-stitched booklet, reading
// order for plain 2-up.
#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define A5_W (148 * AP_PT_PER_MM) // A5 portrait, points
#define A5_H (210 * AP_PT_PER_MM)
#define SIZE_SLACK 0.5            // Points a page may differ from A5 (rounding of mm sizes)
#define SHEET_SLACK (1.5 * AP_PT_PER_MM) // Most a standard sheet may exceed two pages (A4 = 2 x A5 + 1 mm)

static ap_page_t *add_sheet(ap_pages_t *sheets, ap_arena_t *arena, double width, double height, const char *side);
static bool check_a5(const ap_page_t *page, ap_diags_t *diags);
static void place(ap_page_t *sheet, ap_arena_t *arena, const ap_page_t *page, ap_rect_t cell, bool left);
static ap_size_t sheet_size(double width, double height);

//
// 'ap_pages_impose()' - Put the pages two per sheet side, for a booklet or 2-up.
//
// "a5-booklet" (saddle stitch): A5 portrait pages on A4 landscape sheets,
// printed on both sides, folded in the middle and nested, stapled on the
// fold. The two pages meet at the fold, in the middle of the sheet (A4 is
// 1 mm wider than two A5 pages: half a millimetre stays at each side). The page count is made a multiple of 4 with blank pages at the end
// of the document (anpham cannot tell a back cover from a last page of
// text: a layout with a back cover makes its own count a multiple of 4).
// With N pages, sheet s (0-based) carries on its front N - 2s (left) and
// 2s + 1 (right), on its back 2s + 2 (left) and N - 2s - 1 (right): with 8
// pages 8|1, 2|7, 6|3, 4|5. Every page must be A5 portrait (an error names
// the first that is not, with its page template).
//
// "2up": pages in reading order, two per side (1|2, 3|4, ...), on a sheet
// twice as wide as the wider page and as high as the higher one (the A
// size of that landscape sheet when one is at most 1.5 mm larger: A5 pages
// on A4, A4 pages on A3), each page centred in its half; an odd count
// leaves the last right half blank.
//
// A page's bleed shows on the sheet's outer edges, never across the fold
// or the cut between two pages. Links and outline entries of the pages do
// not travel onto sheets (printers have no use for them).
//

ap_pages_t *                                     // O - Sheets (in arena), NULL on error (recorded)
ap_pages_impose(const ap_pages_t *pages,         // I - Laid-out pages (kept: the sheets draw them)
                const char *how,                 // I - "a5-booklet" or "2up"
                ap_arena_t *arena,               // I - Where the sheets go
                ap_diags_t *diags)               // I - Where errors go
{
  ap_pages_t *sheets = AP_NEW(arena, ap_pages_t);
  bool booklet = !strcmp(how, "a5-booklet");
  int n = pages->count, total = booklet ? (n + 3) / 4 * 4 : n; // Pages with the blanks
  const ap_page_t **order = AP_NEW_N(arena, const ap_page_t *, total ? total : 1); // Page i + 1, NULL = blank
  int i = 0;

  sheets->title = pages->title;
  sheets->author = pages->author;
  sheets->subject = pages->subject;
  sheets->keywords = pages->keywords;
  sheets->creator = pages->creator;

  // The pages by number (blanks at the end), A5 ones for a booklet...
  for (const ap_page_t *p = pages->first; p; p = p->next) {
    if (booklet && !check_a5(p, diags))
      return NULL;
    order[i++] = p;
  }

  // Booklet: sheet s front N-2s | 2s+1, back 2s+2 | N-2s-1, meeting at the fold...
  if (booklet) {
    ap_size_t size = sheet_size(2 * A5_W, A5_H);
    double x = (size.w - 2 * A5_W) / 2, y = (size.h - A5_H) / 2; // The pair's corner
    for (int s = 0; s < total / 4; s++)
      for (int back = 0; back < 2; back++) {
        char side[48];
        snprintf(side, sizeof(side), "sheet %d %s", s + 1, back ? "back" : "front");
        ap_page_t *sheet = add_sheet(sheets, arena, size.w, size.h, side);
        int left = back ? 2 * s + 2 : total - 2 * s, right = back ? total - 2 * s - 1 : 2 * s + 1;
        place(sheet, arena, order[left - 1], (ap_rect_t){x, y, A5_W, A5_H}, /*left*/ true);
        place(sheet, arena, order[right - 1], (ap_rect_t){x + A5_W, y, A5_W, A5_H}, /*left*/ false);
        sheet->fold = size.w / 2;
      }
    return sheets;
  }

  // 2-up: 1|2, 3|4, ... each page centred in its half...
  for (int k = 0; k < total; k += 2) {
    const ap_page_t *a = order[k], *b = k + 1 < total ? order[k + 1] : NULL;
    double half = fmax(a->width, b ? b->width : 0), height = fmax(a->height, b ? b->height : 0);
    ap_size_t size = sheet_size(2 * half, height);
    double x = (size.w - 2 * half) / 2, y = (size.h - height) / 2; // The pair's corner
    char side[48];
    snprintf(side, sizeof(side), "side %d", k / 2 + 1);
    ap_page_t *sheet = add_sheet(sheets, arena, size.w, size.h, side);
    place(sheet, arena, a, (ap_rect_t){x + (half - a->width) / 2, y + (height - a->height) / 2, a->width, a->height},
          /*left*/ true);
    if (b)
      place(sheet, arena, b,
            (ap_rect_t){x + half + (half - b->width) / 2, y + (height - b->height) / 2, b->width, b->height},
            /*left*/ false);
    else
      place(sheet, arena, NULL, (ap_rect_t){x + half, y, half, height}, /*left*/ false);
    sheet->cut = size.w / 2;
  }
  return sheets;
}

// Append an empty sheet side.
static ap_page_t *
add_sheet(ap_pages_t *sheets, ap_arena_t *arena, double width, double height, const char *side)
{
  ap_page_t *sheet = AP_NEW(arena, ap_page_t);
  size_t len = strlen(side);
  char *label = AP_NEW_N(arena, char, len + 1);

  memcpy(label, side, len + 1);
  sheet->number = ++sheets->count;
  sheet->width = width;
  sheet->height = height;
  sheet->side = label;
  if (sheets->last)
    sheets->last->next = sheet;
  else
    sheets->first = sheet;
  sheets->last = sheet;
  return sheet;
}

// A booklet page must be A5 portrait: an error at its template otherwise.
static bool
check_a5(const ap_page_t *page, ap_diags_t *diags)
{
  if (fabs(page->width - A5_W) <= SIZE_SLACK && fabs(page->height - A5_H) <= SIZE_SLACK)
    return true;
  const char *name = page->master ? page->master->name : "?";
  ap_loc_t loc = page->master ? page->master->loc : (ap_loc_t){0};
  return ap_fail(diags, loc,
                 "--impose a5-booklet: page %d is %.1f x %.1f mm (page template '%s'), expected A5 portrait "
                 "(148 x 210 mm): give the template size=\"A5\", or print two pages per sheet with --impose 2up",
                 page->number, page->width / AP_PT_PER_MM, page->height / AP_PT_PER_MM, name);
}

// A page (NULL: a blank one) as a group in its cell of the sheet; its
// bleed shows on the three edges that are the sheet's (the left page's
// left, top and bottom; the right page's right, top and bottom).
static void
place(ap_page_t *sheet, ap_arena_t *arena, const ap_page_t *page, ap_rect_t cell, bool left)
{
  ap_box_t *g = AP_NEW(arena, ap_box_t);
  double bleed = page ? page->bleed : 0;

  g->kind = AP_BOX_GROUP;
  g->role = page ? "page" : "blank";
  g->source = page;
  g->rect = cell;
  if (bleed > 0) {
    g->clip = (ap_rect_t){left ? cell.x - bleed : cell.x, cell.y - bleed, cell.w + bleed, cell.h + 2 * bleed};
    if (bleed > sheet->bleed)
      sheet->bleed = bleed;
  }
  if (sheet->last)
    sheet->last->next = g;
  else
    sheet->boxes = g;
  sheet->last = g;
}

// The sheet for two pages side by side (width x height): the A-series
// landscape sheet when one holds them with at most 1.5 mm to spare on each
// side, else exactly their size.
static ap_size_t
sheet_size(double width, double height)
{
  static const double sizes[][2] = {{841, 594}, {594, 420}, {420, 297}, {297, 210}, {210, 148}, {148, 105}}; // A1..A6, mm

  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    double w = sizes[i][0] * AP_PT_PER_MM, h = sizes[i][1] * AP_PT_PER_MM;
    if (w >= width - 0.01 && w - width <= SHEET_SLACK && h >= height - 0.01 && h - height <= SHEET_SLACK)
      return (ap_size_t){w, h};
  }
  return (ap_size_t){width, height};
}
