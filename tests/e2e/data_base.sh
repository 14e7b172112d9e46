#!/usr/bin/env bash
# Data that inherits from a base (d:base="…", docs/data.md): a district file
# two bases deep replaces, adds (before, after, into, at the end of the
# root, after an element it added itself) and removes elements by id, and
# sets a root attribute; the middle file's own replacement and addition
# show through; the merged text is checked word for word and in order.
# A file that only names its base renders byte for byte as the base; bases
# resolve relative to the file naming them; a base is an input that -o may
# not replace. (Errors are cases of tests/bad: data-base-*.)
# Usage: data_base.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: data_base.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: data_base.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v pdftotext >/dev/null || { echo "skip - pdftotext missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$src/tests/e2e/data_base

# 'render NAME DATA' - render DATA with the test layout; the dump and the PDF's text.
render() {
  "$anpham" render "$dir/layout.xml" --data "$2" -o "$tmp/$1.pdf" --dump "$tmp/$1.dump" 2>"$tmp/$1.err"
  local rc=$?
  pdftotext -enc UTF-8 -layout "$tmp/$1.pdf" - 2>/dev/null | tr -d '\f' | sed 's/^ *//; s/ *$//; /^$/d' >"$tmp/$1.txt"
  check "$1 renders (exit $rc)" test "$rc" -eq 0 -a ! -s "$tmp/$1.err"
}

render base "$dir/province/base.xml"
render district "$dir/district.xml"
cat >"$tmp/district.want" <<'TEXT'
Tài liệu của huyện Châu Thành (2025)
cover cover: Bìa của huyện Châu Thành
overview overview: Tổng quan
note note: Ghi chú sau tổng quan
sections sections:
section s0: Phần mở đầu
section s1: Phần một
section s2: Phần hai, sửa ở tầng giữa
section s4: Phần bốn
section s4b: Phần bốn, tiếp
section s5: Phần năm
district district: Trang của huyện
lines: 10
TEXT
check "district: every element in its place, the removed ones gone (pdftotext)" cmp -s "$tmp/district.want" "$tmp/district.txt"
cmp -s "$tmp/district.want" "$tmp/district.txt" || diff "$tmp/district.want" "$tmp/district.txt"
check "district: its own title on the root, the middle file's year" \
  grep -qF '"Tài liệu của huyện Châu Thành (2025)"' "$tmp/district.dump"
check "district: nothing of what it replaced or removed is left" \
  test "$(grep -c 'tỉnh Hậu Giang\|Phần ba\|Nơi nhận\|"Phần hai"' "$tmp/district.dump")" -eq 0
check "the base alone is unchanged by being inherited from" grep -qF '"cover cover: Bìa của tỉnh Hậu Giang"' "$tmp/base.dump"

render middle "$dir/province/middle.xml"
check "middle (one base): its replacement and addition, the base's rest" \
  test "$(tr '\n' '|' <"$tmp/middle.txt")" = "Tài liệu của tỉnh (2025)|cover cover: Bìa của tỉnh Hậu Giang|overview overview: Tổng quan|note note: Ghi chú sau tổng quan|sections sections:|section s1: Phần một|section s2: Phần hai, sửa ở tầng giữa|section s3: Phần ba|recipients recipients: Nơi nhận: Tỉnh ủy|lines: 7|"

render same "$dir/same.xml"
check "a file that only names its base renders as the base, byte for byte" cmp -s "$tmp/same.pdf" "$tmp/base.pdf"
check "…and dumps as the base" cmp -s "$tmp/same.dump" "$tmp/base.dump"

# Rendered from another folder, the bases are still found beside the files naming them.
(cd "$tmp" && "$anpham" render "$dir/layout.xml" --data "$dir/district.xml" -o elsewhere.pdf 2>elsewhere.err)
check "d:base= is relative to the file naming it, not to the current folder" cmp -s "$tmp/elsewhere.pdf" "$tmp/district.pdf"

# Every base is an input of the run: -o may name neither (tried on a copy).
cp -R "$dir" "$tmp/copy"
for base in province/base.xml province/middle.xml; do
  "$anpham" render "$tmp/copy/layout.xml" --data "$tmp/copy/district.xml" -o "$tmp/copy/$base" 2>"$tmp/err"
  rc=$?
  check "-o naming the base $base is refused (exit $rc)" test "$rc" -eq 2
  check "…with the usage error naming it" grep -qF "an input of this run" "$tmp/err"
  check "…and $base is as it was" cmp -s "$tmp/copy/$base" "$dir/$base"
done
finish
