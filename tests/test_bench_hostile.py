"""The hostile-load benchmark works: a smoke run against a real ``kg serve`` fills every figure.
(Its targets are measured by ``bench/hostile.py`` and reported in RESULTS.md; here only what
must hold on any machine is asserted: correct answers, no canary connection, a live server.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"

pytestmark = pytest.mark.server


def test_hostile_smoke_run(tmp_path):
    result = subprocess.run(
        [sys.executable, str(BENCH / "hostile.py"), "--smoke", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads((tmp_path / "hostile.json").read_text())
    cheap = figures["mix"]["by_kind"]["cheap"]
    assert cheap["ok"] == cheap["n"] > 0
    for kind in ("malformed", "big", "slow", "slowclient"):
        entry = figures["mix"]["by_kind"][kind]
        assert entry["ok"] == entry["n"] > 0, (kind, entry)
    assert figures["canary_connections"] == 0
    assert figures["alive_after"] and figures["server_tracebacks"] == 0
    assert "## `kg serve` under hostile load" in (tmp_path / "HOSTILE.md").read_text()
