"""The sidebar filters in the URL: read once from a shared link, written back every run.

Parameters (only filter settings, never patient data)::

    centre=CHU Lille&centre=...   sex=F   ifn=positive       (repeated for several values)
    age=30-50   prior_lines=1-3                              (whole numbers, both ends)
    hcq=yes   corticosteroids=no   cutaneous=yes   articular=no
    x.<extra column>=<position>                              (repeated for several levels)

Centre names, sexes and IFN statuses are the study's own vocabulary, not patient data,
and are written as such. A value of an extra column is the user's data, so the link
carries only its position (1 = first) in the cohort's sorted list of that column's
values (``FilterOptions.extra``): the same upload restores the same choice, and the link
alone reveals nothing. The column name is a header, not patient data, and stays
readable. A position the cohort does not have is ignored and reported.

The functions work on the widgets' session-state values (keys ``<prefix><field>``, extra
columns ``<prefix>extra<k>`` in ``FilterOptions.extra`` order), so a seeded URL and a
clicked widget are the same thing. ``params`` is ``st.query_params`` or any mapping with
``get_all``; ``state`` is ``st.session_state`` or a dict.
"""
from __future__ import annotations

import math
import re
from collections.abc import MutableMapping

from core.filters import FilterOptions
from core.schema import normalise

LISTS = ("centre", "sex", "ifn")
BANDS = ("age", "prior_lines")
BOOLS = ("hcq", "corticosteroids", "cutaneous", "articular")
EXTRA = "x."
_YES_NO = {"yes": "yes", "no": "no", "true": "yes", "false": "no", "oui": "yes", "non": "no"}
_BAND = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def url_keys(options: FilterOptions) -> tuple[str, ...]:
    """Every URL parameter a filter of this cohort may write."""
    return (*LISTS, *BANDS, *BOOLS, *(f"{EXTRA}{column}" for column, _ in options.extra))


def seed_from_url(params, options: FilterOptions, prefix: str, state: MutableMapping) -> list[str]:
    """Set the widgets' values from the URL; return the ``key=value`` texts ignored
    (a value the cohort does not have, an unreadable range, an unknown column)."""
    ignored: list[str] = []
    for name in LISTS:
        present = _choices(options, name)
        if name in params:
            state[prefix + name] = _pick(name, params.get_all(name), present, ignored)
    for name in BANDS:
        if name in params:
            band = _band(params.get_all(name), _bounds(options, name))
            if band is None:
                ignored += [f"{name}={v}" for v in params.get_all(name)]
            else:
                state[prefix + name] = band
    for name in BOOLS:
        if name in params:
            values = [_YES_NO.get(v.strip().lower()) for v in params.get_all(name)]
            if len(values) == 1 and values[0] is not None:
                state[prefix + name] = values[0]
            else:
                ignored += [f"{name}={v}" for v in params.get_all(name)]
    columns = {column: k for k, (column, _) in enumerate(options.extra)}
    for key in params:
        if not key.startswith(EXTRA):
            continue
        column = key.removeprefix(EXTRA)
        if column not in columns:
            ignored += [f"{key}={v}" for v in params.get_all(key)]
            continue
        k = columns[column]
        state[f"{prefix}extra{k}"] = _levels(key, params.get_all(key), options.extra[k][1], ignored)
    return ignored


def write_to_url(params, options: FilterOptions, prefix: str, state: MutableMapping) -> None:
    """Mirror the widgets' values in the URL; an unset filter leaves no parameter."""
    wanted: dict[str, list[str]] = {}
    for name in LISTS:
        wanted[name] = [str(v) for v in state.get(prefix + name) or ()]
    for name in BANDS:
        chosen, bounds = state.get(prefix + name), _bounds(options, name)
        full = bounds is None or tuple(chosen or ()) in ((), bounds)
        wanted[name] = [] if full else [f"{chosen[0]:g}-{chosen[1]:g}"]
    for name in BOOLS:
        answer = state.get(prefix + name)
        wanted[name] = [answer] if answer else []
    for k, (column, levels) in enumerate(options.extra):
        chosen = state.get(f"{prefix}extra{k}") or ()
        wanted[f"{EXTRA}{column}"] = [str(levels.index(v) + 1) for v in chosen if v in levels]
    # Links to another cohort's extra columns are dropped with the rest of a stale view.
    stale = [key for key in params if key.startswith(EXTRA) and key not in wanted]
    for key in stale:
        del params[key]
    for key, values in wanted.items():
        if params.get_all(key) == values:
            continue  # unchanged: no message to the browser
        if values:
            params[key] = values if len(values) > 1 else values[0]
        elif key in params:
            del params[key]


def _choices(options: FilterOptions, name: str) -> tuple[str, ...]:
    return {"centre": options.centres, "sex": options.sexes, "ifn": options.ifn}[name]


def _pick(key: str, values: list[str], present, ignored: list[str]) -> list:
    """The values of ``present`` named in the URL, as stored (case and accents may differ
    in the link); the others go to ``ignored``."""
    by_normal = {normalise(str(p)): p for p in present}
    picked = []
    for value in values:
        match = value if value in present else by_normal.get(normalise(value))
        if match is None:
            ignored.append(f"{key}={value}")
        elif match not in picked:
            picked.append(match)
    return picked


def _levels(key: str, positions: list[str], levels: tuple[str, ...], ignored: list[str]) -> list[str]:
    """The levels at the URL's 1-based ``positions``; others (stale, unreadable) go to ``ignored``."""
    picked = []
    for position in positions:
        text = position.strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= len(levels)):
            ignored.append(f"{key}={position}")
        elif levels[int(text) - 1] not in picked:
            picked.append(levels[int(text) - 1])
    return picked


def _bounds(options: FilterOptions, name: str) -> tuple[int, int] | None:
    """The slider's whole-number range, as ``ui.filters`` draws it (None: no slider)."""
    bounds = options.age_range if name == "age" else options.prior_lines_range
    if bounds is None:
        return None
    low, high = math.floor(bounds[0]), math.ceil(bounds[1])
    return None if low == high else (low, high)


def _band(values: list[str], bounds: tuple[int, int] | None) -> tuple[int, int] | None:
    """``"30-50"`` clamped to the slider's range; None when unreadable or out of range."""
    match = _BAND.match(values[0]) if len(values) == 1 else None
    if match is None or bounds is None:
        return None
    low, high = (int(g) for g in match.groups())
    low, high = max(low, bounds[0]), min(high, bounds[1])
    return (low, high) if low <= high else None
