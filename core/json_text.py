"""JSON text that stays readable for people and is fast to write for large documents.

Objects are indented as ``json.dumps(indent=2)`` lays them out; each item of a list is
one line written by json's C encoder (the indenting encoder is pure Python, seconds
for a registry's per-patient lists). ``json.loads`` of the text gives back exactly the
document ``json.dumps`` would have written.
"""
from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring

# One item of a list, on one line. ``JSONEncoder.encode`` makes a new C encoder for
# every value it is given; a registry's lists have tens of thousands of items, so the
# C encoder json.dumps would use (separators ", " and ": ", non-ASCII kept, NaN allowed)
# is made once here: half the time per item, the same text. No check for circular
# references: a summary is a tree of dicts and lists.
_ENCODER = (c_make_encoder(None, json.JSONEncoder().default, encode_basestring, None, ": ", ", ", False, False, True)
            if c_make_encoder is not None else None)


def _ITEM(value) -> str:
    if _ENCODER is None:  # a Python without json's C accelerator
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, str):  # as JSONEncoder.encode: the C encoder takes no bare string
        return encode_basestring(value)
    return "".join(_ENCODER(value, 0))


def _key(key) -> str:
    """An object key as json writes it: strings as they are, numbers, booleans and None
    as their JSON text."""
    return _ITEM(key if isinstance(key, str) else json.dumps(key))


def _write(value, pad: str, out: list[str]) -> None:
    inner = pad + "  "
    if isinstance(value, dict) and value:
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("\n" if i == 0 else ",\n") + inner + _key(key) + ": ")
            _write(item, inner, out)
        out.append("\n" + pad + "}")
    elif isinstance(value, (list, tuple)) and value:
        out.append("[\n" + inner + (",\n" + inner).join(map(_ITEM, value)) + "\n" + pad + "]")
    else:
        out.append(_ITEM(value))


def readable_json(document) -> str:
    """``document`` as JSON text: nested objects indented by two spaces, one line per
    list item, non-ASCII characters as they are."""
    out: list[str] = []
    _write(document, "", out)
    return "".join(out)
