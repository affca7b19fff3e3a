"""``python -m core summarize``: JSON on stdout, exit codes, no traceback."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core", "summarize", *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


@pytest.fixture(scope="module")
def demo_run():
    return _run("--demo")


def test_demo_prints_the_summary_and_exits_0(demo_run):
    document = json.loads(demo_run.stdout)
    assert (demo_run.returncode, document["schema"], document["populations"]["analysed"]) == (0, "cohort-summary/1", 22)


def test_output_keeps_accents_unescaped(demo_run):
    assert "Péricardite" in demo_run.stdout


def test_files_give_the_same_document_as_demo(demo_run):
    result = _run(str(ROOT / "data" / "demo_wide_fr.csv"), str(ROOT / "data" / "demo_events_fr.csv"))
    assert (result.returncode, json.loads(result.stdout)) == (0, json.loads(demo_run.stdout))


def test_repeated_filters_restrict_the_cohort():
    result = _run("--demo", "--filter", "sex=F", "--filter", "prior_lines>=2")
    document = json.loads(result.stdout)
    assert (result.returncode, document["details"]["filter"]) == (0, "sex=F; prior_lines>=2")
    assert document["populations"]["treated"] < 23


@pytest.mark.parametrize("expression", ["sex=X", "age<old", "centre=Nowhere", "genotype=a"])
def test_bad_filter_exits_1_with_a_message(expression):
    result = _run("--demo", "--filter", expression)
    assert (result.returncode, result.stdout, result.stderr.startswith("error: ")) == (1, "", True)


def test_unusable_cohort_exits_1_with_the_report(tmp_path):
    bad = tmp_path / "patients.csv"
    bad.write_text("patient_id,sex\nA,F\nA,M\n", encoding="utf-8")
    result = _run(str(bad))
    assert (result.returncode, "Traceback" in result.stderr, "Usable: no" in result.stderr) == (1, False, True)


def test_garbage_file_exits_1_without_traceback(tmp_path):
    garbage = tmp_path / "cohort.xlsx"
    garbage.write_bytes(b"\x00\x01 not a workbook \xff" * 50)
    result = _run(str(garbage))
    assert (result.returncode, "Traceback" in result.stderr) == (1, False)


@pytest.mark.parametrize("args", [(), ("--demo", "x.csv"), ("missing.csv",)])
def test_usage_errors_exit_2(args):
    assert _run(*args).returncode == 2
