#!/usr/bin/env bash
# A batch in shards through GNU parallel on one host (issue 9 §6,
# docs/batch.md "Beyond one machine"): 12 jobs of the repo's handout run as
# `parallel anpham batch JOBS.xml --shard {}/4 ::: 0 1 2 3`, the four
# manifests joined by `anpham manifest merge`. Every job ran once, in its
# shard, and is "done"; each PDF's SHA-256 and pages are its manifest's; a
# shard run again renders nothing.
# Usage: batch_parallel.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: batch_parallel.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: batch_parallel.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/batch_shards.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v parallel >/dev/null || { echo "FAIL: GNU parallel missing (tools/install-deps.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export LC_ALL=C.UTF-8

shard_batch "$t"
out=$t/out

# The four shards at once (-j 4), one job at a time each; --halt never: a
# failed shard does not stop the others, and parallel's status counts them.
timeout 120 parallel --will-cite -j "$shard_count" --halt never \
  "$anpham" batch "$t/jobs.xml" --jobs 1 --shard "{}/$shard_count" ::: 0 1 2 3 >"$t/parallel.out" 2>"$t/parallel.err"
status=$?
check "parallel ran the $shard_count shards, each exit 0 (parallel's status $status)" test "$status" -eq 0
for k in 0 1 2 3; do
  check "shard $k's summary: 3 jobs done" grep -q "^anpham batch: 3 jobs: 3 done, 0 up to date, 0 failed .*manifest $out/manifest-$k-of-4.json\$" "$t/parallel.err"
done
[ "$status" -eq 0 ] || sed 's/^/  /' "$t/parallel.err"

"$anpham" manifest merge "$out"/manifest-{0,1,2,3}-of-4.json -o "$t/merged.json" 2>"$t/merge.err"
check "anpham manifest merge joins the four (exit 0, no message)" test $? -eq 0 -a ! -s "$t/merge.err"
shard_checks "$out" "$t/merged.json"

# The same jobs are the same PDFs, whichever shard made them (job i and
# job i + 3 are the same form: 1 and 4 in shards 0 and 3...).
check "the same job form, the same PDF in every shard (4 PDFs per form)" \
  test "$(sha256sum "$out"/job-*.pdf | awk '{ print $1 }' | sort | uniq -c | awk '{ print $1 }' | tr '\n' ' ')" = "4 4 4 "

# Shard 1 again: nothing to do, its PDFs untouched, its manifest the same.
stat -c '%n %i %y' "$out"/job-*.pdf >"$t/before"
cp "$out/manifest-1-of-4.json" "$t/manifest-1-before.json"
"$anpham" batch "$t/jobs.xml" --shard 1/4 2>"$t/again.err"
check "shard 1 again: exit 0" test $? -eq 0
check "shard 1 again: 0 done, all 3 up to date ($(tail -n 1 "$t/again.err"))" \
  grep -q '^anpham batch: 3 jobs: 0 done, 3 up to date, 0 failed ' "$t/again.err"
stat -c '%n %i %y' "$out"/job-*.pdf >"$t/after"
check "shard 1 again: no PDF rewritten (same inode and mtime)" cmp -s "$t/before" "$t/after"
check "shard 1 again: its manifest still lists its 3 jobs, done" \
  test "$(python3 -c 'import json, sys; print(sorted((e["output"].rsplit("/", 1)[1], e["status"]) for e in json.load(open(sys.argv[1]))["jobs"]))' "$out/manifest-1-of-4.json")" \
  = "[('job-02.pdf', 'done'), ('job-06.pdf', 'done'), ('job-10.pdf', 'done')]"

# The merged manifest serves a run without shards: all 12 up to date (on
# a copy: the run writes its manifest again).
cp "$t/merged.json" "$t/whole.json"
"$anpham" batch "$t/jobs.xml" --manifest "$t/whole.json" 2>"$t/whole.err"
check "the whole batch on the merged manifest: exit 0, 0 done, 12 up to date ($(tail -n 1 "$t/whole.err"))" \
  bash -c "[ $? -eq 0 ] && grep -q '^anpham batch: 12 jobs: 0 done, 12 up to date, 0 failed ' '$t/whole.err'"

# The checker catches what it must.
shard_checker_self_test "$t"

finish
