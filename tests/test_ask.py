"""``kg ask`` on the curated graph, driven by the cases in tests/cases/ask/*.yaml.

Each case file holds questions of one intent (several phrasings each) and the answers read off
the articles by hand: entity ids, money figures, dates, article ids or printed paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kg.ask import INTENTS, ask, capabilities, parse
from kg.errors import AmbiguousError, NotFoundError, UnansweredError
from kg.store import MemoryStore

CASES = Path(__file__).resolve().parent / "cases" / "ask"
ERRORS = {"unanswered": UnansweredError, "ambiguous": AmbiguousError, "not-found": NotFoundError}


def _load() -> list[tuple[str | None, dict]]:
    yaml = YAML(typ="safe")
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        out += [(data.get("intent"), case) for case in data["cases"]]
    return out


ALL = _load()


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


@pytest.mark.parametrize("intent, case", ALL, ids=[c["question"] or "(empty)" for _, c in ALL])
def test_question(store, intent, case):
    question = case["question"]
    if "error" in case:
        with pytest.raises(ERRORS[case["error"]]) as err:
            ask(store, question)
        assert err.value.exit_code == 3
        if "candidates" in case:
            assert {c for c, _ in err.value.candidates} == set(case["candidates"])
        return
    answer = ask(store, question)
    if intent is not None:
        assert answer.intent == intent
    ids = sorted(a["id"] for a in answer.answers)
    if "answers" in case:
        assert ids == sorted(case["answers"])
    if "dates" in case:
        assert [a["date"] for a in answer.answers] == [str(d) for d in case["dates"]]
    if "paths" in case:
        assert [a["label"] for a in answer.answers] == case["paths"]
    for ident, money in case.get("money", {}).items():
        found = next(a for a in answer.answers if a["id"] == ident)
        assert {k: found[k] for k in money} == money
    for a in answer.answers:  # every answer cites the articles, and they are listed
        assert a["sources"], a
        listed = {f"{s['source']}:{s['paragraph']}" for s in answer.sources}
        assert set(a["sources"]) <= listed


def test_every_pattern_has_at_least_two_phrasings():
    counts = {i.name: 0 for i in INTENTS}
    for intent, _ in ALL:
        if intent is not None:
            counts[intent] += 1
    assert min(counts.values()) >= 2, counts


def test_every_documented_example_is_answered(store):
    for intent in INTENTS:
        answer = ask(store, intent.example)
        assert answer.intent == intent.name and answer.answers, intent.example


def test_json_shape_of_a_money_answer(store):
    data = ask(store, "how much did Amazon invest in Ulsan").to_dict()
    assert set(data) >= {"question", "intent", "answers", "sources"}
    (answer,) = data["answers"]
    assert {"label", "id", "amount", "currency", "amount_usd"} <= set(answer)
    assert data["sources"] == [
        {"source": "a003", "paragraph": 7, "title": data["sources"][0]["title"],
         "publisher": "Aju Press"},
        {"source": "a004", "paragraph": 9, "title": data["sources"][1]["title"],
         "publisher": "Korea JoongAng Daily"},
    ]


def test_undisclosed_amount_carries_the_estimates(store):
    (plan,) = [a for a in ask(store, "what did BlackRock commit").answers
               if a["id"] == "blackrock-korea-investment"]
    assert plan["undisclosed"] and plan["amount"] is None
    approximations = {(e["approximation"], e["by"]["id"]) for e in plan["estimates"]}
    assert ("several trillion won", "cha-ji-ho") in approximations      # a001:15
    assert ("tens of trillions of won", "cha-ji-ho") in approximations  # a001:15


def test_unanswerable_question_lists_what_can_be_asked():
    with pytest.raises(UnansweredError) as err:
        parse("Is BlackRock bigger than Nvidia?")
    message = str(err.value)
    assert "cannot answer" in message and capabilities() in message
    for intent in INTENTS:
        assert intent.pattern in message


def test_names_in_questions_keep_their_spelling():
    assert parse("How is Larry Fink connected to Nvidia?")[1] == {"x": "Larry Fink",
                                                                  "y": "Nvidia"}
    assert parse("what is the connection between Ministry of Science and ICT and Nvidia")[1] \
        == {"pair": "Ministry of Science and ICT and Nvidia"}


def test_connection_splits_and_where_both_sides_are_names(store):
    answer = ask(store, "what is the connection between Ministry of Science and ICT and Nvidia")
    assert [e["id"] for e in answer.entities] == ["msit", "nvidia"]
