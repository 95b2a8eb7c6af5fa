"""The one query runner: limits checked, the worker pool (bounded queue, slow lane, timeouts,
worker replacement), the prescan, and the term and store conversions it relies on."""

from __future__ import annotations

import concurrent.futures
import json
import math
import os
import time
from pathlib import Path

import pytest
from rdflib import Literal

from kg.errors import InputError, QueryError, StoreError
from kg.sparql import (
    MAX_DEPTH,
    Busy,
    QueryTimeout,
    Runner,
    check_timeout,
    parse_binding,
    prescan,
    printable,
    run_query,
)
from kg.store import MemoryStore, open_store

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } # "
CHEAP = "SELECT ?l WHERE { id:blackrock skos:prefLabel ?l }"


@pytest.fixture(scope="module")
def store(dataset):
    return MemoryStore(dataset)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e300, 0, -1, "x", None, 3601])
def test_check_timeout_refuses_what_is_not_a_bounded_positive_number(value):
    with pytest.raises(InputError):
        check_timeout(value)


def test_check_timeout_accepts_seconds():
    assert check_timeout("0.5") == 0.5 and check_timeout(3600) == 3600.0


def test_prescan_bounds_size_and_depth_before_any_parse():
    depth = MAX_DEPTH - 1  # inside the braces
    prescan("SELECT * WHERE { FILTER" + "(" * depth + "1" + ")" * depth + " }")
    with pytest.raises(QueryError, match="nests brackets"):
        prescan("ASK { " + "(" * 10_000)
    with pytest.raises(QueryError, match="characters long"):
        prescan("#" * 200_000)
    prescan('ASK { ?s ?p "((((((((((((((((((((((((((((" }  # ((((((((((((((((((((((((')


def test_run_query_refuses_deep_nesting_without_recursion_error(store):
    with pytest.raises(QueryError, match="deep"):
        run_query(store, "ASK { FILTER(" + "(" * 500 + "true" + ")" * 500 + ") }")


def test_service_is_refused_by_the_store_itself(store):
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert store.query("SELECT * WHERE { ?s kg:service ?o } LIMIT 1").rows == []


def test_engine_syntax_errors_point_into_the_users_text(store):
    with pytest.raises(QueryError, match="error at 2:"):
        store.query("SELECT * WHERE {\n ?s ?p }")


def test_parse_binding_refuses_an_empty_value():
    with pytest.raises(InputError, match="no value"):
        parse_binding("x=")
    assert parse_binding('x=""')[1] == Literal("")
    assert parse_binding("x=nan")[1] == Literal("nan")  # text, not a NaN decimal


def test_printable_strips_control_characters():
    assert printable("a\x1b[2Jb\x00c\u202e") == "a?[2Jb?c?"
    assert len(printable("x" * 1000, 50)) == 51


def test_pool_answers_distinct_queries_at_once(store):
    with Runner(store, timeout=10, workers=2, max_workers=4) as runner:
        texts = [f"{CHEAP} LIMIT {n}" for n in range(1, 9)] * 4
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda t: runner.answer(t).body, texts))
    for body in answers:
        rows = json.loads(body)["results"]["bindings"]
        assert rows == [{"l": {"type": "literal", "value": "BlackRock", "xml:lang": "en"}}]


def test_pool_stops_slow_queries_and_replaces_their_workers(store):
    with Runner(store, timeout=1, workers=1, max_workers=1, max_slow=1) as runner:
        before = runner.pids()
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            runner.answer(SLOW + "1")
        assert time.monotonic() - started < 10
        assert runner.pids() != before and len(runner.pids()) == 1
        assert runner._slow == 0  # the slow lane was given back
        assert b"BlackRock" in runner.answer(CHEAP).body
        for pid in before:
            stat = Path(f"/proc/{pid}/stat")
            assert not stat.exists() or stat.read_text().split()[2] == "Z"


def test_a_full_queue_is_busy_at_once_and_the_slow_lane_is_bounded(store):
    with Runner(store, timeout=2, workers=1, max_workers=1, max_slow=1, queue=0) as runner:
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(runner.answer, SLOW + str(n)) for n in range(4)]
            outcomes = []
            for future in futures:
                try:
                    future.result(timeout=30)
                    outcomes.append("ok")
                except Busy as exc:
                    outcomes.append("busy" if "full" in str(exc) else "shed")
                except QueryTimeout:
                    outcomes.append("timeout")
        assert "busy" in outcomes and "timeout" in outcomes, outcomes
        assert runner._slow == 0


def test_a_worker_that_dies_is_reported_and_replaced(store):
    with Runner(store, timeout=5, workers=1) as runner:
        (pid,) = runner.pids()
        os.kill(pid, 9)
        time.sleep(0.2)
        with pytest.raises(StoreError, match="worker"):
            runner.answer(CHEAP)
        assert b"BlackRock" in runner.answer(CHEAP).body


def test_the_runner_answers_like_the_store(store):
    runner = Runner(store, timeout=10)
    assert runner.run(CHEAP).rows == store.query(CHEAP).rows
    assert open_store("memory").query(CHEAP).rows == store.query(CHEAP).rows


def test_a_query_over_the_memory_cap_loses_its_worker_not_the_pool(store):
    hungry = "SELECT DISTINCT ?a ?b ?c ?d ?e ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a"
    with Runner(store, timeout=60, workers=1, memory=300 << 20) as runner:
        started = time.monotonic()
        with pytest.raises(StoreError, match="worker"):
            runner.answer(hungry)
        assert time.monotonic() - started < 30
        assert b"true" in runner.answer("ASK { ?s ?p ?o }").body
