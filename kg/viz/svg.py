"""SVG markup shared by every picture: escaping, node shapes, styles, the print frame.

Every text and attribute value goes through :func:`esc`; the markup is built here, never from
data. :func:`frame` wraps a picture into a standalone SVG for print: title, the picture, the
legend and the sources line.

>>> esc('<b a="1">&</b>')
'&lt;b a=&quot;1&quot;&gt;&amp;&lt;/b&gt;'
>>> shape("square", 10, 10, 2)
'M8.2,8.2H11.8V11.8H8.2Z'
"""

from __future__ import annotations

import html
import math
import textwrap

FONT = (
    "system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', NanumGothic, 'Malgun Gothic', "
    "'Apple SD Gothic Neo', 'DejaVu Sans', sans-serif"
)
# colour and shape per legend entry: the node's group, with investors set apart
STYLES = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#59a14f", "square"),
    "Investor": ("#edc948", "square"),
    "Place": ("#76b7b2", "triangle"),
    "Event": ("#f28e2b", "star"),
    "Agreement": ("#b07aa1", "triangleDown"),
    "Commitment": ("#e15759", "diamond"),
    "Project": ("#9c755f", "hexagon"),
    "Statistic": ("#ff9da7", "dot"),
    "Other": ("#bab0ac", "dot"),
}
GLYPHS = {
    "dot": "●",
    "square": "■",
    "triangle": "▲",
    "star": "★",
    "triangleDown": "▼",
    "diamond": "◆",
    "hexagon": "⬢",
}
# soft tints for community areas, cycled
COMMUNITY_TINTS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#9c755f")
HATCH = "kg-hatch"  # id of the pattern that marks undisclosed amounts
PRINT_WIDTH_EXTRA = 280  # legend column of the print frame


def esc(text) -> str:
    """Text safe in SVG/HTML element content and in double-quoted attributes."""
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros (stable bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def style_key(data: dict) -> str:
    """The legend entry of a node: ``Investor`` for investors, else its group."""
    if "Investor" in data.get("types", "").split():
        return "Investor"
    group = data.get("group")
    return group if isinstance(group, str) and group in STYLES else "Other"


def _polygon(x: float, y: float, r: float, corners: int, turn: float, inner: float = 0) -> str:
    points = []
    steps = corners * (2 if inner else 1)
    for i in range(steps):
        radius = inner * r if inner and i % 2 else r
        angle = turn + 2 * math.pi * i / steps
        points.append(f"{num(x + radius * math.cos(angle))},{num(y + radius * math.sin(angle))}")
    return "M" + "L".join(points) + "Z"


def shape(kind: str, x: float, y: float, r: float) -> str:
    """The path of a node glyph of radius ``r`` centred on (x, y)."""
    if kind == "square":
        s = r * 0.9
        return f"M{num(x - s)},{num(y - s)}H{num(x + s)}V{num(y + s)}H{num(x - s)}Z"
    if kind == "triangle":
        return _polygon(x, y, r * 1.15, 3, -math.pi / 2)
    if kind == "triangleDown":
        return _polygon(x, y, r * 1.15, 3, math.pi / 2)
    if kind == "diamond":
        return _polygon(x, y, r * 1.1, 4, -math.pi / 2)
    if kind == "hexagon":
        return _polygon(x, y, r, 6, 0)
    if kind == "star":
        return _polygon(x, y, r * 1.2, 5, -math.pi / 2, inner=0.5)
    return (
        f"M{num(x - r)},{num(y)}a{num(r)},{num(r)} 0 1,0 {num(2 * r)},0"
        f"a{num(r)},{num(r)} 0 1,0 {num(-2 * r)},0Z"
    )


def defs() -> str:
    """Arrow marker and the hatch pattern for undisclosed amounts."""
    return (
        '<defs><marker id="kg-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10Z" fill="#8c959f"/>'
        f'</marker><pattern id="{HATCH}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f6f8fa"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c959f" stroke-width="2.5"/></pattern></defs>'
    )


def text_lines(
    lines, x: float, y: float, size: float, anchor: str = "start", extra: str = ""
) -> str:
    """A <text> of several lines, the first baseline at ``y``."""
    spans = "".join(
        f'<tspan x="{num(x)}" dy="{num(0 if i == 0 else size * 1.25)}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}"{extra}>'
        f"{spans}</text>"
    )


def print_style(kind: str) -> str:
    """The stylesheet of a standalone picture: label halos, links, node outlines."""
    links = ".e{fill:none}" if kind == "graph" else ".e{stroke:none}"
    return (
        "<style>text{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;"
        "fill:#1f2328}.e{stroke:#8c959f;stroke-opacity:.7}"
        + links
        + ".n{stroke:#3b3b3b;stroke-width:.8}</style>"
    )


def frame(
    kind: str,
    title: str,
    caption: str,
    box: tuple[float, float, float, float],
    legend: list[tuple[str, str, str]],
    sources: str,
) -> tuple[str, str]:
    """A standalone SVG for print around a picture drawn in the view box ``box``, split into
    the part before the picture and the part after, so a page can put its own picture between.

    The legend (glyph, colour, text) stands at the right; the title on top; the sources line,
    wrapped, at the bottom.
    """
    x0, y0, w, h = box
    scale = min(1.0, 1000 / max(w, 1))
    pic_w, pic_h = w * scale, h * scale
    width = pic_w + PRINT_WIDTH_EXTRA + 30
    source_lines = textwrap.wrap(sources, int((width - 30) / 6.2)) if sources else []
    legend_h = 24 + sum(18 + 13.75 * (len(textwrap.wrap(t, 40)) - 1) for *_, t in legend)
    height = 64 + max(pic_h, legend_h) + 16 + 15 * len(source_lines) + 12
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
        f'viewBox="0 0 {num(width)} {num(height)}" font-family="{esc(FONT)}">',
        print_style(kind),
        f'<rect width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
        text_lines([title], 15, 28, 18, extra=' font-weight="bold" fill="#1f2328"'),
        text_lines([caption], 15, 48, 12, extra=' fill="#57606a"'),
        f'<svg x="15" y="60" width="{num(pic_w)}" height="{num(pic_h)}" '
        f'viewBox="{num(x0)} {num(y0)} {num(w)} {num(h)}">',
    ]
    tail = ["</svg>"]
    lx = 15 + pic_w + 20
    tail.append(text_lines(["Legend"], lx, 76, 12, extra=' font-weight="bold" fill="#57606a"'))
    y = 96.0
    for glyph, colour, text in legend:
        if glyph:
            tail.append(
                text_lines([glyph], lx + 6, y, 13, "middle", f' style="fill:{esc(colour)}"')
            )
        lines = textwrap.wrap(text, 40) or [""]
        tail.append(text_lines(lines, lx + 18, y, 11, extra=' fill="#1f2328"'))
        y += 18 + 13.75 * (len(lines) - 1)
    sy = 64 + max(pic_h, legend_h) + 18
    if source_lines:
        tail.append(text_lines(source_lines, 15, sy, 11, extra=' fill="#57606a"'))
    tail.append("</svg>")
    return "\n".join(head) + "\n", "\n" + "\n".join(tail) + "\n"
