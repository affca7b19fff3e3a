"""Direct identifiers, column by column: does a header or a column's content look like
patients' names, birth dates, French social security numbers (NIR), phone numbers,
e-mail addresses or postal addresses?

A header is ``core.schema.normalise``d and compared word by word. Content is judged on
the distinct non-blank values of a column's first rows (``content_kinds``): names and birth dates,
whose patterns are loose, need ``LOOSE_SHARE`` of at least ``MIN_DISTINCT`` values; the
strict patterns (a NIR whose key checks, a phone number, an e-mail, a street address)
need ``STRICT_SHARE``, so a comment column that now and then holds an e-mail counts too.
Everything here is pure and vectorised over a column's values;
``core.identifier_columns`` applies it to an upload.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.schema import (CS_DRUG_FACTORS, EVENT_TYPE_WORDS, FALSE_WORDS, IFN_WORDS, MISSING_WORDS, RESPONSE_WORDS,
                         SEX_WORDS, TRUE_WORDS, normalise)

KINDS = ("name", "birth_date", "nir", "phone", "email", "address")
# Rows read per column, and cells per table: bound the cost of a registry-size upload.
SCAN_ROWS = 20_000
SCAN_CELLS = 2_000_000
MIN_SCAN_ROWS = 200
MIN_DISTINCT = 3  # names and birth dates: fewer distinct values tell nothing
LOOSE_SHARE = 0.5
STRICT_SHARE = 0.1


# ---- headers ---------------------------------------------------------------------------------
_NAME_WORDS = frozenset({"nom", "noms", "prenom", "prenoms", "name", "names", "surname", "firstname", "lastname",
                         "forename", "fullname", "givenname", "familyname", "maidenname", "patronyme", "initiales",
                         "initials"})
# Words that may accompany a name word without naming something else ("nom du centre" is not).
_NAME_COMPANIONS = frozenset({"patient", "patiente", "du", "de", "d", "la", "le", "naissance", "usage", "famille",
                              "jeune", "fille", "marital", "maritale", "epouse", "first", "last", "full", "family",
                              "given", "birth", "maiden", "middle", "of", "the", "s", "complet", "et", "and", "usuel",
                              "1", "2"})
_BIRTH_WORDS = frozenset({"naissance", "naiss", "birth", "birthdate", "birthday"})
_DATE_WORDS = frozenset({"date", "dt", "jour", "day", "ddn", "dob", "le"})
_NIR_WORDS = frozenset({"nir", "nss", "ssn", "secu", "insee"})
_NIR_HEADERS = frozenset({"ins", "matricule_ins", "n_ins", "numero_ins", "n_ss", "no_ss", "num_ss", "numero_ss"})
_PHONE_WORDS = frozenset({"tel", "telephone", "telephones", "phone", "phones", "mobile", "portable", "gsm",
                          "cellulaire", "cellphone", "fax"})
_EMAIL_WORDS = frozenset({"email", "emails", "mail", "mails", "courriel", "courriels", "mel"})
_ADDRESS_WORDS = frozenset({"adresse", "adresses", "address", "addresses", "domicile", "rue", "street", "postcode",
                            "zipcode", "zip"})


def name_header(words: frozenset[str]) -> bool:
    """A name word (nom, prénom, name, surname...) with only words that go with it
    ("nom de naissance", "patient name"), not "nom du centre" or "drug name"."""
    return bool(words & _NAME_WORDS) and words <= _NAME_WORDS | _NAME_COMPANIONS


def birth_date_header(words: frozenset[str]) -> bool:
    """"DDN", "DOB", "né(e) le", or a birth word with a date word ("date de naissance",
    "birth date"); not "poids de naissance" nor "lieu de naissance"."""
    born_on = {"le"} < words <= {"ne", "nee", "e", "le"}
    return bool(words & {"ddn", "dob"}) or born_on or (bool(words & _BIRTH_WORDS) and bool(words & _DATE_WORDS))


def nir_header(words: frozenset[str]) -> bool:
    """NIR, NSS, INS, "n° de sécurité sociale", "social security number"."""
    return bool(words & _NIR_WORDS) or {"securite", "sociale"} <= words or {"social", "security"} <= words


def phone_header(words: frozenset[str]) -> bool:
    """Téléphone, tél., phone, mobile, portable, fax."""
    return bool(words & _PHONE_WORDS)


def email_header(words: frozenset[str]) -> bool:
    """E-mail, mail, courriel."""
    return bool(words & _EMAIL_WORDS)


def address_header(words: frozenset[str]) -> bool:
    """Adresse, address, domicile, street, code postal, postcode (a city alone is not)."""
    return bool(words & _ADDRESS_WORDS) or {"code", "postal"} <= words


_HEADER_RULES = {"name": name_header, "birth_date": birth_date_header, "nir": nir_header, "phone": phone_header,
                 "email": email_header, "address": address_header}


def header_kind(header: str) -> str | None:
    """The kind of identifier a header names, or None."""
    norm = normalise(header)
    words = frozenset(norm.split("_")) - {""}
    if not words:
        return None
    if norm in _NIR_HEADERS:
        return "nir"
    return next((kind for kind, rule in _HEADER_RULES.items() if rule(words)), None)


# ---- content -------------------------------------------------------------------------
_UP, _LOW = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_TITLE = rf"[{_UP}][{_LOW}]+(?:['’-][{_UP}]?[{_LOW}]+)*"  # Jean, Jean-Pierre, O'Neil
_CAPS = rf"[{_UP}]{{2,}}(?:['’-][{_UP}]+)*"  # DUPONT, LE-GALL
_PARTICLE = r"(?:de|du|des|le|la|van|von|der|den|da|di|del|d'|l')"
_SURNAME = rf"(?:{_PARTICLE}\s*)?{_CAPS}(?:\s+{_CAPS})?"
_NAME = re.compile(rf"{_TITLE}\s+{_SURNAME}|{_SURNAME}\s*,?\s+{_TITLE}|{_TITLE}\s+(?:{_PARTICLE}\s*)?{_TITLE}"
                   rf"|{_TITLE}\s*,\s*{_TITLE}")
# Words of the study's vocabularies, of hospitals and of prescriptions: a value holding
# one is a centre, a drug or a description, not a person ("CHU Lille", "Rituximab IV").
_NOT_NAMES = frozenset(
    {*TRUE_WORDS, *FALSE_WORDS, *MISSING_WORDS, *SEX_WORDS, *RESPONSE_WORDS, *IFN_WORDS, *EVENT_TYPE_WORDS,
     *CS_DRUG_FACTORS}
    | {"chu", "ch", "chr", "chru", "chi", "chg", "ap", "hp", "aphp", "aphm", "hcl", "ghu", "gh", "hia", "clcc",
       "hopital", "hopitaux", "hospital", "hospitalier", "hospitaliere", "hospices", "centre", "center", "clinique",
       "clinic", "institut", "institute", "universitaire", "university", "universite", "groupe", "group", "service",
       "unite", "unit", "pole", "departement", "department", "medical", "medicale", "general", "generale", "regional",
       "nord", "sud", "est", "ouest", "north", "south", "east", "west", "saint", "sainte", "st", "ste", "site",
       "iv", "sc", "po", "im", "lp", "mg", "ui", "ml", "gn", "hta", "lupus", "acide", "vaccin", "bolus",
       "lupique", "nephropathie", "nephritis", "anticorps", "antibody"})
# A clinical class or antibody ("Classe III", "Stade II", "Anti SSA"): a class word with
# a grade or an antibody's name. Either alone may be a name (Marc GRADE, Vi NGUYEN).
_CLASS_WORDS = frozenset({"classe", "class", "stade", "stage", "grade", "type", "anti", "ac"})
_CLASS_MARKS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "ssa", "ssb", "sm", "rnp", "dna", "adn"})
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# 13 characters and a 2-digit key, spaces, dots or dashes allowed between them.
_NIR = r"(?<![0-9A-Za-z])([1-478](?:[ .-]?[0-9ABab]){14})(?![0-9A-Za-z])"
_NIR_SHAPE = re.compile(r"[1-478]\d{4}(?:\d{2}|2[AB])\d{8}")
_PHONE = (r"(?<![\w+])(?:(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.-]?\d{2}){4}"
          r"|\+[1-9](?:[\s.-]?\d){7,14})(?!\d)")
_STREET = (r"(?i:\b\d{1,4}\s?(?:bis|ter)?\s*,?\s+(?:(?:rue|avenue|bd|boulevard|chemin|impasse|all[ée]e|place"
           r"|route|quai|square|r[ée]sidence|lotissement|lieu[- ]dit|hameau|faubourg|passage)\b|av\.))"
           rf"|\b\d{{1,5}}[A-Za-z]?\s+(?:[{_UP}][\w'.-]*\s+){{1,4}}"
           r"(?i:street|road|avenue|ave|lane|drive|boulevard|blvd|crescent|terrace)\b")
_POSTCODE_CITY = rf"(?:^|,)\s*(?:0[1-9]|[1-8]\d|9[0-8])\d{{3}}\s+[{_UP}][\w'’-]{{2,}}(?:[\s-]+[\w'’-]+)*\s*$"
_FULL_DATE = r"^\s*(?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?)\s*$"
# A date column about something else than birth is not read for birth dates.
_OTHER_DATES = frozenset({"diagnostic", "diagnosis", "diag", "inclusion", "debut", "start", "fin", "end", "visite",
                          "visit", "consultation", "injection", "perfusion", "infusion", "dose", "traitement",
                          "treatment", "initiation", "arret", "stop", "deces", "death", "evenement", "event",
                          "survenue", "onset", "prelevement", "sample", "bilan", "examen", "exam", "admission",
                          "hospitalisation", "sortie", "discharge", "suivi", "randomisation", "consentement",
                          "consent", "saisie", "modification", "greffe", "chirurgie", "surgery"})
_BIRTH_AGE = 16  # the youngest plausible patient, in years; born from 1900


def nir_key(number: str) -> int:
    """The check key of a NIR's first 13 characters: 97 - (number mod 97), with Corsica's
    2A read as 19 and 2B as 18.

    Reference: INSEE, NIR (numéro d'inscription au répertoire), clé de contrôle.
    """
    department = {"2A": "19", "2B": "18"}.get(number[5:7].upper(), number[5:7])
    return 97 - int(number[:5] + department + number[7:13]) % 97


def nir_values(text: pd.Series) -> np.ndarray:
    """Values holding a NIR: sex 1-4, 7 or 8, birth year and month, department (2A, 2B
    for Corsica), commune, order number, and a key that checks (``nir_key``)."""
    found = text.str.extractall(_NIR)
    if found.empty:
        return np.zeros(len(text), dtype=bool)
    compact = found[0].str.replace(r"[ .-]", "", regex=True).str.upper()
    shaped = compact[compact.str.fullmatch(_NIR_SHAPE)]
    valid = shaped[[nir_key(n[:13]) == int(n[13:]) for n in shaped]]  # candidate NIRs only
    return text.index.isin(valid.index.get_level_values(0))


def email_values(text: pd.Series) -> np.ndarray:
    """Values holding an e-mail address (local part, @, a dotted domain)."""
    return text.str.contains(_EMAIL, regex=True).to_numpy(dtype=bool)


def phone_values(text: pd.Series) -> np.ndarray:
    """Values holding a French number (0X XX XX XX XX, +33 X XX XX XX XX, 0033...) or an
    international one in E.164 form (+, country code, 8 to 15 digits in all).

    Reference: ARCEP, plan de numérotation; ITU-T E.164.
    """
    return text.str.contains(_PHONE, regex=True).to_numpy(dtype=bool)


def address_values(text: pd.Series) -> np.ndarray:
    """Values holding a street address (a number then rue, avenue, bd, chemin...; or a
    number, capitalised words and street, road, lane...), or ending in a French postcode
    and a city ("59000 Lille")."""
    return (text.str.contains(_STREET, regex=True) | text.str.contains(_POSTCODE_CITY, regex=True)).to_numpy(dtype=bool)


def name_values(text: pd.Series) -> np.ndarray:
    """Values shaped like a person's name ("Jean DUPONT", "DUPONT Jean", "Jean Dupont",
    "Dupont, Jean") with no word of the study's vocabularies, of hospitals or of
    prescriptions, and not a clinical class ("Classe III", "Anti SSA")."""
    shaped = text.str.strip().str.fullmatch(_NAME).to_numpy(dtype=bool, copy=True)
    words = text[shaped].map(lambda v: set(normalise(v).split("_")))  # name-shaped values only
    shaped[np.flatnonzero(shaped)] = [not (w & _NOT_NAMES or (w & _CLASS_WORDS and w & _CLASS_MARKS)) for w in words]
    return shaped


def birth_date_values(values: pd.Series, today: dt.date | None = None) -> np.ndarray:
    """Values that are a full date (a date cell, d/m/yyyy, m/d/yyyy or yyyy-mm-dd) of a
    plausible birth: from 1900 to ``_BIRTH_AGE`` years before ``today``."""
    last = (today or dt.date.today()).year - _BIRTH_AGE
    is_date = values.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy(dtype=bool)
    years = np.zeros(len(values), dtype=int)
    years[is_date] = [pd.Timestamp(v).year for v in values[is_date]]
    parts = _text(values).str.extract(_FULL_DATE).apply(pd.to_numeric, errors="coerce")
    first, second, year = parts[0].fillna(parts[5]), parts[1].fillna(parts[4]), parts[2].fillna(parts[3])
    low, high = np.fmin(first, second), np.fmax(first, second)
    valid = year.notna() & low.between(1, 12) & high.le(31)  # day and month, in either order
    years = np.where(valid.to_numpy(dtype=bool), year.fillna(0).to_numpy(dtype=int), years)
    return (years >= 1900) & (years <= last)


_CONTENT_RULES = (("nir", nir_values, STRICT_SHARE), ("email", email_values, STRICT_SHARE),
                  ("phone", phone_values, STRICT_SHARE), ("address", address_values, STRICT_SHARE),
                  ("name", name_values, LOOSE_SHARE))


def content_kind(header: str, values: pd.Series) -> str | None:
    """The kind of identifier a column's distinct non-blank values hold, or None."""
    return content_kinds([header], [values])[0]


def content_kinds(headers: Sequence[str], columns: Sequence[pd.Series]) -> list[str | None]:
    """``content_kind`` of many columns (``headers`` as written, in the same order) at
    once: each pattern runs once over all their distinct values, so a table of
    thousands of columns costs a few passes, not thousands. Each column gives the
    distinct values of its first rows: ``SCAN_ROWS``, fewer when the table is wide
    (``SCAN_CELLS`` in all, at least ``MIN_SCAN_ROWS`` each)."""
    n = len(columns)
    if n == 0:
        return []
    rows = min(SCAN_ROWS, max(MIN_SCAN_ROWS, SCAN_CELLS // n))
    parts = [pd.unique(column.to_numpy(dtype=object)[:rows]) for column in columns]
    owner = np.repeat(np.arange(n), [len(p) for p in parts])
    values = pd.Series(np.concatenate(parts), dtype=object)
    text = _text(values)
    blank = (values.isna() | text.fillna("x").str.strip().eq("")
             | text.map(normalise, na_action="ignore").isin(MISSING_WORDS)).to_numpy(dtype=bool)
    values, text, owner = values[~blank].reset_index(drop=True), text[~blank].fillna("").reset_index(drop=True), \
        owner[~blank]
    counts = np.bincount(owner, minlength=n)

    def shares(hits: np.ndarray) -> np.ndarray:
        return np.bincount(owner, weights=hits.astype(float), minlength=n) / np.maximum(counts, 1)

    kinds: list[str | None] = [None] * n
    many = counts >= MIN_DISTINCT
    tests = [(kind, (shares(rule(text)) >= share) & (many if kind == "name" else counts > 0))
             for kind, rule, share in _CONTENT_RULES]
    other_date = np.array([bool(set(normalise(h).split("_")) & _OTHER_DATES) for h in headers])
    tests.append(("birth_date", (shares(birth_date_values(values)) >= LOOSE_SHARE) & many & ~other_date))
    for kind, hit in tests:  # the first kind a column meets, in the order of the rules
        for k in np.flatnonzero(hit):
            kinds[k] = kinds[k] or kind
    return kinds


def _text(values: pd.Series) -> pd.Series:
    """Cells as text: a whole number without ".0" (a NIR typed as a number), no booleans."""
    def one(v: object) -> str | None:
        if isinstance(v, str):
            return v
        if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return None

    return values.map(one).astype(object)
