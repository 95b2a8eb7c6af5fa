"""The benchmark works: its generator is deterministic and valid, and a smoke run fills every
section of a report. (Speed itself is measured by ``bench/run.py``, never asserted in tests.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def generate(tmp: Path, name: str) -> Path:
    out = tmp / name
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--triples", "3000", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return out


def test_generator_is_deterministic_and_its_seeds_build(tmp_path):
    from kg.build import build
    from kg.store import open_store

    a, b = generate(tmp_path, "a"), generate(tmp_path, "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    built = build(a / "seeds")  # the seeds are valid: read, referenced and typed as kg requires
    assert built.stats["claims"] > 300
    triples = open_store(f"memory:{a / 'triples.nt'}")
    # the N-Triples use kg's own predicates: the same investors, commitments and amounts
    query = (
        "SELECT ?c ?i ?usd WHERE { ?c kg:investor ?i ; kg:amount ?m . "
        "?m kg:valueUsd ?usd } ORDER BY ?c ?i"
    )
    from kg.store import MemoryStore

    assert triples.query(query).rows == MemoryStore(built.dataset).query(query).rows


@pytest.mark.browser
def test_smoke_run_reports_every_section(tmp_path):
    data, report = tmp_path / "data", tmp_path / "RESULTS.md"
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--smoke",
            "--data",
            str(data),
            "--out",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads((data / "results.json").read_text())
    assert set(figures) >= {
        "machine",
        "versions",
        "sizes",
        "build",
        "queries",
        "ask",
        "graph",
        "viz",
    }
    text = report.read_text(encoding="utf-8")
    for heading in (
        "## Targets",
        "## Build, load and index",
        "## Reference queries",
        "## `kg ask` cold start",
        "## Graph analysis",
        "## `kg viz` page",
    ):
        assert heading in text
    assert "failed" not in text and "not measured" not in text
