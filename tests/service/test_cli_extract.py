"""``handoff extract``: JSON and table output, and one line on stderr with a non-zero exit for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from service.cli import app

SOW = "Fees. The total fee is $12,000. Invoices are payable net 15.\nThe Services commence on May 4, 2026.\n"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    import service.cli.extract as command

    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    # The model seam: no registry and no training in these tests; clauses are covered elsewhere.
    monkeypatch.setattr(command, "load_clause_model", lambda settings: (None, None))
    return CliRunner()


def test_extract_json_with_text(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sow.txt"
    path.write_text(SOW)
    result = runner.invoke(app, ["extract", str(path), "--format", "json", "--include-text"])
    assert result.exit_code == 0, result.output
    body: dict[str, Any] = json.loads(result.stdout)
    assert body["billing"]["total_fee"]["value"] == 12000.0
    evidence = body["billing"]["payment_terms_days"]["evidence"][0]
    assert (
        body["pages"][evidence["page"] - 1]["text"][evidence["start"] : evidence["end"]] == evidence["quote"]
    )


def test_extract_table(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sow.txt"
    path.write_text(SOW)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "total_fee" in result.stdout and "12000.0" in result.stdout


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("fake.pdf", b"plain text pretending", "mislabelled-media"),
        ("blank.txt", b"   ", "empty-document"),
        ("sow.docx", b"not a zip", "corrupt-document"),
    ],
)
def test_extract_bad_input_fails_with_one_line(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0]


def test_extract_missing_file_and_llm_without_server(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.pdf")])
    assert missing.exit_code != 0 and "no such file" in missing.stderr
    path = tmp_path / "sow.txt"
    path.write_text(SOW)
    llm = runner.invoke(app, ["extract", str(path), "--backend", "llm"])
    assert llm.exit_code != 0 and len(llm.stderr.strip().splitlines()) == 1
