"""Qualifiers and measured attributes of `kg ask` (kg/question/qualifiers.py, measures.py): their
words are lexicon data, the source constraint cuts citations to that source, and hostile
qualifier phrasings stay bounded and refused (answered cases: tests/cases/ask/qualifiers.yaml).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kg.errors import KGError, UnansweredError
from kg.question.engine import Engine


@pytest.fixture(scope="module")
def engine():
    return Engine()


def _without(engine: Engine, group: str) -> Engine:
    """An engine over the same index without the lexicon word group ``group``."""
    lexicon = {t: dict(k) for t, k in engine.index.lexicon.items() if t != group}
    return Engine(replace(engine.index, lexicon=lexicon))


def test_exclusion_words_are_lexicon_data(engine):
    # Fink attended the New York meeting (a000:10): "besides" sets him aside
    question = "who attended the new york meeting besides larry fink"
    ids = {i.id for i in engine.ask(question).items}
    assert "larry-fink" not in ids and "lee-jae-myung" in ids
    with pytest.raises(UnansweredError):
        _without(engine, "ExclusionWords").ask(question)


def test_source_words_are_lexicon_data(engine):
    question = "who attended the new york meeting per aju press"
    assert engine.ask(question).items
    with pytest.raises(UnansweredError):
        _without(engine, "SourceWords").ask(question)


def test_a_source_keeps_only_its_own_citations(engine):
    answer = engine.ask("who attended the new york meeting according to aju press")
    assert {s.id for s in answer.sources} == {"a003"}
    assert all(c.source == "a003" for i in answer.items for c in i.citations)
    assert "Aju Press" in answer.headline


def test_an_author_name_is_no_other_entity(engine):
    # "Kim" alone fits several people; "Sarah Kim" is a byline, never one of them
    with pytest.raises(KGError) as err:
        engine.ask("what did sarah kim write")
    assert "could mean several" not in str(err.value)


def test_relative_years_are_counted_from_the_citing_article(engine):
    # both AI budgets are cited by a003, published no earlier than 2025 (a003:3): "next year"
    # is 2026, and without the lexicon's NextYearWords the year tells the two apart no more
    from kg.question.words import tokens

    index = engine.index
    answers = {
        k: {c for e in index.out[k] for c in e.sources}
        for k in ("kr-ai-budget-2025/value", "kr-ai-budget-2026/value")
    }
    toks = tokens("the ai budget next year")
    content = {t.i for t in toks if t.text != "the"}
    found = engine.measures.read(toks, [], content, answers, set())
    assert found is not None and list(found.answers) == ["kr-ai-budget-2026/value"]
    plain = _without(engine, "NextYearWords").measures.read(toks, [], content, answers, set())
    assert plain is not None and len(plain.answers) == 2


@pytest.mark.parametrize(
    "question",
    [
        "besides besides besides",
        "according to according to coincentral",
        "aside " * 40,
        "who attended besides " + "and " * 50 + "larry fink",
        "according to the 99 september 2025 article who attended",
        "per the sept 23 sept 23 sept 23 report",
        "was the amount not disclosed not disclosed",
    ],
)
def test_hostile_qualifiers_are_refused_not_crashed(engine, question):
    with pytest.raises(KGError) as err:
        engine.ask(question)
    assert err.value.exit_code in (2, 3)
