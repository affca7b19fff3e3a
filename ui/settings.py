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

from core.i18n import t
from core.settings import Settings
from ui.kept import kept, kept_value, set_kept

_PREFIX = "setting_"


@dataclass(frozen=True)
class _Input:
    """One number input: the ``Settings`` value it edits and how it is shown."""

    name: str  # widget key suffix and i18n key suffix
    default: float
    scale: float  # widget value = setting value * scale (100 for a percentage)
    low: float
    high: float | None
    step: float
    format: str


def _inputs() -> tuple[_Input, ...]:
    d = Settings()
    return (
        _Input("min_age", d.min_age, 1, 0.0, 120.0, 1.0, "%.0f"),
        # Tolerance is shown in percent; the setting is a fraction in [0, 1).
        _Input("shift_tolerance", d.shift_tolerance, 100, 0.0, 99.0, 1.0, "%.0f"),
        _Input("anti_dsdna_threshold", d.anti_dsdna_threshold, 1, 0.0, None, 1.0, "%.1f"),
        _Input("c3_low", d.c3_low, 1, 0.0, None, 0.05, "%.2f"),
        _Input("c4_low", d.c4_low, 1, 0.0, None, 0.01, "%.2f"),
        _Input("cs_threshold_1", d.cs_thresholds[0], 1, 0.0, None, 0.5, "%.1f"),
        _Input("cs_threshold_2", d.cs_thresholds[1], 1, 0.0, None, 0.5, "%.1f"),
        # Small-cell suppression (core.suppression): 0 is off.
        _Input("min_cell", float(d.min_cell), 1, 0.0, 100.0, 1.0, "%.0f"),
    )


def sidebar_settings(lang: str) -> Settings:
    """Draw the "Definitions" expander in the sidebar; return the chosen Settings."""
    inputs = _inputs()
    with st.sidebar.expander(t("settings.title", lang), icon=":material/tune:"):
        st.caption(t("settings.intro", lang))
        for spec in inputs:
            # The session keeps the value (``ui.kept``): a widget drawn again with its
            # default (its minimum, 0) would otherwise change the definition unasked.
            st.number_input(
                t(f"settings.{spec.name}", lang), min_value=spec.low, max_value=spec.high, step=spec.step,
                format=spec.format, key=_PREFIX + spec.name, help=t(f"settings.{spec.name}.help", lang),
                **kept(_PREFIX + spec.name, _shown(spec)),
            )
        st.button(t("settings.reset", lang), key=_PREFIX + "reset", on_click=reset_settings)
    settings = current_settings()
    if settings != Settings():
        st.sidebar.caption(t("settings.changed", lang))
    return settings


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
    for spec in _inputs():
        set_kept(_PREFIX + spec.name, _shown(spec))


def _value(spec: _Input) -> float:
    shown = kept_value(_PREFIX + spec.name)
    if shown is None:
        return spec.default
    # Back from percent without float noise: 15 -> 0.15, not 0.15000000000000002.
    return round(float(shown) / spec.scale, 10) if spec.scale != 1 else float(shown)


def _shown(spec: _Input) -> float:
    # The default as the widget shows it (0.07 -> 7.0, not 7.000000000000001).
    return round(spec.default * spec.scale, 10)
