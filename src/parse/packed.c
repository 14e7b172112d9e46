// Packed records: a data file's long runs of records kept as their text.
//
// A generated table of 100,000 rows is 600,000 libxml2 nodes (120 bytes
// each) before anything is laid out. While the data is parsed, each record
// (an element whose children are elements holding only text), from the
// 64th of its name on, keeps only its element and attributes in the tree;
// the element's bytes as read (about 60 for a row) wait in one buffer, and
// the blank between two records is kept as a shared string. Bind opens a
// record when it reads it (the records from it on, 64 of its parent,
// parsed again in one go in their parent's place) and closes it when done;
// an expression that may read inside records that are not open
// (bind/reach.c) first unpacks them all for good, so what bind sees is
// always the data as written, only held in less memory.
//
// Data that inherits from a base (d:base), files read through a character
// conversion and the first 63 records of a name (ANPHAM_PACK_MIN: default
// 64; 1 packs every record, 0 none) are parsed as before.
#include "parse-private.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MIN_RUN 64 // Records of one run kept in the tree before the rest are packed
#define MAX_BLANK 256      // Longest blank between records kept as a string (longer ones stay nodes)
#define MAX_DEPTH 256      // Deepest element whose content start is remembered (libxml2 allows 256)
#define MAX_NAMES 64       // Names of records counted
#define MAX_BLANKS 64      // Different blanks after records kept as strings (others stay nodes: 7 bits)
#define WINDOW 64          // Records read again in one parse

// A packed record (24 bytes). Its element carries its number (index + 1)
// in psvi, which libxml2 leaves unused in an element it did not validate.
// Its bytes are the whole element as read, start and end tags included,
// right after the record before's: consecutive records of one parent are
// read again together (WINDOW at a time, one parse).
typedef struct record_s {
  xmlNodePtr node;      // The record's element (in the tree, with its attributes)
  uint32_t off, len;    // The element's bytes in bytes[]
  uint32_t line;        // The line its content starts on (where its start tag ends)
  uint32_t head : 24;   // Bytes of its start tag
  uint32_t blank : 7;   // The blank text after it, not in the tree: blanks[blank - 1]; 0: none
  uint32_t open : 1;    // Its content is in the tree now (ap_packed_open)
} record_t;

// A record's content read with others, waiting to be opened.
typedef struct ahead_s {
  size_t record;        // Its index
  xmlNodePtr children;  // Its content (detached), NULL: none waiting
  unsigned long line;   // The line of its start tag's end in the window read
} ahead_t;

// Pointers to small numbers: open addressing, a power of two of slots.
typedef struct table_s {
  const void **keys;
  uint32_t *values;
  size_t room, count;
} table_t;

struct ap_packed_s {
  int min_run;                  // Records of a run kept in the tree before packing starts
  bool off;                     // Packing stopped (inherited data, a converted encoding, no memory)
  bool root_checked;            // The root was looked at for a d:base
  struct {
    uint32_t offset, line;      // Where an open element's content starts
  } starts[MAX_DEPTH + 1];      // By depth (ctxt->nodeNr)
  record_t *records;            // Packed records, in document order
  size_t nrecords, records_room;
  const xmlChar **blanks;       // The blanks after records (the document's dictionary), each once
  size_t nblanks, blanks_room;
  table_t holders;              // The elements that hold records (their ancestors) -> 1
  char *bytes;                  // The records' content
  size_t nbytes, bytes_room;
  size_t closed;                // Records not open
  unsigned long elements;       // Elements inside packed records (for the XPath budget)
  const char **names;           // Records' names, then NULL, then the holders' names, then NULL
  size_t nrecord_names, nabove_names, names_room;
  int options;                  // The parse's options, for reading a record again
  struct {
    const xmlChar *name;        // (the document's dictionary)
    unsigned long count;
  } seen[MAX_NAMES];            // Records read so far, by name
  size_t nseen;
  ahead_t ahead[WINDOW];        // The contents of the last window read, not opened yet
  size_t nahead;                // Entries in ahead
};

static bool add_name(ap_packed_t *p, const xmlChar *name, bool record);
static bool blank(const xmlChar *s, int len);
static uint32_t blank_number(ap_packed_t *p, const xmlChar *blank);
static bool table_put(table_t *t, const void *key, uint32_t value);
static uint32_t table_get(const table_t *t, const void *key);
static bool in_run(ap_packed_t *p, xmlNodePtr e);
static void fix_lines(xmlNodePtr first, unsigned long line, unsigned long read_at);
static void forget_ahead(ap_packed_t *p);
static ahead_t *waiting(ap_packed_t *p, size_t i);
static int read_alone(ap_packed_t *p, record_t *r);
static int read_window(ap_packed_t *p, size_t first);
static record_t *record_of(const ap_packed_t *p, const xmlNode *node);

//
// 'ap_packed_new()' - A store for the records of one data file, or NULL when packing is off.
//

ap_packed_t *
ap_packed_new(int options)   // I - The parse's options
{
  const char *env = getenv("ANPHAM_PACK_MIN");
  int min_run = DEFAULT_MIN_RUN;
  if (env && *env) {
    char *end;
    long v = strtol(env, &end, 10);
    if (*end || v < 0 || v > 1000000)
      v = DEFAULT_MIN_RUN;
    min_run = (int)v;
  }
  if (min_run == 0)
    return NULL;
  ap_packed_t *p = calloc(1, sizeof(*p));
  if (p) {
    p->min_run = min_run;
    p->options = options;
  }
  return p;
}

//
// 'ap_packed_free()' - Free a store (the records' elements are the document's).
//

void
ap_packed_free(ap_packed_t *p)
{
  if (!p)
    return;
  free(p->records);
  free(p->blanks);
  forget_ahead(p);
  free(p->holders.keys);
  free(p->holders.values);
  free(p->bytes);
  free(p->names);
  free(p);
}

//
// 'ap_packed_started()' - An element's start tag was read: its content starts after offset.
//

void
ap_packed_started(ap_packed_t *p,           // I - Store (NULL: none)
                  xmlParserCtxtPtr ctxt,    // I - The parse
                  size_t offset)            // I - Offset in the text of its start tag's '>'
{
  if (!p || p->off || ctxt->nodeNr > MAX_DEPTH || !ctxt->input)
    return;
  if (offset > UINT32_MAX) {
    p->off = true;
    return;
  }
  p->starts[ctxt->nodeNr].offset = (uint32_t)offset;
  p->starts[ctxt->nodeNr].line = (uint32_t)ctxt->input->line;
}

//
// 'ap_packed_ended()' - An element was read whole: pack it when it is a record of a long run.
//

void
ap_packed_ended(ap_packed_t *p,           // I - Store (NULL: none)
                xmlNodePtr e,             // I - The element (its end tag just read)
                int depth,                // I - Its depth (ctxt->nodeNr before its end)
                const char *text,         // I - The file's text
                size_t end)               // I - Offset in the text after its end tag
{
  if (!p || p->off || !e || depth < 2 || depth > MAX_DEPTH || !e->children || !e->parent ||
      e->parent->type != XML_ELEMENT_NODE)
    return;
  if (!p->root_checked) { // Inherited data is merged by its elements: never packed
    p->root_checked = true;
    xmlNodePtr root = xmlDocGetRootElement(e->doc);
    for (xmlAttrPtr a = root ? root->properties : NULL; a; a = a->next)
      if (a->ns && !strcmp((const char *)a->name, "base"))
        p->off = true;
    if (p->off)
      return;
  }

  // A record: elements with text (no record holds another), no elements below them...
  unsigned long elements = 0;
  for (xmlNodePtr c = e->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      elements++;
      if (!c->children && record_of(p, c)) // (a packed record: its content left the tree)
        return;
      for (xmlNodePtr g = c->children; g; g = g->next)
        if (g->type != XML_TEXT_NODE)
          return;
    } else if (c->type != XML_TEXT_NODE && c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE) {
      return;
    }
  }
  if (!elements || !in_run(p, e))
    return;

  // ...whose element is found as read: from the '<' of its start tag
  // (none stands inside a tag) to its end tag's '>', its content after
  // the start tag's '>' (where the parser stood when it began the
  // element) and before the end tag's '<'...
  size_t gt = p->starts[depth].offset, start = gt, lt = end;
  if (text[gt] != '>' || end < 4 || text[end - 1] != '>')
    return;
  while (start > 0 && text[start] != '<')
    start--;
  while (lt > gt + 1 && text[lt - 1] != '<')
    lt--;
  if (text[start] != '<' || lt == gt + 1 || text[lt] != '/' || gt + 1 - start >= (1u << 24))
    return;
  size_t len = end - start;
  if (len > UINT32_MAX || p->nbytes + len > UINT32_MAX) {
    p->off = true;
    return;
  }

  // Kept: its bytes, its record, its place among the holders; then the
  // content leaves the tree...
  if (p->nbytes + len > p->bytes_room) {
    size_t room = p->bytes_room ? p->bytes_room * 2 : 65536;
    while (room < p->nbytes + len)
      room *= 2;
    char *grown = realloc(p->bytes, room);
    if (!grown) {
      p->off = true;
      return;
    }
    p->bytes = grown;
    p->bytes_room = room;
  }
  if (p->nrecords == p->records_room) {
    size_t room = p->records_room ? p->records_room * 2 : 1024;
    record_t *grown = room < UINT32_MAX ? realloc(p->records, room * sizeof(*grown)) : NULL;
    if (!grown) {
      p->off = true;
      return;
    }
    p->records = grown;
    p->records_room = room;
  }
  bool known = add_name(p, e->name, true); // (a name or holder too many is harmless: reach is only stricter)
  for (xmlNodePtr h = e->parent; known && h && h->type == XML_ELEMENT_NODE && !table_get(&p->holders, h);
       h = h->parent)
    known = table_put(&p->holders, h, 1) && add_name(p, h->name, false);
  if (!known) {
    p->off = true; // (what was packed so far stays consistent)
    return;
  }
  memcpy(p->bytes + p->nbytes, text + start, len);
  p->records[p->nrecords++] = (record_t){e, (uint32_t)p->nbytes, (uint32_t)len, p->starts[depth].line,
                                         (uint32_t)(gt + 1 - start), 0, 0};
  e->psvi = (void *)(uintptr_t)p->nrecords;
  p->nbytes += len;
  p->closed++;
  p->elements += elements;
  xmlFreeNodeList(e->children);
  e->children = e->last = NULL;
}

//
// 'ap_packed_blank()' - Characters after a packed record: keep a blank as a string.
//
// True when the characters were kept (the caller adds no node). Blanks
// kept before characters that are not blank go back into the tree first.
//

bool
ap_packed_blank(ap_packed_t *p,            // I - Store (NULL: none)
                xmlParserCtxtPtr ctxt,     // I - The parse
                const xmlChar *ch,         // I - Characters read
                int len)                   // I - How many bytes
{
  xmlNodePtr last = p && p->nrecords && ctxt->node ? ctxt->node->last : NULL;
  if (!last || last != p->records[p->nrecords - 1].node) // (only the newest record can be last)
    return false;
  record_t *r = &p->records[p->nrecords - 1];
  const xmlChar *had = r->blank ? p->blanks[r->blank - 1] : (const xmlChar *)"";
  size_t n = strlen((const char *)had);
  if (blank(ch, len) && n + (size_t)len <= MAX_BLANK) {
    xmlChar joined[MAX_BLANK + 1];
    memcpy(joined, had, n);
    memcpy(joined + n, ch, (size_t)len);
    const xmlChar *kept = xmlDictLookup(ctxt->dict, joined, (int)(n + (size_t)len));
    uint32_t i = kept ? blank_number(p, kept) : 0;
    if (i) {
      r->blank = i;
      return true;
    }
  }
  if (r->blank) { // Text after a blank: the blank first, as read
    r->blank = 0;
    xmlSAX2Characters(ctxt, had, (int)n);
  }
  return false;
}

//
// 'ap_packed_open()' - Put a packed record's content back in the tree.
//
// 1 when it was read now (ap_packed_close takes it out again), 0 when the
// node is no closed record, -1 when it could not be read (out of memory).
//

int
ap_packed_open(ap_packed_t *p, xmlNodePtr node)
{
  record_t *r = record_of(p, node);
  if (!r || r->open)
    return 0;
  size_t i = (size_t)(r - p->records);
  ahead_t *a = waiting(p, i); // Its content, read with the record before it
  if (!a) {
    int got = node->nsDef ? read_alone(p, r) : read_window(p, i);
    if (got <= 0)
      return got < 0 ? -1 : 0;
    if (r->open)
      return 1;
    if (!(a = waiting(p, i)))
      return -1;
  }
  node->children = a->children;
  for (xmlNodePtr c = a->children; c; c = c->next) {
    c->parent = node;
    node->last = c;
  }
  fix_lines(a->children, r->line, a->line);
  a->children = NULL;
  r->open = true;
  p->closed--;
  return 1;
}

// Read a record's content alone, in place (its element declares namespaces,
// which its content's nodes point at): 1, or -1 when it cannot be read.
static int
read_alone(ap_packed_t *p, record_t *r)
{
  const char *element = p->bytes + r->off, *content = element + r->head;
  size_t tail = r->len;
  while (tail > r->head && element[tail - 1] != '<')
    tail--;
  xmlNodePtr list = NULL;
  if (tail <= r->head ||
      xmlParseInNodeContext(r->node, content, (int)(tail - 1 - r->head), p->options, &list) != XML_ERR_OK)
    return -1;
  r->node->children = list;
  for (xmlNodePtr c = list; c; c = c->next) {
    c->parent = r->node;
    r->node->last = c;
  }
  fix_lines(list, r->line, 1);
  r->open = true;
  p->closed--;
  return 1;
}

// Read again, in one parse in their parent's place, the records from
// first on (WINDOW at most, of first's parent, declaring no namespace):
// their contents wait in p->ahead. 1, or -1 when they cannot be read.
static int
read_window(ap_packed_t *p, size_t first)
{
  xmlNodePtr parent = p->records[first].node->parent;
  size_t n = 0, bytes = 0;
  while (n < WINDOW && first + n < p->nrecords && p->records[first + n].node->parent == parent &&
         !p->records[first + n].node->nsDef && (n == 0 || !p->records[first + n].open)) {
    bytes += p->records[first + n].len;
    n++;
  }
  xmlNodePtr list = NULL;
  if (bytes > INT_MAX ||
      xmlParseInNodeContext(parent, p->bytes + p->records[first].off, (int)bytes, p->options, &list) != XML_ERR_OK)
    return -1;
  forget_ahead(p);
  size_t k = 0;
  for (xmlNodePtr e = list; e; e = e->next) {
    if (e->type != XML_ELEMENT_NODE)
      continue;
    if (k == n) {
      k++; // (more elements than records: refused below)
      break;
    }
    p->ahead[k] = (ahead_t){first + k, e->children, e->line};
    for (xmlNodePtr c = e->children; c; c = c->next)
      c->parent = NULL;
    e->children = e->last = NULL;
    k++;
  }
  p->nahead = k <= n ? k : n;
  xmlFreeNodeList(list);
  if (k != n) {
    forget_ahead(p);
    return -1;
  }
  return 1;
}

// The content of record i read ahead and not opened yet (NULL: none).
static ahead_t *
waiting(ap_packed_t *p, size_t i)
{
  for (size_t k = 0; k < p->nahead; k++)
    if (p->ahead[k].record == i && p->ahead[k].children)
      return &p->ahead[k];
  return NULL;
}

// Free the contents read ahead and never opened.
static void
forget_ahead(ap_packed_t *p)
{
  for (size_t k = 0; k < p->nahead; k++)
    xmlFreeNodeList(p->ahead[k].children);
  p->nahead = 0;
}

//
// 'ap_packed_close()' - Take an open record's content out of the tree again.
//

void
ap_packed_close(ap_packed_t *p, xmlNodePtr node)
{
  record_t *r = record_of(p, node);
  if (!r || !r->open)
    return;
  xmlFreeNodeList(node->children);
  node->children = node->last = NULL;
  r->open = false;
  p->closed++;
}

//
// 'ap_packed_unpack()' - Every record's content, and the blanks between, into the tree for good.
//

bool
ap_packed_unpack(ap_packed_t *p)
{
  if (!p || !p->nrecords)
    return true;
  for (size_t i = 0; i < p->nrecords; i++) {
    record_t *r = &p->records[i];
    if (ap_packed_open(p, r->node) < 0)
      return false;
    r->node->psvi = NULL;
    if (r->blank) {
      xmlNodePtr t = xmlNewDocText(r->node->doc, p->blanks[r->blank - 1]);
      if (!t)
        return false;
      t->parent = r->node->parent;
      t->prev = r->node;
      t->next = r->node->next;
      if (r->node->next)
        r->node->next->prev = t;
      else
        r->node->parent->last = t;
      r->node->next = t;
      t->line = r->node->line; // (not read again: a blank's line is not asked for)
      r->blank = 0;
    }
  }
  p->nrecords = p->closed = 0;
  p->holders.count = 0;
  if (p->holders.keys)
    memset(p->holders.keys, 0, p->holders.room * sizeof(*p->holders.keys));
  p->nrecord_names = p->nabove_names = 0;
  if (p->names)
    p->names[0] = p->names[1] = NULL;
  p->off = true;
  return true;
}

//
// 'ap_packed_closed()' - How many records are packed and not open (0: the tree is the data).
//

size_t
ap_packed_closed(const ap_packed_t *p)
{
  return p ? p->closed : 0;
}

//
// 'ap_packed_is_record()' - Whether a node is a packed record (open or not).
//

bool
ap_packed_is_record(const ap_packed_t *p, const xmlNode *node)
{
  return record_of(p, node) != NULL;
}

//
// 'ap_packed_holds()' - Whether a node holds packed records (an ancestor of one).
//

bool
ap_packed_holds(const ap_packed_t *p, const xmlNode *node)
{
  return p && node && (node->type == XML_DOCUMENT_NODE ? p->nrecords > 0 : table_get(&p->holders, node) != 0);
}

//
// 'ap_packed_names()' - The records' names and their holders' (NULL-terminated lists).
//

void
ap_packed_names(const ap_packed_t *p, const char *const **records, const char *const **above)
{
  static const char *const none[] = {NULL};
  *records = p && p->names ? p->names : none;
  *above = p && p->names ? p->names + p->nrecord_names + 1 : none;
}

//
// 'ap_packed_elements()' - Elements inside the packed records (not in the tree).
//

unsigned long
ap_packed_elements(const ap_packed_t *p)
{
  return p ? p->elements : 0;
}

//
// 'ap_packed_line()' - The line of a node as libxml2 gives it, a closed record's too.
//

long
ap_packed_line(ap_packed_t *p, xmlNodePtr node)
{
  const record_t *r = record_of(p, node);
  if (!r || r->open || node->line != 65535)
    return xmlGetLineNo(node);
  long line = (long)r->line; // (libxml2 would look at its first child: read it again, for a message)
  if (ap_packed_open(p, node) > 0) {
    line = xmlGetLineNo(node);
    ap_packed_close(p, node);
  }
  return line;
}

// Add a name to the records' (record) or the holders' names, once.
static bool
add_name(ap_packed_t *p, const xmlChar *name, bool record)
{
  size_t start = record ? 0 : p->nrecord_names + 1, n = record ? p->nrecord_names : p->nabove_names;
  for (size_t i = 0; i < n; i++)
    if (p->names[start + i] == (const char *)name) // (the dictionary's: one pointer a name)
      return true;
  size_t need = p->nrecord_names + p->nabove_names + 3;
  if (need > p->names_room) {
    size_t room = p->names_room ? p->names_room * 2 : 16;
    const char **grown = realloc(p->names, room * sizeof(*grown));
    if (!grown)
      return false;
    if (!p->names)
      grown[0] = grown[1] = NULL;
    p->names = grown;
    p->names_room = room;
  }
  if (record) { // Shift the holders' list one place to make room
    memmove(p->names + p->nrecord_names + 2, p->names + p->nrecord_names + 1,
            (p->nabove_names + 1) * sizeof(*p->names));
    p->names[p->nrecord_names++] = (const char *)name;
    p->names[p->nrecord_names] = NULL;
  } else {
    p->names[p->nrecord_names + 1 + p->nabove_names++] = (const char *)name;
    p->names[p->nrecord_names + 1 + p->nabove_names] = NULL;
  }
  return true;
}

// True when every byte is an XML blank.
static bool
blank(const xmlChar *s, int len)
{
  for (int i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return false;
  return true;
}

// Whether e is far enough into a run of records: min_run records of its
// name were read before it (the first ones stay in the tree: data with a
// few records of a name gains nothing from packing).
static bool
in_run(ap_packed_t *p, xmlNodePtr e)
{
  size_t i = 0;
  while (i < p->nseen && p->seen[i].name != e->name) // (names from the document's dictionary)
    i++;
  if (i == p->nseen) {
    if (p->nseen == MAX_NAMES)
      return false;
    p->seen[p->nseen++].name = e->name;
  }
  return ++p->seen[i].count >= (unsigned long)p->min_run;
}

// Give the nodes of an opened record the lines they were read on: its
// start tag ended on line read_at of what was read again (counted from 1),
// which is line `line` of the file (past 65,535 a text keeps its line
// aside, as a parse with XML_PARSE_BIG_LINES does).
static void
fix_lines(xmlNodePtr first, unsigned long line, unsigned long read_at)
{
  for (xmlNodePtr n = first; n; n = n->next) {
    unsigned long was = n->line == 65535 && n->type == XML_TEXT_NODE && n->psvi ? (unsigned long)(ptrdiff_t)n->psvi
                        : n->line ? n->line : read_at;
    unsigned long at = line + was - read_at;
    n->line = at < 65535 ? (unsigned short)at : 65535;
    if (n->type == XML_TEXT_NODE)
      n->psvi = at >= 65535 ? (void *)(ptrdiff_t)at : NULL;
    if (n->type == XML_ELEMENT_NODE)
      fix_lines(n->children, line, read_at);
  }
}

// The record of a node, or NULL.
static record_t *
record_of(const ap_packed_t *p, const xmlNode *node)
{
  if (!p || !node || node->type != XML_ELEMENT_NODE || !node->psvi)
    return NULL;
  uintptr_t i = (uintptr_t)node->psvi;
  return i <= p->nrecords && p->records[i - 1].node == node ? &p->records[i - 1] : NULL;
}

// The number (index + 1) of a blank among those kept, added when new; 0 without memory or room.
static uint32_t
blank_number(ap_packed_t *p, const xmlChar *blank)
{
  for (size_t i = 0; i < p->nblanks; i++)
    if (p->blanks[i] == blank) // (the dictionary's: one pointer a string)
      return (uint32_t)i + 1;
  if (p->nblanks == MAX_BLANKS)
    return 0;
  if (p->nblanks == p->blanks_room) {
    size_t room = p->blanks_room ? p->blanks_room * 2 : 8;
    const xmlChar **grown = realloc(p->blanks, room * sizeof(*grown));
    if (!grown)
      return 0;
    p->blanks = grown;
    p->blanks_room = room;
  }
  p->blanks[p->nblanks++] = blank;
  return (uint32_t)p->nblanks;
}

// The value of a key, 0 when absent.
static uint32_t
table_get(const table_t *t, const void *key)
{
  if (!t->count)
    return 0;
  uint64_t h = (uint64_t)(uintptr_t)key; // (MurmurHash3's finalizer)
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  for (size_t j = h & (t->room - 1);; j = (j + 1) & (t->room - 1)) {
    if (!t->keys[j])
      return 0;
    if (t->keys[j] == key)
      return t->values[j];
  }
}

// Set the value of a new key (grown at half full); false without memory.
static bool
table_put(table_t *t, const void *key, uint32_t value)
{
  if ((t->count + 1) * 2 > t->room) {
    size_t room = t->room ? t->room * 2 : 256;
    table_t grown = {calloc(room, sizeof(*grown.keys)), malloc(room * sizeof(*grown.values)), room, 0};
    if (!grown.keys || !grown.values) {
      free(grown.keys);
      free(grown.values);
      return false;
    }
    for (size_t i = 0; i < t->room; i++)
      if (t->keys[i])
        table_put(&grown, t->keys[i], t->values[i]);
    free(t->keys);
    free(t->values);
    *t = grown;
  }
  uint64_t h = (uint64_t)(uintptr_t)key;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdu;
  h ^= h >> 33;
  size_t j = h & (t->room - 1);
  while (t->keys[j])
    j = (j + 1) & (t->room - 1);
  t->keys[j] = key;
  t->values[j] = value;
  t->count++;
  return true;
}
