"""A workbook's size and shape, read from its zip archive before any reader parses it.

An .xlsx/.xlsm/.ods/.xlsb file is a zip archive. Its entries' sizes, the shared-string
count an .xlsx declares and the position of every cell of every sheet are checked
against ``ReadLimits``, reading the sheets' XML in bounded chunks (``core.sheet_xml``:
array operations over the bytes, not an XML parse), so that a 2 KB file claiming a cell at ``XFD1048576`` or 4
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
from dataclasses import dataclass, field
from xml.etree import ElementTree

from core.limits import MB, ReadLimits, megabytes, shape_issue
from core.report import Issue, file_issue
from core.sheet_styles import padded_styles
from core.sheet_xml import FlaggedCell, SheetShape, xml_chunks

_CHUNK = 1 << 20
_RATIO_FLOOR = MB  # the compression ratio is checked on entries larger than this
_MAX_INDEX_BYTES = 10 * MB  # workbook.xml and its relationships: a list of sheets
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_SST = re.compile(rb"<(?:\w+:)?sst\b([^>]*)>")
_COUNT = re.compile(rb'\b(count|uniqueCount)="(\d+)"')


@dataclass(frozen=True)
class WorkbookScan:
    """What the scan found: errors that stop the reading, and the flagged cells."""

    issues: tuple[Issue, ...] = ()
    flagged: tuple[FlaggedCell, ...] = ()
    # {sheet name: (row, column, digits)} of numbers shown zero-padded; {sheet name:
    # merged ranges (first row, first column, last row, last column)}.
    padded: dict[str, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)
    merges: dict[str, tuple[tuple[int, int, int, int], ...]] = field(default_factory=dict)


def scan_workbook(name: str, content: bytes, limits: ReadLimits) -> WorkbookScan:
    """Check a workbook's archive against ``limits``; an archive this scan cannot open is
    left to the reader (which reports it as unreadable)."""
    entries = _declared_entries(content)
    if entries is None:
        return WorkbookScan()
    if entries > limits.max_zip_entries:
        return _stopped(file_issue("file_too_large", name, None, "entries", entries=float(entries),
                                   limit=float(limits.max_zip_entries)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        too_large = _size_issue(name, archive.infolist(), limits)
        return _stopped(too_large) if too_large else _scan_parts(name, archive, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as exc:
        return _stopped(file_issue("unreadable_file", name, None, "workbook", kind=type(exc).__name__))


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
        return file_issue("file_too_large", name, None, "uncompressed", size=megabytes(total),
                          limit=megabytes(limits.max_uncompressed_bytes))
    for info in infos:
        if info.file_size > limits.max_entry_bytes:
            return file_issue("file_too_large", name, None, "entry", part=info.filename, size=megabytes(info.file_size),
                              limit=megabytes(limits.max_entry_bytes))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            return file_issue("file_too_large", name, None, "ratio", part=info.filename, ratio=float(round(ratio)),
                              limit=float(limits.max_compression_ratio))
    return None


def _scan_parts(name: str, archive: zipfile.ZipFile, limits: ReadLimits) -> WorkbookScan:
    """Sheets, shared strings, then every other entry read through (``zipfile`` stops at
    each entry's declared size and checks its CRC, so a lying header is caught)."""
    sheets, strings, styles = _parts(archive)
    if len(sheets) > limits.max_sheets:
        return _stopped(file_issue("too_many_sheets", name, None, sheets=float(len(sheets)),
                                   limit=float(limits.max_sheets)))
    names = set(archive.namelist())
    if strings in names:
        declared = _shared_strings(archive, strings)
        if declared > limits.max_shared_strings:
            return _stopped(file_issue("file_too_large", name, None, "strings", strings=float(declared),
                                       limit=float(limits.max_shared_strings)))
    widths = _padded_styles(archive, styles) if styles in names else {}
    flagged: list[FlaggedCell] = []
    padded, merges = {}, {}
    for path, sheet in sheets.items():
        if path not in names:
            continue
        shape = SheetShape(sheet, widths)
        with archive.open(path) as stream:
            for chunk in xml_chunks(stream, _CHUNK):
                shape.feed(chunk)
        problem = shape_issue(name, shape.sheet, shape.rows, shape.columns, limits)
        if problem is not None:
            return _stopped(problem)
        flagged += shape.flagged
        padded[sheet], merges[sheet] = tuple(shape.padded), tuple(shape.merges)
    for info in archive.infolist():
        if info.filename not in sheets:
            with archive.open(info) as stream:
                while stream.read(_CHUNK):
                    pass
    return WorkbookScan((), tuple(flagged), padded, merges)


def _parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None, str | None]:
    """{entry path: sheet name}, the shared-string table's and the styles' paths of an
    .xlsx/.xlsm workbook (({}, None, None) for other kinds)."""
    try:
        book = _small_xml(archive, "xl/workbook.xml")
        rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}, None, None
    targets, strings, styles = {}, None, None
    for rel in rels.iter(f"{{{_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id")] = path
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings = path
        elif rel.get("Type", "").endswith("/styles"):
            styles = path
    sheets = {}
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        path = targets.get(sheet.get(f"{{{_REL}}}id"))
        if path:
            sheets[path] = sheet.get("name", "")
    return sheets, strings, styles


def _padded_styles(archive: zipfile.ZipFile, path: str) -> dict[int, int]:
    """The zero-padding styles of the workbook (none when its styles cannot be read:
    the reader then shows stored numbers, as before)."""
    try:
        return padded_styles(_small_xml(archive, path))
    except ValueError:
        return {}


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
