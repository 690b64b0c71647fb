"""The LLM backend through the service: `handoff extract --backend` and `POST /v1/sow/extractions?backend=`.

The CLI and the API build their own openai client from settings, so the model
here is a real OpenAI-compatible server on a loopback port, answering from a script.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.settings import Settings
from tests.extraction.llm_fakes import (
    NO_NOTES,
    SECRET_KEY,
    Reply,
    ScriptedLLM,
    answer,
    billing,
    http_error,
    serve_on_loopback,
)

SOW = """STATEMENT OF WORK

1. Fees
The fixed fee for the Services is $45,000.
Invoices are payable within forty-five (45) days of receipt.

2. Renewal
This SOW renews automatically for successive 12-month terms unless either party gives 90 days notice.
"""
RENEWAL = {
    "type": "auto_renewal",
    "summary": "Renews automatically.",
    "quote": "This SOW renews automatically for successive 12-month terms unless either party gives "
    "90 days notice.",
    "page": 1,
}
PROBLEM = "https://handoff.dev/problems/"


def scripted_sow_server(**overrides: list[Reply]) -> ScriptedLLM:
    script: dict[str, list[Reply]] = {
        "billing": [
            answer(
                billing(
                    total_fee=(45000, "The fixed fee for the Services is $45,000", 1),
                    payment_terms_days=(45, "payable within forty-five (45) days", 1),
                ),
                tokens_in=500,
                tokens_out=80,
            )
        ],
        "clauses": [answer({"clauses": [RENEWAL]}, tokens_in=600, tokens_out=50)],
        "risk_notes": [answer(NO_NOTES, tokens_in=300, tokens_out=5)],
    }
    script.update(overrides)
    return ScriptedLLM(script)


@pytest.fixture
def llm_server() -> Iterator[tuple[ScriptedLLM, str]]:
    server = scripted_sow_server()
    with serve_on_loopback(server) as url:
        yield server, url


def with_llm(settings: Settings, url: str, **extra: Any) -> Settings:
    # A model name of the test's own keeps the process-wide answer cache from serving another test.
    update = {"llm_base_url": url, "llm_model": f"test-{uuid.uuid4().hex[:8]}", "llm_api_key": SECRET_KEY}
    update.update(extra)
    return Settings(**{**settings.model_dump(), **update})


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _client(settings: Settings) -> Iterator[TestClient]:
    from service.app import create_app

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_llm_without_a_server_is_a_503_problem(client: TestClient, make_api_key: Any) -> None:
    response = client.post(
        "/v1/sow/extractions?backend=llm", json={"text": SOW}, headers=auth(make_api_key("engine"))
    )
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == PROBLEM + "backend-unavailable"
    assert "HANDOFF_LLM_BASE_URL" in problem["detail"] or "LLM server" in problem["detail"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_hybrid_without_a_server_is_the_local_result_with_a_warning(
    client: TestClient, make_api_key: Any
) -> None:
    response = client.post(
        "/v1/sow/extractions?backend=hybrid", json={"text": SOW}, headers=auth(make_api_key("engine"))
    )
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result["model"]["backend"] == "local"
    assert any("hybrid backend" in w and "local result" in w for w in result["warnings"])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_api_llm_backend_extracts_grounded_values_and_opens_reviews(
    settings: Settings, make_api_key: Any, llm_server: tuple[ScriptedLLM, str]
) -> None:
    server, url = llm_server
    for client in _client(with_llm(settings, url)):
        response = client.post(
            "/v1/sow/extractions?backend=llm", json={"text": SOW}, headers=auth(make_api_key("engine"))
        )
    assert response.status_code == 201, response.text
    body = response.json()
    result = body["result"]
    assert result["model"]["backend"] == "llm"
    assert result["billing"]["total_fee"]["value"] == 45000
    evidence = result["billing"]["total_fee"]["evidence"][0]
    assert SOW[evidence["start"] : evidence["end"]] == evidence["quote"]
    assert result["model"]["llm"]["tokens_in"] == 1400 and result["model"]["llm"]["tokens_out"] == 135
    renewal = next(c for c in result["clauses"] if c["type"] == "auto_renewal")
    assert renewal["nonstandard"] and renewal["route"] == "legal"
    assert body["reviews"], "the playbook's finding opens a review item"
    assert server.headers[0]["authorization"] == f"Bearer {SECRET_KEY}"
    assert SECRET_KEY not in response.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("failure", "deadline"), [(http_error(401), 30.0), (http_error(500), 0.2)])
def test_api_provider_failure_degrades_to_local_never_500(
    settings: Settings, make_api_key: Any, failure: Reply, deadline: float
) -> None:
    server = ScriptedLLM({"billing": [failure], "clauses": [failure], "risk_notes": [failure]})
    with serve_on_loopback(server) as url:
        for client in _client(with_llm(settings, url, llm_deadline_seconds=deadline)):
            response = client.post(
                "/v1/sow/extractions?backend=hybrid", json={"text": SOW}, headers=auth(make_api_key("engine"))
            )
    assert response.status_code == 201, response.text
    result = response.json()["result"]
    assert result["model"]["backend"] == "local"
    assert any("hybrid backend unavailable" in w for w in result["warnings"])
    assert SECRET_KEY not in response.text


@pytest.fixture
def sow_file(tmp_path: Path) -> Path:
    path = tmp_path / "sow.txt"
    path.write_text(SOW, encoding="utf-8")
    return path


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    import service.cli.extract as extract_command

    # The clause model is not what these tests are about; training a default one takes a minute.
    monkeypatch.setattr(extract_command, "load_clause_model", lambda settings, **_: (None, None))
    for name in ("HANDOFF_LLM_BASE_URL", "HANDOFF_LLM_MODEL", "HANDOFF_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    return CliRunner()


@pytest.mark.parametrize("backend", ["llm"])
def test_cli_llm_without_a_server_fails_in_one_line(cli: CliRunner, sow_file: Path, backend: str) -> None:
    from service.cli import app

    result = cli.invoke(app, ["extract", str(sow_file), "--backend", backend, "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "HANDOFF_LLM_BASE_URL" in lines[0] and "backend-unavailable" in lines[0]


@pytest.mark.parametrize("backend", ["hybrid"])
def test_cli_hybrid_without_a_server_is_local_with_a_warning(
    cli: CliRunner, sow_file: Path, backend: str
) -> None:
    from service.cli import app

    result = cli.invoke(app, ["extract", str(sow_file), "--backend", backend, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["model"]["backend"] == "local"
    assert any("hybrid backend" in w for w in document["warnings"])


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_cli_extract_with_a_server(
    cli: CliRunner, sow_file: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    from service.cli import app

    server = scripted_sow_server()
    with serve_on_loopback(server) as url:
        monkeypatch.setenv("HANDOFF_LLM_BASE_URL", url)
        monkeypatch.setenv("HANDOFF_LLM_MODEL", f"test-{uuid.uuid4().hex[:8]}")
        monkeypatch.setenv("HANDOFF_LLM_API_KEY", SECRET_KEY)
        result = cli.invoke(app, ["extract", str(sow_file), "--backend", backend, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["model"]["backend"] == backend
    assert document["billing"]["total_fee"]["value"] == 45000
    assert document["model"]["llm"]["prompts"] == {"billing": "1", "clauses": "1", "risk_notes": "1"}
    assert server.count() == 3
    assert SECRET_KEY not in result.stdout and SECRET_KEY not in result.stderr


@pytest.mark.parametrize("cache", ["memory", "folder", "none"])
def test_build_llm_backend_is_shared_per_configuration(tmp_path: Path, cache: str) -> None:
    from extraction.errors import BackendUnavailableError
    from extraction.llm import FolderCache, MemoryCache
    from service.llm import build_llm_backend, resolve_llm_backend

    base = Settings(home=tmp_path, llm_cache=cache)
    assert build_llm_backend(base) is None
    assert resolve_llm_backend("local", base) == (None, [])
    assert resolve_llm_backend("hybrid", base)[0] is None and resolve_llm_backend("hybrid", base)[1]
    with pytest.raises(BackendUnavailableError, match="HANDOFF_LLM_BASE_URL"):
        resolve_llm_backend("llm", base)
    configured = with_llm(base, "http://127.0.0.1:9/v1", llm_max_concurrency=3)
    backend = build_llm_backend(configured)
    assert backend is not None and backend is build_llm_backend(configured)
    assert backend.config.max_concurrency == 3
    other_key = Settings(**{**configured.model_dump(), "llm_api_key": "sk-another"})
    assert build_llm_backend(other_key) is not backend
    expected = {"memory": MemoryCache, "folder": FolderCache, "none": type(None)}[cache]
    assert isinstance(backend.cache, expected)
    assert SECRET_KEY not in repr(backend) and SECRET_KEY not in str(backend.config)


@pytest.mark.parametrize("backend", ["llm"])
def test_cli_extract_table_shows_the_llm_audit(
    cli: CliRunner, sow_file: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    from service.cli import app

    server = scripted_sow_server()
    with serve_on_loopback(server) as url:
        monkeypatch.setenv("HANDOFF_LLM_BASE_URL", url)
        monkeypatch.setenv("HANDOFF_LLM_MODEL", f"test-{uuid.uuid4().hex[:8]}")
        result = cli.invoke(app, ["extract", str(sow_file), "--backend", backend])
    assert result.exit_code == 0, result.stderr
    assert "1400 tokens in, 135 out, 3 calls; dropped 0 of 3 proposed values" in " ".join(
        result.stdout.split()
    )
