#!/usr/bin/env bash
# bench/batch.sh BUILD_DIR (run by `make bench` after bench/run.sh): anpham
# batch against separate processes, in the same run.
#   1. the eight district handouts (samples/districts.xml), --jobs 2;
#   2. N generated jobs of the district handout (default 1,000: job i is
#      district i mod 8), one `anpham batch --jobs 2` run, and the same jobs
#      as N separate `anpham render` processes through `xargs -P2`; the
#      batch also with N/10 jobs, to see whether memory grows with the jobs
#      (both also with the heap on 4 KB pages, whose peaks show it).
# Prints a Markdown block and writes it into docs/benchmarks.md between the
# batch markers. Reports, does not gate: exit 0 whatever the figures.
# Environment: BENCH_BATCH_JOBS (default 1000), BENCH_BATCH_RUNS (district
# runs, default 20).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
anpham=$build/anpham
doc=$src/docs/benchmarks.md
n=${BENCH_BATCH_JOBS:-1000}
runs=${BENCH_BATCH_RUNS:-20}
[[ $n =~ ^[0-9]+$ && $n -ge 80 && $runs =~ ^[0-9]+$ && $runs -ge 5 ]] ||
  { echo "bench: BENCH_BATCH_JOBS (>= 80) and BENCH_BATCH_RUNS (>= 5) are counts" >&2; exit 2; }
[ -x "$anpham" ] || { echo "bench: no $anpham (build first)" >&2; exit 1; }

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
${CC:-cc} -O2 -std=c11 -o "$t/wall" "$src/bench/wall.c"
. "$src/bench/lib.bash"

# 1. The eight districts, rendered anew each run (--force)...
echo "bench: the 8 district handouts, 1 + $runs runs of anpham batch --jobs 2" >&2
"$anpham" batch "$src/samples/districts.xml" -o "$t/d" --jobs 2 --quiet
"$t/wall" "$runs" "$anpham" batch "$src/samples/districts.xml" -o "$t/d" --jobs 2 --force --quiet >"$t/d.times"
read -r d_med d_min d_rss < <(stats "$t/d.times")

# 2. N jobs: a batch file cycling through the districts...
jobs_file() { # jobs_file COUNT OUT_DIR
  echo "<batch version=\"1\" layout=\"$src/layouts/handout-huyen.xml\" output-dir=\"$2\">"
  echo "  <allow-path dir=\"$src/data/2024\"/>"
  ls "$src"/data/2024/districts/*.xml | sort >"$t/units"
  awk -v n="$1" 'NR == FNR { u[NR - 1] = $0; k = NR; next } END {
    for (i = 0; i < n; i++) printf "  <job data=\"%s\" output=\"h%04d.pdf\"/>\n", u[i % k], i }' "$t/units" /dev/null
  echo "</batch>"
}
small=$((n / 10))
jobs_file "$n" "$t/big" >"$t/big.xml"
jobs_file "$small" "$t/small" >"$t/small.xml"
echo "bench: $n jobs in one batch (--jobs 2), then $small" >&2
# parent_peak FILE CMD...: run CMD in the background, write the peak RSS of
# that process alone (VmHWM, in MB; its jobs' processes are not counted)
# to FILE when it ends, and its exit status as ours.
parent_peak() {
  local out=$1 pid hwm=0 h
  shift
  "$@" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
    sleep 0.05
  done
  awk -v k="$hwm" 'BEGIN { printf "%.1f\n", k / 1024 }' >"$out"
  wait "$pid"
}
"$t/wall" 1 "$anpham" batch "$t/big.xml" --jobs 2 --quiet >"$t/big.times"
"$t/wall" 1 "$anpham" batch "$t/small.xml" --jobs 2 --quiet >"$t/small.times"
# The same with the heap on 4 KB pages: on 2 MB pages a job process's peak
# moves in 2 MB steps as its heap reaches another huge page (10.7 to
# 16.0 MB for the same 1,000 jobs in runs minutes apart), which hides
# whether memory grows with the jobs; on small pages it shows.
ANPHAM_HUGE_PAGES=0 "$t/wall" 1 "$anpham" batch "$t/big.xml" --jobs 2 --quiet --force >"$t/big4k.times"
ANPHAM_HUGE_PAGES=0 "$t/wall" 1 "$anpham" batch "$t/small.xml" --jobs 2 --quiet --force >"$t/small4k.times"
# The parent's own peak (the jobs are forked from it: what grows with the jobs is there)...
parent_peak "$t/big.parent" "$anpham" batch "$t/big.xml" --jobs 2 --quiet --force
parent_peak "$t/small.parent" "$anpham" batch "$t/small.xml" --jobs 2 --quiet --force
b_parent=$(cat "$t/big.parent")
s_parent=$(cat "$t/small.parent")
read -r b_med _ b_rss < <(stats "$t/big.times")
read -r s_med _ s_rss < <(stats "$t/small.times")
read -r _ _ b_rss4k < <(stats "$t/big4k.times")
read -r _ _ s_rss4k < <(stats "$t/small4k.times")
b_child=$(python3 -c '
import json, sys
ms = sorted(e["ms"] for e in json.load(open(sys.argv[1]))["jobs"])
print("%.1f" % ms[len(ms) // 2])' "$t/big/manifest.json")
b_done=$(grep -c '"status": "done"' "$t/big/manifest.json" || true)

# ...and the same N jobs as N processes, two at a time...
echo "bench: the same $n jobs as $n anpham render processes (xargs -P2)" >&2
mkdir -p "$t/sep"
awk -v n="$n" 'NR == FNR { u[NR - 1] = $0; k = NR; next } END {
  for (i = 0; i < n; i++) printf "%s %04d\n", u[i % k], i }' "$t/units" /dev/null >"$t/sep.list"
cat >"$t/one.sh" <<SH
#!/usr/bin/env bash
exec "$anpham" render "$src/layouts/handout-huyen.xml" --data "\$1" --allow-path "$src/data/2024" -o "$t/sep/h\$2.pdf"
SH
chmod +x "$t/one.sh"
"$t/wall" 1 xargs -P2 -n2 "$t/one.sh" <"$t/sep.list" >"$t/sep.times"
read -r x_med _ x_rss < <(stats "$t/sep.times")
same=$(cmp -s "$t/big/h0005.pdf" "$t/sep/h0005.pdf" && echo yes || echo no)

per_job=$(awk -v ms="$b_med" -v n="$n" 'BEGIN { printf "%.2f", ms / n }')
per_proc=$(awk -v ms="$x_med" -v n="$n" 'BEGIN { printf "%.2f", ms / n }')
ratio=$(awk -v a="$b_med" -v b="$x_med" 'BEGIN { printf "%.1f", b / a }')
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
rev=$(git -C "$src" describe --always --dirty 2>/dev/null || echo "no git")

{
  echo "<!-- batch:start -->"
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs (${cpu:-CPU model unknown}), \`$rev\`."
  echo
  echo "| what | wall | per job | peak RSS (largest process; the batch's own process) |"
  echo "|---|---|---|---|"
  echo "| 8 district handouts, \`anpham batch --jobs 2\` (median of $runs) | $d_med ms | $(awk -v ms="$d_med" 'BEGIN { printf "%.1f", ms / 8 }') ms | $d_rss MB |"
  echo "| $(thousands "$n") jobs, one \`anpham batch --jobs 2\` ($b_done done) | $(awk -v ms="$b_med" 'BEGIN { printf "%.2f", ms / 1000 }') s | $per_job ms | $b_rss MB; $b_parent MB |"
  echo "| $(thousands "$small") jobs, one \`anpham batch --jobs 2\` | $(awk -v ms="$s_med" 'BEGIN { printf "%.2f", ms / 1000 }') s | $(awk -v ms="$s_med" -v n="$small" 'BEGIN { printf "%.2f", ms / n }') ms | $s_rss MB; $s_parent MB |"
  echo "| $(thousands "$n") \`anpham render\` processes, \`xargs -P2\` | $(awk -v ms="$x_med" 'BEGIN { printf "%.2f", ms / 1000 }') s | $per_proc ms | $x_rss MB |"
  echo
  echo "One job's own time in its process (median, from the manifest): $b_child ms."
  echo "Separate processes / batch: **${ratio}×**; the batch's PDFs are the renders' (cmp): $same."
  echo
  echo "- 8 district handouts under 60 ms wall: $(verdict le "$d_med" 60) ($d_med ms)"
  echo "- $(thousands "$n") jobs under 5 s wall (≤ 5 ms a job): $(verdict le "$b_med" $((n * 5))) ($per_job ms a job)"
  echo "- peak memory that does not grow with the jobs (within 10 % + 1 MB of a tenth of the jobs), the batch's own"
  echo "  process: $(verdict le "$b_parent" "$(awk -v r="$s_parent" 'BEGIN { print r * 1.1 + 1 }')") ($s_parent MB for $(thousands "$small") jobs, $b_parent MB for $(thousands "$n")); the largest"
  echo "  process, its heap on 4 KB pages (\`ANPHAM_HUGE_PAGES=0\`): $(verdict le "$b_rss4k" "$(awk -v r="$s_rss4k" 'BEGIN { print r * 1.1 + 1 }')") ($s_rss4k MB, $b_rss4k MB;"
  echo "  on 2 MB pages, the default, $s_rss MB and $b_rss MB: a huge page more or less from run to run). The job processes are forked from"
  echo "  the batch's and run job after job, each job's memory given back when it ends; the manifest is written entry by entry"
  echo "<!-- batch:end -->"
} >"$t/block.md"
cat "$t/block.md"
put_block batch "$t/block.md" "$doc"
