#!/usr/bin/env bash
# Text in another language than the document's (docs/layout-language.md,
# lang= and <span lang>): tagged, each such stretch of a line is marked
# content /Span <</Lang (…)>> inside its element's sequence, balanced and in
# a text object of its own; the words and the structure read as before;
# --no-tags writes none of it; the dump shows each run's language.
# Usage: lang.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: lang.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: lang.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v qpdf >/dev/null && command -v pdftotext >/dev/null ||
  { echo "SKIP: qpdf or poppler-utils missing (tools/install-deps.sh)"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
layout=$src/tests/e2e/lang/layout.xml

"$anpham" render "$layout" -o "$tmp/t.pdf" --dump "$tmp/t.dump" 2>"$tmp/err"
check "renders (exit 0, no message)" test $? -eq 0 -a ! -s "$tmp/err"
"$anpham" render "$layout" -o "$tmp/n.pdf" --no-tags
qpdf --qdf --object-streams=disable "$tmp/t.pdf" "$tmp/t.qdf" 2>/dev/null
qpdf --qdf --object-streams=disable "$tmp/n.pdf" "$tmp/n.qdf" 2>/dev/null
check "qpdf --check is clean" bash -c "qpdf --check '$tmp/t.pdf' | grep -q 'No syntax or stream encoding errors'"

en=$(grep -ac '^/Span <</Lang (en)>> BDC$' "$tmp/t.qdf")
fr=$(grep -ac '^/Span <</Lang (fr)>> BDC$' "$tmp/t.qdf")
check "English spans: the inline span's lines and the English paragraph's ($en)" test "$en" -ge 3
check "the French heading is a span ($fr)" test "$fr" -ge 1
check "no span for the Vietnamese text (only en and fr)" \
  test "$(grep -ac '/Span <</Lang' "$tmp/t.qdf")" -eq $((en + fr))
# Every /Span BDC is followed by one text object, then its EMC, before any other marked content...
check "each span holds one text object and is closed before anything else is marked" awk '
  /^\/Span <<\/Lang \([a-z]+\)>> BDC$/ { if (open) bad = 1; open = 1; state = "bdc"; next }
  open && /^BT$/ { if (state != "bdc") bad = 1; state = "bt"; next }
  open && /^ET$/ { if (state != "bt") bad = 1; state = "et"; next }
  open && /^EMC$/ { if (state != "et") bad = 1; open = 0; next }
  open && /BDC$/ { bad = 1 }
  END { exit bad || open }' "$tmp/t.qdf"
check "marked content balanced on every page (BDC = EMC)" \
  test "$(grep -ac 'BDC$' "$tmp/t.qdf")" -eq "$(grep -ac '^EMC$' "$tmp/t.qdf")"
check "--no-tags: no language span" test "$(grep -ac '/Lang (en)' "$tmp/n.qdf")" -eq 0
check "the words read the same tagged or not" cmp -s <(pdftotext "$tmp/t.pdf" -) <(pdftotext "$tmp/n.pdf" -)
check "the English words are there, in their line" \
  bash -c "pdftotext '$tmp/t.pdf' - | tr '\n' ' ' | grep -q 'tranh cấp tỉnh (Provincial Competitiveness Index, PCI) của tỉnh'"
check "the structure text still has every paragraph" \
  bash -c "pdfinfo -struct-text '$tmp/t.pdf' | tr '\n' ' ' | grep -q 'Summary in English: one paragraph' &&
           pdfinfo -struct-text '$tmp/t.pdf' | grep -q 'Résumé du rapport'"
check "the dump shows each run's language" \
  bash -c "grep -q 'lang=en \"Provincial\"' '$tmp/t.dump' && grep -q 'lang=fr \"Résumé' '$tmp/t.dump' && ! grep -q 'lang=.*\"Đoạn' '$tmp/t.dump'"

finish
