#!/usr/bin/env bash
# The heap on huge pages (src/base/heap.c): a render's malloc'ed memory is
# advised to the kernel as huge pages, which changes how memory is backed
# and nothing else: the editions, tagged, untagged and PDF/A, are the same
# bytes with ANPHAM_HUGE_PAGES=0. A running process (anpham watch, which
# stays up) has its heap advised from a 2 MB boundary (VmFlags "hg" in
# /proc/PID/smaps) over at least 4 MB; with ANPHAM_HUGE_PAGES=0 it has not.
# A batch's job processes advise theirs: the district handouts are the same
# bytes both ways.
# Usage: huge_pages.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: huge_pages.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: huge_pages.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

# Same bytes, advised or not.
while read -r layout data out opts; do
  [[ -z "$layout" || "$layout" == \#* ]] && continue
  for extra in "" --no-tags --pdfa; do
    # shellcheck disable=SC2086 # (opts: several words)
    (cd "$src" && SOURCE_DATE_EPOCH=1700000000 "$anpham" render "$layout" --data "$data" $opts $extra -o "$tmp/a.pdf" &&
      SOURCE_DATE_EPOCH=1700000000 ANPHAM_HUGE_PAGES=0 "$anpham" render "$layout" --data "$data" $opts $extra -o "$tmp/b.pdf")
    check "$out ${extra:-(default)}: the same bytes with ANPHAM_HUGE_PAGES=0" cmp -s "$tmp/a.pdf" "$tmp/b.pdf"
  done
done < <(grep -E '^layouts/(bao-cao|handout)\.xml' "$src/samples/editions.txt" | head -2)

# A batch (each job process advises its own heap): the eight district handouts, the same bytes.
(cd "$src" && "$anpham" batch samples/districts.xml -o "$tmp/d-on" --quiet &&
  ANPHAM_HUGE_PAGES=0 "$anpham" batch samples/districts.xml -o "$tmp/d-off" --quiet)
check "batch: the eight district handouts, the same bytes with ANPHAM_HUGE_PAGES=0" \
  bash -c 'n=0; for f in "$1"/*.pdf; do cmp -s "$f" "$2/${f##*/}" || exit 1; n=$((n + 1)); done; [ "$n" -eq 8 ]' \
  _ "$tmp/d-on" "$tmp/d-off"

# The advice itself, on a process that stays up.
if nm "$anpham" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
  echo "note - instrumented build: its malloc is not glibc's, the heap is not advised"
elif [ ! -e /sys/kernel/mm/transparent_hugepage/enabled ]; then
  echo "note - this kernel has no transparent huge pages: the advice is not checked"
else
  sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/watch/layout.xml" >"$tmp/layout.xml"
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<doc><p>Một đoạn văn.</p></doc>\n' >"$tmp/data.xml"
  wait_for() { for _ in $(seq 600); do "$@" && return 0; sleep 0.05; done; return 1; }
  # advised_heap PID: the bytes of heap advised as huge pages, from a 2 MB boundary ("" when none).
  advised_heap() {
    local start end heap=0 line
    while read -r line; do
      if [[ $line =~ ^([0-9a-f]+)-([0-9a-f]+)\  ]]; then
        start=$((16#${BASH_REMATCH[1]})) end=$((16#${BASH_REMATCH[2]})) heap=0
        [[ $line == *" [heap]" ]] && heap=1
      elif [[ $line == VmFlags:*" hg"* ]] && ((heap && start % 2097152 == 0)); then
        echo $((end - start))
      fi
    done <"/proc/$1/smaps"
  }
  for mode in on off; do
    env_set=()
    [ "$mode" = off ] && env_set=(ANPHAM_HUGE_PAGES=0)
    (cd "$tmp" && exec env "${env_set[@]}" "$anpham" watch layout.xml --data data.xml -o out-$mode.pdf) >"$tmp/log-$mode" 2>&1 &
    pid=$!
    wait_for grep -q "^anpham watch: wrote " "$tmp/log-$mode"
    sizes=$(advised_heap "$pid")
    kill -INT "$pid"; wait "$pid"; pid=
    if [ "$mode" = on ]; then
      check "watch: its heap is advised as huge pages from a 2 MB boundary, 4 MB or more (${sizes:-none})" \
        bash -c '[ -n "$1" ] && [ "$(echo "$1" | sort -n | tail -1)" -ge 4194304 ]' _ "$sizes"
    else
      check "watch with ANPHAM_HUGE_PAGES=0: no heap advised (${sizes:-none})" test -z "$sizes"
    fi
  done
  check "...the same PDF both ways" cmp -s "$tmp/out-on.pdf" "$tmp/out-off.pdf"
fi
finish
