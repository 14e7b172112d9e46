// The layout dump: laid-out pages as text, the contract layout tests read
// instead of the PDF. Numbers have two decimals and never depend on the locale.
#include <math.h>
#include <string.h>

#include "pages.h"

static void put_num(FILE *out, double v);

//
// 'ap_pages_dump()' - Write the pages as text.
//

void
ap_pages_dump(const ap_pages_t *pages, FILE *out)
{
  static const char *const kinds[] = {"line", "rule", "rect", "image", "link", "dest"};

  fprintf(out, "pages %d\n", pages->count);
  for (const ap_page_t *p = pages->first; p; p = p->next) {
    fprintf(out, "page %d w=", p->number);
    put_num(out, p->width);
    fputs(" h=", out);
    put_num(out, p->height);
    fputc('\n', out);
    for (const ap_box_t *b = p->boxes; b; b = b->next) {
      fprintf(out, "  %s %s x=", kinds[b->kind], b->role ? b->role : "-");
      put_num(out, b->rect.x);
      fputs(" y=", out);
      put_num(out, b->rect.y);
      fputs(" w=", out);
      put_num(out, b->rect.w);
      fputs(" h=", out);
      put_num(out, b->rect.h);
      if (b->kind == AP_BOX_LINE) {
        fputs(" ratio=", out);
        put_num(out, b->ratio);
        if (b->par)
          fprintf(out, " par=%d line=%d/%d", b->par, b->line, b->lines);
      }
      if (b->name)
        fprintf(out, " name=%s", b->name);
      if (b->level)
        fprintf(out, " level=%d title=\"%s\"", b->level, b->title ? b->title : "");
      fputc('\n', out);
      for (const ap_run_t *r = b->runs; r; r = r->next) {
        fputs("    run x=", out);
        put_num(out, r->x);
        fputs(" base=", out);
        put_num(out, r->baseline);
        fputs(" w=", out);
        put_num(out, r->width);
        fprintf(out, " %s ", ap_font_name(r->font));
        put_num(out, r->size);
        if (r->color.r != 0 || r->color.g != 0 || r->color.b != 0)
          fprintf(out, " color=#%02X%02X%02X", (unsigned)lround(r->color.r * 255), (unsigned)lround(r->color.g * 255),
                  (unsigned)lround(r->color.b * 255));
        fprintf(out, "%s \"%s\"\n", r->label ? " label" : "", r->text);
      }
    }
  }
}

// A number with two decimals and a '.' whatever the locale says.
static void
put_num(FILE *out, double v)
{
  long long c = llround(v * 100);
  if (c < 0) {
    fputc('-', out);
    c = -c;
  }
  fprintf(out, "%lld.%02lld", c / 100, c % 100);
}
