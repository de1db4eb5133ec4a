"""Bounded reading: nothing blocks, nothing unpacks without limit, no entity is resolved, and
what a file holds is named by what it is (UTF-16, a FIFO, a ZIP bomb)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kmo_export.cli import main

from ..builders import valid_dataset, write_dataset
from .test_limits import assert_clean

TIMEOUT = 60  # seconds: far more than any case needs; a hang fails instead of blocking CI


def kmo(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run kmo-export in its own process, with a time limit (a FIFO would block in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "kmo_export", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


def file_table_dataset(folder: Path, rows_file: str, **extra) -> Path:
    """A valid dataset whose theme table is read from ``rows_file``."""
    data = valid_dataset()
    table = data["answers"][2]["tables"][0]
    table.pop("rows")
    table.pop("total")
    table["rows_file"] = rows_file
    table.update(extra)
    return write_dataset(folder / "table.yaml", data)


CSV = "theme,projects,subsidy\nIT,10,100.50\nTaal,5,20.00\n"


def xlsx_bytes(parts: dict[str, bytes]) -> bytes:
    """A minimal workbook package with the given parts replacing the normal ones."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>theme</t>'
        b'</is></c><c r="B1" t="inlineStr"><is><t>projects</t></is></c><c r="C1" t="inlineStr">'
        b'<is><t>subsidy</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>IT</t></is>'
        b'</c><c r="B2"><v>10</v></c><c r="C2"><v>100.5</v></c></row></sheetData></worksheet>'
    )
    base = {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    base.update(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in base.items():
            package.writestr(name, data)
    return buffer.getvalue()


def test_the_minimal_workbook_is_read(tmp_path):
    (tmp_path / "t.xlsx").write_bytes(xlsx_bytes({}))
    dataset = file_table_dataset(tmp_path, "t.xlsx")
    result = CliRunner().invoke(main, ["check", str(dataset)])
    assert result.exit_code == 0, result.output


# -- non-regular files are refused before they are read -------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_as_dataset_table_source_and_template(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = kmo("check", str(fifo))
    assert result.returncode == 1 and "is a FIFO (named pipe)" in result.stderr
    csv_fifo = tmp_path / "pipe.csv"
    os.mkfifo(csv_fifo)
    result = kmo("check", str(file_table_dataset(tmp_path, "pipe.csv")))
    assert result.returncode == 1 and "pipe.csv' is not a file" in result.stderr
    result = kmo("import", str(csv_fifo), "-o", str(tmp_path / "x.yaml"))
    assert result.returncode == 1 and "is a FIFO" in result.stderr
    template = tmp_path / "t.docx"
    os.mkfifo(template)
    good = write_dataset(tmp_path / "good.yaml", valid_dataset())
    result = kmo("build", str(good), "-o", str(tmp_path / "out"), "--template", str(template))
    assert result.returncode == 1 and "is a FIFO" in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_as_a_device():
    result = kmo("check", "/dev/zero")
    assert result.returncode == 1
    assert "/dev/zero: is a device" in result.stderr


# -- size limits, documented and overridable ---------------------------------------------------


def test_a_dataset_beyond_its_size_limit_names_the_variable(tmp_path):
    dataset = write_dataset(tmp_path / "big.yaml", valid_dataset())
    with dataset.open("a", encoding="utf-8") as stream:
        stream.write("# " + "x" * (2 << 20) + "\n")
    result = CliRunner(env={"KMO_EXPORT_MAX_DATASET_MB": "1"}).invoke(main, ["check", str(dataset)])
    assert result.exit_code == 1
    assert "the most read for a dataset (set KMO_EXPORT_MAX_DATASET_MB" in result.stderr
    assert CliRunner().invoke(main, ["check", str(dataset)]).exit_code == 0


def test_an_import_text_beyond_its_limit_is_refused_without_parsing(tmp_path):
    source = tmp_path / "huge.txt"
    source.write_text("Totaal 1\n" * (2 << 17), encoding="utf-8")  # 2.25 MiB
    result = CliRunner(env={"KMO_EXPORT_MAX_SOURCE_MB": "1"}).invoke(
        main, ["import", str(source), "-o", str(tmp_path / "x.yaml")]
    )
    assert result.exit_code == 1
    assert "KMO_EXPORT_MAX_SOURCE_MB" in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_yaml_aliases_that_expand_exponentially_are_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kmo("check", str(bomb))
    assert result.returncode == 1
    assert "aliases (*name) repeat more than" in result.stderr


def test_a_few_aliases_are_still_read(tmp_path):
    data = valid_dataset()
    text = write_dataset(tmp_path / "a.yaml", data).read_text(encoding="utf-8")
    text = text.replace("asked_by: Kurt Vanryckeghem", "asked_by: &who Kurt Vanryckeghem", 1)
    text = text.replace("  name: Hilde Crevits", "  name: *who", 1)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "a.yaml")])
    assert result.exit_code == 0, result.output


# -- table workbooks: bombs, entities, damage -> "not a readable workbook", file named ----------


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_parsing(tmp_path):
    strings = b"<sst>" + b"<si><t>" + b"x" * (3 << 20) + b"</t></si></sst>"
    (tmp_path / "bomb.xlsx").write_bytes(xlsx_bytes({"xl/sharedStrings.xml": strings}))
    assert (tmp_path / "bomb.xlsx").stat().st_size < 100_000  # it is a bomb: small packed
    dataset = file_table_dataset(tmp_path, "bomb.xlsx")
    result = CliRunner(env={"KMO_EXPORT_MAX_UNZIPPED_MB": "2"}).invoke(
        main, ["check", str(dataset)]
    )
    assert result.exit_code == 1
    assert (
        f"Error: {tmp_path / 'bomb.xlsx'}: the table file is not a readable workbook"
        in result.stderr
    )
    assert "KMO_EXPORT_MAX_UNZIPPED_MB" in result.stderr


@pytest.mark.parametrize(
    "payload",
    [
        # an entity bomb ("billion laughs")
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        b"&lol2;</t></is></c></row></sheetData></worksheet>",
        # an external entity naming a secret file
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///SECRET">]><worksheet '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData></worksheet>',
    ],
    ids=["entity-bomb", "external-entity"],
)
def test_a_workbook_declaring_entities_is_refused_and_nothing_resolved(tmp_path, payload):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE\n", encoding="utf-8")
    payload = payload.replace(b"file:///SECRET", secret.as_uri().encode())
    (tmp_path / "evil.xlsx").write_bytes(xlsx_bytes({"xl/worksheets/sheet1.xml": payload}))
    result = CliRunner().invoke(main, ["check", str(file_table_dataset(tmp_path, "evil.xlsx"))])
    assert result.exit_code == 1
    assert "the table file is not a readable workbook" in result.stderr
    assert "declares a DTD or an entity" in result.stderr
    assert "TOP-SECRET" not in result.output
    assert_clean(result.output)


@pytest.mark.parametrize(
    "damage",
    [
        lambda good: good[: len(good) // 2],  # truncated
        lambda good: good.replace(b"PK\x03\x04", b"PK\x03\x05", 1),  # damaged header
        lambda good: xlsx_bytes({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"}),
        lambda good: xlsx_bytes({"xl/workbook.xml": b"not xml at all"}),
        lambda good: b"",
    ],
    ids=["truncated", "damaged-header", "truncated-xml", "workbook-not-xml", "empty"],
)
def test_a_damaged_workbook_is_not_a_readable_workbook(tmp_path, damage):
    (tmp_path / "bad.xlsx").write_bytes(damage(xlsx_bytes({})))
    result = CliRunner().invoke(main, ["check", str(file_table_dataset(tmp_path, "bad.xlsx"))])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(
        f"Error: {tmp_path / 'bad.xlsx'}: the table file is not a readable workbook"
    )
    assert "BytesIO" not in result.output and "object at 0x" not in result.output
    assert_clean(result.output)


# -- encodings: UTF-16 is named as UTF-16 --------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named_as_utf16_for_every_input(tmp_path, encoding):
    text = write_dataset(tmp_path / "d.yaml", valid_dataset()).read_text(encoding="utf-8")
    (tmp_path / "d16.yaml").write_bytes(text.encode(encoding))
    (tmp_path / "t.csv").write_bytes(CSV.encode(encoding))
    (tmp_path / "s.txt").write_bytes("SCHRIFTELIJKE VRAAG\nnr. 1\n".encode(encoding))
    checks = [
        ["check", str(tmp_path / "d16.yaml")],
        ["check", str(file_table_dataset(tmp_path, "t.csv"))],
        ["import", str(tmp_path / "s.txt"), "-o", str(tmp_path / "s.yaml")],
    ]
    for args in checks:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1
        assert "is UTF-16 text; save it as UTF-8" in result.stderr, result.stderr


# -- a symlinked table file may not leave the dataset's folder ------------------------------------


def test_a_table_file_linked_from_outside_the_folder_is_refused_unread(tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "passwords.csv").write_text("root:SECRET-FIRST-LINE\n", encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "t.csv").symlink_to(outside / "passwords.csv")
    result = CliRunner().invoke(main, ["check", str(file_table_dataset(folder, "t.csv"))])
    assert result.exit_code == 1
    assert "is a symbolic link to a file outside the dataset's folder" in result.stderr
    assert "SECRET" not in result.output


def test_a_table_file_linked_inside_the_folder_is_read(tmp_path):
    folder = tmp_path / "data"
    (folder / "tables").mkdir(parents=True)
    (folder / "tables" / "real.csv").write_text(CSV, encoding="utf-8")
    (folder / "t.csv").symlink_to(folder / "tables" / "real.csv")
    result = CliRunner().invoke(main, ["check", str(file_table_dataset(folder, "t.csv"))])
    assert result.exit_code == 0, result.output


# -- line numbers stay right after Unicode line breaks -----------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_line_numbers_ignore_unicode_line_breaks_in_strings(tmp_path, separator):
    data = valid_dataset()
    data["introduction"] = [f"een{separator}twee", f"drie{separator}vier"]
    text = write_dataset(tmp_path / "d.yaml", data).read_text(encoding="utf-8")
    text = text.replace("subsidy: 5942507.37", "subsidy: veel", 1)
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    # A cell's problem names the line of the value itself.
    expected = next(i for i, line in enumerate(text.split("\n"), 1) if "subsidy: veel" in line)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "d.yaml")])
    assert result.exit_code == 1
    assert f"(line {expected}): must be a number" in result.stderr, result.stderr


def test_csv_line_numbers_ignore_unicode_line_breaks_in_cells(tmp_path):
    (tmp_path / "t.csv").write_text(
        "theme,projects,subsidy\r\nIT\u2028x,10,100.50\r\nTaal\u0085y,veel,20.00\r\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(file_table_dataset(tmp_path, "t.csv"))])
    assert result.exit_code == 1
    assert "(line 3): must be a number" in result.stderr, result.stderr


def pdf_bomb(path: Path) -> Path:
    """A one-page PDF whose content stream unpacks from 200 KB to 200 MiB."""
    import zlib

    content = b"BT /F1 12 Tf 72 720 Td (Hallo) Tj ET\n" + b" " * (200 << 20)
    data = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_a_pdf_decompression_bomb_is_refused(tmp_path):
    bomb = pdf_bomb(tmp_path / "bomb.pdf")
    assert bomb.stat().st_size < 1 << 20
    result = kmo("import", str(bomb), "-o", str(tmp_path / "bomb.yaml"))
    assert result.returncode == 1
    assert "not a readable PDF (a stream unpacks to more than pypdf's limit)" in result.stderr
    assert "internal error" not in result.stderr
    assert not (tmp_path / "bomb.yaml").exists()
