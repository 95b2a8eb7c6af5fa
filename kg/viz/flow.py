"""Money as a flow: investors -> commitments -> projects and places, band widths in US dollars.

Each dollar is counted once. A commitment that is part of a package (``kg:partOf``) is drawn as a
segment inside its package's bar, not as a second bar: its investors' bands run into that
segment and its own band runs on to its project. A part without investors of its own (a
breakdown by kind, such as the foreign direct investment share) is named in the package's label
instead. A part whose amount is undisclosed is hatched and drawn as an equal share of what the
disclosed parts leave of the package; an undisclosed commitment outside any package is a fixed,
hatched stub. Hovering shows the amount in its own currency, the US-dollar value with the rate
and its date, and the sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Commitment, EntityBrief
from kg.money import format_amount
from kg.viz.svg import HATCH, STYLES, esc, num, text_lines
from kg.viz.text import sources_text

COLUMNS = (175.0, 460.0, 745.0)  # left edges of the investor, commitment and destination bars
BAR = 14.0
HEIGHT = 620.0  # pixels for the dollars of the commitment column
STUB = 14.0  # height of an undisclosed commitment outside any package
GAP = 10.0
TOP = 20.0
WRAP = 36


@dataclass
class Segment:
    """A slice of a commitment bar: the commitment itself, or one part of a package."""

    id: str
    label: str
    usd: float | None  # disclosed dollars, None when undisclosed
    height: float
    investors: tuple[EntityBrief, ...]
    destination: EntityBrief | None
    tip: str
    sources: list[str]
    y: float = 0.0


@dataclass
class Bar:
    """One node of a column; ``kind`` is its legend entry."""

    id: str
    label: str
    kind: str
    tip: str
    sources: list[str] = field(default_factory=list)
    height: float = 0.0
    y: float = 0.0
    segments: list[Segment] = field(default_factory=list)


def usd_of(c: Commitment) -> float | None:
    """A commitment's dollars: its USD value, else the middle of its USD range, else None."""
    a = c.amount
    if a is None:
        return None
    if a.value_usd is not None:
        return float(a.value_usd)
    if a.low_usd is not None and a.high_usd is not None:
        return (float(a.low_usd) + float(a.high_usd)) / 2
    return None


def _rate_line(c: Commitment) -> str:
    a = c.amount
    if a is None or a.currency == "USD" or a.usd_rate is None:
        return ""
    return f"Rate: {a.usd_rate} USD per {a.currency}, ECB reference rate of {a.usd_rate_date}"


def tip_of(c: Commitment, extra: str = "") -> str:
    """A commitment's hover text: name, amount (own currency, USD with rate and rate date),
    status, investors, destination, sources."""
    lines = [c.label, "Amount: " + c.amount_text()]
    if rate := _rate_line(c):
        lines.append(rate)
    if extra:
        lines.append(extra)
    for e in c.estimates:
        lines.append("Estimate: " + e.amount.text() + (f" by {e.by.label}" if e.by else ""))
    if c.status:
        lines.append("Status: " + c.status)
    if c.investors:
        lines.append("Investors: " + ", ".join(i.label for i in c.investors))
    dest = [d.label for d in c.targets + c.recipients]
    if dest:
        lines.append("Goes to: " + ", ".join(dest))
    if c.part_of:
        lines.append("Part of: " + c.part_of.label)
    if c.sources:
        lines.append("Sources: " + sources_text(" ".join(map(str, c.sources))))
    return "\n".join(lines)


def _destination(c: Commitment, parent: Commitment | None = None) -> EntityBrief | None:
    for source in (c, parent) if parent else (c,):
        targets, places = source.targets, source.recipients
        if targets:
            where = f" ({places[0].label})" if places else ""
            return EntityBrief(targets[0].id, targets[0].label + where, "Project")
        if places:
            return EntityBrief(places[0].id, places[0].label, "Place")
    return None


def _articles(cites) -> list[str]:
    return sorted({c.source for c in cites})


def model(commitments) -> tuple[list[Bar], list[Bar], list[Bar], float]:
    """The three columns (investors, commitments, destinations) and the pixels per dollar."""
    parts: dict[str, list[Commitment]] = {}
    for c in commitments:
        if c.part_of:
            parts.setdefault(c.part_of.id, []).append(c)
    top = [c for c in commitments if not c.part_of]
    total = sum(usd_of(c) or 0 for c in top)
    stubs = sum(1 for c in top if usd_of(c) is None)
    scale = (HEIGHT - STUB * stubs - GAP * len(top)) / total if total else 0.0
    middle = []
    for c in sorted(top, key=lambda c: (-(usd_of(c) or -1), c.label)):
        middle.append(_bar(c, parts.get(c.id, []), scale))
    return *_ends(middle), scale


def _bar(c: Commitment, parts: list[Commitment], scale: float) -> Bar:
    usd = usd_of(c)
    amount = (
        format_amount(c.amount.value if c.amount else None, c.amount.currency if c.amount else "")
        or format_amount(usd, "USD")
        or "amount not disclosed"
    )
    label = c.label + ("" if amount in c.label else f"\n{amount}")
    bar = Bar(c.id, label, "Commitment", tip_of(c), _articles(c.sources))
    named = [p for p in parts if p.investors]
    breakdown = [p for p in parts if not p.investors]
    if breakdown:
        bar.label += "".join(
            f"\nof which {p.label[:1].lower() + p.label[1:]}: " + p.amount_text()
            for p in sorted(breakdown, key=lambda p: p.label)
        )
        bar.tip += "".join("\nOf which: " + tip_of(p).replace("\n", "; ") for p in breakdown)
    known = [p for p in named if usd_of(p) is not None]
    unknown = [p for p in named if usd_of(p) is None]
    segments = [
        Segment(
            p.id,
            p.label,
            usd_of(p),
            (usd_of(p) or 0) * scale,
            p.investors,
            _destination(p, c),
            tip_of(p),
            _articles(p.sources),
        )
        for p in sorted(known, key=lambda p: (-(usd_of(p) or 0), p.label))
    ]
    rest = (usd - sum(usd_of(p) or 0 for p in known)) if usd is not None else None
    if unknown:
        share = (rest * scale / len(unknown)) if rest and rest > 0 else STUB
        note = (
            f"Amount not disclosed; drawn as an equal share of the "
            f"{format_amount(rest, 'USD')} the disclosed parts leave of the package."
            if rest and rest > 0
            else "Amount not disclosed; drawn as a fixed stub, not to scale."
        )
        segments += [
            Segment(
                p.id,
                p.label,
                None,
                share,
                p.investors,
                _destination(p, c),
                tip_of(p, note),
                _articles(p.sources),
            )
            for p in sorted(unknown, key=lambda p: p.label)
        ]
    elif not named or (rest is not None and rest > 0):
        left = tuple(i for i in c.investors if not any(i in p.investors for p in named))
        dollars = rest if named else usd
        height = dollars * scale if dollars is not None else STUB
        stub = (
            "" if usd is not None else "Amount not disclosed; drawn as a fixed stub, not to scale."
        )
        segments.append(
            Segment(
                c.id if not named else c.id + "#rest",
                c.label if not named else "Rest of the package, not broken down",
                (rest if named else usd),
                height,
                left or c.investors,
                _destination(c),
                tip_of(c, stub),
                bar.sources,
            )
        )
    bar.segments = segments
    bar.height = sum(s.height for s in segments)
    return bar


def _ends(middle: list[Bar]) -> tuple[list[Bar], list[Bar], list[Bar]]:
    """Stack the commitment column, then order and size investors and destinations by where
    their bands meet it (barycentres), so that bands cross as little as possible."""
    y = TOP
    for bar in middle:
        bar.y = y
        for s in bar.segments:
            s.y = y
            y += s.height
        y += GAP
    investors: dict[str, Bar] = {}
    dests: dict[str, Bar] = {}
    weight: dict[str, list[float]] = {}
    for bar in middle:
        for s in bar.segments:
            for inv in s.investors:
                b = investors.setdefault(inv.id, Bar(inv.id, inv.label, "Investor", ""))
                b.height += s.height / len(s.investors)
                weight.setdefault("i" + inv.id, []).append(s.y + s.height / 2)
            if s.destination:
                d = s.destination
                b = dests.setdefault(d.id, Bar(d.id, d.label, str(d.kind), ""))
                b.height += s.height
                weight.setdefault("d" + d.id, []).append(s.y + s.height / 2)
    out = []
    for prefix, bars in (("i", investors), ("d", dests)):
        ordered = sorted(
            bars.values(),
            key=lambda b: (sum(weight[prefix + b.id]) / len(weight[prefix + b.id]), b.id),
        )
        span = sum(b.height for b in ordered) + GAP * 1.6 * (len(ordered) - 1)
        y = TOP + max(0.0, (middle_height(middle) - span) / 2)
        for b in ordered:
            b.y = y
            y += b.height + GAP * 1.6
        out.append(ordered)
    return out[0], middle, out[1]


def middle_height(middle: list[Bar]) -> float:
    return sum(b.height for b in middle) + GAP * (len(middle) - 1)


def _band(x0: float, a0: float, a1: float, x1: float, b0: float, b1: float) -> str:
    xm = (x0 + x1) / 2
    return (
        f"M{num(x0)},{num(a0)}C{num(xm)},{num(a0)} {num(xm)},{num(b0)} {num(x1)},{num(b0)}"
        f"L{num(x1)},{num(b1)}C{num(xm)},{num(b1)} {num(xm)},{num(a1)} {num(x0)},{num(a1)}Z"
    )


def _wrap(text: str) -> list[str]:
    import textwrap

    out = []
    for part in text.split("\n"):
        out += textwrap.wrap(part, WRAP) or [""]
    return out


def draw(commitments):
    """The flow picture: SVG body, view box, searchable items and bands (see kg.viz.graph)."""
    from kg.viz.graph import Drawing

    investors, middle, dests, _scale = model(commitments)
    xi, xc, xd = COLUMNS
    body = ['<g id="kg-edges">']
    edges: list[dict] = []
    inv_next = {b.id: b.y for b in investors}
    dest_next = {b.id: b.y for b in dests}
    inv_bar = {b.id: b for b in investors}
    for bar in middle:
        for s in bar.segments:
            hatch = s.usd is None
            share = s.height / max(len(s.investors), 1)
            for k, inv in enumerate(sorted(s.investors, key=lambda i: inv_bar[i.id].y)):
                a0 = inv_next[inv.id]
                inv_next[inv.id] = a0 + share
                b0 = s.y + k * share
                d = _band(xi + BAR, a0, a0 + share, xc, b0, b0 + share)
                edges.append(
                    _edge(
                        body,
                        f"e{len(edges)}",
                        inv.id,
                        s.id,
                        d,
                        hatch,
                        STYLES["Investor"][0],
                        f"{inv.label} → {s.label}\n" + s.tip,
                        s.sources,
                    )
                )
            if s.destination:
                b0 = dest_next[s.destination.id]
                dest_next[s.destination.id] = b0 + s.height
                d = _band(xc + BAR, s.y, s.y + s.height, xd, b0, b0 + s.height)
                colour = STYLES[str(s.destination.kind)][0]
                edges.append(
                    _edge(
                        body,
                        f"e{len(edges)}",
                        s.id,
                        s.destination.id,
                        d,
                        hatch,
                        colour,
                        f"{s.label} → {s.destination.label}\n" + s.tip,
                        s.sources,
                    )
                )
    body += ["</g>", '<g id="kg-nodes">']
    nodes: list[dict] = []
    for column, x in ((investors, xi), (middle, xc), (dests, xd)):
        for b in column:
            colour = STYLES[b.kind][0]
            if b.kind == "Commitment":
                for s in b.segments:
                    fill = f"url(#{HATCH})" if s.usd is None else colour
                    body.append(
                        f'<rect class="n" data-id="{esc(s.id)}" data-g="Commitment" '
                        f'data-src="{esc(" ".join(s.sources))}" x="{num(x)}" y="{num(s.y)}" '
                        f'width="{num(BAR)}" height="{num(max(s.height, 1))}" fill="{fill}" '
                        'stroke="#3b3b3b" stroke-width="0.6"/>'
                    )
                    if s.id != b.id:
                        nodes.append(_node(s.id, s.label, "Commitment", s.tip))
            else:
                body.append(
                    f'<rect class="n" data-id="{esc(b.id)}" data-g="{b.kind}" data-src="" '
                    f'x="{num(x)}" y="{num(b.y)}" width="{num(BAR)}" '
                    f'height="{num(max(b.height, 1))}" '
                    f'fill="{colour}" stroke="#3b3b3b" stroke-width="0.6"/>'
                )
            item = _node(b.id, b.label.split("\n")[0], b.kind, b.tip or _end_tip(b))
            if b.kind == "Commitment" and all(s.id != b.id for s in b.segments):
                item["mark"] = False  # drawn as its parts' segments
            nodes.append(item)
    body += ["</g>", '<g id="kg-labels">']
    body += _labels(investors, middle, dests)
    body.append("</g>")
    bottom = max([b.y + b.height for b in investors + middle + dests] + [HEIGHT]) + TOP
    return Drawing("\n".join(body), (0.0, 0.0, xd + BAR + 245, round(bottom, 1)), nodes, edges)


def _edge(body, eid, a, b, d, hatch, colour, tip, sources) -> dict:
    fill = f"url(#{HATCH})" if hatch else colour
    body.append(
        f'<path class="e" data-id="{eid}" data-a="{esc(a)}" data-b="{esc(b)}" '
        f'data-src="{esc(" ".join(sources))}" d="{d}" fill="{fill}" fill-opacity="0.5"/>'
    )
    return {"id": eid, "from": a, "to": b, "label": "", "tip": tip}


def _node(ident: str, name: str, group: str, tip: str) -> dict:
    return {"id": ident, "name": name, "group": group, "tip": tip}


def _end_tip(bar: Bar) -> str:
    return f"{bar.label}\n{bar.kind}\nBands: hover each for its amount and sources."


def _labels(investors: list[Bar], middle: list[Bar], dests: list[Bar]) -> list[str]:
    """Column labels, each centred on its bar and kept from overlapping the one above it."""
    out = []
    xi, xc, xd = COLUMNS
    for column, x, anchor in (
        (investors, xi - 6, "end"),
        (middle, xc + BAR + 6, "start"),
        (dests, xd + BAR + 6, "start"),
    ):
        floor = 0.0
        for b in column:
            lines = _wrap(b.label)
            block = len(lines) * 12 * 1.25
            top = max(b.y + b.height / 2 - block / 2, floor)
            out.append(
                f'<g class="l" data-id="{esc(b.id)}" data-z="1" data-p="0">'
                + text_lines(lines, x, top + 11, 12, anchor)
                + "</g>"
            )
            floor = top + block + 2
    return out
