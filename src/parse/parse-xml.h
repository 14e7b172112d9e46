// Parse's libxml2 side, for parse/ and bind/ only (and their unit tests):
// a layout and a loaded XML file with their libxml2 documents and nodes.
// The rest of anpham sees them through parse.h, and never compiles against
// libxml2 (CMake gives its include folders to ap_parse and ap_bind alone).
#ifndef AP_PARSE_XML_H
#define AP_PARSE_XML_H

#include <libxml/tree.h>
#include <sys/stat.h>

#include "parse.h"

// An XML file loaded with its text kept, so that nodes can be given columns.
struct ap_source_s {
  const char *path;   // File name as given (for messages)
  xmlDocPtr doc;      // Parsed document (freed by ap_source_free)
  char *text;         // File bytes (malloc'ed), for column look-ups; NULL once let go (see reread)
  size_t size;        // Bytes in text
  size_t *lines;      // Offset of each line's start (built on first use, malloc'ed; NULL without memory)
  int nlines;         // Number of lines
  bool converted;     // text is not the file's bytes (UTF-16 read as UTF-8)
  bool reread;        // text was let go after the parse: read again when a column is wanted
  bool regular;       // Read from a regular file (whose st says which, as it was then)
  struct stat st;     // That file when read, to read the same bytes again (ap_files_same)
  struct ap_packed_s *packed; // A data file's records of long runs, kept as their text (packed.c), or NULL
  struct ap_source_s *base; // The layout this one extends, or the data file this one inherits from
                            // (malloc'ed, freed with it), or NULL
};

// Parsed layout: global definitions in doc, blocks still as XML for bind.
struct ap_layout_s {
  ap_source_t src;             // The layout file
  ap_doc_t *doc;               // Families, styles, masters, notes (arena-owned)
  const char *numbering[7];    // Heading number format per level 1..6 (NULL = none)
  xmlNodePtr info;             // <info>, or NULL
  xmlNodePtr body;             // <body>
  xmlNodePtr templates[64];    // <template> elements
  int ntemplates;              // Number of templates
  const char *params[AP_LAYOUT_MAX_PARAMS][2]; // <param> names and values ($name in XPath), --set overrides
  int nparams;                 // How many
  xmlNodePtr decks[16];        // <deck> elements (bound with the data)
  int ndecks;                  // Number of decks
  ap_master_t *masters[16];    // Masters in declaration order
  xmlNodePtr header[16];       // Their <header> elements (NULL = none)
  xmlNodePtr footer[16];       // Their <footer> elements (NULL = none)
  xmlNodePtr watermarks[16];   // Their <watermark> elements (NULL = none)
  int nmasters;                // Number of masters
  xmlNodePtr watermark;        // The document's <watermark> (a definition of <layout>), or NULL
  const char *form;            // The built-in form its definitions rest on ("hd36", "nd30"), or NULL
};

// Load an XML file of a kind (AP_FILE_LAYOUT or AP_FILE_DATA: their size and
// attribute limits differ) into *src: a file that is not XML,
// well-formedness errors and limits become one diagnostic with
// file:line:col. Returns false on error (nothing left to free).
bool ap_source_read(ap_source_t *src, const char *path, ap_file_kind_t kind, ap_diags_t *diags);
// Load a data file (ap_source_read with AP_FILE_DATA) and the bases it
// inherits from into *src, as ap_source_open does: src->doc is the merged
// document, src->base, ->base… name the bases. False with one diagnostic
// (and nothing to free) on error.
bool ap_source_load(ap_source_t *src, const char *path, ap_files_t *files, ap_diags_t *diags);
// Free what ap_source_read or ap_source_load allocated (not src itself).
void ap_source_free(ap_source_t *src);
// Location of a node (line from libxml2, column found in the source line;
// attr names the attribute to point at, or NULL for the element).
ap_loc_t ap_source_loc(const ap_source_t *src, xmlNodePtr node, const char *attr);
// The place of byte `offset` of an expression written at loc (an attribute
// holding it, or a {…} in its value): the expression found on loc's line
// from loc's column on, in src or one of its bases; loc itself when it is
// not found there as written (an entity, a character reference, a line
// break before the offset).
ap_loc_t ap_source_loc_in(const ap_source_t *src, ap_loc_t loc, const char *expr, size_t offset);

// Packed records (packed.c): while a data file is parsed, each record (an
// element whose children are elements holding only text) from the 64th of
// its name on (ANPHAM_PACK_MIN) keeps only its element and attributes in
// the tree; its content waits as the bytes it was read from.
typedef struct ap_packed_s ap_packed_t;
// A store for one parse with these options, NULL when packing is off.
ap_packed_t *ap_packed_new(int options);
void ap_packed_free(ap_packed_t *p);
// The parse's steps (source.c): a start tag read (offset: its '>',
// SIZE_MAX when offsets are not the text's); an element read whole (depth:
// ctxt->nodeNr before its end, end: the offset after its end tag);
// characters read (true: kept as the blank after a record, add no node).
struct _xmlParserCtxt;
void ap_packed_started(ap_packed_t *p, struct _xmlParserCtxt *ctxt, size_t offset);
void ap_packed_ended(ap_packed_t *p, xmlNodePtr e, int depth, const char *text, size_t end);
bool ap_packed_blank(ap_packed_t *p, struct _xmlParserCtxt *ctxt, const xmlChar *ch, int len);
// Bind's: put a record's content in the tree (1: now, close it after; 0: not
// a closed record; -1: out of memory), take it out again, or put every
// record's content (and the blanks between) in the tree for good.
int ap_packed_open(ap_packed_t *p, xmlNodePtr node);
void ap_packed_close(ap_packed_t *p, xmlNodePtr node);
bool ap_packed_unpack(ap_packed_t *p);
// Records not open (0: the tree is the whole data); whether a node is a
// record; whether it holds records (an ancestor of one, or the document).
size_t ap_packed_closed(const ap_packed_t *p);
bool ap_packed_is_record(const ap_packed_t *p, const xmlNode *node);
bool ap_packed_holds(const ap_packed_t *p, const xmlNode *node);
// The local names of the records and of the elements that hold them
// (NULL-terminated lists, valid until ap_packed_unpack).
void ap_packed_names(const ap_packed_t *p, const char *const **records, const char *const **above);
// Elements inside packed records; the line of a node (a closed record's too).
unsigned long ap_packed_elements(const ap_packed_t *p);
long ap_packed_line(ap_packed_t *p, xmlNodePtr node);

// Keep libxml2's process-wide error output (generic and structured
// handlers) instead of printing it; set once, called by every entry point
// of parse/ and bind/. anpham speaks only through diagnostics.
void ap_xml_quiet(void);
// Copy into buf the first message libxml2 gave outside any context since
// the last call ("" when none), then forget it; returns buf.
const char *ap_xml_stray(char *buf, size_t size);

// Check a loaded layout against the embedded schema; one diagnostic naming
// the element or attribute at fault on failure.
bool ap_layout_validate(ap_layout_t *layout, ap_diags_t *diags);

// Read a <watermark>'s attributes but its text (bound with the data), once
// every family and colour is declared; NULL (with a diagnostic at the
// attribute) on a value out of its range or a name not declared.
ap_watermark_t *ap_watermark_read(const ap_layout_t *layout, xmlNodePtr node, ap_arena_t *arena,
                                  ap_diags_t *diags);

#endif
