"""CSV bytes -> text: the file's encoding, line by line when lines disagree.

UTF-16 and UTF-8 files (with or without a byte-order mark) decode whole. A file that
is not valid UTF-8 is usually a French Excel export in Windows-1252 (cp1252), but a file
edited by several programs can mix the two: lines holding valid UTF-8 accents beside
lines in cp1252. Decoding it whole as cp1252 would turn ``Hôpital`` into ``HÃ´pital``
on some lines only, so each line with accents is decoded on its own (UTF-8 when valid,
else cp1252) and the cp1252 lines are listed for the report.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import numpy as np

_NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")  # how every UTF-8 accent starts


@dataclass(frozen=True)
class DecodedText:
    """A file's text, and the line numbers (from 1) decoded as cp1252 in a file whose
    other accented lines are UTF-8 (empty when the file has one encoding)."""

    text: str
    cp1252_lines: tuple[int, ...] = ()


def decode(content: bytes) -> DecodedText | None:
    """The file's text: UTF-16 or UTF-8 when marked or valid, UTF-8 and cp1252 line by
    line when mixed, else cp1252, else latin-1; None when the bytes are binary rather
    than text."""
    found: DecodedText | None = None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            found = DecodedText(content.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    else:
        try:
            found = DecodedText(content.decode("utf-8-sig"))
        except UnicodeDecodeError:
            found = _by_line(content)
    sample = found.text[:8192]
    controls = sum(sample.count(ch) for ch in map(chr, range(32)) if ch not in "\t\n\r\f")
    if "\x00" in sample or controls > len(sample) // 100:
        return None
    return found


def _by_line(content: bytes) -> DecodedText:
    """Bytes that are not UTF-8 as a whole: UTF-8 lines kept UTF-8 when some accented
    lines are valid UTF-8, the rest cp1252 (latin-1 for bytes cp1252 leaves undefined)."""
    if not _has_utf8_pair(content):  # no line can be UTF-8 with accents: one encoding
        return DecodedText(_single_byte(content))
    pieces: list[str] = []
    cp1252: list[int] = []
    utf8 = 0
    end = 0
    line = 1
    for match in _NON_ASCII_LINE.finditer(content):
        pieces.append(content[end:match.start()].decode("ascii"))
        line += content.count(b"\n", end, match.start())
        try:
            pieces.append(match.group().decode("utf-8"))
            utf8 += 1
        except UnicodeDecodeError:
            pieces.append(_single_byte(match.group()))
            cp1252.append(line)
        end = match.end()
    if not utf8:  # one encoding throughout
        return DecodedText(_single_byte(content))
    pieces.append(content[end:].decode("ascii"))
    text = "".join(pieces)
    return DecodedText(text[1:] if text.startswith("\ufeff") else text, tuple(cp1252))


def _has_utf8_pair(content: bytes) -> bool:
    """Whether ``_UTF8_PAIR`` occurs in ``content``: a byte 0xC2-0xF4 followed by one
    0x80-0xBF (numpy over the bytes; the regular expression takes seconds on a registry)."""
    buf = np.frombuffer(content, dtype=np.uint8)
    leads = np.flatnonzero(buf[:-1] >= 0xC2)
    leads = leads[buf[leads] <= 0xF4]
    following = buf[leads + 1]
    return bool(((following >= 0x80) & (following <= 0xBF)).any())


def _single_byte(content: bytes) -> str:
    # cp1252 before latin-1: French Excel exports are cp1252, and latin-1 never fails.
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")
