"""The mutation battery: 240 seeded mutations of the valid seed folders tests/cases/base and
tests/cases/rich (bad
values, broken YAML, cycles, truncation, stray characters; see tests/mutations.py), each run
through ``kg validate`` and ``kg build``. Whatever the input: no traceback, exit 0, 1 or 2, a
``file:line`` in the message when it fails, no escape sequence echoed, and on failure the previous
exports left exactly as they were."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import mutations  # noqa: E402

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
BASE = (HERE / "cases" / "base" / "base.yaml").read_text("utf-8")
RICH = (HERE / "cases" / "rich" / "rich.yaml").read_text("utf-8")  # every section, money, cites
CASES = mutations(BASE, 120) + [(f"rich-{n}", t) for n, t in mutations(RICH, 120, seed=11)]
CHUNK = 20
runner = CliRunner()
WHERE = re.compile(r"\.yaml:\d+:")


def test_the_battery_is_deterministic_and_varied():
    assert mutations(BASE, 120) + [(f"rich-{n}", t) for n, t in mutations(RICH, 120, 11)] == CASES
    assert len(CASES) >= 200 and len({text for _, text in CASES}) >= 220
    kinds = {op for name, _ in CASES for op in name.rsplit("-", 1)[-1].split("+")}
    assert len(kinds) >= 10


def test_the_rich_base_is_valid(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "rich.yaml").write_text(RICH, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output


def _run(args: list[str]):
    start = time.monotonic()
    result = runner.invoke(app, args)
    assert time.monotonic() - start < 20, args
    return result


@pytest.mark.parametrize("chunk", range(len(CASES) // CHUNK))
def test_mutants_fail_cleanly(tmp_path, chunk):
    codes = set()
    for n, (name, text) in enumerate(CASES[chunk * CHUNK : (chunk + 1) * CHUNK]):
        seeds, out = tmp_path / f"{n}" / "seeds", tmp_path / f"{n}" / "exports"
        seeds.mkdir(parents=True)
        out.mkdir()
        (seeds / "base.yaml").write_text(text, encoding="utf-8")
        (out / "kg.trig").write_bytes(b"previous\n")
        validated = _run(["validate", "--seeds", str(seeds)])
        built = _run(["build", "--seeds", str(seeds), "--out", str(out)])
        for result in (validated, built):
            assert result.exception is None or isinstance(result.exception, SystemExit), name
            assert "Traceback" not in result.output, name
            assert "\x1b" not in result.output, name
            assert result.exit_code in (0, 1, 2), (name, result.output)
            if result.exit_code:
                assert WHERE.search(result.stderr), (name, result.stderr)
        assert validated.exit_code == built.exit_code, (name, validated.output, built.output)
        if built.exit_code:
            assert [p.name for p in out.iterdir()] == ["kg.trig"], name
            assert (out / "kg.trig").read_bytes() == b"previous\n", name
        else:
            assert (out / "kg.trig").read_bytes() != b"previous\n", name
        codes.add(built.exit_code)
    assert codes & {1, 2}  # every chunk holds failing mutants
