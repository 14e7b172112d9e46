#!/usr/bin/env bash
# bench/run.sh BUILD_DIR (what `make bench` runs): times the 2023 edition, the 2024 handout,
# a one-paragraph document (bench/paragraph/: the fixed cost alone) and a
# generated table, and Typst on the same documents when it is at hand, prints a Markdown table
# and writes it into docs/benchmarks.md between the bench markers.
# A benchmark reports, it does not gate: exit 0 whatever the figures,
# non-zero only when anpham fails to render.
#
# Environment: BENCH_RUNS (anpham runs, default 30, at least 20),
# BENCH_PEER_RUNS (Typst runs, default 10), BENCH_PEERS (0: skip Typst;
# 1: may npm-install it even under CI), TYPST (path of a typst binary).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
anpham=$build/anpham
layout=$src/layouts/bao-cao.xml
data=$src/data/2023/bao-cao-2023.xml
typ=$src/../shared/peers/bao-cao-2023.typ
doc=$src/docs/benchmarks.md
runs=${BENCH_RUNS:-30}
peer_runs=${BENCH_PEER_RUNS:-10}

[[ $runs =~ ^[0-9]+$ && $peer_runs =~ ^[0-9]+$ && $peer_runs -ge 1 ]] || { echo "bench: BENCH_RUNS and BENCH_PEER_RUNS are counts" >&2; exit 2; }
# Fewer than 20 runs give a median that moves with one slow run.
if [ "$runs" -lt 20 ]; then echo "bench: BENCH_RUNS=$runs raised to 20" >&2; runs=20; fi
[ -x "$anpham" ] || { echo "bench: no $anpham (build first)" >&2; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# The clock and rusage helper: libc only, and a C compiler is already
# needed to build anpham.
${CC:-cc} -O2 -std=c11 -o "$t/wall" "$src/bench/wall.c"

. "$src/bench/lib.bash"

# --- anpham -----------------------------------------------------------------

echo "bench: anpham, 1 checked run + $runs timed runs" >&2
# The first run, untimed, warms the page cache and anpham's own (the user's
# cache folder: the layout's schema check, the faces' snapshots and subsets,
# docs/command-line.md#the-cache, as a second render of a document finds it)
# and gives the dump the footnote check reads; the timed runs write no dump.
if ! "$anpham" render "$layout" --data "$data" -o "$t/a.pdf" --dump "$t/a.dump"; then
  echo "bench: anpham failed to render the 2023 edition" >&2
  exit 1
fi
settle
if ! "$t/wall" "$runs" "$anpham" render "$layout" --data "$data" -o "$t/a.pdf" >"$t/a.times"; then
  echo "bench: anpham failed during the timed runs" >&2
  exit 1
fi
read -r a_med a_min a_rss < <(stats "$t/a.times")
a_bytes=$(stat -c %s "$t/a.pdf")

# The cost of tagging (on by default, docs/archive.md): tagged and --no-tags
# runs in alternation, so that both see the same machine.
echo "bench: the 2023 edition tagged and with --no-tags, $runs runs each, alternating" >&2
: >"$t/ta.times"
: >"$t/n.times"
for _ in $(seq "$runs"); do
  "$t/wall" 1 "$anpham" render "$layout" --data "$data" -o "$t/ta.pdf" >>"$t/ta.times"
  "$t/wall" 1 "$anpham" render "$layout" --data "$data" -o "$t/n.pdf" --no-tags >>"$t/n.times"
done
read -r ta_med _ _ < <(stats "$t/ta.times")
read -r n_med _ _ < <(stats "$t/n.times")
n_bytes=$(stat -c %s "$t/n.pdf")
tag_time=$(awk -v a="$ta_med" -v n="$n_med" 'BEGIN { printf "%+.1f", (a / n - 1) * 100 }')
tag_bytes=$(awk -v a="$a_bytes" -v n="$n_bytes" 'BEGIN { printf "%+.1f", (a / n - 1) * 100 }')
a_pages=$(pages "$t/a.pdf")

# What the heap's huge pages save (src/base/heap.c, docs/command-line.md#memory-pages):
# runs with them and with ANPHAM_HUGE_PAGES=0 in alternation, time and page faults.
echo "bench: the 2023 edition with and without huge pages, $runs runs each, alternating" >&2
: >"$t/hg.times"
: >"$t/sm.times"
for _ in $(seq "$runs"); do
  "$t/wall" 1 "$anpham" render "$layout" --data "$data" -o "$t/hg.pdf" >>"$t/hg.times"
  ANPHAM_HUGE_PAGES=0 "$t/wall" 1 "$anpham" render "$layout" --data "$data" -o "$t/sm.pdf" >>"$t/sm.times"
done
read -r hg_med _ hg_rss < <(stats "$t/hg.times")
read -r sm_med _ sm_rss < <(stats "$t/sm.times")
hg_faults=$(faults "$t/hg.times")
sm_faults=$(faults "$t/sm.times")
cmp -s "$t/hg.pdf" "$t/sm.pdf" && hg_same="the same bytes" || hg_same="**different bytes** (a bug)"
a_version=$("$anpham" --version 2>/dev/null | head -n1 || echo anpham)

# Footnotes whose number stands on the page of the note, read from the dump
# as tests/e2e/report_2023.sh does.
read -r fn_ok fn_all < <(awk '
  /^page / { page = $2 }
  /^  [a-z]/ { role = $2 }
  / label "/ { t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
    if (role == "note") note[t] = page
    else if (role != "header" && role != "footer" && t ~ /^[0-9]+$/) ref[t] = page }
  END { n = 0; ok = 0; for (k in note) { n++; if ((k in ref) && ref[k] == note[k]) ok++ }
        print ok, n }' "$t/a.dump")

# --- the 2024 handout --------------------------------------------------------

echo "bench: the 2024 handout, $runs timed runs" >&2
h_layout=$src/layouts/handout.xml
h_data=$src/data/2024/hau-giang-2024.xml
if ! { "$anpham" render "$h_layout" --data "$h_data" -o "$t/h.pdf" && settle; } ||
   ! "$t/wall" "$runs" "$anpham" render "$h_layout" --data "$h_data" -o "$t/h.pdf" >"$t/h.times"; then
  echo "bench: anpham failed to render the 2024 handout" >&2
  exit 1
fi
read -r h_med h_min h_rss < <(stats "$t/h.times")
h_bytes=$(stat -c %s "$t/h.pdf")
h_pages=$(pages "$t/h.pdf")

# --- one paragraph: the fixed cost ---------------------------------------------

echo "bench: one paragraph (bench/paragraph), $runs timed runs" >&2
p_layout=$src/bench/paragraph/layout.xml
p_data=$src/bench/paragraph/data.xml
if ! { "$anpham" render "$p_layout" --data "$p_data" -o "$t/p.pdf" && settle; } ||
   ! "$t/wall" "$runs" "$anpham" render "$p_layout" --data "$p_data" -o "$t/p.pdf" >"$t/p.times"; then
  echo "bench: anpham failed to render the one-paragraph document" >&2
  exit 1
fi
read -r p_med p_min p_rss < <(stats "$t/p.times")
p_bytes=$(stat -c %s "$t/p.pdf")

# --- a table of 10,000 rows -----------------------------------------------------

# Generated rows (tools/gen-table.sh), the test table layout; twice and ten
# times the rows too, to see how memory and time grow with them (issue 11 §4).
echo "bench: a generated table of 10,000, 20,000 and 100,000 rows" >&2
bash "$src/tools/gen-table.sh" 10000 >"$t/t10.xml"
bash "$src/tools/gen-table.sh" 20000 >"$t/t20.xml"
bash "$src/tools/gen-table.sh" 100000 >"$t/t100.xml"
t_layout=$src/tests/e2e/tables/layout.xml
big_runs=5
# One untimed run first, as for the report: the table's faces subset anew
# into the cache (HarfBuzz loaded), which took the first timed run's peak
# 4-5 MB past the others'.
"$anpham" render "$t_layout" --data "$t/t10.xml" -o "$t/t10.pdf" ||
  { echo "bench: anpham failed to render the 10,000-row table" >&2; exit 1; }
for k in 10 20 100; do
  if ! "$t/wall" "$big_runs" "$anpham" render "$t_layout" --data "$t/t$k.xml" -o "$t/t$k.pdf" >"$t/t$k.times"; then
    echo "bench: anpham failed to render the $k,000-row table" >&2
    exit 1
  fi
done
read -r g_med g_min g_rss < <(stats "$t/t10.times")
read -r g2_med g2_min g2_rss < <(stats "$t/t20.times")
read -r g3_med g3_min g3_rss < <(stats "$t/t100.times")
# ...and 100,000 rows read whole (no record packed: parse/packed.c), to see what packing saves.
if ! ANPHAM_PACK_MIN=0 "$t/wall" "$big_runs" "$anpham" render "$t_layout" --data "$t/t100.xml" -o "$t/w100.pdf" \
     >"$t/w100.times"; then
  echo "bench: anpham failed to render the 100,000-row table read whole" >&2
  exit 1
fi
read -r w3_med w3_min w3_rss < <(stats "$t/w100.times")
g_pages=$(pages "$t/t10.pdf")
g2_pages=$(pages "$t/t20.pdf")
g3_pages=$(pages "$t/t100.pdf")
g_bytes=$(stat -c %s "$t/t10.pdf")
g3_bytes=$(stat -c %s "$t/t100.pdf")

# The same rows as a long body (one paragraph a row, bound as layout reaches
# each: tests/e2e/long_body/layout.xml), and the data alone: one paragraph
# that counts the 100,000 rows, so that what the data's tree takes is seen.
echo "bench: the rows as a long body (10,000 and 100,000), and the 100,000 rows' data alone" >&2
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/long_body/layout.xml" >"$t/body.xml"
sed -e "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" -e '/<for-each select="\/t\/g">/,/^    <\/for-each>/d' \
  "$src/tests/e2e/long_body/layout.xml" >"$t/count.xml"
for k in 10 100; do
  if ! "$t/wall" "$big_runs" "$anpham" render "$t/body.xml" --data "$t/t$k.xml" -o "$t/b$k.pdf" >"$t/b$k.times"; then
    echo "bench: anpham failed to render the long body of $k,000 rows" >&2
    exit 1
  fi
done
if ! "$t/wall" "$big_runs" "$anpham" render "$t/count.xml" --data "$t/t100.xml" -o "$t/c100.pdf" >"$t/c100.times" \
     2>"$t/c100.err"; then # (warnings: the styles of the rows go unused)
  echo "bench: anpham failed to count the 100,000 rows" >&2
  exit 1
fi
read -r b_med b_min b_rss < <(stats "$t/b10.times")
read -r b3_med b3_min b3_rss < <(stats "$t/b100.times")
read -r c3_med c3_min c3_rss < <(stats "$t/c100.times")
b_pages=$(pages "$t/b10.pdf")
b3_pages=$(pages "$t/b100.pdf")

# --- Typst, the peer --------------------------------------------------------

peer_note=""
typst=""
if [ "${BENCH_PEERS:-}" = 0 ]; then
  peer_note="Typst skipped (BENCH_PEERS=0)."
elif [ ! -f "$typ" ]; then
  peer_note="Typst not run: ../shared/peers/bao-cao-2023.typ is absent from this checkout."
else
  typst=$(find_typst)
  [ -n "$typst" ] || peer_note="Typst not run: no typst on PATH, no TYPST, no npm install under /tmp/typst."
fi

if [ -n "$typst" ]; then
  fonts=/usr/share/fonts/truetype/liberation2
  [ -d "$fonts" ] || fonts=$src/fonts  # the same Liberation fonts
  t_version=$("$typst" --version 2>/dev/null | awk '{ print "Typst " $2 }' || echo Typst)
  echo "bench: $t_version, 1 warm-up + $peer_runs timed runs" >&2
  if "$typst" compile --font-path "$fonts" "$typ" "$t/t.pdf" 2>"$t/t.err" && settle &&
     "$t/wall" "$peer_runs" "$typst" compile --font-path "$fonts" "$typ" "$t/t.pdf" >"$t/t.times" 2>>"$t/t.err"; then
    read -r t_med t_min t_rss < <(stats "$t/t.times")
    t_bytes=$(stat -c %s "$t/t.pdf")
    t_pages=$(pages "$t/t.pdf")
    ratio=$(awk -v a="$a_med" -v b="$t_med" 'BEGIN { printf "%.1f", b / a }')
  else
    peer_note="Typst ($typst) failed: $(head -n1 "$t/t.err")"
    typst=""
  fi
fi
# ...and the one paragraph.
tp_med=""
if [ -n "$typst" ] && "$typst" compile --font-path "$fonts" "$src/bench/paragraph/paragraph.typ" "$t/tp.pdf" 2>/dev/null && settle &&
   "$t/wall" "$peer_runs" "$typst" compile --font-path "$fonts" "$src/bench/paragraph/paragraph.typ" "$t/tp.pdf" >"$t/tp.times" 2>/dev/null; then
  read -r tp_med tp_min tp_rss < <(stats "$t/tp.times")
  tp_bytes=$(stat -c %s "$t/tp.pdf")
  p_ratio=$(awk -v a="$p_med" -v b="$tp_med" 'BEGIN { printf "%.1f", b / a }')
fi

# --- Typst 0.14, through Node ---------------------------------------------------
# The newest Typst npm carries, as a compiler for Node
# (../shared/peers/typst14.js): its wall time includes Node's start-up,
# reported apart (node -e 0), and the script's own clock gives compile and
# PDF alone.
typ14=$src/../shared/peers/bao-cao-2023-v14.typ
js14=$src/../shared/peers/typst14.js
t14="" t14_note=""
if [ "${BENCH_PEERS:-}" = 0 ]; then
  t14_note="Typst 0.14 skipped (BENCH_PEERS=0)."
elif [ ! -f "$typ14" ] || [ ! -f "$js14" ]; then
  t14_note="Typst 0.14 not run: ../shared/peers/bao-cao-2023-v14.typ or typst14.js is absent from this checkout."
else
  t14=$(find_typst14)
  [ -n "$t14" ] || t14_note="Typst 0.14 not run: no node, or no @myriaddreamin/typst-ts-node-compiler under /tmp/typst14."
fi
if [ -n "$t14" ]; then
  t14_version="Typst 0.14 (Node, typst-ts-node-compiler $(node -p "require('$t14/@myriaddreamin/typst-ts-node-compiler/package.json').version" 2>/dev/null || echo '?'))"
  echo "bench: $t14_version, 1 warm-up + $peer_runs timed runs, and Node's start-up" >&2
  if NODE_PATH=$t14 node "$js14" "$typ14" "$t/t14.pdf" 2>"$t/t14.err" && settle &&
     NODE_PATH=$t14 T14_VERBOSE=1 "$t/wall" "$peer_runs" node "$js14" "$typ14" "$t/t14.pdf" >"$t/t14.times" 2>"$t/t14.clock" &&
     "$t/wall" "$peer_runs" node -e 0 >"$t/node.times"; then
    read -r t14_med t14_min t14_rss < <(stats "$t/t14.times")
    read -r node_med node_min node_rss < <(stats "$t/node.times")
    t14_bytes=$(stat -c %s "$t/t14.pdf")
    t14_pages=$(pages "$t/t14.pdf")
    # "start A ms, compile+pdf B ms" per run: the median of B.
    t14_compile=$(sed -n 's/.*compile+pdf \([0-9.]*\) ms.*/\1/p' "$t/t14.clock" | sort -n |
      awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    ratio14=$(awk -v a="$a_med" -v b="$t14_med" 'BEGIN { printf "%.1f", b / a }')
  else
    t14_note="Typst 0.14 failed: $(head -n1 "$t/t14.err")"
    t14=""
  fi
fi
# ...and the one paragraph (paragraph.typ is the same source for both).
tp14_med=""
if [ -n "$t14" ] && NODE_PATH=$t14 node "$js14" "$src/bench/paragraph/paragraph.typ" "$t/tp14.pdf" 2>/dev/null && settle &&
   NODE_PATH=$t14 "$t/wall" "$peer_runs" node "$js14" "$src/bench/paragraph/paragraph.typ" "$t/tp14.pdf" >"$t/tp14.times" 2>/dev/null; then
  read -r tp14_med tp14_min tp14_rss < <(stats "$t/tp14.times")
  tp14_bytes=$(stat -c %s "$t/tp14.pdf")
fi

# --- report -----------------------------------------------------------------

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
rev=$(git -C "$src" describe --always --dirty 2>/dev/null || echo "no git")

{
  echo "<!-- bench:start -->"
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs (${cpu:-CPU model unknown}),"
  echo "$a_version at \`$rev\`, CMake build type ${build_type:-RelWithDebInfo (the default CMakeLists.txt sets)}."
  echo
  echo "The 2023 report (seed 004):"
  echo
  echo "| tool | runs | median wall | min wall | peak RSS | PDF bytes | pages | footnotes on their page |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| $a_version | $runs | $a_med ms | $a_min ms | $a_rss MB | $(thousands "$a_bytes") | ${a_pages:-?} | $fn_ok/$fn_all |"
  if [ -n "$typst" ]; then
    echo "| $t_version | $peer_runs | $t_med ms | $t_min ms | $t_rss MB | $(thousands "$t_bytes") | ${t_pages:-?} | not checked |"
    echo
    echo "Typst median / anpham median: **${ratio}×**."
  else
    echo
    echo "$peer_note"
  fi
  echo
  if [ -n "$t14" ]; then
    echo "Typst 0.14 (\`../shared/peers/bao-cao-2023-v14.typ\`: the same document, two lines of"
    echo "syntax that changed since 0.10), compiled in Node (\`typst14.js\`), in the same run:"
    echo
    echo "| tool | runs | median wall | min wall | peak RSS | PDF bytes | pages |"
    echo "|---|---|---|---|---|---|---|"
    echo "| $t14_version | $peer_runs | $t14_med ms | $t14_min ms | $t14_rss MB | $(thousands "$t14_bytes") | ${t14_pages:-?} |"
    echo "| Node's start-up alone (\`node -e 0\`) | $peer_runs | $node_med ms | $node_min ms | $node_rss MB | | |"
    echo
    echo "Typst 0.14 median / anpham median: **${ratio14}×** (its compile and PDF alone, by"
    echo "the script's own clock: ${t14_compile:-?} ms median)."
  else
    echo "$t14_note"
  fi
  echo
  echo "Targets for the 2023 edition, in this run (issue 11 §2 and §5):"
  echo
  echo "- median wall ≤ 10 ms: $(verdict le "$a_med" 10) ($a_med ms)"
  if [ -n "$typst" ]; then
    echo "- at least 50× faster than Typst 0.10: $(verdict le 50 "$ratio") (${ratio}×)"
  else
    echo "- at least 50× faster than Typst 0.10: not measured (no Typst in this run)"
  fi
  echo "- peak RSS ≤ 20 MB: $(verdict le "$a_rss" 20) ($a_rss MB)"
  echo "- PDF ≤ 100 KB (100,000 bytes): $(verdict le "$a_bytes" 100000) ($(thousands "$a_bytes") bytes)"
  echo "- 57/57 footnotes on the page of their reference: $(verdict test "$fn_ok" -eq 57 -a "$fn_all" -eq 57) ($fn_ok/$fn_all)"
  echo "- tagging (on by default) costs ≤ 15 % time and ≤ 15 % bytes against \`--no-tags\`:"
  echo "  time $(verdict le "$tag_time" 15) ($tag_time %: $ta_med against $n_med ms, alternating runs),"
  echo "  bytes $(verdict le "$tag_bytes" 15) ($tag_bytes %: $(thousands "$a_bytes") against $(thousands "$n_bytes"))"
  echo
  echo "Huge pages for the heap (on by default; \`ANPHAM_HUGE_PAGES=0\` for 4 KB pages), alternating runs:"
  echo "$hg_med ms, $(thousands "$hg_faults") page faults, $hg_rss MB peak against $sm_med ms,"
  echo "$(thousands "$sm_faults") page faults, $sm_rss MB ($hg_same)."
  echo
  echo "The 2024 handout (seeds 000, 001: cover, contents, 6 slides 3 per page, full text, 2 charts):"
  echo
  echo "| tool | runs | median wall | min wall | peak RSS | PDF bytes | pages |"
  echo "|---|---|---|---|---|---|---|"
  echo "| $a_version | $runs | $h_med ms | $h_min ms | $h_rss MB | $(thousands "$h_bytes") | ${h_pages:-?} |"
  echo
  echo "- the 2024 handout in < 40 ms median wall: $(verdict le "$h_med" 39.999) ($h_med ms)"
  echo
  echo "One paragraph on an A4 page (\`bench/paragraph/\`: the first paragraph of the"
  echo "2023 report; Typst sets it from \`paragraph.typ\`): what is left is the fixed cost"
  echo "(start, the fonts, the PDF's own objects):"
  echo
  echo "| tool | runs | median wall | min wall | peak RSS | PDF bytes |"
  echo "|---|---|---|---|---|---|"
  echo "| $a_version | $runs | $p_med ms | $p_min ms | $p_rss MB | $(thousands "$p_bytes") |"
  [ -z "$tp_med" ] ||
    echo "| $t_version | $peer_runs | $tp_med ms | $tp_min ms | $tp_rss MB | $(thousands "$tp_bytes") |"
  [ -z "$tp14_med" ] ||
    echo "| $t14_version (Node's start-up included) | $peer_runs | $tp14_med ms | $tp14_min ms | $tp14_rss MB | $(thousands "$tp14_bytes") |"
  if [ -n "$tp_med" ]; then
    echo
    echo "Typst median / anpham median: **${p_ratio}×**."
  fi
  echo
  echo "- one paragraph ≤ 4 ms median wall: $(verdict le "$p_med" 4) ($p_med ms; $(faults "$t/p.times") page faults a run,"
  echo "  each of which costs a virtual machine some microseconds)"
  echo
  echo "A generated table (\`tools/gen-table.sh\`, \`tests/e2e/tables/layout.xml\`: A5,"
  echo "a header row repeated on every page, group rows, stripes, a decimal column):"
  echo
  echo "| rows | runs | median wall | min wall | peak RSS | pages | PDF bytes |"
  echo "|---|---|---|---|---|---|---|"
  echo "| 10,000 | $big_runs | $g_med ms | $g_min ms | $g_rss MB | ${g_pages:-?} | $(thousands "$g_bytes") |"
  echo "| 20,000 | $big_runs | $g2_med ms | $g2_min ms | $g2_rss MB | ${g2_pages:-?} | |"
  echo "| 100,000 | $big_runs | $g3_med ms | $g3_min ms | $g3_rss MB | ${g3_pages:-?} | $(thousands "$g3_bytes") |"
  echo "| 100,000, read whole (\`ANPHAM_PACK_MIN=0\`) | $big_runs | $w3_med ms | $w3_min ms | $w3_rss MB | | |"
  echo
  echo "- 10,000 rows in < 2 s: $(verdict le "$g_med" 1999.9) ($g_med ms)"
  echo "- 10,000 rows in < 24 MB peak (issue 11 §4): $(verdict le "$g_rss" 23.99) ($g_rss MB)"
  echo "- 100,000 rows in < 64 MB peak (issue 11 §4): $(verdict le "$g3_rss" 63.99) ($g3_rss MB)"
  echo "- time linear in the rows: 100,000 rows take $(awk -v a="$g3_med" -v b="$g_med" 'BEGIN { printf "%.1f", a / b }')× the time of 10,000"
  echo "- what grows with the rows (see Notes below): the data, its records"
  echo "  packed as their text (about 200 bytes a row, held from its parse to the end"
  echo "  of layout); the structure tree's records (12 bytes an element, tagged PDF)"
  echo "  and libharu's objects, until the file is saved (into its temporary file, as"
  echo "  it is made)."
  echo
  echo "The same rows as a long body (\`tests/e2e/long_body/layout.xml\`: a heading a"
  echo "group, one paragraph a row, bound as layout reaches it), and the data alone"
  echo "(one paragraph that counts the rows: its peak is the data's tree and the fixed cost):"
  echo
  echo "| document | runs | median wall | min wall | peak RSS | pages |"
  echo "|---|---|---|---|---|---|"
  echo "| long body, 10,000 rows | $big_runs | $b_med ms | $b_min ms | $b_rss MB | ${b_pages:-?} |"
  echo "| long body, 100,000 rows | $big_runs | $b3_med ms | $b3_min ms | $b3_rss MB | ${b3_pages:-?} |"
  echo "| the 100,000 rows counted | $big_runs | $c3_med ms | $c3_min ms | $c3_rss MB | 1 |"
  echo
  echo "- the data alone, its records packed, peaks at $c3_rss MB (read whole, libxml2's"
  echo "  tree of the same rows took 92 MB)"
  echo "<!-- bench:end -->"
} >"$t/block.md"

cat "$t/block.md"

# Replace the block between the markers, keeping the rest of the file; a
# file without them gets the block appended.
[ -f "$doc" ] || printf '# Benchmarks\n' >"$doc"
put_block bench "$t/block.md" "$doc"
echo "bench: wrote ${doc#"$src"/}" >&2
