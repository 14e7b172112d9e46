#!/usr/bin/env bash
# The source travels with the file (issue 10 §3): --embed-source embeds the
# layout, the layouts it extends, the data, its bases and the images, with
# anpham-source.json; `anpham extract` writes them back, and rendering the
# extracted source with the recorded arguments gives the same bytes. A
# hostile embedded name (../x, /x) is refused before anything is written;
# a changed font file is reported as a font mismatch. Without the option
# nothing embeds.
# Usage: attach.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: attach.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: attach.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v pdfdetach >/dev/null && command -v qpdf >/dev/null && command -v fix-qdf >/dev/null ||
  { echo "SKIP: pdfdetach, qpdf or fix-qdf missing (tools/install-deps.sh)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH # Set below where a test wants it

# 'embed NAME ARGS...' - render with --embed-source into $tmp/NAME.pdf; its attachment list.
embed() {
  local name=$1; shift
  "$anpham" render "$@" --embed-source -o "$tmp/$name.pdf" 2>"$tmp/$name.err"
  local rc=$?
  check "$name renders with --embed-source (exit $rc)" test "$rc" -eq 0 -a ! -s "$tmp/$name.err"
  pdfdetach -list "$tmp/$name.pdf" | sed -n 's/^[0-9]*: //p' >"$tmp/$name.list"
  check "$name: qpdf --check is clean" qpdf --check "$tmp/$name.pdf"
}

# 'roundtrip NAME [ROOT]' - extract NAME.pdf, compare each file with ROOT's (default: the
# source tree), render the extracted source as the printed command says, cmp.
roundtrip() {
  local name=$1 out=$tmp/$1.x root=${2:-$src}
  "$anpham" extract "$tmp/$name.pdf" -o "$out" >"$tmp/$name.cmd" 2>"$tmp/$name.xerr"
  local rc=$?
  check "$name: extract succeeds with the fonts in place (exit $rc)" test "$rc" -eq 0 -a ! -s "$tmp/$name.xerr"
  check "$name: extract prints one command, in DIR, ending in -o OUT.pdf" \
    grep -qxE "cd $out && (SOURCE_DATE_EPOCH=[0-9]+ )?anpham render .* -o OUT\.pdf" "$tmp/$name.cmd"
  local f
  for f in $(cat "$tmp/$name.list"); do
    [ "$f" = anpham-source.json ] && continue
    check "$name: $f written back as it was" cmp -s "$out/$f" "$root/$f"
  done
  ( anpham() { "$anpham" "$@"; }; eval "$(sed "s| -o OUT\.pdf$| -o $tmp/$name.again.pdf|" "$tmp/$name.cmd")" ) \
    2>"$tmp/$name.rerr"
  check "$name: the extracted source renders again without a message" test ! -s "$tmp/$name.rerr"
  check "$name: ... into the same bytes" cmp "$tmp/$name.pdf" "$tmp/$name.again.pdf"
}

# The 2023 report: the layout and the data...
embed report layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml
check "report: the layout, the data and anpham-source.json, nothing else" \
  test "$(tr '\n' ' ' <"$tmp/report.list")" = "anpham-source.json data/2023/bao-cao-2023.xml layouts/bao-cao.xml "
roundtrip report
check "report: anpham-source.json records the arguments" \
  test "$(jq -c .arguments "$tmp/report.x/anpham-source.json")" = \
  '["render","layouts/bao-cao.xml","--data","data/2023/bao-cao-2023.xml","--embed-source"]'
check "report: anpham-source.json records each file's SHA-256" \
  test "$(jq -r '.files[] | select(.name == "data/2023/bao-cao-2023.xml") | .sha256' "$tmp/report.x/anpham-source.json")" = \
  "$(sha256sum data/2023/bao-cao-2023.xml | cut -d' ' -f1)"
check "report: anpham-source.json records the fonts' names and SHA-256" \
  test "$(jq -r '.fonts[] | select(.name == "LiberationSerif-Regular.ttf") | .sha256' "$tmp/report.x/anpham-source.json")" = \
  "$(sha256sum fonts/LiberationSerif-Regular.ttf | cut -d' ' -f1)"
check "report: no font file is embedded" test "$(jq '.files | map(select(.kind == "font")) | length' "$tmp/report.x/anpham-source.json")" = 0
check "report: the embedded layout's MIME type and MD5 checksum" \
  bash -c "qpdf --qdf --object-streams=disable '$tmp/report.pdf' - | grep -a -A3 '/CheckSum <$(md5sum layouts/bao-cao.xml | cut -d' ' -f1)>' | grep -aq '/Subtype /application#2fxml'"
root=$(qpdf --show-object=trailer "$tmp/report.pdf" | sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p')
check "report: /AF on the catalog lists the three files" \
  test "$(qpdf --show-object="$root" "$tmp/report.pdf" | grep -o '/AF \[[^]]*\]' | grep -o ' R' | wc -l)" = 3
check "report: every file is a /Source associated file" \
  test "$(qpdf --qdf --object-streams=disable "$tmp/report.pdf" - | grep -ac '/AFRelationship /Source')" = 3
check "report: no /ModDate without SOURCE_DATE_EPOCH" \
  bash -c "! qpdf --qdf --object-streams=disable '$tmp/report.pdf' - | grep -aq '/ModDate'"

# ...the same bytes again, and SOURCE_DATE_EPOCH as each file's /ModDate...
"$anpham" render layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml --embed-source -o "$tmp/report2.pdf"
check "report: the same inputs give the same bytes" cmp "$tmp/report.pdf" "$tmp/report2.pdf"
SOURCE_DATE_EPOCH=1700000000 "$anpham" render layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml \
  --embed-source -o "$tmp/dated.pdf"
check "SOURCE_DATE_EPOCH is each embedded file's /ModDate" \
  test "$(qpdf --qdf --object-streams=disable "$tmp/dated.pdf" - | grep -ac "/ModDate (D:20231114221320+00'00')")" = 3
check "dated: qpdf --check is clean" qpdf --check "$tmp/dated.pdf"
pdfdetach -list "$tmp/dated.pdf" | sed -n 's/^[0-9]*: //p' >"$tmp/dated.list"
roundtrip dated
check "dated: the command sets the recorded SOURCE_DATE_EPOCH" grep -qF ' && SOURCE_DATE_EPOCH=1700000000 anpham render ' "$tmp/dated.cmd"

# The 2024 district edition: a layout base and a data base...
embed district layouts/handout-huyen.xml --data data/2024/districts/vi-thanh.xml --allow-path data/2024
check "district: the layout, handout.xml, the data and its base" \
  test "$(tr '\n' ' ' <"$tmp/district.list")" = \
  "anpham-source.json data/2024/districts/vi-thanh.xml data/2024/hau-giang-2024.xml layouts/handout-huyen.xml layouts/handout.xml "
roundtrip district

# An image (the pages test's layout, mark.png next to it, taking anpham's own fonts), with an
# option that shapes the output...
mkdir -p "$tmp/pages"
cp tests/e2e/pages/data.xml tests/e2e/pages/mark.png "$tmp/pages/"
sed 's| fonts="[^"]*"||' tests/e2e/pages/layout.xml >"$tmp/pages/layout.xml"
embed image "$tmp/pages/layout.xml" --data "$tmp/pages/data.xml" --crop-marks
check "image: the image is embedded beside its layout" \
  test "$(tr '\n' ' ' <"$tmp/image.list")" = "anpham-source.json data.xml layout.xml mark.png "
check "image: as image/png" bash -c "qpdf --qdf --object-streams=disable '$tmp/image.pdf' - | grep -aq '/Subtype /image#2fpng'"
roundtrip image "$tmp/pages"
check "image: --crop-marks is recorded" grep -q -- '--crop-marks' "$tmp/image.cmd"

# A hostile archive: an embedded name that leaves DIR is refused, nothing written...
qpdf --qdf --object-streams=disable "$tmp/report.pdf" "$tmp/report.qdf"
for evil in '../evil.xml' "$tmp/abs-evil.xml" 'layouts/../../evil.xml'; do
  sed "s|(layouts/bao-cao.xml)|($evil)|g" "$tmp/report.qdf" | fix-qdf >"$tmp/evil.pdf"
  rm -rf "$tmp/evil.x"
  mkdir -p "$tmp/evil.x"
  "$anpham" extract "$tmp/evil.pdf" -o "$tmp/evil.x/out" >"$tmp/evil.out" 2>"$tmp/evil.err"
  rc=$?
  check "a PDF embedding '$evil': extract refuses it (exit $rc)" test "$rc" -eq 1
  check "... saying so" grep -qF "the embedded file '$evil' would be written outside" "$tmp/evil.err"
  check "... and writes nothing" test -z "$(ls -A "$tmp/evil.x")" -a ! -e "$tmp/abs-evil.xml" -a ! -s "$tmp/evil.out"
done
check "the doctored PDF is still a readable PDF (the refusal is extract's)" \
  bash -c "pdfdetach -list '$tmp/evil.pdf' | grep -qF 'layouts/../../evil.xml'"

# A damaged embedded file fails its SHA-256...
sed 's|<section|<sectioN|' "$tmp/report.qdf" | fix-qdf >"$tmp/damaged.pdf"
"$anpham" extract "$tmp/damaged.pdf" -o "$tmp/damaged.x" >/dev/null 2>"$tmp/damaged.err"
check "a changed embedded file is reported as a damaged archive" \
  grep -qF "does not have the SHA-256 anpham-source.json gives it: the archive is damaged" "$tmp/damaged.err"

# A different font file where the layout looks for it: a font mismatch, said as such...
mkdir -p "$tmp/font.x/fonts"
cp fonts/LiberationSerif-Regular.ttf "$tmp/font.x/fonts/"
printf 'x' >>"$tmp/font.x/fonts/LiberationSerif-Regular.ttf"
"$anpham" extract "$tmp/report.pdf" -o "$tmp/font.x" >"$tmp/font.out" 2>"$tmp/font.err"
rc=$?
check "a changed font file fails extract (exit $rc)" test "$rc" -eq 1
check "... reported as a font mismatch of that file" \
  grep -qF "font mismatch: $tmp/font.x/fonts/LiberationSerif-Regular.ttf is not the font file the PDF was made with" "$tmp/font.err"
check "... and only that" test "$(wc -l <"$tmp/font.err")" -eq 1
check "... the source is written all the same" cmp -s "$tmp/font.x/layouts/bao-cao.xml" layouts/bao-cao.xml

# A PDF without embedded source; usage...
"$anpham" render layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml -o "$tmp/plain.pdf"
check "without --embed-source nothing is embedded" test "$(pdfdetach -list "$tmp/plain.pdf")" = "0 embedded files"
"$anpham" extract "$tmp/plain.pdf" -o "$tmp/plain.x" 2>"$tmp/plain.err"
check "extract of a PDF without source says so (exit $?)" grep -qF "embeds no files: expected a PDF rendered with --embed-source" "$tmp/plain.err"
"$anpham" extract "$tmp/plain.pdf" 2>/dev/null
check "extract without -o is a usage error" test $? -eq 2

finish
