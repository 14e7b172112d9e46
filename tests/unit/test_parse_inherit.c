// Unit tests for parse/inherit.c: the merged document of a data file and
// its bases, byte for byte (white space included); the place of every
// merged node in the file it came from; the bases noted as inputs; a file
// without d:base left as it was read; the errors of ids that name no
// element or two.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/parse-xml.h"

static char dir[64]; // Temporary folder of the test run

static const char base_xml[] = // The base: four ids, one nested
    "<?xml version=\"1.0\"?>\n"
    "<edition title=\"tinh\" year=\"2024\">\n"
    "  <cover id=\"cover\">Bìa</cover>\n"
    "  <list id=\"list\">\n"
    "    <item id=\"a\">A</item>\n"
    "    <item id=\"b\">B</item>\n"
    "  </list>\n"
    "  <end id=\"end\"/>\n"
    "</edition>\n";

static const char derived_xml[] = // Inherits from base.xml: one of each operation
    "<?xml version=\"1.0\"?>\n"
    "<edition xmlns:d=\"urn:anpham:data\" d:base=\"base.xml\" title=\"huyen\">\n"
    "  text between operations is not data\n"
    "  <cover id=\"cover\">Bìa mới</cover>\n"
    "  <d:add after=\"a\"><item id=\"a2\">A2</item></d:add>\n"
    "  <d:add before=\"a\"><item id=\"a0\">A0</item></d:add>\n"
    "  <d:add into=\"list\"><item id=\"z\">Z</item></d:add>\n"
    "  <!-- a comment -->\n"
    "  <d:add><extra id=\"x\"/></d:add>\n"
    "  <d:remove ref=\"b\"/>\n"
    "  <d:remove ref=\"end\"/>\n"
    "</edition>\n";

static const char merged_xml[] = // What the two give (the derived file's root attributes on the base's root)
    "<edition title=\"huyen\" year=\"2024\">\n"
    "  <cover id=\"cover\">Bìa mới</cover>\n"
    "  <list id=\"list\">\n"
    "    <item id=\"a0\">A0</item>\n"
    "    <item id=\"a\">A</item>\n"
    "    <item id=\"a2\">A2</item>\n"
    "    <item id=\"z\">Z</item>\n"
    "  </list>\n"
    "  <extra id=\"x\"/>\n"
    "</edition>";

// Write text to dir/name; returns the path (one of two static buffers).
static const char *
write_text(const char *name, const char *text)
{
  static char paths[2][128];
  static int which;
  char *path = paths[which++ % 2];
  snprintf(path, sizeof(paths[0]), "%s/%s", dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fputs(text, fp) >= 0, 1);
  assert_int_equal(fclose(fp), 0);
  return path;
}

// The root element of a loaded source as XML text (malloc'ed).
static char *
serialize(const ap_source_t *src)
{
  xmlBufferPtr buf = xmlBufferCreate();
  xmlNodeDump(buf, src->doc, xmlDocGetRootElement(src->doc), 0, /*format*/ 0);
  char *text = strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return text;
}

// The first element named name with id (or any id when NULL) in a subtree.
static xmlNodePtr
find(xmlNodePtr node, const char *name, const char *id)
{
  for (; node; node = node->next) {
    if (node->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *v = xmlGetProp(node, (const xmlChar *)"id");
    bool hit = !strcmp((const char *)node->name, name) && (!id || (v && !strcmp((const char *)v, id)));
    xmlFree(v);
    if (hit)
      return node;
    xmlNodePtr inner = find(node->children, name, id);
    if (inner)
      return inner;
  }
  return NULL;
}

// Load path with its bases (files may be NULL); returns the one message ("" when it loaded).
static const char *
load(ap_source_t *src, const char *path, ap_files_t *files)
{
  static char message[1024];
  ap_diags_t diags = {0};

  message[0] = '\0';
  if (!ap_source_load(src, path, files, &diags)) {
    assert_int_equal(diags.errors, 1);
    snprintf(message, sizeof(message), "%s:%d:%d: %s", diags.first->loc.file, diags.first->loc.line,
             diags.first->loc.col, diags.first->message);
  } else {
    assert_int_equal(diags.errors, 0);
  }
  ap_diags_clear(&diags);
  return message;
}

static int
setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/ap-inherit-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
  char cmd[128];
  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd);
}

// Every operation, in document order, with the base's white space around
// what is added; text and comments between operations are not data.
static void
test_merged_document(void **state)
{
  ap_source_t src;
  (void)state;

  write_text("base.xml", base_xml);
  const char *path = write_text("derived.xml", derived_xml);
  assert_string_equal(load(&src, path, NULL), "");
  char *text = serialize(&src);
  assert_string_equal(text, merged_xml);
  free(text);

  // The base is the chain's only other file...
  assert_non_null(src.base);
  assert_null(src.base->base);
  assert_non_null(strstr(src.base->path, "/base.xml"));
  ap_source_free(&src);
}

// A merged node is placed in the file it came from: the replaced cover
// and the added items in the derived file, the base's items in the base,
// the root's replaced attribute in the derived file, its others in the base.
static void
test_places(void **state)
{
  ap_source_t src;
  (void)state;

  write_text("base.xml", base_xml);
  const char *path = write_text("derived.xml", derived_xml);
  assert_string_equal(load(&src, path, NULL), "");
  xmlNodePtr root = xmlDocGetRootElement(src.doc);

  ap_loc_t cover = ap_source_loc(&src, find(root, "cover", NULL), NULL);
  assert_string_equal(cover.file, path);
  assert_int_equal(cover.line, 4);
  assert_int_equal(cover.col, 3);
  ap_loc_t a2 = ap_source_loc(&src, find(root, "item", "a2"), "id");
  assert_string_equal(a2.file, path);
  assert_int_equal(a2.line, 5);
  assert_int_equal(a2.col, 26);
  ap_loc_t a = ap_source_loc(&src, find(root, "item", "a"), NULL);
  assert_string_equal(a.file, src.base->path);
  assert_int_equal(a.line, 5);
  assert_int_equal(a.col, 5);
  ap_loc_t title = ap_source_loc(&src, root, "title");
  assert_string_equal(title.file, path);
  assert_int_equal(title.line, 2);
  ap_loc_t year = ap_source_loc(&src, root, "year");
  assert_string_equal(year.file, src.base->path);
  assert_int_equal(year.line, 2);
  assert_int_equal(year.col, 23);
  ap_source_free(&src);
}

// With the run's files: the base is read inside the allowed folder and
// noted as an input (so that no output may replace it); outside it, refused.
static void
test_bases_are_inputs(void **state)
{
  ap_source_t src;
  struct stat st;
  (void)state;

  const char *base = write_text("base.xml", base_xml);
  assert_int_equal(stat(base, &st), 0);
  const char *path = write_text("derived.xml", derived_xml);
  ap_files_t *files = ap_files_create();
  assert_true(ap_files_allow(files, dir));
  assert_string_equal(load(&src, path, files), "");
  assert_non_null(ap_files_find_input(files, st.st_dev, st.st_ino));
  ap_source_free(&src);
  ap_files_destroy(files);

  files = ap_files_create();
  char sub[96];
  snprintf(sub, sizeof(sub), "%s/sub", dir);
  mkdir(sub, 0755);
  assert_true(ap_files_allow(files, sub));
  path = write_text("sub/derived.xml", "<edition xmlns:d=\"urn:anpham:data\" d:base=\"../base.xml\"/>");
  assert_non_null(strstr(load(&src, path, files), "is outside the folders anpham reads"));
  assert_null(ap_files_find_input(files, st.st_dev, st.st_ino));
  ap_files_destroy(files);
}

// A file without d:base is what ap_source_read gives, even with d: names in it.
static void
test_no_base_unchanged(void **state)
{
  ap_source_t loaded, read;
  ap_diags_t diags = {0};
  (void)state;

  const char *path = write_text("plain.xml", "<edition xmlns:d=\"urn:anpham:data\">\n  <d:add/>\n  <x/>\n</edition>\n");
  assert_string_equal(load(&loaded, path, NULL), "");
  assert_true(ap_source_read(&read, path, AP_FILE_DATA, &diags));
  char *a = serialize(&loaded), *b = serialize(&read);
  assert_string_equal(a, b);
  assert_null(loaded.base);
  free(a);
  free(b);
  ap_source_free(&loaded);
  ap_source_free(&read);
}

// An id the base lacks, or has twice, is an error at the attribute naming
// it; an element added earlier may be named later.
static void
test_id_errors(void **state)
{
  ap_source_t src;
  char want[512];
  (void)state;

  const char *base = write_text("base.xml", "<r>\n  <a id=\"x\"/>\n  <b id=\"twice\"/>\n  <c id=\"twice\"/>\n</r>\n");
  char base_path[128];
  snprintf(base_path, sizeof(base_path), "%s", base);
  const char *path = write_text("d.xml", "<r xmlns:d=\"urn:anpham:data\" d:base=\"base.xml\">\n"
                                         "  <d:remove ref=\"nope\"/>\n</r>\n");
  snprintf(want, sizeof(want), "%s:2:13: ref=\"nope\": the base '%s' has no element with this id: expected the "
           "id of an element of the base", path, base_path);
  assert_string_equal(load(&src, path, NULL), want);

  path = write_text("d.xml", "<r xmlns:d=\"urn:anpham:data\" d:base=\"base.xml\">\n"
                             "  <e id=\"twice\"/>\n</r>\n");
  snprintf(want, sizeof(want), "%s:2:6: id=\"twice\": 2 elements of the base '%s' have this id (%s:3 and %s:4): "
           "expected an id that names one element", path, base_path, base_path, base_path);
  assert_string_equal(load(&src, path, NULL), want);

  path = write_text("d.xml", "<r xmlns:d=\"urn:anpham:data\" d:base=\"base.xml\">\n"
                             "  <d:add after=\"x\"><n id=\"new\"/></d:add>\n"
                             "  <d:add after=\"new\"><n id=\"newer\"/></d:add>\n"
                             "  <d:remove ref=\"new\"/>\n</r>\n");
  assert_string_equal(load(&src, path, NULL), "");
  char *text = serialize(&src);
  assert_string_equal(text,
                      "<r>\n  <a id=\"x\"/>\n  <n id=\"newer\"/>\n  <b id=\"twice\"/>\n  <c id=\"twice\"/>\n</r>");
  free(text);
  ap_source_free(&src);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_merged_document),
      cmocka_unit_test(test_places),
      cmocka_unit_test(test_bases_are_inputs),
      cmocka_unit_test(test_no_base_unchanged),
      cmocka_unit_test(test_id_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
