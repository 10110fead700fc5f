#!/usr/bin/env python3
"""Checks the demo's report as headless Chromium rendered it.

Usage: check-report.py DIR, where DIR holds report.html, the DOM Chromium dumped
(dom.html), its logs (*.log) and the screenshot (report.png). Fails when a chart is
missing or empty, the page loads anything or runs a script, the browser logged a
console message, or the screenshot does not show the charts' colours.
"""
import html.parser
import pathlib
import struct
import sys
import zlib

CHARTS = ["top-gmv", "funnel", "tiers", "badges", "segments", "risk", "retention"]
# Bar and line colours of the charts (RGB), as the template sets them.
COLOURS = [(0x3B, 0x6F, 0xD8), (0x1F, 0x9D, 0x8A), (0x8A, 0x5C, 0xD6), (0xD6, 0x8A, 0x1F)]


class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = None
        self.shapes = {}
        self.problems = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.problems.append("the page has a <script>")
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.problems.append(f"<{tag} {key}={a[key]!r}> loads a resource")
        if tag == "svg":
            self.svg = a.get("id")
            self.shapes.setdefault(self.svg, 0)
        elif self.svg is not None:
            drawn = (
                (tag == "rect" and float(a.get("width", "0")) > 0)
                or (tag == "polyline" and len(a.get("points", "").split()) >= 2)
                or (tag == "circle" and float(a.get("r", "0")) > 0)
            )
            self.shapes[self.svg] += int(drawn)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None


def png_pixels(path):
    """(width, height, set of RGB colours) of an 8-bit RGB or RGBA PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type = ihdr[:4]
    if depth != 8 or colour_type not in (2, 6):
        raise SystemExit(f"{path}: unexpected PNG format {depth}/{colour_type}")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        row = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        f, line = row[0], bytearray(row[1:])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            ul = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + left) & 255
            elif f == 2:
                line[i] = (line[i] + up) & 255
            elif f == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif f == 4:
                p = left + up - ul
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else ul)
                line[i] = (line[i] + pred) & 255
        for x in range(0, stride, bpp):
            colours.add(tuple(line[x : x + 3]))
        prev = line
    return width, height, colours


def main(out):
    problems = []
    dom = Dom()
    dom.feed((out / "dom.html").read_text(encoding="utf-8"))
    problems += dom.problems
    for chart in CHARTS:
        n = dom.shapes.get(chart)
        if n is None:
            problems.append(f"chart {chart}: missing")
        elif n == 0:
            problems.append(f"chart {chart}: nothing drawn")
    for log in sorted(out.glob("*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if "CONSOLE" in line or "Uncaught" in line or "net::ERR" in line:
                problems.append(f"{log.name}: {line.strip()}")
    width, height, colours = png_pixels(out / "report.png")
    missing = [c for c in COLOURS if c not in colours]
    if missing:
        problems.append(f"screenshot: chart colours not painted: {missing}")
    if len(colours) < 20:
        problems.append(f"screenshot: only {len(colours)} colours, the page looks blank")
    if problems:
        print("\n".join(problems))
        return 1
    counts = ", ".join(f"{c} {dom.shapes[c]}" for c in CHARTS)
    print(f"report ok: {width}x{height} screenshot, {len(colours)} colours; shapes drawn: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
