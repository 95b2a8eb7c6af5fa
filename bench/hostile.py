"""`kg serve` under hostile load, on loopback only, bounded in count and time (issue 10).

One real ``kg serve`` process; 20 concurrent clients send 2,000 requests mixing cheap queries
(distinct texts, each answer checked against the embedded store), slow queries that hit the
timeout, malformed requests (syntax errors, 24 nested parentheses, bad Content-Length, SERVICE /
LOAD / FROM aimed at a canary listener, binary junk, PUT, a JSON body), 10 MB bodies and a few
slow clients that send half a request and go quiet. Before the mix, the same cheap queries are
timed alone (one client, one at a time) in the same run.

Targets: every cheap query answered correctly; p99 of cheap queries in the mix at most 5x their
p50 alone; the server alive with bounded memory afterwards; zero connections to the canary.

    python bench/hostile.py                    # 2,000 requests, 20 clients; updates RESULTS.md
    python bench/hostile.py --smoke            # 150 requests, 10 clients; report in bench/data
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HOST = "127.0.0.1"
START, END = "<!-- hostile:start -->", "<!-- hostile:end -->"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} # {n}"
NESTED = "SELECT * WHERE { FILTER(" + "(" * 24 + "true" + ")" * 24 + ") }"


# ----------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


class Canary:
    """A loopback listener that counts every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind((HOST, 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


def memory_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its children (kB; PSS where the kernel gives it)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        rollup = Path(f"/proc/{p}/smaps_rollup")
        try:
            text = rollup.read_text() if rollup.exists() else Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        key = "Pss:" if rollup.exists() else "VmRSS:"
        total += next(
            (int(line.split()[1]) for line in text.splitlines() if line.startswith(key)), 0
        )
    return total


# ----------------------------------------------------------------------------- requests


def post(port: int, body: bytes, media="application/sparql-query", timeout=30.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            "POST",
            "/sparql",
            body=body,
            headers={"Content-Type": media, "Accept": "application/sparql-results+json"},
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def raw(port: int, data: bytes, timeout=15.0) -> int:
    """Send ``data`` on a new connection; the status answered (0: closed without one)."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            reply = sock.recv(64)
        except OSError:
            return 0
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.") else 0


def big_body(port: int, size: int = 10 << 20) -> int:
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: " + str(size).encode() + b"\r\n\r\n"
    )
    with socket.create_connection((HOST, port), timeout=30) as sock:
        try:
            sock.sendall(head)
            block, sent = b"#" * 65536, 0
            while sent < size:
                sock.sendall(block)
                sent += len(block)
            reply = sock.recv(64)
        except OSError:
            return -1  # reset mid-upload
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.") else 0


def slow_client(port: int) -> tuple[int, float]:
    """Half a request, then silence: how long until the server lets go (seconds)."""
    started = time.monotonic()
    with socket.create_connection((HOST, port), timeout=120) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Le")
        try:
            data = sock.recv(64)
        except OSError:
            data = b""
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else 0
    return status, time.monotonic() - started


def malformed(port: int, canary: int, n: int) -> tuple[str, int, tuple]:
    """One malformed request of ``n``'s kind: (kind, status, the statuses that are right)."""
    target = f"http://{HOST}:{canary}/sparql"
    kinds = [
        ("syntax error", lambda: post(port, f"SELECT ?x WHERE {{ ?x ?p }} # {n}".encode())[0]),
        ("24 nested parentheses", lambda: post(port, NESTED.encode())[0]),
        (
            "SERVICE to the canary",
            lambda: post(port, f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}".encode())[0],
        ),
        ("LOAD from the canary", lambda: post(port, f"LOAD <{target}>".encode())[0]),
        (
            "FROM the canary",
            lambda: post(port, f"SELECT * FROM <{target}> {{ ?s ?p ?o }}".encode())[0],
        ),
        (
            "Content-Length: -1",
            lambda: raw(
                port,
                b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: -1\r\n\r\nASK {}",
            ),
        ),
        (
            "Content-Length: abc",
            lambda: raw(
                port,
                b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: abc\r\n\r\nASK {}",
            ),
        ),
        ("binary junk", lambda: raw(port, b"\x16\x03\x01\x00\xff" * 40 + b"\r\n\r\n")),
        ("PUT", lambda: raw(port, b"PUT /sparql HTTP/1.1\r\nContent-Length: 0\r\n\r\n")),
        ("JSON body", lambda: post(port, b"{}", "application/json")[0]),
    ]
    right = {
        "binary junk": (0, 400),
        "PUT": (405,),
        "JSON body": (415,),
    }
    kind, send = kinds[n % len(kinds)]
    return kind, send(), right.get(kind, (400,))


# ----------------------------------------------------------------------------- the run


def cheap_queries(count: int) -> list[tuple[str, object]]:
    """Distinct cheap queries and their answers from the embedded store (as comparable
    values)."""
    from kg.store import open_store

    store = open_store("memory")
    entities = [
        str(row[0])
        for row in store.query(
            "SELECT DISTINCT ?e WHERE { ?e skos:prefLabel ?l } ORDER BY ?e LIMIT 80"
        ).rows
    ]
    texts = []
    for n, e in enumerate(entities):
        texts.append(f"SELECT ?l WHERE {{ <{e}> skos:prefLabel ?l }} ORDER BY ?l")
        texts.append(
            f"SELECT ?p ?o WHERE {{ <{e}> ?p ?o FILTER(isLiteral(?o)) }} ORDER BY ?p ?o "
            f"LIMIT {1 + n % 7}"
        )
        texts.append(f"ASK {{ <{e}> a kg:Investor }}")
    texts = texts[:count]
    out = []
    for text in texts:
        result = store.query(text)
        if result.kind == "ask":
            out.append((text, result.boolean))
        else:
            out.append((text, [[str(t) for t in row] for row in result.rows]))
    return out


def answer_of(body: bytes):
    data = json.loads(body)
    if "boolean" in data:
        return data["boolean"]
    names = data["head"]["vars"]
    return [[b[v]["value"] for v in names] for b in data["results"]["bindings"]]


def run(args) -> dict:
    canary = Canary()
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="kg-serve-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "serve",
            "--port",
            str(port),
            "--timeout",
            str(args.timeout),
            "--quiet",
        ],  # fmt: skip
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        env={**os.environ, "KG_STORE": "memory"},
    )
    figures: dict = {"requests": args.requests, "clients": args.clients, "timeout": args.timeout}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("kg serve did not start")
        pool = cheap_queries(240)
        figures["memory_start_kb"] = memory_kb(server.pid)

        # -- cheap queries alone, one client, one at a time (after one warm-up pass)
        for text, _ in pool:
            post(port, text.encode())
        alone = []
        for text, expected in pool[: args.alone]:
            t0 = time.perf_counter()
            status, body = post(port, text.encode())
            alone.append(time.perf_counter() - t0)
            assert status == 200 and answer_of(body) == expected, (text, status, body[:200])
        figures["alone"] = {
            "n": len(alone),
            "p50_ms": percentile(alone, 50) * 1e3,
            "p99_ms": percentile(alone, 99) * 1e3,
        }

        # -- cheap queries only, from as many clients as the mix (the queueing of the clients
        # alone, without hostile traffic)
        same: list[float] = []
        counter = iter(range(args.requests // 2))
        counter_lock = threading.Lock()

        def cheap_client():
            while True:
                with counter_lock:
                    k = next(counter, None)
                if k is None:
                    return
                text, expected = pool[k % len(pool)]
                t0 = time.perf_counter()
                status, body = post(port, text.encode())
                elapsed = time.perf_counter() - t0
                with counter_lock:
                    same.append(elapsed if status == 200 and answer_of(body) == expected else 1e9)

        threads = [threading.Thread(target=cheap_client) for _ in range(args.clients)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.limit)
        figures["cheap_only"] = {
            "n": len(same),
            "per_second": len(same) / (time.perf_counter() - began),
            "p50_ms": percentile(same, 50) * 1e3,
            "p99_ms": percentile(same, 99) * 1e3,
        }

        # -- the mix
        rng = random.Random(7)
        n = args.requests
        plan = (
            ["slow"] * round(n * 0.03)
            + ["malformed"] * round(n * 0.2)
            + ["big"] * round(n * 0.01)
            + ["slowclient"] * max(3, round(n * 0.003))
        )
        plan += ["cheap"] * (n - len(plan))
        rng.shuffle(plan)
        jobs: queue.Queue = queue.Queue()
        for k, kind in enumerate(plan):
            jobs.put((k, kind))
        records: list[dict] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.limit
        peak = [figures["memory_start_kb"]]
        done = threading.Event()

        def monitor():
            while not done.wait(0.25):
                peak[0] = max(peak[0], memory_kb(server.pid))

        def client():
            while time.monotonic() < stop_at:
                try:
                    k, kind = jobs.get_nowait()
                except queue.Empty:
                    return
                rec = {"kind": kind}
                t0 = time.perf_counter()
                try:
                    if kind == "cheap":
                        text, expected = pool[k % len(pool)]
                        status, body = post(port, text.encode())
                        rec["ok"] = status == 200 and answer_of(body) == expected
                        rec["status"] = status
                    elif kind == "slow":
                        status, _ = post(port, SLOW.format(n=k).encode())
                        rec["status"], rec["ok"] = status, status in (503, 429)
                    elif kind == "malformed":
                        what, status, right = malformed(port, canary.port, k)
                        rec.update(what=what, status=status, ok=status in right)
                    elif kind == "big":
                        status = big_body(port)
                        rec["status"], rec["ok"] = status, status == 413
                    else:
                        status, held = slow_client(port)
                        rec.update(status=status, held=held, ok=held < 30 and status in (0, 408))
                except Exception as exc:  # a failed request is a figure, not a crash
                    rec.update(ok=False, error=f"{type(exc).__name__}: {exc}"[:200])
                rec["seconds"] = time.perf_counter() - t0
                with lock:
                    records.append(rec)

        watcher = threading.Thread(target=monitor, daemon=True)
        watcher.start()
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.limit + 120)
        figures["mix_seconds"] = time.perf_counter() - started
        done.set()
        watcher.join(5)

        by_kind: dict = {}
        for rec in records:
            entry = by_kind.setdefault(rec["kind"], {"n": 0, "ok": 0, "statuses": {}})
            entry["n"] += 1
            entry["ok"] += bool(rec.get("ok"))
            key = str(rec.get("status", rec.get("error", "?")))
            entry["statuses"][key] = entry["statuses"].get(key, 0) + 1
        cheap = [r["seconds"] for r in records if r["kind"] == "cheap"]
        figures["mix"] = {
            "sent": len(records),
            "planned": len(plan),
            "by_kind": by_kind,
            "cheap_p50_ms": percentile(cheap, 50) * 1e3,
            "cheap_p99_ms": percentile(cheap, 99) * 1e3,
            "cheap_max_ms": max(cheap) * 1e3 if cheap else float("nan"),
            "slow_client_held_s": [
                round(r["held"], 1) for r in records if r["kind"] == "slowclient" and "held" in r
            ],
            "malformed": sorted({r.get("what", "") for r in records if r["kind"] == "malformed"}),
        }
        figures["memory_peak_kb"] = peak[0]

        # -- afterwards
        time.sleep(1)
        figures["memory_end_kb"] = memory_kb(server.pid)
        text, expected = pool[0]
        status, body = post(port, text.encode())
        figures["alive_after"] = (
            server.poll() is None and status == 200 and answer_of(body) == expected
        )
        figures["canary_connections"] = canary.connections
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        canary.close()
        log.close()
        text = Path(log.name).read_text(errors="replace")
        figures["server_tracebacks"] = text.count("Traceback")
        os.unlink(log.name)
    return figures


# ----------------------------------------------------------------------------- report


def verdicts(f: dict) -> list[tuple[str, str, str, str]]:
    cheap = f["mix"]["by_kind"].get("cheap", {"n": 0, "ok": 0})
    ratio = f["mix"]["cheap_p99_ms"] / f["alone"]["p50_ms"]
    growth = f["memory_end_kb"] - f["memory_start_kb"]
    return [
        (
            "cheap queries answered correctly",
            "all",
            f"{cheap['ok']:,} of {cheap['n']:,}",
            "met" if cheap["ok"] == cheap["n"] > 0 else "**missed**",
        ),
        (
            "p99 of cheap queries in the mix / their p50 alone",
            "≤ 5x",
            f"{f['mix']['cheap_p99_ms']:.1f} ms / {f['alone']['p50_ms']:.1f} ms = {ratio:.1f}x",
            "met" if ratio <= 5 else f"**missed** ({ratio / 5:.1f}x the limit)",
        ),
        (
            "p99 of cheap queries in the mix / their p99 with as many clients and no hostile "
            "traffic",
            "report",
            f"{f['mix']['cheap_p99_ms']:.1f} ms / {f['cheap_only']['p99_ms']:.1f} ms = "
            f"{f['mix']['cheap_p99_ms'] / f['cheap_only']['p99_ms']:.1f}x",
            "reported",
        ),
        (
            "server alive afterwards, no traceback",
            "yes",
            "yes" if f["alive_after"] and not f["server_tracebacks"] else "no",
            "met" if f["alive_after"] and not f["server_tracebacks"] else "**missed**",
        ),
        (
            "memory (front + workers, PSS): start, peak, end",
            "bounded",
            f"{f['memory_start_kb'] / 1024:.0f} / {f['memory_peak_kb'] / 1024:.0f} / "
            f"{f['memory_end_kb'] / 1024:.0f} MiB",
            "met" if growth < 200 * 1024 else "**missed**",
        ),
        (
            "connections reaching the canary (SERVICE, LOAD, FROM)",
            "0",
            str(f["canary_connections"]),
            "met" if f["canary_connections"] == 0 else "**missed**",
        ),
    ]


def render(f: dict) -> str:
    lines = [
        START,
        "## `kg serve` under hostile load",
        "",
        f"`python bench/hostile.py`: one `kg serve --timeout {f['timeout']:g}` process (defaults: "
        "2 workers, up to 8, slow lane 8, queue 32), "
        f"{f['mix']['sent']:,} requests from {f['clients']} concurrent clients on loopback in "
        f"{f['mix_seconds']:.1f} s, on {os.cpu_count()} CPUs ({platform.platform()}). Cheap "
        f"queries alone: {f['alone']['n']} one at a time after a warm-up pass, same run.",
        "",
        "| what | target | measured | verdict |",
        "|---|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in verdicts(f)]
    lines += ["", "| requests | sent | as expected | answers |", "|---|---|---|---|"]
    for kind, e in sorted(f["mix"]["by_kind"].items()):
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(e["statuses"].items()))
        lines.append(f"| {kind} | {e['n']:,} | {e['ok']:,} | {answers} |")
    lines += [
        "",
        f"Cheap queries in the mix: p50 {f['mix']['cheap_p50_ms']:.1f} ms, p99 "
        f"{f['mix']['cheap_p99_ms']:.1f} ms, max {f['mix']['cheap_max_ms']:.1f} ms; alone: p50 "
        f"{f['alone']['p50_ms']:.1f} ms, p99 {f['alone']['p99_ms']:.1f} ms; cheap only from "
        f"{f['clients']} clients ({f['cheap_only']['n']:,} queries): p50 "
        f"{f['cheap_only']['p50_ms']:.1f} ms, p99 {f['cheap_only']['p99_ms']:.1f} ms. Slow "
        "queries are stopped at the timeout (503) or, past the slow lane, shed (503); 10 MB "
        "bodies get 413 after the upload; slow clients (half a request, then silence) were "
        "let go after "
        f"{', '.join(str(s) for s in f['mix']['slow_client_held_s'])} s (read timeout 10 s). "
        f"Malformed requests: {', '.join(f['mix']['malformed'])}.",
        "",
        "**p99 in the mix against p50 alone**: with "
        f"{f['clients']} clients that each send their next request as soon as the last one is "
        "answered, every cheap query waits for the others in flight. Without any hostile "
        f"traffic the server answered {f['cheap_only']['per_second']:.0f} cheap queries a "
        f"second, so {f['clients']} clients wait about {f['clients']} / "
        f"{f['cheap_only']['per_second']:.0f} = "
        f"{f['clients'] / f['cheap_only']['per_second'] * 1e3:.0f} ms each: the p50 of cheap "
        f"queries from {f['clients']} clients alone is "
        f"{f['cheap_only']['p50_ms'] / f['alone']['p50_ms']:.0f}x their p50 one at a time "
        "before a single hostile request is sent. 5x would need about "
        f"{f['clients'] / (5 * f['alone']['p50_ms'] / 1e3):.0f} answers a second on these "
        "2 shared cores (the benchmark's own clients run on them too). What the hostile "
        "traffic adds is the row above: the p99 of cheap queries in the mix against their p99 "
        "from as many clients without it. Slow queries cost cheap ones little because a query "
        "that has used 20 ms of CPU runs at the least CPU priority, at most 8 at once, and is "
        "killed at the timeout; the parse of each distinct text happens once, in a worker.",
        END,
    ]
    return "\n".join(lines) + "\n"


def put_section(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START in text and END in text:
        head, _, rest = text.partition(START)
        _, _, tail = rest.partition(END)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--alone", type=int, default=200, help="cheap queries timed alone")
    parser.add_argument("--timeout", type=float, default=1.0, help="kg serve --timeout")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds the mix may take")
    parser.add_argument("--smoke", action="store_true", help="150 requests, 10 clients")
    parser.add_argument("--data", type=Path, default=BENCH / "data")
    parser.add_argument("--report", type=Path, help="default: bench/RESULTS.md (smoke: data)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.clients, args.alone = 150, 10, 50
    args.data.mkdir(parents=True, exist_ok=True)
    figures = run(args)
    (args.data / "hostile.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    section = render(figures)
    if args.report is None and not args.smoke:
        put_section(BENCH / "notes.md", section)  # a full bench/run.py keeps it
        put_section(BENCH / "RESULTS.md", section)
    else:
        put_section(args.report or args.data / "HOSTILE.md", section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
