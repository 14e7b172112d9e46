#!/usr/bin/env bash
# Faces and subsets in the cache (src/font/snapshot.c, subset.c): the first
# render reads each face through HarfBuzz and keeps its snapshot
# (face-metrics/) and subsets (font-subsets/); a render after it loads no
# HarfBuzz at all (LD_DEBUG=files) and writes the same bytes as a render
# with no cache. A snapshot cut short is ignored and written again, a
# subset cut short or changed is made again, and so is its zlib data
# (font-streams/); the folders keep the newest 256 subsets and 64
# snapshots; a font file changed in place (new content, old time stamp) or
# touched just now is read through HarfBuzz again, never from the stale
# snapshot.
# Usage: font_cache.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: font_cache.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: font_cache.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v pdffonts >/dev/null || { echo "SKIP: pdffonts missing (tools/install-deps.sh)"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=$tmp/cache SOURCE_DATE_EPOCH=1700000000

# loads_harfbuzz ARGS...: whether a render with these arguments maps a HarfBuzz library.
loads_harfbuzz() {
  LD_DEBUG=files "$anpham" render "$@" 2>"$tmp/ld.log" >/dev/null && grep -q 'file=libharfbuzz' "$tmp/ld.log"
}
no_harfbuzz() { LD_DEBUG=files "$anpham" render "$@" 2>"$tmp/ld.log" >/dev/null && ! grep -q 'file=libharfbuzz' "$tmp/ld.log"; }
count() { find "$tmp/cache/$1" -type f 2>/dev/null | wc -l; }

# The 2023 report: four faces.
report=("$src/layouts/bao-cao.xml" --data "$src/data/2023/bao-cao-2023.xml")
ANPHAM_CACHE_DIR=off "$anpham" render "${report[@]}" -o "$tmp/off.pdf"
check "a first render reads the faces through HarfBuzz" loads_harfbuzz "${report[@]}" -o "$tmp/first.pdf"
check "...and keeps a snapshot of each face it loads ($(count face-metrics))" test "$(count face-metrics)" -ge 4
check "...and the subsets it embeds ($(count font-subsets))" test "$(count font-subsets)" -ge 3
check "...the same bytes as with no cache" cmp -s "$tmp/first.pdf" "$tmp/off.pdf"
check "a second render loads no HarfBuzz" no_harfbuzz "${report[@]}" -o "$tmp/second.pdf"
check "...the same bytes as with no cache" cmp -s "$tmp/second.pdf" "$tmp/off.pdf"
check "...the same fonts, embedded subsets" \
  bash -c 'diff <(pdffonts "$1" | tail -n +3) <(pdffonts "$2" | tail -n +3)' _ "$tmp/second.pdf" "$tmp/off.pdf"
# Tagged or not, PDF/A: every face from the cache.
for extra in --no-tags --pdfa; do
  ANPHAM_CACHE_DIR=off "$anpham" render "${report[@]}" $extra -o "$tmp/off-x.pdf"
  "$anpham" render "${report[@]}" $extra -o "$tmp/x.pdf"
  check "$extra: the same bytes from the cache" cmp -s "$tmp/x.pdf" "$tmp/off-x.pdf"
done

# A snapshot cut short is ignored (the face read through HarfBuzz) and written whole again.
snap=$(find "$tmp/cache/face-metrics" -type f | head -1)
size=$(stat -c %s "$snap")
truncate -s $((size / 2)) "$snap"
"$anpham" render "${report[@]}" -o "$tmp/cut.pdf"
check "a snapshot cut short: the same bytes" cmp -s "$tmp/cut.pdf" "$tmp/off.pdf"
check "...and the snapshot is whole again" test "$(stat -c %s "$snap")" -eq "$size"
printf 'APFACE1\n%s' "$(head -c 4000 /dev/urandom | base64 -w0)" >"$snap"
"$anpham" render "${report[@]}" -o "$tmp/junk.pdf"
check "a snapshot of junk: the same bytes" cmp -s "$tmp/junk.pdf" "$tmp/off.pdf"

# 'mends WHAT FOLDER CUT AT' - the first file of FOLDER cut to CUT bytes,
# then with its byte AT changed, then of 3 bytes: each time a render writes
# the same PDF as with no cache and makes the file right again (six checks).
mends() {
  local what=$1 file byte
  file=$(find "$tmp/cache/$2" -type f | head -1)
  cp "$file" "$tmp/good"
  truncate -s "$3" "$file"
  "$anpham" render "${report[@]}" -o "$tmp/mend.pdf"
  check "$what cut short: the same bytes" cmp -s "$tmp/mend.pdf" "$tmp/off.pdf"
  check "...and whole again" cmp -s "$file" "$tmp/good"
  byte=$(od -An -tu1 -j "$4" -N1 "$file" | tr -d ' ')
  printf "\\$(printf %03o $(((byte + 1) % 256)))" | dd of="$file" bs=1 seek="$4" conv=notrunc 2>/dev/null
  check "$what with one byte changed (at $4: $byte)" bash -c '! cmp -s "$1" "$2"' _ "$file" "$tmp/good"
  "$anpham" render "${report[@]}" -o "$tmp/mend.pdf"
  check "...the same bytes" cmp -s "$tmp/mend.pdf" "$tmp/off.pdf"
  check "...and right again" cmp -s "$file" "$tmp/good"
  printf 'apS' >"$file" # Shorter than the seal
  "$anpham" render "${report[@]}" -o "$tmp/mend.pdf"
  check "$what of 3 bytes: the same bytes, the file right again" \
    bash -c 'cmp -s "$1" "$2" && cmp -s "$3" "$4"' _ "$tmp/mend.pdf" "$tmp/off.pdf" "$file" "$tmp/good"
}
# A kept subset: its seal does not hold, so it is made again (never
# embedded damaged: before the seal, one cut short was embedded as it was,
# exit 0) and kept whole again.
mends "a subset" font-subsets 5000 3000
# The subsets' zlib data (font-streams/): kept by the first render, taken
# by the next when it inflates to the very subset, else compressed again.
check "the subsets' zlib data kept ($(count font-streams))" test "$(count font-streams)" -ge 3
mends "zlib data of a subset" font-streams 100 2000

# The folder keeps the newest 256 subsets: 300 older ones (named as
# subsets are, an hour old) and a new one, and the oldest go.
for i in $(seq 300); do
  printf 'old subset %s' "$i" >"$tmp/cache/font-subsets/$(printf '%064x' "$i")"
done
touch -d '1 hour ago' "$tmp/cache/font-subsets"/0000*
touch -d '1 minute ago' "$tmp/before-new"
mkdir "$tmp/new"
cat >"$tmp/new/layout.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1" fonts="$src/fonts">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a5" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm"/>
  <body page="a5"><p style="body">Quy định mới: 7 ngày</p></body>
</layout>
EOF
"$anpham" render "$tmp/new/layout.xml" -o "$tmp/new.pdf"
check "300 old subsets and a new one: 256 kept ($(count font-subsets))" test "$(count font-subsets)" -eq 256
check "...the oldest gone, the new one kept" \
  bash -c '[ ! -e "$1/$(printf %064x 1)" ] && [ -n "$(find "$1" -type f -newer "$2")" ]' _ "$tmp/cache/font-subsets" "$tmp/before-new"

# face-metrics/ keeps the newest 64 snapshots: 70 older ones and a face
# not seen before (a font file at a new path, older than the 2 seconds in
# which a changed file is not kept), and the oldest go.
for i in $(seq 70); do
  printf 'old snapshot %s' "$i" >"$tmp/cache/face-metrics/$(printf '%064x' "$i")"
done
touch -d '1 hour ago' "$tmp/cache/face-metrics"/0000*
mkdir "$tmp/face2"
cp "$src/fonts/LiberationSans-Regular.ttf" "$tmp/face2/face.ttf"
sed "s|fonts=\"$src/fonts\"|fonts=\".\"|; s|LiberationSerif-Regular.ttf|face.ttf|" "$tmp/new/layout.xml" >"$tmp/face2/layout.xml"
touch "$tmp/before-face"
sleep 2.1
"$anpham" render "$tmp/face2/layout.xml" -o "$tmp/face2.pdf"
check "70 old snapshots and a new face: 64 kept ($(count face-metrics))" test "$(count face-metrics)" -eq 64
check "...the oldest gone, the new face's kept" \
  bash -c '[ ! -e "$1/$(printf %064x 1)" ] && [ "$(find "$1" -type f -newer "$2" | wc -l)" -eq 1 ]' _ "$tmp/cache/face-metrics" "$tmp/before-face"

# A layout whose font file is changed in place: the new face, never the stale snapshot.
mkdir "$tmp/doc"
cp "$src/fonts/LiberationSerif-Regular.ttf" "$tmp/doc/face.ttf"
touch -d '1 hour ago' "$tmp/ref"
touch -r "$tmp/ref" "$tmp/doc/face.ttf"
cat >"$tmp/doc/layout.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1" fonts=".">
  <family name="serif" regular="face.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a5" size="A5" margin-top="15mm" margin-bottom="15mm" margin-left="15mm" margin-right="15mm"/>
  <body page="a5"><p style="body">Cộng hòa xã hội chủ nghĩa Việt Nam</p></body>
</layout>
EOF
font_of() { pdffonts "$1" 2>/dev/null | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }'; }
"$anpham" render "$tmp/doc/layout.xml" -o "$tmp/serif.pdf" 2>/dev/null
# (sleep past the time stamps' resolution: the file gets a status-change time of its own)
sleep 0.05
cat "$src/fonts/LiberationSans-Regular.ttf" >"$tmp/doc/face.ttf" # in place: same inode, same time stamp
touch -r "$tmp/ref" "$tmp/doc/face.ttf"
check "the layout's face is cached ($(font_of "$tmp/serif.pdf"))" test "$(font_of "$tmp/serif.pdf")" = LiberationSerif
check "...changed in place (old time stamp): not from the stale snapshot" \
  bash -c '"$1" render "$2" -o "$3" 2>/dev/null && [ "$(pdffonts "$3" | awk "NR > 2 { sub(/^[A-Z]+\\+/, \"\", \$1); print \$1 }")" = LiberationSans ]' \
  _ "$anpham" "$tmp/doc/layout.xml" "$tmp/sans.pdf"
ANPHAM_CACHE_DIR=off "$anpham" render "$tmp/doc/layout.xml" -o "$tmp/sans-off.pdf" 2>/dev/null
check "...the same bytes as with no cache" cmp -s "$tmp/sans.pdf" "$tmp/sans-off.pdf"
touch "$tmp/doc/face.ttf"
check "a font file touched just now is read through HarfBuzz" loads_harfbuzz "$tmp/doc/layout.xml" -o "$tmp/now.pdf"
check "...the same bytes" cmp -s "$tmp/now.pdf" "$tmp/sans-off.pdf"

# No cache at all: HarfBuzz every time, nothing written.
rm -rf "$tmp/cache"
check "ANPHAM_CACHE_DIR=off: HarfBuzz read every time" \
  env ANPHAM_CACHE_DIR=off bash -c "$(declare -f loads_harfbuzz); anpham=$anpham tmp=$tmp; loads_harfbuzz \"\$@\"" _ "${report[@]}" -o "$tmp/o2.pdf"
check "...and no cache folder made" test ! -e "$tmp/cache"
finish
