# shellcheck shell=bash
# The test CA, signers and NSS database the signing tests share (sourced
# after lib.bash). Everything is made here with openssl and certutil:
# nothing secret is committed.

# 'test_ca DIR' - DIR/ca.key and DIR/ca.pem (a CA valid from now, 30 days),
# DIR/leaf.cnf (the key usage of the signers it issues).
test_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" -out "$1/ca.pem" -days 30 \
    -subj "/CN=anpham test CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null &&
    printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' >"$1/leaf.cnf"
}

# 'test_signer DIR NAME SUBJECT KEYOPTS...' - DIR/NAME.key, DIR/NAME.pem
# (issued by DIR's CA, valid from now), DIR/NAME-chain.pem (with the CA's)
# and, when TEST_PASS is set, DIR/NAME.p12 under that passphrase.
# KEYOPTS: openssl req's -newkey and what follows (rsa:2048; ec -pkeyopt
# ec_paramgen_curve:P-256).
test_signer() {
  local dir=$1 name=$2 subject=$3
  shift 3
  openssl req -utf8 -newkey "$@" -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "$subject" \
    2>/dev/null &&
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
      -out "$dir/$name.pem" -days 30 -extfile "$dir/leaf.cnf" 2>/dev/null &&
    cat "$dir/$name.pem" "$dir/ca.pem" >"$dir/$name-chain.pem" &&
    { [ -z "${TEST_PASS:-}" ] ||
      openssl pkcs12 -export -inkey "$dir/$name.key" -in "$dir/$name.pem" -certfile "$dir/ca.pem" \
        -out "$dir/$name.p12" -passout env:TEST_PASS; }
}

# 'test_nss DIR CA.pem' - an NSS database in DIR that trusts the CA
# (pdfsig -nssdir "sql:DIR").
test_nss() {
  mkdir -p "$1" && certutil -N --empty-password -d "sql:$1" &&
    certutil -A -d "sql:$1" -n "anpham test CA" -t CT,C,C -i "$2"
}
