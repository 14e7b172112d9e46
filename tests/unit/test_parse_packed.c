// Unit tests for parse/packed.c: records of long runs kept as their text.
// A data file read with every record packed, each record then opened, or
// all unpacked, is the document read whole: the same nodes, texts, lines
// (past 65,535 too) and serialized bytes.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse/parse-xml.h"

static char dir[64]; // Temporary folder of the test run

// Write the data file of the tests: rows indented or not, comments,
// references, CDATA, namespaces (one declared by rows themselves),
// attributes, lines past 65,535.
static const char *
write_data(void)
{
  static char path[128];
  snprintf(path, sizeof(path), "%s/data.xml", dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<t xmlns:x=\"urn:x\">\n<g k=\"1\">\n", fp);
  for (int k = 1; k <= 40000; k++)
    switch (k % 4) {
    case 0: fprintf(fp, "  <r a=\"%d\">\n    <n>Dòng %d &amp; &#x1EA0;</n>\n    <x:v>%d</x:v> <!-- c -->\n  </r>\n", k, k, k); break;
    case 1: fprintf(fp, "<r><n><![CDATA[<%d>]]></n><v/><?p q?></r>", k); break;
    case 2: fprintf(fp, k % 8 == 2 ? "<r xmlns:y=\"urn:y\">\t<y:n>%d</y:n>\t</r>\n\n" : "<r>\t<n>%d</n>\t</r>\n\n", k); break;
    default: fprintf(fp, "<r/><r>chữ %d</r><r><n>a</n> b <n>c</n></r>\n", k); break;
    }
  fputs("</g>\n</t>\n", fp);
  assert_int_equal(fclose(fp), 0);
  return path;
}

// Load path with ANPHAM_PACK_MIN=min.
static void
load(ap_source_t *src, const char *path, const char *min)
{
  ap_diags_t diags = {0};
  setenv("ANPHAM_PACK_MIN", min, 1);
  ap_files_t *files = ap_files_create();
  assert_true(ap_files_allow(files, dir));
  bool loaded = ap_source_load(src, path, files, &diags);
  if (!loaded)
    fail_msg("%s", diags.first ? diags.first->message : "?");
  assert_int_equal(diags.errors, 0);
  ap_files_destroy(files);
  ap_diags_clear(&diags);
  unsetenv("ANPHAM_PACK_MIN");
}

// The two trees are the same: types, names, contents, lines.
static void
assert_same_tree(xmlNodePtr a, xmlNodePtr b)
{
  for (; a || b; a = a->next, b = b->next) {
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->type, b->type);
    assert_string_equal(a->name ? (const char *)a->name : "", b->name ? (const char *)b->name : "");
    if (a->type == XML_ELEMENT_NODE) // (a namespace declared on a record itself: its content points at it)
      assert_string_equal(a->ns ? (const char *)a->ns->href : "", b->ns ? (const char *)b->ns->href : "");
    if (a->type == XML_TEXT_NODE || a->type == XML_COMMENT_NODE || a->type == XML_PI_NODE)
      assert_string_equal((const char *)a->content, (const char *)b->content);
    if (a->type != XML_TEXT_NODE || !xmlIsBlankNode(a)) // (a blank put back after a record keeps the record's line)
      assert_int_equal(xmlGetLineNo(a), xmlGetLineNo(b));
    if (a->type == XML_ELEMENT_NODE) { // (libxml2 leaves an element's psvi unused: packed.c numbers records there)
      assert_null(b->psvi);
      assert_same_tree(a->children, b->children);
    }
  }
}

// Serialized bytes of a document (malloc'ed by libxml2).
static xmlChar *
dumped(xmlDocPtr doc, int *size)
{
  xmlChar *out = NULL;
  xmlDocDumpMemory(doc, &out, size);
  assert_non_null(out);
  return out;
}

// Every record packed: each opened is as read whole, closed again, then all unpacked.
static void
test_packed_open_close_unpack(void **state)
{
  (void)state;
  const char *path = write_data();
  ap_source_t whole, packed;
  load(&whole, path, "0");
  load(&packed, path, "1");
  assert_null(whole.packed);
  assert_non_null(packed.packed);
  size_t closed = ap_packed_closed(packed.packed);
  assert_int_equal(closed, 40000); // (per 4 rows: 4 records, "<r/>" and "<r>chữ</r>" are none)

  // The names reach compares with...
  const char *const *records, *const *above;
  ap_packed_names(packed.packed, &records, &above);
  assert_string_equal(records[0], "r");
  assert_null(records[1]);
  assert_string_equal(above[0], "g");
  assert_string_equal(above[1], "t");
  assert_null(above[2]);

  // ...each record opened is the record read whole, and closed again...
  xmlNodePtr g = xmlDocGetRootElement(packed.doc)->children->next;
  xmlNodePtr gw = xmlDocGetRootElement(whole.doc)->children->next;
  assert_true(ap_packed_holds(packed.packed, g));
  int n = 0;
  for (xmlNodePtr r = g->children, rw = gw->children; r; r = r->next, rw = rw->next) {
    while (rw && rw->type != XML_ELEMENT_NODE)
      rw = rw->next;
    while (r && r->type != XML_ELEMENT_NODE)
      r = r->next;
    if (!r)
      break;
    assert_non_null(rw);
    if (ap_packed_is_record(packed.packed, r)) {
      assert_null(r->children);
      assert_int_equal(ap_packed_line(packed.packed, r), xmlGetLineNo(rw));
      assert_int_equal(ap_packed_open(packed.packed, r), 1);
      assert_int_equal(ap_packed_open(packed.packed, r), 0);
      assert_same_tree(r->children, rw->children);
      ap_packed_close(packed.packed, r);
      assert_null(r->children);
      n++;
    }
  }
  assert_int_equal(n, (int)closed);
  assert_int_equal(ap_packed_closed(packed.packed), closed);

  // ...and unpacked, the document is the one read whole.
  assert_true(ap_packed_unpack(packed.packed));
  assert_int_equal(ap_packed_closed(packed.packed), 0);
  assert_false(ap_packed_holds(packed.packed, g));
  assert_same_tree(xmlDocGetRootElement(packed.doc), xmlDocGetRootElement(whole.doc));
  int na, nb;
  xmlChar *a = dumped(packed.doc, &na), *b = dumped(whole.doc, &nb);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, (size_t)na);
  xmlFree(a);
  xmlFree(b);
  ap_source_free(&whole);
  ap_source_free(&packed);
}

// From the 64th record of a name on, by default; data inheriting from a base never.
static void
test_packed_default_and_base(void **state)
{
  (void)state;
  const char *path = write_data();
  ap_source_t src;
  load(&src, path, "");
  assert_int_equal(ap_packed_closed(src.packed), 40000 - 63);
  xmlNodePtr g = xmlDocGetRootElement(src.doc)->children->next, r = g->children;
  while (!ap_packed_is_record(src.packed, r)) // (the first record packed: many after it)
    r = r->next;
  assert_int_equal(ap_packed_open(src.packed, r), 1); // (the records after it in its window wait: freed with the source)
  assert_non_null(r->children);
  ap_source_free(&src);

  char base[128], derived[128];
  snprintf(base, sizeof(base), "%s/base.xml", dir);
  assert_int_equal(rename(path, base), 0);
  snprintf(derived, sizeof(derived), "%s/derived.xml", dir);
  FILE *fp = fopen(derived, "wb");
  assert_non_null(fp);
  fputs("<t xmlns:d=\"urn:anpham:data\" d:base=\"base.xml\"><d:add><g k=\"2\"/></d:add></t>\n", fp);
  assert_int_equal(fclose(fp), 0);
  load(&src, derived, "1");
  assert_int_equal(ap_packed_closed(src.packed), 0);
  ap_source_free(&src);
  unlink(derived);
  unlink(base);
}

static int
setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/anpham-packed-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
  (void)state;
  char path[128];
  snprintf(path, sizeof(path), "%s/data.xml", dir);
  unlink(path);
  return rmdir(dir);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_packed_open_close_unpack),
      cmocka_unit_test(test_packed_default_and_base),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
