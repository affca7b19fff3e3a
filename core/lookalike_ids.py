"""Patient ids that look alike: equal once Unicode compatibility forms, case, invisible
characters and Cyrillic/Greek letters shaped like Latin ones are folded.

``P1``, ``Р1`` (Cyrillic Er), ``Ｐ1`` (fullwidth) and ``P\u200b1`` (a zero-width space)
are four different ids to a computer and one to a reader: the cohort would count four
patients. They are not merged (that would change the data without the user's word):
each group is a located warning naming its ids and their rows. The folding runs once
per distinct id: in Arrow for printable ASCII ids (most of them), with pandas' string
methods for the others.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.report import WARNING, Issue
from core.values import arrow_text

# Invisible characters: zero-width space, non-joiner, joiner, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Letters drawn like Latin ones, after case folding: Cyrillic then Greek.
_CONFUSABLE = str.maketrans("авекмнорстх" + "αβεζηικμνορτυχ", "abekmhopctx" + "abezhikmnoptyx")
_SHOWN_ROWS = 5
_MAX_GROUPS = 100  # groups named one by one; the rest are counted in one more warning


def fold(ids: pd.Series) -> pd.Series:
    """Each id as compared: invisible characters removed, NFKC (fullwidth ``Ｐ`` -> ``P``,
    non-breaking space -> space), trimmed, case folded, look-alike letters made Latin."""
    cells = pa.array(ids.astype(str).to_numpy(dtype=object), type=pa.large_string())
    return pd.Series(_fold(cells).to_numpy(zero_copy_only=False), index=ids.index, dtype=object)


def _fold(cells: pa.Array) -> pa.Array:
    """``fold`` over Arrow text without nulls. Printable ASCII (most ids) folds to itself
    trimmed and lower-cased, in Arrow; other ids one by one."""
    plain = pc.ascii_is_printable(cells).to_numpy(zero_copy_only=False)  # empty text too
    folded = pc.ascii_lower(pc.utf8_trim(cells, " "))
    if plain.all():
        return folded
    out = np.asarray(folded.to_pylist(), dtype=object)
    other = pd.Series(out[~plain], dtype=object)
    other = other.str.translate(_INVISIBLE).str.normalize("NFKC").str.strip()
    out[~plain] = other.str.casefold().str.translate(_CONFUSABLE).to_numpy(dtype=object)
    return pa.array(out, type=pa.large_string())


def _keys(ids: pd.Series) -> pd.Series:
    """Each id's folded form (NA for a missing id), folding each distinct id once."""
    text = ids.astype(object).where(ids.notna(), None).dropna().astype(str)
    distinct = pd.unique(text)
    folded = pd.Series(fold(pd.Series(distinct, dtype=object)).to_numpy(), index=distinct)
    return text.map(folded).reindex(ids.index)


def _shared(ids: pd.Series, encoded: pa.DictionaryArray | None = None) -> tuple[pd.Series, pd.Series]:
    """The ids (as text) and folded keys of the rows whose key is shared by two or more
    distinct ids; each distinct id is folded once, in Arrow. ``encoded``: the ids,
    none missing, already dictionary-encoded as Arrow text."""
    present = ids.notna().to_numpy(dtype=bool)
    text = ids[present] if isinstance(ids.dtype, pd.StringDtype) else ids[present].astype(object).astype(str)
    if encoded is None:
        encoded = arrow_text(text.astype("string")).dictionary_encode()
    keys = _fold(encoded.dictionary)
    if _folded_apart(encoded.dictionary, keys):
        return pd.Series(dtype=object), pd.Series(dtype=object)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    key_codes = keys.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    shared = np.bincount(key_codes, minlength=1)[key_codes] > 1  # per distinct id
    rows = shared[codes]
    if not rows.any():
        return pd.Series(dtype=object), pd.Series(dtype=object)
    index = text.index[rows]
    return (pd.Series(text[rows].astype(object).to_numpy(), index=index, dtype=object),
            pd.Series(np.asarray(keys.to_pylist(), dtype=object)[codes[rows]], index=index, dtype=object))


def _folded_apart(ids: pa.Array, keys: pa.Array) -> bool:
    """Whether distinct ``ids`` certainly fold to distinct ``keys``, told without hashing
    the keys: printable ASCII ids (folded by trimming spaces and lower-casing), none with
    a space to trim, and none with a lower-case letter (P000123) or none with an upper-case
    one: lower-casing then changes no two ids alike."""
    if not pc.all(pc.ascii_is_printable(ids)).as_py() in (True, None):
        return False
    if not pc.all(pc.equal(pc.binary_length(keys), pc.binary_length(ids))).as_py() in (True, None):
        return False
    return (pc.all(pc.equal(keys, ids)).as_py() in (True, None)
            or pc.all(pc.equal(pc.ascii_upper(ids), ids)).as_py() in (True, None))


def lookalike_groups(ids: pd.Series) -> list[list[str]]:
    """Groups of two or more distinct ids (in order of first appearance) that fold alike."""
    text, keys = _shared(ids)
    return [list(pd.unique(members)) for _, members in text.groupby(keys, sort=False)]


def shown(value: str) -> str:
    """An id as text a reader can tell apart: every character outside printable ASCII
    named by its code point (``Р1`` -> ``Р1 [U+0420]``; ``P\u200b1`` -> ``P1 [U+200B]``)."""
    special = [ch for ch in value if not (ch.isascii() and ch.isprintable())]
    visible = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cf", "Cc"))
    if not special:
        return f"'{visible}'"
    return f"'{visible}' [" + " ".join(f"U+{ord(ch):04X}" for ch in special) + "]"


def lookalike_issues(frame: pd.DataFrame, locate: Sequence[tuple[str, str | None, str | None]],
                     encoded: pa.DictionaryArray | None = None) -> list[Issue]:
    """One warning per group of look-alike ids in ``frame`` (``patient_id``, ``_row``,
    ``_piece``); ``locate[piece]`` gives (file, sheet, id header) of each piece.
    ``encoded``: the ids, none missing, already dictionary-encoded as Arrow text."""
    frame = frame.reset_index(drop=True)
    text, keys = _shared(frame["patient_id"], encoded)
    if text.empty:
        return []
    rows = pd.DataFrame({"_id": text, "_key": keys, "_row": frame.loc[text.index, "_row"].astype(int),
                         "_piece": frame.loc[text.index, "_piece"].astype(int)})
    order = pd.unique(rows["_key"])  # groups in order of first appearance
    rows = rows[rows["_key"].isin(set(order[:_MAX_GROUPS]))]
    spellings = rows.groupby(["_key", "_id"], sort=False).agg(rows=("_row", list), piece=("_piece", "first"))
    issues = []
    for _, group in spellings.groupby(level="_key", sort=False):
        listed = [f"{shown(value)} ({_rows_text(at)})" for (_, value), at in group["rows"].items()]
        first = group.iloc[0]
        file, sheet, header = locate[int(first["piece"])]
        issues.append(Issue.of(WARNING, "lookalike_id", {"ids": tuple(listed), "count": float(len(listed))},
                               file=file, sheet=sheet, row=int(first["rows"][0]), column=header,
                               value=str(group.index[0][1])))
    if len(order) > _MAX_GROUPS:
        last = issues[-1]
        issues.append(Issue.of(WARNING, "lookalike_id", {"count": float(len(order) - _MAX_GROUPS)}, variant="more",
                               file=last.file, sheet=last.sheet, column=last.column))
    return issues


def _rows_text(rows: list[int]) -> str:
    more = f", … (+{len(rows) - _SHOWN_ROWS})" if len(rows) > _SHOWN_ROWS else ""
    return ", ".join(map(str, rows[:_SHOWN_ROWS])) + more


def unknown_lookalike_issues(rows: pd.DataFrame, known: pd.Index,
                             locate: Sequence[tuple[str, str | None, str | None]]) -> list[Issue]:
    """One warning per id of ``rows`` (visits or events of no known patient: ``patient_id``,
    ``_row``, ``_piece``) that folds like a known patient's id: ``Р1`` (Cyrillic) in the
    visits of patient ``P1``. The rows stay rejected; the warning says why they matched
    no patient."""
    if rows.empty or known.empty:
        return []
    rows = rows.reset_index(drop=True)
    known_ids = pd.Series(pd.unique(known.astype(str)), dtype=object)
    by_key = pd.Series(known_ids.to_numpy(), index=fold(known_ids).to_numpy())
    by_key = by_key[~by_key.index.duplicated()]
    keys = _keys(rows["patient_id"])
    matched = keys.isin(set(by_key.index)).to_numpy(dtype=bool)
    rows, keys = rows[matched], keys[matched]
    issues = []
    for value, group in rows.assign(_id=rows["patient_id"].astype(str)).groupby("_id", sort=False):
        if len(issues) == _MAX_GROUPS:
            break
        first = group.iloc[0]
        file, sheet, header = locate[int(first["_piece"])]
        params = {"value": shown(value), "known": shown(str(by_key[keys[group.index[0]]])),
                  "rows": _rows_text(group["_row"].astype(int).tolist())}
        issues.append(Issue.of(WARNING, "lookalike_id", params, variant="unknown", file=file, sheet=sheet,
                               row=int(first["_row"]), column=header, value=value))
    return issues
