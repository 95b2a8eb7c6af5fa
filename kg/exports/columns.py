"""The entity graph's attributes as typed columns: one model for the Neo4j, GEXF and CSV exports.

Nodes and edges are those of :func:`kg.network.to_networkx` (memberships folded into edges,
amounts as node attributes). A column is named for what it holds (``citations`` for the
projection's ``sources``) and typed ``string``, ``double`` or ``string[]``; a list column's
values are split where the projection joined them.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", label="A", sources="a000:1 a001:2", amount_value=4e9)
>>> [f"{c.name}:{c.kind}" for c in node_columns(g)]
['label:string', 'citations:string[]', 'articles:string[]', 'amount_value:double']
>>> articles_of(node_columns(g)[1].get(g.nodes["a"]))
['a000', 'a001']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# how the projection joins a list-valued attribute
JOINED = {"aliases": "; ", "sources": " "}
# the column name of a projection attribute, where the two differ
NAMES = {"sources": "citations"}
# columns first in this order, the others after them by name
FIRST = ("label", "label_ko", "class", "group", "types", "aliases", "iri", "sources")
EDGE_FIRST = ("predicate", "label", "sources")
_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass(frozen=True)
class Column:
    """A typed column: its name, its kind and how to read it from a node's or edge's data."""

    name: str
    kind: str  # "string", "double" or "string[]"
    get: Callable[[dict], str | float | list[str] | None]
    sep: str = " "  # how a list's items are joined in one text cell


def articles_of(citations) -> list[str]:
    """The distinct articles of ``source:paragraph`` codes, in order of first appearance."""
    return list(dict.fromkeys(c.split(":", 1)[0] for c in citations or ()))


def _reader(key: str, kind: str) -> Callable[[dict], str | float | list[str] | None]:
    def get(data: dict):
        value = data.get(key)
        if value is None or value == "":
            return None
        if kind == "string[]":
            return [v for v in str(value).split(JOINED[key]) if v]
        return float(value) if kind == "double" else str(value)

    return get


def _articles(cites: Callable[[dict], object]) -> Callable[[dict], list[str] | None]:
    def get(data: dict) -> list[str] | None:
        return articles_of(cites(data)) or None

    return get


def _columns(items, first: tuple[str, ...]) -> tuple[Column, ...]:
    kinds: dict[str, str] = {}
    for data in items:
        for key, value in data.items():
            kind = "double" if isinstance(value, float) else "string"
            kind = "string[]" if key in JOINED else kind
            if kinds.get(key, kind) != kind:
                kind = "string"  # mixed values: text, never a lossy number
            kinds[key] = kind
    order = [k for k in first if k in kinds] + sorted(k for k in kinds if k not in first)
    out: list[Column] = []
    for key in order:
        name = NAMES.get(key) or _UNSAFE.sub("_", key)
        out.append(Column(name, kinds[key], _reader(key, kinds[key]), JOINED.get(key, " ")))
        if key == "sources":
            out.append(Column("articles", "string[]", _articles(out[-1].get)))
    return tuple(out)


def node_columns(graph) -> tuple[Column, ...]:
    """The columns of the graph's nodes (the id is not one of them)."""
    return _columns((data for _, data in graph.nodes(data=True)), FIRST)


def edge_columns(graph) -> tuple[Column, ...]:
    """The columns of the graph's edges (the two ends are not among them)."""
    return _columns((data for _, _, data in graph.edges(data=True)), EDGE_FIRST)
