"""`kg viz` pages in headless Chromium: what they draw, that they stay offline and inert.

Each page is loaded from a file in a fresh tab of one browser; the DevTools protocol reports
console messages, exceptions, network requests and dialogs (see tests/_chromium.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _chromium import CHROMIUM, Browser, png_pixels

from kg import viz
from kg.network import to_networkx

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_SEEDS = """
sources:
  - id: t001
    file: test.txt
    title: "<script>alert('title')</script> & headline"
    outlet: "<img src=x onerror=alert('outlet')>"
    published: 2025-09-23
    paragraphs: 10
organizations:
  - id: evil-corp
    type: [Company, Investor]
    label: "<img src=x onerror=alert(1)>"
    aliases: ["</script><script>alert('alias')</script>"]
    description: "\\"><svg onload=alert('description')>"
    cite: t001:1
people:
  - id: mallory
    label: "Mallory <iframe src=javascript:alert('person')>"
    cite: t001:3
places:
  - id: nowhere
    label: "{{7*7}} ${alert('place')} <b>bold</b>"
    cite: t001:4
projects:
  - id: evil-project
    label: "Project <a href=https://example.com/>link</a>"
    location: {id: nowhere, cite: t001:5}
    partners: [{id: evil-corp, cite: t001:5}]
    cite: t001:5
commitments:
  - id: evil-commitment
    label: "<img src=x onerror=alert('commitment')>"
    investors: [{id: evil-corp, cite: t001:6}]
    target: {id: evil-project, cite: t001:6}
    recipient: {id: nowhere, cite: t001:6}
    amount: {currency: USD, value: 1000000, cite: t001:6}
    status: announced
    cite: t001:6
memberships:
  - id: mallory-at-evil
    member: mallory
    organization: evil-corp
    title: "<img src=x onerror=alert('post')>"
    cite: t001:7
"""
COUNTS = """(() => {
  const on = el => getComputedStyle(el).display !== "none";
  return {nodes: [...document.querySelectorAll("#kg-svg .n")].filter(on).length,
          edges: [...document.querySelectorAll("#kg-svg .e")].filter(on).length};
})()"""
# visible label boxes inside the picture, and how many pairs of them overlap
OVERLAPS = """(() => {
  const frame = document.getElementById("kg-graph").getBoundingClientRect();
  const boxes = [...document.querySelectorAll("#kg-svg g.l")]
    .filter(g => g.style.display !== "none").map(g => g.getBoundingClientRect())
    .filter(r => r.right > frame.left && r.left < frame.right && r.bottom > frame.top &&
                 r.top < frame.bottom);
  let n = 0;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
  }
  return {shown: boxes.length, overlaps: n};
})()"""
READY = "document.documentElement.dataset.state === 'ready'"
MARKUP = (
    "document.querySelectorAll('img, iframe, a, b, object, embed, foreignObject').length + "
    "document.querySelectorAll('svg').length + document.scripts.length"
)  # the page itself has 1 svg and 2 scripts


@pytest.fixture(scope="module")
def browser():
    chromium = Browser()
    yield chromium
    chromium.quit()


@pytest.fixture(scope="module")
def ctx(dataset):
    return viz.Context.from_dataset(dataset, to_networkx(dataset))


def load(browser, path: Path, page) -> object:
    """Write ``page``, open it and wait until it has drawn and physics has stopped."""
    viz.write_page(page, path)
    tab = browser.open(path)
    tab.wait_for(READY)
    return tab


def assert_inert_and_offline(tab) -> None:
    assert tab.errors() == []
    assert tab.dialogs == []
    assert tab.requests == [tab.url], "the page asked for more than itself"


def graph_pixels(tab) -> list[tuple[int, int, int]]:
    """The picture area of a screenshot, at a quarter of its size."""
    rect = tab.evaluate(
        "(() => { const r = document.getElementById('kg-graph')"
        ".getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, "
        "height: r.height}; })()"
    )
    _, _, pixels = png_pixels(tab.screenshot(clip=rect, scale=0.25))
    return pixels


def node_point(tab, node_id: str) -> tuple[float, float]:
    """The centre of a node's mark, in page coordinates."""
    return tuple(
        tab.evaluate(
            f"(() => {{ const r = document.querySelector('#kg-svg .n[data-id=\"' + "
            f"CSS.escape({node_id!r}) + '\"]').getBoundingClientRect(); "
            "return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
    )


def _view(ctx, dataset, name: str):
    if name == "overview":
        return viz.whole(ctx)
    if name == "focus":
        return viz.neighbourhood(ctx, "larry-fink", hops=2)
    if name == "class":
        return viz.of_classes(ctx, ["Investor", "Project"])
    if name == "source":
        return viz.of_article(ctx, "a003")
    if name == "money":
        return viz.money(ctx)
    if name == "timeline":
        return viz.timeline(ctx)
    from kg.store import MemoryStore

    result = MemoryStore(dataset).query(
        "CONSTRUCT { ?e kg:attendee ?p } WHERE { ?e kg:attendee ?p }"
    )
    return viz.of_rdf(ctx, result.graph, "Attendees", "query-attendees")


VIEWS = ["overview", "focus", "class", "source", "money", "timeline", "query"]


@pytest.mark.parametrize("name", VIEWS)
def test_each_view_draws_offline_with_no_label_over_another(browser, ctx, dataset, tmp_path, name):
    view = _view(ctx, dataset, name)
    page = viz.render(view, articles=ctx.articles)
    tab = load(browser, tmp_path / f"{name}.html", page)
    marks = sum(1 for n in page_data(page)["nodes"] if n.get("mark", True))
    assert tab.evaluate(COUNTS) == {"nodes": marks, "edges": page.edges}
    labels = tab.evaluate(OVERLAPS)
    assert labels["overlaps"] == 0 and labels["shown"] >= min(marks, 15)
    pixels = graph_pixels(tab)
    inked = [p for p in pixels if min(p) < 200]
    assert len(inked) > len(pixels) // 200, "the picture is blank"
    colours = {colour for colour, _ in viz.page.STYLES.values()}
    assert {c for c in colours if _near(c, pixels)}, "no class colour in the picture"
    assert_inert_and_offline(tab)
    tab.close()


def page_data(page) -> dict:
    import json
    import re

    block = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', page.html, re.S
    )
    return json.loads(block.group(1))


def _near(hex_colour: str, pixels, tolerance: int = 24) -> bool:
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(all(abs(a - b) <= tolerance for a, b in zip(p, rgb, strict=True)) for p in pixels)


def test_zooming_in_shows_more_labels_and_still_none_overlap(browser, ctx, tmp_path):
    tab = load(browser, tmp_path / "overview.html", viz.render(viz.whole(ctx)))
    layout = tab.evaluate("""(() => {
      const g = document.getElementById('kg-graph').getBoundingClientRect();
      return {scrollW: document.documentElement.scrollWidth,
              scrollH: document.documentElement.scrollHeight, w: g.width, h: g.height};
    })()""")
    assert layout["scrollW"] <= 1280 and layout["scrollH"] <= 800
    assert layout["w"] >= 900 and layout["h"] >= 700
    before = tab.evaluate(OVERLAPS)
    tab.evaluate(
        "(() => { const v = kgView.view(); kgView.zoomAt(4, v.x + v.w / 2, v.y + v.h / 2); })()"
    )
    after = tab.evaluate(OVERLAPS)
    assert after["overlaps"] == 0
    shown = "document.querySelectorAll('#kg-svg g.l:not([style*=none])').length"
    assert tab.evaluate(shown) > before["shown"]
    tab.evaluate("kgView.fit()")
    assert tab.evaluate(OVERLAPS) == before
    tab.close()


def test_legend_and_source_filters_change_what_is_visible(browser, ctx, tmp_path):
    page = viz.render(viz.whole(ctx), articles=ctx.articles)
    tab = load(browser, tmp_path / "filters.html", page)
    people = sum(1 for n in page_data(page)["nodes"] if n["group"] == "Person")
    full = tab.evaluate(COUNTS)
    tab.evaluate("document.querySelector('#kg-legend .kg-class[data-g=\"Person\"]').click()")
    fewer = tab.evaluate(COUNTS)
    assert fewer["nodes"] == full["nodes"] - people and fewer["edges"] < full["edges"]
    count = (
        "document.querySelector('#kg-legend .kg-class[data-g=\"Person\"] .kg-count').textContent"
    )
    assert tab.evaluate(count) == f"0 of {people}"
    assert tab.evaluate(OVERLAPS)["overlaps"] == 0
    tab.evaluate("document.querySelector('#kg-legend .kg-class[data-g=\"Person\"]').click()")
    assert tab.evaluate(COUNTS) == full
    tab.evaluate(
        "document.querySelectorAll('#kg-sources .kg-source').forEach(b => { if (b.value !== "
        "'a004') { b.checked = false; b.dispatchEvent(new Event('change')); } })"
    )
    only = tab.evaluate(COUNTS)
    assert 0 < only["nodes"] < full["nodes"]
    assert "Showing " + str(only["nodes"]) in tab.evaluate(
        "document.getElementById('kg-visible').textContent"
    )
    assert_inert_and_offline(tab)
    tab.close()


def test_search_box_finds_and_selects_a_node(browser, ctx, tmp_path):
    tab = load(browser, tmp_path / "find.html", viz.render(viz.whole(ctx)))
    for text, node in [
        ("Larry Fink", "larry-fink"),
        ("이재명", "lee-jae-myung"),
        ("blackrock", "blackrock"),
        ("AWS", "aws"),
    ]:
        tab.evaluate(
            f"document.getElementById('kg-find-text').value = {text!r}; "
            "document.getElementById('kg-find').requestSubmit(); true"
        )
        assert tab.wait_for("kgView.selected") == node
        label = ctx.graph.nodes[node]["label"]
        assert tab.evaluate("document.getElementById('kg-details').textContent").startswith(label)
        tab.evaluate("kgView.selected = null")
    tab.evaluate(
        "document.getElementById('kg-find-text').value = 'qqqq zzzz'; "
        "document.getElementById('kg-find').requestSubmit(); true"
    )
    assert "Nothing matches" in tab.evaluate("document.getElementById('kg-status').textContent")
    assert_inert_and_offline(tab)
    tab.close()


def test_hangul_labels_render(browser, ctx, tmp_path):
    tab = load(
        browser, tmp_path / "lee.html", viz.render(viz.neighbourhood(ctx, "lee-jae-myung", hops=1))
    )
    drawn = tab.evaluate(
        "(() => { const t = [...document.querySelectorAll('#kg-svg tspan')]"
        ".find(s => s.textContent === '이재명'); return t && t.getComputedTextLength(); })()"
    )
    assert drawn and drawn > 20, "the Hangul label has no width: no glyphs drawn"
    assert tab.evaluate("document.characterSet") == "UTF-8"
    tab.close()


@pytest.mark.parametrize("name", ["overview", "money", "timeline"])
def test_downloaded_svg_is_a_picture_with_no_overlapping_labels(
    browser, ctx, dataset, tmp_path, name
):
    tab = load(
        browser,
        tmp_path / f"{name}.html",
        viz.render(_view(ctx, dataset, name), articles=ctx.articles),
    )
    text = tab.evaluate("kgView.svgText()")
    png_size = tab.evaluate("kgView.pngBlob(1).then(b => b.size)")
    assert png_size > 10_000
    tab.close()
    svg = tmp_path / f"{name}.svg"
    svg.write_text(text, encoding="utf-8")
    picture = browser.open(svg)
    boxes = picture.evaluate("""(() => {
      const boxes = [...document.querySelectorAll('g.l')].map(g => g.getBoundingClientRect());
      let n = 0;
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
      }
      return {labels: boxes.length, overlaps: n,
              legend: [...document.querySelectorAll('text')]
                .some(t => t.textContent === 'Legend'),
              sources: [...document.querySelectorAll('tspan')]
                .some(t => t.textContent.startsWith('Sources: '))};
    })()""")
    assert boxes["labels"] > 5 and boxes["overlaps"] == 0 and boxes["legend"] and boxes["sources"]
    _, _, pixels = png_pixels(
        picture.screenshot(scale=0.25, clip={"x": 0, "y": 0, "width": 1280, "height": 800})
    )
    assert sum(1 for p in pixels if min(p) < 200) > len(pixels) // 100
    assert picture.requests == [picture.url]
    picture.close()


def test_kg_viz_format_png_is_not_blank(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "fink.png"
    result = CliRunner().invoke(
        app, ["viz", "--focus", "larry-fink", "--hops", "0", "--format", "png", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    width, height, pixels = png_pixels(out.read_bytes())
    assert width > 400 and height > 200
    assert sum(1 for p in pixels if min(p) < 200) > len(pixels) // 200


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from kg.build import build_dataset

    seeds = tmp_path_factory.mktemp("hostile-seeds")
    (seeds / "seeds.yaml").write_text(HOSTILE_SEEDS, encoding="utf-8")
    return viz.Context.from_dataset(build_dataset(seeds))


@pytest.mark.parametrize("name", ["overview", "money", "source", "focus"])
def test_hostile_labels_show_as_text_and_never_run(browser, hostile, tmp_path, name):
    view = {
        "overview": lambda: viz.whole(hostile),
        "money": lambda: viz.money(hostile),
        "source": lambda: viz.of_article(hostile, "t001"),
        "focus": lambda: viz.neighbourhood(hostile, "evil-corp", hops=2),
    }[name]()
    tab = load(browser, tmp_path / f"{name}.html", viz.render(view, articles=hostile.articles))
    assert tab.evaluate(MARKUP) == 3
    assert tab.evaluate("kgView.data.nodes.find(n => n.id === 'evil-corp').name") == HOSTILE
    options = tab.evaluate("[...document.querySelectorAll('#kg-names option')].map(o => o.value)")
    assert HOSTILE in options
    if name == "source":
        assert (
            tab.evaluate("document.querySelector('h1').textContent")
            == hostile.articles["t001"].title
        )
    x, y = node_point(tab, "evil-corp")
    tab.click(x, y)
    details = tab.wait_for("document.getElementById('kg-details').textContent")
    assert details.startswith(HOSTILE + "\n")
    tab.hover(x + 1, y + 1)
    tip = tab.wait_for(
        "(() => { const t = document.getElementById('kg-tip'); "
        "return t.style.visibility === 'visible' && t.innerText; })()"
    )
    assert tip.startswith(HOSTILE)
    assert tab.evaluate(MARKUP) == 3
    browser.pump(0.3)
    assert_inert_and_offline(tab)
    tab.close()


def test_the_checks_catch_a_page_that_misbehaves(browser, tmp_path):
    """The harness itself: a dialog, an error and a request are all seen."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><title>bad</title><img src='http://example.invalid/x.png'>"
        "<script>console.error('oops'); alert('hi');"
        "document.documentElement.dataset.state = 'ready';</script>",
        encoding="utf-8",
    )
    tab = browser.open(page)
    tab.wait_for(READY)
    browser.pump(0.3)
    assert tab.dialogs == ["hi"]
    assert "oops" in tab.errors()
    assert "http://example.invalid/x.png" in tab.requests
    blank = tmp_path / "blank.html"
    blank.write_text(
        "<!DOCTYPE html><div id='kg-graph' style='width:400px;height:300px'></div>",
        encoding="utf-8",
    )
    empty = browser.open(blank)
    assert all(min(p) >= 200 for p in graph_pixels(empty))
    tab.close()
    empty.close()


@pytest.mark.slow
def test_big_view_draws_on_a_canvas_filters_and_stays_offline(browser, tmp_path):
    """Above the canvas limit nodes and links are painted on a canvas: the page gets ready,
    paints marks, keeps its labels apart, filters (counts and pixels change), answers hover
    and click from the canvas, downloads every visible mark as SVG, and fetches nothing."""
    import networkx as nx

    from kg.viz.graph import CANVAS_LIMIT

    n = CANVAS_LIMIT + 500
    g = nx.barabasi_albert_graph(n, 2, seed=3)
    for node in g:
        g.nodes[node]["group"] = "Person" if node % 2 else "Organization"
    page = viz.render_graph(g, title="Big")
    assert 'class="n"' not in page.html.split('id="kg-data"')[0]  # no node element in the SVG
    tab = load(browser, tmp_path / "big.html", page)
    assert tab.evaluate("kgView.data.canvas") is True
    assert tab.evaluate(OVERLAPS)["overlaps"] == 0
    frame = tab.evaluate(
        "(() => { const r = document.getElementById('kg-canvas').getBoundingClientRect();"
        " return {x: r.left, y: r.top, width: r.width, height: r.height}; })()"
    )
    _, _, before = png_pixels(tab.screenshot(clip=frame))
    coloured = sum(1 for r, g_, b in before if abs(r - g_) > 40 or abs(g_ - b) > 40)
    assert coloured > 500  # the class colours are painted
    text = tab.evaluate("document.getElementById('kg-visible').textContent")
    assert text.startswith(f"Showing {n} of {n} marks")
    tab.evaluate("document.querySelector('.kg-class[data-g=\"Person\"]').click()")
    text = tab.evaluate("document.getElementById('kg-visible').textContent")
    assert text.startswith(f"Showing {n // 2} of {n} marks")
    tab.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    _, _, after = png_pixels(tab.screenshot(clip=frame))
    assert after != before
    shown = tab.evaluate('(kgView.svgText().match(/class="n"/g) || []).length')
    assert shown == n - n // 2
    # hover and click on a visible node, found on the canvas by position
    node = tab.evaluate(
        "(() => { const n = kgView.data.nodes.find(n => n.group === 'Organization');"
        " const p = new DOMPoint(n.x, n.y).matrixTransform("
        "document.getElementById('kg-svg').getScreenCTM());"
        " return {id: n.id, x: p.x, y: p.y}; })()"
    )
    tab.hover(node["x"], node["y"])
    tab.click(node["x"], node["y"])
    assert tab.wait_for("kgView.selected") == node["id"]
    assert tab.errors() == []
    assert tab.requests == [tab.url]
    tab.close()
