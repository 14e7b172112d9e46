#!/usr/bin/env bash
# Seed 003 (summary of the 2020 political report) against
# data/2020/tom-tat-2020.xml: same NFC words in the same order, the same
# outline, targets (1)..(11), list items, and bold and italic runs.
# Usage: seed_2020.sh SOURCE_DIR BUILD_DIR (exit 77 when the seeds are absent).
set -u

src=${1:?usage: seed_2020.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: seed_2020.sh SOURCE_DIR BUILD_DIR}
seed=$src/../shared/seeds/003_d03b908d712d398a.txt
# DATA overrides the data file, to prove the checks fail on a broken copy
data=${DATA:-$src/data/2020/tom-tat-2020.xml}
tool=$build/tests/seedwords2020

. "$src/tests/e2e/lib.bash"
seed_begin "$seed"

# 'pairs N' - N/2 when N is even, else "odd" (an unclosed marker).
pairs() {
  if [ $(($1 % 2)) -eq 0 ]; then echo $(($1 / 2)); else echo odd; fi
}

xmllint --noout "$data"
verdict "data is well-formed XML" $?

compare_streams seed "$seed" data
verdict "words of seed 003 = words of the data" $?

# Targets: eleven, numbered 1..11 in order, in the data and in the seed
got=$(for ((k = 1; k <= $(xp 'count(//target)'); k++)); do
  printf "%s\n" "$(xp "string((//target)[$k]/@no)")"; done | paste -sd' ')
want=$(seq -s' ' 1 11)
[ "$got" = "$want" ]
verdict "data targets are no=\"1\"..\"11\" in order (found: ${got:-none})" $?
seedno=$(sed -n 's/^(\([0-9]*\)) .*/\1/p' "$seed" | paste -sd' ')
[ "$seedno" = "$want" ]
verdict "seed targets are (1)..(11) in order (found: ${seedno:-none})" $?

# Dash lines of the seed are the <item>s of the data
s=$(grep -c '^- ' "$seed")
d=$(xp 'count(//list/item)')
[ "$s" = "$d" ]
verdict "list items: seed $s, data ${d:-none}" $?

# Outline: the level of each numbered heading (I. = 1, 1. = 2, 1.1. = 3),
# numbers consecutive per level (I. restarts per part) so that the layout's
# numbering reproduces the seed's; the data's sections at the same depths
awk -v out="$tmp/seed-outline.txt" '
  /^Phần thứ / { n1 = 0; next }
  /^[IVX]+\. / {
    r = $1; sub(/\.$/, "", r); v = 0
    for (i = 1; i <= length(r); i++) {
      c = substr(r, i, 1); x = (c == "I") ? 1 : (c == "V") ? 5 : 10
      nx = substr(r, i + 1, 1); y = (nx == "I") ? 1 : (nx == "V") ? 5 : (nx == "X") ? 10 : 0
      v += (x < y) ? -x : x
    }
    if (v != n1 + 1) bad = bad " " $1
    n1 = v; n2 = 0; print 1 > out; next
  }
  /^[0-9]+\.[0-9]+\. / {
    split($1, a, "."); if (a[1] != n2 || a[2] != n3 + 1) bad = bad " " $1
    n3 = a[2]; print 3 > out; next
  }
  /^[0-9]+\. / {
    split($1, a, "."); if (a[1] != n2 + 1) bad = bad " " $1
    n2 = a[1]; n3 = 0; print 2 > out; next
  }
  END { if (bad != "") { print "out of sequence:" bad; exit 1 } }' "$seed"
verdict "seed heading numbers are consecutive per level" $?
n=$(xp 'count(//section)')
for ((k = 1; k <= ${n:-0}; k++)); do
  echo $(($(xp "count((//section)[$k]/ancestor-or-self::section)")))
done >"$tmp/data-outline.txt"
if diff "$tmp/seed-outline.txt" "$tmp/data-outline.txt" >"$tmp/outline.diff"; then rc=0; else
  rc=1; echo "heading levels, seed (-) and data sections (+):"; head -n 10 "$tmp/outline.diff"; fi
verdict "data sections nest like the seed's headings ($(wc -l <"$tmp/seed-outline.txt") headings, ${n:-no} sections)" $rc
# Consecutive numbers need no explicit ones
d=$(xp 'count(//section[@number])')
[ "$d" = 0 ]
verdict "no section carries number=\"...\" (found ${d:-none})" $?

# Emphasis: runs counted from the markers and from the elements. The seed's
# bold title is <summary>/<title> (the layout sets it bold), hence the +1.
stars2=$(grep -o '\*\*' "$seed" | wc -l)
stars1=$(sed 's/\*\*//g' "$seed" | grep -o '\*' | wc -l)
sb=$(pairs "$stars2")
si=$(pairs "$stars1")
db=$(xp 'count(//b) + count(/summary/title)')
di=$(xp 'count(//i)')
[ "$sb" = "$db" ]
verdict "bold runs: seed $sb, data ${db:-none} (<b> + title)" $?
[ "$si" = "$di" ]
verdict "italic runs: seed $si, data ${di:-none}" $?
# ... and their text, so that a run moved by one word shows
compare_streams seed-runs "$seed" data-runs
verdict "bold and italic runs enclose the same words" $?

# Typos (data/README.md): a <sic> holds the seed's word (compared above) and
# its correction in corr=, which differs from it
n=$(xp 'count(//sic[not(@corr) or @corr = . or *])')
[ "${n:-x}" = 0 ] && [ "$(xp 'count(//sic)')" -ge 1 ]
verdict "every <sic> holds text and a different corr= ($(xp 'count(//sic)') marked)" $?

finish
