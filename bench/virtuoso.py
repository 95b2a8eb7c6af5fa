"""Virtuoso benchmark: ``kg push`` vs Virtuoso's bulk loader, and ``kg`` queries vs the endpoint.

Starts a fresh Virtuoso (Debian ``virtuoso-opensource-7-bin``) on free loopback ports in a
temporary folder, generates about ``--triples`` triples with :mod:`generate` (split into named
graphs of ``--graph-size`` triples, as kg keeps claims in graphs), then in one run:

1. pushes them with ``kg push`` (Graph Store PUTs, Digest credentials) and reports triples/s;
2. drops them and loads the same N-Quads with ``ld_dir`` + ``rdf_loader_run`` (isql), triples/s;
3. runs the four reference queries of :mod:`tasks` through kg's ``sparql:`` store and as plain
   form POSTs straight to the endpoint (JSON parsed, nothing more), median of ``--runs``.

Prints one JSON object per figure and the ratios. Usage: ``python bench/virtuoso.py --triples
100000``. Not part of the test suite (it takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

PASSWORD = "bench-dba-pw"
INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 300
"""


def emit(**data) -> None:
    print(json.dumps(data), flush=True)


def isql(port: int, password: str, script: str) -> str:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{port}", "dba", password],
        input=script,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    out = done.stdout + done.stderr
    if "*** Error" in out:
        raise SystemExit(f"isql failed: {out[-1000:]}")
    return out


def start(folder: Path) -> tuple[subprocess.Popen, str, int]:
    from kg.serve import free_port

    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    proc = subprocess.Popen(
        ["virtuoso-t", "-f", "-c", str(ini)],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("Virtuoso did not start") from None
            time.sleep(0.5)
    isql(sql, "dba", f"USER_CHANGE_PASSWORD('dba', 'dba', '{PASSWORD}');\n")
    return proc, base, sql


def nquads(nt: Path, out: Path, graph_size: int) -> tuple[int, int]:
    """Write the N-Triples of ``nt`` as N-Quads in graphs of ``graph_size``; (triples, graphs)."""
    count = 0
    with nt.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            line = line.rstrip()
            if not line:
                continue
            graph = f"<urn:kg-bench:graph/{count // graph_size:06d}>"
            dst.write(f"{line[:-1].rstrip()} {graph} .\n")
            count += 1
    return count, (count + graph_size - 1) // graph_size


def count_bench(base: str) -> int:
    q = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'urn:kg-bench:')) }"
    )
    return int(raw_query(base, q)["results"]["bindings"][0]["n"]["value"])


def raw_query(base: str, text: str) -> dict:
    body = urllib.parse.urlencode({"query": text}).encode("ascii")
    request = urllib.request.Request(
        f"{base}/sparql",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--graph-size", type=int, default=1000, help="triples per named graph")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        raise SystemExit("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")

    from generate import units_for, write_all
    from tasks import QUERIES, _inline, _term, timed

    from kg.errors import StoreError
    from kg.push import push
    from kg.sparql.prologue import full_query
    from kg.store import MemoryStore, SparqlStore

    with tempfile.TemporaryDirectory(prefix="kg-virtuoso-") as tmp:
        folder = Path(tmp)
        info = write_all(args.triples, folder / "data")
        data = folder / "bulk"
        data.mkdir()
        triples, graphs = nquads(folder / "data" / "triples.nt", data / "bench.nq", args.graph_size)
        emit(task="generate", triples=triples, graphs=graphs, units=info["units"])
        proc, base, sql = start(folder)
        try:
            os.environ["KG_PASSWORD"] = PASSWORD
            store = MemoryStore.from_file(str(data / "bench.nq"))
            t0 = time.perf_counter()
            pushed = push(store, f"{base}/sparql-graph-crud-auth", user="dba", read=600)
            push_s = time.perf_counter() - t0
            assert count_bench(base) == triples, "the push did not load every triple"
            emit(
                task="kg push",
                triples=pushed.triples,
                seconds=round(push_s, 3),
                rate=round(pushed.triples / push_s),
            )

            drops = "".join(
                f"SPARQL DROP SILENT GRAPH <urn:kg-bench:graph/{i:06d}>;\n" for i in range(graphs)
            )
            isql(sql, PASSWORD, "log_enable(3, 1);\n" + drops)
            assert count_bench(base) == 0, "the drop left triples"
            t0 = time.perf_counter()
            isql(
                sql,
                PASSWORD,
                f"ld_dir('{data}', 'bench.nq', 'urn:kg-bench:default');\n"
                "rdf_loader_run();\ncheckpoint;\n",
            )
            bulk_s = time.perf_counter() - t0
            assert count_bench(base) == triples, "the bulk load did not load every triple"
            emit(
                task="bulk loader",
                triples=triples,
                seconds=round(bulk_s, 3),
                rate=round(triples / bulk_s),
            )
            emit(ratio="bulk rate / kg push rate", value=round(push_s / bulk_s, 2))

            from tasks import query_values

            units, remote = units_for(args.triples), SparqlStore(f"{base}/sparql", timeout=600)
            values = query_values(units)
            for name, (text, params) in QUERIES.items():
                bindings = {v: _term(kind, values[key]) for v, (kind, key) in params.items()}
                inline = full_query(_inline(name, units), None)
                try:
                    kg_s, kg_rows = timed(
                        lambda t=text, b=bindings: len(remote.query(t, b).rows), args.runs
                    )
                except StoreError as exc:
                    emit(task=f"query {name}", error=str(exc)[:160])
                    continue
                raw_s, raw_rows = timed(
                    lambda q=inline: len(raw_query(base, q)["results"]["bindings"]), args.runs
                )
                assert kg_rows == raw_rows, (name, kg_rows, raw_rows)
                emit(
                    task=f"query {name}",
                    rows=kg_rows,
                    kg_ms=round(kg_s * 1000, 2),
                    endpoint_ms=round(raw_s * 1000, 2),
                    ratio=round(kg_s / raw_s, 2),
                )
        finally:
            proc.terminate()
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if __name__ == "__main__":
    main()
