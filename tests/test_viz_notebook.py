"""A view shows inline in Jupyter: a notebook executed with nbconvert carries the page as HTML."""

from __future__ import annotations

import html
import re

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbconvert")
pytest.importorskip("ipykernel")

pytestmark = pytest.mark.slow

CELL = """
from kg.build import build_dataset
from kg import viz
ctx = viz.Context.from_dataset(build_dataset())
viz.render(viz.money(ctx), articles=ctx.articles)
"""


def test_a_rendered_view_displays_inline_in_an_executed_notebook(tmp_path):
    from nbconvert.preprocessors import ExecutePreprocessor

    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell(CELL)]
    ExecutePreprocessor(timeout=120, kernel_name="python3").preprocess(
        book, {"metadata": {"path": str(tmp_path)}}
    )
    outputs = book.cells[0].outputs
    assert [o["output_type"] for o in outputs] == ["execute_result"]
    shown = outputs[0]["data"]["text/html"]
    assert shown.startswith("<iframe srcdoc=")
    assert 'sandbox="allow-scripts allow-downloads"' in shown
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1))
    assert page.startswith("<!DOCTYPE html>") and 'data-kind="flow"' in page
