"""Commands: ``handoff staff`` (rank people for one role) and ``handoff staff-team``
(assign several roles at once), printing the shapes of ``contracts/staffing.md``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from service.cli._app import app
from service.cli._output import OutputFormat, emit_json, fail
from service.settings import Settings

PeopleOption = Annotated[Path, typer.Option("--people", help="People directory: a JSON list of people.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="json: one JSON document on stdout.")]
TaxonomyOption = Annotated[
    Path | None,
    typer.Option(
        "--taxonomy", help="A firm's skills file extending the shipped taxonomy (default: setting)."
    ),
]
RatesOption = Annotated[
    Path | None,
    typer.Option("--fx-rates", help='Exchange rates JSON {"USD": 1.0, "EUR": 1.08} to compare currencies.'),
]


def _read_json(option: str, path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{option} {path}: no such file")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{option} {path}: cannot read: {error}")
    except json.JSONDecodeError as error:
        fail(f"{option} {path}: not JSON: {error.msg} at line {error.lineno}")


def _note(message: str) -> None:
    sys.stderr.write(f"handoff: {message}\n")


def staffing_model(settings: Settings) -> tuple[Any, str]:
    """The champion staffing model and its version, or (None, "default") with a note on stderr."""
    from staffing_recs import DEFAULT_MODEL_VERSION

    try:
        from training.lifecycle import load_champion
        from training.mlflow_store import ModelStore

        store = ModelStore.from_settings(settings)
        uri = store.tracking_uri
        if uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).exists():
            raise LookupError("the model store is empty")
        loaded = load_champion("staffing", store=store)
    except Exception as error:  # no champion is normal on a fresh install: rank with the defaults
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        _note(f"no trained staffing model ({reason}); ranking with the documented default weights")
        return None, DEFAULT_MODEL_VERSION
    return loaded.model, str(loaded.version)


def _inputs(people_path: Path, taxonomy_path: Path | None, rates_path: Path | None) -> tuple[Any, Any, Any]:
    from staffing_recs import SkillTaxonomy, StaffingError, parse_people

    settings = Settings()
    try:
        taxonomy = SkillTaxonomy.load(taxonomy_path or settings.skills_taxonomy_path)
        people = parse_people(_read_json("--people", people_path))
    except StaffingError as error:
        fail(str(error))
    rates = None
    if rates_path is not None:
        rates = _read_json("--fx-rates", rates_path)
        if not isinstance(rates, dict) or not all(isinstance(v, int | float) for v in rates.values()):
            fail(f"--fx-rates {rates_path}: must map currency codes to numbers")
    return settings, taxonomy, (people, rates)


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command("staff")
def staff(
    people: PeopleOption,
    request: Annotated[Path, typer.Option("--request", help="One role request (JSON object).")],
    top: Annotated[int, typer.Option("--top", min=1, help="How many candidates to list.")] = 10,
    output: FormatOption = OutputFormat.table,
    taxonomy_file: TaxonomyOption = None,
    fx_rates: RatesOption = None,
) -> None:
    """Rank the people who can take one role, with reasons for everyone excluded."""
    from service.request_day import today_utc, with_request_day
    from staffing_recs import StaffingError, parse_request, recommend

    settings, taxonomy, (directory, rates) = _inputs(people, taxonomy_file, fx_rates)
    try:
        role = parse_request(with_request_day(_read_json("--request", request), today_utc()))
    except StaffingError as error:
        fail(str(error))
    model, version = staffing_model(settings)
    try:
        result = recommend(
            role, directory, model=model, taxonomy=taxonomy, top=top, model_version=version, fx_rates=rates
        )
    except StaffingError as error:
        fail(str(error))
    if result.unknown_skills:
        _note(f"skills not in the taxonomy (matched by spelling only): {', '.join(result.unknown_skills)}")
    if output is OutputFormat.json:
        emit_json(result.model_dump(mode="json"))
        return
    _print_table(
        [
            [
                str(c.rank),
                c.person_id,
                f"{c.score:.2f}",
                "" if c.margin is None else f"{c.margin:.0%}",
                c.explanation,
            ]
            for c in result.candidates
        ],
        ["rank", "person", "score", "margin", "why"],
    )
    for exclusion in result.excluded[:20]:
        typer.echo(f"excluded {exclusion.person_id}: {'; '.join(exclusion.reasons)}")
    for flag in result.flags:
        typer.echo(f"flag {flag.rule} ({flag.severity}, to {flag.route}): {flag.message}")


@app.command("staff-team")
def staff_team(
    people: PeopleOption,
    requests: Annotated[Path, typer.Option("--requests", help="Role requests: a JSON list.")],
    output: FormatOption = OutputFormat.table,
    taxonomy_file: TaxonomyOption = None,
    fx_rates: RatesOption = None,
) -> None:
    """Assign several roles at once: no one over capacity, the highest total score."""
    from service.request_day import team_with_request_day, today_utc
    from staffing_recs import StaffingError, assign_team, parse_requests

    settings, taxonomy, (directory, rates) = _inputs(people, taxonomy_file, fx_rates)
    try:
        roles = parse_requests(team_with_request_day(_read_json("--requests", requests), today_utc()))
    except StaffingError as error:
        fail(str(error))
    if not roles:
        fail(f"--requests {requests}: the list is empty")
    model, version = staffing_model(settings)
    try:
        result = assign_team(
            roles, directory, model=model, taxonomy=taxonomy, model_version=version, fx_rates=rates
        )
    except StaffingError as error:
        fail(str(error))
    if output is OutputFormat.json:
        emit_json(result.model_dump(mode="json"))
        return
    _print_table(
        [[a.request_id, a.person_id, f"{a.score:.2f}"] for a in result.assignments],
        ["request", "person", "score"],
    )
    for unfilled in result.unfilled:
        typer.echo(f"unfilled {unfilled.request_id}: {'; '.join(unfilled.reasons)}")
    typer.echo(f"total score {result.total_score:.3f}")
    for flag in result.flags:
        typer.echo(f"flag {flag.rule} ({flag.severity}, to {flag.route}): {flag.message}")
