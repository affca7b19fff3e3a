"""Reading uploaded bytes: CSV dialects and encodings, workbooks, Parquet, and bad files."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from core.formats import read_files
from core.raw_table import RawTable
from core.report import ERROR, WARNING
from tests.helpers import xlsx_bytes




def _ods(sheet: str, rows: list[list[tuple[str, str]]]) -> bytes:
    """A minimal OpenDocument spreadsheet; cells are (value type, value) pairs."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    attr = {"string": "", "float": ' office:value="{}"', "boolean": ' office:boolean-value="{}"'}
    body = "".join(
        "<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="{kind}"{attr[kind].format(value)}><text:p>{value}</text:p>'
            "</table:table-cell>" for kind, value in row) + "</table:table-row>"
        for row in rows)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{sheet}">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _only(name: str, content: bytes) -> RawTable:
    """The single table read from one file, asserting no error was met."""
    tables, issues = read_files([(name, content)])
    assert [i for i in issues if i.severity == ERROR] == []
    assert len(tables) == 1
    return tables[0]


def _cells(table: RawTable) -> list[list]:
    """The cells as Python values, a missing cell as None (typed Parquet columns hold NA or NaN)."""
    return [[None if v is None or (np.ndim(v) == 0 and pd.isna(v)) else v for v in row]
            for row in table.data.to_numpy(dtype=object).tolist()]


def _codes(issues) -> list[tuple[str, str]]:
    return [(i.severity, i.code) for i in issues]


# --- CSV dialects and encodings ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "id,sexe,age\nP1,F,45\nP2,M,50\n",
    "id;sexe;age\nP1;F;45\nP2;M;50\n",
    "id\tsexe\tage\nP1\tF\t45\nP2\tM\t50\n",
    "id;sexe;age\r\nP1;F;45\r\nP2;M;50\r\n",
])
def test_csv_delimiter_is_detected(text):
    table = _only("cohorte.csv", text.encode())
    assert table.headers == ("id", "sexe", "age")
    assert _cells(table) == [["P1", "F", "45"], ["P2", "M", "50"]]


def test_semicolon_file_with_decimal_comma_splits_on_semicolon():
    table = _only("visites.csv", b"id;dose\nP1;7,5\n")
    assert _cells(table) == [["P1", "7,5"]]


def test_semicolon_file_with_decimal_commas_in_every_row_splits_on_semicolon():
    table = _only("visites.csv", b"id;c3;c4\nP1;0,9;0,12\nP2;1,1;0,2\n")
    assert table.headers == ("id", "c3", "c4")
    assert _cells(table) == [["P1", "0,9", "0,12"], ["P2", "1,1", "0,2"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_csv_encoding_is_detected(encoding):
    text = "id;Durée d'évolution;Sévère\nP1;3,5;oui\nP2;è;non\n"
    table = _only("cohorte.csv", text.encode(encoding))
    assert table.headers == ("id", "Durée d'évolution", "Sévère")
    assert _cells(table)[1] == ["P2", "è", "non"]


def test_cp1252_only_characters_are_decoded():
    # "œ" and "€" exist in cp1252 but not in latin-1.
    table = _only("cohorte.csv", "id;cœur\nP1;5 €\n".encode("cp1252"))
    assert table.headers == ("id", "cœur")


def test_csv_cells_are_text_and_leading_zeros_are_kept():
    table = _only("patients.csv", b"id,age\n0042,45.0\n")
    assert _cells(table) == [["0042", "45.0"]]


def test_blank_lines_are_dropped_without_shifting_row_numbers():
    table = _only("patients.csv", b"id,age\nP1,45\n\nP2,50\n,\nP3,61\n")
    assert table.header_row == 1
    assert table.row_numbers.tolist() == [2, 4, 6]
    assert [r[0] for r in _cells(table)] == ["P1", "P2", "P3"]


@pytest.mark.parametrize("first", ["sep=;", "SEP=;", '"sep=;"', "sep=;  "])
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_excels_sep_line_names_the_delimiter_and_is_not_a_row(first, end):
    # Excel reads "sep=;" and hides it: the header is row 1 there, and no title warning.
    text = end.join([first, "id;sexe;age;dose", "P1;F;45;7,5", "P2;M;50;5"]) + end
    tables, issues = read_files([("cohorte.csv", text.encode("cp1252"))])
    assert issues == []
    assert tables[0].headers == ("id", "sexe", "age", "dose")
    assert (tables[0].header_row, tables[0].row_numbers.tolist()) == (1, [2, 3])
    assert _cells(tables[0]) == [["P1", "F", "45", "7,5"], ["P2", "M", "50", "5"]]


def test_excels_sep_line_overrides_the_sniffed_delimiter():
    # Commas declared: the semicolons inside cells stay text.
    table = _only("notes.csv", b"sep=,\nid,note\nP1,a;b\nP2,c;d\n")
    assert table.headers == ("id", "note")
    assert _cells(table) == [["P1", "a;b"], ["P2", "c;d"]]


def test_old_mac_line_endings_are_read_as_rows():
    table = _only("patients.csv", b"id;age\rP1;45\r\rP2;50\r")
    assert _cells(table) == [["P1", "45"], ["P2", "50"]]
    assert table.row_numbers.tolist() == [2, 4]


def test_quoted_field_with_newline_counts_as_one_spreadsheet_row():
    table = _only("events.csv", b'id;description\nP1;"Zona\nthoracique"\nP2;Grippe\n')
    assert _cells(table) == [["P1", "Zona\nthoracique"], ["P2", "Grippe"]]
    assert table.row_numbers.tolist() == [2, 3]


def test_short_row_is_padded_with_empty_text():
    table = _only("patients.csv", b"id;sexe;age\nP1;F\nP2;M;50\n")
    assert _cells(table) == [["P1", "F", ""], ["P2", "M", "50"]]


def test_duplicate_headers_are_kept_by_position():
    table = _only("patients.csv", b"id;age;age\nP1;45;46\n")
    assert table.headers == ("id", "age", "age")
    assert _cells(table) == [["P1", "45", "46"]]


def test_headers_are_stripped():
    table = _only("patients.csv", b" id ; age \nP1;45\n")
    assert table.headers == ("id", "age")


# --- Title rows ----------------------------------------------------------------------

def test_title_row_above_header_is_skipped_with_a_warning():
    tables, issues = read_files([("patients.csv", b"Cohorte anifrolumab;;\n\nid;sexe;age\nP1;F;45\n")])
    assert tables[0].headers == ("id", "sexe", "age")
    assert tables[0].header_row == 3
    assert tables[0].row_numbers.tolist() == [4]
    assert _codes(issues) == [(WARNING, "title_row_skipped")]
    assert issues[0].row == 1 and issues[0].value == "Cohorte anifrolumab"


def test_stacked_title_rows_are_all_skipped():
    content = xlsx_bytes({"patients": [["Cohorte anifrolumab"], ["Extraction du 12/03"], ["id", "age"], ["P1", 45]]})
    tables, issues = read_files([("cohorte.xlsx", content)])
    assert tables[0].header_row == 3
    assert [(i.code, i.row) for i in issues] == [("title_row_skipped", 1), ("title_row_skipped", 2)]


def test_single_column_file_has_no_title_row():
    tables, issues = read_files([("ids.csv", b"id\nP1\nP2\n")])
    assert tables[0].headers == ("id",)
    assert issues == []


# --- Workbooks -----------------------------------------------------------------------

def test_every_sheet_of_a_workbook_is_read_in_order():
    content = xlsx_bytes({
        "patients": [["id", "sexe"], ["P1", "F"]],
        "visites": [["id", "mois"], ["P1", "M0"], ["P1", "M3"]],
    })
    tables, issues = read_files([("cohorte.xlsx", content)])
    assert [(t.file, t.sheet) for t in tables] == [("cohorte.xlsx", "patients"), ("cohorte.xlsx", "visites")]
    assert [len(t.data) for t in tables] == [1, 2]
    assert issues == []


def test_workbook_cells_keep_their_native_types():
    content = xlsx_bytes({"patients": [
        ["id", "age", "cutane", "date", "dose"],
        ["0042", 45, True, dt.datetime(2024, 1, 2, 9, 30), 7.5],
        ["P2", None, False, dt.datetime(2024, 2, 3), None],
    ]})
    first, second = _cells(_only("cohorte.xlsx", content))
    assert first == ["0042", 45.0, True, dt.datetime(2024, 1, 2, 9, 30), 7.5]
    assert type(first[2]) is bool
    assert second[0] == "P2" and second[1] is None and second[2] is False and second[4] is None
    assert isinstance(second[3], dt.date)


def test_empty_workbook_sheet_is_skipped_silently():
    content = xlsx_bytes({"patients": [["id"], ["P1"]], "Feuil2": []})
    tables, issues = read_files([("cohorte.xlsx", content)])
    assert [t.sheet for t in tables] == ["patients"]
    assert issues == []


def test_chart_sheet_is_skipped_silently():
    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    book = load_workbook(io.BytesIO(xlsx_bytes({"patients": [["id", "age"], ["P1", 45]]})))
    chart = BarChart()
    chart.add_data(Reference(book["patients"], min_col=2, min_row=1, max_row=2))
    book.create_chartsheet("Graphique").add_chart(chart)
    buffer = io.BytesIO()
    book.save(buffer)
    tables, issues = read_files([("cohorte.xlsx", buffer.getvalue())])
    assert [t.sheet for t in tables] == ["patients"]
    assert issues == []


def test_workbook_rows_keep_spreadsheet_numbers_below_blank_rows():
    content = xlsx_bytes({"patients": [[], [], ["id", "age"], ["P1", 45], [], ["P2", 50]]})
    table = _only("cohorte.xlsx", content)
    assert table.header_row == 3
    assert table.row_numbers.tolist() == [4, 6]


def test_workbook_number_header_reads_without_point_zero():
    table = _only("cohorte.xlsx", xlsx_bytes({"patients": [["id", 2019], ["P1", True]]}))
    assert table.headers == ("id", "2019")


def test_workbook_padding_columns_are_dropped_but_unnamed_data_columns_kept():
    content = xlsx_bytes({"patients": [["id", None, "age", None], ["P1", "note", 45, None]]})
    table = _only("cohorte.xlsx", content)
    assert table.headers == ("id", "", "age")
    assert _cells(table) == [["P1", "note", 45.0]]


def test_header_only_sheet_beside_data_is_kept_empty_with_a_warning():
    content = xlsx_bytes({"patients": [["id"], ["P1"]], "evenements": [["id", "mois", "type"]]})
    tables, issues = read_files([("cohorte.xlsx", content)])
    assert [(t.sheet, len(t.data)) for t in tables] == [("patients", 1), ("evenements", 0)]
    assert _codes(issues) == [(WARNING, "header_only")]
    assert issues[0].sheet == "evenements"


def test_libreoffice_ods_sheet_is_read_with_native_values():
    content = _ods("patients", [[("string", "id"), ("string", "age"), ("string", "cutane")],
                                [("string", "0042"), ("float", "45.5"), ("boolean", "true")]])
    table = _only("cohorte.ods", content)
    assert (table.sheet, table.headers) == ("patients", ("id", "age", "cutane"))
    assert _cells(table) == [["0042", 45.5, True]]


# --- Parquet -------------------------------------------------------------------------

def test_parquet_columns_and_native_values_are_read():
    frame = pd.DataFrame({"id": ["P1", "P2"], "age": [45.5, None], "cutane": [True, False]})
    table = _only("patients.parquet", _parquet(frame))
    assert table.headers == ("id", "age", "cutane")
    assert _cells(table) == [["P1", 45.5, True], ["P2", None, False]]
    assert table.row_numbers.tolist() == [2, 3]


def test_parquet_fully_empty_row_is_dropped():
    frame = pd.DataFrame({"id": ["P1", None, "P3"], "age": [45.0, None, 50.0]})
    table = _only("patients.parquet", _parquet(frame))
    assert table.row_numbers.tolist() == [2, 4]


def _arrow_parquet(columns: dict) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


def _numeric_types():
    import pyarrow as pa

    return [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64(),
            pa.float16(), pa.float32(), pa.float64(), pa.decimal128(5, 1), pa.decimal256(40, 2),
            pa.decimal128(3, 0), pa.decimal128(38, 0)]


@pytest.mark.parametrize("kind", _numeric_types(), ids=str)
def test_every_parquet_numeric_type_gives_ages_the_validator_reads(kind):
    import decimal

    import pyarrow as pa

    ages = [decimal.Decimal(40), decimal.Decimal(52), None] if pa.types.is_decimal(kind) else [40, 52, None]
    # Half floats are built from floats (pyarrow takes no Python numbers for them).
    age_column = pa.array(ages, pa.float32()).cast(kind) if pa.types.is_float16(kind) else pa.array(ages, kind)
    content = _arrow_parquet({"patient_id": ["P1", "P2", "P3"], "sex": ["F", "M", "F"], "age": age_column})
    from core.loader import load_cohort

    result = load_cohort([("patients.parquet", content)])
    assert [i.code for i in result.report.issues] == []
    ages = result.cohort.con.execute("SELECT age FROM patients ORDER BY patient_id").fetchall()
    assert ages == [(40.0,), (52.0,), (None,)]


def test_parquet_whole_decimal_ids_keep_every_digit():
    """NUMBER(38) ids (Oracle, SQL exports) have more digits than a float holds: two
    ids one apart stay two patients, written as in the file."""
    import decimal

    import pyarrow as pa

    from core.loader import load_cohort

    ids = [decimal.Decimal("12345678901234567890"), decimal.Decimal("12345678901234567891")]
    content = _arrow_parquet({"patient_id": pa.array(ids, pa.decimal128(38, 0)), "sex": ["F", "M"], "age": [40, 52]})
    result = load_cohort([("patients.parquet", content)])
    assert [i.code for i in result.report.issues] == []
    assert result.cohort.con.execute("SELECT patient_id FROM patients ORDER BY patient_id").fetchall() == [
        ("12345678901234567890",), ("12345678901234567891",)]


def test_a_parquet_decimal_keeps_its_fraction():
    import decimal

    import pyarrow as pa

    content = _arrow_parquet({"dose": pa.array([decimal.Decimal("7.5"), None], pa.decimal128(4, 1))})
    assert _cells(_only("visits.parquet", content)) == [[7.5]]


def _narrow_numeric_types():
    import pyarrow as pa

    return [pa.float16(), pa.float32(), pa.decimal128(18, 6), pa.decimal256(40, 20), pa.decimal128(6, 2)]


@pytest.mark.parametrize("kind", _narrow_numeric_types(), ids=str)
def test_parquet_narrow_floats_and_decimals_read_as_the_numbers_they_show(kind):
    import decimal

    import pyarrow as pa

    shown = [0.9, 2.2, 0.1, 0.95, 1.1, 9.9, -0.3, 12.34]
    if pa.types.is_decimal(kind):
        column = pa.array([decimal.Decimal(str(v)) for v in shown], kind)
    else:  # half floats are built from floats (pyarrow takes no Python numbers for them)
        column = pa.array(shown, pa.float32()).cast(kind)
    table = _only("visits.parquet", _arrow_parquet({"c3": column}))
    assert [row[0] for row in _cells(table)] == shown


def test_float32_and_float64_parquet_give_the_same_summary():
    import pyarrow as pa

    from core.loader import load_cohort
    from core.summary import build_summary

    patients = _arrow_parquet({"patient_id": ["P1", "P2"], "sex": ["F", "F"], "age": [40.0, 50.0],
                               "cutaneous": [True, True], "acr_eular_2019": [True, True]})
    # C3 0.9 at M0 is not low (< 0.9 g/L); IFN 2.0 -> 2.2 (+10 %) and 10 -> 9 (-10 %) are stable.
    labs = {"c3": [0.9, 0.95, 1.2, 1.1], "c4": [0.2, 0.2, 0.2, 0.2], "ifn_score": [2.0, 2.2, 10.0, 9.0]}

    def summary(kind):
        visits = _arrow_parquet({"patient_id": ["P1", "P1", "P2", "P2"], "month": [0, 6, 0, 6],
                                 **{name: pa.array(values, kind) for name, values in labs.items()}})
        result = load_cohort([("patients.parquet", patients), ("visits.parquet", visits)])
        return build_summary(result.cohort)

    single, double = summary(pa.float32()), summary(pa.float64())
    assert (single["complement"]["activated_M0"], single["ifn_shift_M6"]["stable"]) == (0, 2)
    assert single == double


def _nested_columns():
    import pyarrow as pa

    return {
        "list": (pa.array([["HCQ"], ["HCQ", "MTX"], []], pa.list_(pa.string())), ["[HCQ]", "[HCQ, MTX]", "[]"]),
        "struct": (pa.array([{"crp": 1.0}, {"crp": 2.5}, {"crp": None}]),
                   ["{'crp': 1.0}", "{'crp': 2.5}", "{'crp': NULL}"]),
        "map": (pa.array([[("a", 1)], [], [("b", 2), ("c", 3)]], pa.map_(pa.string(), pa.int64())),
                ["{a=1}", "{}", "{b=2, c=3}"]),
    }


@pytest.mark.parametrize("nested", sorted(_nested_columns()))
def test_a_nested_parquet_column_is_kept_as_an_extra_column_of_text(nested):
    from core.loader import load_cohort

    column, shown = _nested_columns()[nested]
    content = _arrow_parquet({"patient_id": ["P1", "P2", "P3"], "sex": ["F", "M", "F"], "age": [30, 40, 50],
                              "treatments": column})
    assert [row[3] for row in _cells(_only("patients.parquet", content))] == shown
    result = load_cohort([("patients.parquet", content)])
    assert result.report.usable
    assert [(i.code, i.column) for i in result.report.issues] == [("unknown_column", "treatments")]


def _utf8_bytes(cells: list[str | None]):
    import pyarrow as pa

    return pa.array([None if c is None else c.encode() for c in cells], pa.binary())


def test_parquet_text_stored_as_utf8_bytes_is_read_as_text():
    from core.loader import load_cohort

    content = _arrow_parquet({"patient_id": _utf8_bytes(["P1", "P2"]), "sexe": _utf8_bytes(["F", "M"]),
                              "age": [30, 40], "atteinte_cutanée": _utf8_bytes(["oui", None]),
                              "centre": _utf8_bytes(["Hôpital Nord", "CHU"])})
    assert _cells(_only("patients.parquet", content)) == [["P1", "F", 30, "oui", "Hôpital Nord"],
                                                         ["P2", "M", 40, None, "CHU"]]
    result = load_cohort([("patients.parquet", content)])
    assert [i.code for i in result.report.issues] == []
    rows = result.cohort.con.execute("SELECT patient_id, sex, cutaneous, centre FROM patients ORDER BY 1").fetchall()
    assert rows == [("P1", "F", True, "Hôpital Nord"), ("P2", "M", None, "CHU")]


@pytest.mark.parametrize("kind", ["binary", "large_binary", "dictionary"])
def test_parquet_bytes_that_are_not_utf8_are_read_as_windows_1252_and_reported(kind):
    import pyarrow as pa

    cells = pa.array(["Hôpital Nord".encode("cp1252"), None, b"\x80 \x81", b"oui"], pa.binary())
    column = cells.dictionary_encode() if kind == "dictionary" else cells.cast(getattr(pa, kind)())
    tables, issues = read_files([("patients.parquet", _arrow_parquet({"id": ["P1", "P2", "P3", "P4"],
                                                                       "centre": column}))])
    assert [row[1] for row in _cells(tables[0])] == ["Hôpital Nord", None, "\u20ac \x81", "oui"]
    assert [(i.code, i.severity, i.column) for i in issues] == [("column_not_utf8", WARNING, "centre")]


def test_parquet_binary_extra_column_does_not_fail_the_upload():
    import pyarrow as pa

    from core.loader import load_cohort

    content = _arrow_parquet({"patient_id": ["P1", "P2", "P3"], "sex": ["F", "M", "F"], "age": [30, 40, 50],
                              "raw": pa.array([b"\xff", b"\x01", None], pa.binary())})
    result = load_cohort([("patients.parquet", content)])
    assert result.report.usable
    assert sorted((i.code, i.column) for i in result.report.issues) == [("column_not_utf8", "raw"),
                                                                       ("unknown_column", "raw")]


def test_parquet_whole_numbers_with_nulls_stay_exact_integers():
    import pyarrow as pa

    content = _arrow_parquet({"id": pa.array([2**60 + 1, None, 7], pa.uint64()), "age": [40, 41, 42]})
    cells = _cells(_only("patients.parquet", content))
    assert [row[0] for row in cells] == [2**60 + 1, None, 7]
    assert isinstance(cells[0][0], int)


def test_parquet_dictionary_text_and_a_named_index_are_read_as_columns():
    frame = pd.DataFrame({"sex": pd.Categorical(["F", "M"]), "age": [40, 41]},
                         index=pd.Index(["P1", "P2"], name="patient_id"))
    buffer = io.BytesIO()
    frame.to_parquet(buffer)  # the index is stored: pandas names it patient_id
    table = _only("patients.parquet", buffer.getvalue())
    assert table.headers == ("sex", "age", "patient_id")
    assert _cells(table) == [["F", 40, "P1"], ["M", 41, "P2"]]


def test_an_unnamed_parquet_index_is_not_a_column():
    buffer = io.BytesIO()
    pd.DataFrame({"id": ["P1", "P2"]}, index=[5, 9]).to_parquet(buffer)
    assert _only("patients.parquet", buffer.getvalue()).headers == ("id",)


def _stored_columns():
    """Synthetic Parquet columns of every stored type, holding the cells a typed read
    could take differently from a cell-by-cell one; the last row is blank in every column."""
    import decimal

    import numpy as np
    import pyarrow as pa

    floats = [1.0, 2.5, None, float("nan"), -0.0, float("inf"), -float("inf"), -3.0, 2.0**53, 1e300, 0.5, None]
    ints = [1, 0, None, -1, 2**60, 7, 3, 12, 2**53 + 1, -5, 1, None]
    texts = ["M3", " oui ", "ND", None, "", "\u00a0", "007", "+", "Non renseigné", "n/a", "\uff11\uff12", " \u202f"]
    dec = [None if v is None else decimal.Decimal(v) for v in
           ["1.10", "2", None, "-0", "3.000", "0.1", "12345678901234567.5", "1", "0", "7", "1", None]]
    return {
        "float64": pa.array(floats),
        "float32": pa.array(floats, pa.float32()),
        "float16": pa.array(np.array([np.nan if v is None else v if abs(v) < 6e4 else np.inf for v in floats],
                                     dtype=np.float16)),
        "int64": pa.array(ints),
        "int8": pa.array([None if v is None else v % 100 - 50 for v in ints], pa.int8()),
        "uint64": pa.array([None if v is None else abs(v) for v in ints], pa.uint64()),
        "dict_int": pa.array([1, 2, None, 1, 2, 1, 0, 1, 2, 1, 2, None]).dictionary_encode(),
        "bool": pa.array([True, False, None, True, False, True, True, False, None, True, False, None]),
        "decimal": pa.array(dec, pa.decimal128(20, 3)),
        "string": pa.array(texts),
        "large_string": pa.array(texts, pa.large_string()),
        "dict_string": pa.array(texts).dictionary_encode(),
        "string_view": pa.array(texts, pa.string_view()),
        "date": pa.array([1, 2, None, 3, 4, 5, 6, 7, 8, 9, 10, None], pa.date32()),
        "null": pa.array([None] * 12, pa.null()),
    }


def _as_python_cells(column):
    """A stored column as native Python cells, as Parquet was read before typed columns;
    a decimal or a narrow float as the decimal number it shows (its Python text)."""
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    narrow = {pa.float16(): np.float16, pa.float32(): np.float32}.get(column.type)
    cells = column.to_pylist()
    if narrow is not None:
        cells = [None if v is None else float(str(narrow(v))) for v in cells]
    elif pa.types.is_decimal(column.type):
        cells = [None if v is None else float(str(v)) for v in cells]
    return pd.Series(cells, dtype=object)


_VALUE_KINDS = ["text", "sex", "number", "integer", "bool", "response", "ifn", "month", "event_month", "event_type"]


def test_typed_parquet_columns_parse_as_their_python_cells_parse():
    import pyarrow as pa

    from core.distinct import parse_cells, per_distinct
    from core.values import is_missing, parse_column

    columns = _stored_columns()
    table = _only("visits.parquet", _arrow_parquet(columns))
    assert table.headers == tuple(columns)
    assert table.row_numbers.tolist() == list(range(2, 13))  # the blank last row is left out
    for j, (name, stored) in enumerate(columns.items()):
        cells = _as_python_cells(pa.chunked_array([stored]))[:-1]
        read = table.data[j]
        for kind in _VALUE_KINDS:
            typed, exact = parse_cells(read, kind), parse_column(cells, kind)
            assert typed.values.dtype == exact.values.dtype, (name, kind)
            assert typed.values.astype(object).where(typed.values.notna(), None).tolist() == \
                exact.values.astype(object).where(exact.values.notna(), None).tolist(), (name, kind)
            assert typed.invalid.tolist() == exact.invalid.tolist(), (name, kind)
            assert per_distinct(lambda c: is_missing(c, kind), read).tolist() == \
                is_missing(cells, kind).tolist(), (name, kind)


@pytest.mark.parametrize("blank", [None, float("nan"), "", "  ", "\u00a0", "\u3000\t"])
def test_a_parquet_row_is_blank_when_every_cell_is_null_nan_or_spaces(blank):
    import pyarrow as pa

    content = _arrow_parquet({"id": pa.array(["P1", blank if isinstance(blank, str) else None, "P3"]),
                              "age": pa.array([40.0, None if blank is None else float("nan"), 41.0]),
                              "n": pa.array([1, None, 2]), "flag": pa.array([True, None, False])})
    table = _only("patients.parquet", content)
    assert table.row_numbers.tolist() == [2, 4]


def test_a_parquet_cell_of_invisible_characters_is_not_blank():
    import pyarrow as pa

    content = _arrow_parquet({"id": pa.array(["P1", "\u200b", "\ufeff"]), "age": pa.array([40.0, None, None])})
    assert _only("patients.parquet", content).row_numbers.tolist() == [2, 3, 4]


# --- Format detection ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["COHORTE.XLSX", "export", "cohorte.dat"])
def test_workbook_is_recognised_by_extension_in_any_case_or_by_content(name):
    tables, _ = read_files([(name, xlsx_bytes({"patients": [["id"], ["P1"]]}))])
    assert [t.sheet for t in tables] == ["patients"]


def test_parquet_is_recognised_by_content():
    tables, _ = read_files([("export", _parquet(pd.DataFrame({"id": ["P1"]})))])
    assert tables[0].headers == ("id",) and tables[0].sheet is None


@pytest.mark.parametrize("name", ["cohorte.txt", "cohorte.tsv", "cohorte.dat", "cohorte"])
def test_text_files_are_read_as_csv(name):
    assert _only(name, b"id\tage\nP1\t45\n").headers == ("id", "age")


def test_several_files_are_read_together():
    tables, issues = read_files([("patients.csv", b"id;age\nP1;45\n"), ("events.csv", b"id,type\nP1,infection\n")])
    assert [(t.file, t.headers) for t in tables] == [("patients.csv", ("id", "age")), ("events.csv", ("id", "type"))]
    assert issues == []


# --- Bad files: errors, never exceptions ---------------------------------------------

@pytest.mark.parametrize("name, content, code", [
    ("patients.csv", b"", "empty_file"),
    ("patients.csv", b"\n  \r\n", "empty_file"),
    ("patients.csv", b";;;\n;;\n", "empty_file"),
    ("patients.csv", b"id;sexe;age\n", "header_only"),
    ("patients.csv", b"id;sexe;age\n;;\n\n", "header_only"),
    ("cohorte.xlsx", b"this is not a workbook at all", "unreadable_file"),
    ("cohorte.xlsx", b"PK\x03\x04 truncated zip", "unreadable_file"),
    ("cohorte.xls", b"\xd0\xcf\x11\xe0 truncated", "unreadable_file"),
    ("patients.parquet", b"PAR1 not really", "unreadable_file"),
    ("patients.csv", bytes(range(256)) * 8, "unreadable_file"),
    ("patients.csv", b'id;description\nP1;"quote never closed\nP2;x\n', "unreadable_file"),
    ("scan.pdf", b"%PDF-1.4\n\x00\x01\x02\x03binary", "unreadable_file"),
])
def test_bad_file_gives_an_error_issue_and_no_table(name, content, code):
    tables, issues = read_files([(name, content)])
    assert tables == []
    assert _codes(issues) == [(ERROR, code)]
    assert issues[0].file == name and issues[0].message and issues[0].hint


@pytest.mark.parametrize("content", [
    b'id;description\nP1;"SECRET-CELL never closed\nP2;x\n',
    b'id,description\nP1,"SECRET-CELL' + b"x" * 200_000 + b"\n",
])
def test_csv_parse_error_is_a_fixed_sentence_without_the_exception_text(content):
    # Parser exception texts can quote cells: none of it reaches the report.
    _, issues = read_files([("patients.csv", content)])
    assert [(i.code, i.variant, i.params) for i in issues] == [("unreadable_file", "csv", ())]
    assert not any(word in issues[0].message for word in ("SECRET", "tokenizing", "field limit"))


# --- Rows wider than the header ------------------------------------------------------

def test_row_with_more_filled_cells_than_the_header_is_rejected_and_listed():
    tables, issues = read_files([("p.csv", b"id,sex,age,dose\nP1,F,40,7,5\nP2,M,50,10\n")])
    assert [(i.severity, i.code, i.row, i.params) for i in issues] == [
        ("rejected", "too_many_cells", 2, (("cells", 5), ("header", 4), ("row", 2)))]
    assert "decimal comma" in issues[0].hint


def test_rejected_wide_row_is_left_out_and_counted_on_the_table():
    table = read_files([("p.csv", b"id,sex,age,dose\nP1,F,40,7,5\nP2,M,50,10\n")])[0][0]
    assert (table.headers, _cells(table), table.row_numbers.tolist(), table.rejected) == (
        ("id", "sex", "age", "dose"), [["P2", "M", "50", "10"]], [3], 1)


@pytest.mark.parametrize("text", [
    "id,sex,age\nP1,F,40,,\nP2,M,50\n",  # trailing empty fields
    "id,sex,age,\nP1,F,40,\nP2,M,50,\n",  # the header's trailing empty field, empty in every row
    "id;sex;age\nP1;F;40;  \n",  # a blank cell beyond the header
])
def test_trailing_empty_or_header_covered_cells_are_not_too_many(text):
    tables, issues = read_files([("p.csv", text.encode())])
    assert issues == [] and tables[0].rejected == 0


def test_a_value_under_the_headers_trailing_empty_field_is_too_many():
    _, issues = read_files([("p.csv", b"id,sex,age,\nP1,F,40,vu\nP2,M,50\n")])
    assert [(i.code, i.row, dict(i.params)["header"]) for i in issues] == [("too_many_cells", 2, 3)]


def test_semicolon_file_keeps_a_value_under_the_headers_padding_as_an_unnamed_column():
    """Excel's ";" export pads every line to its used range: a remark typed under no
    header (column H, G empty) is an unnamed column, its row kept; a ";" file splits no
    decimal comma, so nothing is shifted (a "," file keeps rejecting such a row)."""
    text = ("N° patient;Sexe;Âge;Cut;Art;ACR;;\nP1;F;30;oui;non;oui;;\nP2;F;40;oui;non;oui;;perdu de vue\n"
            "P3;M;50;oui;non;oui;;\n")
    tables, issues = read_files([("patients.csv", text.encode("cp1252"))])
    assert issues == [] and tables[0].rejected == 0
    assert tables[0].row_numbers.tolist() == [2, 3, 4]
    assert tables[0].headers[-1] == "" and tables[0].column_number(len(tables[0].headers) - 1) == 8
    assert _cells(tables[0])[1][-1] == "perdu de vue"


def test_an_unnamed_column_is_numbered_as_the_spreadsheet_shows_it():
    """A column left out for holding nothing (G) does not renumber the next one (H)."""
    rows = [["id", "sex", "age", "", "", "", "", ""], ["P1", "F", 30, None, None, None, None, "vu"]]
    table = _only("c.xlsx", xlsx_bytes({"patients": rows}))
    assert table.headers == ("id", "sex", "age", "") and table.column_number(3) == 8


def test_cell_count_ignores_trailing_empty_fields():
    _, issues = read_files([("p.csv", b"id,sex,age\nP1,F,40,x,,\nP2,M,50\n")])
    assert dict(issues[0].params)["cells"] == 4


def test_file_whose_every_row_is_too_wide_is_one_error_and_no_table():
    tables, issues = read_files([("p.csv", b"id,sex,age,dose\nP1,F,40,7,5\nP2,M,50,2,5\n")])
    assert tables == []
    assert [(i.severity, i.code, i.variant, i.params) for i in issues] == [
        ("error", "too_many_cells", "all", (("header", 4), ("rows", 2)))]


def test_workbook_cells_beyond_the_header_are_not_rejected():
    # A workbook cell never splits: data beside the header is an unnamed column.
    table = _only("c.xlsx", xlsx_bytes({"patients": [["id", "age"], ["P1", 40, "vu"]]}))
    assert (table.rejected, _cells(table)) == (0, [["P1", 40, "vu"]])


def test_workbook_with_only_empty_or_header_only_sheets_is_an_error():
    content = xlsx_bytes({"patients": [["id", "age"]], "Feuil2": []})
    tables, issues = read_files([("cohorte.xlsx", content)])
    assert tables == []
    assert _codes(issues) == [(ERROR, "header_only")]
    assert issues[0].sheet == "patients"


def test_workbook_with_every_sheet_empty_is_an_empty_file_error():
    tables, issues = read_files([("cohorte.xlsx", xlsx_bytes({"Feuil1": [], "Feuil2": []}))])
    assert tables == []
    assert _codes(issues) == [(ERROR, "empty_file")]


def test_bad_file_beside_good_ones_does_not_stop_the_others():
    tables, issues = read_files([("patients.csv", b"id\nP1\n"), ("visits.xlsx", b"garbage")])
    assert [t.file for t in tables] == ["patients.csv"]
    assert _codes(issues) == [(ERROR, "unreadable_file")]
    assert issues[0].file == "visits.xlsx"


@pytest.mark.parametrize("name", ["f.csv", "f.xlsx", "f.xls", "f.ods", "f.parquet", "f.bin"])
@pytest.mark.parametrize("magic", [b"", b"PK\x03\x04", b"PAR1", b"\xd0\xcf\x11\xe0", b"\xff\xfe"])
def test_random_bytes_never_raise(name, magic):
    rng = np.random.default_rng(7)
    for size in (1, 17, 300):
        content = magic + rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        tables, issues = read_files([(name, content)])
        assert tables or [i.severity for i in issues] == [ERROR]
