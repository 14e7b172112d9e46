// How far an XPath expression may read into the data: whether it can reach
// inside a packed record (parse/packed.c keeps long runs of data records as
// their text, with only the record elements and their attributes in the
// tree). Read from the expression's tokens, conservatively: an expression
// this file cannot prove shallow is said to reach (bind then opens every
// record first, and the result is the same, only the memory is not saved).
//
// An expression stays outside the records' content when
//   - it walks no descendant, following or preceding axis ("//" included),
//     tests no node type and no "*" element (attributes "@*" are fine), and
//     calls no id();
//   - a step that names a record is followed only by "@attribute", "." or
//     "..", and its predicates read only attributes, numbers, strings,
//     variables, position() and last();
//   - a path that may end at a record or above one (a record's name, the
//     name of an element that holds records, "..", "/") gives nodes, not
//     their text: the whole expression (or a union of such paths), the
//     argument of count(), boolean(), not(), name(), local-name() or
//     namespace-uri(), or a predicate by itself;
// and, when the context node itself is read as text ("." or string(),
// normalize-space(), string-length(), number() without argument), the
// answer is AP_REACH_CONTEXT: shallow unless that node holds records.
#include "bind-private.h"

#include <stdbool.h>
#include <string.h>

#define MAX_FRAMES 64 // Brackets and predicates nested (libxml2 stops deeper expressions anyway)

// Token kinds of XPath 1.0 (section 3.7), as far as reach needs them.
typedef enum {
  T_END, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_DOT, T_DOTDOT, T_AT, T_COMMA,
  T_AXIS,     // An axis name, "::" included
  T_SLASH, T_DSLASH,
  T_PIPE,     // Union
  T_OP,       // Any other operator (and, or, mod, div, *, =, +, -...)
  T_NAME,     // A name test
  T_STAR,     // A "*" or "prefix:*" name test
  T_NODETYPE, // node(), text(), comment(), processing-instruction()
  T_FUNC,     // A function name (its "(" is the next token)
  T_VALUE,    // A literal, a number or a variable
  T_BAD       // Not XPath: libxml2 will say why
} kind_t;

typedef struct {
  kind_t kind;
  const char *s; // Its text
  size_t n;      // Its length
} token_t;

// What the last step of a path may select.
typedef enum {
  S_NEUTRAL, // Elements of another name, attributes, text: nothing packed inside
  S_DOT,     // The context node itself (a path that is only ".")
  S_RECORD,  // A record
  S_ABOVE,   // An element that may hold records ("..", "/", an ancestor's name)
} step_t;

typedef enum { F_TOP, F_GROUP, F_FUNC, F_PRED } frame_kind_t;

// A bracket being read: the whole expression, a group, a call, a predicate.
typedef struct {
  frame_kind_t kind;
  token_t func;    // F_FUNC: the function
  step_t owner;    // F_PRED: what the step it filters selects
  bool strict;     // Inside a record's predicate: attributes and numbers only
  int items;       // Operands read (paths, values, calls, groups; a union is one)
  bool other;      // An operator (not '|') or a comma between them
  bool risky;      // A path that may end at a record or above was among them
  bool record;     // One that ends at a record's name
  bool dot;        // A path that is only "." was among them
  bool in_path;    // Outside: the path being read when the bracket opened...
  step_t last;     // ...and what its last step selects
} frame_t;

typedef struct {
  const char *p;                  // Next character
  token_t prev;                   // The token before
  const ap_reach_names_t *names;  // Records and what holds them
  ap_reach_t reach;               // The answer so far
  frame_t frames[MAX_FRAMES];
  int nframes;
  bool in_path;                   // A path is being read
  step_t last;                    // What its last step selects
  bool steps;                     // It has a step
  bool attr_next;                 // The next step is on the attribute axis
  bool after_record;              // The last step named a record and a '/' followed
  bool union_next;                // A '|' came: the next path joins the operand before
} reader_t;

static void close_frame(reader_t *r);
static void end_path(reader_t *r);
static bool is_one_of(token_t t, const char *const *names);
static token_t next_token(reader_t *r);
static void note(reader_t *r, ap_reach_t reach);
static bool operand_before(kind_t k);
static void open_frame(reader_t *r, frame_kind_t kind, token_t func, step_t owner);
static void read_dot_value(reader_t *r);
static void start_operand(reader_t *r);
static step_t step_of(reader_t *r, token_t t);

//
// 'ap_bind_reach()' - How far an expression may read into packed records.
//

ap_reach_t                                      // O - AP_REACH_NONE, _CONTEXT or _RECORDS
ap_bind_reach(const char *expr,                 // I - XPath expression
              const ap_reach_names_t *names)    // I - Names of records and of what holds them
{
  static const char *const strict_funcs[] = {"position", "last", "not", "true", "false", NULL};
  static const char *const dot_funcs[] = {"string", "normalize-space", "string-length", "number", NULL};
  reader_t r = {.p = expr, .names = names, .prev = {T_END, "", 0}};

  open_frame(&r, F_TOP, (token_t){T_END, "", 0}, S_NEUTRAL);
  for (;;) {
    token_t t = next_token(&r);
    frame_t *f = &r.frames[r.nframes - 1];

    // A record's predicate reads attributes, numbers and strings only...
    if (f->strict) {
      bool allowed = t.kind == T_VALUE || t.kind == T_OP || t.kind == T_PIPE || t.kind == T_COMMA ||
                     t.kind == T_LPAREN || t.kind == T_RPAREN || t.kind == T_AT || t.kind == T_RBRACK ||
                     t.kind == T_END || (t.kind == T_FUNC && is_one_of(t, strict_funcs)) ||
                     ((t.kind == T_NAME || t.kind == T_STAR) && r.attr_next) ||
                     (t.kind == T_AXIS && t.n == 9 && !strncmp(t.s, "attribute", 9));
      if (!allowed)
        note(&r, AP_REACH_RECORDS);
    }

    switch (t.kind) {
    case T_END:
      end_path(&r);
      while (r.nframes > 1) { // (unbalanced: libxml2 refuses it)
        note(&r, AP_REACH_RECORDS);
        close_frame(&r);
      }
      close_frame(&r);
      return r.reach;
    case T_BAD:
    case T_DSLASH:
    case T_NODETYPE:
      note(&r, AP_REACH_RECORDS);
      return r.reach;
    case T_SLASH:
      if (!r.in_path) { // An absolute path: the root, then its steps
        start_operand(&r);
        r.in_path = true;
        r.last = S_ABOVE;
        r.steps = false;
      } else if (r.last == S_RECORD) {
        r.after_record = true;
      }
      break;
    case T_AT:
    case T_AXIS: {
      bool attribute = t.kind == T_AT || (t.n == 9 && !strncmp(t.s, "attribute", 9));
      static const char *const axes[] = {"attribute", "child", "self", "parent", "ancestor", "ancestor-or-self", NULL};
      if (t.kind == T_AXIS && !is_one_of(t, axes))
        note(&r, AP_REACH_RECORDS); // descendant, following, preceding, namespace
      if (!r.in_path) {
        start_operand(&r);
        r.in_path = true;
        r.last = S_NEUTRAL;
        r.steps = false;
      }
      r.attr_next = attribute;
      break;
    }
    case T_NAME:
    case T_STAR:
    case T_DOT:
    case T_DOTDOT: {
      if (!r.in_path) {
        start_operand(&r);
        r.in_path = true;
        r.steps = false;
      }
      step_t s = step_of(&r, t);
      if (r.after_record && !r.attr_next && t.kind != T_DOT && t.kind != T_DOTDOT)
        note(&r, AP_REACH_RECORDS); // Below a record: its packed content
      r.after_record = false;
      if (!(t.kind == T_DOT && r.steps)) // ("r/." selects what "r" does)
        r.last = s;
      r.steps = true;
      r.attr_next = false;
      break;
    }
    case T_LBRACK: {
      bool filter = r.in_path || r.prev.kind == T_RPAREN; // (a predicate on a step, or on a group)
      step_t owner = r.in_path ? r.last : S_ABOVE;       // (a group's nodes: not known)
      if (!filter)
        note(&r, AP_REACH_RECORDS);
      open_frame(&r, F_PRED, t, owner);
      break;
    }
    case T_RBRACK:
      end_path(&r);
      if (f->kind != F_PRED) {
        note(&r, AP_REACH_RECORDS);
        return r.reach;
      }
      close_frame(&r);
      break;
    case T_FUNC:
      end_path(&r);
      start_operand(&r);
      if (t.n == 2 && !strncmp(t.s, "id", 2))
        note(&r, AP_REACH_RECORDS);
      break;
    case T_LPAREN:
      if (r.prev.kind == T_FUNC) {
        open_frame(&r, F_FUNC, r.prev, S_NEUTRAL);
      } else {
        end_path(&r);
        start_operand(&r);
        open_frame(&r, F_GROUP, t, S_NEUTRAL);
      }
      break;
    case T_RPAREN: {
      end_path(&r);
      if (f->kind != F_FUNC && f->kind != F_GROUP) {
        note(&r, AP_REACH_RECORDS);
        return r.reach;
      }
      bool dot_value = f->kind == F_FUNC && f->items == 0 && is_one_of(f->func, dot_funcs);
      bool group = f->kind == F_GROUP;
      bool alone = f->items == 1 && !f->other;
      step_t gives = f->record ? S_RECORD : f->risky ? S_ABOVE : f->dot ? S_DOT : S_NEUTRAL; // A group's nodes
      close_frame(&r);
      if (dot_value)
        read_dot_value(&r);
      if (group && alone) { // "(a | b)" gives the nodes of its paths: a path that may go on ("(...)[1]/@x")
        r.in_path = true;
        r.last = gives;
        r.steps = true;
      }
      break;
    }
    case T_PIPE:
      end_path(&r);
      r.union_next = true;
      break;
    case T_OP:
    case T_COMMA:
      end_path(&r);
      f->other = true;
      break;
    case T_VALUE:
      end_path(&r);
      start_operand(&r);
      break;
    }
    r.prev = t;
  }
}

// Open a bracket.
static void
open_frame(reader_t *r, frame_kind_t kind, token_t func, step_t owner)
{
  if (r->nframes == MAX_FRAMES) {
    note(r, AP_REACH_RECORDS);
    return;
  }
  bool strict = (r->nframes > 0 && r->frames[r->nframes - 1].strict) || (kind == F_PRED && owner == S_RECORD);
  r->frames[r->nframes++] = (frame_t){.kind = kind, .func = func, .owner = owner, .strict = strict,
                                      .in_path = r->in_path, .last = r->last};
  r->in_path = false;
  r->union_next = false;
}

// Close the innermost bracket: are the nodes of its paths read as text?
static void
close_frame(reader_t *r)
{
  static const char *const node_funcs[] = {"count", "boolean", "not", "name", "local-name", "namespace-uri", NULL};
  if (r->nframes == 0)
    return;
  frame_t *f = &r->frames[r->nframes - 1];
  bool alone = f->items <= 1 && !f->other; // (a union of paths is one operand)
  bool nodes = alone && (f->kind == F_TOP || f->kind == F_PRED || f->kind == F_GROUP ||
                         (f->kind == F_FUNC && is_one_of(f->func, node_funcs)));

  if (!nodes && f->risky)
    note(r, AP_REACH_RECORDS);
  else if (!nodes && f->dot)
    read_dot_value(r); // (a predicate's "." is the node it filters: the frame is still open)
  r->nframes--;
  r->in_path = f->in_path;
  r->last = f->last;
  r->steps = true;
  r->union_next = false;
}

// A path ends: what its last step selects counts in its bracket.
static void
end_path(reader_t *r)
{
  if (!r->in_path)
    return;
  frame_t *f = &r->frames[r->nframes - 1];
  if (r->last == S_RECORD || r->last == S_ABOVE)
    f->risky = true;
  if (r->last == S_RECORD)
    f->record = true;
  else if (r->last == S_DOT)
    f->dot = true;
  if (r->attr_next) // ("@" with no name: libxml2 refuses it)
    note(r, AP_REACH_RECORDS);
  r->in_path = false;
  r->after_record = false;
  r->attr_next = false;
}

// True when the token (a name) is one of names (NULL-terminated).
static bool
is_one_of(token_t t, const char *const *names)
{
  for (; names && *names; names++)
    if (strlen(*names) == t.n && !strncmp(*names, t.s, t.n))
      return true;
  return false;
}

// True when a token of this kind is an operand (a '*' or a name after it is an operator).
static bool
operand_before(kind_t k)
{
  return k == T_RPAREN || k == T_RBRACK || k == T_DOT || k == T_DOTDOT || k == T_NAME || k == T_STAR ||
         k == T_VALUE;
}

// True for the bytes of an NCName (any byte of a multibyte UTF-8 character included).
static bool
name_char(unsigned char c, bool first)
{
  return c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (!first && (c == '-' || c == '.' || (c >= '0' && c <= '9')));
}

// The next token (XPath 1.0 section 3.7: a '*' or a name after an operand is an operator).
static token_t
next_token(reader_t *r)
{
  const char *p = r->p;
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  token_t t = {T_END, p, 0};
  bool after_operand = operand_before(r->prev.kind);

  if (!*p) {
    r->p = p;
    return t;
  }
  char c = *p;
  const char *start = p;
  if (c == '\'' || c == '"') {
    const char *close = strchr(p + 1, c);
    if (!close) {
      t.kind = T_BAD;
      r->p = p + strlen(p);
      return t;
    }
    p = close + 1;
    t.kind = T_VALUE;
  } else if ((c >= '0' && c <= '9') || (c == '.' && p[1] >= '0' && p[1] <= '9')) {
    while ((*p >= '0' && *p <= '9') || *p == '.')
      p++;
    t.kind = T_VALUE;
  } else if (c == '$') {
    p++;
    while (name_char((unsigned char)*p, false) || (*p == ':' && name_char((unsigned char)p[1], true)))
      p++;
    t.kind = T_VALUE;
  } else if (c == '.') {
    t.kind = p[1] == '.' ? T_DOTDOT : T_DOT;
    p += p[1] == '.' ? 2 : 1;
  } else if (c == '/') {
    t.kind = p[1] == '/' ? T_DSLASH : T_SLASH;
    p += p[1] == '/' ? 2 : 1;
  } else if (strchr("()[],@|", c)) {
    static const kind_t kinds[] = {T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA, T_AT, T_PIPE};
    t.kind = kinds[strchr("()[],@|", c) - "()[],@|"];
    p++;
  } else if (c == '*') {
    t.kind = after_operand ? T_OP : T_STAR;
    p++;
  } else if (strchr("=<>+-", c) || (c == '!' && p[1] == '=')) {
    t.kind = T_OP;
    p += (p[1] == '=' && c != '=' && c != '+' && c != '-') ? 2 : 1;
  } else if (name_char((unsigned char)c, true)) {
    while (name_char((unsigned char)*p, false))
      p++;
    if (*p == ':' && p[1] == '*') { // prefix:*
      p += 2;
      t.kind = after_operand ? T_BAD : T_STAR;
    } else {
      if (*p == ':' && name_char((unsigned char)p[1], true)) // prefix:name
        for (p++; name_char((unsigned char)*p, false);)
          p++;
      const char *after = p;
      while (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n')
        after++;
      static const char *const node_types[] = {"node", "text", "comment", "processing-instruction", NULL};
      token_t name = {T_NAME, start, (size_t)(p - start)};
      if (after_operand)
        t.kind = T_OP; // and, or, mod, div
      else if (after[0] == ':' && after[1] == ':') {
        t.kind = T_AXIS;
        t.n = (size_t)(p - start);
        r->p = after + 2;
        return t;
      } else if (*after == '(')
        t.kind = is_one_of(name, node_types) ? T_NODETYPE : T_FUNC;
      else
        t.kind = T_NAME;
    }
  } else {
    t.kind = T_BAD;
    p++;
  }
  t.n = (size_t)(p - start);
  r->p = p;
  return t;
}

// Raise the answer.
static void
note(reader_t *r, ap_reach_t reach)
{
  if (reach > r->reach)
    r->reach = reach;
}

// The context node read as text ("." in an operation, string()...): in a
// predicate, the node it filters; else the expression's context node.
static void
read_dot_value(reader_t *r)
{
  for (int i = r->nframes - 1; i >= 0; i--)
    if (r->frames[i].kind == F_PRED) {
      if (r->frames[i].owner != S_NEUTRAL)
        note(r, AP_REACH_RECORDS);
      return;
    }
  note(r, AP_REACH_CONTEXT);
}

// An operand begins in the innermost bracket (a path after '|' joins the one before).
static void
start_operand(reader_t *r)
{
  frame_t *f = &r->frames[r->nframes - 1];
  if (!r->union_next)
    f->items++;
  r->union_next = false;
}

// What a step selects.
static step_t
step_of(reader_t *r, token_t t)
{
  if (r->attr_next)
    return S_NEUTRAL;
  if (t.kind == T_DOT)
    return S_DOT;
  if (t.kind == T_DOTDOT)
    return S_ABOVE;
  if (t.kind == T_STAR) {
    note(r, AP_REACH_RECORDS); // Any element: records among them, and their children
    return S_ABOVE;
  }
  token_t local = t; // (a prefixed name: its local part, as the records' names are kept)
  const char *colon = memchr(t.s, ':', t.n);
  if (colon) {
    local.s = colon + 1;
    local.n = t.n - (size_t)(colon + 1 - t.s);
  }
  if (is_one_of(local, r->names->records))
    return S_RECORD;
  if (is_one_of(local, r->names->above))
    return S_ABOVE;
  return S_NEUTRAL;
}
