#!/usr/bin/env bash
# anpham sign (issue 14 §2, §4): a PAdES B-B signature appended as an
# incremental update. A test CA and signers (RSA 2048, ECDSA P-256; in
# PKCS#12 files and PEM files) are made with openssl in a temporary folder;
# the 2020 summary is rendered and signed; pdfsig, with the CA trusted in a
# temporary NSS database, finds the signature valid, trusted and covering
# the whole file; the original bytes are a prefix of the signed file; qpdf
# --check is clean; the text is unchanged; the CMS has signing-certificate-v2
# and no signing-time; one changed byte is a digest mismatch; a second
# signature keeps the first valid; RSASSA-PSS on request; a fixed time gives
# the same bytes twice (RSA PKCS#1 v1.5); every error is one line, exit 1 and no file; a render does not
# load libcrypto. With --tsa (B-T), a local time-stamp authority (tsa-server.py:
# openssl ts -reply behind Python's http.server) adds a token that openssl ts
# -verify accepts; a misbehaving authority is one line, exit 1, and a stopped
# one (connection refused) fails at once, well under --tsa-timeout, and a
# silent one after it. The same
# over https:// (the server's TLS certificate from the test CA, trusted with
# --tsa-ca; untrusted or for another host: one line), and through
# http_proxy / https_proxy (http-proxy.py); libssl is loaded for https only.
# --certify: a certification signature (DocMDP) an approval keeps valid.
# Usage: sign.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: sign.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: sign.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
. "$src/tests/e2e/sign-lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
for tool in openssl pdfsig certutil qpdf pdftotext python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool missing (tools/install-deps.sh)"; exit 77; }
done
tmp=$(mktemp -d)
# The test time-stamp authority (B-T, below), stopped whatever happens.
tsa_pid=
stop_tsa() {
  if [ -n "$tsa_pid" ]; then
    kill "$tsa_pid" 2>/dev/null
    wait "$tsa_pid" 2>/dev/null
  fi
  tsa_pid=
}
proxy_pid= silent_pid= # The test proxy and the silent authority (below), stopped whatever happens too
trap 'stop_tsa; for p in $proxy_pid $silent_pid; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
cd "$src" || exit 1
unset SOURCE_DATE_EPOCH

# The test CA and its signers (valid from now: the signing times below are a minute later).
k=$tmp/keys
mkdir "$k"
test_ca "$k"
signer() { # NAME KEYOPTS...: NAME.key, NAME.pem (certificate), NAME-chain.pem, NAME.p12 (passphrase 'bí mật 1')
  local name=$1
  shift
  test_signer "$k" "$name" "/CN=anpham test $name" "$@"
}
export TEST_PASS='bí mật 1'
check "an RSA 2048 signer" signer rsa rsa:2048
check "an ECDSA P-256 signer" signer ec ec -pkeyopt ec_paramgen_curve:P-256
printf '%s\n' "$TEST_PASS" >"$k/pass.txt"
openssl pkey -in "$k/ec.key" -aes256 -passout env:TEST_PASS -out "$k/ec-encrypted.key" 2>/dev/null
nss=$tmp/nss
test_nss "$nss" "$k/ca.pem"
when=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
epoch=$(($(date +%s) + 120))

# The document, and its text.
"$anpham" render layouts/tom-tat.xml --data data/2020/tom-tat-2020.xml -o "$tmp/doc.pdf" 2>"$tmp/render.err"
check "the 2020 summary renders" test -s "$tmp/doc.pdf" -a ! -s "$tmp/render.err"
pdftotext "$tmp/doc.pdf" "$tmp/doc.txt"
size=$(stat -c %s "$tmp/doc.pdf")

# 'signed_ok NAME FILE SIGNATURES' - pdfsig: every one of the SIGNATURES
# valid and trusted, the last covering the whole file; qpdf --check clean;
# the text unchanged.
signed_ok() {
  local name=$1 file=$2 n=$3
  pdfsig -nssdir "sql:$nss" "$file" >"$tmp/$name.sig" 2>&1
  check "$name: $n valid signature(s)" test "$(grep -c 'Signature Validation: Signature is Valid.' "$tmp/$name.sig")" -eq "$n"
  check "$name: $n signature(s) in all" test "$(grep -c '^Signature #' "$tmp/$name.sig")" -eq "$n"
  check "$name: the last covers the whole file" \
    test "$(grep 'document signed' "$tmp/$name.sig" | tail -1)" = "  - Total document signed"
  check "$name: PAdES subfilter" grep -q 'Signature Type: ETSI.CAdES.detached' "$tmp/$name.sig"
  check "$name: SHA-256" grep -q 'Signing Hash Algorithm: SHA-256' "$tmp/$name.sig"
  check "$name: qpdf --check is clean" qpdf --check "$file"
  pdftotext "$file" "$tmp/$name.txt"
  check "$name: the text is unchanged" cmp -s "$tmp/doc.txt" "$tmp/$name.txt"
  check "$name: the unsigned bytes are its prefix" cmp -s -n "$size" "$tmp/doc.pdf" "$file"
}
# 'trusted NAME' - every certificate of NAME's pdfsig output trusted.
trusted() {
  check "$1: certificates trusted" test "$(grep -c 'Certificate Validation: Certificate is Trusted.' "$tmp/$1.sig")" -eq \
    "$(grep -c '^Signature #' "$tmp/$1.sig")"
}

# RSA in a PKCS#12 file, the passphrase in the environment...
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/rsa.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" 2>"$tmp/rsa.err"
check "RSA PKCS#12: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/rsa.err"
signed_ok rsa "$tmp/rsa.pdf" 1
trusted rsa
check "rsa: the new field is Signature1" grep -q 'Signature Field Name: Signature1' "$tmp/rsa.sig"
check "rsa: signer named" grep -q 'Signer Certificate Common Name: anpham test rsa' "$tmp/rsa.sig"
check "rsa: /M is the --time" grep -aq "/M (D:$(echo "$when" | tr -d ':TZ-')+00'00')" "$tmp/rsa.pdf"
check "rsa: /Filter /Adobe.PPKLite" grep -aq '/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached' "$tmp/rsa.pdf"
check "rsa: the signature field in /AcroForm with /SigFlags 3" \
  grep -aq '/AcroForm << /Fields \[ [0-9]* 0 R \] /SigFlags 3 >>' "$tmp/rsa.pdf"
check "rsa: an invisible widget" grep -aq '/FT /Sig .*/Rect \[ 0 0 0 0 \] /Subtype /Widget' "$tmp/rsa.pdf"
# The CMS: /Contents decoded (hex), cut at the length its DER header gives
# (the zero padding after it goes; a signature whose last byte is zero,
# one in 256, keeps it).
cms_of() {
  grep -ao '/Contents <[0-9a-f]*>' "$1" | tail -1 | sed 's/^\/Contents <//; s/>$//' | xxd -r -p >"$2.padded"
  der_cut "$2.padded" >"$2"
  openssl cms -cmsout -print -inform DER -in "$2" 2>&1
}
# The DER object at the start of a file, alone: tag, length, content.
der_cut() {
  local b n len head i
  read -r -a b < <(od -An -tu1 -N6 -v "$1")
  n=${b[1]:-0}
  if [ "$n" -lt 128 ]; then
    len=$n head=2
  else
    len=0 head=$((2 + n - 128))
    for ((i = 2; i < head; i++)); do len=$((len * 256 + ${b[i]:-0})); done
  fi
  head -c $((head + len)) "$1"
}
cms_of "$tmp/rsa.pdf" "$tmp/rsa.der" >"$tmp/rsa.cms"
check "CMS: it parses (SignedData)" grep -q 'contentType: pkcs7-signedData' "$tmp/rsa.cms"
check "CMS: signing-certificate-v2" grep -q 'object: id-smime-aa-signingCertificateV2' "$tmp/rsa.cms"
check "CMS: message-digest, content-type" \
  test "$(grep -c 'object: messageDigest\|object: contentType' "$tmp/rsa.cms")" -eq 2
check "CMS: no signing-time (PAdES B-B)" test "$(grep -c 'signingTime' "$tmp/rsa.cms")" -eq 0
check "CMS: SHA-256 digest" grep -q 'algorithm: sha256 (2.16.840.1.101.3.4.2.1)' "$tmp/rsa.cms"
check "CMS: detached (no eContent)" grep -q 'eContent: <ABSENT>' "$tmp/rsa.cms"

# ...ECDSA P-256 in a PKCS#12 file, the passphrase in a file...
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/ec.pdf" --key "$k/ec.p12" --pass-file "$k/pass.txt" --time "$when" 2>"$tmp/ec.err"
check "ECDSA PKCS#12: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/ec.err"
signed_ok ec "$tmp/ec.pdf" 1
trusted ec
cms_of "$tmp/ec.pdf" "$tmp/ec.der" >"$tmp/ec.cms"
check "ec: ECDSA with SHA-256" grep -q 'ecdsa-with-SHA256' "$tmp/ec.cms"

# ...a PEM key and chain: RSA unencrypted, ECDSA encrypted.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/rsa-pem.pdf" --key "$k/rsa.key" --cert "$k/rsa-chain.pem" --time "$when" \
  2>"$tmp/rsa-pem.err"
check "RSA PEM: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/rsa-pem.err"
signed_ok rsa-pem "$tmp/rsa-pem.pdf" 1
trusted rsa-pem
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/ec-pem.pdf" --key "$k/ec-encrypted.key" --cert "$k/ec-chain.pem" \
  --pass-env TEST_PASS --time "$when" 2>"$tmp/ec-pem.err"
check "ECDSA encrypted PEM: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/ec-pem.err"
signed_ok ec-pem "$tmp/ec-pem.pdf" 1
trusted ec-pem

# RSASSA-PSS (--rsa-pss): valid, trusted; its parameters in the CMS.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/pss.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --rsa-pss --time "$when" \
  2>"$tmp/pss.err"
check "RSASSA-PSS: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/pss.err"
signed_ok pss "$tmp/pss.pdf" 1
trusted pss
cms_of "$tmp/pss.pdf" "$tmp/pss.der" >"$tmp/pss.cms"
check "pss: rsassaPss with MGF1" test "$(grep -c 'algorithm: rsassaPss (1.2.840.113549.1.1.10)\|:mgf1' "$tmp/pss.cms")" -eq 2
check "PKCS#1 v1.5 by default" grep -q 'algorithm: rsaEncryption (1.2.840.113549.1.1.1)' "$tmp/rsa.cms"

# One byte changed inside the signed range: a digest mismatch.
cp "$tmp/rsa.pdf" "$tmp/tampered.pdf"
printf 'X' | dd of="$tmp/tampered.pdf" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
differ() { ! cmp -s "$1" "$2"; }
check "the tampered copy differs" differ "$tmp/rsa.pdf" "$tmp/tampered.pdf"
pdfsig -nssdir "sql:$nss" "$tmp/tampered.pdf" >"$tmp/tampered.sig" 2>&1
check "one changed byte: not valid" test "$(grep -c 'Signature is Valid' "$tmp/tampered.sig")" -eq 0
check "one changed byte: digest mismatch" grep -q 'Signature Validation: Digest Mismatch.' "$tmp/tampered.sig"

# A second signature (ECDSA after RSA) appended: both valid, the first
# covering the file as it was, the second the whole file.
"$anpham" sign "$tmp/rsa.pdf" -o "$tmp/twice.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --time "$when" 2>"$tmp/twice.err"
check "second signature: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/twice.err"
signed_ok twice "$tmp/twice.pdf" 2
trusted twice
check "twice: the once-signed file is its prefix" cmp -s -n "$(stat -c %s "$tmp/rsa.pdf")" "$tmp/rsa.pdf" "$tmp/twice.pdf"
check "twice: the first covers its part only" \
  test "$(grep -c 'Not total document signed' "$tmp/twice.sig")" -eq 1
check "twice: the second field is Signature2" grep -q 'Signature Field Name: Signature2' "$tmp/twice.sig"
# The same signer twice: both signatures valid (pdfsig 22.12 cannot check the
# certificate of the second: docs/signing.md).
"$anpham" sign "$tmp/rsa.pdf" -o "$tmp/same.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" 2>"$tmp/same.err"
check "same signer twice: exit 0" test $? -eq 0 -a ! -s "$tmp/same.err"
signed_ok same "$tmp/same.pdf" 2

# --certify: a certification signature (DocMDP, P 2) named by the catalog's
# /Perms; an approval signature after it keeps it valid.
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/certified.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --certify \
  --time "$when" 2>"$tmp/certified.err"
check "--certify: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/certified.err"
signed_ok certified "$tmp/certified.pdf" 1
trusted certified
check "certified: /Reference DocMDP, P 2" grep -aq '^/Reference \[ << /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >> \]$' "$tmp/certified.pdf"
certified_sig=$(grep -a -B1 '^<< /Type /Sig /Filter' "$tmp/certified.pdf" | head -1 | sed -n 's/^\([0-9]*\) 0 obj$/\1/p')
check "certified: the signature dictionary found" test -n "$certified_sig"
check "certified: the catalog's /Perms /DocMDP is it" grep -aq "/Perms << /DocMDP ${certified_sig:-X} 0 R >>" "$tmp/certified.pdf"
check "B-B approval: no /Perms, no /Reference" test "$(grep -ac '/Perms\|/Reference' "$tmp/rsa.pdf")" -eq 0
"$anpham" sign "$tmp/certified.pdf" -o "$tmp/approved.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --time "$when" \
  2>"$tmp/approved.err"
check "approval after certification: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/approved.err"
signed_ok approved "$tmp/approved.pdf" 2
trusted approved
check "approved: the certification covers its part only" test "$(grep -c 'Not total document signed' "$tmp/approved.sig")" -eq 1
check "approved: one /Reference (the certification's)" test "$(grep -ac '^/Reference' "$tmp/approved.pdf")" -eq 1

# A PDF ending with a classic cross-reference table (anpham's, rewritten by
# qpdf --qdf: objects one by one, its /Producer kept): the update ends with a table too.
qpdf --qdf --object-streams=disable "$tmp/doc.pdf" "$tmp/qdf.pdf"
"$anpham" sign "$tmp/qdf.pdf" -o "$tmp/table.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" 2>"$tmp/table.err"
check "classic table: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/table.err"
pdfsig -nssdir "sql:$nss" "$tmp/table.pdf" >"$tmp/table.sig" 2>&1
check "classic table: valid, whole file" test "$(grep -c 'Signature is Valid.\|Total document signed' "$tmp/table.sig")" -eq 2
check "classic table: qpdf --check is clean" qpdf --check "$tmp/table.pdf"
check "classic table: the update's table and trailer" \
  test "$(tail -c +$(($(stat -c %s "$tmp/qdf.pdf") + 1)) "$tmp/table.pdf" | grep -ac '^xref$\|^trailer$')" -eq 2

# --field NAME: an unsigned signature field (no layout element makes one yet:
# a signed file rewritten by qpdf --qdf with its field's /V removed) is signed
# in place; no second field is added.
qpdf --qdf --object-streams=disable "$tmp/rsa.pdf" "$tmp/rsa-qdf.pdf"
grep -av '^  /V [0-9]* 0 R$' "$tmp/rsa-qdf.pdf" | fix-qdf >"$tmp/unsigned-field.pdf"
pdfsig "$tmp/unsigned-field.pdf" >"$tmp/unsigned-field.sig" 2>&1
check "the field is not signed (pdfsig)" grep -q 'The signature form field is not signed.' "$tmp/unsigned-field.sig"
check "the field has no signature to validate" test "$(grep -c 'Signature Validation' "$tmp/unsigned-field.sig")" -eq 0
"$anpham" sign "$tmp/unsigned-field.pdf" -o "$tmp/field.pdf" --key "$k/ec.p12" --pass-env TEST_PASS --field Signature1 \
  --time "$when" 2>"$tmp/field.err"
check "--field: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/field.err"
pdfsig -nssdir "sql:$nss" "$tmp/field.pdf" >"$tmp/field.sig" 2>&1
check "--field: one signature, valid, whole file, in Signature1" \
  test "$(grep -c '^Signature #\|Signature is Valid.\|Total document signed\|Field Name: Signature1$' "$tmp/field.sig")" -eq 4
check "--field: qpdf --check is clean" qpdf --check "$tmp/field.pdf"

# A fixed time gives the same bytes (RSA PKCS#1 v1.5 is deterministic).
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/rsa-again.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when"
check "--time: byte-identical twice" cmp -s "$tmp/rsa.pdf" "$tmp/rsa-again.pdf"
SOURCE_DATE_EPOCH=$epoch "$anpham" sign "$tmp/doc.pdf" -o "$tmp/epoch1.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS
SOURCE_DATE_EPOCH=$epoch "$anpham" sign "$tmp/doc.pdf" -o "$tmp/epoch2.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS
check "SOURCE_DATE_EPOCH: byte-identical twice" cmp -s "$tmp/epoch1.pdf" "$tmp/epoch2.pdf"
check "SOURCE_DATE_EPOCH: its time is /M" grep -aq "/M (D:$(date -u -d "@$epoch" +%Y%m%d%H%M%S)+00'00')" "$tmp/epoch1.pdf"
signed_ok epoch "$tmp/epoch1.pdf" 1

# Errors: one line each, exit 1, no output file.
# 'fails NAME EXPECTED-LINE COMMAND...' - COMMAND (with -o $tmp/NAME.pdf) prints that line alone, exits 1, writes nothing.
fails() {
  local name=$1 expected=$2
  shift 2
  "$@" -o "$tmp/$name.pdf" 2>"$tmp/$name.err"
  local rc=$?
  check "$name: exit 1 (got $rc)" test "$rc" -eq 1
  check "$name: its one line" test "$(cat "$tmp/$name.err")" = "$expected"
  check "$name: no output file" test ! -e "$tmp/$name.pdf"
}
# B-T (--tsa): a local time-stamp authority (tests/e2e/tsa-server.py:
# `openssl ts -reply` behind Python's http.server on 127.0.0.1), its
# certificate (extendedKeyUsage critical timeStamping) issued by the test CA.
printf 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n' >"$k/tsa.cnf"
openssl req -newkey rsa:2048 -nodes -keyout "$k/tsa.key" -out "$k/tsa.csr" -subj "/CN=anpham test TSA" 2>/dev/null
openssl x509 -req -in "$k/tsa.csr" -CA "$k/ca.pem" -CAkey "$k/ca.key" -CAcreateserial -out "$k/tsa.pem" -days 30 \
  -extfile "$k/tsa.cnf" 2>/dev/null
echo 01 >"$k/tsa-serial"
cat >"$k/ts.cnf" <<EOF
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = $k/tsa-serial
crypto_device = builtin
signer_cert = $k/tsa.pem
certs = $k/ca.pem
signer_key = $k/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
EOF
unset http_proxy HTTP_PROXY https_proxy HTTPS_PROXY no_proxy NO_PROXY SSL_CERT_FILE SSL_CERT_DIR
# 'start_tsa MODE [CERT KEY]' - the server started, HTTPS with CERT and KEY
# (its pid in $tsa_pid, its port in $tsa_port).
start_tsa() {
  rm -f "$tmp/tsa-port"
  python3 "$src/tests/e2e/tsa-server.py" "$k/ts.cnf" "$tmp/tsa-port" "$@" 2>"$tmp/tsa-$1.log" &
  tsa_pid=$!
  for _ in $(seq 300); do # up to 30 s: python3 may be a pyenv shim, slow on a busy machine
    [ -s "$tmp/tsa-port" ] && break
    sleep 0.1
  done
  tsa_port=$(cat "$tmp/tsa-port" 2>/dev/null)
}
start_tsa ok
check "the test TSA listens" test -n "$tsa_port"
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/bt.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" \
  --tsa "http://127.0.0.1:$tsa_port/" 2>"$tmp/bt.err"
check "--tsa: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/bt.err"
signed_ok bt "$tmp/bt.pdf" 1
trusted bt
cms_of "$tmp/bt.pdf" "$tmp/bt.der" >"$tmp/bt.cms"
check "bt: the time-stamp token attribute" \
  grep -q 'object: id-smime-aa-timeStampToken (1.2.840.113549.1.9.16.2.14)' "$tmp/bt.cms"
check "bt: unsigned attributes" grep -q 'unsignedAttrs:$' "$tmp/bt.cms"
check "B-B: no time-stamp token" test "$(grep -c timeStampToken "$tmp/rsa.cms")" -eq 0
# The token (the SEQUENCE in the attribute's SET) and the signature octets
# (the OCTET STRING just before the unsigned attributes), from asn1parse.
openssl asn1parse -inform DER -in "$tmp/bt.der" >"$tmp/bt.asn1"
token_at=$(grep -A2 ':id-smime-aa-timeStampToken$' "$tmp/bt.asn1" | sed -n '3s/^ *\([0-9]*\):.*/\1/p')
check "bt: the token found" test -n "$token_at"
openssl asn1parse -inform DER -in "$tmp/bt.der" -offset "${token_at:-1}" -out "$tmp/bt.token" -noout
grep -B1 'cont \[ 1 \]' "$tmp/bt.asn1" | head -1 | sed 's/.*HEX DUMP\]://' | xxd -r -p >"$tmp/bt.sigvalue"
check "bt: the signature value is 256 bytes (RSA 2048)" test "$(stat -c %s "$tmp/bt.sigvalue")" -eq 256
check "bt: the token verifies against the CA, over the signature value" \
  openssl ts -verify -data "$tmp/bt.sigvalue" -in "$tmp/bt.token" -token_in -CAfile "$k/ca.pem"
openssl ts -reply -in "$tmp/bt.token" -token_in -token_out -text >"$tmp/bt.tst" 2>/dev/null
check "bt: the token is SHA-256, by the test TSA, with a nonce" \
  test "$(grep -c 'Hash Algorithm: sha256\|TSA: DirName:/CN=anpham test TSA\|^Nonce: 0x' "$tmp/bt.tst")" -eq 3
openssl pkcs7 -inform DER -in "$tmp/bt.token" -print_certs >"$tmp/bt.certs" 2>/dev/null
check "bt: the TSA's certificate in the token (certReq)" grep -q 'subject=CN = anpham test TSA' "$tmp/bt.certs"
stop_tsa
check "the test TSA stopped" test -z "$tsa_pid"
# Misbehaving authorities, a stopped one, a wrong URL: one line, exit 1, no file.
# 'tsa_fails NAME MODE EXPECTED' - signing with the authority in MODE prints EXPECTED (%s: its URL).
tsa_fails() {
  start_tsa "$2"
  local url="http://127.0.0.1:$tsa_port/"
  fails "$1" "$(printf "$3" "$url")" "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS \
    --time "$when" --tsa "$url" --tsa-timeout 10
  stop_tsa
}
fx="anpham: sign: $tmp/doc.pdf:"
tsa_fails tsa-500 http-error "$fx no time-stamp response from %s (received error)"
tsa_fails tsa-garbage garbage "$fx no time-stamp response from %s (missing asn1 encoding)"
tsa_fails tsa-imprint other-imprint "$fx the time-stamp token of %s is not over this signature (its message imprint differs)"
# A stopped authority (connection refused) fails at once, not after --tsa-timeout.
started=$(date +%s%N)
fails tsa-stopped "$fx cannot connect to the time-stamp authority at http://127.0.0.1:$tsa_port/: Connection refused" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" \
  --tsa "http://127.0.0.1:$tsa_port/" --tsa-timeout 20
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "tsa-stopped: ends at once (${elapsed_ms} ms, --tsa-timeout 20), not after the timeout" test "$elapsed_ms" -lt 5000
# An authority that never answers the connection (its listen queue full:
# Linux drops the SYNs) is given the --tsa-timeout, then one line.
python3 - "$tmp/silent-port" <<'PY' &
import os, socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
queued = []
for _ in range(3):  # Fill the queue: nothing is ever accepted
    client = socket.socket()
    client.setblocking(False)
    client.connect_ex(server.getsockname())
    queued.append(client)
time.sleep(0.3)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(30)
PY
silent_pid=$!
for _ in $(seq 300); do # up to 30 s: python3 may be a pyenv shim, slow on a busy machine
  [ -s "$tmp/silent-port" ] && break
  sleep 0.1
done
silent_url="http://127.0.0.1:$(cat "$tmp/silent-port" 2>/dev/null)/"
started=$(date +%s%N)
fails tsa-silent "$fx cannot connect to the time-stamp authority at $silent_url: no answer within the --tsa-timeout" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" --tsa "$silent_url" \
  --tsa-timeout 2
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "tsa-silent: waits the --tsa-timeout 2 (${elapsed_ms} ms)" test "$elapsed_ms" -ge 1900 -a "$elapsed_ms" -lt 5000
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null
silent_pid=
fails tsa-scheme "$fx --tsa ftp://127.0.0.1/: expected an http:// or https:// URL" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" --tsa ftp://127.0.0.1/
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/tsa-timeout.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --tsa-timeout 0 \
  2>"$tmp/tsa-timeout.err"
check "--tsa-timeout 0: a usage error" test $? -eq 2 -a ! -e "$tmp/tsa-timeout.pdf"

# An https:// authority: the same server behind TLS, its certificate
# (subjectAltName IP 127.0.0.1, serverAuth) issued by the test CA, which
# --tsa-ca trusts (the system's store does not know it).
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$k/web.cnf"
openssl req -newkey rsa:2048 -nodes -keyout "$k/web.key" -out "$k/web.csr" -subj "/CN=127.0.0.1" 2>/dev/null
openssl x509 -req -in "$k/web.csr" -CA "$k/ca.pem" -CAkey "$k/ca.key" -CAcreateserial -out "$k/web.pem" -days 30 \
  -extfile "$k/web.cnf" 2>/dev/null
check "the TSA's TLS certificate" test -s "$k/web.pem"
start_tsa ok "$k/web.pem" "$k/web.key"
check "the HTTPS TSA listens" test -n "$tsa_port"
LD_DEBUG=libs "$anpham" sign "$tmp/doc.pdf" -o "$tmp/bt-https.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS \
  --time "$when" --tsa "https://127.0.0.1:$tsa_port/" --tsa-ca "$k/ca.pem" 2>"$tmp/bt-https.ld"
check "--tsa https://: exit 0, no message" test $? -eq 0 -a -z "$(grep -v '^ *[0-9]*:' "$tmp/bt-https.ld")"
check "--tsa https://: libssl loaded" grep -q 'calling init: .*libssl' "$tmp/bt-https.ld"
signed_ok bt-https "$tmp/bt-https.pdf" 1
trusted bt-https
cms_of "$tmp/bt-https.pdf" "$tmp/bt-https.der" >"$tmp/bt-https.cms"
check "bt-https: the time-stamp token attribute" \
  grep -q 'object: id-smime-aa-timeStampToken (1.2.840.113549.1.9.16.2.14)' "$tmp/bt-https.cms"
openssl asn1parse -inform DER -in "$tmp/bt-https.der" >"$tmp/bt-https.asn1"
token_at=$(grep -A2 ':id-smime-aa-timeStampToken$' "$tmp/bt-https.asn1" | sed -n '3s/^ *\([0-9]*\):.*/\1/p')
openssl asn1parse -inform DER -in "$tmp/bt-https.der" -offset "${token_at:-1}" -out "$tmp/bt-https.token" -noout
grep -B1 'cont \[ 1 \]' "$tmp/bt-https.asn1" | head -1 | sed 's/.*HEX DUMP\]://' | xxd -r -p >"$tmp/bt-https.sigvalue"
check "bt-https: the token verifies against the CA, over the signature value" \
  openssl ts -verify -data "$tmp/bt-https.sigvalue" -in "$tmp/bt-https.token" -token_in -CAfile "$k/ca.pem"
# The system's store (the default) trusts it once it holds the test CA
# (SSL_CERT_FILE: OpenSSL's default store moved to the test's file).
SSL_CERT_FILE=$k/ca.pem "$anpham" sign "$tmp/doc.pdf" -o "$tmp/bt-store.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS \
  --time "$when" --tsa "https://127.0.0.1:$tsa_port/" 2>"$tmp/bt-store.err"
check "--tsa https:// with the default store: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/bt-store.err"
signed_ok bt-store "$tmp/bt-store.pdf" 1
# Its certificate not trusted (the system's store), or not for the URL's
# host (localhost), or plain HTTP to it: one line, exit 1, no file.
https_url="https://127.0.0.1:$tsa_port/"
fails tsa-untrusted "$fx the time-stamp authority at $https_url presents a certificate that is not trusted (unable to get local issuer certificate): --tsa-ca FILE names its CA if the system's store has not got it" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" --tsa "$https_url" --tsa-timeout 10
fails tsa-wrong-host "$fx the time-stamp authority at https://localhost:$tsa_port/ presents a certificate for another host than localhost" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" \
  --tsa "https://localhost:$tsa_port/" --tsa-ca "$k/ca.pem" --tsa-timeout 10
fails tsa-ca-http "$fx --tsa-ca $k/ca.pem: only for an https:// time-stamp authority (--tsa http://127.0.0.1:$tsa_port/)" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" \
  --tsa "http://127.0.0.1:$tsa_port/" --tsa-ca "$k/ca.pem"
fails tsa-ca-missing "anpham: sign: $tmp/none.pem: --tsa-ca: cannot read CA certificates (PEM) from this file" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when" --tsa "$https_url" \
  --tsa-ca "$tmp/none.pem"
# Through proxies (tests/e2e/http-proxy.py): https_proxy's CONNECT tunnel,
# http_proxy's absolute URL.
rm -f "$tmp/proxy-port"
python3 "$src/tests/e2e/http-proxy.py" "$tmp/proxy-port" "$tmp/proxy.log" 2>"$tmp/proxy.err" &
proxy_pid=$!
for _ in $(seq 300); do # up to 30 s: python3 may be a pyenv shim, slow on a busy machine
  [ -s "$tmp/proxy-port" ] && break
  sleep 0.1
done
proxy_port=$(cat "$tmp/proxy-port" 2>/dev/null)
https_proxy=http://127.0.0.1:$proxy_port "$anpham" sign "$tmp/doc.pdf" -o "$tmp/bt-tunnel.pdf" --key "$k/rsa.p12" \
  --pass-env TEST_PASS --time "$when" --tsa "$https_url" --tsa-ca "$k/ca.pem" 2>"$tmp/bt-tunnel.err"
check "https through https_proxy: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/bt-tunnel.err"
signed_ok bt-tunnel "$tmp/bt-tunnel.pdf" 1
check "https through https_proxy: the proxy's CONNECT" grep -qx "CONNECT 127.0.0.1:$tsa_port" "$tmp/proxy.log"
stop_tsa
start_tsa ok
http_proxy=http://127.0.0.1:$proxy_port "$anpham" sign "$tmp/doc.pdf" -o "$tmp/bt-proxy.pdf" --key "$k/rsa.p12" \
  --pass-env TEST_PASS --time "$when" --tsa "http://127.0.0.1:$tsa_port/tsa?q=1" 2>"$tmp/bt-proxy.err"
check "http through http_proxy: exit 0, no message" test $? -eq 0 -a ! -s "$tmp/bt-proxy.err"
signed_ok bt-proxy "$tmp/bt-proxy.pdf" 1
check "http through http_proxy: the absolute URL" grep -qx "POST http://127.0.0.1:$tsa_port/tsa?q=1" "$tmp/proxy.log"
stop_tsa
kill "$proxy_pid" 2>/dev/null
wait "$proxy_pid" 2>/dev/null
proxy_pid=
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/tsa-ca-alone.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --tsa-ca "$k/ca.pem" \
  2>"$tmp/tsa-ca-alone.err"
check "--tsa-ca without --tsa: a usage error" test $? -eq 2 -a ! -e "$tmp/tsa-ca-alone.pdf"

WRONG=nope fails wrong-pass "anpham: sign: $k/rsa.p12: wrong passphrase" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env WRONG --time "$when"
fails expired "anpham: sign: $k/rsa.p12: the certificate expired before the signing time" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time 2099-01-01T00:00:00Z
fails not-yet "anpham: sign: $k/rsa-chain.pem: the certificate is not yet valid at the signing time" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.key" --cert "$k/rsa-chain.pem" --time 2001-01-01T00:00:00Z
fails mismatch "anpham: sign: $k/rsa.key: the private key does not match the certificate" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.key" --cert "$k/ec-chain.pem" --time "$when"
fails no-field "anpham: sign: $tmp/doc.pdf: no signature field named Ký-duyệt (the PDF has no signature field)" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --field Ký-duyệt --time "$when"
fails no-pass "anpham: sign: $k/rsa.p12: a PKCS#12 file needs its passphrase: --pass-env VAR or --pass-file PATH (never on the command line)" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --time "$when"
fails unset-pass "anpham: sign: NOT_SET_ANYWHERE: the environment variable holding the passphrase is not set" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/rsa.p12" --pass-env NOT_SET_ANYWHERE --time "$when"
fails signed-field "anpham: sign: $tmp/rsa.pdf: the signature field Signature1 is already signed" \
  "$anpham" sign "$tmp/rsa.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --field Signature1 --time "$when"
fails certify-signed "anpham: sign: $tmp/rsa.pdf: the PDF is already signed: --certify makes the first signature only" \
  "$anpham" sign "$tmp/rsa.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --certify --time "$when"
fails pss-ec "anpham: sign: $k/ec.key: --rsa-pss needs an RSA key" \
  "$anpham" sign "$tmp/doc.pdf" --key "$k/ec.key" --cert "$k/ec-chain.pem" --rsa-pss --time "$when"
# A PDF anpham did not write: the same file, its /Producer changed (qpdf --qdf, uncompressed).
sed 's/\/Producer (anpham)/\/Producer (others)/' "$tmp/qdf.pdf" | fix-qdf >"$tmp/other.pdf"
check "the other PDF's producer is others" test "$(pdfinfo "$tmp/other.pdf" | sed -n 's/^Producer: *//p')" = others
fails not-anpham "anpham: sign: $tmp/other.pdf: not a PDF anpham wrote (its /Producer is not anpham): anpham signs only its own PDFs" \
  "$anpham" sign "$tmp/other.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS --time "$when"
"$anpham" sign "$tmp/doc.pdf" -o "$tmp/on-line.pdf" --key "$k/rsa.p12" --pass secret 2>"$tmp/on-line.err"
check "--pass on the command line: a usage error" test $? -eq 2 -a ! -e "$tmp/on-line.pdf"

# libcrypto: loaded by sign, never by render.
LD_DEBUG=libs "$anpham" render layouts/tom-tat.xml --data data/2020/tom-tat-2020.xml -o "$tmp/ld.pdf" 2>"$tmp/ld-render.txt"
check "render does not load libcrypto" test "$(grep -c 'libcrypto' "$tmp/ld-render.txt")" -eq 0
LD_DEBUG=libs "$anpham" sign "$tmp/doc.pdf" -o "$tmp/ld-sign.pdf" --key "$k/rsa.p12" --pass-env TEST_PASS \
  --time "$when" 2>"$tmp/ld-sign.txt"
check "sign loads libcrypto" grep -q 'calling init: .*libcrypto' "$tmp/ld-sign.txt"
check "sign without an https:// authority does not load libssl" test "$(grep -c 'calling init: .*libssl' "$tmp/ld-sign.txt")" -eq 0

finish
