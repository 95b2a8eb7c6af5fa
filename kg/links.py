"""The projection's nodes and undirected links read straight from a pyoxigraph store, for
centrality without the networkx projection (:func:`kg.network.to_networkx`).

:func:`scan` reads what the projection makes nodes and links, by the rules of
:mod:`kg.network` (:func:`~kg.network.is_node`, :data:`~kg.network.NOT_FACTS`,
:data:`~kg.network.NAMES`, memberships folded by :data:`~kg.network.FOLD`); self-loops and
repeated pairs are dropped. Nodes come sorted by id, links as rows ``(i, j)``, ``i < j``, of node
positions, sorted: the order :func:`kg.analysis.edge_list` gives, so igraph and networkit compute
the same scores. An oxigraph store keeps this list in a file beside it (:mod:`kg.linkfile`),
written when it is loaded; a store reads it with ``store.links()``.

>>> from kg.store import open_store
>>> links = open_store("memory").links()
>>> links.ids[:2], len(links.ids) == len(links.kind)
(('adebayo-ogunlesi', 'ai-highway'), True)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from kg.vocab import SKOS, kg_name, local_id

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True, eq=False)
class Links:
    """Node ids (sorted) and IRIs; the distinct sets of kg classes and each node's set (a
    position in ``kinds``, int32); links as an ``(m, 2)`` int32 array of sorted position pairs."""

    ids: tuple[str, ...]
    iris: tuple[str, ...]
    kinds: tuple[frozenset[str], ...]
    kind: Any  # numpy.ndarray, shape (n,)
    links: Any  # numpy.ndarray, shape (m, 2)

    def pairs(self) -> list[tuple[int, int]]:
        """The links as a list of ``(i, j)`` tuples."""
        return list(zip(self.links[:, 0].tolist(), self.links[:, 1].tolist(), strict=True))


def supports(store) -> bool:
    """Whether ``store`` holds its quads in pyoxigraph (memory and oxigraph stores)."""
    from kg.stores.oxigraph import PyoxigraphStore

    return isinstance(store, PyoxigraphStore)


def scan(engine) -> Links:
    """The projection's nodes and simple undirected links, from a ``pyoxigraph.Store``'s quads:
    one ``rdf:type`` scan for the nodes, then the object index of each node (only quads that
    point at a node are read, not the literals), then the memberships."""
    import numpy as np
    import pyoxigraph as ox

    from kg.network import FOLD, FOLDED, NAMES, NOT_FACTS, is_node

    skip = {ox.NamedNode(str(g)) for g in NOT_FACTS}
    types: dict = {}
    for quad in engine.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), None):
        if quad.graph_name not in skip and (name := kg_name(quad.object.value)):
            types.setdefault(quad.subject, set()).add(name)
    order = sorted(
        (s for s, names in types.items() if is_node(names)), key=lambda s: local_id(s.value)
    )
    index = {s: i for i, s in enumerate(order)}
    n = len(order)
    codes: set[int] = set()

    def link(a: int, b: int) -> None:
        if a != b:
            codes.add(a * n + b if a < b else b * n + a)

    not_links = {ox.NamedNode(str(p)) for p in NAMES}
    for o in order:
        j = index[o]
        for quad in engine.quads_for_pattern(None, None, o):
            i = index.get(quad.subject)
            if i is not None and quad.predicate not in not_links and quad.graph_name not in skip:
                link(i, j)
    members: dict = {}
    for predicate, key in FOLD.items():
        for quad in engine.quads_for_pattern(None, ox.NamedNode(str(predicate)), None):
            subject = quad.subject
            if quad.graph_name not in skip and FOLDED in types.get(subject, ()):
                members.setdefault(subject, {}).setdefault(key, set()).add(quad.object)
    for m in members.values():
        for member in m.get("member", ()):
            for org in m.get("org", ()):
                if member in index and org in index:
                    link(index[member], index[org])
    kinds = sorted({frozenset(types[s]) for s in order}, key=sorted)
    position = {k: i for i, k in enumerate(kinds)}
    ordered = np.array(sorted(codes), dtype=np.int64)
    return Links(
        tuple(local_id(s.value) for s in order),
        tuple(s.value for s in order),
        tuple(kinds),
        np.array([position[frozenset(types[s])] for s in order], dtype=np.int32),
        np.stack([ordered // max(n, 1), ordered % max(n, 1)], axis=1).astype(np.int32),
    )


def labels(engine, iris: list[str]) -> dict[str, str]:
    """Each IRI's shown label as the projection picks it, from a ``pyoxigraph.Store``: the
    first English (or untagged) ``skos:prefLabel`` of the fact graphs, by language then text."""
    import pyoxigraph as ox

    from kg.network import NOT_FACTS

    skip = {ox.NamedNode(str(g)) for g in NOT_FACTS}
    label = ox.NamedNode(str(SKOS.prefLabel))
    out = {}
    for iri in iris:
        found = [
            q.object
            for q in engine.quads_for_pattern(ox.NamedNode(iri), label, None)
            if q.graph_name not in skip and q.object.language in (None, "en")
        ]
        found.sort(key=lambda v: (v.language != "en", v.value))
        if found:
            out[iri] = found[0].value
    return out


def store_centrality(store, measure: str, cls: str | None, top: int) -> list | None:
    """:func:`kg.analysis.centrality` from the store's link list (``store.links()``), with the
    same scores and ranking; None where it does not apply (eigenvector, or igraph / networkit
    missing), so the caller uses the networkx projection."""
    import importlib.util

    import numpy as np

    from kg.analysis import _betweenness, _degree, _in_class, _pagerank, top_ranked
    from kg.model import Ranked
    from kg.network import shown_class

    engine = {"degree": "", "pagerank": "igraph", "betweenness": "networkit"}.get(measure)
    if engine is None or (engine and importlib.util.find_spec(engine) is None):
        return None
    found = store.links()
    ids = list(found.ids)
    pairs = zip(found.links[:, 0].tolist(), found.links[:, 1].tolist(), strict=True)
    if measure == "degree":
        scores = _degree((ids, pairs))
    else:  # no networkx graph: igraph or networkit is there, so no fallback needs one
        scores = (_pagerank if measure == "pagerank" else _betweenness)((ids, pairs), None)
    shown = [shown_class(names) for names in found.kinds]
    if cls is None:
        keep = ids
    else:
        wanted = np.array(
            [
                _in_class({"class": d, "group": g, "types": " ".join(sorted(k))}, cls)
                for (d, g), k in zip(shown, found.kinds, strict=True)
            ],
            dtype=bool,
        )
        keep = [ids[i] for i in np.flatnonzero(wanted[found.kind]).tolist()]
    ranked = [bisect.bisect_left(ids, n) for n in top_ranked(scores, keep, cls, top)]
    names = store.labels([found.iris[i] for i in ranked])
    return [
        Ranked(
            r, ids[i], names.get(found.iris[i]) or ids[i], shown[found.kind[i]][0], scores[ids[i]]
        )
        for r, i in enumerate(ranked, 1)
    ]
