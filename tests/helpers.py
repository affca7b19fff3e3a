"""Small builders shared by test modules (fixtures in conftest.py wrap them)."""
from __future__ import annotations

import io


def xlsx_bytes(sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> bytes:
    """Workbook bytes from {sheet name: rows (first row = headers)}, written in memory;
    ``merges``: {sheet name: ranges merged ("D1:E1")}."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class RecordingConnection:
    """A cohort connection that records every statement it runs (``statements``)."""

    def __init__(self, con):
        self.con, self.statements = con, []

    def execute(self, sql, *args, **kwargs):
        self.statements.append(sql)
        return self.con.execute(sql, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.con, name)


def small_cohort(visits: list[dict], ids=("A", "B", "C", "D")):
    """A cohort of women aged 40 with cutaneous involvement, holding ``visits``; no events."""
    import pandas as pd

    from core.cohort import cohort_from_frames

    patients = pd.DataFrame({"patient_id": list(ids), "sex": "F", "age": 40.0, "cutaneous": True})
    return cohort_from_frames({"patients": patients, "visits": pd.DataFrame(visits), "events": None})


def small_cohort_files(visits: list[dict], ids=("A", "B", "C", "D")) -> list[tuple[str, bytes]]:
    """The ``small_cohort`` as the two CSV files a user would upload: (name, bytes) pairs."""
    import pandas as pd

    patients = pd.DataFrame({"patient_id": list(ids), "sex": "F", "age": 40, "cutaneous": "yes"})
    return [("patients.csv", patients.to_csv(index=False).encode()),
            ("visits.csv", pd.DataFrame(visits).to_csv(index=False).encode())]


def _visit(pid, month, **values) -> dict:
    return {"patient_id": pid, "month": month} | values


# IFN score at M0 -> M6: A down (20 -> 5), B up (10 -> 12), C stable (10 -> 9.5),
# D has no score at M6 (unknown). anti-dsDNA: A elevated (40 -> 8), B not (5 -> 30).
# Complement: A activated at M0 (C3 0.5), normal at M6.
BIOLOGY_VISITS = [
    _visit("A", 0, ifn_signature="positive", ifn_score=20.0, anti_dsdna=40.0, c3=0.5, c4=0.2),
    _visit("A", 6, ifn_signature="negative", ifn_score=5.0, anti_dsdna=8.0, c3=1.2, c4=0.2),
    _visit("B", 0, ifn_signature="positive", ifn_score=10.0, anti_dsdna=5.0, c3=1.0, c4=0.2),
    _visit("B", 6, ifn_signature="positive", ifn_score=12.0, anti_dsdna=30.0, c3=1.0, c4=0.2),
    _visit("C", 0, ifn_signature="positive", ifn_score=10.0), _visit("C", 6, ifn_score=9.5),
    _visit("D", 0, ifn_score=4.0), _visit("D", 6),
]


# Paired status at M3 and M6; a patient unknown at either visit is in no denominator.
# A: positive at M0 for all three markers; at M3 a visit with no IFN signature and no
#    anti-dsDNA (unknown) but C4 low (still activated); at M6 negative for all three.
# B: positive at M0 (anti-dsDNA by its recorded flag, complement by C4); no M3 visit;
#    at M6 anti-dsDNA still elevated, IFN signature and complement unknown.
# C: negative at M0; at M3 anti-dsDNA and C3 normal, no IFN signature; at M6 positive
#    for all three (complement by its recorded flag).
# D: unknown at M0 (a visit row with no value); positive for all three at M6.
STATUS_VISITS = [
    _visit("A", 0, ifn_signature="positive", anti_dsdna=40.0, c3=0.5, c4=0.2),
    _visit("A", 3, cs_dose_mg=5.0, c4=0.05),
    _visit("A", 6, ifn_signature="negative", anti_dsdna=5.0, c3=1.0, c4=0.2),
    _visit("B", 0, ifn_signature="positive", anti_dsdna=5.0, anti_dsdna_elevated=True, c4=0.05),
    _visit("B", 6, anti_dsdna=50.0),
    _visit("C", 0, ifn_signature="negative", anti_dsdna=5.0, c3=1.0),
    _visit("C", 3, anti_dsdna=8.0, c3=1.1),
    _visit("C", 6, ifn_signature="positive", anti_dsdna=30.0, complement_low=True),
    _visit("D", 0, cs_dose_mg=0.0),
    _visit("D", 6, ifn_signature="positive", anti_dsdna=30.0, c3=0.5),
]


def _change(paired: int, positive_m0: int, resolved: int, appeared: int) -> dict:
    """A ``status_change`` entry of summary-json: resolved out of the paired positive at
    M0, appeared out of the paired negative."""
    return {"paired": paired, "positive_M0": positive_m0, "resolved": {"n": resolved, "N": positive_m0},
            "appeared": {"n": appeared, "N": paired - positive_m0}}


# The status_change block of STATUS_VISITS, worked out by hand from the comments above.
STATUS_CHANGE = {
    "ifn": {"M3": _change(0, 0, 0, 0), "M6": _change(2, 1, 1, 1)},          # M6: A, C
    "anti_dsdna": {"M3": _change(1, 0, 0, 0), "M6": _change(3, 2, 1, 1)},   # M3: C; M6: A, B, C
    "complement": {"M3": _change(2, 1, 0, 0), "M6": _change(2, 1, 1, 1)},   # A, C
}


def _dose(pid, month, dose, drug=None) -> dict:
    return _visit(pid, month, cs_dose_mg=dose, cs_drug=drug)


# M0 -> M6 (prednisone equivalents): A 10 -> 5, B 8 mg methylprednisolone = 10 -> 0
# (stopped), C 0 -> 0, D 5 -> unknown.
STEROID_VISITS = [
    _dose("A", 0, 10.0), _dose("A", 6, 5.0),
    _dose("B", 0, 8.0, "methylprednisolone"), _dose("B", 6, 0.0, "methylprednisolone"),
    _dose("C", 0, 0.0), _dose("C", 6, 0.0),
    _dose("D", 0, 5.0), _dose("D", 6, None),
]


def safety_events():
    """Three events of three types, one severe infection; P3's description missing."""
    import pandas as pd

    return pd.DataFrame({
        "patient_id": ["P2", "P10", "P3"],
        "month": [1.0, 3.0, 1.5],
        "type": ["infection", "visceral", "other"],
        "description": ["Bronchite", "Péricardite", None],
        "severe": pd.array([True, None, None], dtype="boolean"),
        "vzv": pd.array([False, None, None], dtype="boolean"),
    })


_SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def inline_row(number: int, *cells: object) -> str:
    """One ``<row>`` of sheet XML: text as inline strings, numbers as values, from column A."""
    xml = []
    for k, cell in enumerate(cells):
        ref = f"{chr(65 + k)}{number}"
        if isinstance(cell, str):
            xml.append(f'<c r="{ref}" t="inlineStr"><is><t>{cell}</t></is></c>')
        else:
            xml.append(f'<c r="{ref}"><v>{cell}</v></c>')
    return f'<row r="{number}">{"".join(xml)}</row>'


def raw_xlsx(sheets: dict[str, str], shared_strings: str | None = None, declared: dict[str, int] | None = None,
             compression: int = 8) -> bytes:
    """An .xlsx written by hand, in memory: {sheet name: the XML inside ``<sheetData>``}.

    ``shared_strings`` is the whole ``xl/sharedStrings.xml``; ``declared`` overrides the
    uncompressed size the zip's directory declares for an entry (``xl/worksheets/sheet1.xml``),
    as a hostile archive would.
    """
    import zipfile

    names = list(sheets)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for k in range(1, len(names) + 1))
        + ('<Override PartName="/xl/sharedStrings.xml" '
           'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
           if shared_strings else "")
        + "</Types>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
                 f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
                 "</Relationships>")
    book = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SPREADSHEET_NS}" xmlns:r="{_DOC_RELS}">'
            "<sheets>" + "".join(f'<sheet name="{n}" sheetId="{k}" r:id="rId{k}"/>' for k, n in enumerate(names, 1))
            + "</sheets></workbook>")
    book_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
                 + "".join(f'<Relationship Id="rId{k}" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                           for k in range(1, len(names) + 1))
                 + (f'<Relationship Id="rId{len(names) + 1}" Type="{_DOC_RELS}/sharedStrings" '
                    'Target="sharedStrings.xml"/>' if shared_strings else "")
                 + "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compression) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for k, name in enumerate(names, 1):
            archive.writestr(f"xl/worksheets/sheet{k}.xml",
                             f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SPREADSHEET_NS}">'
                             f"<sheetData>{sheets[name]}</sheetData></worksheet>")
        if shared_strings:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for info in archive.infolist():  # the central directory is written on close
            info.file_size = (declared or {}).get(info.filename, info.file_size)
    return buffer.getvalue()


def as_read(text):
    """A tile's label, value or detail as a reader sees it: the page draws a fraction
    breakable after its slash (a zero-width space), the parts of a detail unbreakable
    (no-break spaces) and a label's long words breakable at soft hyphens
    (``ui.widgets.tile_text``, ``_unbroken_parts``, ``tile_label``); None stays None."""
    return text if text is None else text.replace("\u200b", "").replace("\u00a0", " ").replace("\u00ad", "")


def title_text(title) -> str:
    """A chart spec's title (text, lines, or ``{"text": ...}``) as one line, as read."""
    text = title["text"] if isinstance(title, dict) else title
    return text if isinstance(text, str) else " ".join(text)
