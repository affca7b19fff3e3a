"""The cohort database: canonical tables and types, and a connection that keeps to memory."""
from __future__ import annotations

import re

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from core.db import create_cohort_db, natural_order, rows_in_order
from core.schema import TABLES

PATIENTS = pd.DataFrame({"patient_id": ["A", "B"], "sex": ["F", "M"], "age": [30.0, 41.0],
                         "ipp": [1234, 5678], "phenotype": ["a", None]})
VISITS = pd.DataFrame({"patient_id": ["A", "B"], "month": [0, 0], "hcq": [True, False]})


@pytest.fixture
def con():
    connection = create_cohort_db({"patients": PATIENTS, "visits": VISITS, "events": None})
    yield connection
    connection.close()


def _types(con, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return dict(rows)


def _setting(con, name: str):
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


@pytest.mark.parametrize("table", list(TABLES))
def test_every_canonical_column_has_its_schema_type(con, table):
    types = _types(con, table)
    assert {c.name: types[c.name] for c in TABLES[table]} == {c.name: c.sql_type for c in TABLES[table]}


def test_extra_columns_are_stored_as_text_as_written(con):
    assert (_types(con, "patients")["ipp"], _types(con, "patients")["phenotype"]) == ("VARCHAR", "VARCHAR")
    rows = con.execute('SELECT ipp, phenotype FROM patients ORDER BY patient_id').fetchall()
    assert rows == [("1234", "a"), ("5678", None)]


def test_absent_table_is_created_empty_with_the_canonical_columns(con):
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert list(_types(con, "events")) == [c.name for c in TABLES["events"]]


def test_rows_are_loaded(con):
    assert con.execute("SELECT patient_id, month, hcq FROM visits ORDER BY patient_id").fetchall() == [
        ("A", 0, True), ("B", 0, False)]


def test_connection_has_no_temporary_directory_to_spill_to(con):
    assert _setting(con, "temp_directory") == ""


def test_connection_has_no_external_access(con):
    assert _setting(con, "enable_external_access") is False


def test_copy_to_a_file_is_refused(con, tmp_path):
    target = tmp_path / "patients.csv"
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"COPY patients TO '{target}'")
    assert not target.exists()


def test_reading_a_file_is_refused(con, tmp_path):
    source = tmp_path / "other.csv"
    source.write_text("a\n1\n")
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"SELECT * FROM read_csv('{source}')")


@pytest.mark.parametrize("statement", [
    "SET enable_external_access = true", "RESET enable_external_access", "SET temp_directory = '.tmp'",
])
def test_configuration_cannot_be_changed_back(con, statement):
    with pytest.raises(duckdb.InvalidInputException, match="configuration"):
        con.execute(statement)
    assert (_setting(con, "enable_external_access"), _setting(con, "temp_directory")) == (False, "")


def test_without_a_temporary_directory_duckdb_fails_instead_of_spilling(tmp_path, monkeypatch):
    # The premise of the empty temp_directory: DuckDB spills to ./.tmp by default, so
    # run in an empty directory (with a small memory limit) and check it stays empty.
    monkeypatch.chdir(tmp_path)
    probe = duckdb.connect(":memory:", config={"temp_directory": "", "memory_limit": "40MB", "threads": 1})
    with pytest.raises(duckdb.OutOfMemoryException):
        probe.execute("SELECT b, count(*) FROM (SELECT md5(CAST(range AS VARCHAR)) AS b FROM range(3000000)) "
                      "GROUP BY b ORDER BY b LIMIT 1").fetchall()
    probe.close()
    assert list(tmp_path.iterdir()) == []


def _natural_key(text: str) -> tuple:
    """The natural order ``natural_order`` states, written plainly: text, number, text,
    number, rest; numbers by value, then the whole id by its bytes."""
    h1, n1, h2, n2, rest = re.fullmatch(r"([^0-9]*)([0-9]*)([^0-9]*)([0-9]*)(.*)", text, re.S).groups()
    return (h1.encode(), int(n1 or 0), h2.encode(), int(n2 or 0), rest.encode(), text.encode())


@pytest.mark.parametrize("seed", range(5))
def test_natural_order_against_a_plain_python_sort(seed):
    rng = np.random.default_rng(seed)
    pieces = ["P", "LIL-", "BOUL-", "p", "", "É", "-", "_v", "0", "007", "12", "9", "1000", "99999999999999999999",
              "2023", "Ω", " ", "\n"]
    ids = list(dict.fromkeys("".join(rng.choice(pieces, rng.integers(1, 6))) for _ in range(2000)))
    ranks = natural_order(pa.array(ids, pa.large_string())).to_pylist()
    assert [i for _, i in sorted(zip(ranks, ids))] == sorted(ids, key=_natural_key)
    assert sorted(ranks) == list(range(1, len(ids) + 1))


@pytest.mark.parametrize("seed", range(3))
def test_natural_order_of_ascii_text_then_a_number_against_a_plain_python_sort(seed):
    """Ids of ASCII text then a number (cut by trimming, not the regular expression)."""
    rng = np.random.default_rng(seed)
    heads = ["P", "LIL-", "p", "", "-", "_v ", "\t", "\x00", "A.B"]
    numbers = ["0", "007", "12", "9", "1000", "99999999999999999999", ""]
    ids = list(dict.fromkeys(str(rng.choice(heads)) + str(rng.choice(numbers)) + str(rng.integers(0, 50))
                             for _ in range(1000)))
    ranks = natural_order(pa.array(ids, pa.large_string())).to_pylist()
    assert [i for _, i in sorted(zip(ranks, ids))] == sorted(ids, key=_natural_key)


def test_natural_order_puts_numbers_in_value_order():
    ids = ["P10", "P2", "P1", "LIL-0012", "LIL-9", "2023-12", "2023-7", "P", "P007", "P7"]
    ranks = natural_order(pa.array(ids)).to_pylist()
    assert [i for _, i in sorted(zip(ranks, ids))] == ["2023-7", "2023-12", "LIL-9", "LIL-0012", "P", "P1",
                                                      "P2", "P007", "P7", "P10"]


def test_natural_order_of_missing_ids_puts_them_last_without_failing():
    assert natural_order(pa.array([None, None], pa.large_string())).to_pylist() == [1, 2]
    assert natural_order(pa.array(["P10", None, "P9"], pa.large_string())).to_pylist() == [2, 3, 1]
    assert natural_order(pa.array([], pa.large_string())).to_pylist() == []


def test_patients_are_numbered_in_natural_id_order_and_rows_stored_in_that_order():
    rng = __import__("numpy").random.default_rng(3)
    ids = [f"P{i}" for i in rng.permutation(3000)] + ["Ω1", "a1"]
    patients = pd.DataFrame({"patient_id": pd.array(ids, dtype="string")})
    visit_ids = list(rng.choice(ids, 9000)) + ["NOBODY"]
    visits = pd.DataFrame({"patient_id": pd.array(visit_ids, dtype="string"),
                           "month": pd.array(rng.choice([0, 3, 6], len(visit_ids)), dtype="Int64")})
    con = create_cohort_db({"patients": patients, "visits": visits, "events": None})
    try:
        stored = con.execute("SELECT _pid, patient_id FROM _patients").fetchall()
        assert stored == list(enumerate(sorted(ids, key=_natural_key), start=1))  # stored in _pid order
        rows = con.execute("SELECT v._pid, p._pid, v.month FROM _visits v "
                           "LEFT JOIN _patients p USING (patient_id)").fetchall()
        assert all(v == p for v, p, _ in rows)  # a visit takes its patient's number, NULL for none
        assert sum(v is None for v, _, _ in rows) == 1
        keys = [(v is None, v or 0, m) for v, _, m in rows]
        assert keys == sorted(keys)
    finally:
        con.close()


def _stored_keys(con, table: str) -> list[tuple]:
    return con.execute(f"SELECT _pid, month, note FROM _{table}").fetchall()


@pytest.mark.parametrize("shuffle", [False, True])
def test_rows_already_in_patient_and_month_order_are_stored_as_a_sort_would_store_them(shuffle):
    """A file exported in patient and month order skips the sort (``rows_in_order``); the
    rows stored are the same as after sorting, equal keys in file order either way."""
    rng = np.random.default_rng(5)
    patients = pd.DataFrame({"patient_id": pd.array([f"P{i}" for i in range(1, 401)], dtype="string")})
    keys = sorted((int(p), int(m)) for p, m in zip(rng.integers(1, 401, 3000), rng.choice([0, 3, 6], 3000)))
    events = pd.DataFrame({"patient_id": pd.array([f"P{p}" for p, _ in keys], dtype="string"),
                           "month": pd.array([float(m) for _, m in keys]), "note": [str(i) for i in range(3000)]})
    if shuffle:
        events = events.sample(frac=1, random_state=2).reset_index(drop=True)
    con = create_cohort_db({"patients": patients, "visits": None, "events": events})
    try:
        stored = _stored_keys(con, "events")
        assert [(p, m) for p, m, _ in stored] == [(p, float(m)) for p, m in keys]
        # Equal keys keep their order in the file (a stable sort), so the notes of one key rise in file order.
        position = {note: i for i, note in enumerate(events["note"])}
        for (p, m, note), (q, n, after) in zip(stored, stored[1:]):
            if (p, m) == (q, n):
                assert position[note] < position[after]
    finally:
        con.close()


def test_a_nan_key_that_decides_the_order_is_left_to_the_sort():
    """A missing month or patient (NaN once read as numbers) is left to the sort to place,
    unless an earlier key already orders the pair (the sort would not look at it)."""
    assert rows_in_order(np.array([[1.0, 3.0], [1.0, np.nan]])) is False
    assert rows_in_order(np.array([[np.nan, 0.0], [1.0, 0.0]])) is False
    assert rows_in_order(np.array([[1.0, 0.0], [2.0, 0.0], [np.nan, 0.0]])) is False
    assert rows_in_order(np.array([[1.0, 0.0], [2.0, np.nan], [3.0, 0.0]])) is True
    assert rows_in_order(np.array([[1.0, 0.0], [1.0, 3.0]])) is True


def test_keys_given_as_columns_are_read_as_the_rows_they_make():
    """Keys as 1-D columns (one per key, of any integer or float type) read as the 2-D
    array of the same rows."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        first = rng.integers(0, 4, 8).astype(np.uint8)
        second = rng.integers(0, 3, 8).astype(np.int32)
        third = rng.choice([0.0, 1.0, np.nan], 8, p=[0.45, 0.45, 0.1])
        if rng.random() < 0.7:  # sorted (a NaN last among its ties)
            order = np.lexsort([third, second, first])
            first, second, third = first[order], second[order], third[order]
        rows = np.column_stack([first, second, third])
        # In order: in each pair of rows, the first key that differs increases.
        steps = np.diff(rows, axis=0)
        first_change = steps[np.arange(len(steps)), np.argmax(steps != 0, axis=1)]
        assert rows_in_order([first, second, third]) is bool((first_change >= 0).all())
        assert rows_in_order(rows) is bool((first_change >= 0).all())
    assert rows_in_order([np.array([2, 1], dtype=np.uint8)]) is False
    assert rows_in_order([np.array([5])]) is True


def test_patients_given_as_rows_are_stored_as_patients_matched_by_id():
    """Visits whose patient validation gave as a row of the patients frame
    (``PATIENT_ROW``) are stored as those matched by id here, without that column."""
    from core.db import PATIENT_ROW

    patients = pd.DataFrame({"patient_id": pd.array(["P10", "P2", "P1"], dtype="string")})
    visits = pd.DataFrame({"patient_id": pd.array(["P1", "P2", "P10", "P1"], dtype="string"),
                           "month": pd.array([0, 0, 3, 3], dtype="Int64")})
    stored = []
    for frame in (visits, visits.assign(**{PATIENT_ROW: np.array([2, 1, 0, 2])})):
        con = create_cohort_db({"patients": patients, "visits": frame, "events": None})
        try:
            assert PATIENT_ROW not in [c[0] for c in con.execute("DESCRIBE _visits").fetchall()]
            stored.append(con.execute("SELECT _pid, patient_id, month FROM _visits").fetchall())
        finally:
            con.close()
    assert stored[0] == stored[1] == [(1, "P1", 0), (1, "P1", 3), (2, "P2", 0), (3, "P10", 3)]
