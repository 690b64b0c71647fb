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
    monkeypatch.setattr(command, "load_clause_model", lambda settings, **_: (None, None))
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


def test_extract_without_a_registry_reads_rules_only_and_creates_no_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import service.cli.extract as command

    home = tmp_path / "home"
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    asked: list[bool] = []

    def no_clause_model(settings: Any, *, registry: bool = True) -> tuple[None, None]:
        asked.append(registry)
        return None, None

    monkeypatch.setattr(command, "load_clause_model", no_clause_model)
    path = tmp_path / "sow.txt"
    path.write_text(SOW)
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert asked == [False]
    assert not (home / "mlflow" / "mlflow.db").exists()
    assert "billing-fill" not in result.stderr
    assert json.loads(result.stdout)["model"]["versions"].get("billing-fill") is None


def test_extract_with_an_empty_registry_warns_that_billing_is_rules_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.settings import Settings

    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    settings = Settings()
    database = Path(settings.resolved_mlflow_uri.removeprefix("sqlite:///"))
    database.parent.mkdir(parents=True)
    database.touch()  # a store exists, but nothing is registered in it
    import service.cli.extract as command

    assert command.registry_exists(settings)
    model, version = command.load_billing_fill(settings)
    assert (model, version) == (None, None)
    assert "no billing-fill champion" in capsys.readouterr().err
