"""One cohort's connection used from two threads: a download is built in Streamlit's
worker thread while the page's script may run, and two downloads may run at once.

DuckDB runs one call at a time on a connection, and a result is fetched by a second
call after the query's: without the connection's lock, a thread could get the other's
result, or an error. Each query holds the lock from the tables it derives to its result.
"""
from __future__ import annotations

import threading

import pandas as pd
import pytest

from core import analysis, queries
from core.queries.scope import connection_lock
from core.demo import load_demo
from core.filters import Filter
from core.settings import Settings


@pytest.fixture(scope="module")
def cohort():
    result = load_demo()
    yield result.cohort
    result.cohort.close()


def _panels(cohort, flt, settings) -> tuple:
    """Numbers of every panel, and the lazily fetched rows, as comparable values."""
    response = analysis.response(cohort, flt, settings)
    steroids = analysis.steroids(cohort, flt, settings)
    safety = analysis.safety(cohort, flt, settings)
    biology = analysis.biology(cohort, flt, settings)
    return (repr(analysis.populations(cohort, flt, settings)), repr(analysis.baseline(cohort, flt, settings)),
            repr(response), repr(steroids), repr(safety), repr(biology),
            response.fetch_patients().to_json(), steroids.fetch_doses().to_json(),
            safety.fetch_swimmer().to_json(), safety.fetch_events().to_json())


def test_panels_computed_in_two_threads_at_once_are_those_computed_alone(cohort):
    # Two subgroups and two settings, so that each thread derives tables of its own
    # (visit rules, baseline subgroups) while the other queries.
    cases = [(Filter(sex=("F",)), Settings()), (Filter(hcq=True), Settings(shift_tolerance=0.2, min_age=20))]
    expected = [_panels(cohort, flt, settings) for flt, settings in cases]
    got: dict[int, list] = {0: [], 1: []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(k: int) -> None:
        start.wait()
        try:
            for _ in range(15):
                got[k].append(_panels(cohort, *cases[k]))
        except BaseException as exc:  # reported below, with the thread's case
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for k in (0, 1):
        assert got[k] == [expected[k]] * 15


def test_a_query_waits_while_another_thread_holds_the_connection(cohort):
    expected = queries.population_counts_query(cohort.con, None, Settings())
    lock = connection_lock(cohort.con)
    done = threading.Event()
    result: list[pd.DataFrame] = []

    def query() -> None:
        result.append(queries.population_counts_query(cohort.con, None, Settings()))
        done.set()

    with lock:
        thread = threading.Thread(target=query)
        thread.start()
        assert not done.wait(0.3)  # the query has not run while the lock is held
    thread.join(30)
    assert done.is_set()
    pd.testing.assert_frame_equal(result[0], expected)


def test_every_query_holds_the_connection_lock():
    """Each public query takes the connection first and runs under its lock (a query
    that derives a table must not see it dropped by another thread before it reads it)."""
    import inspect

    names = [name for name in vars(queries) if name.endswith("_query")]
    assert len(names) > 20
    for name in names:
        query = getattr(queries, name)
        assert list(inspect.signature(query).parameters)[0] == "con", name
        assert getattr(query, "holds_connection_lock", False), name
