"""Graph analysis on the networkx projection (:func:`kg.network.to_networkx`): paths, centrality
and communities.

Paths and measures treat the graph as undirected (a relation links two entities whichever way
it points), but a path is printed with each relation in its real direction::

    Larry Fink —CEO of→ BlackRock —member of→ AI Infrastructure Partnership
    Larry Fink ←attended by— Meeting of Lee Jae Myung and Larry Fink in New York

>>> from kg.build import build_dataset
>>> from kg.network import to_networkx
>>> graph = to_networkx(build_dataset())
>>> shortest_paths(graph, "gip", "blackrock")[0].text()
'Global Infrastructure Partners —owned by→ BlackRock'
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import InputError, NotFoundError

if TYPE_CHECKING:  # kg.model is not on the start-up path of every command
    from kg.model import Community, Ranked

MEASURES = ("degree", "betweenness", "pagerank", "eigenvector")
DEFAULT_MAX_HOPS = 6
PAGERANK_DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-10
# Betweenness: exact up to this many nodes (networkx takes about 15 s there, networkit well
# under one); beyond, estimated from this many sampled sources, seeded for repeatable answers.
# On a generated graph of 1,099 nodes, 256 samples came within 0.011 of every exact score
# (mean error 0.0007) and found 16 of the exact top 20 (bench/RESULTS.md).
EXACT_BETWEENNESS_NODES = 2_000
BETWEENNESS_SAMPLES = 256
BETWEENNESS_SEED = 7
TIE_DIGITS = 12  # scores are compared to this many decimals when ranking


@dataclass(frozen=True)
class Step:
    """One relation on a path: it runs ``source -> target`` in the graph; ``forward`` tells
    whether the path walks it that way."""

    source: str
    target: str
    predicate: str
    label: str
    forward: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    """A path between two entities: node ids, node labels and one step per hop."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    steps: tuple[Step, ...]

    def text(self) -> str:
        """The path as a readable chain, each arrow the way its relation points."""
        parts = [self.labels[0]]
        for step, label in zip(self.steps, self.labels[1:], strict=True):
            arrow = f" —{step.label}→ " if step.forward else f" ←{step.label}— "
            parts.append(arrow + label)
        return "".join(parts)

    def to_dict(self) -> dict:
        """Nodes and edges as plain data (edges in their real direction)."""
        return {
            "text": self.text(),
            "hops": len(self.steps),
            "nodes": [
                {"id": n, "label": lbl} for n, lbl in zip(self.nodes, self.labels, strict=True)
            ],
            "edges": [
                {
                    "source": s.source,
                    "target": s.target,
                    "predicate": s.predicate,
                    "label": s.label,
                    "sources": list(s.sources),
                }
                for s in self.steps
            ],
        }


def _step(graph, u: str, v: str) -> Step:
    """The relation linking consecutive path nodes ``u`` and ``v``: the first of those
    pointing ``u -> v`` (by predicate), else the first pointing ``v -> u``."""
    for forward, (a, b) in ((True, (u, v)), (False, (v, u))):
        data = graph.get_edge_data(a, b)
        if data:
            edge = data[sorted(data)[0]]
            return Step(
                a,
                b,
                edge["predicate"],
                edge["label"],
                forward,
                tuple(edge.get("sources", "").split()),
            )
    raise AssertionError(f"no edge between {u} and {v}")


def shortest_paths(
    graph, source: str, target: str, max_hops: int = DEFAULT_MAX_HOPS, limit: int = 10
) -> list[Path]:
    """The shortest paths (at most ``limit``) between two node ids, none longer than
    ``max_hops``; raise NotFoundError when there is none."""
    import networkx as nx

    for node in (source, target):
        if node not in graph:
            raise NotFoundError(f"'{node}' is not a node of the graph")
    if source == target:
        raise InputError(
            f"a path needs two different entities, not {graph.nodes[source]['label']} twice"
        )
    if max_hops < 1:
        raise InputError("--max-hops must be at least 1")
    undirected = graph.to_undirected(as_view=True)
    found = []
    try:
        for nodes in nx.all_shortest_paths(undirected, source, target):
            if len(nodes) - 1 > max_hops:
                break
            found.append(nodes)
            if len(found) >= limit:
                break
    except nx.NetworkXNoPath:
        pass
    if not found:
        a, b = graph.nodes[source]["label"], graph.nodes[target]["label"]
        raise NotFoundError(f"no path of at most {max_hops} hops between {a} and {b}")
    paths = [
        Path(
            tuple(nodes),
            tuple(graph.nodes[n]["label"] for n in nodes),
            tuple(_step(graph, u, v) for u, v in zip(nodes, nodes[1:], strict=False)),
        )
        for nodes in found
    ]
    return sorted(paths, key=lambda p: p.labels)


def simple_graph(graph):
    """The projection as a simple undirected graph: one link per related pair, no self-loops,
    nodes (with their attributes) and links added in sorted order, so that whatever depends on
    the order (a layout, ties between communities) comes out the same on every run.

    >>> import networkx as nx
    >>> sorted(simple_graph(nx.MultiDiGraph([(2, 1), (1, 2), (1, 1), (3, 1)])).edges())
    [(1, 2), (1, 3)]
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes(data=True), key=lambda node: str(node[0])))
    simple.add_edges_from(
        sorted({tuple(sorted((u, v), key=str)) for u, v in graph.edges() if u != v}, key=str)
    )
    return simple


def _in_class(data: dict, cls: str) -> bool:
    """Whether a node's class, group or any of its types is ``cls`` (any letter case)."""
    wanted = cls.casefold()
    names = {data.get("class", ""), data.get("group", ""), *data.get("types", "").split()}
    return wanted in {n.casefold() for n in names}


def centrality_scores(graph, measure: str = "degree") -> dict[str, float]:
    """Every node's score by a centrality measure on the undirected simple graph: ``degree``
    counts distinct neighbours; ``pagerank`` (damping 0.85) and ``betweenness`` (normalised)
    are computed by igraph and networkit when they are installed (the ``fast`` extra), by
    networkx otherwise, with the same results; ``eigenvector`` is networkx's.

    Betweenness is exact up to :data:`EXACT_BETWEENNESS_NODES` nodes and estimated from
    :data:`BETWEENNESS_SAMPLES` sampled sources (fixed seed) beyond, where exact betweenness
    (a shortest-path search from every node) stops being affordable.

    >>> import networkx as nx
    >>> scores = centrality_scores(nx.MultiDiGraph([("a", "b"), ("b", "c")]), "betweenness")
    >>> {n: round(s, 6) for n, s in scores.items()}
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    import networkx as nx

    if measure not in MEASURES:
        raise InputError(f"unknown measure '{measure}' (known: {', '.join(MEASURES)})")
    if measure == "eigenvector":
        return nx.eigenvector_centrality(simple_graph(graph), max_iter=1000)
    links = edge_list(graph)
    if measure == "degree":
        return _degree(links)
    if measure == "betweenness":
        return _betweenness(links, graph)
    return _pagerank(links, graph)


def edge_list(graph) -> tuple[list, list[tuple[int, int]]]:
    """The nodes and links of :func:`simple_graph` (same order) without building it: nodes
    sorted, links as pairs of node positions, which is what igraph and networkit are given.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph([(2, 1), (1, 2), (1, 1), (3, 1)])
    >>> edge_list(g) == _edge_list(simple_graph(g))
    True
    """
    nodes = sorted(graph.nodes, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({tuple(sorted((u, v), key=str)) for u, v in graph.edges() if u != v}, key=str)
    adjacency: list[list[int]] = [[] for _ in nodes]
    for u, v in pairs:
        adjacency[index[u]].append(index[v])
        adjacency[index[v]].append(index[u])
    return nodes, _ordered_links(adjacency)


def _ordered_links(adjacency: list[list[int]]) -> list[tuple[int, int]]:
    """Links in networkx's order: by node, then by when each neighbour was linked."""
    seen = [False] * len(adjacency)
    links: list[tuple[int, int]] = []
    for i, near in enumerate(adjacency):
        links.extend((i, j) for j in near if not seen[j])
        seen[i] = True
    return links


def _edge_list(simple) -> tuple[list, list[tuple[int, int]]]:
    """A simple graph's nodes (in order) and its links as pairs of node positions."""
    nodes = list(simple)
    index = {node: i for i, node in enumerate(nodes)}
    return nodes, [(index[u], index[v]) for u, v in simple.edges()]


def _degree(links: tuple[list, Iterable[tuple[int, int]]]) -> dict[str, float]:
    nodes, edges = links
    counts = [0] * len(nodes)
    for u, v in edges:
        counts[u] += 1
        counts[v] += 1
    return dict(zip(nodes, counts, strict=True))


def _pagerank(links, graph) -> dict[str, float]:
    """PageRank with damping 0.85: igraph's (PRPACK) if installed, else networkx's."""
    try:
        import igraph
    except ImportError:
        import networkx as nx

        # networkx's default tolerance (1e-6) stops up to 6e-6 short of the exact ranks that
        # igraph's solver gives on the curated graph; this one agrees with it to 1e-8
        return nx.pagerank(simple_graph(graph), alpha=PAGERANK_DAMPING, tol=PAGERANK_TOLERANCE)
    nodes, edges = links
    ranks = igraph.Graph(n=len(nodes), edges=edges, directed=False).pagerank(
        damping=PAGERANK_DAMPING, directed=False
    )
    return dict(zip(nodes, ranks, strict=True))


def _betweenness(links, graph) -> dict[str, float]:
    """Normalised betweenness (networkx's ``normalized=True`` scale): exact up to
    :data:`EXACT_BETWEENNESS_NODES` nodes, sampled from :data:`BETWEENNESS_SAMPLES` sources
    beyond; networkit's if installed, else networkx's."""
    sampled = len(links[0]) > EXACT_BETWEENNESS_NODES
    try:
        import networkit
    except ImportError:
        import networkx as nx

        return nx.betweenness_centrality(
            simple_graph(graph),
            k=BETWEENNESS_SAMPLES if sampled else None,
            seed=BETWEENNESS_SEED if sampled else None,
        )
    nodes, edges = links
    nk_graph = networkit.Graph(len(nodes), weighted=False, directed=False)
    for u, v in edges:
        nk_graph.addEdge(u, v)
    if sampled:
        networkit.engineering.setSeed(BETWEENNESS_SEED, False)
        algorithm = networkit.centrality.EstimateBetweenness(
            nk_graph, BETWEENNESS_SAMPLES, normalized=True, parallel=False
        )
    else:
        algorithm = networkit.centrality.Betweenness(nk_graph, normalized=True)
    algorithm.run()
    return dict(zip(nodes, algorithm.scores(), strict=True))


def top_ranked(scores: dict, nodes: list, cls: str | None, top: int) -> list:
    """The ``top`` of ``nodes`` (those of class ``cls``) by score; scores equal but for
    floating-point noise (nodes placed alike) tie, then go by id.

    >>> top_ranked({"a": 1.0, "b": 1.0 + 1e-15, "c": 2.0}, ["a", "b", "c"], None, 2)
    ['c', 'a']
    """
    if cls is not None and not nodes:
        raise NotFoundError(f"no node of class '{cls}'")
    if top <= 0 or not nodes:
        return []
    # only nodes within rounding of the top-th best score can rank: order just those
    # (|round(x) - x| <= half a tie digit plus an ulp, so the margin keeps every one)
    floor = heapq.nlargest(top, (scores[n] for n in nodes))[-1]
    floor -= 2 * 10.0**-TIE_DIGITS + 4 * math.ulp(floor)
    near = [n for n in nodes if scores[n] >= floor]
    return sorted(near, key=lambda n: (-round(scores[n], TIE_DIGITS), n))[:top]


def centrality(
    graph, measure: str = "degree", cls: str | None = None, top: int = 10
) -> list[Ranked]:
    """The ``top`` nodes by a centrality measure, computed on the whole graph and then
    filtered by class (see :func:`centrality_scores`). Equal scores rank by id.
    """
    from kg.model import Ranked

    scores = centrality_scores(graph, measure)
    nodes = [n for n, data in graph.nodes(data=True) if cls is None or _in_class(data, cls)]
    ranked = top_ranked(scores, nodes, cls, top)
    return [
        Ranked(i, n, graph.nodes[n]["label"], graph.nodes[n]["class"], scores[n])
        for i, n in enumerate(ranked, 1)
    ]


def communities(graph) -> list[Community]:
    """Groups of entities more linked to each other than to the rest (greedy modularity,
    deterministic), largest first; each named after its best-connected member.
    """
    import networkx as nx

    from kg.model import Community, EntityBrief

    simple = simple_graph(graph)
    found = nx.community.greedy_modularity_communities(simple)
    degree = dict(simple.degree())
    out = []
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    for number, members in enumerate(ordered, 1):
        ranked = [
            EntityBrief(n, simple.nodes[n]["label"], simple.nodes[n]["class"])
            for n in sorted(members, key=lambda n: (-degree[n], n))
        ]
        out.append(Community(number, len(ranked), ranked[0], tuple(ranked)))
    return out
