#!/usr/bin/env bash
# PDF/A-3 archives (--pdfa, docs/archive.md): the XMP metadata on the
# catalog parses and agrees with the Info dictionary (title, author,
# subject, keywords, producer, creator, dates), claims PDF/A-3a and
# PDF/UA-1 (3b without tags), carries the Nghị định 30/2020 metadata under
# the vbhc schema with the extension schemas PDF/A asks for; the sRGB
# output intent embeds the Debian profile byte for byte; PDF 1.7 with the
# binary comment; a document /ID from the content; dates from
# SOURCE_DATE_EPOCH or <info date>, never the clock (two runs byte-identical,
# another epoch other dates); CMYK colours as their RGB look; links
# printable. Without --pdfa nothing of this is written and
# SOURCE_DATE_EPOCH changes no byte.
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
icc=/usr/share/color/icc/sRGB.icc
fix=$(cd "$src/tests/e2e/pdfa" && pwd)
report() { "$build/anpham" render "$src/layouts/bao-cao.xml" --data "$src/data/2023/bao-cao-2023.xml" -o "$@"; }
fixture() { "$build/anpham" render "$fix/layout.xml" --data "$fix/data.xml" -o "$@"; }
# xmp PDF XPATH: a value of the PDF's XMP packet (local names: no namespace set-up).
xmp() { pdfinfo -meta "$1" | xmllint --xpath "$2" - 2>/dev/null; }
# info PDF KEY: a line of pdfinfo -isodates, value only.
info() { pdfinfo -isodates "$1" | sed -n "s/^$2: *//p"; }
# obj PDF N: object N as qpdf shows it; ref PDF TEXT KEY: the object number KEY refers to in TEXT.
obj() { qpdf --show-object="$2" "$1"; }
ref() { sed -n "s/.*\/$2 \([0-9]*\) 0 R.*/\1/p" <<<"$1" | head -1; }

# The 2023 report as an archive...
SOURCE_DATE_EPOCH=1700000000 report "$t/a.pdf" --pdfa
check "the 2023 report renders with --pdfa" test -s "$t/a.pdf"
check "qpdf --check: clean" bash -c "qpdf --check '$t/a.pdf' | grep -q 'No syntax or stream encoding errors'"
check "header %PDF-1.7 and a binary comment of 4 bytes >= 128" \
  test "$(head -c 15 "$t/a.pdf" | od -An -tx1 | tr -d ' \n')" = "255044462d312e370a25b7beadaa0a"
check "the XMP parses (xmllint)" bash -c "pdfinfo -meta '$t/a.pdf' | xmllint --noout -"
title=$(info "$t/a.pdf" Title)
check "dc:title x-default = Info Title" test "$(xmp "$t/a.pdf" "string(//*[local-name()='title']//*[@xml:lang='x-default'])")" = "$title"
check "dc:title vi = Info Title" test "$(xmp "$t/a.pdf" "string(//*[local-name()='title']//*[@xml:lang='vi'])")" = "$title"
check "dc:creator = Info Author" test "$(xmp "$t/a.pdf" "string(//*[local-name()='creator']//*[local-name()='li'])")" = "$(info "$t/a.pdf" Author)"
check "dc:description = Info Subject" test "$(xmp "$t/a.pdf" "string(//*[local-name()='description']//*[@xml:lang='x-default'])")" = "$(info "$t/a.pdf" Subject)"
check "pdf:Keywords = Info Keywords" test "$(xmp "$t/a.pdf" "string(//*[local-name()='Keywords'])")" = "$(info "$t/a.pdf" Keywords)"
check "pdf:Producer = Info Producer = anpham" test "$(xmp "$t/a.pdf" "string(//*[local-name()='Producer'])")/$(info "$t/a.pdf" Producer)" = "anpham/anpham"
check "xmp:CreatorTool = Info Creator" test "$(xmp "$t/a.pdf" "string(//*[local-name()='CreatorTool'])")" = "$(info "$t/a.pdf" Creator)"
check "Info dates from SOURCE_DATE_EPOCH" test "$(info "$t/a.pdf" CreationDate)/$(info "$t/a.pdf" ModDate)" = "2023-11-14T22:13:20Z/2023-11-14T22:13:20Z"
for d in CreateDate ModifyDate MetadataDate; do
  check "xmp:$d = the Info date" test "$(xmp "$t/a.pdf" "string(//*[local-name()='$d'])")" = "2023-11-14T22:13:20+00:00"
done
trailer=$(obj "$t/a.pdf" trailer) root=$(ref "$trailer" Root) inf=$(ref "$trailer" Info)
catalog=$(obj "$t/a.pdf" "$root")
check "Info CreationDate written D:YYYYMMDDHHmmSS+00'00'" bash -c "qpdf --show-object=$inf '$t/a.pdf' | grep -qF \"/CreationDate (D:20231114221320+00'00')\""
check "pdfaid:part 3, conformance A" test "$(xmp "$t/a.pdf" "concat(//*[local-name()='part' and namespace-uri()='http://www.aiim.org/pdfa/ns/id/'], //*[local-name()='conformance'])")" = "3A"
check "pdfuaid:part 1" test "$(xmp "$t/a.pdf" "string(//*[local-name()='part' and namespace-uri()='http://www.aiim.org/pdfua/ns/id/'])")" = "1"
check "extension schemas described: pdfuaid and vbhc" test "$(xmp "$t/a.pdf" "count(//*[local-name()='prefix'])")" = "2"
check "vbhc metadata from the data (issuer, document type, signer's position)" test \
  "$(xmp "$t/a.pdf" "concat(//*[local-name()='issuer'], '|', //*[local-name()='docType'], '|', //*[local-name()='signerPosition'])")" \
  = "Ban Chấp hành Đảng bộ tỉnh Hậu Giang|BÁO CÁO|BÍ THƯ"
meta=$(ref "$catalog" Metadata)
check "Metadata stream: /Type /Metadata /Subtype /XML, no /Filter" bash -c \
  "d=\$(qpdf --show-object=$meta '$t/a.pdf'); grep -q '/Type /Metadata' <<<\"\$d\" && grep -q '/Subtype /XML' <<<\"\$d\" && ! grep -q Filter <<<\"\$d\""
check "OutputIntent /S /GTS_PDFA1 (sRGB IEC61966-2.1)" bash -c \
  "grep -q '/OutputIntents \[ << .*/OutputConditionIdentifier (sRGB IEC61966-2.1) .*/S /GTS_PDFA1 /Type /OutputIntent >> \]' <<<'$catalog'"
profile=$(ref "$catalog" DestOutputProfile)
check "the ICC profile stream has /N 3" bash -c "qpdf --show-object=$profile '$t/a.pdf' | grep -q '/N 3'"
qpdf --show-object="$profile" --filtered-stream-data "$t/a.pdf" >"$t/icc"
check "the ICC profile's bytes are Debian's $icc" cmp -s "$t/icc" "$icc"
check "a document /ID of two equal 16-byte strings" bash -c "grep -qE '/ID \[ <([0-9a-f]{32})> <\1> \]' <<<'$trailer'"
check "not encrypted, no JavaScript" bash -c "pdfinfo '$t/a.pdf' | grep -q '^Encrypted: *no' && pdfinfo '$t/a.pdf' | grep -q '^JavaScript: *no'"

# ...the same inputs give the same bytes; another epoch other dates (and another /ID)...
SOURCE_DATE_EPOCH=1700000000 report "$t/b.pdf" --pdfa
check "two runs are byte-identical" cmp -s "$t/a.pdf" "$t/b.pdf"
SOURCE_DATE_EPOCH=1735689600 report "$t/c.pdf" --pdfa
check "another SOURCE_DATE_EPOCH: other dates" test "$(info "$t/c.pdf" CreationDate)/$(xmp "$t/c.pdf" "string(//*[local-name()='CreateDate'])")" = "2025-01-01T00:00:00Z/2025-01-01T00:00:00+00:00"
check "another SOURCE_DATE_EPOCH: another /ID" test "$(obj "$t/c.pdf" trailer | grep -o '/ID \[ <[0-9a-f]*>')" != "$(grep -o '/ID \[ <[0-9a-f]*>' <<<"$trailer")"
report "$t/nodate.pdf" --pdfa
check "no SOURCE_DATE_EPOCH and no <info date>: no date at all" bash -c \
  "! pdfinfo '$t/nodate.pdf' | grep -q Date && ! pdfinfo -meta '$t/nodate.pdf' | grep -qE 'CreateDate|ModifyDate|MetadataDate'"
if SOURCE_DATE_EPOCH=17e8 report "$t/bad.pdf" --pdfa 2>"$t/err"; then bad "a malformed SOURCE_DATE_EPOCH fails"; else
  check "a malformed SOURCE_DATE_EPOCH fails, saying what it expected" grep -q "^SOURCE_DATE_EPOCH: error: SOURCE_DATE_EPOCH=17e8: expected the seconds since 1970" "$t/err"
  check "...and writes nothing" test ! -e "$t/bad.pdf"
fi

# ...without tags the claim is PDF/A-3b and no PDF/UA...
if "$build/anpham" 2>&1 | grep -q -- --no-tags; then
  SOURCE_DATE_EPOCH=1700000000 report "$t/b3.pdf" --pdfa --no-tags
  check "--no-tags: conformance B, no pdfuaid, one extension schema (vbhc)" test \
    "$(xmp "$t/b3.pdf" "concat(//*[local-name()='conformance'], count(//*[namespace-uri()='http://www.aiim.org/pdfua/ns/id/']), count(//*[local-name()='prefix']))")" = "B01"
fi

# ...the data's date and Nghị định 30 metadata, XML special characters, CMYK, links...
fixture "$t/f.pdf" --pdfa
check "<info date> with its zone: Info and XMP" test \
  "$(info "$t/f.pdf" CreationDate)|$(xmp "$t/f.pdf" "string(//*[local-name()='CreateDate'])")|$(xmp "$t/f.pdf" "string(//*[local-name()='issueDate'])")" \
  = "2025-03-14T09:30:00+07|2025-03-14T09:30:00+07:00|2025-03-14T09:30:00+07:00"
check "Info date written D:20250314093000+07'00'" bash -c \
  "qpdf --show-object=$(ref "$(obj "$t/f.pdf" trailer)" Info) '$t/f.pdf' | grep -qF \"/ModDate (D:20250314093000+07'00')\""
check "the five XML characters escaped: dc:title reads back as the data's title" test \
  "$(xmp "$t/f.pdf" "string(//*[local-name()='title']//*[@xml:lang='vi'])")" = "Quyết định về việc \"lưu trữ\" & số hoá <văn bản> của 'tỉnh'"
check "every vbhc property from the data" test "$(xmp "$t/f.pdf" "concat(//*[local-name()='issuer'], '|', //*[local-name()='number'], '|', //*[local-name()='docType'], '|', //*[local-name()='subject'], '|', //*[local-name()='signerPosition'], '|', //*[local-name()='signerName'])")" \
  = "Ủy ban nhân dân tỉnh Hậu Giang|123/QĐ-UBND|Quyết định|Lưu trữ văn bản điện tử năm 2025|Chủ tịch|Nguyễn Văn A"
check "the vbhc schema described with its 7 properties" test "$(xmp "$t/f.pdf" "count(//*[local-name()='schemas']//*[local-name()='li'][*[local-name()='prefix']='vbhc']//*[local-name()='name'])")" = "7"
SOURCE_DATE_EPOCH=1700000000 fixture "$t/fe.pdf" --pdfa
check "SOURCE_DATE_EPOCH wins over <info date> for the PDF's dates, not for vbhc:issueDate" test \
  "$(info "$t/fe.pdf" CreationDate)|$(xmp "$t/fe.pdf" "string(//*[local-name()='issueDate'])")" = "2023-11-14T22:13:20Z|2025-03-14T09:30:00+07:00"
qpdf --qdf --object-streams=disable "$t/f.pdf" "$t/f.qdf"
check "a CMYK colour is painted as its RGB look (rg, no k)" bash -c "grep -aq '^0 0.32 0.8 rg$' '$t/f.qdf' && ! grep -aqE ' (k|K)$' '$t/f.qdf'"
check "links are printable (/F 4)" test "$(grep -ac '/Subtype /Link' "$t/f.qdf")/$(grep -ac '^  /F 4$' "$t/f.qdf")" = "1/1"
fixture "$t/f0.pdf"
qpdf --qdf --object-streams=disable "$t/f0.pdf" "$t/f0.qdf"
check "without --pdfa the CMYK colour stays DeviceCMYK" grep -aq '^1 0.6 0 0.2 k$' "$t/f0.qdf"

# ...and without --pdfa nothing of it, whatever SOURCE_DATE_EPOCH says.
report "$t/p.pdf"
SOURCE_DATE_EPOCH=1700000000 report "$t/p2.pdf"
check "without --pdfa: SOURCE_DATE_EPOCH changes no byte" cmp -s "$t/p.pdf" "$t/p2.pdf"
check "without --pdfa: no Metadata, OutputIntents, /ID or dates" bash -c \
  "! qpdf --show-object=trailer '$t/p.pdf' | grep -q /ID && ! pdfinfo '$t/p.pdf' | grep -q Date &&
   ! qpdf --qdf --object-streams=disable '$t/p.pdf' - | grep -aqE '/Metadata|/OutputIntents|/F 4'"

# A batch job with pdfa="true" writes an archive.
cat >"$t/jobs.xml" <<JOBS
<batch version="1" output-dir="$t/out" layout="$fix/layout.xml" data="$fix/data.xml">
  <job output="plain.pdf"/>
  <job output="archive.pdf" pdfa="true"/>
</batch>
JOBS
"$build/anpham" batch "$t/jobs.xml" -o "$t/out" >/dev/null 2>"$t/batch.err" || cat "$t/batch.err"
check "batch pdfa=\"true\": that job is an archive, the other not" test \
  "$(pdfinfo "$t/out/archive.pdf" | sed -n 's/^Metadata Stream: *//p')/$(pdfinfo "$t/out/plain.pdf" | sed -n 's/^Metadata Stream: *//p')" = "yes/no"
check "batch pdfa=\"true\": the same bytes as render --pdfa" cmp -s "$t/out/archive.pdf" "$t/f.pdf"
finish
