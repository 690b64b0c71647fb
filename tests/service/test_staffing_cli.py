"""`handoff staff` and `handoff staff-team`: contract shapes on stdout, one-line failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.staffing_recs.conftest import make_person, make_request


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    people = [make_person("E-1"), make_person("E-2", cost_rate=150), make_person("E-3", skills=[])]
    (tmp_path / "people.json").write_text(json.dumps([p.model_dump(mode="json") for p in people]))
    (tmp_path / "request.json").write_text(json.dumps(make_request("R-1").model_dump(mode="json")))
    requests = [
        make_request("R-1", hours_per_week=20).model_dump(mode="json"),
        make_request("R-2", hours_per_week=20).model_dump(mode="json"),
    ]
    (tmp_path / "requests.json").write_text(json.dumps(requests))
    return tmp_path


def test_staff_prints_the_recommendation(files: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "staff",
            "--people",
            str(files / "people.json"),
            "--request",
            str(files / "request.json"),
            "--top",
            "1",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["request_id"] == "R-1" and document["model_version"] == "default"
    assert [c["person_id"] for c in document["candidates"]] == ["E-1"]
    assert set(document["candidates"][0]) >= {
        "person_id",
        "rank",
        "score",
        "breakdown",
        "margin",
        "available_hours_per_week",
        "explanation",
    }
    assert document["excluded"][0]["person_id"] == "E-3"
    assert "default weights" in result.stderr


def test_staff_team_prints_assignments(files: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "staff-team",
            "--people",
            str(files / "people.json"),
            "--requests",
            str(files / "requests.json"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {a["request_id"] for a in document["assignments"]} == {"R-1", "R-2"}
    assert set(document) >= {"assignments", "unfilled", "total_score", "flags"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"person_id": "E-1"}', "must be a JSON list"),
        ('[{"person_id": "E-1"}, {"person_id": "E-1"}]', "duplicate person_id"),
        ('[{"person_id": "E-1", "cost_rate": -3}]', "cost_rate"),
        ("not json", "not JSON"),
    ],
)
def test_staff_bad_people_file(files: Path, content: str, message: str) -> None:
    (files / "people.json").write_text(content)
    result = CliRunner().invoke(
        app,
        [
            "staff",
            "--people",
            str(files / "people.json"),
            "--request",
            str(files / "request.json"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_staff_bad_request(files: Path) -> None:
    bad = make_request("R-1").model_dump(mode="json") | {"start_date": "2026-07-01"}
    (files / "request.json").write_text(json.dumps(bad))
    result = CliRunner().invoke(
        app, ["staff", "--people", str(files / "people.json"), "--request", str(files / "request.json")]
    )
    assert result.exit_code == 1 and "before start_date" in result.stderr


def test_staff_missing_file(files: Path) -> None:
    result = CliRunner().invoke(
        app, ["staff", "--people", str(files / "absent.json"), "--request", str(files / "request.json")]
    )
    assert result.exit_code == 1 and "no such file" in result.stderr
