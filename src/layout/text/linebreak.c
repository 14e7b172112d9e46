// Break: elements → lines. Knuth–Plass total fit over the whole paragraph (a
// pass within the tolerance, then an emergency pass that takes any line that
// is not overfull), first fit as the last resort. Centred paragraphs of
// several lines are then balanced: set again on the narrowest measure that
// keeps their number of lines.
#include "text-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ADJ_DEMERITS 3000.0     // Adjacent lines whose fitness classes differ by more than one
#define BAD_INF 1e9             // Badness of a line that would stretch glue it does not have
#define BALANCE_PRECISION 0.5   // Points: the balancing search stops when its bounds are this close
#define FLAGGED_DEMERITS 3000.0 // Two consecutive lines ending after '-' or '/'
#define LINE_PENALTY 10.0       // Added to every line's badness (TeX's \linepenalty)
#define NFITNESS 4              // Fitness classes: tight, decent, loose, very loose
#define REACH_MARGIN 1e-9       // Relative margin of try_break's quick test (far above rounding)

// A feasible break: the end of a line in some optimal way to get there.
typedef struct ap_node_s {
  size_t pos;       // Element of the break (AP_PAR_NONE: the paragraph's start)
  size_t start;     // First element of the next line
  size_t line;      // Number of lines ending here (0 at the start)
  int fitness;      // Fitness class of the line ending here
  bool flagged;     // The break is a flagged penalty
  double demerits;  // Total demerits of the lines up to here
  size_t prev;      // Node of the previous break (AP_PAR_NONE at the start)
  double reach;     // What a break must reach to end a line from here that is not too loose, less a margin
} ap_node_t;

// State of a total-fit pass: prefix sums, nodes, the active ones.
typedef struct ap_breaker_s {
  ap_par_t *par;             // Paragraph
  double tolerance;          // Largest ratio accepted (INFINITY: emergency)
  bool prune;                // Lines too loose can be told by reach (finite tolerance, no negative stretch)
  double *sw, *sy, *sz;      // Width, stretch, shrink of elements [0, i)
  size_t sums_cap[3];        // Their allocated entries
  ap_node_t *nodes;          // Every node created
  size_t nnodes, nodes_cap;  // Used and allocated nodes
  size_t *active;            // Nodes that may still begin a line
  size_t nactive, active_cap;// Used and allocated active slots
} ap_breaker_t;

// Whether try_break first tells lines plainly too loose by what they reach
// (tests turn it off to compare).
bool ap_par_break_quick = true;

static size_t add_node(ap_breaker_t *br, size_t pos, size_t prev, int fitness, double demerits);
static void balance(ap_par_t *par);
static void begin_sums(ap_breaker_t *br);
static void end_breaker(ap_breaker_t *br);
static int fitness_of(double ratio);
static bool is_breakpoint(const ap_par_t *par, size_t pos);
static double ratio_of(const ap_breaker_t *br, size_t start, size_t pos, size_t line);
static void push_span(ap_par_t *par, size_t start, size_t end);
static void try_break(ap_breaker_t *br, size_t pos);

//
// 'ap_par_break()' - Choose the lines: total fit, emergency total fit, first fit.
//
// A centred paragraph of several lines set by total fit is balanced.
//

void
ap_par_break(ap_par_t *par) // I - Paragraph with its elements
{
  if (!ap_par_break_total(par, par->tolerance) && !ap_par_break_total(par, INFINITY)) {
    ap_par_break_first(par);
    return;
  }
  if (par->config->align == AP_ALIGN_CENTER && par->nspans > 1)
    balance(par);
}

//
// 'ap_par_break_first()' - Choose the lines greedily: as much as fits on each.
//
// Lines may shrink as far as their glue allows (justified text only; the
// last line keeps natural spacing). A box wider than the line still gets a
// line of its own.
//

void
ap_par_break_first(ap_par_t *par) // I - Paragraph with its elements
{
  ap_breaker_t br = {.par = par};            // Prefix sums
  size_t n = par->nelems;                    // Number of elements
  size_t start = ap_par_line_start(par, 0);  // First element of the line
  size_t last_ok = AP_PAR_NONE;              // Last break where the line fits
  size_t pos;                                // Element looked at

  par->nspans = 0;
  begin_sums(&br);
  for (pos = start; start + 1 < n && pos < n; pos++) {
    bool final = pos + 1 == n;              // The paragraph's end
    double width, shrink;                   // Natural width and shrink of the line

    if (!is_breakpoint(par, pos))
      continue;
    width = br.sw[pos] - br.sw[start];
    if (par->elems[pos].kind == AP_ELEM_PENALTY)
      width += par->elems[pos].width;
    shrink = final ? 0 : br.sz[pos] - br.sz[start];
    if (width - shrink <= ap_par_line_width(par, par->nspans) + 1e-9) {
      last_ok = pos;
      if (!final)
        continue;
    } else if (last_ok != AP_PAR_NONE) {
      pos = last_ok; // Break at the last place that fitted
    }
    push_span(par, start, pos);
    if (pos + 1 == n)
      break;
    start = ap_par_line_start(par, pos + 1);
    last_ok = AP_PAR_NONE;
    pos = start - 1; // The loop's increment brings it back to start
  }
  end_breaker(&br);
}

//
// 'ap_par_break_total()' - Choose the lines with the least total demerits.
//
// Demerits of a line: (LINE_PENALTY + 100|r|^3)^2 plus the penalty squared,
// plus extra demerits for two flagged breaks in a row or for adjacent lines of
// very different tightness. Only lines with -1 <= r <= tolerance are
// feasible; the last line must fit at its natural width. The active list
// only holds breaks from which a line is not yet overfull, so it stays
// bounded by what a line can hold.
//

bool                                 // O - false when no feasible set of lines exists
ap_par_break_total(ap_par_t *par,    // I - Paragraph with its elements
                   double tolerance) // I - Largest adjustment ratio accepted
{
  ap_breaker_t br = {.par = par, .tolerance = tolerance}; // Breaker
  size_t n = par->nelems;   // Number of elements
  size_t best, node, i;     // Best final node, node walked, looping var
  size_t pos;               // Element looked at

  // Start from the paragraph's beginning...
  par->nspans = 0;
  begin_sums(&br);
  add_node(&br, AP_PAR_NONE, AP_PAR_NONE, /*fitness*/1, /*demerits*/0);
  if (br.nodes[0].start + 1 >= n) {
    end_breaker(&br);
    return true; // No text: no lines
  }

  // Try every break opportunity against every active node...
  for (pos = br.nodes[0].start; pos < n && br.nactive; pos++) {
    if (is_breakpoint(par, pos))
      try_break(&br, pos);
  }
  if (!br.nactive) {
    end_breaker(&br);
    return false;
  }

  // The active nodes now all end at the forced break: walk back from the best...
  for (best = br.active[0], i = 1; i < br.nactive; i++) {
    if (br.nodes[br.active[i]].demerits < br.nodes[best].demerits)
      best = br.active[i];
  }
  par->nspans = br.nodes[best].line;
  par->spans = ap_par_grow(par->spans, &par->spans_cap, par->nspans, sizeof(ap_span_t));
  for (node = best; br.nodes[node].prev != AP_PAR_NONE; node = br.nodes[node].prev) {
    ap_node_t *prev = br.nodes + br.nodes[node].prev; // Break before the line

    par->spans[br.nodes[node].line - 1] = (ap_span_t){prev->start, br.nodes[node].pos};
  }
  end_breaker(&br);
  return true;
}

// Create a node for a break at pos and make it active.
static size_t
add_node(ap_breaker_t *br, size_t pos, size_t prev, int fitness, double demerits)
{
  ap_node_t *node; // New node

  br->nodes = ap_par_grow(br->nodes, &br->nodes_cap, br->nnodes + 1, sizeof(ap_node_t));
  node = br->nodes + br->nnodes;
  node->pos = pos;
  node->start = ap_par_line_start(br->par, pos == AP_PAR_NONE ? 0 : pos + 1);
  node->line = prev == AP_PAR_NONE ? 0 : br->nodes[prev].line + 1;
  node->fitness = fitness;
  node->flagged = pos != AP_PAR_NONE && br->par->elems[pos].kind == AP_ELEM_PENALTY &&
                  br->par->elems[pos].flagged;
  node->demerits = demerits;
  node->prev = prev;
  // A line from here to a break b is too loose (r > tolerance) when
  // sw[b] + tolerance * sy[b] (plus b's penalty width) falls short of this:
  // its width and the stretch it may use fall short of the measure.
  node->reach = 0;
  if (br->prune) {
    double reach = br->sw[node->start] + br->tolerance * br->sy[node->start] + ap_par_line_width(br->par, node->line);
    node->reach = reach - REACH_MARGIN * (fabs(reach) + 1);
  }
  br->active = ap_par_grow(br->active, &br->active_cap, br->nactive + 1, sizeof(size_t));
  br->active[br->nactive++] = br->nnodes;
  return br->nnodes++;
}

// Balance a centred paragraph of n lines: search (by bisection) the
// narrowest measure on which total fit still sets it in n lines, and take
// those lines (centred on the real measure by finalize). Lines come out of
// similar lengths, with no lone last word; the number of lines never grows,
// and a line is never wider than on the real measure. The search starts from
// the box widths spread evenly over the lines (no narrower measure can hold
// them) and stops within BALANCE_PRECISION.
static void
balance(ap_par_t *par)
{
  const ap_par_config_t *config = par->config; // The real measure
  ap_par_config_t narrow = *config;            // The measure tried
  size_t n = par->nspans, i;                   // Lines to keep, looping var
  double boxes = 0, lo, hi = config->measure;  // Width of every box; bounds of the search
  ap_span_t *best = malloc(n * sizeof(ap_span_t)); // Lines on the narrowest measure found

  if (!best)
    abort();
  memcpy(best, par->spans, n * sizeof(ap_span_t));
  for (i = 0; i < par->nelems; i++) {
    if (par->elems[i].kind == AP_ELEM_BOX)
      boxes += par->elems[i].width;
  }
  lo = fmin(hi, (boxes + config->first_indent) / (double)n);

  // Narrow the measure while the lines stay as many...
  par->config = &narrow;
  while (hi - lo > BALANCE_PRECISION) {
    narrow.measure = (lo + hi) / 2;
    if ((ap_par_break_total(par, par->tolerance) || ap_par_break_total(par, INFINITY)) && par->nspans == n) {
      hi = narrow.measure;
      memcpy(best, par->spans, n * sizeof(ap_span_t));
    } else {
      lo = narrow.measure;
    }
  }
  par->config = config;
  par->spans = ap_par_grow(par->spans, &par->spans_cap, n, sizeof(ap_span_t));
  memcpy(par->spans, best, n * sizeof(ap_span_t));
  par->nspans = n;
  free(best);
}

// Compute the prefix sums of widths, stretch and shrink (penalties count 0).
static void
begin_sums(ap_breaker_t *br)
{
  const ap_par_t *par = br->par; // Paragraph
  size_t i;                      // Looping var

  br->sw = ap_par_grow(ap_scratch_take(AP_SCRATCH_SW, &br->sums_cap[0]), &br->sums_cap[0], par->nelems + 1,
                       sizeof(double));
  br->sy = ap_par_grow(ap_scratch_take(AP_SCRATCH_SY, &br->sums_cap[1]), &br->sums_cap[1], par->nelems + 1,
                       sizeof(double));
  br->sz = ap_par_grow(ap_scratch_take(AP_SCRATCH_SZ, &br->sums_cap[2]), &br->sums_cap[2], par->nelems + 1,
                       sizeof(double));
  br->nodes = ap_scratch_take(AP_SCRATCH_NODES, &br->nodes_cap);
  br->active = ap_scratch_take(AP_SCRATCH_ACTIVE, &br->active_cap);
  br->sw[0] = br->sy[0] = br->sz[0] = 0;
  br->prune = ap_par_break_quick && isfinite(br->tolerance) && br->tolerance >= 0;
  for (i = 0; i < par->nelems; i++) {
    const ap_elem_t *e = par->elems + i; // Element
    bool counts = e->kind != AP_ELEM_PENALTY; // Penalties only count when broken at

    br->sw[i + 1] = br->sw[i] + (counts ? e->width : 0);
    br->sy[i + 1] = br->sy[i] + e->stretch;
    br->sz[i + 1] = br->sz[i] + e->shrink;
    if (!(e->stretch >= 0))
      br->prune = false; // A line's stretch would not grow with it
  }
}

// Free what a breaker allocated.
static void
end_breaker(ap_breaker_t *br)
{
  ap_scratch_give(AP_SCRATCH_SW, br->sw, br->sums_cap[0], sizeof(double));
  ap_scratch_give(AP_SCRATCH_SY, br->sy, br->sums_cap[1], sizeof(double));
  ap_scratch_give(AP_SCRATCH_SZ, br->sz, br->sums_cap[2], sizeof(double));
  ap_scratch_give(AP_SCRATCH_NODES, br->nodes, br->nodes_cap, sizeof(ap_node_t));
  ap_scratch_give(AP_SCRATCH_ACTIVE, br->active, br->active_cap, sizeof(size_t));
}

// Fitness class of a line: 0 tight, 1 decent, 2 loose, 3 very loose.
static int
fitness_of(double ratio)
{
  if (ratio < -0.5)
    return 0;
  if (ratio <= 0.5)
    return 1;
  if (ratio <= 1)
    return 2;
  return 3;
}

// True when the paragraph may break at pos: untied glue after a box, or a finite penalty.
static bool
is_breakpoint(const ap_par_t *par, size_t pos)
{
  const ap_elem_t *e = par->elems + pos; // Element

  if (e->kind == AP_ELEM_GLUE)
    return e->tie == AP_TIE_NONE && pos > 0 && par->elems[pos - 1].kind == AP_ELEM_BOX;
  return e->kind == AP_ELEM_PENALTY && e->penalty < AP_PENALTY_INF;
}

// Adjustment ratio of the line [start, pos) numbered line (0-based); +/-INFINITY
// when it must stretch or shrink glue it does not have.
static double
ratio_of(const ap_breaker_t *br, size_t start, size_t pos, size_t line)
{
  const ap_elem_t *e = br->par->elems + pos;                   // Break
  double avail = ap_par_line_width(br->par, line);             // Width to fill
  double width = br->sw[pos] - br->sw[start] + (e->kind == AP_ELEM_PENALTY ? e->width : 0);
  double give;                                                 // Stretch or shrink

  if (width < avail) {
    give = br->sy[pos] - br->sy[start];
    return give > 0 ? (avail - width) / give : INFINITY;
  }
  if (width > avail) {
    // The last line keeps its natural spacing...
    give = pos + 1 == br->par->nelems ? 0 : br->sz[pos] - br->sz[start];
    return give > 0 ? (avail - width) / give : -INFINITY;
  }
  return 0;
}

// Add a line to the paragraph's spans.
static void
push_span(ap_par_t *par, size_t start, size_t end)
{
  par->spans = ap_par_grow(par->spans, &par->spans_cap, par->nspans + 1, sizeof(ap_span_t));
  par->spans[par->nspans++] = (ap_span_t){start, end};
}

// Consider a break at pos after every active node: deactivate the nodes whose
// line would be overfull (or that a forced break passes), and add the best new
// node of each fitness class.
static void
try_break(ap_breaker_t *br, size_t pos)
{
  const ap_elem_t *e = br->par->elems + pos;                         // Break
  bool forced = e->kind == AP_ELEM_PENALTY && e->penalty <= -AP_PENALTY_INF;
  double cost = e->kind == AP_ELEM_PENALTY ? e->penalty : 0;         // Penalty of breaking here
  double best[NFITNESS];                                             // Least demerits per class
  size_t from[NFITNESS];                                             // Node giving them
  double least = INFINITY;                                           // Least of all classes
  size_t i, kept = 0;                                                // Looping var, actives kept
  int c;                                                             // Fitness class
  bool prune = br->prune && !forced;                                 // Skip lines plainly too loose
  double reach = prune ? br->sw[pos] + (e->kind == AP_ELEM_PENALTY ? e->width : 0) + br->tolerance * br->sy[pos]
                       : 0;                                          // What the lines to pos reach...
  reach += REACH_MARGIN * (fabs(reach) + 1);                         // ...plus a margin

  for (c = 0; c < NFITNESS; c++) {
    best[c] = INFINITY;
    from[c] = AP_PAR_NONE;
  }

  // Rate the line from every active node...
  for (i = 0; i < br->nactive; i++) {
    size_t a = br->active[i];       // Active node
    const ap_node_t *node = br->nodes + a;
    double r, bad, d;               // Ratio, badness, demerits

    if (node->start >= pos) {
      br->active[kept++] = a; // Nothing between: not a line yet
      continue;
    }
    // Too loose by a clear margin (so that ratio_of's rounding could not
    // say otherwise): the node stays, nothing to rate. Most nodes of a
    // paragraph are so at most breaks, and rating them took a division.
    // The nodes after it start no earlier (they are in the order of their
    // breaks) on lines as wide (only the first line differs, and only the
    // paragraph's start begins it): they reach no less, and all stay.
    if (prune && reach < node->reach) {
      if (node->line > 0) {
        memmove(br->active + kept, br->active + i, (br->nactive - i) * sizeof(size_t));
        kept += br->nactive - i;
        break;
      }
      br->active[kept++] = a;
      continue;
    }
    r = ratio_of(br, node->start, pos, node->line);
    if (r >= -1 && !forced)
      br->active[kept++] = a;
    if (r < -1 || r > br->tolerance)
      continue;

    bad = isinf(r) ? BAD_INF : 100 * fabs(r) * fabs(r) * fabs(r);
    d = (LINE_PENALTY + bad) * (LINE_PENALTY + bad);
    if (cost > 0)
      d += cost * cost;
    else if (cost > -AP_PENALTY_INF)
      d -= cost * cost;
    if (node->flagged && e->kind == AP_ELEM_PENALTY && e->flagged)
      d += FLAGGED_DEMERITS;
    c = fitness_of(r);
    if (node->pos != AP_PAR_NONE && abs(c - node->fitness) > 1)
      d += ADJ_DEMERITS;
    d += node->demerits;
    if (d < best[c]) {
      best[c] = d;
      from[c] = a;
    }
    if (d < least)
      least = d;
  }
  br->nactive = kept;

  // Keep one new node per class, unless no later line could make it win...
  for (c = 0; c < NFITNESS; c++) {
    if (from[c] != AP_PAR_NONE && best[c] <= least + ADJ_DEMERITS)
      add_node(br, pos, from[c], c, best[c]);
  }
}
