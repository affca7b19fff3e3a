"""Sidebar widgets whose value the session keeps, not the widget.

On a fresh server, the first click on a page link can make the browser draw a sidebar
widget again with its default (a number input's minimum, an empty multiselect) while
the server still holds the value chosen; the next click then sends that default back
and the choice is lost without the user touching it. The language selector avoids this
in ``ui.lang``; the widgets here do the same through ``kept``: the chosen value lives
in a plain session value that no widget owns, is given to the widget before every
draw (the browser then shows it whatever it held), and is updated by the widget's
``on_change`` when the user changes it.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

_VALUES = "_kept_widget_values"


def _values() -> dict[str, Any]:
    return st.session_state.setdefault(_VALUES, {})


def kept(key: str, default: Any) -> dict[str, Any]:
    """Before drawing the widget ``key``: give it the value kept for it (``default`` the
    first time); returns the ``on_change`` and ``args`` to draw it with."""
    values = _values()
    st.session_state[key] = values.setdefault(key, default)
    return {"on_change": _remember, "args": (key,)}


def _remember(key: str) -> None:
    """``on_change``: keep the value the user gave the widget."""
    _values()[key] = st.session_state[key]


def set_kept(key: str, value: Any) -> None:
    """Keep ``value`` for the widget ``key`` (a reset, a shared link's choice); it shows
    from the next draw."""
    _values()[key] = value


def kept_values() -> dict[str, Any]:
    """Every value kept in this session, by widget key (to read or seed several at once)."""
    return _values()


def kept_value(key: str, default: Any = None) -> Any:
    """The value kept for the widget ``key``, or ``default`` before any."""
    return _values().get(key, default)


def forget(prefix: str) -> None:
    """Forget the values kept for every widget whose key starts with ``prefix``."""
    values = _values()
    for key in [k for k in values if k.startswith(prefix)]:
        del values[key]
