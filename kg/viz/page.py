"""Render a :class:`~kg.viz.views.View` as one self-contained, offline HTML page.

The page embeds vis-network (read at render time from the installed pyvis package), its own
stylesheet and script, and the graph as JSON in a ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` escaped. Nothing is fetched: no CDN, no fonts, no images, and a
Content-Security-Policy that allows only the page's own scripts (by hash) enforces it. Every
label, tooltip and heading reaches the DOM as text. The same view renders to the same bytes.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="<b>A</b>", group="Person", **{"class": "Person"})
>>> page = render_graph(g, title="Demo")
>>> "<b>A</b>" in page.html, "\\\\u003cb\\\\u003eA" in page.html, page.nodes
(False, True, 1)
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from string import Template

from kg.errors import InputError
from kg.viz.layout import positions
from kg.viz.text import edge_tooltip, label_of, node_label, node_tooltip
from kg.viz.views import Article, View

VIS_VERSION = "9.1.2"
FONT = (
    "system-ui, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK KR', NanumGothic, 'Malgun Gothic', "
    "'Apple SD Gothic Neo', sans-serif"
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
# node size measures (kg.analysis computes them) and how the legend explains them
SIZE_NOTES = {
    "degree": "Node size: number of connections.",
    "pagerank": "Node size: PageRank.",
    "betweenness": "Node size: betweenness (how often on shortest paths).",
    "none": "",
}
MEASURES = tuple(SIZE_NOTES)
# physics iterations after the Python layout, by graph size; 0 means none (positions as given)
STABILIZE = ((150, 200), (600, 80))
# labels: those of the best-connected eighth of the nodes (KEY_NODES at least and at most) keep
# KEY_SCREEN screen pixels at any zoom, so they can be read in the overview; the others appear
# on zooming in (vis hides labels smaller than LABEL_THRESHOLD screen pixels)
KEY_NODES, KEY_SCREEN, FONT_SIZE, LABEL_THRESHOLD = (12, 40), 13, 14, 8
MAX_WIDTH = 12  # money view: edge width of the largest amount


@dataclass(frozen=True)
class Page:
    """One rendered page: its HTML and what it draws; shows itself inline in Jupyter."""

    html: str
    title: str
    name: str
    nodes: int
    edges: int

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="'
            f'{html.escape(self.title, quote=True)}" sandbox="allow-scripts" '
            'style="width:100%;height:720px;border:1px solid #d0d7de"></iframe>'
        )


def _vis_dir() -> Path:
    """pyvis's copy of vis-network, found without importing pyvis (which is slow to import)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed; it provides vis-network for kg viz")
    return Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}"


@cache
def _assets() -> dict[str, str]:
    here = files("kg.viz")
    vis = (_vis_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    if re.search(r"</script|<!--", vis, re.IGNORECASE):
        raise RuntimeError("this vis-network build cannot be inlined in a <script> element")
    return {
        "vis": vis,
        "template": here.joinpath("page.html").read_text(encoding="utf-8"),
        "style": here.joinpath("page.css").read_text(encoding="utf-8"),
        "script": here.joinpath("page.js").read_text(encoding="utf-8"),
    }


def style_key(data: dict) -> str:
    """The legend entry of a node: ``Investor`` for investors, else its group."""
    if "Investor" in data.get("types", "").split():
        return "Investor"
    group = data.get("group")
    return group if isinstance(group, str) and group in STYLES else "Other"


def _json(value) -> str:
    """JSON safe inside a <script> element: no ``<``, ``>`` or ``&`` left to end it early."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _sizes(graph, size_by: str) -> dict | None:
    """Node values for vis: the square root of the centrality, so that area follows it."""
    from kg.analysis import centrality_scores

    if size_by not in SIZE_NOTES:
        raise InputError(f"unknown size measure '{size_by}' (known: {', '.join(MEASURES)})")
    if size_by == "none" or graph.number_of_nodes() == 0:
        return None
    return {n: round(float(v) ** 0.5, 6) for n, v in centrality_scores(graph, size_by).items()}


def _stabilize(n: int) -> int:
    return next((iterations for limit, iterations in STABILIZE if n <= limit), 0)


def _options(n: int, directed: bool) -> dict:
    iterations = _stabilize(n)
    font = {"face": FONT, "strokeColor": "#ffffff"}
    label_scaling = {"enabled": False, "drawThreshold": LABEL_THRESHOLD}
    return {
        "autoResize": True,
        "groups": {
            key: {
                "shape": shape,
                "color": {
                    "background": colour,
                    "border": "#3b3b3b",
                    "highlight": {"background": colour, "border": "#000000"},
                    "hover": {"background": colour, "border": "#000000"},
                },
            }
            for key, (colour, shape) in STYLES.items()
        },
        "nodes": {
            "size": 14,
            "borderWidth": 1,
            "font": {**font, "size": FONT_SIZE, "color": "#1f2328", "strokeWidth": 4},
            "scaling": {"min": 9, "max": 36, "label": label_scaling},
        },
        "edges": {
            "width": 1,
            "selectionWidth": 2,
            "smooth": False,
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
            "color": {"color": "#8c959f", "highlight": "#1f2328", "hover": "#57606a"},
            "font": {**font, "size": 11, "color": "#57606a", "strokeWidth": 3, "align": "middle"},
            "scaling": {"label": label_scaling},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n > 600,
            "hideEdgesOnZoom": n > 600,
        },
        "layout": {"improvedLayout": False},
        "physics": {
            "enabled": iterations > 0,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -120,
                "springLength": 90,
                "centralGravity": 0.02,
                "avoidOverlap": 0.8,
                "damping": 0.6,
            },
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 50,
                "fit": True,
            },
        },
    }


def _key_nodes(graph) -> set:
    """The best-connected nodes, whose labels are large enough to read when zoomed out."""
    ranked = sorted(graph.degree(), key=lambda nd: (-nd[1], str(nd[0])))
    low, high = KEY_NODES
    return {node for node, _ in ranked[: min(high, max(low, len(ranked) // 8))]}


def _curves(graph) -> dict[tuple, dict]:
    """Parallel edges between one pair of nodes bend apart; the first stays straight."""
    seen: dict[frozenset, int] = {}
    out = {}
    for u, v, key in graph.edges(keys=True):
        pair = frozenset((u, v))
        index = seen.get(pair, 0)
        seen[pair] = index + 1
        if index:
            out[(u, v, key)] = {"type": "curvedCW", "roundness": round(0.25 * index, 2)}
    return out


def render(view: View, size_by: str = "degree", articles: dict[str, Article] | None = None) -> Page:
    """The page for ``view``; node size by ``size_by`` (degree, pagerank, betweenness, none).

    Edges with a ``usd`` attribute (the money view) get a width by amount, dashed without one;
    ``articles`` (id -> :class:`Article`) fill the page's list of sources.
    """
    graph = view.graph
    pos = positions(graph)
    sizes = _sizes(graph, size_by)
    prominent = _key_nodes(graph)
    nodes = []
    for node, data in sorted(graph.nodes(data=True), key=lambda nd: str(nd[0])):
        x, y = pos[node]
        item = {
            "id": str(node),
            "label": node_label(graph, node),
            "group": style_key(data),
            "title": node_tooltip(graph, node),
            "x": x,
            "y": y,
            "name": label_of(graph, node),
            "key": node in prominent,
        }
        if data.get("label_ko"):
            item["ko"] = data["label_ko"]
        if data.get("aliases"):
            item["aliases"] = data["aliases"].split("; ")
        if sizes is not None:
            item["value"] = sizes[node]
        nodes.append(item)
    top = max((d["usd"] for *_, d in graph.edges(data=True) if d.get("usd")), default=0)
    curves = _curves(graph)
    edges = []
    ordered = sorted(graph.edges(keys=True, data=True), key=lambda e: tuple(map(str, e[:3])))
    for index, (u, v, key, data) in enumerate(ordered):
        item = {
            "id": f"e{index}",
            "from": str(u),
            "to": str(v),
            "label": data.get("label", ""),
            "title": edge_tooltip(graph, u, v, data),
        }
        if (u, v, key) in curves:
            item["smooth"] = curves[(u, v, key)]
        if top:
            usd = data.get("usd")
            item["width"] = round(1 + (MAX_WIDTH - 1) * (usd / top) ** 0.5, 2) if usd else 1
            if not usd:
                item["dashes"] = True
        edges.append(item)
    attrs = [d for _, d in graph.nodes(data=True)] + [d for *_, d in graph.edges(data=True)]
    cited = {c.split(":", 1)[0] for d in attrs for c in d.get("sources", "").split()}
    articles = articles or {}
    return _page(view, nodes, edges, size_by, [articles[a] for a in sorted(cited) if a in articles])


def _page(view: View, nodes: list, edges: list, size_by: str, articles: list[Article]) -> Page:
    assets = _assets()
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["group"]] = counts.get(node["group"], 0) + 1
    legend = "\n".join(
        f'        <li><span class="kg-glyph" style="color:{STYLES[k][0]}">'
        f"{GLYPHS[STYLES[k][1]]}</span><span>{html.escape(k)}</span>"
        f'<span class="kg-count">{counts[k]}</span></li>'
        for k in STYLES
        if k in counts
    )
    sources = "\n".join(
        f"        <li><strong>{html.escape(a.id)}</strong> {html.escape(a.title)} — "
        f"{html.escape(a.publisher)}{', ' + html.escape(a.date) if a.date else ''}</li>"
        for a in articles
    )
    if sources:
        sources = (
            '    <section>\n      <h2>Sources</h2>\n      <ol id="kg-sources">\n'
            f"{sources}\n      </ol>\n    </section>"
        )
    names = "\n".join(
        f'      <option value="{html.escape(n)}"></option>'
        for n in sorted({node["name"] for node in nodes})
    )
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(len(nodes), view.directed),
        "labels": {"normal": FONT_SIZE, "screen": KEY_SCREEN},
    }
    scripts = [assets["vis"], assets["script"]]
    csp = (
        "default-src 'none'; script-src "
        + " ".join(_hash(s) for s in scripts)
        + "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    text = Template(assets["template"]).substitute(
        csp=csp,
        vis_version=VIS_VERSION,
        title=html.escape(view.title),
        caption=html.escape(view.caption),
        style=assets["style"].rstrip("\n"),
        names=names,
        legend=legend,
        size_note=html.escape(SIZE_NOTES[size_by]),
        sources=sources,
        data=_json(data),
        vis=assets["vis"],
        script=assets["script"],
    )
    return Page(text, view.title, view.name, len(nodes), len(edges))


def render_graph(graph, title: str = "Graph", size_by: str = "degree") -> Page:
    """Draw any networkx graph, e.g. a benchmark's; nodes may carry ``label`` and ``group``.

    Nodes without those attributes are drawn with their id as label, in the ``Other`` style;
    an undirected graph is drawn without arrows.
    """
    import networkx as nx

    multi = nx.MultiDiGraph()
    multi.add_nodes_from(graph.nodes(data=True))
    multi.add_edges_from(graph.edges(data=True))
    return render(View(multi, title, "graph", directed=graph.is_directed()), size_by=size_by)


def write_page(page: Page, path: Path | str) -> Path:
    """Write a page as one UTF-8 file, atomically (see :mod:`kg.writer`)."""
    from kg.writer import write_file

    return write_file(Path(path), page.html)
