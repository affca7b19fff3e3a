"""One sheet's XML measured in bounded chunks: how far its cells reach, and which cells
a reader shows as blank although they hold something.

``SheetShape`` is fed the decompressed XML piece by piece (``xml_chunks``), so a sheet
is never held whole. Cells written as Excel writes them (``<c r="B5" ...>``) are
measured with array operations; a sheet writing them otherwise (no reference, other
quotes) is walked tag by tag. Error cells (``t="e"``: ``#N/A``, ``#DIV/0!``) and
formulas saved without a value (``<f>`` and no ``<v>``, or an empty one) are noted with
their position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.limits import MB
from core.sheet_styles import merged_ranges, padded_cells

_MAX_PENDING = 16 * MB  # a chunk with no row end yet is cut at a cell end past this size

# Cells written as Excel writes them (<c r="B5" ...>) are measured by ``_chunk_facts``;
# cells in any other spelling are walked tag by tag with these patterns (XML allows
# either quote and spaces around "=" in attributes).
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_ATTR_R = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,4})(\d{0,9})["']""")
_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b([^>]*\st\s*=\s*["']e["'][^>]*)>(.*?)</(?:\w+:)?c>""", re.DOTALL)
_SPACES = np.frombuffer(b" \t\n\r", dtype=np.uint8)
_CELL_END = np.frombuffer(b" \t\n\r>/", dtype=np.uint8)  # what follows "<c" in a cell's tag
_FORMULA_END = np.frombuffer(b"f/", dtype=np.uint8)  # "</f>" or a self-closing "<f .../>"
# A cell whose first child is a formula, the value element after it if any, and the
# rest of that element when it is empty (``<v></v>`` or ``<v/>``); or its result as an
# inline string (``<is>``), a value.
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*"
                           rb"(?:(<(?:\w+:)?v\b)([^>]*/>|[^>]*>\s*</(?:\w+:)?v>)?|(<(?:\w+:)?is\b))?")
_TEXT_TYPE = re.compile(rb"""\st\s*=\s*["']str["']""")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,40})</(?:\w+:)?v>")


@dataclass(frozen=True)
class FlaggedCell:
    """A cell read as blank although it holds something: an error value (``text``), an
    uncomputed formula, or text longer than the limit (``length``). ``row`` and
    ``column`` count from 1; ``ref`` is the cell as Excel names it ("B5")."""

    sheet: str
    row: int
    column: int
    code: str
    text: str = ""
    length: int = 0

    @property
    def ref(self) -> str:
        return column_letters(self.column) + str(self.row)


def column_letters(number: int) -> str:
    """Excel's name of the 1-based column ``number``: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_chunks(stream, size: int = 1 << 20):
    """Pieces of decompressed XML, each ending at a row's end (or a cell's, for a row
    longer than ``_MAX_PENDING``), so that no cell is cut in two."""
    pending = b""
    while block := stream.read(size):
        pending += block
        cut = pending.rfind(b"</row>") + 6
        if cut < 6 and len(pending) > _MAX_PENDING:
            cut = max(pending.rfind(b"</c>") + 4, pending.rfind(b">") + 1)
        if cut > 0:
            yield pending[:cut]
            pending = pending[cut:]
    if pending:
        yield pending


@dataclass(frozen=True)
class _ChunkFacts:
    """What array operations read from a chunk of sheet XML (regular expressions take
    seconds on a large sheet): the (column, row) of each `` r="B5"`` reference, how many
    cells open, and whether it may hold error cells or formulas without a value."""

    columns: np.ndarray
    rows: np.ndarray
    cells: int
    errors: bool
    uncomputed: bool


def _chunk_facts(chunk: bytes) -> _ChunkFacts:
    data = np.frombuffer(chunk + b"\0" * 16, dtype=np.uint8)  # room to read past the end
    quotes = np.flatnonzero(data == ord('"'))
    quotes = quotes[quotes >= 3]
    quotes = quotes[data[quotes - 1] == ord("=")]  # each attribute's opening quote
    errors = bool(((data[quotes + 1] == ord("e")) & (data[quotes + 2] == ord('"'))).any())  # t="e"
    at = quotes[data[quotes - 2] == ord("r")]
    at = at[np.isin(data[at - 3], _SPACES)]  # r="B5" after a space: a reference
    opens = np.flatnonzero(data == ord("<"))
    after = data[opens + 1]
    cell_opens = opens[after == ord("c")]
    cells = int(np.isin(data[cell_opens + 2], _CELL_END).sum())
    closing = opens[after == ord("/")]
    ends = closing[(data[closing + 2] == ord("c")) & (data[closing + 3] == ord(">"))]
    ends = ends[ends >= 2]
    # "</c>" right after "</f>" or ".../>" (a formula with no value), after whitespace,
    # or a "</v>" right after a tag or whitespace: an empty value ("<v></v>", openpyxl's
    # formulas saved without one; "<v> </v>", '<v xml:space="preserve"></v>'). The
    # exact scan then tells which cells these are.
    before = data[ends - 1]
    values_end = closing[(data[closing + 2] == ord("v")) & (data[closing + 3] == ord(">"))]
    values_end = values_end[values_end >= 1]
    before_value_end = data[values_end - 1]
    uncomputed = bool(((before == ord(">")) & np.isin(data[ends - 2], _FORMULA_END)).any()
                      or np.isin(before, _SPACES).any()
                      or (before_value_end == ord(">")).any() or np.isin(before_value_end, _SPACES).any())
    start = at + 1
    columns = np.zeros(len(at), dtype=np.int64)
    letters = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for k in range(4):  # XFD, the last Excel column, has 3 letters; a fourth is read to be refused
        char = data[start + k].astype(np.int64)
        going &= (char >= ord("A")) & (char <= ord("Z"))
        columns = np.where(going, columns * 26 + char - ord("A") + 1, columns)
        letters += going
    rows = np.zeros(len(at), dtype=np.int64)
    going = letters > 0  # a row's own r="5" has no letters: cells only
    for k in range(10):
        char = data[start + letters + k].astype(np.int64)
        going &= (char >= ord("0")) & (char <= ord("9"))
        rows = np.where(going, rows * 10 + char - ord("0"), rows)
    cell = letters > 0
    return _ChunkFacts(columns[cell], rows[cell], cells, errors, uncomputed)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class SheetShape:
    """The extent of one sheet's cells and its flagged cells, fed chunk by chunk."""

    def __init__(self, sheet: str, padded_styles: dict[int, int] | None = None) -> None:
        self.sheet = sheet
        self.rows = 0
        self.columns = 0
        self.flagged: list[FlaggedCell] = []
        self.padded: list[tuple[int, int, int]] = []  # (row, column, digits): see core.sheet_styles
        self.merges: list[tuple[int, int, int, int]] = []  # (first row, first column, last row, last column)
        self._styles = padded_styles or {}
        self._row = 0  # position state for cells written without a reference
        self._column = 0

    def feed(self, chunk: bytes) -> None:
        facts = _chunk_facts(chunk)
        if facts.cells > len(facts.columns):
            self._walk(chunk)  # some cells are written another way: follow them one by one
        elif len(facts.columns):
            self.columns = max(self.columns, int(facts.columns.max()))
            self.rows = max(self.rows, int(facts.rows.max()))
            self._row, self._column = int(facts.rows[-1]), int(facts.columns[-1])
        if facts.errors:
            self._errors(chunk)
        if facts.uncomputed:
            self._formulas(chunk)
        if self._styles and b"s=" in chunk:
            self.padded += padded_cells(chunk, self._styles)
        if b"mergeCell" in chunk:
            self.merges += merged_ranges(chunk)

    def _walk(self, chunk: bytes) -> None:
        for match in _TAG.finditer(chunk):
            ref = _ATTR_R.search(match.group(2))
            if match.group(1) == b"row":
                self._row = int(ref.group(2)) if ref and ref.group(2) else self._row + 1
                self._column = 0
                continue
            if ref and ref.group(1) and ref.group(2):
                self._row, self._column = int(ref.group(2)), _column_number(ref.group(1))
            else:
                self._column += 1
            self.rows, self.columns = max(self.rows, self._row), max(self.columns, self._column)

    def _errors(self, chunk: bytes) -> None:
        for match in _ERROR_CELL.finditer(chunk):
            value = _VALUE.search(match.group(2))
            text = value.group(1).decode("utf-8", "replace").strip() if value else ""
            self._flag(match.group(1), code="spreadsheet_error_value", text=text or "#?")

    def _formulas(self, chunk: bytes) -> None:
        for match in _FORMULA_CELL.finditer(chunk):
            # No value, or an empty one: the formula was never computed. An empty value
            # of a text formula (t="str") is a computed "" and stays a blank cell.
            # A formula whose result is an inline string (<is>) has its value there.
            if match.group(4) is not None:
                continue
            if match.group(2) is None or (match.group(3) is not None and not _TEXT_TYPE.search(match.group(1))):
                self._flag(match.group(1), code="formula_not_computed")

    def _flag(self, attributes: bytes, code: str, text: str = "") -> None:
        ref = _ATTR_R.search(attributes)
        if ref and ref.group(1) and ref.group(2):
            row, column = int(ref.group(2)), _column_number(ref.group(1))
            self.flagged.append(FlaggedCell(self.sheet, row, column, code, text))
