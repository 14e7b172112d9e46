#!/usr/bin/env bash
# Line breaking (docs/layout-language.md, "Line breaking"), checked on the
# positions of the --dump: a paragraph of ranges ("2020 - 2025", "80 – 87%"),
# codes (341-BC/TU, 30/2020/NĐ-CP) and numbers after their introducers ("số
# 1120-QĐ/TU", "ngày 01/6/2022", "Điều 5") set at eleven measures never
# breaks inside them nor starts a line with a spaced dash, and keeps every
# word; a range wider than its line still breaks, after its dash, inside the
# line; centred titles take as many lines as their left-aligned twins, the
# widest narrower, the lines of similar lengths and centred.
# Usage: typography.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: typography.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: typography.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
layout=$src/tests/e2e/typography/layout.xml

"$anpham" render "$layout" -o "$tmp/t.pdf" --dump "$tmp/t.dump" 2>"$tmp/err"
check "renders (exit $?, no message)" test $? -eq 0 -a ! -s "$tmp/err"

# One row per line of a paragraph: par, line, lines, split-word, the line
# box's x and width, the left edge of its first run, the right edge of its
# last run, then its text (runs joined by a space: justified lines are set
# word by word, the others one run per line here).
awk -v OFS='\t' '
  function flush() { if (par != "") print par, ln, nl, sw, lx, lw, left, right, text; par = "" }
  /^  line / {
    flush()
    if (!match($0, / par=[0-9]+ line=[0-9]+\/[0-9]+/)) next
    split(substr($0, RSTART + 5, RLENGTH - 5), a, /[ \/]|line=/)
    par = a[1]; ln = a[3]; nl = a[4]; sw = ($0 ~ / split-word$/)
    lx = substr($3, 3) + 0; lw = substr($5, 3) + 0; left = ""; right = 0; text = ""
    next
  }
  /^  [a-z]/ { flush(); next }
  /^    run / && par != "" {
    x = substr($2, 3) + 0; w = substr($4, 3) + 0
    t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
    if (left == "") left = x
    right = x + w
    text = text == "" ? t : text " " t
  }
  END { flush() }' "$tmp/t.dump" >"$tmp/lines.tsv"

# The paragraphs of the layout: 1-11 the sweep, 12 the narrow range, then
# each centred title (13, 15, 17) and its left-aligned twin.
sweep_text=$(sed -n 's|.*<p style="w0">\(.*\)</p>.*|\1|p' "$layout")
check "the sweep's eleven paragraphs are in the dump" \
  test "$(awk -F'\t' '$1 <= 11 && $2 == 1' "$tmp/lines.tsv" | wc -l)" -eq 11

# Each paragraph of the sweep keeps its words, in order...
for p in $(seq 1 11); do
  words=$(awk -F'\t' -v p="$p" '$1 == p { printf "%s%s", (n++ ? " " : ""), $9 }' "$tmp/lines.tsv")
  check "paragraph $p of the sweep keeps its words" test "$words" = "$sweep_text"
done

# ...and no break falls where the rules forbid one.
awk -F'\t' '
  BEGIN {
    split("số Số SỐ ngày Ngày NGÀY tháng Tháng THÁNG năm Năm NĂM quý Quý QUÝ điều Điều ĐIỀU " \
          "khoản Khoản KHOẢN điểm Điểm ĐIỂM chương Chương CHƯƠNG mục Mục MỤC phần Phần PHẦN", w, " ")
    for (i in w) intro[w[i]] = 1
  }
  $1 > 11 { next }
  {
    n = split($9, tok, " ")
    if ($2 > 1 && $1 == par) {
      breaks++
      where = "paragraph " $1 ", line " $2 ": \"" last2 " " last " | " tok[1] " " tok[2] "\""
      if (tok[1] == "-" || tok[1] == "–") { print "a spaced dash starts " where; bad++ }
      if ((last in intro) && tok[1] ~ /^[0-9]/) { print "a number left by its introducer at " where; bad++ }
      if ((last == "-" || last == "–") && last2 ~ /[0-9%]$/ && tok[1] ~ /^[0-9]/) { print "a range broken at " where; bad++ }
    }
    if ($4 == 1) { print "a code broken at the end of paragraph " $1 ", line " $2 ": " tok[n]; bad++ }
    par = $1; last = tok[n]; last2 = n > 1 ? tok[n - 1] : ""
  }
  END { print breaks " line breaks looked at" > "/dev/stderr"; exit bad > 0 || breaks < 50 }' \
  "$tmp/lines.tsv" 2>"$tmp/breaks" >"$tmp/broken"
rc=$?
verdict "no break inside a range, a code or after an introducer; no line starts with a dash ($(cat "$tmp/breaks"))" $rc
[ -s "$tmp/broken" ] && head -n 10 "$tmp/broken"

# A range wider than its measure (51 pt) breaks after its dash, inside the line.
check "a range wider than the line breaks after its dash" \
  test "$(awk -F'\t' '$1 == 12 { printf "%s|", $9 }' "$tmp/lines.tsv")" = "nhiệm kỳ|2020 -|2025|"
check "the narrow paragraph stays inside its line" \
  awk -F'\t' '$1 == 12 && $8 > $5 + $6 + 0.01 { exit 1 }' "$tmp/lines.tsv"

# Centred titles: balanced, never more lines than their left-aligned twins, centred.
for p in 13 15 17; do
  read -r n wide short off < <(awk -F'\t' -v p="$p" '
    $1 == p { n++; w = $8 - $7; if (w > wide) wide = w; if (short == "" || w < short) short = w
              c = ($7 + $8) / 2 - ($5 + $6 / 2); if (c < 0) c = -c; if (c > off) off = c }
    END { printf "%d %.2f %.2f %.3f\n", n, wide, short, off }' "$tmp/lines.tsv")
  read -r tn twide < <(awk -F'\t' -v p=$((p + 1)) '
    $1 == p { n++; w = $8 - $7; if (w > wide) wide = w } END { printf "%d %.2f\n", n, wide }' "$tmp/lines.tsv")
  check "title $p: $n lines, as many as its left-aligned twin ($tn)" test "$n" -ge 2 -a "$n" -eq "$tn"
  check "title $p: its widest line ($wide pt) narrower than the twin's ($twide pt)" \
    awk -v a="$wide" -v b="$twide" 'BEGIN { exit !(a < b - 1) }'
  check "title $p: lines of similar lengths (shortest $short pt, widest $wide pt: 80% or more)" \
    awk -v a="$short" -v b="$wide" 'BEGIN { exit !(a >= 0.8 * b) }'
  check "title $p: every line centred on the measure (off by $off pt)" \
    awk -v o="$off" 'BEGIN { exit !(o < 0.02) }'
done
check "the three ranges of the titles stand whole on their lines" \
  test "$(awk -F'\t' '$1 == 13 || $1 == 15 { print $9 }' "$tmp/lines.tsv" | grep -o '20[0-9][0-9] - 20[0-9][0-9]' | wc -l)" -eq 3

finish
