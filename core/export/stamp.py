"""The snapshot stamp: which data, subgroup, definitions, app version and day an export
shows, written on the poster, every slide, every file and in the manifest.

The data are named by a short SHA-256 of the uploaded files (names and bytes), the same
digest ``ui.state`` keys a session's cohort by: two exports with the same stamp digest
come from the same upload. The digest reveals nothing of the data.
"""
from __future__ import annotations

from core.cohort import files_digest  # noqa: F401 - the stamp's digest, re-exported

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from core import __version__
from core.display.common import describe_filter
from core.filters import Filter
from core.i18n import fmt_num, semicolon, t
from core.settings import Settings

# Characters of the hexadecimal digest shown on a stamp: 48 bits, enough to tell
# uploads apart by eye, short enough for a slide footer.
SHORT = 12


@dataclass(frozen=True)
class Stamp:
    """What an export shows: ``digest`` of the files, the subgroup, the definitions that
    differ from the defaults (name, value), the app version, the day (ISO date), and the
    live view's address when the app has a public one."""

    digest: str
    filter: Filter
    changed: tuple[tuple[str, object], ...]
    version: str
    date: str
    url: str | None = None

    @property
    def short(self) -> str:
        return self.digest[:SHORT]

    def subgroup(self, lang: str) -> str:
        """The subgroup in words, or "all patients"."""
        return describe_filter(self.filter, lang) if not self.filter.is_empty else t("exports.stamp.everyone", lang)

    def definitions(self, lang: str) -> str:
        """The changed definitions, ``Anti-dsDNA threshold (IU/mL) = 20``, or "defaults"."""
        if not self.changed:
            return t("exports.stamp.defaults", lang)
        return semicolon(lang).join(f"{t(f'exports.setting.{name}', lang)} = {setting_value(value, lang)}"
                                    for name, value in self.changed)

    def line(self, lang: str) -> str:
        """The stamp as one footer line."""
        return t("exports.stamp.line", lang, digest=self.short, subgroup=self.subgroup(lang),
                 definitions=self.definitions(lang), version=self.version, date=self.date)

    def as_dict(self, lang: str) -> dict:
        """The stamp for the manifest: machine-readable values plus the line as shown."""
        return {"sha256": self.digest, "short": self.short, "filter": self.filter.describe() or None,
                "subgroup": self.subgroup(lang), "settings": dict(self.changed) or None,
                "version": self.version, "date": self.date, "url": self.url, "text": self.line(lang)}


def make_stamp(files: Sequence[tuple[str, bytes]], filter: Filter | None = None,
               settings: Settings = Settings(), *, today: dt.date | None = None, url: str | None = None,
               digest: str | None = None) -> Stamp:
    """The stamp of an export of ``files`` under ``filter`` and ``settings``; ``digest``
    (``files_digest`` of the files, computed earlier) stands for ``files`` when given."""
    changed = tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in settings.changed().items())
    return Stamp(digest or files_digest(files), filter or Filter(), changed, __version__,
                 (today or dt.date.today()).isoformat(), url)


def setting_value(value: object, lang: str) -> str:
    """A setting's value in ``lang`` with the digits it has: 0,15 and 7,5 / 5 in French."""
    if isinstance(value, (tuple, list)):
        return " / ".join(setting_value(v, lang) for v in value)
    if isinstance(value, float) and not value.is_integer():
        digits = len(repr(value).split(".")[1])
        return fmt_num(value, lang, min(digits, 6))
    return fmt_num(value, lang, 0)


# Office keeps a document property (title, subject, comments...) to 255 characters;
# python-pptx and python-docx refuse a longer one.
PROPERTY_CHARS = 255


def property_text(text: str) -> str:
    """``text`` for a file's property: as is up to ``PROPERTY_CHARS`` characters, else
    cut at a word with an ellipsis (the stamp, whose digest comes first, stays whole
    on the file's pages and slides)."""
    if len(text) <= PROPERTY_CHARS:
        return text
    cut = text[:PROPERTY_CHARS - 1]
    space = cut.rfind(" ")
    if space >= PROPERTY_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip(" ·;:,") + "…"
