"""The extraction pipeline: bytes in, :class:`~extraction.schemas.ExtractionResult` out.

ingest → billing (the rules, then the learned fill of the scalar figures they left null,
when a fill model is given) → clauses (classifier, then the playbook) → model versions →
warnings. ``backend="llm"`` / ``"hybrid"`` hand the ingested document and the
local result to the LLM backend (:class:`extraction.llm.backend.LLMBackend`),
which the caller builds with its client; without one ``llm`` raises
:class:`BackendUnavailableError` and ``hybrid`` returns the local result with a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from extraction.billing import extract_billing
from extraction.document import Document
from extraction.errors import BackendUnavailableError, ClauseModelError, DocumentTooLargeError
from extraction.ingest import ingest
from extraction.limits import ExtractionLimits
from extraction.schemas import Backend, ClauseFinding, ExtractionResult, ModelInfo

if TYPE_CHECKING:
    from extraction.billing.calibration import Calibrator
    from extraction.billing.fill import LearnedBillingFill
    from extraction.playbook import Playbook

#: Version of the rule-based billing extractor and its calibration table.
BILLING_EXTRACTOR_VERSION = "1"


def _read_source(
    source: bytes | str | Path, filename: str | None, limits: ExtractionLimits
) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), filename
    path = Path(source)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DocumentTooLargeError(f"the file is {size} bytes; the limit is {limits.max_bytes}")
    return path.read_bytes(), filename or path.name


def analyse_document(
    document: Document,
    *,
    clause_model: Any = None,
    clause_model_version: str | None = None,
    playbook: Playbook | None = None,
    calibrator: Calibrator | None = None,
    billing_fill: LearnedBillingFill | None = None,
    billing_fill_version: str | None = None,
) -> ExtractionResult:
    """Billing terms and reviewed clauses of an already ingested document (the local backend).

    Parameters
    ----------
    document
        From :func:`extraction.ingest.ingest`.
    clause_model
        A fitted clause classifier; None skips clause detection (with a warning).
    clause_model_version
        Its registry version, reported in ``model.versions["clauses"]``.
    playbook
        The policy that judges clauses; the packaged default when None.
    calibrator
        Billing confidence calibration; the packaged table when None.
    billing_fill
        The learned fill (:class:`extraction.billing.fill.LearnedBillingFill`); None reads
        billing by the rules alone.
    billing_fill_version
        Its registry version, reported in ``model.versions["billing-fill"]``.

    Returns
    -------
    ExtractionResult
    """
    warnings = list(document.warnings)
    billing_result = extract_billing(document, calibrator=calibrator)
    warnings.extend(billing_result.warnings)
    versions = {"billing": BILLING_EXTRACTOR_VERSION}
    billing = billing_result.billing
    if billing_fill is not None:
        try:
            billing, _filled = billing_fill.fill(billing, document)
        except Exception as error:  # a learned helper must not fail a document the rules read
            warnings.append(
                f"the learned billing fill failed ({type(error).__name__}); billing is rules only"
            )
        else:
            versions["billing-fill"] = billing_fill_version or "unregistered"
    clauses: list[ClauseFinding] = []
    playbook_hash: str | None = None
    if clause_model is None:
        warnings.append("no clause model was given, so clauses were not reviewed")
    else:
        from extraction.clauses import detect_clauses
        from extraction.playbook import apply_playbook, load_playbook

        policy = playbook if playbook is not None else load_playbook()
        try:
            detected = detect_clauses(document, model=clause_model)
        except ClauseModelError:
            raise
        # The playbook judges what the rules read: a learned guess must not silence an
        # absence finding (no payment terms, no late-payment remedy) or set a cap's baseline.
        clauses = apply_playbook(detected, billing_result.billing, document, playbook=policy)
        playbook_hash = policy.sha256
        versions["clauses"] = clause_model_version or "unregistered"
        versions["playbook"] = playbook_hash[:12]
    return ExtractionResult(
        document=document.info,
        billing=billing,
        clauses=clauses,
        model=ModelInfo(backend="local", versions=versions, playbook_sha256=playbook_hash),
        warnings=warnings,
    )


def extract_sow(
    source: bytes | str | Path,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    clause_model: Any = None,
    clause_model_version: str | None = None,
    billing_fill: LearnedBillingFill | None = None,
    billing_fill_version: str | None = None,
    playbook: Playbook | None = None,
    backend: Backend = "local",
    llm: Any = None,
    limits: ExtractionLimits | None = None,
    include_text: bool = False,
) -> ExtractionResult:
    """Extract billing terms and reviewed clauses from a SOW file.

    Parameters
    ----------
    source
        The file's bytes, or a path to it.
    filename, media_type
        What the uploader called it (only used to catch mislabelled files).
    clause_model, clause_model_version
        A fitted clause classifier and its registry version; None skips clauses.
    billing_fill, billing_fill_version
        The learned billing fill and its registry version; None reads billing by the rules alone.
    playbook
        The policy; the packaged default when None.
    backend
        ``local``; ``llm`` needs ``llm``; ``hybrid`` without it is the local result, warned.
    llm
        An :class:`extraction.llm.backend.LLMBackend` (anything with its
        ``extract(document, *, local_result, mode, playbook)``).
    limits
        Size and time bounds (the caller passes its settings' values).
    include_text
        Return the page texts the evidence offsets index.

    Returns
    -------
    ExtractionResult

    Raises
    ------
    ExtractionError
        A document error (see :mod:`extraction.errors`), or
        :class:`BackendUnavailableError` for ``llm`` without a backend.
    """
    limits = limits or ExtractionLimits()
    if backend not in ("local", "llm", "hybrid"):
        raise BackendUnavailableError(f"unknown backend {backend!r}; use local, llm or hybrid")
    if backend == "llm" and llm is None:
        raise BackendUnavailableError(
            f"the {backend} backend needs an LLM server; none is configured (set HANDOFF_LLM_BASE_URL)"
        )
    data, name = _read_source(source, filename, limits)
    document = ingest(data, filename=name, media_type=media_type, limits=limits)
    result = analyse_document(
        document,
        clause_model=clause_model,
        clause_model_version=clause_model_version,
        playbook=playbook,
        billing_fill=billing_fill,
        billing_fill_version=billing_fill_version,
    )
    if backend != "local" and llm is not None:
        result = llm.extract(document, local_result=result, mode=backend, playbook=playbook)
    elif backend == "hybrid":
        # Hybrid without a server degrades to the local reading, and says so.
        result.warnings.append("hybrid backend: no LLM server is configured; this is the local result")
    if include_text:
        result.pages = document.page_texts()
    return result


__all__ = ["BILLING_EXTRACTOR_VERSION", "analyse_document", "extract_sow"]
