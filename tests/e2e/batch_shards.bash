# A batch run in shards, made and checked alike whatever ran the shards
# (sourced by batch_parallel.sh and batch_slurm.sh; ctest runs only
# tests/e2e/*.sh). Needs $src, $anpham and lib.bash's ok/bad/check.
[ "${BASH_SOURCE[0]}" = "$0" ] && { echo "batch_shards.bash is sourced by the e2e tests"; exit 0; }

# How many jobs and shards.
shard_jobs=12
shard_count=4

# 'shard_batch DIR' - write DIR/jobs.xml: $shard_jobs jobs of the repo's
# handout (layouts/handout.xml with data/2024/hau-giang-2024.xml), every
# path absolute, output-dir DIR/out (made here: anpham wants it to exist).
# Job i (0-based) writes job-NN.pdf (NN = i + 1) in one of three forms by
# i mod 3 (plain, crop marks, two pages a side): the PDFs differ, so a
# manifest entry naming the wrong file shows.
shard_batch() {
  local dir=$1 i
  mkdir -p "$dir/out"
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo "<batch version=\"1\" layout=\"$src/layouts/handout.xml\" data=\"$src/data/2024/hau-giang-2024.xml\" output-dir=\"$dir/out\">"
    for ((i = 0; i < shard_jobs; i++)); do
      case $((i % 3)) in
        0) printf '  <job output="job-%02d.pdf"/>\n' $((i + 1)) ;;
        1) printf '  <job output="job-%02d.pdf" crop-marks="true"/>\n' $((i + 1)) ;;
        2) printf '  <job output="job-%02d.pdf" impose="2up"/>\n' $((i + 1)) ;;
      esac
    done
    echo '</batch>'
  } >"$dir/jobs.xml"
}

# 'shard_verify OUTDIR MANIFEST...' - read the manifests of the shards (the
# merged one last, or none) with python3's json module and print one line
# per problem: a shard that is not one of 0..N-1 of N, a job in the wrong
# shard or in two, a job no shard ran, an entry not "done", bytes that are
# not the file's size, a merged manifest that is not exactly every job with
# the shards' entries. Prints "sha256  path" lines for sha256sum -c to
# OUTDIR/sums and "pages path" lines to OUTDIR/pages. Silent when all is
# well.
shard_verify() {
  python3 - "$shard_jobs" "$shard_count" "$@" <<'EOF'
import json, os, sys
njobs, nshards, outdir, paths = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
want = {os.path.join(outdir, "job-%02d.pdf" % (i + 1)): i for i in range(njobs)}
seen, problems, entries = {}, [], {}
merged = None
for path in paths:
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    if "merged" in m:
        merged = (path, m)
        continue
    shard = m.get("shard", "")
    k, _, n = shard.partition("/")
    if not (k.isdigit() and n == str(nshards) and int(k) < nshards):
        problems.append("%s: shard %r, expected K/%d" % (path, shard, nshards))
        continue
    for e in m["jobs"]:
        out = e["output"]
        if out in seen:
            problems.append("%s: in shard %s and in shard %s" % (out, seen[out], k))
            continue
        seen[out] = k
        entries[out] = e
        if out not in want:
            problems.append("%s: shard %s ran a job the batch does not have" % (out, k))
        elif want[out] % nshards != int(k):
            problems.append("%s: job %d ran in shard %s, expected %d" % (out, want[out], k, want[out] % nshards))
for out in want:
    if out not in seen:
        problems.append("%s: no shard ran it" % out)
def entry_ok(where, e):
    if e.get("status") != "done":
        problems.append("%s: %s status %r, expected \"done\"" % (where, e["output"], e.get("status")))
    elif not os.path.isfile(e["output"]) or os.path.getsize(e["output"]) != e.get("bytes"):
        problems.append("%s: %s: %r bytes in the manifest, not the file's size" % (where, e["output"], e.get("bytes")))
    elif not e.get("inputs") or not all(len(i.get("sha256", "")) == 64 for i in e["inputs"]):
        problems.append("%s: %s: no inputs with their sha256" % (where, e["output"]))
for e in entries.values():
    entry_ok("shard", e)
if merged is not None:
    path, m = merged
    outs = [e["output"] for e in m["jobs"]]
    if sorted(outs) != sorted(want) or len(outs) != len(set(outs)):
        problems.append("%s: %d entries, expected each of the %d jobs once" % (path, len(outs), njobs))
    for e in m["jobs"]:
        entry_ok(path, e)
        s = entries.get(e["output"])
        if s is not None and (s["sha256"], s["pages"]) != (e["sha256"], e["pages"]):
            problems.append("%s: %s differs from its shard's entry" % (path, e["output"]))
    entries = {e["output"]: e for e in m["jobs"]}
with open(os.path.join(outdir, "sums"), "w") as sums, open(os.path.join(outdir, "pages"), "w") as pages:
    for out, e in sorted(entries.items()):
        sums.write("%s  %s\n" % (e["sha256"], out))
        pages.write("%s %s\n" % (e["pages"], out))
for p in problems:
    print(p)
EOF
}

# 'files_exist FILE...' - is each FILE a regular file?
files_exist() { local f; for f in "$@"; do [ -f "$f" ] || return 1; done; }

# 'shard_checks OUTDIR MERGED' - the checks of a run in shards whose
# manifests are OUTDIR/manifest-K-of-N.json, merged into MERGED: every job
# once in the shard it belongs to, the merged manifest every job "done",
# each PDF's SHA-256 (sha256sum) and pages (pdfinfo) as the manifest says.
shard_checks() {
  local outdir=$1 merged=$2 k manifests=() problems
  for ((k = 0; k < shard_count; k++)); do manifests+=("$outdir/manifest-$k-of-$shard_count.json"); done
  check "the $shard_count shards each wrote their manifest" files_exist "${manifests[@]}"
  [ -f "$merged" ] && manifests+=("$merged")
  check "the merged manifest is there" test -f "$merged"
  problems=$(shard_verify "$outdir" "${manifests[@]}" 2>&1)
  check "the shards' jobs: each of the $shard_jobs once, in its shard K = i mod $shard_count, all done; the merged manifest lists them all, done${problems:+
$problems}" test -z "$problems"
  check "each PDF's sha256sum is its manifest's sha256 ($(wc -l <"$outdir/sums" 2>/dev/null) files)" \
    bash -c "[ \$(wc -l <'$outdir/sums') -eq $shard_jobs ] && sha256sum --quiet -c '$outdir/sums'"
  check "each PDF has the pages its manifest says (pdfinfo)" \
    bash -c "while read -r n f; do [ \"\$(pdfinfo \"\$f\" 2>/dev/null | awk '/^Pages:/ { print \$2 }')\" = \"\$n\" ] || exit 1; done <'$outdir/pages'"
}

# 'shard_checker_self_test DIR' - the checker finds what it must: a
# manifest given twice (every job of a shard twice), a missing shard, a
# merged manifest with an entry lost. DIR holds a finished run (its
# out/sums and out/pages are overwritten).
shard_checker_self_test() {
  local dir=$1 out=$1/out
  shard_verify "$out" "$out/manifest-1-of-4.json" "$out"/manifest-*-of-4.json >"$dir/self-twice" 2>&1
  check "checker: a shard given twice shows its jobs twice" grep -q 'in shard 1 and in shard 1' "$dir/self-twice"
  shard_verify "$out" "$out/manifest-0-of-4.json" "$out/manifest-1-of-4.json" "$out/manifest-2-of-4.json" >"$dir/self-missing" 2>&1
  check "checker: a missing shard shows as jobs no shard ran" grep -q 'job-04.pdf: no shard ran it' "$dir/self-missing"
  python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); m["jobs"].pop()
json.dump(m, open(sys.argv[2], "w"))' "$dir/merged.json" "$dir/lost.json"
  shard_verify "$out" "$out"/manifest-*-of-4.json "$dir/lost.json" >"$dir/self-lost" 2>&1
  check "checker: a merged manifest with an entry lost shows" grep -q '11 entries, expected each of the 12 jobs once' "$dir/self-lost"
}
