"""Sidebar "Definitions": the contract's derived definitions as settings a user can change.

The values live in the session (one browser session; ``ui.kept``), seeded from
``Settings()``; pages read ``current_settings()`` and pass it to every core panel
function, and include it in their ``session_memo`` key (``Settings`` is frozen, so
hashable). Settings are not written to the URL: a shared link shows the contract's
definitions.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.i18n import decimals, fmt_num, number_locale, t
from core.settings import NumberTextError, Settings, read_number
from ui.kept import kept_value, set_kept
from ui.markdown import escape_markdown

_PREFIX = "setting_"
# The session's refused field texts (``_refused``).
_REFUSED = "_setting_refused"


@dataclass(frozen=True)
class _Input:
    """One definition's field: the ``Settings`` value it edits and how it is shown."""

    name: str  # widget key suffix and i18n key suffix
    default: float
    scale: float  # field value = setting value * scale (100 for a percentage)
    low: float  # the field's bounds, inclusive
    high: float
    decimals: int  # shown at least (``_text``)
    whole: bool = False  # only whole numbers


def _inputs() -> tuple[_Input, ...]:
    d = Settings()
    return (
        _Input("min_age", d.min_age, 1, 0.0, 120.0, 0),
        # Tolerance is shown in percent; the setting is a fraction in [0, 1).
        _Input("shift_tolerance", d.shift_tolerance, 100, 0.0, 99.0, 0),
        # Open in the contract, bounded here far beyond any lab's or protocol's value: a
        # number of 28 digits could not be written back in the field.
        _Input("anti_dsdna_threshold", d.anti_dsdna_threshold, 1, 0.0, 100_000.0, 1),
        _Input("c3_low", d.c3_low, 1, 0.0, 100.0, 2),
        _Input("c4_low", d.c4_low, 1, 0.0, 100.0, 2),
        _Input("cs_threshold_1", d.cs_thresholds[0], 1, 0.0, 10_000.0, 1),
        _Input("cs_threshold_2", d.cs_thresholds[1], 1, 0.0, 10_000.0, 1),
        # Small-cell suppression (core.suppression): 0 is off.
        _Input("min_cell", float(d.min_cell), 1, 0.0, 100.0, 0, whole=True),
    )


def sidebar_settings(lang: str) -> Settings:
    """Draw the "Definitions" expander in the sidebar; return the chosen Settings.

    Each definition is a text field read by ``core.settings.read_number``, not a number
    field: a browser's number field drops a decimal comma (a French 0,85 became 85
    g/L). What cannot be used (not a number, out of range) is said under the field,
    which keeps the text typed, and the definition stays as it was."""
    inputs = _inputs()
    refused = _refused()
    with st.sidebar.expander(t("settings.title", lang), icon=":material/tune:"):
        st.caption(t("settings.intro", lang))
        for spec in inputs:
            key = _PREFIX + spec.name
            # The session keeps the number (``ui.kept``); the field is given it, in this
            # language, before every draw, unless it holds a text that was refused.
            typed = refused.get(spec.name)
            st.session_state[key] = typed[0] if typed else _text(spec, _number(spec), lang)
            st.text_input(t(f"settings.{spec.name}", lang), key=key, help=t(f"settings.{spec.name}.help", lang),
                          on_change=_read, args=(spec, lang))
            if typed:
                st.error(_refusal(spec, *typed, lang), icon=":material/error:")
        st.button(t("settings.reset", lang), key=_PREFIX + "reset", on_click=reset_settings)
    settings = current_settings()
    if settings != Settings():
        st.sidebar.caption(t("settings.changed", lang))
    return settings


def _refused() -> dict[str, tuple[str, str]]:
    """The fields whose text was refused: name -> (text, reason), in this session."""
    return st.session_state.setdefault(_REFUSED, {})


def _read(spec: _Input, lang: str) -> None:
    """``on_change``: keep the number typed in ``spec``'s field when it can be used, else
    keep the text and why it was refused (said under the field). An emptied field shows
    the definition again."""
    text = st.session_state[_PREFIX + spec.name]
    refused = _refused()
    refused.pop(spec.name, None)
    if not text.strip():
        return
    try:
        number = read_number(text, lang)
    except NumberTextError as exc:
        refused[spec.name] = (text, exc.code)
        return
    if not spec.low <= number <= spec.high:
        refused[spec.name] = (text, "range")
    elif spec.whole and not number.is_integer():
        refused[spec.name] = (text, "whole")
    else:
        set_kept(_PREFIX + spec.name, number)


def _refusal(spec: _Input, text: str, reason: str, lang: str) -> str:
    """Why ``text`` was refused, and the value the definition keeps."""
    value, text = _text(spec, _number(spec), lang), escape_markdown(text)
    if reason == "range":
        return t("settings.refused.range", lang, text=text, low=_text(spec, spec.low, lang),
                 high=_text(spec, spec.high, lang), value=value)
    if reason == "ambiguous":  # said of the separator the text has, whatever the language now
        reason = "ambiguous_comma" if "," in text else "ambiguous_point"
    return t(f"settings.refused.{reason}", lang, text=text, value=value)


def _text(spec: _Input, number: float, lang: str) -> str:
    """``number`` as its field shows it: the field's decimals, more if the number has
    them (up to 10), the language's decimal separator, no grouping (a text read back)."""
    digits = max(spec.decimals, decimals(number, 10))
    return fmt_num(number, lang, digits).replace(number_locale(lang)["thousands"], "")


def current_settings() -> Settings:
    """The Settings chosen in the sidebar (the contract's defaults until changed)."""
    values = {spec.name: _value(spec) for spec in _inputs()}
    return Settings(
        min_age=values["min_age"],
        shift_tolerance=values["shift_tolerance"],
        anti_dsdna_threshold=values["anti_dsdna_threshold"],
        c3_low=values["c3_low"],
        c4_low=values["c4_low"],
        cs_thresholds=(values["cs_threshold_1"], values["cs_threshold_2"]),
        min_cell=int(values["min_cell"]),
    )


def reset_settings() -> None:
    """Button callback: every definition back to the contract's default."""
    _refused().clear()
    for spec in _inputs():
        set_kept(_PREFIX + spec.name, _shown(spec))


def _number(spec: _Input) -> float:
    """The number kept for ``spec``'s field (its default until changed), as shown."""
    return float(kept_value(_PREFIX + spec.name, _shown(spec)))


def _value(spec: _Input) -> float:
    shown = _number(spec)
    # Back from percent without float noise: 15 -> 0.15, not 0.15000000000000002.
    return round(shown / spec.scale, 10) if spec.scale != 1 else shown


def _shown(spec: _Input) -> float:
    # The default as the widget shows it (0.07 -> 7.0, not 7.000000000000001).
    return round(spec.default * spec.scale, 10)
