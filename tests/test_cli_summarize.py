"""``python -m core summarize``: JSON on stdout, exit codes, no traceback."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.cli import main

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


@pytest.mark.parametrize("expression", ["sex=X", "age<old", "nooperator", "=F", "genotype=a", "centre=,", "centre="])
def test_malformed_or_unknown_filter_is_a_usage_error(expression):
    result = _run("--demo", "--filter", expression)
    assert (result.returncode, result.stdout, "error: " in result.stderr, "Traceback" in result.stderr) == (
        2, "", True, False)


def test_filter_value_the_cohort_does_not_hold_exits_1():
    result = _run("--demo", "--filter", "centre=Nowhere")
    assert (result.returncode, result.stdout, result.stderr.startswith("error: no centre matches")) == (1, "", True)


def test_set_changes_the_anti_dsdna_threshold():
    document = json.loads(_run("--demo", "--set", "anti_dsdna_threshold=1000").stdout)
    assert document["anti_dsdna"]["elevated_M0"]["n"] == 0


def test_changed_settings_are_recorded_in_the_details():
    result = _run("--demo", "--set", "shift_tolerance=0,5", "--set", "min_age=16")
    assert json.loads(result.stdout)["details"]["settings"] == {"min_age": 16.0, "shift_tolerance": 0.5}


def test_default_settings_record_none(demo_run):
    assert json.loads(demo_run.stdout)["details"]["settings"] is None


def test_a_wider_shift_tolerance_counts_more_stable_ifn_shifts(demo_run):
    wide = json.loads(_run("--demo", "--set", "shift_tolerance=0.9").stdout)
    assert wide["ifn_shift_M3"]["stable"] > json.loads(demo_run.stdout)["ifn_shift_M3"]["stable"]


@pytest.mark.parametrize("setting", ["genotype=1", "min_age", "min_age=old", "min_age=200", "shift_tolerance=1"])
def test_malformed_unknown_or_out_of_range_setting_is_a_usage_error(setting):
    result = _run("--demo", "--set", setting)
    assert (result.returncode, result.stdout, "error: " in result.stderr, "Traceback" in result.stderr) == (
        2, "", True, False)


def test_a_setting_list_too_long_to_compute_is_refused_at_once():
    started = time.perf_counter()
    result = _run("--demo", "--set", "response_months=" + ",".join(map(str, range(1, 5000))))
    assert (result.returncode, result.stdout, "Traceback" in result.stderr) == (2, "", False)
    assert "response_months takes at most 12 values" in result.stderr
    assert time.perf_counter() - started < 30  # the whole run, Python's start included


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


@pytest.mark.parametrize("command", ["summarize", "validate"])
def test_a_reader_gone_before_the_output_ends_gets_no_traceback(command):
    # `python -m core summarize ... | head` printed a BrokenPipeError traceback.
    process = subprocess.Popen([sys.executable, "-m", "core", command, "--demo"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line
    stderr = process.stderr.read().decode()
    assert (process.wait(), stderr) == (1, "")


@pytest.mark.parametrize("args", [(), ("--demo", "x.csv"), ("missing.csv",)])
def test_usage_errors_exit_2(args):
    assert _run(*args).returncode == 2


@pytest.mark.parametrize("stage", ["core.loader.load_cohort", "core.summary.build_summary"])
def test_a_crash_names_the_exception_type_but_never_its_text(stage, monkeypatch, tmp_path, capsys):
    # An exception's text can quote a cell (patient data): only its type is printed.
    def _crash(*args, **kwargs):
        raise RuntimeError("cell 'DUPONT Marie' could not be read")

    monkeypatch.setattr(stage, _crash)
    good = tmp_path / "patients.csv"
    good.write_text("patient_id,sex,age\nP1,F,40\n", encoding="utf-8")
    assert main(["summarize", str(good)]) == 1
    err = capsys.readouterr().err
    assert ("RuntimeError" in err, "DUPONT" in err) == (True, False)
