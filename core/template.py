"""The cohort template: an .xlsx workbook to fill in, built in memory.

Its first sheet ("Read me") explains every column: meaning, unit, accepted values and
whether it is required. Then come the patients, visits and events sheets, with headers
the reader accepts in the chosen language, drop-down lists on the vocabulary columns
and, unless the template is blank, one example patient (yellow rows) to delete. The
reader skips the "Read me" sheet (``schema.DOCUMENTATION_SHEETS``), so the template
reads back as the three tables. The texts come from the ``template.*`` catalogue keys;
the columns, ranges and accepted spellings from ``core.schema``.
"""
from __future__ import annotations

import io

from core.i18n import fmt_num, t
from core.schema import (
    BOOL,
    CS_DRUG_FACTORS,
    EVENT_MONTH,
    EVENT_TYPE,
    EVENT_TYPE_WORDS,
    FALSE_WORDS,
    IFN,
    IFN_SIGNS,
    IFN_WORDS,
    INTEGER,
    MONTH,
    NUMBER,
    RESPONSE,
    RESPONSE_WORDS,
    SEX,
    SEX_WORDS,
    TABLES,
    TRUE_WORDS,
    Column,
)

# The canonical value of each drop-down choice (catalogue ``template.choices.<kind>``), in order.
CHOICE_VALUES: dict[str, tuple[object, ...]] = {
    BOOL: (True, False),
    SEX: ("F", "M"),
    RESPONSE: ("CR", "PR", "NR"),
    IFN: ("positive", "negative"),
    EVENT_TYPE: ("infection", "visceral", "other"),
}
# Catalogue key (``template.unit.<key>``) of the unit of each column that has one.
_UNITS = {"age": "years", "disease_duration_years": "years", "month": "months", "cs_dose_mg": "mg_day",
          "anti_dsdna": "iu_ml", "c3": "g_l", "c4": "g_l"}
# Rows of the list validations (one range per column, far beyond any cohort's size).
_LAST_ROW = 10_000
_EXAMPLE_FILL = "FFF2CC"
_HEADER_FILL = "D9E2F3"
_README_WIDTHS = {"A": 14, "B": 30, "C": 12, "D": 60, "E": 24, "F": 60}


def _spellings() -> dict[str, dict[str, list[str]]]:
    """Every accepted spelling of each vocabulary kind, grouped under the name of its
    canonical value in the ``template.accepted.<kind>`` sentence."""
    def short_first(words: frozenset[str]) -> list[str]:
        return sorted(words, key=lambda w: (len(w) == 1, w))

    grouped = {BOOL: {"true": short_first(TRUE_WORDS), "false": short_first(FALSE_WORDS)}}
    for kind, words in ((SEX, SEX_WORDS), (RESPONSE, RESPONSE_WORDS), (IFN, {**IFN_WORDS, **IFN_SIGNS}),
                        (EVENT_TYPE, EVENT_TYPE_WORDS)):
        grouped[kind] = {}
        for word, value in words.items():
            grouped[kind].setdefault(value, []).append(word.replace("_", " "))
    return grouped


_SPELLINGS = _spellings()


def choices(kind: str, lang: str) -> tuple[str, ...]:
    """The drop-down values of a vocabulary kind in ``lang`` (same order as ``CHOICE_VALUES``)."""
    return tuple(t(f"template.choices.{kind}", lang).split(","))


def header(table: str, column: str, lang: str) -> str:
    """The header the template writes for a canonical column in ``lang``."""
    return t(f"template.header.{table}.{column}", lang)


def sheet_name(table: str, lang: str) -> str:
    """The template's sheet name for ``table`` (or ``"readme"``) in ``lang``."""
    return t(f"template.sheet.{table}", lang)


def template_workbook(lang: str, example: bool = True) -> bytes:
    """The template as .xlsx bytes, in ``lang`` (``"fr"`` or ``"en"``).

    With ``example``, each table's sheet holds the rows of one example patient
    (marked in yellow, with a note); without it, headers only.
    """
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = t("app.title", lang)
    _readme_sheet(book.create_sheet(sheet_name("readme", lang)), lang, example)
    rows = _example_rows(lang) if example else {}
    for table in TABLES:
        _table_sheet(book.create_sheet(sheet_name(table, lang)), table, rows.get(table, []), lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def accepted_values(column: Column, lang: str) -> str:
    """What a column accepts, in ``lang``: the vocabulary's spellings, or the number's range."""
    kind = column.kind
    if column.name == "cs_drug":
        return t("template.accepted.cs_drug", lang, drugs=", ".join(CS_DRUG_FACTORS))
    if kind in _SPELLINGS:
        words = {value: ", ".join(spellings) for value, spellings in _SPELLINGS[kind].items()}
        return t(f"template.accepted.{kind}", lang, **words)
    if kind in (MONTH, EVENT_MONTH):
        return t(f"template.accepted.{kind}", lang)
    if kind not in (NUMBER, INTEGER):
        return t("template.accepted.text", lang)
    values = t(f"template.accepted.{kind}", lang)
    if column.low is None:
        return values
    if column.high is None:
        return t("template.accepted.range_low", lang, values=values, low=_bound(column.low, lang))
    return t("template.accepted.range", lang, values=values, low=_bound(column.low, lang),
             high=_bound(column.high, lang))


def _bound(x: float, lang: str) -> str:
    return fmt_num(x, lang, 0 if float(x).is_integer() else 2)


def _readme_sheet(sheet, lang: str, example: bool) -> None:
    """Title, how to fill the workbook in, then one row per column of every table."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append([t("template.readme.title", lang)])
    sheet["A1"].font = Font(bold=True, size=14)
    notes = ["tables", *(["example"] if example else []), "optional", "missing", "lists", "check"]
    for note in notes:
        sheet.append([t(f"template.readme.{note}", lang, id=t("template.example.id", lang))])
    sheet.append([])
    fields = ("sheet", "column", "required", "meaning", "unit", "accepted")
    sheet.append([t(f"template.readme.col.{f}", lang) for f in fields])
    top = sheet.max_row
    for cell in sheet[top]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for table, columns in TABLES.items():
        for column in columns:
            unit = _UNITS.get(column.name)
            sheet.append([
                sheet_name(table, lang),
                header(table, column.name, lang),
                t(f"template.required.{'yes' if column.required else 'no'}", lang),
                t(f"template.meaning.{table}.{column.name}", lang),
                t(f"template.unit.{unit}", lang) if unit else "",
                accepted_values(column, lang),
            ])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=top + 1):
        for cell in row:
            cell.alignment = wrap
    for letter, width in _README_WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{top + 1}"


def _table_sheet(sheet, table: str, rows: list[dict[str, object]], lang: str) -> None:
    """Headers, the example's rows, a drop-down list on each vocabulary column."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = TABLES[table]
    sheet.append([header(table, c.name, lang) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for row in rows:
        sheet.append([_cell(c, row.get(c.name), lang) for c in columns])
        for cell in sheet[sheet.max_row]:
            cell.fill = PatternFill("solid", fgColor=_EXAMPLE_FILL)
    if rows:
        sheet["A2"].comment = Comment(t("template.example.note", lang), t("app.title", lang), width=300, height=90)
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(12, len(header(table, column.name, lang)) + 4)
        values = _list_values(column, lang)
        if values:
            sheet.add_data_validation(_list_validation(values, f"{letter}2:{letter}{_LAST_ROW}", lang))
    sheet.freeze_panes = "B2"


def _list_values(column: Column, lang: str) -> tuple[str, ...]:
    if column.name == "cs_drug":
        return tuple(CS_DRUG_FACTORS)
    return choices(column.kind, lang) if column.kind in CHOICE_VALUES else ()


def _list_validation(values: tuple[str, ...], cells: str, lang: str):
    """A drop-down list that warns on another value rather than refusing it: the reader
    accepts more spellings than the list offers (``RC``, ``vrai``, ``female``...)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                showErrorMessage=True, errorStyle="warning",
                                errorTitle=t("template.list.title", lang), error=t("template.list.message", lang))
    validation.add(cells)
    return validation


def _cell(column: Column, value: object, lang: str) -> object:
    """An example value as the user would type it in ``lang`` (months as ``M3``)."""
    if value is None:
        return None
    if column.kind in CHOICE_VALUES:
        return choices(column.kind, lang)[CHOICE_VALUES[column.kind].index(value)]
    if column.kind in (MONTH, EVENT_MONTH):
        return f"M{value}"
    return value


def _example_rows(lang: str) -> dict[str, list[dict[str, object]]]:
    """One analysed example patient: followed at M0, M3 and M6, with one infection.

    Canonical values; ``_cell`` writes them in ``lang``.
    """
    pid = t("template.example.id", lang)
    visit_keys = ("month", "cs_dose_mg", "cs_drug", "hcq", "cutaneous_response", "articular_response",
                  "ifn_signature", "ifn_score", "anti_dsdna", "anti_dsdna_elevated", "c3", "c4", "complement_low",
                  "active_skin_lesions", "new_skin_lesions", "painful_joints", "swollen_joints",
                  "new_painful_joints", "joint_flares")
    visits = (
        (0, 10, "prednisone", True, None, None, "positive", 150, 60, True, 0.75, 0.08, True, 5, False, 6, 3, False, 2),
        (3, 7.5, "prednisone", True, "PR", "PR", "positive", 90, 35, True, 0.85, 0.11, True, 2, False, 2, 1, False, 1),
        (6, 5, "prednisone", True, "CR", "PR", "negative", 40, 12, True, 0.95, 0.15, False, 0, False, 1, 0, False, 0),
    )
    return {
        "patients": [{"patient_id": pid, "centre": t("template.example.centre", lang), "sex": "F", "age": 34,
                      "disease_duration_years": 8, "prior_lines": 2, "cutaneous": True, "articular": True,
                      "acr_eular_2019": True}],
        "visits": [{"patient_id": pid, **dict(zip(visit_keys, values))} for values in visits],
        "events": [{"patient_id": pid, "month": 4, "type": "infection",
                    "description": t("template.example.event", lang), "severe": False, "vzv": False}],
    }
