"""Import of published texts (issue 6) and the layouts real text extraction produces (issue 9)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kmo_export.analysis import TableAnalysis
from kmo_export.errors import ImportTextError
from kmo_export.importer import import_source, import_text, parse_text
from kmo_export.loader import load

from .conftest import BUNDLED, SEED_TEXT, needs_libreoffice, soffice_convert
from .import_support import data_tables

TEXTS = Path(__file__).parent / "import_texts"
D = Decimal


def _import(tmp_path: Path, text_file: Path, name: str = "imported.yaml"):
    target = tmp_path / name
    result = import_source(text_file, target)
    assert result.target == target
    return load(target)


def _table(dataset, answer: int, index: int = 0):
    found = dataset.answer(answer)
    assert found is not None
    return found.tables[index]


def _rows(table) -> list[tuple]:
    return [(r.label, *r.values) for r in table.rows]


# -- round trip of the seed ------------------------------------------------------------------


def _same_dataset(imported, bundled) -> None:
    assert imported.number == bundled.number
    assert imported.date == bundled.date
    assert imported.asked_by == bundled.asked_by
    assert imported.addressed_to.name == bundled.addressed_to.name
    # The source writes the title in capitals; the bundled file has it in the house style.
    assert imported.addressed_to.title.casefold() == bundled.addressed_to.title.casefold()
    assert imported.subject == bundled.subject
    assert imported.introduction == bundled.introduction
    assert imported.questions == bundled.questions
    assert len(imported.answers) == len(bundled.answers)
    for mine, theirs in zip(imported.answers, bundled.answers, strict=True):
        assert mine.number == theirs.number
        assert mine.paragraphs == theirs.paragraphs
        assert len(mine.tables) == len(theirs.tables)
        for a, b in zip(mine.tables, theirs.tables, strict=True):
            assert (a.id, a.caption, a.notes) == (b.id, b.caption, b.notes)
            # Format 2 gives a measure's label without its unit ("Toegekende subsidie").
            assert [(c.key, c.type, c.unit, c.decimals) for c in a.columns] == [
                (c.key, c.type, c.unit, c.decimals) for c in b.columns
            ]
            assert [c.label for c in a.columns] == [c.label.removesuffix(" (€)") for c in b.columns]
            assert (a.total_label, a.reported_total) == (b.total_label, b.reported_total)
            assert [(r.label, r.values, r.level) for r in a.rows] == [
                (r.label, r.values, r.level) for r in b.rows
            ]
    assert imported.key_figures == bundled.key_figures


def test_seed_round_trip(tmp_path, bundled_dataset):
    imported = _import(tmp_path, SEED_TEXT)
    _same_dataset(imported, bundled_dataset)
    # The title casing rule gives the bundled file's title exactly.
    assert imported.addressed_to.title == bundled_dataset.addressed_to.title
    assert imported.source.publisher == "Vlaams Parlement"
    # No local path that would end up on a cover sheet; a URL only when one is given.
    assert imported.source.text is None and imported.source.url is None


def test_seed_yaml_is_stable_and_plain():
    """The same text gives the same YAML, byte for byte; figures are plain decimals."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    produced = import_text(text, str(SEED_TEXT))
    assert produced == import_text(text, str(SEED_TEXT))
    assert "e+" not in produced and "E+" not in produced
    assert "format: 2\n" in produced
    assert "subsidy: 7029304.65}" in produced and "projects: 173053" in produced


def test_build_from_imported_seed_gives_same_figures(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from kmo_export.build import BuildOptions, build

    dataset_path = tmp_path / "kmo-portefeuille-2019.yaml"
    import_source(SEED_TEXT, dataset_path)
    ours = build(dataset_path, BuildOptions(output_dir=tmp_path / "ours"))
    # The reference: the bundled dataset in format 2, without the average format 1 implied
    # (format 2 shows only the averages a dataset declares, and the published text declares
    # none, so the import declares none either).
    from kmo_export.upgrade import upgrade

    reference_path = tmp_path / "reference" / BUNDLED.name
    reference_path.parent.mkdir()
    upgrade(BUNDLED, reference_path)
    upgraded = reference_path.read_text(encoding="utf-8")
    declared = "          derived:\n            - key: average\n              divide: [subsidy, projects]\n"
    assert declared in upgraded
    reference_path.write_text(upgraded.replace(declared, ""), encoding="utf-8")
    theirs = build(reference_path, BuildOptions(output_dir=tmp_path / "theirs"))
    by_suffix = {w.path.suffix: w.path for w in ours.outputs}
    reference = {w.path.suffix: w.path for w in theirs.outputs}

    def cells(path: Path) -> dict[str, list]:
        wb = load_workbook(path, data_only=False)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}

    mine_cells, their_cells = cells(by_suffix[".xlsx"]), cells(reference[".xlsx"])
    assert mine_cells.keys() == their_cells.keys()
    for sheet, grid in their_cells.items():
        # Text may differ in the minister's title (case) and the source (no local path in an
        # import, so one line less on the cover); figures may not.
        numbers = [v for row in grid for v in row if isinstance(v, int | float)]
        assert [
            v for row in mine_cells[sheet] for v in row if isinstance(v, int | float)
        ] == numbers

    def figures(path: Path) -> list[str]:
        import re

        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            texts += [c.text for row in table.rows for c in row.cells]
        return [m for t in texts for m in re.findall(r"\d[\d.,]*", t)]

    assert figures(by_suffix[".docx"]) == figures(reference[".docx"])
    # And independently of the renderers: the stated total is the sum of the imported rows.
    table = _table(load(dataset_path), 4)
    assert sum(r.values[1] for r in table.rows) == D("56813023.08") == table.reported_total[1]
    assert sum(r.values[0] for r in table.rows) == 173053 == table.reported_total[0]


def test_import_cli_writes_dataset(tmp_path):
    from click.testing import CliRunner

    from kmo_export.cli import main

    target = tmp_path / "new.yaml"
    result = CliRunner().invoke(main, ["import", str(SEED_TEXT), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert load(target).number == 835


# -- the layouts of issue 9 -------------------------------------------------------------------


def test_one_cell_per_line(tmp_path):
    dataset = _import(tmp_path, TEXTS / "cell_per_line.txt")
    table = _table(dataset, 1)
    assert [c.label for c in table.columns] == ["Provincie", "Aantal cheques", "Bedrag"]
    assert [c.type.value for c in table.columns] == ["label", "count", "amount"]
    assert table.columns[2].unit == "EUR" and table.columns[2].decimals == 2
    assert _rows(table) == [
        ("Antwerpen", 1204, D("301000.50")),
        ("Limburg", 655, D("163750.00")),
        ("Oost-Vlaanderen", 980, D("245000.25")),
        ("Vlaams-Brabant", 512, D("128000.00")),
        ("West-Vlaanderen", 731, D("182750.75")),
    ]
    assert table.total_label == "Totaal"
    assert table.reported_total == (4082, D("1020501.50"))
    assert not TableAnalysis(table).failed_total_checks
    assert dataset.asked_by == "Ann De Maere"
    assert dataset.date == dt.date(2023, 3, 3)


def test_header_broken_mid_word_over_two_lines_and_on_the_previous_page(tmp_path):
    dataset = _import(tmp_path, TEXTS / "header_layouts.txt")
    # The header block with nr. / van / datum: lines and a one-line ANTWOORD heading.
    assert (dataset.number, dataset.date) == (45, dt.date(2024, 2, 14))
    assert dataset.asked_by == "Pieter-Jan Van den Broeck"
    assert dataset.addressed_to.name == "Zuhal Demir"
    assert dataset.addressed_to.title == (
        "Vlaams minister van Justitie en Handhaving, Omgeving, Energie en Toerisme"
    )
    broken = _table(dataset, 1)
    assert [c.label for c in broken.columns] == [
        "Type premie",
        "Aantal uitbetaalde premies",
        "Uitbetaald bedrag",
    ]
    assert _rows(broken)[0] == ("Dakisolatie", 1250, D("1875000.00"))
    assert broken.reported_total == (1895, D("3917500.00"))
    two_lines = _table(dataset, 2)
    assert [c.label for c in two_lines.columns] == ["Regio", "Aantal dossiers", "Aandeel"]
    assert two_lines.columns[2].type.value == "percent"
    assert _rows(two_lines) == [("Vlaanderen", 3400, D("85.0")), ("Brussel", 600, D("15.0"))]
    assert two_lines.reported_total is None
    next_page = _table(dataset, 3)
    assert [c.label for c in next_page.columns] == [
        "Jaar",
        "Budget",
        "Uitgaven",
    ]
    data = parse_text((TEXTS / "header_layouts.txt").read_text(encoding="utf-8"))
    measures = data_tables(data)[2]["measures"]
    assert {(m["unit"], m["multiplier"]) for m in measures} == {("EUR", "million")}
    assert _rows(next_page) == [
        ("2022", D("12.5"), D("11.8")),
        ("2023", D("14.0"), D("13.9")),
        ("2024", D("15.5"), D("9.1")),
    ]


def test_page_numbers_running_headers_and_blank_lines_inside_a_table(tmp_path):
    text = (TEXTS / "page_furniture.txt").read_text(encoding="utf-8")
    data = parse_text(text, "page_furniture.txt")
    skipped = [t for _, t in data["_skipped"]]
    assert skipped.count("Vlaams Parlement - Schriftelijke vraag 301") == 3
    assert {"- 2 -", "3", "Pagina 4"} <= set(skipped)
    dataset = _import(tmp_path, TEXTS / "page_furniture.txt")
    table = _table(dataset, 1)
    assert [r.label for r in table.rows] == [
        "Aalst",
        "Brugge",
        "Genk",
        "Gent",
        "Hasselt",
        "Kortrijk",
        "Leuven",
    ]
    assert table.reported_total == (36, D("1369500.00"))
    assert table.computed_totals == table.reported_total
    # What was left out is written in the dataset's header comment.
    written = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    assert "left out as page furniture: line" in written and "'Pagina 4'" in written


def test_euro_sign_before_after_glued_and_on_its_own_line(tmp_path):
    dataset = _import(tmp_path, TEXTS / "euro_signs.txt")
    first = _table(dataset, 1)
    assert [c.type.value for c in first.columns] == ["label", "count", "amount"]
    assert _rows(first) == [
        ("Antwerpen", 12, D("4500000.00")),
        ("Limburg", 7, D("2100000.50")),
        ("Oost-Vlaanderen", 9, D("3250000.25")),
        ("West-Vlaanderen", 4, D("1000000.00")),
    ]
    assert first.reported_total == (32, D("10850000.75"))
    own_line = _table(dataset, 2)
    assert own_line.columns[1].unit == "EUR"
    assert _rows(own_line) == [("WZC De Linde", D("250000.00")), ("WZC Ter Beke", D("175500.50"))]
    assert own_line.reported_total == (D("425500.50"),)


def test_two_cells_on_a_line_value_beside_wrapped_label_and_labels_with_digits(tmp_path):
    dataset = _import(tmp_path, TEXTS / "cells_and_labels.txt")
    table = _table(dataset, 1)
    assert _rows(table) == [
        ("Antwerpen", 12, D("3600000.00")),
        ("Vlaams-Brabant en het Brussels Hoofdstedelijk Gewest", 8, D("2400000.00")),
        ("Limburg", 5, D("1500000.00")),
    ]
    codes = _table(dataset, 2)
    assert _rows(codes) == [
        ("5425: Bedrijfsleiders", 14, D("28000.00")),
        ("5426: Zelfstandigen in bijberoep", 9, D("13500.00")),
        ("2025 (31/10)", 3, D("4500.00")),
        ("2024", 21, D("31500.00")),
    ]
    assert codes.reported_total == (47, D("77500.00"))


def test_several_tables_captions_and_totals_without_some_values(tmp_path):
    dataset = _import(tmp_path, TEXTS / "totals_and_tables.txt")
    answer = dataset.answer(1)
    assert answer is not None and len(answer.tables) == 2
    by_type, by_year = answer.tables
    data = parse_text((TEXTS / "totals_and_tables.txt").read_text(encoding="utf-8"))
    assert [(t.get("number"), t["caption"]) for t in data_tables(data)] == [
        ("1a", "Premies per type"),
        ("1b", "Premies per jaar"),
    ]
    assert by_type.caption == "Premies per type"
    # "Aandeel (%)" is each type's share of the count: declared, so no output sums it.
    assert data_tables(data)[0]["measures"][2]["share_of"] == "aantal"
    assert by_type.value_columns[2].share_of == "aantal"
    assert by_type.id != by_year.id
    assert [c.type.value for c in by_type.value_columns] == ["count", "amount", "percent"]
    assert by_type.total_label == "TOTAAL"
    assert by_type.reported_total == (496, D("4040000.00"), None)
    assert sum(r.values[2] for r in by_type.rows) == D("100.0")
    assert by_year.total_label == "Total"
    assert by_year.reported_total == (496, None)
    assert by_year.computed_totals == (496, D("4040000.00"))
    # Text after a table stays a paragraph of the answer.
    assert answer.paragraphs[-1] == "De cijfers voor 2024 zijn nog niet volledig."


def test_pivot_layout_gets_levels_and_is_not_double_counted(tmp_path):
    dataset = _import(tmp_path, TEXTS / "pivot.txt")
    table = _table(dataset, 1)
    assert [c.label for c in table.columns] == ["Rijlabels", "Aantal plaatsen", "Subsidie"]
    levels = [(r.label, r.level) for r in table.rows]
    assert levels == [
        ("Antwerpen", 0),
        ("Mechelen", 1),
        ("Turnhout", 1),
        ("Limburg", 0),
        ("Genk", 1),
        ("Oost-Vlaanderen", 0),
        ("Gent", 1),
        ("Sint-Amandsberg", 2),
        ("Gentbrugge", 2),
        ("Aalst", 1),
    ]
    top = [r for r in table.rows if r.level == 0]
    assert sum(r.values[0] for r in top) == 365 == table.reported_total[0]
    assert sum(r.values[1] for r in top) == D("1825000.00") == table.reported_total[1]
    assert table.computed_totals == table.reported_total


def test_decimal_point_decided_by_the_stated_total(tmp_path):
    dataset = _import(tmp_path, TEXTS / "decimal_point.txt")
    table = _table(dataset, 1)
    # "38.500" in a column with decimal commas: only 38.5 makes the rows add up to 2.189,25.
    assert table.rows[1].values[0] == D("38.5")
    assert table.columns[1].decimals == 2
    # "38.0" has a point that cannot be a thousands separator: 38, never 380.
    assert table.rows[0].values[1] == D("38.0")
    assert table.computed_totals == table.reported_total


def test_decimal_point_refused_without_a_total():
    path = TEXTS / "decimal_point_refused.txt"
    with pytest.raises(ImportTextError) as info:
        parse_text(path.read_text(encoding="utf-8"), str(path))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: line 19: ")
    assert message.endswith(": 'Gent 38.500 41,5'")
    assert "38500" in message and "38.500" in message


def test_bullet_glyphs_and_answers_without_tables(tmp_path):
    assert "\uf0b7" in (TEXTS / "bullets.txt").read_text(encoding="utf-8")
    dataset = _import(tmp_path, TEXTS / "bullets.txt")
    first = dataset.answer(1)
    assert first is not None and first.tables == ()
    assert first.paragraphs == (
        "De criteria zijn:",
        "• artistieke kwaliteit;",
        "• zakelijke werking, met een sluitende meerjaren-begroting;",
        "• spreiding over Vlaanderen.",
    )
    assert all("\uf0b7" not in p for a in dataset.answers for p in a.paragraphs)
    # "312 aanvragen ... 44,9%." in running text is no table.
    assert dataset.answer(2).tables == ()
    assert dataset.introduction == ("Cultuurorganisaties vragen duidelijkheid over de criteria.",)
    assert dataset.addressed_to.title.startswith("Minister-president van de Vlaamse Regering, ")


# -- errors -------------------------------------------------------------------------------------


def _seed_with(old: str, new: str) -> str:
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if fragment in line)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "what"),
    [
        ("IT 9.683 4.540.584,42", "IT 9.683 4.540.584,42 12 99,5", "IT 9.683", "more figures"),
        (
            "HR 4.150 2.305.218,74",
            "HR 4.150 2.305,218,74",
            "HR 4.150",
            "not a number in Belgian format",
        ),
        ("Boekhouding 3.019 550.320,03", "3.019 550.320,03", "3.019 550.320,03", "label"),
    ],
)
def test_unreadable_table_line_is_named(old, new, fragment, what):
    text = _seed_with(old, new)
    with pytest.raises(ImportTextError) as info:
        parse_text(text, "vraag.txt")
    message = str(info.value)
    line = _line_of(text, fragment)
    assert message.startswith(f"vraag.txt: line {line}: "), message
    assert what in message
    assert message.endswith(f": '{text.split(chr(10))[line - 1].strip()}'")
    assert "\n" not in message


def test_missing_answer_heading_is_an_error():
    text = _seed_with("ANTWOORD \n", "")
    with pytest.raises(ImportTextError, match=r"line \d+: no answer found"):
        parse_text(text, "vraag.txt")


def test_missing_addressee_is_an_error():
    text = _seed_with(" aan HILDE CREVITS", "Aan de minister")
    with pytest.raises(
        ImportTextError, match=r"vraag.txt: line 1: expected the minister .*: 'Aan de minister'"
    ):
        parse_text(text, "vraag.txt")


def test_bad_files(tmp_path):
    missing = tmp_path / "nothing.txt"
    with pytest.raises(ImportTextError, match="no such file"):
        import_source(missing, tmp_path / "out.yaml")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("aan X\nfinanciën".encode("latin-1"))
    with pytest.raises(ImportTextError, match=r"line 2: is not UTF-8"):
        import_source(latin, tmp_path / "out.yaml")
    fake = tmp_path / "fake.pdf"
    fake.write_text("not a pdf", encoding="utf-8")
    with pytest.raises(ImportTextError, match="is not a PDF"):
        import_source(fake, tmp_path / "out.yaml")
    assert not (tmp_path / "out.yaml").exists()


def test_failed_import_keeps_existing_target(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("keep me", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(_seed_with("ANTWOORD \n", ""), encoding="utf-8")
    with pytest.raises(ImportTextError):
        import_source(bad, target)
    assert target.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_key_figures_fail_soft():
    text = _seed_with("hebben 69.215 ondernemingen beroep gedaan", "werd de portefeuille gebruikt")
    data = parse_text(text, "vraag.txt")
    assert "enterprises" not in data["key_figures"]
    assert data["key_figures"]["usage"]["sizes"][0]["maximum"] == D("10000")
    text = _seed_with("Het gaat dus op", "Dat is")
    text = text.replace("gemiddeld", "ongeveer")
    data = parse_text(text, "vraag.txt")
    assert "usage" not in data["key_figures"]


# -- PDF ----------------------------------------------------------------------------------------


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_made_by_libreoffice_imports_like_the_text(tmp_path, bundled_dataset):
    text = tmp_path / "schriftelijke-vraag-835-2020.txt"
    shutil.copyfile(SEED_TEXT, text)
    pdf = soffice_convert(text, "pdf", tmp_path, recalc=False)
    dataset = _import(tmp_path, pdf, "from-pdf.yaml")
    _same_dataset(dataset, bundled_dataset)
