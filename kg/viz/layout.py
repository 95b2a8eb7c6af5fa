"""Node positions computed in Python, so the browser starts from a finished picture.

Positions come from a force-directed layout (Fruchterman-Reingold). On small graphs (up to
:data:`LARGE` nodes) repulsion is exact between all pairs; the layout is run from
:data:`TRIES` seeds, the one with the fewest edge crossings is kept, and a crossing-aware
refinement then moves single nodes (to the barycentre of their neighbours, or around their one
neighbour) wherever that removes crossings without crowding another node. On large graphs
repulsion acts only from a node's nearest neighbours within a cut-off radius, found with a k-d
tree refreshed every few steps: each step costs O(n log n) instead of O(n²). Small graphs' nodes
without links stand in columns at the right (:func:`park_isolated`). Fixed seeds make
the same graph give the same coordinates on every run. :func:`fit` then scales the positions
into the picture's canvas and pushes apart nodes whose discs would touch.

>>> import networkx as nx
>>> pos = positions(nx.path_graph(3))
>>> sorted(pos) == [0, 1, 2] and pos == positions(nx.path_graph(3))
True
>>> import numpy as np
>>> crossings(np.array([[0, 0], [1, 1], [0, 1], [1, 0]]), np.array([[0, 1], [2, 3]]))
1
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

SEED = 20250922
ITERATIONS, ITERATIONS_LARGE, LARGE = 150, 40, 500  # fewer steps for graphs above LARGE nodes
TEMPERATURE = 0.2  # the largest step a node may take, shrinking to 0 over the iterations
GRAVITY = 0.05  # pull towards the centre, relative to the springs
CUTOFF = 3.0  # repulsion acts within CUTOFF ideal distances (k) of a node
NEIGHBOURS = 16  # and from at most this many nearest nodes (bounds the work in dense cores)
REFRESH = 4  # large graphs: the nearest nodes are searched again every REFRESH steps
SEPARATION_STEPS = 30  # rounds of pushing apart touching discs after scaling
PAIR_BLOCK = 100_000  # candidate pairs of touching discs looked at together
SEPARATION_STEPS_LARGE = 10  # above LARGE nodes (discs that crowded do not all come apart)
TRIES = 6  # small graphs: seeds tried, the layout with the fewest crossings kept
UNTANGLE_PASSES = 3  # rounds of single-node moves that remove crossings
UNTANGLE_EDGES = 2000  # above this many edges the refinement is skipped (bounds the work)
CLEARANCE = 0.5  # a moved node keeps this many ideal distances (k) from every other node
RING = 12  # positions tried around a node's only neighbour


def positions(graph, simple=None) -> dict:
    """Each node's (x, y) in the unit square [-1, 1]², deterministic, from the simple graph
    (``simple``: ``kg.analysis.simple_graph(graph)`` when the caller has it already)."""
    from kg.analysis import simple_graph

    simple = simple_graph(graph) if simple is None else simple
    n = simple.number_of_nodes()
    if n == 0:
        return {}
    if n > LARGE:
        pos = force_layout(simple)
    else:
        ends = _ends(simple)
        tries = [force_layout(simple, SEED + i) for i in range(TRIES if len(ends) else 1)]
        pos = min(tries, key=lambda p: crossings(p, ends))
        if 0 < len(ends) <= UNTANGLE_EDGES:
            pos = untangle(pos, ends, simple)
        pos = park_isolated(pos, simple)
    return {node: (float(x), float(y)) for node, (x, y) in zip(simple, pos, strict=True)}


def park_isolated(pos, simple):
    """Nodes without links set in columns at the right of the others, so that they do not
    stretch the picture and crowd its connected part; a new array scaled into [-1, 1]."""
    alone = np.array([simple.degree(node) == 0 for node in simple])
    if alone.all() or not alone.any():
        return pos
    pos = pos.copy()
    low, high = pos[~alone].min(axis=0), pos[~alone].max(axis=0)
    span = np.maximum(high - low, 1e-9)
    rows = max(2, math.ceil(math.sqrt(len(simple)) * span[1] / max(span.max(), 1e-9)))
    step = span[1] / (rows - 1)
    for slot, row in enumerate(np.flatnonzero(alone)):
        column, place = divmod(slot, rows)
        pos[row] = (high[0] + span[0] * 0.12 + column * span[0] * 0.15, low[1] + place * step)
    pos -= (pos.min(axis=0) + pos.max(axis=0)) / 2
    return pos / max(np.abs(pos).max(), 1e-9)


def _ends(simple):
    """The (n_edges, 2) array of node rows joined by an edge, self-loops left out."""
    import numpy as np

    index = {node: i for i, node in enumerate(simple)}
    rows = [(index[u], index[v]) for u, v in simple.edges() if u != v]
    return np.array(rows, dtype=np.intp).reshape(-1, 2)


def _orient(p, q, r):
    return np.sign(
        (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1])
        - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
    )


def _cross(pos, first, second):
    """Whether edge ``first[i]`` crosses edge ``second[j]`` (boolean matrix); edges that share
    an end never count."""
    a, b = pos[first[:, 0]][:, None], pos[first[:, 1]][:, None]
    c, d = pos[second[:, 0]][None], pos[second[:, 1]][None]
    proper = (_orient(a, b, c) * _orient(a, b, d) < 0) & (_orient(c, d, a) * _orient(c, d, b) < 0)
    shared = (first[:, None, :, None] == second[None, :, None, :]).any(axis=(2, 3))
    return proper & ~shared


def crossings(pos, ends) -> int:
    """How many pairs of straight edges (``ends``: rows of node indices) cross at ``pos``."""
    if len(ends) < 2:
        return 0
    total = 0
    for start in range(0, len(ends), 512):  # bounded memory: 512 edges against all at a time
        total += int(_cross(pos, ends[start : start + 512], ends).sum())
    return total // 2


def untangle(pos, ends, simple):
    """Move single nodes where that lowers the number of crossings (see the module docstring);
    a node keeps :data:`CLEARANCE` ideal distances from every other. Returns a new array."""
    n = len(pos)
    pos = pos.copy()
    k = 2 / math.sqrt(n)
    incident = [np.flatnonzero((ends == i).any(axis=1)) for i in range(n)]
    neighbours = [np.unique(ends[rows].reshape(-1)) for rows in incident]
    neighbours = [nb[nb != i] for i, nb in enumerate(neighbours)]

    def cost(i: int) -> int:
        return int(_cross(pos, ends[incident[i]], ends).sum()) if len(incident[i]) else 0

    for _ in range(UNTANGLE_PASSES):
        moved = False
        own = [cost(i) for i in range(n)]
        for i in sorted(range(n), key=lambda i: (-own[i], i)):
            if own[i] == 0:
                continue
            here, best = pos[i].copy(), cost(i)
            if best == 0:
                continue
            choice = None
            for spot in _spots(pos, i, neighbours[i], k):
                others = np.delete(pos, i, axis=0)
                if np.sqrt(((others - spot) ** 2).sum(axis=1)).min() < CLEARANCE * k:
                    continue
                pos[i] = spot
                now = cost(i)
                if now < best:
                    best, choice = now, spot
                pos[i] = here
            if choice is not None:
                pos[i] = choice
                moved = True
        if not moved:
            break
    return pos


def _spots(pos, i: int, neighbours, k: float):
    """Places to try for node ``i``: around its only neighbour at the same distance; else the
    barycentre of its neighbours, half-way there, and a ring of radius ``k`` around it."""
    if len(neighbours) == 1:
        centre = pos[neighbours[0]]
        radius = max(float(np.sqrt(((pos[i] - centre) ** 2).sum())), k)
        angles = np.arange(RING) * (2 * math.pi / RING)
        return list(centre + radius * np.column_stack([np.cos(angles), np.sin(angles)]))
    centre = pos[neighbours].mean(axis=0)
    angles = np.arange(RING) * (2 * math.pi / RING)
    ring = centre + k * np.column_stack([np.cos(angles), np.sin(angles)])
    return [centre, (centre + pos[i]) / 2, *ring]


def _touching(pos, r, gap: float, i, j) -> tuple:
    """Of the pairs ``i``, ``j``: those whose discs (radii ``r``, ``gap`` apart) touch, with
    their offset, distance and the distance they need."""
    d = pos[j] - pos[i]
    dist = np.sqrt((d * d).sum(axis=1))
    need = r[i] + r[j] + gap
    close = dist < need
    return i[close], j[close], d[close], dist[close], need[close]


def _pairs(pos, radius: float):
    """Index pairs (i < j) of points closer than ``radius``, as two arrays (k-d tree)."""
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    found = cKDTree(pos).query_pairs(radius, output_type="ndarray")
    return found[:, 0], found[:, 1]


def force_layout(simple, seed: int = SEED):
    """Fruchterman-Reingold with a pull towards the centre (numpy): exact repulsion up to
    :data:`LARGE` nodes, cut-off repulsion from the nearest nodes above.

    Returns an (n, 2) array of positions, row i for the i-th node of ``simple``, scaled into
    [-1, 1]. The pull keeps separate components together instead of letting them drift apart.
    """
    n = simple.number_of_nodes()
    if n == 1:
        return np.zeros((1, 2))
    ends = _ends(simple)
    # single precision on large graphs halves the work; the same bits on every run either way
    pos: Any = np.random.default_rng(seed).uniform(-1, 1, (n, 2))
    if n > LARGE:
        pos = pos.astype(np.float32)
    k = 2 / math.sqrt(n)  # the ideal distance between nodes in a 2 x 2 square
    iterations = ITERATIONS if n <= LARGE else ITERATIONS_LARGE
    near = None
    for step in range(iterations):
        if n <= LARGE:
            d = pos[:, None, :] - pos[None, :, :]
        else:
            if step % REFRESH == 0:
                near = _nearest(pos, k)
            d = pos[:, None, :] - pos[near]
        d2 = np.einsum("ijk,ijk->ij", d, d)
        push = (k * k) / np.maximum(d2, 1e-9)
        push[d2 == 0] = 0  # a node itself, or a missing neighbour
        disp = np.einsum("ijk,ij->ik", d, push)
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
    pos = pos.astype(np.float64)
    pos -= pos.mean(axis=0)
    return pos / max(np.abs(pos).max(), 1e-9)


def _nearest(pos, k: float):
    """Each node's :data:`NEIGHBOURS` nearest nodes within :data:`CUTOFF` ``k`` (an (n, m)
    index array; the node itself where there are fewer)."""
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    n = len(pos)
    _, idx = cKDTree(pos).query(pos, k=min(NEIGHBOURS + 1, n), distance_upper_bound=CUTOFF * k)
    return np.where(idx < n, idx, np.arange(n)[:, None])


def fit(unit: dict, radii: dict, width: float, height: float, margin: float) -> dict:
    """Positions scaled into a ``width`` x ``height`` canvas (``margin`` kept free on every
    side), then nudged until no two node discs (``radii``) touch; rounded to 0.1 px."""
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
    for _ in range(SEPARATION_STEPS if len(nodes) <= LARGE else SEPARATION_STEPS_LARGE):
        i, j = _pairs(pos, 2 * r.max() + gap)
        # the candidate pairs a block at a time (each value is its own pair's: the same
        # numbers), keeping the touching ones; all at once, a crowded canvas of 100,000
        # nodes held about 1 GB of temporary arrays
        parts = [
            _touching(pos, r, gap, i[s : s + PAIR_BLOCK], j[s : s + PAIR_BLOCK])
            for s in range(0, len(i), PAIR_BLOCK)
        ]
        if not any(len(part[0]) for part in parts):
            break
        i, j, d, dist, need = (np.concatenate([part[k] for part in parts]) for k in range(5))
        del parts
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
