#!/usr/bin/env bash
# The command line keeps its promises: --help and --version (exit 0), usage
# errors (exit 2), `check` writes nothing, and an output that cannot be
# written fails with one clear line and leaves no partial file.
# Usage: cli.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: cli.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: cli.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
layout=$src/layouts/bao-cao.xml
data=$src/data/2023/bao-cao-2023.xml

# 'run ARGS...' - run anpham; sets rc, and out/err to its stdout/stderr files.
run() {
  "$anpham" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# 'verdict WHAT STATUS' - count a check whose status is already known.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1 (exit $rc: $(head -n 1 "$tmp/err"))"; fi; }

# Help and version...
run --help
[ $rc -eq 0 ] && grep -q '^usage: anpham render' "$tmp/out" && [ ! -s "$tmp/err" ]
verdict "--help: exit 0, usage on stdout" $?
run -h
[ $rc -eq 0 ] && grep -q '^usage:' "$tmp/out"
verdict "-h: exit 0, usage" $?
run --version
[ $rc -eq 0 ] && grep -Eq '^anpham [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 1 ]
verdict "--version: exit 0, 'anpham X.Y.Z'" $?

# Usage errors: exit 2, something on stderr, nothing written...
cd "$tmp" || exit 1
usage_error() {
  local what=$1
  shift
  run "$@"
  [ $rc -eq 2 ] && [ -s "$tmp/err" ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/x.pdf" ]
  verdict "$what: exit 2" $?
}
usage_error "no arguments"
usage_error "unknown command" frobnicate "$layout"
usage_error "command without a layout" render
usage_error "unknown option" render "$layout" --data "$data" --colour -o x.pdf
usage_error "-o without its value" render "$layout" --data "$data" -o
usage_error "--data without its value" check "$layout" --data
usage_error "--handout with a count it cannot print" render "$layout" --data "$data" --handout 5 -o "$tmp/h5.pdf"
usage_error "--slide-page without --deck" render "$layout" --data "$data" --slide-page a4 -o "$tmp/sp.pdf"

# A deck the layout does not declare is bad input, named on one line...
run render "$layout" --data "$data" --deck nope -o "$tmp/nope.pdf"
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'error: --deck nope: the layout declares no deck of that name' "$tmp/err" && [ ! -e "$tmp/nope.pdf" ]
verdict "--deck with an unknown deck: exit 1, one line, no file" $?
usage_error "two layouts" check "$layout" "$layout"
usage_error "render without -o or --dump" render "$layout" --data "$data"
usage_error "check with -o" check "$layout" --data "$data" -o x.pdf
run frobnicate "$layout"
grep -q 'usage:' "$tmp/err"
verdict "a usage error shows the usage" $?

# check: exit 0, nothing on stdout or stderr, no file anywhere near...
mkdir -p "$tmp/check" && cd "$tmp/check" || exit 1
before=$(ls -A "$src/layouts" "$src/data/2023" | md5sum)
run check "$layout" --data "$data"
[ $rc -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] && [ -z "$(ls -A "$tmp/check")" ] &&
  [ "$before" = "$(ls -A "$src/layouts" "$src/data/2023" | md5sum)" ]
verdict "check bao-cao.xml with the 2023 data: exit 0, silent, writes nothing" $?
cd "$tmp" || exit 1

# Outputs that cannot be written: exit 1 or 3, one line naming the file, nothing left...
cant_write() {
  local what=$1 path=$2 dir
  dir=$(dirname "$path")
  shift 2
  run render "$layout" --data "$data" "$@"
  [ $rc -eq 1 ] || [ $rc -eq 3 ]
  local s1=$?
  [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -qF "$path: error: cannot create the file" "$tmp/err"
  local s2=$?
  local left=""
  [ -d "$dir" ] && left=$(ls -A "$dir" 2>/dev/null | grep -E '\.(pdf|txt)$|\.tmp-' || true)
  [ $s1 -eq 0 ] && [ $s2 -eq 0 ] && [ -z "$left" ] && [ ! -e "$path" ]
  verdict "$what: $(head -n 1 "$tmp/err")" $?
}
cant_write "render into a folder that does not exist" "$tmp/none/x.pdf" -o "$tmp/none/x.pdf"
cant_write "dump into a folder that does not exist" "$tmp/none/x.txt" --dump "$tmp/none/x.txt"
mkdir -p "$tmp/ro"
chmod 555 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
  cant_write "render into a read-only folder" "$tmp/ro/x.pdf" -o "$tmp/ro/x.pdf"
  cant_write "dump into a read-only folder" "$tmp/ro/x.txt" --dump "$tmp/ro/x.txt"
elif [ -d /sys ] && ! touch /sys/anpham-probe 2>/dev/null; then
  # root writes into any folder: /sys stands in for a read-only one
  cant_write "render into a read-only folder (/sys)" "/sys/anpham-x.pdf" -o /sys/anpham-x.pdf
else
  echo "skip - no read-only folder to try as root"
fi

# A good render still works and leaves exactly its outputs...
mkdir -p "$tmp/good"
run render "$layout" --data "$data" -o "$tmp/good/r.pdf" --dump "$tmp/good/r.txt"
[ $rc -eq 0 ] && [ "$(ls -A "$tmp/good" | tr '\n' ' ')" = "r.pdf r.txt " ] && head -c 5 "$tmp/good/r.pdf" | grep -q '%PDF-'
verdict "render writes the PDF and the dump, nothing else" $?

finish
