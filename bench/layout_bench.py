"""Layout benchmark: the k-d tree layout against the all-pairs one it replaced, in one run.

Prints, as ratios and figures of this run: layout seconds for both at 2k nodes and the new one
at 10k; a 10k-node view generated (layout, labels, page), and ready in headless Chromium with
nodes and links on a canvas against the same view all in SVG (taking turns, one warmed-up
browser); and on the overview, a focus view and every article's view, node overlaps and edge
crossings of the all-pairs layout and of kg's (``positions``: best of several seeds, untangled).

    python bench/layout_bench.py [--nodes 10000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def all_pairs_layout(simple, seed: int = 20250922):
    """The layout kg used before: Fruchterman-Reingold with all-pairs repulsion (reference)."""
    n = simple.number_of_nodes()
    index = {node: i for i, node in enumerate(simple)}
    ends = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.intp).reshape(-1, 2)
    pos = np.random.default_rng(seed).uniform(-1, 1, (n, 2)).astype(np.float32)
    k = np.float32(2 / math.sqrt(n))
    iterations = 120 if n <= 500 else 50
    for step in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        disp = np.empty_like(pos)
        for start in range(0, n, 1024):
            dx = x[start : start + 1024, None] - x[None, :]
            dy = y[start : start + 1024, None] - y[None, :]
            push = (k * k) / np.maximum(dx * dx + dy * dy, np.float32(1e-9))
            disp[start : start + 1024, 0] = (dx * push).sum(axis=1)
            disp[start : start + 1024, 1] = (dy * push).sum(axis=1)
        along = pos[ends[:, 0]] - pos[ends[:, 1]]
        pull = along * (np.sqrt((along * along).sum(axis=1)) / k)[:, None]
        np.add.at(disp, ends[:, 0], -pull)
        np.add.at(disp, ends[:, 1], pull)
        disp -= 0.05 * pos * (np.sqrt((pos * pos).sum(axis=1)) / k)[:, None]
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), np.float32(1e-9))
        limit = np.float32(0.2 * (1 - step / iterations))
        pos += disp * (np.minimum(length, limit) / length)[:, None]
    pos = pos.astype(np.float64)
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)


def generated(n: int):
    import networkx as nx

    return nx.barabasi_albert_graph(n, 2, seed=7)


def quality(simple, pos: np.ndarray, radius: float = 8.0) -> tuple[int, int]:
    """Node overlaps (discs of ``radius`` on a 1000 x 700 canvas) and edge crossings."""
    from kg.viz.layout import _ends, crossings

    canvas = (pos - pos.min(axis=0)) / np.maximum(np.ptp(pos, axis=0), 1e-9) * [940, 640] + 30
    d = np.sqrt(((canvas[:, None, :] - canvas[None, :, :]) ** 2).sum(axis=2))
    overlaps = int(((d < 2 * radius).sum() - len(canvas)) // 2)
    return overlaps, crossings(canvas, _ends(simple))


def ready_in_chromium(pages: dict[str, Path], rounds: int = 3) -> dict[str, list[float]]:
    """Seconds from navigation to ``data-state="ready"`` (wall, and the page's own clock) for
    each page, taking turns in one warmed-up headless Chromium."""
    from _chromium import Browser

    out: dict[str, list[float]] = {name: [] for name in pages}
    inside: dict[str, list[float]] = {name: [] for name in pages}
    browser = Browser()
    try:
        browser.open(pages[next(iter(pages))]).close()  # start-up is not the page's work
        for _ in range(rounds):
            for name, path in pages.items():
                t = time.perf_counter()
                tab = browser.open(path)
                tab.wait_for("document.documentElement.dataset.state === 'ready'", timeout=120)
                out[name].append(time.perf_counter() - t)
                inside[name].append(tab.evaluate("kgView.readyAt") / 1000)
                tab.close()
    finally:
        browser.quit()
    return {name: [statistics.median(out[name]), statistics.median(inside[name])] for name in out}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    from kg.analysis import simple_graph
    from kg.viz.layout import force_layout, positions

    small = generated(2000)
    t = time.process_time()
    all_pairs_layout(small)
    old = time.process_time() - t
    t = time.process_time()
    force_layout(small)
    new = time.process_time() - t
    print(f"layout 2k nodes: all-pairs {old:.2f} s, k-d tree {new:.2f} s, ratio {old / new:.1f}x")

    big = generated(args.nodes)
    t = time.process_time()
    force_layout(big)
    print(f"layout {args.nodes} nodes: k-d tree {time.process_time() - t:.2f} s")

    from kg import viz
    from kg.viz import graph

    t, cpu = time.perf_counter(), time.process_time()
    page = viz.render_graph(big, title="bench")
    made, made_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"{args.nodes}-node view generated in {made:.2f} s ({made_cpu:.2f} s CPU), "
        f"{len(page.html) / 1e6:.1f} MB, nodes and links on a canvas"
    )
    limit, graph.CANVAS_LIMIT = graph.CANVAS_LIMIT, 10**9
    try:
        as_svg = viz.render_graph(big, title="bench")
    finally:
        graph.CANVAS_LIMIT = limit
    print(f"the same view all in SVG: {len(as_svg.html) / 1e6:.1f} MB")
    from _chromium import CHROMIUM

    if Path(CHROMIUM).exists():
        with tempfile.TemporaryDirectory() as tmp:
            pages = {
                "canvas": viz.write_page(page, Path(tmp) / "canvas.html"),
                "svg": viz.write_page(as_svg, Path(tmp) / "svg.html"),
            }
            ready = ready_in_chromium(pages)
        for name, (wall, inside) in ready.items():
            print(
                f"{args.nodes}-node view ({name}) ready in Chromium in {wall:.2f} s "
                f"(page clock {inside:.2f} s)"
            )
        print(f"ready, svg / canvas: {ready['svg'][0] / ready['canvas'][0]:.2f}x")

    from kg.build import build_dataset

    ctx = viz.Context.from_dataset(build_dataset())
    views = [viz.whole(ctx), viz.neighbourhood(ctx, "larry-fink", 2)]
    views += [viz.of_article(ctx, article) for article in sorted(ctx.articles)]
    for view in views:
        simple = simple_graph(view.graph)
        before = quality(simple, all_pairs_layout(simple))
        unit = positions(view.graph)
        after = quality(simple, np.array([unit[node] for node in simple]))
        print(
            f"{view.name}: overlaps/crossings all-pairs {before[0]}/{before[1]}, "
            f"kg {after[0]}/{after[1]}"
        )


if __name__ == "__main__":
    main()
