#!/usr/bin/env bash
# Seeds 000 (full text) and 001 (slides) of the 2024 handout against
# data/2024/hau-giang-2024.xml: same NFC words in the same order, 2/3/5/7 items
# per group, and every figure quoted verbatim from the seed it names.
# Usage: seed_2024.sh SOURCE_DIR BUILD_DIR (exit 77 when the seeds are absent).
set -u

src=${1:?usage: seed_2024.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: seed_2024.sh SOURCE_DIR BUILD_DIR}
seeds=$src/../shared/seeds
full=$seeds/000_5bfabac78e74c348.txt
slides=$seeds/001_efe563403ca2b928.txt
# DATA overrides the data file, to prove the checks fail on a broken copy
data=${DATA:-$src/data/2024/hau-giang-2024.xml}
tool=$build/tests/seedwords2024

if [ ! -f "$full" ]; then
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

# 'compare MODE SEED' - word streams of the seed and of the data in one mode.
compare() {
  local rc=0
  "$tool" "$1" "$2" >"$tmp/seed-$1.txt" || rc=1
  "$tool" "data-$1" "$data" >"$tmp/data-$1.txt" || rc=1
  if [ $rc -eq 0 ] && ! diff -U 3 "$tmp/seed-$1.txt" "$tmp/data-$1.txt" >"$tmp/diff-$1.txt"; then
    rc=1
    echo "seed words (-) and data words (+) differ, first differences:"
    head -n 40 "$tmp/diff-$1.txt"
  fi
  # Two empty streams would agree: demand words
  [ -s "$tmp/seed-$1.txt" ] || rc=1
  return $rc
}

# 'xp EXPR' - string value of an XPath expression over the data.
xp() {
  xmllint --xpath "$1" "$data" 2>/dev/null
}

[ -x "$tool" ] || { echo "FAIL: $tool not built"; echo "0 passed, 1 failed"; exit 1; }

xmllint --noout "$data"
check "data is well-formed XML" $?

compare fulltext "$full"
check "words of seed 000 (full text) = words of the data" $?
compare slides "$slides"
check "words of seed 001 (slides) = words of the data" $?

# Items per group: the data, and the seeds themselves (000: "1." headings
# after each roman heading; 001: "01" lines after each counted group name)
seed_full_counts=$(awk '/^[IVX]+[.-] / { if (n != "") printf "%s ", n; n = 0; next }
  n != "" && /^[0-9]+\. / { n++ } END { print n }' "$full")
seed_slide_counts=$(awk '/^[0-9][0-9] +[^0-9 ]/ { if (n != "") printf "%s ", n; n = 0; next }
  n != "" && /^[0-9][0-9]$/ { n++ } END { print n }' "$slides")
for pair in nen-tang:2:1 thanh-tuu:3:2 su-kien:5:3 nhiem-vu:7:4; do
  IFS=: read -r key want pos <<<"$pair"
  got=$(xp "count(//group[@key=\"$key\"]/item)")
  [ "$got" = "$want" ]
  check "group $key has $want items (found ${got:-none})" $?
  f=$(cut -d' ' -f"$pos" <<<"$seed_full_counts")
  s=$(cut -d' ' -f"$pos" <<<"$seed_slide_counts")
  [ "$f" = "$want" ] && [ "$s" = "$want" ]
  check "seeds have $want items in group $pos (000: ${f:-none}, 001: ${s:-none})" $?
done
groups=$(xp 'count(/edition/group)')
[ "$groups" = 4 ]
check "data has 4 groups (found ${groups:-none})" $?

# Figures: each quote verbatim in its seed, each value inside its quote
points=$(xp 'count(//figures//point)')
[ "${points:-0}" -gt 0 ]
check "data has figures (found ${points:-none} points)" $?
for ((i = 1; i <= ${points:-0}; i++)); do
  id=$(xp "string((//figures//point)[$i]/../@id)")
  label=$(xp "string((//figures//point)[$i]/@label)")
  value=$(xp "string((//figures//point)[$i]/@value)")
  seed=$(xp "string((//figures//point)[$i]/@seed)")
  quote=$(xp "string((//figures//point)[$i]/@quote)")
  what="$id $label"
  files=("$seeds/${seed:-none}"_*.txt)
  rc=1
  if [ -n "$seed" ] && [ -n "$quote" ] && [ -f "${files[0]}" ]; then
    "$tool" contains "${files[0]}" "$quote"
    rc=$?
  fi
  check "$what: quote occurs in seed ${seed:-none}" $rc
  # 80.33 is written 80,33; not part of a longer number ("3" in "53" fails)
  vn=${value/./,}
  rc=1
  if [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
    [[ $quote =~ (^|[^0-9.,])$vn([^0-9.,]|[.,]([^0-9]|$)|$) ]]; then
    rc=0
  fi
  check "$what: value $value written \"$vn\" stands in the quote" $rc
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
