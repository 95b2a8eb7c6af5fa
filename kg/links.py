"""The projection's nodes and undirected links read straight from a pyoxigraph store, for
centrality without the networkx projection (:func:`kg.network.to_networkx`).

One scan of the store's quads finds what the projection makes nodes (subjects of the fact graphs
with a kg class, none of :data:`kg.network.NOT_NODES`) and links (a fact between two nodes,
a membership folded into member - organisation), with the graph's rules: the ontology and
provenance graphs are not facts, self-loops and repeated pairs are dropped. Nodes come sorted by
id, links as pairs of node positions ``(i, j)``, ``i < j``, sorted once as integers: the order
:func:`kg.analysis.edge_list` gives, so igraph and networkit compute the same scores.

>>> from kg.store import open_store
>>> links = store_links(open_store("memory"))
>>> links.ids[:2], len(links.ids) == len(links.types)
(('adebayo-ogunlesi', 'ai-highway'), True)
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.vocab import KG, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, SKOS, kg_name, local_id

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NOT_LINKS = (str(SKOS.prefLabel), str(SKOS.altLabel))


@dataclass(frozen=True)
class Links:
    """Node ids (sorted), each node's kg classes, and links as sorted position pairs."""

    ids: tuple[str, ...]
    types: tuple[frozenset[str], ...]
    links: tuple[tuple[int, int], ...]
    iris: tuple[str, ...]


def supports(store) -> bool:
    """Whether ``store`` holds its quads in pyoxigraph (memory and oxigraph stores)."""
    from kg.stores.oxigraph import PyoxigraphStore

    return isinstance(store, PyoxigraphStore)


def store_links(store) -> Links:
    """The projection's nodes and simple undirected links, from one scan of ``store``'s quads."""
    import pyoxigraph as ox

    from kg.network import NOT_NODES

    ox_store = store._ox()
    skip = {ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(PROVENANCE_GRAPH))}
    rdf_type = ox.NamedNode(RDF_TYPE)
    types: dict = {}
    for quad in ox_store.quads_for_pattern(None, rdf_type, None):
        if quad.graph_name not in skip and (name := kg_name(quad.object.value)):
            types.setdefault(quad.subject, set()).add(name)
    nodes = {s for s, names in types.items() if not names & NOT_NODES}
    order = sorted(nodes, key=lambda s: local_id(s.value))
    index = {s: i for i, s in enumerate(order)}
    n = len(order)
    codes: set[int] = set()

    def link(a: int, b: int) -> None:
        if a != b:
            codes.add(a * n + b if a < b else b * n + a)

    not_links = {ox.NamedNode(p) for p in NOT_LINKS}
    for o in order:  # the object index: only quads that point at a node
        j = index[o]
        for quad in ox_store.quads_for_pattern(None, None, o):
            i = index.get(quad.subject)
            if i is not None and quad.predicate not in not_links and quad.graph_name not in skip:
                link(i, j)
    members: dict = {}
    for key, predicate in (("member", KG.member), ("org", KG.organization)):
        for quad in ox_store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None):
            subject = quad.subject
            if quad.graph_name not in skip and "Membership" in types.get(subject, ()):
                members.setdefault(subject, {}).setdefault(key, set()).add(quad.object)
    for m in members.values():
        for member in m.get("member", ()):
            for org in m.get("org", ()):
                if member in index and org in index:
                    link(index[member], index[org])
    return Links(
        tuple(local_id(s.value) for s in order),
        tuple(frozenset(types[s]) for s in order),
        tuple(divmod(code, n) for code in sorted(codes)),
        tuple(s.value for s in order),
    )


def store_centrality(store, measure: str, cls: str | None, top: int) -> list | None:
    """:func:`kg.analysis.centrality` from :func:`store_links`, with the same scores and
    ranking; None where it does not apply (eigenvector, or igraph / networkit missing), so the
    caller uses the networkx projection."""
    import importlib.util

    from kg.analysis import _betweenness, _degree, _in_class, _pagerank, top_ranked
    from kg.model import Ranked
    from kg.network import shown_class

    engine = {"degree": "", "pagerank": "igraph", "betweenness": "networkit"}.get(measure)
    if engine is None or (engine and importlib.util.find_spec(engine) is None):
        return None
    found = store_links(store)
    pair = (list(found.ids), list(found.links))
    if measure == "degree":
        scores = _degree(pair)
    else:  # no networkx graph: igraph or networkit is there, so no fallback needs one
        scores = (_pagerank if measure == "pagerank" else _betweenness)(pair, None)
    shown = [shown_class(names) for names in found.types]
    ids = found.ids
    position = {ident: i for i, ident in enumerate(ids)}
    keep = [
        ids[i]
        for i, (display, group) in enumerate(shown)
        if cls is None
        or _in_class({"class": display, "group": group, "types": " ".join(found.types[i])}, cls)
    ]
    ranked = [position[n] for n in top_ranked(scores, keep, cls, top)]
    labels = _labels(store, [found.iris[i] for i in ranked])
    return [
        Ranked(r, ids[i], labels.get(found.iris[i]) or ids[i], shown[i][0], scores[ids[i]])
        for r, i in enumerate(ranked, 1)
    ]


def _labels(store, iris: list[str]) -> dict[str, str]:
    """Each IRI's shown label as the projection picks it: the first English (or untagged)
    ``skos:prefLabel`` of the fact graphs, by language then text."""
    import pyoxigraph as ox

    ox_store = store._ox()
    skip = {ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(PROVENANCE_GRAPH))}
    label = ox.NamedNode(str(SKOS.prefLabel))
    out = {}
    for iri in iris:
        found = [
            q.object
            for q in ox_store.quads_for_pattern(ox.NamedNode(iri), label, None)
            if q.graph_name not in skip and q.object.language in (None, "en")
        ]
        found.sort(key=lambda v: (v.language != "en", v.value))
        if found:
            out[iri] = found[0].value
    return out
