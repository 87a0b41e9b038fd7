#!/usr/bin/env python3
"""Draw Gazette's site mark and write the icon files of the default theme.

The mark: a rounded square in the theme's accent red (--accent #b0151f in
themes/default/assets/site.css, the colour of the masthead rule and the
channel bar) with a white, square-cut geometric "G" made of five rectangles.

KEEP IN SYNC: themes/default/assets/favicon.svg draws the same geometry by
hand (a <rect rx> for the tile and one <path> whose subpaths are the five
rectangles below, in the same 0 0 64 64 viewBox). If you change TILE, RADIUS,
G_RECTS or the colours here, change the SVG to match, and the other way
round; `--check-svg` compares the two.

Every edge of the "G" lies on a multiple of 8 units, so it falls on whole
pixels at 16, 32, 48, 192 and 512 px; only the tile's rounded corners need
anti-aliasing, which is done by supersampling the pixels that straddle an
edge.

Writes (standard library only: struct, zlib):
  themes/default/assets/favicon.ico   16, 32 and 48 px, 32-bit BMP entries
  themes/default/assets/icon-192.png  for the web app manifest
  themes/default/assets/icon-512.png  for the web app manifest

Usage: scripts/make-favicon.py [--check-svg] [--preview DIR]
"""

import os
import re
import struct
import sys
import zlib

# ---- Geometry, in the SVG's 0 0 64 64 user units ---------------------------
VIEW = 64
TILE = (0, 0, 64, 64)  # x0, y0, x1, y1 of the rounded square
RADIUS = 12  # its corner radius (SVG rx)
G_RECTS = [  # x0, y0, x1, y1; the union is the "G"
    (12, 12, 52, 20),  # top bar
    (12, 12, 20, 52),  # left bar
    (12, 44, 52, 52),  # bottom bar
    (44, 28, 52, 52),  # right leg, from the crossbar down
    (32, 28, 52, 36),  # crossbar
]
ACCENT = (0xB0, 0x15, 0x1F)  # --accent, light scheme
MARK = (0xFF, 0xFF, 0xFF)  # white, as the channel bar's links

SUPERSAMPLE = 16  # samples per axis for pixels on an edge

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ASSETS = os.path.join(ROOT, "themes", "default", "assets")


# ---- Rasteriser --------------------------------------------------------------
def in_tile(x, y):
    x0, y0, x1, y1 = TILE
    if not (x0 <= x < x1 and y0 <= y < y1):
        return False
    r = RADIUS
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_mark(x, y):
    return any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in G_RECTS)


def sample(x, y):
    """RGB (0..255) and alpha (0 or 1) at one point."""
    if not in_tile(x, y):
        return (0.0, 0.0, 0.0, 0.0)
    return (*(MARK if in_mark(x, y) else ACCENT), 1.0)


def box_is_uniform(ux0, uy0, ux1, uy1):
    """True when a pixel's box (in user units) lies on no edge of any shape."""
    edges_x = {TILE[0], TILE[2]}
    edges_y = {TILE[1], TILE[3]}
    for x0, y0, x1, y1 in G_RECTS:
        edges_x.update((x0, x1))
        edges_y.update((y0, y1))
    if any(ux0 < e < ux1 for e in edges_x) or any(uy0 < e < uy1 for e in edges_y):
        return False
    # Near a rounded corner: uniform when the box lies wholly inside the
    # corner's circle, or wholly outside it within the corner's square.
    r = RADIUS
    x0, y0, x1, y1 = TILE
    for cx, cy in ((x0 + r, y0 + r), (x1 - r, y0 + r), (x0 + r, y1 - r), (x1 - r, y1 - r)):
        in_corner_x = ux1 > cx if cx > VIEW / 2 else ux0 < cx
        in_corner_y = uy1 > cy if cy > VIEW / 2 else uy0 < cy
        if not (in_corner_x and in_corner_y):
            continue
        far = max((x - cx) ** 2 + (y - cy) ** 2 for x in (ux0, ux1) for y in (uy0, uy1))
        if far <= r * r:
            return True
        inside_square = (ux0 >= cx if cx > VIEW / 2 else ux1 <= cx) and (
            uy0 >= cy if cy > VIEW / 2 else uy1 <= cy
        )
        near = (max(ux0 - cx, 0, cx - ux1) ** 2) + (max(uy0 - cy, 0, cy - uy1) ** 2)
        return inside_square and near >= r * r
    return True


def render(size):
    """Rows of straight-alpha RGBA tuples (0..255), top row first."""
    scale = VIEW / size
    n = SUPERSAMPLE
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            ux0, uy0 = px * scale, py * scale
            ux1, uy1 = ux0 + scale, uy0 + scale
            if box_is_uniform(ux0, uy0, ux1, uy1):
                r, g, b, a = sample((ux0 + ux1) / 2, (uy0 + uy1) / 2)
            else:
                r = g = b = a = 0.0
                for sy in range(n):
                    for sx in range(n):
                        cr, cg, cb, ca = sample(
                            ux0 + (sx + 0.5) * scale / n, uy0 + (sy + 0.5) * scale / n
                        )
                        r += cr * ca
                        g += cg * ca
                        b += cb * ca
                        a += ca
                if a:
                    r, g, b = r / a, g / a, b / a
                a /= n * n
            row.append((round(r), round(g), round(b), round(a * 255)))
        rows.append(row)
    return rows


# ---- Encoders ------------------------------------------------------------------
def png_bytes(rows):
    h, w = len(rows), len(rows[0])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rows)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def bmp_entry(rows):
    """An ICO image entry: BITMAPINFOHEADER, BGRA bottom-up, then AND mask."""
    h, w = len(rows), len(rows[0])
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(
        bytes((b, g, r, a)) for row in reversed(rows) for r, g, b, a in row
    )
    stride = (w + 31) // 32 * 4
    mask = bytearray()
    for row in reversed(rows):
        bits = bytearray(stride)
        for x, (_, _, _, a) in enumerate(row):
            if a == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask += bits
    return header + pixels + bytes(mask)


def ico_bytes(images):
    """images: list of (size, entry bytes)."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    data = b""
    for size, entry in images:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(entry), offset)
        offset += len(entry)
        data += entry
    return out + data


# ---- SVG cross-check -----------------------------------------------------------
def check_svg(path):
    """Compare favicon.svg's tile, radius, rectangles and colours with ours."""
    text = open(path, encoding="utf-8").read()
    problems = []
    for bad in ("<text", "<style", "<script", "<image", "href", "font"):
        if bad in text:
            problems.append("contains " + bad)
    if 'viewBox="0 0 %d %d"' % (VIEW, VIEW) not in text:
        problems.append("viewBox is not 0 0 %d %d" % (VIEW, VIEW))
    tile = re.search(r"<rect\b([^>]*)/>", text)
    attrs = dict(re.findall(r'(\w+)="([^"]*)"', tile.group(1))) if tile else {}
    want = {
        "x": TILE[0], "y": TILE[1], "width": TILE[2] - TILE[0],
        "height": TILE[3] - TILE[1], "rx": RADIUS,
    }
    for k, v in want.items():
        if float(attrs.get(k, 0)) != v:
            problems.append("tile %s is %s, want %s" % (k, attrs.get(k, 0), v))
    if attrs.get("fill", "").lower() != "#%02x%02x%02x" % ACCENT:
        problems.append("tile fill is %s" % attrs.get("fill"))
    mark = re.search(r'<path\b[^>]*\bfill="([^"]*)"[^>]*\bd="([^"]*)"', text)
    if not mark:
        problems.append("no <path fill=... d=...> for the mark")
    else:
        fill, d = mark.groups()
        if fill.lower() not in ("#fff", "#ffffff") or MARK != (255, 255, 255):
            problems.append("mark fill is %s" % fill)
        rects = []
        for m in re.finditer(r"M\s*(-?[\d.]+)[ ,]+(-?[\d.]+)\s*h\s*(-?[\d.]+)\s*v\s*(-?[\d.]+)\s*h\s*(-?[\d.]+)\s*z", d, re.I):
            x, y, w, hgt, back = map(float, m.groups())
            if back != -w:
                problems.append("subpath %r is not a rectangle" % m.group(0))
            rects.append((x, y, x + w, y + hgt))
        if sorted(rects) != sorted(tuple(map(float, r)) for r in G_RECTS):
            problems.append("mark rectangles %s != script %s" % (rects, G_RECTS))
    return problems


def main(argv):
    if "--check-svg" in argv:
        problems = check_svg(os.path.join(ASSETS, "favicon.svg"))
        for p in problems:
            print("favicon.svg:", p)
        print("favicon.svg matches the script" if not problems else "MISMATCH")
        return 1 if problems else 0

    ico = ico_bytes([(s, bmp_entry(render(s))) for s in (16, 32, 48)])
    outputs = {"favicon.ico": ico}
    for s in (192, 512):
        outputs["icon-%d.png" % s] = png_bytes(render(s))
    for name, data in outputs.items():
        with open(os.path.join(ASSETS, name), "wb") as f:
            f.write(data)
        print("wrote %s (%d bytes)" % (os.path.relpath(os.path.join(ASSETS, name), ROOT), len(data)))

    if "--preview" in argv:
        # Small sizes magnified with hard pixels, to look at them.
        out = argv[argv.index("--preview") + 1]
        os.makedirs(out, exist_ok=True)
        for s in (16, 32, 48):
            rows = render(s)
            k = 256 // s
            big = [[px for px in row for _ in range(k)] for row in rows for _ in range(k)]
            with open(os.path.join(out, "preview-%d.png" % s), "wb") as f:
                f.write(png_bytes(big))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
