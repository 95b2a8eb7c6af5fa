"""The build cache: a build that reuses earlier work writes the same bytes as a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cache import Cache
from kg.errors import ValidationError
from kg.pipeline import build_exports
from kg.seeds import load_seeds

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "cases" / "base" / "base.yaml"
NEW_ARTICLE = """sources:
  - id: t002
    file: second.txt
    title: A second test article
    outlet: Other Outlet
    published: 2025-10-01
    paragraphs: 4
organizations:
  - id: nvidia
    type: [Company, Investor]
    label: Nvidia
    cite: t002:2
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(BASE, seeds / "base.yaml")
    return seeds


def test_adding_a_file_rebuilds_as_a_clean_build(tmp_path):
    seeds, cache = _seeds(tmp_path), tmp_path / "cache"
    build_exports(seeds, tmp_path / "first", cache=cache)
    (seeds / "second.yaml").write_text(NEW_ARTICLE, encoding="utf-8")
    build_exports(seeds, tmp_path / "cached", cache=cache)
    build_exports(seeds, tmp_path / "clean")
    assert _files(tmp_path / "cached") == _files(tmp_path / "clean")
    assert _files(tmp_path / "cached") != _files(tmp_path / "first")
    assert len(list(cache.glob("seedfile-*.pickle"))) == 2  # base.yaml was read once
    assert len(list(cache.glob("build-*.pickle"))) == 2


def test_an_unchanged_build_reuses_its_exports(tmp_path, monkeypatch):
    seeds, cache = _seeds(tmp_path), tmp_path / "cache"
    first = build_exports(seeds, tmp_path / "a", cache=cache)

    def no_build(*args):
        raise AssertionError("built again")

    monkeypatch.setattr("kg.pipeline._build", no_build)
    again = build_exports(seeds, tmp_path / "b", cache=cache)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert {k: v for k, v in again.items() if k != "out"} == {
        k: v for k, v in first.items() if k != "out"
    }


def test_a_changed_file_is_read_again(tmp_path):
    seeds, cache = _seeds(tmp_path), tmp_path / "cache"
    load_seeds(seeds, Cache(cache))
    text = BASE.read_text(encoding="utf-8").replace("label: BlackRock", "label: BlackRock Inc")
    (seeds / "base.yaml").write_text(text, encoding="utf-8")
    assert load_seeds(seeds, Cache(cache)).records["blackrock"].label == "BlackRock Inc"


def test_a_damaged_entry_is_ignored(tmp_path):
    seeds, cache = _seeds(tmp_path), tmp_path / "cache"
    load_seeds(seeds, Cache(cache))
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert load_seeds(seeds, Cache(cache)).records.keys() == load_seeds(seeds).records.keys()


def test_a_duplicate_across_files_reports_as_without_cache(tmp_path):
    seeds, cache = _seeds(tmp_path), tmp_path / "cache"
    load_seeds(seeds, Cache(cache))
    dup = "people:\n  - id: blackrock\n    label: Someone Else\n    cite: t001:4\n"
    (seeds / "other.yaml").write_text(dup, encoding="utf-8")
    errors = []
    for with_cache in (Cache(cache), None):
        with pytest.raises(ValidationError) as exc:
            load_seeds(seeds, with_cache)
        errors.append(exc.value.problems)
    assert errors[0] == errors[1]
    assert any("duplicate id 'blackrock'" in p.message for p in errors[0])


@pytest.mark.slow
def test_curated_seeds_through_the_cache_give_the_committed_exports(tmp_path):
    cache = tmp_path / "cache"
    build_exports(ROOT / "seeds", tmp_path / "cold", cache=cache)
    build_exports(ROOT / "seeds", tmp_path / "warm", cache=cache)
    committed = {n: b for n, b in _files(ROOT / "exports").items()}
    assert _files(tmp_path / "cold") == committed
    assert _files(tmp_path / "warm") == committed
