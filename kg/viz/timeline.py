"""A timeline of events, agreements and announcements, each drawn at its date's precision.

A date known to the day is a dot; one known to the month a bar across that month; one known to
the year a hatched bar across the year; a span (start to end) a bar from the first to the last
day. Items are stacked in lanes so that neither marks nor labels overlap. Each item's hover text
names the entities it is linked to (attendees, signatories, investors, places).

>>> span("2025-09")
(datetime.date(2025, 9, 1), datetime.date(2025, 10, 1), 'month')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kg.viz.labels import text_width
from kg.viz.svg import HATCH, STYLES, esc, num, style_key, text_lines
from kg.viz.text import label_of, node_tooltip

LEFT, WIDTH = 30.0, 620.0  # the axis runs from LEFT to LEFT + WIDTH
LANE = 38.0
TOP = 50.0
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DATE_KEYS = (("startDate", "endDate", ""), ("announcedOn", "", "announced "))


def span(text: str) -> tuple[dt.date, dt.date, str]:
    """The days a date covers, [first, after last), and its precision (day, month, year)."""
    parts = text.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1), "year"
    month = int(parts[1])
    if len(parts) == 2:
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return dt.date(year, month, 1), after, "month"
    day = dt.date(year, month, int(parts[2]))
    return day, day + dt.timedelta(days=1), "day"


def date_text(text: str) -> str:
    """``2025-09-22`` -> ``22 Sep 2025``; ``2025-09`` -> ``Sep 2025``; ``2025`` stays."""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


@dataclass(frozen=True)
class Item:
    """One dated thing on the timeline."""

    id: str
    label: str
    group: str
    start: dt.date
    end: dt.date
    precision: str
    when: str


def items(graph) -> list[Item]:
    """Every node with a start date or an announcement date, earliest first."""
    out = []
    for node, data in graph.nodes(data=True):
        for first, last, word in DATE_KEYS:
            value = data.get(first, "").split(" | ")[0]
            if not value:
                continue
            start, end, precision = span(value)
            when = word + date_text(value)
            if last and data.get(last):
                end_value = data[last].split(" | ")[0]
                end = span(end_value)[1]
                when += " to " + date_text(end_value)
            out.append(
                Item(
                    str(node),
                    label_of(graph, node),
                    style_key(data),
                    start,
                    end,
                    precision,
                    f"{when} ({precision})",
                )
            )
            break
    return sorted(out, key=lambda i: (i.start, i.end, i.label))


def _ticks(first: dt.date, last: dt.date):
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        yield day
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def draw(graph):
    """The timeline picture: SVG body, view box, searchable items (see kg.viz.graph.Drawing)."""
    from kg.viz.graph import Drawing

    found = items(graph)
    if not found:
        return Drawing("", (0.0, 0.0, WIDTH + 2 * LEFT, 200.0), [], [])
    first = min(i.start for i in found)
    last = max(i.end for i in found)
    first = dt.date(first.year, first.month, 1)
    days = max((last - first).days, 1)
    per_day = WIDTH / days

    def x_of(day: dt.date) -> float:
        return LEFT + (day - first).days * per_day

    lanes: list[float] = []  # where each lane is free again (x)
    body = ['<g id="kg-axis">']
    for tick in _ticks(first, last):
        x = x_of(tick)
        body.append(
            f'<line x1="{num(x)}" y1="{num(TOP - 18)}" x2="{num(x)}" y2="{{bottom}}" '
            'stroke="#d0d7de" stroke-width="1"/>'
        )
        body.append(
            text_lines(
                [f"{MONTHS[tick.month - 1]} {tick.year}"],
                x + 3,
                TOP - 24,
                11,
                extra=' fill="#57606a"',
            )
        )
    body += ["</g>", '<g id="kg-nodes">']
    labels = ['<g id="kg-labels">']
    nodes = []
    for item in found:
        x0, x1 = x_of(item.start), x_of(item.end)
        text_w = max(text_width(item.label, 12), text_width(item.when, 11)) + 8
        dot = item.precision == "day" and item.end - item.start == dt.timedelta(days=1)
        tx = ((x0 + x1) / 2 + 9) if dot else max(x1, x0 + 4) + 5
        lane = next((k for k, free in enumerate(lanes) if free <= x0 - 8), None)
        if lane is None:
            lanes.append(0.0)
            lane = len(lanes) - 1
        lanes[lane] = tx + text_w
        y = TOP + lane * LANE
        colour = STYLES[item.group][0]
        cited = graph.nodes[item.id].get("sources", "").split()
        src = esc(" ".join(sorted({c.split(":", 1)[0] for c in cited})))
        common = f'class="n" data-id="{esc(item.id)}" data-g="{item.group}" data-src="{src}"'
        if dot:
            body.append(
                f'<circle {common} cx="{num((x0 + x1) / 2)}" cy="{num(y)}" r="5" '
                f'fill="{colour}" stroke="#3b3b3b" stroke-width="0.8"/>'
            )
        else:
            fill = f"url(#{HATCH})" if item.precision == "year" else colour
            opacity = "1" if item.precision == "day" else "0.55"
            body.append(
                f'<rect {common} x="{num(x0)}" y="{num(y - 5)}" width="{num(max(x1 - x0, 4))}" '
                f'height="10" rx="5" fill="{fill}" fill-opacity="{opacity}" '
                f'stroke="{colour}" stroke-width="1"/>'
            )
        labels.append(
            f'<g class="l" data-id="{esc(item.id)}" data-z="1" data-p="0">'
            + text_lines([item.label], tx, y - 2, 12)
            + text_lines([item.when], tx, y + 11, 11, extra=' fill="#57606a"')
            + "</g>"
        )
        nodes.append(
            {"id": item.id, "name": item.label, "group": item.group, "tip": _tip(graph, item)}
        )
    body.append("</g>")
    labels.append("</g>")
    height = TOP + len(lanes) * LANE + 10
    body = [b.replace('y2="{bottom}"', f'y2="{num(height)}"') for b in body]
    width = max([WIDTH + 2 * LEFT, *lanes]) + 10
    return Drawing(
        "\n".join(body + labels), (0.0, 0.0, round(width, 1), round(height, 1)), nodes, []
    )


def _tip(graph, item: Item) -> str:
    linked = sorted(
        {label_of(graph, n) for n in (*graph.successors(item.id), *graph.predecessors(item.id))}
    )
    lines = [node_tooltip(graph, item.id), "When: " + item.when]
    if linked:
        lines.append("Linked to: " + ", ".join(linked))
    return "\n".join(lines)
