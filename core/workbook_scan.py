"""A workbook's size and shape, read from its zip archive before any reader parses it.

An .xlsx/.xlsm/.ods/.xlsb file is a zip archive. Its entries' sizes, the shared-string
count an .xlsx declares and the position of every cell of every sheet are checked
against ``ReadLimits``, reading the sheets' XML in bounded chunks (a regular-expression
scan, not an XML parse), so that a 2 KB file claiming a cell at ``XFD1048576`` or 4
billion strings is refused before the native reader would ask for the memory. The same
scan notes the cells the reader would show as blank although they hold something:
Excel error values (``#N/A``, ``#DIV/0!``) and formulas saved with no computed value.

Legacy .xls files are not zip archives; like anything this scan cannot see, they rely
on the reader's child process limits (``core.workbook_reader``).
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

import numpy as np

from core.limits import MB, ReadLimits, megabytes, shape_issue
from core.report import ERROR, Issue

_CHUNK = 1 << 20
_MAX_PENDING = 16 * MB  # a chunk with no row end yet is cut at a cell end past this size
_RATIO_FLOOR = MB  # the compression ratio is checked on entries larger than this
_MAX_INDEX_BYTES = 10 * MB  # workbook.xml and its relationships: a list of sheets
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

# Cells written as Excel writes them (<c r="B5" ...>) are measured by ``_cell_refs``; a
# sheet with cells in any other spelling is walked tag by tag with these patterns (XML
# allows either quote and spaces around "=" in attributes).
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_ATTR_R = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,4})(\d{0,9})["']""")
_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b([^>]*\st\s*=\s*["']e["'][^>]*)>(.*?)</(?:\w+:)?c>""", re.DOTALL)
_SPACES = np.frombuffer(b" \t\n\r", dtype=np.uint8)
_CELL_END = np.frombuffer(b" \t\n\r>/", dtype=np.uint8)  # what follows "<c" in a cell's tag
_FORMULA_END = np.frombuffer(b"f/", dtype=np.uint8)  # "</f>" or a self-closing "<f .../>"
# A cell whose first child is a formula, and the value element after it if any.
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*"
                           rb"(<(?:\w+:)?v\b)?")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,40})</(?:\w+:)?v>")
_SST = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_COUNT = re.compile(rb'\b(count|uniqueCount)="(\d+)"')


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


@dataclass(frozen=True)
class WorkbookScan:
    """What the scan found: errors that stop the reading, and the flagged cells."""

    issues: tuple[Issue, ...] = ()
    flagged: tuple[FlaggedCell, ...] = ()


def scan_workbook(name: str, content: bytes, limits: ReadLimits) -> WorkbookScan:
    """Check a workbook's archive against ``limits``; an archive this scan cannot open is
    left to the reader (which reports it as unreadable)."""
    entries = _declared_entries(content)
    if entries is None:
        return WorkbookScan()
    if entries > limits.max_zip_entries:
        return _stopped(_error("file_too_large", name, "entries", entries=float(entries),
                               limit=float(limits.max_zip_entries)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        too_large = _size_issue(name, archive.infolist(), limits)
        return _stopped(too_large) if too_large else _scan_parts(name, archive, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as exc:
        return _stopped(_error("unreadable_file", name, "workbook", kind=type(exc).__name__))


def _stopped(issue: Issue) -> WorkbookScan:
    return WorkbookScan((issue,))


def _declared_entries(content: bytes) -> int | None:
    """The entry count of the zip's end-of-central-directory record (None: not a zip).
    Read before ``zipfile`` lists the entries, which costs memory per entry."""
    if not content.startswith(b"PK\x03\x04"):
        return None
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return None
    return struct.unpack_from("<H", content, end + 10)[0]


def _size_issue(name: str, infos: list[zipfile.ZipInfo], limits: ReadLimits) -> Issue | None:
    """The error for an archive whose entries, as its directory declares them, unpack past
    the limits (in all, one entry, or one entry's compression ratio), else None."""
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        return _error("file_too_large", name, "uncompressed", size=megabytes(total),
                      limit=megabytes(limits.max_uncompressed_bytes))
    for info in infos:
        if info.file_size > limits.max_entry_bytes:
            return _error("file_too_large", name, "entry", part=info.filename, size=megabytes(info.file_size),
                          limit=megabytes(limits.max_entry_bytes))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            return _error("file_too_large", name, "ratio", part=info.filename, ratio=float(round(ratio)),
                          limit=float(limits.max_compression_ratio))
    return None


def _error(code: str, name: str, variant: str = "", **params: object) -> Issue:
    """An error with the whole file."""
    return Issue.of(ERROR, code, params, variant=variant, file=name)


def _scan_parts(name: str, archive: zipfile.ZipFile, limits: ReadLimits) -> WorkbookScan:
    """Sheets, shared strings, then every other entry read through (``zipfile`` stops at
    each entry's declared size and checks its CRC, so a lying header is caught)."""
    sheets, strings = _parts(archive)
    if len(sheets) > limits.max_sheets:
        return _stopped(_error("too_many_sheets", name, sheets=float(len(sheets)), limit=float(limits.max_sheets)))
    names = set(archive.namelist())
    if strings in names:
        declared = _shared_strings(archive, strings)
        if declared > limits.max_shared_strings:
            return _stopped(_error("file_too_large", name, "strings", strings=float(declared),
                                   limit=float(limits.max_shared_strings)))
    flagged: list[FlaggedCell] = []
    for path, sheet in sheets.items():
        if path not in names:
            continue
        shape = _SheetShape(sheet)
        with archive.open(path) as stream:
            for chunk in _chunks(stream):
                shape.feed(chunk)
        problem = shape_issue(name, shape.sheet, shape.rows, shape.columns, limits)
        if problem is not None:
            return _stopped(problem)
        flagged += shape.flagged
    for info in archive.infolist():
        if info.filename not in sheets:
            with archive.open(info) as stream:
                while stream.read(_CHUNK):
                    pass
    return WorkbookScan((), tuple(flagged))


def _parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """{entry path: sheet name} and the shared-string table's path of an .xlsx/.xlsm
    workbook (({}, None) for other kinds)."""
    try:
        book = _small_xml(archive, "xl/workbook.xml")
        rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}, None
    targets, strings = {}, None
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id")] = path
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings = path
    sheets = {}
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        path = targets.get(sheet.get(f"{{{_REL}}}id"))
        if path:
            sheets[path] = sheet.get("name", "")
    return sheets, strings


def _small_xml(archive: zipfile.ZipFile, path: str) -> ElementTree.Element:
    info = archive.getinfo(path)
    if info.file_size > _MAX_INDEX_BYTES:
        raise ValueError(f"{path} is too large")
    try:
        return ElementTree.fromstring(archive.read(info))
    except ElementTree.ParseError:
        raise ValueError(f"{path} is not XML") from None


def _shared_strings(archive: zipfile.ZipFile, path: str) -> int:
    """The larger of the ``count`` and ``uniqueCount`` the shared-string table declares."""
    with archive.open(path) as stream:
        head = stream.read(64 * 1024)
    match = _SST.search(head)
    counts = [int(v) for _, v in _COUNT.findall(match.group(1))] if match else []
    return max(counts, default=0)


def _chunks(stream):
    """Pieces of decompressed XML, each ending at a row's end (or a cell's, for a row
    longer than ``_MAX_PENDING``), so that no cell is cut in two."""
    pending = b""
    while block := stream.read(_CHUNK):
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
    # "</c>" right after "</f>" or ".../>" (a formula with no value), or after whitespace.
    before = data[ends - 1]
    uncomputed = bool(((before == ord(">")) & np.isin(data[ends - 2], _FORMULA_END)).any()
                      or np.isin(before, _SPACES).any())
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


class _SheetShape:
    """The extent of one sheet's cells and its flagged cells, fed chunk by chunk."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.rows = 0
        self.columns = 0
        self.flagged: list[FlaggedCell] = []
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
            if match.group(2) is None:
                self._flag(match.group(1), code="formula_not_computed")

    def _flag(self, attributes: bytes, code: str, text: str = "") -> None:
        ref = _ATTR_R.search(attributes)
        if ref and ref.group(1) and ref.group(2):
            row, column = int(ref.group(2)), _column_number(ref.group(1))
            self.flagged.append(FlaggedCell(self.sheet, row, column, code, text))
