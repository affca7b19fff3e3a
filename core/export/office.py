"""What a PPTX or DOCX file says of itself beyond its title and subject: the export's
own day and application, never those of the template python-pptx or python-docx
starts from (a 2013 date, "Steve Canny", "On-screen Show (4:3)" with 0 slides, and a
preview picture of the template's own sample page).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

APP_PART = "docProps/app.xml"
PACKAGE_RELS = "_rels/.rels"
# The template's preview picture and the package's relationship to it.
_THUMBNAIL = re.compile(rb'<Relationship\b[^>]*Type="[^"]*/metadata/thumbnail"[^>]*/>')
APPLICATION = "The living poster"


def date_properties(props, date: str) -> None:
    """Core properties ``props`` (python-pptx's or python-docx's) created and modified
    on the export's ``date`` (ISO day), last modified by no one, at revision 1."""
    day = dt.datetime.fromisoformat(date)
    props.created = props.modified = day
    props.last_modified_by = ""
    props.revision = 1


def app_properties(package: bytes, **counts: object) -> bytes:
    """``package`` (a PPTX or DOCX file) with its ``docProps/app.xml`` naming this
    application and the given counts (``Slides=7``, ``PresentationFormat="Widescreen"``)
    in the order given, in place of the template's, and without the template's preview
    picture (a file browser would show its sample page for the export)."""
    fields = "".join(f"<{name}>{escape(str(value))}</{name}>"
                     for name, value in {"Application": APPLICATION, **counts}.items())
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f"{fields}</Properties>").encode("utf-8")
    source, target = io.BytesIO(package), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        rels = old.read(PACKAGE_RELS)
        thumbnails = {m.group(1).decode() for m in re.finditer(rb'Target="/?([^"]+)"', b"".join(_THUMBNAIL.findall(rels)))}
        rewritten = {APP_PART: xml, PACKAGE_RELS: _THUMBNAIL.sub(b"", rels)}
        for info in old.infolist():
            if info.filename not in thumbnails:
                new.writestr(info, rewritten.get(info.filename) or old.read(info))
    return target.getvalue()
