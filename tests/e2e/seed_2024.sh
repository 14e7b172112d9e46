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

. "$src/tests/e2e/lib.bash"
seed_begin "$full"

xmllint --noout "$data"
verdict "data is well-formed XML" $?

compare_streams fulltext "$full" data-fulltext
verdict "words of seed 000 (full text) = words of the data" $?
compare_streams slides "$slides" data-slides
verdict "words of seed 001 (slides) = words of the data" $?

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
  verdict "group $key has $want items (found ${got:-none})" $?
  f=$(cut -d' ' -f"$pos" <<<"$seed_full_counts")
  s=$(cut -d' ' -f"$pos" <<<"$seed_slide_counts")
  [ "$f" = "$want" ] && [ "$s" = "$want" ]
  verdict "seeds have $want items in group $pos (000: ${f:-none}, 001: ${s:-none})" $?
done
groups=$(xp 'count(/edition/group)')
[ "$groups" = 4 ]
verdict "data has 4 groups (found ${groups:-none})" $?

# Figures: each quote verbatim in its seed, each value inside its quote
points=$(xp 'count(//figures//point)')
[ "${points:-0}" -gt 0 ]
verdict "data has figures (found ${points:-none} points)" $?
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
  verdict "$what: quote occurs in seed ${seed:-none}" $rc
  # 80.33 is written 80,33; not part of a longer number ("3" in "53" fails)
  vn=${value/./,}
  rc=1
  if [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]] &&
    [[ $quote =~ (^|[^0-9.,])$vn([^0-9.,]|[.,]([^0-9]|$)|$) ]]; then
    rc=0
  fi
  verdict "$what: value $value written \"$vn\" stands in the quote" $rc
done

finish
