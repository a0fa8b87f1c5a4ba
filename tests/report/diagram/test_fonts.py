"""Text widths, checked against the truth: text rendered by the same renderer as the PNG."""

from __future__ import annotations

import struct
import zlib
from xml.sax.saxutils import escape

from staffpath.report.diagram.boxes import LABEL_SIZE, NAME_SIZE, TAG_SIZE, TEXT_SIZE
from staffpath.report.diagram.fonts import FONT_FAMILY, text_width
from staffpath.report.diagram.labels import SPOF_TAG, edge_text, node_text
from staffpath.report.diagram.png import svg_to_png
from tests.report.diagram.cases import EXAMPLES, example

ROW = 24
LEFT = 4


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows (RGBA or RGB, 8 bits) of a non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, channels = 8, b"", 0, 0, 4
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour in (2, 6)
            channels = 4 if colour == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if method == 1:
                line[i] = (line[i] + left) & 255
            elif method == 2:
                line[i] = (line[i] + up) & 255
            elif method == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif method == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def ink_widths(lines: list[tuple[str, float, bool]]) -> list[float]:
    """How far right each line's ink reaches, rendered black on white."""
    width = LEFT + int(max(text_width(t, s, bold=b) for t, s, b in lines)) + 40
    body = "".join(
        f'<text x="{LEFT}" y="{ROW * (i + 1) - 6}" font-size="{s}"'
        f"{' font-weight=' + chr(34) + 'bold' + chr(34) if b else ''}>{escape(t)}</text>"
        for i, (t, s, b) in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{ROW * len(lines)}" '
        f'font-family="{FONT_FAMILY}"><rect width="100%" height="100%" fill="#fff"/>'
        f"{body}</svg>"
    )
    w, _, rows = decode_png(svg_to_png(svg, scale=1))
    channels = len(rows[0]) // w
    out = []
    for i in range(len(lines)):
        right = 0
        for row in rows[ROW * i : ROW * (i + 1)]:
            for x in range(w - 1, right, -1):
                if row[x * channels] < 160:
                    right = x + 1
                    break
        out.append(right - LEFT)
    return out


def every_line() -> list[tuple[str, float, bool]]:
    lines: list[tuple[str, float, bool]] = []
    for name in EXAMPLES:
        diagram = example(name).diagram
        for node in diagram.nodes:
            text = node_text(node)
            lines.append((text.name, NAME_SIZE, True))
            lines += [(t, TEXT_SIZE, False) for t in (text.kind, text.capacity, text.load) if t]
        lines += [(edge_text(e), LABEL_SIZE, False) for e in diagram.edges]
    lines += [("bottleneck", TAG_SIZE, True), (SPOF_TAG, TAG_SIZE, True)]
    lines += [
        ("WWWWWWWWWW mmmmmmmmmm", 13.0, True),
        ("The quick brown fox, 0123456789", 11.0, False),
    ]
    return list(dict.fromkeys(lines))


def test_estimates_cover_the_rendered_text_without_waste() -> None:
    lines = every_line()
    for (text, size, bold), ink in zip(lines, ink_widths(lines), strict=True):
        estimate = text_width(text, size, bold=bold)
        assert ink <= estimate, f"{text!r} at {size}px renders {ink}px > {estimate}px"
        assert estimate <= 1.35 * ink + 4, f"{text!r}: {estimate}px for {ink}px of ink"


def test_widths_add_and_scale() -> None:
    assert text_width("", 11) == 0
    assert text_width("ab", 10) >= text_width("a", 10)
    assert text_width("api", 22) >= 2 * text_width("api", 11) - 0.2
    assert text_width("api", 13, bold=True) > text_width("api", 13)


def test_unknown_characters_count_as_a_full_em() -> None:
    assert text_width("字", 10) == 10.3
