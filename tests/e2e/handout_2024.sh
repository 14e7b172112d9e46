#!/usr/bin/env bash
# The 2024 meeting handout: slides N-up, full text, charts (issue 4); the
# content fixes of issue 9 §0: charts of one quantity per series, years at
# their distance, the average as a reference line, the source's numerals and
# overview, one rule for typos.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
anpham=$build/anpham
layout=$src/layouts/handout.xml
data=$src/data/2024/hau-giang-2024.xml
seedwords=$build/tests/seedwords2024
# What is printed: the data with each <sic corr="…">typo</sic> as its correction
printed=$t/printed.xml
sed -E 's#<sic corr="([^"]*)">[^<]*</sic>#\1#g' "$data" >"$printed"

"$anpham" render "$layout" --data "$data" -o "$t/h.pdf" --dump "$t/h.dump" 2>"$t/err"
check "the handout renders with no message" test $? -eq 0 -a ! -s "$t/err"
"$anpham" render "$layout" --data "$data" --deck hg -o "$t/s.pdf" --dump "$t/s.dump" 2>"$t/err"
check "the slides render alone (--deck hg)" test $? -eq 0 -a ! -s "$t/err"
slides=$(xmllint --xpath 'count(/edition/group) + 2' "$data")
check "one page per slide ($slides: title, overview, one per group)" test "$(head -1 "$t/s.dump")" = "pages $slides"
check "slides are 16:9" test "$(grep -c '^page [0-9]* w=960.01 h=540.00$' "$t/s.dump")" -eq "$slides"

# Each slide a bookmark (its title=), the slides after the title slide
# numbered "N/6" at the bottom right; in the handout the slides' bookmarks
# stand under its title "Tóm tắt".
outline() { qpdf --json=2 --json-key=outlines "$1" | python3 -c '
import json, sys
def walk(entries, depth):
    for e in entries:
        print("  " * depth + e["title"]); walk(e.get("kids", []), depth + 1)
walk(json.load(sys.stdin)["outlines"], 0)'; }
want="Hậu Giang 2024|Tổng quan|$(xmllint --xpath '/edition/group/name/text()' "$data" | paste -sd '|')"
check "the slides' bookmarks: $want" test "$(outline "$t/s.pdf" | paste -sd '|')" = "$want"
check "…in the handout, under 'Tóm tắt'" \
  test "$(outline "$t/h.pdf" | awk '/^Tóm tắt$/ { on = 1; next } on && /^  [^ ]/ { sub(/^  /, ""); print; next } on { exit }' | paste -sd '|')" = "$want"
numbers=$(for ((p = 1; p <= slides; p++)); do pdftotext -f $p -l $p "$t/s.pdf" - | grep -x "[0-9]*/$slides" | tr '\n' ' '; echo -n ";"; done)
check "slide numbers: none on the title slide, then 2/$slides … ($numbers)" \
  test "$numbers" = ";$(for ((p = 2; p <= slides; p++)); do echo -n "$p/$slides ;"; done)"
# A grid's cards shrink their text together: one size for every headline of
# a slide (the 7 tasks: their longest would set 15.6 pt, the shortest 22).
sizes=$(awk '/^page / { p = $2 } /^  rect frame / { f = /name=headline/ } /^  line / { } f && /^    run / && /Bold/ { print p, $6 }' "$t/s.dump" | sort -u)
check "one headline size per slide ($(echo "$sizes" | tr '\n' ' '))" \
  test "$(echo "$sizes" | awk '{ print $1 }' | uniq -d | wc -l)" -eq 0 -a "$(echo "$sizes" | wc -l)" -ge 3

# Every overview line, group name, headline (and detail) of the slides is
# printed, in order, in the slides PDF and inside the handout (where the
# slides are drawn N-up).
"$seedwords" data-slides "$printed" >"$t/slides.words"
pdf_words "$t/s.pdf" >"$t/s.pdf.words"
check "every slide word is in the slides PDF, in order ($(wc -l <"$t/slides.words") words)" \
  subsequence "$t/slides.words" "$t/s.pdf.words"
pdf_words "$t/h.pdf" >"$t/h.pdf.words"
check "every slide word is in the handout, in order" subsequence "$t/slides.words" "$t/h.pdf.words"

# Every full-text paragraph, title and heading (with its numeral), in order.
"$seedwords" data-fulltext "$printed" >"$t/text.words"
check "every word of the full text is in the handout, in order ($(wc -l <"$t/text.words") words)" \
  subsequence "$t/text.words" "$t/h.pdf.words"
pdftotext "$t/h.pdf" /dev/null 2>"$t/poppler"
check "poppler prints no warning" test ! -s "$t/poppler"
check "qpdf --check is clean" qpdf --check "$t/h.pdf" >/dev/null 2>&1
nf=$(pdffonts "$t/h.pdf" | tail -n +3 | wc -l)
ne=$(pdffonts "$t/h.pdf" | tail -n +3 | awk '$(NF-4) == "yes"' | wc -l)
check "every font embedded ($ne of $nf)" test "$nf" -gt 0 -a "$nf" -eq "$ne"

# The same slides on A4 landscape: positions in percentages follow the page.
"$anpham" render "$layout" --data "$data" --deck hg --slide-page slide-a4 -o "$t/a4.pdf" --dump "$t/a4.dump" 2>"$t/err"
check "the slides render on A4 landscape" test $? -eq 0 -a ! -s "$t/err" \
  -a "$(grep -c '^page [0-9]* w=841.89 h=595.28$' "$t/a4.dump")" -eq "$slides"
pdf_words "$t/a4.pdf" >"$t/a4.pdf.words"
check "every slide word is on the A4 slides, in order" subsequence "$t/slides.words" "$t/a4.pdf.words"

# No text leaves its frame: each line box after a frame lies inside it.
awk '
  /^page / { page = $2; inframe = 0 }
  /^  rect frame / { fx = substr($3, 3) + 0; fy = substr($4, 3) + 0; fw = substr($5, 3) + 0; fh = substr($6, 3) + 0; inframe = 1; name = $NF; next }
  /^  (rect|ellipse|segment|group) / { inframe = 0; next }
  inframe && /^  line / { x = substr($3, 3) + 0; y = substr($4, 3) + 0; w = substr($5, 3) + 0; h = substr($6, 3) + 0; lines++
    if (x < fx - 0.01 || y < fy - 0.01 || x + w > fx + fw + 0.01 || y + h > fy + fh + 0.01) { bad++; print "page " page " " name ": line at y=" y " leaves its frame" } }
  inframe && /^    run / { split($2, a, "="); split($4, b, "="); if (a[2] + b[2] > fx + fw + 0.02) { bad++; print "page " page " " name ": run past the right edge" } }
  END { print lines " lines in frames, " bad + 0 " outside" > "/dev/stderr"; exit !(bad == 0 && lines > 20) }' "$t/s.dump" "$t/a4.dump" 2>"$t/frames" >"$t/frames.bad"
rc=$?
check "no text leaves its frame ($(cat "$t/frames"))" test "$rc" -eq 0
[ -s "$t/frames.bad" ] && head -3 "$t/frames.bad"

# Vertical alignment: the year stands in the middle of its frame, the place
# name at its bottom (slide 1).
awk '/^page 2 /{exit} /^  rect frame / { name = $NF; fy = substr($4, 3) + 0; fh = substr($6, 3) + 0; next }
     /^  line / && name != "" { y = substr($4, 3) + 0; h = substr($6, 3) + 0
       if (name == "name=year") mid = (y - fy) - (fy + fh - y - h)
       if (name == "name=place") bottom = fy + fh - (y + h)
       name = "" }
     END { printf "%.2f %.2f\n", mid, bottom }' "$t/s.dump" >"$t/valign"
read -r mid bottom <"$t/valign"
check "valign=middle centres the year (space above - below = $mid)" awk -v d="$mid" 'BEGIN { exit !(d > -0.05 && d < 0.05) }'
check "valign=bottom sets the place name on the frame's bottom (gap $bottom)" awk -v d="$bottom" 'BEGIN { exit !(d > -0.05 && d < 0.05) }'

# The counts of the group slides are computed from the data, two digits.
for g in nen-tang thanh-tuu su-kien nhiem-vu; do
  n=$(xmllint --xpath "count(/edition/group[@key='$g']/item)" "$data")
  printf -v want '%02d' "$n"
  check "group $g: the count $want is printed on its band" test "$(grep -c "\"$want\"\$" "$t/s.dump")" -ge 1
done

# The overview slide (page 2) shows the source's lines: its counts as typed
# ("2", not "02") and its order (2, 5, 3, 7), each name as printed.
for ((l = 1; l <= $(xmllint --xpath 'count(/edition/overview/line)' "$data"); l++)); do
  xmllint --xpath "string(/edition/overview/line[$l])" "$printed"
  echo
done | words >"$t/overview.want"
# (from the dump, in drawing order: card by card, count then name)
awk '$1 == "page" { on = ($2 == 2) } on' "$t/s.dump" >"$t/overview.dump"
dump_words "$t/overview.dump" | tail -n +4 | grep -vx '[0-9]*/[0-9]*' >"$t/overview.got" # After "Hậu Giang 2024", not its number
check "the overview slide reads $(tr '\n' ' ' <"$t/overview.want")in this order" cmp -s "$t/overview.want" "$t/overview.got"
check "the overview keeps the order 2, 5, 3, 7 and one-digit counts" \
  test "$(grep -x '[0-9]*' "$t/overview.got" | tr '\n' ' ')" = "2 5 3 7 "

# Group headings keep the source's numerals, in the text and the contents.
pdftotext -layout "$t/h.pdf" "$t/h.layout.txt" 2>/dev/null
for ((g = 1; g <= $(xmllint --xpath 'count(/edition/group)' "$data"); g++)); do
  want="$(xmllint --xpath "string(/edition/group[$g]/number)" "$data") $(xmllint --xpath "string(/edition/group[$g]/heading)" "$data")"
  toc=$(grep -c "^$want \.\.\." "$t/h.layout.txt")
  text=$(grep -cx "$want" "$t/h.layout.txt")
  check "heading \"$want\" in the contents ($toc) and the text ($text)" test "$toc" -eq 1 -a "$text" -eq 1
done
check "the contents open with \"I. 02 NỀN TẢNG\"" grep -q '^I\. 02 NỀN TẢNG \.\.\.' "$t/h.layout.txt"

# N-up: N slides a page at most, ceil(slides / per page) pages, and no
# slide text printed under 6 pt: where N slides a page would print it
# smaller, fewer go on a page, and a warning says so.
least=$(awk '/^    run / { if (!m || $6 < m) m = $6 } END { print m }' "$t/s.dump")
for n in 1 2 3 4 6; do
  "$anpham" render "$layout" --data "$data" --deck hg --handout "$n" -o "$t/n$n.pdf" --dump "$t/n$n.dump" 2>"$t/n$n.err"
  pages=$(awk 'NR == 1 { print $2 }' "$t/n$n.dump")
  most=$(awk '/^page /{ if (c > m) m = c; c = 0 } /^  group slide/{ c++ } END { if (c > m) m = c; print m }' "$t/n$n.dump")
  groups=$(grep -c '^  group slide' "$t/n$n.dump")
  printed=$(awk -v l="$least" '/^  group slide/ { w = substr($5, 3); s = l * w / 960.01; if (!m || s < m) m = s } END { printf "%.2f", m }' "$t/n$n.dump")
  check "--handout $n: $pages pages, $groups slides, at most $most a page; smallest text $printed pt" \
    test "$pages" -eq $(( (slides + most - 1) / most )) -a "$groups" -eq "$slides" -a "$most" -le "$n" -a "${printed%.*}" -ge 6
  if [ "$most" -lt "$n" ]; then
    check "…fewer than $n a page: one warning naming the handout ($(cat "$t/n$n.err"))" \
      grep -qx "$layout:[0-9]*:[0-9]*: warning: handout: $n slides per page would print their smallest text ($(printf %.1f "$least") pt) under 6 pt: printed $most per page" "$t/n$n.err"
  else
    check "…no warning" test ! -s "$t/n$n.err"
  fi
done
check "--handout 6 prints fewer than 6 a page (the deck's $least pt text would print at about 3.6 pt)" \
  test "$(awk '/^page /{ if (c > m) m = c; c = 0 } /^  group slide/{ c++ } END { if (c > m) m = c; print m }' "$t/n6.dump")" -lt 6
check "three per page has ruled lines for notes" test "$(grep -c '^  rule note-line' "$t/n3.dump")" -ge 6
check "the slides stay vector (no image in the N-up PDF)" test "$(pdfimages -list "$t/n3.pdf" 2>/dev/null | tail -n +3 | wc -l)" -eq 0

# Charts: every figure labelled the Vietnamese way, in the PDF.
pdftotext "$t/h.pdf" - 2>/dev/null | tr -s ' \n' '  ' >"$t/h.txt"
for v in 53 80,33 93,78 106,44 12,27 8,76; do
  check "chart label $v" bash -c "grep -q '\"$v\"\$' '$t/h.dump' && grep -qw -- '$v' '$t/h.txt'"
done

# The charts page: the GRDP chart (first) and the growth chart (second).
page=$(awk '/^page /{ p = $2 } /^  dest heading .*title="Biểu đồ"$/ { print p; exit }' "$t/h.dump")
awk -v p="$page" '$1 == "page" { on = ($2 == p) } on' "$t/h.dump" >"$t/charts.dump"
# The chart boxes of one chart: from its title to the next chart's title
awk '/run .*"GRDP và thu nhập bình quân đầu người"$/ { on = 1 } /run .*"Tốc độ tăng trưởng GRDP"$/ { on = 0 } on' \
  "$t/charts.dump" >"$t/grdp.dump"
awk '/run .*"Tốc độ tăng trưởng GRDP"$/ { on = 1 } on' "$t/charts.dump" >"$t/growth.dump"
# Dots (centre x, y, colour), data lines (ends, colour): not the legend's
# (legend swatches are horizontal, axes vertical; data lines here never are)
dots() { awk '/^  ellipse chart / { print substr($3, 3) + 2, substr($4, 3) + 2, $7 }' "$1"; }
data_lines() { awk '/^  segment chart / && $5 != "w=0.00" && $6 != "h=0.00" { print substr($3, 3), substr($4, 3),
  substr($3, 3) + substr($5, 3), substr($4, 3) + substr($6, 3), $7 }' "$1"; }
points=$(xmllint --xpath 'count(//series[@id="grdp-per-capita"]/point)' "$data")
dots "$t/grdp.dump" | head -n "$points" | sort -n >"$t/grdp.dots"
check "the GRDP chart has a dot per point ($(wc -l <"$t/grdp.dots") of $points)" test "$(wc -l <"$t/grdp.dots")" -eq "$points"
# Each point's quantity, in the order of its year (the dots' x order)
xmllint --xpath '//series[@id="grdp-per-capita"]/point/@quantity' "$data" | sed 's/^ *quantity="//; s/"$//' >"$t/quantity"
paste -d' ' <(cut -d' ' -f1,2 "$t/grdp.dots") "$t/quantity" >"$t/grdp.points"
data_lines "$t/grdp.dump" >"$t/grdp.lines"
awk 'NR == FNR { x[FNR] = $1; y[FNR] = $2; q[FNR] = substr($0, index($0, $3)); n = FNR; next }
  function at(px, py,   i) { for (i = 1; i <= n; i++) if ((px - x[i])^2 + (py - y[i])^2 < 0.01) return i; return 0 }
  { a = at($1, $2); b = at($3, $4); lines++
    if (!a || !b) { print "a line that joins no two points: " $0; bad++ }
    else if (q[a] != q[b]) { print "a line joins " q[a] " to " q[b]; bad++ } }
  END { exit !(bad == 0 && lines > 0) }' "$t/grdp.points" "$t/grdp.lines" >"$t/grdp.bad"
check "no line of the GRDP chart joins a 'thu nhập' point to a GRDP point ($(wc -l <"$t/grdp.lines") lines; $(head -1 "$t/grdp.bad"))" \
  test "$(wc -l <"$t/grdp.bad")" -eq 0 -a "$(wc -l <"$t/grdp.lines")" -eq 2
check "the legend names both quantities" \
  bash -c "grep -q '\"Thu nhập bình quân đầu người\"\$' '$t/grdp.dump' && grep -q '\"GRDP bình quân đầu người\"\$' '$t/grdp.dump'"
# Years at their real distance: x - x(first) proportional to year - first year
xmllint --xpath '//series[@id="grdp-per-capita"]/point/@year' "$data" | sed 's/^ *year="//; s/"$//' >"$t/years"
paste -d' ' <(cut -d' ' -f1 "$t/grdp.dots") "$t/years" |
  awk 'NR == 1 { x0 = $1; y0 = $2; next } NR == 2 { k = ($1 - x0) / ($2 - y0) }
       { d = ($1 - x0) - k * ($2 - y0); if (d > 0.01 || d < -0.01) bad++; printf "%s at %+.2f ", $2, $1 - x0 }
       END { exit bad > 0 || NR < 3 }' >"$t/years.got"
rc=$?
check "the years stand at distances proportional to them ($(cat "$t/years.got"))" test "$rc" -eq 0
check "2020 … 2023 is three times 2023 … 2024" awk '{ a = $2 - $1; b = $3 - $2; exit !(b > 0 && a / b > 2.99 && a / b < 3.01) }' \
  <(cut -d' ' -f1 "$t/grdp.dots" | tr '\n' ' ')
# The growth chart: the average is no dot of the year series, but a dashed
# reference line labelled as the average, at its value.
years=$(xmllint --xpath 'count(//series[@id="grdp-growth"]/point[not(@kind = "average")])' "$data")
check "the growth chart has a dot for each year only ($(dots "$t/growth.dump" | wc -l) dots and legend, $years years)" \
  test "$(dots "$t/growth.dump" | wc -l)" -eq $((years + 1))
check "no line joins the average: $(data_lines "$t/growth.dump" | wc -l) line (2023-2024)" \
  test "$(data_lines "$t/growth.dump" | wc -l)" -eq $((years - 1))
check "the average is labelled as such on its line" grep -q 'run .*"Bình quân 2020–2025: 9,24"$' "$t/growth.dump"
dashes=$(awk '/^  segment chart / && $6 == "h=0.00" && $5 == "w=4.00" { n[$4]++ } END { for (y in n) if (n[y] > m) m = n[y]; print m + 0 }' "$t/growth.dump")
check "the average is a dashed line across the plot ($dashes dashes)" test "$dashes" -ge 20
label_y=$(awk '/run .*"Bình quân 2020–2025: 9,24"$/ { print substr($3, 6) }' "$t/growth.dump")
dash_y=$(awk '/^  segment chart / && $6 == "h=0.00" && $5 == "w=4.00" { print substr($4, 3); exit }' "$t/growth.dump")
check "the label stands just above the dashed line (base $label_y, line $dash_y)" \
  awk -v a="$label_y" -v b="$dash_y" 'BEGIN { exit !(a < b && b - a < 6) }'

# One rule for typos: each known typo of the sources stands in the data only
# inside a <sic> with its correction (comments aside); the PDF prints the
# corrections and none of the typos (text, contents, PDF title).
perl -0pe 's/<!--.*?-->//gs' "$data" >"$t/data.nocomments"
for pair in "SỰ KIẾN:SỰ KIỆN" "TRONG TÂM:TRỌNG TÂM" "Họa mặt:Họp mặt" "3.19%:3,19%" "bình bình quân:bình quân"; do
  typo=${pair%%:*} corr=${pair#*:}
  all=$(grep -oF -- "$typo" "$t/data.nocomments" | wc -l)
  marked=$(grep -oF -- "<sic corr=\"$corr\">$typo</sic>" "$t/data.nocomments" | wc -l)
  check "typo \"$typo\": $all in the data, $marked marked <sic corr=\"$corr\">" test "$all" -ge 1 -a "$all" -eq "$marked"
  check "typo \"$typo\" is not printed" bash -c "! grep -qF -- '$typo' '$t/h.layout.txt' && ! pdftotext '$t/s.pdf' - | grep -qF -- '$typo'"
done
check "the corrections are printed (SỰ KIỆN in the title, Họp mặt, 3,19%)" \
  bash -c "grep -qF 'THÀNH TỰU, SỰ KIỆN NỔI BẬT' '$t/h.layout.txt' && grep -qF 'Họp mặt' '$t/h.txt' && grep -qF '3,19%' '$t/h.txt'"
check "the PDF title carries the correction" bash -c "pdfinfo '$t/h.pdf' | grep -q '^Title: *NỀN TẢNG, THÀNH TỰU, SỰ KIỆN NỔI BẬT'"
# No <sic> without corr=, no corr= equal to its text
check "every <sic> has a corr= that differs from its text" \
  test "$(xmllint --xpath 'count(//sic[not(@corr) or @corr = .])' "$data")" -eq 0

# Determinism.
"$anpham" render "$layout" --data "$data" -o "$t/h2.pdf" 2>/dev/null
check "a second render is byte-identical" cmp -s "$t/h.pdf" "$t/h2.pdf"
echo "pages: $(head -1 "$t/h.dump"), bytes: $(stat -c %s "$t/h.pdf")"
# The cover's title breaks between word groups, never inside the province's
# name (it read "… TỈNH HẬU" / "GIANG NĂM 2024" in a frame of 76 %).
check "cover title: 'NỀN TẢNG, THÀNH TỰU, SỰ KIỆN NỔI BẬT' / 'TỈNH HẬU GIANG NĂM 2024'" \
  test "$(pdftotext -f 1 -l 1 "$t/h.pdf" - 2>/dev/null | grep -A1 -x 'NỀN TẢNG, THÀNH TỰU, SỰ KIỆN NỔI BẬT' | tail -1)" = "TỈNH HẬU GIANG NĂM 2024"
finish
