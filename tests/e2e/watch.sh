#!/usr/bin/env bash
# anpham watch (docs/command-line.md): renders at once, then again when the
# data is written in place, saved by rename (as editors do), or when the
# layout changes; a broken data file prints its file:line:col error and
# leaves the last PDF as it was; fixing it renders again; SIGINT stops it
# with status 0 and no temporary file left. The watch runs in the
# background, started and stopped here; each wait gives up after 30 s. A
# change made while a render runs renders again.
# Usage: watch.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: watch.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: watch.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v pdftotext >/dev/null || { echo "SKIP: pdftotext missing (tools/install-deps.sh)"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/watch/layout.xml" >"$tmp/layout.xml"
data() { printf '<?xml version="1.0" encoding="UTF-8"?>\n<doc><p>%s</p></doc>\n' "$1"; }
data "Lần đầu tiên." >"$tmp/data.xml"

# wait_for COMMAND...: true as soon as COMMAND is, false after 30 s (a render of a changed layout checks
# it against the schema again: seconds under ASan on a loaded machine).
wait_for() { for _ in $(seq 600); do "$@" && return 0; sleep 0.05; done; return 1; }
renders() { grep -c "^anpham watch: wrote " "$tmp/log" || true; }
says() { pdftotext "$tmp/out.pdf" - 2>/dev/null | grep -q "$1"; }

cd "$tmp"
"$anpham" watch layout.xml --data data.xml -o out.pdf >"$tmp/log" 2>&1 &
pid=$!
check "renders at once" wait_for says "Lần đầu tiên"
check "says what it wrote and how long it took" grep -q "^anpham watch: wrote out.pdf (1 page) in [0-9]* ms$" "$tmp/log"

data "Ghi đè tại chỗ." >"$tmp/data.xml" # written in place
check "the data written in place: rendered again" wait_for says "Ghi đè tại chỗ"
data "Lưu bằng cách đổi tên." >"$tmp/data.new" && mv "$tmp/data.new" "$tmp/data.xml" # saved by rename
check "the data saved by rename (as editors do): rendered again" wait_for says "Lưu bằng cách đổi tên"
sed -i 's/BÁO CÁO/THÔNG BÁO/' "$tmp/layout.xml"
check "the layout changed: rendered again" wait_for says "THÔNG BÁO"

cp "$tmp/out.pdf" "$tmp/good.pdf"
n=$(renders)
printf '<?xml version="1.0" encoding="UTF-8"?>\n<doc><p>Hỏng</q></doc>\n' >"$tmp/data.xml"
check "a broken data file: its error with file:line:col" \
  wait_for grep -q "^data.xml:2:[0-9]*: error: malformed XML: </q> closes <p>" "$tmp/log"
check "...and the last good PDF is left as it was" cmp -s "$tmp/good.pdf" "$tmp/out.pdf"
check "...no render counted" test "$(renders)" -eq "$n"
data "Đã sửa." >"$tmp/data.xml"
check "fixed: rendered again" wait_for says "Đã sửa"

kill -INT "$pid"
wait_for bash -c "! kill -0 $pid 2>/dev/null"
wait "$pid"
status=$?
pid=
check "SIGINT stops it with status 0 ($status)" test "$status" -eq 0
check "...saying so" grep -q "^anpham watch: stopped$" "$tmp/log"
check "...and no temporary file is left" test -z "$(ls -A "$tmp" | grep -v -x -e layout.xml -e data.xml -e out.pdf -e good.pdf -e log)"

# A change made while a render runs is not lost: a 10,000-row table takes a
# few hundred milliseconds to render; the data is changed again while the
# render of the first change runs, and the watch renders the second change
# too (its folder stays watched from one render to the next).
mkdir "$tmp/t"
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/tables/layout.xml" >"$tmp/t/layout.xml"
bash "$src/tools/gen-table.sh" 10000 >"$tmp/t/rows.xml"
cp "$tmp/t/rows.xml" "$tmp/t/data.xml"
(cd "$tmp/t" && exec "$anpham" watch layout.xml --data data.xml -o out.pdf) >"$tmp/t/log" 2>&1 &
pid=$!
first() { pdftotext -l 1 "$tmp/t/out.pdf" - 2>/dev/null | grep -q "$1"; }
check "a long table renders" wait_for first "Dòng thử số 1$"
sed 's/Dòng thử số 1</Sửa lần một</' "$tmp/t/rows.xml" >"$tmp/t/data.xml"
sleep 0.15 # (the render of this change runs now)
sed 's/Dòng thử số 1</Sửa lần hai</' "$tmp/t/rows.xml" >"$tmp/t/data.xml"
check "a change made while a render runs: rendered too" wait_for first "Sửa lần hai"
kill -INT "$pid"
wait "$pid"
pid=
finish
