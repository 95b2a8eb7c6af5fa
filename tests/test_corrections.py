"""Issue 11: what an independent reader found wrong or missing, checked on the built graph.
Each value carries the citations of the paragraphs that state it (provenance per value)."""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, Literal

from kg.vocab import ID, KG, PREFIXES, PROVENANCE_GRAPH, SKOS, claim_iri, source_iri

CITES = """
SELECT ?src ?para WHERE {
  GRAPH ?g { ?s ?p ?o }
  ?g kg:citation ?c . ?c prov:entity ?a ; kg:paragraph ?para . ?a dcterms:identifier ?src }"""


def cites(dataset, s, p, o) -> set[str]:
    """The citations of the claim(s) stating one triple, as ``a002:19``."""
    rows = dataset.query(CITES, initNs=PREFIXES, initBindings={"s": s, "p": p, "o": o})
    return {f"{src}:{para}" for src, para in rows}


def test_blackrock_investment_is_a_plan_not_signed(dataset):
    c = ID["blackrock-korea-investment"]
    assert set(dataset.objects(c, KG.status)) == {KG.Planned}
    assert cites(dataset, c, KG.status, KG.Planned) == {"a000:16", "a001:15", "a002:12", "a002:18"}
    # the MOU itself is the signed thing, cited for that
    mou = ID["blackrock-msit-mou"]
    assert cites(dataset, mou, KG.status, KG.Signed) == {"a000:9", "a002:4", "a002:10", "a003:1"}


def test_un_general_assembly_session_is_not_dated_by_lee_s_attendance(dataset):
    assert dataset.value(ID["unga-80"], KG.startDate) is None
    visit = ID["lee-unga-attendance"]
    assert str(dataset.value(visit, KG.startDate)) == "2025-09-23"
    assert dataset.value(visit, KG.about) == ID["unga-80"]
    assert cites(dataset, visit, KG.startDate, dataset.value(visit, KG.startDate)) == {"a002:19"}


def test_nvidia_chip_plan_is_a_reported_plan_not_an_agreement(dataset):
    plan = ID["nvidia-chip-supply"]
    assert not dataset.query(
        "ASK { ?x a/rdfs:subClassOf* kg:Agreement }", initNs=PREFIXES, initBindings={"x": plan}
    ).askAnswer
    assert (plan, KG.status, KG.Reported) in dataset
    assert dataset.value(plan, KG.party) is None


def test_chey_interview_is_an_interview(dataset):
    types = set(dataset.objects(ID["chey-yomiuri-interview"], RDF.type))
    assert KG.Interview in types and KG.PressBriefing not in types


def test_outlets_are_cited_or_curator_knowledge(dataset):
    prov = dataset.graph(PROVENANCE_GRAPH)
    for sid in ("a001", "a002"):
        assert prov.value(source_iri(sid), KG.outletBasis) is not None, sid
        assert prov.value(source_iri(sid), KG.outletNote) is not None, sid
    for sid, para in (("a000", 23), ("a003", 10), ("a004", 15)):
        assert prov.value(source_iri(sid), KG.outletParagraph) == Literal(para), sid
        assert prov.value(source_iri(sid), KG.outletBasis) is None, sid


def test_fdi_part_names_no_investors(dataset):
    fdi = ID["seven-firms-fdi"]
    assert dataset.value(fdi, KG.investor) is None
    assert dataset.value(fdi, KG.partOf) == ID["seven-firms-package"]
    amount = dataset.value(dataset.value(fdi, KG.amount), KG.value)
    assert Decimal(str(amount)) == Decimal("6600000000")


def test_kong_is_not_given_the_paragraph_s_general_claim(dataset):
    summary = str(dataset.value(ID["kong-own-specialty"], KG.summary))
    assert "expert" not in summary.lower() and "memory" not in summary.lower()
    notes = {str(n) for n in dataset.graph(PROVENANCE_GRAPH).objects(None, KG.note)}
    assert any("experts" in n and "not Kong's" in n for n in notes)


def test_kim_hea_kyung_is_first_lady_and_lee_s_spouse(dataset):
    kim = ID["kim-hea-kyung"]
    assert dataset.value(kim, KG.spouse) == ID["lee-jae-myung"]
    assert str(dataset.value(kim, KG.role)) == "first lady"
    assert cites(dataset, kim, KG.spouse, ID["lee-jae-myung"]) == {"a002:15", "a002:19"}


def test_digital_gravity_partners_is_a_venture_not_claimed_as_owned(dataset):
    dgp = ID["digital-gravity-partners"]
    assert dataset.value(dgp, KG.subOrganizationOf) is None
    assert dataset.value(dgp, KG.ownedBy) is None
    partners = set(dataset.objects(ID["uk-data-centres"], KG.partner))
    assert {dgp, ID["blackrock"]} <= partners
    notes = {str(n) for n in dataset.graph(PROVENANCE_GRAPH).objects(None, KG.note)}
    assert any("new venture called Digital Gravity Partners" in n for n in notes)


def test_sectors_of_the_nine_billion_package(dataset):
    c = ID["seven-firms-package"]
    sectors = {str(s) for s in dataset.objects(c, KG.sector)}
    assert sectors == {
        "artificial intelligence",
        "semiconductors",
        "secondary batteries",
        "future mobility",
        "biotechnology",
    }
    assert cites(dataset, c, KG.sector, Literal("biotechnology", lang="en")) == {"a004:8"}


def test_mou_may_lead_to_joining_the_ai_infrastructure_partnership(dataset):
    mou = ID["blackrock-msit-mou"]
    assert dataset.value(mou, KG.mayLeadToJoining) == ID["aip"]
    assert cites(dataset, mou, KG.mayLeadToJoining, ID["aip"]) == {"a002:17"}
    members = set(dataset.subjects(KG.organization, ID["aip"]))
    assert not any(dataset.value(m, KG.member) == ID["gov-kr"] for m in members)


def test_ulsan_aws_four_billion_agrees_in_a003_and_a004_without_a_conflict(dataset):
    assert dataset.value(ID["aws-ulsan"], KG.status) == KG.UnderWay
    assert dataset.value(ID["sk-ulsan"], KG.status) == KG.UnderWay
    assert (ID["aws-ulsan-project-a004"], None, None) not in dataset
    prov = dataset.graph(PROVENANCE_GRAPH)
    for cid in ("aws-ulsan", "sk-ulsan"):
        assert prov.value(claim_iri(cid), KG.conflictsWith) is None, cid
    m = dataset.value(ID["aws-ulsan"], KG.amount)
    assert cites(dataset, ID["aws-ulsan"], KG.amount, m) == {"a003:7", "a004:9"}
    notes = {str(n) for n in prov.objects(None, KG.note)}
    assert any("whole project" in n for n in notes)


def test_security_council_presidency_has_a_period(dataset):
    m = ID["gov-kr-un-security-council"]
    assert str(dataset.value(m, KG.period)) == "2025-09"


def test_range_bounds_state_their_convention(dataset):
    c = ID["blackrock-korea-investment"]
    conventions = [dataset.value(e, KG.rangeConvention) for e in dataset.objects(c, KG.estimate)]
    assert len(conventions) == 3 and all("convention" in str(t) for t in conventions)


def test_gbp_is_converted_at_the_announcement_s_date(dataset):
    m = dataset.value(ID["blackrock-uk-data-centres"], KG.amount)
    assert str(dataset.value(m, KG.usdRateDate)) == "2025-09-15"
    assert "a week before" in str(dataset.value(m, KG.usdRateNote))


def test_no_status_rests_on_a_record_s_whole_citation_list(built):
    """Provenance per value: every status of a record citing several paragraphs has its own."""
    for record in built.seeds.records.values():
        if len({(c.source, c.para) for c in record.cites}) > 1 and "status" in record.fields:
            assert record.fields["status"][0].cites, record.id


def test_korean_labels_are_hangul(dataset):
    for label in dataset.objects(None, SKOS.prefLabel):
        if getattr(label, "language", None) == "ko":
            assert all("\uac00" <= ch <= "\ud7a3" or ch == " " for ch in str(label)), label


def statement_about(dataset, speaker: str, about: str) -> list:
    return [
        s for s in dataset.subjects(KG.speaker, ID[speaker]) if (s, KG.about, ID[about]) in dataset
    ]


def test_korea_deal_is_part_of_blackrock_s_global_data_strategy(dataset):
    (st,) = statement_about(dataset, "coincentral", "blackrock-uk-data-centres")
    assert (st, KG.about, ID["blackrock-korea-investment"]) in dataset
    assert "global data infrastructure strategy" in str(dataset.value(st, KG.summary))
    assert cites(dataset, st, KG.speaker, ID["coincentral"]) == {"a000:20", "a000:22"}


def test_analysts_tie_korea_s_ai_to_global_capital_flows(dataset):
    st = ID["analysts-global-capital"]
    summary = str(dataset.value(st, KG.summary))
    assert "green technology" in summary and "global capital flows" in summary
    assert cites(dataset, st, KG.about, ID["south-korea"]) == {"a001:18"}


def test_mou_underscores_blackrock_s_confidence_and_covers_ai_capabilities(dataset):
    (st,) = statement_about(dataset, "aju-press", "blackrock-msit-mou")
    assert "confidence" in str(dataset.value(st, KG.summary))
    assert cites(dataset, st, KG.speaker, ID["aju-press"]) == {"a003:2"}
    description = str(dataset.value(ID["blackrock-msit-mou"], KG.description))
    assert "comprehensive approach to expanding AI capabilities" in description


def test_private_sector_moves_to_match_the_public_push(dataset):
    (st,) = statement_about(dataset, "aju-press", "ulsan-ai-data-center")
    assert "private sector" in str(dataset.value(st, KG.summary))
    assert "a003:6" in cites(dataset, st, KG.speaker, ID["aju-press"])


def test_officials_and_cha_estimates_do_not_conflict(dataset):
    prov = dataset.graph(PROVENANCE_GRAPH)
    for cid in ("officials-investment-scale", "cha-investment-estimate"):
        assert prov.value(claim_iri(cid), KG.conflictsWith) is None, cid
    c = ID["blackrock-korea-investment"]
    assert len(list(dataset.objects(c, KG.estimate))) == 3


def test_president_heading_the_committee_is_named_by_a003_1(dataset):
    m = ID["lee-jae-myung-national-ai-strategy-committee"]
    assert cites(dataset, m, KG.member, ID["lee-jae-myung"]) == {"a003:1", "a003:3"}


def curator_claims(dataset, s, p, o) -> list:
    prov = dataset.graph(PROVENANCE_GRAPH)
    rows = dataset.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        initNs=PREFIXES,
        initBindings={"s": s, "p": p, "o": o},
    )
    return [g for (g,) in rows if prov.value(g, KG.basis) is not None]


def test_renault_korea_in_renault_is_curator_knowledge(dataset):
    s, o = ID["renault-korea"], ID["renault"]
    assert curator_claims(dataset, s, KG.subOrganizationOf, o)
    assert cites(dataset, s, KG.subOrganizationOf, o) == set()


def test_ny_meeting_about_the_investment_cites_the_paragraphs_that_say_so(dataset):
    m, c = ID["ny-meeting"], ID["blackrock-korea-investment"]
    assert cites(dataset, m, KG.about, c) == {"a000:10", "a002:4"}


def test_ai_budgets_have_no_publisher_the_government_proposes(dataset):
    for sid in ("kr-ai-budget-2025", "kr-ai-budget-2026"):
        assert dataset.value(ID[sid], KG.publisher) is None, sid
    budget = ID["kr-ai-budget-2026"]
    assert (budget, KG.status, KG.Proposed) in dataset
    assert cites(dataset, budget, KG.status, KG.Proposed) == {"a003:3"}
    assert "government's proposal" in str(dataset.value(budget, KG.description))


def test_presidential_office_in_government_is_curator_knowledge(dataset):
    s, o = ID["presidential-office"], ID["gov-kr"]
    assert curator_claims(dataset, s, KG.subOrganizationOf, o)
    assert cites(dataset, s, KG.subOrganizationOf, o) == set()


def test_press_briefing_comment_no_longer_covers_interviews():
    from rdflib import RDFS, Graph

    from kg.paths import ontology_file

    onto = Graph().parse(ontology_file())
    assert {str(c) for c in onto.objects(KG.PressBriefing, RDFS.comment)} == {
        "A briefing given to the press."
    }
