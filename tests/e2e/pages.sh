#!/usr/bin/env bash
# Page setup and furniture: a custom landscape size, mirrored margins, a first
# page without header, a running header from the data, "Trang N/M" footers,
# an image, capitals and colour from a style, a bullet list, a CMYK palette
# colour, a circle on a slide page.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
dir=$src/tests/e2e/pages

"$build/anpham" render "$dir/layout.xml" --data "$dir/data.xml" -o "$t/p.pdf" --dump "$t/p.dump"
check "renders" test $? -eq 0
d=$t/p.dump

check "3 pages of 210 x 148 mm, landscape" test "$(grep -c '^page [0-9]* w=595.28 h=419.53$' "$d")" -eq 3 -a "$(head -1 "$d")" = "pages 3"
# Mirrored margins: 25 mm inside (left on odd pages, right on even ones).
check "odd page: text starts at the 25 mm inner margin" grep -q '^  line footer x=70.87 ' <(awk '/^page 1 /,/^page 2 /' "$d")
check "even page: text starts at the 15 mm outer margin" grep -q '^  line footer x=42.52 ' <(awk '/^page 2 /,/^page 3 /' "$d")
check "footers read Trang 1/3, 2/3 and 3/3" test "$(dump_words "$d" all | tr '\n' ' ' | grep -o 'Trang [0-9]/[0-9]' | tr '\n' ' ')" = "Trang 1/3 Trang 2/3 Trang 3/3 "
check "no header on page 1" test "$(awk '/^page 2 /{exit} / header /' "$d" | wc -l)" -eq 0
check "page 2 runs the title from the data in its header" \
  bash -c "awk '/^page 2 /{p=1} p && /^  line header/{h=1;next} /^  [a-z]/{h=0} h' '$d' | grep -q '\"Phát huy dân chủ, đoàn kết,'"
check "the image is placed at 12 x 12 mm" grep -q '^  image image x=294.80 y=42.52 w=34.02 h=34.02 ' "$d"
check "the title is set in capitals, in its colour" grep -q 'LiberationSans-Bold 16.00 color=#C8102E "PHÁT HUY DÂN CHỦ, ĐOÀN KẾT, THỐNG NHẤT' "$d"
check "three bullet items" test "$(grep -c ' label "•"$' "$d")" -eq 3
check "PDF information from the data" \
  bash -c "pdfinfo '$t/p.pdf' | grep -q '^Title: *Phát huy dân chủ, đoàn kết, thống nhất trong Đảng và sự đồng thuận trong xã hội$' && pdfinfo '$t/p.pdf' | grep -q '^Author: *Văn phòng Tỉnh ủy$'"
check "a CMYK palette colour stays CMYK (dump)" grep -q 'color=cmyk(0,100,80,10) "Phát huy' "$d"
qpdf --qdf --object-streams=disable "$t/p.pdf" "$t/q.pdf" 2>/dev/null
check "…and is painted with the CMYK operator (0 1 0.8 0.1 k)" grep -aq '^0 1 0\.8 0\.1 k$' "$t/q.pdf"
check "a circle on a slide page, filled with the CMYK colour" grep -q '^  ellipse shape .* fill=cmyk(0,100,80,10) stroke=#000000' "$d"
check "qpdf --check is clean" qpdf --check "$t/p.pdf" >/dev/null 2>&1
finish
