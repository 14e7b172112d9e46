#!/usr/bin/env bash
# Decomposed and precomposed Vietnamese typeset the same: tests/e2e/nfc/
# holds a sentence of seed 004 written with combining marks as found there
# (decomposed.xml) and its NFC twin (precomposed.xml). Both renders must give
# byte-identical pdftotext output and identical layout dumps.
# Usage: nfc_twin.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: nfc_twin.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: nfc_twin.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
dir=$src/tests/e2e/nfc
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v pdftotext >/dev/null || { echo "SKIP: pdftotext absent"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The twins really differ: combining marks (U+0300-U+036F, UTF-8 CC 80 - CD AF)
# in one, none in the other, and the same text once normalized...
marks() { LC_ALL=C grep -c $'\xcc[\x80-\xbf]\\|\xcd[\x80-\xaf]' "$1"; }
n=$(marks "$dir/decomposed.xml")
check "decomposed.xml has combining marks ($n lines)" test "$n" -gt 0
check "precomposed.xml has none" test "$(marks "$dir/precomposed.xml")" -eq 0
check "the twins differ byte for byte" bash -c "! cmp -s '$dir/decomposed.xml' '$dir/precomposed.xml'"
if command -v python3 >/dev/null; then
  check "the twins are one text in NFC" python3 -c '
import sys, unicodedata
a, b = (unicodedata.normalize("NFC", open(f, encoding="utf-8").read().split("-->", 1)[1]) for f in sys.argv[1:])
sys.exit(a != b)' "$dir/decomposed.xml" "$dir/precomposed.xml"
fi

# Render both...
for twin in decomposed precomposed; do
  "$anpham" render "$dir/layout.xml" --data "$dir/$twin.xml" -o "$tmp/$twin.pdf" --dump "$tmp/$twin.dump" \
    2>"$tmp/$twin.err"
  check "$twin renders$(head -n 1 "$tmp/$twin.err" | sed "s/^/: /")" test -s "$tmp/$twin.pdf"
  pdftotext -enc UTF-8 "$tmp/$twin.pdf" "$tmp/$twin.txt"
done

# ...and compare: the same text, the same pages.
check "pdftotext outputs are byte-identical" cmp "$tmp/decomposed.txt" "$tmp/precomposed.txt"
check "layout dumps are identical" cmp "$tmp/decomposed.dump" "$tmp/precomposed.dump"
check "the text is there (NFC, not empty)" grep -q 'Quốc phòng' "$tmp/precomposed.txt"
check "no combining mark reaches the PDF text" test "$(marks "$tmp/decomposed.txt")" -eq 0

# Document information (<info title="{...}">) is normalized too.
t1=$(pdfinfo "$tmp/decomposed.pdf" | grep '^Title:')
t2=$(pdfinfo "$tmp/precomposed.pdf" | grep '^Title:')
check "PDF titles are identical ($t2)" test -n "$t2" -a "$t1" = "$t2"

finish
