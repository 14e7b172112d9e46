#!/usr/bin/env bash
# The bad-input corpus: every case in tests/bad/<case>/ is run and must end
# as its files say, within bounds. A case folder holds its inputs and:
#   expect  the exact stderr (one line: FILE[:LINE:COL]: error: ...);
#           @FONTS@ stands for anpham's fonts folder
#   args    optional: the arguments after `anpham`, on one line; @OUT@ is an
#           empty scratch folder of the case. Without it: `render` (to
#           @OUT@/out.pdf and @OUT@/out.txt) and `check`, both expecting the
#           same line
#   status  optional: the expected exit status (default 1); 0 for hostile
#           input that must render (a 1 MB word): then `expect` holds the
#           warnings (often none) and the PDF must be written
#   setup   optional: a bash script run in the case's scratch copy first,
#           for inputs too big or too special to commit
# Every run must: exit as expected, print exactly `expect` on stderr and
# nothing on stdout, leave nothing in @OUT@ (when it fails) and no new file beside its
# inputs, end within 5 s and stay under 200 MB (peak RSS, where GNU time
# is there and the build is not instrumented). Runs from a scratch copy of
# tests/bad so that the paths in the messages are stable.
# Usage: bad.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: bad.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: bad.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/tests/bad" "$tmp/bad"
cd "$tmp/bad" || exit 1

# Limits of one run: time always; memory only where it means something.
max_ms=5000
max_kb=$((200 * 1024))
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
fi
if nm "$anpham" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
  echo "note - instrumented build: peak memory is not checked, time limit 8x (ASan runs 2-5x slower, more on a busy machine)"
  gnu_time=""
  max_ms=$((max_ms * 8))
elif [ -z "$gnu_time" ]; then
  echo "note - GNU time missing: peak memory is not checked"
fi

# 'verdict WHAT STATUS' - count a check whose status is already known.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }

# 'run_case CASE LABEL EXPECTED_STATUS ARGS...' - one run of anpham on a case.
run_case() {
  local c=$1 label=$2 want=$3 out=$tmp/out/$1-$2 rc
  shift 3
  local args=("${@//@OUT@/$out}")
  mkdir -p "$out"
  find "$c" | sort >"$out.before"
  local t0 t1
  t0=$(date +%s%N)
  if [ -n "$gnu_time" ]; then
    "$gnu_time" -f %M -o "$out.rss" "$anpham" "${args[@]}" >"$out.stdout" 2>"$out.stderr" </dev/null
  else
    "$anpham" "${args[@]}" >"$out.stdout" 2>"$out.stderr" </dev/null
  fi
  rc=$?
  t1=$(date +%s%N)
  local ms=$(((t1 - t0) / 1000000)) why=""
  [ "$rc" -eq "$want" ] || why="$why exit $rc (expected $want);"
  if [ "$want" -ne 0 ]; then
    [ "$(wc -l <"$out.stderr")" -eq 1 ] || why="$why $(wc -l <"$out.stderr") lines on stderr (expected 1);"
    grep -Eq '^([^:]+(:[0-9]+:[0-9]+)?: error: |anpham: ).+' "$out.stderr" ||
      why="$why not 'FILE[:LINE:COL]: error: ...' nor 'anpham: ...';"
  fi
  sed "s|@FONTS@|$src/fonts|g" "$c/expect" >"$out.expect"
  cmp -s "$out.expect" "$out.stderr" || why="$why stderr differs from expect;"
  if [ "$want" -ne 0 ]; then
    [ -z "$(ls -A "$out")" ] || why="$why left behind: $(ls -A "$out" | tr '\n' ' ');"
  elif [ "$label" = render ] && ! [ -s "$out/out.pdf" ]; then
    why="$why no PDF written;"
  fi
  find "$c" | sort | cmp -s - "$out.before" || why="$why new files beside the inputs;"
  [ ! -s "$out.stdout" ] || why="$why wrote on stdout;"
  [ "$ms" -le "$max_ms" ] || why="$why took $ms ms (at most $max_ms);"
  if [ -n "$gnu_time" ] && [ -s "$out.rss" ]; then
    local kb
    kb=$(tail -n 1 "$out.rss")
    [ "$kb" -le "$max_kb" ] 2>/dev/null || why="$why peak $((kb / 1024)) MB (at most $((max_kb / 1024)) MB);"
  fi
  if [ -z "$why" ]; then
    ok "$c ($label, ${ms} ms): $(cat "$out.stderr")"
  else
    bad "$c ($label):$why"
    echo "     expected: $(cat "$out.expect")"
    echo "     got:      $(head -n 3 "$out.stderr")"
  fi
}

cases=0
for dir in */; do
  c=${dir%/}
  [ -f "$c/expect" ] || { bad "$c: no expect file"; continue; }
  cases=$((cases + 1))
  if [ -f "$c/setup" ]; then
    (cd "$c" && bash ./setup) || { bad "$c: its setup failed"; continue; }
  fi
  want=1
  [ -f "$c/status" ] && want=$(tr -d ' \n' <"$c/status")
  if [ -f "$c/args" ]; then
    read -r -a words <"$c/args"
    run_case "$c" args "$want" "${words[@]}"
  else
    data=()
    [ -f "$c/data.xml" ] && data=(--data "$c/data.xml")
    run_case "$c" render "$want" render "$c/layout.xml" "${data[@]}" -o @OUT@/out.pdf --dump @OUT@/out.txt
    run_case "$c" check "$want" check "$c/layout.xml" "${data[@]}"
  fi
done
echo "cases: $cases"

# The external entity is never read: the run refuses the data, nothing names
# the file's content, and (where strace works) /etc/passwd is never opened.
c=data-external-entity
if [ -f /etc/passwd ]; then
  secret=$(head -n 1 /etc/passwd | cut -d: -f1):x:
  ! grep -rqF "$secret" "$tmp/out" 2>/dev/null
  verdict "$c: no /etc/passwd content in any output" $?
fi
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  # (LeakSanitizer cannot run under ptrace: leaks are not this check's business.)
  ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=open,openat -o "$tmp/strace.txt" \
    "$anpham" render "$c/layout.xml" --data "$c/data.xml" -o "$tmp/xxe.pdf" 2>/dev/null
  ! grep -q '/etc/passwd' "$tmp/strace.txt"
  verdict "$c: /etc/passwd is never opened" $?
else
  echo "skip - strace unavailable: the open of /etc/passwd is not traced"
fi

# The same with an entity naming a FIFO: opening it for reading would block
# until a writer comes, so a run that ends in time never opened it.
mkdir -p "$tmp/fifo"
if mkfifo "$tmp/fifo/secret" 2>/dev/null && command -v timeout >/dev/null; then
  sed "s|file:///etc/passwd|file://$tmp/fifo/secret|" "$c/data.xml" >"$tmp/fifo/data.xml"
  timeout 20 "$anpham" render "$c/layout.xml" --data "$tmp/fifo/data.xml" -o "$tmp/fifo/out.pdf" 2>"$tmp/fifo/err"
  rc=$?
  [ "$rc" -eq 1 ] && [ ! -e "$tmp/fifo/out.pdf" ]
  verdict "$c: an entity naming a FIFO is refused without opening it (exit $rc)" $?
fi

finish
