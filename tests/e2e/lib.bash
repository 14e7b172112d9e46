# Shared helpers for the end-to-end tests (sourced; ctest runs only
# tests/e2e/*.sh).
[ "${BASH_SOURCE[0]}" = "$0" ] && { echo "lib.bash is sourced by the e2e tests"; exit 0; }

pass=0
fail=0
failed_checks=() # the failed checks, said again by finish (a long log is cut in CI's excerpt)
ok()   { pass=$((pass + 1)); echo "ok   - $*"; }
bad()  { fail=$((fail + 1)); failed_checks+=("$*"); echo "FAIL - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
finish() {
  local f
  for f in "${failed_checks[@]}"; do echo "failed: $f"; done
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
# 'fails_alike WHAT ANPHAM LAYOUT DATA MESSAGE' - render exits 1 with
# exactly MESSAGE and writes no PDF (one check, its message shown), and
# check of the same files says the same (another).
fails_alike() {
  local what=$1 bin=$2 layout=$3 data=$4 want=$5 d rc
  d=$(mktemp -d)
  "$bin" render "$layout" --data "$data" -o "$d/out.pdf" 2>"$d/err"
  rc=$?
  check "$what: exit 1, no PDF ($(head -c 120 "$d/err"))" \
    bash -c '[ "$1" = 1 ] && [ "$(cat "$2")" = "$3" ] && [ ! -e "$4" ]' _ "$rc" "$d/err" "$want" "$d/out.pdf"
  "$bin" check "$layout" --data "$data" 2>"$d/err"
  rc=$?
  check "…and check says the same" bash -c '[ "$1" = 1 ] && [ "$(cat "$2")" = "$3" ]' _ "$rc" "$d/err" "$want"
  rm -rf "$d"
}
# 'peak_measurable ANPHAM WHAT' - can GNU time measure this build's peak
# memory (not an instrumented build, /usr/bin/time at hand)? Otherwise a
# note says that WHAT is not checked, and it returns 1. Peaks are compared
# with the heap on small pages (ANPHAM_HUGE_PAGES=0, exported for the rest
# of the script): on 2 MB pages the resident size moves in 2 MB steps as
# the kernel finds huge pages or not, and two runs of the same render
# differed by more than a comparison's margin.
peak_measurable() {
  export ANPHAM_HUGE_PAGES=0
  if nm "$1" 2>/dev/null | grep -q '__asan_init\|__tsan_init'; then
    echo "note - instrumented build: $2 is not checked"
    return 1
  elif ! { [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; }; then
    echo "note - GNU time missing: $2 is not checked"
    return 1
  fi
}
# 'render_checked NAME LAYOUT DATA [ARGS...]' - $anpham renders into $tmp/NAME.pdf
# and $tmp/NAME.dump; one check that it exits 0 with no message.
render_checked() {
  local name=$1 layout=$2 data=$3
  shift 3
  "$anpham" render "$layout" --data "$data" -o "$tmp/$name.pdf" --dump "$tmp/$name.dump" "$@" 2>"$tmp/$name.err"
  local rc=$?
  check "$name renders (exit $rc, no message)" test "$rc" -eq 0 -a ! -s "$tmp/$name.err"
}

# Words of a layout dump, one per line: runs of a line box glued when they
# touch (x = previous x + width), split where glue stands between them.
#   dump_words FILE [body|notes|all] [nolabels]
dump_words() {
  awk -v which="${2:-all}" -v nolabels="${3:-}" '
    function flush() { if (word != "") print word; word = "" }
    # A line the layout marks split-word ends inside a word ("1120-QĐ/" +
    # "TU"): the word goes on on the next line of its paragraph.
    function endline() { if (sw) carry = 1; else flush() }
    /^page / { endline(); next }
    /^  [a-z]/ { if (kind == "line" && $1 == "line") endline(); else flush(); role = $2; kind = $1; lastend = -1
                 sw = ($0 ~ / split-word$/); next }
    /^    run / {
      if (kind != "line") next
      if (which == "body" && (role == "note" || role == "header" || role == "footer")) next
      if (which == "notes" && role != "note") next
      if (which == "nofurniture" && (role == "header" || role == "footer")) next
      islabel = ($0 ~ / label "/)
      x = substr($2, 3) + 0; w = substr($4, 3) + 0
      # A skipped label still joins what stands on either side of it.
      if (nolabels != "" && islabel) { if (lastend < 0 && carry) carry = 0; else if (lastend < 0 || x - lastend > 0.02 || lastend - x > 0.02) flush(); lastend = x + w; next }
      t = $0; sub(/^[^"]*"/, "", t); sub(/"$/, "", t); gsub(/\302\240/, " ", t)
      if (lastend < 0 && carry) carry = 0
      else if (lastend < 0 || x - lastend > 0.02 || lastend - x > 0.02) flush()
      n = split(t, parts, / /)
      for (i = 1; i <= n; i++) { if (i > 1) flush(); word = word parts[i] }
      if (t ~ / $/) flush()
      lastend = x + w
    }
    END { flush() }' "$1"
}

# Words of text, one per line (whitespace and U+00A0 separate words).
words() { sed 's/\xc2\xa0/ /g' | tr -s ' \t\r\f\v' '\n\n\n\n\n' | sed '/^$/d'; }

# Is every word of EXPECTED (one per line) found in ACTUAL (one per line), in
# order, with anything between? A word broken at a line end after "-" or "/"
# ("2020-" + "2025") matches its two halves. Prints the first word not found.
#   subsequence EXPECTED_FILE ACTUAL_FILE
subsequence() {
  awk 'NR == FNR { want[++n] = $0; next }
       k >= n { next }
       pend != "" { if (pend $0 == want[k + 1]) { k++; pend = ""; next } pend = "" }
       $0 == want[k + 1] { k++; next }
       $0 ~ /[-\/]$/ && index(want[k + 1], $0) == 1 { pend = $0 }
       END { if (k < n) { print "missing from word " k + 1 " of " n ": \"" want[k + 1] "\" (after \"" want[k] "\")"; exit 1 } }' "$1" "$2"
}

# pdftotext words in content-stream order (-raw: no column guessing, no
# dehyphenation).
pdf_words() {
  pdftotext -raw -enc UTF-8 "$@" - 2>/dev/null | words
}

# --- Seed comparisons (tests/e2e/seed_*.sh) --------------------------------

# 'seed_begin SEEDFILE' - skip (exit 77) when the seeds are absent (a user's
# clone has none), fail when $tool is not built; make $tmp.
seed_begin() {
  if [ ! -f "$1" ]; then
    echo "SKIP: seeds absent"
    exit 77
  fi
  [ -x "$tool" ] || { echo "FAIL: $tool not built"; echo "0 passed, 1 failed"; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
}

# 'verdict NAME STATUS' - count a check whose status is already known.
verdict() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1"; fi; }

# 'compare_streams SEEDMODE SEEDFILE DATAMODE' - $tool's words of the seed
# and of $data; the first differences on failure. Two empty streams would
# agree: words are demanded.
compare_streams() {
  local rc=0
  "$tool" "$1" "$2" >"$tmp/s-$1.txt" || rc=1
  "$tool" "$3" "$data" >"$tmp/d-$3.txt" || rc=1
  if [ $rc -eq 0 ] && ! diff -U 3 "$tmp/s-$1.txt" "$tmp/d-$3.txt" >"$tmp/diff.txt"; then
    rc=1
    echo "seed words (-) and data words (+) differ, first differences:"
    head -n 40 "$tmp/diff.txt"
  fi
  [ -s "$tmp/s-$1.txt" ] || rc=1
  return $rc
}

# 'xp EXPR' - string value of an XPath expression over $data.
xp() { xmllint --xpath "$1" "$data" 2>/dev/null; }

# --- The rule for typos (data/README.md, "Typos: one rule") ------------------

# 'sic_copies DATA SOURCE PRINTED' - two copies of DATA, in NFC, comments
# dropped: SOURCE with each <sic corr="…">typo</sic> as its typo (the
# source's words), PRINTED with each as its correction (what a layout prints).
sic_copies() {
  perl -CSD -MUnicode::Normalize -0pe '$_ = NFC($_); s/<!--.*?-->//gs' "$1" >"$2.all"
  sed -E 's#<sic corr="[^"]*">([^<]*)</sic>#\1#g' "$2.all" >"$2"
  sed -E 's#<sic corr="([^"]*)">[^<]*</sic>#\1#g' "$2.all" >"$3"
  rm -f "$2.all"
}

# 'check_typos DATA SHOWN TYPO:CORR...' - each TYPO of the sources (a word
# with a word or two around it, "tăng 6,37 so:tăng 6,37% so") stands in the
# source's words of DATA and nowhere in its printed words, which hold CORR
# instead: every occurrence is marked with its <sic>. SHOWN (the words the
# PDF shows, one a line; "-" when the PDF does not print these) holds CORR and
# not TYPO. Every <sic> of DATA has a corr= that differs from its text.
check_typos() {
  local data=$1 shown=$2 pair typo corr n d
  shift 2
  d=$(mktemp -d)
  sic_copies "$data" "$d/source" "$d/printed"
  [ "$shown" = - ] || tr '\n' ' ' <"$shown" >"$d/shown"
  for pair in "$@"; do
    typo=${pair%%:*} corr=${pair#*:}
    n=$(grep -oF -- "$typo" "$d/source" | wc -l)
    check "\"$typo\": the source's words ($n), marked, printed as \"$corr\"" test "$n" -ge 1 -a \
      "$(grep -cF -- "$typo" "$d/printed")" -eq 0 -a "$(grep -oF -- "$corr" "$d/printed" | wc -l)" -ge "$n"
    [ "$shown" = - ] && continue
    check "the PDF shows \"$corr\", not \"$typo\"" \
      bash -c 'grep -qF -- "$1" "$3" && ! grep -qF -- "$2" "$3"' _ "$corr" "$typo" "$d/shown"
  done
  check "every <sic> has a corr= that differs from its text" \
    test "$(xmllint --xpath 'count(//sic[not(@corr) or @corr = .])' "$data")" -eq 0
  rm -rf "$d"
}
