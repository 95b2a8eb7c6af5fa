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
