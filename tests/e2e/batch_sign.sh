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
# Usage: batch_sign.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: batch_sign.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: batch_sign.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
for tool in openssl pdfsig certutil python3 sha256sum; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (tools/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH

# The test CA and two RSA signers in PKCS#12 files (passphrase 'bí mật 1').
k=$tmp/keys
mkdir "$k"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$k/ca.key" -out "$k/ca.pem" -days 30 -subj "/CN=anpham test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >"$k/leaf.cnf"
signer() { # NAME: NAME.key, NAME.pem (certificate), NAME.p12
  openssl req -newkey rsa:2048 -nodes -keyout "$k/$1.key" -out "$k/$1.csr" -subj "/CN=anpham test $1" 2>/dev/null &&
    openssl x509 -req -in "$k/$1.csr" -CA "$k/ca.pem" -CAkey "$k/ca.key" -CAcreateserial -out "$k/$1.pem" \
      -days 30 -extfile "$k/leaf.cnf" 2>/dev/null &&
    openssl pkcs12 -export -inkey "$k/$1.key" -in "$k/$1.pem" -certfile "$k/ca.pem" -out "$k/$1.p12" \
      -passout env:TEST_PASS
}
export TEST_PASS='bí mật 1' WRONG_PASS='sai'
check "an RSA signer" signer rsa
check "another RSA signer" signer other
nss=$tmp/nss
mkdir "$nss"
certutil -N --empty-password -d "sql:$nss" && certutil -A -d "sql:$nss" -n "anpham test CA" -t CT,C,C -i "$k/ca.pem"
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

finish
