"""The compact build (``build_from_seeds(..., compact=True)``, what ``kg build`` runs) holds
exactly the rdflib Dataset's quads and answers the build's reads as rdflib does; the staged
writer replaces nothing when a build fails part-way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from kg.build import build_from_seeds
from kg.errors import InputError
from kg.export import Quads, render_nquads
from kg.network import to_networkx
from kg.paths import default_seeds
from kg.pipeline import render_exports
from kg.quadset import QuadSet
from kg.seeds import load_seeds
from kg.vocab import KG, PROVENANCE_GRAPH
from kg.writer import Staging

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _both(seeds_dir: Path):
    seeds = load_seeds(seeds_dir, max_records=200_000)
    return build_from_seeds(seeds), build_from_seeds(seeds, compact=True)


@pytest.fixture(scope="module")
def curated():
    return _both(default_seeds())


def test_compact_build_has_the_same_quads_and_stats(curated):
    full, compact = curated
    assert isinstance(compact.dataset, QuadSet)
    assert render_nquads(Quads.of(compact.dataset)) == render_nquads(Quads.of(full.dataset))
    assert compact.stats == full.stats
    assert len(compact.dataset) == len(full.dataset)
    assert sorted(map(tuple, compact.dataset.quads())) == sorted(
        map(tuple, full.dataset.quads((None, None, None, None)))
    )


def test_compact_reads_agree_with_rdflib(curated):
    full, compact = curated
    a, b = full.dataset, compact.dataset
    for pred in (KG.estimate, KG.amount, KG.attendee):
        assert sorted(b.subject_objects(pred)) == sorted(a.subject_objects(pred))
    for s, _ in a.subject_objects(KG.amount):
        assert sorted(b.predicate_objects(s)) == sorted(a.predicate_objects(s))
    pa, pb = a.graph(PROVENANCE_GRAPH), b.graph(PROVENANCE_GRAPH)
    assert sorted(pb.subject_objects(KG.citation)) == sorted(pa.subject_objects(KG.citation))
    claims = sorted(pa.subjects(RDF.type, KG.Claim))
    assert claims and sorted(pb.subjects(RDF.type, KG.Claim)) == claims
    for cite in list(pa.objects(None, KG.citation))[:50]:
        assert pb.value(cite, KG.paragraph) == pa.value(cite, KG.paragraph)


def test_every_export_is_the_same_from_the_compact_build(curated):
    full, compact = curated
    made = render_exports(compact.dataset, to_networkx(compact.dataset))
    assert made == render_exports(full.dataset, to_networkx(full.dataset))


@pytest.mark.slow  # a generated graph of about 3,000 triples, built both ways
def test_every_export_is_the_same_on_a_generated_graph(tmp_path):
    out = tmp_path / "gen"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--triples", "3000", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    full, compact = _both(out / "seeds")
    made = render_exports(compact.dataset, to_networkx(compact.dataset))
    assert made == render_exports(full.dataset, to_networkx(full.dataset))


def test_a_graph_is_a_set_even_for_long_object_lists():
    qs = QuadSet()
    g = qs.graph(URIRef("urn:g"))
    s, p = URIRef("urn:s"), URIRef("urn:p")
    for _ in range(2):
        for n in range(100):
            g.add((s, p, Literal(n)))
    assert len(qs) == len(g) == 100
    assert qs.intern(URIRef("urn:s")) is s  # equal terms are one object
    qs.done()
    g.add((s, p, Literal(5)))  # still a set after the intern table is dropped
    assert len(qs) == 100


def test_quads_reads_only_the_whole_pattern():
    with pytest.raises(NotImplementedError):
        list(QuadSet().quads((URIRef("urn:s"), None, None, None)))


def test_staging_without_commit_replaces_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("old\n")
    with pytest.raises(RuntimeError), Staging(tmp_path) as staging:
        staging.add("a.txt", "new\n")
        staging.add("b.txt", "new\n")
        raise RuntimeError("a later stage failed")
    assert (tmp_path / "a.txt").read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left


def test_staging_commits_all_and_refuses_a_folder_in_the_way(tmp_path):
    with Staging(tmp_path) as staging:
        staging.add("a.txt", "one\n")
        staging.add("sub/b.txt", b"two\n")
        assert [p.name for p in staging.commit()] == ["a.txt", "b.txt"]
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"two\n"
    (tmp_path / "c.txt").mkdir()
    with pytest.raises(InputError, match="folder"), Staging(tmp_path) as staging:
        staging.add("c.txt", "x")
