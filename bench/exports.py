"""Size and time of each export for analysts' tools, at the curated graph and at generated ones.

    python bench/exports.py                    # the seed graph and 100k triples
    python bench/exports.py --sizes seed,10k   # a quicker run

For each graph and format: bytes of its files and CPU seconds to render them (best of
``--runs``), in one process, next to baselines timed in the same run: kg's own N-Quads
rendering (linear, the reference every ratio is given against), networkx's GEXF writer on the
same projection, and rdflib's JSON-LD serializer on the fused view that ``entities.jsonld``
frames. The growth column
divides a file's time at the largest graph by its time at the smallest, beside the growth of the
quads: near it means linear. Figures go to ``bench/data/exports.json`` and ``bench/exports.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import generate

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SIZES = {"seed": 0, "10k": 10_000, "100k": 100_000}
MAX_RECORDS = 200_000
RDFLIB_JSONLD_LIMIT = 200_000  # fused triples above which rdflib's JSON-LD is left out (slow)


def _best(runs: int, fn) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best, out


def _dataset(label: str):
    from kg.build import build_from_seeds
    from kg.paths import default_seeds
    from kg.seeds import load_seeds

    if label == "seed":
        folder = default_seeds()
    else:
        folder = BENCH / "data" / label / "seeds"
        if not folder.is_dir():
            generate.write_all(SIZES[label], folder.parent)
    return build_from_seeds(load_seeds(folder, max_records=MAX_RECORDS)).dataset


def measure(label: str, runs: int) -> dict:
    """Every tool export's size and time for one graph, with the baselines."""
    import networkx as nx
    from rdflib import Graph

    from kg.export import Quads, render_nquads
    from kg.exports import FORMATS, render
    from kg.network import to_networkx

    dataset = _dataset(label)
    graph = to_networkx(dataset)
    quads = Quads.of(dataset)
    row: dict = {
        "quads": sum(len(o) for g in quads.graphs.values() for p in g.values() for o in p.values()),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "files": {},
        "baselines": {},
    }
    nq_time, nq = _best(runs, lambda: render_nquads(quads))
    row["baselines"]["kg N-Quads"] = {"seconds": nq_time, "bytes": len(str(nq).encode())}
    for fmt in FORMATS:
        seconds, files = _best(runs, lambda f=fmt: render(dataset, graph, (f,), quads=quads))
        names = sorted(files)  # type: ignore[arg-type]
        row["files"][fmt] = {
            "files": names,
            "bytes": sum(len(files[n].encode()) for n in names),  # type: ignore[index]
            "seconds": seconds,
        }
    seconds, text = _best(runs, lambda: "\n".join(nx.generate_gexf(graph)))
    row["baselines"]["networkx GEXF"] = {"seconds": seconds, "bytes": len(str(text).encode())}
    fused = Graph()
    for s, preds in quads.fused().items():
        for p, objects in preds.items():
            for o in objects:
                fused.add((s, p, o))
    row["fused"] = len(fused)
    if len(fused) <= RDFLIB_JSONLD_LIMIT:
        seconds, text = _best(1, lambda: fused.serialize(format="json-ld"))
        row["baselines"]["rdflib JSON-LD of the fused view"] = {
            "seconds": seconds,
            "bytes": len(str(text).encode()),
        }
    return row


def report(results: dict) -> str:
    labels = list(results)
    first, last = results[labels[0]], results[labels[-1]]
    lines = [
        "# Exports for analysts' tools: size and time",
        "",
        "Written by `python bench/exports.py` (CPU seconds, best of the runs, one process; "
        "ratios against kg's own N-Quads rendering of the same graph in the same run).",
        "",
        "| graph | quads | nodes | edges |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, row in results.items():
        lines.append(f"| {label} | {row['quads']:,} | {row['nodes']:,} | {row['edges']:,} |")
    head = "| format (files) |"
    head += "".join(f" {lb} bytes | {lb} s | {lb} / N-Quads |" for lb in labels)
    lines += ["", head + " growth |", "| --- |" + " ---: |" * (3 * len(labels) + 1)]
    names = list(first["files"]) + [f"({b})" for b in first["baselines"]]
    for name in names:
        title = name
        if name in first["files"]:
            title = f"{name} ({', '.join(first['files'][name]['files'])})"
        cells = []
        for label in labels:
            row = results[label]
            item = row["files"].get(name) or row["baselines"].get(name.strip("()"))
            if item is None:
                cells.append(" – | – | – |")
                continue
            ratio = item["seconds"] / row["baselines"]["kg N-Quads"]["seconds"]
            cells.append(f" {item['bytes']:,} | {item['seconds']:.3f} | {ratio:.2f} |")
        a = first["files"].get(name) or first["baselines"].get(name.strip("()"))
        b = last["files"].get(name) or last["baselines"].get(name.strip("()"))
        growth = f" {b['seconds'] / a['seconds']:.0f}x |" if a and b and a["seconds"] else " – |"
        lines.append(f"| {title} |" + "".join(cells) + growth)
    lines += [
        "",
        f"From {labels[0]} to {labels[-1]}: quads grow {last['quads'] / first['quads']:.0f}x, "
        f"fused triples {last['fused'] / first['fused']:.0f}x, nodes "
        f"{last['nodes'] / first['nodes']:.0f}x, edges {last['edges'] / first['edges']:.0f}x "
        "(the Neo4j, GEXF and CSV files hold the projection's nodes and edges, the JSON-LD the "
        "fused triples).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="seed,100k", help="comma-separated: seed, 10k, 100k")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the best counts)")
    parser.add_argument("--out", type=Path, default=BENCH / "exports.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    results = {label: measure(label, args.runs) for label in args.sizes.split(",")}
    data = BENCH / "data"
    data.mkdir(exist_ok=True)
    (data / "exports.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(results)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
