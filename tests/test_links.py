"""kg.links: the projection's nodes and links read straight from the store are those of the
networkx projection, and centrality from them ranks and scores as the projection's does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg.analysis import centrality, edge_list
from kg.links import store_centrality, store_links
from kg.network import to_networkx
from kg.session import Session
from kg.store import MemoryStore, open_store

BENCH = Path(__file__).resolve().parents[1] / "bench"
FAST = importlib.util.find_spec("igraph") and importlib.util.find_spec("networkit")


def _same_links(store) -> None:
    nodes, links = edge_list(to_networkx(store.dataset()))
    found = store_links(store)
    assert list(found.ids) == nodes
    assert list(found.links) == links


def _same_ranking(store, measure: str, cls: str | None) -> None:
    graph = to_networkx(store.dataset())
    want = centrality(graph, measure, cls, top=25)
    got = store_centrality(store, measure, cls, top=25)
    assert got is not None
    assert [(r.rank, r.id, r.label, r.kind) for r in got] == [
        (r.rank, r.id, r.label, r.kind) for r in want
    ]
    assert all(abs(a.score - b.score) <= 1e-9 for a, b in zip(got, want, strict=True))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> MemoryStore:
    """A generated graph of about 10k triples (bench/generate.py) in a memory store."""
    sys.path.insert(0, str(BENCH))
    try:
        import generate
    finally:
        sys.path.remove(str(BENCH))
    path = tmp_path_factory.mktemp("links") / "graph.nt"
    generate.write_ntriples(generate.generate(generate.units_for(10_000)), path)
    return MemoryStore.from_file(path)


def test_curated_links_are_the_projections():
    _same_links(open_store("memory"))


@pytest.mark.slow
def test_generated_links_are_the_projections(generated):
    _same_links(generated)
    assert len(store_links(generated).ids) > 1_000


def test_ontology_and_provenance_graphs_give_no_nodes_or_links(tmp_path):
    """Typed subjects and links in the ontology and provenance graphs are not the projection's;
    a membership folds into one link; labels and self-loops are not links."""
    trig = tmp_path / "g.trig"
    trig.write_text(
        """@prefix kg: <https://w3id.org/korea-ai-kg/ontology#> .
@prefix id: <https://w3id.org/korea-ai-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/korea-ai-kg/ontology> { id:o a kg:Company . id:o kg:partner id:a . }
<https://w3id.org/korea-ai-kg/graph/provenance> { id:p a kg:Person . id:a kg:partner id:b . }
id:c1 { id:a a kg:Company ; kg:partner id:a ; skos:prefLabel "A"@en . }
id:c2 { id:b a kg:Person . id:m a kg:Membership ; kg:member id:b ; kg:organization id:a .
        id:c a kg:Company ; kg:partner id:b ; skos:altLabel id:b . }
"""
    )
    store = MemoryStore.from_file(trig)
    _same_links(store)
    found = store_links(store)
    assert found.ids == ("a", "b", "c")
    assert found.links == ((0, 1), (1, 2))


@pytest.mark.skipif(not FAST, reason="needs igraph and networkit (the fast extra)")
@pytest.mark.parametrize("measure", ["degree", "pagerank", "betweenness"])
@pytest.mark.parametrize("cls", [None, "investor"])
def test_curated_ranking_is_the_projections(measure, cls):
    _same_ranking(open_store("memory"), measure, cls)


@pytest.mark.skipif(not FAST, reason="needs igraph and networkit (the fast extra)")
@pytest.mark.slow
@pytest.mark.parametrize("measure", ["degree", "pagerank"])
def test_generated_ranking_is_the_projections(generated, measure):
    _same_ranking(generated, measure, None)


@pytest.mark.skipif(not FAST, reason="needs igraph and networkit (the fast extra)")
def test_session_ranks_from_the_store_without_the_projection():
    session = Session("memory")
    ranked = session.central("pagerank", "investor", top=3)
    assert "graph" not in session.__dict__
    assert ranked == centrality(to_networkx(session.store.dataset()), "pagerank", "investor", 3)


def test_eigenvector_falls_back_to_the_projection():
    assert store_centrality(open_store("memory"), "eigenvector", None, 3) is None
    assert Session("memory").central("eigenvector", top=1)[0].rank == 1
