#!/usr/bin/env bash
# Print production: --impose a5-booklet (saddle stitch: folding order, blank
# pages up to a multiple of 4, A4 landscape sheets), --impose 2up (reading
# order), a template's bleed (a background at the edge runs on into it) and
# --crop-marks (a larger MediaBox, TrimBox and BleedBox, marks outside the
# bleed). The test layout has numbered A5 pages; the order is read from the
# dump (each sheet side's groups, left then right) and from the PDF's text.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
dir=$src/tests/e2e/impose

# render NAME ARGS...: the test layout with ARGS into $t/NAME.pdf and $t/NAME.dump.
render() {
  local name=$1
  shift
  "$build/anpham" render "$dir/layout.xml" --data "$dir/data.xml" -o "$t/$name.pdf" --dump "$t/$name.dump" "$@"
}
# order DUMP: one line per sheet side, "SIDE: LEFT|RIGHT" (0 = blank page).
order() {
  awk '/^page / { if (s != "") print s ": " l; s = $0; sub(/.*side="/, "", s); sub(/".*/, "", s); l = ""; next }
       /^  group (page|blank) / { n = 0; if (match($0, / source=[0-9]+/)) n = substr($0, RSTART + 8, RLENGTH - 8)
                                  l = l (l == "" ? "" : "|") n }
       END { if (s != "") print s ": " l }' "$1"
}

# sizes PDF: each page's size as "W x H" in points with two decimals, one a line.
sizes() {
  pdfinfo -f 1 -l 100000 "$1" | awk '/^Page +[0-9]+ size:/ { printf "%.2f x %.2f\n", $4, $6 }'
}
# box NAME KEY: the first page's KEY box (MediaBox, TrimBox, BleedBox) as "x0 y0 x1 y1".
box() { pdfinfo -box -f 1 -l 1 "$t/$1.pdf" | awk -v k="$2:" '$3 == k { print $4, $5, $6, $7 }'; }

# Booklets of 8, 10 and 13 pages: folding order, blanks at the end...
render b8 --impose a5-booklet
check "8 pages: 2 sheets, 4 sides" test "$(head -1 "$t/b8.dump")" = "pages 4"
check "8 pages in folding order 8|1 2|7 6|3 4|5" test "$(order "$t/b8.dump" | tr '\n' ';')" = \
  "sheet 1 front: 8|1;sheet 1 back: 2|7;sheet 2 front: 6|3;sheet 2 back: 4|5;"
render b10 --impose a5-booklet --set pages=10
check "10 pages: 2 blanks at the end (pages 11, 12), 3 sheets" test "$(order "$t/b10.dump" | tr '\n' ';')" = \
  "sheet 1 front: 0|1;sheet 1 back: 2|0;sheet 2 front: 10|3;sheet 2 back: 4|9;sheet 3 front: 8|5;sheet 3 back: 6|7;"
render b13 --impose a5-booklet --set pages=13
check "13 pages: 3 blanks at the end (pages 14 to 16), 4 sheets" test "$(order "$t/b13.dump" | tr '\n' ';')" = \
  "sheet 1 front: 0|1;sheet 1 back: 2|0;sheet 2 front: 0|3;sheet 2 back: 4|13;sheet 3 front: 12|5;sheet 3 back: 6|11;sheet 4 front: 10|7;sheet 4 back: 8|9;"
check "blank halves are groups without a page" test "$(grep -c '^  group blank ' "$t/b13.dump")" -eq 3
check "every page of the document stands once on a sheet" \
  test "$(grep -o ' source=[0-9]*' "$t/b13.dump" | sort -t= -k2 -n | tr -d '\n')" = "$(printf ' source=%d' $(seq 1 13))"
check "sheets are A4 landscape (pdfinfo: 841.89 x 595.28)" \
  test "$(sizes "$t/b13.pdf" | sort | uniq -c | awk '{ print $1, $2 $3 $4 }')" = "8 841.89x595.28"
# The text of a side, left page then right (pdftotext reads each group whole).
check "sheet 2 front of 13 pages reads (blank) 3" test "$(pdftotext -f 3 -l 3 "$t/b13.pdf" - | words | tr '\n' ' ')" = "3 "
check "sheet 3 back of 13 pages reads 6 11" test "$(pdftotext -f 6 -l 6 "$t/b13.pdf" - | words | tr '\n' ' ')" = "6 11 "
check "pages stay vector: the sheets' only image is page 2's own 16 x 16 picture" \
  test "$(pdfimages -list "$t/b13.pdf" | tail -n +3 | awk '{ print $1, $4, $5 }')" = "2 16 16"
check "qpdf --check is clean" qpdf --check "$t/b13.pdf" >/dev/null 2>&1

# 2-up: reading order, two per side, the last right half blank...
render u5 --impose 2up --set pages=5
check "2up of 5 pages: 1|2 3|4 5|blank" test "$(order "$t/u5.dump" | tr '\n' ';')" = "side 1: 1|2;side 2: 3|4;side 3: 5|0;"
check "2up of A5 pages on A4 landscape" test "$(sizes "$t/u5.pdf" | sort -u)" = "841.89 x 595.28"

# A5 only for a booklet: the A4 bad-input case names its template...
"$build/anpham" render "$src/tests/bad/impose-not-a5/layout.xml" -o "$t/a4.pdf" --impose a5-booklet 2>"$t/a4.err"
rc=$?
check "a5-booklet refuses A4 pages (exit 1, no PDF), naming the template and its size" \
  test $rc -eq 1 -a ! -e "$t/a4.pdf" -a -n "$(grep "page 1 is 210.0 x 297.0 mm (page template 'a4'), expected A5 portrait" "$t/a4.err")"
"$build/anpham" render "$src/tests/bad/impose-not-a5/layout.xml" -o "$t/a4.pdf" --impose 2up
check "…which 2up takes: A4 pages on A3 landscape" test "$(sizes "$t/a4.pdf")" = "1190.55 x 841.89"

# Bleed: the band at the top edge of page 1 runs 3 mm (8.50 pt) beyond the
# top, left and right edges; the box inside the page does not move...
render plain
check "page 1 records its 3 mm bleed" grep -q '^page 1 w=419.53 h=595.28 bleed=8.50$' "$t/plain.dump"
check "the band at the edge extends into the bleed" grep -q '^  rect shape x=-8.50 y=-8.50 w=436.54 h=127.56 fill=#1F3864$' "$t/plain.dump"
check "the image in the corner grows into the bleed, drawn as a clipped group" \
  grep -q '^  group bleed-image x=-8.50 y=-8.50 w=121.89 h=93.54 source=0 name=.*mark.png$' "$t/plain.dump"
check "…its proportions kept: 4:3 scaled to cover 121.89 x 93.54, centred" \
  test "$(qpdf --qdf --object-streams=disable "$t/plain.pdf" - 2>/dev/null | grep -ac '^124.72441 0 0 93.5433 -1.41732 0 cm$')" -eq 1
check "the box inside the page keeps its place" grep -q '^  rect shape x=56.69 y=425.20 w=85.04 h=56.69 fill=#C8102E$' "$t/plain.dump"
check "without --crop-marks the page is A5 and has no TrimBox" \
  test "$(sizes "$t/plain.pdf" | sort -u)" = "419.53 x 595.28" -a "$(qpdf --qdf --object-streams=disable "$t/plain.pdf" - 2>/dev/null | grep -ac '/TrimBox')" -eq 0
check "on a booklet sheet the bleed shows on the outer edges, not across the fold" \
  grep -q '^  group page x=420.94 y=0.00 w=419.53 h=595.28 source=1 clip=420.94,-8.50,428.03,612.28$' "$t/b8.dump"

# Crop marks: the MediaBox grows by 10 mm a side, TrimBox is the page,
# BleedBox the page and its bleed; the marks stand outside the bleed...
render marks --crop-marks
check "MediaBox: A5 + 2 x 10 mm" test "$(box marks MediaBox)" = "0.00 0.00 476.22 651.97"
check "TrimBox: the A5 page" test "$(box marks TrimBox)" = "28.35 28.35 447.87 623.62"
check "BleedBox: the page + 3 mm" test "$(box marks BleedBox)" = "19.84 19.84 456.38 632.13"
check "every page has its TrimBox and BleedBox" test "$(pdfinfo -box -f 1 -l 8 "$t/marks.pdf" |
  grep -Ec 'TrimBox: +28.35 +28.35 +447.87 +623.62|BleedBox: +19.84 +19.84 +456.38 +632.13')" -eq 16
check "…written in each page's dictionary" test "$(qpdf --qdf --object-streams=disable "$t/marks.pdf" - 2>/dev/null | grep -ac '/TrimBox')" -eq 8
check "8 crop marks per page, 0.25 pt black" test "$(awk '/^page 2 /{exit} /^  rule crop-mark .* stroke=#000000 width=0.25$/' "$t/marks.dump" | wc -l)" -eq 8
# No mark inside the bleed box (19.84 .. 456.38 x 19.84 .. 632.13)...
check "no crop mark reaches into the bleed" test "$(awk '/^  rule crop-mark/ {
    for (i = 3; i <= 6; i++) { split($i, kv, "="); v[kv[1]] = kv[2] + 0 }
    x0 = v["x"]; x1 = v["x"] + v["w"]; y0 = v["y"]; y1 = v["y"] + v["h"]
    if (x1 > 19.84 + 0.01 && x0 < 456.38 - 0.01 && y1 > 19.84 + 0.01 && y0 < 632.13 - 0.01) n++ }
    END { print n + 0 }' "$t/marks.dump")" -eq 0
check "the content moved in by 10 mm with the page" grep -q '^  rect shape x=19.84 y=19.84 w=436.54 h=127.56 fill=#1F3864$' "$t/marks.dump"
render sheets --impose a5-booklet --crop-marks
check "a booklet sheet with marks: TrimBox is the A4 sheet" test "$(box sheets TrimBox)" = "28.35 28.35 870.24 623.62"
check "…with fold marks at the top and the bottom of the fold" test "$(grep -c '^  rule fold-mark x=449.29 ' <(awk '/^page 2 /{exit} 1' "$t/sheets.dump"))" -eq 2
finish
