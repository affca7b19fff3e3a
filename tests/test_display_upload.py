"""Data page display (core.display.upload): the table of how each column was read."""
from __future__ import annotations

from core.display.upload import readings_frame, readings_lines
from core.readings import EXTRA, FIELD, FILTER, UNUSED, ColumnReading

READINGS = [
    ColumnReading("cohort.xlsx", "Feuil1", "Réponse cutanée M6", FIELD, "cutaneous_response", 6, "visits"),
    ColumnReading("cohort.xlsx", "Feuil1", "**Groupe**", FILTER, table="patients"),
    ColumnReading("cohort.xlsx", "Feuil1", "Note", EXTRA, table="patients", reason="rare_value"),
    ColumnReading("notes.csv", None, "foo", UNUSED, reason="unrecognised_table"),
]


def test_frame_has_one_row_per_column_with_translated_headers():
    frame = readings_frame(READINGS, "en")
    assert frame.columns.tolist() == ["File", "Sheet", "Column as written", "Read as", "Table", "Why"]
    assert frame.iloc[0].tolist() == ["cohort.xlsx", "Feuil1", "Réponse cutanée M6", "Cutaneous response, M6",
                                      "Visits", ""]


def test_frame_reads_in_french():
    frame = readings_frame(READINGS, "fr")
    assert frame["Lue comme"].tolist() == [
        "Réponse cutanée, M6", "Colonne supplémentaire, proposée comme filtre",
        "Colonne supplémentaire, pas un filtre", "Non utilisée"]
    assert frame["Table"].tolist() == ["Visites", "Patients", "Patients", ""]


def test_frame_keeps_user_headers_as_written_and_a_csv_has_no_sheet():
    frame = readings_frame(READINGS, "en")
    assert frame["Column as written"].tolist()[1] == "**Groupe**"
    assert frame["Sheet"].tolist()[3] == ""
    assert frame["Why"].tolist()[3].startswith("the sheet or file was not recognised")


def test_command_line_lines_count_statuses_and_list_columns_not_read_as_fields():
    lines = readings_lines(READINGS, "en")
    assert lines[0] == "Columns (4): read as fields 1; extra, offered as filters 1; extra, not filters 1; not used 1"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "  cohort.xlsx [Feuil1], column '**Groupe**'", "  cohort.xlsx [Feuil1], column 'Note'",
        "  notes.csv, column 'foo'"]


def test_no_readings_print_nothing():
    assert readings_lines([], "fr") == []


def test_identifiers_frame_lists_flagged_columns_in_french():
    from core.display.upload import identifiers_frame
    from core.loader import load_cohort

    csv = "patient_id,sex,age,Nom,Notes\nP1,F,40,Dupont,a@b.fr\nP2,M,50,Martin,c@d.fr\n".encode()
    frame = identifiers_frame(load_cohort([("p.csv", csv)]).report, "fr")
    assert frame.to_dict("records") == [
        {"Fichier": "p.csv", "Feuille": "", "Colonne telle qu'écrite": "Nom", "Semble contenir": "noms de patients",
         "Repérée par": "son en-tête"},
        {"Fichier": "p.csv", "Feuille": "", "Colonne telle qu'écrite": "Notes", "Semble contenir": "adresses e-mail",
         "Repérée par": "ses valeurs"}]
