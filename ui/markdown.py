"""User text in Streamlit's Markdown: labels and messages read ``*``, ``[`` or ``$`` as markup."""
from __future__ import annotations

import re

# Characters that Streamlit's labels and messages would read as Markdown.
_MARKDOWN = frozenset("\\`*_[]()<>#~$|!:")
# A line starting like a list item ("- ", "+ ", "1. ", "2) "): its mark is escaped too.
_LIST_START = re.compile(r"^(\s*)([-+]|[0-9]+(?=[.)]))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """``text`` a user wrote (a column header, a typed value) shown as written in a
    label or message that Streamlit reads as Markdown."""
    escaped = "".join(f"\\{c}" if c in _MARKDOWN else c for c in text)
    return _LIST_START.sub(lambda m: m[1] + (f"\\{m[2]}" if m[2] in "-+" else m[2] + "\\"), escaped)
