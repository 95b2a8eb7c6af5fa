"""Exports written graph by graph. JSON-LD (kg.jsonld) is byte-for-byte the document made
from the whole object tree at once: on the curated graph, on a graph with default-graph nodes
and a large graph, with the in-memory limit, the key heads and the chunk size forced down so
that every path (spilled nodes, ties read back, tiny chunks) runs. TriG's chunks are its text."""

from __future__ import annotations

import json

import pytest
from rdflib import XSD, Dataset, Literal, URIRef

import kg.jsonld as jsonld
from kg.build import build_dataset
from kg.export import Quads, render_jsonld
from kg.vocab import PREFIXES


def _whole_tree(quads: Quads) -> str:
    """The document as one tree, sorted and printed at once (the form before streaming)."""
    context = {p: str(ns) for p, ns in PREFIXES.items()}
    compact = jsonld.Compactor(context)
    graphs = []
    for name in quads.names():
        nodes = [compact.node(s, preds) for s, preds in quads.graphs[name].items()]
        if name == jsonld.DEFAULT_GRAPH:
            graphs.extend(nodes)
        else:
            graphs.append({"@id": compact.shrink(name), "@graph": nodes})
    data = {"@context": context, "@graph": graphs}
    return json.dumps(jsonld.canonical(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _mixed() -> Quads:
    """Default-graph nodes, one graph of many alike subjects (long shared key heads), and
    small graphs that begin alike."""
    ds = Dataset()
    p = URIRef("https://w3id.org/korea-ai-kg/ontology#value")
    for i in range(30):
        ds.add((URIRef(f"urn:d:{i % 7}"), p, Literal(i % 4), ds.default_graph.identifier))
    big = ds.graph(URIRef("https://w3id.org/korea-ai-kg/id/big"))
    for i in range(60):
        s = URIRef(f"https://w3id.org/korea-ai-kg/id/same/{i % 3}/{'x' * 40}{i}")
        big.add((s, p, Literal(str(i % 5), datatype=XSD.decimal)))
        big.add((s, p, Literal(f"ü{i % 2}", lang="ko")))
    for i in range(12):
        g = ds.graph(URIRef(f"https://w3id.org/korea-ai-kg/id/claim/{i}"))
        g.add((URIRef("https://w3id.org/korea-ai-kg/id/one"), p, Literal(i % 3 == 0)))
    return Quads.of(ds)


@pytest.mark.parametrize(
    "small, key, chunk", [(1, 8, 100), (0, 1, 1), (5, 40, 999), (2000, 128, 1 << 20)]
)
@pytest.mark.parametrize("which", ["curated", "mixed"])
def test_streamed_is_the_whole_tree(monkeypatch, which, small, key, chunk):
    quads = Quads.of(build_dataset()) if which == "curated" else _mixed()
    want = _whole_tree(quads)
    monkeypatch.setattr(jsonld, "SMALL", small)
    monkeypatch.setattr(jsonld, "KEY", key)
    monkeypatch.setattr(jsonld, "CHUNK", chunk)
    parts = list(jsonld.chunks(quads))
    assert "".join(parts) == want == render_jsonld(quads)
    if chunk == 1:
        assert len(parts) > 10  # written as it goes, not as one text


def test_an_empty_dataset_is_an_empty_graph_list():
    text = render_jsonld(Quads({}))
    assert json.loads(text)["@graph"] == [] and text == _whole_tree(Quads({}))


def test_trig_is_written_graph_by_graph():
    from kg.export import render_trig, trig_chunks

    quads = Quads.of(build_dataset())
    parts = list(trig_chunks(quads))
    assert len(parts) == len(quads.names()) + 2  # prefixes, one chunk per graph, end of line
    assert "".join(parts) == render_trig(quads)
    assert all(p.startswith("\n\n<") for p in parts[1:-1])
