"""``python -m core poster --demo --out DIR --lang fr``: every file, with the summary's
numbers written the French way, a manifest whose hashes match, and one ZIP."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import struct
import zipfile
from pathlib import Path

import pytest

from core.cli import main
from core.demo import DEMO_FILES, load_demo
from core.export.stamp import files_digest
from core.i18n import fmt_count, fmt_num
from core.summary import build_summary

TABLES = ("table1", "responses", "shifts", "steroids", "safety", "events")
CHARTS = ("patient_flow", "response_by_visit", "ifn_shifts", "anti_dsdna_shifts", "steroid_doses", "events_by_type")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("poster_fr")
    assert main(["poster", "--demo", "--out", str(folder), "--lang", "fr"]) == 0
    return folder


@pytest.fixture(scope="module")
def summary() -> dict:
    """What ``python -m core summarize --demo`` prints."""
    cohort = load_demo().cohort
    try:
        document = build_summary(cohort)
    finally:
        cohort.close()
    document["details"]["settings"] = None
    return document


def _count(entry: dict) -> str:
    return fmt_count(entry["n"], entry["N"], entry["pct"], "fr")


def test_summary_json_is_the_summarize_document(out, summary):
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary


def test_manifest_lists_every_file_with_its_sha256(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["name"]: f["sha256"] for f in manifest["files"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"manifest.json", "poster.zip"}
    assert all(hashlib.sha256((out / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())


def test_zip_holds_every_file_and_the_manifest_byte_for_byte(out):
    with zipfile.ZipFile(out / "poster.zip") as archive:
        names = set(archive.namelist())
        assert all(archive.read(name) == (out / name).read_bytes() for name in names)
    assert names == {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"poster.zip"}


def test_stamp_names_the_demo_files_digest(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    digest = files_digest([(p.name, p.read_bytes()) for p in DEMO_FILES["fr"]])
    assert manifest["stamp"]["sha256"] == digest
    assert manifest["stamp"]["short"] in (out / "stamp.txt").read_text(encoding="utf-8")
    assert (manifest["stamp"]["filter"], manifest["stamp"]["settings"]) == (None, None)


def test_every_table_has_a_french_csv_separated_by_semicolons(out, summary):
    rows = {}
    for name in TABLES:
        text = (out / "tables" / f"{name}.csv").read_bytes().decode("utf-8-sig")
        rows[name] = list(csv.reader(io.StringIO(text), delimiter=";"))
    female = _count(summary["baseline"]["female"])
    assert "95,5" in female
    assert any(female in row for row in rows["table1"])
    assert any(_count(summary["safety"]["infection"]) in row for row in rows["safety"])
    events = sum(row["events"] for row in summary["details"]["safety"]["events_by_type"])
    assert len(rows["events"]) == 1 + events  # the header, then one row per event


def test_xlsx_holds_the_summary_numbers_and_no_formula(out, summary):
    from openpyxl import load_workbook

    book = load_workbook(out / "tables.xlsx")
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert len(book.worksheets) == len(TABLES)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for entry in ("female", "cutaneous", "articular", "corticosteroids", "hcq"):
        assert _count(summary["baseline"][entry]) in values
    dose = summary["baseline"]["cs_dose_mg"]
    assert f"{fmt_num(dose['median'], 'fr')} ({fmt_num(dose['q1'], 'fr')}\u202f; {fmt_num(dose['q3'], 'fr')})" in values


def test_xlsx_carries_the_stamp_on_each_sheet_and_in_its_properties(out):
    from openpyxl import load_workbook

    stamp = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stamp"]["text"]
    book = load_workbook(out / "tables.xlsx")
    assert all(sheet["A2"].value == stamp for sheet in book.worksheets)
    assert book.properties.subject == stamp


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("name", CHARTS)
def test_charts_are_valid_png_svg_and_pdf(out, name):
    width, height = _png_size((out / "charts" / f"{name}.png").read_bytes())
    svg = (out / "charts" / f"{name}.svg").read_text(encoding="utf-8")
    pdf = (out / "charts" / f"{name}.pdf").read_bytes()
    assert width >= 400 and height >= 150  # scale 2: at least 200 x 75 CSS pixels
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]


def test_chart_axes_write_french_numbers(out):
    svg = (out / "charts" / "steroid_doses.svg").read_text(encoding="utf-8")
    # The dose axis has halves (2.5, 7.5 mg/day): written 2,5 and 7,5.
    assert "7,5" in svg and "7.5" not in svg


def test_methods_text_is_french_and_names_populations_and_versions(out, summary):
    text = (out / "methods.txt").read_text(encoding="utf-8")
    assert f"N = {summary['populations']['treated']}" in text and f"N = {summary['populations']['analysed']}" in text
    assert "Wilson" in text and "McNemar" in text and "pandas" in text and "Instantané" in text
