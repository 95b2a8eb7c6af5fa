"""Differential test: seed files read through libyaml's events (the fast path) come out exactly
as ruamel's own round-trip loader reads them: the same values of the same types at the same
lines, or the same error at the same line, on the curated seeds, every invalid case and every
seed mutation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kg import seeds
from kg.errors import SeedError

pytest.importorskip("yaml")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import mutations  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = (HERE / "cases" / "base" / "base.yaml").read_text("utf-8")
RICH = (HERE / "cases" / "rich" / "rich.yaml").read_text("utf-8")
EXTRA = [
    "",
    "# only a comment\n",
    "a: 1\n---\nb: 2\n",
    "a: NO\nb: yes\nc: 0o17\nd: 1_000\ne: 1e9\nf: .inf\ng: 2025-09-22\nh: ~\ni: 0x1F\n",
    "a: 'quoted'\nb: \"dq \\u00e9\"\nc: |\n  block\n  text\nd: >\n  folded\n",
    "? [complex, key]\n: value\n",
    "a: {b: [1, {c: d}], e: []}\n",
    "a: 1\na: 2\n",
    "a: b\u2028c: d\n",
    "a: [unclosed\n",
    "\ta: tab\n",
    "%YAML 1.2\n---\na: 1\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: !!str 12\n",
    "<<: {a: 1}\nb: 2\n",
]


def _tree(node, line: int = 0):
    """Values with their types and the line of every key and item."""
    if isinstance(node, dict):
        return (
            type(node).__name__,
            seeds._line(node, default=line),
            [(_tree(k), seeds._line(node, k), _tree(v)) for k, v in node.items()],
        )
    if isinstance(node, list):
        return (
            type(node).__name__,
            seeds._line(node, default=line),
            [(seeds._line(node, i), _tree(v)) for i, v in enumerate(node)],
        )
    return (type(node).__name__, repr(node))


def _outcome(text: str, fast: bool, monkeypatch):
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(seeds, "_compose_fast", lambda text: seeds._SLOW)
        try:
            return _tree(seeds.parse_yaml(text.encode("utf-8"), "x.yaml"))
        except SeedError as exc:
            return ("error", str(exc))


def _texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.yaml"))]
    texts += [("base", BASE), ("rich", RICH)]
    texts += [(f"extra-{n}", t) for n, t in enumerate(EXTRA)]
    for case in sorted((HERE / "cases" / "invalid").iterdir()):
        texts.append((case.name, YAML(typ="safe").load((case / "case.yaml").read_text())["seed"]))
    return texts


@pytest.mark.parametrize("name,text", _texts(), ids=[n for n, _ in _texts()])
def test_fast_reading_is_ruamels(name, text, monkeypatch):
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


def test_the_fast_path_is_taken(monkeypatch):
    assert seeds._compose_fast(RICH) not in (None, seeds._SLOW)
    assert seeds._compose_fast("a: &x 1\nb: *x\n") is seeds._SLOW


@pytest.mark.slow
def test_mutations_read_alike(monkeypatch):
    cases = mutations(BASE, 120) + mutations(RICH, 120, seed=11)
    for name, text in cases:
        assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch), name
