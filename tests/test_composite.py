"""Compounds, descriptions and joins (kg/question/composite.py) on the curated graph's index."""

from __future__ import annotations

import pytest

from kg.question.engine import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _first(engine: Engine, question: str):
    return engine.parse(question).groups[0][0]


def test_a_hyphen_compound_links_the_node_both_names_share(engine):
    link = _first(engine, "who was at the Lee-Fink meeting")
    assert (link.node, link.first, link.last) == ("ny-meeting", 4, 7)


def test_two_words_of_one_name_are_that_name_not_a_compound(engine):
    link = _first(engine, "how many jobs will the siemens healthineers plant create")
    assert (link.node, link.last - link.first) == ("siemens-healthineers", 2)


def test_a_compound_ranks_below_an_exact_link_of_its_span(engine):
    # "Siemens Healthineers" is an exact name: no compound of its two words may take its place
    groups = engine.parse("where is the siemens healthineers plant").groups
    assert all(link.exact and link.score == 1.0 for link in groups[0])


def test_a_class_word_naming_the_one_member_of_its_class_still_links(engine):
    # the graph knows one MOU: "the MOU" names it ("group" would not: many groups)
    assert engine.parse("where was the MOU signed").groups
    assert "group" in engine.class_words and "mou" not in engine.class_words


def test_a_description_answering_another_class_names_nothing(engine):
    # "the group whose chairman also heads the Korea Chamber of Commerce" is asked as a
    # sub-question; its answer must be a group, not the chairman the sub-question finds
    groups = engine.parse(
        "which company is partnering in ulsan with the group whose chairman also heads the korea "
        "chamber of commerce"
    ).groups
    assert not any(link.node == "chey-tae-won" for g in groups for link in g)
