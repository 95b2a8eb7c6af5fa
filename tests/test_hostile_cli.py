"""The standing hostile-input suite for the command line (issue 10): the real ``kg`` process,
hostile files, options, URLs and servers on loopback. No case may print a traceback; each one
exits with its documented code (1 failure, 2 usage or input error) within a bounded time."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.serve import HOST, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BOUND = 60  # seconds any one command may take


def kg(*args: str, env: dict | None = None, stdin: str | None = None, cwd=None):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=BOUND,
        input=stdin,
        cwd=cwd,
        env={**os.environ, "KG_STORE": "memory", **(env or {})},
    )
    result.seconds = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "\x1b" not in result.stderr  # no raw escape sequences reach the terminal
    return result


# ----------------------------------------------------------------------------- fake servers


@contextlib.contextmanager
def fake_server(reply: bytes | None):
    """A loopback server that reads a request and answers ``reply`` as raw bytes (None: it
    accepts and never answers). Yields its base URL."""
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def loop():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)
            if reply is None:
                continue
            conn.settimeout(5)
            with contextlib.suppress(OSError):
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                conn.sendall(reply)
                conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        listener.close()


def http(body: bytes, media: str = "application/sparql-results+json", status=b"200 OK", close=True):
    return (
        b"HTTP/1.1 " + status + b"\r\nContent-Type: " + media.encode() + b"\r\n"
        b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\n"
        + (b"Connection: close\r\n" if close else b"")
        + b"\r\n"
        + body
    )


# ----------------------------------------------------------------------------- kg sparql


def test_select_with_no_variables_prints_a_table_without_traceback():
    result = kg("sparql", "SELECT * WHERE { }")
    assert result.returncode == 0 and "1 row(s)" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-1", "abc", ""])
def test_timeouts_must_be_finite_positive_and_bounded(value):
    result = kg("sparql", "ASK { ?s ?p ?o }", "--timeout", value)
    assert result.returncode == 2 and "--timeout" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "1e300"])
def test_serve_timeouts_are_checked_before_starting(value):
    result = kg("serve", "--port", str(free_port()), "--timeout", value)
    assert result.returncode == 2 and "--timeout" in result.stderr


def test_query_file_dev_zero_stops_at_once():
    result = kg("sparql", "--file", "/dev/zero")
    assert result.returncode == 2 and "larger than 1 MB" in result.stderr
    assert result.seconds < 20


def test_paragraphs_of_dev_zero_stops_at_once():
    result = kg("paragraphs", "/dev/zero")
    assert result.returncode == 2 and "larger than" in result.stderr


def test_a_query_on_stdin_is_bounded():
    result = kg("sparql", "-", stdin="#" * (2 << 20))
    assert result.returncode == 2 and "longer than" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { FILTER(" + "(" * 24 + "true" + ")" * 24 + ") }",
        "SELECT * WHERE " + "{ " * 500 + "}" * 500,
        "ASK { " + "(" * 5000,
    ],
)
def test_deeply_nested_queries_are_refused_in_the_cli(text):
    result = kg("sparql", text)
    assert result.returncode == 2 and "deep" in result.stderr


def test_syntax_error_positions_are_the_users_own():
    result = kg("sparql", "SELECT ?x\nWHERE {\n  ?x kg:attendee }\n")
    assert result.returncode == 2 and "line 3, column 18" in result.stderr


@pytest.mark.parametrize("bind", ["x=", "=1", "x", "1x=2"])
def test_malformed_bindings_are_refused(bind):
    result = kg("sparql", "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1", "--bind", bind)
    assert result.returncode == 2 and "--bind" in result.stderr


def test_control_characters_in_results_are_not_sent_to_the_terminal():
    result = kg("sparql", 'SELECT ?x WHERE { BIND("a\\u001b[31mred" AS ?x) }')
    assert result.returncode == 0 and "\x1b" not in result.stdout and "?[31mred" in result.stdout


# ----------------------------------------------------------------------------- stores


def test_empty_kg_store_is_an_error_not_memory():
    result = kg("sparql", "ASK { ?s ?p ?o }", env={"KG_STORE": ""})
    assert result.returncode == 2 and "KG_STORE" in result.stderr


def test_a_config_file_with_a_bom_is_read(tmp_path):
    (tmp_path / "kg.toml").write_bytes('\ufeffstore = "memory"\n'.encode())
    env = {k: v for k, v in os.environ.items() if k not in ("KG_STORE", "KG_CONFIG")}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "sparql", "ASK { ?s a kg:Investor }"],
        capture_output=True,
        text=True,
        timeout=BOUND,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0 and result.stdout.strip() == "true", result.stderr


def test_a_corrupted_on_disk_store_is_a_clear_error(tmp_path):
    from kg.paths import shipped_graph
    from kg.store import write_oxigraph

    path = tmp_path / "store"
    write_oxigraph(path, shipped_graph())
    for file in path.iterdir():
        if file.is_file() and file.suffix in (".sst", ".log", "") and file.name != "LOCK":
            file.write_bytes(b"\x00garbage" * 64)
    result = kg(
        "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", env={"KG_STORE": f"oxigraph:{path}"}
    )
    assert result.returncode in (1, 2), result.stderr
    assert "oxigraph" in result.stderr


CASES = {
    "bad JSON": http(b'{"head": {"vars": ["x"]}, "results": {"bindings": [ oops'),
    "wrong shape": http(b'{"head": [], "results": 7}'),
    "bad term": http(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 3}]}}'),
    "not HTTP": b"\x16\x03\x01\x00garbage\x1b[31m\r\n\r\n",
    "HTML error": http(b"<html>\x1b[2J boom</html>", "text/html", b"500 Oops"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_sparql_store_answering_badly_is_a_store_error(case):
    with fake_server(CASES[case]) as url:
        result = kg("sparql", "SELECT ?x WHERE { ?x ?p ?o }", env={"KG_STORE": f"sparql:{url}/q"})
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("kg: ") and len(result.stderr) < 600


def test_a_sparql_store_without_the_entity_column_is_a_store_error():
    body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "u"}}]}}'  # noqa: E501
    with fake_server(http(body)) as url:
        result = kg("entity", "BlackRock", env={"KG_STORE": f"sparql:{url}/q"})
    assert result.returncode == 1 and "?entity" in result.stderr, result.stderr


def test_a_sparql_store_that_never_answers_times_out_quickly():
    with fake_server(None) as url:
        result = kg(
            "sparql",
            "ASK { ?s ?p ?o }",
            env={"KG_STORE": f"sparql:{url}/q", "KG_READ_TIMEOUT": "1"},
        )
    assert result.returncode == 1 and "did not answer within 1 s" in result.stderr
    assert result.seconds < 20


# ----------------------------------------------------------------------------- kg push


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999/store", "ftp://x/y"])
def test_push_refuses_bad_urls(url):
    result = kg("push", url)
    assert result.returncode == 2, result.stderr


def test_push_to_a_server_that_never_answers_times_out_quickly():
    with fake_server(None) as url:
        result = kg("push", f"{url}/store", env={"KG_READ_TIMEOUT": "1"})
    assert result.returncode == 1 and "no graph was replaced" in result.stderr
    assert result.seconds < 20


def test_a_partial_push_says_which_graphs_were_replaced():
    # the push first asks once without a body (credentials are refused before any upload),
    # then replaces three graphs, and the fourth fails
    replies = iter([http(b"", "text/plain", b"204 No Content", close=False)] * 4)
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(4)
    listener.settimeout(20)

    def serve():
        conn, _ = listener.accept()
        conn.settimeout(10)
        with conn, contextlib.suppress(OSError):
            for reply in replies:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                head, _, body = data.partition(b"\r\n\r\n")
                sized = head.lower().split(b"content-length:")
                length = int(sized[1].split(b"\r\n")[0]) if len(sized) > 1 else 0
                while len(body) < length:
                    body += conn.recv(65536)
                conn.sendall(reply)
            conn.recv(65536)
            conn.sendall(http(b"disk \x1b[31mfull", "text/plain", b"507 Insufficient Storage"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        result = kg(
            "push",
            f"http://{HOST}:{listener.getsockname()[1]}/store",
            env={"KG_READ_TIMEOUT": "5"},
        )
    finally:
        thread.join(20)
        listener.close()
    assert result.returncode == 1
    assert "graphs 1-3 of" in result.stderr and "--resume 3" in result.stderr
    assert "507" in result.stderr


# ----------------------------------------------------------------------------- writers


def test_writers_refuse_special_files_and_replace_nothing(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.html"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    link = tmp_path / "null.html"
    link.symlink_to("/dev/null")
    try:
        for target, kind in ((fifo, stat.S_ISFIFO), (sock_path, stat.S_ISSOCK)):
            result = kg("viz", "--money", "--out", str(target))
            assert result.returncode == 2 and "not a regular file" in result.stderr
            assert kind(os.lstat(target).st_mode)  # still what it was
        result = kg("viz", "--money", "--out", str(link))
        assert result.returncode == 2 and link.is_symlink()
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    finally:
        server.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null.html", "pipe.html", "sock.html"]


def test_stale_temporary_files_of_a_killed_build_are_removed(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "KG_STORE": "memory"}
    for delay in (1.5, 3.0):  # kill -9 part-way, twice
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "build", "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    out.mkdir(exist_ok=True)
    stale = out / f".kg.trig.kg{2**22 + 7}-abc123.tmp"  # beyond pid_max: a writer long gone
    stale.write_text("left by a killed run", encoding="utf-8")
    result = kg("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith((".tmp", ".old"))] == []


@pytest.mark.parametrize(
    "args",
    [
        ("entity", "x" * 120_000),
        ("search", "Black" * 20_000),
        ("ask", "who attended " + "the " * 25_000),
        ("commitments", "--min-usd", "nan"),
        ("commitments", "--min-usd", "inf"),
    ],
    ids=["120k-name", "100k-search", "100k-question", "min-usd-nan", "min-usd-inf"],
)
def test_over_long_names_and_non_finite_figures_are_refused_at_once(args):
    result = kg(*args)
    assert result.returncode == 2, result.stderr
    assert result.seconds < 10
