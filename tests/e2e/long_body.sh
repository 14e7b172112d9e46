#!/usr/bin/env bash
# Long bodies bound as layout reaches them (issue 11 §4): a <for-each> of the
# body that selects many data nodes keeps only those nodes; each
# repetition's blocks are bound when their page is near, into that page's
# memory, and bound again in a second pass. The same PDF as when the same
# for-each is bound before layout (made so by content that must be bound
# then: a heading that never shows); every row once, in order, in a
# document laid out twice; footnotes between them numbered on; numbered
# copies; an error in a row found as layout reaches it; a namespace node
# among the nodes; a form's layout bound first; peak memory below that of
# binding it all first. The data is generated (illustrative, as the page
# itself says).
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export ANPHAM_CACHE_DIR=$t/cache
dir=$src/tests/e2e/long_body

# gen ROWS SPANEVERY > data (tools/gen-table.sh: rows of 100 in groups).
gen() { bash "$src/tools/gen-table.sh" "$@" 0; }
# names DUMP: the row numbers of the "Dòng thử số N" runs, in order, one per line
names() { grep -o '"Dòng thử số [0-9]*:"' "$1" | tr -dc '0-9\n'; }
# variants NAME: $t/NAME-later.xml (the layout as it is, fonts found from $t)
# and $t/NAME-now.xml (its rows' for-each bound before layout: a heading in
# an <if> that never holds)
variants() {
  sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$dir/$1.xml" >"$t/$1-later.xml"
  sed 's|<for-each select="r">|&<if test="false()"><heading level="2">x</heading></if>|' "$t/$1-later.xml" >"$t/$1-now.xml"
}
variants layout
variants contents
check "the variant bound before layout differs only by its <if>" \
  bash -c '[ "$(diff "$1" "$2" | grep -c "^>")" = 1 ] && grep -q "false()" "$2"' _ "$t/layout-later.xml" "$t/layout-now.xml"

# One pass, page by page or every page kept (--dump), tagged or not: the
# same PDF as when the rows are bound first.
gen 3000 0 >"$t/d.xml"
for tags in "" --no-tags; do
  for v in later now; do
    "$build/anpham" render "$t/layout-$v.xml" --data "$t/d.xml" -o "$t/$v.pdf" $tags 2>"$t/err-$v"
  done
  "$build/anpham" render "$t/layout-later.xml" --data "$t/d.xml" -o "$t/kept.pdf" --dump "$t/kept.dump" $tags \
    2>"$t/err-kept"
  check "3,000 rows${tags:+ $tags}: bound as laid out, the PDF of the rows bound first, page by page and every page kept" \
    bash -c '[ ! -s "$1" ] && [ ! -s "$2" ] && [ ! -s "$3" ] && cmp -s "$4" "$5" && cmp -s "$4" "$6"' _ \
    "$t/err-later" "$t/err-now" "$t/err-kept" "$t/later.pdf" "$t/now.pdf" "$t/kept.pdf"
done
names "$t/kept.dump" >"$t/got"
check "…every row once, in order ($(wc -l <"$t/got") rows)" cmp -s <(seq 1 3000) "$t/got"
pdftotext -enc UTF-8 "$t/later.pdf" - >"$t/later.txt"
check "…the data says it is illustrative, on the page" grep -q "không phải số liệu thật: 3.000 dòng" "$t/later.txt"

# Laid out twice (a table of contents and the page count): the second pass
# binds the rows again and loses none; the headings' footnotes between
# them are numbered in order, once each.
for v in later now; do
  "$build/anpham" render "$t/contents-$v.xml" --data "$t/d.xml" -o "$t/c-$v.pdf" --dump "$t/c-$v.dump" 2>"$t/err-$v"
done
check "twice laid out: renders, the PDF of the rows bound first" \
  bash -c '[ ! -s "$1" ] && [ ! -s "$2" ] && cmp -s "$3" "$4"' _ "$t/err-later" "$t/err-now" "$t/c-later.pdf" "$t/c-now.pdf"
names "$t/c-later.dump" >"$t/got"
check "…every row once, in order ($(wc -l <"$t/got") rows)" cmp -s <(seq 1 3000) "$t/got"
pages=$(awk 'NR == 1 { print $2 }' "$t/c-later.dump")
footer=$(awk '/^  [a-z]/ { on = ($1 == "line" && $2 == "footer"); if (on) text = ""; next }
              on && /^    run / { v = $0; sub(/^[^"]*"/, "", v); sub(/"$/, "", v); text = text (text == "" ? "" : " ") v }
              END { print text }' "$t/c-later.dump")
check "…the last page's footer counts the pages ($footer)" test "$footer" = "$pages / $pages"
pdftotext -enc UTF-8 "$t/c-later.pdf" - | grep -o '^[0-9]* *Ghi chú của Nhóm [0-9]*' | tr -s ' ' >"$t/notes"
check "…30 footnotes between the rows (one a heading), numbered 1 to 30 in order ($(wc -l <"$t/notes"))" \
  cmp -s "$t/notes" <(for i in $(seq 1 30); do echo "$i Ghi chú của Nhóm $i"; done)
"$build/anpham" render "$t/contents-later.xml" --data "$t/d.xml" -o "$t/c-streamed.pdf" 2>"$t/err"
check "…page by page, the same PDF" cmp -s "$t/c-later.pdf" "$t/c-streamed.pdf"

# Numbered copies bind the layout once a copy (the rows kept by one binding
# are let go by the next): the same copies either way.
for v in later now; do
  "$build/anpham" render "$t/layout-$v.xml" --data "$t/d.xml" -o "$t/copies-$v.pdf" --copies 2 --copies-in-one \
    2>"$t/err-$v"
done
check "two numbered copies in one PDF: the PDF of the rows bound first" \
  bash -c '[ ! -s "$1" ] && [ ! -s "$2" ] && cmp -s "$3" "$4" && [ "$(pdftotext "$3" - | grep -c "^Dòng thử số 3000:")" = 2 ]' _ \
  "$t/err-later" "$t/err-now" "$t/copies-later.pdf" "$t/copies-now.pdf"

# A row with an error is found as layout reaches it: the message names the
# layout's element, nothing is written; check finds it too.
sed 's|<r><n>Dòng thử số 2500</n>|<r bad="x"><n>Dòng thử số 2500</n>|' "$t/d.xml" >"$t/bad.xml"
want="$t/layout-later.xml:20:86: error: value \"x\" is not a number"
fails_alike "row 2,500 of 3,000 not a number, the value named" "$build/anpham" "$t/layout-later.xml" "$t/bad.xml" "$want"
"$build/anpham" render "$t/layout-now.xml" --data "$t/bad.xml" -o "$t/bad.pdf" 2>"$t/err"
check "…as when the rows are bound first" bash -c '[ "$(cat "$1")" = "${2/layout-later/layout-now}" ]' _ "$t/err" "$want"

# A node the for-each selects may be a namespace node (it lives only as long
# as the node set that selected it): then all are bound at once.
gen 300 0 | sed 's|^<t>$|<t xmlns:q="urn:anpham:q">|' >"$t/ns.xml"
"$build/anpham" render "$dir/namespaces.xml" --data "$t/ns.xml" -o "$t/ns.pdf" 2>"$t/err"
check "a long for-each over a namespace node and 300 rows renders" test $? -eq 0 -a ! -s "$t/err"
pdftotext -enc UTF-8 "$t/ns.pdf" - >"$t/ns.txt"
check "…the namespace, then the 300 rows" \
  bash -c '[ "$(grep -m1 -n "urn:anpham:q" "$1" | cut -d: -f1)" = 2 ] && [ "$(grep -o "Dòng thử số [0-9]*" "$1" | wc -l)" = 300 ]' _ "$t/ns.txt"

# A layout with a <form-signature> binds its long for-each first: the
# signature reads the body's last paragraph as it is bound (end="./."
# closes it). HD 36's notice (tests/e2e/forms/party.xml) with 80 paragraphs.
sed 's|<form-signature |<form-signature end="./." |' "$src/tests/e2e/forms/party.xml" >"$t/party.xml"
python3 - "$src/tests/e2e/forms/party-data.xml" "$t/party-data.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i, j = s.index("<text>") + len("<text>"), s.index("</text>")
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + s[i:j] + s[i:j].replace("Đoạn ", "Đoạn b") + s[j:])
PY
"$build/anpham" render "$t/party.xml" --data "$t/party-data.xml" --set n=80 -o "$t/party.pdf" 2>"$t/err"
check "a form's notice of 80 paragraphs renders, its last closed with ./. ($(head -c 120 "$t/err"))" \
  bash -c '[ ! -s "$1" ] && [ "$(grep -c "<p>Đoạn" "$2")" = 80 ] && [ "$(pdftotext "$3" - | grep -c "\./\.$")" = 1 ]' _ \
  "$t/err" "$t/party-data.xml" "$t/party.pdf"

# Peak memory: 40,000 rows untagged bound as laid out take less than bound
# first (about 47 against 66 MB when this was written: what is left grows
# with the data's tree). A guard, not a target (those are in bench/); not
# checked in instrumented builds or without GNU time.
if peak_measurable "$build/anpham" "the peak memory of 40,000 rows"; then
  gen 40000 0 >"$t/d40.xml"
  for v in later now; do
    /usr/bin/time -f %M -o "$t/$v.rss" "$build/anpham" render "$t/layout-$v.xml" --data "$t/d40.xml" \
      -o "$t/$v-40.pdf" --no-tags 2>"$t/err-$v"
  done
  later=$(tail -n 1 "$t/later.rss"); now=$(tail -n 1 "$t/now.rss")
  check "40,000 rows render untagged, the same PDF either way" \
    bash -c '[ ! -s "$1" ] && [ ! -s "$2" ] && cmp -s "$3" "$4"' _ "$t/err-later" "$t/err-now" "$t/later-40.pdf" "$t/now-40.pdf"
  check "…bound as laid out, at least 8 MB less at peak ($((later / 1024)) against $((now / 1024)) MB)" \
    test "${later:-999999999}" -lt $((${now:-0} - 8 * 1024))
fi
finish
