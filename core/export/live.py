"""The live view's address with the export's filters, and its QR code (segno).

The query string is the one ``ui.filter_url`` reads back: ``centre``, ``sex`` and
``ifn`` as written (repeated for several values), ``age`` and ``prior_lines`` as
whole-number ranges ``30-50`` (an open end takes the cohort's own bound, a strict
bound the next whole number inside it), yes/no answers, and an extra column's choice
as its 1-based position in the cohort's sorted values (``x.<column>=2``), never the
value. Settings are not part of a shared link.
"""
from __future__ import annotations

import io
import math
from urllib.parse import urlencode, urlsplit, urlunsplit

from core.filters import Band, Filter, FilterOptions


class AddressError(ValueError):
    """A public address that cannot carry a live link; the message says why."""


def check_address(url: str) -> str:
    """``url`` when it is an http(s) address with a host, else ``AddressError``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AddressError(f"the app's address must start with https:// or http:// and name a host, not {url!r}")
    return url.strip()


def live_url(base: str, flt: Filter, lang: str, options: FilterOptions) -> str:
    """``base`` (the app's public address) with the language and ``flt``'s query string."""
    parts = urlsplit(check_address(base))
    params: list[tuple[str, str]] = [("lang", lang)]
    for name in ("centre", "sex", "ifn"):
        params += [(name, value) for value in getattr(flt, name)]
    for name, bounds in (("age", options.age_range), ("prior_lines", options.prior_lines_range)):
        band = getattr(flt, name)
        if band is not None and bounds is not None:
            params.append((name, _band(band, bounds)))
    for name in ("hcq", "corticosteroids", "cutaneous", "articular"):
        answer = getattr(flt, name)
        if answer is not None:
            params.append((name, "yes" if answer else "no"))
    levels = dict(options.extra)
    for column, values in flt.extra:
        present = levels.get(column, ())
        params += [(f"x.{column}", str(present.index(v) + 1)) for v in values if v in present]
    query = "&".join(filter(None, (parts.query, urlencode(params))))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _band(band: Band, bounds: tuple[float, float]) -> str:
    low = math.floor(bounds[0]) if band.low is None else math.ceil(band.low)
    if band.low is not None and not band.low_inclusive and float(band.low).is_integer():
        low += 1
    high = math.ceil(bounds[1]) if band.high is None else math.floor(band.high)
    if band.high is not None and not band.high_inclusive and float(band.high).is_integer():
        high -= 1
    return f"{low}-{high}"


def qr_svg(url: str, scale: int = 8) -> str:
    """The QR code of ``url`` as an inline SVG element (no XML declaration)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000000", light="#ffffff")


def qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of ``url`` as PNG bytes."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
