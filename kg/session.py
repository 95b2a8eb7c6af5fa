"""One session over one graph: the store, its question engine, its name index and its networkx
projection, each made on first use and kept by the session (no module-level caches).

>>> import kg
>>> g = kg.open()
>>> g.ask("Who signed the BlackRock MOU?").items[0].label
'Bae Kyung-hoon'
>>> g.entity("BlackRock")["label"]
'BlackRock'
>>> [str(row[0]) for row in g.sparql("SELECT ?n WHERE { id:gip skos:prefLabel ?n }").rows]
['Global Infrastructure Partners']
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path


class Session:
    """The graph named by ``store`` (a store spec such as ``oxigraph:PATH``, or None for the
    configured one) or built from a ``seeds`` folder; methods return kg's own results."""

    def __init__(self, store: str | None = None, seeds: Path | str | None = None):
        self.spec = store
        self.seeds = seeds

    @cached_property
    def store(self):
        """The store (see :func:`kg.store.open_store`)."""
        from kg.store import open_store

        return open_store(self.spec, self.seeds)

    @cached_property
    def engine(self):
        """The question engine over this graph."""
        from kg.ask import engine_for

        return engine_for(self.store)

    @cached_property
    def names(self):
        """The name index (labels, aliases, Korean labels) of this graph."""
        from kg.resolve import name_index

        return name_index(self.store)

    @cached_property
    def graph(self):
        """The networkx projection (entities as nodes, facts as edges)."""
        from kg.analysis import store_graph

        return store_graph(self.store)

    def ask(self, question: str):
        """An answer to an English question, with sources (:func:`kg.ask.ask`)."""
        from kg.ask import ask

        return ask(self.store, question, engine=self.engine)

    def entity(self, name: str) -> dict:
        """Everything about one entity, with sources (:func:`kg.lookup.entity_card`)."""
        from kg.lookup import entity_card

        return entity_card(self.store, self.names.resolve(name))

    def search(self, text: str, limit: int = 10):
        """Entities whose names match ``text``, best first."""
        return self.names.search(text, limit)

    def sparql(self, query: str, bindings: dict | None = None, **limits):
        """A read-only SPARQL query with the safety checks, timeout and row cap of
        :func:`kg.sparql.run_query`."""
        from kg.sparql import run_query

        return run_query(self.store, query, bindings or {}, **limits)

    def path(self, a: str, b: str):
        """The shortest paths between two entities in the networkx projection."""
        from kg.analysis import shortest_paths

        return shortest_paths(self.graph, self.names.resolve(a).id, self.names.resolve(b).id)

    def commitments(self, **filters) -> list[dict]:
        """Investment commitments, largest first (:func:`kg.lookup.commitments`)."""
        from kg.lookup import commitments

        return commitments(self.store, **filters)


def open(store: str | None = None, seeds: Path | str | None = None) -> Session:  # noqa: A001
    """A :class:`Session` over the configured graph, a store spec, or a seeds folder."""
    return Session(store, seeds)
