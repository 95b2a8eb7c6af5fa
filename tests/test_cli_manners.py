"""CLI manners: --version, shell completion, one "did you mean", the same answer to an entity of
the wrong type in every lookup, labelled counts that agree, progress on stderr, a CSV of
commitments that pandas users can total, and results as pandas DataFrames."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import render_trig
from kg.model import Commitment, columns_of, top_level
from kg.session import Session, to_frame
from kg.store import MemoryStore

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]
SCRIPT = Path(sys.executable).with_name("kg")  # the console script pip installed


@pytest.fixture(scope="module")
def run(dataset, tmp_path_factory):
    trig = tmp_path_factory.mktemp("graph") / "kg.trig"
    trig.write_text(render_trig(dataset), encoding="utf-8")
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, list(args), env={"KG_STORE": f"memory:{trig}", "NO_COLOR": "1"})

    return invoke


@pytest.fixture(scope="module")
def g(dataset):
    return Session(MemoryStore(dataset))


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_version_is_the_installed_one(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"kg {version('kg')}\n"


def test_a_mistyped_command_is_answered_with_one_suggestion(run):
    result = run("entiy", "BlackRock")
    assert result.exit_code == 2
    assert result.stderr.count("Did you mean 'entity'?") == 1


def test_completion_is_offered_and_installs_a_working_script(tmp_path):
    help_text = subprocess.run(
        [*KG, "--help"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "--install-completion" in help_text and "--version" in help_text
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        [SCRIPT, "--install-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    script = (tmp_path / ".bash_completions" / "kg.sh").read_text(encoding="utf-8")
    assert "_KG_COMPLETE=complete_bash" in script
    assert "kg.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")
    # what the script asks kg for, kg answers: the commands and options that fit
    ask = {**env, "_KG_COMPLETE": "complete_bash", "COMP_WORDS": "kg memb", "COMP_CWORD": "1"}
    words = subprocess.run([SCRIPT], capture_output=True, text=True, env=ask, timeout=60).stdout
    assert words.split() == ["members"]
    ask["COMP_WORDS"], ask["COMP_CWORD"] = "kg commitments --inv", "2"
    words = subprocess.run([SCRIPT], capture_output=True, text=True, env=ask, timeout=60).stdout
    assert words.split() == ["--investor"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["members", "Larry Fink"], "Larry Fink is a Person, not an organisation"),
        (["attendees", "BlackRock"], "BlackRock is an Investor, not an event"),
        (["commitments", "--investor", "Larry Fink"], "Larry Fink is a Person, not an investor"),
        (["commitments", "--project", "Larry Fink"], "is a Person, not a project, place or"),
    ],
)
def test_a_lookup_of_the_wrong_type_of_entity_says_so_and_exits_3(run, args, message):
    for form in ("table", "json", "csv"):
        result = run(*args, "--format", form)
        assert result.exit_code == 3, (args, form)
        assert result.stdout == ""
        assert result.stderr.startswith("kg: ") and message in result.stderr
        assert len(result.stderr.splitlines()) == 1  # one line, no traceback


def test_commitments_csv_has_a_part_of_column_so_totals_count_each_dollar_once(run, g):
    table = rows(run("commitments", "--format", "csv").stdout)
    assert list(table[0]) == columns_of(Commitment)
    assert {"part_of", "amount_value_usd", "amount_currency", "investors"} <= set(table[0])
    parts = {r["id"]: r["part_of"] for r in table if r["part_of"]}
    assert parts["seven-firms-fdi"] == "seven-firms-package"  # a004:8: a share of the USD 9bn
    assert parts["aws-korea-cloud"] == "seven-firms-package"
    every = sum(float(r["amount_value_usd"] or 0) for r in table)
    top = sum(float(r["amount_value_usd"] or 0) for r in table if not r["part_of"])
    # 9bn package + 4bn AWS Ulsan + 2.5bn SK Ulsan + GBP 500m (USD 681m at the ECB rate)
    assert 16.1e9 < top < 16.2e9 < every
    assert top == sum(c.usd or 0 for c in top_level(g.commitments()))


def test_build_counts_are_labelled_and_agree_with_push_and_count(tmp_path):
    out = tmp_path / "exports"
    done = subprocess.run(
        [
            *KG,
            "build",
            "--seeds",
            str(ROOT / "seeds"),
            "--out",
            str(out),
            "--no-cache",
            "--progress",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    quads = int(first.split()[1])
    assert first.startswith(f"built {quads} quads in ")
    assert "what kg push sends and COUNT(*) counts" in first
    # progress goes to stderr, step by step; stdout keeps the report
    steps = [line for line in done.stderr.splitlines() if line.startswith("kg build: ")]
    assert [s.split()[2] for s in steps] == ["reading", "validating", "rendering", "moving"]
    quiet = subprocess.run(  # not a terminal and not asked for: no steps
        [*KG, "build", "--seeds", str(ROOT / "seeds"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert quiet.returncode == 0 and "kg build: " not in quiet.stderr, quiet.stderr
    store = MemoryStore.from_file(out / "kg.trig")
    counted = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]
    assert int(counted) == quads
    from kg.push import bulk_files

    (tmp_path / "bulk").mkdir()
    assert bulk_files(store, tmp_path / "bulk").quads == quads


def test_results_become_pandas_frames_with_the_csv_columns(g):
    pytest.importorskip("pandas")
    frame = to_frame(g.commitments())
    assert list(frame.columns) == columns_of(Commitment)
    assert len(frame) == len(g.commitments())
    top = frame[frame.part_of.isna()]
    assert top.amount_value_usd.sum() == sum(c.usd or 0 for c in top_level(g.commitments()))
    people = to_frame(g.attendees("New York meeting"))
    assert "kim-jung-kwan" in set(people.id)
    assert to_frame(()).empty
