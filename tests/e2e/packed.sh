#!/usr/bin/env bash
# Packed records (issue 11 §4, parse/packed.c and bind/reach.c): a data
# file's long runs of records are kept as their text and read again when
# bind reaches them; an expression that may read inside records that are
# not open puts them all back first. Whatever the layout asks, the PDF is
# the one of the data read whole (ANPHAM_PACK_MIN=0): every record packed
# (ANPHAM_PACK_MIN=1) or from the 64th (the default); the samples and
# examples too; errors in a packed record name the same places; and a
# generated table keeps less memory. The data is generated (illustrative,
# as the pages say).
set -u
src=$1 build=$2
. "$src/tests/e2e/lib.bash"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export ANPHAM_CACHE_DIR=$t/cache
anpham=$build/anpham

# same ID WHAT LAYOUT DATA [ARGS...]: one check (WHAT) that the PDF, dump
# and messages with every record packed, and with the default, are those
# of the data read whole (files $t/ID-*); with expect=fails, that none
# writes anything.
same() {
  local name=$1 what=$2 layout=$3 data=$4 v
  shift 4
  for v in 0 1 64; do
    ANPHAM_PACK_MIN=$v "$anpham" render "$layout" --data "$data" -o "$t/$name-$v.pdf" --dump "$t/$name-$v.dump" \
      "$@" >/dev/null 2>"$t/$name-$v.err"
    echo "exit $?" >>"$t/$name-$v.err"
  done
  check "$what: the PDF, dump and messages of the data read whole ($(head -c 60 "$t/$name-0.err" | tr '\n' ' '))" \
    bash -c 'for v in 1 64; do cmp -s "$1-0.err" "$1-$v.err" || exit 1
             if [ "$2" = fails ]; then [ ! -e "$1-$v.pdf" ] && [ ! -e "$1-$v.dump" ] || exit 1
             else cmp -s "$1-0.pdf" "$1-$v.pdf" && cmp -s "$1-0.dump" "$1-$v.dump" || exit 1; fi; done
             [ "$2" = fails ] || [ -s "$1-0.pdf" ]' _ "$t/$name" "${expect:-}"
}

# The generated table and the long body (tools/gen-table.sh: groups of 100
# rows, a row span every 7th, one tall row), tagged and not.
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/tables/layout.xml" >"$t/table.xml"
sed "s|fonts=\"../../../fonts\"|fonts=\"$src/fonts\"|" "$src/tests/e2e/long_body/layout.xml" >"$t/body.xml"
bash "$src/tools/gen-table.sh" 3000 7 1234 60 >"$t/rows.xml"
same table "table of 3,000 rows" "$t/table.xml" "$t/rows.xml"
same untagged "…untagged" "$t/table.xml" "$t/rows.xml" --no-tags
same body "long body of 3,000 rows" "$t/body.xml" "$t/rows.xml"

# Records written by hand: indented, with comments, references, a CDATA
# section, attributes, an empty record and a record that holds no element.
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<!-- Illustrative rows, not figures from the seeds. -->'
  echo '<t><g name="Nhóm 1" key="N1">'
  for k in $(seq 1 150); do
    case $((k % 5)) in
      0) printf '  <r id="r%d">\n    <n>Dòng %d &amp; &#x1EA0;</n>\n    <v>%d</v> <!-- c -->\n  </r>\n' "$k" "$k" "$k" ;;
      1) printf '<r><n><![CDATA[Dòng %d <x>]]></n><v>%d</v></r>' "$k" "$k" ;;
      2) printf '<r span="2"><n>Dòng %d</n>\t<v>%d</v></r>\n\n' "$k" "$k" ;;
      3) printf '<r/><r>chữ %d</r>\n' "$k" ;;
      4) printf '<r><n>Dòng %d</n><v/><?pi x?></r>\n' "$k" ;;
    esac
  done
  echo '</g><g name="Nhóm 2" key="N2"><r><n>Cuối</n><v>0</v></r></g></t>'
} >"$t/hand.xml"

# layout NAME: $t/NAME.xml, a layout (a font, a style, an A5 page) whose
# definitions and body are read from standard input.
layout() {
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<layout version="1" fonts="%s">\n' "$src/fonts"
    printf '  <family name="serif" regular="LiberationSerif-Regular.ttf"/>\n'
    printf '  <style name="body" family="serif" size="10pt"/>\n  <page name="p" size="A5"/>\n'
    cat
    printf '</layout>\n'
  } >"$t/$1.xml"
}
# reads NAME OUTSIDE INSIDE: a layout of a paragraph with OUTSIDE (at the
# root), then one paragraph a record of the first group with INSIDE (at the
# record), in a <value> each.
reads() {
  layout "$1" <<EOF
  <body page="p">
    <p style="body">Dữ liệu minh họa, không phải số liệu thật. [<value select="$2"/>]</p>
    <for-each select="/t/g[1]/r[position() mod 3 = 1]"><p style="body">[<value select="$3"/>]</p></for-each>
  </body>
EOF
}
# Shallow reads (the records stay packed) and reads inside records that
# are not open (all put back first): the same PDF either way.
i=0
while IFS='|' read -r outside inside; do
  i=$((i + 1))
  reads "r$i" "$outside" "$inside"
  same "r$i" "reads $i: '$outside' and, at a record, '$inside'" "$t/r$i.xml" "$t/hand.xml"
done <<'EOF'
count(/t/g/r)|n
count(/t/g[1]/r[@span])|.
/t/g[2]/@key|string()
string(/t/g[2])|concat(n, ' / ', v, '.')
normalize-space(/t/g[1]/r[3])|normalize-space()
sum(/t/g/r/v)|../@key
count(//v)|count(../r)
/t/g[1]/r[5]/n|following-sibling::r[1]/n
(/t/g/r)[6]|preceding::r[2]
/t/g/r[n = 'Dòng 7']/v|..
name(/t/g/r[1]/*[1])|string(..)
/t/g[1]/r[last()]|*[2]
string(/)|text()
count(/t/g/r/comment())|@id
/t/g/r[8]|v + 1
EOF

# <content> of a record at the root, and templates applied to records.
layout rich <<'EOF'
  <template match="r"><p style="body">Mẫu: <content select="n"/></p></template>
  <body page="p">
    <p style="body">Dữ liệu minh họa. <content select="/t/g[1]/r[5]"/> · <content select="/t/g[1]/r[7]/n"/></p>
    <apply select="/t/g[1]/r[position() &lt; 9]"/>
  </body>
EOF
same rich "content of a record, templates applied to records" "$t/rich.xml" "$t/hand.xml"

# An error inside a packed record, found when layout reaches it: the same
# message, at the same place, exit 1 and no PDF.
bash "$src/tools/gen-table.sh" 3000 0 >"$t/bad.xml"
sed -i 's|<r><n>Dòng thử số 2500</n>|<r bad="x"><n>Dòng thử số 2500</n>|' "$t/bad.xml"
expect=fails same bad "a bad number in record 2,500" "$t/body.xml" "$t/bad.xml"
check "…is an error, exit 1, no PDF" \
  bash -c 'grep -q "is not a number" "$1-1.err" && grep -q "exit 1" "$1-1.err" && [ ! -e "$1-1.pdf" ]' _ \
  "$t/bad"

# Data that inherits from a base is read whole (its elements are merged),
# with the same PDF.
mkdir -p "$t/inh"
cp "$t/rows.xml" "$t/inh/base.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<t xmlns:d="urn:anpham:data" d:base="base.xml"/>\n' \
  >"$t/inh/child.xml"
same inh "data inheriting the rows from a base" "$t/table.xml" "$t/inh/child.xml"

# The samples and the examples (ready layouts): the same bytes with every
# record packed.
while read -r layout data out opts; do
  [ -z "$layout" ] || [ "${layout#\#}" != "$layout" ] && continue
  # shellcheck disable=SC2086 # (options word-split on purpose)
  same "${out%.pdf}" "sample $out" "$src/$layout" "$src/$data" $opts
done <"$src/samples/editions.txt"
for f in "$src"/data/examples/*.xml; do
  same "$(basename "$f" .xml)" "example $(basename "$f")" "$src/layouts/van-ban/$(basename "$f")" "$f"
done

# Memory: 40,000 rows of the table keep less than when read whole.
if peak_measurable "$anpham" "the peak memory of 40,000 packed rows"; then
  bash "$src/tools/gen-table.sh" 40000 >"$t/d40.xml"
  for v in 0 64; do
    ANPHAM_PACK_MIN=$v /usr/bin/time -f %M -o "$t/$v.rss" "$anpham" render "$t/table.xml" --data "$t/d40.xml" \
      -o "$t/m$v.pdf" --no-tags 2>/dev/null
  done
  check "40,000 rows untagged: packed $(cat "$t/64.rss") KB peak, below the $(cat "$t/0.rss") KB of the rows read whole less 16 MB; the same PDF" \
    bash -c '[ "$(cat "$1")" -lt $(( $(cat "$2") - 16384 )) ] && cmp -s "$3" "$4"' _ "$t/64.rss" "$t/0.rss" \
    "$t/m0.pdf" "$t/m64.pdf"
fi
finish
