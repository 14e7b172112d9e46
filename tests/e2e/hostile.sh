#!/usr/bin/env bash
# Bad input is handled as promised: every case in tests/hostile/<case>/
# (layout.xml, data.xml, expect) makes `render` and `check` exit 1 with
# exactly the one line in `expect` on stderr, of the form FILE:LINE:COL:
# error: ... (FILE: error: ... for a missing file), and leaves no output
# file and no temporary file behind. Runs from tests/hostile so that the
# paths in the messages are stable.
# Usage: hostile.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: hostile.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: hostile.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src/tests/hostile" || exit 1

# 'verdict WHAT STATUS' - count a check whose status is already known.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }

# 'one_error CASE MODE' - run MODE (render|check) on CASE; compare stderr with expect.
one_error() {
  local c=$1 mode=$2 out=$tmp/$1-$2 rc
  mkdir -p "$out"
  if [ "$mode" = render ]; then
    "$anpham" render "$c/layout.xml" --data "$c/data.xml" -o "$out/out.pdf" --dump "$out/out.txt" \
      >"$out.stdout" 2>"$out.stderr"
  else
    "$anpham" check "$c/layout.xml" --data "$c/data.xml" >"$out.stdout" 2>"$out.stderr"
  fi
  rc=$?
  local lines
  lines=$(wc -l <"$out.stderr")
  local why=""
  [ "$rc" -eq 1 ] || why="$why exit $rc (expected 1);"
  [ "$lines" -eq 1 ] || why="$why $lines lines on stderr (expected 1);"
  grep -Eq '^[^:]+(:[0-9]+:[0-9]+)?: error: .+' "$out.stderr" || why="$why not FILE[:LINE:COL]: error: ...;"
  cmp -s "$c/expect" "$out.stderr" || why="$why stderr differs from expect;"
  [ -z "$(ls -A "$out")" ] || why="$why left behind: $(ls -A "$out" | tr '\n' ' ');"
  [ ! -s "$out.stdout" ] || why="$why wrote on stdout;"
  if [ -z "$why" ]; then
    ok "$c ($mode): $(cat "$out.stderr")"
  else
    bad "$c ($mode):$why"
    echo "     expected: $(cat "$c/expect")"
    echo "     got:      $(head -n 3 "$out.stderr")"
  fi
}

for dir in */; do
  c=${dir%/}
  [ -f "$c/expect" ] || continue
  one_error "$c" render
  one_error "$c" check
  # A place is known for everything but a file that is not there.
  case $c in
  data-missing | layout-missing) check "$c: names the file without a place" grep -Eq '^[^:]+: error: ' "$c/expect" ;;
  *) check "$c: gives file:line:col" grep -Eq '^[^:]+:[0-9]+:[0-9]+: error: ' "$c/expect" ;;
  esac
done

# The external entity is never read: the run refuses the data, nothing names
# the file's content, and (where strace works) /etc/passwd is never opened.
c=data-external-entity
if [ -f /etc/passwd ]; then
  secret=$(head -n 1 /etc/passwd | cut -d: -f1):x:
  ! grep -rqF "$secret" "$tmp" 2>/dev/null
  verdict "$c: no /etc/passwd content in any output" $?
fi
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
  strace -f -e trace=open,openat -o "$tmp/strace.txt" \
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
