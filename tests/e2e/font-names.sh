#!/usr/bin/env bash
# Fonts by family name (<family font="Liberation Serif">, issue 13 §3): the
# same PDF bytes as the layout naming the files; --font-path before
# ANPHAM_FONT_PATH before fonts= before the system's fonts (shown by which
# faces pdffonts finds: a family comes whole from the first place holding
# it, and the temporary folders hold fewer faces than fonts/); a missing
# family is one line naming the closest ones, exit 1, no output; an
# absolute fonts=; the found folder allowed for fonts only; a batch
# manifest lists a found face under its real path.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d) tmp=$t
trap 'rm -rf "$t"' EXIT
cd "$src" || exit 1
dir=tests/e2e/font-names
anpham=$build/anpham
unset ANPHAM_FONT_PATH

# The embedded fonts of a PDF, subset tags removed, sorted, on one line.
embedded() { pdffonts "$1" | awk 'NR > 2 {sub(/^[A-Z]+\+/, "", $1); print $1}' | sort | tr '\n' ' '; }
four="LiberationSerif LiberationSerif-Bold LiberationSerif-BoldItalic LiberationSerif-Italic "

# By name and by file: the same bytes...
render_checked by-file $dir/by-file.xml $dir/data.xml
render_checked by-name $dir/by-name.xml $dir/data.xml
check "by name and by file give the same PDF bytes" cmp -s "$t/by-file.pdf" "$t/by-name.pdf"
check "by name and by file give the same dump" cmp -s "$t/by-file.dump" "$t/by-name.dump"
check "pdffonts shows the four faces embedded ($(embedded "$t/by-name.pdf"))" \
  test "$(embedded "$t/by-name.pdf")" = "$four"
check "the text comes back" grep -qF "lãnh đạo" <(pdftotext -enc UTF-8 "$t/by-name.pdf" -)
"$anpham" check $dir/by-name.xml --data $dir/data.xml 2>"$t/check.err"
check "check finds the family too (exit $?, no message)" test $? -eq 0 -a ! -s "$t/check.err"

# ...and with fonts= absolute, whether by name or by file (the layouts
# made from here on are in $t/layouts, with the data, fonts= absolute)...
L=$t/layouts
mkdir -p "$L"
cp $dir/data.xml "$L/"
# 'variant NAME SED' - by-name.xml with fonts= absolute, edited by SED, as $L/NAME.xml
variant() { sed -e "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" -e "$2" $dir/by-name.xml >"$L/$1.xml"; }
variant abs-name ''
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" $dir/by-file.xml >"$L/abs-file.xml"
render_checked abs-name "$L/abs-name.xml" "$L/data.xml"
render_checked abs-file "$L/abs-file.xml" "$L/data.xml"
check "an absolute fonts= gives the same bytes by name" cmp -s "$t/by-file.pdf" "$t/abs-name.pdf"
check "an absolute fonts= gives the same bytes by file" cmp -s "$t/by-file.pdf" "$t/abs-file.pdf"

# The order: three folders holding Liberation Serif with fewer faces than fonts/
# (one face; regular and bold; none but another family), outside every allowed folder...
mkdir -p "$t/one" "$t/two" "$t/other" "$t/empty" "$t/out"
cp fonts/LiberationSerif-Regular.ttf "$t/one/"
cp fonts/LiberationSerif-Regular.ttf fonts/LiberationSerif-Bold.ttf "$t/two/"
cp fonts/LiberationSans-Regular.ttf "$t/other/"
run() { # run NAME [ENV...] -- [ARGS...]: render by-name.xml into $t/out/NAME.pdf
  local name=$1; shift
  local envs=()
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" "$anpham" render $dir/by-name.xml --data $dir/data.xml -o "$t/out/$name.pdf" "$@" 2>"$t/out/$name.err"
}
run fp ANPHAM_FONT_PATH="$t/two" -- --font-path "$t/one"
check "--font-path beats ANPHAM_FONT_PATH ($(embedded "$t/out/fp.pdf"))" \
  test "$(embedded "$t/out/fp.pdf")" = "LiberationSerif " -a ! -s "$t/out/fp.err"
run fp2 -- --font-path "$t/other" --font-path "$t/one" --font-path "$t/two"
check "--font-path folders in their order, one without the family skipped ($(embedded "$t/out/fp2.pdf"))" \
  test "$(embedded "$t/out/fp2.pdf")" = "LiberationSerif "
run env ANPHAM_FONT_PATH="$t/missing::$t/empty:$t/two:$t/one" --
check "ANPHAM_FONT_PATH beats fonts=, in its order, missing and empty parts skipped ($(embedded "$t/out/env.pdf"))" \
  test "$(embedded "$t/out/env.pdf")" = "LiberationSerif LiberationSerif-Bold " -a ! -s "$t/out/env.err"
run none ANPHAM_FONT_PATH="$t/empty" --
check "fonts= when no earlier folder has it" cmp -s "$t/by-file.pdf" "$t/out/none.pdf"
sed "s|fonts=\"../../../fonts\"|fonts=\"$t/empty\"|" $dir/by-name.xml >"$L/empty-fonts.xml"
"$anpham" render "$L/empty-fonts.xml" --data "$L/data.xml" -o "$t/out/fonts-two.pdf" --font-path "$t/two" 2>"$t/out/fonts-two.err"
check "a found face outside the allowed folders is read (exit $?)" test -s "$t/out/fonts-two.pdf" -a ! -s "$t/out/fonts-two.err"

# ...regular= given as a file wins over the face found by name...
variant mixed 's|font="Liberation Serif"|font="Liberation Serif" regular="LiberationSans-Regular.ttf"|'
"$anpham" render "$L/mixed.xml" --data "$L/data.xml" -o "$t/out/mixed.pdf" --font-path "$t/two" 2>"$t/out/mixed.err"
check "a face given as a file wins over the face found ($(embedded "$t/out/mixed.pdf"))" \
  test "$(embedded "$t/out/mixed.pdf")" = "LiberationSans LiberationSerif-Bold "

# ...the folder of a found face is allowed for fonts only: an image there is refused...
pdftoppm -png -r 10 -singlefile "$t/by-file.pdf" "$t/one/picture"
variant image "s|<body page=\"a6\">|<body page=\"a6\"><image src=\"$t/one/picture.png\" width=\"10mm\" height=\"10mm\" alt=\"\"/>|"
"$anpham" render "$L/image.xml" --data "$L/data.xml" -o "$t/out/image.pdf" --font-path "$t/one" 2>"$t/out/image.err"
rc=$?
check "an image in a found font's folder is still refused (exit $rc: $(head -c 160 "$t/out/image.err"))" \
  test $rc -eq 1 -a ! -e "$t/out/image.pdf" -a "$(grep -c "is outside the folders anpham reads" "$t/out/image.err")" = 1

# A family found nowhere: one line at font= with the closest families, exit 1, nothing written...
variant missing 's|font="Liberation Serif"|font="Liberation Serf"|'
"$anpham" render "$L/missing.xml" --data "$L/data.xml" -o "$t/out/missing.pdf" 2>"$t/out/missing.err"
rc=$?
want="$L/missing.xml:4:24: error: no font named \"Liberation Serf\" in the font folders or the system's fonts (closest: Liberation Serif, "
check "a missing family: exit 1 ($rc), no PDF" test $rc -eq 1 -a ! -e "$t/out/missing.pdf"
check "one line naming the closest families ($(cat "$t/out/missing.err"))" \
  test "$(wc -l <"$t/out/missing.err")" = 1 -a "${want}" = "$(head -c ${#want} "$t/out/missing.err")"
check "three families at most" test "$(grep -o 'closest: [^)]*' "$t/out/missing.err" | tr -cd , | wc -c)" -le 2
variant nospace 's|font="Liberation Serif"|font="LiberationSerif"|'
"$anpham" check "$L/nospace.xml" --data "$L/data.xml" 2>"$t/out/nospace.err"
check "no fontconfig substitute: 'LiberationSerif' is not Liberation Serif (exit $?)" \
  grep -qF 'no font named "LiberationSerif"' "$t/out/nospace.err"
"$anpham" render $dir/by-name.xml --data $dir/data.xml -o "$t/out/bad.pdf" --font-path "$t/nowhere" 2>"$t/out/bad.err"
check "--font-path naming no folder: usage error (exit $?)" \
  grep -qF -- "--font-path: there is no such folder" "$t/out/bad.err"

# Letter case does not matter; a system family (DejaVu Serif from fonts-dejavu-core) is found last...
variant case 's|font="Liberation Serif"|font="liberation SERIF"|'
"$anpham" render "$L/case.xml" --data "$L/data.xml" -o "$t/out/case.pdf" 2>/dev/null
check "letter case aside" cmp -s "$t/by-file.pdf" "$t/out/case.pdf"
if fc-list : family 2>/dev/null | tr ',' '\n' | grep -qx "DejaVu Serif"; then
  variant system 's|font="Liberation Serif"|font="DejaVu Serif"|'
  "$anpham" render "$L/system.xml" --data "$L/data.xml" -o "$t/out/system.pdf" 2>"$t/out/system.err"
  check "a system family found by name ($(embedded "$t/out/system.pdf"))" \
    test "$(embedded "$t/out/system.pdf")" = "DejaVuSerif DejaVuSerif-Bold DejaVuSerif-BoldItalic DejaVuSerif-Italic "
else
  bad "fc-list lists no DejaVu Serif: install fontconfig and fonts-dejavu-core (tools/install-deps.sh)"
fi

# A batch lists the face found in a --font-path folder under its real path, with its SHA-256.
ln -s "$t/one" "$t/link"
"$anpham" batch $dir/by-name.xml --data $dir/data.xml -o "$t/batch" --font-path "$t/link" --quiet 2>"$t/batch.err"
check "batch with --font-path (exit $?)" test -s "$t/batch/data.pdf"
check "the batch PDF is the render's" cmp -s "$t/out/fp.pdf" "$t/batch/data.pdf"
real=$(realpath "$t/one/LiberationSerif-Regular.ttf")
sha=$(sha256sum "$real" | cut -d' ' -f1)
check "manifest.json lists the found face by its real path and SHA-256" \
  test "$(jq -r --arg p "$real" '.. | objects | select(.path? == $p) | .sha256' "$t/batch/manifest.json" | sort -u)" = "$sha"

# fontconfig is loaded when a layout names a font by family, never linked:
# other runs do not pay for mapping it (and expat) at every start.
check "anpham does not link fontconfig" test "$(ldd "$anpham" | grep -c 'libfontconfig\|libexpat')" = 0

finish
