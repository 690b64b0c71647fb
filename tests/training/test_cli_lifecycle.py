"""The lifecycle commands end to end, with the toy spec and suite added to the registries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from evals import registry as eval_registry
from service.cli import app
from service.db.models import ReviewItemRow
from tests.lifecycle_toys import store_in
from training import registry as model_registry


@pytest.fixture
def cli_home(tmp_path: Path, mlflow_template_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    store_in(home, mlflow_template_db)
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    monkeypatch.delenv("HANDOFF_MLFLOW_URI", raising=False)
    monkeypatch.setitem(model_registry.MODEL_SPECS, "toy", "tests.lifecycle_toys:SPEC")
    monkeypatch.setitem(eval_registry.EVAL_SUITES, "toy-suite", "tests.lifecycle_toys:SUITE")
    return home


def _json(runner: CliRunner, *args: str) -> tuple[int, dict, str]:
    result = runner.invoke(app, [*args, "--format", "json"])
    document = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, document, result.stderr


def test_cli_train_promote_eval_and_list_print_one_json_document(cli_home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    code, first, _ = _json(runner, "train", "toy", "--seed", "3")
    assert code == 0
    ((trained,),) = [first["models"]]
    assert (trained["model"], trained["version"], trained["champion"]) == ("toy", "1", True)

    code, second, _ = _json(runner, "train", "toy", "--seed", "3")
    assert (code, second["models"][0]["version"], second["models"][0]["champion"]) == (0, "2", False)

    code, decision, _ = _json(runner, "promote", "toy")
    assert code == 0, decision
    assert (decision["outcome"], decision["champion_after"]) == ("promoted", "2")
    assert {c["metric"] for c in decision["comparisons"]} == {"accuracy", "log_loss"}

    code, evaluated, _ = _json(runner, "eval", "toy-suite", "--report", str(tmp_path / "out"))
    assert code == 0
    (suite,) = evaluated["suites"]
    assert (suite["status"], suite["model_version"]) == ("ok", "2")
    assert Path(suite["report"]).read_text().count("data:image/png;base64,") == 3
    assert (tmp_path / "out" / "index.html").exists()

    code, listed, _ = _json(runner, "models", "list")
    toy = next(model for model in listed["models"] if model["model"] == "toy")
    assert (toy["champion"], toy["latest"], len(toy["versions"])) == ("2", "2", 2)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train", "nope"], "unknown model 'nope'"),
        (["train", "toy", "--data", "missing.csv"], "--data missing.csv: no such file"),
        (["eval", "all", "--model-version", "1"], "--model-version needs one suite"),
        (["eval", "toy-suite", "--backend", "gpt"], "--backend 'gpt'"),
    ],
)
def test_cli_bad_input_fails_with_one_line(cli_home: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_feedback_export_writes_labelled_examples(
    cli_home: Path,
    tmp_path: Path,
    migrated_database_url: str,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HANDOFF_DATABASE_URL", migrated_database_url)
    with session_factory() as db:
        for review_id, status, decision in [
            ("rev_a", "rejected", {"outcome": "rejected", "reason": "fine", "corrections": None}),
            ("rev_b", "overridden", {"outcome": "overridden", "reason": "r", "corrections": {"hours": 7.5}}),
            ("rev_c", "pending", None),
        ]:
            db.add(
                ReviewItemRow(
                    id=review_id, kind="time_entry", route="finance", severity="medium", status=status,
                    title="t", rule="time_entry.anomaly", subject_type="time_entry", subject_id="te_1",
                    finding={"score": -0.4}, model_version="4", created_by="engine:x",
                    decided_by="finance:f" if decision else None, decision=decision,
                    decided_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC) if decision else None,
                )
            )  # fmt: skip
        db.commit()
    out = tmp_path / "feedback.jsonl"
    code, document, _ = _json(CliRunner(), "feedback", "export", "--out", str(out))
    assert code == 0
    assert document == {"out": str(out), "examples": 2, "by_label": {"false_positive": 1, "corrected": 1}}
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert {line["review_id"]: line["label"] for line in lines} == {
        "rev_a": "false_positive",
        "rev_b": "corrected",
    }
    assert lines[1]["corrections"] == {"hours": 7.5} and lines[1]["model"] == "time-entries"
    assert lines[0]["decided_by"] == "finance:f"
