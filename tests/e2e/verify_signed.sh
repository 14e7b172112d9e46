#!/usr/bin/env bash
# anpham verify on signed archives (docs/archive.md, "Signed archives"):
# a PDF/A rendered with --pdfa and signed by anpham sign (a test CA and
# signer made with openssl, as sign.sh makes them) passes verify, which
# re-renders its original revision and reports its signatures by name;
# signed twice it passes and reports 2; a visible signature (an image and
# a seal in a signature field of the layout), the office's copy and a
# certification followed by an approval pass too. One byte changed in the
# original revision's page content fails (the re-render, naming the
# original revision; pdfsig agrees the signed bytes changed); an update
# appended after the signature that replaces a page's content stream fails
# naming the object; bytes after the last %%EOF fail; an unsigned archive
# still passes with no signatures line.
# Usage: verify_signed.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: verify_signed.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: verify_signed.sh SOURCE_DIR BUILD_DIR}
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
mkdir "$tmp/tmpdir"
export TMPDIR=$tmp/tmpdir # verify's private folders go here (and must be gone after)

# The test CA and a signer (as sign.sh makes them; valid from now: the signing time is a minute later).
k=$tmp/keys
mkdir "$k"
test_ca "$k"
test_signer "$k" rsa "/O=Sở Tài chính tỉnh Thử Nghiệm/CN=anpham test rsa" rsa:2048
check "an RSA 2048 signer" test -s "$k/rsa.pem"
nss=$tmp/nss
test_nss "$nss" "$k/ca.pem"
when=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
key=(--key "$k/rsa.key" --cert "$k/rsa-chain.pem" --time "$when")

# 'flip FILE OFFSET' - change one byte of FILE (its lowest bit).
flip() {
  local byte
  byte=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf %02x $((byte ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# 'verified NAME FILE' - anpham verify FILE into $tmp/NAME.out; its exit status.
verified() {
  "$anpham" verify "$2" >"$tmp/$1.out" 2>"$tmp/$1.err"
}

# The archive, unsigned: passes, no signatures line.
"$anpham" render layouts/tom-tat.xml --data data/2020/tom-tat-2020.xml --pdfa -o "$tmp/doc.pdf" 2>"$tmp/render.err"
check "the 2020 summary renders as PDF/A" test $? -eq 0 -a -s "$tmp/doc.pdf"
size=$(stat -c %s "$tmp/doc.pdf")
verified doc "$tmp/doc.pdf"
check "unsigned: verify passes (exit $?)" grep -qx "anpham verify: 1 file: 1 passed, 0 failed" "$tmp/doc.out"
check "unsigned: no signatures line, nothing else" test "$(wc -l <"$tmp/doc.out")" -eq 1

# Signed once: passes, the signature named, the original revision the unsigned file.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/once.pdf" "${key[@]}" 2>"$tmp/once.err"
check "signed once (exit $?)" test -s "$tmp/once.pdf" -a ! -s "$tmp/once.err"
pdfsig -nssdir "sql:$nss" "$tmp/once.pdf" >"$tmp/once.sig" 2>&1
check "once: pdfsig finds it valid" grep -q 'Signature Validation: Signature is Valid.' "$tmp/once.sig"
verified once "$tmp/once.pdf"
rc=$?
check "once: verify passes (exit $rc)" test "$rc" -eq 0
check "once: 1 passed" grep -qx "anpham verify: 1 file: 1 passed, 0 failed" "$tmp/once.out"
check "once: its signature reported, the original revision the unsigned $size bytes" grep -qx \
  "$tmp/once.pdf: signatures: 1 signature (Signature1), in 1 update after the original revision (bytes 0 to $size, what the re-render is compared with)" \
  "$tmp/once.out"
check "once: no private folder left" test -z "$(ls -A "$tmp/tmpdir")"

# Signed twice: passes, 2 reported.
"$anpham" sign "$tmp/once.pdf" -o "$tmp/twice.pdf" "${key[@]}" 2>"$tmp/twice.err"
check "signed twice (exit $?)" test -s "$tmp/twice.pdf" -a ! -s "$tmp/twice.err"
verified twice "$tmp/twice.pdf"
rc=$?
check "twice: verify passes (exit $rc)" test "$rc" -eq 0
check "twice: 2 signatures reported, in 2 updates" grep -qx \
  "$tmp/twice.pdf: signatures: 2 signatures (Signature1, Signature2), in 2 updates after the original revision (bytes 0 to $size, what the re-render is compared with)" \
  "$tmp/twice.out"

# One byte of the original revision's page content changed: fails at the re-render.
cp "$tmp/once.pdf" "$tmp/content.pdf"
obj=$(qpdf --show-pages "$tmp/content.pdf" | sed -n '3s/^ *\([0-9]*\) 0 R$/\1/p')
at=$(grep -abo "^$obj 0 obj" "$tmp/content.pdf" | head -1 | cut -d: -f1)
rel=$(tail -c +$((at + 1)) "$tmp/content.pdf" | grep -abo '^stream' | head -1 | cut -d: -f1)
check "page 1's content stream found in the original revision" test -n "$at" -a -n "$rel" -a $((at + rel)) -lt "$size"
flip "$tmp/content.pdf" $((at + rel + 7 + 40))
check "the content stream was changed (one byte)" test "$(cmp -l "$tmp/once.pdf" "$tmp/content.pdf" | wc -l)" -eq 1
pdfsig -nssdir "sql:$nss" "$tmp/content.pdf" >"$tmp/content.sig" 2>&1
check "content: pdfsig sees the signed bytes changed" grep -q 'Signature Validation: Digest Mismatch.' "$tmp/content.sig"
verified content "$tmp/content.pdf"
rc=$?
check "content: verify fails (exit $rc)" test "$rc" -eq 1
check "content: the original revision differs from the re-render" grep -q \
  "^$tmp/content.pdf: re-render: the original revision (bytes 0 to $size, before the 1 update that signs it) differs from the PDF its embedded source renders" \
  "$tmp/content.out"
check "content: 1 failed" grep -qx "anpham verify: 1 file: 0 passed, 1 failed" "$tmp/content.out"

# An update after the signature that gives page 1 another content stream
# (a classic cross-reference section after the signature's stream, its
# /Prev the last startxref): qpdf reads it; verify fails naming the object.
last=$(tail -c 64 "$tmp/once.pdf" | grep -a -A1 '^startxref' | tail -1)
trailer=$(qpdf --show-object=trailer "$tmp/once.pdf")
osize=$(sed -n 's/.*\/Size \([0-9]*\).*/\1/p' <<<"$trailer")
ids=$(sed -n 's/.*\(\/ID \[[^]]*\]\).*/\1/p' <<<"$trailer")
cp "$tmp/once.pdf" "$tmp/redrawn.pdf"
objat=$(stat -c %s "$tmp/redrawn.pdf")
printf '%s 0 obj\n<< /Length 24 >>\nstream\nBT /F1 12 Tf (X) Tj ET\n\nendstream\nendobj\n' "$obj" >>"$tmp/redrawn.pdf"
xref=$(stat -c %s "$tmp/redrawn.pdf")
printf 'xref\n%s 1\n%010d 00000 n\r\ntrailer\n<< /Size %s /Prev %s /Root 1 0 R /Info 3 0 R %s >>\nstartxref\n%s\n%%%%EOF\n' \
  "$obj" "$objat" "$osize" "$last" "$ids" "$xref" >>"$tmp/redrawn.pdf"
check "redrawn: qpdf reads the update (page 1's content is the new one)" \
  test "$(qpdf --show-object="$obj" --filtered-stream-data "$tmp/redrawn.pdf" 2>/dev/null)" = "BT /F1 12 Tf (X) Tj ET"
verified redrawn "$tmp/redrawn.pdf"
rc=$?
check "redrawn: verify fails (exit $rc)" test "$rc" -eq 1
check "redrawn: the update that changes the page's content named" grep -q \
  "^$tmp/redrawn.pdf: revisions: the update at bytes $(stat -c %s "$tmp/once.pdf") to $(stat -c %s "$tmp/redrawn.pdf") changes object $obj (a stream), which a signature does not change$" \
  "$tmp/redrawn.out"
check "redrawn: its original revision still re-renders (no re-render line)" test "$(grep -c ': re-render:' "$tmp/redrawn.out")" -eq 0
check "redrawn: 2 revisions after the original reported" grep -q "signatures: 1 signature (Signature1), in 2 updates" \
  "$tmp/redrawn.out"

# Bytes after the last %%EOF: the file is not its revisions.
cp "$tmp/once.pdf" "$tmp/tail.pdf"
printf 'more\n' >>"$tmp/tail.pdf"
verified tail "$tmp/tail.pdf"
rc=$?
check "bytes after the last %%EOF: verify fails (exit $rc)" test "$rc" -eq 1
check "... naming them" grep -qx \
  "$tmp/tail.pdf: revisions: 5 bytes after the last revision's %%EOF (byte $(stat -c %s "$tmp/once.pdf")), which no revision accounts for" \
  "$tmp/tail.out"
cp "$tmp/doc.pdf" "$tmp/tail0.pdf"
printf 'more\n' >>"$tmp/tail0.pdf"
verified tail0 "$tmp/tail0.pdf"
check "the same after an unsigned file: the re-render differs" grep -q "^$tmp/tail0.pdf: re-render: the file differs" \
  "$tmp/tail0.out"

# A visible signature in the layout's signature field (an image and a
# seal), then the office's copy: passes, both named.
f=tests/e2e/sign_field
field="Phó Giám đốc"
"$anpham" render $f/fields.xml --data $f/data.xml --pdfa -o "$tmp/form.pdf" 2>"$tmp/form.err"
check "a layout with a signature field renders as PDF/A" test $? -eq 0 -a -s "$tmp/form.pdf"
python3 - "$tmp" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(path, w, h, row):
    raw = b''.join(b'\0' + row(y) for y in range(h))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/sig.png', 120, 40, lambda y: b''.join(bytes((20, 40, 200, 255 if abs(y - 20) < 3 else 0)) for x in range(120)))
png(sys.argv[1] + '/seal.png', 60, 60, lambda y: b''.join(bytes((220, 20, 30, 255 if (x - 30) ** 2 + (y - 30) ** 2 < 800 else 0)) for x in range(60)))
PY
"$anpham" sign "$tmp/form.pdf" -o "$tmp/visible.pdf" "${key[@]}" --field "$field" --image "$tmp/sig.png" \
  --seal "$tmp/seal.png" --seal-size 20mm 2>"$tmp/visible.err"
check "signed into the field with an image and a seal" test -s "$tmp/visible.pdf" -a ! -s "$tmp/visible.err"
"$anpham" sign "$tmp/visible.pdf" -o "$tmp/office.pdf" "${key[@]}" --office 2>"$tmp/office.err"
check "then the office's copy" test -s "$tmp/office.pdf" -a ! -s "$tmp/office.err"
verified office "$tmp/office.pdf"
rc=$?
check "visible and office: verify passes (exit $rc)" test "$rc" -eq 0
check "visible and office: both named" grep -q "signatures: 2 signatures ($field, Signature1), in 2 updates" \
  "$tmp/office.out"

# A certification, then an approval: passes.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/certified.pdf" "${key[@]}" --certify 2>/dev/null &&
  "$anpham" sign "$tmp/certified.pdf" -o "$tmp/approved.pdf" "${key[@]}" 2>/dev/null
check "certified, then approved" test -s "$tmp/approved.pdf"
verified approved "$tmp/approved.pdf"
rc=$?
check "certified and approved: verify passes (exit $rc)" test "$rc" -eq 0
check "certified and approved: 2 signatures" grep -q "signatures: 2 signatures (Signature1, Signature2)" \
  "$tmp/approved.out"

finish
