#!/usr/bin/env bash
# Layouts that extend another (<layout extends="…">): a parameter and a
# style redefined by name, the base's body kept; a chain of three with a
# body of its own; the base file named relative to the file naming it; the
# base unchanged when rendered alone. (Missing bases, cycles, bases outside
# the allowed folders and errors inside a base are cases of tests/bad.)
# Usage: extends.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: extends.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: extends.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$src/tests/e2e/extends

# 'render NAME LAYOUT' - render with the shared data; the dump and the PDF's
# text on one line (a centred title of two lines is balanced: its words are
# looked for across the line break).
render() {
  "$anpham" render "$2" --data "$dir/data.xml" -o "$tmp/$1.pdf" --dump "$tmp/$1.dump" 2>"$tmp/$1.err"
  local rc=$?
  pdftotext -enc UTF-8 "$tmp/$1.pdf" - 2>/dev/null | tr -s '\n' ' ' >"$tmp/$1.txt"
  check "$1 renders (exit $rc)" test "$rc" -eq 0 -a ! -s "$tmp/$1.err"
}

render base "$dir/base/base.xml"
check "the base alone: its own parameter and title size" grep -qF 'LiberationSerif-Bold 16.00 "Tài liệu dành cho tỉnh Hậu Giang"' "$tmp/base.dump"

render district "$dir/district.xml"
check "district: the parameter it redefines" grep -qF 'Tài liệu dành cho Đảng bộ huyện Châu' "$tmp/district.txt"
check "district: the title style it redefines (20 pt)" grep -qF 'LiberationSerif-Bold 20.00 "Tài liệu dành cho Đảng' "$tmp/district.dump"
check "district: the base's body and its other styles" grep -qF 'LiberationSerif 12.00 "Dòng thứ nhất của tài liệu gốc."' "$tmp/district.dump"
check "district: the base's page template (A5)" grep -q '^page 1 w=419.53 h=595.28' "$tmp/district.dump"
pdfinfo "$tmp/district.pdf" 2>/dev/null | grep -q '^Title: *Tài liệu hội nghị$'
check "district: the base's <info>" test $? -eq 0

render cover "$dir/cover.xml"
check "cover (a chain of three): its own body" grep -qF 'Bìa riêng của Đảng bộ huyện Châu' "$tmp/cover.txt"
check "cover: the base's body is not printed" test "$(grep -c 'Dòng thứ nhất' "$tmp/cover.txt")" -eq 0
check "cover: the style it adds, the middle layout's parameter and title size" \
  grep -qF 'LiberationSerif-Bold 20.00 "Bìa riêng của Đảng' "$tmp/cover.dump"

# Rendered from another folder, the base is still found beside its layout.
(cd "$tmp" && "$anpham" render "$dir/district.xml" --data "$dir/data.xml" -o elsewhere.pdf 2>elsewhere.err)
check "extends= is relative to the layout, not to the current folder" cmp -s "$tmp/elsewhere.pdf" "$tmp/district.pdf"

# The base is an input of the run: -o may not replace it (tried on a copy).
cp -R "$dir" "$tmp/copy"
"$anpham" render "$tmp/copy/district.xml" --data "$tmp/copy/data.xml" -o "$tmp/copy/base/base.xml" 2>"$tmp/err"
rc=$?
check "-o naming the base layout is refused (exit $rc)" test "$rc" -eq 2
check "…and the base is as it was" cmp -s "$tmp/copy/base/base.xml" "$dir/base/base.xml"
finish
