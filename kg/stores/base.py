"""The store interface: SPARQL text plus bindings in, rdflib terms out (:class:`Store`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.sparql.results import Result

RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"


class Store:
    """The interface: ``query`` (SPARQL + bindings) and ``dataset`` (every quad, for networkx).

    Queries see the union of all named graphs as their default graph; the project's prefixes
    (``kg:``, ``id:``, ``skos:`` ...) need no declaration. ``bindings`` (variable name -> rdflib
    term) join the query as a VALUES block at the head of its WHERE group, on every store alike
    (see :func:`kg.sparql.prologue.with_values`). ``max_rows`` stops a SELECT (or a graph
    result) after that many rows and says so in ``Result.notes``.
    """

    name = "store"

    def query(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, *, max_rows: int | None = None
    ) -> Result:
        raise NotImplementedError

    def records(self, sparql: str) -> Iterator[dict]:
        """A SELECT's rows one at a time as dicts of variable -> term (unbound variables left
        out), as ``query(sparql).records()`` gives them; an engine in this process yields each
        as it is found, so a large answer is never held whole."""
        yield from self.query(sparql).records()

    def dataset(self):
        """Every quad as an rdflib ``Dataset(default_union=True)``."""
        raise NotImplementedError

    def graph_dumps(self) -> Iterable[tuple[str | None, bytes]]:
        """Each graph as (name, N-Triples); name None for the default graph (for ``kg push``)."""
        raise InputError(
            f"kg push copies a local store (memory or oxigraph), not a {self.name} store"
        )

    def prepare_for_fork(self) -> None:
        """Load whatever forked query workers should share (nothing by default)."""


def new_dataset():
    """An empty rdflib ``Dataset(default_union=True)`` with the project's prefixes bound."""
    from rdflib import Dataset

    from kg.vocab import bind_prefixes

    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


def rdf_format(path: Path):
    """The pyoxigraph format of a .trig, .nq or .nt file (InputError for others or none)."""
    import pyoxigraph as ox

    fmt = {
        ".trig": ox.RdfFormat.TRIG,
        ".nq": ox.RdfFormat.N_QUADS,
        ".nt": ox.RdfFormat.N_TRIPLES,
    }.get(path.suffix)
    if fmt is None:
        raise InputError(f"{path}: expected a .trig, .nq or .nt file")
    if not path.is_file():
        raise InputError(f"{path}: no such file (run `kg build` first)")
    return fmt


def ox_quads(dataset) -> Iterable:
    """The quads of an rdflib Dataset as pyoxigraph quads."""
    import pyoxigraph as ox

    from kg.sparql.terms import rdflib_to_ox

    default = ox.DefaultGraph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = default if g is None or str(g) == RDFLIB_DEFAULT_GRAPH else rdflib_to_ox(g)
        yield ox.Quad(rdflib_to_ox(s), rdflib_to_ox(p), rdflib_to_ox(o), graph)
