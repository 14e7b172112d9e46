#!/usr/bin/env python3
"""Generate the mail merge's records: gen.py N OUT_DIR writes
OUT_DIR/letters.xml (for anpham) and OUT_DIR/letters.json (for Typst), the
same N letters in both. Every record is ILLUSTRATIVE: names are drawn from
common Vietnamese family, middle and given names, streets are numbered, the
units are the eight district-level units of Hau Giang named in the seeds.
Nothing here is a real person or a real figure; the data and every page
say so. Deterministic: record i is the same on every run."""
import json
import sys
from xml.sax.saxutils import escape

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Quốc", "Thị Kim", "Hoàng", "Đức"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khánh", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn", "Vân", "Yến"]
UNITS = ["thành phố Vị Thanh", "thành phố Ngã Bảy", "thị xã Long Mỹ", "huyện Long Mỹ", "huyện Châu Thành",
         "huyện Châu Thành A", "huyện Phụng Hiệp", "huyện Vị Thủy"]
NOTE = "Dữ liệu minh họa, không phải người thật: dùng để đo tốc độ (bench/mailmerge)."


def record(i):
    middle = MIDDLE[(i // 3) % len(MIDDLE)]
    title = "bà" if middle.startswith("Thị") else "ông"
    name = f"{FAMILY[i % len(FAMILY)]} {middle} {GIVEN[(i * 5) % len(GIVEN)]}"
    return {
        "no": f"{i + 1:04d}",
        "title": title,
        "name": name,
        "street": f"Số {(i * 37) % 300 + 1}, đường số {(i * 11) % 40 + 1}",
        "ward": f"khu vực {(i * 13) % 9 + 1}",
        "unit": UNITS[i % len(UNITS)],
    }


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    letters = [record(i) for i in range(n)]
    with open(f"{out}/letters.json", "w", encoding="utf-8") as f:
        json.dump({"note": NOTE, "letters": letters}, f, ensure_ascii=False)
    with open(f"{out}/letters.xml", "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        f.write(f'<!-- {NOTE} -->\n<letters note="{escape(NOTE)}">\n')
        for r in letters:
            f.write("  <letter>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in r.items()) + "</letter>\n")
        f.write("</letters>\n")


if __name__ == "__main__":
    main()
