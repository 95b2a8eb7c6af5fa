"""Exports: round trips between formats, byte-for-byte determinism, atomic writes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.errors import InputError
from kg.export import render_jsonld, render_nquads, render_trig, render_turtle
from kg.vocab import ONTOLOGY_GRAPH, PROVENANCE_GRAPH

ROOT = Path(__file__).resolve().parents[1]


def _parse(text: str, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=text, format=fmt)
    return ds


def _quads(ds: Dataset) -> set:
    return {(s, p, o, str(g)) for s, p, o, g in ds.quads((None, None, None, None))}


def _fused(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, name in ds.quads((None, None, None, None)):
        if name not in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH):
            g.add((s, p, o))
    return g


def test_trig_nquads_jsonld_round_trip(dataset):
    trig = _parse(render_trig(dataset), "trig")
    nq = _parse(render_nquads(trig), "nquads")
    jsonld = _parse(render_jsonld(nq), "json-ld")
    assert _quads(trig) == _quads(dataset)
    assert _quads(nq) == _quads(dataset)
    assert _quads(jsonld) == _quads(dataset)


def test_turtle_is_the_fused_view(dataset):
    fused = Graph().parse(data=render_turtle(dataset), format="turtle")
    assert isomorphic(fused, _fused(dataset))
    assert "prov:wasDerivedFrom" not in render_turtle(dataset)


@pytest.mark.slow
def test_build_is_byte_identical_across_hash_seeds(tmp_path):
    outs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "build",
                "--seeds",
                str(ROOT / "seeds"),
                "--out",
                str(out),
                "--no-cache",
            ],
            check=True,
            env=env,
            capture_output=True,
            cwd=tmp_path,
        )
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]
    assert {"kg.trig", "kg.nq", "kg.ttl", "kg.jsonld", "kg.graphml"} <= set(outs[0])


def test_committed_exports_are_current(tmp_path):
    from kg.pipeline import build_exports

    build_exports(ROOT / "seeds", tmp_path)
    stale = [
        p.name
        for p in sorted(tmp_path.iterdir())
        if (ROOT / "exports" / p.name).read_bytes() != p.read_bytes()
    ]
    assert stale == [], "run `kg build` and commit exports/"


def test_failed_write_leaves_previous_files(tmp_path, monkeypatch):
    from kg import writer

    (tmp_path / "a.txt").write_text("old a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("old b", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def flaky_replace(src, dst):  # the first file moves into place, the second fails
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", flaky_replace)
    with pytest.raises(InputError, match="disk full"):
        writer.write_files(tmp_path, {"a.txt": "new a", "b.txt": "new b"})
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old a"
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_render_failure_writes_nothing(tmp_path, monkeypatch):
    from kg import pipeline

    out = tmp_path / "exports"
    out.mkdir()
    (out / "kg.trig").write_text("previous", encoding="utf-8")

    def boom(*args, **kwargs):  # the last export fails halfway through its stream
        yield '{"@context": '
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("kg.export.jsonld_chunks", boom)
    with pytest.raises(RuntimeError):
        pipeline.build_exports(ROOT / "seeds", out)
    assert [p.name for p in out.iterdir()] == ["kg.trig"]
    assert (out / "kg.trig").read_text(encoding="utf-8") == "previous"


_text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    labels=st.lists(_text, min_size=1, max_size=5, unique_by=lambda s: s.casefold()),
    amount=st.integers(min_value=0, max_value=10**15),
    currency=st.sampled_from(["USD", "KRW", "GBP", "EUR", "JPY"]),
)
def test_any_seed_survives_every_format(tmp_path_factory, labels, amount, currency):
    from ruamel.yaml import YAML

    from kg.build import build
    from kg.names import name_key

    if len({name_key(label) for label in labels}) != len(labels) or any(
        not name_key(label) for label in labels
    ):
        return
    seeds = tmp_path_factory.mktemp("seeds")
    doc = {
        "sources": [
            {
                "id": "s1",
                "file": "s1.txt",
                "title": labels[0],
                "outlet": "Outlet",
                "published": "2025-10-29",
                "paragraphs": 3,
            }
        ],
        "organizations": [
            {"id": f"org-{i}", "type": ["Company", "Investor"], "label": label, "cite": "s1:1"}
            for i, label in enumerate(labels)
        ],
        "commitments": [
            {
                "id": "c1",
                "label": "a commitment",
                "investors": ["org-0"],
                "amount": {"currency": currency, "value": amount},
                "status": "announced",
                "cite": "s1:2",
            }
        ],
    }
    buf = io.StringIO()
    YAML().dump(doc, buf)
    (seeds / "seed.yaml").write_text(buf.getvalue(), encoding="utf-8")
    ds = build(seeds).dataset
    for render, fmt in (
        (render_trig, "trig"),
        (render_nquads, "nquads"),
        (render_jsonld, "json-ld"),
    ):
        assert _quads(_parse(render(ds), fmt)) == _quads(ds), fmt
