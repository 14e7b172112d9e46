#!/usr/bin/env bash
# Tagged PDF (issue 10 §1, docs/archive.md "Tagged PDF"): the 2023 report's
# structure tree as poppler reads it (pdfinfo -struct-text): 57 Note
# elements, the headings at the dump's levels in the dump's order, and the
# text of the other elements in reading order equal to the dump's body
# words; the page furniture (running header, page numbers, watermark) not
# in it. Tagging changes no extracted text (pdftotext equals --no-tags'),
# every edition is tagged and passes qpdf --check, a handout's slides are
# one Sect each and its charts Figures with their title as Alt, its
# contents a TOC of one TOCI per entry, every link annotation in a Link
# element (an OBJR, the annotation's StructParent in the ParentTree), and
# --no-tags writes no structure at all.
# Usage: tags.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: tags.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: tags.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1


# 'struct_text PDF' - the element types and their text, one per line
# ("TYPE<TAB>text"), in the tree's order: each quoted line of pdfinfo
# -struct-text belongs to the element line above it.
struct_text() {
  pdfinfo -struct-text "$1" 2>/dev/null | awk '
    /^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); print type "\t" t; next }
    { type = $1 }'
}

render_checked report layouts/bao-cao.xml data/2023/bao-cao-2023.xml
render_checked plain layouts/bao-cao.xml data/2023/bao-cao-2023.xml --no-tags
struct_text "$tmp/report.pdf" >"$tmp/struct"

# 57 footnotes, each one Note element.
notes=$(pdfinfo -struct-text "$tmp/report.pdf" 2>/dev/null | grep -c '^ *Note ')
check "57 Note elements ($notes)" test "$notes" -eq 57

# Headings: the levels and titles of the dump's outline entries, in order.
awk '/^  dest heading / && / level=/ { l = $0; sub(/.* level=/, "", l); sub(/ .*/, "", l)
       t = $0; sub(/.* title="/, "", t); sub(/"$/, "", t); print "H" l "\t" t }' "$tmp/report.dump" >"$tmp/heads.dump"
awk -F'\t' '$1 ~ /^H[1-6]$/ { sub(/ +$/, "", $2); print $1 "\t" $2 }' "$tmp/struct" >"$tmp/heads.pdf"
if [ -s "$tmp/heads.dump" ] && cmp -s "$tmp/heads.dump" "$tmp/heads.pdf"; then
  ok "headings H1/H2 with their numbers, in the dump's order ($(wc -l <"$tmp/heads.pdf"))"
else
  bad "headings differ from the dump's"; diff "$tmp/heads.dump" "$tmp/heads.pdf" | head -6
fi

# Reading order: the text of every element but the notes, word by word,
# is the dump's body words (footnote numbers included); the notes' text is
# the dump's note words.
dump_words "$tmp/report.dump" body >"$tmp/body.dump"
awk -F'\t' '$1 != "Note" { print $2 }' "$tmp/struct" | words >"$tmp/body.pdf"
if [ -s "$tmp/body.dump" ] && cmp -s "$tmp/body.dump" "$tmp/body.pdf"; then
  ok "structure text = the dump's body words in reading order ($(wc -l <"$tmp/body.pdf"))"
else
  bad "structure text differs from the dump's body words"; diff "$tmp/body.dump" "$tmp/body.pdf" | head -8
fi
dump_words "$tmp/report.dump" notes >"$tmp/notes.dump"
awk -F'\t' '$1 == "Note" { print $2 }' "$tmp/struct" | words >"$tmp/notes.pdf"
check "Note text = the dump's note words ($(wc -l <"$tmp/notes.pdf"))" \
  bash -c '[ -s "$1" ] && cmp -s "$1" "$2"' _ "$tmp/notes.dump" "$tmp/notes.pdf"
check "no page furniture in the structure (DỰ THẢO, the running header)" \
  bash -c '! grep -q "DỰ THẢO" "$1" && ! grep -qi "^[^\t]*\tBáo cáo kết quả" "$1"' _ "$tmp/struct"

# Tagging changes no extracted text.
for mode in "" -raw; do
  pdftotext $mode -enc UTF-8 "$tmp/report.pdf" "$tmp/t$mode.txt" 2>/dev/null
  pdftotext $mode -enc UTF-8 "$tmp/plain.pdf" "$tmp/p$mode.txt" 2>/dev/null
  check "pdftotext ${mode:-(layout)} output the same with and without tags" \
    bash -c '[ -s "$1" ] && cmp -s "$1" "$2"' _ "$tmp/t$mode.txt" "$tmp/p$mode.txt"
done

# The catalog: the tree, marked, Vietnamese, the title shown; --no-tags: none of it.
qpdf --qdf --object-streams=disable "$tmp/report.pdf" "$tmp/report.qdf" 2>/dev/null
qpdf --qdf --object-streams=disable "$tmp/plain.pdf" "$tmp/plain.qdf" 2>/dev/null
check "tagged: StructTreeRoot, ParentTree, MarkInfo Marked, Lang (vi), DisplayDocTitle, StructParents" \
  bash -c 'for k in "/StructTreeRoot" "/ParentTree" "/Marked true" "/Lang (vi)" "/DisplayDocTitle true" "/StructParents" "/MCID"; do
             grep -qaF -- "$k" "$1" || { echo "missing $k"; exit 1; }; done' _ "$tmp/report.qdf"
check "--no-tags: no StructTreeRoot, no MCID, no MarkInfo" \
  bash -c '[ -s "$1" ] && ! grep -qaE "/StructTreeRoot|/MCID|/MarkInfo|/StructParents" "$1"' _ "$tmp/plain.qdf"
check "--no-tags: smaller than tagged" test "$(stat -c %s "$tmp/plain.pdf")" -lt "$(stat -c %s "$tmp/report.pdf")"

# Every edition: tagged, qpdf --check clean, a tree poppler reads.
n=0 clean=0
while read -r layout data pdf options; do
  [ -n "$layout" ] && [ "${layout#\#}" = "$layout" ] || continue
  n=$((n + 1))
  # shellcheck disable=SC2086 # options are words
  "$anpham" render "$layout" --data "$data" -o "$tmp/e-$pdf" $options 2>/dev/null &&
    qpdf --check "$tmp/e-$pdf" >/dev/null 2>&1 &&
    pdfinfo -struct-text "$tmp/e-$pdf" 2>/dev/null | head -1 | grep -q '^Document' &&
    clean=$((clean + 1)) || echo "edition $pdf: not clean"
done <samples/editions.txt
check "every edition tagged and qpdf --check clean ($clean of $n)" test "$n" -ge 7 -a "$clean" -eq "$n"

# The 2025 appendix's indicator table, both variants: split over pages, it
# is one Table; its header row a TR of TH cells with Scope Column in a
# THead (the copies repeated on later pages are artifacts: not in it); a TR
# per row of the data (the header, a group row per group, a row per
# indicator); each group row one TD with its ColSpan.
d=data/2025/phu-luc-2025.xml
groups=$(xmllint --xpath 'count(/appendix/indicators/group)' "$d")
indicators=$(xmllint --xpath 'count(/appendix/indicators/group/indicator)' "$d")
for variant in portrait:5 landscape:7; do
  name=${variant%:*} columns=${variant#*:}
  render_checked "table-$name" layouts/phu-luc.xml "$d" --set table="$name"
  pdfinfo -struct-text "$tmp/table-$name.pdf" 2>/dev/null >"$tmp/table-$name.struct"
  count() { grep -c "^ *$1\b" "$tmp/table-$name.struct"; }
  pages=$(grep -c '^page ' "$tmp/table-$name.dump")
  check "$name table: one Table ($(count Table)), one THead, one TBody, over $pages pages" \
    test "$(count Table)" -eq 1 -a "$(count THead)" -eq 1 -a "$(count TBody)" -eq 1 -a "$pages" -ge 2
  check "$name table: TR rows = 1 header + $groups groups + $indicators indicators ($(count TR))" \
    test "$(count TR)" -eq $((1 + groups + indicators))
  check "$name table: $columns TH cells, each with Scope Column ($(count TH), $(grep -c '/Scope /Column' "$tmp/table-$name.struct"))" \
    test "$(count TH)" -eq "$columns" -a "$(grep -c '/Scope /Column' "$tmp/table-$name.struct")" -eq "$columns"
  check "$name table: each group row one TD with ColSpan $columns ($(grep -c "/ColSpan $columns\$" "$tmp/table-$name.struct"))" \
    test "$(grep -c "/ColSpan $columns\$" "$tmp/table-$name.struct")" -eq "$groups"
  check "$name table: TD cells = the indicators' cells + the group rows ($(count TD))" \
    test "$(count TD)" -eq $((indicators * columns + groups))
done
awk '/^ *TH/ { th = 1; next } th && /^ *"/ { sub(/^ *"/, ""); sub(/ *"$/, ""); print; th = 0 }' \
  "$tmp/table-portrait.struct" | tr '\n' '|' >"$tmp/th.txt"
check "portrait table: the header cells' text in order ($(cat "$tmp/th.txt"))" \
  test "$(cat "$tmp/th.txt")" = "TT|Chỉ tiêu|Chỉ tiêu Nghị quyết|Kết quả|Đánh giá|"

# Lists: each list an L, each item an LI of an Lbl (its marker) and an
# LBody (its text); the Lbls hold the markers and nothing else.
pdfinfo -struct-text "$tmp/report.pdf" 2>/dev/null >"$tmp/report.struct"
lis=$(grep -c '^ *LI\b' "$tmp/report.struct")
lbls=$(grep -c '^ *Lbl\b' "$tmp/report.struct")
bodies=$(grep -c '^ *LBody\b' "$tmp/report.struct")
ls=$(grep -c '^ *L (block)' "$tmp/report.struct")
check "report: lists are L ($ls) of LI ($lis) each an Lbl ($lbls) and an LBody ($bodies)" \
  test "$ls" -gt 0 -a "$lis" -gt "$ls" -a "$lbls" -eq "$lis" -a "$bodies" -eq "$lis"
awk '/^ *Lbl/ { l = 1; next } l && /^ *"/ { sub(/^ *"/, ""); sub(/"$/, ""); print; l = 0 }' \
  "$tmp/report.struct" | sort | uniq -c | awk '{ print $2 }' | tr '\n' ' ' >"$tmp/markers"
check "report: the Lbls hold the markers only ($(cat "$tmp/markers"))" \
  bash -c '[ -s "$1" ] && ! grep -q "[[:alpha:]][[:alpha:]]" "$1"' _ "$tmp/markers"

# The handout: each slide drawn is one Sect; each chart one Figure with its title as Alt.
render_checked handout layouts/handout.xml data/2024/hau-giang-2024.xml
slides=$(grep -c '^  group slide ' "$tmp/handout.dump")
sects=$(pdfinfo -struct-text "$tmp/handout.pdf" 2>/dev/null | grep -c '^  Sect$')
check "handout: one Sect per slide drawn ($sects of $slides)" test "$slides" -gt 0 -a "$sects" -eq "$slides"
qpdf --qdf --object-streams=disable "$tmp/handout.pdf" "$tmp/handout.qdf" 2>/dev/null
figures=$(grep -ac '/S /Figure$' "$tmp/handout.qdf")
alts=$(grep -ac '/Alt ' "$tmp/handout.qdf")
check "handout: charts are Figures with an Alt ($figures figures, $alts alts)" test "$figures" -gt 0 -a "$alts" -eq "$figures"

# Images: alt= (interpolated from the data) is the Figure's /Alt; alt=""
# makes the image decoration (an artifact, no Figure); --pdfa refuses an
# image without alt= (tests/bad/pdfa-image-no-alt).
mkdir -p "$tmp/img"
cp tests/bad/pdfa-image-no-alt/mark.png "$tmp/img/"
cat >"$tmp/img/layout.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <page name="a4" size="A4"/>
  <body>
    <image src="mark.png" width="10mm" height="10mm" alt="Biểu trưng của {/d/unit}"/>
    <image src="mark.png" width="10mm" height="10mm" alt=""/>
    <p>Xin chào.</p>
  </body>
</layout>
XML
printf '<?xml version="1.0" encoding="UTF-8"?>\n<d><unit>Tỉnh ủy Hậu Giang</unit></d>\n' >"$tmp/img/data.xml"
render_checked image "$tmp/img/layout.xml" "$tmp/img/data.xml"
qpdf --qdf --object-streams=disable "$tmp/image.pdf" "$tmp/image.qdf" 2>/dev/null
alt=$(python3 -c 'import re, sys
print("|".join(bytes.fromhex(h).decode("utf-16-be") for h in re.findall(r"/Alt <feff([0-9a-f]+)>", open(sys.argv[1], "rb").read().decode("latin1"))))' "$tmp/image.qdf")
check "image: alt= interpolated is the Figure's /Alt ($alt)" test "$alt" = "Biểu trưng của Tỉnh ủy Hậu Giang"
check "image: alt=\"\" is decoration: one Figure, not two" \
  test "$(pdfinfo -struct-text "$tmp/image.pdf" 2>/dev/null | grep -c '^ *Figure')" -eq 1

# A batch job with tags="false" writes what render --no-tags writes; the
# others of the batch stay tagged.
cat >"$tmp/img/jobs.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<batch version="1" layout="layout.xml" output-dir="out">
  <job data="data.xml" output="plain.pdf" tags="false"/>
  <job data="data.xml" output="tagged.pdf"/>
</batch>
XML
"$anpham" render "$tmp/img/layout.xml" --data "$tmp/img/data.xml" -o "$tmp/image-plain.pdf" --no-tags 2>/dev/null
"$anpham" batch "$tmp/img/jobs.xml" --quiet >/dev/null 2>"$tmp/batch.err"
check "batch: tags=\"false\" = render --no-tags, byte for byte" cmp -s "$tmp/img/out/plain.pdf" "$tmp/image-plain.pdf"
check "batch: the job without tags= is tagged (the same bytes as render)" cmp -s "$tmp/img/out/tagged.pdf" "$tmp/image.pdf"

# A chart's /Alt: its title, its unit, every value label as drawn.
alts=$(python3 -c 'import re, sys
print("\n".join(bytes.fromhex(h).decode("utf-16-be") for h in re.findall(r"/Alt <feff([0-9a-f]+)>", open(sys.argv[1], "rb").read().decode("latin1"))))' "$tmp/handout.qdf")
check "handout: the growth chart's Alt says its title, unit and values ($(echo "$alts" | grep 'GRDP (' | head -1))" \
  bash -c 'grep -qx "Tốc độ tăng trưởng GRDP (Đơn vị: %): 2023: 12,27; 2024: 8,76; Bình quân 2020–2025: 9,24" <<<"$1"' _ "$alts"

# The handout's contents: one TOC, one TOCI per entry (the dump's toc
# lines, consecutive ones linking to one heading being one entry), each a
# Link holding the entry's words (title, leaders, page number) and its
# lines' annotations.
pdfinfo -struct-text "$tmp/handout.pdf" 2>/dev/null >"$tmp/handout.struct"
entries=$(awk '/^  link toc / { n = $0; sub(/.* name=/, "", n); if (n != last) c++; last = n } END { print c + 0 }' \
  "$tmp/handout.dump")
tocs=$(grep -c '^ *TOC$' "$tmp/handout.struct")
tocis=$(grep -c '^ *TOCI$' "$tmp/handout.struct")
check "handout: one TOC ($tocs) of one TOCI per contents entry ($tocis of $entries)" \
  test "$tocs" -eq 1 -a "$entries" -gt 0 -a "$tocis" -eq "$entries"
awk '/^  [a-z]/ { toc = ($1 == "line" && $2 == "toc") } toc && /^    run / { sub(/^[^"]*"/, ""); sub(/"$/, ""); print }' \
  "$tmp/handout.dump" | words >"$tmp/toc.dump"
awk '/^ *TOC$/ { t = 1; next } t && /^ *[A-Z]/ && !/^ *(TOCI|Link|Object)/ { t = 0 }
     t && /^ *"/ { sub(/^ *"/, ""); sub(/"$/, ""); print }' "$tmp/handout.struct" | words >"$tmp/toc.pdf"
check "handout: the TOC's text = the dump's contents words ($(wc -l <"$tmp/toc.pdf"))" \
  bash -c '[ -s "$1" ] && cmp -s "$1" "$2"' _ "$tmp/toc.dump" "$tmp/toc.pdf"

# Links: every link annotation has a StructParent, is the /Obj of one OBJR,
# and the ParentTree has a key past the pages' for each; the handout's
# are all in its TOC's Links.
annots=$(grep -ac '/Subtype /Link' "$tmp/handout.qdf")
parents=$(grep -ac '/StructParent ' "$tmp/handout.qdf")
objrs=$(grep -ac '/Type /OBJR' "$tmp/handout.qdf")
pages=$(grep -c '^page ' "$tmp/handout.dump")
next_key=$(grep -a '/ParentTreeNextKey' "$tmp/handout.qdf" | awk '{ print $2 }')
check "handout: $annots link annotations, each with a StructParent ($parents) and an OBJR ($objrs); ParentTreeNextKey $next_key = $pages pages + $annots" \
  test "$annots" -gt 0 -a "$parents" -eq "$annots" -a "$objrs" -eq "$annots" -a "$next_key" -eq $((pages + annots))
links=$(awk '/^ *Link/ { l = 1; next } l && /^ *Object / { n++ } /^ *[A-Z]/ && !/^ *Object/ { l = 0 } END { print n + 0 }' \
  "$tmp/handout.struct")
check "handout: every annotation is an object of a Link element ($links of $annots)" test "$links" -eq "$annots"

# A text link: its words are a Link inside the paragraph, between the
# paragraph's own words, with its annotation; a URI link too.
cat >"$tmp/img/links.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <style name="h" family="serif" size="14pt"/>
  <page name="a4" size="A4"/>
  <body>
    <heading level="1" id="muc" style="h">Mục một</heading>
    <p style="body">Xem <link href="#muc">mục một</link> và <link href="https://vanban.chinhphu.vn/">cổng</link> nhé.</p>
  </body>
</layout>
XML
render_checked links "$tmp/img/links.xml" "$tmp/img/data.xml"
pdfinfo -struct-text "$tmp/links.pdf" 2>/dev/null >"$tmp/links.struct"
tr -d '\n' <"$tmp/links.struct" | tr -s ' ' >"$tmp/links.flat"
check "text links: P holds \"Xem\", a Link (\"mục một\", its annotation), \"và\", a Link (\"cổng\", its annotation), \"nhé.\"" \
  grep -qE 'P \(block\) "Xem" Link \(inline\) " mục một" Object [0-9]+ 0 " và" Link \(inline\) " cổng" Object [0-9]+ 0 " nhé\. "' \
  "$tmp/links.flat"
check "text links: qpdf --check clean" bash -c 'qpdf --check "$1" >/dev/null 2>&1' _ "$tmp/links.pdf"

finish
