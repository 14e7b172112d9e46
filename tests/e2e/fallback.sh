#!/usr/bin/env bash
# Characters Liberation Serif lacks (✓ ★, a combining harpoon with its base)
# are set in the fallback family DejaVu Sans: embedded, given back by
# pdftotext, shown in the dump, reported by one warning; the Vietnamese
# text (and →, which Liberation has) stays in Liberation.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$src" || exit 1
dir=tests/e2e/fallback

"$build/anpham" render $dir/layout.xml --data $dir/data.xml -o "$t/f.pdf" --dump "$t/f.dump" 2>"$t/err"
check "renders" test $? -eq 0
want="$dir/layout.xml:9:39: warning: 'serif' has no glyph for ✓ (U+2713), ★ (U+2605), ◌⃐ (U+20D0): set in 'symbols' (DejaVuSans.ttf)"
check "one warning naming the characters, their code points and the first place" \
  test "$(cat "$t/err")" = "$want"
"$build/anpham" check $dir/layout.xml --data $dir/data.xml 2>"$t/check.err"
check "check warns alike" test $? -eq 0 -a "$(cat "$t/check.err")" = "$want"

# The PDF embeds a subset of DejaVu Sans beside Liberation...
fonts=$(pdffonts "$t/f.pdf" | awk 'NR > 2 {sub(/^[A-Z]+\+/, "", $1); print $1, $(NF-4), $(NF-3)}' | sort | tr '\n' ';')
check "DejaVuSans and Liberation embedded as subsets ($fonts)" \
  test "$fonts" = "DejaVuSans yes yes;LiberationSerif yes yes;LiberationSerif-Bold yes yes;"

# ...and its text layer gives every character back...
pdftotext -enc UTF-8 "$t/f.pdf" "$t/f.txt"
for s in "Đã hoàn thành ✓ chỉ tiêu ★★★ → vượt kế" "Vectơ x⃐ và đạt ✓ trong năm."; do
  check "pdftotext gives back \"$s\"" grep -qF "$s" "$t/f.txt"
done

# ...set in the runs the dump shows: the symbols (the harpoon with its x) in
# DejaVu, in the regular face for want of a bold one; everything else in Liberation.
runs=$(grep -o 'DejaVuSans 12.00 ".*"' "$t/f.dump" | tr '\n' ';')
check "DejaVu runs are ✓, ★★★, x⃐, ✓ ($runs)" \
  test "$runs" = 'DejaVuSans 12.00 "✓";DejaVuSans 12.00 "★★★";DejaVuSans 12.00 "x⃐";DejaVuSans 12.00 "✓";'
check "→ and the Vietnamese words stay in Liberation" grep -qF 'LiberationSerif 12.00 "→ vượt kế"' "$t/f.dump"
check "bold text stays in Liberation Bold" grep -qF 'LiberationSerif-Bold 12.00 "đạt"' "$t/f.dump"

# A chart: its title (and the legend repeating it) and a category label
# with symbols are set whole in DejaVu, the other label and the numbers in
# Liberation.
"$build/anpham" render $dir/chart.xml --data $dir/chart-data.xml -o "$t/c.pdf" --dump "$t/c.dump" 2>"$t/c.err"
check "a chart with symbols renders" test $? -eq 0
check "…with the warning for its labels" grep -qF "warning: 'serif' has no glyph for ★ (U+2605), ✓ (U+2713): set in 'symbols'" "$t/c.err"
dj=$(grep -cE 'DejaVuSans [0-9.]+ "(Chỉ tiêu ★|✓ Đạt)"$' "$t/c.dump")
check "…its title, legend and the ✓ label in DejaVu ($dj runs)" test "$dj" -eq 3
check "…the other label in Liberation" grep -qE 'LiberationSerif [0-9.]+ "Chưa đạt"$' "$t/c.dump"
check "…the numbers in Liberation" grep -qE 'LiberationSerif [0-9.]+ label "12"$' "$t/c.dump"
pdftotext -enc UTF-8 "$t/c.pdf" "$t/c.txt"
check "…and pdftotext gives back ★ and ✓" sh -c "grep -qF '★' '$t/c.txt' && grep -qF '✓ Đạt' '$t/c.txt'"
finish
