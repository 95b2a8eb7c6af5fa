"""Layout benchmark: the k-d tree layout against the all-pairs one it replaced, in one run.

Prints, as ratios and figures of this run: layout seconds for both at 2k nodes and the new one
at 10k; a 10k-node view generated (layout, labels, page) and ready in headless Chromium; and on
the curated views, node overlaps and edge crossings of both layouts on the same canvas.

    python bench/layout_bench.py [--nodes 10000]
"""

from __future__ import annotations

import argparse
import math
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
    canvas = (pos - pos.min(axis=0)) / np.maximum(np.ptp(pos, axis=0), 1e-9) * [940, 640] + 30
    d = np.sqrt(((canvas[:, None, :] - canvas[None, :, :]) ** 2).sum(axis=2))
    overlaps = int(((d < 2 * radius).sum() - len(canvas)) // 2)
    index = {node: i for i, node in enumerate(simple)}
    segs = [(index[u], index[v]) for u, v in simple.edges()]

    def cross(a, b, c, e):
        def orient(p, q, r):
            return np.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

        return orient(a, b, c) * orient(a, b, e) < 0 and orient(c, e, a) * orient(c, e, b) < 0

    crossings = 0
    for i, (a, b) in enumerate(segs):
        for c, e in segs[i + 1 :]:
            if len({a, b, c, e}) == 4 and cross(canvas[a], canvas[b], canvas[c], canvas[e]):
                crossings += 1
    return overlaps, crossings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    from kg.analysis import simple_graph
    from kg.viz.layout import force_layout

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

    t = time.perf_counter()
    page = viz.render_graph(big, title="bench")
    made = time.perf_counter() - t
    print(f"{args.nodes}-node view generated in {made:.2f} s ({len(page.html) / 1e6:.1f} MB)")
    from _chromium import CHROMIUM, Browser

    if Path(CHROMIUM).exists():
        with tempfile.TemporaryDirectory() as tmp:
            path = viz.write_page(page, Path(tmp) / "big.html")
            browser = Browser()
            try:
                t = time.perf_counter()
                tab = browser.open(path)
                tab.wait_for("document.documentElement.dataset.state === 'ready'", timeout=120)
                ready = time.perf_counter() - t
                print(f"{args.nodes}-node view ready in Chromium in {ready:.2f} s")
            finally:
                browser.quit()

    from kg.build import build_dataset

    ctx = viz.Context.from_dataset(build_dataset())
    views = (viz.whole(ctx), viz.neighbourhood(ctx, "larry-fink", 2), viz.of_article(ctx, "a004"))
    for view in views:
        simple = simple_graph(view.graph)
        before = quality(simple, all_pairs_layout(simple))
        after = quality(simple, force_layout(simple))
        print(
            f"{view.name}: overlaps/crossings all-pairs {before[0]}/{before[1]}, "
            f"k-d tree {after[0]}/{after[1]}"
        )


if __name__ == "__main__":
    main()
