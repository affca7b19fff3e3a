"""The bundled synthetic demo cohort, loaded through the same path as an upload."""
from __future__ import annotations

from pathlib import Path

from core.cohort import LoadResult
from core.loader import load_cohort

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The same synthetic cohort in two layouts: a French wide CSV export with its events,
# and an English workbook with one sheet per table.
DEMO_FILES: dict[str, tuple[Path, ...]] = {
    "fr": (DATA_DIR / "demo_wide_fr.csv", DATA_DIR / "demo_events_fr.csv"),
    "en": (DATA_DIR / "demo_en.xlsx",),
}


def load_demo(layout: str = "fr") -> LoadResult:
    """Load the demo cohort in ``layout`` ("fr": wide CSV + events; "en": workbook)."""
    if layout not in DEMO_FILES:
        raise ValueError(f"unknown demo layout {layout!r}; expected one of {sorted(DEMO_FILES)}")
    return load_cohort([(path.name, path.read_bytes()) for path in DEMO_FILES[layout]])


def demo_digest(layout: str = "fr") -> str:
    """``files_digest`` of the demo's files in ``layout``: what an export of it is stamped with."""
    from core.cohort import files_digest

    return files_digest([(path.name, path.read_bytes()) for path in DEMO_FILES[layout]])
