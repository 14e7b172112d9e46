#!/usr/bin/env bash
# XML input that is unusual but fine, and the limits of XML input at their
# edges (docs/limits.md): a layout with a UTF-8 byte order mark and data in
# UTF-16 with one are read; 1,024 attributes on a data element pass and
# 1,025 do not; 256 levels of nesting pass; XInclude, an outside DTD and
# document() never open the file they name; the cubic XPath expression of
# tests/bad/xpath-cubic is stopped by the step limit. Each refusal is one line on stderr.
# Usage: xml_input.sh SOURCE_DIR BUILD_DIR
set -u
src=${1:?usage: xml_input.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: xml_input.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

# 'layout FILE BODY' - a small layout (anpham's own fonts) whose <body> holds BODY.
layout() {
  cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a4" size="A4"/>
  <body>
    $2
  </body>
</layout>
EOF
}
# 'refused WHAT PATTERN ARGS...' - anpham ARGS (under a 20 s timeout) exits 1
# with one stderr line matching PATTERN.
refused() {
  local what=$1 pattern=$2 rc
  shift 2
  timeout 20 "$anpham" "$@" >"$t/out" 2>"$t/err"
  rc=$?
  if [ "$rc" -eq 1 ] && [ "$(wc -l <"$t/err")" -eq 1 ] && grep -q -- "$pattern" "$t/err" && [ ! -s "$t/out" ]; then
    ok "$what: $(cat "$t/err")"
  else
    bad "$what: exit $rc, stderr: $(head -c 300 "$t/err")"
  fi
}
# 'accepted WHAT ARGS...' - anpham exits 0 and prints nothing.
accepted() {
  local what=$1 rc
  shift
  "$anpham" "$@" >"$t/out" 2>"$t/err"
  rc=$?
  if [ "$rc" -eq 0 ] && [ ! -s "$t/err" ] && [ ! -s "$t/out" ]; then ok "$what"
  else bad "$what: exit $rc, stderr: $(head -c 300 "$t/err")"; fi
}

# A layout saved with a UTF-8 byte order mark is read.
layout "$t/plain.xml" '<p>Xin chào {/r/name}.</p>'
printf '\xef\xbb\xbf' | cat - "$t/plain.xml" >"$t/bom.xml"
printf '<r><name>Hà Nội</name></r>\n' >"$t/data.xml"
accepted "a layout with a UTF-8 byte order mark is read" check "$t/bom.xml" --data "$t/data.xml"

# Data in UTF-16 with a byte order mark (little- and big-endian) is read as
# UTF-8, its XML declaration's encoding= notwithstanding.
for order in LE BE; do
  { if [ $order = LE ]; then printf '\xff\xfe'; else printf '\xfe\xff'; fi
    printf '<?xml version="1.0" encoding="UTF-16"?>\n<r><name>Hà Nội</name></r>\n' | iconv -f UTF-8 -t UTF-16$order
  } >"$t/utf16.xml"
  "$anpham" render "$t/plain.xml" --data "$t/utf16.xml" -o "$t/utf16.pdf" --dump "$t/utf16.txt" 2>"$t/err"
  check "UTF-16$order data with a byte order mark is read (its text laid out)" \
    grep -q 'Xin chào Hà Nội' "$t/utf16.txt"
done

# Data in an encoding glibc's iconv does not know and ICU does: ibm-5354,
# ICU's name for Windows-1258 (Vietnamese). libxml2 converts it with ICU,
# which a static libxml2 loads only now (src/parse/icu-lazy/icu-lazy.c).
printf '<?xml version="1.0" encoding="ibm-5354"?>\n<r><name>Hà Nội</name></r>\n' | iconv -f UTF-8 -t CP1258 >"$t/cp1258.xml"
check "the ibm-5354 file is not UTF-8 (the test's premise)" sh -c "! iconv -f UTF-8 -t UTF-8 <'$t/cp1258.xml' >/dev/null 2>&1"
LD_DEBUG=libs "$anpham" render "$t/plain.xml" --data "$t/cp1258.xml" -o "$t/cp1258.pdf" --dump "$t/cp1258.txt" 2>"$t/err"
check "data in ibm-5354 (ICU's Windows-1258) is read (its text laid out)" grep -q 'Xin chào Hà Nội' "$t/cp1258.txt"
if ! ldd "$anpham" | grep -q 'libxml2\.so'; then
  # libxml2 linked statically (AP_STATIC_DEPS): ICU is not loaded at start.
  check "a static libxml2 does not load ICU at start" sh -c "! ldd '$anpham' | grep -q libicuuc"
  check "...and loads it for ibm-5354 data" grep -q 'calling init: .*libicuuc' "$t/err"
  LD_DEBUG=libs "$anpham" render "$t/plain.xml" --data "$t/data.xml" -o "$t/utf8.pdf" 2>"$t/err"
  check "...and not for UTF-8 data" sh -c "! grep -q libicuuc '$t/err'"
fi

# Attributes per data element: 1,024 pass, 1,025 do not (said at the element).
attrs() { awk -v n="$1" 'BEGIN { printf "<r>\n<name"; for (i = 0; i < n; i++) printf " a%d=\"x\"", i; print ">Hà Nội</name></r>" }'; }
attrs 1024 >"$t/a1024.xml"
attrs 1025 >"$t/a1025.xml"
accepted "1,024 attributes on one data element are read" check "$t/plain.xml" --data "$t/a1024.xml"
refused "1,025 attributes on one data element are refused" \
  "a1025.xml:2:1: error: <name> has more than 1024 attributes" check "$t/plain.xml" --data "$t/a1025.xml"

# Nesting: 256 levels pass (libxml2's limit; XML_PARSE_HUGE is never set).
awk 'BEGIN { printf "<r><name>Hà</name>"; for (i = 1; i < 255; i++) printf "<d>"; for (i = 1; i < 255; i++) printf "</d>"; print "</r>" }' >"$t/deep.xml"
accepted "elements nested 255 deep are read" check "$t/plain.xml" --data "$t/deep.xml"

# XInclude, an outside DTD, document(): the file named is a FIFO, which an
# open for reading would wait on for ever, so a run that ends never opened it.
mkfifo "$t/fifo"
printf '<r xmlns:xi="http://www.w3.org/2001/XInclude"><name><xi:include href="%s" parse="text"/></name></r>\n' \
  "$t/fifo" >"$t/xi.xml"
printf '<!DOCTYPE r SYSTEM "%s">\n<r><name>Hà</name></r>\n' "$t/fifo" >"$t/dtd.xml"
layout "$t/doc.xml" "<p>{count(document('$t/fifo'))}</p>"
refused "XInclude is refused, its file never opened" "<xi:include> is not followed" \
  check "$t/plain.xml" --data "$t/xi.xml"
refused "an outside DTD is refused, never opened" "<!DOCTYPE> names the outside DTD" \
  check "$t/plain.xml" --data "$t/dtd.xml"
refused "document() is refused, its file never opened" "there is no function document()" \
  check "$t/doc.xml" --data "$t/data.xml"

# The cubic expression is stopped by the step limit, not by the clock: the
# message names the limit (refused's 20 s timeout only guards against a
# hang; no time is asserted, as a loaded or sanitized run is slower).
awk 'BEGIN { printf "<r><name>Hà</name>"; for (i = 0; i < 5000; i++) printf "<item>%d</item>", i; print "</r>" }' >"$t/items.xml"
refused "the cubic expression is stopped" "needs more than 10000000 steps" \
  check "$src/tests/bad/xpath-cubic/layout.xml" --data "$t/items.xml"

finish
