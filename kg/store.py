"""Stores behind one interface: SPARQL text plus bindings in, rdflib terms out.

Commands never care where the triples live. ``memory`` (rdflib, the default) loads the graph
that ships with kg, or a TriG / N-Quads file, or builds one from a seeds folder.

>>> store = open_store("memory")
>>> r = store.query("ASK { ?s a kg:Investor }")
>>> r.boolean
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, StoreError

STORE_ENV = "KG_STORE"


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
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
                for row in self.rows]


class Store:
    """The interface: ``query`` (SPARQL + bindings) and ``dataset`` (every quad, for networkx)."""

    name = "store"

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        raise NotImplementedError

    def dataset(self):
        raise NotImplementedError


def load_dataset(path: Path | str | None = None):
    """Parse a TriG or N-Quads file (default: the graph that ships with kg) into a Dataset."""
    from rdflib import Dataset

    from kg.paths import shipped_graph
    from kg.vocab import bind_prefixes

    path = Path(path) if path else shipped_graph()
    fmt = {".trig": "trig", ".nq": "nquads"}.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: expected a .trig or .nq file")
    if not path.is_file():
        raise InputError(f"{path}: no such file (run `kg build` first)")
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    ds.parse(path, format=fmt)
    return ds


class MemoryStore(Store):
    """rdflib in memory, embedded: no server."""

    name = "memory"

    def __init__(self, dataset):
        self._dataset = dataset

    def dataset(self):
        return self._dataset

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        from rdflib.plugins.sparql import prepareQuery

        from kg.vocab import PREFIXES

        try:
            prepared = prepareQuery(sparql, initNs=PREFIXES)
        except Exception as exc:  # rdflib raises pyparsing errors of several kinds
            raise InputError(f"SPARQL syntax error: {exc}") from None
        res = self._dataset.query(prepared, initBindings=dict(bindings or {}))
        if res.type == "SELECT":
            variables = [str(v) for v in res.vars]
            return Result("select", variables, [tuple(row) for row in res])
        if res.type == "ASK":
            return Result("ask", boolean=bool(res.askAnswer))
        return Result("graph", graph=res.graph)


def open_store(spec: str | None = None, seeds: Path | str | None = None) -> Store:
    """Open a store from a spec: ``memory`` (default), ``memory:FILE.trig``.

    ``spec`` falls back to the ``KG_STORE`` environment variable. With ``seeds`` the memory store
    is built from that seeds folder instead of loading the shipped graph.
    """
    spec = spec or os.environ.get(STORE_ENV) or "memory"
    kind, _, arg = spec.partition(":")
    if kind == "memory":
        if seeds is not None:
            from kg.build import build_dataset

            return MemoryStore(build_dataset(seeds))
        return MemoryStore(load_dataset(arg or None))
    raise StoreError(f"unknown store '{spec}' (known: memory, memory:FILE)")
