#!/usr/bin/env bash
# Install and uninstall (docs/command-line.md, "Install"): `cmake --install`
# into a temporary prefix puts the binary, the fonts, the ready layouts, the
# schema, the data and samples, a man page per command and the bash
# completion there; the installed anpham, run from another folder, renders
# the installed examples (the same bytes as the build tree's anpham), reads
# its own installed fonts folder (and no longer the source tree's), finds
# its default archive file; the man pages and the completion follow the
# program's commands; `uninstall` removes every file of install_manifest.txt.
# The build folder's own install_manifest.txt (of a `make install`) is kept.
# Usage: install.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: install.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: install.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
build=$(cd "$build" && pwd)
anpham=$build/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v pdftotext >/dev/null || { echo "SKIP: poppler-utils missing (tools/install-deps.sh)"; exit 77; }
tmp=$(mktemp -d)
manifest=$build/install_manifest.txt
[ -e "$manifest" ] && cp -p "$manifest" "$tmp/kept-manifest"
restore() {
  if [ -e "$tmp/kept-manifest" ]; then cp -p "$tmp/kept-manifest" "$manifest"; else rm -f "$manifest"; fi
  rm -rf "$tmp"
}
trap restore EXIT
unset DESTDIR
export SOURCE_DATE_EPOCH=1700000000
prefix=$tmp/prefix
share=$prefix/share/anpham

# --- cmake --install --prefix --------------------------------------------------
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1
check "cmake --install --prefix exits 0" test $? -eq 0
cp "$manifest" "$tmp/manifest"
check "install_manifest.txt lists the installed files, all under the prefix" \
  bash -c '[ -s "$1" ] && ! grep -v "^$2/" "$1" && while read -r f; do [ -f "$f" ] || exit 1; done <"$1"' _ \
  "$tmp/manifest" "$prefix"
check "bin/anpham is installed, executable" test -x "$prefix/bin/anpham"
for dir in fonts layouts data; do
  check "share/anpham/$dir holds every file of the source's $dir/, the same bytes" \
    bash -c 'cd "$1/$2" && find . -type f | while read -r f; do cmp -s "$f" "$3/$2/$f" || exit 1; done' _ "$src" "$dir" "$share"
done
check "the schema is installed (share/anpham/layouts/schema/layout.rng)" \
  cmp -s "$src/layouts/schema/layout.rng" "$share/layouts/schema/layout.rng"
check "the samples: editions.txt, districts.xml, archive.xml" \
  bash -c 'for f in editions.txt districts.xml archive.xml; do cmp -s "$1/samples/$f" "$2/samples/$f" || exit 1; done' _ \
  "$src" "$share"
check "the docs in share/doc/anpham" test -f "$prefix/share/doc/anpham/command-line.md" -a -f "$prefix/share/doc/anpham/README.md"

# --- The installed anpham, from another folder -----------------------------------
mkdir -p "$tmp/elsewhere"
cd "$tmp/elsewhere" || exit 1
export ANPHAM_CACHE_DIR=$tmp/cache
"$prefix/bin/anpham" render "$share/layouts/bao-cao.xml" --data "$share/data/2023/bao-cao-2023.xml" -o report.pdf \
  2>"$tmp/err"
check "the installed anpham renders the installed 2023 report from another folder (exit $?, no message)" \
  test $? -eq 0 -a ! -s "$tmp/err" -a -s report.pdf
"$anpham" render "$src/layouts/bao-cao.xml" --data "$src/data/2023/bao-cao-2023.xml" -o "$tmp/build-report.pdf"
check "its PDF is the build tree anpham's, byte for byte" cmp -s report.pdf "$tmp/build-report.pdf"
check "the PDF reads as the report (pdftotext: BÁO CÁO)" bash -c "pdftotext -l 1 report.pdf - 2>/dev/null | grep -q 'BÁO CÁO'"

n=0 failed=
while read -r layout data pdf options; do
  case $layout in '' | '#'*) continue ;; esac
  n=$((n + 1))
  # shellcheck disable=SC2086 # options are words
  "$prefix/bin/anpham" render "$share/$layout" --data "$share/$data" -o "$pdf" $options 2>"$tmp/err" &&
    [ ! -s "$tmp/err" ] && [ -s "$pdf" ] || failed="$failed $pdf"
done <"$share/samples/editions.txt"
check "every edition of the installed editions.txt renders from another folder ($n;${failed:- none failed})" \
  test "$n" -ge 5 -a -z "$failed"

"$prefix/bin/anpham" new công-văn new-doc --form nd30 >/dev/null 2>"$tmp/err" &&
  "$prefix/bin/anpham" render new-doc/cong-van.xml --data new-doc/cong-van-data.xml -o new-doc/cong-van.pdf 2>>"$tmp/err"
check "the installed anpham new writes the installed ready layout, which renders (exit $?, no message)" \
  test $? -eq 0 -a ! -s "$tmp/err" -a -s new-doc/cong-van.pdf
check "  its <?xml-model?> names the installed schema" \
  grep -qF "href=\"$share/layouts/schema/layout.rng\"" new-doc/cong-van.xml

"$prefix/bin/anpham" archive -o archive --quiet 2>"$tmp/err"
check "the installed anpham archive, with no archive file, renders the installed samples/archive.xml" \
  test $? -eq 0 -a ! -s "$tmp/err" -a "$(find archive -name '*.pdf' | wc -l)" -eq "$(grep -c '<job ' "$share/samples/archive.xml")"

# A layout without fonts= takes anpham's own fonts: the installed ones; the
# source tree's fonts folder is an ordinary folder to the installed anpham,
# and still the own fonts folder of the build tree's.
cat >own.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a5" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm"/>
  <body page="a5"><p style="body">Phông chữ của anpham.</p></body>
</layout>
EOF
sed "s|<layout version=\"1\">|<layout version=\"1\" fonts=\"$src/fonts\">|" own.xml >source-fonts.xml
"$prefix/bin/anpham" render own.xml -o own.pdf 2>"$tmp/err"
check "a layout without fonts= renders with the installed anpham (exit $?, no message)" test $? -eq 0 -a ! -s "$tmp/err"
if command -v strace >/dev/null && strace -f -o "$tmp/probe" true 2>/dev/null; then
  ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=open,openat -o "$tmp/strace.txt" "$prefix/bin/anpham" render own.xml -o own2.pdf 2>/dev/null
  check "its font is read from share/anpham/fonts of the prefix" \
    bash -c 'grep -q "\"$1/fonts/LiberationSerif-Regular.ttf\"" "$2" && ! grep -q "\"$3/fonts/" "$2"' _ \
    "$share" "$tmp/strace.txt" "$src"
else
  echo "skip - strace unavailable: the font file opened is not traced"
fi
"$prefix/bin/anpham" render source-fonts.xml -o sf.pdf 2>"$tmp/err"
check "fonts= naming the source tree's fonts/: refused by the installed anpham (exit $?: outside the folders)" \
  bash -c '[ "$1" -eq 1 ] && grep -q "outside the folders anpham reads" "$2"' _ $? "$tmp/err"
"$anpham" render source-fonts.xml -o sf.pdf 2>"$tmp/err"
check "... and read by the build tree's anpham, whose own fonts folder it is (exit $?)" test $? -eq 0 -a ! -s "$tmp/err"

# --- Man pages: anpham(1) and one per command of the usage ----------------------
commands=$("$prefix/bin/anpham" --help | sed -n 's/^ *\(usage: \)\{0,1\}anpham \([a-z][a-z]*\).*/\2/p' | sort -u)
check "the usage names commands ($(echo $commands))" test "$(echo "$commands" | wc -w)" -ge 7
man1=$prefix/share/man/man1
for page in anpham $(printf 'anpham-%s\n' $commands); do
  check "man page $page.1.gz installed, gzip -t" gzip -t "$man1/$page.1.gz"
done
sections=$(sed -n 's/^## //p' "$src/docs/command-line.md" | tr '[:lower:]' '[:upper:]')
zcat "$man1/anpham.1.gz" | sed 's/\\-/-/g' >"$tmp/anpham.1"
missing=
while IFS= read -r s; do
  grep -qxF ".SH $s" "$tmp/anpham.1" || missing="$missing [$s]"
done <<<"$sections"
check "anpham(1) has every section of docs/command-line.md${missing:+; missing:$missing}" test -n "$sections" -a -z "$missing"
if command -v man >/dev/null && command -v groff >/dev/null; then
  for page in anpham anpham-render; do
    MANWIDTH=100 man --warnings -l "$man1/$page.1.gz" >"$tmp/$page.txt" 2>"$tmp/$page.err"
    check "man -l $page: renders without a warning" test $? -eq 0 -a ! -s "$tmp/$page.err" -a -s "$tmp/$page.txt"
  done
  check "anpham-render(1): its synopsis, and --impose 2up among its options" \
    bash -c 'grep -q "anpham render LAYOUT.xml" "$1" && grep -q "^ *--impose 2up$" "$1"' _ "$tmp/anpham-render.txt"
else
  echo "skip - man or groff missing: the pages are not rendered"
fi

# --- Bash completion -------------------------------------------------------------
completion=$prefix/share/bash-completion/completions/anpham
check "the bash completion is installed" test -f "$completion"
mkdir -p pick/folder && : >pick/a.xml && : >pick/b.pdf && : >pick/c.json
cd pick || exit 1
# 'complete_words WORD...' - what _anpham offers for the command line WORD...
# (the last word being completed), sorted, on one line.
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _anpham; printf "%s\n" "${COMPREPLY[@]}" | sort | xargs' \
    _ "$completion" "$prefix/bin/anpham" "$@"
}
check "anpham <TAB>: every command of the usage, --help, --version" \
  test "$(complete_words '')" = "$(printf '%s\n' $commands --help --version | sort | xargs)"
check "anpham re<TAB>: render" test "$(complete_words re)" = render
check "anpham render --im<TAB>: --impose" test "$(complete_words render --im)" = --impose
check "anpham render x.xml --impose <TAB>: a5-booklet 2up" test "$(complete_words render x.xml --impose '')" = "2up a5-booklet"
check "anpham render <TAB>: the .xml files and the folders" test "$(complete_words render '')" = "a.xml folder"
check "anpham render a.xml -o <TAB>: the .pdf files and the folders" test "$(complete_words render a.xml -o '')" = "b.pdf folder"
check "anpham batch a.xml -o <TAB>: folders" test "$(complete_words batch a.xml -o '')" = "folder"
check "anpham manifest <TAB>: merge" test "$(complete_words manifest '')" = merge
check "anpham manifest merge <TAB>: the .json files and the folders" test "$(complete_words manifest merge '')" = "c.json folder"
cd "$tmp" || exit 1

# --- Uninstall --------------------------------------------------------------------
cmake --build "$build" --target uninstall >"$tmp/uninstall.log" 2>&1
check "cmake --build --target uninstall exits 0" test $? -eq 0
check "every file of install_manifest.txt is gone" \
  bash -c 'while read -r f; do [ ! -e "$f" ] || { echo "left: $f"; exit 1; }; done <"$1"' _ "$tmp/manifest"
check "no file is left under the prefix, nor share/anpham or share/doc/anpham" \
  test -z "$(find "$prefix" -type f)" -a ! -e "$share" -a ! -e "$prefix/share/doc/anpham"

finish
