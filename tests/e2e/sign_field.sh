#!/usr/bin/env bash
# Signature fields made by the layout (issue 14 §1): tests/e2e/sign_field/
# fields.xml puts one in the room of its <form-signature field=> (named
# after the signer's position, Vietnamese) and one of its own
# (<signature-field>). The dump shows each (the first between the
# position's line and the name's); qpdf sees each as a /Sig field with its
# name, an appearance and the dump's rectangle; two renders are the same
# bytes; a --pdfa render passes anpham verify; anpham sign --field signs
# into the position's field (pdfsig: valid, that field, no other added);
# fields nested under parent fields (nest.py, through qpdf's JSON) are
# signed by their fully qualified names, an ambiguous or missing name is
# one line listing the signature fields;
# a duplicate name, or a field in a header, is one line with its place,
# exit 1, no output.
# Usage: sign_field.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: sign_field.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: sign_field.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/sign-lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
for tool in openssl pdfsig certutil qpdf python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (tools/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH
f=tests/e2e/sign_field

# The render, its dump, and a second render.
"$anpham" render $f/fields.xml --data $f/data.xml -o "$tmp/doc.pdf" --dump "$tmp/doc.txt" 2>"$tmp/render.err"
check "renders without a message" test $? -eq 0 -a -s "$tmp/doc.pdf" -a ! -s "$tmp/render.err"
"$anpham" render $f/fields.xml --data $f/data.xml -o "$tmp/again.pdf" 2>/dev/null
check "two renders are byte-identical" cmp -s "$tmp/doc.pdf" "$tmp/again.pdf"
check "qpdf --check is clean" qpdf --check "$tmp/doc.pdf"

# The dump: the position's field right under the position's line, right
# above the name's, as high as the room (25 mm), as wide as the column...
awk '
  /^  / { if (want == "after" && $1 == "line") { print "next", $0; want = "" } }
  /^  sigfield/ && /name="Phó Giám đốc"/ { print "field", $0; print "before", prev; want = "after" }
  /^  line/ { prev = $0 }
' "$tmp/doc.txt" >"$tmp/around.txt"
num() { sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<"$1"; }
field=$(sed -n 's/^field //p' "$tmp/around.txt")
before=$(sed -n 's/^before //p' "$tmp/around.txt")
after=$(sed -n 's/^next //p' "$tmp/around.txt")
check "the dump has the position's field" test -n "$field"
check "on page 1 (the signature block's)" test "$(awk '/^page /{p=$2} /sigfield.*Phó Giám đốc/{print p}' "$tmp/doc.txt")" = 1
check "the line above it is the position's" \
  test "$(grep -A1 -F "$before" "$tmp/doc.txt" | sed -n 's/.*"\(.*\)"$/\1/p' | head -1)" = "PHÓ GIÁM ĐỐC"
check "the line below it is the name's" \
  test "$(grep -A1 -F "$after" "$tmp/doc.txt" | sed -n 's/.*"\(.*\)"$/\1/p' | head -1)" = "Trần Thị B"
close() { python3 -c "import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 0.02)" "$1" "$2"; }
check "it starts where the position's line ends" close "$(num "$field" y)" \
  "$(python3 -c "print($(num "$before" y) + $(num "$before" h))")"
check "the name's line starts where it ends" close "$(num "$after" y)" \
  "$(python3 -c "print($(num "$field" y) + $(num "$field" h))")"
check "it is the room's height (25 mm)" close "$(num "$field" h)" 70.87
check "it is the column's width" close "$(num "$field" w)" "$(num "$before" w)"
check "the standalone field is in the dump, 60 x 20 mm, right-aligned" \
  grep -q '^  sigfield signature x=382.68 y=[0-9.]* w=170.08 h=56.69 name="Người nhận 12"$' "$tmp/doc.txt"

# qpdf: both /Sig fields, with their names, the dump's rectangles, an
# appearance, printed, and no JavaScript.
qpdf --json "$tmp/doc.pdf" >"$tmp/doc.json"
python3 - "$tmp/doc.json" "$(num "$field" x) $(num "$field" y) $(num "$field" w) $(num "$field" h)" >"$tmp/fields.txt" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
objs = j["qpdf"][1]
x, y, w, h = map(float, sys.argv[2].split())
page_h = 841.89
for f in j["acroform"]["fields"]:
    o = objs["obj:" + f["object"]]["value"]
    rect = o["/Rect"]
    want = [x, page_h - y - h, x + w, page_h - y]
    same = all(abs(a - b) < 0.02 for a, b in zip(rect, want))
    print(f["fullname"], o["/FT"], o["/Subtype"], o["/F"], "/N" in o["/AP"], "same-rect" if same else "other-rect",
          f["pageposfrom1"], "/V" in o)
print("fields", len(j["acroform"]["fields"]), "sigflags", objs["obj:" + j["qpdf"][1]["trailer"]["value"]["/Root"]]["value"]["/AcroForm"]["/SigFlags"])
PY
check "the position's field: /Sig widget, printed, an appearance, the dump's rect, page 1, unsigned" \
  grep -qx 'Phó Giám đốc /Sig /Widget 4 True same-rect 1 False' "$tmp/fields.txt"
check "the standalone field: /Sig widget, printed, an appearance, unsigned" \
  grep -qx 'Người nhận 12 /Sig /Widget 4 True other-rect 1 False' "$tmp/fields.txt"
check "two fields, /SigFlags 1" grep -qx 'fields 2 sigflags 1' "$tmp/fields.txt"
qpdf --qdf --object-streams=disable "$tmp/doc.pdf" "$tmp/doc-qdf.pdf"
check "the name is UTF-16BE" grep -aq '/T <feff0050006800f300200047006900e1006d002001111ed10063>' "$tmp/doc-qdf.pdf"
check "no JavaScript" bash -c "! grep -aq '/JavaScript\|/JS\b\|/NeedAppearances' '$tmp/doc-qdf.pdf'"
check "tagged: a Form element" grep -aq '/S /Form' "$tmp/doc-qdf.pdf"

# PDF/A: the archive passes anpham verify.
"$anpham" render $f/fields.xml --data $f/data.xml -o "$tmp/pdfa.pdf" --pdfa --embed-source 2>"$tmp/pdfa.err"
check "--pdfa renders" test -s "$tmp/pdfa.pdf" -a ! -s "$tmp/pdfa.err"
"$anpham" verify "$tmp/pdfa.pdf" >"$tmp/verify.out" 2>&1
check "--pdfa: anpham verify passes" test $? -eq 0
check "--pdfa: qpdf --check is clean" qpdf --check "$tmp/pdfa.pdf"

# Signing into the field (a test CA and an ECDSA P-256 signer, as sign.sh).
k=$tmp/keys
mkdir "$k"
test_ca "$k"
export TEST_PASS='bí mật 1'
test_signer "$k" ec "/CN=anpham test ec" ec -pkeyopt ec_paramgen_curve:P-256
check "an ECDSA signer" test -s "$k/ec.p12"
nss=$tmp/nss
test_nss "$nss" "$k/ca.pem"
when=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/signed.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --field "Phó Giám đốc" \
  --time "$when" 2>"$tmp/sign.err"
check "sign --field: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/sign.err"
pdfsig -nssdir "sql:$nss" "$tmp/signed.pdf" >"$tmp/signed.sig" 2>&1
check "pdfsig: the first field is the position's, signed, valid, covering the whole file" \
  test "$(sed -n '/^Signature #1:/,/^Signature #2:/p' "$tmp/signed.sig" |
          grep -c 'Signature Field Name: Phó Giám đốc$\|Signature is Valid.\|Total document signed')" -eq 3
check "pdfsig: the other field stays unsigned" \
  test "$(sed -n '/^Signature #2:/,$p' "$tmp/signed.sig" |
          grep -c 'Signature Field Name: Người nhận 12$\|The signature form field is not signed.')" -eq 2
check "pdfsig: one valid signature in all" test "$(grep -c 'Signature is Valid.' "$tmp/signed.sig")" -eq 1
qpdf --json --json-key=acroform "$tmp/signed.pdf" >"$tmp/signed.json"
check "no field added (still two)" test "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['acroform']['fields']))" "$tmp/signed.json")" = 2
check "signed: qpdf --check is clean" qpdf --check "$tmp/signed.pdf"

# Nested fields (other tools' forms; ISO 32000-1 §12.7.3.2): nest.py puts
# the fields under parent fields through qpdf's JSON. Two parents:
# "Ký.Phó Giám đốc" (its /FT inherited from Ký) and "Duyệt.Phó Giám đốc".
qpdf --json-output=2 --json-key=qpdf "$tmp/doc.pdf" "$tmp/doc-full.json"
python3 $f/nest.py "$tmp/doc-full.json" "$tmp/two.json" "Ký=Phó Giám đốc" "Duyệt=Người nhận 12=Phó Giám đốc" &&
  qpdf --json-input "$tmp/two.json" "$tmp/two.pdf"
pdfsig "$tmp/two.pdf" >"$tmp/two.sig" 2>&1
check "nested: pdfsig sees both fields by their fully qualified names" \
  test "$(grep -c 'Signature Field Name: Ký.Phó Giám đốc$\|Signature Field Name: Duyệt.Phó Giám đốc$' "$tmp/two.sig")" -eq 2
check "nested: the top level holds the parents" test "$(qpdf --json --json-key=acroform "$tmp/two.pdf" |
  python3 -c "import json,sys; print(sorted(f['fullname'] for f in json.load(sys.stdin)['acroform']['fields']))")" = \
  "['Duyệt.Phó Giám đốc', 'Ký.Phó Giám đốc']"
"$anpham" sign "$tmp/two.pdf" -o "$tmp/nested1.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --field "Duyệt.Phó Giám đốc" \
  --time "$when" 2>"$tmp/nested1.err"
check "nested: --field PARENT.CHILD: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/nested1.err"
pdfsig -nssdir "sql:$nss" "$tmp/nested1.pdf" >"$tmp/nested1.sig" 2>&1
check "nested: that field signed, valid, trusted, whole file" \
  test "$(sed -n '/Field Name: Duyệt.Phó Giám đốc$/,/^Signature #/p' "$tmp/nested1.sig" |
          grep -c 'Signature is Valid.\|Certificate is Trusted.\|Total document signed')" -eq 3
check "nested: the other stays unsigned" \
  test "$(sed -n '/Field Name: Ký.Phó Giám đốc$/,/^Signature #/p' "$tmp/nested1.sig" | grep -c 'not signed')" -eq 1
check "nested: qpdf --check is clean" qpdf --check "$tmp/nested1.pdf"
# The second, whose /FT is its parent's, signed after it: both valid.
"$anpham" sign "$tmp/nested1.pdf" -o "$tmp/nested2.pdf" --key "$k/ec.p12" --pass-env TEST_PASS \
  --field "Ký.Phó Giám đốc" --time "$when" 2>"$tmp/nested2.err"
check "nested: the inherited /FT field: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/nested2.err"
pdfsig -nssdir "sql:$nss" "$tmp/nested2.pdf" >"$tmp/nested2.sig" 2>&1
check "nested: two signatures, both valid" test "$(grep -c 'Signature is Valid.' "$tmp/nested2.sig")" -eq 2
check "nested: the last covers the whole file" \
  test "$(sed -n '/Field Name: Ký.Phó Giám đốc$/,/^Signature #/p' "$tmp/nested2.sig" | grep -c 'Total document signed')" -eq 1
check "nested: still two fields" test "$(grep -c '^Signature #' "$tmp/nested2.sig")" -eq 2
# The last partial name alone names a field when one signature field has it.
python3 $f/nest.py "$tmp/doc-full.json" "$tmp/one.json" "Ký=Phó Giám đốc" && qpdf --json-input "$tmp/one.json" "$tmp/one.pdf"
"$anpham" sign "$tmp/one.pdf" -o "$tmp/nested-short.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --field "Phó Giám đốc" \
  --time "$when" 2>"$tmp/nested-short.err"
check "nested: the last partial name: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/nested-short.err"
pdfsig -nssdir "sql:$nss" "$tmp/nested-short.pdf" >"$tmp/nested-short.sig" 2>&1
check "nested: the last partial name signs Ký.Phó Giám đốc" \
  test "$(sed -n '/Field Name: Ký.Phó Giám đốc$/,/^Signature #/p' "$tmp/nested-short.sig" | grep -c 'Signature is Valid.')" -eq 1
# Ambiguous, missing, already signed: one line listing the fields, exit 1, no output.
# 'sign_fails NAME IN FIELD EXPECTED' - sign IN --field FIELD prints EXPECTED alone, exits 1, writes nothing.
sign_fails() {
  "$anpham" sign "$2" -o "$tmp/$1.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --field "$3" --time "$when" 2>"$tmp/$1.err"
  local rc=$?
  check "$1: exit 1 (got $rc)" test $rc -eq 1
  check "$1: its one line" test "$(cat "$tmp/$1.err")" = "$4"
  check "$1: no output file" test ! -e "$tmp/$1.pdf"
}
sign_fails ambiguous "$tmp/two.pdf" "Phó Giám đốc" \
  "anpham: sign: $tmp/two.pdf: the signature field name Phó Giám đốc is ambiguous: Ký.Phó Giám đốc, Duyệt.Phó Giám đốc (give the fully qualified name)"
sign_fails missing "$tmp/two.pdf" "Ký.Trưởng phòng" \
  "anpham: sign: $tmp/two.pdf: no signature field named Ký.Trưởng phòng (the signature fields: Ký.Phó Giám đốc, Duyệt.Phó Giám đốc)"
sign_fails parent "$tmp/two.pdf" "Ký" \
  "anpham: sign: $tmp/two.pdf: no signature field named Ký (the signature fields: Ký.Phó Giám đốc, Duyệt.Phó Giám đốc)"
sign_fails nested-signed "$tmp/nested1.pdf" "Duyệt.Phó Giám đốc" \
  "anpham: sign: $tmp/nested1.pdf: the signature field Duyệt.Phó Giám đốc is already signed"

# A duplicate name: one line with its place, exit 1, no output.
"$anpham" render $f/fields.xml --data $f/data.xml --set dup=yes -o "$tmp/dup.pdf" 2>"$tmp/dup.err"
rc=$?
check "duplicate: exit 1 (got $rc)" test $rc -eq 1
check "duplicate: one line" test "$(wc -l <"$tmp/dup.err")" -eq 1
check "duplicate: its place and the first's" \
  grep -q "^$f/fields.xml:18:[0-9]*: error: name=\"Phó Giám đốc\": a signature field of that name is already at $f/fields.xml:14:[0-9]*$" \
  "$tmp/dup.err"
check "duplicate: no output file" test ! -e "$tmp/dup.pdf"

# A field in a page template's header (drawn on every page): the same.
"$anpham" render $f/header.xml -o "$tmp/header.pdf" 2>"$tmp/header.err"
rc=$?
check "in a header: exit 1 (got $rc)" test $rc -eq 1
check "in a header: one line at its element" test "$(cat "$tmp/header.err")" = \
  "$f/header.xml:6:26: error: a signature field cannot stand in a slide or a page template's header or footer, which may be drawn more than once: put it in the <body>"
check "in a header: no output file" test ! -e "$tmp/header.pdf"
finish
