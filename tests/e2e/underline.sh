#!/usr/bin/env bash
# Underlines (issue 12 §2; docs/layout-language.md, underline): as thick as
# the face says (Liberation Serif: 100/2048 em), below the dot of Ạ, Ộ, Ệ
# with white between them, and broken around letters whose ink reaches the
# line (g, p, y). tests/e2e/underline/layout.xml: "ẠỘỆ ạộệ" and "gạp yêu"
# underlined at 60 pt, one line each.
# Usage: underline.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: underline.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: underline.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v qpdf >/dev/null && command -v pdftoppm >/dev/null && command -v python3 >/dev/null ||
  { echo "SKIP: qpdf, poppler-utils or python3 missing"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$anpham" render "$src/tests/e2e/underline/layout.xml" -o "$tmp/u.pdf" 2>"$tmp/err"
check "renders (exit 0, no message)" test $? -eq 0 -a ! -s "$tmp/err"
qpdf --qdf --object-streams=disable "$tmp/u.pdf" "$tmp/u.qdf" 2>/dev/null

# The strokes: width, then each line's pieces (m … l), one S per underline...
awk '/ w$/ { w = $1 } / m$/ { n++ } /^S$/ { print w, n; n = 0 }' "$tmp/u.qdf" >"$tmp/strokes"
read -r w1 n1 < <(sed -n 1p "$tmp/strokes")
read -r w2 n2 < <(sed -n 2p "$tmp/strokes")
check "two underlines" test "$(wc -l <"$tmp/strokes")" -eq 2
check "as thick as the face says: 60 pt x 100/2048 = 2.92969 pt ($w1)" test "$w1" = "2.92969"
check "'ẠỘỆ ạộệ': one piece, nothing reaches it ($n1)" test "${n1:-0}" -eq 1
check "'gạp yêu': broken around g, p and y, three pieces ($n2)" test "${n2:-0}" -eq 3

# ...and what a reader sees: under the first line, the dots below, then a
# white row, then the underline (gray image at 300 dpi).
pdftoppm -r 300 -gray -f 1 -l 1 "$tmp/u.pdf" "$tmp/page"
python3 - "$tmp"/page-1.pgm >"$tmp/gap" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
head = data.split(b"\n", 3)
w, h = map(int, head[1].split())
px = head[3]
dark = lambda x, y: px[y * w + x] < 128
# The underline: the first row (from the top) dark over a long stretch...
line = next(y for y in range(h) if sum(dark(x, y) for x in range(w)) > w // 3)
x0 = min(x for x in range(w) if dark(x, line))
x1 = max(x for x in range(w) if dark(x, line))
# ...then up from it: the underline's own rows, white rows, the dots.
y = line
while y > 0 and sum(dark(x, y - 1) for x in range(x0, x1 + 1)) > (x1 - x0) // 2:
    y -= 1
white = 0
while y > 0 and not any(dark(x, y - 1) for x in range(x0, x1 + 1)):
    y -= 1
    white += 1
dots = sum(dark(x, y - 1) for x in range(x0, x1 + 1)) if y > 0 else 0
print(white, dots)
PY
read -r white dots <"$tmp/gap"
check "under the dots of Ạ, Ộ, Ệ: white rows between the dots and the line ($white at 300 dpi; dots above: $dots dark pixels)" \
  test "${white:-0}" -ge 3 -a "${dots:-0}" -gt 0
finish
