"""One benchmark measurement per process: ``python bench/tasks.py TASK ARGS...``.

Each task prints one JSON object per line on stdout (flushed, so a task stopped by its time limit
still reports what it finished). Times are measured inside the process with ``perf_counter``,
after imports, so they compare the work itself; :mod:`run` adds wall time and peak memory of the
whole process.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

# The four reference queries. ``kg`` runs them with bindings (how its commands run queries);
# raw pyoxigraph and rdflib run the same text with the values written in.
QUERIES = {
    "attendees": (
        "SELECT ?person ?label WHERE { ?event kg:attendee ?person . "
        "?person skos:prefLabel ?label }",
        {"event": ("iri", "event")},
    ),
    "usd_per_investor": (
        "SELECT ?investor (SUM(?usd) AS ?total) WHERE { ?c kg:investor ?investor ; "
        "kg:amount ?m . ?m kg:valueUsd ?usd } GROUP BY ?investor ORDER BY DESC(?total) ?investor",
        {},
    ),
    "reachable_orgs": (
        "SELECT DISTINCT ?org WHERE { ?start (^kg:investor/kg:target/kg:partner"
        "|^kg:partner/^kg:target/kg:investor)+ ?org }",
        {"start": ("iri", "investor")},
    ),
    "label_search": (
        "SELECT ?entity ?label WHERE { ?entity skos:prefLabel ?label "
        "FILTER(CONTAINS(LCASE(STR(?label)), ?needle)) }",
        {"needle": ("literal", "needle")},
    ),
}


def query_values(units: int) -> dict[str, str]:
    """The entity each parameterised query is about: ones in the middle of the graph."""
    tag = f"{units // 2:06d}"
    return {
        "event": f"https://w3id.org/korea-ai-kg/id/event-{tag}",
        "investor": f"https://w3id.org/korea-ai-kg/id/investor-{tag}",
        "needle": f"investor {tag[:-1]}",
    }


def _inline(name: str, units: int) -> str:
    """The query with its values written in (as a VALUES block), for the raw engines."""
    from kg.store import with_values

    text, params = QUERIES[name]
    values = query_values(units)
    return with_values(text, {var: _term(kind, values[key]) for var, (kind, key) in params.items()})


def _term(kind: str, value: str):
    from rdflib import Literal, URIRef

    return URIRef(value) if kind == "iri" else Literal(value)


def _prologue() -> str:
    from kg.vocab import PREFIXES

    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def emit(**data) -> None:
    print(json.dumps(data), flush=True)


def timed(fn, runs: int) -> tuple[float, int]:
    """Median seconds of ``runs`` calls of ``fn`` and the size of its last answer."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


# ----------------------------------------------------------------------------- loads


def load_kg(nt: str, folder: str) -> None:
    from kg.store import write_oxigraph

    start = time.perf_counter()
    count = write_oxigraph(folder, nt)
    emit(seconds=time.perf_counter() - start, quads=count)


def load_pyoxigraph(nt: str, folder: str) -> None:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(folder)
    store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    emit(seconds=time.perf_counter() - start, quads=len(store))


def load_rdflib(nt: str) -> None:
    from rdflib import Graph

    start = time.perf_counter()
    graph = Graph()
    graph.parse(nt, format="nt")
    emit(seconds=time.perf_counter() - start, quads=len(graph))


# ----------------------------------------------------------------------------- queries


def alternately(fns: list, runs: int, budget: float = 1.0) -> tuple[list[float], list[int]]:
    """Median seconds of each of ``fns``, called in turn (at least ``runs`` rounds, more while
    under ``budget`` seconds, at most 200), so that load from elsewhere weighs on all alike;
    and the size of each one's last answer."""
    times: list[list[float]] = [[] for _ in fns]
    sizes = [0] * len(fns)
    start, rounds = time.perf_counter(), 0
    while rounds < runs or (time.perf_counter() - start < budget and rounds < 200):
        for i, fn in enumerate(fns):
            began = time.perf_counter()
            sizes[i] = fn()
            times[i].append(time.perf_counter() - began)
        rounds += 1
    return [statistics.median(t) for t in times], sizes


def queries_oxigraph(folder: str, units: str, runs: str) -> None:
    """The queries through kg (``OxigraphStore.query`` with bindings, rdflib terms out) and
    through raw pyoxigraph (values written in, every row read), in turn on the same store."""
    import pyoxigraph as ox

    from kg.store import open_store

    store = open_store(f"oxigraph:{folder}")
    raw = ox.Store.read_only(folder)
    values = query_values(int(units))
    for name, (text, params) in QUERIES.items():
        bindings = {var: _term(kind, values[key]) for var, (kind, key) in params.items()}
        inline = _prologue() + _inline(name, int(units))

        def through_kg(t=text, b=bindings):
            return len(store.query(t, b).rows)

        def through_raw(q=inline):
            return len([tuple(sol) for sol in raw.query(q, use_default_graph_as_union=True)])

        (kg_s, raw_s), (kg_rows, raw_rows) = alternately([through_kg, through_raw], int(runs))
        emit(query=name, engine="kg", seconds=kg_s, rows=kg_rows)
        emit(query=name, engine="pyoxigraph", seconds=raw_s, rows=raw_rows)


def queries_rdflib(nt: str, units: str, runs: str) -> None:
    from rdflib import Graph

    graph = Graph()
    graph.parse(nt, format="nt")
    for name in QUERIES:
        text = _prologue() + _inline(name, int(units))
        try:
            seconds, rows = timed(lambda t=text: len(list(graph.query(t))), int(runs))
        except RecursionError:  # rdflib evaluates property paths recursively
            emit(query=name, error="RecursionError")
            continue
        emit(query=name, seconds=seconds, rows=rows)


# ----------------------------------------------------------------------------- graph analysis


def project(folder: str, pickle_to: str) -> None:
    """kg's networkx projection of an oxigraph store, saved for the centrality tasks."""
    import pickle

    from kg.network import to_networkx
    from kg.store import open_store

    start = time.perf_counter()
    dataset = open_store(f"oxigraph:{folder}").dataset()
    loaded = time.perf_counter()
    graph = to_networkx(dataset)
    done = time.perf_counter()
    Path(pickle_to).write_bytes(pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL))
    emit(
        dataset_seconds=loaded - start,
        projection_seconds=done - loaded,
        seconds=done - start,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
    )


def _load_graph(path: str):
    import pickle

    return pickle.loads(Path(path).read_bytes())


def _simple(path: str):
    """The graph kg's centrality measures use: undirected, one link per related pair."""
    import networkx as nx

    graph = nx.Graph(_load_graph(path))
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return graph


def _warm(fn) -> None:
    """Run ``fn`` once on a tiny graph first: lazy imports and first-call set-up (scipy,
    igraph's solver) are not what the timings compare."""
    import networkx as nx

    graph = nx.path_graph(8, create_using=nx.MultiDiGraph)
    nx.set_node_attributes(
        graph,
        {n: {"label": str(n), "class": "Thing", "group": "Thing", "types": "Thing"} for n in graph},
    )
    fn(graph)


def _kg_centrality(graph, measure: str) -> list:
    """``kg.analysis.centrality`` (what ``kg central`` runs): the top 10 by ``measure``."""
    from kg.analysis import centrality

    return centrality(graph, measure, top=10)


def _accelerated(module: str) -> bool:
    """Whether kg's centrality found ``module`` (igraph, networkit) to compute with."""
    import importlib.util

    return importlib.util.find_spec(module) is not None


def pagerank_kg(path: str) -> None:
    graph = _load_graph(path)
    _warm(lambda g: _kg_centrality(g, "pagerank"))
    start = time.perf_counter()
    top = _kg_centrality(graph, "pagerank")
    emit(seconds=time.perf_counter() - start, top=top[0].id, igraph=_accelerated("igraph"))


def pagerank_networkx(path: str) -> None:
    import networkx as nx

    graph = _simple(path)
    _warm(lambda g: nx.pagerank(nx.Graph(g)))
    start = time.perf_counter()
    ranks = nx.pagerank(graph)
    emit(seconds=time.perf_counter() - start, nodes=len(ranks))


def pagerank_igraph(path: str) -> None:
    import igraph as ig

    graph = ig.Graph.from_networkx(_simple(path))
    _warm(lambda g: ig.Graph.from_networkx(g).pagerank(directed=False))
    start = time.perf_counter()
    ranks = graph.pagerank(directed=False)
    emit(seconds=time.perf_counter() - start, nodes=len(ranks))


def pagerank_store(folder: str, runs: str) -> None:
    """PageRank as ``kg central`` runs it on an oxigraph store (the link list kept beside the
    store, :mod:`kg.linkfile`, then igraph) against igraph's PageRank alone on the same graph
    built beforehand, taking turns in one process; the list's read on its own; and, once, the
    scan of the quads that a store without a list falls back to."""
    import igraph as ig

    from kg import linkfile
    from kg.links import store_centrality
    from kg.store import PyoxigraphStore, open_store

    store = open_store(f"oxigraph:{folder}")
    found = store.links()
    graph = ig.Graph(n=len(found.ids), edges=found.pairs(), directed=False)
    graph.pagerank(directed=False)

    def through_kg():
        return len(store_centrality(store, "pagerank", None, 10) or [])

    def igraph_alone():
        return len(graph.pagerank(damping=0.85, directed=False))

    def read_list():
        return len(linkfile.read(folder, linkfile.fingerprint(folder)).ids)

    (kg_s, ig_s, read_s), _ = alternately([through_kg, igraph_alone, read_list], int(runs))
    start = time.perf_counter()
    scanned = PyoxigraphStore.links(store)  # the quads' own links, as without a list
    scan_s = time.perf_counter() - start
    emit(
        seconds=kg_s,
        igraph_seconds=ig_s,
        ratio=kg_s / ig_s,
        list_seconds=read_s,
        scan_seconds=scan_s,
        same_as_scan=scanned.links.tolist() == found.links.tolist() and scanned.ids == found.ids,
        nodes=len(found.ids),
        edges=len(found.links),
    )


def betweenness_kg(path: str) -> None:
    from kg.analysis import EXACT_BETWEENNESS_NODES

    graph = _load_graph(path)
    _warm(lambda g: _kg_centrality(g, "betweenness"))
    start = time.perf_counter()
    top = _kg_centrality(graph, "betweenness")
    emit(
        seconds=time.perf_counter() - start,
        top=top[0].id,
        sampled=len(graph) > EXACT_BETWEENNESS_NODES,
        networkit=_accelerated("networkit"),
    )


def betweenness_networkx(path: str, k: str, save_to: str = "") -> None:
    import networkx as nx

    graph = _simple(path)
    _warm(lambda g: nx.betweenness_centrality(nx.Graph(g), k=4, seed=7))
    start = time.perf_counter()
    scores = nx.betweenness_centrality(graph, k=min(int(k), len(graph)) or None, seed=7)
    emit(seconds=time.perf_counter() - start, nodes=len(scores))
    if save_to:
        Path(save_to).write_text(json.dumps(scores))


def betweenness_networkit(path: str, k: str) -> None:
    import networkit as nk
    import networkx as nx

    graph = nk.nxadapter.nx2nk(_simple(path))
    _warm(
        lambda g: nk.centrality.EstimateBetweenness(
            nk.nxadapter.nx2nk(nx.Graph(g)), 4, True, False
        ).run()
    )
    start = time.perf_counter()
    algo = nk.centrality.EstimateBetweenness(graph, int(k), True, False)
    algo.run()
    emit(seconds=time.perf_counter() - start, nodes=len(algo.scores()))


def betweenness_error(path: str, k: str, exact_json: str) -> None:
    """How far sampled betweenness (networkx, ``k`` sources) is from the exact one: largest and
    mean absolute error of the normalised scores, and the overlap of the top 20."""
    import networkx as nx

    exact = json.loads(Path(exact_json).read_text())
    graph = _simple(path)
    sampled = nx.betweenness_centrality(graph, k=min(int(k), len(graph)), seed=7)
    errors = [abs(sampled[n] - exact[n]) for n in exact]
    top = {n for n, _ in sorted(exact.items(), key=lambda kv: -kv[1])[:20]}
    top_s = {n for n, _ in sorted(sampled.items(), key=lambda kv: -kv[1])[:20]}
    emit(
        max_error=max(errors),
        mean_error=sum(errors) / len(errors),
        top20_overlap=len(top & top_s) / 20,
    )


# ----------------------------------------------------------------------------- pictures

WRAPPER = """<!doctype html><meta charset="utf-8"><title>bench</title>
<iframe id="f" src="/page.html" style="width:1200px;height:760px"></iframe>
<script>
const start = performance.now();
function poll() {
  const doc = document.getElementById("f").contentDocument;
  if (doc && doc.querySelector('[data-state="ready"]')) {
    fetch("/done?ms=" + (performance.now() - start));
  } else {
    setTimeout(poll, 5);
  }
}
poll();
</script>
"""


def viz_page(path: str, nodes: str, html_out: str) -> None:
    """kg's page for a ``nodes``-node view: the nodes nearest the best-connected one."""
    import networkx as nx

    from kg.viz.page import render_graph, write_page

    graph = _load_graph(path)
    hub = max(graph.nodes, key=graph.degree)
    near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), hub)
    keep = sorted(near, key=lambda n: (near[n], n))[: int(nodes)]
    view = graph.subgraph(keep).copy()
    start = time.perf_counter()
    page = render_graph(view, title=f"{len(view)} nodes")
    write_page(page, html_out)
    emit(seconds=time.perf_counter() - start, nodes=page.nodes, edges=page.edges)


def viz_ready(html_path: str) -> None:
    """Seconds from loading the page in headless Chromium until it reports it has drawn."""
    import http.server
    import shutil
    import subprocess
    import tempfile
    import threading

    page = Path(html_path).read_bytes()
    done = threading.Event()
    found: dict = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path.startswith("/done"):
                found["ms"] = float(self.path.split("=", 1)[1])
                done.set()
                body = b""
            else:
                body = page if self.path == "/page.html" else WRAPPER.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tempfile.mkdtemp(prefix="kg-bench-chromium-")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,800",
    ]
    start = time.perf_counter()
    browser = subprocess.Popen(
        ["/usr/bin/chromium", *flags, f"http://127.0.0.1:{server.server_port}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not done.wait(90):
            raise TimeoutError("the page did not report ready within 90 s")
        emit(
            seconds=found["ms"] / 1000,
            ready_seconds=found["ms"] / 1000,
            launch_to_ready=time.perf_counter() - start,
        )
    finally:
        browser.terminate()
        browser.wait(10)
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)


# ----------------------------------------------------------------------------- build stages


def build_stages(seeds: str, views: str = "no") -> None:
    """CPU seconds of each stage of ``kg build`` on one seeds folder (in this process)."""
    from kg.build import build_from_seeds
    from kg.export import Quads, render_jsonld, render_nquads, render_trig, render_turtle
    from kg.network import render_graphml, to_networkx
    from kg.question import index
    from kg.seeds import load_seeds
    from kg.store import MemoryStore
    from kg.validate import shacl_problems

    stages: dict[str, float] = {}
    clock = time.process_time

    def stage(name: str, fn):
        start = clock()
        value = fn()
        stages[name] = clock() - start
        return value

    seeds_read = stage("yaml + records", lambda: load_seeds(Path(seeds), max_records=200_000))
    built = stage("triples", lambda: build_from_seeds(seeds_read))
    quads = stage("quad index", lambda: Quads.of(built.dataset))
    problems = stage("SHACL", lambda: shacl_problems(built, quads=quads))
    nquads = stage("N-Quads", lambda: render_nquads(quads))
    store = MemoryStore(built.dataset, nquads=nquads)
    stage("oxigraph fill", store._ox)
    graph = stage("projection", lambda: to_networkx(built.dataset))
    stage("GraphML", lambda: render_graphml(graph))
    for name, fn in (("TriG", render_trig), ("Turtle", render_turtle), ("JSON-LD", render_jsonld)):
        stage(name, lambda f=fn: f(quads))
    stage("question index", lambda: index.render(index.from_store(store)))
    if views == "yes":
        from kg.viz import render_build_views

        stage("HTML views", lambda: render_build_views(built.dataset, graph, store))
    emit(
        seconds=sum(stages.values()),
        stages=stages,
        quads=len(built.dataset),
        problems=len(problems),
    )


def reference_pipeline(nquads: str) -> None:
    """pyoxigraph alone: parse the built N-Quads, serialize TriG, JSON-LD and Turtle."""
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    start = time.process_time()
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    sizes = [
        len(ox.serialize(store, format=fmt, prefixes=prefixes))
        for fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD)
    ]
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, None))
    sizes.append(len(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)))
    emit(seconds=time.process_time() - start, quads=len(store), bytes=sum(sizes))


TASKS = {
    name.replace("_", "-"): fn
    for name, fn in list(globals().items())
    if callable(fn)
    and name.startswith(
        ("load_", "queries_", "project", "pagerank_", "betweenness_", "viz_", "build_", "ref")
    )
}


def main() -> None:
    name, *args = sys.argv[1:]
    TASKS[name](*args)


if __name__ == "__main__":
    main()
