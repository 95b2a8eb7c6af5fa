"""A node-link picture as SVG: layout, community areas, edges, node glyphs and placed labels.

:func:`draw` lays the view out (:mod:`kg.viz.layout`), sizes nodes by a centrality measure,
shades the communities (Louvain, fixed seed) and places the labels by importance so that none
covers another at the default zoom (:mod:`kg.viz.labels`). It returns the SVG body and, per
node and edge, what the page script needs for tooltips, search and filters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kg.errors import InputError
from kg.viz.labels import FONT_SIZE, GAP, LINE, Label, Placed, place
from kg.viz.layout import fit, positions
from kg.viz.svg import COMMUNITY_TINTS, STYLES, esc, num, shape, style_key, text_lines
from kg.viz.text import edge_tooltip, label_of, node_label, node_tooltip

WIDTH, HEIGHT = 1000.0, 700.0  # canvas at the default zoom, in screen pixels
MARGIN = 30.0
COMMUNITY_SEED = 20250922
MIN_COMMUNITY = 3  # smaller groups get no shaded area
AREA_SHARE = 200  # nor groups smaller than 1/AREA_SHARE of the nodes (big graphs)
KEY_LABELS = (8, 25)  # the most important tenth of the labels (within these) may cover nodes
LABEL_LIMIT = 1500  # only the most important labels are placed (bounds the work on big graphs)
LOUVAIN_LIMIT = 2000  # above this many nodes, communities by label propagation (linear)
CANVAS_LIMIT = 2000  # above this many nodes the page draws nodes and links on a canvas
SIZE_NOTES = {
    "degree": "Node size: number of connections.",
    "pagerank": "Node size: PageRank.",
    "betweenness": "Node size: betweenness (how often on shortest paths).",
    "none": "",
}
MEASURES = tuple(SIZE_NOTES)


@dataclass(frozen=True)
class Drawing:
    """A picture's SVG body, its view box, and the items the page script works with.

    ``scene`` is what the page shows as SVG when it differs from ``body``: for big graphs the
    areas and labels only, the page script drawing nodes and links on a canvas from the items
    (which then carry their paths, ``d``, and sources, ``src``)."""

    body: str
    box: tuple[float, float, float, float]
    nodes: list[dict]
    edges: list[dict]
    scene: str | None = None


def scores(graph, size_by: str) -> dict:
    """Node importance: the centrality ``size_by`` (degree when ``none``)."""
    from kg.analysis import centrality_scores

    if size_by not in SIZE_NOTES:
        raise InputError(f"unknown size measure '{size_by}' (known: {', '.join(MEASURES)})")
    if graph.number_of_nodes() == 0:
        return {}
    return centrality_scores(graph, "degree" if size_by == "none" else size_by)


def _radii(graph, score: dict, size_by: str) -> dict:
    n = max(graph.number_of_nodes(), 1)
    base = math.sqrt(0.1 * WIDTH * HEIGHT / (math.pi * n))
    low, high = max(1.5, min(5.0, 0.6 * base)), max(2.5, min(14.0, 1.8 * base))
    if size_by == "none":
        return {node: (low + high) / 2 for node in graph}
    top = max((v for v in score.values()), default=0) or 1
    return {node: low + (high - low) * math.sqrt(max(score[node], 0) / top) for node in graph}


def communities(graph, simple=None) -> dict:
    """Each node's community number (0 = largest): Louvain, or label propagation on graphs
    above :data:`LOUVAIN_LIMIT` nodes, with a fixed seed (``simple``: as for
    :func:`kg.viz.layout.positions`)."""
    import networkx as nx

    from kg.analysis import simple_graph

    simple = simple_graph(graph) if simple is None else simple
    if simple.number_of_edges() == 0:
        return dict.fromkeys(simple, -1)
    if simple.number_of_nodes() <= LOUVAIN_LIMIT:
        found = nx.community.louvain_communities(simple, seed=COMMUNITY_SEED)
    else:
        found = list(nx.community.asyn_lpa_communities(simple, seed=COMMUNITY_SEED))
    ordered = sorted(found, key=lambda c: (-len(c), min(map(str, c))))
    return {node: i for i, members in enumerate(ordered) for node in members}


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull (monotone chain), counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _areas(pos: dict, radii: dict, community: dict) -> list[str]:
    members: dict[int, list] = {}
    for node, c in community.items():
        if c >= 0:
            members.setdefault(c, []).append(node)
    out = []
    smallest = max(MIN_COMMUNITY, len(community) // AREA_SHARE)
    for c, nodes in sorted(members.items()):
        if len(nodes) < smallest:
            continue
        ring = []
        for node in nodes:
            x, y = pos[node]
            pad = radii[node] + 8
            ring += [
                (
                    round(x + pad * math.cos(a * math.pi / 4), 1),
                    round(y + pad * math.sin(a * math.pi / 4), 1),
                )
                for a in range(8)
            ]
        hull = _hull(ring)
        tint = COMMUNITY_TINTS[c % len(COMMUNITY_TINTS)]
        d = "M" + "L".join(f"{num(x)},{num(y)}" for x, y in hull) + "Z"
        out.append(
            f'<path class="c" data-c="{c}" d="{d}" fill="{tint}" fill-opacity="0.07" '
            f'stroke="{tint}" stroke-opacity="0.35" stroke-dasharray="4 3"/>'
        )
    return out


def _cited(data: dict) -> list[str]:
    return sorted({c.split(":", 1)[0] for c in data.get("sources", "").split()})


def _edge_path(p, q, rq: float, bend: int, directed: bool) -> str:
    (x1, y1), (x2, y2) = p, q
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    if not bend:
        back = (rq + 1.5) if directed else 0
        return f"M{num(x1)},{num(y1)}L{num(x2 - ux * back)},{num(y2 - uy * back)}"
    off = 0.18 * length * (1 + (bend - 1) // 2) * (1 if bend % 2 else -1)
    cx, cy = (x1 + x2) / 2 - uy * off, (y1 + y2) / 2 + ux * off
    vx, vy = x2 - cx, y2 - cy
    vl = math.hypot(vx, vy) or 1.0
    back = (rq + 1.5) if directed else 0
    ex, ey = x2 - vx / vl * back, y2 - vy / vl * back
    return f"M{num(x1)},{num(y1)}Q{num(cx)},{num(cy)} {num(ex)},{num(ey)}"


def _label_markup(p: Placed, label: Label, priority: int) -> str:
    lines = label.lines
    size = FONT_SIZE
    block = len(lines) * size * LINE
    ascent = size * 0.95
    x0, y0, x1, y1 = p.box
    anchor = "start" if p.side.endswith("right") else "end" if p.side.endswith("left") else "middle"
    x = {"start": x0 + 2 * GAP, "end": x1 - 2 * GAP, "middle": 0.0}[anchor]
    if p.side.startswith("below"):
        y = y0 + GAP + ascent
    elif p.side.startswith("above"):
        y = y1 - GAP - block + ascent
    else:
        y = -block / 2 + ascent - GAP / 2
    level = p.level or 0
    hidden = "" if level == 1 else ' display="none"'
    return (
        f'<g class="l" data-id="{esc(p.id)}" data-z="{level}" data-p="{priority}" '
        f'data-x="{num(p.ax)}" data-y="{num(p.ay)}" transform="translate({num(p.ax)},{num(p.ay)})"'
        f"{hidden}>" + text_lines(lines, x, y, size, anchor) + "</g>"
    )


def draw(graph, size_by: str = "degree", directed: bool = True) -> Drawing:
    """Lay out and draw ``graph`` (a view's MultiDiGraph); see the module docstring."""
    score = scores(graph, size_by)
    radii = _radii(graph, score, size_by)
    from kg.analysis import simple_graph

    simple = simple_graph(graph)
    unit = positions(graph, simple)
    pos = fit(unit, radii, WIDTH, HEIGHT, MARGIN)
    community = communities(graph, simple) if graph.number_of_nodes() else {}
    order = sorted(graph.nodes, key=lambda n: (-score.get(n, 0), str(n)))
    labels = [
        Label(str(n), pos[n][0], pos[n][1], radii[n], tuple(node_label(graph, n).split("\n")))
        for n in order[:LABEL_LIMIT]
    ]
    discs = [(pos[n][0], pos[n][1], radii[n]) for n in order]
    placed = place(labels, discs, cover=max(KEY_LABELS[0], min(KEY_LABELS[1], len(labels) // 10)))
    canvas = graph.number_of_nodes() > CANVAS_LIMIT
    body = ['<g id="kg-areas">', *_areas(pos, radii, community), "</g>"]
    areas = len(body)
    body.append('<g id="kg-edges">')
    edges = []
    seen: dict[frozenset, int] = {}
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: tuple(map(str, e[:3])))
    for index, (u, v, _key, data) in enumerate(ordered):
        pair = frozenset((u, v))
        bend = seen.get(pair, 0)
        seen[pair] = bend + 1
        eid = f"e{index}"
        marker = ' marker-end="url(#kg-arrow)"' if directed else ""
        src = " ".join(_cited(data))
        if u == v:
            x, y = pos[u]
            r = radii[u]
            d = (
                f"M{num(x)},{num(y - r)}c{num(r * 2)},{num(-r * 3)} {num(r * 3)},{num(r * 2)} "
                f"{num(r)},{num(r)}"
            )
        else:
            d = _edge_path(pos[u], pos[v], radii[v], bend, directed)
        body.append(
            f'<path class="e" data-id="{eid}" data-a="{esc(u)}" data-b="{esc(v)}" '
            f'data-src="{esc(src)}" d="{d}"{marker}/>'
        )
        edge = {
            "id": eid,
            "from": str(u),
            "to": str(v),
            "label": data.get("label", ""),
            "tip": edge_tooltip(graph, u, v, data),
        }
        if canvas:
            edge |= {"d": d, "src": src}
        edges.append(edge)
    body += ["</g>", '<g id="kg-nodes">']
    level = {p.id: p.level for p in placed if p.level}
    nodes = []
    for n in sorted(graph.nodes, key=str):
        data = graph.nodes[n]
        key = style_key(data)
        colour, kind = STYLES[key]
        x, y = pos[n]
        src = " ".join(_cited(data))
        d = shape(kind, x, y, radii[n])
        body.append(
            f'<path class="n" data-id="{esc(n)}" data-g="{key}" data-src="{esc(src)}" '
            f'd="{d}" fill="{colour}"/>'
        )
        item = {
            "id": str(n),
            "name": label_of(graph, n),
            "group": key,
            "tip": node_tooltip(graph, n),
            "x": x,
            "y": y,
            "community": community.get(n, -1),
            "r": round(radii[n], 1),
            "z": level.get(str(n), 0),  # the zoom from which its label shows (0: never)
        }
        if data.get("label_ko"):
            item["ko"] = data["label_ko"]
        if data.get("aliases"):
            item["aliases"] = data["aliases"].split("; ")
        if canvas:
            item |= {"d": d, "src": src}
        nodes.append(item)
    body.append("</g>")
    marks = len(body)
    body.append('<g id="kg-labels">')
    by_id = {label.id: label for label in labels}
    shown = [(priority, p) for priority, p in enumerate(placed) if p.level]
    for priority, p in shown:
        body.append(_label_markup(p, by_id[p.id], priority))
    body.append("</g>")
    scene = "\n".join(body[:areas] + body[marks:]) if canvas else None
    return Drawing("\n".join(body), _box(pos, radii, placed), nodes, edges, scene)


def _box(pos: dict, radii: dict, placed: list[Placed]) -> tuple[float, float, float, float]:
    """The view box: every node disc and every label shown at zoom 1, with a small margin."""
    if not pos:
        return (0.0, 0.0, WIDTH, HEIGHT)
    xs0 = [x - radii[n] for n, (x, _) in pos.items()]
    ys0 = [y - radii[n] for n, (_, y) in pos.items()]
    xs1 = [x + radii[n] for n, (x, _) in pos.items()]
    ys1 = [y + radii[n] for n, (_, y) in pos.items()]
    for p in placed:
        if p.level == 1:
            xs0.append(p.ax + p.box[0])
            ys0.append(p.ay + p.box[1])
            xs1.append(p.ax + p.box[2])
            ys1.append(p.ay + p.box[3])
    x0, y0 = min(xs0) - 10, min(ys0) - 10
    return (round(x0, 1), round(y0, 1), round(max(xs1) + 10 - x0, 1), round(max(ys1) + 10 - y0, 1))
