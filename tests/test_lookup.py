"""Lookups on the curated graph, the article files, amounts for people, and hostile names that
must stay values, never query text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Dataset, Literal

from kg import lookup
from kg.articles import paragraph, paragraphs
from kg.ask import ask
from kg.errors import AmbiguousError, InputError, NotFoundError, UnansweredError
from kg.model import Value, top_level
from kg.money import format_amount, money_text, number_text
from kg.names import name_key
from kg.resolve import STOPWORDS, name_index
from kg.session import Session
from kg.store import MemoryStore
from kg.vocab import ID, KG, SKOS, claim_iri, local_id

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "seeds"  # the article files, beside the repository


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


@pytest.fixture(scope="module")
def g(store):
    return Session(store)


def codes(cites) -> list[str]:
    return [str(c) for c in cites]


# ----------------------------------------------------------------------------- lookups


def test_attendees_with_sources(g):
    found = lookup.attendees(g, "New York meeting")
    assert found.entity.id == "ny-meeting" and found.what == "attendees"
    by_id = {a.id: codes(a.sources) for a in found.items}
    assert by_id["kim-jung-kwan"] == ["a000:18"]  # only a000 names the industry minister
    assert by_id["cha-ji-ho"] == ["a000:18", "a001:5"]
    with pytest.raises(NotFoundError, match="BlackRock is an Investor, not an event"):
        lookup.attendees(g, "BlackRock")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda g: lookup.members(g, "Larry Fink"), "Larry Fink is a Person, not an organisation"),
        (lambda g: lookup.leaders(g, "Ulsan"), "Ulsan is a City, not an organisation"),
        (lambda g: lookup.owners(g, "Larry Fink"), "is a Person, not an organisation"),
        (lambda g: lookup.attendees(g, "Larry Fink"), "is a Person, not an event"),
        (lambda g: lookup.signatories(g, "Larry Fink"), "is a Person, not an agreement"),
        (lambda g: lookup.commitments(g, investor="Ulsan"), "is a City, not an investor"),
        (lambda g: lookup.commitments(g, project="Larry Fink"), "not a project, place or org"),
    ],
)
def test_every_lookup_explains_an_entity_of_the_wrong_type(g, call, message):
    with pytest.raises(NotFoundError, match=message) as err:
        call(g)
    assert err.value.exit_code == 3


def test_the_classes_a_lookup_expects_come_from_the_record_schema():
    from kg.schema import KINDS

    assert (
        lookup.allowed("memberships", "organization")
        == KINDS["memberships"][1]["organization"].classes
    )
    assert lookup.allowed("events") == (KINDS["events"][0],)


def test_members_include_positions_and_parts(g):
    found = lookup.members(g, "Government of South Korea").items
    relations = {(m.id, m.relation) for m in found}
    assert ("lee-jae-myung", "President of") in relations  # a000:10
    assert ("kim-jung-kwan", "Industry and Energy Minister of") in relations  # a000:18
    assert ("msit", "part of") in relations  # a002:4
    assert ("motir", "part of") in relations  # a004:8


def test_kinds_take_the_right_indefinite_article(g):
    index = g.names
    assert index.get("blackrock").a_kind == "an Investor"
    assert index.get("ulsan").a_kind == "a City"
    with pytest.raises(NotFoundError, match="is an Investor, not an agreement"):
        lookup.signatories(g, "BlackRock")


def test_commitment_filters(g, built):
    every = lookup.commitments(g)
    assert len(every) == sum(r.kind == "commitments" for r in built.seeds.records.values())
    assert {c.id for c in lookup.commitments(g, investor="SK")} == {"sk-ulsan"}
    assert {c.id for c in lookup.commitments(g, project="Ulsan AI data center")} == {
        "aws-ulsan",  # a003:7 and a004:9 agree on AWS's USD 4 billion
        "sk-ulsan",
    }
    # Ulsan lies in South Korea, so what goes to Ulsan goes to Korea too
    korea = {c.id for c in lookup.commitments(g, investor="AWS", project="Korea")}
    # the FDI part names no investors (a004:8 gives only the split of the total)
    assert korea == {
        "aws-korea-cloud",
        "aws-ulsan",
        "seven-firms-package",
    }
    big = lookup.commitments(g, min_usd=5_000_000_000)
    assert [c.id for c in big] == ["seven-firms-package", "seven-firms-fdi", "aws-korea-cloud"]


def test_a_total_of_top_level_commitments_counts_each_dollar_once(g):
    every = lookup.commitments(g)
    parts = [c for c in every if c.part_of is not None]
    assert {c.part_of.id for c in parts} == {"seven-firms-package"}  # a004:8: parts of the 9bn
    top = top_level(every)
    assert len(top) + len(parts) == len(every)
    package = next(c for c in every if c.id == "seven-firms-package")
    assert all(0 < (c.usd or 1) <= package.usd for c in parts)  # inside the package
    total = sum(c.usd or 0 for c in top)
    assert total == sum(c.usd or 0 for c in every) - sum(c.usd or 0 for c in parts)


def test_amounts_in_original_currency_and_usd(g):
    (uk,) = lookup.commitments(g, project="uk-data-centres")
    assert (uk.amount.currency, uk.amount.value) == ("GBP", 500_000_000)  # a000:20
    assert 600_000_000 < uk.amount.value_usd < 700_000_000 and uk.amount.usd_rate_date
    assert uk.amount_text().startswith("GBP 500 million (USD 678 million as stated; USD 6")
    assert (
        money_text(
            {
                "currency": "KRW",
                "amount": None,
                "min": 2 * 10**12,
                "max": 10**13,
                "approximation": "several trillion won",
            }
        )
        == "KRW 2 trillion to 10 trillion (“several trillion won”)"
    )
    assert money_text({"currency": None, "undisclosed": True}) == "undisclosed"


def test_the_article_s_own_usd_figure_is_shown_beside_the_converted_one(g):
    (uk,) = lookup.commitments(g, project="uk-data-centres")
    assert uk.amount.stated_usd == 678_000_000  # a000:20
    assert uk.amount_text() == (
        "GBP 500 million (USD 678 million as stated; USD "
        f"{number_text(uk.amount.value_usd)} at the ECB rate of "
        f"{uk.amount.usd_rate_date})"
    )
    (amount,) = [f for f in lookup.why(g, "blackrock-uk-data-centres") if f.predicate == "amount"]
    assert amount.object.value == uk.amount_text()


def test_figures_just_below_a_scale_round_up_to_it_not_to_a_thousand_of_the_one_below():
    assert number_text(999_700_000) == "1 billion"
    assert number_text(999_400_000) == "999 million"
    assert number_text(99_960_000) == "100 million"
    assert format_amount(2 * 10**12, "KRW", 10**13) == "KRW 2 trillion to 10 trillion"
    assert money_text({"currency": "USD", "amount": 999_700_000}) == "USD 1 billion"


def test_amounts_read_the_same_in_lookups_and_pictures():
    from kg.viz.text import amount_text

    attrs = {"amount_currency": "KRW", "amount_minValue": 2e12, "amount_maxValue": 1e13}
    assert (
        amount_text(attrs)
        == money_text({"currency": "KRW", "min": 2e12, "max": 1e13})
        == format_amount(2e12, "KRW", 1e13)
    )


def test_why_an_entity_and_why_a_fact(g):
    facts = lookup.why(g, "Larry Fink", "BlackRock")
    assert [(f.subject.id, f.relation, f.object.id) for f in facts] == [
        ("larry-fink", "CEO of", "blackrock")
    ]
    assert codes(facts[0].sources) == ["a000:10", "a002:2", "a002:3", "a002:8", "a003:1"]
    assert [(c.source, c.paragraph) for c in facts[0].cited][:1] == [("a000", 10)]
    about = lookup.why(g, "gip")
    assert ("gip", "owned by", "blackrock") in {
        (f.subject.id, f.relation, getattr(f.object, "id", None)) for f in about
    }
    with pytest.raises(NotFoundError, match="no fact linking"):
        lookup.why(g, "Jensen Huang", "Larry Fink")


def test_why_quotes_the_paragraph_from_the_article_files(g, tmp_path):
    for article in g.articles:  # stand-ins: paragraph n reads "paragraph n"
        lines = (f"paragraph {n}" for n in range(1, article.paragraphs + 1))
        (tmp_path / article.file).write_text("\n\n".join(lines), encoding="utf-8")
    (fact,) = g.why("GIP", "BlackRock", articles=tmp_path)
    assert [(c.source, c.paragraph, c.text) for c in fact.cited] == [("a001", 5, "paragraph 5")]
    assert g.sources("GIP", "BlackRock") == g.why("GIP", "BlackRock")
    assert [a.id for a in g.sources()] == [a.id for a in g.articles]


def test_why_reports_facts_of_estimates_under_the_commitment_holding_them(g):
    # a001:15: Cha Ji-ho estimated the BlackRock plan at several and at tens of trillions of won
    facts = lookup.why(g, "cha-ji-ho", "blackrock-korea-investment")
    assert {(f.subject.id, f.predicate, f.object.id) for f in facts} == {
        ("blackrock-korea-investment", "estimatedBy", "cha-ji-ho")
    }
    assert [codes(f.sources) for f in facts] == [["a001:15"], ["a001:15"]]
    assert sorted(f.held.value for f in facts)[0].startswith(
        "KRW 10 trillion to 100 trillion (“tens of trillions of won”"
    )
    # and among the facts about the commitment, with the other estimator (a002:18)
    about = lookup.why(g, "blackrock-korea-investment")
    assert {getattr(f.object, "id", None) for f in about if f.held} == {"cha-ji-ho", "gov-kr"}


def test_mentions_articles(g, store):
    found = lookup.mentions(g, "Jensen Huang").items
    assert [(a.id, a.paragraphs) for a in found] == [("a004", (14,))]
    files = {a.id: a.file for a in lookup.articles(store)}
    assert sorted(files) == ["a000", "a001", "a002", "a003", "a004"]


def test_paragraphs_are_the_lines_left_once_blank_ones_are_dropped(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("first\n\n  second  \n\u00a0\u00a0\n\t\nthird\n", encoding="utf-8")
    assert paragraphs(path) == ["first", "second", "third"]  # a line of NBSPs is blank too
    assert paragraph(path, 2) == "second"
    with pytest.raises(InputError, match="no paragraph 4"):
        paragraph(path, 4)
    with pytest.raises(InputError, match="cannot read the article"):
        paragraphs(tmp_path / "missing.txt")


@pytest.mark.skipif(not ARTICLES.is_dir(), reason=f"no article files in {ARTICLES}")
def test_every_article_file_has_the_paragraphs_its_source_record_counts(built):
    checked = 0
    for source in built.seeds.sources.values():
        path = ARTICLES / source.fields["file"]
        if path.is_file():
            assert len(paragraphs(path)) >= source.paragraphs, source.id
            checked += 1
    assert checked, f"no file of seeds/sources.yaml is in {ARTICLES}"


def test_places_dates_owners_leaders_signatories(g):
    where = lookup.locations(g, "BlackRock-Ministry of Science and ICT AI partnership MOU")
    assert [(p.id, p.of.id) for p in where.items] == [("new-york", "mou-signing")]
    when = lookup.dates(g, "gcip-ceremony").items
    assert [(d.date, d.relation) for d in when] == [("2025-10-29", "start date")]
    assert [o.id for o in lookup.owners(g, "GIP").items] == ["blackrock"]
    leaders = lookup.leaders(g, "World Bank").items
    assert [(r.member.id, r.former) for r in leaders] == [("jim-yong-kim", True)]
    assert lookup.leaders(g, "BlackRock", "chair").items == ()
    # memberships.yaml: Bae Kyung-hoon is Science and ICT Minister (a002:10)
    assert [r.member.id for r in lookup.leaders(g, "msit", "minister").items] == ["bae-kyung-hoon"]
    # a signing ceremony stands for the agreement signed at it
    signed = lookup.signatories(g, "mou-signing")
    assert signed.entity.id == "blackrock-msit-mou"
    assert {(s.id, s.role) for s in signed.items} >= {
        ("bae-kyung-hoon", "signatory"),
        ("larry-fink", "signatory"),
        ("msit", "party"),
    }


def test_amounts_and_figures_read_as_values(g):
    amounts = [f for f in lookup.why(g, "aws-ulsan") if f.relation == "amount"]
    assert [(f.object, codes(f.sources)) for f in amounts] == [  # a003:7, a004:9: AWS's $4bn
        (Value("USD 4 billion"), ["a003:7", "a004:9"])
    ]
    figures = [
        a.value
        for a in lookup.entity_card(g, "ulsan-ai-data-center").attributes
        if a.attribute == "figure"
    ]
    # a003:7: 60,000 GPUs, 103MW targeted by 2029, ultimately 1GW
    assert sorted(figures) == [
        "1 GW (capacity, ultimate)",
        "103 MW (capacity, target, by 2029)",
        "60,000 GPUs",
    ]


def test_a_state_is_led_by_its_president_not_by_its_ministers(g):
    # memberships.yaml: Lee is President (a000:10), Kim Jung-kwan Industry and Energy Minister
    # (a000:18), both of the Government of South Korea
    assert lookup.is_state(g, g.names.get("gov-kr"))
    assert not lookup.is_state(g, g.names.get("msit"))
    leaders = lookup.leaders(g, "gov-kr").items
    assert [r.member.id for r in leaders] == ["lee-jae-myung"]
    ministers = lookup.leaders(g, "gov-kr", "minister").items
    assert [r.member.id for r in ministers] == ["kim-jung-kwan"]


def test_entity_card_keeps_the_sources_of_the_entity_s_own_record(g):
    # places.yaml: south-korea cites a000:8, a001:2, a002:3, a003:1, a004:7 for itself; it has no
    # attribute or outgoing relation, so these come from its type and label claims
    card = lookup.entity_card(g, "south-korea")
    cited = {f"{s.source}:{s.paragraph}" for s in card.sources}
    assert {"a000:8", "a001:2", "a002:3", "a003:1", "a004:7"} <= cited


def test_entity_card_sections(g):
    card = lookup.entity_card(g, "AWS")
    assert card.id == "aws" and set(card.aliases) == {"AWS", "Amazon"}
    assert {c.id for c in card.commitments} >= {"aws-ulsan", "aws-korea-cloud"}
    assert ("matt-garman", "CEO of") in {(m.id, m.relation) for m in card.members}
    incoming = {(r.subject.id, r.relation) for r in card.relations if r.direction == "in"}
    assert ("ulsan-ai-data-center", "partner") in incoming
    assert all(r.sources for r in card.relations)
    assert {s.source for s in card.sources} == {"a003", "a004"}
    person = lookup.entity_card(g, "Chey Tae-won")
    assert [e.id for e in person.events] == ["chey-yomiuri-interview"]
    assert len(person.statements) == 2 and person.commitments == ()


# ----------------------------------------------------------------------------- hostile names

HOSTILE = [
    'O\'Brien "The Rock"',
    "} ; DROP ALL ; #",
    'x" } UNION { ?s ?p ?o } #',
    "# comment",
    "line one\nline two",
    "SELECT * WHERE { ?s ?p ?o }",
    'back\\slash \\" quote',
    "{{braces}}",
    "?name",
    "<http://example.org/x>",
    "FILTER(true)",
    "ASK",
    'Larry Fink" || "1" = "1',
    "tab\there",
    "名前 Ünïcödé",
    ")(",
    "'''triple'''",
    '"""',
    "\\u0022",
]


@pytest.fixture(scope="module")
def hostile_store(dataset):
    """The curated graph plus one entity named by each hostile string."""
    ds = Dataset(default_union=True)
    for quad in dataset.quads((None, None, None, None)):
        ds.add(quad)
    graph = ds.graph(claim_iri("hostile"))
    for n, label in enumerate(HOSTILE):
        graph.add((ID[f"hostile-{n}"], RDF.type, KG.Company))
        graph.add((ID[f"hostile-{n}"], SKOS.prefLabel, Literal(label, lang="en")))
    return MemoryStore(ds)


@pytest.fixture(scope="module")
def labels(hostile_store):
    """Every name of every entity, read in Python: the plain dictionary the queries must match."""
    table: dict[str, set[str]] = {}
    ds = hostile_store.dataset()
    for pred in (SKOS.prefLabel, SKOS.altLabel):
        for s, o in ds.subject_objects(pred):
            table.setdefault(str(o), set()).add(local_id(s))
    return table


NAMES = st.one_of(
    st.sampled_from(HOSTILE + ["BlackRock", "Fink", "AWS", "이재명"]),
    st.text(alphabet=st.sampled_from(list("\"'{}#\n\\<>?()*;. aZ하")), max_size=20),
    st.text(max_size=30),
)


@pytest.mark.slow  # a battery of generated names
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES)
def test_a_bound_name_is_data_not_query_text(hostile_store, labels, name):
    rows = lookup.run_saved(hostile_store, "named", name=Literal(name))
    found = {local_id(r["entity"]) for r in rows}
    assert found == labels.get(name, set())
    assert all(str(r["name"]) == name for r in rows)  # the binding comes back unchanged


@pytest.mark.slow  # a battery of generated names
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=NAMES)
@example(name="\u2018")  # a lone left quote: blank for the resolver and for the oracle alike
def test_hostile_names_resolve_like_a_dictionary_or_not_at_all(hostile_store, name):
    index = name_index(hostile_store)
    exact = {
        e.id
        for e in index.entities.values()
        if name_key(name) and name_key(name) in {name_key(n) for n in (e.label, *e.aliases)}
    }
    try:
        found = index.resolve(name).id
    except InputError:  # blank, or common words only, and nobody's exact name
        assert not exact and set(name_key(name).split()) <= STOPWORDS
        return
    except (NotFoundError, AmbiguousError):
        assert len(exact) != 1
        return
    if len(exact) == 1:
        assert found in exact


@pytest.mark.slow  # a battery: a question per hostile name
@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_entities_are_found_by_their_names(hostile_store, label):
    ident = f"hostile-{HOSTILE.index(label)}"
    assert name_index(hostile_store).resolve(label).id == ident
    assert lookup.entity_card(Session(hostile_store), label).label == label
    # in a question too, the name is only ever a name: described, or (a name of symbols the
    # question's words cannot hold) refused, never run as anything else
    try:
        answer = ask(hostile_store, f"tell me about {label}")
    except UnansweredError:
        return
    assert answer.shape == "describe"
    assert [e.id for e in answer.entities] == [ident]
