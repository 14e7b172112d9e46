// Unit tests for bind/: XPath selects, {…} interpolation, templates,
// heading numbers, formatted values, whitespace and NFC, and XPath errors
// recorded with their place. Each test writes a small layout and data file
// into a temporary folder, runs parse + bind, and reads the document tree.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bind/bind.h"

// One parse + bind: the files, the job's arena and diagnostics, the tree dump.
typedef struct job_s {
  char dir[64];         // Temporary folder
  char layout_path[96]; // Its layout.xml
  char data_path[96];   // Its data.xml
  ap_arena_t *arena;    // Job arena
  ap_diags_t diags;     // Diagnostics
  ap_layout_t *layout;  // Parsed layout (in the arena, with its doc)
  char *dump;           // ap_node_dump of the body (malloc'ed)
} job_t;

// Layout head shared by every test: fonts from the repository, two styles.
static const char *const head =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<layout version=\"1\" fonts=\"" AP_SOURCE_DIR "/fonts\">\n"
    "  <family name=\"serif\" regular=\"LiberationSerif-Regular.ttf\"/>\n"
    "  <style name=\"body\" family=\"serif\" size=\"12pt\"/>\n"
    "  <style name=\"h\" parent=\"body\" bold=\"true\"/>\n"
    "  <page name=\"a4\" size=\"A4\"/>\n";

// Write a file; fails the test when it cannot.
static void
write_file(const char *path, const char *a, const char *b, const char *c)
{
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(a, fp);
  if (b)
    fputs(b, fp);
  if (c)
    fputs(c, fp);
  assert_int_equal(fclose(fp), 0);
}

// Parse `defs` + `<body>body</body>` against `data`; returns ap_bind's result.
// The layout's line 7 is the first line of defs (head has 6 lines).
static bool
run(job_t *job, const char *defs, const char *body, const char *data)
{
  memset(job, 0, sizeof(*job));
  snprintf(job->dir, sizeof(job->dir), "/tmp/test_bind_xpath.XXXXXX");
  assert_non_null(mkdtemp(job->dir));
  snprintf(job->layout_path, sizeof(job->layout_path), "%s/layout.xml", job->dir);
  snprintf(job->data_path, sizeof(job->data_path), "%s/data.xml", job->dir);

  // Files...
  size_t n = strlen(defs) + strlen(body) + 64;
  char *tail = malloc(n);
  snprintf(tail, n, "%s<body>%s</body>\n</layout>\n", defs, body);
  write_file(job->layout_path, head, tail, NULL);
  free(tail);
  write_file(job->data_path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", data, "\n");

  // ...parse, load, bind...
  job->arena = ap_arena_create();
  job->layout = ap_layout_parse(job->layout_path, /*files*/ NULL, job->arena, &job->diags);
  bool ok = job->layout != NULL;
  if (!ok && job->diags.first)
    fprintf(stderr, "parse: %s:%d:%d: %s\n", job->diags.first->loc.file, job->diags.first->loc.line,
            job->diags.first->loc.col, job->diags.first->message);
  assert_true(ok);
  ap_source_t *src = ap_source_open(job->data_path, NULL, &job->diags);
  assert_non_null(src);
  ok = ap_bind(job->layout, src, job->arena, &job->diags);
  ap_bind_release(ap_layout_doc(job->layout)); // (a body table's rows are not bound: not laid out here)
  ap_source_close(src);
  ap_layout_free(job->layout);

  // ...and dump the body's blocks.
  size_t size = 0;
  FILE *out = open_memstream(&job->dump, &size);
  assert_non_null(out);
  if (ok)
    ap_node_dump(ap_layout_doc(job->layout)->body->children, out, 0);
  fclose(out);
  return ok;
}

// Remove the files and free the job.
static void
finish(job_t *job)
{
  unlink(job->layout_path);
  unlink(job->data_path);
  rmdir(job->dir);
  ap_diags_clear(&job->diags);
  ap_arena_destroy(job->arena);
  free(job->dump);
}

// Bind and compare the body's dump with expect.
static void
expect_dump(const char *defs, const char *body, const char *data, const char *expect)
{
  job_t job;
  bool ok = run(&job, defs, body, data);
  if (!ok && job.diags.first)
    fprintf(stderr, "bind: %s\n", job.diags.first->message);
  assert_true(ok);
  assert_int_equal(job.diags.errors, 0);
  if (strcmp(job.dump, expect))
    fprintf(stderr, "dump:\n%s---\nexpected:\n%s---\n", job.dump, expect);
  assert_string_equal(job.dump, expect);
  finish(&job);
}

// for-each repeats its blocks once per selected node, in document order.
static void
test_for_each_repeats(void **state)
{
  (void)state;
  expect_dump("", "<for-each select=\"/r/i\"><p>- <content select=\".\"/></p></for-each>",
              "<r><i>một</i><i>hai</i><x>no</x><i>ba</i></r>",
              "para style=body\n  text \"- \"\n  text \"một\"\n"
              "para style=body\n  text \"- \"\n  text \"hai\"\n"
              "para style=body\n  text \"- \"\n  text \"ba\"\n");
  // An empty selection makes nothing.
  expect_dump("", "<for-each select=\"/r/none\"><p>x</p></for-each>", "<r/>", "");
}

// {count(...)} and {@attr} in text and in attributes; {{ and }} are braces.
static void
test_interpolation(void **state)
{
  (void)state;
  expect_dump("", "<p>{count(/r/i)} mục, {{đầu}}: {/r/i[1]/@n}</p>",
              "<r><i n=\"A\"/><i n=\"B\"/><i n=\"C\"/></r>", "para style=body\n  text \"3 mục, {đầu}: A\"\n");
  expect_dump("", "<for-each select=\"/r/i\"><p style=\"{@s}\">{@n}</p></for-each>",
              "<r><i n=\"A\" s=\"h\"/><i n=\"B\" s=\"body\"/></r>",
              "para style=h\n  text \"A\"\npara style=body\n  text \"B\"\n");

  // A length from the data...
  job_t job;
  assert_true(run(&job, "", "<space height=\"{/r/@h}\"/>", "<r h=\"14.5pt\"/>"));
  assert_int_equal(ap_layout_doc(job.layout)->body->children->kind, AP_NODE_SPACE);
  assert_true(ap_layout_doc(job.layout)->body->children->height == 14.5);
  finish(&job);
}

// if binds its blocks only when the test is true.
static void
test_if(void **state)
{
  (void)state;
  expect_dump("",
              "<if test=\"count(/r/i) &gt; 1\"><p>nhiều</p></if>"
              "<if test=\"/r/missing\"><p>không</p></if>"
              "<for-each select=\"/r/i\"><if test=\"@on = 'yes'\"><p>{.}</p></if></for-each>",
              "<r><i on=\"yes\">a</i><i on=\"no\">b</i><i on=\"yes\">c</i></r>",
              "para style=body\n  text \"nhiều\"\npara style=body\n  text \"a\"\npara style=body\n  text \"c\"\n");
}

// apply picks the template whose match= names the data element.
static void
test_apply_templates(void **state)
{
  (void)state;
  expect_dump("  <template match=\"a\"><p>A{.}</p></template>\n"
              "  <template match=\"b\"><p style=\"h\">B{.}</p></template>\n",
              "<apply select=\"/r/*\"/>", "<r><a>1</a><b>2</b><a>3</a></r>",
              "para style=body\n  text \"A1\"\npara style=h\n  text \"B2\"\npara style=body\n  text \"A3\"\n");

  // No template for an element: an error naming it.
  job_t job;
  assert_false(run(&job, "  <template match=\"a\"><p>{.}</p></template>\n", "<apply select=\"/r/*\"/>",
                   "<r><a>1</a><zz/></r>"));
  assert_non_null(strstr(job.diags.first->message, "<zz>"));
  finish(&job);
}

// Heading numbers I. / 1. / 1.1.: deeper counters restart under a new parent.
static void
test_heading_numbers(void **state)
{
  (void)state;
  expect_dump("  <numbering level=\"1\" format=\"I.\"/>\n"
              "  <numbering level=\"2\" format=\"1.\"/>\n"
              "  <numbering level=\"3\" format=\"1.1.\"/>\n",
              "<heading level=\"1\" style=\"h\">A</heading>"
              "<heading level=\"2\" style=\"h\">a</heading>"
              "<heading level=\"2\" style=\"h\">b</heading>"
              "<heading level=\"3\" style=\"h\">b1</heading>"
              "<heading level=\"3\" style=\"h\">b2</heading>"
              "<heading level=\"1\" style=\"h\">B</heading>"
              "<heading level=\"2\" style=\"h\">c</heading>"
              "<heading level=\"3\" style=\"h\">c1</heading>"
              "<heading level=\"2\" style=\"h\" numbered=\"false\">plain</heading>",
              "<r/>",
              "heading style=h label=\"I.\" level=1 \"I. A\"\n  text \"A\"\n"
              "heading style=h label=\"1.\" level=2 \"1. a\"\n  text \"a\"\n"
              "heading style=h label=\"2.\" level=2 \"2. b\"\n  text \"b\"\n"
              "heading style=h label=\"2.1.\" level=3 \"2.1. b1\"\n  text \"b1\"\n"
              "heading style=h label=\"2.2.\" level=3 \"2.2. b2\"\n  text \"b2\"\n"
              "heading style=h label=\"II.\" level=1 \"II. B\"\n  text \"B\"\n"
              "heading style=h label=\"1.\" level=2 \"1. c\"\n  text \"c\"\n"
              "heading style=h label=\"1.1.\" level=3 \"1.1. c1\"\n  text \"c1\"\n"
              "heading style=h level=2 \"plain\"\n  text \"plain\"\n");
  // Letters for a fourth level, as reports write a), b)...
  expect_dump("  <numbering level=\"1\" format=\"1.\"/>\n"
              "  <numbering level=\"2\" format=\"a)\"/>\n",
              "<heading level=\"1\" style=\"h\">A</heading>"
              "<heading level=\"2\" style=\"h\">x</heading>"
              "<heading level=\"2\" style=\"h\">y</heading>",
              "<r/>",
              "heading style=h label=\"1.\" level=1 \"1. A\"\n  text \"A\"\n"
              "heading style=h label=\"a)\" level=2 \"a) x\"\n  text \"x\"\n"
              "heading style=h label=\"b)\" level=2 \"b) y\"\n  text \"y\"\n");
}

// <value format=...>: Vietnamese numbers, percentages and dates.
static void
test_values(void **state)
{
  (void)state;
  expect_dump("",
              "<p><value select=\"/r/@x\" format=\"number\" decimals=\"2\"/></p>"
              "<p><value select=\"/r/@n\" format=\"number\"/></p>"
              "<p><value select=\"/r/@p\" format=\"percent\" decimals=\"2\"/></p>"
              "<p><value select=\"/r/@d\" format=\"date\"/></p>"
              "<p><value select=\"/r/@x\"/></p>",
              "<r x=\"93.7812\" n=\"7520\" p=\"12.27\" d=\"2026-11-22\"/>",
              "para style=body\n  text \"93,78\"\n"
              "para style=body\n  text \"7.520\"\n"
              "para style=body\n  text \"12,27%\"\n"
              "para style=body\n  text \"ngày 22 tháng 11 năm 2026\"\n"
              "para style=body\n  text \"93.7812\"\n");

  // A value that is not a number is an error at the value.
  job_t job;
  assert_false(run(&job, "", "<p><value select=\"/r/@x\" format=\"number\"/></p>", "<r x=\"abc\"/>"));
  assert_int_equal(job.diags.first->loc.line, 7);
  assert_non_null(strstr(job.diags.first->message, "abc"));
  finish(&job);
}

// XML whitespace collapses to one space, across inline elements too; the
// ends are trimmed; U+00A0 is kept.
static void
test_whitespace(void **state)
{
  (void)state;
  expect_dump("", "<p>\n   Một  \t <b> hai </b>\n  ba\xc2\xa0\xc2\xa0" "bốn   <i>năm</i>  \n</p>", "<r/>",
              "para style=body\n  text \"Một \"\n  text b \"hai \"\n"
              "  text \"ba\xc2\xa0\xc2\xa0" "bốn \"\n  text i \"năm\"\n");
  // (The trailing space is trimmed and the run it emptied dropped.)
  // Data text is collapsed the same way.
  expect_dump("", "<p><content select=\"/r\"/></p>", "<r>\n  một\n\n  hai  </r>",
              "para style=body\n  text \"một hai\"\n");
}

// ap_bind_collapse against the rule written plainly, over random texts of
// letters, 'ạ', spaces, tabs and line breaks (copied whole or collapsed
// byte by byte: the same result).
static void
test_collapse_random(void **state)
{
  (void)state;
  static const char *const pieces[] = {"a", "\xe1\xba\xa1", " ", "b", "\t", "\n", "\r", " "};
  ap_arena_t *arena = ap_arena_create();
  unsigned seed = 11;
  size_t copied = 0;

  for (int round = 0; round < 5000; round++) {
    char text[128] = "", want[128], *w = want;
    int n = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 24;
    int spaces_only = round % 2; // Half the texts without tabs or line breaks: mostly copied whole
    for (int i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      int k = (int)((seed >> 16) % (spaces_only ? 4 : 8));
      strcat(text, pieces[k]);
    }
    bool space = false;
    for (const char *p = text; *p; p++) {
      if (strchr(" \t\n\r", *p)) {
        space = true;
        continue;
      }
      if (space)
        *w++ = ' ';
      space = false;
      *w++ = *p;
    }
    if (space)
      *w++ = ' ';
    *w = '\0';
    copied += !strcmp(want, text);
    assert_string_equal(ap_bind_collapse(arena, text, strlen(text)), want);
  }
  printf("# %zu of 5000 unchanged\n", copied);
  assert_true(copied > 500 && copied < 4500); // (both ways taken)
  ap_arena_destroy(arena);
}

// Decomposed data text becomes NFC: o + U+0302 + U+0301 → ố (U+1ED1).
static void
test_nfc(void **state)
{
  (void)state;
  expect_dump("", "<p><content select=\"/r\"/> {/r/@t}</p>",
              "<r t=\"Vie\xcc\xa3\xcc\x82t\">Qu\x6f\xcc\x82\xcc\x81" "c</r>",
              "para style=body\n  text \"Qu\xe1\xbb\x91" "c\"\n  text \" Vi\xe1\xbb\x87t\"\n");
}

// An XPath syntax error is one diagnostic naming the expression, at the
// layout file and line, its column where the parser stopped inside the
// expression (here each ends too early: the character after its end).
static void
test_xpath_errors(void **state)
{
  (void)state;
  job_t job;

  // In select=: on line 8, after '/r/i[' (select= at column 11, the value at 19)...
  assert_false(run(&job, "", "\n<for-each select=\"/r/i[\"><p>x</p></for-each>", "<r/>"));
  assert_int_equal(job.diags.errors, 1);
  assert_string_equal(job.diags.first->loc.file, job.layout_path);
  assert_int_equal(job.diags.first->loc.line, 8);
  assert_int_equal(job.diags.first->loc.col, 24);
  assert_non_null(strstr(job.diags.first->message, "'/r/i['"));
  finish(&job);

  // ...in {…} in text: the element's line, after '/r/name[' ({ at column 15)...
  assert_false(run(&job, "", "\n\n  <p>Xin chào {/r/name[}</p>", "<r/>"));
  assert_int_equal(job.diags.errors, 1);
  assert_string_equal(job.diags.first->loc.file, job.layout_path);
  assert_int_equal(job.diags.first->loc.line, 9);
  assert_int_equal(job.diags.first->loc.col, 24);
  assert_non_null(strstr(job.diags.first->message, "'/r/name['"));
  finish(&job);

  // ...in {…} in an attribute: inside it, after 'concat(/r/@s' ({ at column 11).
  assert_false(run(&job, "", "\n<p style=\"{concat(/r/@s}\">x</p>", "<r/>"));
  assert_int_equal(job.diags.first->loc.line, 8);
  assert_int_equal(job.diags.first->loc.col, 24);
  assert_non_null(strstr(job.diags.first->message, "'concat(/r/@s'"));
  finish(&job);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_for_each_repeats), cmocka_unit_test(test_interpolation),
      cmocka_unit_test(test_if),               cmocka_unit_test(test_apply_templates),
      cmocka_unit_test(test_heading_numbers),  cmocka_unit_test(test_values),
      cmocka_unit_test(test_whitespace),       cmocka_unit_test(test_nfc), cmocka_unit_test(test_collapse_random),
      cmocka_unit_test(test_xpath_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
