"""Poster metadata files (TOML): read, checked field by field, problems located."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.poster import load_poster
from core.poster_meta import read_poster_meta

DATA = Path(__file__).resolve().parents[1] / "data"


def _codes(text: str) -> list[tuple[str, str]]:
    meta = read_poster_meta(text.encode("utf-8"))
    return [(issue.code, issue.path) for issue in meta.issues]


def test_the_demo_toml_is_the_demo_json():
    meta = read_poster_meta((DATA / "poster.toml").read_bytes())
    assert meta.ok and meta.raw == json.loads((DATA / "poster.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_view_of_the_demo_toml_is_load_poster(lang):
    assert read_poster_meta((DATA / "poster.toml").read_bytes()).view(lang) == load_poster(lang)


def test_a_file_with_one_language_serves_both():
    meta = read_poster_meta('[fr]\ntitle = "Étude"\nauthors = ["A. Martin", "B. Durand"]\n'.encode("utf-8"))
    assert (meta.view("en")["title"], meta.view("fr")["authors"]) == ("Étude", ["A. Martin", "B. Durand"])


@pytest.mark.parametrize(("text", "expected"), [
    ('[fr]\ntitel = "x"\ntitle = "y"\n', [("unknown_key", "fr.titel")]),
    ('[en]\ntitle = "x"\nconclusion = "one line"\n', [("wrong_type", "en.conclusion")]),
    ('[en]\ntitle = "x"\nintroduction = { bullets = ["a", 2] }\n', [("wrong_type", "en.introduction.bullets[2]")]),
    ('[en]\nperiod = "2022"\n', [("missing_title", "en.title")]),
    ('drug = "x"\n', [("no_language", "")]),
    ('schema = "other/2"\n[en]\ntitle = "x"\n', [("bad_schema", "schema")]),
    ('period = { start = "2022" }\n[en]\ntitle = "x"\n', [("wrong_type", "period.start")]),
    ('[en]\ntitle = "x"\n[[en.abbreviations]]\nabbr = "SLE"\nmeening = "lupus"\n',
     [("unknown_key", "en.abbreviations[1].meening")]),
])
def test_each_problem_is_reported_with_the_field_path(text, expected):
    assert _codes(text) == expected


def test_all_problems_are_collected_at_once():
    assert len(_codes('colour = "red"\n[fr]\ntitle = 1\n[en]\nauthors = "me"\n')) == 4


def test_invalid_toml_gives_the_line_not_a_traceback():
    meta = read_poster_meta(b'[en]\ntitle = "x\n')
    assert not meta.ok and meta.issues[0].code == "not_toml"
    assert "ligne 2" in meta.issues[0].text("fr") and "line 2" in meta.issues[0].text("en")


def test_non_utf8_bytes_are_reported():
    assert read_poster_meta('[en]\ntitle = "Étude"\n'.encode("cp1252")).issues[0].code == "not_utf8"


def test_messages_exist_in_both_languages_for_every_problem():
    meta = read_poster_meta(b'colour = 1\nschema = "x"\n[en]\nconclusion = 3\n')
    assert all(issue.text("fr") and issue.text("en") for issue in meta.issues)
    assert "doit être un texte entre guillemets" not in meta.issues[0].text("fr")
    assert any("une liste" in issue.text("fr") for issue in meta.issues)


def test_view_of_a_file_with_problems_is_refused():
    with pytest.raises(ValueError):
        read_poster_meta(b"[en]\n").view("en")
