"""``python -m core poster --demo --out DIR --lang fr``: every file, with the summary's
numbers written the French way, a manifest whose hashes match, and one ZIP."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
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
    # Sheet names are the tables' titles, one space where Excel refuses a character.
    assert not [name for name in book.sheetnames if "  " in name or len(name) > 31]


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


def _squeeze(text: str) -> str:
    """``text`` without any whitespace (narrow no-break spaces and line breaks included),
    so that numbers compare whatever a format does with spaces."""
    return "".join(text.split())


def _panel_numbers(summary: dict) -> list[str]:
    """One number or more of each poster panel, written the French way."""
    base, response = summary["baseline"], summary["details"]["response"]
    shift_ifn, shift_dna = summary["ifn_shift_M6"], summary["anti_dsdna"]["shift_M6"]
    known_ifn = shift_ifn["down"] + shift_ifn["up"] + shift_ifn["stable"]
    known_dna = shift_dna["down"] + shift_dna["up"] + shift_dna["stable"]
    numbers = [
        fmt_num(base["female"]["pct"], "fr"), fmt_num(base["age"]["mean"], "fr"),
        fmt_num(base["disease_duration_years"]["median"], "fr"), fmt_num(base["prior_lines_4plus"]["pct"], "fr"),
        *(fmt_num(response[d][m]["overall"]["pct"], "fr") for d in ("cutaneous", "articular") for m in ("M3", "M6")),
        f"{shift_ifn['down']}/{known_ifn}", f"{shift_dna['down']}/{known_dna}",
        f"{summary['complement']['normalised_M6']}/{summary['complement']['activated_M0']}",
        fmt_num(summary["steroids"]["M0"]["on_cs"]["pct"], "fr"), fmt_num(summary["steroids"]["M0"]["median"], "fr"),
        fmt_num(summary["safety"]["infection"]["pct"], "fr"),
        *(event["patient_id"] for event in summary["safety"]["visceral_events"]),
    ]
    assert "95,5" in numbers and "39,1" in numbers  # the seed poster's, with decimal commas
    return numbers


def _missing(numbers: list[str], text: str) -> list[str]:
    squeezed = _squeeze(text)
    return [n for n in numbers if _squeeze(n) not in squeezed]


def test_html_poster_loads_nothing_from_the_network(out):
    from html.parser import HTMLParser

    page = (out / "poster.html").read_text(encoding="utf-8")
    references = []

    class Resources(HTMLParser):
        def handle_starttag(self, tag, attrs):
            references.extend(v for k, v in attrs if k in ("src", "href", "xlink:href", "srcset", "data") and v)
            if tag in ("script", "link", "iframe", "object", "embed"):
                references.append(tag)

    Resources().feed(page)
    assert references == []
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert re.findall(r"url\((?!#)", page) == []  # only fragments of the page itself: url(#clip1)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_html_poster_shows_every_panels_numbers_and_the_stamp(out, summary):
    page = (out / "poster.html").read_text(encoding="utf-8")
    assert _missing(_panel_numbers(summary), page) == []
    assert page.count("<svg") >= len(CHARTS)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stamp"]["text"] in page


def test_pdf_poster_is_one_a0_page_with_every_panels_numbers(out, summary):
    from pypdf import PdfReader

    reader = PdfReader(out / "poster.pdf")
    box = reader.pages[0].mediabox
    assert len(reader.pages) == 1
    assert abs(float(box.width) - 2384) < 2 and abs(float(box.height) - 3370) < 2  # 841 x 1189 mm in points
    text = reader.pages[0].extract_text()
    assert _missing(_panel_numbers(summary), text) == []
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stamp"]["short"] in text


def test_pdf_poster_embeds_its_fonts(out):
    from pypdf import PdfReader

    fonts = [f.get_object() for f in PdfReader(out / "poster.pdf").pages[0]["/Resources"]["/Font"].values()]
    descriptors = [(f.get("/FontDescriptor") or f["/DescendantFonts"][0].get_object()["/FontDescriptor"]).get_object()
                   for f in fonts]
    assert fonts and all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


def test_pptx_has_a_title_slide_a_slide_per_panel_with_a_table_and_the_numbers_in_the_notes(out, summary):
    from pptx import Presentation

    deck = Presentation(out / "deck.pptx")
    slides = list(deck.slides)
    panels = slides[1:-1]
    assert len(slides) == 1 + 5 + 1  # title, five panels, conclusion
    assert all(any(shape.has_table for shape in slide.shapes) for slide in panels)
    assert all(any(shape.shape_type == 13 for shape in slide.shapes) for slide in panels)  # a picture: the chart
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in panels)
    assert _missing(_panel_numbers(summary), notes) == []
    short = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stamp"]["short"]
    assert all(any(short in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
               for slide in slides)


def test_docx_table1_has_spanning_headers_and_the_summary_cells(out, summary):
    from docx import Document

    document = Document(out / "tables.docx")
    table = document.tables[0]
    top = table.rows[0].cells
    assert top[1].text == f"Patients analysés (N = {summary['populations']['analysed']})"
    assert top[1]._tc is top[3]._tc  # one merged cell over N, missing and the values
    assert top[0]._tc is table.rows[1].cells[0]._tc  # "Caractéristique" over both header rows
    cells = {cell.text for row in table.rows for cell in row.cells}
    for entry in ("female", "cutaneous", "hcq"):
        assert _count(summary["baseline"][entry]) in cells


def test_docx_has_fixed_widths_small_footnotes_and_the_stamp_in_the_footer(out):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document(out / "tables.docx")
    layout = document.tables[0]._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    notes = [p for p in document.paragraphs if p.text.startswith("n/N (%)")]
    assert notes and all(run.font.size.pt <= 8 for run in notes[0].runs)
    short = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stamp"]["short"]
    assert short in document.sections[0].footer.paragraphs[0].text
