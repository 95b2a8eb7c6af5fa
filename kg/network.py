"""Project the RDF dataset into a networkx MultiDiGraph for paths, centrality and pictures.

Entities, events, agreements, commitments, projects and statistics are nodes; memberships are
folded into one edge ``member -[CEO of]-> organisation``; amounts and quantities become node
attributes; sources, claims and statements are not nodes (they are not steps of a path). Every
attribute is a scalar, so the graph can be written as GraphML.

>>> from kg.build import build_dataset
>>> g = to_networkx(build_dataset())
>>> g.nodes["blackrock"]["label"]
'BlackRock'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from kg.vocab import KG, ONTOLOGY_GRAPH, PROV, PROVENANCE_GRAPH, SKOS, kg_name, local_id

if TYPE_CHECKING:
    from kg.quadset import QuadSet

# the class shown for a node is its most specific class in the ontology (kg.ttl), except that a
# role beats a kind: a company that invests is shown as an Investor
DISPLAY_FIRST = ("Investor",)
ABSTRACT = ("Agent",)  # a superclass of groups (people, organisations), never a group itself
NOT_NODES = {
    "Membership",
    "MonetaryAmount",
    "Quantity",
    "Statement",
    "Claim",
    "Citation",
    "NewsArticle",
}
NOT_FACTS = (ONTOLOGY_GRAPH, PROVENANCE_GRAPH)  # graphs whose triples are not facts
NAMES = (SKOS.prefLabel, SKOS.altLabel)  # they name a node, never link it to another
# a membership is not a node: it folds into one link between these two of its values
FOLDED = "Membership"
FOLD = {KG.member: "member", KG.organization: "org"}


def is_node(names) -> bool:
    """Whether a subject with these kg classes (from the fact graphs) is a node."""
    return bool(names) and not names & NOT_NODES


@cache
def class_groups() -> dict[str, tuple[str, ...]]:
    """The broad group of each drawn class, for colours and filters, read from the ontology's
    class tree: a group is a top class (below :data:`ABSTRACT`) and holds itself and every
    class under it, most specific first (``Place``: Country, City ..., Place)."""
    from kg.seeds import class_closure

    closure = class_closure()
    depth = {c: len(up) for c, up in closure.items()}
    groups: dict[str, list[str]] = {}
    for cls, up in closure.items():
        tops = sorted((c for c in up if c not in ABSTRACT), key=lambda c: (depth[c], c))
        if cls in ABSTRACT or cls in NOT_NODES or not tops or tops[0] in NOT_NODES | {"Status"}:
            continue
        groups.setdefault(tops[0], []).append(cls)
    return {g: tuple(sorted(m, key=_rank(depth))) for g, m in sorted(groups.items())}


@cache
def display_classes() -> tuple[str, ...]:
    """Every drawn class in the order a node's shown class is chosen: the first it has."""
    from kg.seeds import class_closure

    depth = {c: len(up) for c, up in class_closure().items()}
    every = [c for members in class_groups().values() for c in members]
    return tuple(sorted(every, key=_rank(depth)))


def _rank(depth: dict[str, int]):
    return lambda c: (c not in DISPLAY_FIRST, -depth[c], c)


def _english(values) -> str | None:
    values = sorted(values, key=lambda v: (getattr(v, "language", None) != "en", str(v)))
    return str(values[0]) if values else None


def claim_sources(dataset: Dataset | QuadSet) -> dict:
    """Each claim graph mapped to its citations, as ``source:paragraph`` strings."""
    prov = dataset.graph(PROVENANCE_GRAPH)
    out: dict = defaultdict(list)
    for claim, cite in prov.subject_objects(KG.citation):
        source = prov.value(cite, PROV.entity)
        para = prov.value(cite, KG.paragraph)
        out[claim].append(f"{local_id(source).removeprefix('source/')}:{para}")
    return {k: sorted(v) for k, v in out.items()}


def to_networkx(dataset: Dataset | QuadSet):
    """The projection described in the module docstring, deterministic in node and edge order."""
    import networkx as nx

    facts = [g for g in dataset.graphs() if g.identifier not in NOT_FACTS]
    sources = claim_sources(dataset)
    onto = dataset.graph(ONTOLOGY_GRAPH)
    types: dict = defaultdict(set)
    triples: list[tuple] = []
    for graph in facts:
        cites = sources.get(graph.identifier) or []
        for s, p, o in graph:
            if p == RDF.type and (name := kg_name(o)):
                types[s].add(name)
            triples.append((s, p, o, cites))

    nodes = {s for s, names in types.items() if is_node(names)}
    attrs: dict[URIRef, dict] = {n: {"labels": [], "cites": set()} for n in nodes}
    edges: dict[tuple, set[str]] = defaultdict(set)
    memberships: dict[URIRef, dict] = defaultdict(lambda: {"cites": set()})
    amounts: dict[URIRef, dict] = defaultdict(dict)
    links: list[tuple] = []
    for s, p, o, cites in triples:
        if s in nodes:
            attrs[s]["cites"].update(cites)
            if p == NAMES[0]:
                attrs[s]["labels"].append(o)
            elif p == NAMES[1]:
                attrs[s].setdefault("aliases", []).append(str(o))
            elif isinstance(o, Literal) and p != RDF.type:
                attrs[s].setdefault(kg_name(p) or str(p), []).append(o)
            elif o in nodes:
                edges[(s, o, p)].update(cites)
            elif isinstance(o, URIRef) and p == KG.amount:
                links.append((s, o))
            elif p == KG.status:
                attrs[s]["status"] = [Literal(kg_name(o))]
        elif FOLDED in types.get(s, ()):
            m = memberships[s]
            m["cites"].update(cites)
            key = FOLD.get(p) or ("title" if p == KG.title else None)
            if key:
                m[key] = o
            elif p == KG.status and o == KG.Former:
                m["former"] = True
        elif "MonetaryAmount" in types.get(s, ()) and isinstance(o, Literal):
            amounts[s][kg_name(p)] = o

    graph = nx.MultiDiGraph()
    for node in sorted(nodes, key=str):
        graph.add_node(local_id(node), **_node_attrs(node, types[node], attrs[node]))
    for s, o in sorted(links, key=lambda t: tuple(map(str, t))):
        graph.nodes[local_id(s)].update(amount_attrs(amounts.get(o, {})))
    for (s, o, p), cites in sorted(edges.items(), key=lambda kv: tuple(map(str, kv[0]))):
        label = _english(onto.objects(p, RDFS.label)) or (kg_name(p) or str(p))
        graph.add_edge(
            local_id(s),
            local_id(o),
            key=kg_name(p) or str(p),
            predicate=kg_name(p) or str(p),
            label=label,
            sources=" ".join(sorted(cites)),
        )
    for iri, m in sorted(memberships.items(), key=lambda kv: str(kv[0])):
        if m.get("member") in nodes and m.get("org") in nodes:
            title = str(m["title"]) if "title" in m else "member"
            label = ("former " if m.get("former") else "") + f"{title} of"
            graph.add_edge(
                local_id(m["member"]),
                local_id(m["org"]),
                key=local_id(iri),
                predicate="member",
                label=label,
                sources=" ".join(sorted(m["cites"])),
            )
    return graph


def shown_class(names) -> tuple[str, str]:
    """The class a node with these kg classes is shown as, and that class's group."""
    display = next((c for c in display_classes() if c in names), sorted(names)[0])
    group = next((g for g, members in class_groups().items() if display in members), display)
    return display, group


def _node_attrs(node: URIRef, names: set[str], a: dict) -> dict:
    display, group = shown_class(names)
    labels = a["labels"]
    out = {
        "label": _english([v for v in labels if v.language in (None, "en")]) or local_id(node),
        "class": display,
        "group": group,
        "types": " ".join(sorted(names)),
        "iri": str(node),
        "sources": " ".join(sorted(a["cites"])),
    }
    ko = [str(v) for v in labels if v.language == "ko"]
    if ko:
        out["label_ko"] = ko[0]
    if a.get("aliases"):
        out["aliases"] = "; ".join(sorted(a["aliases"]))
    for key in (
        "startDate",
        "endDate",
        "announcedOn",
        "description",
        "status",
        "horizonYears",
        "horizonEnd",
        "measureName",
        "period",
        "summary",
    ):
        if a.get(key):
            # several claims may give different values: keep them all, never pick one
            out[key] = " | ".join(sorted({str(v) for v in a[key]}))
    return out


def amount_attrs(amount: dict) -> dict:
    """Node attributes (``amount_*``) of a MonetaryAmount's literals, keyed by kg local name."""
    out = {}
    for key in (
        "currency",
        "value",
        "minValue",
        "maxValue",
        "valueUsd",
        "minValueUsd",
        "maxValueUsd",
        "approximation",
    ):
        if key in amount:
            value = amount[key]
            out["amount_" + key] = (
                float(value) if key not in ("currency", "approximation") else str(value)
            )
    return out


def render_graphml(graph) -> str:
    """The projection as GraphML (opens in Gephi, yEd, Cytoscape)."""
    return "".join(graphml_chunks(graph))


def graphml_chunks(graph, size: int = 2_000) -> Iterator[str]:
    """:func:`render_graphml`'s text in chunks of about ``size`` nodes or edges: networkx's
    ``generate_graphml`` (pretty-printed) byte for byte, without its tree of the whole graph.

    The keys are found in networkx's order first (every attribute, in the order its writer
    meets them); then each node and edge is made as networkx makes it, indented at its depth
    and serialized alone. The first and last lines come from a tree with one stand-in child.
    """
    from xml.etree.ElementTree import Element, tostring

    from networkx.readwrite.graphml import GraphMLWriter

    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    directed = "directed" if graph.is_directed() else "undirected"
    head = {"edgedefault": directed}
    if graph.graph.get("id") is not None:
        head["id"] = graph.graph["id"]
    top = {k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default", "id")}
    node_default = graph.graph.get("node_default", {})
    edge_default = graph.graph.get("edge_default", {})

    def elements() -> Iterator[Element]:
        for node, data in graph.nodes(data=True):
            element = Element("node", id=str(node))
            yield _graphml_element(writer, element, "node", data, node_default)
        if graph.is_multigraph():
            edges = (
                ({"source": str(u), "target": str(v), "id": str(key)}, data)
                for u, v, key, data in graph.edges(data=True, keys=True)
            )
        else:
            edges = (
                ({"source": str(u), "target": str(v)}, data)
                for u, v, data in graph.edges(data=True)
            )
        for attrib, data in edges:
            yield _graphml_element(writer, Element("edge", attrib), "edge", data, edge_default)
        for k, v in top.items():
            yield writer.add_data(str(k), type(v), str(v), "graph", None)

    # the keys first, in the order networkx's writer makes them: the graph's, then each
    # node's and edge's attributes (a data element is made once per new key, for its checks)
    seen: set = set()
    for scope, items, default in (
        ("graph", [top], {}),
        ("node", (data for _, data in graph.nodes(data=True)), node_default),
        ("edge", (data for *_, data in graph.edges(data=True)), edge_default),
    ):
        for data in items:
            for k, v in data.items():
                if (k, type(v), scope) not in seen:
                    seen.add((k, type(v), scope))
                    writer.add_data(str(k), type(v), str(v), scope, default.get(k))
    if not graph.number_of_nodes() and not graph.number_of_edges() and not top:
        import networkx as nx

        yield "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)) + "\n"
        return
    stand_in = Element("node", id="kg-stand-in")
    frame = Element("graph", head)
    frame.append(stand_in)
    writer.xml.append(frame)
    writer.indent(writer.xml)
    text = tostring(writer.xml).decode("utf-8")
    marker = tostring(stand_in).decode("utf-8")
    start = text.index(marker)
    yield _lines(text[:start])
    chunk: list[str] = []
    before = None
    for element in elements():
        if before is not None:
            chunk.append(_indented(writer, before, "\n    "))
            if len(chunk) >= size:
                yield _lines("".join(chunk))
                chunk = []
        before = element
    chunk.append(_indented(writer, before, "\n  "))
    yield _lines("".join(chunk))
    yield _lines(text[start + len(marker) :]) + "\n"


def _graphml_element(writer, element, scope: str, data: dict, default: dict):
    """A node or edge element with its data, as networkx's GraphML writer makes it."""
    for k, v in data.items():
        element.append(writer.add_data(str(k), type(v), str(v), scope, default.get(k)))
    return element


def _indented(writer, element, tail: str) -> str:
    """One child of the graph element, serialized as networkx's indented tree holds it."""
    from xml.etree.ElementTree import tostring

    writer.indent(element, 2)
    element.tail = tail
    return tostring(element).decode("utf-8")


def _lines(text: str) -> str:
    """Line breaks as ``"\\n".join(text.splitlines())`` leaves them (the caller's chunks end
    inside a line's indent, never on a break)."""
    return "\n".join(text.splitlines())
