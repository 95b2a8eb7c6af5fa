"""The fused view as framed JSON-LD: every entity ONE object with readable keys.

``entities.jsonld`` holds one object per entity (``id``, ``type``, ``label``, ``aliases``,
``attendee``, ``startDate``, ...), with what belongs to it embedded: the memberships it holds
(``memberships``: organisation and title), the statements it made (``statements``), its amounts
and estimates. The context is a real one: every key is a term with its IRI and its coercion
(``@id``, a datatype, a language), ids are relative to ``@base`` (``blackrock``), classes and
status values relative to ``@vocab`` (``Investor``, ``Announced``). The RDF the document stands
for is exactly the fused view (``kg.ttl``): ``citations`` (the ``source:paragraph`` codes behind
an object) is mapped to null, so it is for reading only; per-claim provenance is in ``kg.trig``.

Written from the quads in one pass (rdflib's JSON-LD writer and framing through PyLD grow with
the square of the graph); a key a predicate would get twice (two languages, two datatypes) gets
the kind as a suffix: ``label`` and ``label_ko``, ``startDate`` and ``startDate_gYearMonth``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Any

from rdflib import RDF, XSD, URIRef

from kg.export import DEFAULT_GRAPH, Quads
from kg.network import NOT_NODES
from kg.vocab import DCT, ID, KG, ONTOLOGY_GRAPH, PREFIXES, PROV, PROVENANCE_GRAPH, SKOS, kg_name

FILE = "entities.jsonld"
NAMES = {SKOS.prefLabel: "label", SKOS.altLabel: "aliases"}
# objects that point at their owner: embedded under it, through the reverse of the predicate
REVERSE = {KG.member: "memberships", KG.speaker: "statements"}
CITATIONS = "citations"
MAX_DEPTH = 8  # deeper chains of embedded objects stay top-level
_RELATIVE = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items() if p != "id"}  # "id" is @id here

Subjects = dict[Any, dict[Any, list]]


def _kind(o) -> tuple[str, str]:
    if isinstance(o, URIRef):
        return ("iri", "")
    if o.language:
        return ("language", o.language)
    if o.datatype and o.datatype != XSD.string:
        return ("type", str(o.datatype))
    return ("plain", "")


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


class _Terms:
    """The context's terms: one per (predicate, kind of value), named for readers."""

    def __init__(self, subjects: Subjects):
        counts: Counter = Counter()
        multi: set = set()
        kg_only: dict = {}
        for preds in subjects.values():
            for p, objects in preds.items():
                if p == RDF.type:
                    continue
                per: Counter = Counter(_kind(o) for o in objects)
                counts.update({(p, k): n for k, n in per.items()})
                multi.update((p, k) for k, n in per.items() if n > 1)
                for o in objects:
                    if isinstance(o, URIRef):
                        kg_only[p] = kg_only.get(p, True) and kg_name(o) is not None
        self.vocab = {p for p, only in kg_only.items() if only}
        self.name: dict[tuple, str] = {}
        self.context: dict[str, Any] = {}
        taken = {"id", "type", CITATIONS, *REVERSE.values()}
        by_predicate: dict = defaultdict(list)
        for (p, kind), n in counts.items():
            by_predicate[p].append((-n, kind))
        for p in sorted(by_predicate, key=str):
            base = NAMES.get(p) or kg_name(p) or self._prefixed(str(p))
            for i, (_, kind) in enumerate(sorted(by_predicate[p])):
                name = base if i == 0 else f"{base}_{self._suffix(kind)}"
                while name in taken:
                    name += "_"
                taken.add(name)
                self.name[(p, kind)] = name
                self.context[name] = self._definition(p, kind, (p, kind) in multi)

    @staticmethod
    def _prefixed(iri: str) -> str:
        for prefix, ns in _PREFIXES.items():
            if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(ns) :]):
                return f"{prefix}_{iri[len(ns) :]}"
        return iri

    @staticmethod
    def _suffix(kind: tuple[str, str]) -> str:
        what, detail = kind
        return {"iri": "ref", "plain": "text"}.get(what) or _local(detail) or what

    def _definition(self, p, kind: tuple[str, str], multi: bool) -> dict:
        what, detail = kind
        out: dict[str, Any] = {"@id": compact_iri(str(p))}
        if what == "iri":
            out["@type"] = "@vocab" if p in self.vocab else "@id"
        elif what == "language":
            out["@language"] = detail
        elif what == "type":
            out["@type"] = compact_iri(detail)
        if multi:
            out["@container"] = "@set"
        return out


def compact_iri(iri: str) -> str:
    """``prefix:local`` with one of the project's prefixes, else the IRI."""
    for prefix, ns in sorted(_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(ns) :]
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local):
            return f"{prefix}:{local}"
    return iri


def _reference(iri: str) -> str:
    """An entity IRI relative to ``@base`` where that is safe, else the IRI."""
    text = str(iri)
    local = text[len(str(ID)) :] if text.startswith(str(ID)) else None
    return local if local is not None and _RELATIVE.fullmatch(local) else compact_iri(text)


def _vocab_value(iri: str, terms: dict) -> str:
    name = kg_name(iri)
    if name and name not in terms and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name):
        return name
    return compact_iri(iri)


def _citations(quads: Quads) -> dict:
    """Each subject of a claim graph with the ``source:paragraph`` codes of its claims."""
    prov = quads.graphs.get(str(PROVENANCE_GRAPH), {})
    sources = {
        s: str(values[0])
        for s, preds in prov.items()
        for values in [preds.get(DCT.identifier, [])]
        if values
    }
    codes: dict = {}
    for cite, preds in prov.items():
        src, para = preds.get(PROV.entity), preds.get(KG.paragraph)
        if src and para and src[0] in sources:
            codes[cite] = f"{sources[src[0]]}:{para[0]}"
    by_claim = {
        claim: {codes[c] for c in preds.get(KG.citation, ()) if c in codes}
        for claim, preds in prov.items()
    }
    out: dict = defaultdict(set)
    for name, subjects in quads.graphs.items():
        if name in (str(PROVENANCE_GRAPH), str(ONTOLOGY_GRAPH), DEFAULT_GRAPH):
            continue
        found = by_claim.get(URIRef(name), set())
        for s in subjects:
            out[s] |= found
    return out


def _order(key: str) -> tuple:
    rank = {"id": 0, "type": 1, "label": 2, "aliases": 4, CITATIONS: 9}.get(key)
    if rank is None:
        rank = 3 if key.startswith("label_") else 8 if key in REVERSE.values() else 5
    return (rank, key)


def _sorted(values: list) -> list:
    """Values in a stable order: embedded objects by id, the others by their JSON text."""

    def key(v) -> tuple:
        if isinstance(v, dict) and "id" in v:
            return (1, str(v["id"]))
        return (0, json.dumps(v, sort_keys=True, ensure_ascii=False))

    return sorted(values, key=key)


def _parents(subjects: Subjects) -> dict:
    """Each object that belongs to another: ``child -> (parent, predicate, reverse?)``."""
    aux = {
        s
        for s, preds in subjects.items()
        if any(kg_name(t) in NOT_NODES for t in preds.get(RDF.type, ()))
    }
    incoming: dict = defaultdict(list)
    for s, preds in subjects.items():
        for p, objects in preds.items():
            for o in objects:
                if o in aux and p != RDF.type:
                    incoming[o].append((s, p))
    parents: dict = {}
    for child in sorted(aux, key=str):
        owners = [
            (objs[0], p, True)
            for p in REVERSE
            if len(objs := subjects[child].get(p, [])) == 1 and objs[0] in subjects
        ]
        refs = incoming.get(child, [])
        if len(refs) == 1 and refs[0][0] != child:
            parents[child] = (*refs[0], False)
        elif not refs and len(owners) == 1:
            parents[child] = owners[0]
    for child in list(parents):  # no cycles, no deep chains
        node, depth = child, 0
        while node in parents and depth <= MAX_DEPTH:
            node, depth = parents[node][0], depth + 1
            if node == child:
                break
        if node == child or depth > MAX_DEPTH:
            del parents[child]
    return parents


def render(data: Quads) -> str:
    """The framed document: ``{"@context": ..., "@graph": [one object per entity]}``."""
    subjects = data.fused()
    terms = _Terms(subjects)
    cites = _citations(data)
    parents = _parents(subjects)
    owned = {(c, p) for c, (_, p, reverse) in parents.items() if reverse}
    objects: dict = {}
    for s, preds in subjects.items():
        obj: dict[str, Any] = {"id": _reference(s)}
        for p, values in preds.items():
            if p == RDF.type:
                obj["type"] = _sorted([_vocab_value(str(t), terms.context) for t in values])
                continue
            if (s, p) in owned:
                continue
            for o in values:
                name = terms.name[(p, _kind(o))]
                if isinstance(o, URIRef):
                    vocab = p in terms.vocab
                    value = _vocab_value(str(o), terms.context) if vocab else _reference(o)
                else:
                    value = str(o)
                obj.setdefault(name, []).append((o, value))
        if cites.get(s):
            obj[CITATIONS] = sorted(cites[s], key=lambda c: (c.split(":")[0], int(c.split(":")[1])))
        objects[s] = obj
    for child, (parent, p, reverse) in sorted(parents.items(), key=lambda kv: str(kv[0])):
        target = objects[parent]
        if reverse:
            target.setdefault(REVERSE[p], []).append((child, objects[child]))
        else:
            name = terms.name[(p, ("iri", ""))]
            target[name] = [(o, objects[child] if o == child else v) for o, v in target[name]]
    graph = [_finish(objects[s], terms) for s in sorted(subjects, key=str) if s not in parents]
    context = {
        "@base": str(ID),
        "@vocab": str(KG),
        **_PREFIXES,
        "id": "@id",
        "type": "@type",
        CITATIONS: None,
        **{n: {"@reverse": compact_iri(str(p)), "@container": "@set"} for p, n in REVERSE.items()},
        **dict(sorted(terms.context.items())),
    }
    doc = {"@context": context, "@graph": graph}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _finish(obj: dict, terms: _Terms) -> dict:
    """The object with its values in canonical order, lists where the term is a set."""
    out: dict[str, Any] = {}
    for key in sorted(obj, key=_order):
        value = obj[key]
        if key in ("id", "type", CITATIONS):
            out[key] = value if key != "type" or len(value) > 1 else value[0]
            continue
        items = [v for _, v in value]
        items = _sorted([_finish(v, terms) if isinstance(v, dict) else v for v in items])
        is_set = key in REVERSE.values() or terms.context.get(key, {}).get("@container")
        out[key] = items if is_set or len(items) > 1 else items[0]
    return out
