#!/usr/bin/env bash
# anpham new KIND DIR [--form hd36|nd30] (issue 13 §5; docs/command-line.md):
# every kind in both forms (and the handout) writes its layout, base and
# data into a new folder outside the tree; they render at once with no
# message, pass `check --strict`, give the same PDF as the ready layout
# rendered in place, and the copied layout's <?xml-model?> names a schema
# file that validates it. The kind may be typed with marks (NFC or
# decomposed) or without. Nothing is overwritten: a second `new` into the
# same folder fails with one line, exit 1, every file unchanged. A wrong
# kind or form is a usage error (exit 2) that writes nothing.
# Usage: new.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: new.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: new.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v pdftotext >/dev/null || { echo "SKIP: poppler-utils missing"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=off SOURCE_DATE_EPOCH=1700000000

declare -A typed=([bao-cao]="báo-cáo" [thong-bao]="thông-báo" [ke-hoach]="kế-hoạch" [cong-van]="công-văn")
for kind in bao-cao thong-bao ke-hoach cong-van; do
  for form in hd36 nd30; do
    dir=$tmp/$kind-$form/sub
    "$anpham" new "${typed[$kind]}" "$dir" --form "$form" >"$tmp/out" 2>"$tmp/err"
    check "new ${typed[$kind]} --form $form: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/err"
    check "$kind-$form: wrote the layout, its base, its data" \
      test -f "$dir/$kind.xml" -a -f "$dir/van-ban.xml" -a -f "$dir/$kind-data.xml"
    check "$kind-$form: prints the render command" \
      grep -qxF "  anpham render $dir/$kind.xml --data $dir/$kind-data.xml -o $dir/$kind.pdf" "$tmp/out"
    (cd "$tmp" && "$anpham" render "$dir/$kind.xml" --data "$dir/$kind-data.xml" -o "$dir/$kind.pdf" 2>"$tmp/err")
    check "$kind-$form: renders from its folder, no message" test $? -eq 0 -a ! -s "$tmp/err" -a -s "$dir/$kind.pdf"
    "$anpham" check "$dir/$kind.xml" --data "$dir/$kind-data.xml" --strict >"$tmp/err" 2>&1
    check "$kind-$form: check --strict silent" test $? -eq 0 -a ! -s "$tmp/err"
    "$anpham" render "$src/layouts/van-ban/$kind-$form.xml" --data "$src/data/examples/$kind-$form.xml" \
      -o "$tmp/ref.pdf" 2>/dev/null
    check "$kind-$form: the same PDF as the ready layout in layouts/van-ban/" cmp -s "$dir/$kind.pdf" "$tmp/ref.pdf"
    href=$(sed -n '2s/^<?xml-model href="\([^"]*\)".*/\1/p' "$dir/$kind.xml")
    check "$kind-$form: <?xml-model?> names an absolute schema that validates the copy" \
      bash -c "[ '${href:0:1}' = / ] && xmllint --noout --relaxng '$href' '$dir/$kind.xml' '$dir/van-ban.xml' 2>/dev/null"
  done
done

# The default form is hd36; the kind without marks, or decomposed (NFD).
"$anpham" new ke-hoach "$tmp/plain" >/dev/null 2>&1
check "new ke-hoach (no marks, no --form): the Party layout" \
  cmp -s "$tmp/plain/ke-hoach.xml" "$tmp/ke-hoach-hd36/sub/ke-hoach.xml"
nfd=$(printf 'ke\xcc\x82\xcc\x81-hoa\xcc\xa3ch')
"$anpham" new "$nfd" "$tmp/nfd" >/dev/null 2>&1
check "new with the kind typed decomposed (NFD)" cmp -s "$tmp/nfd/ke-hoach.xml" "$tmp/plain/ke-hoach.xml"

# The handout: its layout (fonts= dropped: anpham's own folder) and the 2024 data.
"$anpham" new handout "$tmp/h" >/dev/null 2>"$tmp/err"
check "new handout: exit 0" test $? -eq 0 -a ! -s "$tmp/err"
"$anpham" render "$tmp/h/handout.xml" --data "$tmp/h/hau-giang-2024.xml" -o "$tmp/h/handout.pdf" 2>"$tmp/err"
check "handout: renders, no message" test $? -eq 0 -a ! -s "$tmp/err"
"$anpham" render "$src/layouts/handout.xml" --data "$src/data/2024/hau-giang-2024.xml" -o "$tmp/href.pdf" 2>/dev/null
check "handout: the same PDF as layouts/handout.xml" cmp -s "$tmp/h/handout.pdf" "$tmp/href.pdf"
check "handout: no fonts=\"../fonts\" left" bash -c "! grep -q 'fonts=\"../fonts\"' '$tmp/h/handout.xml'"

# Nothing overwritten.
dir=$tmp/thong-bao-hd36/sub
echo "my own words" >"$dir/thong-bao-data.xml"
sum=$(cat "$dir"/*.xml | md5sum)
"$anpham" new thông-báo "$dir" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "new into a folder holding its files: exit 1" test $rc -eq 1
check "  one line naming the first file in the way" \
  test "$(cat "$tmp/err")" = "anpham: new: $dir/thong-bao.xml: exists: anpham new never overwrites a file (choose another folder, or move the file away)"
check "  every file unchanged, nothing on stdout" test "$(cat "$dir"/*.xml | md5sum)" = "$sum" -a ! -s "$tmp/out"
mkdir -p "$tmp/part" && echo x >"$tmp/part/van-ban.xml"
"$anpham" new công-văn "$tmp/part" >/dev/null 2>&1
check "one file in the way: none of the others written" test $? -eq 1 -a ! -e "$tmp/part/cong-van.xml" -a ! -e "$tmp/part/cong-van-data.xml"

# Usage errors write nothing.
"$anpham" new quyết-định "$tmp/u1" >/dev/null 2>"$tmp/err"
check "unknown kind: exit 2, names the kinds" \
  bash -c "[ $? -eq 2 ] && grep -qF \"no kind of document 'quyết-định': expected báo-cáo|thông-báo|kế-hoạch|công-văn|handout\" '$tmp/err' && [ ! -e '$tmp/u1' ]"
"$anpham" new thông-báo "$tmp/u2" --form nd13 >/dev/null 2>"$tmp/err"
check "wrong --form: exit 2" bash -c "[ $? -eq 2 ] && grep -qF \"takes hd36 (Party) or nd30 (state), not 'nd13'\" '$tmp/err' && [ ! -e '$tmp/u2' ]"
"$anpham" new handout "$tmp/u3" --form nd30 >/dev/null 2>&1
check "handout with --form: exit 2" bash -c "[ $? -eq 2 ] && [ ! -e '$tmp/u3' ]"
"$anpham" new thông-báo >/dev/null 2>&1
check "no DIR: exit 2" test $? -eq 2
finish
