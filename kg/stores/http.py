"""The one HTTP client of kg (``sparql:`` stores, ``kg push``): stdlib only, every wait bounded.

- the URL is checked first (scheme, host, port in range) and refused as an InputError;
- connecting waits at most ``connect`` seconds (``$KG_CONNECT_TIMEOUT``, default 5, at most 10
  unless set), each read at most ``read`` seconds (``$KG_READ_TIMEOUT``, default 30), and a
  whole answer at most ``read`` seconds more than that;
- an answer larger than ``max_bytes`` is refused; server text in messages is sanitised;
- credentials (:class:`Credentials`): a user name from ``--user`` (or the URL's user part) with
  the password from ``$KG_PASSWORD``, else the ``~/.netrc`` entry for the host, as curl reads it;
  answered to an HTTP Basic or Digest challenge. The password is never printed nor put in an error.

>>> split_url("http://[::1")
Traceback (most recent call last):
kg.errors.InputError: http://[::1: not a valid URL (Invalid IPv6 URL)
"""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.errors import InputError, StoreError

if TYPE_CHECKING:
    import http.client

CONNECT_ENV = "KG_CONNECT_TIMEOUT"
READ_ENV = "KG_READ_TIMEOUT"
DEFAULT_CONNECT = 5.0
DEFAULT_READ = 30.0
MAX_ANSWER = 256 << 20  # bytes


def _seconds(env: str, default: float) -> float:
    from kg.sparql.runner import check_timeout

    value = os.environ.get(env)
    return default if value in (None, "") else check_timeout(value, f"${env}")


def _without_user(url: str) -> str:
    """``url`` without a user part, for messages."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def timeouts() -> tuple[float, float]:
    """(connect, read) seconds from the environment, else the short defaults."""
    return _seconds(CONNECT_ENV, DEFAULT_CONNECT), _seconds(READ_ENV, DEFAULT_READ)


def split_url(url: str) -> tuple[str, str, int | None, str]:
    """(scheme, host, port, path) of an http(s) URL, or InputError."""
    from kg.sparql.terms import printable

    shown = printable(url, 200)
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InputError(f"{shown}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{shown}: expected an http:// or https:// URL with a host")
    if any(c in url for c in " \t\r\n\x00"):
        raise InputError(f"{shown}: a URL cannot contain spaces or control characters")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


PASSWORD_ENV = "KG_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user and password for a host; ``repr`` and ``str`` never show the password."""

    user: str
    password: str = field(repr=False)
    origin: str = PASSWORD_ENV

    def __str__(self) -> str:
        return f"user '{self.user}' (password from {self.origin})"


def credentials(url: str, user: str | None = None) -> Credentials | None:
    """The credentials for ``url``: ``user`` (else the URL's user part) with ``$KG_PASSWORD``,
    else the ``~/.netrc`` (``$NETRC``) entry for the host; None when there are none.

    >>> import os; os.environ["KG_PASSWORD"] = "s3cret"
    >>> credentials("http://db.example/sparql", "dba")
    Credentials(user='dba', origin='KG_PASSWORD')
    >>> del os.environ["KG_PASSWORD"]
    """
    parts = urllib.parse.urlsplit(url)
    if parts.password is not None:
        raise InputError(
            "a password cannot be given in a URL (it would show in the process list); set "
            f"${PASSWORD_ENV} or add a ~/.netrc entry for {parts.hostname}"
        )
    user = user or (urllib.parse.unquote(parts.username) if parts.username else None)
    if user is not None and any(c in user for c in ":\r\n\x00"):
        raise InputError("a user name cannot contain ':' or control characters")
    password = os.environ.get(PASSWORD_ENV)
    if user and password:
        return Credentials(user, password)
    entry = _netrc_entry(parts.hostname or "")
    if entry is not None and (user is None or entry[0] in ("", user)):
        return Credentials(user or entry[0], entry[1], "~/.netrc")
    if user:
        raise InputError(
            f"no password for user '{user}': set ${PASSWORD_ENV}, or add a ~/.netrc entry "
            f"'machine {parts.hostname} login {user} password ...'"
        )
    return None


def _netrc_entry(host: str) -> tuple[str, str] | None:
    """(login, password) of the netrc file's entry for ``host`` (or its default), else None."""
    import netrc
    from pathlib import Path

    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    try:
        if not path.is_file() or path.stat().st_size > 1 << 20:
            return None
        found = netrc.netrc(str(path)).authenticators(host)
    except (OSError, netrc.NetrcParseError) as exc:
        where = getattr(exc, "filename", None) or path
        raise InputError(f"{where}: cannot read the netrc file ({type(exc).__name__})") from None
    if not found or found[2] is None:
        return None
    return found[0] or "", found[2]


def _challenge(header: str) -> tuple[str, dict[str, str]]:
    """The scheme (lower case) and parameters of a ``WWW-Authenticate`` header.

    >>> _challenge('Digest realm="SPARQL", nonce="ab,c", qop="auth", algorithm=MD5')
    ('digest', {'realm': 'SPARQL', 'nonce': 'ab,c', 'qop': 'auth', 'algorithm': 'MD5'})
    """
    import re

    scheme, _, rest = header.strip().partition(" ")
    params = {
        k.lower(): v if v else w
        for k, v, w in re.findall(r'([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))', rest)
    }
    return scheme.lower(), params


class _Auth:
    """Answers a server's Basic or Digest challenge with ``creds`` (RFC 7617, RFC 7616)."""

    def __init__(self, creds: Credentials):
        self.creds = creds
        self.scheme: str | None = None
        self.params: dict[str, str] = {}
        self.count = 0

    def learn(self, header: str | None) -> bool:
        """Take a challenge; False when it is no scheme kg speaks."""
        if not header:
            return False
        scheme, params = _challenge(header)
        if scheme not in ("basic", "digest"):
            return False
        if scheme == "digest" and params.get("algorithm", "MD5").upper() not in _DIGESTS:
            return False
        self.scheme, self.params, self.count = scheme, params, 0
        return True

    def header(self, method: str, path: str) -> str | None:
        """The Authorization header for one request, once a challenge was learnt."""
        import base64
        import hashlib
        import secrets

        user, password = self.creds.user, self.creds.password
        if self.scheme == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            return f"Basic {token}"
        if self.scheme != "digest":
            return None
        p = self.params
        algorithm = p.get("algorithm", "MD5")
        name = _DIGESTS[algorithm.upper()]

        def h(text: str) -> str:
            return hashlib.new(name, text.encode("utf-8")).hexdigest()

        self.count += 1
        nc, cnonce = f"{self.count:08x}", secrets.token_hex(8)
        ha1 = h(f"{user}:{p.get('realm', '')}:{password}")
        if algorithm.upper().endswith("-SESS"):
            ha1 = h(f"{ha1}:{p.get('nonce', '')}:{cnonce}")
        ha2 = h(f"{method}:{path}")
        qop = "auth" if "auth" in [q.strip() for q in p.get("qop", "").split(",")] else None
        if qop:
            response = h(f"{ha1}:{p.get('nonce', '')}:{nc}:{cnonce}:{qop}:{ha2}")
        else:
            response = h(f"{ha1}:{p.get('nonce', '')}:{ha2}")
        fields = [
            f'username="{user}"',
            f'realm="{p.get("realm", "")}"',
            f'nonce="{p.get("nonce", "")}"',
            f'uri="{path}"',
            f"algorithm={algorithm}",
            f'response="{response}"',
        ]
        if "opaque" in p:
            fields.append(f'opaque="{p["opaque"]}"')
        if qop:
            fields += [f"qop={qop}", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(fields)


_DIGESTS = {"MD5": "md5", "MD5-SESS": "md5", "SHA-256": "sha256", "SHA-256-SESS": "sha256"}


@dataclass
class Reply:
    status: int
    media: str
    body: bytes
    server: str = ""
    challenge: str | None = None


class Client:
    """One kept-alive connection to the server of ``url``."""

    def __init__(
        self,
        url: str,
        connect: float | None = None,
        read: float | None = None,
        creds: Credentials | None = None,
    ):
        scheme, self.host, self.port, self.path = split_url(url)
        self.url = _without_user(url)
        self._auth = _Auth(creds) if creds is not None else None
        env_connect, env_read = timeouts()
        self.connect = connect if connect is not None else env_connect
        self.read = read if read is not None else env_read
        import http.client  # only for remote stores: not on the start-up path of every command

        self._cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            conn = self._cls(self.host, self.port, timeout=self.connect)
            conn.connect()
            conn.sock.settimeout(self.read)
            self._conn = conn
        return self._conn

    def request(
        self, method: str, path: str | None, body: bytes | None, headers: dict, max_bytes: int
    ) -> Reply:
        """Send one request and read the whole answer (StoreError on any failure); a 401 with
        a Basic or Digest challenge is answered once with the credentials, if there are any."""
        path = path or self.path
        auth = self._auth
        reply = self._send(method, path, body, headers, max_bytes)
        if reply.status == 401 and auth is not None:
            if auth.learn(reply.challenge):  # a first, new or stale challenge: answer it once
                reply = self._send(method, path, body, headers, max_bytes)
            if reply.status == 401:
                raise StoreError(
                    f"{self.url} refused the credentials of {auth.creds} (HTTP 401); check "
                    f"${PASSWORD_ENV} or ~/.netrc"
                )
        elif reply.status == 401:
            raise StoreError(
                f"{self.url} needs credentials (HTTP 401): give --user NAME with ${PASSWORD_ENV} "
                "set, or add a ~/.netrc entry for the host"
            )
        return reply

    def _send(
        self, method: str, path: str, body: bytes | None, headers: dict, max_bytes: int
    ) -> Reply:
        import http.client

        from kg.sparql.terms import printable

        headers = dict(headers)
        if self._auth is not None:
            value = self._auth.header(method, path)
            if value:
                headers["Authorization"] = value
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            deadline = time.monotonic() + 2 * self.read
            chunks, size = [], 0
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise StoreError(f"{self.url} answered more than {max_bytes >> 20} MB")
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.url} took longer than {2 * self.read:g} s to answer")
                chunks.append(chunk)
            media = response.headers.get_content_type()
            reply = Reply(
                response.status,
                media,
                b"".join(chunks),
                response.headers.get("Server", ""),
                response.headers.get("WWW-Authenticate"),
            )
            if response.will_close:
                self.close()
            return reply
        except TimeoutError:
            self.close()
            raise StoreError(
                f"{printable(self.url)} did not answer within {self.read:g} s "
                f"(connect {self.connect:g} s; set ${READ_ENV} / ${CONNECT_ENV})"
            ) from None
        except http.client.HTTPException as exc:
            self.close()
            raise StoreError(
                f"{printable(self.url)} did not answer in HTTP ({type(exc).__name__}: "
                f"{printable(str(exc), 100)})"
            ) from None
        except OSError as exc:
            self.close()
            reason = printable(exc.strerror or str(exc), 200)
            raise StoreError(f"cannot reach {printable(self.url)}: {reason}") from None
        except StoreError:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
