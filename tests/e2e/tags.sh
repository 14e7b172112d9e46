#!/usr/bin/env bash
# Tagged PDF (issue 10 §1, docs/archive.md "Tagged PDF"): the 2023 report's
# structure tree as poppler reads it (pdfinfo -struct-text): 57 Note
# elements, the headings at the dump's levels in the dump's order, and the
# text of the other elements in reading order equal to the dump's body
# words; the page furniture (running header, page numbers, watermark) not
# in it. Tagging changes no extracted text (pdftotext equals --no-tags'),
# every edition is tagged and passes qpdf --check, a handout's slides are
# one Sect each and its charts Figures with their title as Alt, its
# contents a TOC of one TOCI per entry (its page number a Reference), every
# link annotation in a Link element (an OBJR, the annotation's
# StructParent in the ParentTree) with a /Contents, each footnote
# reference a Link to its Note (whose /ID the IDTree maps), links in an
# imposed booklet's pages on its sheets, and --no-tags writes no structure
# at all. A 10,000-row table's structure is whole, within a memory bound.
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
# ("TYPE<TAB>text"), in the tree's order: the quoted lines of pdfinfo
# -struct-text belong to the element line above them, inline Links and
# References (a footnote reference, a contents entry's page number) and
# their annotations (Object) to the element around them, whose text goes
# on through them ("hội" + Link "1" + ". " is "hội1. ").
struct_text() {
  pdfinfo -struct-text "$1" 2>/dev/null | awk '
    function flush() { if (text != "") print type "\t" text; text = "" }
    /^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); text = text t; next }
    /^ *(Link|Reference|Object)( |$)/ { next }
    { flush(); type = $1 }
    END { flush() }'
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

# The 2025 appendix's indicator table, both variants (one Table also where
# it runs over pages); its header row a TR of TH cells with Scope Column in a
# THead (the copies repeated on later pages are artifacts: not in it); a TR
# per row of the data (the header, a group row per group that has a result, a row per
# indicator with a result); each group row one TD with its ColSpan.
d=data/2025/phu-luc-2025.xml
groups=$(xmllint --xpath 'count(/appendix/indicators/group[indicator/result])' "$d")
indicators=$(xmllint --xpath 'count(/appendix/indicators/group/indicator[result])' "$d")
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
# Link holding the entry's words (title and page number; the leader dots
# are artifacts) and its lines' annotations.
pdfinfo -struct-text "$tmp/handout.pdf" 2>/dev/null >"$tmp/handout.struct"
entries=$(awk '/^  link toc / { n = $0; sub(/.* name=/, "", n); if (n != last) c++; last = n } END { print c + 0 }' \
  "$tmp/handout.dump")
tocs=$(grep -c '^ *TOC$' "$tmp/handout.struct")
tocis=$(grep -c '^ *TOCI$' "$tmp/handout.struct")
check "handout: one TOC ($tocs) of one TOCI per contents entry ($tocis of $entries)" \
  test "$tocs" -eq 1 -a "$entries" -gt 0 -a "$tocis" -eq "$entries"
awk '/^  [a-z]/ { toc = ($1 == "line" && $2 == "toc") }
     toc && /^    run / && !/ label "\.+"$/ { sub(/^[^"]*"/, ""); sub(/"$/, ""); print }' \
  "$tmp/handout.dump" | words >"$tmp/toc.dump"
awk '/^ *TOC$/ { t = 1; next } t && /^ *[A-Z]/ && !/^ *(TOCI|Link|Reference|Object)/ { t = 0 }
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
links=$(awk '/^ *Link/ { l = 1; next } l && /^ *Object / { n++ } /^ *[A-Z]/ && !/^ *(Object|Reference)/ { l = 0 } END { print n + 0 }' \
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

# Link annotations (PDF/UA-1 7.18.5, 7.9; issue 10 §1): every one has a
# /Contents; a contents entry's is "title, trang N" with the title and
# number of the dump's entry, a text link's its linked text. Each
# footnote reference of the report is a Link in its paragraph holding the
# number and an annotation "Chú thích N" that goes to the top of note N's
# first line (rounded up to a whole point), on its page (the dump's); every Note has a unique /ID that
# the IDTree maps to it. Pages with annotations have /Tabs /S.
# 'annotations PDF DUMP MODE' - prints "ok: ..." or the first problem.
annotations() {
  qpdf --json --json-key=qpdf --json-key=pages "$1" >"$tmp/annots.json" 2>/dev/null
  python3 - "$tmp/annots.json" "$2" "$3" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
objs = {k[4:]: v.get("value") for k, v in j["qpdf"][1].items() if k.startswith("obj:")}
pages = [p["object"] for p in j["pages"]]
def text(v): return v[2:] if isinstance(v, str) and v.startswith("u:") else v
def fail(m): print(m); sys.exit(0)
annots = {k: v for k, v in objs.items() if isinstance(v, dict) and v.get("/Subtype") == "/Link"}
if not annots: fail("no link annotations")
for k, v in annots.items():
    if not text(v.get("/Contents", "")): fail("annotation %s has no /Contents" % k)
    if "/Dest" not in v and "/A" not in v: fail("annotation %s has no target" % k)
for p in pages:
    if objs[p].get("/Annots") and objs[p].get("/Tabs") != "/S": fail("page %s has annotations but no /Tabs /S" % p)
# Structure: the element holding each annotation (its OBJR), its parent.
holder = {}
for k, v in objs.items():
    if isinstance(v, dict) and "/S" in v:
        kids = v.get("/K"); kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            if isinstance(kid, dict) and kid.get("/Type") == "/OBJR": holder[kid["/Obj"]] = k
for k in annots:
    if k not in holder or objs[holder[k]].get("/S") != "/Link": fail("annotation %s is the OBJR of no Link" % k)
# The dump: each page's height; note N's first line (page, y); contents entries.
height, notes, entries, page = [], {}, [], 0
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("page "):
        height.append(float(re.search(r" h=([\d.]+)", l).group(1))); page = len(height) - 1
    m = re.match(r"  line note x=\S+ y=([\d.]+)", l)
    if m and i + 1 < len(lines):
        n = re.match(r'    run .* label "(\d+)"$', lines[i + 1])
        if n: notes[int(n.group(1))] = (page, float(m.group(1)))
    if l.startswith("  line toc "):
        runs = []
        for r in lines[i + 1:]:
            if not r.startswith("    run "): break
            runs.append((" label " in r.split('"')[0], r.split('"', 1)[1][:-1]))
        title = " ".join(t for lab, t in runs if not lab)
        nums = [t for lab, t in runs if lab and not re.fullmatch(r"\.+", t)]
        name = re.search(r" name=(\S+)", lines[i + len(runs) + 1]).group(1)
        if entries and entries[-1][0] == name:
            entries[-1][1] += " " + title
            entries[-1][2] = nums[-1] if nums else entries[-1][2]
        else:
            entries.append([name, title, nums[-1] if nums else None])
mode = sys.argv[3]
if mode == "notes":
    refs = {}
    for k, v in annots.items():
        m = re.fullmatch(r"Chú thích (\d+)", text(v["/Contents"]))
        if not m: continue
        n = int(m.group(1)); refs[n] = v
        d = v.get("/Dest")
        if not isinstance(d, list) or n not in notes: fail("note %d: no destination or no note in the dump" % n)
        pg, y = notes[n]
        if pages.index(d[0]) != pg or not 0 <= d[3] - (height[pg] - y) < 1:
            fail("note %d: link to page %d y %.2f, its first line is on page %d at %.2f" % (n, pages.index(d[0]) + 1, d[3], pg + 1, height[pg] - y))
        link = holder.get(k)
        if not link or objs[link].get("/S") != "/Link": fail("note %d: its annotation is in no Link" % n)
        if objs[objs[link]["/P"]].get("/S") not in ("/P", "/LBody", "/TD", "/TH", "/H1", "/H2", "/H3"):
            fail("note %d: its Link is in %s" % (n, objs[objs[link]["/P"]].get("/S")))
    if sorted(refs) != list(range(1, len(notes) + 1)) or not notes:
        fail("references linked: %d of %d notes" % (len(refs), len(notes)))
    ids = {}
    for k, v in objs.items():
        if isinstance(v, dict) and v.get("/S") == "/Note":
            if "/ID" not in v or text(v["/ID"]) in ids: fail("Note %s: no /ID or a repeated one" % k)
            ids[text(v["/ID"])] = k
    root = next(v for v in objs.values() if isinstance(v, dict) and v.get("/Type") == "/StructTreeRoot")
    tree = root.get("/IDTree"); tree = objs[tree] if isinstance(tree, str) else tree
    names = tree.get("/Names", []) if tree else []
    keys = [text(x) for x in names[0::2]]
    if dict(zip(keys, names[1::2])) != ids or keys != sorted(keys):
        fail("the IDTree does not map the %d Note IDs to their Notes in order" % len(ids))
    print("ok: %d references, each a Link to its note; %d Note IDs in the IDTree" % (len(refs), len(ids)))
elif mode == "toc":
    want = sorted("%s, trang %s" % (" ".join(t.split()), n) for _, t, n in entries for _ in [0])
    got = sorted(" ".join(text(v["/Contents"]).split()) for v in annots.values() if text(v["/Contents"]).rsplit(", trang ", 1)[0] in {" ".join(t.split()) for _, t, _ in entries})
    if sorted(set(got)) != sorted(set(want)) or not want:
        fail("contents descriptions differ: %s" % sorted(set(want) ^ set(got))[:3])
    print("ok: %d contents entries described as \"title, trang N\"" % len(want))
elif mode == "impose":
    # The booklet's sheet 1 front draws page 1 on its right half, sheet 1
    # back page 2 on its left half: the contents entry's annotation is on
    # the right half of sheet 1, the heading's links go to sheet 1 back.
    by = {text(v["/Contents"]): v for v in annots.values()}
    toc, link, note = by.get("Mục một, trang 2"), by.get("mục một"), by.get("Chú thích 1")
    if not (toc and link and note): fail("descriptions %s" % sorted(by))
    half = float(objs[pages[0]]["/MediaBox"][2]) / 2
    def page_of(v): return pages.index(v["/P"]) if "/P" in v else -1
    def dest_page(v):
        d = v["/Dest"]; d = objs[d] if isinstance(d, str) else d
        return pages.index(d[0])
    if page_of(toc) != 0 or toc["/Rect"][0] < half: fail("contents entry's annotation at %s on sheet side %d" % (toc["/Rect"], page_of(toc) + 1))
    if page_of(link) != 1 or link["/Rect"][2] > half or page_of(note) != 1: fail("page 2's annotations not on the left of sheet side 2")
    if dest_page(toc) != 1 or dest_page(link) != 1 or dest_page(note) != 1: fail("destinations not on sheet side 2")
    print("ok: %d annotations where the sheets draw them, each in a Link" % len(annots))
else:
    got = sorted(text(v["/Contents"]) for v in annots.values())
    if got != sorted(mode.split("|")): fail("descriptions %s, expected %s" % (got, sorted(mode.split("|"))))
    print("ok: " + "|".join(got))
PY
}
out=$(annotations "$tmp/report.pdf" "$tmp/report.dump" notes)
check "report: footnote references linked to their notes (${out#ok: })" test "${out%%:*}" = ok
out=$(annotations "$tmp/handout.pdf" "$tmp/handout.dump" toc)
check "handout: every annotation has a /Contents, the contents' \"title, trang N\" (${out#ok: })" test "${out%%:*}" = ok
"$anpham" render "$tmp/img/links.xml" --data "$tmp/img/data.xml" -o "$tmp/links.pdf" --dump "$tmp/links.dump" 2>/dev/null
out=$(annotations "$tmp/links.pdf" "$tmp/links.dump" "mục một|cổng")
check "text links: each annotation's /Contents is its linked text (${out#ok: })" test "${out%%:*}" = ok

# A contents entry's page number is a Reference in its Link (TOCI > Link >
# title, Reference "N"), the dump's number; the leader dots are an
# artifact, not in the structure.
awk '/^  line toc / { n = "" } /^    run .* label "[0-9]+"$/ && toc { n = $NF; gsub(/"/, "", n) }
     /^  [a-z]/ { toc = ($1 == "line" && $2 == "toc") }
     /^  link toc / { if (name != $NF && last != "") print last; name = $NF; last = n }
     END { if (last != "") print last }' "$tmp/handout.dump" >"$tmp/refs.dump"
awk '/^ *Reference/ { r = 1; next } r && /^ *"/ { sub(/^ *"/, ""); sub(/ *"$/, ""); print; r = 0 }' \
  "$tmp/handout.struct" >"$tmp/refs.pdf"
check "handout: each TOCI's Link holds a Reference with the entry's page number ($(wc -l <"$tmp/refs.pdf") of $entries)" \
  bash -c '[ -s "$1" ] && [ "$(wc -l <"$1")" -eq "$3" ] && cmp -s "$1" "$2"' _ "$tmp/refs.dump" "$tmp/refs.pdf" "$entries"
check "handout: no leader dots in the structure" bash -c '! grep -q "\.\.\.\." "$1"' _ "$tmp/handout.struct"

# Links in pages a group draws (an imposed booklet; a handout's slides the
# same way), tagged only: each annotation where the sheet draws it, in a
# Link of its text, its destination on the sheet that draws the heading;
# --no-tags keeps its bytes of before (no annotation there).
cat >"$tmp/img/a5.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<layout version="1">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="body" family="serif" size="12pt"/>
  <style name="h" family="serif" size="14pt"/>
  <page name="a5" size="A5"/>
  <body page="a5">
    <toc levels="1" style="body"/>
    <page-break/>
    <heading level="1" id="muc" style="h">Mục một</heading>
    <p style="body">Xem <link href="#muc">mục một</link> và chú thích<fn>Một chú thích.</fn> nhé.</p>
  </body>
</layout>
XML
render_checked booklet "$tmp/img/a5.xml" "$tmp/img/data.xml" --impose a5-booklet
out=$(annotations "$tmp/booklet.pdf" "$tmp/booklet.dump" impose)
check "imposed booklet: links on the sheets, in Links (${out#ok: })" test "${out%%:*}" = ok
pdfinfo -struct-text "$tmp/booklet.pdf" 2>/dev/null | tr -d '\n' | tr -s ' ' >"$tmp/booklet.flat"
check "imposed booklet: TOCI > Link > \"Mục một\", Reference \"2\"; P holds Link \"mục một\" and Link \"1\" with their annotations" \
  grep -qE 'TOCI Link \(inline\) "Mục một " Reference \(inline\) "2 " Object [0-9]+ 0 .*P \(block\) "Xem" Link \(inline\) " mục một" Object [0-9]+ 0 " và chú thích" Link \(inline\) "1" Object [0-9]+ 0' \
  "$tmp/booklet.flat"
"$anpham" render "$tmp/img/a5.xml" --data "$tmp/img/data.xml" -o "$tmp/booklet-plain.pdf" --impose a5-booklet --no-tags 2>/dev/null
check "imposed booklet --no-tags: no annotation, qpdf --check clean" \
  bash -c 'qpdf --check "$1" >/dev/null 2>&1 && ! qpdf --qdf --object-streams=disable "$1" - 2>/dev/null | grep -qa "/Annots"' _ "$tmp/booklet-plain.pdf"

# A long table's structure (10,000 generated rows: about 50,000 elements,
# each a StructElem whose entries render writes itself at save): whole
# (every row a TR, every body cell a TD), qpdf --check clean, and its
# memory a guard against one libharu object per entry again (about 57 MB
# at peak; 121 MB then). Not checked in instrumented builds or without GNU time.
bash "$src/tools/gen-table.sh" 10000 >"$tmp/t10.xml"
if ! peak_measurable "$anpham" "the peak memory of 10,000 tagged rows"; then
  "$anpham" render tests/e2e/tables/layout.xml --data "$tmp/t10.xml" -o "$tmp/t10.pdf" 2>"$tmp/t10.err"
else
  /usr/bin/time -f %M -o "$tmp/t10.rss" "$anpham" render tests/e2e/tables/layout.xml --data "$tmp/t10.xml" \
    -o "$tmp/t10.pdf" 2>"$tmp/t10.err"
  kb=$(tail -n 1 "$tmp/t10.rss" 2>/dev/null); kb=${kb:-999999999}
  check "10,000 table rows tagged in less than 90 MB at peak ($((kb / 1024)) MB)" test "$kb" -lt $((90 * 1024))
fi
qpdf --qdf --object-streams=disable "$tmp/t10.pdf" - 2>/dev/null |
  awk '/^ *\/S \/TR$/ { tr++ } /^ *\/S \/TD$/ { td++ } END { print tr + 0, td + 0 }' >"$tmp/t10.count"
check "10,000 table rows tagged: 10,102 TR (header, groups, rows), 40,101 TD ($(cat "$tmp/t10.count")), qpdf --check clean" \
  bash -c '[ ! -s "$1" ] && [ "$(cat "$2")" = "10102 40101" ] && qpdf --check "$3" >/dev/null 2>&1' _ "$tmp/t10.err" "$tmp/t10.count" "$tmp/t10.pdf"

finish
