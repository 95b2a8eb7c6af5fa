"""Labels that never cover each other: widths estimated from font metrics, placed greedily.

Labels are placed in order of importance at a series of zoom levels. A label keeps its size on
screen while the picture zooms, so in canvas units its box shrinks as ``1 / zoom`` towards the
node it belongs to; a label placed without overlap at one zoom therefore stays clear of the
others at every larger zoom. Each label gets the smallest level at which it fits (shown from
that zoom on) or none (its name is then only in the tooltip and the details panel).

>>> round(text_width("Larry Fink", 12), 1)
59.6
>>> same_spot = [Label(name, 0, 0, 5, (name,)) for name in "ABCDE"]
>>> [(p.side, p.level) for p in place(same_spot, ())][3:]
[('left', 2), ('below-right', 4)]
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

LEVELS = (1, 2, 4, 8, 16, 32)  # zooms (relative to the fitted picture) at which labels appear
FONT_SIZE = 12.0  # canvas units at zoom 1
LINE = 1.25  # line height, in ems
GAP = 3.0  # screen pixels between a node's disc and its label, and around each label
# advance widths (per 1000 em) of DejaVu Sans, the widest of the usual sans-serif fallbacks,
# so that an estimate is at least the width the browser draws
_WIDTHS = {
    **dict.fromkeys(" ", 318),
    **dict(
        zip(
            "abcdefghijklmnopqrstuvwxyz",
            (
                613,
                635,
                550,
                635,
                615,
                352,
                635,
                634,
                278,
                278,
                579,
                278,
                974,
                634,
                612,
                635,
                635,
                411,
                521,
                392,
                634,
                592,
                818,
                592,
                592,
                525,
            ),
            strict=True,
        )
    ),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                684,
                686,
                698,
                770,
                632,
                575,
                775,
                752,
                295,
                295,
                656,
                557,
                863,
                748,
                787,
                603,
                787,
                695,
                635,
                611,
                732,
                684,
                989,
                685,
                611,
                685,
            ),
            strict=True,
        )
    ),
    **dict.fromkeys("0123456789", 636),
    **dict(
        zip(
            ".,:;'\"!|-()[]/&?%$",
            (
                318,
                318,
                337,
                337,
                275,
                460,
                400,
                337,
                361,
                390,
                390,
                390,
                390,
                337,
                780,
                531,
                950,
                636,
            ),
            strict=True,
        )
    ),
}
_DEFAULT_WIDTH = 700  # other Latin letters and signs
_WIDE_WIDTH = 1000  # Hangul, CJK and other full-width characters


def char_width(char: str) -> int:
    """A character's advance in thousandths of an em (a generous estimate)."""
    if char in _WIDTHS:
        return _WIDTHS[char]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE_WIDTH
    return _DEFAULT_WIDTH


def text_width(text: str, size: float) -> float:
    """How wide ``text`` is drawn at font ``size``, estimated from DejaVu Sans's advances."""
    return sum(char_width(c) for c in text) * size / 1000


@dataclass(frozen=True)
class Label:
    """A node's label to place: the node's centre and disc radius, and its lines of text."""

    id: str
    x: float
    y: float
    r: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Placed:
    """Where a label goes: its side of the node, the anchor point on the node's disc (canvas
    units), the box relative to the anchor at zoom 1 (screen pixels) and the zoom level from
    which it shows (``None``: never on the picture)."""

    id: str
    side: str
    ax: float
    ay: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 around the anchor
    level: int | None


def _boxes(label: Label, size: float) -> list[tuple[str, float, float, tuple]]:
    """Candidate places, best first: below, right, left, above (anchor and relative box)."""
    w = max(text_width(line, size) for line in label.lines) + 2 * GAP
    h = len(label.lines) * size * LINE + GAP
    x, y, r = label.x, label.y, label.r
    return [
        ("below", x, y + r, (-w / 2, 0.0, w / 2, h + GAP)),
        ("right", x + r, y, (0.0, -h / 2, w + GAP, h / 2)),
        ("left", x - r, y, (-w - GAP, -h / 2, 0.0, h / 2)),
        ("above", x, y - r, (-w / 2, -h - GAP, w / 2, 0.0)),
        ("below-right", x + r * 0.7, y + r * 0.7, (0.0, 0.0, w + GAP, h + GAP)),
        ("above-right", x + r * 0.7, y - r * 0.7, (0.0, -h - GAP, w + GAP, 0.0)),
        ("below-left", x - r * 0.7, y + r * 0.7, (-w - GAP, 0.0, 0.0, h + GAP)),
        ("above-left", x - r * 0.7, y - r * 0.7, (-w - GAP, -h - GAP, 0.0, 0.0)),
    ]


class _Grid:
    """Boxes in a uniform grid of cells, to find the ones a new box might touch."""

    def __init__(self, cell: float):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple]] = defaultdict(list)

    def _keys(self, box):
        c = self.cell
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                yield i, j

    def add(self, box) -> None:
        for key in self._keys(box):
            self.cells[key].append(box)

    def hits(self, box, ignore=None) -> bool:
        """Whether ``box`` overlaps a box of the grid other than ``ignore``."""
        c, cells = self.cell, self.cells
        x0, y0, x1, y1 = box
        for i in range(int(x0 // c), int(x1 // c) + 1):
            for j in range(int(y0 // c), int(y1 // c) + 1):
                for other in cells.get((i, j), ()):
                    overlap = x0 < other[2] and other[0] < x1 and y0 < other[3] and other[1] < y1
                    if overlap and other != ignore:
                        return True
        return False


def _at(anchor_x: float, anchor_y: float, rel: tuple, zoom: float) -> tuple:
    return (
        anchor_x + rel[0] / zoom,
        anchor_y + rel[1] / zoom,
        anchor_x + rel[2] / zoom,
        anchor_y + rel[3] / zoom,
    )


def place(
    labels: list[Label],
    discs: tuple[tuple[float, float, float], ...] | list,
    size: float = FONT_SIZE,
    levels: tuple[int, ...] = LEVELS,
    cover: int = 0,
) -> list[Placed]:
    """Place ``labels`` (most important first) clear of each other and of ``discs`` (x, y, r)
    at the first zoom of ``levels`` where they fit; one :class:`Placed` per label, same order.
    The first ``cover`` labels need only stay clear of other labels: they may lie over discs."""
    candidates = [_boxes(label, size) for label in labels]
    chosen: dict[int, tuple] = {}
    level_of: dict[int, int] = {}
    # discs keep their size at every zoom: one grid, cells about a disc wide
    nodes = _Grid(max([2 * r for *_, r in discs] + [4 * size / levels[-1] + 1]))
    for x, y, r in discs:
        nodes.add((x - r, y - r, x + r, y + r))
    for zoom in levels:
        grid = _Grid(4 * size / zoom + 1)
        for _, ax, ay, rel in chosen.values():
            grid.add(_at(ax, ay, rel, zoom))
        for index, options in enumerate(candidates):
            if index in chosen:
                continue
            for side, ax, ay, rel in options:
                box = _at(ax, ay, rel, zoom)
                own = labels[index]
                # a label may touch its own node's disc: leave it out of the check
                disc = (own.x - own.r, own.y - own.r, own.x + own.r, own.y + own.r)
                if grid.hits(box) or (index >= cover and nodes.hits(box, ignore=disc)):
                    continue
                chosen[index] = (side, ax, ay, rel)
                level_of[index] = zoom
                grid.add(box)
                break
    out = []
    for index, label in enumerate(labels):
        side, ax, ay, rel = chosen.get(index, candidates[index][0])
        out.append(Placed(label.id, side, ax, ay, rel, level_of.get(index)))
    return out
