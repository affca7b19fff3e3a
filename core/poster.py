"""The demo study's poster metadata (title, centres, methods, conclusion, perspectives).

``data/poster.json`` describes the study the demonstration cohort imitates; it holds no
patient data, so it is read once per process. It belongs to the demo only: an uploaded
cohort is another study and must not borrow this title or these perspectives.
"""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from core.i18n import LANGS

POSTER_FILE = Path(__file__).resolve().parent.parent / "data" / "poster.json"
SCHEMA = "poster-metadata/1"
# Fields shared by both languages, copied into each language's view.
_SHARED = ("synthetic_data", "drug", "centres", "period", "visits")


def load_poster(lang: str) -> dict:
    """The poster metadata in ``lang``: that language's texts plus the shared fields.

    The language's own ``centres`` text (a sentence) wins over the shared list, which is
    kept as ``centre_names``; ``note`` is the synthetic-data note in ``lang``. A fresh
    copy is returned, so callers may change it without touching the cached file.
    """
    return poster_view(_read(), lang)


def poster_view(raw: dict, lang: str) -> dict:
    """The view of ``load_poster`` over any ``poster-metadata/1`` document ``raw``
    (``core.poster_meta`` reads an uploaded one); a language ``raw`` lacks takes the
    other language's texts."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {LANGS}")
    view = {key: raw[key] for key in _SHARED if key in raw}
    view["centre_names"] = view.pop("centres", [])
    view["note"] = raw.get("note", {}).get(lang, "")
    view.update(raw.get(lang) or next((raw[other] for other in LANGS if other in raw), {}))
    return copy.deepcopy(view)


@cache
def _read() -> dict:
    with open(POSTER_FILE, encoding="utf-8") as fh:
        raw = json.load(fh)
    # A wrong file is a packaging mistake, not user input: fail loudly.
    if raw.get("schema") != SCHEMA or not all(lang in raw for lang in LANGS):
        raise ValueError(f"{POSTER_FILE.name} is not {SCHEMA} with sections {LANGS}")
    return raw


# The fields a user can edit in the app, each as one text: a list field holds one item
# per line, an abbreviation is "ABBR: meaning" ("ABRÉV : signification" in French, as
# the field's label shows it). ``introduction`` edits its bullets.
EDITABLE = ("title", "authors", "centres", "introduction", "study_design", "inclusion_criteria",
            "conclusion", "perspectives", "abbreviations")
_LINES = ("authors", "inclusion_criteria", "conclusion", "perspectives")


def edit_text(view: dict, field: str, lang: str = "en") -> str:
    """The ``EDITABLE`` ``field`` of a metadata view (``load_poster``) as one text, in
    the punctuation of ``lang``."""
    value = view.get(field)
    if field == "introduction":
        return "\n".join((value or {}).get("bullets", []))
    if field == "abbreviations":
        # A plain space before the French colon: the text is edited, and typed back so.
        colon = " : " if lang == "fr" else ": "
        return "\n".join(f"{a.get('abbr', '')}{colon}{a.get('meaning', '')}" for a in value or [])
    if field in _LINES:
        return "\n".join(value or [])
    return value or ""


def apply_edits(view: dict, edits: dict[str, str], lang: str = "en") -> dict:
    """A copy of ``view`` with the edited texts (``field -> text`` as ``edit_text``
    writes it in ``lang``) read back into their fields; blank lines are dropped, and a
    text equal to the field's own leaves the field as it is."""
    out = copy.deepcopy(view)
    for field, text in edits.items():
        if field not in EDITABLE:
            raise ValueError(f"{field!r} is not an editable poster field: {EDITABLE}")
        if text == edit_text(view, field, lang):
            continue
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if field == "introduction":
            out["introduction"] = {**(out.get("introduction") or {}), "bullets": lines}
        elif field == "abbreviations":
            out["abbreviations"] = [_abbreviation(line) for line in lines]
        elif field in _LINES:
            out[field] = lines
        else:
            out[field] = text.strip()
    return out


def _abbreviation(line: str) -> dict:
    abbr, sep, meaning = line.partition(":")
    return {"abbr": abbr.strip(), "meaning": meaning.strip()} if sep else {"abbr": line, "meaning": ""}
