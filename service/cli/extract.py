"""Commands: ``handoff extract FILE`` — grounded billing terms and reviewed clauses of a SOW."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from extraction import (
    BackendUnavailableError,
    ExtractionError,
    ExtractionLimits,
    ExtractionResult,
    analyse_document,
    ingest,
)
from service.cli._app import app
from service.cli._output import OutputFormat, emit_json, fail
from service.settings import Settings


def _warn(message: str) -> None:
    sys.stderr.write("handoff: warning: " + " ".join(message.split()) + "\n")


def registry_exists(settings: Settings) -> bool:
    """False when the registry is a SQLite file that was never created (nothing was registered).

    Asked before any model is loaded: opening the store to look for a champion creates it.
    """
    uri = settings.resolved_mlflow_uri
    return not (uri.startswith("sqlite:///") and not Path(uri.removeprefix("sqlite:///")).exists())


def _champion(settings: Settings, short_name: str) -> tuple[Any, str]:
    """The registry's champion ``short_name`` model and its version (raises when there is none)."""
    from training.lifecycle import load_champion

    loaded = load_champion(
        short_name, tracking_uri=settings.resolved_mlflow_uri, artifact_root=settings.mlflow_artifact_root
    )
    return loaded.model, str(loaded.version)


def load_clause_model(settings: Settings, *, registry: bool = True) -> tuple[Any, str | None]:
    """The champion clause model from the registry; else a clearly warned quick default."""
    if not registry:
        _warn("no model registry here yet; training a quick default clause model")
    else:
        try:
            return _champion(settings, "clauses")
        except Exception as exc:  # no champion, no store, or the lifecycle not available
            _warn(
                f"no clause model champion in the registry ({type(exc).__name__}); "
                "training a quick default model"
            )
    try:
        from training.clauses import SPEC
        from training.spec import TrainingInputs

        # Cached under HANDOFF_HOME so only the first run without a champion pays for training.
        cache = settings.home / "cache" / "clauses-quick-default"
        if (cache / ".complete").exists():
            return SPEC.load(cache), "quick-default"
        model = SPEC.train(TrainingInputs(quick=True, seed=42)).model
        cache.mkdir(parents=True, exist_ok=True)
        SPEC.save(model, cache)
        (cache / ".complete").touch()
        return model, "quick-default"
    except Exception as exc:
        _warn(f"no default clause model could be built ({exc}); clauses are not reviewed")
        return None, None


def load_billing_fill(settings: Settings, *, registry: bool = True) -> tuple[Any, str | None]:
    """The champion learned billing fill from the registry; without one, billing is rules only."""
    if not registry:
        return None, None  # nothing was ever registered here: do not create a store to find it empty
    try:
        return _champion(settings, "billing-fill")
    except Exception as exc:  # no champion, no store, or the lifecycle not available
        _warn(f"no billing-fill champion in the registry ({type(exc).__name__}); billing is rules only")
        return None, None


def _llm_backend(settings: Settings) -> Any:
    from service.llm import build_llm_backend

    return build_llm_backend(settings)


def _table(result: ExtractionResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    info = result.document
    console.print(f"[bold]{info.filename or 'document'}[/bold]  {info.media_type}  {info.pages} page(s)")
    billing = Table(title="Billing terms", show_lines=False)
    for column in ("field", "value", "confidence", "page", "quote"):
        billing.add_column(column)
    for name, value in result.billing:
        if value is None or value == []:
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            shown = item.value.model_dump(mode="json") if hasattr(item.value, "model_dump") else item.value
            evidence = item.evidence[0] if item.evidence else None
            billing.add_row(
                name,
                str(shown),
                f"{item.confidence:.2f}",
                str(evidence.page) if evidence else "",
                (evidence.quote[:70] if evidence else ""),
            )
    console.print(billing)
    clauses = Table(title="Clauses")
    for column in ("type", "nonstandard", "rule", "route", "severity", "confidence", "reason"):
        clauses.add_column(column)
    for finding in result.clauses:
        clauses.add_row(
            finding.type,
            "yes" if finding.nonstandard else "",
            finding.rule or "",
            finding.route or "",
            finding.severity or "",
            f"{finding.confidence:.2f}",
            (finding.reason or "")[:80],
        )
    console.print(clauses)
    for note in result.risk_notes:  # the llm and hybrid backends' reading list
        where = f"page {note.evidence[0].page}" if note.evidence else ""
        console.print(f"[bold]look at:[/bold] {note.note} ({note.category.replace('_', ' ')}, {where})")
    for disagreement in result.disagreements:
        console.print(
            f"[magenta]disagreement:[/magenta] {disagreement.field}: local {disagreement.local!r}, "
            f"llm {disagreement.llm!r}; kept {disagreement.kept}"
        )
    if result.model.llm is not None:
        usage = result.model.llm
        dropped = usage.dropped_unfound + usage.dropped_unsupported
        console.print(
            f"llm {usage.model}: {usage.tokens_in} tokens in, {usage.tokens_out} out, "
            f"{len(usage.calls)} calls; dropped {dropped} of {usage.proposed} proposed values"
        )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@app.command("extract")
def extract(
    file: Annotated[Path, typer.Argument(help="A SOW as PDF, DOCX or plain text.")],
    output: Annotated[OutputFormat, typer.Option("--format", help="json or table.")] = OutputFormat.table,
    include_text: Annotated[bool, typer.Option("--include-text", help="Add the page texts.")] = False,
    backend: Annotated[str, typer.Option("--backend", help="local, llm or hybrid.")] = "local",
) -> None:
    """Extract grounded billing terms and playbook-reviewed clauses from a SOW."""
    if backend not in ("local", "llm", "hybrid"):
        fail(f"unknown backend {backend!r}; use local, llm or hybrid", code=2)
    if not file.is_file():
        fail(f"{file}: no such file", code=2)
    settings = Settings()
    limits = ExtractionLimits(max_bytes=settings.max_body_bytes, max_pages=settings.max_pdf_pages)
    playbook = None
    if settings.playbook_path is not None:
        from extraction.playbook import load_playbook

        try:
            playbook = load_playbook(settings.playbook_path)
        except ExtractionError as exc:
            fail(f"{settings.playbook_path}: {exc}")
    try:
        # Read the document before loading any model, so bad input fails fast.
        document = ingest(file.read_bytes(), filename=file.name, limits=limits)
        llm = _llm_backend(settings) if backend != "local" else None
        if backend == "llm" and llm is None:
            raise BackendUnavailableError(
                f"the {backend} backend needs HANDOFF_LLM_BASE_URL and HANDOFF_LLM_MODEL"
            )
        if backend == "hybrid" and llm is None:
            from service.llm import HYBRID_WITHOUT_SERVER

            _warn(HYBRID_WITHOUT_SERVER)
        registry = registry_exists(settings)
        model, version = load_clause_model(settings, registry=registry)
        fill, fill_version = load_billing_fill(settings, registry=registry)
        result = analyse_document(
            document,
            clause_model=model,
            clause_model_version=version,
            playbook=playbook,
            billing_fill=fill,
            billing_fill_version=fill_version,
        )
        if llm is not None:
            result = llm.extract(document, local_result=result, mode=backend, playbook=playbook)
        elif backend == "hybrid":
            from service.llm import HYBRID_WITHOUT_SERVER

            result.warnings.append(HYBRID_WITHOUT_SERVER)
        if include_text:
            result.pages = document.page_texts()
    except ExtractionError as exc:
        fail(f"{file.name}: {exc} ({exc.slug})")
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}")
    if output is OutputFormat.json:
        emit_json(result.model_dump(mode="json", exclude_none=False))
    else:
        _table(result)
