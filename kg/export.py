"""Render the dataset in RDF formats, byte-for-byte the same on every run, and write exports.

Renderers are pure (``render_*`` return text); :func:`write_exports` puts them on disk through the
one atomic writer, so a failure leaves the previous exports exactly as they were.

Every renderer reads one :class:`Quads` index (graph -> subject -> predicate -> objects, built in
one pass) and writes its text in a canonical order, so the work grows with the number of quads
(rdflib's own TriG and JSON-LD writers scan a list per name or per graph, which grows with its
square):

- N-Quads: the lines sorted.
- TriG: graphs by IRI, each in rdflib's ``longturtle`` layout (subjects typed ``rdfs:Class`` first,
  then by how often they are an object and by IRI; ``rdf:type`` first, then predicates and objects
  sorted), prefixed names wherever rdflib would write them. A literal is always one line.
- Turtle: the same layout for the fused view (every claim graph, without provenance or ontology).
- JSON-LD: rdflib's compaction with the project's prefixes (``@type`` for classes, native numbers
  and booleans), every object's keys and every array sorted.

>>> from kg.build import build_dataset
>>> render_nquads(build_dataset()).count("\\n") > 1000
True
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import split_uri

from kg.quadset import QuadSet
from kg.vocab import ONTOLOGY_GRAPH, PREFIXES, PROVENANCE_GRAPH, bind_prefixes
from kg.writer import write_files

DEFAULT_GRAPH = "urn:x-rdflib:default"
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")

Subjects = dict[Any, dict[Any, list]]


@dataclass
class Quads:
    """The dataset's quads grouped by graph IRI, subject and predicate (one pass)."""

    graphs: dict[str, Subjects] = field(default_factory=dict)

    @classmethod
    def of(cls, dataset: Dataset | QuadSet) -> Quads:
        """Group every quad; blank nodes are refused (they make exports non-deterministic).
        A :class:`kg.quadset.QuadSet` is grouped already: its graphs are shared, not copied."""
        graphs: dict[str, Subjects] = {}
        if isinstance(dataset, QuadSet):
            if dataset.ontology:
                graphs[str(ONTOLOGY_GRAPH)] = cls.of_triples(dataset.ontology)
            graphs.update(dataset.grouped)
            return cls(graphs)
        for s, p, o, g in dataset.quads((None, None, None, None)):
            if isinstance(s, BNode) or isinstance(o, BNode) or isinstance(p, BNode):
                raise ValueError("blank nodes make exports non-deterministic; mint an IRI instead")
            name = DEFAULT_GRAPH if g is None else str(g)
            graphs.setdefault(name, {}).setdefault(s, {}).setdefault(p, []).append(o)
        return cls(graphs)

    @staticmethod
    def of_triples(graph: Graph) -> Subjects:
        """One rdflib graph's triples grouped by subject and predicate (no blank nodes)."""
        subjects: Subjects = {}
        for s, p, o in graph:
            if isinstance(s, BNode) or isinstance(o, BNode):
                raise ValueError("blank nodes make exports non-deterministic; mint an IRI instead")
            subjects.setdefault(s, {}).setdefault(p, []).append(o)
        return subjects

    def names(self) -> list[str]:
        """Non-empty graphs' IRIs, sorted."""
        return sorted(name for name, subjects in self.graphs.items() if subjects)

    def fused(self) -> Subjects:
        """Every claim graph's triples in one (no provenance, no ontology), without duplicates."""
        skip = {str(ONTOLOGY_GRAPH), str(PROVENANCE_GRAPH)}
        merged: dict[Any, dict[Any, dict]] = {}
        for name in self.names():
            if name in skip:
                continue
            for s, preds in self.graphs[name].items():
                into = merged.setdefault(s, {})
                for p, objects in preds.items():
                    into.setdefault(p, {}).update(dict.fromkeys(objects))
        return {s: {p: list(objs) for p, objs in preds.items()} for s, preds in merged.items()}


def _quads(data: Dataset | QuadSet | Quads) -> Quads:
    return data if isinstance(data, Quads) else Quads.of(data)


def _prefix_block() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items())) + "\n"


class _Names:
    """Prefixed names as rdflib's Turtle writer makes them, with the graph's bound prefixes
    (the project's and rdflib's defaults), cached per IRI; each IRI's text is cached too (the
    build's terms are interned, so a look-up is mostly an identity match, not rdflib's ``==``)."""

    def __init__(self) -> None:
        graph = Graph()
        bind_prefixes(graph)
        self._store = graph.namespace_manager.store
        self._prefix: dict[str, str | None] = {}
        self._cache: dict[str, str | None] = {}
        self._texts: dict = {}

    def _bound(self, namespace: str) -> str | None:
        if namespace not in self._prefix:
            self._prefix[namespace] = self._store.prefix(URIRef(namespace))
        return self._prefix[namespace]

    def pname(self, iri: str) -> str | None:
        """``prefix:local`` or None (no bound prefix, or a local name Turtle cannot write)."""
        if iri in self._cache:
            return self._cache[iri]
        try:
            namespace, local = split_uri(iri)
        except ValueError:
            namespace, local = iri, ""
        prefix = self._bound(namespace)
        name = None
        if prefix:
            local = _PERCENT.sub("\\%", local.replace("(", r"\(").replace(")", r"\)"))
            name = None if local.endswith(".") else f"{prefix}:{local}"
        self._cache[iri] = name
        return name

    def iri(self, node: URIRef) -> str:
        text = self._texts.get(node)
        if text is None:
            text = self._texts[node] = "()" if node == RDF.nil else self.pname(node) or node.n3()
        return text

    def term(self, node) -> str:
        if isinstance(node, Literal):
            return self.literal(node)  # literals seldom repeat: not kept
        return self.iri(node)

    def literal(self, lit: Literal) -> str:
        if "\n" not in lit:
            return lit._literal_n3(use_plain=True, qname_callback=self.pname)
        # one line: rdflib would write a triple-quoted literal that TriG's indent would change
        text = '"{}"'.format(
            lit.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        )
        if lit.language:
            return f"{text}@{lit.language}"
        if lit.datatype:
            return f"{text}^^{self.pname(lit.datatype) or '<' + str(lit.datatype) + '>'}"
        return text


def _ordered_subjects(subjects: Subjects) -> list[URIRef]:
    """rdflib's order: subjects typed rdfs:Class, then by references as an object, then IRI."""
    refs: Counter = Counter()
    for preds in subjects.values():
        for objects in preds.values():
            refs.update(objects)
    top = sorted(s for s, preds in subjects.items() if RDFS.Class in preds.get(RDF.type, ()))
    seen = set(top)
    rest = sorted((refs[s], s) for s in subjects if s not in seen)
    return top + [s for _, s in rest]


def _ordered_predicates(preds: Iterable[URIRef]) -> list[URIRef]:
    first = [p for p in (RDF.type, RDFS.label) if p in preds]
    return first + sorted(p for p in preds if p not in first)


def _turtle_body(subjects: Subjects, names: _Names, indent: str = "") -> str:
    """Triples in rdflib's ``longturtle`` layout, without prefix lines, each line indented."""
    blocks = []
    for s in _ordered_subjects(subjects):
        preds = subjects[s]
        lines = [indent + names.iri(s)]
        ordered = _ordered_predicates(preds)
        for p in ordered:
            verb = "a" if p == RDF.type else names.iri(p)
            objects = sorted(preds[p])
            end = " ;"
            if len(objects) == 1:
                lines.append(f"{indent}    {verb} {names.term(objects[0])}{end}")
                continue
            lines.append(f"{indent}    {verb}")
            last = len(objects) - 1
            for j, o in enumerate(objects):
                lines.append(f"{indent}        {names.term(o)}{end if j == last else ' ,'}")
        lines.append(indent + ".")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_nquads(dataset: Dataset | Quads) -> str:
    """All graphs as N-Quads, lines sorted (the canonical form for diffs and bulk loaders)."""
    return "".join(nquads_chunks(dataset))


def nquads_chunks(dataset: Dataset | Quads, lines: int = 20_000) -> Iterator[str]:
    """:func:`render_nquads`'s text in chunks of about ``lines`` lines, never held whole.

    Every line starts with its subject's text and a space, and no subject's text is the start
    of another's (an IRI ends at its ``>``), so the lines of one subject are a run of the sorted
    whole: subjects are taken in sorted order, and only one subject's lines (from every graph)
    are sorted at a time.
    """
    quads = _quads(dataset)
    owners: dict[str, list[tuple[str, dict]]] = {}
    for name, subjects in quads.graphs.items():
        graph = "" if name == DEFAULT_GRAPH else f" <{name}>"
        for s, preds in subjects.items():
            owners.setdefault(s.n3(), []).append((graph, preds))
    chunk: list[str] = []
    written = False
    for sn in sorted(owners):
        found: set[str] = set()
        for graph, preds in owners.pop(sn):
            for p, objects in preds.items():
                head = f"{sn} {p.n3()} "
                found.update(f"{head}{o.n3()}{graph} ." for o in objects)
        chunk.extend(sorted(found))
        if len(chunk) >= lines:
            yield "\n".join(chunk) + "\n"
            chunk, written = [], True
    if chunk or not written:
        yield "\n".join(chunk) + "\n"


def render_ntriples(dataset: Dataset | Quads, skip: Iterable[str] = ()) -> str:
    """The triples of every graph but those named in ``skip``, as N-Triples (unsorted; a triple
    in several graphs is written once per graph)."""
    quads = _quads(dataset)
    left_out = set(skip)
    lines: list[str] = []
    for name, subjects in quads.graphs.items():
        if name in left_out:
            continue
        for s, preds in subjects.items():
            sn = s.n3()
            for p, objects in preds.items():
                head = f"{sn} {p.n3()} "
                lines.extend(f"{head}{o.n3()} ." for o in objects)
    return "\n".join(lines) + "\n"


def render_trig(dataset: Dataset | Quads) -> str:
    """All graphs as TriG: the ontology, the provenance graph and one graph per claim."""
    return "".join(trig_chunks(dataset))


def trig_chunks(dataset: Dataset | Quads) -> Iterator[str]:
    """:func:`render_trig`'s text graph by graph (no more than one graph's text is held)."""
    quads = _quads(dataset)
    names = _Names()
    yield _prefix_block().rstrip("\n")
    for name in quads.names():
        body = _turtle_body(quads.graphs[name], names, indent="    ")
        yield f"\n\n<{name}> {{\n{body}\n}}"
    yield "\n"


def render_turtle(dataset: Dataset | Quads) -> str:
    """The fused view: every claim's triples in one graph, without provenance or ontology."""
    return _prefix_block() + _turtle_body(_quads(dataset).fused(), _Names()) + "\n"


def render_jsonld(dataset: Dataset | Quads) -> str:
    """All graphs as JSON-LD (named graphs kept), with a context of the project's prefixes."""
    return "".join(jsonld_chunks(dataset))


def jsonld_chunks(dataset: Dataset | Quads) -> Iterator[str]:
    """:func:`render_jsonld`'s text in chunks, graph by graph (:mod:`kg.jsonld`)."""
    from kg.jsonld import chunks

    return chunks(_quads(dataset))


def render_all(dataset: Dataset | Quads, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every export file name mapped to its content (an RDF file given in ``extra`` as already
    rendered is taken as it is)."""
    quads = _quads(dataset)
    given = extra or {}
    files = {
        name: given[name] if name in given else render(quads)
        for name, render in (
            ("kg.trig", render_trig),
            ("kg.nq", render_nquads),
            ("kg.ttl", render_turtle),
            ("kg.jsonld", render_jsonld),
        )
    }
    files.update(given)
    return files


def write_exports(files: Mapping[str, str | bytes], out: Path | str) -> list[Path]:
    """Write all files into ``out`` atomically (all or nothing); return their paths."""
    return write_files(Path(out), files)
