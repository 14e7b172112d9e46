#!/usr/bin/env bash
# Keeps and page numbers (docs/layout-language.md, "Keeps" and "Page
# numbers"), checked on the positions and page facts of the --dump: a
# paragraph, list or table kept together moves whole to the next page; a
# block kept with the previous one takes its predecessor's last lines with
# it; a table's last row never stands alone under its repeated header; a
# <page-break restart="true"/> after a cover starts the pages anew (number
# 1, the body's first-page template, no empty page), number= and
# <body first-number> offset the count, the contents and <page-count/>
# follow the printed numbers, and the PDF's page labels say them. Columns
# with align="baseline" set their first lines on one baseline.
# Every layout is made here, in two variants where a check needs to show
# what happens without the attribute.
# Usage: keeps.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: keeps.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: keeps.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=$tmp/cache

# A5, 15 mm margins: the text area runs from 42.52 to 552.76 pt (510.24 pt);
# 12 pt text on 15 pt lines, 6 pt before each paragraph: a paragraph of
# three lines takes 45 pt, ten of them 504 pt.
three='Đại hội đại biểu Đảng bộ tỉnh lần thứ XIV, nhiệm kỳ 2020 - 2025 diễn ra trong bối cảnh toàn Đảng, toàn dân và toàn quân ta thi đua lập thành tích chào mừng các ngày lễ lớn của đất nước.'
long="$three $three $three"
fillers() { for _ in $(seq 1 "$1"); do echo "<p>$three</p>"; done; }
# layout NAME STYLES BODY-ATTRIBUTES BODY: a test layout in $tmp/NAME.xml
layout() {
  cat >"$tmp/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1" fonts="$src/fonts">
  <family name="serif" regular="LiberationSerif-Regular.ttf" bold="LiberationSerif-Bold.ttf"/>
  <style name="body" family="serif" size="12pt" leading="15pt" space-before="6pt" align="justify"/>
  <style name="folio" family="serif" size="10pt" leading="12pt" align="center"/>
  <style name="h1" parent="body" bold="true" keep-with-next="true"/>
  <style name="toc" parent="body" align="left"/>
  $2
  <page name="a5" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm"/>
  <page name="first" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm"/>
  <page name="rest" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm">
    <header offset="8mm"><p style="folio">Trang <page-number/>/<page-count/></p></header>
  </page>
  <body $3>
$4
  </body>
</layout>
EOF
}
render() { # render NAME: $tmp/NAME.pdf and .dump; false on failure (the shared styles may warn: unused)
  "$anpham" render "$tmp/$1.xml" -o "$tmp/$1.pdf" --dump "$tmp/$1.dump" 2>"$tmp/$1.err" && ! grep -qv ': warning: ' "$tmp/$1.err"
}
# pages_of DUMP PAR: the pages the lines of flow paragraph PAR are on, one line
pages_of() {
  awk -v par="$2" '/^page / { p = $2 } /^  line / && $0 ~ (" par=" par " ") { if (!seen[p]++) s = s (s ? " " : "") p }
                   END { print s }' "$1"
}
# page_of_text DUMP TEXT: the page whose line holds the run "TEXT"
page_of_text() { awk -v t="\"$2\"" '/^page / { p = $2 } /^    run / && index($0, t) { print p; exit }' "$1"; }

# Kept together: ten lines starting where six fit.
for v in false true; do
  layout "together-$v" "<style name=\"whole\" parent=\"body\" keep-together=\"$v\"/>" 'page="a5"' \
    "$(fillers 8)<p style=\"whole\">$long</p>$(fillers 4)"
  render "together-$v"
done
check "a paragraph of 9 lines after 8 of 3: split over pages 1 and 2 ($(pages_of "$tmp/together-false.dump" 9))" \
  test "$(pages_of "$tmp/together-false.dump" 9)" = "1 2"
check "…with keep-together=\"true\" all on page 2 ($(pages_of "$tmp/together-true.dump" 9))" \
  test "$(pages_of "$tmp/together-true.dump" 9)" = "2"

# Kept together, too tall for a page: broken as if not kept.
layout together-tall '<style name="whole" parent="body" keep-together="true"/>' 'page="a5"' \
  "<p>$three</p><p style=\"whole\">$long $long $long $long $long</p>"
render together-tall
check "a paragraph kept together but taller than a page starts a page and breaks ($(pages_of "$tmp/together-tall.dump" 2))" \
  test "$(pages_of "$tmp/together-tall.dump" 2)" = "2 3"

# Kept with the previous block: the paragraph after the ninth would start
# page 2 alone; kept with it, the ninth goes along.
for v in false true; do
  layout "previous-$v" "<style name=\"after\" parent=\"body\" keep-with-previous=\"$v\"/>" 'page="a5"' \
    "$(fillers 10)<p style=\"after\">$three</p>$(fillers 2)"
  render "previous-$v"
done
check "without keep-with-previous: paragraph 10 on page 1, 11 on page 2" \
  test "$(pages_of "$tmp/previous-false.dump" 10),$(pages_of "$tmp/previous-false.dump" 11)" = "1,2"
check "…with it, both on page 2 ($(pages_of "$tmp/previous-true.dump" 10),$(pages_of "$tmp/previous-true.dump" 11))" \
  test "$(pages_of "$tmp/previous-true.dump" 10),$(pages_of "$tmp/previous-true.dump" 11)" = "2,2"

# A list kept together.
items=$(for i in $(seq 1 6); do echo "<item>Mục $i: $three</item>"; done)
for v in false true; do
  layout "list-$v" "<style name=\"whole\" parent=\"body\" keep-together=\"$v\"/>" 'page="a5"' \
    "$(fillers 7)<list style=\"whole\" marker=\"-\">$items</list>"
  render "list-$v"
done
check "a list of 6 items after 7 paragraphs: items 1 and 6 on pages $(page_of_text "$tmp/list-false.dump" 1:),$(page_of_text "$tmp/list-false.dump" 6:)" \
  test "$(page_of_text "$tmp/list-false.dump" 1:),$(page_of_text "$tmp/list-false.dump" 6:)" = "1,2"
check "…kept together, all on page 2 ($(page_of_text "$tmp/list-true.dump" 1:),$(page_of_text "$tmp/list-true.dump" 6:))" \
  test "$(page_of_text "$tmp/list-true.dump" 1:),$(page_of_text "$tmp/list-true.dump" 6:)" = "2,2"

# Tables: rows of one line under a header that repeats.
table() { # table STYLE ROWS
  echo "<table style=\"$1\" header-style=\"h1\"><column width=\"20mm\"/><column width=\"1fr\"/>"
  echo "<header><row><cell>STT</cell><cell>Nội dung</cell></row></header>"
  for i in $(seq 1 "$2"); do echo "<row><cell>$i</cell><cell>Dòng$i</cell></row>"; done
  echo "</table>"
}
for v in false true; do
  layout "table-$v" "<style name=\"t\" parent=\"body\" align=\"left\" keep-together=\"$v\"/>" 'page="a5"' \
    "$(fillers 8)$(table t 6)"
  render "table-$v"
done
check "a table of 6 rows after 8 paragraphs: rows 1 and 6 on pages $(page_of_text "$tmp/table-false.dump" Dòng1),$(page_of_text "$tmp/table-false.dump" Dòng6)" \
  test "$(page_of_text "$tmp/table-false.dump" Dòng1),$(page_of_text "$tmp/table-false.dump" Dòng6)" = "1,2"
check "…kept together, all on page 2 ($(page_of_text "$tmp/table-true.dump" Dòng1),$(page_of_text "$tmp/table-true.dump" Dòng6))" \
  test "$(page_of_text "$tmp/table-true.dump" Dòng1),$(page_of_text "$tmp/table-true.dump" Dòng6)" = "2,2"

# The last row: the shortest table whose last row reaches page 2 (one row
# less fitted on page 1, so that row would stand alone there): its last two
# rows go to page 2 together.
found=0
for n in $(seq 10 30); do
  layout last '<style name="t" parent="body" align="left"/>' 'page="a5"' "$(fillers 2)$(table t "$n")"
  render last || break
  [ "$(page_of_text "$tmp/last.dump" "Dòng$n")" = 2 ] || continue
  found=$n
  break
done
check "a table of $found rows: $((found - 1)) rows fit on page 1, the last reaches page 2" test "$found" -gt 10
check "…rows $((found - 1)) and $found on page 2 together, row $((found - 2)) on page 1" \
  test "$(page_of_text "$tmp/last.dump" "Dòng$((found - 2))"),$(page_of_text "$tmp/last.dump" "Dòng$((found - 1))")" = "1,2"
check "…the header repeated above them on page 2" \
  test "$(awk '/^page 2/ { p = 1 } p && /^    run / && /"STT"/ { n++ } END { print n + 0 }' "$tmp/last.dump")" -ge 1

# Page numbers: a cover (a page of its own), then the text numbered from 1,
# its first page on the body's first-page template (no number printed).
cover='<slide page="first"><frame x="0mm" y="0mm" width="100%" height="30mm"><p>BÌA</p></frame></slide>'
layout restart "" 'first-page="first" page="rest"' \
  "$cover<page-break restart=\"true\"/><toc levels=\"1\" style=\"toc\"/>$(fillers 9)<heading level=\"1\" style=\"h1\">Phần sau</heading>$(fillers 12)"
render restart
check "a cover then restart: 4 pages, no empty page after the cover ($(awk 'NR == 1 { print $2 }' "$tmp/restart.dump"))" \
  test "$(awk 'NR == 1 { print $2 }' "$tmp/restart.dump")" = 4
numbers=$(awk '/^page / { n = $2; for (i = 3; i <= NF; i++) if ($i ~ /^number=/) n = substr($i, 8); s = s (s ? " " : "") n } END { print s }' "$tmp/restart.dump")
check "…pages numbered 1 1 2 3 in the dump ($numbers)" test "$numbers" = "1 1 2 3"
folios=$(for p in 1 2 3 4; do pdftotext -f $p -l $p -layout "$tmp/restart.pdf" - | grep -o 'Trang [0-9]*/[0-9]*' | head -1; echo ";"; done | tr -d '\n')
check "…no number on the cover and on text page 1, 'Trang 2/3', 'Trang 3/3' after ($folios)" \
  test "$folios" = ";;Trang 2/3;Trang 3/3;"
heading_page=$(awk '/^page / { p = $2 } /^  dest heading / && /title="Phần sau"/ { print p }' "$tmp/restart.dump")
listed=$(awk '/^  [a-z]/ { t = /^  line toc/ } t && /^    run / { v = $NF; gsub(/"/, "", v); last = v } END { print last }' "$tmp/restart.dump")
check "…the contents give the heading's printed number ($listed; on physical page $heading_page)" \
  test "$listed" = "$((heading_page - 1))"
labels=$(qpdf --json=2 --json-key=pagelabels "$tmp/restart.pdf" | python3 -c '
import json, sys
print(" ".join("%d:%s" % (l["index"], l["label"]["/St"]) for l in json.load(sys.stdin)["pagelabels"]))')
check "…page labels: 1 from page index 0, 1 again from index 1 ($labels)" test "$labels" = "0:1 1:1"
qpdf --check "$tmp/restart.pdf" >/dev/null 2>&1
check "…qpdf --check clean" test $? -eq 0

# An offset: <body first-number="5">, then a break numbering on from 20.
layout offset "" 'first-page="first" page="rest" first-number="5"' \
  "$(fillers 12)<page-break number=\"20\"/>$(fillers 12)"
render offset
numbers=$(awk '/^page / { n = $2; for (i = 3; i <= NF; i++) if ($i ~ /^number=/) n = substr($i, 8); s = s (s ? " " : "") n } END { print s }' "$tmp/offset.dump")
check "first-number=5 and number=20: pages numbered 5 6 20 21 ($numbers)" test "$numbers" = "5 6 20 21"
folios=$(pdftotext -layout "$tmp/offset.pdf" - | grep -o 'Trang [0-9]*/[0-9]*' | tr '\n' ' ')
check "…the folios say so, the count the last page's number ($folios)" test "$folios" = "Trang 6/21 Trang 20/21 Trang 21/21 "

# A document numbered 1, 2, 3… gets no page labels.
labels=$(qpdf --json=2 --json-key=pagelabels "$tmp/previous-true.pdf" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["pagelabels"]))')
check "a document numbered from 1 has no page labels ($labels)" test "$labels" = 0

# Columns: a 20 pt line beside a 12 pt one stand on one baseline with
# align="baseline", tops aligned without.
for v in top baseline; do
  layout "cols-$v" '<style name="big" parent="body" size="20pt" leading="24pt"/>' 'page="a5"' \
    "<columns align=\"$v\" gap=\"5mm\"><column width=\"50%\"><p>Nhỏ</p></column><column width=\"50%\"><p style=\"big\">Lớn</p></column></columns>"
  render "cols-$v"
done
bases() { awk '/^    run / && /"(Nhỏ|Lớn)"/ { printf "%s ", substr($3, 6) }' "$1"; }
read -r small big <<<"$(bases "$tmp/cols-top.dump")"
check "columns align=top: the first lines' baselines differ ($small, $big)" test "$small" != "$big"
read -r small big <<<"$(bases "$tmp/cols-baseline.dump")"
check "columns align=baseline: one baseline ($small, $big)" test -n "$small" -a "$small" = "$big"

# A rule under a line set solid (14 pt on 10 pt: its descenders reach
# below the line box) keeps 2 pt of white under the descenders (Liberation
# Serif's descender is 0.216 of the size).
layout rule '<style name="tight" parent="body" size="14pt" leading="10pt" space-before="0pt" space-after="0pt"/>' 'page="a5"' \
  '<p style="tight">Gập ghềnh quy hoạch</p><rule thickness="1pt"/>'
render rule
gap=$(awk '/^    run / { b = substr($3, 6) } /^  rule rule / { for (i = 1; i <= NF; i++) if ($i ~ /^y=/) y = substr($i, 3)
           printf "%.2f", y - 0.5 - (b + 0.216 * 14) }' "$tmp/rule.dump")
check "a rule stands 2 pt clear of the descenders above it ($gap pt)" awk -v g="$gap" 'BEGIN { exit !(g >= 1.98 && g < 2.1) }'

# Bad values: one line with the place, exit 1, no PDF.
bad_input() { # bad_input NAME BODY-ATTRIBUTES BODY EXPECTED-MESSAGE-PART
  layout "$1" "" "$2" "$3"
  "$anpham" render "$tmp/$1.xml" -o "$tmp/$1.pdf" 2>"$tmp/$1.err"
  local rc=$?
  check "$1: exit 1, one line naming the place, no PDF ($(head -c 150 "$tmp/$1.err"))" \
    bash -c '[ "$1" = 1 ] && [ "$(wc -l <"$2")" = 1 ] && grep -q "$3" "$2" && [ ! -e "$4" ]' _ "$rc" "$tmp/$1.err" "$4" "$tmp/$1.pdf"
}
bad_input bad-number 'page="a5"' '<p>a</p><page-break number="0"/><p>b</p>' "$tmp/bad-number.xml:[0-9]*:[0-9]*: error: number=\"0\""
bad_input bad-restart 'page="a5"' '<p>a</p><page-break restart="yes"/><p>b</p>' "$tmp/bad-restart.xml:[0-9]*:[0-9]*: error: restart=\"yes\": expected true or false"
bad_input bad-first 'page="a5" first-number="x"' '<p>a</p>' "$tmp/bad-first.xml:[0-9]*:[0-9]*: error: first-number=\"x\""

bad_input bad-align 'page="a5"' '<columns align="middle"><column width="50%"><p>a</p></column></columns>' "$tmp/bad-align.xml:[0-9]*:[0-9]*: error: align=\"middle\": expected top or baseline"

finish
