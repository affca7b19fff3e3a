"""Altair chart builders: tidy, already aggregated frames in, ``alt.Chart`` out.

One module per poster panel (``core.charts.response``, ...), all sharing ``theme``.
Builders never draw (no streamlit here) and never receive raw rows of a large cohort:
they get the small frames that ``core`` panel functions return. Titles and axes come
from ``core.i18n`` in the language passed in. The pages' plain texts and tables are
in ``core.display``, which never imports altair.

Building a chart costs a page more than its data does, whatever the cohort's size, so
builders avoid the work Altair repeats, the spec staying the same: encodings are
channel classes (``alt.Y("pct:Q")``; a string, ``alt.datum`` or ``alt.value`` makes
Altair hash every schema class to find one), properties and configuration are set once
by ``theme.themed`` (each ``properties``/``configure`` call builds the chart again), and
a frame drawn by several layers is converted once (``theme.layer_data``).
"""
