"""kg.links and kg.linkfile: the projection's nodes and links read straight from the store, or
from the list kept beside an oxigraph store, are those of the networkx projection, and
centrality from them ranks and scores as the projection's does; a missing, stale or damaged list
is never used."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from kg import linkfile
from kg.analysis import centrality, edge_list
from kg.links import RDF_TYPE, store_centrality
from kg.network import to_networkx
from kg.paths import shipped_graph
from kg.session import Session
from kg.store import MemoryStore, OxigraphStore, open_store, write_oxigraph

BENCH = Path(__file__).resolve().parents[1] / "bench"
FAST = importlib.util.find_spec("igraph") and importlib.util.find_spec("networkit")


def _same_links(store) -> None:
    nodes, links = edge_list(to_networkx(store.dataset()))
    found = store.links()
    assert list(found.ids) == nodes
    assert found.pairs() == links


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
    assert len(generated.links().ids) > 1_000


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
    found = store.links()
    assert found.ids == ("a", "b", "c")
    assert found.pairs() == [(0, 1), (1, 2)]


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


# ---------------------------------------------------- the link list kept beside an oxigraph store


@pytest.fixture(scope="module")
def ox_folder(tmp_path_factory) -> Path:
    """The curated graph loaded as an oxigraph store, its list written by a first read."""
    folder = tmp_path_factory.mktemp("ox") / "store"
    write_oxigraph(folder, shipped_graph())
    OxigraphStore(folder).links()
    return folder


@pytest.fixture
def ox_copy(ox_folder, tmp_path) -> Path:
    """A copy of that store folder, list included, for tests that change or damage it."""
    import shutil

    return Path(shutil.copytree(ox_folder, tmp_path / "store"))


def _same_list(a, b) -> None:
    assert (a.ids, a.iris, a.kinds) == (b.ids, b.iris, b.kinds)
    assert a.kind.tolist() == b.kind.tolist()
    assert a.links.tolist() == b.links.tolist()


def test_loading_stays_a_bulk_load_and_a_first_read_writes_the_list(ox_folder, tmp_path):
    fresh = tmp_path / "store"
    write_oxigraph(fresh, shipped_graph())
    assert not (fresh / "kg-links").exists()  # no scan at load time
    OxigraphStore(fresh).links()
    assert (fresh / "kg-links").is_file()
    store = OxigraphStore(ox_folder)
    kept = linkfile.read(ox_folder, linkfile.fingerprint(ox_folder))
    _same_list(kept, MemoryStore.from_file(shipped_graph()).links())
    _same_links(store)


def test_the_list_is_read_not_the_quads(ox_folder, monkeypatch):
    import kg.links

    def no_scan(engine):
        raise AssertionError("scanned the quads although the list is there")

    monkeypatch.setattr(kg.links, "scan", no_scan)
    found = OxigraphStore(ox_folder).links()
    assert len(found.ids) > 50


@pytest.mark.skipif(not FAST, reason="needs igraph and networkit (the fast extra)")
@pytest.mark.parametrize("measure", ["degree", "pagerank", "betweenness"])
@pytest.mark.parametrize("cls", [None, "investor", "Place"])
def test_ranking_from_the_list_is_the_projections(ox_folder, measure, cls):
    _same_ranking(OxigraphStore(ox_folder), measure, cls)


@pytest.mark.skipif(not FAST, reason="needs igraph and networkit (the fast extra)")
def test_kg_central_on_the_oxigraph_store_prints_what_memory_prints(ox_folder):
    from typer.testing import CliRunner

    from kg.cli import app

    args = ["central", "--measure", "pagerank", "--top", "15", "--format", "csv"]
    ox = CliRunner().invoke(app, [*args, "--store", f"oxigraph:{ox_folder}"])
    memory = CliRunner().invoke(app, [*args, "--store", "memory"])
    assert ox.exit_code == 0 and memory.exit_code == 0, ox.output + memory.output
    assert ox.output == memory.output and ox.output.count("\n") == 16


def test_a_store_written_by_an_older_kg_still_works_and_gets_its_list(ox_copy):
    (ox_copy / linkfile.NAME).unlink()
    store = OxigraphStore(ox_copy)
    with pytest.raises(linkfile.Unusable, match="no link list"):
        linkfile.read(ox_copy, linkfile.fingerprint(ox_copy))
    _same_links(store)
    _same_list(linkfile.read(ox_copy, linkfile.fingerprint(ox_copy)), store.links())


def test_a_stale_list_is_never_used(ox_copy):
    """Quads added behind kg's back: the list no longer matches the store, so the links are
    read from the quads (the new node and link are there) and the list is written again."""
    import pyoxigraph as ox

    engine = ox.Store(str(ox_copy))
    claim = ox.NamedNode("https://w3id.org/korea-ai-kg/id/claim/test")
    new = ox.NamedNode("https://w3id.org/korea-ai-kg/id/zz-new-fund")
    kg_ns = "https://w3id.org/korea-ai-kg/ontology#"
    engine.add(ox.Quad(new, ox.NamedNode(RDF_TYPE), ox.NamedNode(kg_ns + "Investor"), claim))
    engine.add(
        ox.Quad(
            new,
            ox.NamedNode(kg_ns + "partner"),
            ox.NamedNode("https://w3id.org/korea-ai-kg/id/blackrock"),
            claim,
        )
    )
    engine.flush()
    del engine
    state = linkfile.fingerprint(ox_copy)
    with pytest.raises(linkfile.Unusable, match="stale"):
        linkfile.read(ox_copy, state)
    store = OxigraphStore(ox_copy)
    _same_links(store)
    found = store.links()
    assert found.ids[-1] == "zz-new-fund"
    assert (found.ids.index("blackrock"), len(found.ids) - 1) in found.pairs()
    _same_list(linkfile.read(ox_copy, linkfile.fingerprint(ox_copy)), found)


def _flip(data: bytes) -> bytes:
    return data[:-5] + bytes([data[-5] ^ 1]) + data[-4:]


def _header_of(data: bytes, change) -> bytes:
    import json

    version, header, payload = data.split(b"\n", 2)
    fields = json.loads(header)
    change(fields)
    return b"\n".join([version, json.dumps(fields).encode(), payload])


DAMAGE = {
    "a flipped bit in the links": (_flip, "SHA-256"),
    "truncated": (lambda d: d[: len(d) // 2], "size"),
    "padded": (lambda d: d + b"\0" * 8, "size"),
    "empty": (lambda d: b"", "version"),
    "another version": (lambda d: d.replace(b"kg-links 1\n", b"kg-links 9\n", 1), "version"),
    "header not JSON": (lambda d: d.replace(b'{"kinds"', b'{"kinds', 1), "header"),
    "header of wrong types": (
        lambda d: _header_of(d, lambda h: h.update(nodes="many")),
        "header",
    ),
    "no header line end": (lambda d: d[:11] + b"{" * (linkfile.MAX_HEADER + 10), "header"),
    "counts that do not fit the parts": (
        lambda d: _header_of(d, lambda h: h.update(nodes=h["nodes"] + 1)),
        "part sizes",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_list_is_never_used_and_is_rewritten(ox_copy, damage):
    change, message = DAMAGE[damage]
    path = ox_copy / linkfile.NAME
    path.write_bytes(change(path.read_bytes()))
    state = linkfile.fingerprint(ox_copy)
    with pytest.raises(linkfile.Unusable, match=message):
        linkfile.read(ox_copy, state)
    _same_links(OxigraphStore(ox_copy))
    linkfile.read(ox_copy, state)  # written again from the quads


def test_a_list_out_of_bounds_with_a_right_hash_is_refused(ox_copy):
    """A list whose hash is right but whose links point past the nodes (or run backwards)."""
    import dataclasses

    state = linkfile.fingerprint(ox_copy)
    good = linkfile.read(ox_copy, state)
    for links in (good.links + len(good.ids), good.links[:, ::-1].copy()):
        assert linkfile.save(ox_copy, dataclasses.replace(good, links=links), state)
        with pytest.raises(linkfile.Unusable, match="out of bounds or order"):
            linkfile.read(ox_copy, state)


def test_a_list_of_a_store_that_changed_meanwhile_is_not_written(ox_copy):
    found = OxigraphStore(ox_copy).links()
    (ox_copy / linkfile.NAME).unlink()
    assert not linkfile.save(ox_copy, found, "0" * 64)
    assert sorted(p.name for p in ox_copy.iterdir() if "kg-links" in p.name) == []


@pytest.mark.slow
def test_generated_store_list_is_the_projections(generated, tmp_path):
    """A generated graph of about 10k triples loaded as an oxigraph store: its list gives the
    projection's links, and PageRank and degree rank as the projection does."""
    folder = tmp_path / "store"
    write_oxigraph(folder, generated.dataset())
    store = OxigraphStore(folder)
    store.links()  # writes the list
    _same_list(linkfile.read(folder, linkfile.fingerprint(folder)), generated.links())
    _same_links(store)
    if FAST:
        for measure in ("degree", "pagerank"):
            _same_ranking(store, measure, None)


def test_a_list_that_cannot_be_written_again_leaves_the_answer_alone(ox_copy):
    """The list is a speed-up: when it cannot be written (here its staging name is taken by a
    folder), the links still come from the quads, with no error and no list left behind."""
    import os

    (ox_copy / linkfile.NAME).unlink()
    (ox_copy / f".{linkfile.NAME}.{os.getpid()}.partial").mkdir()
    _same_links(OxigraphStore(ox_copy))
    assert not (ox_copy / linkfile.NAME).exists()


def test_a_pipe_in_place_of_the_list_is_not_opened(ox_copy):
    """A FIFO would block a reader forever: it is refused without opening it."""
    import os

    (ox_copy / linkfile.NAME).unlink()
    os.mkfifo(ox_copy / linkfile.NAME)
    with pytest.raises(linkfile.Unusable, match="not a regular file"):
        linkfile.read(ox_copy, linkfile.fingerprint(ox_copy))
    _same_links(OxigraphStore(ox_copy))  # and the list replaces it
    linkfile.read(ox_copy, linkfile.fingerprint(ox_copy))
