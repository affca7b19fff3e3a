"""Altair chart builders: tidy, already aggregated frames in, ``alt.Chart`` out.

One module per poster panel (``core.charts.response``, ...), all sharing ``theme``.
Builders never draw (no streamlit here) and never receive raw rows of a large cohort:
they get the small frames that ``core`` panel functions return. Titles and axes come
from ``core.i18n`` in the language passed in. The pages' plain texts and tables are
in ``core.display``, which never imports altair.
"""
