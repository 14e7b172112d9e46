#!/usr/bin/env bash
# anpham check --form hd36|nd30 (issue 12 §1; docs/forms.md, "Clauses
# checked"): the shipped report with its 2023 data and a complete Party
# notice pass (exit 0, nothing printed); small deviating documents under
# tests/e2e/check-form/ each give exactly their lines, at their place, and
# exit 1: a layout setting the type in 20 pt, a left margin of 10 mm, data
# without number and signer, a date "5/2/2024", an NĐ 30 document without
# "./.", a page of text in no form; every deviation printed, not only the
# first; one JSON object each with --diagnostic-format json; the same
# inputs without --form pass (or fail at the binder's first error); a bad
# --form value, and --form with render, are usage errors in one line.
# Usage: check-form.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: check-form.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: check-form.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=off
cd "$src" || exit 1 # Places are printed as given: relative to the source tree
d=tests/e2e/check-form

# 'run ARGS...' - run anpham; sets rc, and err to its standard error.
run() {
  "$anpham" "$@" --diagnostic-format short >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
# 'expect WHAT STATUS [LINE...]' - the last run exited STATUS, printed
# nothing on standard output and exactly the LINEs on standard error.
expect() {
  local what=$1 status=$2
  shift 2
  if [ "$#" -gt 0 ]; then printf '%s\n' "$@" >"$tmp/want"; else : >"$tmp/want"; fi
  if [ "$rc" -eq "$status" ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/want" "$tmp/err"; then
    ok "$what"
  else
    bad "$what (exit $rc, want $status): $(diff "$tmp/want" "$tmp/err" | head -n 8)"
  fi
}

# --- Documents that meet the form ------------------------------------------------

run check layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml --form hd36
expect "the shipped 2023 report meets HD 36 (a draft: blank number, year-only date, unsigned)" 0
run check $d/party.xml --data $d/party-data.xml --form hd36
expect "a complete Party notice meets HD 36" 0
run check $d/state.xml --data $d/state-data.xml --form nd30 --set end=./.
expect "a state decision ending with ./. meets NĐ 30" 0

# --- One deviation each ------------------------------------------------------------

run check $d/type-20pt.xml --data $d/party-data.xml --form hd36
expect "a layout's form-type of 20 pt deviates, at its <style>" 1 \
  "$d/type-20pt.xml:5:3: error: form hd36: type of document (form-type) is 20 pt; HD 36 wants 15–16 pt"
run check $d/type-20pt.xml --data $d/party-data.xml
expect "without --form the same layout checks clean" 0

run check $d/margin-10mm.xml --data $d/party-data.xml --form hd36
expect "a left margin of 10 mm deviates, at its <page>" 1 \
  "$d/margin-10mm.xml:5:3: error: form hd36: left margin of page 'first' is 10 mm; HD 36 wants 30–35 mm"

run check $d/party.xml --data $d/party-unnumbered.xml --form hd36
expect "data without number and signer's name: both, at the attributes that select them" 1 \
  "$d/party.xml:8:60: error: form hd36: no number (số): number= selects nothing in the data; HD 36 wants it (an empty element leaves it blank, to be written in by hand)" \
  "$d/party.xml:11:99: error: form hd36: no signer's name (họ tên): name= selects nothing in the data; HD 36 wants it (an empty element leaves it blank: an unsigned draft)"
run check $d/party.xml --data $d/party-unnumbered.xml
expect "without --form the binder stops at the first missing field" 1 \
  "$d/party.xml:8:60: error: number=\"/doc/number\" selects nothing in the data: expected the number (số; empty: left blank), which HD 36-HD/VPTW (form=\"hd36\") requires"

run check $d/party.xml --data $d/party-date.xml --form hd36
expect "a date 5/2/2024 deviates, at the data's element" 1 \
  "$d/party-date.xml:10:3: error: form hd36: date \"5/2/2024\" is not an ISO 8601 date; HD 36 wants it written \"ngày dd tháng mm năm yyyy\" with leading zeros, from an ISO 8601 date in the data (2024-02-05)"

run check $d/state.xml --data $d/state-data.xml --form nd30
expect "an NĐ 30 document without ./. deviates, at <form-signature>" 1 \
  "$d/state.xml:11:5: error: form nd30: the text does not end with \"./.\"; NĐ 30 wants the mark after the last paragraph (end=\"./.\" on <form-signature>)"
run check $d/state.xml --data $d/state-data.xml --form hd36 --set end=./.
check "HD 36 does not ask for ./. (nd30 only)" bash -c "! grep -qF './.' '$tmp/err'"

# --- Many deviations, all printed ------------------------------------------------------

run check $d/plain.xml --form nd30
expect "a Letter page of 12 pt text in no form: page, margins, body, the three parts missing" 1 \
  "$d/plain.xml:7:3: error: form nd30: page 'p' is 215.9 × 279.4 mm; NĐ 30 wants A4 upright (210 × 297 mm)" \
  "$d/plain.xml:7:3: error: form nd30: left margin of page 'p' is 25 mm; NĐ 30 wants 30–35 mm" \
  "$d/plain.xml:7:3: error: form nd30: right margin of page 'p' is 25 mm; NĐ 30 wants 15–20 mm" \
  "$d/plain.xml:6:3: error: form nd30: body text (body) is 12 pt; NĐ 30 wants 13–14 pt" \
  "$d/plain.xml:8:3: error: form nd30: no <form-header>; NĐ 30 wants the header block: issuing body, number and symbol, place and date" \
  "$d/plain.xml:8:3: error: form nd30: no <form-title>; NĐ 30 wants the type of document (tên loại văn bản) above the text" \
  "$d/plain.xml:8:3: error: form nd30: no <form-signature>; NĐ 30 wants the signer's position and name and the recipients (nơi nhận) after the text"

# A Party document checked against NĐ 30: the form's own definitions placed at form=.
run check $d/party.xml --data $d/party-data.xml --form nd30
check "HD 36's type (16 pt) against NĐ 30, placed at the layout's form=" \
  grep -qxF "$d/party.xml:6:21: error: form nd30: type of document (form-type) is 16 pt; NĐ 30 wants 13–14 pt" "$tmp/err"
check "HD 36's document against NĐ 30: 9 deviations, exit 1" test "$rc" -eq 1 -a "$(wc -l <"$tmp/err")" -eq 9

# The shipped report against NĐ 30: its <form-signature>, written over three
# lines, placed on the line where it opens (libxml2 gives the last).
run check layouts/bao-cao.xml --data data/2023/bao-cao-2023.xml --form nd30
check "the report against NĐ 30: no ./., placed where <form-signature> opens (59:5)" \
  grep -qxF "layouts/bao-cao.xml:59:5: error: form nd30: the text does not end with \"./.\"; NĐ 30 wants the mark after the last paragraph (end=\"./.\" on <form-signature>)" "$tmp/err"

# --- JSON: one object per deviation ------------------------------------------------------

"$anpham" check $d/party.xml --data $d/party-unnumbered.xml --form hd36 --diagnostic-format json 2>"$tmp/json"
rc=$?
check "json: exit 1, two lines" test "$rc" -eq 1 -a "$(wc -l <"$tmp/json")" -eq 2
check "json: each line an error object at its place" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [(r["severity"], r["file"], r["line"], r["column"]) for r in rows] == \
    [("error", sys.argv[2], 8, 60), ("error", sys.argv[2], 11, 99)], rows
assert rows[0]["message"].startswith("form hd36: no number"), rows
' "$tmp/json" "$d/party.xml"

# --- The command line -----------------------------------------------------------------

run check $d/party.xml --data $d/party-data.xml --form hd37
expect "a bad --form value: one line, usage error" 2 \
  "anpham: --form takes hd36 or nd30 (the form to check against), not 'hd37' (anpham --help)"
"$anpham" check $d/party.xml --form >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "--form without a value: one line, usage error" 2 \
  "anpham: --form takes hd36 or nd30 (the form to check against), not '' (anpham --help)"
run render $d/party.xml --data $d/party-data.xml --form hd36 -o "$tmp/x.pdf"
expect "--form belongs to check: render refuses it, writes nothing" 2 \
  "anpham: --form belongs to check (anpham check --form hd36|nd30 LAYOUT.xml) (anpham --help)"
check "render with --form wrote no PDF" test ! -e "$tmp/x.pdf"

finish
