"""Yes/no verification (kg/question/verify.py): its word and relation knowledge is lexicon data."""

from __future__ import annotations

import copy

import pytest

from kg.errors import UnansweredError
from kg.question.engine import THRESHOLD, Engine
from kg.question.index import load
from kg.question.verify import capped


@pytest.fixture(scope="module")
def engine():
    return Engine()


def test_one_value_properties_and_number_words_come_from_the_lexicon(engine):
    one = engine.verify.one
    assert {"location", "ownedBy", "ChiefExecutiveTitles"} <= one
    assert not {"attendee", "member", "investor", "partner"} & one
    assert engine.verify.counts["seven"] == 7 and engine.verify.counts["half"] == 0.5


def test_a_no_needs_the_one_value_annotation():
    question = "Is the Ulsan AI data center located in Busan?"
    assert Engine().ask(question).boolean is False
    index = load()
    index.lexicon = copy.deepcopy(index.lexicon)
    del index.lexicon["location"]["one"]
    with pytest.raises(UnansweredError):
        Engine(index).ask(question)


def test_a_word_left_over_keeps_a_yes_no_under_the_threshold():
    assert capped(1.3, 1, THRESHOLD) < THRESHOLD
    assert capped(1.3, 0, THRESHOLD) == 1.3


def test_half_of_a_figure_is_read(engine):
    p = engine.parse("does Amazon account for more than half of the $9 billion")
    first = next(t.i for t in p.toks if t.text == "9")
    factor, told = engine.verify.part_of(p.toks, first)
    assert factor == 0.5 and [p.toks[k].text for k in told] == ["half"]
    assert engine.verify.part_of(p.toks, 1) == (1.0, set())
