"""Credentials for push and sparql: stores without a server: where the password comes from, and
that it never shows (the Virtuoso round trip is in tests/test_virtuoso.py)."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.stores.http import Credentials, _Auth, credentials

SECRET = "pa55-Very-Secret"


@pytest.fixture(autouse=True)
def no_ambient(monkeypatch, tmp_path):
    monkeypatch.delenv("KG_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))


def test_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("KG_PASSWORD", SECRET)
    creds = credentials("http://db.example:8890/sparql-auth", "dba")
    assert creds is not None and creds.user == "dba" and creds.password == SECRET
    assert SECRET not in repr(creds) and SECRET not in str(creds)
    assert credentials("http://dba@db.example/sparql").user == "dba"


def test_password_from_netrc_for_the_host(monkeypatch, tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine db.example login dba password {SECRET}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert credentials("http://db.example/sparql").password == SECRET
    assert credentials("http://db.example/sparql", "dba").origin == "~/.netrc"
    assert credentials("http://other.example/sparql") is None
    with pytest.raises(InputError, match="no password for user 'bob'") as err:
        credentials("http://db.example/sparql", "bob")
    assert SECRET not in str(err.value)


def test_a_password_in_the_url_is_refused_without_echoing_it():
    with pytest.raises(InputError) as err:
        credentials(f"http://dba:{SECRET}@db.example/sparql")
    assert SECRET not in str(err.value)


def test_no_password_for_a_named_user_says_where_to_put_one():
    with pytest.raises(InputError, match="KG_PASSWORD"):
        credentials("http://db.example/sparql", "dba")


def test_digest_answer_follows_rfc_2617(monkeypatch):
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n: "0a4f113b")
    auth = _Auth(Credentials("Mufasa", "Circle Of Life"))
    assert auth.learn(
        'Digest realm="testrealm@host.com", qop="auth,auth-int", '
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"'
    )
    header = auth.header("GET", "/dir/index.html")
    fields = dict(part.strip().split("=", 1) for part in header.removeprefix("Digest ").split(", "))
    assert fields["response"] == '"6629fae49393a05397450978507c4ef1"'  # the RFC's example
    assert fields["nc"] == "00000001" and fields["qop"] == "auth"
    assert "Circle Of Life" not in header
    assert not auth.learn("Negotiate abc")
    basic = _Auth(Credentials("u", "p"))
    assert basic.learn('Basic realm="x"') and basic.header("GET", "/") == "Basic dTpw"
