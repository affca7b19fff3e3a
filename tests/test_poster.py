"""The demo study's poster metadata (core.poster)."""
import pytest

from core.poster import load_poster


@pytest.mark.parametrize(
    "lang, title",
    [("fr", "Anifrolumab dans le lupus systémique\u202f: expérience en vie réelle"),
     ("en", "Anifrolumab in systemic lupus erythematosus: real-world experience")],
)
def test_title_is_in_the_requested_language(lang, title):
    assert load_poster(lang)["title"] == title


def test_both_languages_have_the_same_fields():
    assert load_poster("fr").keys() == load_poster("en").keys()


def test_perspectives_are_the_posters_three_bullets():
    assert load_poster("fr")["perspectives"][0].startswith("Études longitudinales")
    assert len(load_poster("en")["perspectives"]) == 3


def test_shared_fields_are_copied_into_each_language():
    poster = load_poster("en")
    assert (poster["drug"], poster["centre_names"], poster["synthetic_data"]) == (
        "anifrolumab", ["CHU Lille", "CH Boulogne-sur-Mer"], True)


def test_centres_text_is_the_languages_sentence():
    assert load_poster("fr")["centres"].startswith("Services de médecine interne")


def test_synthetic_note_is_in_the_requested_language():
    assert "synthetic" in load_poster("en")["note"]
    assert "synthétiques" in load_poster("fr")["note"]


def test_changing_the_returned_dict_does_not_change_the_next_one():
    load_poster("en")["perspectives"].clear()
    assert len(load_poster("en")["perspectives"]) == 3


def test_unknown_language_raises():
    with pytest.raises(ValueError):
        load_poster("de")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_editable_texts_read_back_unchanged(lang):
    from core.poster import EDITABLE, apply_edits, edit_text

    poster = load_poster(lang)
    assert apply_edits(poster, {field: edit_text(poster, field, lang) for field in EDITABLE}, lang) == poster


@pytest.mark.parametrize(("lang", "first"), [("fr", "LS : Lupus systémique"), ("en", "SLE: Systemic lupus erythematosus")])
def test_abbreviations_are_edited_in_the_languages_punctuation(lang, first):
    # The French field's label asks for "ABRÉV : signification"; it showed "LS: Lupus systémique".
    from core.poster import edit_text

    assert edit_text(load_poster(lang), "abbreviations", lang).splitlines()[0] == first


def test_edits_replace_their_fields_only():
    from core.poster import apply_edits

    poster = load_poster("en")
    edited = apply_edits(poster, {"title": "  New title ", "authors": "A. Martin\n\n B. Durand",
                                  "introduction": "One\nTwo", "abbreviations": "SLE: lupus: systemic\nGN"})
    assert (edited["title"], edited["authors"]) == ("New title", ["A. Martin", "B. Durand"])
    assert edited["introduction"] == {"heading": poster["introduction"]["heading"], "bullets": ["One", "Two"]}
    assert edited["abbreviations"] == [{"abbr": "SLE", "meaning": "lupus: systemic"}, {"abbr": "GN", "meaning": ""}]
    assert edited["perspectives"] == poster["perspectives"]
    assert load_poster("en")["title"] == poster["title"]


def test_edit_of_an_unknown_field_raises():
    from core.poster import apply_edits

    with pytest.raises(ValueError):
        apply_edits({}, {"drug": "x"})
