#!/usr/bin/env bash
# Outputs and confined files as docs/command-line.md promises: `-o -` and
# devices, FIFOs and /dev/stdout are written through and never replaced; a
# regular file is replaced only by a complete PDF; a failed run leaves an
# existing output as it was; signals leave no temporary file; --allow-path
# opens a folder and nothing else. (The refusals themselves are cases of
# tests/bad.)
# Usage: outputs.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: outputs.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: outputs.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
layout=$src/tests/e2e/pages/layout.xml
data=$src/tests/e2e/pages/data.xml

# 'verdict WHAT STATUS' - count a check whose status is already known.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }
# 'is_pdf FILE' - a whole PDF that qpdf finds sound.
is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ] && qpdf --check "$1" >/dev/null 2>&1; }
# 'leftovers DIR' - temporary files anpham may have left in DIR.
leftovers() { find "$1" -name '.*.anpham-*' | wc -l; }

# The reference: a plain render to a new file...
"$anpham" render "$layout" --data "$data" -o "$tmp/ref.pdf" 2>"$tmp/err"
check "a new file is written" is_pdf "$tmp/ref.pdf"

# -o - writes the PDF to standard output, the same bytes...
"$anpham" render "$layout" --data "$data" -o - >"$tmp/stdout.pdf" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/stdout.pdf" "$tmp/ref.pdf"
verdict "-o - writes the same PDF to standard output" $?
"$anpham" render "$layout" --data "$data" -o "$tmp/d.pdf" --dump - >"$tmp/stdout.txt" 2>"$tmp/err"
grep -q '^page 1 ' "$tmp/stdout.txt" && is_pdf "$tmp/d.pdf"
verdict "--dump - writes the dump to standard output" $?
"$anpham" render "$layout" --data "$data" -o - --dump - >"$tmp/both" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ ! -s "$tmp/both" ]
verdict "-o - with --dump -: a usage error, nothing written (exit $rc)" $?

"$anpham" render "$layout" --data "$data" -o - --dump /dev/stdout >"$tmp/both" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && [ ! -s "$tmp/both" ]
verdict "-o - with --dump /dev/stdout (the same file by inode): a usage error (exit $rc)" $?

# /dev/stdout redirected to a file is written through: the file, not the link...
was_link=$([ -L /dev/stdout ] && echo yes)
"$anpham" render "$layout" --data "$data" -o /dev/stdout >"$tmp/devstdout.pdf" 2>"$tmp/err"
cmp -s "$tmp/devstdout.pdf" "$tmp/ref.pdf" && [ "$([ -L /dev/stdout ] && echo yes)" = "$was_link" ]
verdict "-o /dev/stdout writes through" $?

# A FIFO is written through and stays a FIFO...
mkfifo "$tmp/fifo"
timeout 30 cat "$tmp/fifo" >"$tmp/fifo.pdf" & # (ends even if anpham never opens the FIFO)
reader=$!
timeout 20 "$anpham" render "$layout" --data "$data" -o "$tmp/fifo" 2>"$tmp/err"
rc=$?
wait $reader
[ $rc -eq 0 ] && [ -p "$tmp/fifo" ] && cmp -s "$tmp/fifo.pdf" "$tmp/ref.pdf"
verdict "-o FIFO: the PDF goes through, the FIFO stays a FIFO (exit $rc)" $?

# ...and so is /dev/null, which stays the device (checked after the FIFO,
# the same path; as root a regression would break the machine: repaired)...
if [ -c /dev/null ]; then
  "$anpham" render "$layout" --data "$data" -o /dev/null 2>"$tmp/err"
  rc=$?
  if [ -c /dev/null ]; then
    [ $rc -eq 0 ] && [ ! -s "$tmp/err" ]
    verdict "-o /dev/null: exit 0, /dev/null is still a character device" $?
    "$anpham" render "$layout" --data "$data" -o /dev/null --dump /dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] && [ -c /dev/null ]
    verdict "-o /dev/null --dump /dev/null: a device takes both (exit $rc)" $?
  else
    bad "-o /dev/null replaced the device"
    [ "$(id -u)" -eq 0 ] && rm -f /dev/null && mknod -m 666 /dev/null c 1 3
  fi
  [ "$(find /dev -maxdepth 1 -name '.null.anpham-*' | wc -l)" -eq 0 ]
  verdict "-o /dev/null: no temporary file in /dev" $?
fi

# An existing file is replaced by the new PDF, keeping no temporary file...
echo "old" >"$tmp/existing.pdf"
"$anpham" render "$layout" --data "$data" -o "$tmp/existing.pdf" 2>"$tmp/err"
cmp -s "$tmp/existing.pdf" "$tmp/ref.pdf" && [ "$(leftovers "$tmp")" -eq 0 ]
verdict "an existing file is replaced by the complete PDF" $?

# ...but a failed run leaves it as it was...
mkdir -p "$tmp/broken"
printf '<layout version="1">\n  <oops/>\n</layout>\n' >"$tmp/broken/layout.xml"
cp "$tmp/ref.pdf" "$tmp/kept.pdf"
echo "old dump" >"$tmp/kept.txt"
"$anpham" render "$tmp/broken/layout.xml" -o "$tmp/kept.pdf" --dump "$tmp/kept.txt" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && cmp -s "$tmp/kept.pdf" "$tmp/ref.pdf" && [ "$(cat "$tmp/kept.txt")" = "old dump" ]
verdict "a failed run leaves the existing outputs as they were (exit $rc)" $?

# Signals at any moment leave no temporary file: either the whole PDF or
# nothing (a 2,000-row table renders long enough to be hit mid-way)...
if [ -x "$src/tools/gen-table.sh" ] || [ -f "$src/tools/gen-table.sh" ]; then
  bash "$src/tools/gen-table.sh" 2000 >"$tmp/rows.xml" 2>/dev/null
fi
if [ -s "$tmp/rows.xml" ]; then
  mkdir -p "$tmp/sig"
  torn=0
  for i in $(seq 1 12); do
    for sig in TERM INT HUP; do
      rm -f "$tmp/sig/out.pdf"
      "$anpham" render "$src/tests/e2e/tables/layout.xml" --data "$tmp/rows.xml" -o "$tmp/sig/out.pdf" 2>/dev/null &
      pid=$!
      sleep "0.0$((RANDOM % 10))$((RANDOM % 10))"
      kill -s $sig $pid 2>/dev/null
      wait $pid 2>/dev/null
      if [ -e "$tmp/sig/out.pdf" ] && ! is_pdf "$tmp/sig/out.pdf"; then torn=$((torn + 1)); fi
    done
  done
  [ "$(leftovers "$tmp/sig")" -eq 0 ] && [ $torn -eq 0 ]
  verdict "36 runs killed by SIGTERM/SIGINT/SIGHUP: no temporary file, no torn PDF" $?
else
  bad "tools/gen-table.sh gave no table data"
fi

# --allow-path opens a folder for images, and only that folder...
mkdir -p "$tmp/lay" "$tmp/pics" "$tmp/other"
cp "$src/tests/e2e/pages/mark.png" "$tmp/pics/mark.png"
cp "$src/tests/e2e/pages/mark.png" "$tmp/other/mark.png"
sed 's|fonts="[^"]*"||; s|src="mark.png"|src="../pics/mark.png"|' "$layout" >"$tmp/lay/layout.xml"
"$anpham" render "$tmp/lay/layout.xml" --data "$data" -o "$tmp/lay.pdf" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "is outside the folders anpham reads" "$tmp/err" && [ ! -e "$tmp/lay.pdf" ]
verdict "an image beside the layout's folder is refused (exit $rc)" $?
"$anpham" render "$tmp/lay/layout.xml" --data "$data" --allow-path "$tmp/pics" -o "$tmp/lay.pdf" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && is_pdf "$tmp/lay.pdf"
verdict "--allow-path DIR lets it be read (exit $rc)" $?
sed -i 's|src="../pics/mark.png"|src="../other/mark.png"|' "$tmp/lay/layout.xml"
"$anpham" render "$tmp/lay/layout.xml" --data "$data" --allow-path "$tmp/pics" -o "$tmp/lay2.pdf" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ ! -e "$tmp/lay2.pdf" ]
verdict "--allow-path opens that folder only (exit $rc)" $?

# A symlink that stays inside the allowed folders is fine...
ln -s mark.png "$tmp/pics/alias.png"
sed -i 's|src="../other/mark.png"|src="../pics/alias.png"|' "$tmp/lay/layout.xml"
"$anpham" render "$tmp/lay/layout.xml" --data "$data" --allow-path "$tmp/pics" -o "$tmp/lay3.pdf" 2>"$tmp/err"
verdict "a symlink inside an allowed folder is followed" $?

finish
