"""The entity graph as GEXF 1.3 for Gephi: labels, typed attributes, colours and sizes.

Each node carries its label, its class and group as attributes, the colour of its legend entry in
the pictures (:data:`kg.viz.svg.STYLES`) and a size that grows with its number of neighbours
(``viz:size``, 4 to 20, with ``degree`` as an attribute too). Edges carry their predicate as
label and their citations. Written here rather than by networkx, whose writer stamps the day
into the file; the output is the same bytes on every run.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="A & B", group="Person")
>>> "A &amp; B" in render(g)
True
"""

from __future__ import annotations

import math
import re
from xml.sax.saxutils import quoteattr as _quoteattr

from kg.exports.columns import Column, edge_columns, node_columns

FILE = "kg.gexf"
SIZES = (4.0, 20.0)
_TYPES = {"string": "string", "double": "double", "string[]": "string"}
_LIST_JOIN = " "
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def quoteattr(text: str) -> str:
    """A quoted XML attribute value; characters XML 1.0 cannot hold at all are left out."""
    return _quoteattr(_NOT_XML.sub("", text))


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return _LIST_JOIN.join(value)
    return repr(value) if isinstance(value, float) else value


def _declare(kind: str, columns: tuple[Column, ...]) -> list[str]:
    lines = [f'    <attributes class="{kind}">']
    lines += [
        f'      <attribute id="{i}" title={quoteattr(c.name)} type="{_TYPES[c.kind]}"/>'
        for i, c in enumerate(columns)
    ]
    return lines + ["    </attributes>"]


def _values(columns: tuple[Column, ...], data: dict, indent: str) -> list[str]:
    lines = []
    for i, column in enumerate(columns):
        text = _text(column.get(data))
        if text is not None:
            lines.append(f'{indent}  <attvalue for="{i}" value={quoteattr(text)}/>')
    return [f"{indent}<attvalues>", *lines, f"{indent}</attvalues>"] if lines else []


def render(graph) -> str:
    """The graph as GEXF 1.3 text (directed, parallel edges kept, each with its own id)."""
    from kg.analysis import centrality_scores
    from kg.viz.svg import STYLES, style_key

    degree = centrality_scores(graph, "degree") if graph.number_of_nodes() else {}
    top = max(degree.values(), default=0) or 1
    # the label is the element's own attribute, not a column again
    node_cols = tuple(c for c in node_columns(graph) if c.name != "label")
    node_cols += (Column("degree", "double", lambda d: d.get("_degree")),)
    edge_cols = tuple(c for c in edge_columns(graph) if c.name != "label")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
        '  <graph defaultedgetype="directed" mode="static">',
        *_declare("node", node_cols),
        *_declare("edge", edge_cols),
        "    <nodes>",
    ]
    for node, data in graph.nodes(data=True):
        score = float(degree.get(node, 0))
        r, g, b = _rgb(STYLES[style_key(data)][0])
        size = SIZES[0] + (SIZES[1] - SIZES[0]) * math.sqrt(max(score, 0) / top)
        label = data.get("label") or node
        lines.append(f"      <node id={quoteattr(node)} label={quoteattr(label)}>")
        lines += _values(node_cols, {**data, "_degree": score}, "        ")
        lines.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        lines.append(f'        <viz:size value="{size:.2f}"/>')
        lines.append("      </node>")
    lines += ["    </nodes>", "    <edges>"]
    for i, (a, b, data) in enumerate(graph.edges(data=True)):
        label = data.get("label") or data.get("predicate") or ""
        head = f'      <edge id="{i}" source={quoteattr(a)} target={quoteattr(b)}'
        values = _values(edge_cols, data, "        ")
        if values:
            lines += [f"{head} label={quoteattr(label)}>", *values, "      </edge>"]
        else:
            lines.append(f"{head} label={quoteattr(label)}/>")
    lines += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(lines) + "\n"
