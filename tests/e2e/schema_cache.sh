#!/usr/bin/env bash
# The cache of valid layouts (docs/command-line.md#the-cache): a layout
# that passed the schema once is not validated again while its bytes are
# the same; a changed layout is always validated (a mistake in it is
# reported though the earlier version was known valid); the bases of a
# layout are known each by its own bytes; ANPHAM_CACHE_DIR=off writes
# nothing; the output is the same with or without the cache.
# Usage: schema_cache.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: schema_cache.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: schema_cache.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=$tmp/cache
markers() { find "$tmp/cache/valid-layouts" -type f 2>/dev/null | wc -l; }

mkdir -p "$tmp/p" && cp -r "$src/tests/e2e/pages/." "$tmp/p/"
sed -i "s#fonts=\"[^\"]*\"#fonts=\"$src/fonts\"#" "$tmp/p/layout.xml"
layout=$tmp/p/layout.xml
data=$tmp/p/data.xml

# 1. The first render validates and records the layout; the second takes it from the cache...
"$anpham" render "$layout" --data "$data" -o "$tmp/a.pdf" 2> "$tmp/e1"
check "first render: exit 0, no message" [ $? -eq 0 -a ! -s "$tmp/e1" ]
check "first render: the layout is recorded as valid (one marker)" [ "$(markers)" -eq 1 ]
marker=$(find "$tmp/cache/valid-layouts" -type f | head -1)
check "the marker is readable by its owner only" [ "$(stat -c %a "$marker")" = 600 -a "$(stat -c %a "$tmp/cache")" = 700 ]
before=$(stat -c %Y.%y "$marker")
sleep 1.1
"$anpham" render "$layout" --data "$data" -o "$tmp/b.pdf" 2> "$tmp/e2"
check "second render: exit 0, no message" [ $? -eq 0 -a ! -s "$tmp/e2" ]
check "second render: not validated again (the marker is not written anew)" [ "$(stat -c %Y.%y "$marker")" = "$before" ]
check "the same PDF with the cache as without" cmp -s "$tmp/a.pdf" "$tmp/b.pdf"
ANPHAM_CACHE_DIR=off "$anpham" render "$layout" --data "$data" -o "$tmp/c.pdf"
check "ANPHAM_CACHE_DIR=off: the same PDF" cmp -s "$tmp/a.pdf" "$tmp/c.pdf"

# 2. A changed layout is validated: a mistake is reported though the old bytes were valid...
sed -i 's#<body#<bogus-element/>\n  <body#' "$layout"
"$anpham" render "$layout" --data "$data" -o "$tmp/d.pdf" 2> "$tmp/e3"
check "a changed layout with a mistake: exit 1" [ $? -eq 1 ]
check "... naming the mistake with its place" grep -q "layout.xml:[0-9]*:[0-9]*: error: .*bogus-element" "$tmp/e3"
check "... no output" [ ! -e "$tmp/d.pdf" ]
check "an invalid layout is never recorded" [ "$(markers)" -eq 1 ]
sed -i '/<bogus-element\/>/d' "$layout"
sed -i 's#<body#<!-- a comment -->\n  <body#' "$layout"
"$anpham" render "$layout" --data "$data" -o "$tmp/e.pdf"
check "a changed valid layout: recorded by its new bytes" [ "$(markers)" -eq 2 ]

# 3. check validates too; a layout with a base: each file by its own bytes...
"$anpham" check "$src/tests/e2e/extends/district.xml" > /dev/null 2>&1 || true
n=$(markers)
check "a layout that extends another records both" [ "$n" -ge 4 ]

# 3b. The folder keeps the newest 1,024 markers: 1,100 older ones and a new layout, and the oldest go.
# Every marker so far is made an hour old (those of the steps above too: written
# in the last second, they counted as newer than before-h)...
for i in $(seq 1100); do : >"$tmp/cache/valid-layouts/$(printf '%064x' "$i")"; done
touch -d '1 hour ago' "$tmp/cache/valid-layouts"/*
sed -i 's#<body#<!-- another comment -->\n  <body#' "$layout"
touch -d '1 second ago' "$tmp/before-h"
"$anpham" render "$layout" --data "$data" -o "$tmp/h.pdf"
check "1,100 old markers and a new one: 1,024 kept ($(markers))" [ "$(markers)" -eq 1024 ]
check "...the oldest gone, the new layout's marker kept" \
  [ ! -e "$tmp/cache/valid-layouts/$(printf '%064x' 1)" -a "$(find "$tmp/cache/valid-layouts" -type f -newer "$tmp/before-h" | wc -l)" -eq 1 ]

# 4. Off: nothing written...
rm -rf "$tmp/cache"
ANPHAM_CACHE_DIR=off "$anpham" render "$layout" --data "$data" -o "$tmp/f.pdf"
check "ANPHAM_CACHE_DIR=off writes no cache" [ ! -e "$tmp/cache" ]
HOME=$tmp/home XDG_CACHE_HOME= ANPHAM_CACHE_DIR= "$anpham" render "$layout" --data "$data" -o "$tmp/g.pdf"
check "default place: \$HOME/.cache/anpham" [ -d "$tmp/home/.cache/anpham/valid-layouts" ]
HOME=$tmp/home XDG_CACHE_HOME=$tmp/xdg ANPHAM_CACHE_DIR= "$anpham" render "$layout" --data "$data" -o "$tmp/h.pdf"
check "\$XDG_CACHE_HOME/anpham when set" [ -d "$tmp/xdg/anpham/valid-layouts" ]

finish
