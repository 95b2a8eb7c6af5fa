"""The curated facts, checked by SPARQL on the built graph against what the articles say.

Each expectation here was read off the articles in ../shared/seeds by hand; a curation mistake
(a missing attendee, a wrong figure, a lost citation) fails one of these.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from kg.vocab import ID, KG, ONTOLOGY_GRAPH, PREFIXES, PROVENANCE_GRAPH


def ids(dataset, query: str, **bindings) -> set[str]:
    rows = dataset.query(query, initNs=PREFIXES, initBindings=bindings)
    return {str(row[0]).removeprefix(str(ID)) for row in rows}


ATTENDEES = "SELECT ?who WHERE { ?event kg:attendee ?who }"


def test_new_york_meeting_attendees(dataset):
    assert ids(dataset, ATTENDEES, event=ID["ny-meeting"]) == {
        "lee-jae-myung",
        "larry-fink",
        "kim-jung-kwan",
        "cha-ji-ho",
        "adebayo-ogunlesi",
        "jim-yong-kim",
    }


def test_each_attendee_cites_the_articles_that_name_them(dataset):
    query = """
    SELECT ?src ?para WHERE {
      GRAPH ?g { ?event kg:attendee ?who }
      ?g kg:citation ?c . ?c prov:entity ?s ; kg:paragraph ?para . ?s dcterms:identifier ?src
    }"""
    rows = dataset.query(
        query, initNs=PREFIXES, initBindings={"event": ID["ny-meeting"], "who": ID["kim-jung-kwan"]}
    )
    assert {(str(s), int(p)) for s, p in rows} == {("a000", 18)}
    rows = dataset.query(
        query, initNs=PREFIXES, initBindings={"event": ID["ny-meeting"], "who": ID["jim-yong-kim"]}
    )
    assert {str(s) for s, _ in rows} == {"a000", "a001", "a002"}


def test_mou_signatories_parties_and_witness(dataset):
    mou = ID["blackrock-msit-mou"]
    assert ids(dataset, "SELECT ?p WHERE { ?a kg:signatory ?p }", a=mou) == {
        "bae-kyung-hoon",
        "larry-fink",
    }
    assert {"msit", "blackrock"} <= ids(dataset, "SELECT ?p WHERE { ?a kg:party ?p }", a=mou)
    assert ids(dataset, "SELECT ?p WHERE { ?a kg:witness ?p }", a=mou) == {"lee-jae-myung"}
    assert (mou, URIRef(KG + "type"), None) not in dataset
    assert dataset.query("ASK { ?a a kg:MOU }", initNs=PREFIXES, initBindings={"a": mou}).askAnswer


def test_ai_infrastructure_partnership_members(dataset):
    query = "SELECT ?m WHERE { ?x kg:member ?m ; kg:organization ?org }"
    assert ids(dataset, query, org=ID["aip"]) == {
        "blackrock",
        "gip",
        "microsoft",
        "mgx",
        "nvidia",
        "xai",
    }


def test_seven_firms_of_the_nine_billion_package(dataset):
    c = ID["seven-firms-package"]
    assert ids(dataset, "SELECT ?i WHERE { ?c kg:investor ?i }", c=c) == {
        "aws",
        "renault",
        "amkor",
        "corning",
        "air-liquide",
        "siemens-healthineers",
        "umicore",
    }
    value = dataset.value(dataset.value(c, KG.amount), KG.value)
    assert Decimal(str(value)) == Decimal("9000000000")
    assert dataset.value(c, KG.horizonYears).toPython() == 5


def test_ulsan_data_centre(dataset):
    dc = ID["ulsan-ai-data-center"]
    assert {"sk-group", "aws"} <= ids(dataset, "SELECT ?p WHERE { ?d kg:partner ?p }", d=dc)
    assert ids(dataset, "SELECT ?l WHERE { ?d kg:location ?l }", d=dc) == {"ulsan"}
    measures = dataset.query(
        """
        SELECT ?v ?u WHERE { ?d kg:measure ?m . ?m kg:value ?v ; kg:unit ?u }""",
        initNs=PREFIXES,
        initBindings={"d": dc},
    )
    got = {(Decimal(str(v)), str(u)) for v, u in measures}
    assert (Decimal(60000), "GPUs") in got or (Decimal(60000), "GPU") in got
    assert (Decimal(103), "MW") in got
    assert (Decimal(1), "GW") in got
    amounts = dataset.query(
        """
        SELECT ?inv ?v WHERE { ?c kg:target ?d ; kg:investor ?inv ; kg:amount ?m .
                               ?m kg:value ?v ; kg:currency "USD" }""",
        initNs=PREFIXES,
        initBindings={"d": dc},
    )
    got = {(str(i).removeprefix(str(ID)), Decimal(str(v))) for i, v in amounts}
    assert got == {("aws", Decimal("4000000000")), ("sk-group", Decimal("2500000000"))}


def test_aws_five_billion_by_2031_is_part_of_the_package(dataset):
    c = ID["aws-korea-cloud"]
    assert dataset.value(c, KG.partOf) == ID["seven-firms-package"]
    assert str(dataset.value(c, KG.horizonEnd)) == "2031"
    assert Decimal(str(dataset.value(dataset.value(c, KG.amount), KG.value))) == 5_000_000_000


def test_gbp_amount_keeps_original_and_converts_with_rate_and_date(dataset):
    m = dataset.value(ID["blackrock-uk-data-centres"], KG.amount)
    assert str(dataset.value(m, KG.currency)) == "GBP"
    assert Decimal(str(dataset.value(m, KG.value))) == 500_000_000
    assert Decimal(str(dataset.value(m, KG.statedValueUsd))) == 678_000_000
    rate = Decimal(str(dataset.value(m, KG.usdRate)))
    usd = Decimal(str(dataset.value(m, KG.valueUsd)))
    assert Decimal("1.2") < rate < Decimal("1.5")
    assert usd == (Decimal(500_000_000) * rate).quantize(Decimal(1))
    assert dataset.value(m, KG.usdRateDate) is not None
    assert "currencyconverter" in str(dataset.value(m, KG.usdRateSource))


def test_undisclosed_blackrock_investment_keeps_both_estimates(dataset):
    c = ID["blackrock-korea-investment"]
    assert dataset.value(c, KG.undisclosed) == Literal(True)
    rows = dataset.query(
        """
        SELECT ?by ?min ?approx WHERE { ?c kg:estimate ?e . ?e kg:currency "KRW" ;
            kg:approximation ?approx .
            OPTIONAL { ?e kg:estimatedBy ?by } OPTIONAL { ?e kg:minValue ?min } }""",
        initNs=PREFIXES,
        initBindings={"c": c},
    )
    approx = {str(a) for _, _, a in rows}
    assert any("several trillion" in a for a in approx)
    assert any("tens of trillions" in a for a in approx)
    assert len(list(rows)) >= 3  # Cha Ji-ho's two figures (001) and the officials' figure (002)


def test_conflicting_titles_are_both_kept_with_sources(dataset):
    rows = dataset.query(
        """
        SELECT ?title ?src WHERE {
          GRAPH ?g { ?m kg:member ?who ; kg:organization ?org ; kg:title ?title }
          ?g prov:wasDerivedFrom ?s . ?s dcterms:identifier ?src }""",
        initNs=PREFIXES,
        initBindings={"who": ID["larry-fink"], "org": ID["wef"]},
    )
    got = {(str(t), str(s)) for t, s in rows}
    assert got == {("interim co-chair", "a000"), ("chair", "a002")}
    assert dataset.query(
        """ASK { GRAPH ?g1 { ?m1 kg:title "chair"@en } ?g1 kg:conflictsWith ?g2 .
                               GRAPH ?g2 { ?m2 kg:title "interim co-chair"@en } }""",
        initNs=PREFIXES,
    ).askAnswer


@pytest.mark.parametrize(
    ("entity", "alias"),
    [
        ("lee-jae-myung", "Lee Jae-myung"),
        ("aws", "AWS"),
        ("aws", "Amazon"),
        ("gip", "GIP"),
        ("msit", "MSIT"),
        ("aip", "AIP"),
    ],
)
def test_spelling_variants_are_aliases_of_one_entity(dataset, entity, alias):
    from kg.vocab import SKOS

    names = {str(o) for o in dataset.objects(ID[entity], SKOS.altLabel)}
    names |= {str(o) for o in dataset.objects(ID[entity], SKOS.prefLabel)}
    assert alias in names


def test_abbreviation_not_in_the_articles_is_curator_knowledge(dataset):
    prov = dataset.graph(PROVENANCE_GRAPH)
    rows = list(
        dataset.query(
            """
        SELECT ?g WHERE { GRAPH ?g { ?e skos:altLabel "MSIT"@en } }""",
            initNs=PREFIXES,
            initBindings={"e": ID["msit"]},
        )
    )
    assert len(rows) == 1
    claim = rows[0][0]
    assert prov.value(claim, KG.basis) is not None
    assert prov.value(claim, KG.citation) is None
    assert "abbreviation" in str(prov.value(claim, KG.note))


def test_korean_labels_are_curator_knowledge_not_article_claims(dataset):
    from kg.vocab import SKOS

    assert Literal("이재명", lang="ko") in set(dataset.objects(ID["lee-jae-myung"], SKOS.prefLabel))
    prov = dataset.graph(PROVENANCE_GRAPH)
    claim = ID["claim/lee-jae-myung/label_ko"]
    assert prov.value(claim, KG.basis) is not None
    assert prov.value(claim, KG.citation) is None


def test_every_fact_triple_traces_to_an_article_paragraph(dataset):
    prov = dataset.graph(PROVENANCE_GRAPH)
    untraced = []
    for graph in dataset.graphs():
        name = graph.identifier
        if name in (ONTOLOGY_GRAPH, PROVENANCE_GRAPH) or not len(graph):
            continue
        cites = list(prov.objects(name, KG.citation))
        if not cites and prov.value(name, KG.basis) is None:
            untraced.append(name)
        for cite in cites:
            assert int(prov.value(cite, KG.paragraph)) >= 1
    assert untraced == []
    assert len(dataset.graph(URIRef("urn:x-rdflib:default"))) == 0


def test_a_triple_is_traceable_by_sparql(dataset):
    rows = dataset.query(
        """
        SELECT ?src ?para WHERE {
          GRAPH ?g { ?event kg:attendee ?who }
          ?g kg:citation ?c . ?c prov:entity ?s ; kg:paragraph ?para .
          ?s dcterms:identifier ?src }""",
        initNs=PREFIXES,
        initBindings={"event": ID["ny-meeting"], "who": ID["adebayo-ogunlesi"]},
    )
    assert {(str(s), int(p)) for s, p in rows} >= {("a000", 18), ("a001", 5), ("a002", 5)}


NOISE = [
    "Tether",
    "Bitcoin",
    "Ardoino",
    "Polygon",
    "EPNS",
    "PUSH",
    "Zepto",
    "FungiFlex",
    "MEXC",
    "Dune",
    "RWA",
    "Sandeep",
    "Coinstats",
    "PRNewswire",
]


def test_site_noise_of_the_first_article_is_not_in_the_graph(dataset):
    text = " ".join(
        str(o) for s, p, o, g in dataset.quads((None, None, None, None)) if g != ONTOLOGY_GRAPH
    )
    for word in NOISE:
        assert word not in text, word
    paras = dataset.query(
        "SELECT ?para WHERE { ?c prov:entity ?src ; kg:paragraph ?para }",
        initNs=PREFIXES,
        initBindings={"src": ID["source/a000"]},
    )
    assert max(int(p) for (p,) in paras) <= 23


def test_sources_carry_title_outlet_author_and_date(dataset):
    prov = dataset.graph(PROVENANCE_GRAPH)
    from kg.vocab import DCT

    src = ID["source/a002"]
    assert str(prov.value(src, DCT.publisher)) == "Korea JoongAng Daily"
    assert str(prov.value(src, DCT.creator)) == "Sarah Kim"
    assert str(prov.value(src, DCT.issued)) == "2025-09-23"
    src = ID["source/a004"]
    assert str(prov.value(src, DCT.creator)) == "Lee Jae-lim"
    assert str(prov.value(src, DCT.issued)) == "2025-10-29"
    assert "Seven global firms" in str(prov.value(src, DCT.title))


def test_dates_keep_their_precision(dataset):
    from rdflib import XSD

    assert dataset.value(ID["ny-meeting"], KG.startDate).datatype == XSD.date
    inauguration = dataset.value(ID["lee-inauguration"], KG.startDate)
    assert (inauguration.datatype, str(inauguration)) == (XSD.gYearMonth, "2025-06")


def test_national_ai_budget_by_year(dataset):
    rows = dataset.query(
        """
        SELECT ?period ?v WHERE { ?s a kg:Statistic ; kg:period ?period ; kg:amount ?m .
                                  ?m kg:currency "KRW" ; kg:value ?v }""",
        initNs=PREFIXES,
    )
    got = {str(p): Decimal(str(v)) for p, v in rows}
    assert got.get("2025") == Decimal("3300000000000")
    assert got.get("2026") == Decimal("10100000000000")
