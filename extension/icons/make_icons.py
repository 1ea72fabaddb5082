#!/usr/bin/env python3
"""Draws the extension icons (a white ticket with a tick on a blue rounded square) as PNGs.

Pure standard library on purpose (no Pillow on a fresh Debian): the shapes are evaluated per pixel with 4x4
supersampling and written with zlib. Run from this folder; the PNGs are committed, so this only runs by hand.
"""
import struct
import zlib

BLUE = (0x3B, 0x99, 0xFC)
WHITE = (0xFF, 0xFF, 0xFF)


def inside_rounded(x, y, x0, y0, x1, y1, r):
    """True when (x, y) lies in the rectangle [x0,x1]x[y0,y1] with corner radius r."""
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(x, y, ax, ay, bx, by, w):
    """True when (x, y) is within w/2 of the segment a-b (a stroke of width w)."""
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (w / 2) ** 2


def color_at(u, v):
    """Colour (rgba) of the unit-square point (u, v), or None for transparent."""
    if not inside_rounded(u, v, 0.0, 0.0, 1.0, 1.0, 0.2):
        return None
    tick = near_segment(u, v, 0.33, 0.52, 0.45, 0.64, 0.09) or near_segment(u, v, 0.45, 0.64, 0.68, 0.38, 0.09)
    ticket = inside_rounded(u, v, 0.14, 0.25, 0.86, 0.75, 0.06)
    # the two half-circle notches of a paper ticket
    notch = (u - 0.14) ** 2 + (v - 0.5) ** 2 < 0.07**2 or (u - 0.86) ** 2 + (v - 0.5) ** 2 < 0.07**2
    if ticket and not notch and not tick:
        return WHITE
    return BLUE


def render(size):
    rows = []
    samples = 4
    for y in range(size):
        row = bytearray([0])  # filter type 0 for this scanline
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(samples):
                for sx in range(samples):
                    c = color_at((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 255
            n = samples * samples
            alpha = acc[3] // n
            cover = max(acc[3] // 255, 1)
            row += bytes([acc[0] // cover, acc[1] // cover, acc[2] // cover, alpha])
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, pixels):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    for s in (16, 32, 48, 128):
        with open(f"{s}.png", "wb") as f:
            f.write(png(s, render(s)))
