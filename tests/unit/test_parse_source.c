// Unit tests for parse/source.c: what a file that is not XML is said to
// be, the encodings read (UTF-8 with a byte order mark, UTF-16 with one),
// the attribute limits of a layout and of data at their edge, that
// libxml2's own messages are kept, never printed, and the places of nodes
// (in a data file's bytes read again after they were let go, only when the
// file is still the one read).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse/parse-xml.h"

static char dir[64]; // Temporary folder of the test run

// Write len bytes to dir/name; returns the path (static buffer).
static const char *
write_bytes(const char *name, const void *bytes, size_t len)
{
  static char path[128];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(bytes, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
  return path;
}

// Load path as kind; returns the one message ("" when it loaded).
static char *
load(const char *path, ap_file_kind_t kind)
{
  static char message[1024];
  ap_diags_t diags = {0};
  ap_source_t src;

  message[0] = '\0';
  if (ap_source_read(&src, path, kind, &diags)) {
    assert_int_equal(diags.errors, 0);
    ap_source_free(&src);
  } else {
    assert_int_equal(diags.errors, 1);
    snprintf(message, sizeof(message), "%s", diags.first->message);
  }
  ap_diags_clear(&diags);
  return message;
}

// Whether the element with attributes a0..a(n-1) loads as kind.
static char *
load_attributes(int n, ap_file_kind_t kind)
{
  size_t cap = 64 + (size_t)n * 16, len = 0;
  char *xml = malloc(cap);
  len += (size_t)snprintf(xml + len, cap - len, "<r><e");
  for (int i = 0; i < n; i++)
    len += (size_t)snprintf(xml + len, cap - len, " a%d=\"x\"", i);
  len += (size_t)snprintf(xml + len, cap - len, "/></r>");
  char *message = load(write_bytes("attrs.xml", xml, len), kind);
  free(xml);
  return message;
}

static int
setup(void **state)
{
  (void)state;
  snprintf(dir, sizeof(dir), "/tmp/test_parse_source.XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
  char cmd[96];
  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd);
}

// Other formats are named by their first bytes.
static void
test_not_xml(void **state)
{
  static const struct {
    const char *bytes; // First bytes of the file
    size_t len;        // How many
    const char *said;  // What the message must say
  } cases[] = {
      {"\xFF\xD8\xFF\xE0\0\x10JFIF", 10, "the bytes of a JPEG image"},
      {"GIF89a\x01\0", 8, "the bytes of a GIF image"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", 9, "an old Office file (a .doc or .xls?)"},
      {"{\\rtf1\\ansi", 11, "the bytes of an RTF document"},
      {"\x1F\x8B\x08\0", 4, "the bytes of a gzip archive"},
      {"\xFF\xFE\0\0<\0\0\0", 8, "UTF-32 text: save it as UTF-8"},
      {"\xFF\xFE<\0r\0\0\xDC/\0>\0", 12, "invalid UTF-16 at byte 6"},
      {"\x01\x02\x03\x04\x05", 5, "binary data (bytes 01 02 03 04 05)"},
      {"\xEF\xBB\xBF  hello <r/>", 15, "the text 'hello <r/>'"},
  };
  (void)state;
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *message = load(write_bytes("x.xml", cases[i].bytes, cases[i].len), AP_FILE_DATA);
    if (!strstr(message, cases[i].said))
      fail_msg("case %zu: \"%s\" does not say \"%s\"", i, message, cases[i].said);
  }
}

// UTF-8 with a byte order mark and UTF-16 with one are read; text arrives as UTF-8.
static void
test_encodings(void **state)
{
  static const char utf8_bom[] = "\xEF\xBB\xBF<r>H\xC3\xA0</r>";
  static const char utf16le[] = "\xFF\xFE<\0r\0>\0H\0\xE0\0<\0/\0r\0>\0";
  static const char utf16be[] = "\xFE\xFF\0<\0r\0>\0H\0\xE0\0<\0/\0r\0>";
  const char *files[][2] = {{utf8_bom, "8"}, {utf16le, "LE"}, {utf16be, "BE"}};
  size_t sizes[] = {sizeof(utf8_bom) - 1, sizeof(utf16le) - 1, sizeof(utf16be) - 1};
  (void)state;

  for (int i = 0; i < 3; i++) {
    ap_diags_t diags = {0};
    ap_source_t src;
    assert_true(ap_source_read(&src, write_bytes("enc.xml", files[i][0], sizes[i]), AP_FILE_DATA, &diags));
    xmlChar *text = xmlNodeGetContent(xmlDocGetRootElement(src.doc));
    assert_string_equal((const char *)text, "H\xC3\xA0");
    xmlFree(text);
    ap_source_free(&src);
  }
}

// Attributes: a layout element takes 256, a data element 1,024; one more is refused.
static void
test_attribute_limits(void **state)
{
  (void)state;
  assert_string_equal(load_attributes(AP_LAYOUT_MAX_ATTRIBUTES, AP_FILE_LAYOUT), "");
  assert_non_null(strstr(load_attributes(AP_LAYOUT_MAX_ATTRIBUTES + 1, AP_FILE_LAYOUT),
                         "<e> has more than 256 attributes"));
  assert_string_equal(load_attributes(AP_DATA_MAX_ATTRIBUTES, AP_FILE_DATA), "");
  assert_non_null(strstr(load_attributes(AP_DATA_MAX_ATTRIBUTES + 1, AP_FILE_DATA),
                         "<e> has more than 1024 attributes"));
  assert_non_null(strstr(load_attributes(20000, AP_FILE_DATA), "<e> has more than 1024 attributes"));
}

// A conversion error of the declared encoding (which libxml2 reports
// outside the parser's handler) becomes the message, and nothing is left
// over for the next caller.
static void
test_one_voice(void **state)
{
  static const char sjis[] = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<r>\x81\xff\xff</r>\n";
  char stray[256];
  (void)state;

  assert_non_null(strstr(load(write_bytes("sjis.xml", sjis, sizeof(sjis) - 1), AP_FILE_DATA),
                         "bytes that are not Shift_JIS"));
  assert_string_equal(ap_xml_stray(stray, sizeof(stray)), "");
}

// Places: the line from libxml2, the column (in characters, not bytes)
// found on that line of the kept text, far past the 1024 lines the index of
// line starts first holds; the same place asked twice (the index then built).
static void
test_places(void **state)
{
  size_t cap = 3000 * 8 + 128, len = 0; // Room for the file; bytes in it
  char *xml = malloc(cap);
  ap_diags_t diags = {0};
  ap_source_t src;
  (void)state;

  // Line 1 <r>, lines 2 to 2999 <i/>, line 3000 the element looked for...
  assert_non_null(xml);
  len += (size_t)snprintf(xml + len, cap - len, "<r>\n");
  for (int i = 2; i < 3000; i++)
    len += (size_t)snprintf(xml + len, cap - len, "<i/>\n");
  len += (size_t)snprintf(xml + len, cap - len, "<i>H\xc3\xa0 N\xe1\xbb\x99i</i> <e a=\"1\"/>\n</r>\n");
  assert_true(ap_source_read(&src, write_bytes("places.xml", xml, len), AP_FILE_DATA, &diags));
  free(xml);

  // ...its element after "<i>Hà Nội</i> " (14 characters, 18 bytes), its attribute 3 characters on.
  xmlNodePtr e = xmlLastElementChild(xmlDocGetRootElement(src.doc));
  assert_string_equal((const char *)e->name, "e");
  for (int twice = 0; twice < 2; twice++) {
    ap_loc_t at = ap_source_loc(&src, e, NULL), attr = ap_source_loc(&src, e, "a");
    assert_int_equal(at.line, 3000);
    assert_int_equal(at.col, 15);
    assert_int_equal(attr.line, 3000);
    assert_int_equal(attr.col, 18);
  }
  ap_loc_t first = ap_source_loc(&src, xmlDocGetRootElement(src.doc), NULL);
  assert_int_equal(first.line, 1);
  assert_int_equal(first.col, 1);
  ap_source_free(&src);
  ap_diags_clear(&diags);
}

// A data file's bytes are let go once it is parsed (ap_source_open) and
// read again for a place's column; not from a file changed since (its
// line only), nor for UTF-16 text, which is kept as converted.
static void
test_places_read_again(void **state)
{
  static const char xml[] = "<r>\n<i>H\xc3\xa0 N\xe1\xbb\x99i</i> <e a=\"1\"/>\n</r>\n";
  ap_diags_t diags = {0};
  (void)state;

  // Let go, then read again for the column, which stays...
  const char *path = write_bytes("again.xml", xml, sizeof(xml) - 1);
  ap_source_t *src = ap_source_open(path, NULL, &diags);
  assert_non_null(src);
  assert_null(src->text);
  xmlNodePtr e = xmlLastElementChild(xmlDocGetRootElement(src->doc));
  for (int twice = 0; twice < 2; twice++) {
    ap_loc_t attr = ap_source_loc(src, e, "a");
    assert_int_equal(attr.line, 2);
    assert_int_equal(attr.col, 18);
  }
  assert_non_null(src->text);
  ap_source_close(src);

  // ...but not from the file once it changed (same size, another time)...
  src = ap_source_open(path, NULL, &diags);
  assert_non_null(src);
  struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 1000000000, .tv_nsec = 0}};
  assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
  e = xmlLastElementChild(xmlDocGetRootElement(src->doc));
  ap_loc_t changed = ap_source_loc(src, e, "a");
  assert_int_equal(changed.line, 2);
  assert_int_equal(changed.col, 0);
  assert_null(src->text);
  ap_source_close(src);

  // ...and UTF-16 text is kept, converted.
  static const char utf16[] = "\xff\xfe<\0r\0>\0<\0/\0r\0>\0";
  src = ap_source_open(write_bytes("again16.xml", utf16, sizeof(utf16) - 1), NULL, &diags);
  assert_non_null(src);
  assert_non_null(src->text);
  ap_source_close(src);
  assert_int_equal(diags.errors, 0);
  ap_diags_clear(&diags);
}

// A start tag over several lines: libxml2 gives the line of its end; the
// element is placed where it opens, an attribute on the line it is written
// on (before the last, or on it), never on another tag before the element.
static void
test_places_multiline(void **state)
{
  static const char xml[] = "<r>\n"
                            "  <s a=\"0\"/><e a=\"1\"\n"                // Line 2: <s a=…/> then <e a=…
                            "     b=\"2\"\n"                             // Line 3: b=
                            "     c=\"3\"/>\n"                           // Line 4: c=, the tag's end
                            "  <f x=\"1\"/>\n"                           // Line 5
                            "</r>\n";
  ap_diags_t diags = {0};
  ap_source_t src;
  (void)state;

  assert_true(ap_source_read(&src, write_bytes("multiline.xml", xml, sizeof(xml) - 1), AP_FILE_DATA, &diags));
  xmlNodePtr e = xmlNextElementSibling(xmlFirstElementChild(xmlDocGetRootElement(src.doc)));
  assert_string_equal((const char *)e->name, "e");
  ap_loc_t at = ap_source_loc(&src, e, NULL), a = ap_source_loc(&src, e, "a");
  ap_loc_t b = ap_source_loc(&src, e, "b"), c = ap_source_loc(&src, e, "c");
  assert_int_equal(at.line, 2);
  assert_int_equal(at.col, 13);
  assert_int_equal(a.line, 2);
  assert_int_equal(a.col, 16); // Not <s>'s a= before it
  assert_int_equal(b.line, 3);
  assert_int_equal(b.col, 6);
  assert_int_equal(c.line, 4);
  assert_int_equal(c.col, 6);
  ap_loc_t none = ap_source_loc(&src, e, "z"); // Not written: the line libxml2 gives, column 1
  assert_int_equal(none.line, 4);
  assert_int_equal(none.col, 1);
  ap_loc_t f = ap_source_loc(&src, xmlNextElementSibling(e), "x");
  assert_int_equal(f.line, 5);
  assert_int_equal(f.col, 6);
  ap_source_free(&src);
  ap_diags_clear(&diags);
}

// Elements of one name on one line: each is found where it stands, not at
// the first of them (<p><value select="v"/> (<value select="@bad"/>)</p>:
// a message about the second named the first).
static void
test_places_same_line(void **state)
{
  static const char xml[] = "<r>\n"
                            "<p><v a=\"1\"/> (<v a=\"2\"/>) <w/><v a=\"3\"/></p>\n" // <v at 4, 16, 32; a= at 7, 19, 35
                            "<v a=\"4\"/>\n"
                            "</r>\n";
  static const int cols[] = {4, 16, 32}, attrs[] = {7, 19, 35};
  ap_diags_t diags = {0};
  ap_source_t src;
  (void)state;

  assert_true(ap_source_read(&src, write_bytes("sameline.xml", xml, sizeof(xml) - 1), AP_FILE_DATA, &diags));
  xmlNodePtr p = xmlFirstElementChild(xmlDocGetRootElement(src.doc));
  int k = 0;
  for (xmlNodePtr v = xmlFirstElementChild(p); v; v = xmlNextElementSibling(v)) {
    if (strcmp((const char *)v->name, "v"))
      continue;
    ap_loc_t at = ap_source_loc(&src, v, NULL), a = ap_source_loc(&src, v, "a");
    assert_int_equal(at.line, 2);
    assert_int_equal(at.col, cols[k]);
    assert_int_equal(a.line, 2);
    assert_int_equal(a.col, attrs[k]);
    k++;
  }
  assert_int_equal(k, 3);
  ap_loc_t next = ap_source_loc(&src, xmlNextElementSibling(p), "a"); // Alone on its line
  assert_int_equal(next.line, 3);
  assert_int_equal(next.col, 4);
  ap_source_free(&src);
  ap_diags_clear(&diags);
}

int
main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_not_xml),
      cmocka_unit_test(test_encodings),
      cmocka_unit_test(test_attribute_limits),
      cmocka_unit_test(test_one_voice),
      cmocka_unit_test(test_places),
      cmocka_unit_test(test_places_multiline),
      cmocka_unit_test(test_places_same_line),
      cmocka_unit_test(test_places_read_again),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
