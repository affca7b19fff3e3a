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
