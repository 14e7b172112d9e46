#!/usr/bin/env bash
# The visible appearance of anpham sign (issue 14 §2, Nghị định 30/2020,
# Phụ lục I): --image puts the signer's signature (a PNG with
# transparency) centred in the position's field of tests/e2e/sign_field/
# fields.xml, --seal the seal (red, a palette PNG with transparency) at its
# real width (--seal-size 36mm: 102.05 pt) over the signature's left third;
# --office writes the organisation and the ISO 8601 time (+07:00) at the
# top right of page 1 in an embedded font. Checked: pdfsig valid and whole,
# qpdf --check, the unsigned bytes and text kept, the widget's /AP /N and
# its two images with soft masks, the geometry in the appearance stream,
# red and blue pixels where they belong in a pdftoppm render (none there
# before signing), the office's text by pdftotext, reproducible bytes,
# an office's signature after a certification with images; a
# truncated PNG, a missing file, a text file, an image outside the allowed
# folders and bad options: one line, exit 1 (2 for usage), no output.
# The PNGs are made here by python3 (zlib). KEEP=1 keeps the folder.
# Usage: sign_appearance.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: sign_appearance.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: sign_appearance.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/sign-lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
for tool in openssl pdfsig certutil qpdf python3 pdftoppm pdftotext pdffonts; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (tools/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH
f=tests/e2e/sign_field
field="Phó Giám đốc"

"$anpham" render $f/fields.xml --data $f/data.xml -o "$tmp/doc.pdf" 2>"$tmp/render.err"
check "the document renders" test $? -eq 0 -a -s "$tmp/doc.pdf"

# A test CA and a signer whose certificate names its organisation (O).
k=$tmp/keys
mkdir "$k"
test_ca "$k"
test_signer "$k" signer "/C=VN/O=Sở Tài chính tỉnh Thử Nghiệm/CN=Trần Thị B" rsa:2048
check "a signer" test -s "$k/signer.pem"
nss=$tmp/nss
test_nss "$nss" "$k/ca.pem"
when=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
key=(--key "$k/signer.key" --cert "$k/signer.pem" --time "$when")

# The images: a blue signature stroke (RGBA) and a red seal (palette with
# tRNS), transparent around; both in the PDF's folder (allowed).
python3 - "$tmp" <<'PY'
import math, struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(path, w, h, ctype, row, extra=b''):
    raw = b''.join(b'\0' + row(y) for y in range(h))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, ctype, 0, 0, 0))
                           + extra + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
d = sys.argv[1]
def sig_row(y):
    return b''.join(bytes((20, 40, 200, 255)) if abs(y - 50 - 30 * math.sin(x / 20)) < 5 else bytes(4)
                    for x in range(300))
png(d + '/sig.png', 300, 100, 6, sig_row)
def seal_row(y):
    return bytes(1 if 88 < math.hypot(x - 99.5, y - 99.5) < 99 or math.hypot(x - 99.5, y - 99.5) < 30 else 0
                 for x in range(200))
png(d + '/seal.png', 200, 200, 3, seal_row, chunk(b'PLTE', bytes((0, 0, 0, 220, 20, 30))) + chunk(b'tRNS', b'\0'))
PY
check "the test's PNGs" test -s "$tmp/sig.png" -a -s "$tmp/seal.png"

# Signing with the signature and the seal.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/signed.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" \
  --seal "$tmp/seal.png" --seal-size 36mm 2>"$tmp/sign.err"
check "--image --seal: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/sign.err"
pdfsig -nssdir "sql:$nss" "$tmp/signed.pdf" >"$tmp/signed.sig" 2>&1
check "pdfsig: the position's field signed, valid, covering the whole file" \
  test "$(sed -n '/^Signature #1:/,/^Signature #2:/p' "$tmp/signed.sig" |
          grep -c "Signature Field Name: $field\$\|Signature is Valid.\|Total document signed")" -eq 3
check "qpdf --check is clean" qpdf --check "$tmp/signed.pdf"
check "the unsigned file's bytes come first, unchanged" cmp -s -n "$(stat -c %s "$tmp/doc.pdf")" "$tmp/doc.pdf" \
  "$tmp/signed.pdf"
pdftotext "$tmp/doc.pdf" "$tmp/doc.txt"
pdftotext "$tmp/signed.pdf" "$tmp/signed.txt"
check "the text layer is unchanged" cmp -s "$tmp/doc.txt" "$tmp/signed.txt"
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/again.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" \
  --seal "$tmp/seal.png" --seal-size 36mm 2>/dev/null
check "the same time gives the same bytes" cmp -s "$tmp/signed.pdf" "$tmp/again.pdf"

# The widget: /AP /N, a form whose resources hold two images with soft
# masks; the signature centred in the field and fitted; the seal 36 mm
# wide, its right edge a third into the signature, centred on its height.
qpdf --json "$tmp/doc.pdf" >"$tmp/doc.json"
qpdf --json --json-stream-data=inline --decode-level=all "$tmp/signed.pdf" >"$tmp/signed.json"
python3 - "$tmp/doc.json" "$tmp/signed.json" "$field" >"$tmp/geometry.txt" <<'PY'
import base64, json, re, sys
before, after, name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
def widget(j):
    for f in j["acroform"]["fields"]:
        if f["fullname"] == name:
            return j["qpdf"][1]["obj:" + f["object"]]["value"]
def obj(j, ref): return j["qpdf"][1]["obj:" + ref]
field, signed = widget(before)["/Rect"], widget(after)
form = obj(after, signed["/AP"]["/N"])["stream"]
images = form["dict"]["/Resources"]["/XObject"]
print("images", len(images), "masks", sum("/SMask" in obj(after, r)["stream"]["dict"] for r in images.values()),
      "subtypes", sorted(obj(after, r)["stream"]["dict"]["/Subtype"] for r in images.values()))
rect = signed["/Rect"]
print("bbox-is-rect", all(abs(a - b) < 0.01 for a, b in zip(form["dict"]["/BBox"], [0, 0, rect[2] - rect[0], rect[3] - rect[1]])))
print("rect-holds-field", rect[0] <= field[0] and rect[1] <= field[1] and rect[2] >= field[2] and rect[3] >= field[3])
text = base64.b64decode(form["data"]).decode()
cm = {m[6]: [float(v) for v in m[:6]] for m in re.findall(r"q (\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm /(\w+) Do Q", text)}
sw, _, _, sh, sx, sy = cm["Sig"]
ew, _, _, eh, ex, ey = cm["Seal"]
sx, sy, ex, ey = sx + rect[0], sy + rect[1], ex + rect[0], ey + rect[1]   # page coordinates
fw, fh = field[2] - field[0], field[3] - field[1]
close = lambda a, b: abs(a - b) < 0.01
print("sig-centred", close(sx + sw / 2, field[0] + fw / 2) and close(sy + sh / 2, field[1] + fh / 2))
print("sig-fits", (close(sw, fw) or close(sh, fh)) and sw <= fw + 0.01 and sh <= fh + 0.01 and close(sw / sh, 3))
print("seal-width", round(ew, 2), "seal-height", round(eh, 2))
print("seal-right-at-third", close(ex + ew, sx + sw / 3), "seal-mid-height", close(ey + eh / 2, sy + sh / 2))
print("seal-box", ex, ey, ex + ew, ey + eh)
print("sig-box", sx, sy, sx + sw, sy + sh)
PY
check "the /AP /N form holds two images, each with a soft mask" \
  grep -qx "images 2 masks 2 subtypes \['/Image', '/Image'\]" "$tmp/geometry.txt"
check "the form's BBox is the widget's /Rect, which holds the field's" \
  test "$(grep -c '^bbox-is-rect True$\|^rect-holds-field True$' "$tmp/geometry.txt")" -eq 2
check "the signature is centred in the field, fitted, its aspect kept" \
  test "$(grep -c '^sig-centred True$\|^sig-fits True$' "$tmp/geometry.txt")" -eq 2
check "the seal at its real size (36 mm = 102.05 pt)" grep -qx 'seal-width 102.05 seal-height 102.05' "$tmp/geometry.txt"
check "the seal over the signature's left third, at its height" \
  grep -qx 'seal-right-at-third True seal-mid-height True' "$tmp/geometry.txt"

# The page as a reader sees it (72 dpi: a pixel a point): red in the seal's
# box, blue in the signature's, neither there before signing.
pdftoppm -r 72 -f 1 -l 1 "$tmp/signed.pdf" "$tmp/signed"
pdftoppm -r 72 -f 1 -l 1 "$tmp/doc.pdf" "$tmp/unsigned"
pdftoppm -png -r 60 -f 1 -l 1 "$tmp/signed.pdf" "$tmp/look" # For a person: KEEP=1
count_pixels() { # PPM, box line (x0 y0 x1 y1 in PDF points), colour (red|blue)
  python3 - "$1" "$2" "$3" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
parts = data.split(maxsplit=4)
w, h, pixels = int(parts[1]), int(parts[2]), parts[4]
x0, y0, x1, y1 = map(float, sys.argv[2].split()[1:])
n = 0
for y in range(max(0, int(h - y1)), min(h, int(h - y0))):
    for x in range(max(0, int(x0)), min(w, int(x1))):
        r, g, b = pixels[3 * (y * w + x): 3 * (y * w + x) + 3]
        n += (r > 150 and g < 90 and b < 90) if sys.argv[3] == "red" else (b > 150 and r < 100 and g < 120)
print(n)
PY
}
seal_box=$(grep '^seal-box' "$tmp/geometry.txt")
sig_box=$(grep '^sig-box' "$tmp/geometry.txt")
check "red pixels in the seal's box" test "$(count_pixels "$tmp/signed-1.ppm" "$seal_box" red)" -gt 200
check "blue pixels in the signature's box" test "$(count_pixels "$tmp/signed-1.ppm" "$sig_box" blue)" -gt 200
check "no red nor blue there before signing" \
  test "$(count_pixels "$tmp/unsigned-1.ppm" "$seal_box" red)" -eq 0 -a \
       "$(count_pixels "$tmp/unsigned-1.ppm" "$sig_box" blue)" -eq 0

# The office's copy: its name (the certificate's O), the signer's (its CN,
# another name) and the time in Vietnam's zone, extractable, at the top right of page 1, in an embedded
# font with a ToUnicode map; --org names another office.
vn=$(python3 -c "import datetime, sys
t = datetime.datetime.strptime(sys.argv[1], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
print(t.astimezone(datetime.timezone(datetime.timedelta(hours=7))).isoformat())" "$when")
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/office.pdf" "${key[@]}" --office 2>"$tmp/office.err"
check "--office: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/office.err"
pdftotext -f 1 -l 1 -x 350 -y 0 -W 250 -H 75 "$tmp/office.pdf" "$tmp/office-corner.txt"
check "--office: the organisation, the signer and the time $vn at the top right (pdftotext)" \
  test "$(tr -s '\n' <"$tmp/office-corner.txt" | head -3)" = \
  "$(printf 'Sở Tài chính tỉnh Thử Nghiệm\nTrần Thị B\n%s' "$vn")"
pdftotext -f 1 -l 1 -x 350 -y 0 -W 250 -H 57 "$tmp/doc.pdf" "$tmp/doc-corner.txt" # (the first two lines' band)
check "--office: nothing there before signing" test ! -s "$tmp/doc-corner.txt" -o "$(tr -d '\n\f ' <"$tmp/doc-corner.txt")" = ""
pdfsig -nssdir "sql:$nss" "$tmp/office.pdf" >"$tmp/office.sig" 2>&1
check "--office: pdfsig valid, whole document" \
  test "$(grep -c 'Signature is Valid.\|Total document signed' "$tmp/office.sig")" -eq 2
check "--office: qpdf --check is clean" qpdf --check "$tmp/office.pdf"
check "--office: its font embedded, a subset, with ToUnicode" \
  grep -q '^[A-Z]\{6\}+LiberationSerif  *CID TrueType  *Identity-H  *yes yes yes' <(pdffonts "$tmp/office.pdf")
SOURCE_DATE_EPOCH=$(date -u -d "$when" +%s) "$anpham" sign "$tmp/doc.pdf" -o "$tmp/office2.pdf" \
  --key "$k/signer.key" --cert "$k/signer.pem" --office 2>/dev/null
check "--office: SOURCE_DATE_EPOCH at the same time gives the same bytes" cmp -s "$tmp/office.pdf" "$tmp/office2.pdf"
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/org.pdf" "${key[@]}" --office --org "Văn phòng Ủy ban nhân dân tỉnh" \
  2>/dev/null
check "--org: that name instead" grep -qx 'Văn phòng Ủy ban nhân dân tỉnh' <(pdftotext -f 1 -l 1 "$tmp/org.pdf" -)

# With crop marks the page is its trim box: the office's field 15 mm in
# from its right edge, 4 mm down from its top (a point of rounding).
"$anpham" render $f/fields.xml --data $f/data.xml --crop-marks -o "$tmp/marks.pdf" 2>/dev/null &&
  "$anpham" sign "$tmp/marks.pdf" -o "$tmp/marks-office.pdf" "${key[@]}" --office 2>/dev/null
check "--office with crop marks: exit 0" test $? -eq 0
qpdf --json "$tmp/marks-office.pdf" >"$tmp/marks.json"
check "--office with crop marks: at the trim box's top right" python3 - "$tmp/marks.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
objs = j["qpdf"][1]
trim = objs["obj:" + j["pages"][0]["object"]]["value"]["/TrimBox"]
rect = [objs["obj:" + f["object"]]["value"]["/Rect"] for f in j["acroform"]["fields"] if f["fullname"] == "Signature1"][0]
mm = 72 / 25.4
sys.exit(not (abs(rect[2] - (trim[2] - 15 * mm)) < 1 and abs(rect[3] - (trim[3] - 4 * mm)) < 1))
PY

# The office's copy of a document its signer signed (a certification with
# the signature and the seal): both signatures valid.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/first.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" \
  --seal "$tmp/seal.png" --seal-size 36mm --certify 2>/dev/null &&
  "$anpham" sign "$tmp/first.pdf" -o "$tmp/second.pdf" "${key[@]}" --office --org "Văn thư" 2>"$tmp/second.err"
check "certified with the images, then --office: exit 0" test $? -eq 0 -a ! -s "$tmp/second.err"
pdfsig -nssdir "sql:$nss" "$tmp/second.pdf" >"$tmp/second.sig" 2>&1
check "both signatures valid, the last covering the whole file" \
  test "$(grep -c 'Signature is Valid.' "$tmp/second.sig")" -eq 2 -a "$(grep -c 'Total document signed' "$tmp/second.sig")" -eq 1
check "the two updates: qpdf --check is clean" qpdf --check "$tmp/second.pdf"

# Bad images and options: one line, exit 1 (usage: 2), no output.
head -c 300 "$tmp/sig.png" >"$tmp/cut.png"
echo "not an image" >"$tmp/text.png"
mkdir "$tmp/elsewhere" "$tmp/pdfdir"
cp "$tmp/doc.pdf" "$tmp/pdfdir/doc.pdf"
cp "$tmp/sig.png" "$tmp/elsewhere/sig.png"
refused() { # WHAT, expected exit, expected message (a grep -x pattern), arguments...
  local what=$1 want=$2 message=$3
  shift 3
  rm -f "$tmp/bad.pdf"
  "$anpham" sign "$@" -o "$tmp/bad.pdf" 2>"$tmp/bad.err"
  local rc=$?
  check "$what: exit $want (got $rc), one line, no output" \
    test $rc -eq "$want" -a "$(wc -l <"$tmp/bad.err")" -eq 1 -a ! -e "$tmp/bad.pdf"
  check "$what: the message" grep -qx -- "$message" "$tmp/bad.err"
}
refused "a truncated PNG" 1 "anpham: sign: --image: image file '$tmp/cut.png' is a truncated PNG .*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/cut.png"
refused "a truncated seal" 1 "anpham: sign: --seal: image file '$tmp/cut.png' is a truncated PNG .*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" --seal "$tmp/cut.png" --seal-size 36mm
refused "a missing file" 1 "anpham: sign: --image: cannot read the image file '$tmp/none.png': there is no such file .*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/none.png"
refused "not a PNG" 1 "anpham: sign: --image: image file '$tmp/text.png' is neither PNG nor JPEG.*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/text.png"
refused "outside the allowed folders" 1 \
  "anpham: sign: --image: the image file '$tmp/elsewhere/sig.png' is outside the folders anpham reads .*" \
  "$tmp/pdfdir/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/elsewhere/sig.png"
"$anpham" sign "$tmp/pdfdir/doc.pdf" -o "$tmp/allowed.pdf" "${key[@]}" --field "$field" \
  --image "$tmp/elsewhere/sig.png" --allow-path "$tmp/elsewhere" 2>/dev/null
check "--allow-path lets it in" test $? -eq 0 -a -s "$tmp/allowed.pdf"
refused "--seal without --seal-size" 2 "anpham: sign: --seal SEAL.png and --seal-size LENGTH .*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" --seal "$tmp/seal.png"
refused "--seal-size without a unit" 2 "anpham: sign: --seal-size '36': expected the seal's real width .*" \
  "$tmp/doc.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" --seal "$tmp/seal.png" --seal-size 36
refused "--image without --field" 2 "anpham: sign: --image needs --field NAME .*" \
  "$tmp/doc.pdf" "${key[@]}" --image "$tmp/sig.png"
finish
