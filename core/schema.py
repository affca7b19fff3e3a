"""The canonical cohort model: tables, columns, kinds, aliases and vocabularies.

This module is the data contract (``cohort-format.md``, version 1) written as data.
Every other module takes column names, header aliases and accepted spellings from
here, so that SQL identifiers only ever come from this schema.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Value kinds. Each kind has one parser in ``core.values`` and one DuckDB type here.
TEXT = "text"
SEX = "sex"
NUMBER = "number"
INTEGER = "integer"
BOOL = "bool"
RESPONSE = "response"
IFN = "ifn"
MONTH = "month"  # integer months since first dose; "M3" accepted
EVENT_MONTH = "event_month"  # number of months; "M2" accepted
EVENT_TYPE = "event_type"

SQL_TYPES = {
    TEXT: "VARCHAR",
    SEX: "VARCHAR",
    NUMBER: "DOUBLE",
    INTEGER: "BIGINT",
    BOOL: "BOOLEAN",
    RESPONSE: "VARCHAR",
    IFN: "VARCHAR",
    MONTH: "BIGINT",
    EVENT_MONTH: "DOUBLE",
    EVENT_TYPE: "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``low``/``high`` bound the plausible range: a value outside it is a warning and
    is set missing (it is not an error: the row stays).
    """

    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    label_key: str = ""

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]


_ID_ALIASES = ("id", "patient", "num_patient", "n_patient", "no_patient", "patient_number", "identifiant")

PATIENTS = (
    Column("patient_id", TEXT, True, _ID_ALIASES),
    Column("centre", TEXT, False, ("center", "site", "hopital", "etablissement")),
    Column("sex", SEX, True, ("sexe", "gender", "genre")),
    Column("age", NUMBER, True, ("age_ans", "age_years", "age_m0"), low=0, high=120),
    Column(
        "disease_duration_years",
        NUMBER,
        False,
        ("duree_evolution", "duree_d_evolution", "duree_evolution_ans", "duree_d_evolution_ans", "disease_duration"),
        low=0,
        high=100,
    ),
    Column(
        "prior_lines",
        INTEGER,
        False,
        ("lignes_anterieures", "nb_lignes_anterieures", "previous_lines", "prior_treatment_lines"),
        low=0,
        high=50,
    ),
    Column("cutaneous", BOOL, False, ("atteinte_cutanee", "cutane", "cutaneous_involvement", "skin_involvement")),
    Column("articular", BOOL, False, ("atteinte_articulaire", "articulaire", "articular_involvement", "joint_involvement")),
    Column("acr_eular_2019", BOOL, False, ("criteres_acr_eular_2019", "acr_eular")),
)

VISITS = (
    Column("patient_id", TEXT, True, _ID_ALIASES),
    Column("month", MONTH, True, ("mois", "visit_month", "visite"), low=0, high=600),
    Column("cs_dose_mg", NUMBER, False, ("dose_ct", "ct_dose", "dose_corticoides", "prednisone_mg"), low=0, high=2000),
    Column("cs_drug", TEXT, False, ("corticoide", "molecule_ct")),
    Column("hcq", BOOL, False, ("hydroxychloroquine", "plaquenil")),
    Column("cutaneous_response", RESPONSE, False, ("reponse_cutanee", "skin_response")),
    Column("articular_response", RESPONSE, False, ("reponse_articulaire", "joint_response")),
    Column("ifn_signature", IFN, False, ("signature_ifn", "ifn_status")),
    Column("ifn_score", NUMBER, False, ("score_ifn",)),
    Column("anti_dsdna", NUMBER, False, ("farr", "test_de_farr", "anti_adn", "anti_dna"), low=0),
    Column("anti_dsdna_elevated", BOOL, False, ("farr_eleve", "anti_adn_eleve")),
    Column("c3", NUMBER, False, (), low=0, high=10),
    Column("c4", NUMBER, False, (), low=0, high=5),
    Column("complement_low", BOOL, False, ("activation_complement", "hypocomplementemie")),
    Column("active_skin_lesions", INTEGER, False, ("lesions_cutanees_actives",), low=0, high=1000),
    Column("new_skin_lesions", BOOL, False, ("nouvelles_lesions_cutanees",)),
    Column("painful_joints", INTEGER, False, ("articulations_douloureuses",), low=0, high=68),
    Column("swollen_joints", INTEGER, False, ("synovites",), low=0, high=66),
    Column("new_painful_joints", BOOL, False, ("nouvelles_articulations_douloureuses",)),
    Column("joint_flares", NUMBER, False, ("poussees_articulaires",), low=0, high=1000),
)

EVENTS = (
    Column("patient_id", TEXT, True, _ID_ALIASES),
    Column("month", EVENT_MONTH, True, ("mois", "month_onset"), low=0, high=600),
    Column("type", EVENT_TYPE, True, ("type_evenement", "categorie")),
    Column("description", TEXT, False, ("libelle", "detail", "evenement")),
    Column("severe", BOOL, False, ("grave", "serious")),
    Column("vzv", BOOL, False, ("zona", "herpes_zoster", "zoster")),
)

TABLES: dict[str, tuple[Column, ...]] = {"patients": PATIENTS, "visits": VISITS, "events": EVENTS}

# Sheet or file names (normalised) that name a table.
TABLE_NAMES = {
    "patients": ("patients", "patient", "patients_table"),
    "visits": ("visits", "visit", "visites", "visite", "suivi"),
    "events": ("events", "event", "evenements", "evenement", "evenements_indesirables", "effets_indesirables"),
}

# Sheet names (normalised) of a workbook's documentation, such as the template's first
# sheet: never a table, so never read (nor reported as an unrecognised table).
DOCUMENTATION_SHEETS = frozenset({"read_me", "readme", "lisez_moi", "lisezmoi"})

# The clinical response domains, in the poster's order: each has an involvement column
# of patients (``<domain>``) and a response column of visits (``<domain>_response``).
RESPONSE_DOMAINS = ("cutaneous", "articular")

# Visit columns that describe the visit itself rather than the patient (all but the keys).
VISIT_VALUE_COLUMNS = tuple(c.name for c in VISITS if c.name not in ("patient_id", "month"))

# Spellings, compared after ``normalise`` (so accents and case do not matter).
TRUE_WORDS = frozenset({"yes", "y", "oui", "o", "true", "vrai", "1", "x"})
FALSE_WORDS = frozenset({"no", "n", "non", "false", "faux", "0"})
# "?" and blank normalise to "", hence the empty word. Beware: "-" also normalises to
# "", so the IFN parser reads its signs before testing for a missing marker.
MISSING_WORDS = frozenset({"", "na", "n_a", "nd", "n_d", "nc", "n_c", "nan", "null"})
SEX_WORDS = {
    "f": "F", "female": "F", "femme": "F", "w": "F", "woman": "F",
    "m": "M", "male": "M", "homme": "M", "h": "M", "man": "M",
}
RESPONSE_WORDS = {
    "cr": "CR", "rc": "CR", "complete": "CR", "reponse_complete": "CR",
    "pr": "PR", "rp": "PR", "partial": "PR", "partielle": "PR", "reponse_partielle": "PR",
    "nr": "NR", "none": "NR", "non_responder": "NR", "non_repondeur": "NR", "absente": "NR", "aucune": "NR",
}
# IFN signs are matched on the raw stripped text, since "+" and "-" normalise to nothing.
IFN_WORDS = {"positive": "positive", "positif": "positive", "pos": "positive",
             "negative": "negative", "negatif": "negative", "neg": "negative"}
IFN_SIGNS = {"+": "positive", "-": "negative", "\u2212": "negative"}
EVENT_TYPE_WORDS = {
    "infection": "infection", "infectieux": "infection", "infectious": "infection",
    "visceral": "visceral", "viscerale": "visceral", "atteinte_viscerale": "visceral",
    "flare": "visceral", "poussee_viscerale": "visceral",
    "other": "other", "autre": "other", "ei": "other", "adverse_event": "other",
}

# Prednisone-equivalent factors (mg prednisone per mg of the drug).
# Reference: Liu D et al. A practical guide to the monitoring and management of the
# complications of systemic corticosteroid therapy. Allergy Asthma Clin Immunol 2013;9:30
# (Table 1: prednisone 5 mg = prednisolone 5 = methylprednisolone 4 = hydrocortisone 20
# = dexamethasone 0.75 = betamethasone 0.6).
CS_DRUG_FACTORS = {
    "prednisone": 1.0, "cortancyl": 1.0,
    "prednisolone": 1.0, "solupred": 1.0,
    "methylprednisolone": 1.25, "medrol": 1.25, "solumedrol": 1.25,
    "hydrocortisone": 0.25,
    "dexamethasone": 6.67,
    "betamethasone": 8.33, "celestene": 8.33,
}


def normalise(text: str) -> str:
    """Normalise a header or a word: lower case, no accents, runs of non-alphanumerics
    become one ``_``, no leading or trailing ``_``.

    ``"Durée d'évolution (ans)"`` becomes ``"duree_d_evolution_ans"``.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _alias_index(columns: tuple[Column, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in columns:
        for alias in (col.name, *col.aliases):
            index[normalise(alias)] = col.name
    return index


ALIASES: dict[str, dict[str, str]] = {table: _alias_index(cols) for table, cols in TABLES.items()}
COLUMNS: dict[str, dict[str, Column]] = {table: {c.name: c for c in cols} for table, cols in TABLES.items()}


def canonical_column(table: str, header: str) -> str | None:
    """The canonical column a user's header names in ``table``, or None."""
    return ALIASES[table].get(normalise(header))


def quote_identifier(name: str) -> str:
    """Quote a SQL identifier for DuckDB (the one place identifiers are escaped)."""
    return '"' + str(name).replace('"', '""') + '"'
