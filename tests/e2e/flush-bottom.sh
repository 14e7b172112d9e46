#!/usr/bin/env bash
# Flush bottom (docs/layout-language.md, "Flush bottom"), checked on the
# positions of the --dump: a page the text runs on from ends at its bottom
# margin, the space between its paragraphs stretched (each gap at most twice
# its size, all gaps of a page alike); the page before a forced break and the
# last page keep their natural gaps. The 2020 summary's pages (ragged
# between 20 and 42 mm before) end at its 20 mm margin.
# Usage: flush-bottom.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: flush-bottom.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: flush-bottom.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$anpham" render "$src/tests/e2e/flush-bottom/layout.xml" -o "$tmp/t.pdf" --dump "$tmp/t.dump" 2>"$tmp/err"
check "renders (exit $?, no message)" test $? -eq 0 -a ! -s "$tmp/err"

# Per page: its number, the bottom of its last body line, and the gaps
# between paragraphs (top of a first line minus the bottom of the line
# before), comma-separated.
pages() {
  awk '
    function flush() { if (p) printf "%d %.2f %s\n", p, bottom, gaps; gaps = ""; bottom = 0 }
    /^page / { flush(); p = $2; next }
    /^  line body / {
      for (i = 1; i <= NF; i++) { if ($i ~ /^y=/) y = substr($i, 3); if ($i ~ /^h=/) h = substr($i, 3) }
      if ($0 ~ / line=1\// && bottom > 0) gaps = gaps (gaps == "" ? "" : ",") sprintf("%.2f", y - bottom)
      bottom = y + h
    }
    END { flush() }' "$1"
}
pages "$tmp/t.dump" >"$tmp/pages"

# The test layout: A5 (595.28 pt high), 15 mm margins: the text area ends
# at 552.76 pt; 6 pt before each paragraph.
row() { sed -n "${1}p" "$tmp/pages"; }
check "four pages" test "$(wc -l <"$tmp/pages")" -eq 4
for p in 1 3; do
  read -r _ bottom gaps <<<"$(row $p)"
  check "page $p (the text runs on) ends at the bottom margin ($bottom)" \
    awk -v b="$bottom" 'BEGIN { exit !(b > 552.70 && b < 552.80) }'
  check "page $p's gaps are stretched alike (within 0.02 pt), none past twice 6 pt ($gaps)" \
    awk -v g="$gaps" 'BEGIN { n = split(g, a, ","); if (n < 2) exit 1
      for (i = 1; i <= n; i++) if (a[i] <= 6.01 || a[i] > 12.01 || a[i] - a[1] > 0.02 || a[1] - a[i] > 0.02) exit 1 }'
done
for p in 2 4; do
  read -r _ bottom gaps <<<"$(row $p)"
  what=$([ $p = 2 ] && echo "before a page break" || echo "the last page")
  check "page $p ($what) keeps its natural gaps ($gaps)" \
    awk -v g="$gaps" 'BEGIN { n = split(g, a, ","); if (n < 1) exit 1
      for (i = 1; i <= n; i++) if (a[i] != "6.00") exit 1 }'
  check "page $p ($what) ends above the margin ($bottom)" \
    awk -v b="$bottom" 'BEGIN { exit !(b < 552) }'
done

# The 2020 summary: every page but the last ends at 20 mm from the edge.
"$anpham" render "$src/layouts/tom-tat.xml" --data "$src/data/2020/tom-tat-2020.xml" \
  -o "$tmp/s.pdf" --dump "$tmp/s.dump" 2>"$tmp/err"
check "the 2020 summary renders (exit $?, no message)" test $? -eq 0 -a ! -s "$tmp/err"
pages "$tmp/s.dump" >"$tmp/spages"
n=$(wc -l <"$tmp/spages")
ragged=$(awk -v n="$n" 'NR < n { mm = (841.89 - $2) * 25.4 / 72; if (mm > 20.1) printf "%s%d (%.0f mm)", (k++ ? ", " : ""), $1, mm }' "$tmp/spages")
check "the 2020 summary's $((n - 1)) running pages end at 20 mm${ragged:+ (ragged: $ragged)}" test -z "$ragged" -a "$n" -gt 10

finish
