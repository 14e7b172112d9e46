#!/usr/bin/env bash
# bench/mailmerge.sh BUILD_DIR (run by `make bench`): a mail merge, the
# throughput case of issue 11 §3: N letters (default 500), one a page, each
# with a logo (a palette PNG), the sender block on the right, the address,
# two justified paragraphs (bench/mailmerge/: layout.xml; letter.typ is the
# same letter in Typst; gen.py the records, illustrative and said to be).
# anpham and Typst 0.10 in the same run: median and minimum of the runs,
# peak RSS, bytes, pages. Prints a Markdown block and writes it into
# docs/benchmarks.md between the mailmerge markers. Reports, does not
# gate: exit 0 whatever the figures, non-zero only when anpham fails.
# Environment: BENCH_MM_RECORDS (default 500), BENCH_RUNS (anpham, default
# 10), BENCH_PEER_RUNS (Typst, default 5), BENCH_PEERS=0 (no Typst), TYPST.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
anpham=$build/anpham
doc=$src/docs/benchmarks.md
mm=$src/bench/mailmerge
n=${BENCH_MM_RECORDS:-500}
runs=${BENCH_RUNS:-10}
peer_runs=${BENCH_PEER_RUNS:-5}
[[ $n =~ ^[0-9]+$ && $n -ge 1 && $runs =~ ^[0-9]+$ && $runs -ge 3 && $peer_runs =~ ^[0-9]+$ && $peer_runs -ge 1 ]] ||
  { echo "bench: BENCH_MM_RECORDS, BENCH_RUNS (>= 3) and BENCH_PEER_RUNS are counts" >&2; exit 2; }
[ -x "$anpham" ] || { echo "bench: no $anpham (build first)" >&2; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
${CC:-cc} -O2 -std=c11 -o "$t/wall" "$src/bench/wall.c"
. "$src/bench/lib.bash"

# The records, and the files each tool reads beside them...
python3 "$mm/gen.py" "$n" "$t"
cp "$mm/layout.xml" "$mm/letter.typ" "$mm/logo.png" "$t/"
sed -i "s#fonts=\"../../fonts\"#fonts=\"$src/fonts\"#" "$t/layout.xml"

echo "bench: mail merge of $n letters, anpham: 1 + $runs runs" >&2
"$anpham" render "$t/layout.xml" --data "$t/letters.xml" -o "$t/a.pdf" ||
  { echo "bench: anpham failed on the mail merge" >&2; exit 1; }
"$t/wall" "$runs" "$anpham" render "$t/layout.xml" --data "$t/letters.xml" -o "$t/a.pdf" >"$t/a.times"
read -r a_med a_min a_rss < <(stats "$t/a.times")
a_bytes=$(stat -c %s "$t/a.pdf")
a_pages=$(pages "$t/a.pdf")

peer_note=""
typst=""
if [ "${BENCH_PEERS:-}" = 0 ]; then
  peer_note="Typst skipped (BENCH_PEERS=0)."
else
  typst=$(find_typst)
  [ -n "$typst" ] || peer_note="Typst not run: no typst on PATH, no TYPST, no npm install under /tmp/typst."
fi
if [ -n "$typst" ]; then
  t_version=$("$typst" --version 2>/dev/null | awk '{ print "Typst " $2 }' || echo Typst)
  echo "bench: $t_version, 1 + $peer_runs runs" >&2
  if (cd "$t" && "$typst" compile --font-path "$src/fonts" letter.typ t.pdf 2>"$t/t.err" &&
      "$t/wall" "$peer_runs" "$typst" compile --font-path "$src/fonts" letter.typ t.pdf >"$t/t.times" 2>>"$t/t.err"); then
    read -r t_med t_min t_rss < <(stats "$t/t.times")
    t_bytes=$(stat -c %s "$t/t.pdf")
    t_pages=$(pages "$t/t.pdf")
    ratio=$(awk -v a="$a_med" -v b="$t_med" 'BEGIN { printf "%.1f", b / a }')
  else
    peer_note="Typst ($typst) failed: $(head -n1 "$t/t.err")"
    typst=""
  fi
fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
rev=$(git -C "$src" describe --always --dirty 2>/dev/null || echo "no git")
{
  echo "<!-- mailmerge:start -->"
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs (${cpu:-CPU model unknown}), \`$rev\`:"
  echo "$(thousands "$n") letters (\`bench/mailmerge/\`, illustrative records), one a page."
  echo
  echo "| tool | runs | median wall | min wall | peak RSS | PDF bytes | pages |"
  echo "|---|---|---|---|---|---|---|"
  echo "| anpham | $runs | $a_med ms | $a_min ms | $a_rss MB | $(thousands "$a_bytes") | $a_pages |"
  if [ -n "$typst" ]; then
    echo "| $t_version | $peer_runs | $t_med ms | $t_min ms | $t_rss MB | $(thousands "$t_bytes") | $t_pages |"
    echo
    echo "Typst median / anpham median: **${ratio}×**."
    echo
    echo "- at least 5× faster than Typst 0.10: $(verdict le 5 "$ratio") (${ratio}×)"
    echo "- a PDF no larger than Typst's: $(verdict le "$a_bytes" "$t_bytes") ($(thousands "$a_bytes") against $(thousands "$t_bytes") bytes)"
  else
    echo
    echo "$peer_note"
  fi
  echo "<!-- mailmerge:end -->"
} >"$t/block.md"
cat "$t/block.md"
put_block mailmerge "$t/block.md" "$doc"
