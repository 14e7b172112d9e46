#!/usr/bin/env bash
# End to end on the 2023 report (seed 004): render, then check the PDF the
# way a reader's tools see it: words, fonts, structure, footnote pages,
# determinism.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
anpham=$build/anpham
layout=$src/layouts/bao-cao.xml
data=$src/data/2023/bao-cao-2023.xml

"$anpham" render "$layout" --data "$data" -o "$t/a.pdf" --dump "$t/a.dump" 2>"$t/err"
check "renders with exit 0 and no message" test $? -eq 0 -a ! -s "$t/err"
[ -s "$t/a.pdf" ] || { bad "no PDF written"; finish; exit 1; }

# Layout keeps every data word, in order: the dump's words without the
# labels the layout adds (numbers, markers, page numbers) are the data's as
# printed, each <sic corr="…"> as its correction (data/README.md).
sic_copies "$data" "$t/source.xml" "$t/printed.xml"
"$build/tests/seedwords" data "$t/printed.xml" >"$t/data.words"
{ dump_words "$t/a.dump" body nolabels; dump_words "$t/a.dump" notes nolabels; } >"$t/dump.words"
if cmp -s "$t/data.words" "$t/dump.words"; then ok "layout words = data words as printed ($(wc -l <"$t/data.words"))"
else bad "layout words differ from data words"; diff "$t/data.words" "$t/dump.words" | head -20; fi

# The typos of seed 004 stay in the data, each marked with its correction,
# which the report prints (in the text and in the footnotes).
check_typos "$data" "$t/dump.words" \
  "ngày16/10/2023:ngày 16/10/2023" "trong bồi thương, hỗ trợ:trong bồi thường, hỗ trợ" \
  "Nhân nhân tham gia:Nhân dân tham gia" "của chỉnh quyền tỉnh:của chính quyền tỉnh" \
  "lấy phiến tín nhiệm:lấy phiếu tín nhiệm" "GRDP bình bình quân:GRDP bình quân" \
  "tăng 6,37 so:tăng 6,37% so" "tăng 5,36 so:tăng 5,36% so" \
  "giai đoạn 2023 - 2045,:giai đoạn 2023 - 2025," "phát riển ổn định:phát triển ổn định" \
  "khu vực phủ tỉnh:khu vực phòng thủ tỉnh" "cụ thế hoá:cụ thể hoá" \
  "Thu nhập bình bình quân:Thu nhập bình quân" "ảnh hướng đến:ảnh hưởng đến" \
  "trang fanpape:trang fanpage" "thiệu tìm năng:thiệu tiềm năng" "trên địa tỉnh:trên địa bàn tỉnh"

# The PDF says what the layout placed, page by page: pdftotext -raw follows
# the content stream, which render writes in the dump's order. Compared
# without white space, because pdftotext splits a word after a raised
# footnote number ("hội1" "."): the word boundaries are checked above.
pdftotext -raw -enc UTF-8 "$t/a.pdf" "$t/a.txt" 2>"$t/pdftotext.err"
check "pdftotext prints no warning" test ! -s "$t/pdftotext.err"
[ -s "$t/pdftotext.err" ] && head -3 "$t/pdftotext.err"
pages=$(awk 'NR == 1 { print $2 }' "$t/a.dump")
same=0
for p in $(seq 1 "$pages"); do
  pdftotext -raw -enc UTF-8 -f "$p" -l "$p" "$t/a.pdf" - 2>/dev/null | words | tr -d '\n' >"$t/pdf.$p"
  awk -v p="$p" '/^page /{on = ($2 == p)} on' "$t/a.dump" >"$t/dump.$p"
  dump_words "$t/dump.$p" all | tr -d '\n' >"$t/lay.$p"
  if cmp -s "$t/pdf.$p" "$t/lay.$p"; then same=$((same + 1)); else echo "page $p differs:"; diff <(fold -w 80 "$t/lay.$p") <(fold -w 80 "$t/pdf.$p") | head -6; fi
done
check "PDF text = layout text on every page ($same of $pages)" test "$same" -eq "$pages" -a "$pages" -gt 1

# Fonts embedded and subset; structure valid.
pdffonts "$t/a.pdf" >"$t/fonts" 2>&1
nf=$(tail -n +3 "$t/fonts" | wc -l)
ne=$(tail -n +3 "$t/fonts" | awk '$(NF-4) == "yes"' | wc -l)
check "every font embedded ($ne of $nf)" test "$nf" -gt 0 -a "$nf" -eq "$ne"
check "qpdf --check is clean" qpdf --check "$t/a.pdf" >/dev/null 2>&1

# Footnotes: 57, each number on the page of its note.
awk '
  /^page / { page = $2 }
  /^  [a-z]/ { role = $2 }
  / label "/ { t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
    if (role == "note") note[t] = page; else if (role != "header" && role != "footer" && t ~ /^[0-9]+$/) ref[t] = page }
  END { n = 0; bad = 0
    for (k in note) { n++; if (!(k in ref) || ref[k] != note[k]) { bad++; print "footnote " k ": ref page " ref[k] ", note page " note[k] } }
    print n " notes, " bad " off their page" > "/dev/stderr"; exit !(n == 57 && bad == 0) }' "$t/a.dump" 2>"$t/fn"
rc=$?
check "57 footnotes, each on the page of its reference ($(cat "$t/fn"))" test "$rc" -eq 0

# Nothing crosses the bottom margin (A4, 20 mm) but the page furniture.
over=$(awk '/^  line/ && $2 != "header" && $2 != "footer" {y=substr($4,3)+0; h=substr($6,3)+0; if (y+h > 841.89 - 56.69 + 0.01) n++} END{print n+0}' "$t/a.dump")
check "no line crosses the bottom margin ($over)" test "$over" -eq 0

# Widows and orphans: a paragraph broken across pages leaves at least two
# lines on each; no page ends with a heading.
awk '
  function endpage() { if (lastrole == "heading") { print "page " page " ends with a heading"; bad++ } }
  /^page / { endpage(); page = $2; first = 1; lastrole = ""; next }
  /^  line (body|heading) / && / par=/ {
    split($0, a, "line="); split(a[2], b, "[/ ]"); l = b[1] + 0; n = b[2] + 0
    if (first && l > 1 && (l - 1 < 2 || n - l + 1 < 2)) { print "page " page ": line " l " of " n; bad++ }
    first = 0; lastrole = $2 }
  END { endpage(); exit bad > 0 }' "$t/a.dump" >"$t/wo"
rc=$?
check "no widow, orphan or stranded heading$( [ -s "$t/wo" ] && echo ": $(head -3 "$t/wo" | tr '\n' ';')")" test "$rc" -eq 0

# Same inputs, same bytes: kept whole for the dump and painted on the main
# thread (a.pdf); streamed, its faces read from the cache a first render
# filled, painted on a second thread while layout goes on (b.pdf); each
# job of a batch of two kept to one thread (docs/command-line.md#threads).
export ANPHAM_CACHE_DIR=$t/cache
"$anpham" render "$layout" --data "$data" -o "$t/warm.pdf" 2>/dev/null
"$anpham" render "$layout" --data "$data" -o "$t/b.pdf" 2>/dev/null
check "a second render (painted on a second thread) is byte-identical" cmp -s "$t/a.pdf" "$t/b.pdf"
mkdir "$t/jobs"
cp "$data" "$t/jobs/r1.xml"
cp "$data" "$t/jobs/r2.xml"
"$anpham" batch "$layout" --data "$t/jobs/r1.xml" "$t/jobs/r2.xml" -o "$t/batch" --jobs 2 --quiet 2>/dev/null
check "a batch job on one thread makes the same bytes" cmp -s "$t/a.pdf" "$t/batch/r1.pdf"
unset ANPHAM_CACHE_DIR

# Page 2 onwards numbered at the top; page 1 not.
check "page 1 has no header" bash -c "awk '/^page 2 /{exit} / header /{f=1} END{exit f}' '$t/a.dump'"
check "page 2 shows its number in the header" bash -c "awk '/^page 2 /{p=1;next} /^page /{p=0} p && / header /{h=1;next} p && h && /\"2\"/{f=1} /^  /{h=0} END{exit !f}' '$t/a.dump'"

# The loosest justified line stays readable.
maxr=$(awk '/^  line body/ { r = substr($7, 7) + 0; if (r > m) m = r } END { printf "%.2f", m }' "$t/a.dump")
check "loosest body line ratio $maxr <= 2" awk -v r="$maxr" 'BEGIN { exit !(r <= 2) }'

echo "pages: $(head -1 "$t/a.dump"), bytes: $(stat -c %s "$t/a.pdf")"
finish
