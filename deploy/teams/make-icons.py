#!/usr/bin/env python3
"""Writes the Teams app icons (color.png 192x192, outline.png 32x32) with the standard library only.

The picture is a key: a ring and a shaft with two teeth. Teams requires the outline icon to be
white on a transparent background; the color icon is the same key in white on the accent colour.
Run from this folder: python3 make-icons.py
"""
import struct
import zlib

ACCENT = (0x24, 0x29, 0x2E, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)


def key_pixel(x, y, size):
    """True when (x, y) is on the key, drawn in a unit square scaled to size."""
    u, v = (x + 0.5) / size, (y + 0.5) / size
    cx, cy = 0.32, 0.5
    d2 = (u - cx) ** 2 + (v - cy) ** 2
    ring = 0.13 ** 2 <= d2 <= 0.22 ** 2
    shaft = 0.50 <= u <= 0.86 and 0.45 <= v <= 0.55
    tooth1 = 0.70 <= u <= 0.76 and 0.55 <= v <= 0.66
    tooth2 = 0.80 <= u <= 0.86 and 0.55 <= v <= 0.70
    return ring or shaft or tooth1 or tooth2


def write_png(path, size, fg, bg):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(fg if key_pixel(x, y, size) else bg)
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    write_png("color.png", 192, WHITE, ACCENT)
    write_png("outline.png", 32, WHITE, CLEAR)
