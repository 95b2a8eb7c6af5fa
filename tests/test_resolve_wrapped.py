"""Names wrapped in descriptors resolve to the entity they name, in the library and in every
command (cases: tests/cases/names/wrapped.yaml); words that do not describe the entity never
yield it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg import errors
from kg.cli import app
from kg.descriptors import spans
from kg.resolve import initialisms, name_index
from kg.store import MemoryStore

CASES = yaml.safe_load((Path(__file__).parent / "cases/names/wrapped.yaml").read_text())


@pytest.fixture(scope="module")
def index(dataset):
    return name_index(MemoryStore(dataset))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_wrapped_names(index, case):
    if case["id"] is None:
        with pytest.raises(getattr(errors, case["refused"])):
            index.resolve(case["name"])
    else:
        assert index.resolve(case["name"]).id == case["id"]


@pytest.mark.parametrize("case", [c for c in CASES if c["id"]][:6], ids=lambda c: c["name"])
def test_every_command_takes_a_wrapped_name(case):
    runner = CliRunner()
    shown = runner.invoke(app, ["entity", case["name"], "--json"], env={"KG_STORE": None})
    assert shown.exit_code == 0, shown.output
    assert f'"{case["id"]}"' in shown.output
    path = runner.invoke(app, ["path", case["name"], "BlackRock"], env={"KG_STORE": None})
    assert path.exit_code in (0, 3), path.output
    assert "no entity named" not in path.output


def test_a_shorthand_fitting_two_entities_names_neither(index):
    # "AP" would be Aju Press and Asia-Pacific: neither gets it
    assert "ap" not in index._exact
    assert initialisms("Aju Press") == ["ap", "a p"]


def test_the_head_is_the_last_whole_name_and_a_possessor_is_not():
    exact = {"larry fink": {"larry-fink"}, "blackrock": {"blackrock"}}
    assert spans("blackrock ceo larry fink".split(), exact)[0][2] == {"larry-fink"}
    assert spans("larry fink s blackrock".split(), exact)[0][2] == {"blackrock"}


def test_a_long_name_of_descriptors_is_bounded(index):
    # every word a descriptor of something: still one answer or a clear error, quickly
    name = " ".join(["Korean"] * 40 + ["President", "Lee", "Jae", "Myung"])
    assert index.resolve(name).id == "lee-jae-myung"
