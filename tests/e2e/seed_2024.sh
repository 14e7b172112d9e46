#!/usr/bin/env bash
# Seeds 000 (full text) and 001 (slides) of the 2024 handout against
# data/2024/hau-giang-2024.xml: same NFC words in the same order (the source's
# words: a <sic> counts as the word the seed writes), 2/3/5/7 items per group,
# the group numerals and the overview lines as the seeds type them, and every
# figure quoted verbatim from the seed it names.
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

# Group headings of 000 ("I. 02 NỀN TẢNG", "II- 03 THÀNH TỰU", ...) are the
# data's number and heading, in order; each count is the group's items.
squeeze() { tr -s ' \t' '  ' | sed 's/^ //; s/ $//; /^$/d'; }
grep -E '^[IVX]+[.-] ' "$full" | squeeze >"$tmp/seed-headings"
for ((g = 1; g <= ${groups:-0}; g++)); do
  printf '%s %s\n' "$(xp "string(/edition/group[$g]/number)")" "$(xp "string(/edition/group[$g]/heading)")"
done | squeeze >"$tmp/data-headings"
diff "$tmp/seed-headings" "$tmp/data-headings" >&2
rc=$? # Before the message's $(...) resets $?
verdict "group headings of seed 000 = number + heading of the data ($(wc -l <"$tmp/seed-headings") lines)" $rc
bad_counts=0
for ((g = 1; g <= ${groups:-0}; g++)); do
  n=$(xp "string(/edition/group[$g]/number)" | awk '{ print $2 + 0 }')
  [ "$n" = "$(xp "count(/edition/group[$g]/item)")" ] || bad_counts=$((bad_counts + 1))
done
[ "$bad_counts" -eq 0 ]
verdict "the count in each group's number is its number of items ($bad_counts wrong)" $?

# The overview of 001 ("2 NỀN TẢNG", "5 SỰ KIỆN NỔI BẬT", ...): the same
# lines in the same order, each count that of the group it names.
grep -E '^[0-9] ' "$slides" | squeeze >"$tmp/seed-overview"
for ((l = 1; l <= $(xp 'count(/edition/overview/line)'); l++)); do
  xp "string(/edition/overview/line[$l])"
  echo
done | squeeze >"$tmp/data-overview"
[ -s "$tmp/seed-overview" ] && diff "$tmp/seed-overview" "$tmp/data-overview" >&2
rc=$?
verdict "overview lines of seed 001 = overview lines of the data, in order ($(wc -l <"$tmp/seed-overview") lines)" $rc
bad_lines=0
for ((l = 1; l <= $(xp 'count(/edition/overview/line)'); l++)); do
  key=$(xp "string(/edition/overview/line[$l]/@group)")
  [ "$(xp "string(/edition/overview/line[$l]/count)")" = "$(xp "count(/edition/group[@key='$key']/item)")" ] ||
    bad_lines=$((bad_lines + 1))
done
[ "$bad_lines" -eq 0 ]
verdict "each overview count is the number of items of the group it names ($bad_lines wrong)" $?

# Figures: each quote verbatim in its seed, each value inside its quote
points=$(xp 'count(//figures//point)')
[ "${points:-0}" -gt 0 ]
verdict "data has figures (found ${points:-none} points)" $?
for ((i = 1; i <= ${points:-0}; i++)); do
  id=$(xp "string((//figures//point)[$i]/../@id)")
  label=$(xp "string((//figures//point)[$i]/@label)")
  value=$(xp "string((//figures//point)[$i]/@value)")
  seed=$(xp "string((//figures//point)[$i]/@seed)")
  quote=$(xp "string((//figures//point)[$i]/quote)")
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
