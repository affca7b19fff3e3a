"""The child process that runs python-calamine: ``python -m core.workbook_child MEMORY SECONDS MAX_CHARS [HIDDEN]``
(HIDDEN "1": read hidden sheets too).

It caps its own address space (bytes) and CPU time (seconds), reads a workbook's bytes
from stdin and writes its sheets to stdout as a pickle of plain data (see ``_read``);
``core.workbook_reader`` starts it and checks what it returns. It imports only what it
needs, so that it starts in a few tens of milliseconds.
"""
from __future__ import annotations

import io
import math
import pickle
import sys

EXIT_MEMORY = 3  # out of memory in Python (an allocation failing in calamine aborts: SIGABRT)


def _limit_self(memory_bytes: int, seconds: float) -> None:
    """Cap this process's address space and CPU time (POSIX; elsewhere the parent's
    time limit still holds), and forbid it a core dump: its usual way to fail is a crash
    (an abort on a failed allocation, SIGXCPU past the CPU limit), which would otherwise
    write the workbook's cells to disk where core dumps are on."""
    from core.coredump import forbid_core_dumps

    forbid_core_dumps()
    try:
        import resource
    except ImportError:
        return
    for limit, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, math.ceil(seconds) + 1)):
        _, hard = resource.getrlimit(limit)
        resource.setrlimit(limit, (value if hard == resource.RLIM_INFINITY else min(value, hard), hard))


def _read(content: bytes, max_cell_chars: int, read_hidden: bool = False) -> dict:
    """The workbook as plain data: {"error": exception type or None, "sheets": [(name,
    rows or None, exception type or None, long cells, state)]}; ``state`` is "" for a
    visible sheet, "hidden" or "veryHidden". A hidden sheet's rows are read only when
    ``read_hidden``."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises several types for corrupt or protected files
        return {"error": type(exc).__name__, "sheets": []}
    hidden = {meta.name: "hidden" if meta.visible == SheetVisibleEnum.Hidden
              else "veryHidden" if meta.visible == SheetVisibleEnum.VeryHidden else ""
              for meta in book.sheets_metadata}
    sheets = []
    for name in book.sheet_names:
        state = hidden.get(name, "")
        if state and not read_hidden:
            sheets.append((name, None, None, (), state))
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except MemoryError:
            raise
        except Exception as exc:  # one damaged sheet should not hide the others
            sheets.append((name, None, type(exc).__name__, (), state))
            continue
        sheets.append((name, rows, None, _clear_long_cells(rows, max_cell_chars), state))
    return {"error": None, "sheets": sheets}


def _clear_long_cells(rows: list[list[object]], max_chars: int) -> tuple[tuple[int, int, int], ...]:
    """(row, column, length) of each text cell longer than ``max_chars``, set to None in ``rows``."""
    found = []
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell.__class__ is str and len(cell) > max_chars:
                found.append((r, c, len(cell)))
                row[c - 1] = None
    return tuple(found)


def _child(argv: list[str]) -> int:
    memory_bytes, seconds, max_cell_chars = int(argv[0]), float(argv[1]), int(argv[2])
    read_hidden = argv[3:4] == ["1"]
    _limit_self(memory_bytes, seconds)
    try:
        result = _read(sys.stdin.buffer.read(), max_cell_chars, read_hidden)
        pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return EXIT_MEMORY
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
