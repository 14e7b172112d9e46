#!/usr/bin/env bash
# bench/watch.sh BUILD_DIR (run by `make bench`): how soon anpham watch has
# the 2023 report's PDF ready after its data file is saved (issue 13 §2:
# within 50 ms). The data is copied into a scratch folder, saved again N
# times (default 20, BENCH_WATCH_SAVES) by writing it in place; each time the
# new PDF is awaited (its replacement seen by stat, polled every 0.2 ms).
# Prints a Markdown block and writes it into docs/benchmarks.md between the
# watch markers. Reports, does not gate.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
anpham=$build/anpham
doc=$src/docs/benchmarks.md
saves=${BENCH_WATCH_SAVES:-20}
[ -x "$anpham" ] || { echo "bench: no $anpham (build first)" >&2; exit 1; }
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
. "$src/bench/lib.bash"

mkdir -p "$t/layouts" "$t/data/2023"
cp "$src/layouts/bao-cao.xml" "$t/layouts/"
cp "$src/data/2023/bao-cao-2023.xml" "$t/data/2023/"
sed -i "s|fonts=\"[^\"]*\"|fonts=\"$src/fonts\"|" "$t/layouts/bao-cao.xml"
echo "bench: anpham watch on the 2023 report, $saves saves" >&2
"$anpham" watch "$t/layouts/bao-cao.xml" --data "$t/data/2023/bao-cao-2023.xml" -o "$t/out.pdf" 2>"$t/log" &
pid=$!
python3 - "$t/data/2023/bao-cao-2023.xml" "$t/out.pdf" "$saves" >"$t/times" <<'PY'
import os, sys, time
data, out, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])
def stamp():
    try:
        st = os.stat(out)
        return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None
t0 = time.monotonic()
while stamp() is None and time.monotonic() - t0 < 10:
    time.sleep(0.001)
text = open(data, "rb").read()
for _ in range(saves):
    time.sleep(0.3)
    before = stamp()
    with open(data, "wb") as f:          # saved in place...
        f.write(text)
    t0 = time.monotonic()                # ...from the moment it is written (closed)
    while stamp() == before and time.monotonic() - t0 < 10:
        time.sleep(0.0002)
    print("%.1f" % ((time.monotonic() - t0) * 1000))
PY
kill -INT "$pid"; wait "$pid" || true; pid=
read -r med min max < <(sort -n "$t/times" | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, v[1], v[NR] }')
renders=$(grep -c "^anpham watch: wrote " "$t/log" || true)
{
  echo "<!-- watch:start -->"
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs, \`$(git -C "$src" describe --always --dirty 2>/dev/null || echo no git)\`:"
  echo "\`anpham watch\` on the 2023 report, its data file saved $saves times (written in place);"
  echo "from the end of each write to the new PDF in place: median $med ms, min $min ms, max $max ms"
  echo "($renders renders in all, the first one included)."
  echo
  echo "- the PDF ready within 50 ms of the file being written: $(verdict le "$med" 50) (median $med ms)"
  echo "<!-- watch:end -->"
} >"$t/block.md"
cat "$t/block.md"
put_block watch "$t/block.md" "$doc"
echo "bench: wrote ${doc#"$src"/}" >&2
