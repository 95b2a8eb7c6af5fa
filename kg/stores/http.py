"""The one HTTP client of kg (``sparql:`` stores, ``kg push``): stdlib only, every wait bounded.

- the URL is checked first (scheme, host, port in range) and refused as an InputError;
- connecting waits at most ``connect`` seconds (``$KG_CONNECT_TIMEOUT``, default 5, at most 10
  unless set), each read at most ``read`` seconds (``$KG_READ_TIMEOUT``, default 30), and a
  whole answer at most ``read`` seconds more than that;
- an answer larger than ``max_bytes`` is refused; server text in messages is sanitised.

>>> split_url("http://[::1")
Traceback (most recent call last):
kg.errors.InputError: http://[::1: not a valid URL (Invalid IPv6 URL)
"""

from __future__ import annotations

import os
import time
import urllib.parse
from dataclasses import dataclass
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


@dataclass
class Reply:
    status: int
    media: str
    body: bytes


class Client:
    """One kept-alive connection to the server of ``url``."""

    def __init__(self, url: str, connect: float | None = None, read: float | None = None):
        self.url = url
        scheme, self.host, self.port, self.path = split_url(url)
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
        """Send one request and read the whole answer (StoreError on any failure)."""
        import http.client

        from kg.sparql.terms import printable

        try:
            conn = self._connection()
            conn.request(method, path or self.path, body=body, headers=headers)
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
            return Reply(response.status, media, b"".join(chunks))
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
