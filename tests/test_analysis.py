"""Paths, centrality and communities on the curated graph, against results checked by hand
from the seed files (each expectation says which records make it so)."""

from __future__ import annotations

import sys

import networkx as nx
import pytest

from kg.analysis import (
    EXACT_BETWEENNESS_NODES,
    centrality,
    centrality_scores,
    communities,
    shortest_paths,
    simple_graph,
    top_ranked,
)
from kg.errors import InputError, NotFoundError
from kg.network import to_networkx


@pytest.fixture(scope="module")
def graph(dataset):
    return to_networkx(dataset)


def texts(graph, a, b, **kw) -> list[str]:
    return [p.text() for p in shortest_paths(graph, a, b, **kw)]


def test_one_hop_in_the_relation_s_direction(graph):
    # organizations.yaml: gip owned_by blackrock
    assert texts(graph, "gip", "blackrock") == [
        "Global Infrastructure Partners —owned by→ BlackRock"
    ]
    # walked backwards, the arrow still points the way the relation does
    assert texts(graph, "blackrock", "gip") == [
        "BlackRock ←owned by— Global Infrastructure Partners"
    ]


def test_fink_to_nvidia_through_the_partnership(graph):
    # memberships.yaml: larry-fink CEO of blackrock; blackrock and nvidia members of aip. No
    # other neighbour of Fink (the MOU, its signing, the meeting, WEF) touches Nvidia's.
    # a002:17 adds a second path of the same length: the MOU may lead to joining the AIP
    paths = shortest_paths(graph, "larry-fink", "nvidia")
    assert len(paths) == 2
    (path,) = [p for p in paths if "CEO of" in p.text()]
    assert path.text() == (
        "Larry Fink —CEO of→ BlackRock —member of→ AI Infrastructure Partnership ←member of— Nvidia"
    )
    data = path.to_dict()
    assert [n["id"] for n in data["nodes"]] == ["larry-fink", "blackrock", "aip", "nvidia"]
    assert data["edges"][2] == {
        "source": "nvidia",
        "target": "aip",
        "predicate": "member",
        "label": "member of",
        "sources": ["a000:13", "a002:16"],
    }


def test_all_shortest_paths_are_listed(graph):
    # new-york-mou.yaml: Bae and Fink both signed the MOU and both attended its signing
    assert texts(graph, "bae-kyung-hoon", "larry-fink") == [
        "Bae Kyung-hoon ←signed by— BlackRock-Ministry of Science and ICT AI partnership MOU "
        "—signed by→ Larry Fink",
        "Bae Kyung-hoon ←attended by— Signing of the BlackRock-MSIT AI partnership MOU "
        "—attended by→ Larry Fink",
    ]
    assert len(texts(graph, "bae-kyung-hoon", "larry-fink", limit=1)) == 1


def test_no_path_within_max_hops(graph):
    with pytest.raises(NotFoundError, match="no path of at most 2 hops"):
        shortest_paths(graph, "jensen-huang", "larry-fink", max_hops=2)
    # Kong Duk-jo and his institute are linked to nothing else (memberships.yaml only)
    with pytest.raises(NotFoundError, match="no path"):
        shortest_paths(graph, "kong-duk-jo", "blackrock")
    with pytest.raises(InputError):
        shortest_paths(graph, "gip", "blackrock", max_hops=0)


def test_a_path_from_an_entity_to_itself_is_an_input_error(graph):
    with pytest.raises(InputError, match="two different entities, not BlackRock twice"):
        shortest_paths(graph, "blackrock", "blackrock")


def test_the_simple_graph_is_the_same_whatever_order_the_edges_came_in(graph):
    import networkx as nx

    simple = simple_graph(graph)
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    again = simple_graph(shuffled)
    assert list(again.nodes(data=True)) == list(simple.nodes(data=True))
    assert list(again.edges()) == list(simple.edges())
    assert not any(u == v for u, v in simple.edges())  # no self-loops
    assert simple.number_of_edges() == len({frozenset(e) for e in graph.edges() if e[0] != e[1]})


def test_articles_are_not_steps(graph):
    assert not [n for n in graph if n.startswith("source/") or n.startswith("claim/")]


# South Korea's 24 neighbours, from grep south-korea seeds/*.yaml less the statements
SOUTH_KOREA = {
    "ai-highway",
    "ai-investment-kr",
    "air-liquide-gas-expansion",
    "air-liquide-gases",
    "amkor-back-end-expansion",
    "amkor-expansion",
    "aws-korea-cloud",
    "aws-korea-cloud-expansion",
    "blackrock-korea-ai-dc-hub",
    "blackrock-korea-investment",
    "busan",
    "corning-advanced-materials",
    "corning-materials",
    "gov-kr",
    "huang-korea-visit",
    "hyundai-motor",
    "north-gyeongsang",
    "pohang",
    "samsung-electronics",
    "seven-firms-fdi",
    "seven-firms-package",
    "ulsan",
    "umicore-cathode",
    "umicore-cathode-expansion",
}


def test_degree_counts_distinct_neighbours(graph):
    top = centrality(graph, "degree", top=200)
    degree = {r.id: r.score for r in top}
    assert top[0].id == "south-korea" and top[0].score == len(SOUTH_KOREA)
    assert degree["gip"] == 3  # owned by BlackRock, in the AIP, chaired by Ogunlesi
    assert degree["larry-fink"] == 5  # BlackRock, WEF (two titles, one link), MOU, signing,
    #                                    meeting
    assert degree["aip"] == 7  # its six members, and the MOU that may lead to joining it
    assert degree["ulsan-ai-data-center"] == 6  # AWS, SK, Ulsan, two commitments, interview


def test_class_filter_and_top(graph):
    people = centrality(graph, "degree", cls="Person", top=3)
    assert [r.id for r in people] == ["lee-jae-myung", "larry-fink", "bae-kyung-hoon"]
    assert [r.rank for r in people] == [1, 2, 3]
    assert all(r.kind in ("Person", "Official") for r in people)
    investors = centrality(graph, "degree", cls="investor", top=50)
    assert {r.id for r in investors} >= {"blackrock", "aws", "sk-group", "gov-kr"}
    with pytest.raises(NotFoundError):
        centrality(graph, "degree", cls="Spaceship")
    with pytest.raises(InputError):
        centrality(graph, "closeness")


def test_betweenness_of_leaves_and_of_the_partnership(graph):
    scores = {r.id: r.score for r in centrality(graph, "betweenness", top=500)}
    n = graph.number_of_nodes()
    # leaves (MGX, Microsoft, xAI only belong to the AIP; KCCI only has Chey as chairman)
    # lie on no shortest path
    assert scores["mgx"] == scores["microsoft"] == scores["xai"] == scores["kcci"] == 0
    # every path from those three leaves to the rest of the main component passes the AIP
    main = n - 5  # less asia, asia-pacific, bloomberg, gist and kong-duk-jo
    through = 3 * (main - 4) + 3
    assert scores["aip"] >= through / ((n - 1) * (n - 2) / 2)


def test_pagerank_and_eigenvector(graph):
    ranks = centrality(graph, "pagerank", top=500)
    assert sum(r.score for r in ranks) == pytest.approx(1.0)
    vector = {r.id: r.score for r in centrality(graph, "eigenvector", top=500)}
    for cut_off in ("bloomberg", "gist", "kong-duk-jo"):  # outside the main component
        assert vector[cut_off] == pytest.approx(0, abs=1e-6)
    assert vector["south-korea"] > vector["gip"] > 0


def test_communities_partition_the_graph(graph):
    found = communities(graph)
    members = [m.id for c in found for m in c.members]
    assert sorted(members) == sorted(graph.nodes)
    groups = [{m.id for m in c.members} for c in found]
    assert {"gist", "kong-duk-jo"} in groups  # a component of its own
    assert {"bloomberg"} in groups and {"asia"} in groups
    assert [c.size for c in found] == sorted((c.size for c in found), reverse=True)
    big = next(c for c in found if "aip" in {m.id for m in c.members})
    assert {"mgx", "microsoft", "xai"} <= {m.id for m in big.members}


def hide_accelerators(monkeypatch) -> None:
    """Hide igraph and networkit, as on an install without the ``fast`` extra."""
    for module in ("igraph", "networkit"):
        monkeypatch.setitem(sys.modules, module, None)


def test_accelerated_and_pure_networkx_centrality_agree(graph, monkeypatch):
    pytest.importorskip("igraph")
    pytest.importorskip("networkit")
    fast = {m: centrality_scores(graph, m) for m in ("pagerank", "betweenness")}
    hide_accelerators(monkeypatch)
    for measure, tolerance in (("pagerank", 1e-6), ("betweenness", 1e-9)):
        pure = centrality_scores(graph, measure)
        assert pure.keys() == fast[measure].keys() == set(graph)
        assert max(abs(pure[n] - fast[measure][n]) for n in pure) < tolerance, measure
    # the curated graph is small enough for exact betweenness: networkx's own figures
    exact = nx.betweenness_centrality(simple_graph(graph))
    assert max(abs(exact[n] - fast["betweenness"][n]) for n in exact) < 1e-9


def caterpillar(leaves: list[int]) -> nx.MultiDiGraph:
    """Hubs h0, h1, ... in a row, hub i with ``leaves[i]`` leaves of its own."""
    graph = nx.MultiDiGraph()
    for i, count in enumerate(leaves):
        graph.add_edges_from((f"h{i}", f"h{i}-{j}") for j in range(count))
        if i:
            graph.add_edge(f"h{i - 1}", f"h{i}")
    nx.set_node_attributes(graph, {n: {"label": n, "class": "Thing"} for n in graph})
    return graph


def tree_betweenness(graph, node) -> float:
    """Exact normalised betweenness of ``node`` in a tree: the pairs of nodes it separates."""
    rest = graph.to_undirected()
    rest.remove_node(node)
    sizes = [len(c) for c in nx.connected_components(rest)]
    n = len(graph)
    pairs = (sum(sizes) ** 2 - sum(s * s for s in sizes)) / 2
    return pairs / ((n - 1) * (n - 2) / 2)


@pytest.mark.parametrize("engine", ["accelerated", "networkx"])
def test_betweenness_beyond_the_exact_limit_is_sampled_and_finds_the_hubs(engine, monkeypatch):
    if engine == "accelerated":
        pytest.importorskip("networkit")
    else:
        hide_accelerators(monkeypatch)
    graph = caterpillar([300, 700, 500, 600, 400])
    assert len(graph) > EXACT_BETWEENNESS_NODES
    scores = centrality_scores(graph, "betweenness")
    assert scores == centrality_scores(graph, "betweenness")  # seeded: the same every run
    hubs = [f"h{i}" for i in range(5)]
    exact = {h: tree_betweenness(graph, h) for h in hubs}
    assert sorted(hubs, key=lambda h: -scores[h]) == sorted(hubs, key=lambda h: -exact[h])
    assert max(abs(scores[h] - exact[h]) for h in hubs) < 0.05


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e4])
def test_top_ranked_is_the_full_sort_of_rounded_scores(scale):
    """The top is chosen among nodes near the top-th score only: the same as sorting all
    nodes by (rounded score, id), on scores with many ties, near ties within the rounding and
    values at very different scales."""
    import random

    from kg.analysis import TIE_DIGITS

    rng = random.Random(3)
    base = [rng.choice([1.0, 0.5, 0.25, rng.random() / 4]) * scale for _ in range(2_000)]
    scores = {f"n{i:04d}": v + rng.choice([0.0, 1e-13, -1e-13, 4e-13]) for i, v in enumerate(base)}
    nodes = sorted(scores, key=lambda n: rng.random())
    for top in (1, 3, 10, 50, 2_000, 3_000):
        want = sorted(nodes, key=lambda n: (-round(scores[n], TIE_DIGITS), n))[:top]
        assert top_ranked(scores, nodes, None, top) == want
