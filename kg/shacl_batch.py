"""SHACL in bounded batches: the data graph cut into pieces that each validate as the whole does.

A focus node's verdict depends only on what its shapes read. :func:`reach` walks the shapes and
says whether every one reads no more than the focus node's own triples and the ``rdf:type`` of
its values (direct IRI paths; value constraints such as ``sh:class``, ``sh:datatype``, ``sh:in``;
``sh:or``/``sh:and``/``sh:not`` of such shapes; class targets). When it does, :func:`batches`
groups the subjects of every claim graph into batches of about ``size`` triples: each batch
holds all triples of its *owners* (from every graph, since a node may be described by several
claims) and the types of the nodes they point at. A validator run on one batch (with the
ontology) gives every owner exactly the results the whole graph gives it; results for the other
nodes of a batch (the pointed-at nodes, seen only by their types) are not counted there, since
those nodes are owners of their own batch.

>>> from kg.paths import shapes_file
>>> from rdflib import Graph
>>> reach(Graph().parse(shapes_file(), format="turtle"))
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, URIRef

SH = "http://www.w3.org/ns/shacl#"
BATCH_TRIPLES = 20_000
MAX_DEPTH = 32  # nesting of shapes followed; deeper is taken as reaching across
MAX_MEMBERS = 1_000  # members of one sh:or / sh:and / sh:xone list read

# parameters that read the node a shape is applied to, or its values, and nothing further
_VALUE = {
    "class", "datatype", "nodeKind", "in", "hasValue", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "flags", "languageIn",
}  # fmt: skip
_OWN = {  # read the focus node's own triples (only valid where the node is an owner)
    "minCount", "maxCount", "uniqueLang", "lessThan", "lessThanOrEquals", "equals", "disjoint",
    "closed", "ignoredProperties",
}  # fmt: skip
_NOTES = {"message", "severity", "name", "description", "deactivated", "order", "group"}
_TARGETS_LOCAL = {"targetClass", "targetSubjectsOf"}
_LISTS = {"or", "and", "xone"}


@dataclass(frozen=True)
class Batch:
    """Some subjects with all their triples, and the types of the nodes they point at."""

    owners: frozenset[str]  # the owners' IRIs, written as N-Triples terms (``<...>``)
    ntriples: str
    triples: int


def reach(shapes: Graph) -> bool:
    """Whether every shape reads only its focus node's triples and its values' types."""
    sh = lambda name: URIRef(SH + name)  # noqa: E731
    shapes_in = set(shapes.subjects(RDF.type, sh("NodeShape")))
    shapes_in |= set(shapes.subjects(RDF.type, sh("PropertyShape")))
    for shape in shapes_in:
        for p in shapes.predicates(shape, None):
            name = str(p)[len(SH) :] if str(p).startswith(SH) else None
            if name is not None and name.startswith("target") and name not in _TARGETS_LOCAL:
                return False
    return all(_local(shapes, shape, focus=True, depth=0) for shape in shapes_in)


def _local(shapes: Graph, shape, focus: bool, depth: int) -> bool:
    """Whether ``shape``, applied to a focus node (``focus``) or to a value seen only by its
    types, reads nothing beyond what a batch holds."""
    if depth > MAX_DEPTH:
        return False
    path = shapes.value(shape, URIRef(SH + "path"))
    if path is not None:
        if not focus or not isinstance(path, URIRef):
            return False  # a value's own triples, or a path beyond one step
        return _params(shapes, shape, focus=False, own=True, depth=depth)
    return _params(shapes, shape, focus=focus, own=focus, depth=depth)


def _params(shapes: Graph, shape, focus: bool, own: bool, depth: int) -> bool:
    """Check each parameter of one shape; ``focus``: nested node shapes apply to an owner,
    ``own``: cardinality-like parameters read an owner's triples."""
    for p, o in shapes.predicate_objects(shape):
        text = str(p)
        if p == RDF.type or p in (RDFS.label, RDFS.comment):
            continue
        if not text.startswith(SH):
            return False
        name = text[len(SH) :]
        if name in _VALUE or name in _NOTES or name.startswith("target") or name == "path":
            continue
        if name in _OWN:
            if not own:
                return False
            continue
        if name == "property":
            if not focus or not _local(shapes, o, focus=True, depth=depth + 1):
                return False
        elif name in _LISTS:
            members = _members(shapes, o)
            if members is None or not all(
                _local(shapes, m, focus=focus, depth=depth + 1) for m in members
            ):
                return False
        elif name in ("not", "node"):
            if not _local(shapes, o, focus=focus, depth=depth + 1):
                return False
        else:
            return False  # sh:sparql, qualified shapes, anything not known to stay local
    return True


def _members(shapes: Graph, head) -> list | None:
    """The members of an RDF list, or None when it is longer than ``MAX_MEMBERS``, cyclic or
    broken (taken as reaching across)."""
    members: list = []
    node = head
    while node != RDF.nil:
        first = shapes.value(node, RDF.first) if isinstance(node, BNode) else None
        if first is None or len(members) >= MAX_MEMBERS:
            return None
        members.append(first)
        node = shapes.value(node, RDF.rest)
    return members


def batches(graphs: Iterable[dict], ontology: Graph, size: int = BATCH_TRIPLES) -> Iterator[Batch]:
    """The subjects of ``graphs`` (each subject -> predicate -> objects) in batches of about
    ``size`` triples, each with every triple of its owners, the types of what they name and the
    ``ontology`` (whose own nodes, where no graph describes them, the first batch owns)."""
    described: dict = {}
    for subjects in graphs:
        for s, preds in subjects.items():
            described.setdefault(s, []).append(preds)
    schema = [f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in ontology]
    owners: list[str] = sorted({s.n3() for s in ontology.subjects() if s not in described})
    rdf_type = RDF.type
    type_n3 = rdf_type.n3()
    lines: list[str] = []
    pointed: set = set()

    def cut() -> Batch:
        mine = frozenset(owners)
        extra = [
            f"{n3} {type_n3} {t.n3()} ."
            for v in pointed
            if (n3 := v.n3()) not in mine
            for preds in described.get(v, ())
            for t in preds.get(rdf_type, ())
        ]
        text = "\n".join(lines + extra + schema) + "\n"
        batch = Batch(mine, text, len(lines) + len(extra))
        owners.clear()
        lines.clear()
        pointed.clear()
        return batch

    for s, descriptions in described.items():
        sn = s.n3()
        owners.append(sn)
        for preds in descriptions:
            for p, objects in preds.items():
                head = f"{sn} {p.n3()} "
                for o in objects:
                    lines.append(f"{head}{o.n3()} .")
                    if isinstance(o, URIRef):
                        pointed.add(o)
        if len(lines) >= size:
            yield cut()
    if owners or lines:
        yield cut()
