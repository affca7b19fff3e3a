"""Catalogues and per-locale number formatting (core.i18n)."""
import re
import string

import pytest

from core import i18n
from core.i18n import NNBSP, counted, default_lang, fmt_ci, fmt_count, fmt_int, fmt_num, fmt_p, fmt_pct, note_keys, note_text, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_french_and_english_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("fr")) == set(i18n.catalogue("en"))


def test_french_and_english_texts_use_the_same_placeholders():
    fr, en = i18n.catalogue("fr"), i18n.catalogue("en")
    assert {k: _fields(v) for k, v in fr.items()} == {k: _fields(en[k]) for k in fr}


def test_no_catalogue_text_is_empty():
    assert all(v.strip() for lang in i18n.LANGS for v in i18n.catalogue(lang).values())


def test_t_fills_placeholders():
    assert t("note.small_n", "en", n=4) == "Small sample (n = 4): interpret with care."


def test_t_unknown_key_raises():
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


def test_unknown_language_raises():
    with pytest.raises(ValueError):
        t("app.title", "de")


@pytest.mark.parametrize(
    "locale, lang",
    [("fr", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("FR-be", "fr"), ("en-US", "en"),
     ("de-DE", "en"), ("fy-NL", "en"), ("", "en"), (None, "en")],
)
def test_default_lang_is_french_only_for_french_locales(locale, lang):
    assert default_lang(locale) == lang


@pytest.mark.parametrize(
    "x, lang, expected",
    [(95.4545, "fr", f"95,5{NNBSP}%"), (95.4545, "en", "95.5%"), (4.545, "en", "4.5%"),
     (0.05, "en", "0.1%"), (100, "fr", f"100,0{NNBSP}%"), (None, "fr", "—"),
     (float("nan"), "en", "—")],
)
def test_fmt_pct(x, lang, expected):
    assert fmt_pct(x, lang) == expected


@pytest.mark.parametrize(
    "x, lang, digits, expected",
    # 2.675 is 2.67499... as a float: rounding the written decimal gives 2.68.
    [(2.675, "en", 2, "2.68"), (0.25, "fr", 1, "0,3"), (-0.25, "en", 1, "-0.3"),
     (1234.56, "en", 1, "1,234.6"), (1234.56, "fr", 1, f"1{NNBSP}234,6"),
     (13.5, "fr", 0, "14"), (7, "en", 1, "7.0"), (None, "en", 1, "—"),
     (float("inf"), "en", 1, "—"), (-0.04, "en", 1, "0.0")],
)
def test_fmt_num_rounds_half_up_with_locale_separators(x, lang, digits, expected):
    assert fmt_num(x, lang, digits) == expected


@pytest.mark.parametrize(
    "n, lang, expected",
    [(175530, "en", "175,530"), (175530, "fr", f"175{NNBSP}530"), (22, "fr", "22"), (0, "en", "0"),
     ("< 5", "en", "< 5"), ("masqué", "fr", "masqué")],
)
def test_fmt_int_writes_a_lone_count_with_the_separator_and_a_masked_one_as_it_is(n, lang, expected):
    assert fmt_int(n, lang) == expected


@pytest.mark.parametrize(
    "n, N, pct, lang, expected",
    [(21, 22, 95.4545, "fr", f"21/22 (95,5{NNBSP}%)"), (21, 22, 95.4545, "en", "21/22 (95.5%)"),
     (0, 0, None, "fr", "0/0")],
)
def test_fmt_count(n, N, pct, lang, expected):
    assert fmt_count(n, N, pct, lang) == expected


def test_french_percentages_never_use_a_plain_space():
    assert not re.search(r"\d %", fmt_count(1, 3, 33.333, "fr"))


def test_every_result_note_has_a_translation():
    keys = note_keys()
    assert keys and all(key in i18n.catalogue(lang) for key in keys.values() for lang in i18n.LANGS)


def test_note_text_translates_a_stats_note():
    from core.stats import NOTE_SMALL_N

    assert note_text(NOTE_SMALL_N, "fr") == f"n < 5{NNBSP}: interpréter avec prudence"


def test_note_text_gives_nothing_for_a_note_it_cannot_translate():
    # Notes are fixed codes; anything else may be user text and is never shown.
    assert note_text("![x](http://example.org/t.png)", "fr") == ""


def test_note_text_translates_the_unknown_drug_note():
    from core.scoring import NOTE_UNKNOWN_DRUG

    assert note_text(NOTE_UNKNOWN_DRUG, "fr").startswith("Corticoïde non reconnu")


@pytest.mark.parametrize(
    "low, high, lang, text",
    [(65.7, 96.7, "en", "95% CI 65.7 to 96.7"), (65.7, 96.7, "fr", f"IC 95{NNBSP}% 65,7 à 96,7"),
     (51.84, 86.85, "en", "95% CI 51.8 to 86.9"), (None, 3.0, "en", ""), (float("nan"), 3.0, "fr", "")],
)
def test_fmt_ci_is_one_form_per_language_and_empty_without_bounds(low, high, lang, text):
    assert fmt_ci(low, high, lang) == text


@pytest.mark.parametrize(
    "p, lang, text",
    [(0.5, "en", "p = 0.500"), (0.0065, "fr", "p = 0,007"), (0.001, "en", "p = 0.001"), (0.0009, "en", "p < 0.001"),
     (0.0004, "fr", "p < 0,001"), (None, "en", "—"), (float("nan"), "fr", "—")],
)
def test_fmt_p_three_decimals_with_a_floor_and_a_dash_without_test(p, lang, text):
    assert fmt_p(p, lang) == text


# French typography: a narrow no-break space before a colon, a semicolon and a sentence's
# ? or !, and inside guillemets (``?`` alone is also a missing-value word); a plain
# space there, or none before a colon or semicolon (as English writes them), is wrong.
_FRENCH_BREAKS = re.compile(r" [:;»]|« | [?!](?=$|\)| [A-ZÀ-Ý])|[\w)»%][:;](?= |$)")


def test_french_texts_never_break_a_line_before_their_punctuation():
    loose = {k: v for k, v in i18n.catalogue("fr").items() if _FRENCH_BREAKS.search(v)}
    assert loose == {}


def test_french_texts_keep_a_space_before_their_punctuation():
    fr = i18n.catalogue("fr")
    assert fr["chart.aria.titled"] == f"{{what}} «{NNBSP}{{title}}{NNBSP}»"
    assert f"{NNBSP}: " in fr["biology.analysed"]
    assert f"une faute de frappe{NNBSP}?)" in " ".join(fr.values())
    assert "NC et ? sont" in " ".join(fr.values())  # a word here, not a question mark


@pytest.mark.parametrize(("n", "noun", "lang", "text"), [
    (1, "pairs", "en", "1 pair"), (0, "pairs", "en", "0 pairs"), (0, "pairs", "fr", "0 paire"),
    (2, "events", "fr", "2 événements"), (1, "unchanged", "fr", "1 inchangée"), ("< 5", "patients", "fr", "< 5 patients"),
    (4812, "patients", "fr", "4\u202f812 patients"),
])
def test_a_count_takes_its_noun_in_the_number_it_needs(n, noun, lang, text):
    assert counted(n, noun, lang) == text
