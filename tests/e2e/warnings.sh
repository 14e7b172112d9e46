#!/usr/bin/env bash
# Warnings after a run that went well (docs/command-line.md, "Warnings"):
# each at its exact place (a content select that never selects a node, in
# the body and in a table's rows; a template the data has elements for but
# no <apply> uses; a <param> never read and a <style> never named, by
# check; a layout that reads data rendered without --data; data of which
# the layout selects nothing), and none for the empties a layout means (a
# guarded field, a for-each over nothing, a template for elements the data
# lacks, a style named by h{…}). --strict: exit 1 and no output; check
# prints them; --copies-in-one warns once; batch prints each job's; --diagnostic-format human
# (source line, caret under the column) and json (one object a line, that
# parses); --set NAME without '=' in one line; an undefined $variable
# suggests a <param>. The shipped editions render without a warning.
# Usage: warnings.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: warnings.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: warnings.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ANPHAM_CACHE_DIR=$tmp/cache
cp -R "$src/tests/e2e/warnings" "$tmp/w"
cd "$tmp" || exit 1

# 'run ARGS...' - run anpham; sets rc, and out/err to its stdout/stderr files.
run() {
  "$anpham" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
# 'same WHAT EXPECTED_FILE' - stderr is exactly the expected lines.
same() {
  if cmp -s "$2" "$tmp/err"; then ok "$1"; else bad "$1: $(diff "$2" "$tmp/err" | head -n 6)"; fi
}

# The warnings, in the order a run gives them...
titel='w/layout.xml:15:46: warning: <content select="titel"> selects nothing in the data wherever it is evaluated: its text is missing from the document: check the names against the data file; content the data may lack goes inside <if test="titel">'
nme='w/layout.xml:23:51: warning: <content select="nme"> selects nothing in the data wherever it is evaluated: its text is missing from the document: check the names against the data file; content the data may lack goes inside <if test="nme">'
note='w/layout.xml:12:13: warning: <template match="note"> is never used: the data holds <note> elements, but no <apply> selected one: apply it where those elements belong (<apply select="note"/>), or remove it'
param='w/layout.xml:4:10: warning: <param name="unused"> is never read: no expression of the layout says $unused: remove it, or read it as $unused (<if test="$unused = '"'…'"'">, {$unused})'
style='w/layout.xml:8:10: warning: <style name="dead"> is never used: no style=, parent= or other style attribute of the layout names it: remove it, or name it where it is meant (style="dead")'
nodata='w/layout.xml:15:46: warning: the layout reads the data ('"'titel'"') but the run has no --data: every expression selects nothing: give the data file with --data DATA.xml'
other='w/other.xml:2:1: warning: the layout selects nothing in this data (root <baocao>): no expression of it names an element of the file: is it the data file of this layout? The layout'"'"'s first select is '"'titel'"' at w/layout.xml:15'

# render: the definitions' warnings (an unused <param> and <style>), then
# the run's, exit 0, the PDF written...
printf '%s\n' "$param" "$style" "$titel" "$nme" "$note" >"$tmp/render.want"
run render w/layout.xml --data w/data.xml -o out.pdf
check "render: exit 0 and the PDF written despite the warnings" test "$rc" -eq 0 -a -s out.pdf
same "render: the content selects, in the body and in a table's rows, and the unused template, at their places" "$tmp/render.want"

# ...the same when --copies-in-one binds the layout once per copy: each warning once...
run render w/layout.xml --data w/data.xml -o copies.pdf --copies 3 --copies-in-one
check "--copies-in-one: exit 0" test "$rc" -eq 0
same "--copies-in-one: each warning once, not once per copy" "$tmp/render.want"

# ...--strict: the warnings are errors, exit 1, nothing written...
sed 's/: warning: /: error: /' "$tmp/render.want" >"$tmp/strict.want"
run render w/layout.xml --data w/data.xml -o strict.pdf --dump strict.txt --strict
check "--strict: exit 1" test "$rc" -eq 1
check "--strict: neither the PDF nor the dump written" test ! -e strict.pdf -a ! -e strict.txt
same "--strict: every warning printed as an error" "$tmp/strict.want"
echo "the last good PDF" >kept.pdf
run render w/layout.xml --data w/data.xml -o kept.pdf --strict
check "--strict: an existing output is left as it was" test "$rc" -eq 1 -a "$(cat kept.pdf)" = "the last good PDF"

# check: the definitions' warnings, then the run's; --strict fails it...
printf '%s\n' "$param" "$style" "$titel" "$nme" "$note" >"$tmp/check.want"
run check w/layout.xml --data w/data.xml
check "check: exit 0" test "$rc" -eq 0
same "check: the unused <param> and <style>, then the run's warnings" "$tmp/check.want"
run check w/layout.xml --data w/data.xml --strict
check "check --strict: exit 1" test "$rc" -eq 1

# Without --data: render warns once that the layout reads data; check
# (validating the layout alone) warns of its definitions only...
printf '%s\n' "$param" "$style" "$nodata" >"$tmp/nodata.want"
run render w/layout.xml -o nodata.pdf
check "render without --data: exit 0" test "$rc" -eq 0
same "render without --data: one warning, at the first expression that reads data" "$tmp/nodata.want"
printf '%s\n' "$param" "$style" >"$tmp/nodata-check.want"
run check w/layout.xml
same "check without --data: the definitions' warnings only" "$tmp/nodata-check.want"

# The wrong data file: one warning at its root, not one per select...
printf '%s\n' "$param" "$style" "$other" >"$tmp/other.want"
run render w/layout.xml --data w/other.xml -o other.pdf
check "the wrong data file: exit 0" test "$rc" -eq 0
same "the wrong data file: one warning at its root element" "$tmp/other.want"

# batch: each job's warnings from its process, in one piece; --strict fails the jobs...
run batch w/layout.xml --data w/data.xml w/other.xml -o batch --jobs 1
grep -v '^done \|^anpham batch: ' "$tmp/err" | sort >"$tmp/batch.txt"
printf '%s\n' "$param" "$style" "$titel" "$nme" "$note" "$param" "$style" "$other" | sort >"$tmp/batch.want"
check "batch: exit 0, both PDFs" test "$rc" -eq 0 -a -s batch/data.pdf -a -s batch/other.pdf
check "batch: every job's warnings at their places" cmp -s "$tmp/batch.want" "$tmp/batch.txt"
run batch w/layout.xml --data w/data.xml w/other.xml -o strict-batch --strict
check "batch --strict: exit 1, no PDF" test "$rc" -eq 1 -a ! -e strict-batch/data.pdf -a ! -e strict-batch/other.pdf
check "batch --strict: each job failed with its first warning as its error" \
  test "$(grep -c '^failed .*: error: ' "$tmp/err")" -eq 2

# --diagnostic-format json: one object a line, each parsing, with its fields...
run render w/layout.xml --data w/data.xml -o json.pdf --diagnostic-format json
python3 - "$tmp/err" >"$tmp/json.txt" 2>&1 <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    assert sorted(o) == ["column", "file", "hint", "line", "message", "severity"], sorted(o)
    print(o["severity"], o["file"], o["line"], o["column"], o["message"].split(" ")[0] + " " + o["message"].split(" ")[1], o["hint"] is not None)
EOF
printf '%s\n' 'warning w/layout.xml 4 10 <param name="unused"> True' 'warning w/layout.xml 8 10 <style name="dead"> True' \
  'warning w/layout.xml 15 46 <content select="titel"> True' 'warning w/layout.xml 23 51 <content select="nme"> True' \
  'warning w/layout.xml 12 13 <template match="note"> True' >"$tmp/json.want"
check "json: 5 lines that parse, each with severity, message, file, line, column and hint" cmp -s "$tmp/json.want" "$tmp/json.txt"
run render w/layout.xml -o json.pdf --set nope=1 --diagnostic-format json
python3 -c 'import json,sys; o=json.loads(open(sys.argv[1]).read()); sys.exit(not (o["severity"] == "error" and o["line"] == 0 and o["column"] == 0 and o["hint"] is None and o["file"] == "w/layout.xml"))' "$tmp/err" 2>/dev/null
check "json: an error without a line has line 0, column 0, hint null" test $? -eq 0 -a "$rc" -eq 1

# --diagnostic-format human: the message, the place, the source line and a caret under the column...
run render w/layout.xml --data w/data.xml -o human.pdf --diagnostic-format human
src_line=$(sed -n 23p w/layout.xml)
{
  printf '%s\n' 'warning: <content select="nme"> selects nothing in the data wherever it is evaluated: its text is missing from the document'
  printf '%s\n' '  --> w/layout.xml:23:51' '   |' "23 | $src_line"
  printf '   | %50s^\n' ''
  printf '%s\n' '   = hint: check the names against the data file; content the data may lack goes inside <if test="nme">'
} >"$tmp/human.want"
sed -n 19,24p "$tmp/err" >"$tmp/human.txt" # (the fourth warning)
check "human: the line of the layout and a caret under column 51" cmp -s "$tmp/human.want" "$tmp/human.txt"
caret=$(sed -n 23p "$tmp/err")
check "human: the caret stands under <content select=\"nme\">'s select=" \
  test "${src_line:$((${#caret} - 1 - 5)):14}" = 'select="nme"/>'
run render w/layout.xml --data w/data.xml -o human.pdf --diagnostic-format bogus
check "--diagnostic-format bogus: a usage error in one line" \
  test "$rc" -eq 2 -a "$(cat "$tmp/err")" = "anpham: --diagnostic-format takes human, short or json, not 'bogus' (anpham --help)"

# Messages that lead to the fix: --set without '=', an undefined variable...
run render w/layout.xml --data w/data.xml -o set.pdf --set mark
check "--set NAME without '=': one line that says so, exit 2" \
  test "$rc" -eq 2 -a "$(cat "$tmp/err")" = "anpham: --set mark: expected NAME=VALUE, with '=' (--set mark= for an empty value) (anpham --help)"
sed 's/{\$mark}/{$marks}/' w/layout.xml >w/undefined.xml
run render w/undefined.xml --data w/data.xml -o undefined.pdf
check "an undefined \$variable: its name, a <param> to declare, the column of its '\$'" \
  test "$rc" -eq 1 -a "$(cat "$tmp/err")" = "w/undefined.xml:16:35: error: invalid XPath expression '\$marks': an undefined variable, \$marks: declare it in the layout, <param name=\"marks\" value=\"…\"/> (--set marks=VALUE then gives it another value)"
check "...and column 35 (characters: 'Năm' is one more byte) is that '\$'" \
  test "$(python3 -c 'import sys; print(open(sys.argv[1], encoding="utf-8").read().split("\n")[15][34:40])' w/undefined.xml)" = '$marks'

# The shipped editions render and check without a warning...
cd "$src" || exit 1
n=0
while read -r layout data output options; do
  case $layout in '' | '#'*) continue ;; esac
  # shellcheck disable=SC2086
  "$anpham" render "$layout" --data "$data" -o "$tmp/$output" $options 2>"$tmp/ed.err"
  rc=$?
  check "$output renders with no warning" test "$rc" -eq 0 -a ! -s "$tmp/ed.err"
  "$anpham" check "$layout" --data "$data" >"$tmp/ed.check" 2>&1
  check "check $layout --data $data: no warning" test ! -s "$tmp/ed.check"
  n=$((n + 1))
done <samples/editions.txt
check "every edition of samples/editions.txt was rendered ($n)" test "$n" -ge 7

finish
