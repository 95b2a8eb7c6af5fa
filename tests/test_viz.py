"""`kg viz` without a browser: views, text, offline and escaped HTML, determinism, the command."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg import viz
from kg.cli import app
from kg.errors import InputError, NotFoundError
from kg.network import to_networkx
from kg.viz.layout import positions
from kg.viz.text import amount_text, node_tooltip, number_text, sources_text

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=x onerror=alert(1)>"
runner = CliRunner()


@pytest.fixture(scope="module")
def graph(dataset):
    return to_networkx(dataset)


@pytest.fixture(scope="module")
def ctx(dataset, graph):
    return viz.Context.from_dataset(dataset, graph)


class _Page(HTMLParser):
    """What a page holds: tags with attributes, inline scripts, the JSON data, the text."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.data_block = None
        self.text: list[str] = []
        self._script = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is None:
            self.text.append(data)
        elif self._script.get("type") == "application/json":
            self.data_block = data
        else:
            self.scripts.append(data)


def page_data(html: str) -> dict:
    return json.loads(_Page(html).data_block)


# ----------------------------------------------------------------------------- views


def test_whole_graph_draws_every_node_and_edge(ctx, graph):
    page = viz.render(viz.whole(ctx), articles=ctx.articles)
    data = page_data(page.html)
    assert len(data["nodes"]) == page.nodes == graph.number_of_nodes()
    assert len(data["edges"]) == page.edges == graph.number_of_edges()
    assert {n["id"] for n in data["nodes"]} == set(graph)
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_neighbourhood_matches_an_ego_graph(ctx, graph):
    ego = nx.ego_graph(graph.to_undirected(), "larry-fink", radius=2)
    view = viz.neighbourhood(ctx, "larry-fink", hops=2)
    assert set(view.graph) == set(ego)
    assert view.graph.number_of_edges() == graph.subgraph(ego).number_of_edges()
    assert view.name == "focus-larry-fink-2"
    assert set(viz.neighbourhood(ctx, "larry-fink", hops=0).graph) == {"larry-fink"}


def test_neighbourhood_rejects_unknown_ids_and_negative_hops(ctx):
    with pytest.raises(NotFoundError):
        viz.neighbourhood(ctx, "nobody")
    with pytest.raises(InputError):
        viz.neighbourhood(ctx, "blackrock", hops=-1)


def test_classes_include_subclasses(ctx, graph):
    view = viz.of_classes(ctx, ["investor", " Project"])
    expected = {
        n
        for n, d in graph.nodes(data=True)
        if "Investor" in d["types"].split() or d["group"] == "Project"
    }
    assert set(view.graph) == expected
    assert any(d["class"] == "DataCenterProject" for _, d in view.graph.nodes(data=True))
    assert view.graph.number_of_edges() == graph.subgraph(expected).number_of_edges()
    assert view.name == "class-investor-project"


def test_unknown_class_is_an_input_error(ctx):
    with pytest.raises(InputError, match="unknown class 'Investors'"):
        viz.of_classes(ctx, ["Investors"])


def test_article_view_holds_what_the_article_is_cited_for(ctx, graph):
    view = viz.of_article(ctx, "a003")
    cited = [
        (u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if "a003:" in d["sources"]
    ]
    assert sorted(view.graph.edges(keys=True)) == sorted(cited)
    for node, data in view.graph.nodes(data=True):
        assert "a003:" in data["sources"] or any(node in edge[:2] for edge in cited)
    assert viz.of_article(ctx, ctx.articles["a003"].title.upper()).name == "source-a003"
    with pytest.raises(NotFoundError, match="known: a000"):
        viz.of_article(ctx, "a999")


def test_money_view_runs_from_investors_through_commitments(ctx, graph):
    view = viz.money(ctx)
    g = view.graph
    commitments = {n for n, d in graph.nodes(data=True) if d["group"] == "Commitment"}
    assert commitments <= set(g)
    for u, v, d in g.edges(data=True):
        if d["label"] == "commits":
            assert "Investor" in g.nodes[u]["types"] and v in commitments
        else:
            assert u in commitments and d["predicate"] in ("target", "recipient", "partOf")
    aws = [d for u, v, d in g.edges(data=True) if (u, v) == ("aws", "aws-ulsan")]
    assert aws and aws[0]["usd"] == 4e9
    assert "several trillion won" in g.nodes["blackrock-korea-investment"]["estimates"]


def test_money_flow_counts_each_dollar_once_with_parts_inside_their_package(ctx):
    from kg.viz import flow

    investors, middle, dests, scale = flow.model(viz.money(ctx).rows)
    bars = {b.id: b for b in middle}
    assert "aws-korea-cloud" not in bars and "seven-firms-package" in bars  # a part is no bar
    package = bars["seven-firms-package"]
    assert {s.id for s in package.segments} >= {"aws-korea-cloud", "renault-busan-ev"}
    assert abs(package.height - 9e9 * scale) < 0.01  # its parts fill it, nothing more
    assert "foreign direct investment" in package.label  # a breakdown without investors
    top = [c for c in viz.money(ctx).rows if not c.part_of]
    disclosed = sum(flow.usd_of(c) or 0 for c in top)
    stubs = sum(1 for c in top if flow.usd_of(c) is None)
    drawn = sum(b.height for b in middle)
    assert abs(drawn - disclosed * scale - stubs * flow.STUB) < 0.01
    assert abs(sum(b.height for b in investors) - sum(b.height for b in middle)) < 0.01
    hidden = {s.id: s for b in middle for s in b.segments if s.usd is None}
    assert "blackrock-korea-investment" in hidden and "umicore-cathode" in hidden


def test_money_page_hatches_undisclosed_amounts_and_gives_rate_and_sources(ctx):
    page = viz.render(viz.money(ctx), articles=ctx.articles)
    data = page_data(page.html)
    tips = {n["id"]: n["tip"] for n in data["nodes"]}
    uk = tips["blackrock-uk-data-centres"]
    assert "GBP 500 million" in uk and "USD 681 million" in uk
    assert "Rate: 1.3616479574 USD per GBP" in uk and "2025-09-15" in uk and "Sources: a000" in uk
    assert "not disclosed" in tips["umicore-cathode"]
    bands = re.findall(
        r'<path class="e" data-id="[^"]+" data-a="([^"]+)" data-b="([^"]+)"'
        r'[^>]* fill="([^"]+)"',
        page.html,
    )
    fill = {(a, b): f for a, b, f in bands}
    assert fill[("umicore", "umicore-cathode")] == "url(#kg-hatch)"
    assert fill[("aws", "aws-ulsan")].startswith("#")


def test_timeline_shows_each_dates_precision(ctx):
    from kg.viz.timeline import items, span

    assert span("2025") == (dt.date(2025, 1, 1), dt.date(2026, 1, 1), "year")
    found = {i.id: i for i in items(ctx.graph)}
    assert found["ny-meeting"].precision == "day" and found["nasc-launch"].precision == "month"
    assert found["huang-korea-visit"].when == "30 Oct 2025 to 31 Oct 2025 (day)"
    page = viz.render(viz.timeline(ctx), articles=ctx.articles)
    tips = {n["id"]: n["tip"] for n in page_data(page.html)["nodes"]}
    assert "Linked to: " in tips["ny-meeting"] and "Larry Fink" in tips["ny-meeting"]
    assert "Sep 2025 (month)" in page.html and "22 Sep 2025 (day)" in page.html


def test_commitment_usd_prefers_the_value_then_the_middle_of_the_range():
    assert viz.commitment_usd({"amount_valueUsd": 5.0, "amount_minValueUsd": 1.0}) == 5.0
    assert viz.commitment_usd({"amount_minValueUsd": 1.0, "amount_maxValueUsd": 3.0}) == 2.0
    assert viz.commitment_usd({"amount_minValueUsd": 1.0}) == 1.0
    assert viz.commitment_usd({}) is None


def test_construct_result_becomes_a_view(ctx, dataset):
    from kg.store import MemoryStore

    result = MemoryStore(dataset).query(
        "CONSTRUCT { ?e kg:attendee ?p . ?p kg:description ?d } "
        "WHERE { ?e kg:attendee ?p OPTIONAL { ?p kg:description ?d } }"
    )
    view = viz.of_rdf(ctx, result.graph, "Attendees", "query-attendees")
    links = {(s, o) for s, p, o in result.graph if str(p).endswith("#attendee")}
    assert view.graph.number_of_edges() == len(links)
    assert view.graph.nodes["larry-fink"]["label"] == "Larry Fink"
    assert "kg:description: " in view.graph.nodes["larry-fink"]["facts"]
    assert {d["label"] for *_, d in view.graph.edges(data=True)} == {"attended by"}
    said = MemoryStore(dataset).query(
        "CONSTRUCT { ?s a kg:Statement ; kg:speaker ?p } WHERE { ?s a kg:Statement ; "
        "kg:speaker ?p }"
    )
    speakers = viz.of_rdf(ctx, said.graph, "Who said what", "query-said").graph
    statement = next(n for n, d in speakers.nodes(data=True) if d["class"] == "Statement")
    assert speakers.nodes[statement]["label"] == statement  # an id: outside the projection
    assert {d["label"] for *_, d in speakers.edges(data=True)} == {ctx.properties["speaker"]}


# ----------------------------------------------------------------------------- text


def test_numbers_and_amounts_read_as_words():
    assert number_text(4e9) == "4 billion"
    assert number_text(675_312_000) == "675 million"
    assert (
        amount_text(
            {
                "amount_currency": "KRW",
                "amount_minValue": 2e12,
                "amount_maxValue": 9_999_999_999_999,
                "amount_minValueUsd": 1.44e9,
                "amount_maxValueUsd": 7.19e9,
                "amount_approximation": "several trillion won",
            }
        )
        == 'KRW 2 trillion to 10 trillion (USD 1.44 billion to 7.19 billion) "several trillion won"'
    )
    assert (
        amount_text({"amount_currency": "USD", "amount_value": 4e9, "amount_valueUsd": 4e9})
        == "USD 4 billion"
    )


def test_sources_group_paragraphs_by_article():
    assert sources_text("a002:19 a000:18 a002:4 a002:19") == "a000 ¶18; a002 ¶4, ¶19"


def test_tooltips_give_class_roles_amounts_dates_and_sources(graph):
    uk = node_tooltip(graph, "blackrock-uk-data-centres")
    assert "Commitment" in uk and "GBP 500 million (USD " in uk and "Sources: a000 ¶" in uk
    meeting = node_tooltip(graph, "ny-meeting")
    assert "Dates: 2025-09-22\n" in meeting
    fink = node_tooltip(graph, "larry-fink")
    assert "\nRoles:\n• " in fink
    assert "• attended " + graph.nodes["ny-meeting"]["label"] in " ".join(fink.split(" "))
    assert "• CEO of BlackRock" in fink
    lee = node_tooltip(graph, "lee-jae-myung")
    assert lee.splitlines()[:2] == ["Lee Jae Myung", "이재명"]


# ----------------------------------------------------------------------------- layout


def test_layout_does_not_depend_on_insertion_order():
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "e")]
    one, two = nx.MultiDiGraph(edges), nx.MultiDiGraph(list(reversed(edges)))
    assert positions(one) == positions(two)
    assert len(set(positions(one).values())) == 5


def test_unknown_size_measure_is_an_input_error():
    with pytest.raises(InputError, match="known: degree"):
        viz.render_graph(nx.path_graph(3), size_by="closeness")


def test_size_by_sets_node_sizes_and_label_priority(ctx):
    view = viz.neighbourhood(ctx, "blackrock", hops=1)
    plain = viz.render(view, size_by="none").html
    assert len(set(re.findall(r'class="n" data-id="[^"]+"[^>]*d="M([^"]+)"', plain))) > 1
    for measure in ("degree", "pagerank", "betweenness"):
        html = viz.render(view, size_by=measure).html
        assert re.search(r'<g class="l" data-id="blackrock" data-z="1" data-p="0"', html)


def test_labels_placed_at_one_zoom_never_overlap():
    from kg.viz.labels import Label, place

    labels = [
        Label(str(i), (i % 7) * 20.0, (i // 7) * 15.0, 4.0, (f"label {i}",)) for i in range(49)
    ]
    placed = place(labels, [(lb.x, lb.y, lb.r) for lb in labels])
    for zoom in (1, 2, 4, 8, 16, 32):
        boxes = [
            (
                p.ax + p.box[0] / zoom,
                p.ay + p.box[1] / zoom,
                p.ax + p.box[2] / zoom,
                p.ay + p.box[3] / zoom,
            )
            for p in placed
            if p.level and p.level <= zoom
        ]
        for k, a in enumerate(boxes):
            for b in boxes[k + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
    levels = [p.level for p in placed]
    assert 1 in levels and any(level and level > 1 for level in levels)


# ----------------------------------------------------------------------------- the page


def test_page_is_self_contained_and_offline(ctx):
    html = viz.render(viz.whole(ctx), articles=ctx.articles).html
    page = _Page(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href", "action", "srcset", "data"):
            assert name not in attrs, (tag, attrs)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?https?:", html)
    assert [t for t, _ in page.tags].count("script") == 2 and 'charset="utf-8"' in html


def test_content_security_policy_allows_only_the_pages_own_scripts(ctx):
    html = viz.render(viz.neighbourhood(ctx, "larry-fink")).html
    page = _Page(html)
    csp = next(
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    assert hashes == {
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in page.scripts
    }


def test_data_is_escaped_everywhere():
    g = nx.MultiDiGraph()
    nasty = HOSTILE + "</script><script>alert(2)</script> & \u2028"
    g.add_node(
        nasty,
        label=nasty,
        group="Person",
        types="Person",
        sources="a000:1",
        description=nasty,
        label_ko=nasty,
        aliases=nasty,
        **{"class": "Person"},
    )
    g.add_node("b", label="B", group="Place", types="Place", **{"class": "Place"})
    g.add_edge(nasty, "b", key="k", predicate="about", label=nasty, sources="a000:1")
    articles = {"a000": viz.views.Article("a000", nasty, nasty, nasty)}
    view = viz.View(g, nasty, "x", caption=nasty)
    html = viz.render(view, articles=articles).html
    page = _Page(html)
    assert "<img" not in html and "alert(2)</script>" not in html
    assert sum(1 for t, _ in page.tags if t == "script") == 2
    text = "".join(page.text)
    assert text.count(nasty.strip()) >= 3  # title, heading, caption as plain text
    data = json.loads(page.data_block)
    assert data["nodes"][0]["id"] == nasty and data["nodes"][0]["name"] == nasty
    assert "".join(nasty.split()) in "".join(data["edges"][0]["tip"].split())
    options = [a["value"] for t, a in page.tags if t == "option"]
    assert nasty in options


def test_jupyter_shows_the_page_in_a_sandboxed_iframe(ctx):
    page = viz.render(viz.neighbourhood(ctx, "blackrock", hops=0))
    frame = page._repr_html_()
    assert (
        frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts allow-downloads"' in frame
    )
    attr = _Page(frame).tags[0][1]
    assert attr["srcdoc"] == page.html


def test_render_graph_draws_a_plain_networkx_graph():
    page = viz.render_graph(nx.les_miserables_graph(), title="Les Misérables")
    data = page_data(page.html)
    assert page.nodes == 77 and page.edges == 254
    assert {n["group"] for n in data["nodes"]} == {"Other"}
    assert "Les Misérables" in page.html


def test_write_page_writes_utf8(tmp_path, ctx):
    page = viz.render(viz.neighbourhood(ctx, "lee-jae-myung", hops=0))
    path = viz.write_page(page, tmp_path / "sub" / "lee.html")
    assert path.read_bytes() == page.html.encode("utf-8")
    assert "이재명" in path.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- determinism

_DIGEST = """
import hashlib, sys
from kg.build import build_dataset
from kg.network import to_networkx
from kg.viz import render_build_views
ds = build_dataset(sys.argv[1])
for name, html in sorted(render_build_views(ds, to_networkx(ds)).items()):
    print(name, hashlib.sha256(html.encode()).hexdigest())
"""


def test_build_views_are_the_same_bytes_across_runs_and_hash_seeds(dataset, graph):
    files = viz.render_build_views(dataset, graph)
    assert sorted(files) == ["money.html", "overview.html", "timeline.html"]
    assert files == viz.render_build_views(dataset, to_networkx(dataset))
    here = "".join(
        f"{name} {hashlib.sha256(html.encode()).hexdigest()}\n"
        for name, html in sorted(files.items())
    )
    for seed in ("0", "4242"):
        proc = subprocess.run(
            [sys.executable, "-c", _DIGEST, str(ROOT / "seeds")],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert proc.stdout == here


# ----------------------------------------------------------------------------- the command


def test_viz_writes_the_view_under_exports_by_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["viz", "--seeds", str(ROOT / "seeds"), "--focus", "Larry Fink", "--hops", "2"]
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "exports" / "focus-larry-fink-2.html"
    assert path.is_file() and result.stdout == ""
    assert f"wrote {Path('exports') / 'focus-larry-fink-2.html'}" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--money"],
        ["--timeline"],
        ["--class", "Investor,Project"],
        ["--source", "a002"],
        ["--size-by", "betweenness"],
    ],
)
def test_viz_views_through_the_command(tmp_path, args):
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["viz", "--seeds", str(ROOT / "seeds"), *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_viz_query_file_and_stdout(tmp_path):
    rq = tmp_path / "signed.rq"
    rq.write_text("CONSTRUCT { ?a kg:signatory ?p } WHERE { ?a kg:signatory ?p }", encoding="utf-8")
    result = runner.invoke(
        app, ["viz", "--seeds", str(ROOT / "seeds"), "--query", str(rq), "--out", "-"]
    )
    assert result.exit_code == 0, result.output
    data = page_data(result.stdout)
    assert {e["from"] for e in data["edges"]} == {"blackrock-msit-mou"}
    assert {"bae-kyung-hoon", "larry-fink"} <= {e["to"] for e in data["edges"]}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--money", "--source", "a002"], 2, "choose one view"),
        (["--money", "--timeline"], 2, "choose one view"),
        (["--format", "gif"], 2, "gif"),
        (["--hops", "2"], 2, "--hops goes with --focus"),
        (["--focus", "zzzz qqqq"], 3, "zzzz qqqq"),
        (["--class", "Nonsense"], 2, "unknown class"),
        (["--class", ","], 2, "at least one class"),
        (["--source", "a999"], 3, "no article"),
        (["--query", "missing.rq"], 2, "cannot read"),
    ],
)
def test_viz_errors_have_messages_and_exit_codes(tmp_path, args, code, message):
    result = runner.invoke(
        app, ["viz", "--seeds", str(ROOT / "seeds"), *args, "--out", str(tmp_path / "x.html")]
    )
    assert result.exit_code == code, result.output
    assert message in result.stderr and result.stdout == ""
    assert not (tmp_path / "x.html").exists()


def test_viz_format_svg_is_a_standalone_picture_with_legend_and_sources(tmp_path):
    out = tmp_path / "money.svg"
    result = runner.invoke(
        app,
        ["viz", "--seeds", str(ROOT / "seeds"), "--money", "--format", "svg", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<svg ") and "<script" not in text
    assert ">Legend<" in text and "Sources: a000 " in text and "kg-hatch" in text


def test_viz_out_onto_a_directory_is_an_input_error(tmp_path):
    result = runner.invoke(app, ["viz", "--seeds", str(ROOT / "seeds"), "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_viz_query_cut_by_the_row_cap_says_so(tmp_path, monkeypatch):
    rq = tmp_path / "all.rq"
    rq.write_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s a kg:Investor ; ?p ?o }", encoding="utf-8")
    import kg.sparql

    real = kg.sparql.run_query
    monkeypatch.setattr(
        kg.sparql, "run_query", lambda store, text, **kw: real(store, text, **{**kw, "max_rows": 5})
    )
    result = runner.invoke(
        app,
        [
            "viz",
            "--seeds",
            str(ROOT / "seeds"),
            "--query",
            str(rq),
            "--out",
            str(tmp_path / "q.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "note:" in result.stderr


def test_viz_query_must_construct_a_graph(tmp_path):
    rq = tmp_path / "select.rq"
    rq.write_text("SELECT ?s WHERE { ?s a kg:Investor }", encoding="utf-8")
    result = runner.invoke(app, ["viz", "--seeds", str(ROOT / "seeds"), "--query", str(rq)])
    assert result.exit_code == 2
    assert "CONSTRUCT" in result.stderr


# edge crossings of the layouts kg drew before (the fewer of the all-pairs layout and the first
# k-d tree one, measured by bench/layout_bench.py): no picture may get more
CROSSINGS_BEFORE = {
    "overview": 291,
    "focus-larry-fink-2": 23,
    "source-a000": 1,
    "source-a001": 7,
    "source-a002": 30,
    "source-a003": 0,
    "source-a004": 112,
}


def test_no_picture_has_more_edge_crossings_than_before(ctx):
    import numpy as np

    from kg.analysis import simple_graph
    from kg.viz.layout import _ends, crossings

    views = [viz.whole(ctx), viz.neighbourhood(ctx, "larry-fink", 2)]
    views += [viz.of_article(ctx, a) for a in sorted(ctx.articles)]
    found = {}
    for view in views:
        simple = simple_graph(view.graph)
        unit = positions(view.graph)
        found[view.name] = crossings(np.array([unit[n] for n in simple]), _ends(simple))
    assert set(found) == set(CROSSINGS_BEFORE)
    assert {k: v for k, v in found.items() if v > CROSSINGS_BEFORE[k]} == {}


def test_untangling_removes_the_crossings_of_a_pentagram():
    """A 5-cycle drawn as a star crosses itself 5 times; single-node moves undo every one."""
    import math

    import numpy as np

    from kg.viz.layout import _ends, crossings, untangle

    cycle = nx.cycle_graph(5)
    star = np.array(
        [(math.cos(4 * math.pi * i / 5), math.sin(4 * math.pi * i / 5)) for i in range(5)]
    )
    ends = _ends(cycle)
    assert crossings(star, ends) == 5
    assert crossings(untangle(star, ends, cycle), ends) == 0


def test_an_article_view_names_only_its_article(ctx):
    page = viz.render(viz.of_article(ctx, "a004"), articles=ctx.articles)
    assert page.html.count('class="kg-source"') == 1 and 'value="a004"' in page.html
    assert "a004 Seven global firms" in page.svg and "a000 " not in page.svg.split("Sources:")[1]
