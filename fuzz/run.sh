#!/usr/bin/env bash
# Run every fuzz target of a build made with -DAP_FUZZ=ON (`make fuzz`) for
# SECONDS each, from seeds made from the project's own inputs. Fails when any
# target finds a crash, a leak, a timeout (-timeout=5) or runs out of memory
# (-rss_limit_mb=2048); the input that did it is kept in BUILD/crashes/NAME/.
# The corpus a run grows stays in BUILD/corpus/NAME/ for the next run.
# Usage: fuzz/run.sh BUILD SECONDS [NAME...]   (default: every fuzz_* built)
set -uo pipefail
build=$(cd "${1:?usage: run.sh BUILD SECONDS [NAME...]}" && pwd)
seconds=${2:?usage: run.sh BUILD SECONDS [NAME...]}
shift 2
src=$(cd "$(dirname "$0")/.." && pwd)
fuzz=$src/fuzz

# Scratch files of the targets (fuzz/scratch.c): one folder per run, in memory when possible.
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
TMPDIR=$(mktemp -d "$base/anpham-fuzz-run.XXXXXX") || exit 1
export TMPDIR
seeds=$(mktemp -d "$TMPDIR/seeds.XXXXXX")
trap 'rm -rf "$TMPDIR"' EXIT

# 'byte N' - write the byte of value N (0-255).
# shellcheck disable=SC2059 # the format is the byte's escape
byte() { printf "\\x$(printf %02x "$1")"; }
# 'seed DIR NAME < BYTES' - one seed file.
seed() { mkdir -p "$seeds/$1" && cat >"$seeds/$1/$2"; }

# Seeds: layouts (the project's, the bad cases', migrated or not)...
for f in "$src"/layouts/*.xml "$src"/tests/bad/*/layout.xml "$src"/tests/hostile/*/layout.xml; do
  [ -f "$f" ] || continue
  name=$(echo "${f#"$src"/}" | tr / _)
  seed layout "$name" <"$f"
  if [ -f "$(dirname "$f")/data.xml" ]; then # render: layout NUL data
    { cat "$f"; printf '\0'; cat "$(dirname "$f")/data.xml"; } | seed render "$name"
  else
    seed render "$name" <"$f"
  fi
done
# ...data: byte 0 picks the edition (fuzz_data.c's table, samples/editions.txt's order)...
i=0
grep -v '^#' "$src/samples/editions.txt" | while read -r layout data _; do
  [ -n "$layout" ] || continue
  { byte "$i"; cat "$src/$data"; } | seed data "edition-$i"
  i=$((i + 1))
done
n=0
for f in "$src"/tests/bad/*/data.xml "$src"/tests/hostile/*/data.xml; do
  [ -f "$f" ] || continue
  { byte $((n % 7)); cat "$f"; } | seed data "bad-$n"
  n=$((n + 1))
done
# ...text: paragraphs of the data files (3 bytes of settings first)...
n=0
for f in "$src"/data/*/*.xml; do
  sed 's/<[^>]*>//g; s/^ *//' "$f" | awk 'length > 40' | head -n 25 | while IFS= read -r line; do
    { byte $((n % 16)); byte $((40 + n * 7 % 200)); byte 5; printf '%s' "$line"; } |
      seed text "$(basename "$f" .xml)-$n"
    n=$((n + 1))
  done
done
# ...batch files: the samples', and one of every attribute...
for f in "$src"/samples/*.xml; do
  [ -f "$f" ] && grep -q '<batch' "$f" && seed batch "$(basename "$f")" <"$f"
done
printf '%s\n' '<batch version="1" layout="l.xml" data="d.xml" output-dir="out" copies="3" copies-in-one="false"' \
  ' handout="3" deck="hg" slide-page="a4" impose="2up" crop-marks="true">' '<allow-path dir="x"/>' \
  '<set name="a" value="b"/>' '<job output="a.pdf" data="e.xml"><set name="c" value=""/></job>' '</batch>' |
  seed batch every-attribute.xml
# ...images: small files of every kind, and the bad cases' images.
for f in "$fuzz"/seeds/image/* "$src"/tests/bad/*/*.png "$src"/tests/bad/*/*.jpg "$src"/tests/hostile/*/*.png; do
  [ -f "$f" ] && seed image "$(echo "${f#"$src"/}" | tr / _)" <"$f"
done

# 'max_len NAME' - the largest input worth trying per target.
max_len() {
  case $1 in
    layout | batch) echo 32768 ;; data) echo 131072 ;; text) echo 4096 ;; image) echo 65536 ;; *) echo 65536 ;;
  esac
}
# 'dict NAME' - the target's dictionary.
dict() {
  case $1 in
    layout | render) echo "$fuzz/layout.dict" ;; data) echo "$fuzz/data.dict" ;; batch) echo "$fuzz/batch.dict" ;;
    text) echo "$fuzz/text.dict" ;; image) echo "$fuzz/image.dict" ;;
  esac
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for exe in "$build"/fuzz/fuzz_*; do [ -x "$exe" ] && names+=("${exe##*/fuzz_}"); done
fi
[ ${#names[@]} -gt 0 ] || { echo "fuzz: no fuzz_* in $build/fuzz (configure with -DAP_FUZZ=ON)"; exit 1; }
failed=()
mkdir -p "$build/logs"
for name in "${names[@]}"; do
  exe=$build/fuzz/fuzz_$name
  log=$build/logs/$name.log
  mkdir -p "$build/corpus/$name" "$build/crashes/$name" "$seeds/$name"
  regressions=()
  [ -d "$fuzz/regressions/$name" ] && regressions=("$fuzz/regressions/$name")
  echo "fuzz $name for ${seconds}s (log: $log)"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    nice "$exe" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len="$(max_len "$name")" \
    -dict="$(dict "$name")" -artifact_prefix="$build/crashes/$name/" -print_final_stats=1 \
    "$build/corpus/$name" "$seeds/$name" "${regressions[@]}" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  if [ "$rc" -eq 0 ]; then
    echo "  ok: ${execs:-?} runs, ${rate:-?} exec/s, corpus $(find "$build/corpus/$name" -type f | wc -l) files"
  else
    echo "  FAILED (exit $rc): ${execs:-?} runs; input kept in $build/crashes/$name/:"
    find "$build/crashes/$name" -type f | sed 's/^/    /'
    grep -E 'ERROR|SUMMARY|==[0-9]+==|#[0-9]+ 0x' "$log" | head -n 25 | sed 's/^/    /'
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (replay one: $build/fuzz/fuzz_NAME FILE)"
  exit 1
fi
echo "fuzz: ${#names[@]} targets, no crash, leak or timeout in ${seconds}s each"
