"""Display text and tables of the poster's panels, in French or English.

One module per page (``cohort``, ``response``, ``biology``, ``steroids``, ``safety``),
shared pieces in ``common``. Panel results in, strings and small frames out: no
computation beyond formatting, no streamlit, no altair (chart builders live in
``core.charts``), so that every text is testable from the command line.
"""
