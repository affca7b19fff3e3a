"""``python -m core poster``: usage errors exit 2 with a clear message, before any work."""
from __future__ import annotations

import pytest

from core.cli import main


@pytest.mark.parametrize("args", [
    ["--demo"],                                               # no --out
    ["--demo", "--out", "x", "--filter", "age<<3"],           # unreadable filter
    ["--demo", "--out", "x", "--set", "colour=red"],          # unknown setting
    ["--demo", "--out", "x", "--url", "poster.example.org"],  # not an http(s) address
    ["--out", "x"],                                           # neither FILE nor --demo
])
def test_usage_errors_exit_2(args, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["poster", *args])
    assert stop.value.code == 2 and "Traceback" not in capsys.readouterr().err


def test_a_metadata_file_with_problems_lists_them_in_the_language_and_exits_2(tmp_path, capsys):
    meta = tmp_path / "poster.toml"
    meta.write_text('[fr]\ntitel = "Étude"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["poster", "--demo", "--out", str(tmp_path / "out"), "--lang", "fr", "--meta", str(meta)])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "fr.titel" in err and "fr.title" in err and "faute de frappe" in err
    assert not (tmp_path / "out").exists()


def test_a_missing_metadata_file_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["poster", "--demo", "--out", str(tmp_path), "--meta", str(tmp_path / "none.toml")])
    assert stop.value.code == 2
