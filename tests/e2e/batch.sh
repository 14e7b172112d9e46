#!/usr/bin/env bash
# anpham batch as docs/batch.md promises: PDFs byte-identical to `anpham
# render`; manifest.json whose digests match the files; a re-run with no
# change renders nothing, a changed data file renders its job alone; a
# broken job fails alone (its file:line:col error, exit 1, no file); a
# crashed job fails alone, a job process that dies idle is replaced for
# the next job; SIGINT in the middle: exit 130, no partial
# file, the manifest lists exactly the jobs that ended, a re-run does the
# rest; numbered copies; shards are disjoint and cover every job.
# Usage: batch.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: batch.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: batch.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
layout=$src/tests/e2e/pages/layout.xml
data=$src/tests/e2e/pages/data.xml

# 'manifest_jobs FILE' - "output status" per manifest entry, sorted.
manifest_jobs() { python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["jobs"]: print(e["output"], e["status"])' "$1" | sort; }
# 'manifest_ok FILE' - every done entry: its PDF and every input have the digests the manifest says.
manifest_ok() { python3 -c '
import hashlib, json, sys
bad = 0
for e in json.load(open(sys.argv[1]))["jobs"]:
    if e["status"] != "done": continue
    h = lambda p: hashlib.sha256(open(p, "rb").read()).hexdigest()
    if h(e["output"]) != e["sha256"] or len(open(e["output"], "rb").read()) != e["bytes"]: bad += 1; print("output", e["output"])
    for i in e["inputs"]:
        if h(i["path"]) != i["sha256"]: bad += 1; print("input", i["path"])
    if not any(i["path"].endswith(".ttf") for i in e["inputs"]): bad += 1; print("no font among the inputs")
sys.exit(bad)' "$1"; }
leftovers() { find "$1" -name '.*.anpham-*' | wc -l; }
# 'batch_bg FILE ERR' - `anpham batch FILE --jobs 1` in the background, its messages into ERR:
# $pid the batch's process, $child its job process (empty when none came within 4 s).
batch_bg() {
  "$anpham" batch "$1" --jobs 1 2> "$2" &
  pid=$!
  child=
  for _ in $(seq 1 200); do child=$(pgrep -P $pid | head -1); [ -n "$child" ] && break; sleep 0.02; done
}

# 1. The simple case: a layout, two data files → two PDFs, as render makes them...
mkdir -p "$tmp/d" "$tmp/out"
cp "$data" "$tmp/d/a.xml"
sed 's/<\/doc>/<\/doc>/' "$data" > "$tmp/d/b.xml"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" > "$tmp/o1" 2> "$tmp/e1"
check "simple batch exits 0" [ $? -eq 0 ]
check "simple batch prints nothing on stdout" [ ! -s "$tmp/o1" ]
check "simple batch: one line per job and a summary" grep -q "2 jobs: 2 done, 0 up to date, 0 failed" "$tmp/e1"
"$anpham" render "$layout" --data "$tmp/d/a.xml" -o "$tmp/a-render.pdf"
check "a batch PDF is byte-identical to anpham render's" cmp -s "$tmp/a-render.pdf" "$tmp/out/a.pdf"
check "manifest: 2 jobs done" [ "$(manifest_jobs "$tmp/out/manifest.json" | grep -c ' done$')" -eq 2 ]
check "manifest: digests of outputs and inputs match the files" manifest_ok "$tmp/out/manifest.json"
check "manifest: pages of a job" grep -q '"pages": [1-9]' "$tmp/out/manifest.json"

# 2. Incremental: nothing changed → nothing rendered; one data file changed → one job...
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "re-run with no change: 0 rendered" grep -q "2 jobs: 0 done, 2 up to date" "$tmp/e2"
touch "$tmp/d/a.xml"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "touching a file without changing it renders nothing" grep -q "0 done, 2 up to date" "$tmp/e2"
sed -i 's/<\/doc>/<!-- changed --><\/doc>/' "$tmp/d/b.xml"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "one changed data file renders its job alone" grep -q "2 jobs: 1 done, 1 up to date" "$tmp/e2"
check "... and it is that job" grep -q "^done .*/out/b.pdf" "$tmp/e2"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" --force 2> "$tmp/e2"
check "--force renders every job" grep -q "2 jobs: 2 done, 0 up to date" "$tmp/e2"
rm "$tmp/out/a.pdf"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "a deleted output renders again" grep -q "2 jobs: 1 done, 1 up to date" "$tmp/e2"
sed -i 's/"anpham": "[^"]*"/"anpham": "0.0.1"/' "$tmp/out/manifest.json"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "a manifest made by another anpham: every job renders again" grep -q "2 jobs: 2 done, 0 up to date" "$tmp/e2"
check "... and the new manifest names this anpham" grep -q "\"anpham\": \"$("$anpham" --version | awk '{ print $2 }')\"" "$tmp/out/manifest.json"
# Another build of the same version (the executable's GNU build ID differs)...
sed -i 's/"build": "[^"]*"/"build": "0123456789abcdef0123456789abcdef01234567"/' "$tmp/out/manifest.json"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "a manifest made by another build of this version: every job renders again" \
  grep -q "2 jobs: 2 done, 0 up to date" "$tmp/e2"
if command -v readelf >/dev/null; then
  id=$(readelf -n "$anpham" | sed -n 's/^ *Build ID: *\([0-9a-f]*\)$/\1/p')
  check "... and the new manifest names this build (readelf's Build ID $id)" \
    grep -q "\"build\": \"$id\"" "$tmp/out/manifest.json"
fi

# Digests are kept in the user's cache and reused while a file's status is
# the same (a font is not read again), and a change that keeps size and
# modification time is still seen (its status change time moved)...
export ANPHAM_CACHE_DIR=$tmp/cache
sleep 2 # Files changed in the last 2 s are never recorded
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" --force 2> "$tmp/e2"
digests=$(find "$tmp/cache/file-digests" -type f 2>/dev/null | wc -l)
check "the cache records the files' digests (layout, fonts, data: $digests)" test "$digests" -ge 4
for f in "$tmp"/cache/file-digests/*; do printf '%064d' 0 > "$f"; done
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" --force 2> "$tmp/e2"
check "an unchanged font's recorded digest is reused, not computed again" python3 -c '
import json, sys
ins = [i for e in json.load(open(sys.argv[1]))["jobs"] for i in e["inputs"] if i["path"].endswith(".ttf")]
sys.exit(not ins or any(i["sha256"] != "0" * 64 for i in ins))' "$tmp/out/manifest.json"
rm -rf "$tmp/cache"
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" --force 2> "$tmp/e2"
check "--force reads no manifest: its digests are the files' again" manifest_ok "$tmp/out/manifest.json"
before=$(stat -c '%i %s %y' "$tmp/d/b.xml")
touch -r "$tmp/d/b.xml" "$tmp/b.time"
python3 -c '
import sys
with open(sys.argv[1], "r+b") as f: # In place: same inode, same size
    t = f.read().replace(b"<!-- changed -->", b"<!-- CHANGED -->"); f.seek(0); f.write(t)' "$tmp/d/b.xml"
touch -r "$tmp/b.time" "$tmp/d/b.xml"
check "(the test changed b.xml, kept its inode, size and modification time)" [ "$(stat -c '%i %s %y' "$tmp/d/b.xml")" = "$before" ]
sleep 2
"$anpham" batch "$layout" --data "$tmp/d/a.xml" "$tmp/d/b.xml" -o "$tmp/out" 2> "$tmp/e2"
check "a change with the same size and modification time renders its job" grep -q "^done .*/out/b.pdf" "$tmp/e2"
check "manifest: digests still match the files" manifest_ok "$tmp/out/manifest.json"

# 3. A batch file with one broken data file: the others succeed, the failure
#    is named with its place, exit 1, no file for it...
mkdir -p "$tmp/b"
printf '<doc>\n  <title>broken\n</doc>\n' > "$tmp/b/broken.xml"
cat > "$tmp/b/jobs.xml" <<XML
<batch version="1" layout="$layout" output-dir="out">
  <job data="$data" output="one.pdf"/>
  <job data="broken.xml" output="two.pdf"/>
  <job data="$data" output="three.pdf"><set name="unused" value="x"/></job>
  <job data="$data" output="four.pdf"/>
</batch>
XML
"$anpham" batch "$tmp/b/jobs.xml" --jobs 2 > /dev/null 2> "$tmp/e3"
check "a failed job: exit 1" [ $? -eq 1 ]
check "the failure names the file, line and column" grep -q "^failed .*two.pdf: .*broken.xml:3:1: error: " "$tmp/e3"
check "the summary counts it" grep -q "4 jobs: 2 done, 0 up to date, 2 failed" "$tmp/e3"
check "the --set of an undeclared param fails its job" grep -q "three.pdf: .*unused" "$tmp/e3"
check "no file for the failed jobs" [ ! -e "$tmp/b/out/two.pdf" -a ! -e "$tmp/b/out/three.pdf" ]
check "the others are written" [ -s "$tmp/b/out/one.pdf" -a -s "$tmp/b/out/four.pdf" ]
check "no temporary file left" [ "$(leftovers "$tmp/b")" -eq 0 ]
check "manifest lists the failure with its error" python3 -c '
import json, sys
e = {j["output"].split("/")[-1]: j for j in json.load(open(sys.argv[1]))["jobs"]}
sys.exit(not (e["two.pdf"]["status"] == "failed" and "broken.xml:3:1" in e["two.pdf"]["error"] and e["one.pdf"]["status"] == "done"))' "$tmp/b/out/manifest.json"
"$anpham" batch "$tmp/b/jobs.xml" --quiet > /dev/null 2> "$tmp/e3q"
check "--quiet prints only failures (and the summary, as one failed)" [ "$(grep -c '^done\|^up to date' "$tmp/e3q")" -eq 0 ]
check "a re-run renders the failed jobs again, not the done ones" grep -q "4 jobs: 0 done, 2 up to date, 2 failed" "$tmp/e3q"

# On a terminal: one line rewritten (\r) with done/total, jobs per second and
# the time left; a failure printed above it ('script' gives the run a terminal)...
if command -v script >/dev/null; then
  script -qfec "'$anpham' batch '$tmp/b/jobs.xml' --force" /dev/null > "$tmp/tty" 2>&1
  check "terminal: the progress line is rewritten with \\r" grep -q $'\r\[4/4\] [0-9.]* jobs/s, [0-9]* s left, 2 failed' "$tmp/tty"
  check "terminal: a failure stands on its own line" grep -q "^failed .*two.pdf: .*broken.xml:3:1" "$tmp/tty"
  check "terminal: no per-job 'done' lines" [ "$(grep -c '^done ' "$tmp/tty")" -eq 0 ]
fi

# 4. A batch file that is wrong: one line with its place, exit 1, nothing written...
printf '<batch version="1">\n  <job output="x.pdf" colour="red"/>\n</batch>\n' > "$tmp/b/bad.xml"
"$anpham" batch "$tmp/b/bad.xml" 2> "$tmp/e4"
check "a bad batch file: exit 1" [ $? -eq 1 ]
check "a bad batch file: file:line:col and what was expected" \
  grep -q "bad.xml:2:23: error: <job> has no attribute colour: expected output, layout, data" "$tmp/e4"
printf '<batch version="1" layout="l.xml">\n  <job output="x.pdf"/>\n  <job output="x.pdf"/>\n</batch>\n' > "$tmp/b/dup.xml"
"$anpham" batch "$tmp/b/dup.xml" 2> "$tmp/e4"
check "two jobs writing one file: an error naming the second" grep -q "dup.xml:3:3: error: this job writes .*x.pdf, as an earlier job does" "$tmp/e4"
"$anpham" batch "$tmp/b/jobs.xml" --shard 4/4 2> "$tmp/e4"
check "--shard 4/4 is a usage error" [ $? -eq 2 ]
"$anpham" batch "$layout" --data "$data" 2> "$tmp/e4"
check "--data without -o DIR: exit 2" [ $? -eq 2 ]
check "... saying so" grep -q -- "-o DIR names the folder" "$tmp/e4"
"$anpham" batch "$tmp/b/jobs.xml" --jobs 0 2> "$tmp/e4"
check "--jobs 0 is a usage error" [ $? -eq 2 ]
"$anpham" manifest merge "$tmp/b/jobs.xml" -o "$tmp/m.json" 2> "$tmp/e4"
check "manifest merge of a file that is not JSON: exit 1, naming it" [ $? -eq 1 ]
check "... and no merged file" [ ! -e "$tmp/m.json" ]

# 5. Numbered copies: NAME-001.pdf … with $copy and $copies...
mkdir -p "$tmp/c"
cat > "$tmp/c/l.xml" <<'XML'
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a4" size="A4"/>
  <body>
    <if test="$copies != ''"><p style="body">Bản số {$copy}/{$copies}</p></if>
    <p style="body">Nội dung</p>
  </body>
</layout>
XML
printf '<batch version="1" layout="l.xml" copies="3">\n  <job output="ban.pdf"/>\n</batch>\n' > "$tmp/c/jobs.xml"
"$anpham" batch "$tmp/c/jobs.xml" 2> "$tmp/e5"
check "copies=3: three jobs" grep -q "3 jobs: 3 done" "$tmp/e5"
check "copies: Bản số 001/3 … 003/3" [ "$(for k in 1 2 3; do pdftotext "$tmp/c/ban-00$k.pdf" - | head -1; done | tr '\n' ' ')" = "Bản số 001/3 Bản số 002/3 Bản số 003/3 " ]
"$anpham" render "$tmp/c/l.xml" -o "$tmp/c/r.pdf" --copies 2
check "render --copies 2: r-001.pdf, r-002.pdf" [ "$(pdftotext "$tmp/c/r-002.pdf" - | head -1)" = "Bản số 002/2" ]
"$anpham" render "$tmp/c/l.xml" -o "$tmp/c/plain.pdf"
check "without copies \$copies is empty" [ "$(pdftotext "$tmp/c/plain.pdf" - | head -1)" = "Nội dung" ]

# The handout prints the copy on its cover and in every footer; in one PDF, copy after copy...
"$anpham" render "$src/layouts/handout.xml" --data "$src/data/2024/hau-giang-2024.xml" -o "$tmp/c/h.pdf" --copies 3 --copies-in-one
one=$(pdfinfo "$tmp/c/h.pdf" | awk '/^Pages:/ {print $2}')
check "copies-in-one: 3 copies of the handout ($one pages)" [ $((one % 3)) -eq 0 -a "$one" -ge 27 ]
page_has() { pdftotext -f "$2" -l "$2" "$1" - | grep -qx "$3"; }
check "copies-in-one: copy 1's cover" page_has "$tmp/c/h.pdf" 1 "Bản số 001/3"
check "copies-in-one: copy 3's cover" page_has "$tmp/c/h.pdf" $((2 * one / 3 + 1)) "Bản số 003/3"
check "copies-in-one: copy 2's last footer" page_has "$tmp/c/h.pdf" $((2 * one / 3)) "Bản số 002/3"
"$anpham" render "$src/layouts/handout.xml" --data "$src/data/2024/hau-giang-2024.xml" -o "$tmp/c/h1.pdf"
check "without copies the handout prints no copy number" [ "$(pdftotext "$tmp/c/h1.pdf" - | grep -c 'Bản số')" -eq 0 ]

# 6. Shards: disjoint, and together every job...
{ echo "<batch version=\"1\" layout=\"$tmp/c/l.xml\" output-dir=\"$tmp/s\">"
  for i in $(seq 1 10); do echo "<job output=\"j$i.pdf\"/>"; done; echo '</batch>'; } > "$tmp/s.xml"
mkdir -p "$tmp/s"
for k in 0 1 2 3; do "$anpham" batch "$tmp/s.xml" --shard $k/4 --quiet; done
all=$(for k in 0 1 2 3; do manifest_jobs "$tmp/s/manifest-$k-of-4.json"; done | sort)
check "shards: 10 jobs in all" [ "$(echo "$all" | wc -l)" -eq 10 ]
check "shards: no job twice" [ "$(echo "$all" | sort -u | wc -l)" -eq 10 ]
check "shard 1 of 4 has jobs 2, 6, 10" [ "$(manifest_jobs "$tmp/s/manifest-1-of-4.json" | sed 's/.*\///; s/ done//' | tr '\n' ' ')" = "j10.pdf j2.pdf j6.pdf " ]
"$anpham" manifest merge "$tmp"/s/manifest-*-of-4.json -o "$tmp/s/manifest.json"
check "manifest merge: every job once" [ "$(manifest_jobs "$tmp/s/manifest.json" | wc -l)" -eq 10 ]
build=$(sed -n 's/^ *"build": "\([0-9a-f]*\)",$/\1/p' "$tmp/s/manifest-0-of-4.json")
check "manifest merge: the shards' build ($build) kept" \
  bash -c "[ -n '$build' ] && grep -q '\"build\": \"$build\"' '$tmp/s/manifest.json'"
sed 's/"build": "[^"]*"/"build": "00ff"/' "$tmp/s/manifest-3-of-4.json" > "$tmp/s/other-build.json"
"$anpham" manifest merge "$tmp"/s/manifest-[012]-of-4.json "$tmp/s/other-build.json" -o "$tmp/s/mixed.json"
check "manifest merge of shards of two builds names none" grep -q '"build": ""' "$tmp/s/mixed.json"

# 7. SIGINT in the middle of a 50-job batch: exit 130, no partial file, the
#    manifest lists exactly the finished jobs, a re-run does the rest...
"$src/tools/gen-table.sh" 400 > "$tmp/t.xml"
{ echo "<batch version=\"1\" layout=\"$src/tests/e2e/tables/layout.xml\" data=\"$tmp/t.xml\" output-dir=\"$tmp/i\">"
  for i in $(seq 1 50); do echo "<job output=\"t$i.pdf\"/>"; done; echo '</batch>'; } > "$tmp/i.xml"
mkdir -p "$tmp/i"
"$anpham" batch "$tmp/i.xml" --jobs 2 2> "$tmp/e7" &
pid=$!
for _ in $(seq 1 200); do [ "$(ls "$tmp/i" | grep -c '\.pdf$')" -ge 4 ] && break; sleep 0.05; done
kill -INT $pid
wait $pid
status=$?
check "SIGINT: exit 130" [ $status -eq 130 ]
finished=$(ls "$tmp/i" | grep -c '\.pdf$')
check "SIGINT: the batch stopped early ($finished of 50)" [ "$finished" -lt 50 -a "$finished" -ge 4 ]
check "SIGINT: no temporary file left" [ "$(leftovers "$tmp/i")" -eq 0 ]
allwhole=0; for f in "$tmp"/i/*.pdf; do qpdf --check "$f" > /dev/null 2>&1 || allwhole=1; done
check "SIGINT: every PDF written is whole" [ $allwhole -eq 0 ]
check "SIGINT: the manifest lists exactly the finished jobs" \
  [ "$(manifest_jobs "$tmp/i/manifest.json" | sed 's/ done$//' | sort | tr '\n' ' ')" = "$(ls "$tmp"/i/*.pdf | sort | tr '\n' ' ')" ]
check "SIGINT: the summary says interrupted" grep -q "(interrupted)" "$tmp/e7"
"$anpham" batch "$tmp/i.xml" 2> "$tmp/e7b"
check "re-run after SIGINT renders the rest only" [ "$(ls "$tmp/i" | grep -c '\.pdf$')" -eq 50 -a \
  "$(manifest_jobs "$tmp/i/manifest.json" | grep -c ' done$')" -eq 50 ]
check "re-run after SIGINT: $((50 - finished)) rendered" grep -q "50 jobs: $((50 - finished)) done, $finished up to date" "$tmp/e7b"

# 8. A job that crashes fails alone (its process is killed here: SIGKILL, which no
#    sanitizer's handler turns into an exit)...
"$src/tools/gen-table.sh" 20000 > "$tmp/big.xml"
cat > "$tmp/k.xml" <<XML
<batch version="1" layout="$src/tests/e2e/tables/layout.xml" output-dir="$tmp/k">
  <job data="$tmp/big.xml" output="big.pdf"/>
  <job data="$tmp/t.xml" output="small.pdf"/>
</batch>
XML
mkdir -p "$tmp/k"
batch_bg "$tmp/k.xml" "$tmp/e8"
sleep 0.2
[ -n "$child" ] && kill -KILL "$child"
wait $pid
status=$?
check "a crashed job: exit 1" [ $status -eq 1 ]
check "a crashed job is reported as a crash" grep -q "big.pdf: the job crashed (signal 9" "$tmp/e8"
check "the next job still runs" [ -s "$tmp/k/small.pdf" -a ! -e "$tmp/k/big.pdf" ]

# 8b. A job process that ends while it waits for its next job (killed
#     here, as an out-of-memory killer would): the batch hands that job to
#     a new process, and every job is done. The batch's own process is
#     stopped while its one job process finishes the first job, the job
#     process is killed once idle, then the batch goes on: the next job's
#     line finds no reader (ap_worker_give fails).
cat > "$tmp/l.xml" <<XML
<batch version="1" layout="$src/tests/e2e/tables/layout.xml" output-dir="$tmp/l">
  <job data="$tmp/big.xml" output="big.pdf"/>
  <job data="$tmp/t.xml" output="small.pdf"/>
  <job data="$tmp/t.xml" output="small2.pdf"/>
</batch>
XML
mkdir -p "$tmp/l"
batch_bg "$tmp/l.xml" "$tmp/e8b"
kill -STOP $pid
for _ in $(seq 1 1500); do [ -s "$tmp/l/big.pdf" ] && break; sleep 0.02; done
first=$(ls "$tmp/l" | tr '\n' ' ')
sleep 0.3 # (its report written: the job process waits for a job line)
for _ in $(seq 1 250); do idle=$(awk '{ print $3 }' "/proc/$child/stat" 2>/dev/null); [ "$idle" = S ] && break; sleep 0.02; done
[ -n "$child" ] && kill -KILL "$child"
# (dead, its pipes closed, before the batch goes on: a zombie until the batch reaps it)
for _ in $(seq 1 200); do [ "$(awk '{ print $3 }' "/proc/$child/stat" 2>/dev/null)" = Z ] && break; sleep 0.01; done
kill -CONT $pid
wait $pid
status=$?
check "an idle job process killed: the first job was done before (${first:-nothing})" [ "$first" = "big.pdf " ]
check "an idle job process killed: it was waiting, not running (state ${idle:-gone})" [ "$idle" = S ]
check "an idle job process killed: exit 0 (status $status)" [ $status -eq 0 ]
check "an idle job process killed: its next job went to a new process, all 3 done" \
  grep -q "3 jobs: 3 done, 0 up to date, 0 failed" "$tmp/e8b"
"$anpham" render "$src/tests/e2e/tables/layout.xml" --data "$tmp/t.xml" -o "$tmp/l-small.pdf"
check "an idle job process killed: the job it would have run is render's" cmp -s "$tmp/l-small.pdf" "$tmp/l/small.pdf"
check "an idle job process killed: the job after it is render's" cmp -s "$tmp/l-small.pdf" "$tmp/l/small2.pdf"
check "an idle job process killed: the manifest lists the 3 jobs, done" \
  [ "$(manifest_jobs "$tmp/l/manifest.json" | grep -c ' done$')" -eq 3 ]


# 9. A job process runs job after job on its prepared layout (--jobs 1:
# one process for all): a job leaves nothing of its own to the next: not
# its --set values, not its data among their inputs, not its images.
mkdir -p "$tmp/w"
cat > "$tmp/w.xml" <<XML
<batch version="1" layout="$src/layouts/phu-luc.xml" output-dir="$tmp/w">
  <allow-path dir="$src/data/2025"/>
  <job data="$src/data/2025/phu-luc-2025.xml" output="landscape.pdf"><set name="table" value="landscape"/></job>
  <job data="$src/data/2025/phu-luc-2025.xml" output="portrait.pdf"/>
  <job data="$src/data/2025/phu-luc-2025.xml" output="portrait2.pdf"/>
</batch>
XML
"$anpham" batch "$tmp/w.xml" --jobs 1 2> "$tmp/e9"
check "batch of three jobs exits 0" [ $? -eq 0 ]
"$anpham" render "$src/layouts/phu-luc.xml" --data "$src/data/2025/phu-luc-2025.xml" -o "$tmp/w-portrait.pdf"
"$anpham" render "$src/layouts/phu-luc.xml" --data "$src/data/2025/phu-luc-2025.xml" --set table=landscape \
  -o "$tmp/w-landscape.pdf"
check "the first job is render's (its --set)" cmp -s "$tmp/w-landscape.pdf" "$tmp/w/landscape.pdf"
check "the next job, without --set, is render's (no --set of the first)" \
  cmp -s "$tmp/w-portrait.pdf" "$tmp/w/portrait.pdf"
check "the two variants differ" sh -c '! cmp -s "$1" "$2"' _ "$tmp/w/landscape.pdf" "$tmp/w/portrait.pdf"
mkdir -p "$tmp/wd" "$tmp/wo"
for n in 1 2 3; do sed "s/<\/doc>/<\/doc>/" "$data" > "$tmp/wd/d$n.xml"; done
"$anpham" batch "$layout" --data "$tmp/wd/d1.xml" "$tmp/wd/d2.xml" "$tmp/wd/d3.xml" -o "$tmp/wo" --jobs 1 2> "$tmp/e9b"
check "batch of three jobs with an image exits 0" [ $? -eq 0 ]
check "each job's inputs: its own data and the image, not another job's data" python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["jobs"]:
    names = [i["path"].rsplit("/", 1)[-1] for i in e["inputs"]]
    own = e["data"].rsplit("/", 1)[-1]
    if own not in names or "mark.png" not in names: sys.exit("missing in %s: %s" % (e["output"], names))
    if [n for n in names if n.startswith("d") and n.endswith(".xml") and n != own]: sys.exit("data of another job: %s" % names)
' "$tmp/wo/manifest.json"


# 10. Data bases parsed once (a job process keeps each base it reads, and
# copies it for the next job that names it): the PDFs are
# render's, every job lists the base among its inputs, an error placed in
# the base names the base's own lines for every job, and a base changed
# between two runs is read again.
mkdir -p "$tmp/b/province" "$tmp/bo"
cp "$src/tests/e2e/data_base/layout.xml" "$tmp/b/"
cp "$src/tests/e2e/data_base/province/"*.xml "$tmp/b/province/"
for n in 1 2 3; do sed "s/huyện Châu Thành/huyện số $n/" "$src/tests/e2e/data_base/district.xml" > "$tmp/b/d$n.xml"; done
"$anpham" batch "$tmp/b/layout.xml" --data "$tmp/b/d1.xml" "$tmp/b/d2.xml" "$tmp/b/d3.xml" -o "$tmp/bo" --jobs 1 \
  --allow-path "$src/fonts" 2> "$tmp/e10"
check "bases batch exits 0" [ $? -eq 0 ]
for n in 1 2 3; do
  "$anpham" render "$tmp/b/layout.xml" --data "$tmp/b/d$n.xml" -o "$tmp/b-r$n.pdf" --allow-path "$src/fonts"
done
check "job 1 (the base parsed) is render's" cmp -s "$tmp/b-r1.pdf" "$tmp/bo/d1.pdf"
check "job 3 (the base copied) is render's" cmp -s "$tmp/b-r3.pdf" "$tmp/bo/d3.pdf"
check "every job lists both bases among its inputs" python3 -c '
import json, sys
for e in json.load(open(sys.argv[1]))["jobs"]:
    names = [i["path"].rsplit("/", 1)[-1] for i in e["inputs"]]
    if "base.xml" not in names or "middle.xml" not in names: sys.exit(names)
' "$tmp/bo/manifest.json"
# ...an id twice in the deepest base: each job's error names the base's two lines, as render's does...
sed -i 's|<cover id="cover">|<cover id="cover"></cover><cover id="cover">|' "$tmp/b/province/base.xml"
"$anpham" render "$tmp/b/layout.xml" --data "$tmp/b/d3.xml" -o "$tmp/b-bad.pdf" --allow-path "$src/fonts" 2> "$tmp/e10r"
"$anpham" batch "$tmp/b/layout.xml" --data "$tmp/b/d1.xml" "$tmp/b/d2.xml" "$tmp/b/d3.xml" -o "$tmp/bo" --jobs 1 \
  --allow-path "$src/fonts" 2> "$tmp/e10b"
check "a changed base is read again: every job fails" grep -q "3 jobs: 0 done, 0 up to date, 3 failed" "$tmp/e10b"
line=$(grep -o "have this id ([^)]*)" "$tmp/e10r")
check "render's error names two lines of the base" grep -q "base.xml:[0-9]* and .*base.xml:[0-9]*" "$tmp/e10r"
check "the third job's error (a copied base) names the same lines" grep -qF "d3.pdf: $(grep -o '[^ ]*d3.xml:.*' "$tmp/e10r" | head -1)" "$tmp/e10b"


# 11. Jobs of two layouts in turn with one job process at a time: the idle
# process of the other layout ends to make room, and every PDF is render's.
mkdir -p "$tmp/two"
cat > "$tmp/two.xml" <<XML
<batch version="1" output-dir="$tmp/two">
  <allow-path dir="$src/data"/>
  <job layout="$src/layouts/phu-luc.xml" data="$src/data/2025/phu-luc-2025.xml" output="a.pdf"/>
  <job layout="$src/layouts/tom-tat.xml" data="$src/data/2020/tom-tat-2020.xml" output="b.pdf"/>
  <job layout="$src/layouts/phu-luc.xml" data="$src/data/2025/phu-luc-2025.xml" output="c.pdf"><set name="table" value="landscape"/></job>
  <job layout="$src/layouts/tom-tat.xml" data="$src/data/2020/tom-tat-2020.xml" output="d.pdf"/>
</batch>
XML
"$anpham" batch "$tmp/two.xml" --jobs 1 2> "$tmp/e11"
check "two layouts in turn, one process at a time: 4 done" grep -q "4 jobs: 4 done" "$tmp/e11"
"$anpham" render "$src/layouts/tom-tat.xml" --data "$src/data/2020/tom-tat-2020.xml" -o "$tmp/two-b.pdf"
"$anpham" render "$src/layouts/phu-luc.xml" --data "$src/data/2025/phu-luc-2025.xml" --set table=landscape -o "$tmp/two-c.pdf"
check "the other layout's second job is render's" cmp -s "$tmp/two-b.pdf" "$tmp/two/d.pdf"
check "a layout's job after the other layout's is render's (its --set)" cmp -s "$tmp/two-c.pdf" "$tmp/two/c.pdf"

finish
