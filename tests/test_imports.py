"""Heavy modules are imported only where a path uses them (each check in a fresh process):
the command line never loads altair, statsmodels or streamlit, and only the statistics
that need scipy's exact distributions (small samples) load scipy."""
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
def test_summarize_loads_no_heavy_module(layout):
    # The demo's steroid pairs have ties, so their Wilcoxon p-value is the normal
    # approximation of core.distributions; nothing draws a chart.
    loaded = _loaded(_RUN.format(args=["summarize", "--demo", "--demo-layout", layout], heavy=HEAVY))
    assert loaded == set()


_REGISTRY = """
import json, sys
from benchmarks.registry_data import registry_frames
from core.cohort import cohort_from_frames
from core.summary import build_summary

cohort = cohort_from_frames(registry_frames({patients}))
doc = build_summary(cohort)
cohort.close()
discordant = max(c["resolved"]["n"] + c["appeared"]["n"]
                 for marker in doc["status_change"].values() for c in marker.values())
pairs = [s["paired_N"] for s in doc["details"]["steroids"].values() if s["paired_N"] is not None]
print(json.dumps([discordant, pairs, sorted(m for m in {heavy!r} if m in sys.modules)]), file=sys.stderr)
"""


def test_registry_summary_computes_its_tests_without_scipy():
    # McNemar on more than 1,000 discordant pairs and Wilcoxon on more than 50 pairs
    # take their p-values from core.distributions, not from scipy.
    code = _REGISTRY.format(patients=8_000, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    discordant, pairs, loaded = json.loads(done.stderr.strip().splitlines()[-1])
    assert discordant > 1_000 and pairs and min(pairs) > 50
    assert loaded == []
