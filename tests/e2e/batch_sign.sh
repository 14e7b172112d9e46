#!/usr/bin/env bash
# anpham batch --sign (issue 14 §3): every output of a batch signed after
# it renders, with a key read once before any job. A test CA and an RSA
# signer in a PKCS#12 file are made with openssl (as tests/e2e/sign.sh);
# the eight district editions and the numbered copies of a job are
# signed: pdfsig (the CA trusted in a temporary NSS database) finds each
# valid and covering the whole file; manifest.json has each signed file's
# SHA-256 and bytes and the signer certificate's SHA-256 (openssl x509
# -outform DER | sha256sum); a wrong passphrase is one line, exit 1 and no
# PDF at all; the same key again renders nothing, another key renders all.
# The visible appearance (--field, --image, --seal, --seal-size, --office,
# --org) on every output: pdfsig finds each signature in its field, the
# seal's red shows on page 1, the office's name by pdftotext; the
# manifest names the field; another image signs again; a missing or
# outside image is one line, exit 1 and nothing written.
# Usage: batch_sign.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: batch_sign.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: batch_sign.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/sign-lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
for tool in openssl pdfsig certutil python3 sha256sum pdftoppm pdftotext; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (tools/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH

# The test CA and two RSA signers in PKCS#12 files (passphrase 'bí mật 1').
k=$tmp/keys
mkdir "$k"
test_ca "$k"
signer() { test_signer "$k" "$1" "/CN=anpham test $1" rsa:2048; } # NAME: NAME.key, NAME.pem, NAME.p12
export TEST_PASS='bí mật 1' WRONG_PASS='sai'
check "an RSA signer" signer rsa
check "another RSA signer" signer other
nss=$tmp/nss
test_nss "$nss" "$k/ca.pem"
when=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
fingerprint() { openssl x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }

# 'signed_ok DIR N FINGERPRINT' - N PDFs in DIR, each with one valid,
# trusted signature covering the whole file; the manifest's sha256 and
# bytes those of the signed file, its certificate_sha256 FINGERPRINT.
signed_ok() {
  local dir=$1 n=$2 fp=$3 valid=0 whole=0 count=0
  for f in "$dir"/*.pdf; do
    count=$((count + 1))
    pdfsig -nssdir "sql:$nss" "$f" >"$tmp/sig.txt" 2>&1
    [ "$(grep -c 'Signature Validation: Signature is Valid.' "$tmp/sig.txt")" -eq 1 ] &&
      grep -q 'Certificate Validation: Certificate is Trusted.' "$tmp/sig.txt" && valid=$((valid + 1))
    grep -q '  - Total document signed' "$tmp/sig.txt" && whole=$((whole + 1))
  done
  check "$dir: $n PDFs" test "$count" -eq "$n"
  check "$dir: every PDF has one valid, trusted signature" test "$valid" -eq "$n"
  check "$dir: every signature covers the whole document" test "$whole" -eq "$n"
  check "$dir: the manifest has each signed file's sha256, bytes and the signer's certificate" python3 -c '
import hashlib, json, os, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
jobs = m["jobs"]
assert len(jobs) == int(sys.argv[2]), len(jobs)
for j in jobs:
    data = open(j["output"], "rb").read()
    assert j["status"] == "done", j
    assert j["sha256"] == hashlib.sha256(data).hexdigest(), j["output"]
    assert j["bytes"] == len(data), j["output"]
    s = j["signature"]
    assert s["certificate_sha256"] == sys.argv[3], s
    assert s["subject"] == "CN=anpham test rsa", s
    assert s["time"].startswith(sys.argv[4][:16]), s
' "$dir" "$n" "$fp" "$when"
}

# The eight district editions, signed...
out=$tmp/districts
"$anpham" batch samples/districts.xml -o "$out" --quiet --sign "$k/rsa.p12" --pass-env TEST_PASS \
  --sign-time "$when" 2>"$tmp/err"
check "the signed district batch exits 0, says nothing" test $? -eq 0 -a ! -s "$tmp/err"
rsa_fp=$(fingerprint "$k/rsa.pem")
signed_ok "$out" 8 "$rsa_fp"
check "no unsigned file left beside the outputs" test -z "$(ls "$out" | grep unsigned)"

# ...the same key again: nothing renders; another key: everything does.
"$anpham" batch samples/districts.xml -o "$out" --sign "$k/rsa.p12" --pass-env TEST_PASS --sign-time "$when" \
  2>"$tmp/again.err"
check "the same key again: 0 done, 8 up to date" grep -q '8 jobs: 0 done, 8 up to date, 0 failed' "$tmp/again.err"
"$anpham" batch samples/districts.xml -o "$out" --sign "$k/other.p12" --pass-file <(printf '%s\n' "$TEST_PASS") \
  --sign-time "$when" 2>"$tmp/other.err"
check "another key: 8 done" grep -q '8 jobs: 8 done, 0 up to date, 0 failed' "$tmp/other.err"
check "the manifest names the other certificate" grep -q "\"certificate_sha256\": \"$(fingerprint "$k/other.pem")\"" \
  "$out/manifest.json"
check "the first certificate no longer" test "$(grep -c "$rsa_fp" "$out/manifest.json")" -eq 0
"$anpham" batch samples/districts.xml -o "$out" --quiet 2>"$tmp/unsigned.err"
check "unsigned again: every job renders (the key was part of 'up to date')" \
  test "$(python3 -c 'import json,sys; print(sum("signature" in j for j in json.load(open(sys.argv[1]))["jobs"]))' \
    "$out/manifest.json")" -eq 0

# Numbered copies: each copy signed.
mkdir "$tmp/copies"
cat >"$tmp/copies/jobs.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<batch version="1" layout="$src/layouts/handout-huyen.xml" output-dir="out">
  <allow-path dir="$src/data/2024"/>
  <job data="$src/data/2024/districts/vi-thanh.xml" output="vi-thanh.pdf" copies="3"/>
</batch>
XML
"$anpham" batch "$tmp/copies/jobs.xml" --quiet --sign "$k/rsa.p12" --pass-env TEST_PASS --sign-time "$when" \
  2>"$tmp/copies.err"
check "the batch of 3 numbered copies exits 0" test $? -eq 0 -a ! -s "$tmp/copies.err"
check "the copies are vi-thanh-001…003.pdf" test -s "$tmp/copies/out/vi-thanh-003.pdf"
signed_ok "$tmp/copies/out" 3 "$rsa_fp"

# A wrong passphrase: one line, exit 1, nothing written at all.
"$anpham" batch samples/districts.xml -o "$tmp/wrong" --sign "$k/rsa.p12" --pass-env WRONG_PASS 2>"$tmp/wrong.err"
check "a wrong passphrase: exit 1" test $? -eq 1
check "a wrong passphrase: one line" test "$(wc -l <"$tmp/wrong.err")" -eq 1
check "a wrong passphrase: says so" grep -q 'rsa.p12: wrong passphrase' "$tmp/wrong.err"
check "a wrong passphrase: no output folder, no PDF, no manifest" test ! -e "$tmp/wrong"
"$anpham" batch samples/districts.xml -o "$tmp/wrong" --sign "$k/rsa.p12" 2>"$tmp/nopass.err"
check "no passphrase: exit 1, one line, nothing written" \
  test $? -eq 1 -a "$(wc -l <"$tmp/nopass.err")" -eq 1 -a ! -e "$tmp/wrong"
"$anpham" batch samples/districts.xml -o "$tmp/wrong" --pass-env TEST_PASS 2>"$tmp/usage.err"
check "--pass-env without --sign: a usage error" test $? -eq 2 -a ! -e "$tmp/wrong"

# The visible appearance (sign's --field, --image, --seal, --seal-size,
# --office, --org), read once and given to every output: two documents of
# a layout with a signature field, each signed into it with the signature
# and the seal (pdfsig: valid, in that field; red seal pixels on page 1
# that the unsigned page has not).
mkdir "$tmp/look" "$tmp/img"
cp tests/e2e/sign_field/data.xml "$tmp/look/a.xml"
cp tests/e2e/sign_field/data.xml "$tmp/look/b.xml"
python3 - "$tmp/img" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
def png(path, w, h, row):
    raw = b''.join(b'\0' + row(y) for y in range(h))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/sig.png', 120, 40, lambda y: b''.join(bytes((20, 40, 200, 255 if abs(y - 20) < 4 else 0)) for x in range(120)))
png(sys.argv[1] + '/seal.png', 60, 60, lambda y: b''.join(bytes((220, 20, 30, 255 if (x - 30) ** 2 + (y - 30) ** 2 < 800 else 0)) for x in range(60)))
PY
field="Phó Giám đốc"
look=(--sign "$k/rsa.p12" --pass-env TEST_PASS --sign-time "$when" --allow-path "$tmp/img" --field "$field"
  --image "$tmp/img/sig.png" --seal "$tmp/img/seal.png" --seal-size 20mm)
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" "$tmp/look/b.xml" -o "$tmp/look/out" --quiet \
  "${look[@]}" 2>"$tmp/look.err"
check "a batch signed into a field with an image and a seal exits 0, says nothing" test $? -eq 0 -a ! -s "$tmp/look.err"
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" -o "$tmp/look/plain" --quiet 2>/dev/null
red() { # PDF: red pixels of page 1 at 72 dpi
  pdftoppm -r 72 -f 1 -l 1 "$1" "$tmp/page" && python3 - "$tmp/page-1.ppm" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
parts = data.split(maxsplit=4)
px = parts[4]
print(sum(1 for i in range(0, len(px) - 2, 3) if px[i] > 150 and px[i + 1] < 90 and px[i + 2] < 90))
PY
}
plain_red=$(red "$tmp/look/plain/a.pdf")
for f in a b; do
  pdfsig -nssdir "sql:$nss" "$tmp/look/out/$f.pdf" >"$tmp/look-$f.sig" 2>&1
  check "look $f: one valid signature" test "$(grep -c 'Signature Validation: Signature is Valid.' "$tmp/look-$f.sig")" -eq 1
  check "look $f: in the field $field" grep -q "Signature Field Name: $field" "$tmp/look-$f.sig"
  check "look $f: the seal's red on page 1 ($plain_red unsigned)" test "$(red "$tmp/look/out/$f.pdf")" -gt $((plain_red + 200))
done
check "look: the manifest names the field" python3 -c '
import json, sys
jobs = json.load(open(sys.argv[1]))["jobs"]
assert len(jobs) == 2 and all(j["signature"]["field"] == sys.argv[2] for j in jobs), jobs
' "$tmp/look/out/manifest.json" "$field"
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" "$tmp/look/b.xml" -o "$tmp/look/out" \
  "${look[@]}" 2>"$tmp/look-again.err"
check "look: the same again, 2 up to date" grep -q '2 jobs: 0 done, 2 up to date, 0 failed' "$tmp/look-again.err"
cp "$tmp/img/sig.png" "$tmp/img/sig2.png"
printf 'x' >>"$tmp/img/sig2.png" # Bytes after IEND: another file, the same picture
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" "$tmp/look/b.xml" -o "$tmp/look/out" \
  "${look[@]}" --image "$tmp/img/sig2.png" 2>"$tmp/look-other.err"
check "look: another image signs every job again" grep -q '2 jobs: 2 done, 0 up to date, 0 failed' "$tmp/look-other.err"

# The office's copy (--office --org) on every output: its name on page 1.
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" "$tmp/look/b.xml" -o "$tmp/look/office" \
  --quiet --sign "$k/rsa.p12" --pass-env TEST_PASS --sign-time "$when" --office --org "Văn phòng Thử Nghiệm" \
  2>"$tmp/office.err"
check "an office batch exits 0, says nothing" test $? -eq 0 -a ! -s "$tmp/office.err"
for f in a b; do
  pdftotext -f 1 -l 1 "$tmp/look/office/$f.pdf" "$tmp/office-$f.txt"
  check "office $f: the office's name on page 1" grep -q "Văn phòng Thử Nghiệm" "$tmp/office-$f.txt"
  pdfsig -nssdir "sql:$nss" "$tmp/look/office/$f.pdf" >"$tmp/office-$f.sig" 2>&1
  check "office $f: one valid signature" test "$(grep -c 'Signature Validation: Signature is Valid.' "$tmp/office-$f.sig")" -eq 1
done

# The images are read before any job: a missing one is one line, exit 1,
# nothing written; a PNG outside the allowed folders too; the appearance
# options without --sign, or not together, are usage errors.
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" -o "$tmp/look/none" "${look[@]}" \
  --image "$tmp/img/missing.png" 2>"$tmp/missing.err"
check "a missing image: exit 1, one line, nothing written" \
  test $? -eq 1 -a "$(wc -l <"$tmp/missing.err")" -eq 1 -a ! -e "$tmp/look/none"
check "a missing image: named" grep -q 'missing.png' "$tmp/missing.err"
mkdir "$tmp/elsewhere"
cp "$tmp/img/sig.png" "$tmp/elsewhere/sig.png"
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" -o "$tmp/look/none" --sign "$k/rsa.p12" \
  --pass-env TEST_PASS --field "$field" --image "$tmp/elsewhere/sig.png" 2>"$tmp/outside.err"
check "an image outside the allowed folders: exit 1, one line, nothing written" \
  test $? -eq 1 -a "$(wc -l <"$tmp/outside.err")" -eq 1 -a ! -e "$tmp/look/none"
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" -o "$tmp/look/none" --field "$field" \
  2>"$tmp/nosign.err"
check "--field without --sign: a usage error" test $? -eq 2 -a ! -e "$tmp/look/none"
"$anpham" batch tests/e2e/sign_field/fields.xml --data "$tmp/look/a.xml" -o "$tmp/look/none" --sign "$k/rsa.p12" \
  --pass-env TEST_PASS --image "$tmp/img/sig.png" 2>"$tmp/nofield.err"
check "--image without --field: a usage error naming batch" \
  test $? -eq 2 -a ! -e "$tmp/look/none" -a "$(grep -c 'batch: --image needs --field NAME' "$tmp/nofield.err")" -eq 1

finish
