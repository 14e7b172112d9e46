// Unit tests for layout/text: Knuth–Plass breaking and justification of a real
// Vietnamese paragraph, break opportunities, the rules that keep numbers and
// codes together, balanced centred lines, over-long tokens, U+00A0,
// footnote marks, alignment, missing glyphs, the paragraph cache, breaking's
// quick test against rating every line, the ink top of lines, and a
// repeated setting.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/geom.h"
#include "layout/text/text-private.h"

#define FONT_PATH AP_SOURCE_DIR "/fonts/LiberationSerif-Regular.ttf"
#define MEASURE 467.7 // 165 mm in points
#define SIZE 13.0     // Body size in points

// From the 2023 report (seed 004), first paragraph of the summary.
static const char par_2023[] =
    "Năm 2023 là năm thực hiện Nghị quyết giữa nhiệm kỳ Đại hội Đảng toàn quốc lần thứ XIII và "
    "đánh giá giữa nhiệm kỳ thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Hậu Giang lần thứ "
    "XIV, nhiệm kỳ 2020 - 2025; cùng với đó, cả hệ thống chính trị trong tỉnh quyết tâm lập nhiều "
    "thành tích thiết thực, ý nghĩa chào mừng kỷ niệm 20 năm ngày thành lập tỉnh, trong bối cảnh "
    "có nhiều thời cơ thuận lợi, song cũng không ít khó khăn, thách thức đan xen. Tình hình thế "
    "giới và trong nước mặc dù có một số tín hiệu tích cực, nhưng về tổng thể kinh tế chưa ra khỏi "
    "giai đoạn khó khăn, có tính bất định cao, diễn biến phức tạp, nhanh chóng cùng nhiều yếu tố "
    "mới, bất ngờ, xuất hiện các rủi ro trong cả ngắn hạn và dài hạn.";

// Shared by every test: one face, one arena, the diagnostics.
typedef struct fixture_s {
  ap_fontset_t *set; // Faces
  ap_font_t *font;   // Liberation Serif Regular
  ap_arena_t *arena; // Lines and runs
  ap_diags_t diags;  // Errors
} fixture_t;

// An item of the test face.
static ap_inline_t
item_of(const fixture_t *f, const char *text, double size)
{
  ap_inline_t it;

  memset(&it, 0, sizeof(it));
  it.text = text;
  it.len = strlen(text);
  it.font = f->font;
  it.size = size;
  return it;
}

// A configuration.
static ap_par_config_t
config_of(double measure, double indent, ap_align_t align)
{
  ap_par_config_t c = {measure, indent, align, 2.0};
  return c;
}

// Lay out and assert success.
static void
layout(fixture_t *f, const ap_inline_t *items, size_t n, const ap_par_config_t *config,
       ap_line_t **lines, size_t *nlines)
{
  assert_true(ap_par_layout(f->arena, items, n, config, lines, nlines, &f->diags,
                            ap_loc_file("test.xml")));
  assert_int_equal(f->diags.errors, 0);
}

// Every run stays inside the measure and after the previous one.
static void
check_inside(const ap_line_t *lines, size_t n, double measure)
{
  for (size_t i = 0; i < n; i++) {
    double prev = -1e9;
    assert_non_null(lines[i].runs);
    assert_true(lines[i].ascent > 0);
    assert_true(lines[i].descent > 0);
    for (const ap_run_t *r = lines[i].runs; r; r = r->next) {
      assert_true(r->x + r->width <= measure + 0.01);
      assert_true(r->x >= prev - 1e-6);
      assert_true(r->width > 0);
      prev = r->x + r->width;
      if (!r->next)
        assert_true(fabs(lines[i].width - prev) < 1e-9);
    }
  }
}

// Text of the lines: adjacent runs joined, a space at gaps and line ends.
static char *
join_lines(const ap_line_t *lines, size_t n, const char *line_sep)
{
  size_t cap = 1 << 16, len = 0;
  char *out = calloc(1, cap);

  for (size_t i = 0; i < n; i++) {
    if (i)
      len += (size_t)snprintf(out + len, cap - len, "%s", line_sep);
    for (const ap_run_t *r = lines[i].runs; r; r = r->next) {
      len += (size_t)snprintf(out + len, cap - len, "%s", r->text);
      if (r->next && r->next->x - (r->x + r->width) > 1e-6)
        len += (size_t)snprintf(out + len, cap - len, " ");
    }
  }
  return out;
}

// Sum of squared ratios of every line but the last.
static double
sum_squares(const ap_line_t *lines, size_t n)
{
  double s = 0;
  for (size_t i = 0; i + 1 < n; i++)
    s += lines[i].ratio * lines[i].ratio;
  return s;
}

static int
setup(void **state)
{
  fixture_t *f = calloc(1, sizeof(*f));
  f->set = ap_fontset_create();
  f->font = ap_fontset_load(f->set, FONT_PATH, &f->diags, ap_loc_file("test"));
  f->arena = ap_arena_create();
  *state = f;
  return f->font ? 0 : -1;
}

static int
teardown(void **state)
{
  fixture_t *f = *state;
  ap_diags_clear(&f->diags);
  ap_arena_destroy(f->arena);
  ap_fontset_destroy(f->set);
  free(f);
  return 0;
}

// The real paragraph, justified at 13 pt on 165 mm with a 1 cm indent.
static void
test_justify_vietnamese(void **state)
{
  fixture_t *f = *state;
  ap_inline_t it = item_of(f, par_2023, SIZE);
  ap_par_config_t config = config_of(MEASURE, ap_mm(10), AP_ALIGN_JUSTIFY);
  ap_line_t *lines, *ff_lines;
  size_t n, ff_n;
  double max_ratio = 0;

  layout(f, &it, 1, &config, &lines, &n);
  assert_true(n >= 5);
  check_inside(lines, n, MEASURE);

  // Flush both sides, the last line natural, the indent honoured...
  assert_true(fabs(lines[0].runs->x - ap_mm(10)) < 1e-9);
  for (size_t i = 0; i < n; i++) {
    if (i + 1 < n) {
      assert_true(fabs(lines[i].width - MEASURE) < 0.01);
      if (fabs(lines[i].ratio) > max_ratio)
        max_ratio = fabs(lines[i].ratio);
      for (const ap_run_t *r = lines[i].runs; r; r = r->next)
        assert_null(strchr(r->text, ' ')); // One run per word on justified lines
    } else {
      assert_true(lines[i].ratio == 0);
      assert_true(lines[i].width < MEASURE);
    }
    assert_int_equal(lines[i].nmarks, 0);
  }
  assert_true(max_ratio <= 2.0);

  // Every word, in order...
  char *joined = join_lines(lines, n, " ");
  assert_string_equal(joined, par_2023);
  free(joined);

  // Total fit beats first fit...
  ap_par_t par;
  ap_par_init(&par, &it, 1, &config);
  assert_true(ap_par_collect(&par, &f->diags, ap_loc_file("test")));
  ap_par_break_first(&par);
  ap_par_finalize(&par, f->arena, &ff_lines, &ff_n);
  ap_par_clear(&par);
  check_inside(ff_lines, ff_n, MEASURE);
  printf("# %zu lines, max |ratio| %.3f, sum r^2 total fit %.4f, first fit %.4f (%zu lines)\n", n,
         max_ratio, sum_squares(lines, n), sum_squares(ff_lines, ff_n), ff_n);
  for (size_t i = 0; i < n; i++) {
    char *text = join_lines(lines + i, 1, "");
    printf("#   %6.3f %s\n", lines[i].ratio, text);
    free(text);
  }
  assert_true(sum_squares(lines, n) <= sum_squares(ff_lines, ff_n) + 1e-9);
  joined = join_lines(ff_lines, ff_n, " ");
  assert_string_equal(joined, par_2023);
  free(joined);
}

// Many measures: the invariants hold everywhere, every alignment.
static void
test_measures_sweep(void **state)
{
  fixture_t *f = *state;
  ap_inline_t it = item_of(f, par_2023, SIZE);
  double worst = 0;

  for (int align = AP_ALIGN_LEFT; align <= AP_ALIGN_JUSTIFY; align++) {
    for (double m = 40; m < 600; m += 13.7) {
      ap_par_config_t config = config_of(m, m > 100 ? 20 : 0, (ap_align_t)align);
      ap_line_t *lines;
      size_t n;
      layout(f, &it, 1, &config, &lines, &n);
      check_inside(lines, n, m);
      for (size_t i = 0; i < n; i++) {
        if (align != AP_ALIGN_JUSTIFY || i + 1 == n)
          assert_true(lines[i].ratio == 0);
        else if (m > 150 && fabs(lines[i].ratio) > worst)
          worst = fabs(lines[i].ratio);
      }
      if (m > 150) {
        char *joined = join_lines(lines, n, " ");
        assert_string_equal(joined, par_2023);
        free(joined);
      }
    }
  }
  printf("# worst |ratio| for measures over 150 pt: %.3f\n", worst);

  // Measures narrower than a letter: one letter per line, nothing lost...
  for (double m = 0; m < 8; m += 2.5) {
    ap_par_config_t config = config_of(m, 3, AP_ALIGN_JUSTIFY);
    ap_line_t *lines;
    size_t n;
    layout(f, &it, 1, &config, &lines, &n);
    char *joined = join_lines(lines, n, "");
    char expect[sizeof(par_2023)];
    size_t k = 0;
    for (const char *p = par_2023; *p; p++)
      if (*p != ' ')
        expect[k++] = *p;
    expect[k] = 0;
    // Joined runs touch within a line: drop the gaps between words too...
    k = 0;
    for (char *p = joined; *p; p++)
      if (*p != ' ')
        joined[k++] = *p;
    joined[k] = 0;
    assert_string_equal(joined, expect);
    free(joined);
  }
}

// "2020-2025" breaks after the hyphen when it must (wider than the line); a
// lone " - " gives no break, a code that fits none.
static void
test_hyphen_break(void **state)
{
  fixture_t *f = *state;
  ap_inline_t it = item_of(f, "2020-2025", SIZE);
  double m = ap_font_measure(f->font, "2020-", 5, SIZE) + 1;
  ap_par_config_t config = config_of(m, 0, AP_ALIGN_JUSTIFY);
  ap_line_t *lines;
  size_t n;

  layout(f, &it, 1, &config, &lines, &n);
  assert_int_equal(n, 2);
  assert_string_equal(lines[0].runs->text, "2020-");
  assert_string_equal(lines[1].runs->text, "2025");
  check_inside(lines, n, m);

  // Unbroken, the pieces make one run...
  config.measure = MEASURE;
  layout(f, &it, 1, &config, &lines, &n);
  assert_int_equal(n, 1);
  assert_string_equal(lines[0].runs->text, "2020-2025");
  assert_null(lines[0].runs->next);

  // Flagged penalties only inside tokens, never inside a code that fits...
  static const struct {
    const char *text;
    int flagged;
  } cases[] = {{"2020 - 2025", 0}, {"2020-2025", 0}, {"341-BC/TU", 0}, {"Mác-Lênin", 1},
               {"-5 và 5-", 0},    {"a--b", 0},      {"a/b-c", 2},     {"(30/2020/NĐ-CP).", 0},
               {"kinh tế-xã hội", 1}, {"2020-2025,", 0}, {"x=1/2", 1}};
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    ap_inline_t ci = item_of(f, cases[i].text, SIZE);
    ap_par_t par;
    int flagged = 0;
    ap_par_init(&par, &ci, 1, &config);
    assert_true(ap_par_collect(&par, &f->diags, ap_loc_file("test")));
    for (size_t k = 0; k < par.nelems; k++)
      flagged += par.elems[k].kind == AP_ELEM_PENALTY && par.elems[k].flagged;
    ap_par_clear(&par);
    assert_int_equal(flagged, cases[i].flagged);
  }
}

// The ties of a text's spaces, in order: '0' a break opportunity, '1' a
// number's tie, '2' a dash's (kept longest).
static void
ties_of(fixture_t *f, const char *text, double measure, char *out)
{
  ap_inline_t it = item_of(f, text, SIZE);
  ap_par_config_t config = config_of(measure, 0, AP_ALIGN_JUSTIFY);
  ap_par_t par;
  size_t k = 0;

  ap_par_init(&par, &it, 1, &config);
  assert_true(ap_par_collect(&par, &f->diags, ap_loc_file("test")));
  for (size_t i = 0; i < par.nelems; i++)
    if (par.elems[i].kind == AP_ELEM_GLUE && par.elems[i].item != AP_PAR_NONE)
      out[k++] = (char)('0' + par.elems[i].tie);
  out[k] = 0;
  ap_par_clear(&par);
}

// Which spaces the rules tie: numbers after their introducer, ranges with a
// spaced dash, any spaced dash to the word before it; nothing else.
static void
test_ties(void **state)
{
  fixture_t *f = *state;
  static const struct {
    const char *text;
    const char *ties;
  } cases[] = {
      {"nhiệm kỳ 2020 - 2025 và", "00210"},
      {"năm 2015 – 2020.", "121"},           // En dash, and "năm 2015"
      {"đạt 80 - 87% kế hoạch", "02100"},
      {"ngày 05 tháng 02 năm 2023", "10101"},
      {"Số: 12 SỐ 3 ĐIỀU 4 khoản 2 Điểm a", "101010100"}, // Any case, "Số:"; a letter is no number
      {"Quy định số 1120-QĐ/TU ngày 01/6/2022", "00101"},
      {"Chương 2 Mục 3 Phần 1 quý 4 điểm 7", "101010101"},
      {"kinh tế - xã hội", "0200"},          // A spaced dash never starts a line
      {"- 2025 và 2020 -", "0002"},         // No number before, no number after
      {"số lượng 10 năm", "000"},           // "số" before a word, "năm" after a number
      {"tăng 5 -7 lần", "000"},             // No space after the dash: no range
  };
  char ties[64];

  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    ties_of(f, cases[i].text, MEASURE, ties);
    printf("# %-40s %s\n", cases[i].text, ties);
    assert_string_equal(ties, cases[i].ties);
  }

  // Tied words wider than any line are set free, numbers first, then the
  // dash; those that fit stay tied; with number ties alone (one pass), each
  // chain is freed on its own width...
  double range = ap_font_measure(f->font, "2020 - 2025", 11, SIZE);
  double dash = ap_font_measure(f->font, "2020 -", 6, SIZE);
  double day = ap_font_measure(f->font, "ngày 05", strlen("ngày 05"), SIZE);
  double month = ap_font_measure(f->font, "tháng 02", strlen("tháng 02"), SIZE);
  const struct {
    const char *text;
    double measure;
    const char *ties;
  } wide[] = {
      {"nhiệm kỳ 2020 - 2025 và", range + 1, "00210"}, {"nhiệm kỳ 2020 - 2025 và", range - 1, "00200"},
      {"nhiệm kỳ 2020 - 2025 và", dash - 1, "00000"},  {"ngày 05 tháng 02 năm", month + 1, "1010"},
      {"ngày 05 tháng 02 năm", month - 1, "1000"},     {"ngày 05 tháng 02 năm", day - 1, "0000"},
  };
  assert_true(day < month - 1);
  for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
    ties_of(f, wide[i].text, wide[i].measure, ties);
    assert_string_equal(ties, wide[i].ties);
  }
}

// A paragraph set at many measures: never a break inside a range, a code or
// after an introducer, and no line starts with a spaced dash; every word kept.
static void
test_keep_together(void **state)
{
  fixture_t *f = *state;
  static const char text[] =
      "Thực hiện Quy định số 1120-QĐ/TU ngày 01/6/2022 của Tỉnh ủy và Nghị định 30/2020/NĐ-CP, "
      "trong nhiệm kỳ 2020 - 2025 tỉnh đạt 80 – 87% kế hoạch theo Điều 5 khoản 2 về kinh tế - xã "
      "hội; Báo cáo số 341-BC/TU tháng 12/2023 và năm 2024 (giai đoạn 2021 - 2025).";
  static const char *const together[] = {"số 1120-QĐ/TU", "ngày 01/6/2022", "30/2020/NĐ-CP,", "2020 - 2025",
                                         "80 – 87%",      "Điều 5",         "khoản 2",        "tế -",
                                         "số 341-BC/TU",  "tháng 12/2023",  "năm 2024",       "2021 - 2025)."};
  ap_inline_t it = item_of(f, text, SIZE);
  size_t checked = 0;

  for (int align = AP_ALIGN_LEFT; align <= AP_ALIGN_JUSTIFY; align++) {
    for (double m = 110; m < 500; m += 3.3) {
      ap_par_config_t config = config_of(m, m > 200 ? 20 : 0, (ap_align_t)align);
      ap_line_t *lines;
      size_t n;
      layout(f, &it, 1, &config, &lines, &n);
      check_inside(lines, n, m);
      char *joined = join_lines(lines, n, " | ");
      for (size_t i = 0; i < sizeof(together) / sizeof(together[0]); i++) {
        if (!strstr(joined, together[i]))
          printf("# measure %.1f: \"%s\" broken in: %s\n", m, together[i], joined);
        assert_non_null(strstr(joined, together[i]));
      }
      for (size_t i = 0; i < n; i++)
        assert_false(lines[i].split_word); // Every code here fits the line
      assert_null(strstr(joined, "| -"));
      assert_null(strstr(joined, "| –"));
      free(joined);
      joined = join_lines(lines, n, " ");
      assert_string_equal(joined, text);
      free(joined);
      checked++;
    }
  }
  printf("# %zu settings checked\n", checked);

  // On a line narrower than a range or a code, they still break, inside the line...
  ap_inline_t narrow = item_of(f, "kỳ 2020 - 2025 số 30/2020/NĐ-CP", SIZE);
  double m = ap_font_measure(f->font, "2020 - 20", 9, SIZE);
  ap_par_config_t config = config_of(m, 0, AP_ALIGN_LEFT);
  ap_line_t *lines;
  size_t n;
  layout(f, &narrow, 1, &config, &lines, &n);
  check_inside(lines, n, m);
  char *joined = join_lines(lines, n, " | ");
  printf("# narrow: %s\n", joined);
  assert_non_null(strstr(joined, "2020 - | 2025")); // The dash still ends its line
  assert_non_null(strstr(joined, "/ | ")); // The code breaks after a '/'
  assert_true(lines[n - 2].split_word);
  free(joined);
}

// Width of the widest line.
static double
widest(const ap_line_t *lines, size_t n)
{
  double w = 0;
  for (size_t i = 0; i < n; i++) {
    double lw = 0;
    for (const ap_run_t *r = lines[i].runs; r; r = r->next)
      lw = r->x + r->width - lines[i].runs->x;
    w = fmax(w, lw);
  }
  return w;
}

// Centred lines are balanced: as many lines as total fit gives them, the
// widest as narrow as any setting in that many lines allows, centred on the
// real measure; other alignments are left as they are.
static void
test_balance(void **state)
{
  fixture_t *f = *state;
  static const char title[] = "KẾT QUẢ NỔI BẬT CỦA ĐẢNG BỘ TỈNH HẬU GIANG, NHIỆM KỲ 2020 - 2025";
  ap_inline_t it = item_of(f, title, 14);
  ap_par_config_t center = config_of(MEASURE, 0, AP_ALIGN_CENTER);
  ap_par_config_t left = config_of(MEASURE, 0, AP_ALIGN_LEFT);
  ap_line_t *lines, *left_lines;
  size_t n, left_n;

  layout(f, &it, 1, &left, &left_lines, &left_n);
  layout(f, &it, 1, &center, &lines, &n);
  assert_int_equal(left_n, 2);
  assert_int_equal(n, 2);
  char *joined = join_lines(lines, n, " | ");
  printf("# %s\n", joined);

  // The best pair of lines, by trying every space...
  double best = INFINITY, space = ap_font_measure(f->font, " ", 1, 14);
  double total = ap_font_measure(f->font, title, strlen(title), 14);
  for (const char *p = title; (p = strchr(p, ' ')) != NULL; p++) {
    double a = ap_font_measure(f->font, title, (size_t)(p - title), 14);
    best = fmin(best, fmax(a, total - a - space));
  }
  printf("# widest line %.2f, best possible %.2f, left-aligned %.2f\n", widest(lines, n), best,
         widest(left_lines, left_n));
  assert_true(widest(lines, n) <= best + 0.5 + 1e-6);
  assert_true(widest(lines, n) < widest(left_lines, left_n));
  assert_non_null(strstr(joined, "2020 - 2025"));
  for (size_t i = 0; i < n; i++) {
    double w = lines[i].runs->width;
    assert_true(fabs(lines[i].runs->x - (MEASURE - w) / 2) < 1e-9); // Centred on the real measure
  }
  free(joined);

  // A long paragraph at many measures: never more lines, never wider than ragged...
  ap_inline_t body = item_of(f, par_2023, SIZE);
  for (double m = 60; m < 600; m += 7.9) {
    ap_par_config_t c = config_of(m, 0, AP_ALIGN_CENTER), l = config_of(m, 0, AP_ALIGN_LEFT);
    layout(f, &body, 1, &l, &left_lines, &left_n);
    layout(f, &body, 1, &c, &lines, &n);
    assert_true(n <= left_n);
    assert_true(widest(lines, n) <= widest(left_lines, left_n) + 1e-6);
    check_inside(lines, n, m);
    char *words = join_lines(lines, n, " ");
    if (m > 150)
      assert_string_equal(words, par_2023);
    free(words);
  }

  // ...and a left-aligned title is not balanced.
  layout(f, &it, 1, &left, &left_lines, &left_n);
  assert_true(widest(left_lines, left_n) > best + 10);
}

// A token wider than the measure is cut between characters, as many as fit.
static void
test_overlong_token(void **state)
{
  fixture_t *f = *state;
  static const char text[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  ap_inline_t it = item_of(f, text, SIZE);
  double wa = ap_font_measure(f->font, "a", 1, SIZE);

  for (int align = AP_ALIGN_LEFT; align <= AP_ALIGN_JUSTIFY; align++) {
    for (double indent = 0; indent <= 10; indent += 10) {
      ap_par_config_t config = config_of(50, indent, (ap_align_t)align);
      ap_line_t *lines;
      size_t n;
      layout(f, &it, 1, &config, &lines, &n);
      assert_true(n > 1);
      check_inside(lines, n, 50);
      char *joined = join_lines(lines, n, "");
      assert_string_equal(joined, text);
      free(joined);
      if (align == AP_ALIGN_LEFT) {
        for (size_t i = 0; i + 1 < n; i++)
          assert_true(lines[i].width + wa > 50); // As many as fit
      }
    }
  }

  // Inside a sentence, with UTF-8 letters: cut at code points, words kept...
  static const char mixed[] = "Trong đó ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ là một từ rất dài.";
  ap_inline_t mi = item_of(f, mixed, SIZE);
  ap_par_config_t config = config_of(80, 0, AP_ALIGN_JUSTIFY);
  ap_line_t *lines;
  size_t n;
  layout(f, &mi, 1, &config, &lines, &n);
  check_inside(lines, n, 80);
  for (size_t i = 0; i < n; i++)
    for (const ap_run_t *r = lines[i].runs; r; r = r->next)
      assert_true(strlen(r->text) > 0);
}

// U+00A0 binds its neighbours: it stays inside a run and never breaks.
static void
test_nbsp(void **state)
{
  fixture_t *f = *state;
  static const char text[] = "xx aa\xc2\xa0"
                             "bb\xc2\xa0"
                             "cc";
  ap_inline_t it = item_of(f, text, SIZE);
  double group = ap_font_measure(f->font, "aa bb cc", 8, SIZE);
  double head = ap_font_measure(f->font, "xx aa bb", 8, SIZE);
  double m = fmax(group, head) + 1;
  ap_par_config_t config = config_of(m, 0, AP_ALIGN_LEFT);
  ap_line_t *lines;
  size_t n;

  assert_true(m < ap_font_measure(f->font, "xx aa bb cc", 11, SIZE));
  layout(f, &it, 1, &config, &lines, &n);
  assert_int_equal(n, 2);
  assert_string_equal(lines[0].runs->text, "xx");
  assert_string_equal(lines[1].runs->text, "aa\xc2\xa0"
                                           "bb\xc2\xa0"
                                           "cc");
  assert_true(fabs(lines[1].runs->width - group) < 1e-9); // U+00A0 as wide as a space
  check_inside(lines, n, m);
}

// A footnote label glued to its word stays with it, as its own raised run.
static void
test_footnote_mark(void **state)
{
  fixture_t *f = *state;
  ap_inline_t items[3];
  items[0] = item_of(f, "Bám sát chặt chẽ các chủ trương của Đảng và của hội", SIZE);
  items[1] = item_of(f, "12", 8);
  items[1].rise = 5;
  items[1].mark = 12;
  items[2] = item_of(f, ". Tiếp tục đổi mới phương thức lãnh đạo.", SIZE);

  for (int align = AP_ALIGN_LEFT; align <= AP_ALIGN_JUSTIFY; align++) {
    for (double m = 30; m < 400; m += 3.1) {
      ap_par_config_t config = config_of(m, 0, (ap_align_t)align);
      ap_line_t *lines;
      size_t n, found = 0;
      layout(f, items, 3, &config, &lines, &n);
      check_inside(lines, n, m);
      for (size_t i = 0; i < n; i++) {
        int here = 0;
        for (const ap_run_t *r = lines[i].runs; r; r = r->next) {
          if (strcmp(r->text, "12") != 0)
            continue;
          found++;
          here++;
          assert_int_equal(lines[i].nmarks, 1);
          assert_int_equal(lines[i].marks[0], 12);
          assert_true(r->baseline == -5);
          assert_true(r->size == 8);
          assert_non_null(r->next); // The full stop follows, touching
          assert_true(fabs(r->next->x - (r->x + r->width)) < 1e-9);
          assert_true(r->next->text[0] == '.');
          assert_true(lines[i].ascent >= ap_font_get_metrics(f->font, 8).ascender + 5 - 1e-9);
        }
        assert_int_equal(lines[i].nmarks, here);
      }
      assert_int_equal(found, 1);
      // The word before the label touches it...
      char *joined = join_lines(lines, n, " ");
      assert_non_null(strstr(joined, "hội12."));
      free(joined);
    }
  }
}

// Left, centre and right: natural spacing, offsets, merged runs.
static void
test_alignment(void **state)
{
  fixture_t *f = *state;
  ap_inline_t it = item_of(f, "xin chào Hậu Giang", SIZE);
  double w = ap_font_measure(f->font, it.text, it.len, SIZE);
  ap_line_t *lines;
  size_t n;

  ap_par_config_t left = config_of(300, 0, AP_ALIGN_LEFT);
  layout(f, &it, 1, &left, &lines, &n);
  assert_int_equal(n, 1);
  assert_string_equal(lines[0].runs->text, "xin chào Hậu Giang");
  assert_true(lines[0].runs->x == 0);
  assert_true(fabs(lines[0].width - w) < 1e-9);

  ap_par_config_t center = config_of(300, 0, AP_ALIGN_CENTER);
  layout(f, &it, 1, &center, &lines, &n);
  assert_true(fabs(lines[0].runs->x - (300 - w) / 2) < 1e-9);
  assert_true(fabs(lines[0].width - (300 + w) / 2) < 1e-9);

  ap_par_config_t right = config_of(300, 0, AP_ALIGN_RIGHT);
  layout(f, &it, 1, &right, &lines, &n);
  assert_true(fabs(lines[0].runs->x - (300 - w)) < 1e-9);
  assert_true(fabs(lines[0].width - 300) < 1e-9);

  // A justified single line is the last line: natural too...
  ap_par_config_t justify = config_of(300, 0, AP_ALIGN_JUSTIFY);
  layout(f, &it, 1, &justify, &lines, &n);
  assert_true(lines[0].ratio == 0);
  assert_true(fabs(lines[0].width - w) < 1e-9);

  // Ragged lines: natural spacing everywhere, right edges inside...
  ap_inline_t body = item_of(f, par_2023, SIZE);
  for (int align = AP_ALIGN_LEFT; align <= AP_ALIGN_RIGHT; align++) {
    ap_par_config_t config = config_of(MEASURE, 0, (ap_align_t)align);
    layout(f, &body, 1, &config, &lines, &n);
    check_inside(lines, n, MEASURE);
    for (size_t i = 0; i < n; i++) {
      assert_true(lines[i].ratio == 0);
      assert_null(lines[i].runs->next); // One style: one run per line
      double lw = lines[i].runs->width;
      if (align == AP_ALIGN_RIGHT)
        assert_true(fabs(lines[i].runs->x + lw - MEASURE) < 1e-9);
      if (align == AP_ALIGN_CENTER)
        assert_true(fabs(lines[i].runs->x - (MEASURE - lw) / 2) < 1e-9);
    }
  }

  // Leading, trailing and empty text...
  ap_inline_t sp[2] = {item_of(f, " ", SIZE), item_of(f, "", SIZE)};
  layout(f, sp, 2, &left, &lines, &n);
  assert_int_equal(n, 0);
  assert_null(lines);
  ap_inline_t padded = item_of(f, " hai ba ", SIZE);
  layout(f, &padded, 1, &left, &lines, &n);
  assert_int_equal(n, 1);
  assert_string_equal(lines[0].runs->text, "hai ba");
}

// Styles that differ split runs; spaces at item boundaries are glue.
static void
test_styles(void **state)
{
  fixture_t *f = *state;
  ap_inline_t items[3];
  items[0] = item_of(f, "Kết quả ", SIZE);
  items[1] = item_of(f, "năm 2023", SIZE);
  items[1].underline = true;
  items[2] = item_of(f, " rất tốt", SIZE);
  ap_par_config_t config = config_of(MEASURE, 0, AP_ALIGN_LEFT);
  ap_line_t *lines;
  size_t n;

  layout(f, items, 3, &config, &lines, &n);
  assert_int_equal(n, 1);
  char *joined = join_lines(lines, n, " ");
  assert_string_equal(joined, "Kết quả năm 2023 rất tốt");
  free(joined);
  assert_string_equal(lines[0].runs->text, "Kết quả");
  assert_string_equal(lines[0].runs->next->text, "năm 2023");
  assert_true(lines[0].runs->next->underline);
  assert_string_equal(lines[0].runs->next->next->text, "rất tốt");
}

// A face without the glyph: an error naming it and the code point.
static void
test_missing_glyph(void **state)
{
  fixture_t *f = *state;
  ap_inline_t it = item_of(f, "Hậu Giang \xe4\xb8\xad", SIZE);
  ap_par_config_t config = config_of(MEASURE, 0, AP_ALIGN_JUSTIFY);
  ap_line_t *lines;
  size_t n;
  char buf[256];

  assert_false(ap_par_layout(f->arena, &it, 1, &config, &lines, &n, &f->diags,
                             ap_loc_file("layout.xml")));
  assert_int_equal(f->diags.errors, 1);
  ap_diag_format(f->diags.first, buf, sizeof(buf));
  assert_non_null(strstr(buf, "font 'LiberationSerif' has no glyph for U+4E2D"));
  ap_diags_clear(&f->diags);
  f->diags.errors = 0;
  f->diags.first = f->diags.last = NULL;
}

// A paragraph set through the cache: the second lookup is answered, with
// the same lines as a fresh setting, its link strings those of the asking
// items; the caller's changes to its copy never reach the cache; any other
// measure or colour is set anew.
static void
test_cache(void **state)
{
  fixture_t *f = *state;
  static const char before[] = "Năm 2023 là năm thực hiện ", linked[] = "Nghị quyết giữa nhiệm kỳ",
                    after[] = " Đại hội Đảng toàn quốc lần thứ XIII và đánh giá giữa nhiệm kỳ thực hiện Nghị quyết "
                              "Đại hội đại biểu Đảng bộ tỉnh Hậu Giang lần thứ XIV, nhiệm kỳ 2020 - 2025.";
  char link1[] = "#nq", link2[] = "#nq"; // Equal strings at two places: the items of two passes
  ap_inline_t items[3] = {item_of(f, before, SIZE), item_of(f, linked, SIZE), item_of(f, after, SIZE)};
  ap_par_config_t config = config_of(MEASURE / 2, ap_mm(10), AP_ALIGN_JUSTIFY);
  ap_par_cache_t *cache = ap_par_cache_create(1 << 20);
  ap_line_t *fresh, *first, *second, *third;
  size_t nfresh, n1, n2, n3, hits, misses;
  assert_non_null(cache);

  items[1].link = link1;
  layout(f, items, 3, &config, &fresh, &nfresh);
  assert_true(nfresh > 2);
  assert_true(ap_par_layout_cached(cache, f->arena, items, 3, &config, &first, &n1, &f->diags, ap_loc_file("t")));
  items[1].link = link2;
  assert_true(ap_par_layout_cached(cache, f->arena, items, 3, &config, &second, &n2, &f->diags, ap_loc_file("t")));
  ap_par_cache_stats(cache, &hits, &misses);
  assert_int_equal(hits, 1);
  assert_int_equal(misses, 1);

  // The same lines as set without the cache, runs for runs...
  assert_int_equal(n2, nfresh);
  int linked_runs = 0;
  for (size_t i = 0; i < n2; i++) {
    const ap_run_t *a = fresh[i].runs, *b = second[i].runs;
    assert_true(fresh[i].width == second[i].width && fresh[i].ratio == second[i].ratio);
    for (; a && b; a = a->next, b = b->next) {
      assert_string_equal(a->text, b->text);
      assert_true(a->x == b->x && a->width == b->width && a->font == b->font && a->size == b->size);
      assert_true(a->link ? b->link == link2 : b->link == NULL); // The asking items' string
      linked_runs += b->link != NULL;
    }
    assert_null(a);
    assert_null(b);
  }
  assert_true(linked_runs >= 1);

  // ...which the caller may move: the cache keeps its own...
  for (size_t i = 0; i < n2; i++)
    for (ap_run_t *r = second[i].runs; r; r = r->next)
      r->x += 100;
  assert_true(ap_par_layout_cached(cache, f->arena, items, 3, &config, &third, &n3, &f->diags, ap_loc_file("t")));
  assert_int_equal(n3, nfresh);
  assert_true(third[0].runs->x == fresh[0].runs->x);
  assert_ptr_not_equal(third[0].runs, second[0].runs);

  // ...and a different measure or colour is another paragraph.
  ap_par_config_t wider = config_of(MEASURE, ap_mm(10), AP_ALIGN_JUSTIFY);
  assert_true(ap_par_layout_cached(cache, f->arena, items, 3, &wider, &third, &n3, &f->diags, ap_loc_file("t")));
  items[2].color.r = 0.5f;
  assert_true(ap_par_layout_cached(cache, f->arena, items, 3, &config, &third, &n3, &f->diags, ap_loc_file("t")));
  ap_par_cache_stats(cache, &hits, &misses);
  assert_int_equal(hits, 2);
  assert_int_equal(misses, 3);
  assert_int_equal(n1, nfresh);
  ap_par_cache_destroy(cache);
}

// A cache that keeps only what comes again (a document laid out once): a
// paragraph is set twice, then answered; one set once is never kept.
static void
test_cache_again_only(void **state)
{
  fixture_t *f = *state;
  ap_inline_t once = item_of(f, "Dòng thử số 1", SIZE), again = item_of(f, "Nhóm 7", SIZE);
  ap_par_config_t config = config_of(MEASURE, 0, AP_ALIGN_LEFT);
  ap_par_cache_t *cache = ap_par_cache_create(1 << 20);
  ap_line_t *lines;
  size_t n, hits, misses;
  assert_non_null(cache);
  ap_par_cache_again_only(cache, true);

  for (int i = 0; i < 4; i++) // Set, set and kept, answered, answered
    assert_true(ap_par_layout_cached(cache, f->arena, &again, 1, &config, &lines, &n, &f->diags, ap_loc_file("t")));
  assert_true(ap_par_layout_cached(cache, f->arena, &once, 1, &config, &lines, &n, &f->diags, ap_loc_file("t")));
  assert_int_equal(n, 1);
  ap_par_cache_stats(cache, &hits, &misses);
  assert_int_equal(hits, 2);
  assert_int_equal(misses, 3);

  // Every paragraph kept the first time again (the default)...
  ap_par_cache_again_only(cache, false);
  ap_inline_t other = item_of(f, "Dòng thử số 2", SIZE);
  for (int i = 0; i < 2; i++)
    assert_true(ap_par_layout_cached(cache, f->arena, &other, 1, &config, &lines, &n, &f->diags, ap_loc_file("t")));
  ap_par_cache_stats(cache, &hits, &misses);
  assert_int_equal(hits, 3);
  assert_int_equal(misses, 4);
  ap_par_cache_destroy(cache);
}

// The words of the 2023 paragraph (split in copy, which must hold it) and
// the extra ones, for random paragraphs; returns how many (at most 150 + nextra).
static size_t
words_of(char copy[sizeof(par_2023)], const char *const *extra, size_t nextra, const char **words)
{
  size_t n = 0;

  memcpy(copy, par_2023, sizeof(par_2023));
  for (char *w = strtok(copy, " "); w && n < 150; w = strtok(NULL, " "))
    words[n++] = w;
  for (size_t k = 0; k < nextra; k++)
    words[n++] = extra[k];
  return n;
}

// A paragraph twice as long as the real one, set 200 times (the time is
// printed for a reader; speed is measured in bench/, never asserted here).
// The quick test of lines too loose changes no line: random paragraphs of
// the report's words (and codes that break after their hyphen), on random
// measures, indents, alignments and tolerances, set with it and without,
// give the same lines with the same ratios, bit for bit.
static void
test_quick_same_lines(void **state)
{
  fixture_t *f = *state;
  static const char *const extra[] = {"2020-2025", "TT/ĐU", "(20/11)", "Hậu\u00a0Giang", "50.000.000"};
  static const double tolerances[] = {0.5, 1, 2, 4, 10};
  const char *words[160];
  char copy[sizeof(par_2023)], text[4096];
  size_t nwords = 0, compared = 0, lines_compared = 0;
  unsigned seed = 20231;

  nwords = words_of(copy, extra, sizeof(extra) / sizeof(extra[0]), words);
  for (int round = 0; round < 3000; round++) {
    size_t len = 0, count = 1 + (size_t)(rand_r(&seed) % 120);
    for (size_t k = 0; k < count && len + 64 < sizeof(text); k++)
      len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", k ? " " : "", words[rand_r(&seed) % nwords]);
    ap_inline_t it = item_of(f, text, 9 + rand_r(&seed) % 8);
    ap_par_config_t config = config_of(30 + rand_r(&seed) % 570, rand_r(&seed) % 4 ? 0 : rand_r(&seed) % 40,
                                       (ap_align_t)(AP_ALIGN_LEFT + rand_r(&seed) % 4));
    config.tolerance = tolerances[rand_r(&seed) % 5];
    ap_arena_mark_t mark = ap_arena_mark(f->arena);
    ap_line_t *quick, *slow;
    size_t nquick, nslow;
    layout(f, &it, 1, &config, &quick, &nquick);
    ap_par_break_quick = false;
    layout(f, &it, 1, &config, &slow, &nslow);
    ap_par_break_quick = true;
    assert_int_equal(nquick, nslow);
    for (size_t i = 0; i < nquick; i++) {
      assert_true(quick[i].ratio == slow[i].ratio);
      assert_true(quick[i].width == slow[i].width);
    }
    char *a = join_lines(quick, nquick, "|"), *b = join_lines(slow, nslow, "|");
    assert_string_equal(a, b);
    free(a);
    free(b);
    compared++;
    lines_compared += nquick;
    ap_arena_reset(f->arena, mark);
  }
  printf("# %zu paragraphs, %zu lines: the same with and without the quick test\n", compared, lines_compared);
}

// A line's ink top, which finalize keeps from the words as they were
// measured, is what ap_font_get_bounds reads from its runs' texts: over
// random paragraphs of the report's words, capitals with stacked marks
// (Ẫ, Ệ, Ở) and no-break spaces, in several styles (a raised footnote
// mark too), bit for bit; and a line of such capitals rises above one
// without them.
static void
test_ink_top(void **state)
{
  fixture_t *f = *state;
  static const char *const extra[] = {"ẪN", "BỆNH", "Ở", "ĐẢNG", "Hậu\u00a0Giang", "2020-2025", "BÁO CÁO"};
  const char *words[160];
  char copy[sizeof(par_2023)], text[4][2048];
  size_t nwords = 0, risen = 0, lines_compared = 0;
  unsigned seed = 36;

  nwords = words_of(copy, extra, sizeof(extra) / sizeof(extra[0]), words);
  for (int round = 0; round < 500; round++) {
    ap_inline_t items[4];
    size_t nitems = 1 + (size_t)(rand_r(&seed) % 4);
    for (size_t i = 0; i < nitems; i++) {
      size_t len = 0, count = 1 + (size_t)(rand_r(&seed) % 40);
      for (size_t k = 0; k < count && len + 64 < sizeof(text[i]); k++)
        len += (size_t)snprintf(text[i] + len, sizeof(text[i]) - len, "%s%s", k || i ? " " : "",
                                words[rand_r(&seed) % nwords]);
      items[i] = item_of(f, text[i], 9 + rand_r(&seed) % 8);
      items[i].rise = rand_r(&seed) % 5 ? 0 : 3;
    }
    ap_par_config_t config = config_of(60 + rand_r(&seed) % 500, 0, (ap_align_t)(AP_ALIGN_LEFT + rand_r(&seed) % 4));
    ap_arena_mark_t mark = ap_arena_mark(f->arena);
    ap_line_t *lines;
    size_t nlines;
    layout(f, items, nitems, &config, &lines, &nlines);
    for (size_t i = 0; i < nlines; i++) {
      double expect = 0, ymin, ymax;
      for (const ap_run_t *r = lines[i].runs; r; r = r->next)
        if (ap_font_get_bounds(r->font, r->text, strlen(r->text), r->size, &ymin, &ymax) && ymax - r->baseline > expect)
          expect = ymax - r->baseline;
      assert_true(lines[i].ink_top == expect);
      lines_compared++;
    }
    ap_arena_reset(f->arena, mark);
  }

  // Stacked capitals rise above plain lower case...
  ap_inline_t plain = item_of(f, "nhiệm kỳ", SIZE), stacked = item_of(f, "ẪN BỆNH Ở", SIZE);
  ap_par_config_t config = config_of(MEASURE, 0, AP_ALIGN_LEFT);
  ap_line_t *a, *b;
  size_t na, nb;
  layout(f, &plain, 1, &config, &a, &na);
  layout(f, &stacked, 1, &config, &b, &nb);
  assert_int_equal(na, 1);
  assert_int_equal(nb, 1);
  assert_true(b[0].ink_top > a[0].ink_top);
  assert_true(b[0].ink_top > ap_font_get_metrics(f->font, SIZE).cap_height);
  risen = (size_t)(b[0].ink_top * 100 + 0.5);
  printf("# %zu lines: ink tops as their texts' bounds; stacked capitals rise to %zu.%02zu pt at %g pt\n",
         lines_compared, risen / 100, risen % 100, SIZE);
}

static void
test_speed(void **state)
{
  fixture_t *f = *state;
  char text[sizeof(par_2023) * 2 + 1];
  snprintf(text, sizeof(text), "%s %s", par_2023, par_2023);
  ap_inline_t it = item_of(f, text, SIZE);
  ap_par_config_t config = config_of(MEASURE, ap_mm(10), AP_ALIGN_JUSTIFY);
  ap_line_t *lines;
  size_t n;
  int rounds = 200;
  struct timespec t0, t1;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 0; i < rounds; i++)
    layout(f, &it, 1, &config, &lines, &n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / rounds;
  printf("# 308 words: %.3f ms per paragraph, %zu lines\n", ms, n);
  check_inside(lines, n, MEASURE);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_justify_vietnamese, setup, teardown),
      cmocka_unit_test_setup_teardown(test_measures_sweep, setup, teardown),
      cmocka_unit_test_setup_teardown(test_hyphen_break, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ties, setup, teardown),
      cmocka_unit_test_setup_teardown(test_keep_together, setup, teardown),
      cmocka_unit_test_setup_teardown(test_balance, setup, teardown),
      cmocka_unit_test_setup_teardown(test_overlong_token, setup, teardown),
      cmocka_unit_test_setup_teardown(test_nbsp, setup, teardown),
      cmocka_unit_test_setup_teardown(test_footnote_mark, setup, teardown),
      cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
      cmocka_unit_test_setup_teardown(test_styles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_glyph, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cache, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cache_again_only, setup, teardown),
      cmocka_unit_test_setup_teardown(test_quick_same_lines, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ink_top, setup, teardown),
      cmocka_unit_test_setup_teardown(test_speed, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
