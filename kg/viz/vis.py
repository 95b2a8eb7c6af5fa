"""A view as a vis-network page, modelled with pyvis and fully offline (``kg viz --format vis``).

pyvis's :class:`~pyvis.network.Network` holds the nodes and links; positions, sizes, colours
and shapes come from kg's own drawing (:func:`kg.viz.graph.draw`), and physics is off, so the
browser only draws. vis-network 9.1.2 (Apache-2.0 or MIT), the copy inside the pyvis package,
is inlined; pyvis's own page template is not used, because it links Bootstrap and other files
from CDNs. A Content-Security-Policy allows only the page's two scripts (by hash); nothing is
fetched. The labels are those kg's placement shows at the default zoom (vis-network has no
collision handling of its own); every name is in its node's tooltip. pyvis imports in about
half a second: only this module imports it.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files

from kg.errors import InputError
from kg.viz.graph import draw
from kg.viz.page import _hash, _json, sources_line
from kg.viz.svg import FONT, STYLES
from kg.viz.views import Article, View

VIS_JS = "templates/lib/vis-9.1.2/vis-network.min.js"  # inside the pyvis package
BOOT = """(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("kg-data").textContent);
  var net = new vis.Network(document.getElementById("kg-net"),
    {nodes: new vis.DataSet(d.nodes), edges: new vis.DataSet(d.edges)}, d.options);
  net.once("afterDrawing", function () { document.documentElement.dataset.state = "ready"; });
  window.kgNetwork = net;
})();"""
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="kg viz (pyvis, vis-network 9.1.2)">
<title>{title}</title>
<style>
html, body {{ margin: 0; height: 100%; font: 14px/1.4 system-ui, "Noto Sans", NanumGothic,
  sans-serif; color: #1f2328; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }}
h1 {{ font-size: 17px; margin: 0; }}
header p {{ margin: 2px 0 0; color: #57606a; font-size: 12px; }}
#kg-net {{ position: absolute; top: 72px; left: 0; right: 0; bottom: 0; }}
</style>
</head>
<body>
<header><h1>{title}</h1><p>{caption}</p><p>{sources}</p></header>
<div id="kg-net"></div>
<script type="application/json" id="kg-data">{data}</script>
<script>{vis}</script>
<script>{boot}</script>
</body>
</html>
"""


def network(view: View, size_by: str = "degree"):
    """The view as a pyvis ``Network``: kg's positions, sizes, colours and shapes, physics off."""
    from pyvis.network import Network  # type: ignore[import-untyped]  # ~430 ms: only here

    drawing = draw(view.graph, size_by, view.directed)
    net = Network(directed=view.directed, cdn_resources="local")
    for node in drawing.nodes:
        colour, shape = STYLES[node["group"]]
        net.add_node(
            node["id"],
            # the labels kg's placement shows at the default zoom, which never overlap there
            label=node["name"] if node["z"] == 1 else " ",
            shape=shape,
            color={"background": colour, "border": "#3b3b3b"},
            title=node["tip"],
            x=node["x"],
            y=node["y"],
            size=node["r"],
        )
    for edge in drawing.edges:
        net.add_edge(edge["from"], edge["to"], title=edge["tip"], color="#8c959f")
    net.toggle_physics(False)
    return net


def render_vis(
    view: View, size_by: str = "degree", articles: dict[str, Article] | None = None
) -> str:
    """The page of :func:`network` for ``view``: one offline HTML file, the same bytes every run."""
    from kg.viz.page import _cited

    if view.kind != "graph":
        raise InputError(f"the vis format draws nodes and links, not a {view.kind} view")
    net = network(view, size_by)
    nodes, edges, *_, options = net.get_network_data()
    settings = json.loads(options)
    settings["edges"] = {
        "smooth": False,
        "width": 0.8,
        "arrows": {"to": {"enabled": view.directed, "scaleFactor": 0.4}},
    }
    settings["nodes"] = {
        "borderWidth": 0.8,
        "font": {"size": 12, "face": FONT, "strokeWidth": 3, "strokeColor": "#ffffff"},
    }
    settings["interaction"] = {"hover": True, "tooltipDelay": 150}
    vis_js = files("pyvis").joinpath(VIS_JS).read_text(encoding="utf-8")
    known = articles or {}
    cited = [known[a] for a in sorted(_cited(view)) if a in known]
    csp = (
        f"default-src 'none'; script-src {_hash(vis_js)} {_hash(BOOT)}; "
        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    data = {"nodes": nodes, "edges": edges, "options": settings}
    return PAGE.format(
        csp=csp,
        title=html.escape(view.title),
        caption=html.escape(view.caption),
        sources=html.escape(sources_line(cited)),
        data=_json(data),
        vis=vis_js,
        boot=BOOT,
    )
