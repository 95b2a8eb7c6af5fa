"""The query commands through typer's CliRunner: formats, exit codes, stdout versus stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.analysis import centrality
from kg.cli import app
from kg.export import render_trig
from kg.network import to_networkx

ROOT = Path(__file__).resolve().parents[1]
# a SELECT no machine finishes: refusing it at once shows nothing ran first
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def run(dataset, tmp_path_factory):
    """``run(*args)``: invoke kg on the curated graph (through $KG_STORE, as users may)."""
    trig = tmp_path_factory.mktemp("graph") / "kg.trig"
    trig.write_text(render_trig(dataset), encoding="utf-8")
    runner = CliRunner()

    def invoke(*args, **kw):
        env = {"KG_STORE": f"memory:{trig}", "NO_COLOR": None, **kw.pop("env", {})}
        return runner.invoke(app, list(args), env=env, **kw)

    invoke.trig = trig
    return invoke


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# ----------------------------------------------------------------------------- ask


def test_ask_table_has_answers_then_sources(run):
    result = run("ask", "Who attended the New York meeting?")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Meeting of Lee Jae Myung and Larry Fink in New York —attended by→ ?:"
    assert "  • Kim Jung-kwan  [a000:18]" in lines
    assert "Sources" in lines
    assert any(line.startswith("  a000  Korea Eyes AI Capital Status") for line in lines)
    assert result.stderr == ""


def test_ask_json_and_csv(run):
    data = json.loads(run("ask", "how much did Amazon invest in Ulsan", "--json").stdout)
    assert data["shape"] in ("list", "join") and data["reading"] and data["sparql"]
    assert [(a["id"], a["amount"], a["currency"], a["amount_usd"]) for a in data["answers"]] == [
        ("aws-ulsan", 4000000000, "USD", 4000000000),  # a003:7 and a004:9: AWS's share
    ]
    table = rows(run("ask", "who owns GIP", "--format", "csv").stdout)
    assert table == [{"label": "BlackRock", "id": "blackrock", "detail": "", "sources": "a001:5"}]


def test_ask_unanswerable_exits_3_and_lists_the_patterns(run):
    result = run("ask", "Is BlackRock bigger than Nvidia?")
    assert result.exit_code == 3
    assert result.stdout == ""
    # one line with the closest readings, not a list of every pattern
    assert "cannot answer" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_ask_ambiguous_name_lists_the_candidates(run):
    result = run("ask", "who attended Kim")
    assert result.exit_code == 3
    assert "'kim' in 'who attended Kim' could mean several entities" in result.stderr
    assert "  Kim Jung-kwan  (kim-jung-kwan)" in result.stderr


def test_ask_with_only_common_words_names_nothing_and_exits_3(run):
    result = run("ask", "who attended in")
    assert result.exit_code == 3 and result.stdout == ""
    assert "names nothing the graph knows" in result.stderr


def test_ask_with_no_recorded_answer_exits_3(run):
    result = run("ask", "who owns BlackRock", "--json")  # GIP is owned by BlackRock, not it
    assert result.exit_code == 3 and result.stdout == ""
    assert "cannot answer" in result.stderr


# ----------------------------------------------------------------------------- lookups


def test_entity_card_in_three_formats(run):
    table = run("entity", "Fink")
    assert table.exit_code == 0, table.output
    assert table.stdout.startswith("Larry Fink  [Person]  id:larry-fink")
    assert "Roles and titles" in table.stdout
    assert "  CEO of BlackRock   [a000:10 a002:2 a002:3 a002:8 a003:1]" in table.stdout
    card = json.loads(run("entity", "Fink", "--json").stdout)
    assert card["id"] == "larry-fink" and card["aliases"] == ["Fink"]
    facts = rows(run("entity", "Fink", "-f", "csv").stdout)
    assert {
        "section": "Roles and titles",
        "relation": "CEO of",
        "value": "BlackRock",
        "id": "blackrock",
        "sources": "a000:10 a002:2 a002:3 a002:8 a003:1",
    } in facts


def test_entity_card_lists_the_sources_of_the_entity_s_own_record(run):
    # places.yaml: South Korea's record cites a000:8, a001:2, a002:3, a003:1, a004:7
    lines = run("entity", "south-korea").stdout.splitlines()
    sources = lines[lines.index("Sources") + 1 :]
    assert [line.split()[0] for line in sources] == ["a000", "a001", "a002", "a003", "a004"]


def test_members_section_names_the_member_then_the_title(run):
    lines = run("entity", "blackrock").stdout.splitlines()
    members = lines[lines.index("Members") + 1 :]
    assert members[0] == "  Larry Fink — CEO of   [a000:10 a002:2 a002:3 a002:8 a003:1]"


@pytest.mark.parametrize(
    "args",
    [("entity", ""), ("why", ""), ("search", "  "), ("path", "BlackRock", ""), ("attendees", " ")],
)
def test_a_blank_name_exits_2(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "blank" in result.stderr and result.stdout == ""


def test_a_path_from_an_entity_to_itself_exits_2(run):
    result = run("path", "BlackRock", "blackrock")
    assert result.exit_code == 2 and "two different entities" in result.stderr


@pytest.mark.parametrize(
    "args", [("central", "--class", "Spaceship"), ("search", "black", "--class", "Spaceship")]
)
def test_an_unknown_class_exits_2_listing_the_known_ones(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert "unknown class 'Spaceship' (known: Agent, Agreement," in result.stderr


def test_class_names_are_taken_in_any_letter_case(run):
    hits = json.loads(run("search", "black", "--class", "investor", "--json").stdout)
    assert [h["id"] for h in hits] == ["blackrock"]
    people = json.loads(run("central", "--class", "person", "--top", "1", "--json").stdout)
    assert people[0]["id"] == "lee-jae-myung"


def test_search_ranks_matches(run):
    hits = json.loads(run("search", "new york", "--json").stdout)
    assert hits[0]["id"] == "new-york" and hits[0]["score"] == 100
    assert run("search", "zzzzqqq").exit_code == 3


def test_attendees_members_commitments(run):
    attendees = rows(run("attendees", "MOU signing", "--format", "csv").stdout)
    assert [r["id"] for r in attendees] == ["bae-kyung-hoon", "larry-fink", "lee-jae-myung"]
    members = json.loads(run("members", "AIP", "--json").stdout)
    assert len(members["members"]) == 6
    uk = json.loads(run("commitments", "--investor", "BlackRock", "--json").stdout)
    amounts = {c["id"]: c["amount"] for c in uk}
    assert amounts["blackrock-uk-data-centres"]["stated_usd"] == 678_000_000
    table = run("commitments", "--investor", "BlackRock").stdout
    # converted at 2025-09-15, a week before the Korea deal, when a000:20 dates the announcement
    assert "GBP 500 million (USD 678 million as stated; USD 681 million at the ECB rate" in table
    big = json.loads(run("commitments", "--investor", "AWS", "--min-usd", "5e9", "--json").stdout)
    assert [c["id"] for c in big] == ["seven-firms-package", "aws-korea-cloud"]
    assert run("attendees", "BlackRock").exit_code == 3


def test_why_quotes_the_paragraphs_when_given_the_articles(run, tmp_path):
    files = json.loads(run("sources", "--json").stdout)
    for article in files:  # stand-in article files: paragraph n reads "paragraph n"
        (tmp_path / article["file"]).write_text(
            "\n\n".join(f"paragraph {n}" for n in range(1, article["paragraphs"] + 1)),
            encoding="utf-8",
        )
    result = run("why", "GIP", "BlackRock", "--articles", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Global Infrastructure Partners —owned by→ BlackRock",
        "  a001:5  South Korea and BlackRock sign MOU on a hyperscale AI data centre hub "
        "(Korea JoongAng Daily)",
        "      “paragraph 5”",
    ]
    same = run("sources", "GIP", "BlackRock", "--json")
    assert json.loads(same.stdout)[0]["cited"][0]["paragraph"] == 5


def test_why_tells_who_gave_an_estimate_under_the_commitment_it_estimates(run):
    # a001:15: Cha Ji-ho's two estimates of the BlackRock plan
    result = run("why", "cha-ji-ho", "blackrock-korea-investment")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        "BlackRock-Korea AI and renewable energy investment plan "
        "—estimated amount KRW 2 trillion to 10 trillion"
    )
    assert lines[0].endswith(", estimated by→ Cha Ji-ho")
    assert lines[1].startswith("  a001:15  ")


def test_paragraphs_numbers_the_lines_citations_count(run, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\n\u00a0\nFirst paragraph.\n   \nSecond one.\n", encoding="utf-8")
    result = run("paragraphs", str(article))
    assert result.exit_code == 0
    assert result.stdout == "1: Headline\n2: First paragraph.\n3: Second one.\n"
    assert run("paragraphs", str(tmp_path / "missing.txt")).exit_code == 2


def test_sources_lists_the_articles(run):
    table = rows(run("sources", "-f", "csv").stdout)
    assert [r["id"] for r in table] == ["a000", "a001", "a002", "a003", "a004"]
    assert table[2]["author"] == "Sarah Kim" and table[2]["published"] == "2025-09-23"


# ----------------------------------------------------------------------------- sparql


def test_sparql_select_in_each_format(run):
    query = "SELECT ?e WHERE { ?e kg:ownedBy id:blackrock }"
    table = run("sparql", query)
    assert table.exit_code == 0
    assert table.stdout.splitlines() == ["e", "id:gip"]
    assert table.stderr == "1 row(s)\n"
    data = json.loads(run("sparql", query, "--json").stdout)
    assert data["results"]["bindings"] == [
        {"e": {"type": "uri", "value": "https://w3id.org/korea-ai-kg/id/gip"}}
    ]
    assert run("sparql", query, "-f", "csv").stdout == "e\nhttps://w3id.org/korea-ai-kg/id/gip\n"
    assert run("sparql", query, "-f", "ttl").exit_code == 2


def test_sparql_graph_results_and_stdin(run):
    ttl = run("sparql", "CONSTRUCT WHERE { id:gip kg:ownedBy ?o }", "-f", "ttl")
    assert "id:gip kg:ownedBy id:blackrock ." in ttl.stdout
    asked = run("sparql", "-", input="ASK { id:gip kg:ownedBy id:blackrock }")
    assert asked.stdout == "true\n"


def test_sparql_saved_queries(run):
    listing = run("sparql", "--list")
    assert "attendees" in listing.stdout and "--bind event=" in listing.stdout
    saved = json.loads(run("sparql", "--list", "--json").stdout)
    assert all(q["title"] and q["description"] for q in saved)
    result = run("sparql", "--saved", "attendees", "--bind", "event=id:mou-signing", "-f", "csv")
    assert [r["attendeeLabel"] for r in rows(result.stdout)] == [
        "Bae Kyung-hoon",
        "Larry Fink",
        "Lee Jae Myung",
    ]
    named = run("sparql", "--saved", "named", "--bind", 'name="} ; DROP ALL #"')
    assert named.exit_code == 0 and named.stdout.strip() == "entity  name"


@pytest.mark.parametrize(
    "query, message",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <file:///etc/passwd>", "LOAD"),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE refused"),
        ("SELECT ?x WHERE {\n ?x kg:attendee }", "line 2, column 17: unexpected '}'"),
    ],
)
def test_sparql_refusals_exit_2_with_a_message(run, query, message):
    result = run("sparql", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_sparql_row_cap_and_timeout_are_visible(run):
    capped = run("sparql", "SELECT ?s WHERE { ?s a kg:Commitment }", "--max-rows", "3")
    assert capped.exit_code == 0
    assert len(capped.stdout.splitlines()) == 4
    assert "note: row cap 3 reached" in capped.stderr
    slow = run(
        "sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "--timeout",
        "0.5",
    )
    assert slow.exit_code == 1
    assert "timeout" in slow.stderr and slow.stdout == ""


def test_sparql_bind_of_a_variable_the_query_lacks_exits_2_naming_its_variables(run):
    result = run("sparql", "SELECT ?e WHERE { ?e kg:ownedBy id:blackrock }", "--bind", "nosuch=1")
    assert result.exit_code == 2 and result.stdout == ""
    assert (
        "cannot bind ?nosuch: the query has no such variable (its variables: ?e)" in result.stderr
    )


def test_sparql_ttl_for_rows_is_refused_before_the_query_runs(run):
    # run first, the query would outlive the timeout (exit 1) before the format was checked
    result = run("sparql", ENDLESS, "-f", "ttl", "--timeout", "60")
    assert result.exit_code == 2
    assert "--format ttl is for CONSTRUCT and DESCRIBE" in result.stderr


def test_sparql_query_file_that_cannot_be_read_exits_2(run, tmp_path):
    (tmp_path / "latin1.rq").write_bytes('ASK { ?s ?p "caf\xe9" }'.encode("latin-1"))
    for path in (tmp_path / "latin1.rq", tmp_path / "missing.rq"):
        result = run("sparql", "--file", str(path))
        assert result.exit_code == 2 and "cannot read the query" in result.stderr


def test_sparql_needs_exactly_one_query(run):
    assert run("sparql").exit_code == 2
    assert run("sparql", "ASK {}", "--saved", "attendees").exit_code == 2
    assert run("sparql", "--saved", "nope").exit_code == 3


# ----------------------------------------------------------------------------- analysis


def test_path_central_communities(run, dataset):
    path = run("path", "Larry Fink", "Nvidia")
    assert path.stdout == (
        "Larry Fink —CEO of→ BlackRock —member of→ AI Infrastructure "
        "Partnership ←member of— Nvidia\n"
        "Larry Fink ←signed by— BlackRock-Ministry of Science and ICT AI partnership MOU "
        "—may lead to joining→ AI Infrastructure Partnership ←member of— Nvidia\n"
    )
    assert path.stderr == "2 shortest path(s) of 3 hop(s)\n"
    data = json.loads(run("path", "gip", "blackrock", "--json").stdout)
    assert data["paths"][0]["edges"][0]["label"] == "owned by"
    assert run("path", "Jensen Huang", "Larry Fink", "--max-hops", "2").exit_code == 3
    top = rows(run("central", "--top", "1", "-f", "csv").stdout)
    (first,) = centrality(to_networkx(dataset), "degree", top=1)  # tests/test_analysis.py
    assert top == [
        {
            "rank": "1",
            "id": "south-korea",
            "label": "South Korea",
            "class": "Country",
            "degree": str(first.score),
        }
    ]
    people = json.loads(
        run("central", "--measure", "pagerank", "--class", "Person", "--json").stdout
    )
    assert people[0]["id"] == "lee-jae-myung"
    groups = json.loads(run("communities", "--json").stdout)
    assert sum(g["size"] for g in groups) == len({m["id"] for g in groups for m in g["members"]})


# ----------------------------------------------------------------------------- the process


def test_colour_only_on_request_and_never_with_no_color(run):
    plain = run("ask", "who owns GIP")
    assert "\x1b[" not in plain.stdout  # not a terminal: no colour
    coloured = run("ask", "who owns GIP", color=True)
    assert "\x1b[1m" in coloured.stdout
    assert "\x1b[" not in run("ask", "who owns GIP", color=True, env={"NO_COLOR": "1"}).stdout


def test_seeds_option_builds_fresh(run):
    result = run("attendees", "ny-meeting", "--seeds", str(ROOT / "seeds"), "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["attendees"]) == 6


def test_ask_as_a_process_imports_no_networkx(run):
    code = (
        "import sys; from kg.cli import main; sys.argv = ['kg', 'ask', 'who owns GIP']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('networkx' in sys.modules, 'pyvis' in sys.modules, code, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"KG_STORE": f"memory:{run.trig}", "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout.startswith("Global Infrastructure Partners —owned by→ ?:")
    assert proc.stderr.strip().splitlines()[-1] == "False False 0"


def test_the_start_up_of_every_command_imports_no_results_model_or_heavy_library():
    """Regression: kg.analysis once imported kg.model at module level (~25 ms on every command)."""
    heavy = ("kg.model", "rdflib", "networkx", "pyvis", "pandas", "pyoxigraph")
    code = f"import sys, kg.cli; print([m for m in {heavy!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stderr
