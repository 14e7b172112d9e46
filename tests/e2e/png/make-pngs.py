#!/usr/bin/env python3
"""Test images for png.sh, written with zlib alone (no imaging library):
each picture twice, once as a PNG the PDF can take as it is (8 bits or
fewer, opaque, not interlaced) and once as its 16-bit RGB twin, which
anpham decodes and compresses again. Rows use all five PNG filters, so the
PDF reader's predictor work is tested. Usage: make-pngs.py OUT_DIR"""
import os, struct, sys, zlib

def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c

def filtered(rows, bpp):
    out, prev = b'', bytes(len(rows[0]))
    for y, row in enumerate(rows):
        f = y % 5
        line = bytearray()
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            line.append((v - (0, a, b, (a + b) // 2, paeth(a, b, c))[f]) & 0xff)
        out += bytes([f]) + bytes(line)
        prev = row
    return out

def png(path, width, height, depth, ctype, rows, bpp, plte=None):
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, depth, ctype, 0, 0, 0))
    if plte:
        data += chunk(b'PLTE', plte)
    z = zlib.compress(filtered(rows, bpp), 9)
    data += chunk(b'IDAT', z[:len(z) // 2]) + chunk(b'IDAT', z[len(z) // 2:]) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)

def rgb16(path, width, height, pixels):
    rows = [b''.join(struct.pack('>HHH', *(257 * c for c in pixels[y * width + x])) for x in range(width))
            for y in range(height)]
    png(path, width, height, 16, 2, rows, 6)

out = sys.argv[1]
w, h = 37, 19
# RGB, 8 bits...
px = [((x * 7) % 256, (y * 13) % 256, ((x + y) * 5) % 256) for y in range(h) for x in range(w)]
png(os.path.join(out, 'rgb8.png'), w, h, 8, 2, [bytes(sum(px[y * w:(y + 1) * w], ())) for y in range(h)], 3)
rgb16(os.path.join(out, 'rgb8-twin.png'), w, h, px)
# gray, 8 bits...
g = [(x * 11 + y * 17) % 256 for y in range(h) for x in range(w)]
png(os.path.join(out, 'gray8.png'), w, h, 8, 0, [bytes(g[y * w:(y + 1) * w]) for y in range(h)], 1)
rgb16(os.path.join(out, 'gray8-twin.png'), w, h, [(v, v, v) for v in g])
# palette of 16 colours, 4 bits an index (two pixels a byte)...
pal = [((i * 40) % 256, (i * 90) % 256, (255 - i * 16) % 256) for i in range(16)]
idx = [(x // 3 + y) % 16 for y in range(h) for x in range(w)]
rows = []
for y in range(h):
    r = idx[y * w:(y + 1) * w] + [0]
    rows.append(bytes((r[i] << 4) | r[i + 1] for i in range(0, w, 2)))
png(os.path.join(out, 'pal4.png'), w, h, 4, 3, rows, 1, b''.join(bytes(c) for c in pal))
rgb16(os.path.join(out, 'pal4-twin.png'), w, h, [pal[i] for i in idx])
