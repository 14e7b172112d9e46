#!/usr/bin/env bash
# The built-in forms (issue 12 §1; docs/forms.md): a Party notice in the
# form of HD 36 (tests/e2e/forms/party.xml) and a state công văn and
# quyết định in the form of NĐ 30 (state.xml), checked on the positions of
# the --dump and on the text pdftotext reads: the header block's lines and
# columns, the rule under ĐẢNG CỘNG SẢN VIỆT NAM (and under Tiêu ngữ, the
# issuing body, the summary), place and date with the leading zeros of NĐ
# 30, the number with its hyphen or slash, "./.", the recipients' hanging
# indent, the signature block on the page of the last paragraph, the
# form's margins and page numbers, a layout's overrides, and the errors.
# Usage: forms.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: forms.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: forms.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v pdftotext >/dev/null || { echo "SKIP: poppler-utils missing"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=off
f=$src/tests/e2e/forms

# Every run of a dump, one row each: page, x, baseline, width, font, size,
# label (1: the layout's own words), text.
runs() {
  awk -v OFS='\t' '/^page / { p = $2 }
    /^    run / { t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t)
                  print p, substr($2, 3) + 0, substr($3, 6) + 0, substr($4, 3) + 0, $5, $6, ($0 ~ / label "/), t }' "$1"
}
# 'field N TEXT FILE' - field N of the first run whose text is TEXT.
field() { runs "$3" | awk -F'\t' -v n="$1" -v t="$2" '$8 == t { print $n; exit }'; }
# Rules of a dump: page, x, y, width.
rules() { awk -v OFS='\t' '/^page / { p = $2 } /^  rule / { print p, substr($3, 3) + 0, substr($4, 3) + 0, substr($5, 3) + 0 }' "$1"; }
# 'near A B [TOL]' - |A - B| <= TOL (0.05 by default).
near() { awk -v a="$1" -v b="$2" -v t="${3:-0.05}" 'BEGIN { d = a - b; exit !(d <= t && -d <= t) }'; }
# 'less A B' - A < B.
less() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
# The text of a PDF's page, words joined by one space per line.
text_of() { pdftotext -layout -enc UTF-8 "$@" - 2>/dev/null | sed 's/\xc2\xa0/ /g; s/  */ /g; s/^ //; s/ $//'; }

# --- HD 36: a Party notice ---------------------------------------------------

render_checked party "$f/party.xml" "$f/party-data.xml"
text_of "$tmp/party.pdf" >"$tmp/party.txt"
for line in "ĐẢNG BỘ KHỐI THỬ NGHIỆM ĐẢNG CỘNG SẢN VIỆT NAM" "ĐẢNG ỦY CƠ QUAN" "THỬ NGHIỆM" "*" \
            "Số 07-TB/ĐU" "Vị Thanh, ngày 05 tháng 02 năm 2024" "THÔNG BÁO" \
            "về việc thử các phần của mẫu văn bản" "-----" "Nơi nhận: T/M BAN THƯỜNG VỤ" "Nguyễn Văn A"; do
  check "party: the PDF has the line '$line'" grep -qxF -- "$line" "$tmp/party.txt"
done
check "party: no closing './.' where end= is not given" bash -c "! grep -qF './.' '$tmp/party.txt'"

# The header: two columns at the top margin (20 mm = 56.69 pt), the Party's
# title at the right, bold 15 pt, above place and date; the parent and
# issuing body at the left, the issuing body bold, the asterisk under it.
party_x=$(field 2 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/party.dump")
party_w=$(field 4 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/party.dump")
party_base=$(field 3 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/party.dump")
check "party: ĐẢNG CỘNG SẢN VIỆT NAM bold 15 pt" \
  test "$(field 5 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/party.dump") $(field 6 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/party.dump")" = "LiberationSerif-Bold 15.00"
check "party: the first lines of both columns on one baseline ($(field 3 "ĐẢNG BỘ KHỐI THỬ NGHIỆM" "$tmp/party.dump") = $party_base)" \
  near "$(field 3 "ĐẢNG BỘ KHỐI THỬ NGHIỆM" "$tmp/party.dump")" "$party_base" 0.005
check "party: the taller first line at the top margin" \
  test "$(awk '/^page 2/ { exit } /^  line / { y = substr($4, 3) + 0; if (!n++ || y < m) m = y } END { printf "%.2f", m }' "$tmp/party.dump")" = "56.69"
check "party: the parent body on the first line, at the left, on the title's row" \
  less "$(field 2 "ĐẢNG BỘ KHỐI THỬ NGHIỆM" "$tmp/party.dump")" "$party_x"
check "party: the issuing body bold" test "$(field 5 "ĐẢNG ỦY CƠ QUAN" "$tmp/party.dump")" = LiberationSerif-Bold
star_base=$(field 3 "*" "$tmp/party.dump")
check "party: the asterisk under the issuing body, above the number" \
  eval 'less "$(field 3 "THỬ NGHIỆM" "$tmp/party.dump")" "$star_base" && less "$star_base" "$(field 3 "Số" "$tmp/party.dump")"'

# The rule under the title: as long as the title, under it, above the date.
read -r rp rx ry rw < <(rules "$tmp/party.dump" | head -n 1)
check "party: a rule as long as ĐẢNG CỘNG SẢN VIỆT NAM ($rw = $party_w) at its x ($rx = $party_x)" \
  eval 'near "$rw" "$party_w" && near "$rx" "$party_x"'
check "party: the rule below the title's baseline ($party_base < $ry) and above place and date" \
  eval 'less "$party_base" "$ry" && less "$ry" "$(awk '"'"'/^  line / && $2 == "body" { y = substr($4, 3) } /Vị Thanh/ { print y; exit }'"'"' "$tmp/party.dump")"'

# Place and date in italics, the number's parts in the layout's words.
check "party: place and date in italics" test "$(field 5 "Vị Thanh" "$tmp/party.dump")" = LiberationSerif-Italic
check "party: 'Số' and '-' are the form's words, '07' and 'TB/ĐU' the data's" \
  test "$(field 7 "Số" "$tmp/party.dump")$(field 7 "-" "$tmp/party.dump")$(field 7 "07" "$tmp/party.dump")$(field 7 "TB/ĐU" "$tmp/party.dump")" = 1100

# Recipients: the wrapped lines of an entry start under its text, right of
# its "-"; the label at the column's left.
runs "$tmp/party.dump" | awk -F'\t' '$6 == "12.00"' >"$tmp/recipients"
marker_x=$(awk -F'\t' '$7 == 1 && $8 == "-" { print $2; exit }' "$tmp/recipients")
first_text_x=$(awk -F'\t' '$7 == 1 && $8 == "-" { getline; print $2; exit }' "$tmp/recipients")
# The second line of the second entry: the first run whose baseline follows
# the second marker's line and is no marker.
hang_x=$(awk -F'\t' '$7 == 1 && $8 == "-" { m++; mb = $3; next } m == 2 && $3 > mb { print $2; exit }' "$tmp/recipients")
check "party: three recipients in 12 pt, each after a '-'" test "$(awk -F'\t' '$7 == 1 && $8 == "-"' "$tmp/recipients" | wc -l)" -eq 3
check "party: a wrapped recipient hangs under its text ($hang_x = $first_text_x, right of the marker at $marker_x)" \
  eval 'near "$hang_x" "$first_text_x" && less "$marker_x" "$hang_x"'
check "party: 'Nơi nhận:' at the left margin" \
  near "$(field 2 "Nơi nhận:" "$tmp/party.dump")" 85.04

# The signature block at the right: authority and position bold in
# capitals, the name under the room left for the signature (25 mm).
pos_base=$(field 3 "BÍ THƯ" "$tmp/party.dump")
name_base=$(field 3 "Nguyễn Văn A" "$tmp/party.dump")
check "party: T/M BAN THƯỜNG VỤ, BÍ THƯ bold, right of the recipients" \
  eval 'test "$(field 5 "T/M BAN THƯỜNG VỤ" "$tmp/party.dump")" = LiberationSerif-Bold && less 320 "$(field 2 "BÍ THƯ" "$tmp/party.dump")"'
check "party: the name at least 25 mm (70.87 pt) under the position ($pos_base, $name_base)" \
  less "$(awk -v a="$pos_base" 'BEGIN { print a + 70.87 }')" "$name_base"

# Dates as NĐ 30 writes them: the day below 10 and months 1 and 2 with a
# zero; a draft's year alone leaves day and month blank; a bad date fails.
for d in "2024-11-20:ngày 20 tháng 11 năm 2024" "2024-03-09:ngày 09 tháng 3 năm 2024" \
         "2025-01-15:ngày 15 tháng 01 năm 2025" "2024-12-01:ngày 01 tháng 12 năm 2024"; do
  "$anpham" render "$f/party.xml" --data "$f/party-data.xml" --set "date=${d%%:*}" -o "$tmp/d.pdf" 2>"$tmp/d.err"
  check "date ${d%%:*}: 'Vị Thanh, ${d#*:}'" grep -qxF "Vị Thanh, ${d#*:}" <(text_of "$tmp/d.pdf")
done
"$anpham" render "$f/party.xml" --data "$f/party-data.xml" --set date=2023 --set num= -o "$tmp/d.pdf" 2>"$tmp/d.err"
check "a draft (date=2023, no number): day, month and number left blank" \
  eval 'grep -qxF "Vị Thanh, ngày tháng năm 2023" <(text_of "$tmp/d.pdf") && grep -qxF "Số -TB/ĐU" <(text_of "$tmp/d.pdf")'
"$anpham" render "$f/party.xml" --data "$f/party-data.xml" --set date=2024-02-30 -o "$tmp/d.pdf" 2>"$tmp/d.err"
check "date=2024-02-30 fails with one message naming the date" \
  eval 'test $(wc -l <"$tmp/d.err") -eq 1 && grep -q "party.xml:[0-9]*:[0-9]*: error: date=\"2024-02-30\": expected an ISO 8601 date" "$tmp/d.err"'

# A long notice: page numbers from page 2 centred at the top, none on page
# 1; the signature block on the last page with the last paragraph.
render_checked long "$f/party.xml" "$f/party-data.xml" --set n=40
pages=$(awk '/^pages / { print $2 }' "$tmp/long.dump")
check "long: more than one page ($pages)" test "${pages:-0}" -gt 1
check "long: no page number on page 1, '2' centred in the top margin of page 2" \
  eval 'awk '"'"'/^page / { p = $2 } /^  line header/ && p == 1 { bad = 1 } END { exit bad }'"'"' "$tmp/long.dump" &&
        test "$(awk '"'"'/^page 2/ { p = 1 } p && /^  line header/ { getline; print; exit }'"'"' "$tmp/long.dump" | sed "s/.*\"\(.*\)\"/\1/")" = 2'
check "long: 'Nguyễn Văn A' on the last page ($pages)" test "$(field 1 "Nguyễn Văn A" "$tmp/long.dump")" = "$pages"
check "long: 'Nơi nhận:' on the last page" test "$(field 1 "Nơi nhận:" "$tmp/long.dump")" = "$pages"
last_par_page=$(awk '/^page / { p = $2 } /"Đoạn"/ { getline; if ($0 ~ /"40\."/) { print p; exit } }' "$tmp/long.dump")
check "long: the last paragraph (Đoạn 40) on the signature's page ($last_par_page)" test "$last_par_page" = "$pages"
# (The page before the last may end early: the last paragraph moves with
# the signature block when both do not fit.)
check "long: text on every page but the last two runs to near the bottom margin" \
  awk -v last="$pages" '/^page / { if (p && p < last - 1 && bottom < 841.89 - 56.69 - 40) bad = 1; p = $2; bottom = 0 }
    /^  line body/ { b = substr($4, 3) + substr($6, 3); if (b > bottom) bottom = b } END { exit bad }' "$tmp/long.dump"

# --- NĐ 30: a công văn and a quyết định --------------------------------------

render_checked state "$f/state.xml" "$f/state-data.xml"
text_of "$tmp/state.pdf" >"$tmp/state.txt"
for line in "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập - Tự do - Hạnh phúc" "SỞ THỬ NGHIỆM" \
            "Số: 12/STN-VP" "V/v thử trích yếu của công văn" "Vị Thanh, ngày 09 tháng 3 năm 2024" \
            "ở bất./." "Nơi nhận: KT. GIÁM ĐỐC" "Trần Thị B"; do
  check "state: the PDF has the line '$line'" grep -qF "$line" "$tmp/state.txt"
done
check "state: no Party title" bash -c "! grep -q 'ĐẢNG CỘNG SẢN' '$tmp/state.txt'"
check "state: Quốc hiệu bold 12 pt, Tiêu ngữ bold 13 pt" \
  test "$(field 6 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "$tmp/state.dump") $(field 6 "Độc lập - Tự do - Hạnh phúc" "$tmp/state.dump")" = "12.00 13.00"
motto_x=$(field 2 "Độc lập - Tự do - Hạnh phúc" "$tmp/state.dump")
motto_w=$(field 4 "Độc lập - Tự do - Hạnh phúc" "$tmp/state.dump")
issuer_x=$(field 2 "SỞ THỬ NGHIỆM" "$tmp/state.dump")
issuer_w=$(field 4 "SỞ THỬ NGHIỆM" "$tmp/state.dump")
rules "$tmp/state.dump" >"$tmp/state.rules"
check "state: a rule as long as Tiêu ngữ under it" \
  awk -F'\t' -v x="$motto_x" -v w="$motto_w" '{ d = $2 - x; e = $4 - w; if (d < 0.05 && -d < 0.05 && e < 0.05 && -e < 0.05) f = 1 } END { exit !f }' "$tmp/state.rules"
check "state: a rule of 2/5 of the issuing body's line, centred under it (1/3 to 1/2 in NĐ 30)" \
  awk -F'\t' -v x="$issuer_x" -v w="$issuer_w" '{ d = $2 + $4 / 2 - (x + w / 2); e = $4 - w * 0.4; if (d < 0.05 && -d < 0.05 && e < 0.05 && -e < 0.05) f = 1 } END { exit !f }' "$tmp/state.rules"
check "state: '/.' after the last paragraph's full stop is the form's" test "$(field 7 "/." "$tmp/state.dump")" = 1
check "state: 'Nơi nhận:' bold italic 12 pt" \
  test "$(field 5 "Nơi nhận:" "$tmp/state.dump") $(field 6 "Nơi nhận:" "$tmp/state.dump")" = "LiberationSerif-BoldItalic 12.00"
check "state: the text starts below the V/v line" \
  less "$(field 3 "V/v" "$tmp/state.dump")" "$(awk '/par=1 line=1/ { print substr($4, 3); exit }' "$tmp/state.dump")"

render_checked title "$f/state.xml" "$f/state-data.xml" --set kind=title
check "state title: QUYẾT ĐỊNH bold, its summary under it with a rule of 2/5 of its line" \
  eval 'test "$(field 5 "QUYẾT ĐỊNH" "$tmp/title.dump")" = LiberationSerif-Bold &&
        sx=$(field 2 "về việc thử các phần của mẫu văn bản" "$tmp/title.dump") sw=$(field 4 "về việc thử các phần của mẫu văn bản" "$tmp/title.dump") &&
        rules "$tmp/title.dump" | awk -F"\t" -v x="$sx" -v w="$sw" '"'"'{ e = $4 - w * 0.4; d = $2 + $4 / 2 - (x + w / 2); if (e < 0.05 && -e < 0.05 && d < 0.05 && -d < 0.05) f = 1 } END { exit !f }'"'"''

# --- A layout's overrides, and the errors ------------------------------------

render_checked override "$f/override.xml" "$f/party-data.xml"
ow=$(field 4 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/override.dump")
check "override: the layout's form-party (16 pt) replaces the form's" \
  test "$(field 6 "ĐẢNG CỘNG SẢN VIỆT NAM" "$tmp/override.dump")" = 16.00
check "override: its rule half the title's length" \
  eval 'near "$(rules "$tmp/override.dump" | head -n 1 | cut -f4)" "$(awk -v w="$ow" "BEGIN { print w / 2 }")"'
check "override: the layout's first page: top 25 mm, left 35 mm" \
  test "$(awk '/^page 2/ { exit } /^  line / { x = substr($3, 3) + 0; y = substr($4, 3) + 0
    if (!n++ || y < my) my = y; if (n == 1 || x < mx) mx = x } END { printf "x=%.2f y=%.2f", mx, my }' "$tmp/override.dump")" = "x=99.21 y=70.87"
check "override: number 7 written 07" grep -qxF "Số 07-TB/ĐU" <(text_of "$tmp/override.pdf")

# 'fails NAME PATTERN LAYOUT DATA' - one error message matching PATTERN, no PDF.
fails() {
  local name=$1 pattern=$2 rc lines
  "$anpham" render "$3" --data "$4" -o "$tmp/$name.pdf" 2>"$tmp/$name.err"
  rc=$?
  lines=$(wc -l <"$tmp/$name.err")
  if [ "$rc" -ne 0 ] && [ ! -e "$tmp/$name.pdf" ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$tmp/$name.err"; then
    ok "$name: fails (exit $rc) with one message: $pattern"
  else
    bad "$name: fails (exit $rc) with one message: $pattern"; cat "$tmp/$name.err"
  fi
}
fails noissuer 'party.xml:[0-9]*:[0-9]*: error: issuer="/doc/issuer" selects nothing' "$f/party.xml" "$f/party-noissuer.xml"
fails nd30-party 'nd30-party.xml:[0-9]*:[0-9]*: error: party= is the title of the Party form' "$f/nd30-party.xml" "$f/state-data.xml"
fails noform 'noform.xml:7:5: error: <form-title> follows no form' "$f/noform.xml" "$f/party-data.xml"
fails notype 'notype.xml:5:5: error: <form-title> needs the attribute type=' "$f/notype.xml" "$f/party-data.xml"

finish
