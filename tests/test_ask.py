"""``kg ask`` on the curated graph, driven by the cases in tests/cases/ask/*.yaml.

Each case file holds questions of one intent (several phrasings each) and the answers read off
the articles by hand: entity ids, money figures, dates, article ids or printed paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kg import lookup
from kg.ask import INTENTS, ask, capabilities, parse
from kg.errors import AmbiguousError, InputError, NotFoundError, UnansweredError
from kg.resolve import name_index
from kg.store import MemoryStore

CASES = Path(__file__).resolve().parent / "cases" / "ask"
# error kind in a case file -> the exception and the exit code it must give
ERRORS = {
    "unanswered": (UnansweredError, 3),
    "ambiguous": (AmbiguousError, 3),
    "not-found": (NotFoundError, 3),
    "input": (InputError, 2),
}


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
        error, code = ERRORS[case["error"]]
        with pytest.raises(error) as err:
            ask(store, question)
        assert err.value.exit_code == code
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
    curator = set(case.get("curator", []))  # answers resting on curator knowledge alone
    for a in answer.answers:  # every other answer cites the articles, and they are listed
        assert bool(a["sources"]) != (a["id"] in curator), a
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
    # a003:7 (AWS's share) and a004:9 (the whole project) both say USD 4 billion: two claims
    answer = next(a for a in data["answers"] if a["id"] == "aws-ulsan")
    assert {"label", "id", "amount", "currency", "amount_usd"} <= set(answer)
    assert data["sources"] == [
        {
            "source": "a003",
            "paragraph": 7,
            "title": data["sources"][0]["title"],
            "publisher": "Aju Press",
        },
        {
            "source": "a004",
            "paragraph": 9,
            "title": data["sources"][1]["title"],
            "publisher": "Korea JoongAng Daily",
        },
    ]


def test_undisclosed_amount_carries_the_estimates(store):
    (plan,) = [
        a
        for a in ask(store, "what did BlackRock commit").answers
        if a["id"] == "blackrock-korea-investment"
    ]
    assert plan["undisclosed"] and plan["amount"] is None
    approximations = {(e["approximation"], e["by"]["id"]) for e in plan["estimates"]}
    assert ("several trillion won", "cha-ji-ho") in approximations  # a001:15
    assert ("tens of trillions of won", "cha-ji-ho") in approximations  # a001:15


def test_unanswerable_question_lists_what_can_be_asked():
    with pytest.raises(UnansweredError) as err:
        parse("Is BlackRock bigger than Nvidia?")
    message = str(err.value)
    assert "cannot answer" in message and capabilities() in message
    for intent in INTENTS:
        assert intent.pattern in message


def test_names_in_questions_keep_their_spelling():
    assert parse("How is Larry Fink connected to Nvidia?")[1] == {"x": "Larry Fink", "y": "Nvidia"}
    assert parse("what is the connection between Ministry of Science and ICT and Nvidia")[1] == {
        "pair": "Ministry of Science and ICT and Nvidia"
    }


def test_connection_splits_and_where_both_sides_are_names(store):
    answer = ask(store, "what is the connection between Ministry of Science and ICT and Nvidia")
    assert [e["id"] for e in answer.entities] == ["msit", "nvidia"]


def test_a_minister_question_names_the_minister_not_the_ministry(store):
    answer = ask(store, "who is the minister of science and ICT")
    assert answer.intent == "leaders"
    assert [(a["id"], a["sources"]) for a in answer.answers] == [
        ("bae-kyung-hoon", ["a001:20", "a002:2", "a002:10"])
    ]


@pytest.mark.parametrize(
    "title",
    [
        "minister",
        "secretary",
        "director",
        "founder",
        "governor",
        "president",
        "chairman",
        "chair",
        "prime minister",
    ],
)
def test_every_leader_title_is_a_leader_question(title):
    intent, names = parse(f"who is the {title} of BlackRock")
    assert intent.name == "leaders" and names["title"] == title


def test_every_identity_answer_cites_every_claim_about_the_entity(store):
    # the type and label claims included: South Korea has no other fact of its own
    for ident, ent in sorted(name_index(store).entities.items()):
        answer = ask(store, f"tell me about {ident}")
        assert answer.intent == "identity", ident
        claimed = {
            s for f in lookup.facts(store, subject=lookup.iri_of(ent)) for s in f["sources"]
        }  # empty only when the curator alone vouches for it
        (found,) = answer.answers
        assert claimed <= set(found["sources"]), ident
        assert {f"{s['source']}:{s['paragraph']}" for s in answer.sources} >= claimed, ident
    korea = ask(store, "what is South Korea").to_dict()
    assert {f"{s['source']}:{s['paragraph']}" for s in korea["sources"]} >= {
        "a000:8",
        "a001:2",
        "a002:3",
        "a003:1",
        "a004:7",
    }


def test_a_single_common_word_names_nothing(store):
    for question in ("who attended in", "who owns the", "what is the"):
        with pytest.raises(InputError, match="only common words") as err:
            ask(store, question)
        assert err.value.exit_code == 2


def test_typographic_quotes_read_as_plain_ones(store):
    assert parse("who is BlackRock’s CEO")[1]["x"] == "BlackRock"
    assert parse("Who attended ‘the MOU signing’?")[1] == {"x": "the MOU signing"}
    plain = ask(store, 'who attended "the New York meeting"').answers
    curly = ask(store, "who attended “the New York meeting”").answers
    assert plain == curly and len(plain) == 6
    assert ask(store, "who’s “Larry Fink”").answers[0]["id"] == "larry-fink"


def test_quotes_that_belong_to_a_name_stay(store):
    assert parse("tell me about 'x' and 'y'")[1] == {"x": "'x' and 'y'"}
    assert parse('tell me about "x" and "y"')[1] == {"x": '"x" and "y"'}


def test_present_tense_leader_questions_give_current_holders_or_say_there_is_none(store):
    # Jim Yong Kim is a former president of the World Bank (a000:18); nobody holds it now
    now = ask(store, "who is the head of the World Bank")
    assert now.headline == "No current head of World Bank is recorded; former:"
    assert [(a["id"], a["former"], a["detail"]) for a in now.answers] == [
        ("jim-yong-kim", True, "former president of World Bank")
    ]
    past = ask(store, "who led the World Bank")
    assert past.headline == "Who led World Bank, current and former:"
    assert [a["id"] for a in past.answers] == ["jim-yong-kim"]
    current = ask(store, "who is the CEO of BlackRock")
    assert current.headline == "The CEO of BlackRock:" and not current.answers[0]["former"]


def test_a_country_is_led_by_its_head_of_state_not_its_ministers(store):
    # Kim Jung-kwan is the Industry and Energy Minister of the government (a000:18)
    for question in ("who leads Korea", "who runs the Korean government"):
        assert [a["id"] for a in ask(store, question).answers] == ["lee-jae-myung"], question
