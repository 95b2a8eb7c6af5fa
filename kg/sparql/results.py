"""Query results, defined once: :class:`Result` in rdflib terms, the row cap, and every wire
format (SPARQL JSON / XML / CSV / TSV, Turtle / JSON-LD / N-Triples / RDF/XML).

>>> r = Result("select", ["x"], [(None,)])
>>> serialize(r, "text/tab-separated-values")
b'?x\\n\\n'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError, QueryError

RESULT_TYPES = {  # media type -> pyoxigraph QueryResultsFormat name
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPH_TYPES = {  # media type -> pyoxigraph RdfFormat name
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
}
FORMATS = {  # the format= parameter
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}


class Unacceptable(QueryError):
    """No media type both the client accepts and the result can take (HTTP 406)."""

    kind = "unacceptable"


def negotiate(accept: str | None, offered: dict[str, str], fmt: str | None = None) -> str:
    """The media type to answer with, from ``format=`` or the Accept header (q-values honoured).

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", RESULT_TYPES)
    'application/sparql-results+json'
    >>> negotiate("*/*", GRAPH_TYPES)
    'text/turtle'
    """
    if fmt:
        media = FORMATS.get(fmt)
        if media not in offered:
            raise Unacceptable(
                f"format={fmt[:40]} is not available for this query (use one of: "
                f"{', '.join(k for k, v in FORMATS.items() if v in offered)})"
            )
        return media
    default = next(iter(offered))
    if not accept:
        return default
    ranked = []
    for n, part in enumerate(accept.split(",")[:64]):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
                if q != q:  # nan
                    q = 0.0
        ranked.append((-q, n, media.lower()))
    for neg_q, _, media in sorted(ranked):
        if neg_q >= 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            return next(
                (m for m in offered if prefix == "*" or m.startswith(prefix + "/")), default
            )
    raise Unacceptable(
        f"cannot answer in any type of Accept: {accept[:200]} (available: "
        f"{', '.join(dict.fromkeys(offered))})"
    )


@dataclass
class Result:
    """A query result in rdflib terms: rows for SELECT, a boolean for ASK, a graph otherwise."""

    kind: str  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    graph: Any = None
    notes: list[str] = field(default_factory=list)  # e.g. "row cap 10000 reached"

    def records(self) -> list[dict]:
        """SELECT rows as dicts of variable -> term (unbound variables left out)."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    @property
    def capped(self) -> bool:
        return any("row cap" in n for n in self.notes)


def capped(items: Iterable, max_rows: int | None, notes: list[str]) -> Iterable:
    """``items``, stopping after ``max_rows`` (a note says so); the one row cap of kg."""
    for n, item in enumerate(items):
        if max_rows is not None and n >= max_rows:
            notes.append(f"row cap {max_rows} reached")
            return
        yield item


def graph_of(triples: Iterable[tuple]):
    """An rdflib Graph with the project's prefixes bound, holding ``triples`` (rdflib terms)."""
    from rdflib import Graph

    from kg.vocab import bind_prefixes

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph)
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def result_json(result: Result) -> dict:
    """A SELECT or ASK result in the W3C SPARQL 1.1 Query Results JSON format."""
    from kg.sparql.terms import term_json

    if result.kind == "ask":
        return {"head": {}, "boolean": result.boolean}
    if result.kind != "select":
        raise InputError("a CONSTRUCT / DESCRIBE result is a graph: use JSON-LD or Turtle")
    bindings = [
        {v: term_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}


def serialize(result: Result, media: str) -> bytes:
    """``result`` in the media type ``media`` (one of RESULT_TYPES or GRAPH_TYPES)."""
    import pyoxigraph as ox

    from kg.sparql.prologue import prefixes
    from kg.sparql.terms import nt_term, rdflib_to_ox

    if result.kind == "graph":
        fmt = getattr(ox.RdfFormat, GRAPH_TYPES[media])
        triples = [
            ox.Triple(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o)) for s, p, o in result.graph
        ]
        keep = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)
        return ox.serialize(triples, format=fmt, prefixes=prefixes() if keep else None) or b""
    target = getattr(ox.QueryResultsFormat, RESULT_TYPES[media])
    if result.kind == "ask":
        data = json.dumps(result_json(result)).encode("utf-8")
        if target == ox.QueryResultsFormat.JSON:
            return data
        parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        return parsed.serialize(format=target) or b""
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(nt_term(t) for t in row) for row in result.rows)
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    if target == ox.QueryResultsFormat.TSV:
        return tsv
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=target) or b""
