"""Node positions computed in Python, so the browser starts from a finished picture.

Positions come from a force-directed layout (Fruchterman-Reingold) whose repulsion acts only
from a node's nearest neighbours within a cut-off radius, found with a k-d tree: each step costs
O(n log n) instead of the all-pairs O(n²), as in the grid variant of the original paper. A
fixed seed makes the same graph give the same coordinates on every run. :func:`fit` then scales
the positions into the picture's canvas and pushes apart nodes whose discs would touch.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and pos == positions(nx.path_graph(3))
True
"""

from __future__ import annotations

import math

SEED = 20250922
ITERATIONS, ITERATIONS_LARGE, LARGE = 150, 40, 500  # fewer steps for graphs above LARGE nodes
TEMPERATURE = 0.2  # the largest step a node may take, shrinking to 0 over the iterations
GRAVITY = 0.05  # pull towards the centre, relative to the springs
CUTOFF = 3.0  # repulsion acts within CUTOFF ideal distances (k) of a node
NEIGHBOURS = 16  # and from at most this many nearest nodes (bounds the work in dense cores)
SEPARATION_STEPS = 30  # rounds of pushing apart touching discs after scaling


def positions(graph) -> dict:
    """Each node's (x, y) in the unit square [-1, 1]², deterministic, from the simple graph."""
    from kg.analysis import simple_graph

    simple = simple_graph(graph)
    if simple.number_of_nodes() == 0:
        return {}
    pos = force_layout(simple)
    return {node: (float(x), float(y)) for node, (x, y) in zip(simple, pos, strict=True)}


def _pairs(pos, radius: float):
    """Index pairs (i < j) of points closer than ``radius``, as two arrays (k-d tree)."""
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    found = cKDTree(pos).query_pairs(radius, output_type="ndarray")
    return found[:, 0], found[:, 1]


def force_layout(simple, seed: int = SEED):
    """Fruchterman-Reingold with a pull towards the centre and cut-off repulsion (numpy).

    Returns an (n, 2) array of positions, row i for the i-th node of ``simple``, scaled into
    [-1, 1]. The pull keeps separate components together instead of letting them drift apart.
    """
    import numpy as np

    n = simple.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    index = {node: i for i, node in enumerate(simple)}
    ends = np.array([(index[u], index[v]) for u, v in simple.edges()], dtype=np.intp)
    ends = ends.reshape(-1, 2)
    pos = np.random.default_rng(seed).uniform(-1, 1, (n, 2))
    k = 2 / math.sqrt(n)  # the ideal distance between nodes in a 2 x 2 square
    iterations = ITERATIONS if n <= LARGE else ITERATIONS_LARGE
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    near = min(NEIGHBOURS + 1, n)
    for step in range(iterations):
        _, idx = cKDTree(pos).query(pos, k=near, distance_upper_bound=CUTOFF * k)
        own = np.repeat(np.arange(n), near)
        other = idx.reshape(-1)
        keep = (other < n) & (other != own)
        own, other = own[keep], other[keep]
        d = pos[own] - pos[other]
        push = (k * k) / np.maximum((d * d).sum(axis=1), 1e-9)
        force = d * push[:, None]
        disp = np.zeros_like(pos)
        for axis in (0, 1):
            disp[:, axis] = np.bincount(own, force[:, axis], n)
        if len(ends):
            along = pos[ends[:, 0]] - pos[ends[:, 1]]
            pull = along * (np.sqrt((along * along).sum(axis=1)) / k)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(ends[:, 0], pull[:, axis], n)
                disp[:, axis] += np.bincount(ends[:, 1], pull[:, axis], n)
        disp -= GRAVITY * pos * (np.sqrt((pos * pos).sum(axis=1)) / k)[:, None]
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        limit = TEMPERATURE * (1 - step / iterations)
        pos += disp * (np.minimum(length, limit) / length)[:, None]
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)


def fit(unit: dict, radii: dict, width: float, height: float, margin: float) -> dict:
    """Positions scaled into a ``width`` x ``height`` canvas (``margin`` kept free on every
    side), then nudged until no two node discs (``radii``) touch; rounded to 0.1 px."""
    import numpy as np

    nodes = list(unit)
    if not nodes:
        return {}
    pos = np.array([unit[n] for n in nodes], dtype=float)
    r = np.array([radii[n] for n in nodes], dtype=float)
    low, high = pos.min(axis=0), pos.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    scale = min((width - 2 * margin) / span[0], (height - 2 * margin) / span[1])
    pos = (pos - low) * scale
    pos += (np.array([width, height]) - (high - low) * scale) / 2
    gap = 2.0
    for _ in range(SEPARATION_STEPS):
        i, j = _pairs(pos, 2 * r.max() + gap)
        d = pos[j] - pos[i]
        dist = np.sqrt((d * d).sum(axis=1))
        need = r[i] + r[j] + gap
        close = dist < need
        if not close.any():
            break
        i, j, d, dist, need = i[close], j[close], d[close], dist[close], need[close]
        same = dist < 1e-6
        d[same] = np.column_stack([np.cos(i[same] + 1.0), np.sin(i[same] + 1.0)])
        dist[same] = 1.0
        shift = d / dist[:, None] * ((need - dist) / 2)[:, None]
        moves = np.zeros_like(pos)
        for axis in (0, 1):
            moves[:, axis] = np.bincount(j, shift[:, axis], len(nodes)) - np.bincount(
                i, shift[:, axis], len(nodes)
            )
        pos += moves
    pos = np.clip(pos, margin / 2, [width - margin / 2, height - margin / 2])
    return {
        n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(nodes, pos, strict=True)
    }
