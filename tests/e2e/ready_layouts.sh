#!/usr/bin/env bash
# The ready layouts (issue 12 §1; docs/forms.md, "Ready layouts"): báo
# cáo, thông báo, kế hoạch and công văn in the Party form (hd36) and the
# state form (nd30), layouts/van-ban/KIND-FORM.xml on van-ban.xml, each
# rendered with its example (data/examples/KIND-FORM.xml): one page with no
# message, `check --strict` silent; the text pdftotext reads has the form's
# header lines, number, date, type, "./." (nd30 only), "Kính gửi:" and
# "V/v" (công văn), the signature block with its signature field (named
# after the signer's position); `check --form` finds no deviation; the example says it is an example
# (its line, and MẪU behind the page in the dump), and data without
# <sample> has neither. Every shipped layout and batch file carries an
# <?xml-model?> line whose schema exists and validates it (xmllint).
# Usage: ready_layouts.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: ready_layouts.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: ready_layouts.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v pdftotext >/dev/null || { echo "SKIP: poppler-utils missing"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=off
sample="Văn bản mẫu: số, ngày, cơ quan, người ký và nội dung là minh hoạ, thay bằng của văn bản thật."
# The text of a PDF, one line per line, spaces squeezed.
text_of() { pdftotext -layout -enc UTF-8 "$1" - 2>/dev/null | sed 's/\xc2\xa0/ /g; s/  */ /g; s/^ //; s/ $//'; }
# 'has FILE LINE...' - every LINE is a line of FILE (a column's text may share its line).
has() { local f=$1; shift; for l in "$@"; do grep -qF -- "$l" "$f" || { echo "  missing: $l"; return 1; }; done; }

for kind in bao-cao thong-bao ke-hoach cong-van; do
  for form in hd36 nd30; do
    name=$kind-$form
    layout=$src/layouts/van-ban/$name.xml
    data=$src/data/examples/$name.xml
    render_checked "$name" "$layout" "$data" --strict
    "$anpham" check "$layout" --data "$data" --strict >"$tmp/$name.check" 2>&1
    check "$name: check --strict exits 0, silent" test $? -eq 0 -a ! -s "$tmp/$name.check"
    # The layout alone (no --data): what comes from the data (issuer, date,
    # the signer's position naming the field, the text "./." closes) is not
    # judged; the layout itself is...
    "$anpham" check "$layout" --strict >"$tmp/$name.alone" 2>&1
    check "$name: check of the layout alone exits 0, silent" test $? -eq 0 -a ! -s "$tmp/$name.alone"
    "$anpham" check "$layout" --data "$data" --form "$form" >"$tmp/$name.form" 2>&1
    check "$name: check --form $form finds no deviation" test $? -eq 0 -a ! -s "$tmp/$name.form"
    pages=$(pdfinfo "$tmp/$name.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    check "$name: one page" test "$pages" = 1
    text_of "$tmp/$name.pdf" >"$tmp/$name.txt"
    case $kind in
      bao-cao) type="BÁO CÁO" sym=BC ;; thong-bao) type="THÔNG BÁO" sym=TB ;;
      ke-hoach) type="KẾ HOẠCH" sym=KH ;; cong-van) type="" sym=CV ;;
    esac
    if [ "$form" = hd36 ]; then
      check "$name: Party header, number with its hyphen, date" \
        has "$tmp/$name.txt" "TỈNH ỦY HẬU GIANG" "ĐẢNG CỘNG SẢN VIỆT NAM" "Số 07-$sym/TU" "Vị Thanh, ngày 05 tháng 02 năm 2024"
      check "$name: no ./. in the Party form" bash -c "! grep -qF './.' '$tmp/$name.txt'"
      check "$name: T/M BAN THƯỜNG VỤ, PHÓ BÍ THƯ" has "$tmp/$name.txt" "T/M BAN THƯỜNG VỤ" "PHÓ BÍ THƯ"
    else
      [ "$kind" = cong-van ] && num="Số: 07/VP-TH" || num="Số: 07/$sym-UBND"
      check "$name: state header (Quốc hiệu, Tiêu ngữ), number with its colon and slash, date" \
        has "$tmp/$name.txt" "ỦY BAN NHÂN DÂN" "TỈNH HẬU GIANG" "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" \
        "Độc lập - Tự do - Hạnh phúc" "$num" "Vị Thanh, ngày 05 tháng 02 năm 2024"
      check "$name: the text ends with ./. (the line before Nơi nhận:)" \
        test "$(grep -B1 -m1 '^Nơi nhận:' "$tmp/$name.txt" | head -1 | grep -c '[^/]\./\.$')" = 1
    fi
    if [ -n "$type" ]; then
      check "$name: type in capitals" has "$tmp/$name.txt" "$type"
    else
      check "$name: no type line; Kính gửi:" bash -c "! grep -qE '^(BÁO CÁO|THÔNG BÁO|KẾ HOẠCH|CÔNG VĂN)$' '$tmp/$name.txt' && grep -q '^Kính gửi:' '$tmp/$name.txt'"
    fi
    check "$name: Nơi nhận: and the signer" has "$tmp/$name.txt" "Nơi nhận:" "Họ và tên người ký"
    if [ "$form" = hd36 ]; then pos="PHÓ BÍ THƯ"; elif [ "$kind" = cong-van ]; then pos="PHÓ CHÁNH VĂN PHÒNG"; else pos="CHỦ TỊCH"; fi
    check "$name: one signature field, named after the position ($pos), in the room of the signature block" \
      test "$(grep -c '^  sigfield ' "$tmp/$name.dump")" = 1 -a "$(grep -c "^  sigfield signature .* h=70.87 name=\"$pos\"\$" "$tmp/$name.dump")" = 1
    check "$name: says it is an example (its line, MẪU behind the page)" \
      bash -c "grep -qF '$sample' '$tmp/$name.txt' && grep -q '^    run .* \"MẪU\"\$' '$tmp/$name.dump'"
  done
done

# Công văn: V/v under the number (nd30); several addressees each after "-".
check "cong-van-nd30: V/v line and two addressees after Kính gửi:" \
  has "$tmp/cong-van-nd30.txt" "V/v trích yếu nội dung công văn" "- Các sở, ban, ngành tỉnh;" \
  "- Ủy ban nhân dân các huyện, thị xã, thành phố."
check "cong-van-hd36: one addressee on the line of Kính gửi:" \
  has "$tmp/cong-van-hd36.txt" "Kính gửi: Các huyện ủy, thị ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy."
# Kế hoạch: headings I. (capitals) / 1. / a).
check "ke-hoach: I. MỤC ĐÍCH, YÊU CẦU, 1. Mục đích, a) and b) points" \
  has "$tmp/ke-hoach-hd36.txt" "I. MỤC ĐÍCH, YÊU CẦU" "1. Mục đích" "a) Việc cụ thể thứ nhất" "b) Việc cụ thể thứ hai"

# A real document (no <sample>): neither the line nor MẪU.
sed 's|<sample>.*</sample>||' "$src/data/examples/thong-bao-nd30.xml" >"$tmp/real.xml"
render_checked real "$src/layouts/van-ban/thong-bao-nd30.xml" "$tmp/real.xml" --strict
check "without <sample>: no example line, no watermark" \
  bash -c "! grep -qF 'Văn bản mẫu' <(pdftotext '$tmp/real.pdf' -) && ! grep -q watermark '$tmp/real.dump'"

# The layout alone is still judged where the layout is at fault: a
# signature field named in the layout with a period is an error without
# --data too.
mkdir -p "$tmp/alone" && cp -r "$src/layouts/van-ban" "$tmp/alone/"
sed -i 's|field="{translate([^"]*}"|field="Chủ.tịch"|' "$tmp/alone/van-ban/van-ban.xml"
"$anpham" check "$tmp/alone/van-ban/cong-van-nd30.xml" >"$tmp/alone.err" 2>&1
check "layout alone, a field name with a period: exit 1, the attribute's place" \
  bash -c "test $? -eq 1 && grep -q 'van-ban.xml:74:[0-9]*: error: field=\"Chủ.tịch\": a signature field.s name may not hold a period' '$tmp/alone.err'"

# Every shipped layout and batch file names its schema for editors.
for f in "$src"/layouts/*.xml "$src"/layouts/van-ban/*.xml "$src"/samples/*.xml; do
  rel=${f#"$src"/}
  href=$(sed -n '2s/^<?xml-model href="\([^"]*\)".*/\1/p' "$f")
  check "$rel: <?xml-model?> on line 2 names an existing schema" test -n "$href" -a -f "$(dirname "$f")/$href"
  [ -n "$href" ] && check "$rel: valid against $href (xmllint)" \
    xmllint --noout --relaxng "$(dirname "$f")/$href" "$f"
done 2>/dev/null
finish
