"""The core commands: db upgrade, keys create/list/revoke/ensure-admin, reviews list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from service.auth import authenticate
from service.cli import app
from service.db.session import make_engine, make_session_factory
from service.reviews.service import open_review


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """An empty HANDOFF_HOME (nothing migrated yet) on the test database."""
    return {"HANDOFF_HOME": str(tmp_path / "home"), "HANDOFF_DATABASE_URL": database_url}


def run(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env=env)


def test_keys_create_on_an_empty_home_prints_one_json_document(
    cli_env: dict[str, str], database_url: str
) -> None:
    result = run(cli_env, "keys", "create", "--role", "legal", "--name", "Ann in legal", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert set(document) == {"id", "key", "role", "name"}
    assert document["role"] == "legal" and document["name"] == "Ann in legal"
    engine = make_engine(database_url)
    with make_session_factory(engine)() as db:
        principal = authenticate(db, document["key"])
    engine.dispose()
    assert principal is not None and principal.key_id == document["id"] and principal.role == "legal"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("keys", "create", "--role", "wizard", "--name", "x"), "unknown role"),
        (("keys", "create", "--role", "legal", "--name", "  "), "non-empty name"),
        (("keys", "revoke", "key_missing"), "no API key"),
    ],
)
def test_bad_input_fails_with_one_line_on_stderr(
    cli_env: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    result = run(cli_env, *args)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_list_and_revoke(cli_env: dict[str, str]) -> None:
    created = json.loads(
        run(cli_env, "keys", "create", "--role", "engine", "--name", "bpm", "--format", "json").stdout
    )
    listed = json.loads(run(cli_env, "keys", "list", "--format", "json").stdout)["items"]
    assert [(k["id"], k["revoked_at"]) for k in listed] == [(created["id"], None)]
    assert created["key"] not in json.dumps(listed)
    revoked = run(cli_env, "keys", "revoke", created["id"], "--format", "json")
    assert revoked.exit_code == 0 and json.loads(revoked.stdout)["revoked_at"]
    listed = json.loads(run(cli_env, "keys", "list", "--format", "json").stdout)["items"]
    assert listed[0]["revoked_at"] is not None


def test_ensure_admin_creates_only_the_first_time(cli_env: dict[str, str]) -> None:
    first = json.loads(run(cli_env, "keys", "ensure-admin", "--format", "json").stdout)
    second = json.loads(run(cli_env, "keys", "ensure-admin", "--format", "json").stdout)
    assert first["created"] is True and first["role"] == "admin" and first["key"].startswith("hk_")
    assert second == {"created": False}
    plain = run(cli_env, "keys", "ensure-admin")
    assert plain.exit_code == 0 and "hk_" not in plain.stdout


def test_reviews_list(cli_env: dict[str, str], database_url: str) -> None:
    assert run(cli_env, "db", "upgrade").exit_code == 0
    engine = make_engine(database_url)
    with make_session_factory(engine)() as db:
        for route in ("legal", "finance"):
            open_review(
                db,
                kind="manual",
                route=route,
                severity="low",
                title=f"for {route}",
                rule=None,
                finding={},
                subject={"type": "sow", "id": "S-1"},
                model_version=None,
                actor="key_test",
            )
        db.commit()
    engine.dispose()
    page = json.loads(run(cli_env, "reviews", "list", "--route", "finance", "--format", "json").stdout)
    assert [item["title"] for item in page["items"]] == ["for finance"] and page["next_cursor"] is None
    table = run(cli_env, "reviews", "list")
    assert table.exit_code == 0 and "for legal" in table.stdout and "for finance" in table.stdout
    bad = run(cli_env, "reviews", "list", "--cursor", "garbage")
    assert bad.exit_code != 0 and bad.stderr.startswith("handoff: ")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_console_script_runs_as_a_subprocess(cli_env: dict[str, str]) -> None:
    env = {**os.environ, **cli_env}
    handoff = str(Path(sys.executable).with_name("handoff"))
    result = subprocess.run(
        [handoff, "keys", "create", "--role", "finance", "--name", "f", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["role"] == "finance"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reviews", "list", "--route", "hr"], "reviews list: Invalid value for '--route'"),
        (["keys", "revoke"], "keys revoke: Missing argument"),
        (["keys", "create", "--role"], "requires an argument"),
        (["no-such-command"], "No such command"),
    ],
)
def test_a_usage_error_of_the_console_script_is_one_line_on_stderr(
    cli_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    # Click's own framing of these is a multi-line box; the contract says one line for any failure.
    from service.cli import main

    for name, value in cli_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["handoff", *argv])
    with pytest.raises(SystemExit) as exited:
        main()
    captured = capsys.readouterr()
    assert exited.value.code == 2
    assert captured.out == ""
    assert captured.err.startswith("handoff: ") and captured.err.count("\n") == 1
    assert message in captured.err and "--help" in captured.err
