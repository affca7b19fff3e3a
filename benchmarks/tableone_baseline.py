"""The yardstick of ``make bench``: tableone computing only the baseline table.

``python benchmarks/tableone_baseline.py patients.parquet visits.parquet`` reads the
registry with pandas, joins each patient's M0 visit and prints tableone's Table 1 of
the poster's baseline variables (no exclusion, no other panel): what a statistician
would write by hand. The benchmark times this whole process against
``python -m core summarize`` on the same files.
"""
from __future__ import annotations

import sys

import pandas as pd
from tableone import TableOne


def main(patients_path: str, visits_path: str) -> int:
    patients = pd.read_parquet(patients_path)
    visits = pd.read_parquet(visits_path)
    m0 = visits[visits["month"] == 0][["patient_id", "ifn_signature", "cs_dose_mg", "hcq"]]
    frame = patients.merge(m0, on="patient_id", how="left")
    frame["on_cs"] = frame["cs_dose_mg"] > 0
    columns = ["sex", "age", "disease_duration_years", "prior_lines", "cutaneous", "articular",
               "ifn_signature", "on_cs", "cs_dose_mg", "hcq"]
    categorical = ["sex", "cutaneous", "articular", "ifn_signature", "on_cs", "hcq"]
    frame[categorical] = frame[categorical].astype(object)
    table = TableOne(frame, columns=columns, categorical=categorical,
                     nonnormal=["disease_duration_years", "prior_lines", "cs_dose_mg"])
    print(table.tabulate(tablefmt="plain"))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
