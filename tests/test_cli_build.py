"""`kg build` and `kg validate` through typer's CliRunner, and once as a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_validate_curated_seeds_is_clean():
    result = runner.invoke(app, ["validate", "--seeds", str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.stderr


def test_validate_json_lists_problems(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "tests" / "cases" / "base", seeds)
    (seeds / "bad.yaml").write_text(
        "people:\n  - id: x\n    label: X\n    cite: t001:99\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["validate", "--seeds", str(seeds), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["problems"][0]["line"] == 4
    assert report["problems"][0]["entity"] == "x"


def test_build_summary(tmp_path):
    result = runner.invoke(
        app, ["build", "--seeds", str(ROOT / "seeds"), "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["triples"] > 3000
    assert summary["classes"]["Commitment"] == 13
    assert set(summary["sources"]) == {"a000", "a001", "a002", "a003", "a004"}
    assert summary["warnings"] == []
    assert (tmp_path / "kg.trig").is_file()


def test_build_as_a_real_process_from_another_directory(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--seeds", str(ROOT / "seeds"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("built ")
    assert "citations per source: a000" in proc.stdout
    assert (out / "kg.trig").read_bytes() == (ROOT / "exports" / "kg.trig").read_bytes()


def test_unwritable_out_is_an_input_error_without_traceback(tmp_path):
    out = tmp_path / "exports"
    (out / "kg.trig").mkdir(parents=True)  # a directory where a file must go
    result = runner.invoke(app, ["build", "--seeds", str(ROOT / "seeds"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in out.iterdir()) == ["kg.trig"]


def test_bad_seed_as_a_real_process_has_no_traceback(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "x.yaml").write_text("people:\n  - id: a\n    label: [A\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kg", "validate", "--seeds", str(seeds)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "x.yaml:3" in proc.stderr
    assert "Traceback" not in proc.stderr
