"""The entity graph as two plain CSV files for pandas, R or a spreadsheet.

``nodes.csv``: one row per entity (``id``, ``label``, ``class``, ..., ``citations`` and
``articles``, amounts as numbers). ``edges.csv``: one row per relation (``source``, ``target``,
``predicate``, ``label``, ``citations``, ``articles``), the column names networkx's
``from_pandas_edgelist`` expects. A list is one cell, its items joined by ``"; "`` for aliases
and by a space for citations and articles, as everywhere in kg.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edge("a", "b", predicate="member", label="CEO of", sources="a000:1 a000:2")
0
>>> render_edges(g).splitlines()[1]
'a,b,member,CEO of,a000:1 a000:2,a000'
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kg.exports.columns import Column, edge_columns, node_columns

FILES = ("nodes.csv", "edges.csv")


def _cell(column: Column, data: dict) -> str:
    value = column.get(data)
    if value is None:
        return ""
    if isinstance(value, list):
        return column.sep.join(value)
    return repr(value) if isinstance(value, float) else value


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def render_nodes(graph) -> str:
    """``nodes.csv``: ``id`` and the node columns, one row per node."""
    columns = node_columns(graph)
    rows = [["id", *(c.name for c in columns)]]
    rows += [[n, *(_cell(c, d) for c in columns)] for n, d in graph.nodes(data=True)]
    return _csv(rows)


def render_edges(graph) -> str:
    """``edges.csv``: ``source``, ``target`` and the edge columns, one row per edge."""
    columns = edge_columns(graph)
    rows = [["source", "target", *(c.name for c in columns)]]
    rows += [[a, b, *(_cell(c, d) for c in columns)] for a, b, d in graph.edges(data=True)]
    return _csv(rows)


def render(graph) -> dict[str, str]:
    """The two files by their export names."""
    return dict(each(graph))


def each(graph) -> Iterator[tuple[str, str]]:
    """:func:`render`'s files one at a time, each made when the one before was taken."""
    yield FILES[0], render_nodes(graph)
    yield FILES[1], render_edges(graph)
