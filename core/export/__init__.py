"""Exports of the poster's numbers: tables (CSV, XLSX, DOCX), charts (PNG, SVG, PDF),
a slide deck (PPTX), the poster (self-contained HTML and A0 PDF), the methods text and
one ZIP with a manifest.

Everything is built in memory from the same panel results the pages show
(``core.export.panels``); writers return bytes and never touch the disk. Every file
carries the snapshot stamp (``core.export.stamp``). One module per format; heavy
libraries (XlsxWriter, python-docx, python-pptx, typst, vl-convert, segno) are
imported inside the function that needs them.
"""
