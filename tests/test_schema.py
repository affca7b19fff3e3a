"""The canonical schema: header normalisation, aliases, and SQL identifier quoting."""
from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from core.schema import ALIASES, TABLES, canonical_column, normalise, quote_identifier


@pytest.mark.parametrize(("text", "normalised"), [
    ("Durée d'évolution (ans)", "duree_d_evolution_ans"),  # the contract's own example
    ("Âge M0", "age_m0"),
    ("N° patient", "n_patient"),
    ("Réponse cutanée", "reponse_cutanee"),
    ("  C3 (g/L) ", "c3_g_l"),
    ("ACR/EULAR 2019", "acr_eular_2019"),
    ("__Dose--CT__", "dose_ct"),
    ("ÉVÉNEMENTS INDÉSIRABLES", "evenements_indesirables"),
    ("", ""),
])
def test_normalise_lowers_strips_accents_and_joins_runs_with_one_underscore(text, normalised):
    assert normalise(text) == normalised


_NAMES = [(table, col.name, name) for table, cols in TABLES.items() for col in cols for name in (col.name, *col.aliases)]


@pytest.mark.parametrize(("table", "column", "alias"), _NAMES)
def test_every_alias_maps_to_its_column(table, column, alias):
    assert canonical_column(table, alias) == column


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_alias_maps_to_two_columns_of_one_table(table):
    columns_of = defaultdict(set)
    for t, column, alias in _NAMES:
        if t == table:
            columns_of[normalise(alias)].add(column)
    assert {alias: cols for alias, cols in columns_of.items() if len(cols) > 1} == {}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_aliases_are_written_normalised(table):
    # A header is compared after normalisation, so an alias that is not would never match.
    assert sorted(ALIASES[table]) == sorted({name for t, _, name in _NAMES if t == table})


@pytest.mark.parametrize(("name", "quoted"), [
    ("age", '"age"'),
    ('we"ird', '"we""ird"'),
    ('"', '""""'),
    ("a b;--", '"a b;--"'),
])
def test_quote_identifier_wraps_in_quotes_and_doubles_inner_quotes(name, quoted):
    assert quote_identifier(name) == quoted


def test_quoted_identifier_names_exactly_that_column_in_duckdb():
    con = duckdb.connect(":memory:")
    name = 'x" ; DROP TABLE t; --'
    assert con.execute(f"SELECT 1 AS {quote_identifier(name)}").description[0][0] == name
