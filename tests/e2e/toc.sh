#!/usr/bin/env bash
# Table of contents, links and outline on the 2023 report with a TOC page:
# every entry's number is the page its heading landed on, every entry links
# to its heading, and the PDF outline lists every heading.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

"$build/anpham" render "$src/tests/e2e/toc/layout.xml" --data "$src/data/2023/bao-cao-2023.xml" \
  -o "$t/toc.pdf" --dump "$t/toc.dump"
check "renders with a TOC" test $? -eq 0

# Entry numbers against the pages of the destinations (from the dump).
awk '
  /^page / { page = $2 }
  /^  dest / { for (i = 1; i <= NF; i++) if ($i ~ /^name=/) { n = substr($i, 6); dest[n] = page }
               for (i = 1; i <= NF; i++) if ($i ~ /^level=/) lvl[n] = substr($i, 7) + 0 }
  /^  line toc/ { intoc = 1; last = ""; next }
  /^  link toc/ { for (i = 1; i <= NF; i++) if ($i ~ /^name=/) entry[substr($i, 6)] = last; intoc = 0; next }
  /^  [a-z]/ { intoc = 0 }
  intoc && / label "[0-9?]+"$/ { t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t); last = t }
  END {
    want = 0; bad = 0; n = 0
    for (d in dest) if (lvl[d] <= 2) { want++; if (!(d in entry)) { bad++; print "no entry for " d } }
    for (e in entry) { n++; if (entry[e] != dest[e]) { bad++; print "entry " e " says page " entry[e] ", heading is on " dest[e] } }
    printf "%d entries for %d headings, %d wrong\n", n, want, bad > "/dev/stderr"
    exit !(bad == 0 && n == want && n > 10) }' "$t/toc.dump" 2>"$t/res"
rc=$?
check "TOC numbers are the headings' pages ($(cat "$t/res"))" test "$rc" -eq 0

# Wrapped entries hang: a numbered entry's next lines start under its
# title, right of its number ("II. KẾT QUẢ …" goes on under "KẾT").
hang=$(awk '
  function close_line() { if (intoc) { n++; xs[n] = x; nums[n] = num } intoc = 0 }
  /^  [a-z]/ { close_line() }
  /^  line toc/ { intoc = 1; x = ""; num = 0; next }
  intoc && /^    run / && x == "" { x = substr($2, 3) + 0 }
  intoc && / label "[0-9?]+"$/ { num = 1 }
  END { close_line(); start = 1
        for (i = 1; i <= n; i++) { if (start) fx = xs[i]; else printf "%s%.2f", (k++ ? " " : ""), xs[i] - fx; start = nums[i] } }' "$t/toc.dump")
check "wrapped entries hang under their titles, right of the number (by $hang pt)" \
  awk -v h="$hang" 'BEGIN { n = split(h, a, " "); if (n < 1) exit 1; for (i = 1; i <= n; i++) if (a[i] < 5 || a[i] > 30) exit 1 }'

# The PDF: link annotations and the outline (qpdf's JSON view).
qpdf --json "$t/toc.pdf" >"$t/json" 2>/dev/null
# (tagged, each footnote reference links to its note too: not counted here)
links=$(($(grep -c '"/Subtype": "/Link"' "$t/json") - $(grep -c '"/Contents": "u:Chú thích [0-9]*"' "$t/json")))
entries=$(grep -c '^  link toc' "$t/toc.dump")
check "one link annotation per TOC line and inline link ($links for $entries + 1)" test "$links" -eq $((entries + 1))
dests=$(grep -c '^  dest ' "$t/toc.dump")
outlines=$(qpdf --json --json-key=outlines "$t/toc.pdf" | grep -c '"title":')
check "outline has every heading ($outlines of $dests)" test "$outlines" -eq "$dests" -a "$dests" -gt 10
pdftotext -f 1 -l 1 "$t/toc.pdf" - 2>"$t/err" | grep -q "MỤC LỤC"
check "TOC page reads as one (title extracted, no warning)" test $? -eq 0 -a ! -s "$t/err"
finish
