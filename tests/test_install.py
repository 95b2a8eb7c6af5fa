"""An installed wheel carries the ontology, the seeds and the prebuilt graph: kg works from any
directory with no build step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pytest.importorskip("hatchling", reason="the build backend (dev extra) builds the wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    wheel = next(wheels.glob("kg-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_installed_package_uses_its_own_data(installed, tmp_path):
    proc = _run(
        installed,
        tmp_path,
        "-c",
        "import kg.paths as p; print(p.default_seeds()); print(p.shipped_graph())",
    )
    assert proc.returncode == 0, proc.stderr
    seeds, graph = proc.stdout.split()
    assert seeds.startswith(str(installed)) and graph.startswith(str(installed))
    assert Path(graph).read_bytes() == (ROOT / "exports" / "kg.trig").read_bytes()


def test_installed_validate_and_build_from_an_empty_directory(installed, tmp_path):
    proc = _run(installed, tmp_path, "-m", "kg", "validate")
    assert proc.returncode == 0, proc.stderr
    proc = _run(installed, tmp_path, "-m", "kg", "build", "--out", "exports")
    assert proc.returncode == 0, proc.stderr
    built = tmp_path / "exports" / "kg.trig"
    assert built.read_bytes() == (ROOT / "exports" / "kg.trig").read_bytes()
