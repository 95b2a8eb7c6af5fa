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
  const body = kgView.network.body;
  return {nodes: body.nodeIndices.length,
          edges: body.edgeIndices.filter(id => body.edges[id].connected).length};
})()"""
READY = "document.documentElement.dataset.state === 'ready'"
MARKUP = (
    "document.querySelectorAll('img, iframe, svg, a, b, object, embed').length + "
    "document.scripts.length"
)  # the page itself has 3 scripts


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
    """Where a node is drawn, in page coordinates."""
    return tuple(
        tab.evaluate(
            f"(() => {{ const p = kgView.network.canvasToDOM(kgView.network.getPosition("
            f"{node_id!r})); const r = document.getElementById('kg-graph')"
            ".getBoundingClientRect(); return [p.x + r.x, p.y + r.y]; })()"
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
    from kg.store import MemoryStore

    result = MemoryStore(dataset).query(
        "CONSTRUCT { ?e kg:attendee ?p } WHERE { ?e kg:attendee ?p }"
    )
    return viz.of_rdf(ctx, result.graph, "Attendees", "query-attendees")


@pytest.mark.parametrize("name", ["overview", "focus", "class", "source", "money", "query"])
def test_each_view_draws_its_graph_offline(browser, ctx, dataset, tmp_path, name):
    view = _view(ctx, dataset, name)
    tab = load(browser, tmp_path / f"{name}.html", viz.render(view, articles=ctx.articles))
    assert tab.evaluate(COUNTS) == {
        "nodes": view.graph.number_of_nodes(),
        "edges": view.graph.number_of_edges(),
    }
    pixels = graph_pixels(tab)
    inked = [p for p in pixels if min(p) < 200]
    assert len(inked) > len(pixels) // 200, "the picture is blank"
    colours = {colour for colour, _ in viz.page.STYLES.values()}
    drawn = {c for c in colours if _near(c, pixels)}
    assert drawn, "no node colour on the canvas"
    assert tab.evaluate("kgView.network.physics.options.enabled") is False
    assert_inert_and_offline(tab)
    tab.close()


def _near(hex_colour: str, pixels, tolerance: int = 24) -> bool:
    rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(all(abs(a - b) <= tolerance for a, b in zip(p, rgb, strict=True)) for p in pixels)


def test_overview_fits_a_1280_by_800_screen_and_physics_stops(browser, ctx, tmp_path):
    tab = load(browser, tmp_path / "overview.html", viz.render(viz.whole(ctx)))
    layout = tab.evaluate("""(() => {
      const g = document.getElementById('kg-graph').getBoundingClientRect();
      const key = kgView.nodes.get({filter: n => n.key})[0];
      return {scrollW: document.documentElement.scrollWidth,
              scrollH: document.documentElement.scrollHeight,
              w: g.width, h: g.height,
              keyPx: key.font.size * kgView.network.getScale()};
    })()""")
    assert layout["scrollW"] <= 1280 and layout["scrollH"] <= 800
    assert layout["w"] >= 900 and layout["h"] >= 700
    assert layout["keyPx"] >= 12, "labels of the main nodes are too small to read"
    before = tab.evaluate("JSON.stringify(kgView.network.getPositions())")
    browser.pump(0.5)
    assert tab.evaluate("JSON.stringify(kgView.network.getPositions())") == before
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
        assert tab.wait_for("kgView.network.getSelectedNodes()[0]") == node
        label = ctx.graph.nodes[node]["label"]
        assert tab.evaluate("document.getElementById('kg-details').textContent").startswith(label)
    tab.evaluate(
        "document.getElementById('kg-find-text').value = 'qqqq zzzz'; "
        "document.getElementById('kg-find').requestSubmit(); true"
    )
    assert "No node matches" in tab.evaluate("document.getElementById('kg-status').textContent")
    assert_inert_and_offline(tab)
    tab.close()


def test_hangul_labels_reach_the_canvas(browser, ctx, tmp_path):
    tab = load(
        browser, tmp_path / "lee.html", viz.render(viz.neighbourhood(ctx, "lee-jae-myung", hops=1))
    )
    assert tab.evaluate("kgView.nodes.get('lee-jae-myung').label").endswith("\n이재명")
    assert tab.evaluate("document.characterSet") == "UTF-8"
    tab.close()


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
    assert tab.evaluate("kgView.nodes.get('evil-corp').name") == HOSTILE
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
        "(() => { const t = document.querySelector('div.vis-tooltip'); "
        "return t && t.style.visibility !== 'hidden' && t.innerText; })()"
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
