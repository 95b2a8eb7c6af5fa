"""Name resolution on the curated graph: exact names and aliases, fuzzy matches, ambiguity."""

from __future__ import annotations

import unicodedata

import pytest

from kg.errors import AmbiguousError, InputError, NotFoundError
from kg.resolve import known_class, name_index, plain_quotes, resolve, search
from kg.store import MemoryStore


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


@pytest.fixture(scope="module")
def index(store):
    return name_index(store)


@pytest.mark.parametrize(
    "name, ident",
    [
        ("BlackRock", "blackrock"),  # label
        ("blackrock", "blackrock"),  # case
        ("Lee Jae-myung", "lee-jae-myung"),  # alias with a hyphen
        ("LEE   JAE  MYUNG", "lee-jae-myung"),  # spacing
        ("lee-jae myung", "lee-jae-myung"),  # hyphens and spaces mixed
        ("Amazon", "aws"),  # alias
        ("AWS", "aws"),
        ("GIP", "gip"),
        ("U.S.", "united-states"),  # dots
        ("Korea", "south-korea"),
        ("the AI Infrastructure Partnership", "aip"),  # a leading "the"
        ("ny-meeting", "ny-meeting"),  # an id
        ("이재명", "lee-jae-myung"),  # Korean label
        (unicodedata.normalize("NFD", "이재명"), "lee-jae-myung"),  # decomposed Hangul
        (unicodedata.normalize("NFD", "과학기술정보통신부"), "msit"),
    ],
)
def test_exact_names_and_aliases(index, name, ident):
    assert index.resolve(name).id == ident
    assert index.search(name)[0].score == 100


@pytest.mark.parametrize(
    "name, ident",
    [
        ("Larry Fnik", "larry-fink"),  # typo
        ("Blackrok", "blackrock"),
        ("Black Rock", "blackrock"),  # spaced
        ("Jung-kwan Kim", "kim-jung-kwan"),  # word order
        ("New York meeting", "ny-meeting"),  # words of a long label
        ("Ulsan data centre", "ulsan-ai-data-center"),  # spelling variant, a word left out
        ("Ministry of Science", "msit"),
        ("Samsung", "samsung-electronics"),
    ],
)
def test_fuzzy_matches(index, name, ident):
    assert index.resolve(name).id == ident


def test_several_close_candidates_are_ambiguous(index):
    with pytest.raises(AmbiguousError) as err:
        index.resolve("Kim")
    assert {ident for ident, _ in err.value.candidates} == {
        "kim-jung-kwan",
        "jim-yong-kim",
        "kim-hea-kyung",
    }
    assert err.value.exit_code == 3


def test_the_class_a_name_ends_with_breaks_a_tie(index):
    # the MOU and its signing ceremony are named alike (the ceremony even scores higher);
    # the last word picks the class
    hits = index.search("the BlackRock MOU")
    assert [h.entity.id for h in hits[:2]] == ["mou-signing", "blackrock-msit-mou"]
    assert index.resolve("the BlackRock MOU").id == "blackrock-msit-mou"
    assert index.resolve("the MOU signing").id == "mou-signing"
    # the meeting, not the press briefing "on the Lee-Fink meeting"
    assert index.resolve("Lee-Fink meeting").id == "ny-meeting"


def test_preferred_classes_settle_fuzzy_matches_but_not_exact_names(index):
    assert index.resolve("Huang").id == "jensen-huang"
    assert index.resolve("Huang", prefer=("Event",)).id == "huang-korea-visit"
    assert index.resolve("Ulsan", prefer=("Project",)).id == "ulsan"  # exact name wins


def test_unknown_name_suggests_near_ones(index):
    with pytest.raises(NotFoundError, match="did you mean 'Larry Fink'") as err:
        index.resolve("Mr Fink")
    assert err.value.exit_code == 3
    with pytest.raises(NotFoundError, match="no entity named 'zzzz'$"):
        index.resolve("zzzz")


def test_search_ranks_exact_then_close(store):
    hits = search(store, "new york")
    assert hits[0].entity.id == "new-york" and hits[0].score == 100
    assert {h.entity.id for h in hits[1:4]} == {"ny-meeting", "lee-new-york-trip", "ibm-visit"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    events = search(store, "new york", classes=["Event"])
    assert events and all(h.entity.is_a("Event") for h in events)


def test_entities_carry_types_classes_and_names(index):
    aws = index.get("aws")
    assert aws.label == "Amazon Web Services"
    assert set(aws.aliases) == {"AWS", "Amazon"}
    assert aws.is_a("Organization") and aws.is_a("Agent") and not aws.is_a("Person")
    assert index.get("lee-jae-myung").kind == "Official"
    assert index.get("msit").label_ko == "과학기술정보통신부"
    assert "kim-jung-kwan-gov-kr" not in index.entities  # memberships are not entities
    with pytest.raises(NotFoundError):
        index.get("nobody")


def test_a_session_reads_the_index_once_and_no_module_keeps_one(store):
    from kg.session import Session

    g = Session(store)
    assert g.names is g.names  # read once, kept by the session
    assert Session(store).names is not g.names  # not by a module-level cache
    assert g.names.resolve("Fink").id == resolve(store, "Fink").id == "larry-fink"
    assert name_index(store) is not name_index(store)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_blank_name_is_an_input_error(index, name):
    with pytest.raises(InputError, match="blank") as err:
        index.resolve(name)
    assert err.value.exit_code == 2
    with pytest.raises(InputError):
        index.search(name)


@pytest.mark.parametrize("name", ["in", "the", "of the", "The In"])
def test_common_words_alone_name_nothing(index, name):
    # "in" once matched "Meeting ... in New York" as well as any name
    with pytest.raises(InputError, match="only common words"):
        index.resolve(name)


def test_common_words_do_not_count_when_scoring(index):
    # "Science Minister Bae" has no "of": without the common words both names hold the query's
    # words, and the ministry still fits better
    assert index.resolve("Ministry of Science").id == "msit"
    assert index.resolve("the Ministry of the Science").id == "msit"


@pytest.mark.parametrize(
    "name, ident",
    [
        ("“Larry Fink”", "larry-fink"),
        ("‘BlackRock’", "blackrock"),
        ("Jensen Huang’s visit to Korea", "huang-korea-visit"),
    ],
)
def test_typographic_quotes_match_like_plain_ones(index, name, ident):
    assert index.resolve(name).id == ident
    assert plain_quotes("“x” ‘y’ «z»") == '"x" \'y\' "z"'


def test_class_names_are_checked_once_for_every_class_option():
    assert known_class(" investor ", ["Investor", "Person"]) == "Investor"
    with pytest.raises(InputError, match=r"unknown class 'Spaceship' \(known: Investor, Person\)"):
        known_class("Spaceship", ["Person", "Investor"])
