"""Choose what a picture shows: the whole graph or one part of it, as a networkx subgraph.

Every view starts from the projection of :mod:`kg.network` and returns a :class:`View`: the
graph to draw, a title and a file stem. Nothing here draws; :mod:`kg.viz.page` does.

>>> from kg.build import build_dataset
>>> ctx = Context.from_dataset(build_dataset())
>>> view = neighbourhood(ctx, "blackrock", hops=1)
>>> view.name, "blackrock" in view.graph
('focus-blackrock-1', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError, NotFoundError
from kg.names import name_key
from kg.vocab import kg_name

# money view: the commitment edges that point where the money goes; investor edges
# (commitment -> investor in the graph) are drawn reversed, investor -> commitment
MONEY_OUT = {"target", "recipient", "partOf"}


@dataclass(frozen=True)
class Article:
    """A source article as tooltips and the sources list show it."""

    id: str
    title: str
    publisher: str
    date: str = ""  # publication date, or "not before ..." when only a bound is known


@dataclass
class Context:
    """What views draw from: the projection, the articles and the class hierarchy.

    ``subclasses`` maps an ontology class name to itself and every class below it;
    ``properties`` maps a property name to its label (``attendee`` -> ``attended by``);
    ``estimates`` maps a commitment id to its estimated amounts (plain-text lines).
    """

    graph: Any  # networkx.MultiDiGraph from kg.network.to_networkx
    articles: dict[str, Article] = field(default_factory=dict)
    subclasses: dict[str, frozenset[str]] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    estimates: dict[str, list[str]] = field(default_factory=dict)
    dataset: Any = None  # the RDF dataset, for the money flow's commitments
    store: Any = None  # a store over ``dataset`` to read them from (else one is made)
    _commitments: tuple | None = None

    def commitments(self) -> tuple:
        """Every commitment (:class:`kg.model.Commitment`, read once)."""
        if self._commitments is None:
            from kg.session import Session
            from kg.store import MemoryStore

            store = self.store or (MemoryStore(self.dataset) if self.dataset else None)
            found = Session(store).commitments() if store is not None else ()
            self._commitments = found
        return self._commitments

    @classmethod
    def from_dataset(cls, dataset, graph=None, store=None) -> Context:
        """Read articles, classes and estimates from ``dataset`` (``graph``: its projection,
        ``store``: a store over it)."""
        from kg.network import to_networkx

        graph = graph if graph is not None else to_networkx(dataset)
        subclasses, properties = _ontology(dataset)
        return cls(
            graph,
            _articles(dataset),
            subclasses,
            properties,
            _estimates(dataset, graph),
            dataset,
            store,
        )


@dataclass
class View:
    """A graph to draw with its title, a one-line caption and a file stem (``overview``).

    ``kind`` is how it is drawn: ``graph`` (nodes and links), ``flow`` (the money flow of
    ``rows``, :class:`kg.model.Commitment` results) or ``timeline``.
    ``sources``, when set, are the only articles the view draws from: its sources line and
    source filters name just these.
    """

    graph: Any  # networkx.MultiDiGraph
    title: str
    name: str
    caption: str = ""
    directed: bool = True
    kind: str = "graph"
    rows: list = field(default_factory=list)
    sources: tuple[str, ...] = ()


def slug(text: str) -> str:
    """A file-name stem: lower case, runs of other characters as one hyphen (``a-b``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "view"


def _require_nodes(graph, what: str) -> None:
    if graph.number_of_nodes() == 0:
        raise NotFoundError(f"nothing to draw: {what}")


def whole(ctx: Context) -> View:
    """Every node and edge."""
    g = ctx.graph
    return View(
        g,
        "Korea AI investment knowledge graph",
        "overview",
        f"All {g.number_of_nodes()} entities and {g.number_of_edges()} relations.",
    )


def neighbourhood(ctx: Context, centre: str, hops: int = 1) -> View:
    """The entity ``centre`` (an id; :func:`kg.resolve.resolve` finds it by name) and everything
    within ``hops`` steps of it, edges followed in either direction."""
    import networkx as nx

    if hops < 0:
        raise InputError("hops must be 0 or more")
    if centre not in ctx.graph:
        raise NotFoundError(f"'{centre}' is not an entity of the graph")
    near = nx.single_source_shortest_path_length(
        ctx.graph.to_undirected(as_view=True), centre, cutoff=hops
    )
    label = ctx.graph.nodes[centre]["label"]
    steps = "step" if hops == 1 else "steps"
    return View(
        ctx.graph.subgraph(sorted(near)).copy(),
        f"Neighbourhood of {label}",
        f"focus-{centre}-{hops}",
        f"{label} and what lies within {hops} {steps} of it.",
    )


def _short_term(term) -> str:
    from kg.sparql import term_text

    return term_text(term, bare_ids=True)


def of_classes(ctx: Context, classes: list[str]) -> View:
    """Entities of the given ontology classes (subclasses included) and the edges among them."""
    from kg.resolve import known_class

    if not [c for c in classes if c.strip()]:
        raise InputError("--class needs at least one class name")
    wanted: set[str] = set()
    names = []
    for asked in classes:
        cls = known_class(asked, ctx.subclasses)
        names.append(cls)
        wanted |= ctx.subclasses[cls]
    keep = [n for n, d in ctx.graph.nodes(data=True) if wanted & set(d["types"].split())]
    graph = ctx.graph.subgraph(sorted(keep)).copy()
    _require_nodes(graph, f"no entity of class {', '.join(names)}")
    return View(
        graph,
        " and ".join(names),
        "class-" + slug("-".join(names)),
        f"Entities of class {', '.join(names)} and the relations among them.",
    )


def _cites(data: dict) -> set[str]:
    return {c.split(":", 1)[0] for c in data.get("sources", "").split()}


def of_article(ctx: Context, article: str) -> View:
    """What one article says: the nodes and edges it is cited for (by id ``a002`` or title)."""
    found = ctx.articles.get(article) or next(
        (a for a in ctx.articles.values() if name_key(a.title) == name_key(article)), None
    )
    if found is None:
        known = ", ".join(sorted(ctx.articles)) or "none"
        raise NotFoundError(f"no article '{article}' (known: {known})")
    g = ctx.graph
    edges = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True) if found.id in _cites(d)]
    nodes = {n for n, d in g.nodes(data=True) if found.id in _cites(d)}
    nodes |= {n for u, v, _ in edges for n in (u, v)}
    graph = g.edge_subgraph(edges).copy()
    graph.add_nodes_from((n, g.nodes[n]) for n in sorted(nodes - set(graph)))
    _require_nodes(graph, f"article {found.id} is cited for nothing")
    return View(
        _sorted_copy(graph),
        found.title,
        f"source-{found.id}",
        f"What {found.publisher} ({found.id}) says: {graph.number_of_nodes()} entities, "
        f"{graph.number_of_edges()} relations.",
        sources=(found.id,),
    )


def commitment_usd(data: dict) -> float | None:
    """A commitment's size in US dollars: its value, else the middle of its range, else None.

    >>> commitment_usd({"amount_minValueUsd": 1e9, "amount_maxValueUsd": 3e9})
    2000000000.0
    """
    if "amount_valueUsd" in data:
        return data["amount_valueUsd"]
    low, high = data.get("amount_minValueUsd"), data.get("amount_maxValueUsd")
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def money(ctx: Context) -> View:
    """Investors -> commitments -> projects and recipients; each edge carries the USD amount."""
    import networkx as nx

    g = ctx.graph
    out = nx.MultiDiGraph()
    for c, data in g.nodes(data=True):
        if data["group"] != "Commitment":
            continue
        usd = commitment_usd(data)
        attrs = dict(data)
        if ctx.estimates.get(c):
            attrs["estimates"] = "\n".join(ctx.estimates[c])
        out.add_node(c, **attrs)
        for _, other, key, edge in g.out_edges(c, keys=True, data=True):
            if edge["predicate"] == "investor":
                out.add_node(other, **g.nodes[other])
                out.add_edge(other, c, key=key, **{**edge, "label": "commits"}, **_usd(usd))
            elif edge["predicate"] in MONEY_OUT:
                out.add_node(other, **g.nodes[other])
                out.add_edge(c, other, key=key, **edge, **_usd(usd))
    _require_nodes(out, "no commitments in the graph")
    rows = [c for c in ctx.commitments() if c.id in out]
    return View(
        _sorted_copy(out),
        "Money: investors, commitments and projects",
        "money",
        "Where the committed money goes, in US dollars; hover a band for the amount in its own "
        "currency, the exchange rate and the sources.",
        kind="flow",
        rows=rows,
    )


def timeline(ctx: Context) -> View:
    """Events, agreements and announcements on a time axis, each at its date's precision."""
    from kg.viz.timeline import items

    dated = items(ctx.graph)
    _require_nodes(ctx.graph.subgraph([i.id for i in dated]), "nothing in the graph has a date")
    return View(
        ctx.graph,
        "Timeline: events, agreements and announcements",
        "timeline",
        f"{len(dated)} dated items; a dot is a day, a bar a month or a span, hatched a year.",
        kind="timeline",
    )


def _usd(usd: float | None) -> dict:
    return {} if usd is None else {"usd": usd}


def _sorted_copy(graph):
    """The same graph with nodes and edges inserted in sorted order (stable layouts)."""
    import networkx as nx

    out = nx.MultiDiGraph()
    out.add_nodes_from(sorted(graph.nodes(data=True), key=lambda nd: nd[0]))
    out.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]))
    return out


def of_rdf(ctx: Context, rdf_graph, title: str, name: str) -> View:
    """A view of an RDF graph (e.g. a CONSTRUCT result): IRIs are nodes, links between them edges.

    Entities of the knowledge graph keep their labels, classes and sources; other IRIs show
    their prefixed name and the kg class they are typed with. Literal values become lines of
    their subject's tooltip.
    """
    import networkx as nx
    from rdflib import RDF, Literal, URIRef

    from kg.network import class_groups
    from kg.vocab import local_id

    out = nx.MultiDiGraph()
    facts: dict[str, list[str]] = {}

    def node(term) -> str:
        ident = local_id(term)
        if ident not in out:
            known = ctx.graph.nodes[ident] if ident in ctx.graph else None
            fallback = {
                "label": _short_term(term),
                "class": "Resource",
                "group": "Other",
                "types": "",
                "sources": "",
            }
            out.add_node(ident, **(dict(known) if known else fallback))
        return ident

    for s, p, o in sorted(rdf_graph, key=lambda t: tuple(map(str, t))):
        if not isinstance(s, URIRef):
            continue
        ident = node(s)
        if p == RDF.type:
            cls = kg_name(o)
            if ident not in ctx.graph and cls:
                data = out.nodes[ident]
                data["types"] = " ".join(sorted({*data["types"].split(), cls}))
                data["class"] = cls
                data["group"] = next(
                    (g for g, members in class_groups().items() if cls in members), "Other"
                )
        elif isinstance(o, Literal):
            facts.setdefault(ident, []).append(f"{_short_term(p)}: {o}")
        elif isinstance(o, URIRef):
            pred = kg_name(p) or _short_term(p)
            out.add_edge(
                ident,
                node(o),
                key=str(p),
                predicate=pred,
                label=ctx.properties.get(pred, _short_term(p)),
                sources="",
            )
    for ident, lines in facts.items():
        out.nodes[ident]["facts"] = "\n".join(lines)
    _require_nodes(out, "the query result has no resources")
    return View(
        _sorted_copy(out),
        title,
        name,
        f"{out.number_of_nodes()} resources and {out.number_of_edges()} links "
        "from a CONSTRUCT query.",
    )


# ----------------------------------------------------------------------------- reading the dataset


def _articles(dataset) -> dict[str, Article]:
    from rdflib import RDF

    from kg.vocab import DCT, KG, PROVENANCE_GRAPH

    prov = dataset.graph(PROVENANCE_GRAPH)
    out = {}
    for s in prov.subjects(RDF.type, KG.NewsArticle):
        ident = str(prov.value(s, DCT.identifier))
        issued, bound = prov.value(s, DCT.issued), prov.value(s, KG.notBefore)
        date = str(issued) if issued else f"not before {bound}" if bound else ""
        out[ident] = Article(
            ident, str(prov.value(s, DCT.title)), str(prov.value(s, DCT.publisher)), date
        )
    return dict(sorted(out.items()))


def _ontology(dataset) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Each kg class with every class below it, and each kg property's English label."""
    from rdflib import OWL, RDF, RDFS

    from kg.vocab import ONTOLOGY_GRAPH

    onto = dataset.graph(ONTOLOGY_GRAPH)
    classes = {}
    for cls in onto.subjects(RDF.type, OWL.Class):
        if name := kg_name(cls):
            subs = (kg_name(s) for s in onto.transitive_subjects(RDFS.subClassOf, cls))
            classes[name] = frozenset(s for s in subs if s)
    labels: dict = {}
    for prop, label in onto.subject_objects(RDFS.label):
        name = kg_name(prop)
        if name and name not in classes and getattr(label, "language", None) in (None, "en"):
            labels[name] = min(labels.get(name, str(label)), str(label))  # one, whatever order
    return dict(sorted(classes.items())), dict(sorted(labels.items()))


def _estimates(dataset, graph) -> dict[str, list[str]]:
    from kg.network import amount_attrs
    from kg.viz.text import amount_text
    from kg.vocab import KG, local_id

    out: dict[str, list[str]] = {}
    for commitment, estimate in dataset.subject_objects(KG.estimate):
        fields = {kg_name(p) or str(p): o for p, o in dataset.predicate_objects(estimate)}
        line = amount_text(amount_attrs(fields))
        if "scope" in fields:
            line += f", {fields['scope']}"
        who = dataset.value(estimate, KG.estimatedBy)
        if who is not None:
            who = local_id(who)
            line += f" (estimated by {graph.nodes[who]['label'] if who in graph else who})"
        out.setdefault(local_id(commitment), []).append(line)
    return {k: sorted(v) for k, v in sorted(out.items())}
