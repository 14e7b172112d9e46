// The layout dump: laid-out pages as text, the contract layout tests read
// instead of the PDF. Numbers have two decimals and never depend on the locale.
#include <math.h>
#include <string.h>

#include "pages.h"

static void put_color(FILE *out, const char *prefix, ap_color_t c);
static void put_num(FILE *out, double v);
static void put_rect(FILE *out, const char *prefix, ap_rect_t r);

//
// 'ap_pages_dump()' - Write the pages as text.
//

void
ap_pages_dump(const ap_pages_t *pages, FILE *out)
{
  static const char *const kinds[] = {"line", "rule", "rect", "image", "link", "dest", "ellipse", "segment", "group",
                                       "watermark", "sigfield"};

  fprintf(out, "pages %d\n", pages->count);
  for (const ap_page_t *p = pages->first; p; p = p->next) {
    fprintf(out, "page %d w=", p->number);
    put_num(out, p->width);
    fputs(" h=", out);
    put_num(out, p->height);
    if (p->label > 0 && p->label != p->number) // Numbered otherwise than by its place
      fprintf(out, " number=%d", p->label);
    if (p->side)
      fprintf(out, " side=\"%s\"", p->side);
    if (p->bleed > 0) {
      fputs(" bleed=", out);
      put_num(out, p->bleed);
    }
    if (p->trim_box.w > 0) {
      put_rect(out, " trim=", p->trim_box);
      put_rect(out, " bleed-box=", p->bleed_box);
    }
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
        if (b->split_word)
          fputs(" split-word", out);
      }
      if ((b->kind == AP_BOX_RECT || b->kind == AP_BOX_ELLIPSE) && b->fill)
        put_color(out, " fill=", b->color);
      if ((b->kind == AP_BOX_RECT || b->kind == AP_BOX_ELLIPSE) && b->stroke > 0)
        put_color(out, " stroke=", b->stroke_color);
      if (b->kind == AP_BOX_SEGMENT || b->kind == AP_BOX_RULE)
        put_color(out, " stroke=", b->color);
      if (b->stroke > 0 && b->kind != AP_BOX_LINE) {
        fputs(" width=", out);
        put_num(out, b->stroke);
      }
      if (b->radius > 0) {
        fputs(" radius=", out);
        put_num(out, b->radius);
      }
      if (b->kind == AP_BOX_WATERMARK) {
        fputs(" angle=", out);
        put_num(out, b->angle);
        fputs(" opacity=", out);
        put_num(out, b->opacity);
      }
      if (b->source)
        fprintf(out, " source=%d", b->source->number);
      if (b->clip.w > 0)
        put_rect(out, " clip=", b->clip);
      if (b->name && b->kind == AP_BOX_SIGFIELD) // (a field's name may hold spaces)
        fprintf(out, " name=\"%s\"", b->name);
      else if (b->name)
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
        if (r->color.r != 0 || r->color.g != 0 || r->color.b != 0 || r->color.cmyk)
          put_color(out, " color=", r->color);
        if (r->lang)
          fprintf(out, " lang=%s", r->lang);
        fprintf(out, "%s \"%s\"\n", r->label ? " label" : "", r->text);
      }
    }
  }
}

// A colour as #RRGGBB, or cmyk(c,m,y,k) in percent.
static void
put_color(FILE *out, const char *prefix, ap_color_t c)
{
  if (c.cmyk)
    fprintf(out, "%scmyk(%ld,%ld,%ld,%ld)", prefix, lround(c.c * 100), lround(c.m * 100), lround(c.y * 100),
            lround(c.k * 100));
  else
    fprintf(out, "%s#%02X%02X%02X", prefix, (unsigned)lround(c.r * 255), (unsigned)lround(c.g * 255),
            (unsigned)lround(c.b * 255));
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

// A rectangle as x,y,w,h with two decimals each.
static void
put_rect(FILE *out, const char *prefix, ap_rect_t r)
{
  fputs(prefix, out);
  put_num(out, r.x);
  fputc(',', out);
  put_num(out, r.y);
  fputc(',', out);
  put_num(out, r.w);
  fputc(',', out);
  put_num(out, r.h);
}
