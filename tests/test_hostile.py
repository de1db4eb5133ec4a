"""Hostile text stays inert: formula and DDE payloads are strings in the workbook and plain text
in the brief; XML special characters survive the round trip; sheet names are made safe."""

from __future__ import annotations

import copy
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kmo_export.cli import main

from .builders import valid_dataset, write_dataset
from .conftest import ooxml_problems


def build(dataset: Path, out: Path, *extra: str) -> dict[str, Path]:
    """Run ``kmo-export build``; fail with its output unless it exits 0; the outputs by suffix."""
    result = CliRunner().invoke(main, ["build", str(dataset), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return {p.suffix.lstrip("."): p for p in out.iterdir() if p.suffix in (".xlsx", ".docx")}


# -- the payloads ---------------------------------------------------------------------------------

# (as written in the dataset, as the loader keeps it: outer whitespace stripped, CR -> LF)
PAYLOADS = [
    ("=1+2", "=1+2"),
    ("+32 2 552 11 11", "+32 2 552 11 11"),
    ("-5 % op de begroting", "-5 % op de begroting"),
    ("@SUM(A1:A3)", "@SUM(A1:A3)"),
    ("\t=2+2", "=2+2"),
    ("\r=3+3", "=3+3"),
    ('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")'),
    ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    (
        '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
        '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    ),
    ("{=1+1}", "{=1+1}"),
    ("<b>&amp; \"quoted\" 'single' & < > </b>", "<b>&amp; \"quoted\" 'single' & < > </b>"),
    ("]]> <![CDATA[ x ]]>", "]]> <![CDATA[ x ]]>"),
    ("_x0041_ stays _x0041_", "_x0041_ stays _x0041_"),
    ("tab\tinside and\r\nCRLF inside", "tab\tinside and\nCRLF inside"),
    ("\u202eevil.exe RTL override", "\u202eevil.exe RTL override"),
    ("emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
]
EXPECTED = [kept for _, kept in PAYLOADS]
# Marks of a payload that must never turn up inside a formula, a field or a link.
DANGER = re.compile(r"HYPERLINK|cmd|DDE|calc|http://x", re.IGNORECASE)


def hostile_dataset() -> dict[str, Any]:
    """Every text field a renderer may show carries payloads; numbers stay valid."""
    counts = [10 + i for i in range(len(PAYLOADS))]
    amounts = [Decimal(f"{1000 + i}.5{i % 10}") for i in range(len(PAYLOADS))]
    data = valid_dataset(
        [(raw, c, a) for (raw, _), c, a in zip(PAYLOADS, counts, amounts, strict=True)]
    )
    data["subject"] = PAYLOADS[6][0]
    data["asked_by"] = PAYLOADS[7][0]
    data["addressed_to"] = {"name": PAYLOADS[0][0], "title": PAYLOADS[10][0]}
    data["introduction"] = [raw for raw, _ in PAYLOADS[:4]]
    for i, item in enumerate(data["questions"]):
        item["paragraphs"] = [PAYLOADS[(4 * i + k) % len(PAYLOADS)][0] for k in range(4)]
    for i, item in enumerate(data["answers"]):
        item["paragraphs"] = [PAYLOADS[(4 * i + 2 + k) % len(PAYLOADS)][0] for k in range(4)]
    table = data["answers"][2]["tables"][0]
    table["caption"] = PAYLOADS[8][0]
    table["columns"][0]["label"] = "=Thema"
    table["columns"][1]["label"] = "+Aantal"
    table["columns"][2]["label"] = "@Subsidie <€>"
    table["total"]["label"] = "=SUM(B1:B9)"
    table["notes"] = [PAYLOADS[7][0], PAYLOADS[12][0]]
    for size, raw in zip(
        data["key_figures"]["usage"]["sizes"], ("=kleine", "-middel"), strict=True
    ):
        size["label"] = raw
    return data


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    dataset = write_dataset(folder / "hostile.yaml", hostile_dataset())
    return build(dataset, folder / "out")


def test_the_loader_keeps_payloads_as_text(tmp_path):
    from kmo_export.loader import load

    dataset = load(write_dataset(tmp_path / "hostile.yaml", hostile_dataset()))
    table = dataset.answer(3).tables[0]
    assert [r.label for r in table.rows] == EXPECTED
    assert dataset.subject == EXPECTED[6] and dataset.asked_by == EXPECTED[7]


# -- the workbook ---------------------------------------------------------------------------------


def _cells(path: Path):
    import openpyxl

    workbook = openpyxl.load_workbook(path)  # formulas as formulas, not cached values
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell


def test_workbook_is_valid_ooxml(hostile_outputs):
    assert ooxml_problems(hostile_outputs["xlsx"]) == ""


def test_payloads_are_strings_in_the_workbook(hostile_outputs):
    strings: dict[str, list[str]] = {}
    for title, cell in _cells(hostile_outputs["xlsx"]):
        if cell.data_type == "s":
            strings.setdefault(cell.value, []).append(f"{title}!{cell.coordinate}")
    missing = [label for label in EXPECTED if label not in strings]
    assert not missing, f"theme labels not found as text cells: {missing}"


def test_no_formula_carries_a_payload(hostile_outputs):
    formulas = [(t, c) for t, c in _cells(hostile_outputs["xlsx"]) if c.data_type == "f"]
    assert formulas, "the workbook holds no formula to check"
    for title, cell in formulas:
        formula = str(getattr(cell.value, "text", cell.value))
        assert not DANGER.search(formula), f"{title}!{cell.coordinate}: {formula}"
        assert formula not in EXPECTED, f"{title}!{cell.coordinate}: {formula}"


def test_no_payload_reaches_formula_xml_links_or_dde(hostile_outputs):
    with zipfile.ZipFile(hostile_outputs["xlsx"]) as package:
        names = package.namelist()
        assert not [n for n in names if "externalLink" in n or "connections" in n]
        for name in names:
            if not name.endswith((".xml", ".rels")):
                continue
            text = package.read(name).decode("utf-8")
            for formula in re.findall(r"<(?:\w+:)?f(?:\s[^>]*)?>(.*?)</(?:\w+:)?f>", text, re.S):
                assert not DANGER.search(formula), f"{name}: formula {formula!r}"
            if name.endswith(".rels"):
                assert "http://x" not in text, f"{name} links to the payload's URL"
                assert 'TargetMode="External"' not in text or "http://x" not in text


# -- the brief ------------------------------------------------------------------------------------


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    parts += [document.core_properties.title or "", document.core_properties.subject or ""]
    return "\n".join(parts)


def test_brief_is_valid_ooxml(hostile_outputs):
    assert ooxml_problems(hostile_outputs["docx"]) == ""


def test_brief_shows_question_and_answer_text_verbatim(hostile_outputs):
    import docx

    document = docx.Document(str(hostile_outputs["docx"]))
    paragraphs = [p.text for p in document.paragraphs]
    data = hostile_dataset()
    texts = [p for item in data["questions"] + data["answers"] for p in item["paragraphs"]]
    kept = dict(PAYLOADS)
    for raw in texts:
        expected = kept[raw]
        # A paragraph of the dataset is one paragraph of the brief, or its lines are (a line
        # break inside the text may become a <w:br/>, which python-docx reads back as "\n").
        assert expected in paragraphs or expected in "\n".join(paragraphs), (
            f"{expected!r} not in the brief"
        )
    full = _docx_text(hostile_outputs["docx"])
    assert EXPECTED[6] in full, "the subject (a HYPERLINK payload) is not in the brief as text"


def test_brief_table_labels_verbatim(hostile_outputs):
    import docx

    document = docx.Document(str(hostile_outputs["docx"]))
    assert document.tables, "the brief holds no table"
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    missing = [label for label in EXPECTED if label not in cells]
    assert not missing, f"theme labels not verbatim in a table of the brief: {missing}"


def test_brief_has_no_fields_or_links_from_payloads(hostile_outputs):
    with zipfile.ZipFile(hostile_outputs["docx"]) as package:
        for name in package.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            text = package.read(name).decode("utf-8")
            for instruction in re.findall(r"<w:instrText[^>]*>(.*?)</w:instrText>", text, re.S):
                assert not DANGER.search(instruction), f"{name}: field {instruction!r}"
            for instruction in re.findall(r'<w:fldSimple[^>]*w:instr="([^"]*)"', text):
                assert not DANGER.search(instruction), f"{name}: field {instruction!r}"
            if name.endswith(".rels"):
                assert "http://x" not in text, f"{name} links to the payload's URL"


# -- sheet names ----------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _second_table(data: dict[str, Any], table_id: str, caption: str) -> None:
    table = copy.deepcopy(data["answers"][2]["tables"][0])
    table["id"] = table_id
    table["caption"] = caption
    data["answers"][2]["tables"].append(table)


def test_sheet_names_are_made_safe(tmp_path):
    # Table ids name sheets and Excel tables: 31 characters at most, unique ignoring case, never
    # "History"; captions hold the characters sheet names cannot.
    data = valid_dataset()
    first = data["answers"][2]["tables"][0]
    first["id"] = "a" * 31 + "_projects_per_theme_2019"
    first["caption"] = "Per thema: [projecten] / subsidie * ? \\ 'quoted'"
    _second_table(data, "a" * 31 + "_subsidy_per_theme_2019", "Per thema: subsidie?")
    _second_table(data, "History", "'History'")
    outputs = build(write_dataset(tmp_path / "sheets.yaml", data), tmp_path / "out")
    import openpyxl

    names = openpyxl.load_workbook(outputs["xlsx"], read_only=True).sheetnames
    assert len({n.casefold() for n in names}) == len(names), names
    for name in names:
        assert 1 <= len(name) <= 31, name
        assert not _SHEET_FORBIDDEN.search(name), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.casefold() != "history", name
    assert ooxml_problems(outputs["xlsx"]) == ""
