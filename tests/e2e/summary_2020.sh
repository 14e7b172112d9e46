#!/usr/bin/env bash
# The 2020 summary (layouts/tom-tat.xml, data/2020/tom-tat-2020.xml) after
# the review of issue 12 §3: the targets (1)-(11) printed once (no table
# repeating them), the congress's slogan and theme centred and bold, and
# each part's outline entry "Phần thứ …: TITLE" (outline="{label}: {title}";
# a <br/> in a heading is read as a space, never as nothing).
# Usage: summary_2020.sh SOURCE_DIR BUILD_DIR
set -u

src=${1:?usage: summary_2020.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: summary_2020.sh SOURCE_DIR BUILD_DIR}
src=$(cd "$src" && pwd)
anpham=$(cd "$build" && pwd)/anpham
. "$src/tests/e2e/lib.bash"

[ -x "$anpham" ] || { echo "FAIL: $anpham not built"; echo "0 passed, 1 failed"; exit 1; }
command -v qpdf >/dev/null && command -v pdftotext >/dev/null || { echo "SKIP: needs qpdf and pdftotext"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render_checked s "$src/layouts/tom-tat.xml" "$src/data/2020/tom-tat-2020.xml"
pdftotext -layout "$tmp/s.pdf" "$tmp/s.txt"

# Each target once: "(N)" opens a line of the text once, and no table
# row holds its number alone before the target's words.
for n in 1 6 11; do
  k=$(grep -c "^ *($n) " "$tmp/s.txt")
  check "target ($n) is printed once (found $k)" test "$k" -eq 1
done
check "no table repeats the targets (no 'TT  Chỉ tiêu' header)" \
  bash -c "! grep -Eq '^ *TT +Chỉ tiêu' '$tmp/s.txt'"

# The slogan and the theme: bold runs, centred on the measure (the line box
# x..x+w), to a point.
centred() { # FILE TEXT-START: "ok" when the line whose first run starts so is bold and centred
  awk -v want="$2" '
    /^  line body / { for (i = 1; i <= NF; i++) { if ($i ~ /^x=/) lx = substr($i, 3); if ($i ~ /^w=/) lw = substr($i, 3) }; first = 1; next }
    /^    run / && first { first = 0
      t = $0; sub(/^[^"]*"/, "", t)
      if (index(t, want) == 1) {
        x = substr($2, 3); w = substr($4, 3); mid = x + w / 2 - (lx + lw / 2)
        print ((($0 ~ /-Bold /) && mid < 1 && mid > -1) ? "ok" : "no"); exit
      }
    }' "$1"
}
check "the slogan is bold and centred" test "$(centred "$tmp/s.dump" '“ĐOÀN KẾT - DÂN CHỦ')" = ok
check "the theme's first line is bold and centred" test "$(centred "$tmp/s.dump" '“TIẾP TỤC PHÁT HUY')" = ok

# The outline: the parts' entries keep a separator between label and title.
qpdf --json --json-key=outlines "$tmp/s.pdf" >"$tmp/o.json"
titles=$(grep -o '"title": "[^"]*"' "$tmp/o.json" | sed 's/"title": "//; s/"$//')
check "part one's outline entry is 'Phần thứ nhất: KẾT QUẢ …'" \
  bash -c "grep -q '^Phần thứ nhất: KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT' <<<'$titles'"
check "part two's outline entry is 'Phần thứ hai: PHƯƠNG HƯỚNG …'" \
  bash -c "grep -q '^Phần thứ hai: PHƯƠNG HƯỚNG, NHIỆM VỤ' <<<'$titles'"
check "no outline entry glues two lines ('nhấtKẾT', 'haiPHƯƠNG')" \
  bash -c "! grep -Eq 'nhấtKẾT|haiPHƯƠNG' <<<'$titles'"

# Without outline=, a <br/> in a heading is a space in its entry.
cat >"$tmp/br.xml" <<'XML'
<layout version="1" fonts="FONTS">
  <family name="serif" regular="LiberationSerif-Regular.ttf"/>
  <style name="h" family="serif" size="12pt"/>
  <page name="a4" size="A4"/>
  <body page="a4"><heading level="1" style="h">Phần thứ nhất<br/>KẾT QUẢ</heading></body>
</layout>
XML
sed -i "s|FONTS|$src/fonts|" "$tmp/br.xml"
"$anpham" render "$tmp/br.xml" -o "$tmp/br.pdf" 2>"$tmp/br.err"
check "a heading with <br/> renders (exit $?)" test ! -s "$tmp/br.err"
check "its outline entry is 'Phần thứ nhất KẾT QUẢ'" \
  bash -c "qpdf --json --json-key=outlines '$tmp/br.pdf' | grep -q '\"title\": \"Phần thứ nhất KẾT QUẢ\"'"

finish
