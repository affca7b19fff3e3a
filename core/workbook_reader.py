"""The native workbook reader (python-calamine), run in a child process with limits.

calamine can abort the whole process on a hostile file (a cell at ``XFD1048576`` makes
it ask for 512 GB, and a failed allocation aborts), so it never runs in the server's
process: ``read_sheets`` starts ``python -m core.workbook_child``, which caps its own
address space and CPU time, reads the workbook's bytes from its stdin and writes the
sheets' cells to its stdout (a pipe: nothing is written to disk). A crash, the memory
cap or the time limit ends the child only; the caller gets a ``failure`` to report.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from core.workbook_child import EXIT_MEMORY

_ROOT = Path(__file__).resolve().parent.parent
# What the child's output may hold besides lists, text, numbers and None: calamine's cell types.
_ALLOWED = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"), ("datetime", "timedelta")}


@dataclass(frozen=True)
class SheetCells:
    """One sheet as the reader gives it: rows of native cells from A1 (``rows``), or the
    type of the exception that stopped its reading (``error``). ``long_cells`` lists
    (row, column, length) of text cells longer than the limit, which are set to None;
    rows and columns count from 1."""

    name: str
    rows: list[list[object]] | None = None
    error: str | None = None
    long_cells: tuple[tuple[int, int, int], ...] = ()
    hidden: str = ""  # "hidden" or "veryHidden" for a sheet the workbook hides


@dataclass(frozen=True)
class BookCells:
    """Every sheet of one workbook, or why none could be read.

    ``error`` is the type of the exception that stopped the reader from opening the
    workbook; ``failure`` says the child itself ended: "time" (past the time limit),
    "memory" or "crash" (an abort, often a failed allocation).
    """

    sheets: tuple[SheetCells, ...] = field(default=())
    error: str | None = None
    failure: str | None = None


def read_sheets(content: bytes, memory_bytes: int, seconds: float, max_cell_chars: int,
                read_hidden: bool = False) -> BookCells:
    """Read every sheet of the workbook ``content`` in a child process within the limits
    (a hidden sheet's cells only when ``read_hidden``; its name and state always)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(_ROOT), os.environ.get("PYTHONPATH"))))}
    command = [sys.executable, "-m", "core.workbook_child", str(int(memory_bytes)), repr(float(seconds)),
               str(int(max_cell_chars)), "1" if read_hidden else "0"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          cwd=_ROOT, env=env) as child:
        try:
            out, _ = child.communicate(content, timeout=seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            return BookCells(failure="time")
    if child.returncode != 0:
        return BookCells(failure="memory" if child.returncode == EXIT_MEMORY else "crash")
    try:
        return _book(_SafeUnpickler(io.BytesIO(out)).load())
    except (pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError):
        return BookCells(failure="crash")


class _SafeUnpickler(pickle.Unpickler):
    """Plain data and calamine's cell types only: the child read a hostile file, so its
    output is not trusted to name any other class."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


def _book(data: object) -> BookCells:
    """The child's plain output (see ``_read``) as a ``BookCells``."""
    if not isinstance(data, dict):
        raise ValueError("unexpected output")
    sheets = tuple(SheetCells(str(name), rows, error, tuple(map(tuple, long_cells)), str(state))
                   for name, rows, error, long_cells, state in data["sheets"])
    return BookCells(sheets, data["error"])
