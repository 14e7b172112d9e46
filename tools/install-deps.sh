#!/usr/bin/env bash
# Install the Debian 12 packages anpham builds and tests with, when missing.
# As root it runs apt-get; otherwise it names what is missing and fails.
set -euo pipefail

packages=(
  cmake make gcc pkg-config
  libhpdf-dev          # libharu 2.3.0: the PDF writer
  libxml2-dev          # XML parsing, RELAX NG, XPath (libxml2.a linked statically: docs/benchmarks.md)
  libicu-dev           # ICU's ucnv.h: src/parse/icu-lazy/ loads libicuuc for a static libxml2
  liblzma-dev          # liblzma.a: a static libxml2's xz reader
  zlib1g-dev           # stream compression (libharu)
  libdeflate-dev       # PDF stream compression in src/render/deflate.c: faster and smaller than zlib
  libcmocka-dev        # unit tests
  libutf8proc-dev      # NFC normalization
  libharfbuzz-dev      # font metrics and hb-subset (font subsetting)
  libpng-dev           # PNG images: decoded and checked by src/image
  libjpeg-dev          # JPEG images: checked by src/image before libharu embeds them
  nettle-dev           # GNU Nettle: SHA-256 (manifest.json, the cache of valid layouts, an archive's /ID), MD5
  libjson-c-dev        # json-c: anpham batch writes and reads manifest.json; --diagnostic-format json
  libqpdf-dev          # qpdf's C API: anpham extract reads the source a PDF embeds; anpham sign reads the PDF it signs
  libfontconfig-dev    # fontconfig: <family font="NAME"> finds a family's faces by name (src/font/lookup.c, dlopen'ed)
  fontconfig           # tests: fc-list, to find a system family for font-names.sh
  fonts-dejavu-core    # tests: DejaVu Serif, a system family font-names.sh finds by name
  libssl-dev           # OpenSSL 3 (libcrypto, libssl): anpham sign's CMS signature, PKCS#12 and PEM keys, an https:// time-stamp authority (loaded only by sign)
  ca-certificates      # the system's CA store against which anpham sign checks an https:// time-stamp authority
  libnss3-tools        # tests: certutil makes the NSS database in which pdfsig trusts the test CA (sign.sh)
  parallel             # tests: the district batch in shards through GNU parallel
  slurm-wlm            # tests: a one-node Slurm cluster runs a batch as a job array (batch_slurm.sh)
  munge                # tests: the authentication daemon that Slurm cluster needs (batch_slurm.sh)
  poppler-utils        # pdftotext, pdffonts, pdfinfo, pdftoppm in tests
  qpdf                 # qpdf --check in tests
  libxml2-utils        # xmllint in tests
  clang                # `make fuzz`: libFuzzer targets (fuzz/) built with clang
  libclang-rt-14-dev   # `make fuzz`: the libFuzzer, ASan and UBSan runtimes of clang 14
  valgrind             # CI: memcheck on the rendering of every edition (`make valgrind`)
  time                 # GNU time: peak memory of the bad-input runs
  strace               # tests: proof that a refused file is never opened
  icc-profiles-free    # sRGB.icc: the output intent profile of --pdfa archives, embedded at build time
  jq                   # tests: reading anpham archive's manifest.json (verify.sh)
  openssl              # tests: the test CA, keys and time-stamp replies of sign.sh, sign_field.sh, batch_sign.sh
  python3              # tests: sign.sh's local time-stamp authority, HTTP and HTTPS, and proxy (tsa-server.py, http-proxy.py: standard library only)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "anpham: missing Debian packages: ${missing[*]}" >&2
  echo "anpham: run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "anpham: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
