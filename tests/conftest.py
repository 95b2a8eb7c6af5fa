"""Shared fixtures: the curated graph built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session")
def built():
    """The curated seeds, built (and checked) once."""
    from kg.build import build

    return build(ROOT / "seeds")


@pytest.fixture(scope="session")
def dataset(built):
    return built.dataset


# The fast subset is `python -m pytest -m "not browser and not server and not slow"` (under a
# minute here). Whole modules of end-to-end tests count as slow: they build the graph again,
# draw pictures, run commands as real processes or through every option, start worker pools, or
# run batteries of generated inputs. So do the doctests that build the whole graph.
END_TO_END = {
    "test_analysis.py",  # centrality on generated graphs of thousands of nodes
    "test_bench_smoke.py",
    "test_build_cache.py",
    "test_cli_build.py",
    "test_cli_manners.py",
    "test_cli_query.py",
    "test_docs.py",  # every console example of README and docs/, a build among them
    "test_draft.py",
    "test_exports.py",
    "test_exports_tools.py",  # the exports opened in ladybug, PyLD, networkx
    "test_invalid_seeds.py",  # one build per broken seed file
    "test_runner.py",
    "test_shacl_fast.py",
    "test_store.py",
    "test_viz.py",
    "test_viz_vis.py",
}
BUILDING_DOCTESTS = {
    "analysis",
    "build",
    "export",
    "kg",
    "network",
    "pipeline",
    "seeds",
    "validate",
}


def pytest_collection_modifyitems(items):
    for item in items:
        doctest = type(item).__name__ == "DoctestItem"
        name = item.name.split(".")[1] if doctest and "." in item.name else item.name
        if item.path.name in END_TO_END or (
            doctest and (name in BUILDING_DOCTESTS or "kg/viz" in item.path.as_posix())
        ):
            item.add_marker(pytest.mark.slow)
