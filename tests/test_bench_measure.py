"""make bench's process measurement: a command's peak memory is its own, not the
benchmark's (which holds the synthetic registry while it starts each command)."""
from __future__ import annotations

import sys

import numpy as np

from benchmarks.registry import _measure


def test_peak_memory_is_the_commands_own_not_the_benchmarks():
    held = np.ones(300 * 1024**2 // 8)  # 300 MB resident in this process
    held += 1
    small = _measure([sys.executable, "-c", "pass"])
    large = _measure([sys.executable, "-c", "import numpy as np; a = np.ones(200 * 1024**2 // 8); a += 1"])
    assert small["exit"] == 0 and small["peak_gb"] < 0.1
    assert 0.2 < large["peak_gb"] < 0.29 + small["peak_gb"]
    assert held[0] == 2


def test_exit_code_is_the_commands():
    assert _measure([sys.executable, "-c", "raise SystemExit(3)"])["exit"] == 3


def test_several_runs_give_the_median_time_the_largest_peak_and_any_failure():
    from benchmarks.registry import _combined

    runs = [{"s": 3.4, "peak_gb": 0.8, "exit": 0}, {"s": 2.6, "peak_gb": 0.9, "exit": 0},
            {"s": 2.7, "peak_gb": 0.7, "exit": 2}]
    assert _combined(runs) == {"s": 2.7, "runs_s": [3.4, 2.6, 2.7], "peak_gb": 0.9, "exit": 2}
    assert _combined(runs[:2])["exit"] == 0
