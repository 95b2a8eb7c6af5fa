"""Measure kg against the baselines it should beat, and write ``bench/RESULTS.md``.

Every measurement runs in its own process (``bench/tasks.py`` or a ``kg`` command); its peak
memory is that process's ``ru_maxrss`` (``os.wait4``). Each figure is the median of ``--runs``
runs (at least 3), except where RESULTS.md says otherwise.

    python bench/run.py                 # 10k, 100k and 1M triples; takes about an hour
    python bench/run.py --smoke         # about 2k triples, every section, well under a minute
    python bench/run.py --only ask,viz  # re-measure some sections, keep the other figures

Sections: build (kg build, kg load + index, raw pyoxigraph bulk load, rdflib parse), queries,
ask (cold start), graph (projection, PageRank, betweenness), viz (2,000-node page in Chromium).
Figures are kept in ``bench/data/results.json`` (or the smoke folder), so sections can be
re-measured one at a time; RESULTS.md is rewritten from them with ``bench/notes.md`` appended.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import generate
from report import render_results

BENCH = Path(__file__).resolve().parent
TASKS = BENCH / "tasks.py"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
SMOKE_SIZES = {"2k": 2_000}
SECTIONS = ("build", "queries", "ask", "graph", "viz")
ASK_QUESTION = "who attended the New York meeting"
VIZ_NODES = 2_000
SAMPLES = 256  # betweenness samples beyond the exact limit
EXACT_LIMIT = 60.0  # seconds: exact betweenness is tried up to this
BUILD_REPEAT_LIMIT = 10_000  # kg build is repeated up to this size, run once beyond


@dataclass
class Run:
    """One process: wall seconds, peak memory (MiB), JSON lines printed, how it ended."""

    wall: float
    rss_mb: float
    lines: list[dict] = field(default_factory=list)
    timed_out: bool = False
    returncode: int = 0
    stderr: str = ""


def measure(
    cmd: list[str], timeout: float, cwd: Path | None = None, env: dict | None = None
) -> Run:
    """Run ``cmd``; kill its process group after ``timeout`` seconds."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,
            text=True,
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = [
            json.loads(line) for line in out if line.startswith("{") and line.rstrip().endswith("}")
        ]
        return Run(
            wall,
            usage.ru_maxrss / 1024,
            lines,
            killed.is_set(),
            proc.returncode,
            err.read()[-2000:],
        )


# one OpenMP thread: on a shared 2-core machine igraph's and networkit's spinning OpenMP threads
# made single calls 100x slower at random; the other engines run on one thread too
TASK_ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def task(name: str, *args, timeout: float = 1800.0) -> Run:
    run = measure([sys.executable, str(TASKS), name, *map(str, args)], timeout, env=TASK_ENV)
    if run.returncode and not run.timed_out:
        raise RuntimeError(f"task {name} failed:\n{run.stderr}")
    return run


def repeated(runs: int, fn) -> dict:
    """Median of the inner ``seconds`` of ``runs`` task runs, and their largest peak memory."""
    results = []
    for _ in range(runs):
        results.append(fn())
        if results[-1].timed_out:  # no point in waiting for the limit again
            return {"timed_out": True, "limit": results[-1].wall}
    return {
        "seconds": statistics.median(r.lines[-1]["seconds"] for r in results),
        "wall": statistics.median(r.wall for r in results),
        "rss_mb": max(r.rss_mb for r in results),
        "runs": runs,
        **{k: v for k, v in results[-1].lines[-1].items() if k != "seconds"},
    }


# ----------------------------------------------------------------------------- sections


class Bench:
    def __init__(
        self,
        data: Path,
        sizes: dict[str, int],
        runs: int,
        results: dict,
        build_limit: float,
        rdflib_limit: float,
    ):
        self.data, self.sizes, self.runs, self.results = data, sizes, runs, results
        self.build_limit, self.rdflib_limit = build_limit, rdflib_limit

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def folder(self, label: str) -> Path:
        return self.data / label

    def save(self) -> None:
        """Keep the figures so far (a stopped run loses only the size it was measuring)."""
        (self.data / "results.json").write_text(json.dumps(self.results, indent=1))

    def prepare(self) -> None:
        sizes = self.results.setdefault("sizes", {})
        for label, triples in self.sizes.items():
            folder = self.folder(label)
            info = folder / "info.json"
            if not info.is_file():
                self.log(f"generating {label}")
                shutil.rmtree(folder, ignore_errors=True)
                start = time.perf_counter()
                made = generate.write_all(triples, folder)
                made["generate_seconds"] = time.perf_counter() - start
                info.write_text(json.dumps(made))
            sizes[label] = json.loads(info.read_text())
            store = folder / "store"
            if not (store / "CURRENT").is_file():
                task("load-kg", folder / "triples.nt", store)

    def build(self) -> None:
        out = self.results.setdefault("build", {})
        for label in self.sizes:
            folder = self.folder(label)
            nt = folder / "triples.nt"
            row = out[label] = {}
            self.log(f"build {label}: kg load + index")
            row["kg_load"] = repeated(
                self.runs, lambda nt=nt, f=folder: task("load-kg", nt, f / "load-kg")
            )
            self.log(f"build {label}: raw pyoxigraph bulk load")
            row["pyoxigraph"] = repeated(
                self.runs,
                lambda nt=nt, f=folder: self._fresh(
                    f / "load-ox", lambda: task("load-pyoxigraph", nt, f / "load-ox")
                ),
            )
            self.log(f"build {label}: rdflib parse")
            row["rdflib"] = repeated(
                self.runs, lambda nt=nt: task("load-rdflib", nt, timeout=self.rdflib_limit)
            )
            runs = self.runs if self.sizes[label] <= BUILD_REPEAT_LIMIT else 1
            limit = self.build_limit if self.sizes[label] <= 100_000 else self.build_limit / 2
            self.log(f"build {label}: kg build from seeds ({runs} run(s), limit {limit:.0f} s)")
            row["kg_build"] = self._kg_build(folder, runs, limit)
            for name in ("load-kg", "load-ox", "build-out"):
                shutil.rmtree(folder / name, ignore_errors=True)
            self.save()

    @staticmethod
    def _fresh(path: Path, fn):
        shutil.rmtree(path, ignore_errors=True)
        return fn()

    def _kg_build(self, folder: Path, runs: int, limit: float) -> dict:
        walls, rss, summary = [], [], {}
        for _ in range(runs):
            shutil.rmtree(folder / "build-out", ignore_errors=True)
            run = measure(
                [
                    "kg",
                    "build",
                    "--json",
                    "--seeds",
                    str(folder / "seeds"),
                    "--out",
                    str(folder / "build-out"),
                    "--store",
                    f"oxigraph:{folder / 'build-out' / 'store'}",
                    "--no-cache",
                    "--max-records",
                    "200000",
                ],
                limit,
            )
            if run.timed_out:
                return {"timed_out": True, "limit": limit}
            if run.returncode:
                return {"failed": run.stderr.strip().splitlines()[-1:]}
            walls.append(run.wall)
            rss.append(run.rss_mb)
        text = (folder / "build-out" / "kg.nq").read_text(encoding="utf-8")
        summary["quads"] = text.count("\n")
        return {"seconds": statistics.median(walls), "rss_mb": max(rss), "runs": runs, **summary}

    def queries(self) -> None:
        out = self.results.setdefault("queries", {})
        for label in self.sizes:
            folder = self.folder(label)
            units = generate.units_for(self.sizes[label])
            runs = self.runs if self.runs < 3 else max(self.runs, 5)
            row = out[label] = {}
            self.log(f"queries {label}")
            run = task("queries-oxigraph", folder / "store", units, runs)
            for engine in ("kg", "pyoxigraph"):
                row[engine] = {
                    "rss_mb": run.rss_mb,
                    **{line["query"]: line for line in run.lines if line["engine"] == engine},
                }
            run = task(
                "queries-rdflib", folder / "triples.nt", units, runs, timeout=self.rdflib_limit
            )
            row["rdflib"] = {
                "rss_mb": run.rss_mb,
                "timed_out": run.timed_out,
                "limit": self.rdflib_limit,
                **{line["query"]: line for line in run.lines},
            }
            self.save()

    def ask(self) -> None:
        from kg.paths import shipped_graph
        from kg.store import write_oxigraph

        store = self.data / "curated-store"
        write_oxigraph(store, shipped_graph())
        runs = self.runs if self.runs < 3 else max(self.runs, 10)
        self.log("ask: cold starts")
        out = self.results["ask"] = {}
        out["python"] = self._cold([sys.executable, "-c", "pass"], runs)
        for name, spec in (("memory", "memory"), ("oxigraph", f"oxigraph:{store}")):
            out[name] = self._cold(["kg", "ask", "--store", spec, ASK_QUESTION], runs)
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "kg", "ask", ASK_QUESTION],
            capture_output=True,
            text=True,
        )
        out["imports"] = _top_imports(run.stderr)

    @staticmethod
    def _cold(cmd: list[str], runs: int) -> dict:
        results = [measure(cmd, 60) for _ in range(runs)]
        failed = [r for r in results if r.returncode]
        if failed:
            return {"failed": failed[0].stderr.strip().splitlines()[-1:]}
        return {
            "seconds": statistics.median(r.wall for r in results),
            "rss_mb": max(r.rss_mb for r in results),
            "runs": runs,
        }

    def graph(self) -> None:
        out = self.results.setdefault("graph", {})
        exact_10k = None
        for label in self.sizes:
            folder = self.folder(label)
            pickled = folder / "projection.pickle"
            row = out[label] = {}
            self.log(f"graph {label}: projection")
            row["projection"] = repeated(
                1, lambda f=folder, p=pickled: task("project", f / "store", p)
            )
            self.log(f"graph {label}: pagerank")
            for engine in ("kg", "networkx", "igraph"):
                row[f"pagerank_{engine}"] = repeated(
                    self.runs, lambda e=engine, p=pickled: task(f"pagerank-{e}", p)
                )
            self.log(f"graph {label}: betweenness")
            exact_json = folder / "betweenness-exact.json"
            exact = task("betweenness-networkx", pickled, 0, exact_json, timeout=EXACT_LIMIT)
            row["betweenness_exact"] = (
                {"timed_out": True, "limit": EXACT_LIMIT}
                if exact.timed_out
                else {"seconds": exact.lines[-1]["seconds"], "rss_mb": exact.rss_mb}
            )
            if exact_10k is None and not exact.timed_out:
                exact_10k = (label, pickled, exact_json)
            row["betweenness_kg"] = repeated(
                self.runs, lambda p=pickled: task("betweenness-kg", p, timeout=600.0)
            )
            for engine, runs, limit in (("networkx", 1, 900.0), ("networkit", self.runs, 600.0)):
                row[f"betweenness_{engine}"] = repeated(
                    runs,
                    lambda e=engine, p=pickled, t=limit: task(
                        f"betweenness-{e}", p, SAMPLES, timeout=t
                    ),
                )
            self.save()
        if exact_10k:
            label, pickled, exact_json = exact_10k
            run = task("betweenness-error", pickled, SAMPLES, exact_json)
            out["betweenness_error"] = {"size": label, "k": SAMPLES, **run.lines[-1]}

    def viz(self) -> None:
        label = next(lb for lb in reversed(self.sizes) if self.sizes[lb] <= 100_000)
        pickled = self.folder(label) / "projection.pickle"
        if not pickled.is_file():
            task("project", self.folder(label) / "store", pickled)
        self.log(f"viz: {VIZ_NODES}-node view of the {label} graph")
        html = self.data / "viz.html"
        gen = repeated(self.runs, lambda: task("viz-page", pickled, VIZ_NODES, html))
        ready = [task("viz-ready", html, timeout=120).lines[-1] for _ in range(self.runs)]
        self.results["viz"] = {
            "size": label,
            "generate": gen,
            "ready_seconds": statistics.median(r["ready_seconds"] for r in ready),
            "launch_to_ready_seconds": statistics.median(r["launch_to_ready"] for r in ready),
            "nodes": gen.get("nodes"),
            "edges": gen.get("edges"),
        }


def _top_imports(text: str, n: int = 8) -> list[list]:
    """From ``-X importtime`` output, the top-level packages, slowest first: [name, ms]."""
    rows = []
    for line in text.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2][1:].startswith(" "):
            rows.append([parts[2].strip(), int(parts[1]) / 1000])
    return sorted(rows, key=lambda r: -r[1])[:n]


# ----------------------------------------------------------------------------- machine


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in (
        "kg",
        "pyoxigraph",
        "oxigraph",
        "rdflib",
        "networkx",
        "igraph",
        "networkit",
        "scipy",
        "typer",
    ):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    chromium = shutil.which("chromium")
    if chromium:
        text = subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout
        out["chromium"] = text.split()[1] if text else "unknown"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny graph, quick check")
    parser.add_argument(
        "--runs", type=int, help="runs per figure (default and least 3; 1 with --smoke)"
    )
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to measure")
    parser.add_argument("--data", type=Path, help="working folder (default bench/data)")
    parser.add_argument("--out", type=Path, help="report file (default bench/RESULTS.md)")
    args = parser.parse_args()
    runs = args.runs or (1 if args.smoke else 3)
    if runs < 3 and not args.smoke:
        parser.error("--runs must be at least 3 (figures are medians)")
    sections = [s for s in args.only.split(",") if s]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}")
    data = args.data or (BENCH / "data" / ("smoke" if args.smoke else "full"))
    data.mkdir(parents=True, exist_ok=True)
    report = args.out or (data / "RESULTS.md" if args.smoke else BENCH / "RESULTS.md")
    saved = data / "results.json"
    results = json.loads(saved.read_text()) if saved.is_file() else {}
    bench = Bench(
        data,
        SMOKE_SIZES if args.smoke else SIZES,
        runs,
        results,
        build_limit=300.0 if args.smoke else 1200.0,
        rdflib_limit=300.0 if args.smoke else 1800.0,
    )
    results["machine"], results["versions"] = machine(), versions()
    results["smoke"] = args.smoke
    bench.prepare()
    for section in SECTIONS:
        if section in sections:
            getattr(bench, section)()
            bench.save()
    bench.save()
    notes = BENCH / "notes.md"
    report.write_text(
        render_results(results, notes.read_text() if notes.is_file() else ""), encoding="utf-8"
    )
    bench.log(f"wrote {report}")


if __name__ == "__main__":
    main()
