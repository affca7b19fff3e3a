"""What a workbook's styles and a sheet's extra XML say about how cells are shown:
zero-padded number formats (an id ``42`` shown ``0042`` by the format ``0000``) and
merged ranges (``<mergeCell ref="A2:A4"/>``).

The native reader gives a cell's stored number, not what Excel displays, so ``0042``
would be read ``42`` and every visit keyed ``0042`` would match no patient. Only
zero-padding formats are applied (``0000``, ``00000`` ...): their display is the whole
number with leading zeros, nothing else.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PADDING = re.compile(r"0{2,}")
_ATTR = re.compile(rb"""\s(r|s|t)\s*=\s*["']([^"']*)["']""")
_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})")
_MERGE = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*\sref\s*=\s*["']([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)["']""")


def padded_styles(styles: ElementTree.Element) -> dict[int, int]:
    """{cell style index (a cell's ``s=``): digits} for the styles whose number format
    pads whole numbers with zeros."""
    codes = {fmt.get("numFmtId"): fmt.get("formatCode", "")
             for fmt in styles.iter(f"{{{_MAIN}}}numFmt")}
    xfs = styles.find(f"{{{_MAIN}}}cellXfs")
    if xfs is None:
        return {}
    widths = {}
    for index, xf in enumerate(xfs.findall(f"{{{_MAIN}}}xf")):
        code = codes.get(xf.get("numFmtId"), "")
        if _PADDING.fullmatch(code):
            widths[index] = len(code)
    return widths


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column), from 1, of an Excel reference such as ``B5``."""
    match = _REF.fullmatch(ref)
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def padded_cells(chunk: bytes, widths: dict[int, int]) -> list[tuple[int, int, int]]:
    """(row, column, digits) of each numeric cell of ``chunk`` styled with a zero-padding format."""
    # Only the cells carrying one of these styles are parsed (re caches the pattern).
    styled = re.compile(rb"<(?:\w+:)?c\b([^>]*\ss\s*=\s*[\"'](?:"
                        + b"|".join(str(k).encode() for k in sorted(widths)) + rb")[\"'][^>]*)>")
    found = []
    for match in styled.finditer(chunk):
        attrs = {k.decode(): v.decode("ascii", "replace") for k, v in _ATTR.findall(match.group(1))}
        style = attrs.get("s", "")
        if not style.isdigit() or int(style) not in widths or attrs.get("t", "n") != "n":
            continue
        at = cell_position(attrs.get("r", ""))
        if at is not None:
            found.append((*at, widths[int(style)]))
    return found


def merged_ranges(chunk: bytes) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range in ``chunk``."""
    found = []
    for match in _MERGE.finditer(chunk):
        first, _, last = match.group(1).decode("ascii").partition(":")
        start, end = cell_position(first), cell_position(last or first)
        if start and end and end != start:
            found.append((min(start[0], end[0]), min(start[1], end[1]), max(start[0], end[0]), max(start[1], end[1])))
    return found


def padded_number(value: object, digits: int) -> object:
    """A whole number as a zero-padded format displays it (``42`` -> ``"0042"``); any
    other value unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and not value.is_integer():
        return value
    number = int(value)
    return f"-{-number:0{digits}d}" if number < 0 else f"{number:0{digits}d}"
