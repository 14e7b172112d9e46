#!/usr/bin/env bash
# Font files are mapped into memory, not read (src/base/mapped.c,
# docs/benchmarks.md "Fixed cost"): a whole font still renders and is
# embedded; a font cut short on disk (empty, 12 bytes, 1,000 bytes, half,
# all but its last byte) never crashes anpham: it either renders or exits 1
# with one line and no PDF. (A font made shorter while it is mapped is
# tests/unit/test_base_mapped.c's.)
# Usage: font_files.sh SOURCE_DIR BUILD_DIR
set -u
src=${1:?usage: font_files.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: font_files.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

font=$src/fonts/LiberationSerif-Regular.ttf
size=$(stat -c %s "$font")
data=$src/bench/paragraph/data.xml
# The one-paragraph layout of bench/paragraph/, its font in the test's folder.
sed -e 's|fonts="../../fonts"|fonts="."|' -e 's|LiberationSerif-Regular.ttf|face.ttf|' \
  "$src/bench/paragraph/layout.xml" >"$t/layout.xml"

cp "$font" "$t/face.ttf"
"$anpham" render "$t/layout.xml" --data "$data" -o "$t/whole.pdf" 2>"$t/err"
check "a whole font renders (exit $?, no message)" test ! -s "$t/err" -a -s "$t/whole.pdf"
check "...and is embedded (pdffonts)" sh -c "pdffonts '$t/whole.pdf' | grep -q 'LiberationSerif.*yes'"
check "...and the text is there (pdftotext)" sh -c "pdftotext '$t/whole.pdf' - | grep -q 'Đảng bộ'"

for n in 0 12 1000 $((size / 2)); do
  head -c "$n" "$font" >"$t/face.ttf"
  rm -f "$t/cut.pdf"
  "$anpham" render "$t/layout.xml" --data "$data" -o "$t/cut.pdf" 2>"$t/err"
  rc=$?
  check "a font cut to $n bytes: exit 1, one line, no PDF ($(head -c 160 "$t/err"))" \
    test "$rc" -eq 1 -a "$(wc -l <"$t/err")" -eq 1 -a ! -e "$t/cut.pdf"
done
head -c $((size - 1)) "$font" >"$t/face.ttf"
"$anpham" render "$t/layout.xml" --data "$data" -o "$t/short.pdf" 2>"$t/err"
rc=$?
check "a font one byte short does not crash (exit $rc)" test "$rc" -le 1

finish
