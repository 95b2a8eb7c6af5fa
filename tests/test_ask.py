"""``kg ask`` on the curated graph, driven by the cases in tests/cases/ask/*.yaml.

Each case file holds questions of one kind (several phrasings each) and the answers read off
the articles by hand: entity ids, money figures, dates, article ids or printed paths. An
``answers: []`` case is a question the articles do not answer: it must be refused (exit 3). A
case marked ``known:`` (with the reason) is one the engine does not answer yet; it is expected
to fail, and the test fails when it starts to pass, so the mark is removed with the fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from kg import lookup
from kg.ask import ask, engine_for
from kg.errors import AmbiguousError, InputError, NotFoundError, UnansweredError
from kg.model import cite_list
from kg.resolve import name_index
from kg.store import MemoryStore

CASES = Path(__file__).resolve().parent / "cases" / "ask"
# error kind in a case file -> the exception and the exit code it must give
ERRORS = {
    "unanswered": ((UnansweredError, NotFoundError), 3),
    "ambiguous": (AmbiguousError, 3),
    "input": (InputError, 2),
}


def _load() -> list:
    yaml = YAML(typ="safe")
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.load(path.read_text(encoding="utf-8"))["cases"]:
            marks = (
                [pytest.mark.xfail(strict=True, reason=case["known"])] if "known" in case else []
            )
            out.append(pytest.param(case, id=case["question"] or "(empty)", marks=marks))
    return out


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


@pytest.fixture(scope="module")
def engine(store):
    return engine_for(store)


def _ask(store, engine, question):
    return ask(store, question, engine=engine)


@pytest.mark.parametrize("case", _load())
def test_question(store, engine, case):
    question = case["question"]
    if "error" in case:
        error, code = ERRORS[case["error"]]
        with pytest.raises(error) as err:
            _ask(store, engine, question)
        assert err.value.exit_code == code
        if "candidates" in case:
            assert {c for c, _ in err.value.candidates} == set(case["candidates"])
        return
    if case.get("answers") == []:  # the articles do not say: refused, exit 3
        with pytest.raises(UnansweredError) as err:
            _ask(store, engine, question)
        assert err.value.exit_code == 3
        return
    answer = _ask(store, engine, question)
    items = answer.items
    if "answers" in case:
        assert sorted(i.id or "" for i in items) == sorted(case["answers"])
    if "shape" in case:
        assert answer.shape == case["shape"]
    if "sources" in case:  # the claims citing the (first) answer
        assert cite_list(items[0].citations) == case["sources"]
    if "dates" in case:
        assert [i.label for i in items] == [str(d) for d in case["dates"]]
    if "labels" in case:
        assert [i.label for i in items] == case["labels"]
    if "boolean" in case:
        assert answer.boolean is case["boolean"]
    if "count" in case:
        assert answer.count == case["count"]
    if "paths" in case:
        assert [i.label for i in items] == case["paths"]
    for ident, money in case.get("money", {}).items():
        found = next(i.to_json() for i in items if i.id == ident)
        assert {k: found.get(k) for k in money} == money
    curator = set(case.get("curator", []))  # answers resting on curator knowledge alone
    listed = {f"{s.id}:{p}" for s in answer.sources for p in s.paragraphs}
    for i in items:  # every other answer cites the articles, and they are listed
        assert bool(i.citations) != (i.id in curator), i
        assert set(cite_list(i.citations)) <= listed


def test_json_shape_of_a_money_answer(store, engine):
    data = _ask(store, engine, "how much did Amazon invest in Ulsan").to_json()
    assert set(data) >= {"question", "reading", "sparql", "confidence", "answers", "sources"}
    # a003:7 (AWS's share) and a004:9 (the whole project) both say USD 4 billion: two claims
    answer = next(a for a in data["answers"] if a["id"] == "aws-ulsan")
    assert {"label", "id", "kind", "amount", "currency", "amount_usd"} <= set(answer)
    assert (answer["amount"], answer["currency"], answer["amount_usd"]) == (4e9, "USD", 4e9)
    assert [(s["source"], s["paragraphs"], s["publisher"]) for s in data["sources"]] == [
        ("a003", [7], "Aju Press"),
        ("a004", [9], "Korea JoongAng Daily"),
    ]


def test_undisclosed_amount_carries_the_estimates(store, engine):
    (plan,) = [
        i
        for i in _ask(store, engine, "what did BlackRock commit").items
        if i.id == "blackrock-korea-investment"
    ]
    assert plan.amount is None and plan.detail.startswith("amount undisclosed; estimated:")
    assert "“several trillion won”" in plan.detail and "by Cha Ji-ho" in plan.detail  # a001:15
    assert "“tens of trillions of won”" in plan.detail  # a001:15


def test_a_question_nothing_explains_offers_readings(store, engine):
    with pytest.raises(UnansweredError) as err:
        _ask(store, engine, "Is BlackRock bigger than Nvidia?")
    assert "cannot answer" in str(err.value)


def test_connection_paths_are_cited_by_every_fact_on_them(store, engine):
    answer = _ask(store, engine, "how is the Ministry of Science and ICT connected to Nvidia")
    assert [e.id for e in answer.entities] == ["msit", "nvidia"]
    assert answer.shape == "connection" and answer.items
    for item in answer.items:
        assert item.label.startswith("Ministry of Science and ICT ")
        assert item.label.endswith(" Nvidia") and item.citations


@pytest.mark.slow  # a battery: a question per entity
def test_every_identity_answer_cites_every_claim_about_the_entity(store, engine):
    # the type and label claims included: South Korea has no other fact of its own. A label
    # holding other names ("... Bae Kyung-hoon and Ha Jung-woo's visit ...") may be read as a
    # question about those names and refused: at most a few are
    refused = []
    for ident, ent in sorted(name_index(store).entities.items()):
        try:
            answer = _ask(store, engine, f"tell me about {ent.label}")
        except UnansweredError:
            refused.append(ident)
            continue
        assert answer.shape == "describe", ident
        claimed = {
            str(s) for f in lookup.facts(store, subject=lookup.iri_of(ent)) for s in f["sources"]
        }  # empty only when the curator alone vouches for it
        (found,) = answer.items
        assert found.id == ident
        assert claimed <= set(cite_list(found.citations)), ident
    assert len(refused) <= 3, refused


def test_a_single_common_word_names_nothing(store, engine):
    for question in ("who attended in", "who owns the", "what is the"):
        with pytest.raises((InputError, UnansweredError)) as err:
            _ask(store, engine, question)
        assert err.value.exit_code in (2, 3)


def test_typographic_quotes_read_as_plain_ones(store, engine):
    plain = _ask(store, engine, 'who attended "the New York meeting"').items
    curly = _ask(store, engine, "who attended “the New York meeting”").items
    assert plain == curly and len(plain) == 6
    assert _ask(store, engine, "who’s “Larry Fink”").items[0].id == "larry-fink"


def test_a_title_word_asks_for_the_holder_of_a_post(store, engine):
    # "runs", "boss", "heads" name no relation: the title on a membership answers them
    for question, holder in (
        ("Who runs Nvidia?", "jensen-huang"),  # CEO, a004:14
        ("who is the boss of BlackRock", "larry-fink"),  # CEO, a002:3
        ("who heads GIP", "adebayo-ogunlesi"),  # chairman, a002:5
    ):
        assert [i.id for i in _ask(store, engine, question).items] == [holder], question


def test_a_how_long_question_over_two_names_is_read(store, engine):
    # regression: a chain of facts between two names (a connection reading) broke the type
    # check of "how long" questions with an IndexError
    question = "how long is lee's trip for the un general assembly"
    try:
        answer = _ask(store, engine, question)
    except UnansweredError:
        return
    assert answer.items


def _without_words(engine, group: str, words: set[str]):
    """An engine over the same index whose lexicon word group ``group`` lacks ``words``."""
    from dataclasses import replace

    from kg.question.engine import Engine

    lexicon = {t: dict(k) for t, k in engine.index.lexicon.items()}
    lexicon[group]["word"] = [w for w in lexicon[group]["word"] if w not in words]
    return Engine(replace(engine.index, lexicon=lexicon))


def test_word_groups_are_read_from_the_lexicon(store, engine):
    # the lexicon's word groups, not code, say which words are fillers and which prepositions
    # join a post to its organisation: without them the same questions are read otherwise
    filler = "who else attended the New York meeting"
    assert len(_ask(store, engine, filler).items) == 6  # a000:18
    with pytest.raises(UnansweredError):
        _without_words(engine, "FillerWords", {"else"}).ask(filler)
    post = "who is the Minister for Science and ICT"
    assert [i.id for i in _ask(store, engine, post).items] == ["bae-kyung-hoon"]  # a002:16
    cut = _without_words(engine, "TitlePrepositions", {"for"})
    assert "minister for science and ict" not in cut.names.roles
    assert "minister for science and ict" in engine.names.roles


def test_names_run_together_are_one_name_but_short_runs_are_not(engine):
    # "Kyunghoon" is Kyung-hoon (a002:16); two letters run together ("u n") are not the UN
    from kg.question.words import tokens

    links = engine.names.links(tokens("bae kyunghoon"))
    assert any(lk.node == "bae-kyung-hoon" and (lk.first, lk.last) == (0, 2) for lk in links)
    assert not [lk for lk in engine.names.links(tokens("u n")) if (lk.first, lk.last) == (0, 2)]


def test_text_stop_words_are_lexicon_data(engine):
    """The words too general to be evidence come from the lexicon's TextStopWords group: without
    the group, "kind" is a word no text explains and the question is refused."""
    from dataclasses import replace

    from kg.question.engine import Engine

    question = "what kind of firm is blackrock"
    assert engine.ask(question).shape == "text"
    lexicon = {k: v for k, v in engine.index.lexicon.items() if k != "TextStopWords"}
    bare = Engine(replace(engine.index, lexicon=lexicon))
    with pytest.raises(UnansweredError):
        bare.ask(question)
