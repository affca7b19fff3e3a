"""User text shown as written in Streamlit's Markdown (ui.markdown)."""
from __future__ import annotations

import pytest

from ui.markdown import escape_markdown


@pytest.mark.parametrize(("text", "escaped"), [
    ("a*b_[c](d)", r"a\*b\_\[c\]\(d\)"), ("- 0,1", r"\- 0,1"), ("+3", r"\+3"), ("1. Lille", r"1\. Lille"),
    ("Lille - Boulogne", "Lille - Boulogne"), ("CHU A, CH B · 2022–2025", "CHU A, CH B · 2022–2025"),
])
def test_marks_and_a_list_start_are_escaped(text, escaped):
    # A leading "- " or "1. " made a Markdown list: the mark went, the sentence said otherwise.
    assert escape_markdown(text) == escaped
