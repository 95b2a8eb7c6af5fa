"""Every kind of bad input: a clear file:line message, the documented exit code, no traceback,
and exports left exactly as they were. One folder per case under tests/cases/invalid/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from kg.cli import app

CASES = Path(__file__).resolve().parent / "cases"
INVALID = sorted(p.name for p in (CASES / "invalid").iterdir() if p.is_dir())
runner = CliRunner()


def _case(name: str) -> dict:
    return YAML(typ="safe").load((CASES / "invalid" / name / "case.yaml").read_text("utf-8"))


def _seeds(tmp_path: Path, case: dict) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(CASES / "base" / "base.yaml", seeds / "base.yaml")
    (seeds / "bad.yaml").write_text(case["seed"], encoding="utf-8")
    return seeds


def test_base_is_valid(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(CASES / "base" / "base.yaml", seeds / "base.yaml")
    result = runner.invoke(app, ["validate", "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", INVALID)
def test_validate_reports_file_line(tmp_path, name):
    case = _case(name)
    result = runner.invoke(app, ["validate", "--seeds", str(_seeds(tmp_path, case))])
    assert result.exit_code == case["exit"], result.output
    assert f"bad.yaml:{case['line']}" in result.stderr
    assert case["message"] in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("name", INVALID)
def test_build_leaves_exports_untouched(tmp_path, name):
    case = _case(name)
    out = tmp_path / "exports"
    out.mkdir()
    before = {"kg.trig": b"previous trig\n", "overview.html": b"<p>previous</p>\n"}
    for file, content in before.items():
        (out / file).write_bytes(content)
    seeds = _seeds(tmp_path, case)
    result = runner.invoke(app, ["build", "--seeds", str(seeds), "--out", str(out)])
    assert result.exit_code == case["exit"], result.output
    assert f"bad.yaml:{case['line']}" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_nfd_korean_label_is_stored_as_nfc(tmp_path):
    import unicodedata

    from kg.build import build
    from kg.vocab import ID, SKOS

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = (CASES / "base" / "base.yaml").read_text("utf-8")
    (seeds / "base.yaml").write_text(
        text.replace("이재명", unicodedata.normalize("NFD", "이재명")), encoding="utf-8"
    )
    ds = build(seeds).dataset
    labels = {str(o) for o in ds.objects(ID["lee-jae-myung"], SKOS.prefLabel)}
    assert "이재명" in labels
    assert all(unicodedata.is_normalized("NFC", label) for label in labels)


def test_missing_seeds_folder_is_an_input_error(tmp_path):
    result = runner.invoke(app, ["validate", "--seeds", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "seeds folder not found" in result.stderr
