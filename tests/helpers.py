"""Small builders shared by test modules (fixtures in conftest.py wrap them)."""
from __future__ import annotations

import io


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """Workbook bytes from {sheet name: rows (first row = headers)}, written in memory."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
