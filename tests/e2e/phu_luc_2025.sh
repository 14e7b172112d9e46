#!/usr/bin/env bash
# The 2025 term edition (issue 5, reviewed in issue 12 §3): PHỤ LỤC 3 and its
# indicator table, in the portrait and the landscape variant; and the 2015-2020 summary with its
# targets, printed once (issue 12 §3: the table that repeated them is gone).
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
anpham=$build/anpham
layout=$src/layouts/phu-luc.xml
data=$src/data/2025/phu-luc-2025.xml

"$anpham" render "$layout" --data "$data" -o "$t/p.pdf" --dump "$t/p.dump" 2>"$t/err"
check "portrait renders with no message" test $? -eq 0 -a ! -s "$t/err"
"$anpham" render "$layout" --data "$data" --set table=landscape -o "$t/l.pdf" --dump "$t/l.dump" 2>"$t/err"
check "landscape renders with no message" test $? -eq 0 -a ! -s "$t/err"

# The full text of the appendix, in order, as printed: each <sic corr="…">
# as its correction (data/README.md).
sic_copies "$data" "$t/source.xml" "$t/printed.xml"
"$build/tests/seedwords2025" data "$t/printed.xml" >"$t/text.words"
pdf_words "$t/p.pdf" >"$t/p.words"
check "every word of PHỤ LỤC 3 is in the PDF, in order ($(wc -l <"$t/text.words") words)" subsequence "$t/text.words" "$t/p.words"

# The typos of seed 002 stay in the data, each marked with its correction,
# which both variants print; the landscape table also prints the quote with
# "gảm". The target quotes (seed 003's "Phần đầu") are in no table.
pdf_words "$t/l.pdf" >"$t/l.words"
typos=("nổ lực lớn:nỗ lực lớn" "Hạ tầng hạ tầng giao thông, công nghiêp:Hạ tầng giao thông, công nghiệp"
  "gảm bình quân:giảm bình quân" "75 cuốc diễn tập:75 cuộc diễn tập")
check_typos "$data" "$t/p.words" "${typos[@]}"
check_typos "$data" "$t/l.words" "${typos[@]}"
check "the landscape table quotes \"giảm bình quân hàng năm 1,4%\"" \
  test "$(tr '\n' ' ' <"$t/l.words" | grep -oF 'giảm bình quân hàng năm 1,4%' | wc -l)" -eq 2
check_typos "$data" - "Phần đầu đến năm 2025:Phấn đấu đến năm 2025"

# The table's cells, row by row, as the data has them: the groups and the
# indicators that have a result (issue 12 §3: no row of "chưa có số liệu").
xmllint --xpath '//indicator' "$data" >/dev/null 2>&1 || { bad "no indicators in the data"; finish; exit 1; }
n=$(xmllint --xpath 'count(//indicator[result])' "$data")
{
  k=0
  for g in $(seq 1 "$(xmllint --xpath 'count(//indicators/group)' "$data")"); do
    [ "$(xmllint --xpath "boolean(//indicators/group[$g]/indicator/result)" "$data")" = true ] || continue
    xmllint --xpath "string(//indicators/group[$g]/@name)" "$data"; echo
    for i in $(seq 1 "$(xmllint --xpath "count(//indicators/group[$g]/indicator)" "$data")"); do
      x="//indicators/group[$g]/indicator[$i]"
      [ "$(xmllint --xpath "boolean($x/result)" "$data")" = true ] || continue
      k=$((k + 1))
      echo "$k"
      echo "$(xmllint --xpath "string($x/name)" "$data") ($(xmllint --xpath "string($x/unit)" "$data"))"
      xmllint --xpath "string($x/target)" "$data"; echo
      r=$(xmllint --xpath "string($x/result)" "$data")
      u=$(xmllint --xpath "string($x/result/@unit)" "$data"); [ -n "$u" ] && r="$r $u"
      sh=$(xmllint --xpath "string($x/result/@share)" "$data"); [ -n "$sh" ] && r="$r ($sh%)"
      [ "$(xmllint --xpath "string($x/result/@estimated)" "$data")" = true ] && r="$r (ước)"
      echo "$r"
      xmllint --xpath "string($x/evaluation)" "$data"; echo
    done
  done
} | words >"$t/want"
awk '/^  [a-z]/ { keep = ($1 == "line" && $2 == "cell") } keep' "$t/p.dump" | sed '1i pages 0' >"$t/cells.dump"
dump_words "$t/cells.dump" all >"$t/got"
if cmp -s "$t/want" "$t/got"; then ok "table cells = data, cell by cell in row order ($n indicators with a result)"
else bad "table cells differ from the data"; diff "$t/want" "$t/got" | head -6; fi
for f in p l; do
  check "$f: no \"chưa có số liệu\" and no \"Tài liệu 00…\" (a file number) printed" \
    bash -c "! tr '\n' ' ' <'$t/$f.words' | grep -Eq 'chưa có số liệu|Tài liệu 00'"
done

# The indicators without a result are listed under the table, each by its
# number in the summary (seed 003) and its name; the note gives the
# resolution's 18 targets and the appendix's "18/18", and cites both
# sources by their titles.
pdftotext -raw "$t/p.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$t/p.raw"
missing=$(xmllint --xpath 'count(//indicator[not(result)])' "$data")
listed=0
for i in $(seq 1 "$missing"); do
  x="(//indicator[not(result)])[$i]"
  item="($(xmllint --xpath "string($x/@target-no)" "$data")) $(xmllint --xpath "string($x/name)" "$data")"
  grep -qF -- "- $item (" "$t/p.raw" && listed=$((listed + 1))
done
check "the $missing indicators without a result are listed under the table ($listed)" test "$listed" -eq "$missing" -a "$missing" -gt 0
check "the note counts the resolution's 18 targets and quotes \"18/18\"" \
  bash -c "grep -qF 'Nghị quyết Đại hội có 18 chỉ tiêu chủ yếu' '$t/p.raw' && grep -qF 'đạt và vượt 18/18 chỉ tiêu' '$t/p.raw'"
check "the note says the table holds the $n indicators with a result" grep -qF "Bảng trên gồm $n chỉ tiêu có số liệu kết quả" "$t/p.raw"
check "both sources are cited by their titles" \
  bash -c "grep -qF 'theo Tóm tắt Báo cáo chính trị của Ban Chấp hành Đảng bộ tỉnh' '$t/p.raw' && grep -qF 'theo Phụ lục 3 “Kết quả nổi bật của Đảng bộ tỉnh Hậu Giang' '$t/p.raw'"
check "the commune target reads in its unit: 42/51 xã (82,35%), the share said to be computed" \
  bash -c "grep -qF '42/51 xã (82,35%)' '$t/p.raw' && grep -qF 'Tỷ lệ xã nông thôn mới 82,35% được tính từ số liệu 42/51 xã' '$t/p.raw'"

# The counts the layout computes equal the counts in the data.
for e in vượt đạt "không đạt"; do
  want=$(xmllint --xpath "count(//indicator[evaluation = '$e'])" "$data")
  got=$(pdftotext -raw "$t/p.pdf" - 2>/dev/null | tr '\n' ' ' | grep -o "(vượt: [0-9]*, đạt: [0-9]*, không đạt: [0-9]*)" | sed "s/.*$e: \([0-9]*\).*/\1/; t; s/.*//" )
  [ "$e" = "đạt" ] && got=$(pdftotext -raw "$t/p.pdf" - 2>/dev/null | tr '\n' ' ' | grep -o ", đạt: [0-9]*" | grep -o '[0-9]*')
  check "count of '$e' printed = $want in the data (printed $got)" test "$got" = "$want"
done

# Landscape: the table on A4 landscape pages, its header on each page that
# holds its cells.
tpages=$(awk '/^page /{p=$2; land=($3 == "w=841.89")} land && /"Nguồn"$/ { s[p] = 1 } END { n = 0; for (k in s) n++; print n }' "$t/l.dump")
cpages=$(awk '/^page /{p=$2; land=($3 == "w=841.89")} land && /^  line cell/ { s[p] = 1 } END { n = 0; for (k in s) n++; print n }' "$t/l.dump")
lpages=$(grep -c '^page [0-9]* w=841.89 h=595.28$' "$t/l.dump")
check "the landscape table's header stands on each of its $cpages pages ($tpages)" test "$cpages" -ge 1 -a "$tpages" -eq "$cpages"
check "the table and its notes are on A4 landscape pages only ($lpages), after the portrait text" \
  test "$lpages" -ge 1 -a "$(awk '/^page /{ if ($3 == "w=841.89") l = 1; else if (l) bad = 1 } END { print bad + 0 }' "$t/l.dump")" -eq 0
for f in p l; do
  check "$f: qpdf --check is clean, no poppler warning" bash -c "qpdf --check '$t/$f.pdf' >/dev/null 2>&1 && pdftotext '$t/$f.pdf' /dev/null 2>&1 | (! grep -q .)"
done

# The 2015-2020 summary: its words in order, and its targets once.
s_data=$src/data/2020/tom-tat-2020.xml
"$anpham" render "$src/layouts/tom-tat.xml" --data "$s_data" -o "$t/s.pdf" --dump "$t/s.dump" 2>"$t/err"
check "the 2020 summary renders with no message" test $? -eq 0 -a ! -s "$t/err"
sic_copies "$s_data" "$t/s.source.xml" "$t/s.printed.xml"
"$build/tests/seedwords2020" data "$t/s.printed.xml" >"$t/s.words"
pdf_words "$t/s.pdf" >"$t/s.pdf.words"
check "every word of the 2020 summary is in the PDF, in order ($(wc -l <"$t/s.words") words)" subsequence "$t/s.words" "$t/s.pdf.words"
# The typos of seed 003 stay in the data, each marked; the summary prints
# the corrections (target (11) once, in the text).
check_typos "$s_data" "$t/s.pdf.words" "PHẤN ĐÁU CUỐI:PHẤN ĐẤU CUỐI" "ĐẠT KHẢ”:ĐẠT KHÁ”" \
  "Tình quan tâm:Tỉnh quan tâm" "ngoại, tinh thực hiện:ngoại, tỉnh thực hiện" \
  "chính chuyên biến:chính chuyển biến" "và phê binh vẫn:và phê bình vẫn" \
  "Phần đầu đến năm 2025:Phấn đấu đến năm 2025" "thể thao thể mạnh:thể thao thế mạnh" \
  "sức khỏe, tâm vóc:sức khỏe, tầm vóc"
check "target (11) prints \"Phấn đấu\" once, in the text" \
  test "$(tr '\n' ' ' <"$t/s.pdf.words" | grep -oF 'Phấn đấu đến năm 2025, số hộ' | wc -l)" -eq 1
check "no table repeats the targets (no table cell in the summary)" test "$(grep -c '^  line cell' "$t/s.dump")" -eq 0
check "part two restarts the section numbers (a second \"I.\")" test "$(grep -c '"I\."$' "$t/s.dump")" -ge 2
finish
