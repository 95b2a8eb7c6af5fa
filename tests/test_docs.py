"""Every example in README.md and docs/*.md runs and shows what the page says it shows.

A fenced ``console`` block holds ``$ kg ...`` lines, each followed by exactly what kg prints
(stdout and stderr as a terminal shows them); every such command runs through typer's CliRunner
on the graph that ships with kg, in an empty working folder. Lines starting with ``>>>`` run as
doctests. ``python tests/test_docs.py --update`` rewrites the console outputs after a deliberate
change of output (review the diff).
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Example:
    """One ``$ kg ...`` line of a page and the output printed under it."""

    page: Path
    line: int
    command: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def examples(page: Path) -> list[Example]:
    """The console examples of one page, in order."""
    text = page.read_text(encoding="utf-8")
    found = []
    for block in BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        command, start, out = None, 0, []
        for n, line in enumerate(block.group(1).splitlines(), first):
            if line.startswith("$ "):
                if command is not None:
                    found.append(Example(page, start, command, _text(out)))
                command, start, out = line[2:], n, []
            elif command is None:
                raise ValueError(f"{page}:{n}: output before any '$ ' command")
            else:
                out.append(line)
        if command is not None:
            found.append(Example(page, start, command, _text(out)))
    return found


def _text(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def run(example: Example, cwd: Path) -> str:
    """What the example's command prints, run in ``cwd`` on the shipped graph."""
    from typer.testing import CliRunner

    from kg.cli import app

    argv = shlex.split(example.command, comments=True)
    assert argv and argv[0] == "kg", f"{example.id}: only kg commands run here: {example.command}"
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(
            app, argv[1:], env={"KG_STORE": None, "KG_CONFIG": None, "NO_COLOR": "1"}
        )
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return _text(result.output.splitlines())


ALL = [e for page in PAGES for e in examples(page)]


def test_pages_have_examples():
    assert len(ALL) >= 10
    assert {e.page.name for e in ALL} >= {"README.md", "questions.md", "sparql.md"}


@pytest.mark.parametrize("example", ALL, ids=lambda e: e.id)
def test_console_example(example, tmp_path):
    assert run(example, tmp_path) == example.expected, f"{example.id}: {example.command}"


@pytest.mark.parametrize(
    "page", [p for p in PAGES if ">>> " in p.read_text(encoding="utf-8")], ids=lambda p: p.name
)
def test_python_examples(page):
    # a closing fence ends an example's expected output, as a blank line does in a docstring
    text = re.sub(r"(?m)^```.*$", "", page.read_text(encoding="utf-8"))
    test = doctest.DocTestParser().get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert test.examples and not runner.failures


def test_parser_reads_commands_and_outputs(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("x\n```console\n$ kg a   # note\none\n\n$ kg b\n```\n", encoding="utf-8")
    assert [(e.line, e.command, e.expected) for e in examples(page)] == [
        (3, "kg a   # note", "one"),
        (6, "kg b", ""),
    ]


def update() -> None:
    """Rewrite every console output with what the command prints now."""
    import tempfile

    for page in PAGES:
        found = examples(page)
        if not found:
            continue
        lines = page.read_text(encoding="utf-8").splitlines()
        ends = {}
        for e in found:  # an output runs to the next command or the closing fence
            end = e.line
            while not (lines[end].startswith("$ ") or lines[end].startswith("```")):
                end += 1
            ends[e.line] = end
        for e in reversed(found):
            with tempfile.TemporaryDirectory() as cwd:
                out = run(e, Path(cwd))
            after = [""] if lines[ends[e.line]].startswith("$ ") else []
            lines[e.line : ends[e.line]] = (out.splitlines() if out else []) + after
        page.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"updated {page.relative_to(ROOT)}: {len(found)} examples")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_docs.py --update")
    update()
