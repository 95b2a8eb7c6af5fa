"""JSON-LD written graph by graph: the canonical document without holding its object tree.

The canonical form (what :func:`kg.export.render_jsonld` has always written) is rdflib's
compaction with the project's prefixes, every object's keys sorted, every array sorted by its
items' compact JSON text, printed with ``indent=1``. Sorting the top-level array (named graphs,
and default-graph nodes) and the node array of each large graph needs every item's sort key,
not the item: :func:`chunks` writes each item's printed text to a spill file as it is made and
keeps only the first ``KEY`` characters of its key and where its text lies; items whose keys
agree on those characters are ordered by their full keys, read back from the spill file. A
graph of at most ``SMALL`` subjects is sorted in memory; a larger one (the provenance graph
holds about half of the quads) node by node the same way, so what is held at once is one
small graph's tree, the keys' heads and the spill offsets.

>>> from kg.build import build_dataset
>>> from kg.export import Quads
>>> text = "".join(chunks(Quads.of(build_dataset())))
>>> text.startswith('{\\n "@context": {')
True
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from rdflib import RDF, XSD, URIRef
from rdflib.plugins.shared.jsonld.util import split_iri

from kg.vocab import PREFIXES

DEFAULT_GRAPH = "urn:x-rdflib:default"
KEY = 128  # characters of a sort key kept per item
SMALL = 2_000  # subjects of a graph sorted in memory
CHUNK = 1 << 20  # characters given to the writer at a time
# literals JSON-LD writes as native values (rdflib's PLAIN_LITERAL_TYPES)
_NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}


class Compactor:
    """rdflib's JSON-LD compaction with a context of prefixes only, cached per IRI."""

    def __init__(self, context: dict[str, str]):
        self._prefixes = {ns: p for p, ns in context.items()}
        self._terms = set(context.values())
        self._shrunk: dict[str, str] = {}

    def shrink(self, iri: str) -> str:
        found = self._shrunk.get(iri)
        if found is None:
            ns, name = split_iri(iri)
            pfx = self._prefixes.get(ns)
            found = self._shrunk[iri] = f"{pfx}:{name}" if pfx else iri
        return found

    def symbol(self, iri: str) -> str:
        if iri in self._terms:  # a prefix's own IRI is its term
            return next(p for ns, p in self._prefixes.items() if ns == iri)
        return self.shrink(iri)

    def value(self, o):
        if isinstance(o, URIRef):
            return {"@id": self.shrink(o)}
        if o.datatype in _NATIVE:
            return o.toPython()
        if o.datatype:
            return {"@type": self.symbol(o.datatype), "@value": str(o)}
        if o.language:
            return {"@language": o.language, "@value": str(o)}
        return str(o)

    def _type(self, o):
        return self.symbol(o) if isinstance(o, URIRef) else self.value(o)

    def node(self, s: URIRef, preds: dict[URIRef, list]) -> dict:
        node: dict = {"@id": self.shrink(s)}
        for p, objects in preds.items():
            if p == RDF.type:
                key = "@type"
                values = [self._type(o) for o in objects]
            else:
                key = self.symbol(p)
                values = [self.value(o) for o in objects]
            node[key] = values[0] if len(values) == 1 else values
        return node


def canonical(value):
    """JSON-LD with every array sorted: arrays there are sets, so this changes no meaning."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=_compact)
    return value


def _compact(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _printed(value, depth: int) -> str:
    """``value`` as ``json.dumps(indent=1)`` prints it ``depth`` levels down a document."""
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)
    return text.replace("\n", "\n" + " " * depth) if depth else text


class _Spill:
    """Append-only text kept in an unnamed temporary file, read back by (offset, length)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115 (closed by close())
        self._fd = self._file.fileno()
        self._size = 0
        self._pending: list[bytes] = []
        self._pending_size = 0

    def put(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8")
        where = (self._size + self._pending_size, len(data))
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= CHUNK:
            self._flush()
        return where

    def _flush(self) -> None:
        if self._pending:
            os.pwrite(self._fd, b"".join(self._pending), self._size)
            self._size += self._pending_size
            self._pending, self._pending_size = [], 0

    def get(self, where: tuple[int, int]) -> str:
        self._flush()
        start, length = where
        return os.pread(self._fd, length, start).decode("utf-8")

    def close(self) -> None:
        self._file.close()


# an item: (head of its sort key, its text as pieces: literal text or spilled (offset, length))
Piece = Any
Item = tuple[str, list[Piece]]


def _text(spill: _Spill, pieces: list[Piece]) -> str:
    return "".join(p if isinstance(p, str) else spill.get(p) for p in pieces)


def _ordered(spill: _Spill, items: list[Item]) -> list[Item]:
    """Items in the order of their full sort keys (heads first, ties read back)."""
    items.sort(key=lambda item: item[0])
    out: list[Item] = []
    i = 0
    while i < len(items):
        j = i + 1
        while j < len(items) and items[j][0] == items[i][0]:
            j += 1
        group = items[i:j]
        if len(group) > 1 and len(group[0][0]) >= KEY:
            group.sort(key=lambda item: _compact(json.loads(_text(spill, item[1]))))
        out += group
        i = j
    return out


def _small_item(spill: _Spill, value, depth: int) -> Item:
    return _compact(value)[:KEY], [spill.put(_printed(value, depth))]


def _graph_item(spill: _Spill, compact: Compactor, name: str, subjects: dict) -> Item:
    """One named graph as a top-level item: ``{"@graph": [nodes], "@id": name}``."""
    iri = compact.shrink(name)
    if len(subjects) <= SMALL:
        nodes = [compact.node(s, preds) for s, preds in subjects.items()]
        return _small_item(spill, canonical({"@id": iri, "@graph": nodes}), 2)
    nodes_sorted = _ordered(
        spill,
        [_small_item(spill, canonical(compact.node(s, preds)), 4) for s, preds in subjects.items()],
    )
    tail = f'], "@id": {json.dumps(iri, ensure_ascii=False)}}}'
    head = '{"@graph": ['
    for n, (key, _) in enumerate(nodes_sorted):
        if len(head) >= KEY:
            break
        head += (", " if n else "") + key
    else:
        head += tail
    pieces: list[Piece] = ['{\n   "@graph": [\n']
    for n, (_, where) in enumerate(nodes_sorted):
        pieces += [",\n    " if n else "    ", *where]
    pieces.append(f'\n   ],\n   "@id": {json.dumps(iri, ensure_ascii=False)}\n  }}')
    return head[:KEY], pieces


def chunks(quads, prefixes: dict[str, str] | None = None) -> Iterator[str]:
    """The JSON-LD document of a :class:`kg.export.Quads`, as text chunks in order."""
    context = prefixes or {p: str(ns) for p, ns in PREFIXES.items()}
    compact = Compactor(context)
    spill = _Spill()
    try:
        items: list[Item] = []
        for name in quads.names():
            subjects = quads.graphs[name]
            if name == DEFAULT_GRAPH:
                items += [
                    _small_item(spill, canonical(compact.node(s, preds)), 2)
                    for s, preds in subjects.items()
                ]
            else:
                items.append(_graph_item(spill, compact, name, subjects))
        ordered = _ordered(spill, items)
        del items
        yield '{\n "@context": ' + _printed(canonical(context), 1) + ',\n "@graph": '
        if not ordered:
            yield "[]\n}\n"
            return
        yield from _join(spill, ordered)
        yield "\n ]\n}\n"
    finally:
        spill.close()


def _join(spill: _Spill, ordered: Iterable[Item]) -> Iterator[str]:
    """``[`` and the items' texts, comma-separated, in chunks of about ``CHUNK`` characters."""
    buffer = ["[\n"]
    size = 0
    for n, (_, pieces) in enumerate(ordered):
        buffer.append(",\n  " if n else "  ")
        for piece in pieces:
            text = piece if isinstance(piece, str) else spill.get(piece)
            buffer.append(text)
            size += len(text)
        if size >= CHUNK:
            yield "".join(buffer)
            buffer, size = [], 0
    yield "".join(buffer)
