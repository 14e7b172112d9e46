#!/usr/bin/env bash
# Seed 004 (draft report 2023) against data/2023/bao-cao-2023.xml: same NFC
# words in the same order, references at the same places, 57 footnotes.
# Usage: seed_004.sh SOURCE_DIR BUILD_DIR (exit 77 when the seeds are absent).
set -u

src=${1:?usage: seed_004.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: seed_004.sh SOURCE_DIR BUILD_DIR}
seed=$src/../shared/seeds/004_da925622505c5fd4.txt
data=$src/data/2023/bao-cao-2023.xml
tool=$build/tests/seedwords

if [ ! -f "$seed" ]; then
  echo "SKIP: seeds absent"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

# 'check NAME STATUS' - count one check and say how it went.
check() {
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "ok: $1"
  else
    failed=$((failed + 1))
    echo "FAIL: $1"
  fi
}

# 'compare MODE' - word streams of the seed and the data in one mode.
compare() {
  local rc=0
  "$tool" "seed$1" "$seed" >"$tmp/seed$1.txt" || rc=1
  "$tool" "data$1" "$data" >"$tmp/data$1.txt" || rc=1
  if [ $rc -eq 0 ] && ! diff -U 3 "$tmp/seed$1.txt" "$tmp/data$1.txt" >"$tmp/diff$1.txt"; then
    rc=1
    echo "seed words (-) and data words (+) differ, first differences:"
    head -n 40 "$tmp/diff$1.txt"
  fi
  return $rc
}

[ -x "$tool" ] || { echo "FAIL: $tool not built"; echo "0 passed, 1 failed"; exit 1; }

compare ""
check "words of seed 004 = words of the data" $?
compare "-marked"
check "footnote references stand at the same places" $?

# Footnotes: 57 <fn> in the data, 57 references and 57 bodies in the seed
fn=$(xmllint --xpath 'count(//fn)' "$data" 2>/dev/null)
[ "$fn" = 57 ]
check "data has 57 <fn> (found ${fn:-none})" $?
refs=$(awk 'prev ~ /\[$/ && /^\]/ { n++ } { prev = $0 } END { print n + 0 }' "$seed")
[ "$refs" = 57 ]
check "seed has 57 references (found $refs)" $?
bodies=$(LC_ALL=C grep -c $'^\\[\xEF\xBF\xBD\\]' "$seed")
[ "$bodies" = 57 ]
check "seed has 57 footnote bodies (found $bodies)" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
