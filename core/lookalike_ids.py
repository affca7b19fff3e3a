"""Patient ids that look alike: equal once Unicode compatibility forms, case, invisible
characters and Cyrillic/Greek letters shaped like Latin ones are folded.

``P1``, ``Р1`` (Cyrillic Er), ``Ｐ1`` (fullwidth) and ``P\u200b1`` (a zero-width space)
are four different ids to a computer and one to a reader: the cohort would count four
patients. They are not merged (that would change the data without the user's word):
each group is a located warning naming its ids and their rows. The folding runs once
per distinct id, with pandas' string methods.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pandas as pd

from core.report import WARNING, Issue

# Invisible characters: zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Letters drawn like Latin ones, after case folding: Cyrillic then Greek.
_CONFUSABLE = str.maketrans("авекмнорстх" + "αβεζηικμνορτυχ", "abekmhopctx" + "abezhikmnoptyx")
_SHOWN_ROWS = 5


def fold(ids: pd.Series) -> pd.Series:
    """Each id as compared: invisible characters removed, NFKC (fullwidth ``Ｐ`` -> ``P``,
    non-breaking space -> space), trimmed, case folded, look-alike letters made Latin."""
    text = ids.astype(str).str.translate(_INVISIBLE).str.normalize("NFKC").str.strip()
    return text.str.casefold().str.translate(_CONFUSABLE)


def lookalike_groups(ids: pd.Series) -> list[list[str]]:
    """Groups of two or more distinct ids (in order of first appearance) that fold alike."""
    distinct = pd.Series(pd.unique(ids.dropna().astype(str)), dtype=object)
    if len(distinct) < 2:
        return []
    folded = fold(distinct)
    shared = folded.duplicated(keep=False)
    if not shared.any():
        return []
    groups = distinct[shared].groupby(folded[shared], sort=False)
    return [list(members) for _, members in groups]


def shown(value: str) -> str:
    """An id as text a reader can tell apart: every character outside printable ASCII
    named by its code point (``Р1`` -> ``Р1 [U+0420]``; ``P\u200b1`` -> ``P1 [U+200B]``)."""
    special = [ch for ch in value if not (ch.isascii() and ch.isprintable())]
    visible = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cf", "Cc"))
    if not special:
        return f"'{visible}'"
    return f"'{visible}' [" + " ".join(f"U+{ord(ch):04X}" for ch in special) + "]"


def lookalike_issues(frame: pd.DataFrame, locate: Sequence[tuple[str, str | None, str | None]]) -> list[Issue]:
    """One warning per group of look-alike ids in ``frame`` (``patient_id``, ``_row``,
    ``_piece``); ``locate[piece]`` gives (file, sheet, id header) of each piece."""
    issues = []
    ids = frame["patient_id"].where(frame["patient_id"].notna(), None)
    for group in lookalike_groups(ids):
        rows = frame[frame["patient_id"].isin(group)]
        listed = []
        for value in group:
            at = rows.loc[rows["patient_id"] == value, "_row"].astype(int).tolist()
            more = f", … (+{len(at) - _SHOWN_ROWS})" if len(at) > _SHOWN_ROWS else ""
            listed.append(f"{shown(value)} ({', '.join(map(str, at[:_SHOWN_ROWS]))}{more})")
        first = rows.iloc[0]
        file, sheet, header = locate[int(first["_piece"])]
        issues.append(Issue.of(WARNING, "lookalike_id", {"ids": "; ".join(listed), "count": float(len(group))},
                               file=file, sheet=sheet, row=int(first["_row"]), column=header,
                               value=str(first["patient_id"])))
    return issues
