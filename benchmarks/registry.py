"""Registry-scale benchmark: load a large synthetic cohort and compute every panel.

Run ``make bench`` (or ``.venv/bin/python benchmarks/registry.py --patients 50000``).
It builds, in memory, a French wide CSV of N synthetic patients (visits at M0, M3, M6,
M12) and an events file, then times each step: reading and validating the upload
(``load_cohort``), and each poster panel (``core.analysis``). Nothing is written to disk.

Targets (2-core machine, 50,000 patients, ~200,000 visit rows): upload read and
validated in under 10 s; each panel in under 5 s; the whole summary under 10 s. The
script exits 1 when a target is missed, so it can gate a release; it is not part of
``make test`` because timings depend on the machine.
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGETS_S = {"load_cohort": 10.0, "panel": 5.0, "build_summary": 10.0}
MONTHS = (0, 3, 6, 12)


def _wide_csv(n: int, rng: np.random.Generator) -> bytes:
    """A French wide export (cp1252, ';', decimal comma) of ``n`` synthetic patients."""
    ids = np.char.add("P", np.arange(1, n + 1).astype(str))
    cols = {
        "N° patient": ids,
        "Centre": rng.choice(["CHU Lille", "CH Boulogne-sur-Mer", "CHU Amiens"], n),
        "Sexe": rng.choice(["F", "H"], n, p=[0.9, 0.1]),
        "Âge (ans)": rng.integers(18, 80, n),
        "Durée d'évolution (ans)": np.round(rng.gamma(2.0, 7.0, n), 1),
        "Lignes antérieures": rng.integers(0, 7, n),
        "Atteinte cutanée": rng.choice(["oui", "non"], n, p=[0.85, 0.15]),
        "Atteinte articulaire": rng.choice(["oui", "non"], n, p=[0.55, 0.45]),
        "Critères ACR/EULAR 2019": rng.choice(["oui", "non"], n, p=[0.97, 0.03]),
    }
    # Dropouts: the last month seen per patient, so visits stop rather than skip.
    last = rng.choice(MONTHS, n, p=[0.1, 0.15, 0.25, 0.5])
    for m in MONTHS:
        seen = last >= m
        def at(values):
            return np.where(seen, values, "")
        dose = rng.choice([0, 2.5, 5, 7.5, 10, 15, 20], n) * (1 - m / 24)
        cols[f"Dose CT M{m}"] = at(np.char.replace(np.round(dose, 1).astype(str), ".", ","))
        cols[f"HCQ M{m}"] = at(rng.choice(["oui", "non"], n))
        cols[f"Signature IFN M{m}"] = at(rng.choice(["positif", "négatif", "ND"], n, p=[0.8, 0.15, 0.05]))
        cols[f"Score IFN M{m}"] = at(np.char.replace(np.round(rng.gamma(3.0, 6.0, n), 1).astype(str), ".", ","))
        cols[f"Test de Farr M{m}"] = at(np.round(rng.gamma(2.0, 10.0, n), 0).astype(int).astype(str))
        cols[f"C3 M{m}"] = at(np.char.replace(np.round(rng.normal(1.0, 0.2, n), 2).astype(str), ".", ","))
        cols[f"C4 M{m}"] = at(np.char.replace(np.round(rng.normal(0.2, 0.06, n), 2).astype(str), ".", ","))
        cols[f"Lésions cutanées actives M{m}"] = at(rng.integers(0, 8, n))
        cols[f"Articulations douloureuses M{m}"] = at(rng.integers(0, 10, n))
        cols[f"Synovites M{m}"] = at(rng.integers(0, 4, n))
        if m:
            cols[f"Réponse cutanée M{m}"] = at(rng.choice(["RC", "RP", "NR", ""], n))
            cols[f"Réponse articulaire M{m}"] = at(rng.choice(["RC", "RP", "NR", ""], n))
    buffer = io.StringIO()
    pd.DataFrame(cols).to_csv(buffer, sep=";", index=False)
    return buffer.getvalue().encode("cp1252")


def _events_csv(n: int, rng: np.random.Generator) -> bytes:
    k = n // 2
    frame = pd.DataFrame({
        "N° patient": np.char.add("P", rng.integers(1, n + 1, k).astype(str)),
        "Mois": np.char.add("M", rng.integers(1, 13, k).astype(str)),
        "Type": rng.choice(["infection", "viscérale", "autre"], k, p=[0.7, 0.1, 0.2]),
        "Libellé": rng.choice(["Bronchite", "Infection urinaire", "Péricardite"], k),
        "Grave": rng.choice(["oui", "non"], k, p=[0.05, 0.95]),
        "Zona": rng.choice(["oui", "non"], k, p=[0.03, 0.97]),
    })
    buffer = io.StringIO()
    frame.to_csv(buffer, sep=";", index=False)
    return buffer.getvalue().encode("cp1252")


def _timed(label: str, fn, timings: dict):
    start = time.perf_counter()
    result = fn()
    timings[label] = time.perf_counter() - start
    print(f"{label:<16} {timings[label]:7.2f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from core import analysis
    from core.loader import load_cohort
    from core.summary import build_summary

    rng = np.random.default_rng(args.seed)
    files = [("registre.csv", _wide_csv(args.patients, rng)), ("evenements.csv", _events_csv(args.patients, rng))]
    print(f"{args.patients} patients, {sum(len(b) for _, b in files) / 1e6:.1f} MB of CSV")
    timings: dict[str, float] = {}
    result = _timed("load_cohort", lambda: load_cohort(files), timings)
    if result.cohort is None:
        print("the synthetic cohort did not load:", result.report.sorted_issues()[:3])
        return 1
    counts = {t: (c.read, c.kept, c.rejected) for t, c in result.report.counts.items()}
    print("rows (read, kept, rejected):", counts)
    cohort = result.cohort
    panels = ("populations", "baseline", "response", "biology", "steroids", "safety")
    for name in panels:
        _timed(name, lambda: getattr(analysis, name)(cohort), timings)
    _timed("build_summary", lambda: build_summary(cohort), timings)

    missed = [k for k, v in timings.items() if v > TARGETS_S.get(k, TARGETS_S["panel"])]
    if missed:
        print("targets missed:", ", ".join(missed))
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
