"""Render a :class:`~kg.viz.views.View` as one self-contained, offline HTML page, or as SVG.

The picture is SVG drawn in Python (:mod:`kg.viz.graph`, :mod:`kg.viz.flow`,
:mod:`kg.viz.timeline`): no layout or physics runs in the browser. The page adds the page
script (pan and zoom, labels that appear as you zoom, legend filters by class and by source
article, search, hover and a details panel, SVG/PNG download) and the items as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped. Nothing is
fetched: no CDN, no fonts, no images, and a Content-Security-Policy that allows only the page's
own script (by hash) enforces it. Every text reaches the DOM as escaped markup or as
``textContent``. The same view renders to the same bytes.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="<b>A</b>", group="Person", **{"class": "Person"})
>>> page = render_graph(g, title="Demo")
>>> "<b>A</b>" in page.html, "&lt;b&gt;A&lt;/b&gt;" in page.html, page.nodes
(False, True, 1)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from string import Template

from kg.viz import flow, graph, timeline
from kg.viz.graph import MEASURES, SIZE_NOTES, Drawing
from kg.viz.svg import FONT, GLYPHS, HATCH, STYLES, defs, esc, frame
from kg.viz.views import Article, View

__all__ = ["MEASURES", "Page", "render", "render_graph", "render_html", "write_page"]

FLOW_KINDS = ("Investor", "Commitment", "Project", "Place")
PRECISIONS = (("●", "date known to the day"), ("▬", "to the month"), ("▧", "to the year"))


@dataclass(frozen=True)
class Page:
    """One rendered page: its HTML, the same picture as standalone SVG for print, and what it
    draws; shows itself inline in Jupyter."""

    html: str
    svg: str
    title: str
    name: str
    nodes: int
    edges: int

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" title="'
            f'{html.escape(self.title, quote=True)}" sandbox="allow-scripts allow-downloads" '
            'style="width:100%;height:720px;border:1px solid #d0d7de"></iframe>'
        )


@cache
def _assets() -> dict[str, str]:
    here = files("kg.viz")
    return {
        name: here.joinpath(f"page.{ext}").read_text(encoding="utf-8")
        for name, ext in (("template", "html"), ("style", "css"), ("script", "js"))
    }


def _json(value) -> str:
    """JSON safe inside a <script> element: no ``<``, ``>`` or ``&`` left to end it early."""
    return _escaped(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def _escaped(text: str) -> str:
    """JSON text with ``<``, ``>`` and ``&`` written as escapes."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _cited(view: View) -> set[str]:
    if view.sources:
        return set(view.sources)
    g = view.graph
    attrs = [d for _, d in g.nodes(data=True)] + [d for *_, d in g.edges(data=True)]
    out = {c.split(":", 1)[0] for d in attrs for c in d.get("sources", "").split()}
    for row in view.rows:
        out |= {c.source for c in row.sources}
    return out


def _draw(view: View, size_by: str) -> Drawing:
    if view.kind == "flow":
        return flow.draw(view.rows)
    if view.kind == "timeline":
        return timeline.draw(view.graph)
    return graph.draw(view.graph, size_by, view.directed)


def _legend(view: View, drawing: Drawing, size_by: str) -> list[tuple[str, str, str, int]]:
    """Legend entries (key, glyph, text, count) for the page and for print."""
    counts: dict[str, int] = {}
    for node in drawing.nodes:
        if node.get("mark", True):
            counts[node["group"]] = counts.get(node["group"], 0) + 1
    keys = FLOW_KINDS if view.kind == "flow" else tuple(STYLES)
    return [
        (k, GLYPHS[STYLES[k][1]] if view.kind != "flow" else "■", k, counts[k])
        for k in keys
        if k in counts
    ]


def _notes(view: View, size_by: str) -> list[str]:
    if view.kind == "flow":
        return [
            "Band width: US dollars, each counted once; parts sit inside their package's bar.",
            "Hatched: amount not disclosed (not to scale).",
        ]
    if view.kind == "timeline":
        return [f"{glyph} {text}" for glyph, text in PRECISIONS]
    big = view.graph.number_of_nodes() > graph.LOUVAIN_LIMIT
    notes = [f"Dashed areas: communities ({'label propagation' if big else 'Louvain'})."]
    if SIZE_NOTES.get(size_by):
        notes.append(SIZE_NOTES[size_by])
    return notes


def sources_line(articles: list[Article]) -> str:
    """One line naming every cited article: id, title, publisher and date."""
    if not articles:
        return ""
    return "Sources: " + "; ".join(
        f"{a.id} {a.title} ({a.publisher}{', ' + a.date if a.date else ''})" for a in articles
    )


def render(view: View, size_by: str = "degree", articles: dict[str, Article] | None = None) -> Page:
    """The page for ``view``; graph nodes sized by ``size_by`` (degree, pagerank, betweenness,
    none); ``articles`` (id -> :class:`Article`) fill the list of sources."""
    drawing, legend, notes, cited, head, tail = _parts(view, size_by, articles)
    svg = head + defs() + drawing.body + tail
    return Page(
        "".join(_page(view, drawing, legend, notes, cited, head, tail)),
        svg,
        view.title,
        view.name,
        len(drawing.nodes),
        len(drawing.edges),
    )


def render_html(
    view: View, size_by: str = "degree", articles: dict[str, Article] | None = None
) -> Iterator[str]:
    """``render(view, size_by, articles).html`` in chunks, the items' JSON a few thousand
    at a time (``kg build`` writes them as they come: a large page is never held whole)."""
    drawing, legend, notes, cited, head, tail = _parts(view, size_by, articles)
    yield from _page(view, drawing, legend, notes, cited, head, tail)


def _parts(view: View, size_by: str, articles: dict[str, Article] | None) -> tuple:
    """What a page and its SVG are made of: the drawing, legend, notes, cited articles and
    the print frame's head and tail."""
    drawing = _draw(view, size_by)
    known = articles or {}
    cited = [known[a] for a in sorted(_cited(view)) if a in known]
    legend = _legend(view, drawing, size_by)
    notes = _notes(view, size_by)
    print_legend = [(g, STYLES[k][0], f"{t} ({n})") for k, g, t, n in legend]
    print_legend += [("", "", note) for note in notes]
    head, tail = frame(
        view.kind, view.title, view.caption, drawing.box, print_legend, sources_line(cited)
    )
    return drawing, legend, notes, cited, head, tail


def _page(
    view, drawing: Drawing, legend, notes, articles: list[Article], head, tail
) -> Iterator[str]:
    assets = _assets()
    legend_html = "\n".join(
        f'        <li><button type="button" class="kg-class" data-g="{esc(k)}" '
        f'aria-pressed="true"><span class="kg-glyph" style="color:{STYLES[k][0]}">{esc(g)}'
        f'</span><span>{esc(t)}</span><span class="kg-count" data-total="{n}">{n}</span>'
        "</button></li>"
        for k, g, t, n in legend
    )
    notes_html = "\n".join(f'      <p class="kg-note">{esc(n)}</p>' for n in notes)
    sources = "\n".join(
        f'        <li><label><input type="checkbox" class="kg-source" value="{esc(a.id)}" '
        f"checked> <strong>{esc(a.id)}</strong> {esc(a.title)} — "
        f"{esc(a.publisher)}{', ' + esc(a.date) if a.date else ''}</label></li>"
        for a in articles
    )
    names = "\n".join(
        f'      <option value="{esc(n)}"></option>'
        for n in sorted({d["name"] for d in drawing.nodes})
    )
    x0, y0, w, h = drawing.box
    svg = (
        f'<svg id="kg-svg" xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {w} {h}" '
        f'font-family="{esc(FONT)}" role="img" aria-label="{esc(view.title)}">'
        + defs()
        + (drawing.body if drawing.scene is None else drawing.scene)
        + "</svg>"
    )
    data = {
        "kind": view.kind,
        "nodes": drawing.nodes,
        "edges": drawing.edges,
        "box": list(drawing.box),
        "print": {"head": head, "tail": tail},
        "name": view.name,
        "hatch": HATCH,
    }
    if drawing.scene is not None:  # nodes and links drawn on a canvas by the page script
        colours = {key: colour for key, (colour, _) in STYLES.items()}
        data |= {"canvas": True, "directed": view.directed, "colours": colours}
    script = assets["script"]
    csp = (
        f"default-src 'none'; script-src {_hash(script)}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    # the template around its $data, each side filled as the whole template would be
    template = assets["template"]
    place = next(
        m
        for m in Template.pattern.finditer(template)
        if "data" in (m.group("named"), m.group("braced"))
    )
    values = {
        "csp": csp,
        "kind": view.kind,
        "title": esc(view.title),
        "caption": esc(view.caption),
        "style": assets["style"].rstrip("\n"),
        "names": names,
        "legend": legend_html,
        "notes": notes_html,
        "sources": sources,
        "svg": svg,
        "script": script,
    }
    before = Template(template[: place.start()]).substitute(values)
    after = Template(template[place.end() :]).substitute(values)
    del values, names, svg, legend_html, sources
    yield before
    del before
    yield from _json_chunks(data)
    yield after


def _json_chunks(value: dict, size: int = 2_000) -> Iterator[str]:
    """``_json(value)`` in chunks, a list in ``value`` ``size`` items at a time (JSON is
    written part by part as json.dumps writes the whole; the escapes are of single
    characters, so each part is escaped alone)."""

    def dumps(item) -> str:
        return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    yield "{"
    for n, key in enumerate(sorted(value)):
        item = value[key]
        head = ("," if n else "") + dumps(key) + ":"
        if isinstance(item, list) and item:
            yield _escaped(head + "[")
            for start in range(0, len(item), size):
                part = ",".join(dumps(x) for x in item[start : start + size])
                yield _escaped(("," if start else "") + part)
            yield "]"
        else:
            yield _escaped(head + dumps(item))
    yield "}"


def render_graph(graph_, title: str = "Graph", size_by: str = "degree") -> Page:
    """Draw any networkx graph, e.g. a benchmark's; nodes may carry ``label`` and ``group``.

    Nodes without those attributes are drawn with their id as label, in the ``Other`` style;
    an undirected graph is drawn without arrows.
    """
    import networkx as nx

    multi = nx.MultiDiGraph()
    multi.add_nodes_from(graph_.nodes(data=True))
    multi.add_edges_from(graph_.edges(data=True))
    return render(View(multi, title, "graph", directed=graph_.is_directed()), size_by=size_by)


def write_page(page: Page, path: Path | str, fmt: str = "html") -> Path:
    """Write a page as one UTF-8 file (``html`` or ``svg``), atomically (see :mod:`kg.writer`)."""
    from kg.writer import write_file

    return write_file(Path(path), page.svg if fmt == "svg" else page.html)
