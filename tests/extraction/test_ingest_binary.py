"""Binary files are not text: executables, archives, databases and control-character soup are
refused as unsupported media (library, ``handoff extract`` and HTTP), while text in UTF-16,
cp1252 or latin-1 is still read as text."""

from __future__ import annotations

import codecs
import gzip
import io
import sqlite3
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from extraction.errors import UnsupportedMediaError
from extraction.ingest import describe_bytes, ingest

PROBLEM = "https://handoff.dev/problems/"


def _dos_executable() -> bytes:
    # The DOS header of a PE file: 'MZ', the page counts, the stub and the PE offset at 0x3C.
    header = bytearray(64)
    header[0:2] = b"MZ"
    struct.pack_into("<HHHHH", header, 2, 0x90, 3, 0, 4, 0)
    struct.pack_into("<H", header, 0x10, 0xFFFF)
    struct.pack_into("<H", header, 0x12, 0xB8)
    struct.pack_into("<I", header, 0x3C, 0x80)
    stub = b"\x0e\x1f\xba\x0e\x00\xb4\t\xcd!\xb8\x01L\xcd!This program cannot be run in DOS mode.\r\r\n$"
    return bytes(header) + stub.ljust(64, b"\x00") + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 18


def _elf() -> bytes:
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\x00" * 8
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0)


def _sqlite(tmp: Path) -> bytes:
    path = tmp / "rates.db"
    with sqlite3.connect(path) as db:
        db.execute("create table rates (role text, rate real)")
        db.execute("insert into rates values ('Partner', 450.0)")
    return path.read_bytes()


def _zip_of_csv() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("rates.csv", "role,rate\nPartner,450\n")
    return buffer.getvalue()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _gif() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (8, 8)).save(buffer, format="GIF")
    return buffer.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def _ole_header() -> bytes:
    # The compound-file header of a .doc/.xls: signature, minor/major version, byte order, sector shift.
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
        + b"\x00" * 480
    )


# Not text: what it is, and the words the error should name it by.
BINARIES: list[tuple[str, Callable[[Path], bytes], str]] = [
    ("audit MZ prefix", lambda _: b"MZ\x90\x00", "Windows executable"),
    ("DOS/PE executable", lambda _: _dos_executable(), "Windows executable"),
    ("ELF executable", lambda _: _elf(), "ELF"),
    ("PNG image", lambda _: _png(), "PNG"),
    ("JPEG image", lambda _: _jpeg(), "JPEG"),
    ("GIF image", lambda _: _gif(), "GIF"),
    ("ZIP of a CSV", lambda _: _zip_of_csv(), "ZIP archive"),
    ("gzip", lambda _: gzip.compress(b"Fees are payable net 30.\n" * 20), "gzip"),
    ("OLE2 .doc", lambda _: _ole_header(), ".doc"),
    ("SQLite database", _sqlite, "SQLite"),
    ("NUL bytes", lambda _: b"Fees: \x00\x01\x02\x00 net 30" * 8, "NUL"),
    ("control characters", lambda _: bytes(range(1, 9)) * 40 + b"net 30", "control characters"),
]


@pytest.mark.parametrize(("what", "make", "named"), BINARIES, ids=[b[0] for b in BINARIES])
def test_binary_is_unsupported_media_whatever_it_is_called(
    what: str, make: Callable[[Path], bytes], named: str, tmp_path: Path
) -> None:
    data = make(tmp_path)
    for filename, media_type in (
        ("a.exe", "application/octet-stream"),
        ("notes.txt", "text/plain"),
        (None, None),
    ):
        with pytest.raises(UnsupportedMediaError) as caught:
            ingest(data, filename=filename, media_type=media_type)
        assert named.lower() in str(caught.value).lower(), (what, str(caught.value))
        assert caught.value.slug in ("unsupported-media", "mislabelled-media")


def test_a_binary_named_pdf_says_what_it_really_is() -> None:
    with pytest.raises(UnsupportedMediaError, match=r"Windows executable.*not a PDF"):
        ingest(_dos_executable(), filename="sow.pdf")


LATIN = "Honorários: 1.250,00 não incluídos; à vista."
SOW = "Fees: €1.250,00 – payable net 30. Café “Zürich” ﬁnal."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF16_LE + SOW.encode("utf-16-le"), SOW),
        (codecs.BOM_UTF16_BE + SOW.encode("utf-16-be"), SOW),
        (SOW.encode("utf-16-le"), SOW),
        (SOW.encode("utf-16-be"), SOW),
        (codecs.BOM_UTF8 + SOW.encode("utf-8"), SOW),
        (SOW.replace("ﬁ", "fi").encode("cp1252"), SOW.replace("ﬁ", "fi")),
        (
            "Honorários: 1.250,00 não incluídos; à vista.".encode("latin-1"),
            "Honorários: 1.250,00 não incluídos; à vista.",
        ),
        # Text that starts like a magic number, with Word's optional hyphen and a DOS end mark.
        (b"MZ Consulting Ltd\nBM Partners\nFees are pay\x1fable net 30.\x1a", None),
        (b"Page one of the SOW.\n\x0cPage two: fees net 30.\n", None),
    ],
)
def test_text_in_other_encodings_is_still_text(data: bytes, expected: str | None) -> None:
    assert describe_bytes(data) == "plain text"
    document = ingest(data, filename="a.exe", media_type="application/octet-stream")
    assert document.info.media_type == "text/plain"
    text = "\n".join(page.text for page in document.pages)
    if expected is not None:
        assert expected.replace("ﬁ", "fi") in text.replace("ﬁ", "fi")
    else:
        assert "net 30" in text


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    import service.cli.extract as command

    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(command, "load_clause_model", lambda settings, **_: (None, None))
    return CliRunner()


@pytest.mark.parametrize(
    ("name", "make", "named"),
    [
        ("a.exe", lambda: b"MZ\x90\x00", "Windows executable"),
        ("rates.txt", _elf, "ELF"),
        ("scan.bin", _png, "PNG"),
    ],
)
def test_cli_extract_refuses_binary_with_one_line_and_a_nonzero_exit(
    runner: CliRunner, tmp_path: Path, name: str, make: Callable[[], bytes], named: str
) -> None:
    from service.cli import app

    path = tmp_path / name
    path.write_bytes(make())
    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "unsupported-media" in lines[0]


def test_cli_extract_still_reads_utf16_text(runner: CliRunner, tmp_path: Path) -> None:
    from service.cli import app

    path = tmp_path / "sow.txt"
    path.write_bytes("Fees. The total fee is $12,000. Invoices are payable net 15.\n".encode("utf-16"))
    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"total_fee"' in result.stdout


def _stored(session_factory: sessionmaker[Session]) -> tuple[int, int]:
    from service.db.models import DocumentRow, ExtractionRow

    with session_factory() as db:
        return (
            db.scalar(select(func.count()).select_from(DocumentRow)) or 0,
            db.scalar(select(func.count()).select_from(ExtractionRow)) or 0,
        )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("name", "make", "named"),
    [
        ("a.exe", lambda: b"MZ\x90\x00", "Windows executable"),
        ("a.exe", _dos_executable, "Windows executable"),
        ("data.bin", lambda: gzip.compress(b"x" * 100), "gzip"),
        ("legacy.doc", _ole_header, ".doc"),
    ],
)
def test_http_upload_of_binary_is_415_unsupported_media_and_stores_nothing(
    client: TestClient,
    make_api_key: Any,
    session_factory: sessionmaker[Session],
    name: str,
    make: Callable[[], bytes],
    named: str,
) -> None:
    key = make_api_key("engine")
    response = client.post(
        "/v1/sow/extractions",
        files={"file": (name, make(), "application/octet-stream")},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 415, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == PROBLEM + "unsupported-media"
    assert named in body["detail"]
    assert _stored(session_factory) == (0, 0)
