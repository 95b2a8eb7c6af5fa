"""Node positions computed in Python, so the browser starts from a finished layout.

Positions come from a force-directed layout (Fruchterman-Reingold, numpy) with a fixed seed;
the same graph gives the same coordinates on every run.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and pos == positions(nx.path_graph(3))
True
"""

from __future__ import annotations

import math

SEED = 20250922
SPACING = 70  # canvas pixels per sqrt(node): the layout grows with the graph
ITERATIONS, ITERATIONS_LARGE, LARGE = 120, 50, 500  # fewer steps for graphs above LARGE nodes
TEMPERATURE = 0.2  # the largest step a node may take, shrinking to 0 over the iterations
GRAVITY = 0.05  # pull towards the centre, relative to the springs
CHUNK = 1024  # rows of the pairwise repulsion computed at once (bounds memory)


def positions(graph) -> dict:
    """Each node's (x, y) in canvas pixels, rounded to one decimal, deterministic."""
    from kg.analysis import simple_graph

    simple = simple_graph(graph)
    n = simple.number_of_nodes()
    if n == 0:
        return {}
    pos = force_layout(simple)
    scale = SPACING * math.sqrt(n)
    return {
        node: (round(float(x) * scale, 1), round(float(y) * scale, 1))
        for node, (x, y) in zip(simple, pos, strict=True)
    }


def force_layout(simple, seed: int = SEED):
    """Fruchterman-Reingold with a pull towards the centre, vectorised with numpy (float32).

    Returns an (n, 2) array of positions, row i for the i-th node of ``simple``, scaled into
    [-1, 1]. The pull keeps separate components together instead of letting them drift apart.
    Repulsion is computed for every pair, in blocks of rows to bound memory.
    """
    import numpy as np

    n = simple.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    index = {node: i for i, node in enumerate(simple)}
    ends = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.intp)
    ends = ends.reshape(-1, 2)
    pos = np.random.default_rng(seed).uniform(-1, 1, (n, 2)).astype(np.float32)
    k = np.float32(2 / math.sqrt(n))  # the ideal distance between nodes in a 2 x 2 square
    iterations = ITERATIONS if n <= LARGE else ITERATIONS_LARGE
    for step in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        disp = np.empty_like(pos)
        for start in range(0, n, CHUNK):
            dx = x[start : start + CHUNK, None] - x[None, :]
            dy = y[start : start + CHUNK, None] - y[None, :]
            push = (k * k) / np.maximum(dx * dx + dy * dy, np.float32(1e-9))
            disp[start : start + CHUNK, 0] = (dx * push).sum(axis=1)
            disp[start : start + CHUNK, 1] = (dy * push).sum(axis=1)
        if len(ends):
            along = pos[ends[:, 0]] - pos[ends[:, 1]]
            pull = along * (np.sqrt((along * along).sum(axis=1)) / k)[:, None]
            np.add.at(disp, ends[:, 0], -pull)
            np.add.at(disp, ends[:, 1], pull)
        disp -= GRAVITY * pos * (np.sqrt((pos * pos).sum(axis=1)) / k)[:, None]
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), np.float32(1e-9))
        limit = np.float32(TEMPERATURE * (1 - step / iterations))
        pos += disp * (np.minimum(length, limit) / length)[:, None]
    pos = pos.astype(np.float64)
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)
