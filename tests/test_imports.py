"""Heavy modules are imported only where a path uses them (each check in a fresh process):
the command line never loads altair, statsmodels or streamlit, and only the statistics
that need scipy's distributions load scipy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("altair", "scipy", "statsmodels", "streamlit", "vl_convert")

_RUN = """
import json, runpy, sys
sys.argv = ["core", *{args!r}]
try:
    runpy.run_module("core", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


def _loaded(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def test_importing_the_analysis_api_loads_no_heavy_module():
    code = ("import json, sys, core.analysis, core.summary, core.cli, core.conclusion, core.display.cohort; "
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)), file=sys.stderr)")
    assert _loaded(code) == set()


def test_validate_loads_no_heavy_module():
    assert _loaded(_RUN.format(args=["validate", "--demo"], heavy=HEAVY)) == set()


@pytest.mark.parametrize("layout", ["fr", "en"])
def test_summarize_loads_scipy_only_for_its_tests(layout):
    # The steroid panel's Wilcoxon signed-rank test is scipy's; nothing draws a chart.
    loaded = _loaded(_RUN.format(args=["summarize", "--demo", "--demo-layout", layout], heavy=HEAVY))
    assert loaded == {"scipy"}
