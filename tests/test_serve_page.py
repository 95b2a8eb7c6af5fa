"""The ``kg serve`` page: the vendored YASGUI, the static route, and the page in real Chromium."""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from test_serve import fetch, start, stop

from kg.queries import example_queries, saved_queries, saved_query
from kg.serve import HOST
from kg.serve_page import (
    FOREVER,
    ONLY_BOUND,
    REVALIDATE,
    STATIC,
    asset,
    editor_text,
    manifest,
    page,
)
from kg.sparql.prologue import prologue

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "kg" / "static" / "yasgui"


# ----------------------------------------------------------------------------- the bundle


def test_vendored_files_match_their_manifest():
    meta = manifest()
    assert meta["package"] == "@zazuko/yasgui" and meta["license"] == "MIT"
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert meta["integrity"].startswith("sha512-")
    assert set(meta["files"]) == {"yasgui.min.js", "yasgui.min.css"}
    for name, entry in meta["files"].items():
        data = (VENDOR / name).read_bytes()
        assert len(data) == entry["bytes"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    license_text = (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in license_text and meta["version"] in license_text


def test_bundle_has_no_reference_to_another_origin_that_loads():
    """The bundle's CSS pulls in nothing (no url(), no @import); its JS fetches only the
    endpoint unless told otherwise (the page turns the LOV completers off: see below)."""
    css = (VENDOR / "yasgui.min.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    script = (ROOT / "kg" / "static" / "page.js").read_text(encoding="utf-8")
    assert 'autocompleters = ["kgPrefixes", "variables", "kgClass", "kgProperty"]' in script
    assert "prefixCcApi = null" in script


@pytest.mark.slow
def test_wheel_and_sdist_carry_the_page_files(tmp_path):
    pytest.importorskip("hatchling", reason="the build backend (dev extra) builds the wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    import tarfile
    import zipfile

    wanted = {f"kg/{path}" for path, _ in STATIC.values()}
    wanted |= {"kg/serve_page.html", "kg/static/yasgui/MANIFEST.json"}
    wanted |= {f"kg/queries/examples/{q.name}.rq" for q in example_queries()}
    (wheel,) = tmp_path.glob("kg-*.whl")
    assert wanted <= set(zipfile.ZipFile(wheel).namelist())
    (sdist,) = tmp_path.glob("kg-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert wanted | {"scripts/refresh_yasgui.py"} <= names


# ----------------------------------------------------------------------------- the page


def test_page_holds_every_query_with_the_project_prefixes():
    text = page().body.decode("utf-8")
    block = re.search(r'<script type="application/json" id="kg-config">(.*?)</script>', text, re.S)
    assert block is not None
    config = json.loads(block.group(1))
    names = [q["name"] for g in config["groups"] for q in g["queries"]]
    assert names == [f"example:{q.name}" for q in example_queries()] + [
        f"saved:{q.name}" for q in saved_queries() if q.name not in ONLY_BOUND
    ]
    declarations = prologue("").splitlines()
    assert len(declarations) >= 10
    for group in config["groups"]:
        for q in group["queries"]:
            for line in declarations:
                assert line in q["query"], (q["name"], line)
    assert config["start"].count("PREFIX") == len(declarations)
    # every script and style is this server's, named with its digest
    sources = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert sources and all(s.startswith(("static/", "data:")) for s in sources)
    for name in ("yasgui.min.js", "yasgui.min.css", "page.js", "page.css"):
        found = asset(name)
        assert found is not None and f"static/{name}?v={found.digest}" in text


def test_editor_text_keeps_a_query_s_own_prefixes():
    text = editor_text("# note\nPREFIX kg: <http://example.org/>\nASK { ?s a kg:X }\n")
    assert text.startswith("# note\n") and text.count("PREFIX kg:") == 1
    assert "PREFIX skos:" in text


def test_a_json_config_cannot_close_its_script_element():
    from kg.serve_page import _script_json

    text = _script_json({"q": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"q": "</script><script>alert(1)</script> & <!--"}


# ----------------------------------------------------------------------------- served


@pytest.fixture(scope="module")
def server():
    proc, port = start("--timeout", "60", "--max-rows", "1000")
    try:
        yield f"http://{HOST}:{port}"
    finally:
        stop(proc)


def raw(server: str, path: str, method: str = "GET", headers: dict | None = None):
    """One request with the path sent exactly as given (no client-side normalisation)."""
    url = urllib.parse.urlsplit(server)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.mark.server
def test_static_files_are_served_with_their_type_and_cache_headers(server):
    for name, (path, media) in STATIC.items():
        found = asset(name)
        assert found is not None
        status, headers, body = raw(server, f"/static/{name}")
        assert status == 200 and headers["Content-Type"] == media
        assert body == (ROOT / "kg" / path).read_bytes()
        assert headers["ETag"] == found.etag and headers["Cache-Control"] == REVALIDATE
        assert headers["X-Content-Type-Options"] == "nosniff"
        # the digest-named URL the page uses may be kept; a stale one may not
        assert raw(server, f"/static/{name}?v={found.digest}")[1]["Cache-Control"] == FOREVER
        assert raw(server, f"/static/{name}?v=0000")[1]["Cache-Control"] == REVALIDATE
        status, headers, body = raw(
            server, f"/static/{name}", headers={"If-None-Match": found.etag}
        )
        assert (status, body) == (304, b"") and "Content-Length" not in headers
        status, headers, body = raw(server, f"/static/{name}", "HEAD")
        assert status == 200 and body == b"" and headers["Content-Length"] == str(len(found.body))
    status, headers, _ = raw(server, "/")
    assert status == 200 and headers["Cache-Control"] == REVALIDATE and headers["ETag"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert raw(server, "/", headers={"If-None-Match": headers["ETag"]})[0] == 304


HOSTILE_PATHS = [
    "/static/",
    "/static",
    "/static/../serve.py",
    "/static/%2e%2e/serve.py",
    "/static/..%2fserve.py",
    "/static/yasgui/yasgui.min.js",
    "/static/yasgui/",
    "/static/yasgui.min.js.map",
    "/static/yasgui.min.js/",
    "/static//yasgui.min.js",
    "/static/PAGE.JS",
    "/static/page.js%00",
    "/static/MANIFEST.json",
    "/static/../../../../etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/" + "a" * 8000,
    "/serve_page.html",
    "/kg/static/page.js",
]


@pytest.mark.server
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_static_route_serves_only_the_table(server, path):
    status, headers, body = raw(server, path)
    assert status == 404, path
    assert headers["Content-Type"].startswith("text/plain") and len(body) < 200
    for name in STATIC:
        found = asset(name)
        assert found is not None and found.body[:64] not in body


@pytest.mark.server
def test_static_files_refuse_other_methods(server):
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = raw(server, "/static/page.js", method, {"Content-Length": "0"})
        assert status == 405 and headers["Allow"] == "GET, HEAD", method


def saved_example(name: str):
    (found,) = [q for q in example_queries() if q.name == name]
    return found


def run_as_the_page(server: str, text: str):
    """POST ``text`` as a tab opened from the menu sends it."""
    query = editor_text(text)
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(
        f"{server}/sparql",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json,*/*;q=0.9",
        },
    )
    return fetch(request)


@pytest.mark.server
@pytest.mark.parametrize(
    "entry",
    [*example_queries(), *(q for q in saved_queries() if q.name not in ONLY_BOUND)],
    ids=lambda q: q.name,
)
def test_every_menu_query_runs_as_the_page_sends_it(server, entry):
    status, kind, answer, _ = run_as_the_page(server, entry.text)
    assert status == 200, answer[:300]
    if kind == "application/sparql-results+json":
        data = json.loads(answer)
        assert data.get("boolean") is True or data["results"]["bindings"], entry.name
    else:
        assert kind == "text/turtle" and answer.strip(), entry.name


@pytest.mark.server
@pytest.mark.parametrize("name", sorted(ONLY_BOUND))
def test_queries_left_out_of_the_menu_answer_nothing_unbound(server, name):
    status, _, answer, _ = run_as_the_page(server, saved_query(name).text)
    assert status == 200 and json.loads(answer)["results"]["bindings"] == []


# ----------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    import _chromium

    # every host name still fails at once; only this loopback address resolves
    flags = [
        f"{flag}, EXCLUDE {HOST}" if flag.startswith("--host-resolver-rules=") else flag
        for flag in _chromium.FLAGS
    ]
    saved, _chromium.FLAGS = _chromium.FLAGS, flags
    try:
        chromium = _chromium.Browser()
    finally:
        _chromium.FLAGS = saved
    try:
        yield chromium
    finally:
        chromium.quit()


RESULTS = "kgYasgui.getTab().getYasr().rootEl"  # the results of the tab on show
ROWS = RESULTS + ".querySelectorAll('tbody tr').length"


def open_page(browser, server: str, tmp_path: Path, path: str = "/"):
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    tab = browser.open(blank)
    tab.send("Page.navigate", url=f"{server}{path}")
    tab.wait_for("document.body && document.body.dataset.ready === '1'")
    return tab


def outside(tab, server: str) -> list[str]:
    return [u for u in tab.requests if not u.startswith((server + "/", "file:", "about:"))]


@pytest.mark.browser
@pytest.mark.server
def test_editor_runs_an_example_against_this_server(server, browser, tmp_path):
    tab = open_page(browser, server, tmp_path)
    assert tab.evaluate("document.querySelectorAll('.yasgui .CodeMirror').length") == 1
    endpoint = tab.evaluate("kgYasgui.getTab().getEndpoint()")
    assert endpoint == f"{server}/sparql"
    value = tab.evaluate("kgYasgui.getTab().getYasqe().getValue()")
    assert "id:ny-meeting kg:attendee" in value and "PREFIX skos:" in value
    tab.evaluate("document.querySelector('.yasqe_queryButton').click()")
    rows = tab.wait_for(ROWS)
    cells = tab.evaluate(
        "[...kgYasgui.getTab().getYasr().rootEl.querySelectorAll('tbody tr')]"
        ".map(r => r.textContent).join('|')"
    )
    _, _, answer, _ = run_as_the_page(server, saved_example("ny-meeting").text)
    names = [row["name"]["value"] for row in json.loads(answer)["results"]["bindings"]]
    assert rows == len(names) == 6
    assert all(name in cells for name in names)
    assert f"{server}/sparql" in tab.requests
    # completion, from this server only: the project's prefixes, then the classes and
    # properties the graph uses (asked of /sparql), where YASQE would ask prefix.cc and LOV
    for text, wanted in [
        ("PREFIX k", "kg: <https://w3id.org/korea-ai-kg/ontology#>"),
        (
            "PREFIX kg: <https://w3id.org/korea-ai-kg/ontology#>\nSELECT * { ?s a kg:Inv",
            "kg:Investor",
        ),
        (
            "PREFIX kg: <https://w3id.org/korea-ai-kg/ontology#>\nSELECT * { ?s kg:atte",
            "kg:attendee",
        ),
    ]:
        tab.evaluate(
            f"(() => {{ const y = kgYasgui.getTab().getYasqe(); y.setValue({json.dumps(text)});"
            " y.setCursor({line: y.lastLine(), ch: 1000}); y.autocomplete(); })()"
        )
        hints = tab.wait_for(
            "[...document.querySelectorAll('.CodeMirror-hint')].map(h => h.textContent).join('|')"
        )
        assert wanted in hints.split("|"), (text, hints)
        tab.evaluate("kgYasgui.getTab().getYasqe().closeHint?.()")
    browser.pump(1.0)
    assert tab.errors() == []
    assert outside(tab, server) == []
    tab.close()


@pytest.mark.browser
@pytest.mark.server
def test_menu_opens_a_saved_query_in_a_tab_and_runs_it(server, browser, tmp_path):
    tab = open_page(browser, server, tmp_path)
    before = tab.evaluate("document.querySelectorAll('.yasgui .tabsList .tab').length")
    tab.evaluate(
        "(() => { const m = document.getElementById('examples'); m.value = 'saved:roles';"
        " m.dispatchEvent(new Event('change')); })()"
    )
    assert tab.evaluate("kgYasgui.getTab().getName()") == "Roles, titles and memberships"
    assert tab.evaluate("document.querySelectorAll('.yasgui .tabsList .tab').length") > before
    assert "?membership a kg:Membership" in tab.evaluate("kgYasgui.getTab().getYasqe().getValue()")
    tab.evaluate("kgYasgui.getTab().query()")
    assert tab.wait_for(ROWS) > 5
    assert "Larry Fink" in tab.evaluate(RESULTS + ".textContent")
    # a CONSTRUCT: the server's Turtle, read back into a subject/predicate/object table
    tab.evaluate(
        "(() => { const m = document.getElementById('examples');"
        " m.value = 'example:blackrock-graph'; m.dispatchEvent(new Event('change')); })()"
    )
    tab.evaluate("kgYasgui.getTab().query()")
    assert tab.wait_for(ROWS) >= 5
    assert tab.evaluate(RESULTS + ".textContent").count("id:blackrock") >= 5
    # a broken query: the server's 400 reason is shown, nothing else goes wrong
    tab.evaluate(
        "(() => { const t = kgYasgui.getTab(); t.getYasqe().setValue('SELECT * WHERE {');"
        " t.query().catch(() => {}); })()"
    )
    shown = tab.wait_for(f"({RESULTS}.querySelector('.errorResult') || {{}}).textContent", 20)
    assert "SPARQL syntax error" in shown
    assert tab.errors() == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert outside(tab, server) == []
    tab.close()


@pytest.mark.browser
@pytest.mark.server
def test_a_shared_link_cannot_point_the_page_elsewhere(server, browser, tmp_path):
    """A link's query opens and runs, but on this server: its endpoint and headers are dropped."""
    link = urllib.parse.urlencode(
        {
            "query": "ASK { id:aws a kg:Investor }",
            "endpoint": "http://example.org/sparql",
            "headers": json.dumps({"Authorization": "x"}),
            "tabTitle": "shared",
        }
    )
    tab = open_page(browser, server, tmp_path, f"/#{link}")
    assert tab.evaluate("kgYasgui.getTab().getName()") == "shared"
    assert tab.evaluate("kgYasgui.getTab().getEndpoint()") == f"{server}/sparql"
    shown = tab.wait_for(f"{RESULTS}.querySelector('.booleanResult, .yasr_results')?.textContent")
    assert "true" in shown.lower()
    assert tab.evaluate("JSON.stringify(kgYasgui.getTab().getRequestConfig().headers)") == "{}"
    assert tab.errors() == [] and outside(tab, server) == []
    tab.close()
