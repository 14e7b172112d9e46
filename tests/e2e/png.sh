#!/usr/bin/env bash
# PNG pass-through (docs/layout-language.md, <image>): a PNG a PDF can show
# as it is (8 bits or fewer a sample, opaque, not interlaced) goes into the
# PDF as the file's own compressed rows, read by FlateDecode with the PNG
# predictors; any other PNG is decoded and compressed again. Test images
# come from tests/e2e/png/make-pngs.py: RGB, gray and a 4-bit palette, rows
# in all five PNG filters, each with a 16-bit twin (decoded). Checks: the
# image streams are the files' IDAT bytes, under /Predictor 15 at the
# file's depth; the twins are not passed through; both pages look the same.
# Usage: png.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: png.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: png.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

command -v qpdf >/dev/null && command -v pdftoppm >/dev/null && command -v pdfimages >/dev/null &&
  command -v python3 >/dev/null || { echo "SKIP: qpdf, poppler-utils or python3 missing"; exit 77; }
[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$src/tests/e2e/png/make-pngs.py" "$tmp"
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/png/layout.xml" >"$tmp/layout.xml"
"$anpham" render "$tmp/layout.xml" -o "$tmp/t.pdf" 2>"$tmp/err"
check "renders (exit 0, no message)" test $? -eq 0 -a ! -s "$tmp/err"
check "qpdf --check is clean" bash -c "qpdf --check '$tmp/t.pdf' | grep -q 'No syntax or stream encoding errors'"

# The IDAT data of a PNG file, concatenated (its chunks: length, type, data, CRC).
idat() {
  python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read(); p = 8; out = b""
while p + 12 <= len(d):
    n = struct.unpack(">I", d[p:p + 4])[0]
    if d[p + 4:p + 8] == b"IDAT": out += d[p + 8:p + 8 + n]
    p += 12 + n
sys.stdout.buffer.write(out)' "$1"
}
# Image XObjects in page order, each once: object number, then the dictionary
# on one line. (The pages share one /Resources, an indirect object.)
qpdf --json --json-stream-data=none "$tmp/t.pdf" >"$tmp/t.json"
python3 - "$tmp/t.json" >"$tmp/images" <<'PY'
import json, sys
objs = json.load(open(sys.argv[1]))["qpdf"][1]
pages = [v["value"] for k, v in objs.items() if isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Page"]
seen = set()
for page in pages:
    resources = page["/Resources"]
    if isinstance(resources, str):
        resources = objs["obj:" + resources]["value"]
    xobjects = resources["/XObject"]
    for name in sorted(xobjects, key=lambda n: int(xobjects[n].split()[0])):
        ref = xobjects[name]
        if ref in seen:
            continue
        seen.add(ref)
        d = objs["obj:" + ref]["stream"]["dict"]
        print(ref.split()[0], d.get("/BitsPerComponent"), json.dumps(d.get("/DecodeParms", {}), sort_keys=True))
PY
check "six images in the PDF" test "$(wc -l <"$tmp/images")" -eq 6
n=0
for f in rgb8:3:8 gray8:1:8 pal4:1:4; do
  IFS=: read -r name colors bits <<<"$f"
  n=$((n + 1))
  read -r obj bpc parms < <(sed -n "${n}p" "$tmp/images")
  idat "$tmp/$name.png" >"$tmp/$name.idat"
  qpdf --show-object="$obj" --raw-stream-data "$tmp/t.pdf" >"$tmp/$name.raw"
  check "$name.png: the stream is the file's IDAT data, byte for byte" cmp -s "$tmp/$name.idat" "$tmp/$name.raw"
  check "$name.png: /Predictor 15, $colors colour(s), $bits bits, as in the file" \
    test "$bpc $parms" = "$bits {\"/BitsPerComponent\": $bits, \"/Colors\": $colors, \"/Columns\": 37, \"/Predictor\": 15}"
done
for k in 4 5 6; do
  read -r obj bpc parms < <(sed -n "${k}p" "$tmp/images")
  check "16-bit twin $((k - 3)) is decoded (8 bits, no predictor)" test "$bpc $parms" = "8 {}"
done

# What a reader sees: page 1 (passed through) and page 2 (decoded) alike.
pdftoppm -r 150 "$tmp/t.pdf" "$tmp/page"
check "the passed-through images look exactly like their decoded twins (pdftoppm, 150 dpi)" \
  cmp -s "$tmp/page-1.ppm" "$tmp/page-2.ppm"
finish
