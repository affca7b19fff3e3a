"""Analysis settings: the contract's defaults, and impossible values refused."""
from __future__ import annotations

import pytest

from core.settings import Settings


def test_defaults_are_the_contract_definitions():
    s = Settings()
    assert (s.min_age, s.shift_tolerance, s.anti_dsdna_threshold, s.c3_low, s.c4_low, s.cs_thresholds) == (
        18.0, 0.10, 10.0, 0.9, 0.1, (7.5, 5.0))


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().min_age = 16  # type: ignore[misc]


@pytest.mark.parametrize("values", [{"shift_tolerance": -0.1}, {"shift_tolerance": 1.0}, {"response_months": (0, 3)}])
def test_impossible_settings_are_refused(values):
    with pytest.raises(ValueError):
        Settings(**values)
