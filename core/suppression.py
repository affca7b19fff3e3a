"""Small-cell suppression for public display (``Settings.min_cell`` = k; 0 or 1: off).

The rule, in one place:

1. **Primary.** A count from 1 to k - 1 is not shown: pages and exports write
   ``< k``, the ``summarize`` JSON writes ``null`` and marks its object
   ``"suppressed": true``. Its percentage and confidence interval are hidden with it.
   0 is shown (nobody), and so is every count of k or more.
2. **Denominators.** A denominator N (a population size) is shown, unless N itself is
   from 1 to k - 1: then N and every count over it are suppressed.
3. **Secondary.** Cells of a row that sums to a shown total (CR + PR + NR = N; the
   ↓ ↑ → (?) of a marker; a count n and its complement N - n) must not give a
   suppressed cell back by subtraction: when exactly one cell of such a row is
   suppressed, the smallest other non-zero cell is suppressed too ("hidden"); when
   there is none, the total is. So ``21/22`` is hidden (22 - 21 = 1 patient).
4. **Per-patient listings** (patient ids with events, excluded patients, discordant
   responses, per-patient charts) are withheld: each row is one patient.

Panels compute as always; this module masks their numbers afterwards, at the summary
(``suppress_summary``) and display (``mask_text``, ``mask_frame``) level.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd


def active(k: int | None) -> bool:
    """Whether suppression with threshold ``k`` masks anything."""
    return bool(k) and k >= 2


def small(n, k: int) -> bool:
    """``n`` is a count from 1 to k - 1 (the primary rule)."""
    return active(k) and isinstance(n, (int, float)) and not isinstance(n, bool) and 1 <= n < k


def row_mask(cells: Sequence[int], k: int) -> tuple[tuple[bool, ...], bool]:
    """Which cells of a row summing to a shown total to suppress, and whether the
    total must go too (rules 1 and 3). ``cells`` are non-negative counts."""
    hidden = [small(c, k) for c in cells]
    if sum(hidden) != 1:
        return tuple(hidden), False
    others = [(c, i) for i, c in enumerate(cells) if not hidden[i] and c > 0]
    if not others:
        return tuple(hidden), True
    hidden[min(others)[1]] = True
    return tuple(hidden), False


@dataclass(frozen=True)
class Masked:
    """A count over a denominator after suppression: ``n`` / ``N`` are None when hidden;
    ``primary`` says n itself was small (shown ``< k``), else it was hidden to protect
    another cell."""

    n: int | None
    N: int | None
    suppressed: bool
    primary: bool


def suppress_count(n: int, N: int, k: int) -> Masked:
    """``n`` out of ``N`` under threshold ``k``: rules 1 to 3 with the row (n, N - n)."""
    if not active(k):
        return Masked(n, N, False, False)
    if small(N, k):
        return Masked(None, None, True, small(n, k))
    (hide_n, _), _ = row_mask((n, max(N - n, 0)), k)
    return Masked(None if hide_n else n, N, hide_n, small(n, k))


# --- the summarize document -------------------------------------------------------

_SHIFT_KEYS = ("down", "up", "stable", "unknown")
_RESPONSE_KEYS = ("CR", "PR", "NR")
# Scalar counts under these keys (anywhere) are suppressed when small.
_COUNT_KEYS = {"treated", "analysed", "paired", "positive_M0", "involved", "seen", "scored", "unknown",
               "infection_events", "events", "patients", "activated_M0", "paired_N"}
_STATISTICS = ("mean", "sd", "median", "q1", "q3", "pct", "ci_low", "ci_high", "p_value")
# Lists of per-patient rows (rule 4), as paths in the document.
_LISTINGS = (("populations", "excluded"), ("discordant_responses",), ("safety", "visceral_events"),
             ("details", "population_flags"))


def suppress_summary(doc: dict, k: int) -> dict:
    """A ``cohort-summary/1`` document with every count from 1 to k - 1 suppressed
    (a new document; ``doc`` is unchanged). ``details.suppression`` says what was done."""
    if not active(k):
        return doc
    out = _walk(doc, k, ())
    withheld = []
    for path in _LISTINGS:
        parent = out
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and parent.get(path[-1]):
            parent[path[-1]] = []
            withheld.append(".".join(path))
    out.setdefault("details", {})["suppression"] = {"min_cell": k, "withheld_listings": withheld}
    return out


def _walk(node, k: int, path: tuple):
    if isinstance(node, list):
        return [_walk(item, k, path) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _walk(value, k, (*path, key)) for key, value in node.items()}
    if "n" in out and "N" in out:
        _mask_proportion(out, k)
    elif all(key in out for key in (*_RESPONSE_KEYS, "N")):
        _mask_row(out, _RESPONSE_KEYS, "N", k)
    elif all(key in out for key in _SHIFT_KEYS):
        _mask_row(out, _SHIFT_KEYS, None, k)
    if isinstance(out.get("on_cs"), dict) and out["on_cs"].get("suppressed") and "N" in out:
        out["N"] = None  # the patients on corticosteroids: on_cs's n
    for key, value in list(out.items()):
        if (key in _COUNT_KEYS or key == "N" or _is_count_map(path)) and small(value, k):
            out[key] = None
            out["suppressed"] = True
    if "N" in out and out["N"] is None:
        # A summary of fewer than k patients (or of a hidden count) is hidden with them.
        for key in _STATISTICS:
            if key in out:
                out[key] = None
        out["suppressed"] = True
    return out


def _is_count_map(path: tuple) -> bool:
    # followup: {"M0": 22, ...}; complement: {"activated_M0": 3, "normalised_M6": 3}
    return path in (("followup",), ("complement",))


def _mask_proportion(obj: dict, k: int) -> None:
    n, N = obj["n"], obj["N"]
    if not isinstance(n, int) or not isinstance(N, int):
        return
    masked = suppress_count(n, N, k)
    if masked.suppressed:
        obj.update(n=masked.n, N=masked.N, suppressed=True)
        for key in ("pct", "ci_low", "ci_high"):
            if key in obj:
                obj[key] = None


def _mask_row(obj: dict, keys: tuple[str, ...], total: str | None, k: int) -> None:
    cells = [obj[key] for key in keys]
    if not all(isinstance(c, int) for c in cells):
        return
    hidden, total_too = row_mask(cells, k)
    if total is not None and small(obj[total], k):
        hidden, total_too = tuple(c > 0 for c in cells), True
    for key, hide in zip(keys, hidden):
        if hide:
            obj[key] = None
            obj["suppressed"] = True
    if total_too and total is not None:
        obj[total] = None


# --- display text -----------------------------------------------------------------

# ``n/N``, its percentage ``(95.5%)`` / ``(95,5 %)`` and a CI that follows it.
_NUM = r"-?\d+(?:[.,]\d+)?"
_COUNT = re.compile(
    rf"(?<![\w/.])(\d+)/(\d+)(?![\w/])"
    rf"(?:\s*\({_NUM}\s?\u202f?%\))?"
    rf"(?:\s*(?:·\s*)?(?:95% CI|IC 95\u202f%) {_NUM} (?:to|à) {_NUM}(?: \(Wilson\))?)?"
)


def less_than(k: int) -> str:
    """How a suppressed count is written: ``< 5``."""
    return f"< {k}"


def mask_text(text: str, k: int, hidden: str = "") -> str:
    """``text`` with every ``n/N (pct) CI`` whose n must be suppressed (``suppress_count``)
    replaced by ``< k``, or by ``hidden`` (default ``< k`` too) when n itself is not small
    but would give a small complement back."""
    if not active(k) or not isinstance(text, str) or "/" not in text:
        return text

    def replace(match: re.Match) -> str:
        masked = suppress_count(int(match.group(1)), int(match.group(2)), k)
        if not masked.suppressed:
            return match.group(0)
        return less_than(k) if masked.primary or not hidden or masked.N is None else hidden

    return _COUNT.sub(replace, text)


def mask_cell(value, k: int, hidden: str = ""):
    """One table cell: text through ``mask_text``; a whole number from 1 to k - 1 as ``< k``."""
    if isinstance(value, str):
        if value.strip().isdigit():
            return less_than(k) if small(int(value), k) else value
        return mask_text(value, k, hidden)
    if small(value, k) and float(value).is_integer():
        return less_than(k)
    return value


def mask_frame(frame: pd.DataFrame, k: int, count_columns: Sequence[str] = (), hidden: str = "",
               rows: Sequence[Sequence[str]] = ()) -> pd.DataFrame:
    """A display table with its counts masked: text cells holding ``n/N`` anywhere, and
    the whole numbers of ``count_columns``. ``rows`` lists groups of columns whose
    ``n/N`` cells sum to a shown total per row (CR / PR / NR): secondary suppression
    applies across them. Other numbers (months, doses, ages) are left alone."""
    if not active(k) or frame.empty:
        return frame
    out = frame.copy()
    for group in rows:
        group = [c for c in group if c in out.columns]
        for index in out.index:
            counts = [_count_of(out.at[index, c]) for c in group]
            if any(c is None for c in counts):
                continue
            hide, _ = row_mask(counts, k)
            for column, count, h in zip(group, counts, hide):
                if h:
                    out.at[index, column] = less_than(k) if small(count, k) else (hidden or less_than(k))
    for column in out.columns:
        if column in count_columns:
            values = out[column].astype(object).map(lambda v: mask_cell(v, k, hidden))
            if any(isinstance(v, str) for v in values):  # one type per column (Arrow, Excel)
                values = values.map(lambda v: "" if v is None or v != v else str(v))
            out[column] = values
        elif out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: mask_text(v, k, hidden) if isinstance(v, str) else v)
    return out


def _count_of(cell) -> int | None:
    if isinstance(cell, str):
        match = _COUNT.match(cell)
        return int(match.group(1)) if match else None
    return None
