"""An uploaded poster metadata file (TOML): the poster's title, authors, centres and
text blocks, checked field by field.

The fields are those of ``data/poster.json`` (``poster-metadata/1``): shared fields at
the top (``drug``, ``centres``, ``period``, ``visits``), then a ``[fr]`` and/or an
``[en]`` table with the texts of that language; only ``title`` is required in each
language table given. ``authors`` (a list of names) may be added. Every problem is
collected with the path of the field as written (``fr.introduction.bullets``) and how
to fix it, in the reader's language; none raises. The file is poster text, not patient
data, but it is still shown only as plain text.

Reference: TOML v1.0.0 (https://toml.io/en/v1.0.0), read by ``tomllib``.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from core.i18n import LANGS, t
from core.poster import SCHEMA, poster_view

# Field specifications: a type name, a list spec ``[item]``, or a dict of fields.
_TEXT, _NUMBER, _BOOL = "text", "number", "bool"
_PAIR = {"complete": _TEXT, "partial": _TEXT}
LANGUAGE_FIELDS: dict = {
    "title": _TEXT,
    "authors": [_TEXT],
    "centres": _TEXT,
    "period": _TEXT,
    "introduction": {"heading": _TEXT, "bullets": [_TEXT]},
    "study_design": _TEXT,
    "inclusion_criteria": [_TEXT],
    "data_collection": _TEXT,
    "primary_endpoint": _TEXT,
    "objectives": {"primary": _TEXT, "secondary": _TEXT},
    "response_definitions": {"domains": {"cutaneous": _TEXT, "articular": _TEXT}, "levels": _PAIR,
                             "cutaneous": _PAIR, "articular": _PAIR},
    "conclusion": [_TEXT],
    "perspectives": [_TEXT],
    "abbreviations": [{"abbr": _TEXT, "meaning": _TEXT}],
}
SHARED_FIELDS: dict = {
    "schema": _TEXT,
    "synthetic_data": _BOOL,
    "note": {"fr": _TEXT, "en": _TEXT},
    "drug": _TEXT,
    "centres": [_TEXT],
    "period": {"start": _NUMBER, "end": _NUMBER},
    "visits": [_TEXT],
}
# Generous bounds that still keep a poster a poster.
MAX_TEXT = 2000
MAX_ITEMS = 60
MAX_BYTES = 256 * 1024
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class MetaIssue:
    """One problem of the file: ``code`` (catalogue ``poster_meta.<code>``), the field's
    ``path`` and values for the message."""

    code: str
    path: str = ""
    params: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        params = dict(self.params)
        if "expected" in params:
            params["expected"] = t(f"poster_meta.type.{params['expected']}", lang)
        return t(f"poster_meta.{self.code}", lang, path=self.path, **params)


@dataclass(frozen=True)
class PosterMeta:
    """The checked metadata (``None`` when any problem was found) and the problems."""

    raw: dict | None
    issues: tuple[MetaIssue, ...]

    @property
    def ok(self) -> bool:
        return self.raw is not None

    def view(self, lang: str) -> dict:
        """The texts in ``lang`` (the other language's when the file has only that one),
        shaped like ``core.poster.load_poster``."""
        if self.raw is None:
            raise ValueError("the metadata file has problems: see issues")
        return poster_view(self.raw, lang)


def read_poster_meta(data: bytes) -> PosterMeta:
    """Parse and check a TOML metadata file's bytes."""
    if len(data) > MAX_BYTES:
        return PosterMeta(None, (MetaIssue("too_large", params=(("limit", MAX_BYTES // 1024),)),))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return PosterMeta(None, (MetaIssue("not_utf8"),))
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message is English; only its position is passed on.
        where = _POSITION.search(str(exc))
        line, column = (where.group(1), where.group(2)) if where else ("?", "?")
        return PosterMeta(None, (MetaIssue("not_toml", params=(("line", line), ("column", column))),))
    issues = check_poster_meta(raw)
    return PosterMeta(None if issues else raw, tuple(issues))


def check_poster_meta(raw: dict) -> list[MetaIssue]:
    """Every problem of a parsed metadata document (empty when it can be used)."""
    issues: list[MetaIssue] = []
    if "schema" in raw and raw["schema"] != SCHEMA:
        issues.append(MetaIssue("bad_schema", "schema", (("schema", SCHEMA),)))
    languages = [lang for lang in LANGS if lang in raw]
    if not languages:
        issues.append(MetaIssue("no_language", params=(("languages", ", ".join(f"[{x}]" for x in LANGS)),)))
    for key, value in raw.items():
        if key in LANGS:
            if not isinstance(value, dict):
                issues.append(MetaIssue("wrong_type", key, (("expected", "table"),)))
                continue
            _check(value, LANGUAGE_FIELDS, key, issues)
            if "title" not in value:
                issues.append(MetaIssue("missing_title", f"{key}.title"))
        elif key in SHARED_FIELDS:
            _check_value(value, SHARED_FIELDS[key], key, issues)
        else:
            issues.append(MetaIssue("unknown_key", key, (("known", ", ".join([*SHARED_FIELDS, *LANGS])),)))
    return issues


def _check(table: dict, spec: dict, path: str, issues: list[MetaIssue]) -> None:
    for key, value in table.items():
        where = f"{path}.{key}"
        if key not in spec:
            issues.append(MetaIssue("unknown_key", where, (("known", ", ".join(spec)),)))
        else:
            _check_value(value, spec[key], where, issues)


def _check_value(value: object, spec, path: str, issues: list[MetaIssue]) -> None:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            issues.append(MetaIssue("wrong_type", path, (("expected", "table"),)))
        else:
            _check(value, spec, path, issues)
    elif isinstance(spec, list):
        if not isinstance(value, list):
            issues.append(MetaIssue("wrong_type", path, (("expected", "list"),)))
        elif len(value) > MAX_ITEMS:
            issues.append(MetaIssue("too_many", path, (("limit", MAX_ITEMS),)))
        else:
            for k, item in enumerate(value, start=1):
                _check_value(item, spec[0], f"{path}[{k}]", issues)
    elif spec == _TEXT:
        if not isinstance(value, str):
            issues.append(MetaIssue("wrong_type", path, (("expected", "text"),)))
        elif len(value) > MAX_TEXT:
            issues.append(MetaIssue("too_long", path, (("limit", MAX_TEXT),)))
    elif spec == _NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            issues.append(MetaIssue("wrong_type", path, (("expected", "number"),)))
    elif spec == _BOOL and not isinstance(value, bool):
        issues.append(MetaIssue("wrong_type", path, (("expected", "bool"),)))
