"""kg against a real Virtuoso (Debian virtuoso-opensource-7-bin) on loopback: ``kg push`` with
credentials (HTTP Digest, ``$KG_PASSWORD``, ``~/.netrc``), a wrong password as a clear error
that never shows the secret, and the ``sparql:`` store answering like the embedded one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.serve import free_port
from kg.store import open_store

pytestmark = pytest.mark.server

PASSWORD = "Zq8-vt-secret-pw"  # the dba password the fixture sets; must never be printed
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
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxClientConnections = 8

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _isql(sql_port: int, password: str, script: str) -> str:
    done = subprocess.run(
        ["isql-vt", f"127.0.0.1:{sql_port}", "dba", password],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[tuple[str, int, Path]]:
    """A fresh Virtuoso on free loopback ports with dba's password set to PASSWORD; its HTTP
    base URL, SQL port and database folder. Stopped after the module."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    import urllib.request

    folder = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    proc = subprocess.Popen(
        ["virtuoso-t", "-f", "-c", str(ini)],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{http}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"virtuoso-t exited: {(folder / 'virtuoso.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("Virtuoso did not answer within 120 s")
                time.sleep(0.5)
        out = _isql(sql, "dba", f"USER_CHANGE_PASSWORD('dba', 'dba', '{PASSWORD}');\n")
        assert "Error" not in out, out
        yield base, sql, folder
    finally:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def kg(*args: str, password: str | None = PASSWORD, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "KG_STORE": "memory", **env}
    environ.pop("KG_PASSWORD", None)
    if password is not None:
        environ["KG_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
    )


def GRAPHS() -> int:  # noqa: N802 - a constant of the build, read from its N-Quads
    """How many graphs the curated build has (the last term of each line of exports/kg.nq)."""
    lines = (Path(__file__).parent.parent / "exports" / "kg.nq").read_text().splitlines()
    return len({line.rsplit(" ", 2)[1] for line in lines if line.strip()})


@pytest.fixture(scope="module")
def pushed(virtuoso) -> str:
    """The curated graph pushed with credentials; the spec of Virtuoso's query endpoint."""
    base, _, _ = virtuoso
    done = kg("push", f"{base}/sparql-graph-crud-auth", "--user", "dba", "--batch", "100")
    assert done.returncode == 0, done.stderr
    n = GRAPHS()
    assert f"replaced {n} of {n} graphs" in done.stdout
    assert f"kg push: {n}/{n} graphs" in done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    return f"sparql:{base}/sparql"


def test_push_without_credentials_says_how_to_give_them(virtuoso):
    base, _, _ = virtuoso
    done = kg("push", f"{base}/sparql-graph-crud-auth", password=None, HOME="/nonexistent")
    assert done.returncode == 1
    assert "needs credentials" in done.stderr and "--user" in done.stderr
    assert "Traceback" not in done.stderr


def test_wrong_password_is_a_clear_error_without_the_secret(virtuoso):
    base, _, _ = virtuoso
    wrong = "Wr0ng-" + PASSWORD[::-1]
    done = kg("push", f"{base}/sparql-graph-crud-auth", "--user", "dba", password=wrong)
    assert done.returncode == 1
    assert "refused the credentials of user 'dba'" in done.stderr
    assert "no graph was replaced" in done.stderr
    for secret in (wrong, PASSWORD):
        assert secret not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_netrc_gives_the_password(virtuoso, pushed, tmp_path):
    base, _, _ = virtuoso
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login dba password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    store = open_store(f"sparql:{base}/sparql-auth")  # no credentials: refused
    with pytest.raises(Exception, match="needs credentials"):
        os.environ.pop("NETRC", None)
        store.query("ASK { ?s ?p ?o }")
    done = kg(
        "sparql",
        "ASK { id:blackrock a kg:Investor }",
        "--json",
        "--store",
        f"sparql:{base}/sparql-auth",
        password=None,
        NETRC=str(netrc),
    )
    assert done.returncode == 0, done.stderr
    assert "true" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr


def test_a_password_in_the_url_is_refused(virtuoso):
    base, _, _ = virtuoso
    url = base.replace("//", f"//dba:{PASSWORD}@") + "/sparql-graph-crud-auth"
    done = kg("push", url)
    assert done.returncode == 2
    assert "password cannot be given in a URL" in done.stderr
    assert PASSWORD not in done.stderr


def test_resume_skips_what_was_pushed(virtuoso, pushed):
    base, _, _ = virtuoso
    skip = GRAPHS() - 2
    done = kg("push", f"{base}/sparql-graph-crud-auth", "--user", "dba", "--resume", str(skip))
    assert done.returncode == 0, done.stderr
    assert f"replaced 2 of {GRAPHS()} graphs, {skip} skipped" in done.stdout


def _values(result) -> object:
    """A result in a comparable form, literals by value (Virtuoso keeps no decimal lexical)."""
    from rdflib import Literal

    if result.kind == "ask":
        return result.boolean

    def term(t):
        return (t.toPython(), t.language) if isinstance(t, Literal) else t

    return result.variables, sorted((tuple(term(t) for t in row) for row in result.rows), key=str)


def test_reference_queries_answer_like_memory(pushed):
    from test_store import QUERIES

    remote, memory = open_store(pushed), open_store("memory")
    for text, bindings in QUERIES:
        assert _values(remote.query(text, bindings)) == _values(memory.query(text, bindings)), text


def test_dataset_leaves_virtuoso_system_graphs_out(pushed):
    remote = {q for q in open_store(pushed).dataset().quads((None, None, None, None))}
    local = {q for q in open_store("memory").dataset().quads((None, None, None, None))}
    assert len(remote) == len(local)


def _same_output(spec: str, commands: list[list[str]]) -> None:
    runner = CliRunner()
    for args in commands:
        local = runner.invoke(app, [*args, "--store", "memory"])
        remote = runner.invoke(app, [*args, "--store", spec])
        assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout), args


def test_every_command_answers_the_same_on_virtuoso(pushed):
    """All but ``kg why``, which lists the same facts in an order that varies from one fresh
    Virtuoso to the next (ties of its query's ORDER BY are the engine's choice)."""
    from test_store import COMMANDS

    _same_output(pushed, [c for c in COMMANDS if c[0] != "why"])


def test_bulk_writes_nquads_and_virtuoso_loads_them(virtuoso, tmp_path):
    base, sql, folder = virtuoso
    bulk = folder / "bulk"
    bulk.mkdir()
    done = kg("push", "--bulk", str(bulk))
    assert done.returncode == 0, done.stderr
    assert "ld_dir(" in done.stdout and "rdf_loader_run()" in done.stdout
    out = _isql(sql, PASSWORD, (bulk / "kg-load.sql").read_text(encoding="utf-8"))
    assert "Error" not in out, out[-2000:]
    quads = int(done.stdout.split()[1])
    count = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/korea-ai-kg/')) }"
    )
    assert int(open_store(f"sparql:{base}/sparql").query(count).rows[0][0]) == quads


def test_wrapped_names_resolve_the_same_on_virtuoso(pushed):
    """The descriptors query (kg/queries/descriptors.rq) on a real server: a name wrapped in
    titles and near names resolves as on the memory store (the entity's first line; the
    order of tied rows below it is the server's choice)."""
    runner = CliRunner()
    for name in (
        "South Korean President Lee Jae Myung",
        "BlackRock CEO Larry Fink",
        "Nvidia CEO Chey Tae-won",
    ):
        local = runner.invoke(app, ["entity", name, "--store", "memory"])
        remote = runner.invoke(app, ["entity", name, "--store", pushed])
        assert remote.exit_code == local.exit_code, name
        assert remote.output.splitlines()[0] == local.output.splitlines()[0], name
