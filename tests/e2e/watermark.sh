#!/usr/bin/env bash
# Watermarks (<watermark>): the document's, from a parameter, on every page
# and first in its painting order; a template's own only on that template's
# pages; --set mark= removes the document's and --set mark=MẬT changes it;
# the page centre is light grey, not white; and the text a reader's tools
# extract is the page's own words, exactly as without the watermark. Then
# the 2023 report, a draft: DỰ THẢO on every page, its text unchanged.
# (Wrong attribute values are cases of tests/bad.)
# Usage: watermark.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: watermark.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: watermark.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$src/tests/e2e/watermark
# The same data without the annex's mark: no watermark anywhere with --set mark=.
sed 's/ mark="MẪU"//' "$dir/data.xml" >"$tmp/plain.xml"
# ...and with an empty one: the annex template's watermark is then none at all.
sed 's/ mark="MẪU"/ mark=""/' "$dir/data.xml" >"$tmp/empty.xml"


# 'marks DUMP' - per page: its number, its watermark's text (or "-") and
# whether the watermark is the page's first box ("first", "late" or "-").
marks() {
  awk '/^page / { if (p) print p, t, at; p = $2; t = "-"; at = "-"; n = 0; next }
       /^  [a-z]/ { n++; wm = ($1 == "watermark"); if (wm) at = (n == 1 ? "first" : "late"); next }
       /^    run / && wm { s = $0; sub(/^[^"]*"/, "", s); sub(/"$/, "", s); t = s }
       END { if (p) print p, t, at }' "$1"
}

# 'centre PDF PAGE' - the darkest grey level (0 black, 255 white) in a
# 21 x 21 pixel square at the page's centre, rendered at 30 dpi.
centre() {
  local w h
  read -r w h < <(pdfinfo -f "$2" -l "$2" "$1" | awk '/^Page +[0-9]+ size:/ { print $4, $6 }')
  pdftoppm -r 30 -gray -f "$2" -l "$2" -x $(( ${w%.*} * 30 / 72 / 2 - 10 )) -y $(( ${h%.*} * 30 / 72 / 2 - 10 )) \
    -W 21 -H 21 "$1" "$tmp/centre"
  # A binary PGM ends with its pixels, one byte each...
  tail -c 441 "$tmp"/centre-*.pgm | od -An -v -tu1 | tr -s ' \n' '\n' | sed '/^$/d' | sort -n | head -1
  rm -f "$tmp"/centre-*.pgm
}

# 'unmarked DUMP' - the dump without its watermark boxes and their runs.
unmarked() {
  awk '/^  [a-z]/ { wm = ($1 == "watermark") } !(wm && /^ /)' "$1"
}

render_checked marked "$dir/layout.xml" "$dir/data.xml"
render_checked none "$dir/layout.xml" "$tmp/plain.xml" --set mark=
render_checked secret "$dir/layout.xml" "$dir/data.xml" --set mark=MẬT
render_checked empty "$dir/layout.xml" "$tmp/empty.xml"

# The dump: which pages carry which watermark, and first on each...
marks "$tmp/marked.dump" >"$tmp/marked.marks"
printf '1 DỰ THẢO first\n2 DỰ THẢO first\n3 MẪU first\n' >"$tmp/want.marks"
check "the document's watermark on pages 1-2, the annex template's own on page 3, first box of each" \
  cmp -s "$tmp/marked.marks" "$tmp/want.marks"
check "the document's: diagonal (54.74° on A4), opacity 1, light grey, bold face of the first family" \
  grep -q '^  watermark watermark .* angle=54.74 opacity=1.00$' "$tmp/marked.dump"
check "  ...its run: LiberationSerif-Bold, colour #CCCCCC" \
  grep -q '^    run .* LiberationSerif-Bold [0-9.]* color=#CCCCCC "DỰ THẢO"$' "$tmp/marked.dump"
check "the annex's: angle 0, opacity 25%, 96pt, its colour" \
  grep -q '^  watermark watermark .* angle=0.00 opacity=0.25$' "$tmp/marked.dump"
check "  ...its run: 96pt, #C8102E" grep -q ' 96.00 color=#C8102E "MẪU"$' "$tmp/marked.dump"
check "--set mark= (and no mark in the data): no watermark on any page" \
  test "$(marks "$tmp/none.dump")" = "$(printf '1 - -\n2 - -\n3 - -')"
check "--set mark=MẬT: MẬT on pages 1-2, the annex keeps its own" \
  test "$(marks "$tmp/secret.dump")" = "$(printf '1 MẬT first\n2 MẬT first\n3 MẪU first')"
check "a template's empty watermark leaves its pages without the document's" \
  test "$(marks "$tmp/empty.dump")" = "$(printf '1 DỰ THẢO first\n2 DỰ THẢO first\n3 - -')"
check "each watermark's box is centred on its page" test "$(awk '
  /^page / { W = substr($3, 3); H = substr($4, 3) }
  /^  watermark / { x = substr($3, 3); y = substr($4, 3); w = substr($5, 3); h = substr($6, 3)
                    if ((x + w / 2 - W / 2) ^ 2 > 0.01 || (y + h / 2 - H / 2) ^ 2 > 0.01) off++; n++ }
  END { print n + 0, off + 0 }' "$tmp/marked.dump")" = "3 0"
check "the watermark moves nothing else: the dumps without it are the same" \
  cmp -s <(unmarked "$tmp/marked.dump") <(unmarked "$tmp/none.dump")

# The content stream: each page's starts with the artifact (q, BDC), so it
# is painted before the page's text...
qpdf --qdf --object-streams=disable "$tmp/marked.pdf" "$tmp/marked.qdf"
first=$(awk '/^%% Contents for page/ { page = $5; want = 1; next }
             want && /^stream$/ { getline a; getline b; print page ":" a "|" b; want = 0 }' "$tmp/marked.qdf")
want=""
for p in 1 2 3; do want+="$p:q|/Artifact <</Type /Pagination /Subtype /Watermark>> BDC"$'\n'; done
check "every page's content stream opens with the watermark artifact (painted first)" test "$first"$'\n' = "$want"
check "...whose text is a span with an empty ActualText, once per page" \
  test "$(grep -ac '^/Span <</ActualText ()>> BDC$' "$tmp/marked.qdf")" -eq 3
check "the 25% opacity is an ExtGState with /ca 0.25" grep -aq '^  /ca 0.25$' "$tmp/marked.qdf"
check "qpdf --check finds no error" qpdf --check "$tmp/marked.pdf" >/dev/null

# The pixels at the page centre...
for p in 1 3; do
  v=$(centre "$tmp/marked.pdf" "$p")
  check "page $p: the centre is light (darkest grey $v, expected 150-250: not white, not text)" \
    test "${v:-0}" -ge 150 -a "${v:-255}" -le 250
  v=$(centre "$tmp/none.pdf" "$p")
  check "page $p without watermark: the centre is white ($v)" test "${v:-0}" -eq 255
done

# Text extraction: page by page, the same as without the watermark...
for p in 1 2 3; do
  for mode in "" -raw; do
    pdftotext $mode -enc UTF-8 -f "$p" -l "$p" "$tmp/marked.pdf" "$tmp/m.txt" 2>/dev/null
    pdftotext $mode -enc UTF-8 -f "$p" -l "$p" "$tmp/none.pdf" "$tmp/n.txt" 2>/dev/null
    check "page $p: pdftotext ${mode:-(default)} gives the page's own words only, as without watermark" \
      cmp -s "$tmp/m.txt" "$tmp/n.txt"
  done
done
check "...which are there" grep -q "Phụ lục" "$tmp/n.txt"

# The 2023 report (seed 004 says "Dự thảo"): DỰ THẢO on every page...
layout=$src/layouts/bao-cao.xml data=$src/data/2023/bao-cao-2023.xml
render_checked report "$layout" "$data"
render_checked report-final "$layout" "$data" --set mark=
pages=$(awk 'NR == 1 { print $2 }' "$tmp/report.dump")
check "the 2023 report: DỰ THẢO first on each of its $pages pages" \
  test "$(marks "$tmp/report.dump" | grep -c ' DỰ THẢO first$')" -eq "$pages" -a "$pages" -gt 1
check "  ...none with --set mark=" test "$(marks "$tmp/report-final.dump" | grep -vc ' - -$')" -eq 0
check "  ...its text unchanged (pdftotext -raw of the whole report)" \
  cmp -s <(pdftotext -raw -enc UTF-8 "$tmp/report.pdf" - 2>/dev/null) \
  <(pdftotext -raw -enc UTF-8 "$tmp/report-final.pdf" - 2>/dev/null)

finish
