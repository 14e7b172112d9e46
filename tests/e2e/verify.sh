#!/usr/bin/env bash
# anpham archive and anpham verify (issue 10 §4): the yearly editions of
# samples/archive.xml rendered as PDF/A-3a with their source into
# archive/<year>/ with a manifest; every file passes verify (re-rendered
# from its own embedded source to the same bytes, the PDF/A and PDF/UA
# points checked on the file); qpdf --check is clean and pdfdetach lists
# the source; one byte changed in a content stream or in the XMP fails
# verify naming the file; QDF copies with one point broken each (the XMP
# against Info, the ICC profile, a ToUnicode, a /W, a /FontFile2, an MCID,
# /StructParents) fail at that point; a PDF rendered without --pdfa fails with the
# points it misses; an extracted-and-re-rendered file passes; a second run
# renders nothing; an archive job without a date is an error naming it.
# Usage: verify.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: verify.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: verify.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v pdfdetach >/dev/null && command -v qpdf >/dev/null && command -v jq >/dev/null ||
  { echo "SKIP: pdfdetach, qpdf or jq missing (tools/install-deps.sh)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
export SOURCE_DATE_EPOCH=5 # An archive ignores it: its dates are its jobs' (checked below)
mkdir "$tmp/tmpdir"
export TMPDIR=$tmp/tmpdir  # verify's private folders go here (and must be gone after)
a=$tmp/archive

# 'flip FILE OFFSET' - change one byte of FILE (its lowest bit).
flip() {
  local byte
  byte=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# The archive: every yearly edition, with its manifest...
"$anpham" archive -o "$a" 2>"$tmp/archive.err"
rc=$?
check "anpham archive renders the 12 yearly editions (exit $rc)" test "$rc" -eq 0
check "... and says so" grep -q "anpham archive: 12 jobs: 12 done, 0 up to date, 0 failed" "$tmp/archive.err"
(cd "$a" && find . -name '*.pdf' | sort) >"$tmp/files"
check "... into archive/<year>/ (districts in 2024/districts/)" test "$(tr '\n' ' ' <"$tmp/files")" = \
  "./2020/tom-tat-2020.pdf ./2023/bao-cao-2023.pdf ./2024/districts/chau-thanh-a.pdf ./2024/districts/chau-thanh.pdf ./2024/districts/long-my.pdf ./2024/districts/nga-bay.pdf ./2024/districts/phung-hiep.pdf ./2024/districts/tx-long-my.pdf ./2024/districts/vi-thanh.pdf ./2024/districts/vi-thuy.pdf ./2024/handout-2024.pdf ./2025/phu-luc-2025.pdf "
check "the manifest names anpham's version" test "$(jq -r .anpham "$a/manifest.json")" = "$("$anpham" --version | cut -d' ' -f2)"
ok_entries=0
while read -r f; do
  e=$(jq -c --arg o "$a/${f#./}" '.jobs[] | select(.output == $o)' "$a/manifest.json")
  [ "$(jq -r .sha256 <<<"$e")" = "$(sha256sum "$a/$f" | cut -d' ' -f1)" ] &&
    [ "$(jq -r .bytes <<<"$e")" = "$(stat -c %s "$a/$f")" ] &&
    [ "$(jq -r .pages <<<"$e")" = "$(pdfinfo "$a/$f" | sed -n 's/^Pages: *//p')" ] &&
    [ "$(jq '[.inputs[] | select(.sha256 | test("^[0-9a-f]{64}$"))] | length' <<<"$e")" -ge 3 ] &&
    ok_entries=$((ok_entries + 1))
done <"$tmp/files"
check "each manifest entry: the file's SHA-256, bytes, pages, its inputs' SHA-256 ($ok_entries of 12)" test "$ok_entries" -eq 12

# ...every file clean, carrying its source, passing verify...
clean=0 listed=0
while read -r f; do
  qpdf --check "$a/$f" >/dev/null 2>&1 && clean=$((clean + 1))
  pdfdetach -list "$a/$f" | grep -q ': anpham-source.json$' && pdfdetach -list "$a/$f" | grep -q ': layouts/.*\.xml$' &&
    pdfdetach -list "$a/$f" | grep -q ': data/20.*\.xml$' && listed=$((listed + 1))
done <"$tmp/files"
check "qpdf --check is clean on every file ($clean of 12)" test "$clean" -eq 12
check "pdfdetach -list shows the source of every file: layout, data, anpham-source.json ($listed of 12)" test "$listed" -eq 12
"$anpham" verify "$a" >"$tmp/verify.out" 2>"$tmp/verify.err"
rc=$?
check "every file passes anpham verify (exit $rc)" test "$rc" -eq 0 -a ! -s "$tmp/verify.err"
check "... one summary line: 12 files, 12 passed" test "$(cat "$tmp/verify.out")" = "anpham verify: 12 files: 12 passed, 0 failed"
check "... its private folders gone" test -z "$(ls -A "$tmp/tmpdir")"
check "the archive's date is its job's (2023-12-31), not SOURCE_DATE_EPOCH's" \
  bash -c "pdfinfo -isodates '$a/2023/bao-cao-2023.pdf' | grep -q '^CreationDate: *2023-12-31T00:00:00'"

# ...a second run renders nothing, and the environment's SOURCE_DATE_EPOCH changes nothing...
"$anpham" archive -o "$a" --quiet 2>"$tmp/again.err"
check "a second run renders 0 jobs (exit $?)" test ! -s "$tmp/again.err"
"$anpham" archive -o "$a" 2>"$tmp/again.err"
check "... 12 up to date" grep -q "12 jobs: 0 done, 12 up to date, 0 failed" "$tmp/again.err"
SOURCE_DATE_EPOCH=1000000000 "$anpham" archive -o "$tmp/archive2" --quiet 2>/dev/null
check "another SOURCE_DATE_EPOCH gives the same bytes" cmp -s "$a/2023/bao-cao-2023.pdf" "$tmp/archive2/2023/bao-cao-2023.pdf"

# One byte changed inside a page's content stream...
cp "$a/2025/phu-luc-2025.pdf" "$tmp/content.pdf"
obj=$(qpdf --show-pages "$tmp/content.pdf" | sed -n '3s/^ *\([0-9]*\) 0 R$/\1/p')
at=$(grep -abo "^$obj 0 obj" "$tmp/content.pdf" | head -1 | cut -d: -f1)
rel=$(tail -c +$((at + 1)) "$tmp/content.pdf" | grep -abo '^stream' | head -1 | cut -d: -f1)
flip "$tmp/content.pdf" $((at + rel + 7 + 40))
check "the content stream was changed (one byte)" test "$(cmp -l "$a/2025/phu-luc-2025.pdf" "$tmp/content.pdf" | wc -l)" -eq 1
"$anpham" verify "$tmp/content.pdf" >"$tmp/content.out" 2>&1
rc=$?
check "one byte changed in a content stream fails verify (exit $rc)" test "$rc" -eq 1
check "... naming the file and the re-render" grep -q "^$tmp/content.pdf: re-render: the file differs from the PDF its embedded source renders" "$tmp/content.out"
check "... and the summary says 1 failed" grep -qx "anpham verify: 1 file: 0 passed, 1 failed" "$tmp/content.out"

# ...and inside the XMP packet...
cp "$a/2023/bao-cao-2023.pdf" "$tmp/xmp.pdf"
at=$(grep -abo '<pdfaid:part>3<' "$tmp/xmp.pdf" | head -1 | cut -d: -f1)
flip "$tmp/xmp.pdf" $((at + 13))
"$anpham" verify "$tmp/xmp.pdf" >"$tmp/xmp.out" 2>&1
rc=$?
check "one byte changed in the XMP (pdfaid:part 3 -> 2) fails verify (exit $rc)" test "$rc" -eq 1
check "... naming the file and the identification" grep -q "^$tmp/xmp.pdf: identification: pdfaid:part is '2': expected 3" "$tmp/xmp.out"
check "... and the re-render" grep -q "^$tmp/xmp.pdf: re-render: the file differs" "$tmp/xmp.out"
cp "$a/2023/bao-cao-2023.pdf" "$tmp/xmp2.pdf"
at=$(grep -abo '<dc:title>' "$tmp/xmp2.pdf" | head -1 | cut -d: -f1)
flip "$tmp/xmp2.pdf" $((at + 1))
"$anpham" verify "$tmp/xmp2.pdf" >"$tmp/xmp2.out" 2>&1
check "one byte that breaks the XMP's XML: verify says so (exit $?)" grep -q "^$tmp/xmp2.pdf: metadata: the XMP packet is not well-formed XML" "$tmp/xmp2.out"

# The points verify reads on the file, each broken in a QDF copy of an
# archive file (qpdf --qdf, an edit, fix-qdf): each named with the file,
# and the untouched QDF copy fails the re-render only...
qdf=$tmp/qdf.pdf
qpdf --qdf --object-streams=disable "$a/2025/phu-luc-2025.pdf" "$qdf"
"$anpham" verify "$qdf" >"$tmp/qdf.out" 2>&1
check "a QDF copy of an archive file fails the re-render only" \
  test "$(grep "^$qdf: " "$tmp/qdf.out" | cut -d: -f2 | tr -d ' ')" = "re-render"
# 'broken NAME SED-SCRIPT' - the QDF copy edited by SED-SCRIPT, fixed, verified into $tmp/NAME.out.
broken() {
  LC_ALL=C sed "$2" "$qdf" >"$tmp/$1.qdf" && fix-qdf "$tmp/$1.qdf" >"$tmp/$1.pdf"
  "$anpham" verify "$tmp/$1.pdf" >"$tmp/$1.out" 2>&1
}
broken title 's|x-default">Phụ lục 3|x-default">Phụ lục 4|; s|<xmp:CreateDate>2025-12-31T00:00:00+00:00<|<xmp:CreateDate>2025-12-31T07:00:00+07:00<|; s|<xmp:ModifyDate>2025-12-31T00:00:00+00:00<|<xmp:ModifyDate>2025-12-31T00:00:01+00:00<|'
check "the XMP's dc:title changed: verify fails at metadata (exit $?)" grep -q "^$tmp/title.pdf: metadata: dc:title (x-default) is 'Phụ lục 4 .*' but the Info dictionary's /Title is 'Phụ lục 3 .*': expected the same text" "$tmp/title.out"
check "... xmp:ModifyDate one second off /ModDate fails" grep -q "^$tmp/title.pdf: metadata: xmp:ModifyDate is 2025-12-31T00:00:01+00:00 but the Info dictionary's /ModDate is D:20251231000000+00'00': expected the same instant" "$tmp/title.out"
check "... xmp:CreateDate at +07:00, the same instant as /CreationDate, passes" test "$(grep -c "^$tmp/title.pdf: metadata: " "$tmp/title.out")" -eq 2
broken producer "s|^  /Producer (anpham)|  /Producer (anphan)|"
check "Info's /Producer changed: metadata names pdf:Producer (exit $?)" grep -q "^$tmp/producer.pdf: metadata: pdf:Producer is 'anpham' but the Info dictionary's /Producer is 'anphan'" "$tmp/producer.out"
icc=$(grep -abo '^  /N 3$' "$qdf" | head -1 | cut -d: -f1)
rel=$(tail -c +$((icc + 1)) "$qdf" | grep -abo '^stream' | head -1 | cut -d: -f1)
cp "$qdf" "$tmp/icc.pdf"
flip "$tmp/icc.pdf" $((icc + rel + 7 + 300))
"$anpham" verify "$tmp/icc.pdf" >"$tmp/icc.out" 2>&1
check "one byte of the ICC profile changed: verify fails at output-intent (exit $?)" grep -q "^$tmp/icc.pdf: output-intent: the output intent's ICC profile (.* bytes) is not the sRGB profile anpham embeds" "$tmp/icc.out"
broken tounicode '0,/^  \/ToUnicode /{//d}'
check "a ToUnicode dropped: verify fails at fonts (exit $?)" grep -q "^$tmp/tounicode.pdf: fonts: the Type 0 font /[A-Z]*+Liberation[A-Za-z-]* (object [0-9]*) has no /ToUnicode CMap stream" "$tmp/tounicode.out"
check "... that font only" test "$(grep -c "^$tmp/tounicode.pdf: fonts: " "$tmp/tounicode.out")" -eq 1
broken widths '0,/^  \/W \[$/{//{n;n;n;d}}'
check "a width dropped from a /W: verify fails at fonts (exit $?)" grep -q "^$tmp/widths.pdf: fonts: the /W of the font .* does not give as many widths: expected one width for each of CIDs 1 to [0-9]* (its /CIDToGIDMap maps" "$tmp/widths.out"
broken fontfile '0,/^  \/FontFile2 /{s//  \/FontFile3 /}'
check "a /FontFile2 renamed: verify fails at fonts, naming the descriptor (exit $?)" grep -q "^$tmp/fontfile.pdf: fonts: the font descriptor of .* has no /FontFile2" "$tmp/fontfile.out"
broken mcid '0,/^\/P <<\/MCID 1>> BDC$/{s//\/P <<\/MCID 0>> BDC/}'
check "an MCID renumbered (1 -> 0 on page 1): verify fails at tagged (exit $?)" grep -qx "$tmp/mcid.pdf: tagged: page 1 uses /MCID 0 twice: expected each marked-content sequence its own" "$tmp/mcid.out"
broken mcid2 '0,/^\/P <<\/MCID 1>> BDC$/{s//\/P <<\/MCID 99>> BDC/}'
check "an MCID past the ParentTree array: verify fails at tagged (exit $?)" grep -q "^$tmp/mcid2.pdf: tagged: page 1: /MCID 99 has no entry in its /ParentTree array" "$tmp/mcid2.out"
broken unmarked '0,/^\/P <<\/MCID 1>> BDC$/{s//\/P BMC/}'
check "a marked-content sequence without its MCID: verify counts it (exit $?)" grep -q "^$tmp/unmarked.pdf: tagged: page 1: its content has [0-9]* marked-content sequences with an MCID, its /ParentTree array (/StructParents 0) [0-9]*: expected as many" "$tmp/unmarked.out"
broken parents '0,/^  \/StructParents 0$/{//d}'
check "a page without /StructParents: verify fails at tagged (exit $?)" grep -qx "$tmp/parents.pdf: tagged: page 1 has no /StructParents: its marked content is tied to no structure" "$tmp/parents.out"

# A PDF rendered without --pdfa fails with the points it misses...
"$anpham" render layouts/tom-tat.xml --data data/2020/tom-tat-2020.xml -o "$tmp/plain.pdf"
"$anpham" verify "$tmp/plain.pdf" >"$tmp/plain.out" 2>&1
rc=$?
check "a PDF rendered without --pdfa fails verify (exit $rc)" test "$rc" -eq 1
for point in header id metadata output-intent associated-files source; do
  check "... at '$point'" grep -q "^$tmp/plain.pdf: $point: " "$tmp/plain.out"
done
check "... and nowhere else (tagged, fonts, lang are fine)" test "$(grep -c "^$tmp/plain.pdf: " "$tmp/plain.out")" -eq 6

# An extracted-and-re-rendered file passes...
"$anpham" extract "$a/2024/districts/vi-thanh.pdf" -o "$tmp/x" >"$tmp/x.cmd" 2>"$tmp/x.err"
check "extract of an archive file (exit $?)" test ! -s "$tmp/x.err"
( anpham() { "$anpham" "$@"; }; eval "$(sed "s| -o OUT\.pdf$| -o $tmp/again.pdf|" "$tmp/x.cmd")" ) 2>"$tmp/again.err"
check "... its command renders the same bytes" cmp -s "$a/2024/districts/vi-thanh.pdf" "$tmp/again.pdf"
"$anpham" verify "$tmp/again.pdf" >"$tmp/again.out" 2>&1
check "... and the re-rendered file passes verify (exit $?)" grep -qx "anpham verify: 1 file: 1 passed, 0 failed" "$tmp/again.out"

# A font file other than the one the archive was made with: said as such, not as damage...
mkdir -p "$tmp/own/fonts"
cp fonts/LiberationSerif-Regular.ttf "$tmp/own/fonts/"
printf 'x' >>"$tmp/own/fonts/LiberationSerif-Regular.ttf" # Another file (a font program ignores trailing bytes)
cat >"$tmp/own/layout.xml" <<'XML'
<layout version="1" fonts="fonts">
  <info title="Thử" date="{/doc/date}"/>
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a4" size="A4"/>
  <body><p>Xin chào.</p></body>
</layout>
XML
printf '<doc><date>2025-03-14</date></doc>\n' >"$tmp/own/data.xml"
printf '<batch version="1"><job layout="layout.xml" data="data.xml" output="2025/own.pdf"/></batch>\n' >"$tmp/own/archive.xml"
"$anpham" archive "$tmp/own/archive.xml" -o "$tmp/own/archive" 2>"$tmp/own.err"
check "an archive job dated by its data's <info date> (no source-date-epoch=) renders (exit $?)" test -s "$tmp/own/archive/2025/own.pdf"
check "... dated 2025-03-14" bash -c "pdfinfo -isodates '$tmp/own/archive/2025/own.pdf' | grep -q '^CreationDate: *2025-03-14'"
"$anpham" verify "$tmp/own/archive" >"$tmp/own.out" 2>&1
rc=$?
check "verify without its font file (anpham's own differs) fails (exit $rc)" test "$rc" -eq 1
check "... at font-files, as a font mismatch" grep -q "^$tmp/own/archive/2025/own.pdf: font-files: font mismatch: .*/fonts/LiberationSerif-Regular.ttf is not the font file the PDF was made with" "$tmp/own.out"
check "... and only that (not as a damaged archive)" test "$(grep -c "^$tmp/own/archive/2025/own.pdf: " "$tmp/own.out")" -eq 1
"$anpham" verify --fonts "$tmp/own/fonts" "$tmp/own/archive" >"$tmp/own.out" 2>&1
check "verify --fonts DIR finds the very font file there and passes (exit $?)" grep -qx "anpham verify: 1 file: 1 passed, 0 failed" "$tmp/own.out"
printf 'y' >>"$tmp/own/fonts/LiberationSerif-Regular.ttf"
"$anpham" verify --fonts "$tmp/own/fonts" "$tmp/own/archive" >"$tmp/own.out" 2>&1
check "... and a changed one there is a font mismatch of that file (exit $?)" grep -q "font-files: font mismatch: $tmp/own/fonts/LiberationSerif-Regular.ttf is not the font file" "$tmp/own.out"

# An archive job without a date, a malformed date, usage...
cat >"$tmp/undated.xml" <<XML
<batch version="1">
  <job layout="$src/layouts/tom-tat.xml" data="$src/data/2020/tom-tat-2020.xml" output="2020/tom-tat.pdf"/>
</batch>
XML
"$anpham" archive "$tmp/undated.xml" -o "$tmp/undated" 2>"$tmp/undated.err"
rc=$?
check "an archive job without <info date> or source-date-epoch= fails (exit $rc)" test "$rc" -eq 1
check "... naming the job and what it needs" grep -q "failed $tmp/undated/2020/tom-tat.pdf: .*an archive needs its date: expected <info date=\"…\"> from the data, or source-date-epoch=" "$tmp/undated.err"
check "... and writes no PDF" test ! -e "$tmp/undated/2020/tom-tat.pdf"
sed 's|output="2020/tom-tat.pdf"|output="x.pdf" source-date-epoch="yesterday"|' "$tmp/undated.xml" >"$tmp/baddate.xml"
"$anpham" archive "$tmp/baddate.xml" -o "$tmp/baddate" 2>"$tmp/baddate.err"
check "source-date-epoch=\"yesterday\" is refused (exit $?)" grep -q "source-date-epoch=\"yesterday\": expected the seconds since 1970" "$tmp/baddate.err"
"$anpham" verify 2>/dev/null
check "verify without a file is a usage error" test $? -eq 2
"$anpham" verify "$tmp/none.pdf" >"$tmp/none.out" 2>&1
check "verify of a missing file fails, naming it (exit $?)" grep -q "^$tmp/none.pdf: file: cannot read it" "$tmp/none.out"
check "verify left no private folder behind" test -z "$(ls -A "$tmp/tmpdir")"

finish
