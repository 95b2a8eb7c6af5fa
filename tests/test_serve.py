"""``kg serve`` started for real on loopback and queried over HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.serve import GRAPH_TYPES, HOST, RESULT_TYPES, Refused, free_port, negotiate, page

pytestmark = pytest.mark.server

ATTENDEES = "SELECT ?p WHERE { id:ny-meeting kg:attendee ?p } ORDER BY ?p"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def start(*args: str, store: str = "memory") -> tuple[subprocess.Popen, int]:
    """``kg serve`` on a free port; returns once it answers (or fails the test)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KG_STORE": store},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"kg serve exited: {proc.stderr.read()}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    stop(proc)
    pytest.fail("kg serve did not answer within 60 s")


def stop(proc: subprocess.Popen) -> str:
    """Terminate (SIGTERM) and return what it wrote to stderr."""
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


@pytest.fixture(scope="module")
def server():
    proc, port = start("--timeout", "1", "--max-rows", "5")
    try:
        yield f"http://{HOST}:{port}"
    finally:
        stop(proc)


def get(url: str, query: str | None = None, accept: str | None = None, **params):
    if query is not None:
        params["query"] = query
    full = f"{url}/sparql?{urllib.parse.urlencode(params)}" if params else url
    return fetch(urllib.request.Request(full, headers={"Accept": accept} if accept else {}))


def post(url: str, body: bytes, content_type: str, accept: str | None = None):
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return fetch(urllib.request.Request(f"{url}/sparql", data=body, headers=headers))


def fetch(request) -> tuple[int, str, bytes, dict]:
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers.get_content_type(), r.read(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read(), dict(exc.headers)


# ----------------------------------------------------------------------------- results


def test_get_select_as_sparql_json(server):
    status, kind, body, _ = get(server, ATTENDEES)
    assert (status, kind) == (200, "application/sparql-results+json")
    rows = [b["p"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert rows == sorted(rows) and len(rows) == 5  # the row cap (5) cut the six attendees
    assert "https://w3id.org/korea-ai-kg/id/larry-fink" in rows


def test_post_form_and_direct_query_agree(server):
    form = urllib.parse.urlencode({"query": ATTENDEES}).encode()
    a = post(server, form, "application/x-www-form-urlencoded")
    b = post(server, ATTENDEES.encode(), "application/sparql-query")
    assert a[0] == b[0] == 200
    assert json.loads(a[2]) == json.loads(b[2])


def test_csv_and_tsv_by_accept_and_format(server):
    status, kind, body, _ = get(server, ATTENDEES, accept="text/csv")
    assert (status, kind) == (200, "text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0] == ["p"] and rows[1][0].startswith("https://w3id.org/korea-ai-kg/id/")
    status, kind, body, _ = get(server, ATTENDEES, format="tsv")
    assert (status, kind) == (200, "text/tab-separated-values")
    assert body.decode().splitlines()[0] == "?p"
    assert body.decode().splitlines()[1].startswith("<https://w3id.org/korea-ai-kg/id/")


def test_ask(server):
    status, _, body, _ = get(server, "ASK { ?s a kg:Investor }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_row_cap_is_announced(server):
    _, _, body, headers = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert len(json.loads(body)["results"]["bindings"]) == 5
    assert headers["Kg-Row-Cap"] == "5; reached"
    _, _, _, headers = get(server, "SELECT * WHERE { id:blackrock a ?t }")
    assert "Kg-Row-Cap" not in headers


def test_construct_as_turtle_and_json_ld(server):
    from rdflib import Graph

    from kg.store import open_store

    query = "CONSTRUCT { id:blackrock ?p ?o } WHERE { id:blackrock ?p ?o FILTER(isLiteral(?o)) }"
    expected = set(open_store("memory").query(query).graph)
    status, kind, ttl, _ = get(server, query, accept="text/turtle")
    assert (status, kind) == (200, "text/turtle")
    status, kind, jsonld, _ = get(server, query, accept="application/ld+json")
    assert (status, kind) == (200, "application/ld+json")
    a = Graph().parse(data=ttl.decode(), format="turtle")
    b = Graph().parse(data=jsonld.decode(), format="json-ld")
    assert set(a) == set(b) == expected and 0 < len(expected) <= 5


def test_unacceptable_type_is_406(server):
    status, _, body, _ = get(server, ATTENDEES, accept="text/turtle")
    assert status == 406 and b"text/csv" in body


# ----------------------------------------------------------------------------- refusals


def test_timeout_stops_the_query(server):
    started = time.monotonic()
    status, _, body, _ = get(server, SLOW)
    assert status == 503 and b"longer than 1 s" in body
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("how", ["param", "content-type"])
def test_updates_are_refused(server, how):
    update = "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"
    if how == "param":
        status, _, body, _ = post(
            server,
            urllib.parse.urlencode({"update": update}).encode(),
            "application/x-www-form-urlencoded",
        )
    else:
        status, _, body, _ = post(server, update.encode(), "application/sparql-update")
    assert status == 403 and b"read-only" in body
    status, _, body, _ = get(server, update)
    assert status == 400 and b"INSERT DATA refused" in body
    _, _, body, _ = get(server, "ASK { <http://x/a> ?p ?o }")
    assert json.loads(body)["boolean"] is False


@pytest.mark.parametrize(
    "query, reason",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", b"SERVICE"),
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", b"FROM"),
        ("LOAD <http://example.org/data.ttl>", b"LOAD"),
        ("SELECT ?s WHERE { ?s ?p }", b"syntax error"),
    ],
)
def test_unsafe_or_broken_queries_are_400(server, query, reason):
    status, kind, body, _ = get(server, query)
    assert (status, kind) == (400, "text/plain")
    assert reason in body


def test_dataset_parameters_are_refused(server):
    status, _, body, _ = get(server, ATTENDEES, **{"default-graph-uri": "http://example.org/g"})
    assert status == 400 and b"default-graph-uri" in body


def test_other_methods_and_paths(server):
    request = urllib.request.Request(f"{server}/sparql", data=b"x", method="PUT")
    assert fetch(request)[0] == 405
    assert get(f"{server}/nothing")[0] == 404
    assert post(server, b"{}", "application/json")[0] == 415


# ----------------------------------------------------------------------------- the page


def test_page_is_self_contained(server):
    status, kind, body, headers = get(f"{server}/")
    assert (status, kind) == (200, "text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    text = body.decode()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(" not in text
    assert body == page()


@pytest.fixture(scope="module")
def page_server():
    """The module server's row cap with a timeout a loaded machine meets: the page's queries
    in Chromium must not race the 1 s timeout the timeout tests need."""
    proc, port = start("--timeout", "30", "--max-rows", "5")
    try:
        yield f"http://{HOST}:{port}"
    finally:
        stop(proc)


@pytest.mark.browser
def test_page_runs_a_query_in_chromium_without_network(page_server, tmp_path, monkeypatch):
    import _chromium

    server = page_server

    # every host name still fails at once; only this loopback address resolves
    monkeypatch.setattr(
        _chromium,
        "FLAGS",
        [
            f"{flag}, EXCLUDE {HOST}" if flag.startswith("--host-resolver-rules=") else flag
            for flag in _chromium.FLAGS
        ],
    )
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    browser = _chromium.Browser()
    try:
        tab = browser.open(blank)
        tab.send("Page.navigate", url=f"{server}/")
        tab.wait_for("document.readyState === 'complete' && document.body.dataset.ready === '1'")
        tab.evaluate("document.querySelector('.yasqe_queryButton').click()")
        rows = tab.wait_for(
            "kgYasgui.getTab().getYasr().rootEl.querySelectorAll('tbody tr').length"
        )
        assert rows == 5
        assert "row cap 5 reached" in tab.evaluate("document.getElementById('status').textContent")
        assert tab.errors() == []
        external = [u for u in tab.requests if not u.startswith((server, "file:", "about:"))]
        assert external == []
    finally:
        browser.quit()


# ----------------------------------------------------------------------------- start-up


def test_port_in_use_is_a_clear_error():
    import socket

    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kg", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "KG_STORE": "memory"},
        )
    assert result.returncode == 1
    assert f"port {port} on {HOST} is already in use" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_stops_cleanly_and_takes_its_backend_along():
    proc, port = start()
    children = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True
    ).stdout.split()
    assert children, "the Oxigraph server should run as a child of kg serve"
    err = stop(proc)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    for pid in children:
        stat = Path(f"/proc/{pid}/stat")
        assert not stat.exists() or stat.read_text().split()[2] == "Z"  # gone, or a zombie


def test_serves_an_oxigraph_store_in_place(tmp_path, server):
    from kg.paths import shipped_graph
    from kg.store import write_oxigraph

    write_oxigraph(tmp_path / "store", shipped_graph())
    proc, port = start("--max-rows", "5", store=f"oxigraph:{tmp_path / 'store'}")
    try:
        on_disk = get(f"http://{HOST}:{port}", ATTENDEES, accept="text/csv")
        in_memory = get(server, ATTENDEES, accept="text/csv")
        assert on_disk[0] == 200 and on_disk[2] == in_memory[2]
    finally:
        stop(proc)


def test_negotiation_rules():
    assert negotiate(None, RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("text/*;q=0.8, application/xml;q=0.9", RESULT_TYPES) == "application/xml"
    assert negotiate("text/csv;q=0, */*;q=0.1", RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("application/ld+json", GRAPH_TYPES, "turtle") == "text/turtle"
    with pytest.raises(Refused):
        negotiate("text/csv", GRAPH_TYPES)
