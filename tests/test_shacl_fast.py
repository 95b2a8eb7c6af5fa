"""Differential test: shacl-rust's verdict (the fast path of the build) agrees with pySHACL's on
the curated graph, on every invalid case and seed mutation that reaches SHACL, and on seeded
mutations of the built graph (a triple removed, a class changed, a value retyped, a reference
pointed at the wrong kind of thing)."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Literal, URIRef
from ruamel.yaml import YAML

from kg.build import build
from kg.errors import KGError
from kg.validate import _pyshacl_problems, fast_conforms, shacl_problems
from kg.vocab import KG, ONTOLOGY_GRAPH, PROVENANCE_GRAPH

pytest.importorskip("shacl_rust")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import mutations  # noqa: E402

HERE = Path(__file__).resolve().parent
BASE = HERE / "cases" / "base" / "base.yaml"
RICH = HERE / "cases" / "rich" / "rich.yaml"
CLASSES = ["Investor", "Person", "Official", "City", "Commitment", "Meeting", "Statistic"]


def _folder(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def _agree(built) -> bool:
    """Whether both validators give the same verdict; returns pySHACL's."""
    slow = _pyshacl_problems(built) == []
    assert fast_conforms(built.dataset) is slow
    return slow


def test_curated_graph_agrees():
    assert _agree(build())


def test_invalid_cases_that_reach_shacl_agree(tmp_path):
    reached = 0
    for case_dir in sorted((HERE / "cases" / "invalid").iterdir()):
        case = YAML(typ="safe").load((case_dir / "case.yaml").read_text("utf-8"))
        files = {"base.yaml": BASE.read_text("utf-8"), "bad.yaml": case["seed"]}
        try:
            built = build(_folder(tmp_path, case_dir.name, files))
        except KGError:
            continue  # refused before SHACL
        reached += 1
        assert not _agree(built), case_dir.name
    assert reached >= 1


def test_a_problem_found_fast_is_reported_by_pyshacl(tmp_path):
    case = YAML(typ="safe").load((HERE / "cases/invalid/unknown-currency/case.yaml").read_text())
    files = {"base.yaml": BASE.read_text("utf-8"), "bad.yaml": case["seed"]}
    built = build(_folder(tmp_path, "case", files))
    assert fast_conforms(built.dataset) is False
    assert shacl_problems(built) == _pyshacl_problems(built) != []


@pytest.mark.slow
def test_seed_mutations_that_reach_shacl_agree(tmp_path):
    cases = mutations(BASE.read_text("utf-8"), 120)
    cases += [(f"rich-{n}", t) for n, t in mutations(RICH.read_text("utf-8"), 120, seed=11)]
    for n, (name, text) in enumerate(cases):
        try:
            built = build(_folder(tmp_path, f"m{n}", {"seed.yaml": text}))
        except KGError:
            continue
        assert _agree(built) in (True, False), name


def _mutate(rng: random.Random, ds, entities: list[URIRef]):
    """One change to the claim graphs; returns (added, removed) quads to undo it."""
    quads = [q for q in ds.quads((None, None, None, None)) if q[3] not in (ONTOLOGY_GRAPH,)]
    quads = [q for q in quads if q[3] != PROVENANCE_GRAPH]
    s, p, o, g = rng.choice(quads)
    kind = rng.randrange(4)
    if kind == 0:
        return [], [(s, p, o, g)]
    if kind == 1:
        return [(rng.choice(entities), RDF.type, KG[rng.choice(CLASSES)], g)], []
    if kind == 2:
        other = rng.choice(
            [Literal("x"), Literal("12", datatype=XSD.integer), Literal("y", lang="ko"), KG.Nope]
        )
        return [(s, p, other, g)], [(s, p, o, g)]
    return [(s, p, rng.choice(entities), g)], [(s, p, o, g)]


@pytest.mark.slow
def test_graph_mutations_agree():
    rng = random.Random(20251203)
    built = build(RICH.parent)
    ds = built.dataset
    entities = sorted({s for s in ds.subjects(RDF.type, None) if "/id/" in str(s)})
    verdicts = set()
    for _ in range(60):
        added, removed = _mutate(rng, ds, entities)
        for q in removed:
            ds.remove(q)
        for q in added:
            ds.add(q)
        verdicts.add(_agree(built))
        for q in added:
            ds.remove(q)
        for q in removed:
            ds.add(q)
    assert verdicts == {True, False}


def test_without_shacl_rust_pyshacl_decides(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "shacl_rust", None)
    shutil.copy(BASE, _folder(tmp_path, "seeds", {}) / "base.yaml")
    built = build(tmp_path / "seeds")
    assert fast_conforms(built.dataset) is None
    assert shacl_problems(built) == []
