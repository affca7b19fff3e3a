"""Work done a few columns at a time (core.workers): results in order, errors raised,
and the same report and cohort as reading one column at a time."""
from __future__ import annotations

import io
import threading

import pandas as pd
import pytest

import core.workers
from core.loader import load_cohort
from core.workers import map_in_threads


def test_results_come_in_the_order_of_the_items():
    assert map_in_threads(lambda x: x * x, range(50)) == [x * x for x in range(50)]


def test_several_threads_work_when_the_machine_has_several_cores(monkeypatch):
    monkeypatch.setattr(core.workers, "WORKERS", 2)
    seen, both = set(), threading.Barrier(2, timeout=10)

    def work(item):
        seen.add(threading.get_ident())
        both.wait()  # two items in flight at once, or the barrier times out
        return item

    assert map_in_threads(work, [1, 2]) == [1, 2]
    assert len(seen) == 2


def test_an_exception_in_one_item_is_raised():
    def work(item):
        if item == 3:
            raise ValueError("three")
        return item

    with pytest.raises(ValueError, match="three"):
        map_in_threads(work, range(6))


def test_after_an_exception_the_items_not_yet_started_are_not_started(monkeypatch):
    monkeypatch.setattr(core.workers, "WORKERS", 2)
    started = []

    def work(item):
        started.append(item)
        if item == 0:
            raise ValueError("first")
        threading.Event().wait(0.2)  # item 1, under way meanwhile, finishes
        return item

    with pytest.raises(ValueError, match="first"):
        map_in_threads(work, range(20))
    assert 0 in started and len(started) < 20


def _upload() -> list[tuple[str, bytes]]:
    """Patients and visits with invalid and implausible cells in several columns, as a
    CSV and as a Parquet file (each file's columns are read in threads)."""
    patients = ("patient_id;sexe;age;lignes antérieures\nP1;F;40;2\nP2;X;250;deux\nP3;M;abc;1\n"
                "P4;F;-3;1\nP5;?;30;-1\n")
    visits = pd.DataFrame({
        "patient_id": ["P1", "P1", "P2", "P3", "P4", "P5", "P9"],
        "month": [0, 3, 0, 0, 0, 0, 0],
        "c3": [0.8, 99.0, None, -1.0, 0.7, 1.1, 0.9],
        "anti_dsdna": ["12", "bad", "5", "7", "-2", "x", "3"],
        "ifn_signature": ["positive", "neg?", "negative", "positive", "??", "negative", "positive"],
        "cs_dose_mg": [5.0, 500.0, 2.5, -1.0, 10.0, 0.0, 1.0],
    })
    buffer = io.BytesIO()
    visits.to_parquet(buffer, index=False)
    return [("patients.csv", patients.encode()), ("visits.parquet", buffer.getvalue())]


def _as_compared(result):
    tables = {t: result.cohort.con.table(t).df() for t in ("patients", "visits")} if result.cohort else {}
    return result.report.to_dict("en"), tables


def test_threads_give_the_report_and_cohort_of_one_column_at_a_time(monkeypatch):
    monkeypatch.setattr(core.workers, "WORKERS", 4)
    threaded_report, threaded_tables = _as_compared(load_cohort(_upload()))
    monkeypatch.setattr(core.workers, "WORKERS", 1)
    serial_report, serial_tables = _as_compared(load_cohort(_upload()))
    assert threaded_report == serial_report
    assert len(serial_report["issues"]) > 8  # the invalid cells of several columns were said
    assert threaded_tables.keys() == serial_tables.keys()
    for table, frame in serial_tables.items():
        pd.testing.assert_frame_equal(threaded_tables[table], frame)
