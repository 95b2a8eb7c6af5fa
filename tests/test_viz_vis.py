"""``kg viz --format vis``: a vis-network page modelled with pyvis, offline, in real Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _chromium import CHROMIUM, Browser, png_pixels
from typer.testing import CliRunner

from kg import viz
from kg.cli import app
from kg.errors import InputError
from kg.network import to_networkx
from kg.viz.vis import render_vis

READY = "document.documentElement.dataset.state === 'ready'"


@pytest.fixture(scope="module")
def ctx(dataset):
    return viz.Context.from_dataset(dataset, to_networkx(dataset))


def test_vis_page_is_deterministic_offline_and_refuses_flows(ctx):
    view = viz.neighbourhood(ctx, "larry-fink", 1)
    page = render_vis(view, articles=ctx.articles)
    assert page == render_vis(view, articles=ctx.articles)
    markup = page.split("<script>", 1)[0] + page.rsplit("</script>", 1)[1]
    assert "<link" not in markup and "src=" not in markup  # no stylesheet or script fetched
    assert "script-src 'sha256-" in page and "physics" in page
    with pytest.raises(InputError):
        render_vis(viz.money(ctx))


def test_kg_viz_format_vis_writes_a_page(tmp_path):
    out = tmp_path / "fink.html"
    result = CliRunner().invoke(
        app, ["viz", "--focus", "Larry Fink", "--format", "vis", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(app, ["viz", "--money", "--format", "vis", "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_vis_page_draws_kg_positions_without_any_request(ctx, tmp_path):
    """vis-network draws the overview where kg laid it out (physics off), asks for nothing
    but the file, reports no error, and paints its canvas."""
    view = viz.whole(ctx)
    path = tmp_path / "vis.html"
    path.write_text(render_vis(view, articles=ctx.articles), encoding="utf-8")
    browser = Browser()
    try:
        tab = browser.open(path)
        tab.wait_for(READY)
        expected = {
            n["id"]: (n["x"], n["y"])
            for n in json.loads(tab.evaluate("document.getElementById('kg-data').textContent"))[
                "nodes"
            ]
        }
        drawn = tab.evaluate("kgNetwork.getPositions()")
        assert set(drawn) == set(expected) == set(map(str, view.graph.nodes))
        assert all(
            abs(drawn[k]["x"] - x) < 1 and abs(drawn[k]["y"] - y) < 1
            for k, (x, y) in expected.items()
        )
        _, _, pixels = png_pixels(tab.screenshot())
        assert sum(1 for r, g, b in pixels if abs(r - b) > 60) > 1000  # coloured marks drawn
        assert tab.errors() == []
        assert tab.requests == [tab.url]
    finally:
        browser.quit()
