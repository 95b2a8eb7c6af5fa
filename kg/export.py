"""Render the dataset in RDF formats, byte-for-byte the same on every run, and write exports.

Renderers are pure (``render_*`` return text); :func:`write_exports` puts them on disk through the
one atomic writer, so a failure leaves the previous exports exactly as they were.

>>> from kg.build import build_dataset
>>> render_nquads(build_dataset()).count("\\n") > 1000
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from rdflib import BNode, Dataset, Graph

from kg.vocab import ONTOLOGY_GRAPH, PROVENANCE_GRAPH, bind_prefixes
from kg.writer import write_files

_PREFIX_LINE = re.compile(r"^(PREFIX|@prefix)\s", re.IGNORECASE)


def _check_no_bnodes(dataset: Dataset) -> None:
    for quad in dataset.quads((None, None, None, None)):
        if any(isinstance(term, BNode) for term in quad[:3]):
            raise ValueError("blank nodes make exports non-deterministic; mint an IRI instead")


def _graphs(dataset: Dataset) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if len(g)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _turtle_body(graph: Graph) -> str:
    """The triples of one graph in sorted Turtle, without prefix lines."""
    g = Graph()
    bind_prefixes(g)
    g += graph
    text = g.serialize(format="longturtle")
    return "\n".join(line for line in text.splitlines() if not _PREFIX_LINE.match(line)).strip()


def _prefix_block() -> str:
    from kg.vocab import PREFIXES

    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items())) + "\n"


def render_nquads(dataset: Dataset) -> str:
    """All graphs as N-Quads, lines sorted (the canonical form for diffs and bulk loaders)."""
    _check_no_bnodes(dataset)
    lines = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = f" {g.n3()}" if g is not None and str(g) != "urn:x-rdflib:default" else ""
        lines.add(f"{s.n3()} {p.n3()} {o.n3()}{graph} .")
    return "\n".join(sorted(lines)) + "\n"


def render_trig(dataset: Dataset) -> str:
    """All graphs as TriG: the ontology, the provenance graph and one graph per claim."""
    _check_no_bnodes(dataset)
    parts = [_prefix_block().rstrip("\n")]
    for graph in _graphs(dataset):
        body = _turtle_body(graph)
        indented = "\n".join("    " + line if line else "" for line in body.splitlines())
        parts.append(f"<{graph.identifier}> {{\n{indented}\n}}")
    return "\n\n".join(parts) + "\n"


def render_turtle(dataset: Dataset) -> str:
    """The fused view: every claim's triples in one graph, without provenance or ontology."""
    fused = Graph()
    bind_prefixes(fused)
    for graph in _graphs(dataset):
        if graph.identifier not in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH):
            fused += graph
    return _prefix_block() + _turtle_body(fused) + "\n"


def _canonical(value):
    """JSON-LD with every array sorted: arrays there are sets, so this changes no meaning."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def render_jsonld(dataset: Dataset) -> str:
    """All graphs as JSON-LD (named graphs kept), with a context of the project's prefixes."""
    from kg.vocab import PREFIXES

    _check_no_bnodes(dataset)
    context = {p: str(ns) for p, ns in PREFIXES.items()}
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    data = json.loads(text)
    return json.dumps(_canonical(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def render_all(dataset: Dataset, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every export file name mapped to its content."""
    files = {
        "kg.trig": render_trig(dataset),
        "kg.nq": render_nquads(dataset),
        "kg.ttl": render_turtle(dataset),
        "kg.jsonld": render_jsonld(dataset),
    }
    files.update(extra or {})
    return files


def write_exports(files: Mapping[str, str | bytes], out: Path | str) -> list[Path]:
    """Write all files into ``out`` atomically (all or nothing); return their paths."""
    return write_files(Path(out), files)
