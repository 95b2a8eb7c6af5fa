"""The one query runner: every user query (``kg sparql``, ``kg viz --query``, ``kg serve``) is
checked (:mod:`kg.sparql.checks`), then run by a worker process that is killed when its timeout
runs out (neither rdflib nor pyoxigraph can interrupt a running query), with a row cap.

- :class:`Runner` ``(store, timeout=, max_rows=, workers=0)``: ``run(text, bindings)`` returns a
  :class:`~kg.sparql.results.Result` in rdflib terms; ``answer(text, accept, fmt)`` returns the
  result serialised in a negotiated media type (what an HTTP endpoint sends).
- ``workers=0`` forks one worker per query (a command that runs one query); ``workers=N`` keeps a
  pool of N forked workers, each with its own engine, fed by a bounded queue: when it is full the
  call raises :class:`Busy` at once, and a worker whose query outlives the timeout is killed and
  replaced (:class:`QueryTimeout`).

>>> from kg.store import open_store
>>> result = run_query(open_store(), "SELECT ?name WHERE { id:blackrock skos:prefLabel ?name }")
>>> [str(row[0]) for row in result.rows]
['BlackRock']
"""

from __future__ import annotations

import contextlib
import math
import os
import queue as queue_mod
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, QueryError, StoreError
from kg.sparql.checks import QueryTimeout, check_bindings, check_query, prescan

if TYPE_CHECKING:
    from kg.stores.base import Store

DEFAULT_TIMEOUT = 10.0  # seconds
MAX_TIMEOUT = 3600.0  # seconds: the longest --timeout accepted
DEFAULT_MAX_ROWS = 10_000
MAX_ROWS = 10_000_000


class Busy(KGError):
    """Every worker is taken and the queue is full: try again shortly."""

    def __init__(self, message: str, retry_after: int = 1):
        self.retry_after = retry_after
        super().__init__(message)


class WorkerFailed(StoreError):
    """The worker died while answering (killed by the memory limit, or an engine crash)."""


def check_timeout(value: Any, what: str = "--timeout") -> float:
    """A timeout in seconds: finite, above 0 and at most MAX_TIMEOUT, else InputError.

    >>> check_timeout("2.5")
    2.5
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    kg.errors.InputError: --timeout must be a number of seconds above 0 and at most 3600, not nan
    """
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise InputError(
            f"{what} must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, not {value}"
        )
    return seconds


def check_max_rows(value: Any, what: str = "--max-rows") -> int:
    """A row cap: a whole number from 1 to MAX_ROWS, else InputError."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ROWS:
        raise InputError(f"{what} must be a whole number from 1 to {MAX_ROWS:,}, not {value}")
    return value


@dataclass
class Answer:
    """A serialised result: its media type, body and extra headers (``Kg-Row-Cap``)."""

    media: str
    body: bytes
    headers: dict = field(default_factory=dict)


@dataclass
class Job:
    """One query for a worker: ``answer`` jobs come back serialised, the others as Results."""

    text: str
    bindings: dict
    max_rows: int | None
    answer: bool = False
    accept: str | None = None
    fmt: str | None = None
    checked: Any = None  # what an earlier check of the same text found (no parse needed)


# error kinds a worker reports -> the exception the caller gets
_ERRORS = {"query": QueryError, "input": InputError, "store": StoreError}


def execute(store: Store, job: Job):
    """Run ``job`` on ``store`` in this process: ``("ok", payload)`` or ``("error", kind,
    message)``; never raises (a worker has nobody to raise to)."""
    try:
        checked = job.checked or check_query(job.text)
        check_bindings(checked, job.bindings)
        if job.answer:
            from kg.sparql.results import GRAPH_TYPES, RESULT_TYPES, negotiate, serialize

            offered = RESULT_TYPES if checked.form in ("select", "ask") else GRAPH_TYPES
            media = negotiate(job.accept, offered, job.fmt)
            result = store.query(job.text, job.bindings, max_rows=job.max_rows)
            headers = {"Kg-Row-Cap": f"{job.max_rows}; reached"} if result.capped else {}
            return ("ok", Answer(media, serialize(result, media), headers), checked)
        result = store.query(job.text, job.bindings, max_rows=job.max_rows)
        if result.graph is not None:
            result.graph = list(result.graph)  # plain triples travel; graphs are rebuilt
        return ("ok", result, checked)
    except QueryError as exc:
        return ("error", getattr(exc, "kind", "query"), str(exc))
    except InputError as exc:
        return ("error", "input", str(exc))
    except KGError as exc:
        return ("error", "store", str(exc))
    except RecursionError:
        return ("error", "query", "the query is nested too deeply to evaluate; simplify it")
    except MemoryError:
        return ("error", "store", "the query needed more memory than a worker may use")
    except Exception as exc:  # an engine failure: report it rather than die silently
        return ("error", "store", f"the engine failed: {type(exc).__name__}: {exc}"[:1000])


def _unpack(reply):
    status, *payload = reply
    if status == "ok":
        result = payload[0]  # payload[1]: the Checked of the text
        if not isinstance(result, Answer) and result.graph is not None:
            from kg.sparql.results import graph_of

            result.graph = graph_of(result.graph)
        return result
    kind, message = payload
    if kind == "unacceptable":
        from kg.sparql.results import Unacceptable

        raise Unacceptable(message)
    raise _ERRORS.get(kind, StoreError)(message)


def _timeout_error(timeout: float | None) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran longer than the {timeout:g} s timeout and was "
        "stopped; nothing was returned (allow it more time to finish)"
    )


# ----------------------------------------------------------------------------- workers


def _limit_memory(extra: int | None) -> None:
    """Cap this process's address space at its current size plus ``extra`` bytes (and keep
    the engine from printing a backtrace when it runs out)."""
    os.environ["RUST_BACKTRACE"] = "0"
    if not extra:
        return
    import resource

    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + extra, size + extra))
    except (OSError, ValueError, StopIteration):
        pass


def _serve_jobs(conn, store, close: list, memory: int | None) -> None:
    """A pool worker's life: answer jobs from ``conn`` until it closes."""
    import faulthandler
    import signal

    faulthandler.disable()  # a worker stopped by its memory cap is replaced, not reported
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the front's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for other in close:
        with contextlib.suppress(OSError):
            other.close()
    _limit_memory(memory)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            conn.send(execute(store, job))
        except (BrokenPipeError, OSError):
            os._exit(0)
        except Exception as exc:  # an answer that cannot be pickled
            conn.send(("error", "store", f"cannot send the answer: {type(exc).__name__}"))


def _one_job(conn, store, job: Job, memory: int | None) -> None:
    _limit_memory(memory)
    try:
        conn.send(execute(store, job))
    finally:
        conn.close()


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class _Worker:
    def __init__(self, ctx, store, others: list, memory: int | None):
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.process = ctx.Process(
            target=_serve_jobs, args=(child, store, [o.conn for o in others], memory), daemon=True
        )
        self.demoted = False
        self.process.start()
        child.close()

    def cpu(self) -> float | None:
        """CPU seconds the worker has used (None where /proc cannot tell)."""
        try:
            with open(f"/proc/{self.process.pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / _TICKS
        except (OSError, IndexError, ValueError):
            return None

    def demote(self) -> None:
        """Lower the worker's CPU priority to the least (it is retired after its answer)."""
        if not self.demoted:
            self.demoted = True
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _warm_up(store: Store) -> None:
    """Load, import and build once, before forking, what every worker needs: the engine, the
    SPARQL grammar, the serialisers (a worker then answers its first query at full speed)."""
    prepare = getattr(store, "prepare_for_fork", None)
    if prepare is not None:
        prepare()
    with contextlib.suppress(KGError):
        execute(store, Job("ASK { ?s ?p ?o }", {}, 1, answer=True))
    with contextlib.suppress(KGError):
        check_query("SELECT ?x WHERE { ?x ?p }")  # the syntax-error locator's grammar copy


class Runner:
    """Check and run queries on ``store`` with a timeout and a row cap (see the module doc).

    With ``workers`` > 0 a pool of forked workers answers: ``workers`` of them always, up to
    ``max_workers`` when every one is busy. A query still running after ``demote_after``
    seconds is slow: its worker leaves the pool for the slow lane, with the least CPU priority
    (nice 19), so that slow queries cannot starve cheap ones, and is retired after its answer
    (or killed at the timeout). At most ``max_slow`` slow queries run at once: one more keeps
    its place and priority, and is stopped with :class:`Busy` if it is still running after
    ``shed_after`` seconds. ``queue`` is how many calls may wait for a worker beyond those
    being answered (default 32); beyond that, :class:`Busy` at once. ``memory`` caps each
    worker's extra address space in bytes.
    """

    def __init__(
        self,
        store,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = DEFAULT_MAX_ROWS,
        workers: int = 0,
        max_workers: int | None = None,
        max_slow: int | None = None,
        queue: int | None = None,
        memory: int | None = None,
        demote_after: float = 0.02,
        shed_after: float = 0.1,
    ):
        import multiprocessing

        self.store = store
        self.timeout = None if timeout is None else check_timeout(timeout, "timeout")
        self.max_rows = None if max_rows is None else check_max_rows(max_rows, "max_rows")
        self.memory = memory
        self.demote_after = demote_after
        self.shed_after = shed_after
        self._ctx = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._idle: queue_mod.LifoQueue = queue_mod.LifoQueue()  # the warmest worker first
        self._lock = threading.Lock()
        self._checked: dict[str, Any] = {}  # text -> Checked, as the workers found them
        self._closed = False
        self.workers = workers
        self.max_workers = max(workers, max_workers or workers)
        self.max_slow = max(1, max_slow if max_slow is not None else self.max_workers)
        self._slow = 0  # demoted queries running now
        self.replaced = 0  # workers killed (timeout, death, demotion) and started again
        depth = max(32, 4 * workers) if queue is None else queue
        lanes = self.max_workers + self.max_slow
        self._slots = threading.BoundedSemaphore(lanes + depth) if workers else None
        if workers:
            _warm_up(store)
            for _ in range(workers):
                self._idle.put(self._spawn())

    # -- the two ways in

    def run(self, text: str, bindings: Mapping[str, Any] | None = None, *, checked=None):
        """Check ``text`` and run it: a Result in rdflib terms (QueryTimeout when stopped)."""
        checked = checked or check_query(text)
        check_bindings(checked, bindings or {})
        return _unpack(self._call(Job(text, dict(bindings or {}), self.max_rows)))

    def answer(self, text: str, accept: str | None = None, fmt: str | None = None) -> Answer:
        """Run ``text`` and serialise the result for ``accept`` / ``format=`` (the worker
        parses and checks it; only the cheap prescan happens here)."""
        prescan(text)
        with self._lock:
            checked = self._checked.get(text)
        job = Job(text, {}, self.max_rows, answer=True, accept=accept, fmt=fmt, checked=checked)
        reply = self._call(job)
        if checked is None and reply[0] == "ok":
            with self._lock:  # the next worker given this text need not parse it again
                self._checked[text] = reply[2]
                while len(self._checked) > 4096:
                    self._checked.pop(next(iter(self._checked)))
        return _unpack(reply)

    # -- plumbing

    def _acquire(self) -> _Worker:
        """An idle worker, or a new one while the pool may grow, waiting up to the timeout."""
        deadline = time.monotonic() + (self.timeout or DEFAULT_TIMEOUT)
        while True:
            try:
                return self._idle.get_nowait()
            except queue_mod.Empty:
                pass
            with self._lock:
                fast = sum(1 for w in self._workers if not w.demoted)
                grow = fast < self.max_workers and not self._closed
            if grow:
                return self._spawn()
            left = deadline - time.monotonic()
            if left <= 0:
                raise Busy("no worker became free in time; retry shortly", 2)
            try:
                return self._idle.get(timeout=min(left, 0.02))
            except queue_mod.Empty:
                continue

    def _call(self, job: Job):
        if not self.workers:
            return self._forked(job)
        assert self._slots is not None  # a pool has slots
        if not self._slots.acquire(blocking=False):
            raise Busy("the query queue is full; retry shortly", retry_after=1)
        try:
            worker = self._acquire()
            healthy = False
            try:
                if not worker.process.is_alive():
                    raise WorkerFailed("the query worker had stopped; it was restarted")
                worker.conn.send(job)
                self._wait(worker)
                reply = worker.conn.recv()
                healthy = True
                return reply
            except (EOFError, OSError):
                raise WorkerFailed(
                    "the query worker stopped while answering (out of memory?); it was restarted"
                ) from None
            finally:
                if worker.demoted:  # it took a place in the slow lane: give it back
                    with self._lock:
                        self._slow -= 1
                if healthy and not worker.demoted:
                    self._idle.put(worker)
                else:
                    self._replace(worker)
        finally:
            self._slots.release()  # type: ignore[union-attr]

    def _wait(self, worker: _Worker) -> None:
        """Wait for ``worker``'s answer. A query that has used ``demote_after`` seconds of CPU
        (not of waiting: a cheap query slowed by a busy machine stays cheap) moves to the slow
        lane, at the least CPU priority, when the lane has room; while it has none, the query
        keeps running as it is until it has used ``shed_after`` seconds of CPU, then it is
        stopped (Busy). A demoted worker holds its place in the slow lane until the caller
        gives it back; QueryTimeout when the timeout runs out."""
        started = time.monotonic()
        end = None if self.timeout is None else started + self.timeout
        cpu0 = worker.cpu()
        while True:
            left = None if end is None else max(0.0, end - time.monotonic())
            step = 0.02 if not worker.demoted else 0.5
            if worker.conn.poll(step if left is None else min(step, left)):
                return
            if end is not None and time.monotonic() >= end:
                raise _timeout_error(self.timeout)
            if worker.demoted:
                continue
            now = worker.cpu() if cpu0 is not None else None
            used = (
                now - cpu0 if now is not None and cpu0 is not None else time.monotonic() - started
            )
            if used < self.demote_after:
                continue
            with self._lock:
                room = self._slow < self.max_slow
                if room:
                    self._slow += 1
            if room:
                worker.demote()  # the least CPU priority: cheap queries go first
            elif used >= self.shed_after:
                raise Busy(
                    f"{self.max_slow} slow queries are running already; this one was "
                    "stopped: retry later",
                    retry_after=max(1, round(self.timeout or 1)),
                )

    def _spawn(self) -> _Worker:
        with self._lock:
            worker = _Worker(self._ctx, self.store, self._workers, self.memory)
            self._workers.append(worker)
            return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            needed = not self._closed and len(self._workers) < self.workers
        self.replaced += 1
        if needed:
            self._idle.put(self._spawn())

    def _forked(self, job: Job):
        receiver, sender = self._ctx.Pipe(duplex=False)
        worker = self._ctx.Process(
            target=_one_job, args=(sender, self.store, job, self.memory), daemon=True
        )
        worker.start()
        sender.close()
        try:
            if not receiver.poll(self.timeout):
                raise _timeout_error(self.timeout)
            try:
                return receiver.recv()
            except EOFError:
                worker.join()
                raise WorkerFailed(
                    f"the query worker stopped unexpectedly (exit code {worker.exitcode})"
                ) from None
        finally:
            worker.kill()
            worker.join()
            receiver.close()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_query(
    store,
    text: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    checked=None,
):
    """Check ``text``, then run it on ``store`` in a worker stopped after ``timeout`` seconds.

    ``bindings`` map variable names to rdflib terms; ``timeout=None`` waits for ever and
    ``max_rows=None`` returns every row. A result cut by the row cap says so in ``notes``; a
    query stopped by the timeout raises :class:`QueryTimeout`.
    """
    import rdflib.plugins.sparql

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # never dereference a graph IRI
    checked = checked or check_query(text)
    check_bindings(checked, bindings or {})
    runner = Runner(store, timeout=timeout, max_rows=max_rows)
    return runner.run(text, bindings, checked=checked)
