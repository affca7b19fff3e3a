"""User text in Streamlit's Markdown: labels and messages read ``*``, ``[`` or ``$`` as markup."""
from __future__ import annotations

# Characters that Streamlit's labels and messages would read as Markdown.
_MARKDOWN = frozenset("\\`*_[]()<>#~$|!:")


def escape_markdown(text: str) -> str:
    """``text`` a user wrote (a column header, a typed value) shown as written in a
    label or message that Streamlit reads as Markdown."""
    return "".join(f"\\{c}" if c in _MARKDOWN else c for c in text)
