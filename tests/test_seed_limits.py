"""Inputs that used to crash kg or run for minutes: each is refused quickly, at file:line, with
the limit stated, exit 2 (unreadable) or 1 (a rule broken), no traceback, exports untouched.
(The small cases live in tests/cases/invalid/; these are generated because they are large.)"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.seeds import MAX_FILE_BYTES, MAX_LIST, MAX_NAME_CHARS, MAX_RECORDS

pytestmark = pytest.mark.slow

CASES = Path(__file__).resolve().parent / "cases"
runner = CliRunner()
SECONDS = 30  # generous on a shared machine; each case takes well under 5 s


def _folder(tmp_path: Path, bad: str | None = None, name: str = "bad.yaml") -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    shutil.copy(CASES / "base" / "base.yaml", seeds / "base.yaml")
    if bad is not None:
        (seeds / name).write_text(bad, encoding="utf-8")
    return seeds


def _check(tmp_path: Path, seeds: Path, exit_code: int, where: str, message: str) -> None:
    out = tmp_path / "exports"
    out.mkdir(exist_ok=True)
    (out / "kg.trig").write_bytes(b"previous\n")
    for command in (["validate"], ["build", "--out", str(out)]):
        start = time.monotonic()
        result = runner.invoke(app, [*command, "--seeds", str(seeds)])
        assert time.monotonic() - start < SECONDS, command
        assert result.exit_code == exit_code, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output
        assert where in result.stderr and message in result.stderr, result.stderr[:500]
    assert [p.name for p in out.iterdir()] == ["kg.trig"]
    assert (out / "kg.trig").read_bytes() == b"previous\n"


def _commitment(value: str) -> str:
    return (
        "commitments:\n  - id: c1\n    label: A commitment\n    investors: [blackrock]\n"
        f"    amount: {{currency: USD, value: {value}}}\n    status: pledged\n    cite: t001:1\n"
    )


def test_ten_megabyte_one_line_file(tmp_path):
    seeds = _folder(tmp_path, "people: " + "x" * 10_000_000 + "\n")
    _check(tmp_path, seeds, 2, "bad.yaml:1:", f"limit of {MAX_FILE_BYTES:,} bytes")


def test_ten_megabyte_label(tmp_path):
    bad = "people:\n  - id: p1\n    label: " + "L" * 10_000_000 + "\n    cite: t001:1\n"
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:3:", f"limit of {MAX_FILE_BYTES:,}")


def test_long_label_within_the_file_limits(tmp_path):
    bad = "people:\n  - id: p1\n    label: " + "L" * 3000 + "\n    cite: t001:1\n"
    _check(tmp_path, _folder(tmp_path, bad), 1, "bad.yaml:3:", f"the limit is {MAX_NAME_CHARS}")


def test_sixty_thousand_records_in_one_file(tmp_path):
    bad = "people:\n" + "".join(
        f"  - {{id: p{i}, label: P {i}, cite: t001:1}}\n" for i in range(60_000)
    )
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:", "bytes on this line")


def test_sixty_thousand_records_in_many_files(tmp_path):
    seeds = _folder(tmp_path)
    for f in range(30):
        text = "people:\n" + "".join(
            f"  - {{id: p{f}-{i}, label: P {f} {i}, cite: t001:1}}\n" for i in range(2_000)
        )
        (seeds / f"people-{f:02d}.yaml").write_text(text, encoding="utf-8")
    _check(tmp_path, seeds, 2, ".yaml:1:", f"the limit is {MAX_RECORDS:,}")


def test_ten_thousand_aliases(tmp_path):
    bad = "people:\n  - id: p1\n    label: P\n    aliases:\n" + "".join(
        f"      - Alias {i}\n" for i in range(10_000)
    )
    bad += "    cite: t001:1\n"
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:5:", f"the limit is {MAX_RECORDS:,}")


def test_hundred_thousand_digits(tmp_path):
    _check(tmp_path, _folder(tmp_path, _commitment("9" * 100_000)), 2, "bad.yaml:5:", "limit")


@pytest.mark.parametrize("value", ["1e400", ".inf", "-.inf", ".nan", "1.0e+30"])
def test_amounts_that_broke_the_usd_conversion(tmp_path, value):
    _check(tmp_path, _folder(tmp_path, _commitment(value)), 1, "bad.yaml:5:", "value")


@pytest.mark.parametrize("digits", [31, 400])
def test_amounts_with_too_many_digits(tmp_path, digits):
    bad = _commitment("1" + "0" * (digits - 1))
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:5:", f"number of {digits} characters")


def test_block_nesting_two_thousand_deep(tmp_path):
    bad = "people:\n" + "".join(" " * i + "-\n" for i in range(1, 2000))
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:", "limit")


def test_flow_nesting_five_thousand_deep(tmp_path):
    bad = "people:\n" + "".join("  " + "[" * 10 + "\n" for _ in range(500)) + "  ]\n"
    _check(tmp_path, _folder(tmp_path, bad), 2, "bad.yaml:4:", "the limit is 24 levels")


def test_exponential_aliases(tmp_path):
    lines = ["x0: &a0 [lol, lol]"] + [f"x{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    _check(tmp_path, _folder(tmp_path, "\n".join(lines) + "\n"), 2, "bad.yaml:1:", "anchor")


def test_dangling_symlink_is_reported_not_skipped(tmp_path):
    seeds = _folder(tmp_path)
    (seeds / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    _check(tmp_path, seeds, 2, "gone.yaml:1:", "broken symbolic link")


def test_every_seed_file_empty(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (seeds / name).write_text("# nothing yet\n", encoding="utf-8")
    _check(tmp_path, seeds, 2, "a.yaml:1:", "no records")


def test_not_utf8_names_the_line(tmp_path):
    seeds = _folder(tmp_path)
    (seeds / "bad.yaml").write_bytes(b"people:\n  - id: p1\n    label: \xff\xfe\n")
    _check(tmp_path, seeds, 2, "bad.yaml:3:", "not UTF-8")


def test_escape_sequences_never_reach_the_terminal(tmp_path):
    bad = 'people:\n  - id: "p1\\e[2J"\n    label: "Red \\e[31mAlert"\n    cite: t001:1\n'
    seeds = _folder(tmp_path, bad)
    result = runner.invoke(app, ["validate", "--seeds", str(seeds)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "bad.yaml:3:" in result.stderr and "control character \\x1b" in result.stderr


def test_the_limits_are_documented():
    readme = (Path(__file__).resolve().parents[1] / "seeds" / "README.md").read_text("utf-8")
    for figure in (f"{MAX_FILE_BYTES // 1024} KB", f"{MAX_RECORDS:,}", f"{MAX_LIST}"):
        assert figure in readme


def test_two_hundred_and_one_attendees(tmp_path):
    bad = "events:\n  - id: e1\n    label: E\n    attendees:\n" + "".join(
        "      - lee-jae-myung\n" for _ in range(MAX_LIST + 1)
    )
    bad += "    cite: t001:1\n"
    _check(tmp_path, _folder(tmp_path, bad), 1, "bad.yaml:4:", f"the limit is {MAX_LIST}")
