"""The LLM and hybrid extraction backends.

``llm``: the model reads the document chunk by chunk (billing terms, clauses,
risk notes); every proposal is grounded (:mod:`extraction.llm.grounding`) and
the clauses are judged by the playbook, exactly as the local ones are.

``hybrid``: the local result first. The model's grounded values fill the
fields the local backend left empty or was unsure of; where both read a
value and disagree, the local value is kept at a lower confidence and the
disagreement is listed for the reviewer. Clauses the model found that the
local backend did not are added (judged by the playbook); a clause the
playbook flags on one reading and not the other is kept flagged, so a person
looks at it.

Degradation: when the provider is unavailable (timeouts, 429s, 5xx, network
errors past the retries or the deadline) the local result is returned with a
warning; nothing here raises because a model server is down, as long as the
caller passes the local result.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import openai
from pydantic import BaseModel, ValidationError

from extraction.clause_values import clause_values, defined_party_terms
from extraction.document import Document
from extraction.llm.cache import AnswerCache, CachedAnswer, cache_key
from extraction.llm.chunking import Chunk, chunk_pages
from extraction.llm.client import StructuredLLMClient
from extraction.llm.config import LLMConfig
from extraction.llm.errors import LLMInvalidAnswerError, LLMRefusalError, LLMUnavailableError
from extraction.llm.grounding import (
    BillingCandidates,
    ClauseCandidate,
    Grounder,
    GroundingTally,
    RiskNoteCandidate,
)
from extraction.llm.locator import normalise
from extraction.llm.prompts import BILLING_PROMPT_V1, CLAUSES_PROMPT_V1, RISK_NOTES_PROMPT_V1, PromptTemplate
from extraction.llm.proposals import BillingProposal, ClausesProposal, RiskNotesProposal
from extraction.playbook import RULE_NAMES, Playbook, apply_playbook, load_playbook, playbook_sha256
from extraction.schemas import (
    BILLING_SCALAR_FIELDS,
    CLAUSE_TYPES,
    Billing,
    ClauseFinding,
    Disagreement,
    Evidence,
    ExtractionResult,
    GroundedValue,
    LLMCall,
    LLMUsage,
    ModelInfo,
    RiskCategory,
    RiskNote,
)

logger = logging.getLogger("extraction.llm")

LLMMode = Literal["llm", "hybrid"]
#: Judges clause candidates: ``(candidates, billing, document, playbook) -> findings``.
ClauseRouter = Callable[[Sequence[ClauseCandidate], Billing, Document, "Playbook"], list[ClauseFinding]]

# A local value below this confidence is "unsure": the model's grounded reading may replace it.
UNSURE_BELOW = 0.6
# Two independent readings that agree close this share of the gap to certainty.
AGREEMENT_GAIN = 0.3
# A value the two readings disagree on keeps this share of its confidence.
DISAGREEMENT_FACTOR = 0.6
MAX_RISK_NOTES = 5
# The playbook findings a reviewer should read first, as risk notes of these categories.
_RULE_RISKS: dict[str, RiskCategory] = {
    "billing.missing_terms": "missing_billing_dependency",
    "payment_terms.long": "unusual_payment_terms",
    "acceptance.subjective": "nonstandard_deliverable_language",
    "minimum_commitment.firm": "nonstandard_deliverable_language",
}
# Playbook rules that fire on what a SOW lacks.
ABSENCE_RULES = ("late_payment.absent", "billing.missing_terms")
_RISK_ORDER = {
    "missing_billing_dependency": 0,
    "unusual_payment_terms": 1,
    "nonstandard_deliverable_language": 2,
}


@dataclass
class _Run:
    """The state of one document's extraction, shared by its worker threads."""

    document: Document
    deadline: float
    tally: GroundingTally
    grounder: Grounder
    calls: list[LLMCall] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    provider_down: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, call: LLMCall, warning: str | None = None) -> None:
        with self.lock:
            self.calls.append(call)
            if warning:
                self.warnings.append(warning)


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= max(0.005, 1e-6 * max(abs(a), abs(b)))
    if isinstance(a, str) and isinstance(b, str):
        return normalise(a) == normalise(b)
    return bool(a == b)


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.page == b.page and a.start < b.end and b.start < a.end


def _dedupe_evidence(evidence: Sequence[Evidence], *, limit: int = 3) -> list[Evidence]:
    out: list[Evidence] = []
    for item in evidence:
        if not any(_overlaps(item, kept) for kept in out):
            out.append(item)
    return out[:limit]


def _render(value: Any) -> str:
    return json.dumps(value, default=str)


class LLMBackend:
    """An LLM extraction backend bound to one client, configuration and cache.

    Parameters
    ----------
    client
        The structured-output client (or a bare ``openai.OpenAI`` client, wrapped
        with ``config``).
    config
        Required with a bare client; otherwise the structured client's.
    cache
        Answers already paid for; None caches nothing.
    clause_router
        Judges clause candidates with the playbook; the default is
        :func:`extraction.playbook.apply_playbook` through :func:`route_with_playbook`.
    """

    def __init__(
        self,
        client: StructuredLLMClient | openai.OpenAI,
        *,
        config: LLMConfig | None = None,
        cache: AnswerCache | None = None,
        clause_router: ClauseRouter | None = None,
    ) -> None:
        if isinstance(client, StructuredLLMClient):
            self.client = client
        else:
            if config is None:
                raise TypeError("a bare openai client needs an LLMConfig")
            self.client = StructuredLLMClient(client, config)
        self.cache = cache
        self.clause_router = clause_router
        self._slots = threading.BoundedSemaphore(self.config.max_concurrency)

    @property
    def config(self) -> LLMConfig:
        return self.client.config

    def __repr__(self) -> str:
        # Also what an eval run is keyed by (evals.runner hashes its options' str()).
        return (
            f"LLMBackend(base_url={self.config.base_url!r}, model={self.config.model!r}, "
            f"cache={type(self.cache).__name__})"
        )

    # -- asking -----------------------------------------------------------------------------------

    def _ask(
        self, run: _Run, prompt: PromptTemplate, chunk: Chunk, parts: int, extra: dict[str, str]
    ) -> BaseModel | None:
        fields = {"text": chunk.text, "part": str(chunk.index + 1), "parts": str(parts), **extra}
        key = cache_key(
            document_sha256=run.document.info.sha256,
            prompt_key=prompt.key,
            prompt_sha256=prompt.text_sha256,
            model=self.config.model,
            request=json.dumps(fields, sort_keys=True),
            settings=f"{self.config.temperature}|{self.config.max_tokens}",
        )
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    parsed = prompt.response_model.model_validate_json(hit.answer_json)
                except ValidationError:
                    parsed = None  # an entry from an older schema: ask again
                if parsed is not None:
                    run.record(LLMCall(prompt=prompt.key, chunk=chunk.index, cached=True))
                    return parsed
        if run.provider_down.is_set():
            run.record(LLMCall(prompt=prompt.key, chunk=chunk.index, outcome="unavailable"))
            return None
        try:
            with self._slots:
                completion = self.client.complete(prompt, fields=fields, deadline=run.deadline)
        except LLMUnavailableError as error:
            run.provider_down.set()
            with run.lock:
                run.unavailable.append(str(error))
            run.record(self._failed_call(prompt, chunk, error, "unavailable"))
            return None
        except (LLMRefusalError, LLMInvalidAnswerError) as error:
            outcome: Literal["refused", "invalid"] = (
                "refused" if isinstance(error, LLMRefusalError) else "invalid"
            )
            warning = (
                f"llm: no usable answer to {prompt.key} for part {chunk.index + 1} of {parts} ({outcome})"
            )
            run.record(self._failed_call(prompt, chunk, error, outcome), warning)
            return None
        run.record(
            LLMCall(
                prompt=prompt.key,
                chunk=chunk.index,
                tokens_in=completion.tokens_in,
                tokens_out=completion.tokens_out,
                attempts=completion.attempts,
            )
        )
        if self.cache is not None:
            answer = CachedAnswer(
                completion.parsed.model_dump_json(), completion.tokens_in, completion.tokens_out
            )
            self.cache.put(key, answer)
        return completion.parsed

    @staticmethod
    def _failed_call(
        prompt: PromptTemplate,
        chunk: Chunk,
        error: LLMUnavailableError | LLMRefusalError | LLMInvalidAnswerError,
        outcome: Literal["refused", "invalid", "unavailable"],
    ) -> LLMCall:
        return LLMCall(
            prompt=prompt.key,
            chunk=chunk.index,
            tokens_in=error.tokens_in,
            tokens_out=error.tokens_out,
            attempts=error.attempts,
            outcome=outcome,
        )

    # -- the public entry points ---------------------------------------------------------------------

    def extract(
        self,
        document: Document,
        *,
        local_result: ExtractionResult | None = None,
        mode: LLMMode = "llm",
        playbook: Playbook | None = None,
    ) -> ExtractionResult:
        """Extract ``document`` with the model, grounded and judged by the playbook.

        Parameters
        ----------
        document
            The ingested document.
        local_result
            The local backend's result: the base of ``hybrid``, and what both
            modes fall back to when the provider is unavailable.
        mode
            ``"llm"`` or ``"hybrid"``.
        playbook
            The playbook the clause proposals are judged by (its rule
            descriptions are shown to the model); None uses the default.

        Returns
        -------
        ExtractionResult
            With ``model.backend`` set to the mode that produced it
            (``"local"`` after a fallback), the token and prompt audit in
            ``model.llm``, ``risk_notes``, and in hybrid ``disagreements``.

        Raises
        ------
        LLMUnavailableError
            The provider is unavailable and no ``local_result`` was given.
        """
        if mode not in ("llm", "hybrid"):
            raise ValueError(f"mode must be 'llm' or 'hybrid', not {mode!r}")
        try:
            return self._extract(document, local_result=local_result, mode=mode, playbook=playbook)
        except LLMUnavailableError:
            raise
        except Exception as error:
            # A defect in reading the model's answer must not cost the caller its result.
            if local_result is None:
                raise
            logger.exception("llm backend failed; degrading to the local result")
            result = local_result.model_copy(deep=True)
            result.warnings.append(
                f"{mode} backend failed ({type(error).__name__}); this is the local result"
            )
            return result

    def _extract(
        self,
        document: Document,
        *,
        local_result: ExtractionResult | None,
        mode: LLMMode,
        playbook: Playbook | None,
    ) -> ExtractionResult:
        tally = GroundingTally()
        run = _Run(
            document=document,
            deadline=self.client.deadline(),
            tally=tally,
            grounder=Grounder(document, confidence=self.config.proposal_confidence, tally=tally),
        )
        chunks = chunk_pages(
            [(page.number, page.text) for page in document.pages],
            max_tokens=self.config.chunk_tokens,
            overlap_tokens=self.config.chunk_overlap_tokens,
        )
        book = playbook if playbook is not None else load_playbook()
        clause_fields = {"types": ", ".join(CLAUSE_TYPES), "rules": rule_descriptions(book)}
        tasks: list[tuple[PromptTemplate, Chunk, dict[str, str]]] = []
        for chunk in chunks:
            tasks += [
                (BILLING_PROMPT_V1, chunk, {}),
                (CLAUSES_PROMPT_V1, chunk, clause_fields),
                (RISK_NOTES_PROMPT_V1, chunk, {}),
            ]

        def work(task: tuple[PromptTemplate, Chunk, dict[str, str]]) -> BaseModel | None:
            prompt, chunk, extra = task
            return self._ask(run, prompt, chunk, len(chunks), extra)

        workers = min(self.config.max_concurrency, max(1, len(tasks)))
        if workers == 1:
            answers = [work(task) for task in tasks]
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="handoff-llm") as pool:
                answers = list(pool.map(work, tasks))

        usage = self._usage(run)
        billing_answered = any(isinstance(answer, BillingProposal) for answer in answers)
        if run.unavailable or not billing_answered:
            return self._fallback(run, usage, local_result, mode)

        per_chunk: list[BillingCandidates] = []
        clauses: list[ClauseCandidate] = []
        notes: list[RiskNoteCandidate] = []
        for (_, chunk, _), answer in zip(tasks, answers, strict=True):
            if isinstance(answer, BillingProposal):
                per_chunk.append(run.grounder.billing(answer, pages=chunk.pages))
            elif isinstance(answer, ClausesProposal):
                for proposed_clause in answer.clauses:
                    candidate = run.grounder.clause(proposed_clause, pages=chunk.pages)
                    if candidate is not None:
                        clauses.append(candidate)
            elif isinstance(answer, RiskNotesProposal):
                for proposed_note in answer.notes:
                    note = run.grounder.risk_note(proposed_note, pages=chunk.pages)
                    if note is not None:
                        notes.append(note)
        billing = self._merge_billing(per_chunk, run)
        clause_candidates = _dedupe_clauses(clauses)
        usage = self._usage(run)  # grounding counts are in now
        drop_warning = tally.warning()
        warnings = [*run.warnings, *([drop_warning] if drop_warning else [])]

        router = self.clause_router or route_with_playbook
        if mode == "hybrid" and local_result is not None:
            result = _hybrid(
                local_result,
                billing,
                clause_candidates,
                usage,
                warnings,
                judge=lambda billing: router(clause_candidates, billing, document, book),
                absences=lambda findings, billing: absence_findings(findings, billing, document, book),
            )
        else:
            llm_findings = router(clause_candidates, billing, document, book)
            result = ExtractionResult(
                document=document.info,
                billing=billing,
                clauses=llm_findings,
                model=ModelInfo(
                    backend="llm",
                    versions={**self._versions(), "playbook": playbook_sha256(book)[:12]},
                    playbook_sha256=playbook_sha256(book),
                    llm=usage,
                ),
                warnings=[*document.warnings, *warnings],
                pages=local_result.pages if local_result else None,
            )
            if mode == "hybrid":
                result.warnings.append("hybrid: no local result was given; this is the llm reading alone")
        result.risk_notes = _risk_notes(notes, result.clauses)
        return result

    def extract_many(
        self,
        documents: Sequence[Document],
        *,
        local_results: Sequence[ExtractionResult | None] | None = None,
        mode: LLMMode = "llm",
        playbook: Playbook | None = None,
    ) -> list[ExtractionResult]:
        """:meth:`extract` for many documents, at most ``config.max_concurrency`` requests in flight.

        Parameters
        ----------
        documents
            The documents, in order.
        local_results
            One local result per document (or None), as for :meth:`extract`.
        mode, playbook
            As for :meth:`extract`.

        Returns
        -------
        list of ExtractionResult
            In the order of ``documents``.
        """
        locals_ = list(local_results) if local_results is not None else [None] * len(documents)
        if len(locals_) != len(documents):
            raise ValueError("local_results must have one entry per document")

        def one(index: int) -> ExtractionResult:
            return self.extract(documents[index], local_result=locals_[index], mode=mode, playbook=playbook)

        with ThreadPoolExecutor(
            max_workers=self.config.max_concurrency, thread_name_prefix="handoff-doc"
        ) as pool:
            return list(pool.map(one, range(len(documents))))

    # -- assembling ------------------------------------------------------------------------------------

    def _versions(self) -> dict[str, str]:
        return {
            "llm": self.config.model,
            **{
                f"prompt.{p.name}": p.version
                for p in (BILLING_PROMPT_V1, CLAUSES_PROMPT_V1, RISK_NOTES_PROMPT_V1)
            },
        }

    def _usage(self, run: _Run) -> LLMUsage:
        with run.lock:
            calls = sorted(run.calls, key=lambda c: (c.chunk, c.prompt))
        return LLMUsage(
            model=self.config.model,
            prompts={p.name: p.version for p in (BILLING_PROMPT_V1, CLAUSES_PROMPT_V1, RISK_NOTES_PROMPT_V1)},
            tokens_in=sum(c.tokens_in for c in calls),
            tokens_out=sum(c.tokens_out for c in calls),
            calls=calls,
            proposed=run.tally.proposed,
            dropped_unfound=run.tally.dropped_unfound,
            dropped_unsupported=run.tally.dropped_unsupported,
        )

    def _fallback(
        self, run: _Run, usage: LLMUsage, local_result: ExtractionResult | None, mode: LLMMode
    ) -> ExtractionResult:
        reason = run.unavailable[0] if run.unavailable else "the model gave no usable billing answer"
        if local_result is None:
            raise LLMUnavailableError(f"the {mode} backend is unavailable: {reason}")
        logger.warning("llm backend degraded to the local result", extra={"reason": reason, "mode": mode})
        result = local_result.model_copy(deep=True)
        result.model.llm = usage
        result.warnings += run.warnings
        result.warnings.append(f"{mode} backend unavailable ({reason}); this is the local result")
        return result

    def _merge_billing(self, per_chunk: Sequence[BillingCandidates], run: _Run) -> Billing:
        """One billing reading from every chunk's: agreeing values merged, conflicts resolved by majority."""
        merged: dict[str, Any] = {}
        for name in BILLING_SCALAR_FIELDS:
            candidates = [chunk.scalars[name] for chunk in per_chunk if name in chunk.scalars]
            if not candidates:
                continue
            groups: list[list[GroundedValue[Any]]] = []
            for candidate in candidates:
                for group in groups:
                    if _same_value(group[0].value, candidate.value):
                        group.append(candidate)
                        break
                else:
                    groups.append([candidate])
            best = max(groups, key=len)  # max keeps the earliest group on a tie
            evidence = _dedupe_evidence([e for c in best for e in c.evidence])
            confidence = best[0].confidence
            if len(groups) > 1:
                confidence *= DISAGREEMENT_FACTOR
                readings = ", ".join(
                    f"{_render(g[0].value)} (page {g[0].evidence[0].page})" for g in groups if g[0].evidence
                )
                run.warnings.append(
                    f"llm: different parts of the document give different billing.{name}: {readings}; "
                    f"kept {_render(best[0].value)}"
                )
            merged[name] = GroundedValue(value=best[0].value, confidence=confidence, evidence=evidence)
        merged["rates"] = _dedupe_items(
            [r for chunk in per_chunk for r in chunk.rates],
            key=lambda v: (normalise(v.role), round(v.rate, 2), v.unit),
        )
        merged["milestones"] = _dedupe_items(
            [m for chunk in per_chunk for m in chunk.milestones],
            key=lambda v: (normalise(v.name), v.amount, v.percent, v.due_date),
        )
        return Billing(**merged)


def _dedupe_items(
    items: Sequence[GroundedValue[Any]], *, key: Callable[[Any], Any]
) -> list[GroundedValue[Any]]:
    """List items read twice (in overlapping chunks, or the same row) are kept once."""
    out: list[GroundedValue[Any]] = []
    seen: set[Any] = set()
    for item in items:
        identity = key(item.value)
        same_place = any(_overlaps(item.evidence[0], kept.evidence[0]) for kept in out if kept.evidence)
        if identity in seen or same_place:
            continue
        seen.add(identity)
        out.append(item)
    return out


def _dedupe_clauses(candidates: Sequence[ClauseCandidate]) -> list[ClauseCandidate]:
    out: list[ClauseCandidate] = []
    for candidate in candidates:
        if any(c.type == candidate.type and _overlaps(c.evidence, candidate.evidence) for c in out):
            continue
        out.append(candidate)
    return out


def rule_descriptions(playbook: Playbook | None = None) -> str:
    """The playbook's enabled rules and thresholds as the model is shown them, one line each."""
    book = playbook if playbook is not None else load_playbook()
    lines = [
        f"- {name}: {book.rules[name].description}" for name in RULE_NAMES if book.rule(name) is not None
    ]
    thresholds = ", ".join(f"{key} = {value:g}" for key, value in book.thresholds.model_dump().items())
    return "\n".join([*lines, f"Thresholds: {thresholds}."])


def route_with_playbook(
    candidates: Sequence[ClauseCandidate], billing: Billing, document: Document, playbook: Playbook
) -> list[ClauseFinding]:
    """Judge the model's clause candidates with the playbook, as the local clauses are judged.

    The values a rule reads (notice days, cap multiple, who is bound) come from
    :func:`extraction.clause_values.clause_values` over the grounded quote,
    never from the model, so the playbook and not the model decides routing.
    """
    # extraction.clauses brings scikit-learn; only routing needs its record type.
    from extraction.clauses import DetectedClause

    firm_terms, client_terms = defined_party_terms(document.text)
    detected = []
    for candidate in candidates:
        evidence = candidate.evidence
        start = document.page_offsets[evidence.page - 1] + evidence.start
        values = clause_values(
            candidate.type, evidence.quote, firm_terms=firm_terms, client_terms=client_terms
        )
        detected.append(
            DetectedClause(
                type=candidate.type,
                confidence=candidate.confidence,
                evidence=(evidence,),
                values=values,
                text=evidence.quote,
                page=evidence.page,
                start=start,
                end=start + len(evidence.quote),
            )
        )
    return apply_playbook(detected, billing, document, playbook=playbook)


def absence_findings(
    findings: Sequence[ClauseFinding], billing: Billing, document: Document, playbook: Playbook
) -> list[ClauseFinding]:
    """The playbook's absence findings (``late_payment.absent``, ``billing.missing_terms``) for the
    final billing terms and clause set: the merged ones, not either reading's."""
    from extraction.clauses import DetectedClause

    stubs = [
        DetectedClause(
            type=f.type, confidence=f.confidence, evidence=tuple(f.evidence), values=dict(f.values)
        )
        for f in findings
    ]
    judged = apply_playbook(stubs, billing, document, playbook=playbook)
    return [f for f in judged if f.rule in ABSENCE_RULES]


def _hybrid(
    local: ExtractionResult,
    billing: Billing,
    candidates: Sequence[ClauseCandidate],
    usage: LLMUsage,
    warnings: Sequence[str],
    *,
    judge: Callable[[Billing], list[ClauseFinding]],
    absences: Callable[[Sequence[ClauseFinding], Billing], list[ClauseFinding]],
) -> ExtractionResult:
    """The local result, with the model's grounded reading filling gaps and flagging disagreements.

    ``judge`` runs the playbook over the model's clause candidates given billing
    terms; ``absences`` gives the absence findings for a clause set and billing.
    Both run on the merged billing, so a term the model filled in is not
    reported missing.
    """
    result = local.model_copy(deep=True)
    disagreements: list[Disagreement] = []
    for name in BILLING_SCALAR_FIELDS:
        mine: GroundedValue[Any] | None = getattr(result.billing, name)
        theirs: GroundedValue[Any] | None = getattr(billing, name)
        if theirs is None:
            continue
        if mine is None:
            setattr(result.billing, name, theirs)
            continue
        if _same_value(mine.value, theirs.value):
            mine.confidence = min(0.99, mine.confidence + (1 - mine.confidence) * AGREEMENT_GAIN)
            continue
        evidence = _dedupe_evidence([*mine.evidence, *theirs.evidence])
        if mine.confidence < UNSURE_BELOW:
            replacement = theirs.model_copy(update={"confidence": theirs.confidence * DISAGREEMENT_FACTOR})
            setattr(result.billing, name, replacement)
            kept: Literal["local", "llm"] = "llm"
        else:
            mine.confidence *= DISAGREEMENT_FACTOR
            kept = "local"
        disagreements.append(
            Disagreement(
                field=f"billing.{name}", local=mine.value, llm=theirs.value, kept=kept, evidence=evidence
            )
        )
    for name in ("rates", "milestones"):
        mine_list = getattr(result.billing, name)
        theirs_list = getattr(billing, name)
        if not mine_list:
            setattr(result.billing, name, list(theirs_list))
            continue
        for item in theirs_list:
            if not any(
                _overlaps(item.evidence[0], m.evidence[0]) for m in mine_list if m.evidence and item.evidence
            ):
                disagreements.append(
                    Disagreement(
                        field=f"billing.{name}",
                        local=None,
                        llm=item.value.model_dump(mode="json"),
                        kept="local",
                        evidence=list(item.evidence),
                    )
                )
    # Absence findings are recomputed below from the merged terms and clauses, not merged.
    llm_findings = [f for f in judge(result.billing) if f.rule not in ABSENCE_RULES] if candidates else []
    present = [f for f in result.clauses if f.rule not in ABSENCE_RULES]
    merged, clause_disagreements = _merge_clauses(present, llm_findings)
    result.clauses = [*merged, *absences(merged, result.billing)]
    disagreements += clause_disagreements
    result.disagreements = disagreements
    result.model = ModelInfo(
        backend="hybrid",
        versions={
            **local.model.versions,
            "llm": usage.model,
            **{f"prompt.{k}": v for k, v in usage.prompts.items()},
        },
        playbook_sha256=local.model.playbook_sha256,
        llm=usage,
    )
    result.warnings = [*result.warnings, *warnings]
    if disagreements:
        result.warnings.append(
            f"hybrid: the local and llm readings disagree on {len(disagreements)} item(s); see disagreements"
        )
    return result


def _merge_clauses(
    local: Sequence[ClauseFinding], llm: Sequence[ClauseFinding]
) -> tuple[list[ClauseFinding], list[Disagreement]]:
    merged = [finding.model_copy(deep=True) for finding in local]
    disagreements: list[Disagreement] = []
    for theirs in llm:
        match = next(
            (
                mine
                for mine in merged
                if mine.type == theirs.type
                and (
                    not mine.evidence
                    or not theirs.evidence
                    or any(_overlaps(a, b) for a in mine.evidence for b in theirs.evidence)
                )
            ),
            None,
        )
        if match is None:
            added = theirs.model_copy(update={"confidence": theirs.confidence * DISAGREEMENT_FACTOR})
            merged.append(added)
            disagreements.append(
                Disagreement(
                    field=f"clauses.{theirs.type}",
                    local=None,
                    llm=theirs.reason,
                    kept="llm",
                    evidence=list(theirs.evidence),
                )
            )
            continue
        if match.nonstandard == theirs.nonstandard:
            match.confidence = min(0.99, match.confidence + (1 - match.confidence) * AGREEMENT_GAIN)
            continue
        # The two readings make the playbook decide differently: keep the flagged one, so a person decides.
        flagged, other = (match, theirs) if match.nonstandard else (theirs, match)
        index = merged.index(match)
        kept: Literal["local", "llm"] = "local" if flagged is match else "llm"
        merged[index] = flagged.model_copy(
            update={
                "confidence": flagged.confidence * DISAGREEMENT_FACTOR,
                "evidence": _dedupe_evidence([*flagged.evidence, *other.evidence]),
            }
        )
        disagreements.append(
            Disagreement(
                field=f"clauses.{theirs.type}",
                local={"nonstandard": match.nonstandard, "rule": match.rule},
                llm={"nonstandard": theirs.nonstandard, "rule": theirs.rule},
                kept=kept,
                evidence=_dedupe_evidence([*match.evidence, *theirs.evidence]),
            )
        )
    return merged, disagreements


def _risk_notes(notes: Sequence[RiskNoteCandidate], clauses: Sequence[ClauseFinding]) -> list[RiskNote]:
    """The model's grounded notes, plus the playbook's findings on billing, payment and
    deliverable terms (``_RULE_RISKS``), most important first, at most ``MAX_RISK_NOTES``."""
    out: list[RiskNote] = []
    for note in notes:
        if any(
            existing.category == note.category and _overlaps(existing.evidence[0], note.evidence)
            for existing in out
        ):
            continue
        out.append(RiskNote(category=note.category, note=note.note, evidence=[note.evidence]))
    # Missing billing terms and long or conditional payment are what a reviewer reads first.
    for finding in clauses:
        if not finding.nonstandard or not finding.evidence or not finding.reason:
            continue
        category = _RULE_RISKS.get(finding.rule or "")
        if category is None:
            continue
        if any(_overlaps(n.evidence[0], finding.evidence[0]) for n in out):
            continue
        out.append(RiskNote(category=category, note=finding.reason, evidence=list(finding.evidence)))
    out.sort(key=lambda n: _RISK_ORDER.get(n.category, len(_RISK_ORDER)))
    return out[:MAX_RISK_NOTES]


def extract_with_llm(
    document: Document,
    *,
    client: StructuredLLMClient | openai.OpenAI,
    config: LLMConfig | None = None,
    local_result: ExtractionResult | None = None,
    mode: LLMMode = "llm",
    playbook: Playbook | None = None,
    cache: AnswerCache | None = None,
) -> ExtractionResult:
    """Extract ``document`` with an LLM (see :meth:`LLMBackend.extract`).

    Parameters
    ----------
    document
        The ingested document.
    client
        An ``openai.OpenAI`` client (built by the caller) or a
        :class:`StructuredLLMClient`.
    config
        Model, limits and budgets; required with a bare openai client.
    local_result
        The local backend's result: the base of ``hybrid`` and the fallback.
    mode
        ``"llm"`` or ``"hybrid"``.
    playbook
        The playbook that judges clauses; None for the default.
    cache
        Answers already paid for; None caches nothing.

    Returns
    -------
    ExtractionResult
    """
    backend = LLMBackend(client, config=config, cache=cache)
    return backend.extract(document, local_result=local_result, mode=mode, playbook=playbook)


__all__ = [
    "AGREEMENT_GAIN",
    "DISAGREEMENT_FACTOR",
    "UNSURE_BELOW",
    "ClauseRouter",
    "LLMBackend",
    "LLMMode",
    "extract_with_llm",
    "route_with_playbook",
    "rule_descriptions",
]
