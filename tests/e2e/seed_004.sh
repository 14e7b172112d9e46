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

. "$src/tests/e2e/lib.bash"
seed_begin "$seed"

# From the title on: the header block's fields are structured in the data
# (number, symbol, place, a year-only date) and the form writes "Số",
# "ngày", "tháng", "năm" itself, so the header is compared with what the
# PDF prints instead (tests/e2e/forms.sh).
from_title() { sed -n '/^BÁO$/,$p' "$1" >"$1.t" && mv "$1.t" "$1"; }
compare_from_title() {
  "$tool" "$1" "$seed" >"$tmp/s.txt" && "$tool" "$2" "$data" >"$tmp/d.txt" || return 1
  from_title "$tmp/s.txt"; from_title "$tmp/d.txt"
  [ -s "$tmp/s.txt" ] || return 1
  diff -U 3 "$tmp/s.txt" "$tmp/d.txt" >"$tmp/diff.txt" && return 0
  echo "seed words (-) and data words (+) differ, first differences:"; head -n 40 "$tmp/diff.txt"; return 1
}
compare_from_title seed data
verdict "words of seed 004 = words of the data, from the title on" $?
compare_from_title seed-marked data-marked
verdict "footnote references stand at the same places" $?

# Footnotes: 57 <fn> in the data, 57 references and 57 bodies in the seed
fn=$(xmllint --xpath 'count(//fn)' "$data" 2>/dev/null)
[ "$fn" = 57 ]
verdict "data has 57 <fn> (found ${fn:-none})" $?
refs=$(awk 'prev ~ /\[$/ && /^\]/ { n++ } { prev = $0 } END { print n + 0 }' "$seed")
[ "$refs" = 57 ]
verdict "seed has 57 references (found $refs)" $?
bodies=$(LC_ALL=C grep -c $'^\\[\xEF\xBF\xBD\\]' "$seed")
[ "$bodies" = 57 ]
verdict "seed has 57 footnote bodies (found $bodies)" $?

# Typos (data/README.md): a <sic> holds the seed's word (compared above) and
# its correction in corr=, which differs from it
n=$(xp 'count(//sic[not(@corr) or @corr = . or *])')
[ "${n:-x}" = 0 ] && [ "$(xp 'count(//sic)')" -ge 1 ]
verdict "every <sic> holds text and a different corr= ($(xp 'count(//sic)') marked)" $?

finish
