"""The question engine on questions nobody here wrote, its SPARQL, and hostile input.

The reader sets (tests/cases/questions/reader.yaml, 237 questions, dev5.yaml, 160,
tester5.yaml, 102 aimed at confident wrong answers, and sealed5.yaml, 200 held out while the
engine was built) were written by helpers who read only the five articles, never the engine.
Their figures are floors: a change may raise them, not lower them (see tests/question_eval.py
for the per-question outcomes).
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from question_eval import evaluate

from kg.errors import InputError, KGError, UnansweredError
from kg.limits import MAX_NAME
from kg.question import index as qindex
from kg.question.engine import Engine
from kg.store import MemoryStore, open_store

# measured on this commit; the closing note of issue 9 gives the same figures
MIN_CORRECT = 293
MAX_WRONG = 22


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def evaluation(engine):
    return evaluate(engine)


@pytest.mark.slow
def test_reader_questions_floor(evaluation):
    totals, _ = evaluation
    assert totals["correct"] >= MIN_CORRECT, totals
    assert totals["wrong"] <= MAX_WRONG, totals


@pytest.mark.slow
def test_questions_the_articles_do_not_answer_are_mostly_refused(evaluation):
    _, rows = evaluation
    unanswerable = [r for r in rows if r[0]["kind"] == "unanswerable"]
    refused = [r for r in unanswerable if r[1] == "correct"]
    assert len(unanswerable) >= 20
    assert len(refused) >= 0.85 * len(unanswerable)


@pytest.mark.slow
def test_the_sparql_shown_finds_the_answers(engine, evaluation):
    """Each answered reading's SPARQL, run on the store, returns every answer the engine gave
    (the engine may narrow further, by a title or a year in the question)."""
    store = open_store()
    _, rows = evaluation
    checked = 0
    for case, result, _ in rows:
        if result == "refused":
            continue
        try:
            answer = engine.ask(case["q"])
        except KGError:
            continue
        if (
            not answer.sparql
            or answer.sparql.startswith("ASK")
            or answer.shape
            not in (
                "list",
                "join",
                "count",
            )
        ):
            continue
        res = store.query(answer.sparql)
        found = {str(r[0]).rsplit("/id/", 1)[-1] for r in res.rows}
        ids = {i.id for i in answer.items if i.id}
        assert ids <= found, (case["q"], answer.sparql)
        checked += 1
    assert checked >= 10


def test_the_index_shipped_is_the_index_of_the_shipped_graph():
    store = open_store()
    assert isinstance(store, MemoryStore) and store.is_shipped()
    text = qindex.render(qindex.from_store(store))
    shipped = qindex.shipped_index_text()
    assert json.loads(text) == json.loads(shipped)


def test_an_index_computed_from_a_store_answers_alike(engine, dataset):
    other = Engine(qindex.parse(qindex.from_store(MemoryStore(dataset))))
    question = "Which company owns Global Infrastructure Partners?"
    assert [i.id for i in other.ask(question).items] == [i.id for i in engine.ask(question).items]


def test_a_corrected_name_is_reported(engine):
    answer = engine.ask("Who is the chief executive of Blakrock?")
    assert [i.id for i in answer.items] == ["larry-fink"]
    assert answer.corrections == ("matched 'blakrock' to 'blackrock'",)


def test_yes_and_no_come_with_a_reading(engine):
    yes = engine.ask("Did Larry Fink attend the New York meeting?")
    assert yes.boolean is True and yes.sources
    no = engine.ask("Is the Ulsan AI data center in Busan?")
    assert no.boolean is False and "ulsan" in {i.id for i in no.items}


def test_a_total_counts_each_dollar_once(engine):
    answer = engine.ask("What is the total of all Amazon commitments?")
    assert answer.total is not None
    ids = {i.id for i in answer.items}
    # the USD 9 billion package holds AWS's USD 5 billion: never both
    assert not ({"seven-firms-package", "aws-korea-cloud"} <= ids)


def test_a_total_of_amounts_counts_a_part_once(engine):
    """Regression: a total read through the amounts (not the commitments) added the USD 5
    billion and USD 6.6 billion parts to the USD 9 billion package that holds them (20.6)."""
    answer = engine.ask("how much is being invested in Korea in total?")
    assert answer.total is not None
    ids = {i.id for i in answer.items}
    assert "seven-firms-package/amount" in ids
    assert not ids & {"aws-korea-cloud/amount", "seven-firms-fdi/amount"}
    assert round(answer.total.value_usd) == 9_000_000_000


@pytest.mark.parametrize(
    "question, error",
    [
        ("", UnansweredError),
        ("?!?", UnansweredError),
        ("x" * (MAX_NAME + 1), InputError),
        ("who " * 61, InputError),
        ("\x00\x1b[31m who attended", UnansweredError),
    ],
)
def test_hostile_questions_get_a_clear_error(engine, question, error):
    with pytest.raises(error):
        engine.ask(question)


@settings(max_examples=150, deadline=2000)
@given(st.text(max_size=200))
def test_any_text_gets_an_answer_or_a_kg_error(text):
    with contextlib.suppress(KGError):
        _ENGINE.ask(text)


_ENGINE = Engine()


def test_one_reading_read_from_two_names(engine):
    """ "X or Y", "X than Y": the same reading from each name, then compared."""
    diff = engine.ask("How much more did China invest in AI than Korea?")
    assert (
        diff.shape == "difference" and round(diff.total.value_usd) == 9_290_000_000 - 1_330_000_000
    )
    rows = open_store().query(diff.sparql).rows  # its SPARQL reads both names alike
    assert {str(r[0]).rsplit("/", 1)[-1] for r in rows} == {"ai-investment-cn", "ai-investment-kr"}
    choice = engine.ask("Who put more money into the Ulsan data center, AWS or SK?")
    assert [i.id for i in choice.items] == ["aws"]
