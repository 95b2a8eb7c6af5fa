"""A compact, write-once dataset for ``kg build``: the quads grouped by graph, subject and
predicate, every term interned, instead of an rdflib Dataset with its three indexes per graph.

:class:`QuadSet` takes the triples the build adds (``quadset.graph(iri).add(triple)``, as on an
rdflib Dataset) and answers the few reads the build's later stages make (the projection, the
views, the tool exports, pySHACL's data graph): ``graphs()``, ``quads()``, ``subjects``,
``objects``, ``value``, ``subject_objects``, ``predicate_objects``. Its grouping *is* the
:class:`kg.export.Quads` index, so the exports need no second pass. The ontology graph is a
plain rdflib Graph (small, and read with rdflib's transitive walks).

>>> from rdflib import URIRef, Literal
>>> qs = QuadSet()
>>> g = qs.graph(URIRef("urn:g"))
>>> g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("x")))
>>> g.add((URIRef("urn:s"), URIRef("urn:p"), Literal("x")))  # a graph is a set
>>> len(qs), str(qs.value(URIRef("urn:s"), URIRef("urn:p")))
(1, 'x')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import Graph, URIRef

from kg.vocab import ONTOLOGY_GRAPH

Subjects = dict[Any, dict[Any, list]]
_SCAN = 16  # objects of one subject and predicate checked for a duplicate by a scan up to this


class QuadSet:
    """Quads by graph IRI -> subject -> predicate -> objects (no duplicates in a graph)."""

    def __init__(self) -> None:
        self.grouped: dict[str, Subjects] = {}
        self.ontology = Graph(identifier=ONTOLOGY_GRAPH)
        self._terms: dict = {}
        self._seen: dict[tuple, set] = {}  # the objects of a long list, for its duplicate check
        self._views: dict[str, _GraphView] = {}

    def intern(self, term):
        """The one object kept for terms equal to ``term``."""
        return self._terms.setdefault(term, term)

    def graph(self, identifier) -> Any:
        """The graph named ``identifier``: a view that adds and reads (the ontology: a Graph)."""
        if identifier == ONTOLOGY_GRAPH:
            return self.ontology
        name = str(identifier)
        view = self._views.get(name)
        if view is None:
            view = self._views[name] = _GraphView(self, name, URIRef(name))
        return view

    def add(self, name: str, s, p, o) -> None:
        """Add one triple to the graph ``name`` (a no-op if it is there)."""
        intern = self._terms.setdefault
        s, p, o = intern(s, s), intern(p, p), intern(o, o)
        objects = self.grouped.setdefault(name, {}).setdefault(s, {}).setdefault(p, [])
        if len(objects) < _SCAN:
            if o not in objects:
                objects.append(o)
            return
        key = (name, s, p)
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = set(objects)
        if o not in seen:
            seen.add(o)
            objects.append(o)

    def done(self) -> None:
        """Drop what only adding needs (the intern table, the duplicate sets)."""
        self._terms = {}
        self._seen = {}

    def clear(self) -> None:
        """Drop every graph's triples but the ontology's (``kg build``, once every export that
        reads them is made)."""
        self.grouped.clear()
        self._views = {}
        self.done()

    def graphs(self) -> Iterator:
        """Every graph: the ontology first, then the others in the order they were made."""
        yield self.ontology
        for name in list(self.grouped):
            yield self.graph(URIRef(name))

    def __len__(self) -> int:
        return len(self.ontology) + sum(_count(subjects) for subjects in self.grouped.values())

    def quads(self, pattern=(None, None, None, None)) -> Iterator[tuple]:
        """Every quad ``(s, p, o, graph IRI)``; only the whole pattern is supported."""
        if any(t is not None for t in pattern):
            raise NotImplementedError("QuadSet.quads reads every quad")
        for s, p, o in self.ontology:
            yield s, p, o, ONTOLOGY_GRAPH
        for name, subjects in self.grouped.items():
            iri = URIRef(name)
            for s, p, o in _triples(subjects):
                yield s, p, o, iri

    def _union(self) -> Iterator[Subjects]:
        yield from self.grouped.values()

    def subject_objects(self, predicate) -> Iterator[tuple]:
        """Each (subject, object) with ``predicate`` in any graph but the ontology, once."""
        seen: set = set()
        for subjects in self._union():
            for s, preds in subjects.items():
                for o in preds.get(predicate, ()):
                    if (s, o) not in seen:
                        seen.add((s, o))
                        yield s, o

    def predicate_objects(self, subject) -> Iterator[tuple]:
        """Each (predicate, object) of ``subject`` in any graph but the ontology, once."""
        seen: set = set()
        for subjects in self._union():
            for p, objects in subjects.get(subject, {}).items():
                for o in objects:
                    if (p, o) not in seen:
                        seen.add((p, o))
                        yield p, o

    def value(self, subject, predicate):
        """One object of ``subject`` and ``predicate`` (the first found), or None."""
        for subjects in self._union():
            objects = subjects.get(subject, {}).get(predicate)
            if objects:
                return objects[0]
        return None


class _GraphView:
    """One named graph of a :class:`QuadSet`: adds triples and reads them."""

    def __init__(self, owner: QuadSet, name: str, identifier: URIRef):
        self._owner = owner
        self._name = name
        self.identifier = identifier

    def _subjects(self) -> Subjects:
        return self._owner.grouped.get(self._name, {})

    def add(self, triple) -> None:
        self._owner.add(self._name, *triple)

    def __iter__(self) -> Iterator[tuple]:
        return _triples(self._subjects())

    def __len__(self) -> int:
        return _count(self._subjects())

    def subjects(self, predicate, obj) -> Iterator:
        for s, preds in self._subjects().items():
            if obj in preds.get(predicate, ()):
                yield s

    def objects(self, subject, predicate) -> Iterator:
        yield from self._subjects().get(subject, {}).get(predicate, ())

    def value(self, subject, predicate):
        objects = self._subjects().get(subject, {}).get(predicate)
        return objects[0] if objects else None

    def subject_objects(self, predicate) -> Iterator[tuple]:
        for s, preds in self._subjects().items():
            for o in preds.get(predicate, ()):
                yield s, o


def _triples(subjects: Subjects) -> Iterator[tuple]:
    for s, preds in subjects.items():
        for p, objects in preds.items():
            for o in objects:
                yield s, p, o


def _count(subjects: Subjects) -> int:
    return sum(len(objects) for preds in subjects.values() for objects in preds.values())
