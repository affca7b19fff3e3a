"""The CSV grid: Arrow's C reader after a numpy scan gives the grid the exact reader
(the csv module and pandas) gives, and the files it cannot follow go to the exact one."""
from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.registry_data import french_csv_files, registry_frames
from core import csv_reader
from core.csv_reader import (LEADING_BOM, NUL_CHARACTER, QUOTE_INSIDE_FIELD, QUOTE_LEFT_OPEN,
                             READERS_DISAGREE, RECORD_PAST_FIELD_LIMIT, WHITESPACE, _exact_grid, read_grid,
                             sniff_delimiter)
from core.csv_text import _UTF8_PAIR, _has_utf8_pair, decode
from core.formats import read_files
from core.limits import ReadLimits
from core.report import Issue

LIMITS = ReadLimits()


def _both(text: str, delimiter: str = ";"):
    """The fast reader's grid (asserting it took the Arrow path) and the exact reader's."""
    fast = read_grid("t.csv", text, delimiter, LIMITS)
    assert not isinstance(fast, Issue) and fast.reader == "arrow"
    return fast, _exact_grid("t.csv", text, delimiter, LIMITS, "test")


def _assert_same(fast, exact) -> None:
    assert fast.grid.to_numpy(dtype=object).tolist() == exact.grid.to_numpy(dtype=object).tolist()
    assert list(fast.grid.columns) == list(exact.grid.columns)
    assert (fast.grid.dtypes == exact.grid.dtypes).all()
    assert fast.fields.tolist() == exact.fields.tolist()
    assert fast.filled.tolist() == exact.filled.tolist()


@pytest.mark.parametrize("text", [
    "id;description\nP1;\"Zona\nthoracique\"\nP2;Grippe\n",  # a quoted line break: one record
    "id;age\nP1;45\n\nP2;50\n;\nP3;61\n",  # blank lines and an empty record
    "id;age\nP1;45\n\n\n",  # blank lines at the end
    "id;age\nP1;45",  # no final line end
    "id;sexe;age\nP1;F\nP2;M;50\n",  # a short row
    "id;sexe;age\nP1;F;40;x;;\nP2;M;50\n",  # a long row
    "Cohorte anifrolumab\n\nid;sexe;age\nP1;F;45\n",  # a title line
    "Cohorte;;\nid;sexe;age\nP1;F;45\n",
    'id;note\nP1;"dit ""oui"""\nP2;""\n"P3";"a;b"\n',  # doubled quotes, a quoted delimiter
    "id;note\nP1; \xa0\u2003\nP2;\x1c\nP3; x \n",  # whitespace only (str.strip's set), or not
    "id;note\nP1;\u2019\nP2;\u3000\u2028\n",  # first bytes shared with whitespace characters
    "id;sexe;age;\nP1;F;40;\nP2;M;50;\n",  # a trailing delimiter
    "id\nP1\n\nP2\n",  # one column
    ";;;\n;;\n",  # nothing but delimiters
    "id;Durée d'évolution;Sévère\nP1;3,5;oui\nP2;è;non\n",
    "id;age\n\ufeffP1;45\n\ufeff\n",  # a byte-order mark inside the file is a character
])
def test_arrow_grid_is_the_exact_grid(text):
    _assert_same(*_both(text))


@pytest.mark.parametrize("name, content", [
    ("crlf.csv", b"id;age\r\nP1;45\r\n\r\nP2;\"a\r\nb\"\r\n"),
    ("mac.csv", b"id;age\rP1;45\r\rP2;50\r"),
    ("bom.csv", "\ufeffid;âge\nP1;45\n".encode("utf-8")),
    ("cp1252.csv", "N° patient;Âge (ans);Durée\nP1;45;7,5\nP2;50;\n".encode("cp1252")),
    ("utf16.csv", "id;âge\nP1;45\n".encode("utf-16")),
])
def test_line_ends_and_encodings_take_the_arrow_path(name, content, monkeypatch):
    used = []
    real = csv_reader._exact_grid
    monkeypatch.setattr(csv_reader, "_exact_grid", lambda *a: used.append(a[-1]) or real(*a))
    [table], issues = read_files([(name, content)])
    assert used == [] and issues == []
    text = decode(content).text.replace("\r\n", "\n").replace("\r", "\n")
    _assert_same(*_both(text, sniff_delimiter(text)))


def test_a_french_registry_takes_the_arrow_path_and_reads_as_the_exact_reader_does():
    for name, content in french_csv_files(registry_frames(300, seed=3)):
        text = decode(content).text
        assert "\r" not in text and sniff_delimiter(text) == ";"
        _assert_same(*_both(text))


# --- Files read exactly, each for a named reason ---------------------------------------

@pytest.mark.parametrize("text, reason", [
    ("id;note\nP1;a\x00b\n", NUL_CHARACTER),
    ("\ufeffTitre\nid;age\nP1;45\n", LEADING_BOM),  # a second byte-order mark
    ("\ufeff\nid;age\nP1;45\n", LEADING_BOM),
    ('id;note\nP1;12" pouces\nP2;x\n', QUOTE_LEFT_OPEN),  # one plain quote: an odd count
    ('id;note\nP1;12" et 3"\nP2;x\n', QUOTE_INSIDE_FIELD),
    ('id;note\nP1;"a" b\nP2;x\n', QUOTE_INSIDE_FIELD),
    ('id;note\nP1; "a"\n', QUOTE_INSIDE_FIELD),
    ("id;note\nP1;" + "x" * (csv.field_size_limit() + 1) + "\n", RECORD_PAST_FIELD_LIMIT),
])
def test_files_the_scan_cannot_follow_are_read_exactly(text, reason, monkeypatch):
    reasons = []
    real = csv_reader._exact_grid
    monkeypatch.setattr(csv_reader, "_exact_grid", lambda *a: reasons.append(a[-1]) or real(*a))
    read = read_grid("t.csv", text, ";", LIMITS)
    assert reasons == [reason]
    exact = real("t.csv", text, ";", LIMITS, reason)
    if isinstance(exact, Issue):  # the csv module's field limit: the file is unreadable
        assert (read.code, read.variant) == (exact.code, exact.variant) == ("unreadable_file", "csv")
    else:
        assert read.reader == reason
        assert read.grid.to_numpy(dtype=object).tolist() == exact.grid.to_numpy(dtype=object).tolist()


def test_plain_quotes_inside_fields_are_read_as_the_csv_module_reads_them():
    [table], issues = read_files([("p.csv", b'id;note\nP1;12" et 3"\nP2;x\n')])
    assert table.data.to_numpy(dtype=object).tolist() == [["P1", '12" et 3"'], ["P2", "x"]] and issues == []


@pytest.mark.parametrize("content", [
    b'id;description\nP1;"quote never closed\nP2;x\n',
    b"id;description\nP1;" + b"x" * 200_000 + b"\n",
])
def test_a_quote_left_open_or_a_giant_cell_is_the_csv_unreadable_file(content):
    tables, issues = read_files([("p.csv", content)])
    assert tables == [] and [(i.code, i.variant) for i in issues] == [("unreadable_file", "csv")]


def test_arrow_rows_that_are_not_the_scans_records_send_the_file_to_the_exact_reader(monkeypatch):
    import pyarrow.csv as pcsv

    real = pcsv.read_csv
    monkeypatch.setattr(pcsv, "read_csv", lambda *a, **k: real(*a, **k).slice(1))  # one row lost
    read = read_grid("t.csv", "id;age\nP1;45\nP2;50\n", ";", LIMITS)
    assert read.reader == READERS_DISAGREE
    assert read.grid.to_numpy(dtype=object).tolist() == [["id", "age"], ["P1", "45"], ["P2", "50"]]


def test_limits_are_checked_before_the_file_is_split():
    read = read_grid("t.csv", "id;age\n" + "P1;45\n" * 10, ";", ReadLimits(max_rows=10))
    assert isinstance(read, Issue) and read.code == "too_many_rows"


# --- Pieces -----------------------------------------------------------------------------

def test_whitespace_is_what_str_strip_removes():
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_sniffing_reads_the_lines_io_would_give():
    for text in ["a;b\nc;d\n", "a;b\nc", "", "\n\n", 'a;"b\nc";d\n']:
        assert list(csv_reader._lines(text)) == list(io.StringIO(text))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40))
def test_utf8_pair_check_is_the_pattern(content):
    assert _has_utf8_pair(content) == bool(_UTF8_PAIR.search(content))


_CELL = st.one_of(st.text(alphabet='ab é;,"\n\t\x0c\xa0\u2003', max_size=6), st.sampled_from(["", " ", "7,5", "oui"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.just(None), st.lists(_CELL, min_size=1, max_size=5)), min_size=1, max_size=12),
       st.sampled_from([";", ",", "\t"]), st.booleans(), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_any_well_quoted_file_reads_as_the_exact_reader_reads_it(rows, delimiter, final_newline, quoting):
    """Rows of any width, blank lines (None), cells holding delimiters, quotes and line breaks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=quoting)
    for row in rows:
        buffer.write("\n") if row is None else writer.writerow(row)
    text = buffer.getvalue() if final_newline else buffer.getvalue().rstrip("\n")
    fast = read_grid("t.csv", text, delimiter, LIMITS)
    exact = _exact_grid("t.csv", text, delimiter, LIMITS, "test")
    assert not isinstance(fast, Issue) and fast.reader == "arrow"
    if isinstance(exact, Issue):  # pandas refuses what the csv module reads (never seen)
        pytest.fail(f"exact reader refused {text!r}")
    _assert_same(fast, exact)


def test_blank_cells_are_those_str_strip_empties():
    import pyarrow as pa

    cells = ["", *WHITESPACE, WHITESPACE, " x ", "\u200b", "\u2019", "é", "\u3001", "a" + "\xa0" * 3, "\xa0" * 3 + "a"]
    column = pa.array(cells, pa.string())
    expected = [cell.strip() == "" for cell in cells]
    assert csv_reader._blank_cells(column).tolist() == expected
    assert csv_reader._blank_cells(column.slice(3)).tolist() == expected[3:]
    assert csv_reader._blank_cells(pa.chunked_array([column[:4], column[4:]])).tolist() == expected
