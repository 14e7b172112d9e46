#!/usr/bin/env bash
# A footnote too long for the page of its reference starts there and
# continues at the foot of the next page; nothing is lost, nothing crosses
# the bottom margin.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
dir=$src/tests/e2e/notes

"$build/anpham" render "$dir/layout.xml" --data "$dir/data.xml" -o "$t/n.pdf" --dump "$t/n.dump"
check "renders" test $? -eq 0

"$build/tests/seedwords" data "$dir/data.xml" >"$t/data.words"
{ dump_words "$t/n.dump" body nolabels; dump_words "$t/n.dump" notes nolabels; } >"$t/dump.words"
check "every word of text and note is laid out, in order" cmp -s "$t/data.words" "$t/dump.words"

# Page of the reference, pages holding lines of the note.
ref=$(awk '/^page /{p=$2} /^  [a-z]/{role=$2} role!="note" && / label "1"$/{print p; exit}' "$t/n.dump")
pages=$(awk '/^page /{p=$2} /^  line note/{print p}' "$t/n.dump" | sort -u | tr '\n' ' ')
check "the note starts on the page of its reference ($ref) and continues (pages: $pages)" \
  test -n "$ref" -a "$pages" = "$ref $((ref + 1)) "
first=$(awk -v p=$((ref + 1)) '/^page /{on=($2==p)} on && /^  line note/{getline r; print (r ~ / label "/) ? "label" : "text"; exit}' "$t/n.dump")
check "the next page's notes open with the continued lines" test "$first" = "text"

# Nothing below the bottom margin (148 mm page, 12 mm margin).
over=$(awk '/^  line/{y=substr($4,3)+0; h=substr($6,3)+0; if (y+h > 419.53 - 34.02 + 0.01) n++} END{print n+0}' "$t/n.dump")
check "no line crosses the bottom margin ($over)" test "$over" -eq 0

# One line referencing 80 long notes: the foot of its page holds a few, the
# other 70-odd continue over the next pages, every one of them (until 0.2.0
# at most 64 continued and notes 72 to 80 were dropped without a word).
"$build/anpham" render "$dir/many-layout.xml" --data "$dir/many-data.xml" -o "$t/m.pdf" --dump "$t/m.dump" \
  2>"$t/m.err"
rc=$?
check "80 notes on one line: renders (exit $rc, no message: $(head -c 200 "$t/m.err"))" test $rc -eq 0 -a ! -s "$t/m.err"
"$build/tests/seedwords" data "$dir/many-data.xml" >"$t/m-data.words"
{ dump_words "$t/m.dump" body nolabels; dump_words "$t/m.dump" notes nolabels; } >"$t/m-dump.words"
check "80 notes on one line: every word of text and notes is laid out, in order" cmp -s "$t/m-data.words" "$t/m-dump.words"
pdf_words "$t/m.pdf" | grep -E '^[0-9]+\)\.$' >"$t/m-ends.words"
check "80 notes on one line: the PDF shows every note's last word, in order ($(wc -l <"$t/m-ends.words") of 80)" \
  cmp -s "$t/m-ends.words" <(seq 1 80 | sed 's/$/)./')
pages=$(grep -c '^page ' "$t/m.dump")
over=$(awk '/^  line/{y=substr($4,3)+0; h=substr($6,3)+0; if (y+h > 419.53 - 34.02 + 0.01) n++} END{print n+0}' "$t/m.dump")
check "80 notes on one line: $pages pages, no line crosses the bottom margin ($over)" test "$pages" -gt 2 -a "$over" -eq 0
finish
