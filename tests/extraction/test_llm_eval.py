"""`handoff eval extraction --backend llm|hybrid`: the suite through the LLM backend, and without a server."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest

from evals.extraction import SUITE
from evals.suite import EvalContext
from extraction.llm import LLMConfig, StructuredLLMClient
from extraction.llm.backend import LLMBackend
from tests.extraction.llm_fakes import NO_CLAUSES, NO_NOTES, FakeClock, Reply, ScriptedLLM, answer, billing

_AMOUNT = re.compile(r"(?:[$€£]|USD |EUR |GBP )\d[\d,]*(?:\.\d\d)?")


class HalfInventedBilling:
    """Proposes one real amount from each chunk (verbatim, so kept) and one invented quote (dropped)."""

    def __init__(self) -> None:
        self.kept = 0
        self.invented = 0
        self._lock = threading.Lock()

    def __call__(self, prompt: str, body: dict[str, Any]) -> Reply:
        if prompt != "billing":
            return answer(NO_CLAUSES if prompt == "clauses" else NO_NOTES)
        text = body["messages"][1]["content"]
        fields: dict[str, Any] = {"not_to_exceed": (99_999_999, "a ceiling of 99,999,999 zorkmids", 1)}
        found = _AMOUNT.search(text)
        if found is not None:
            amount = float(re.sub(r"[^\d.]", "", found.group(0)))
            fields["total_fee"] = (amount, found.group(0), None)
        with self._lock:
            self.invented += 1
            self.kept += found is not None
        return answer(billing(**fields), tokens_in=1000, tokens_out=50)


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_eval_extraction_reports_the_share_dropped_for_failing_grounding(backend: str) -> None:
    script = HalfInventedBilling()
    server = ScriptedLLM(script)
    clock = FakeClock()
    client = StructuredLLMClient(
        server.client(), LLMConfig(model="test-model", max_concurrency=1), sleep=clock.sleep, clock=clock
    )
    context = EvalContext(
        seed=7, quick=True, options={"backend": backend, "llm": LLMBackend(client), "documents": 3}
    )
    result = SUITE.run(None, context)
    assert result.skipped is None
    assert result.metrics["llm_proposed"] == script.kept + script.invented
    expected = script.invented / (script.kept + script.invented)
    assert result.metrics["llm_dropped_share"] == pytest.approx(expected)
    assert result.metrics["llm_dropped_unfound_share"] == pytest.approx(expected)
    assert result.metrics["llm_fallback_share"] == 0.0
    tokens_in = 1000 * server.count("billing") + 100 * (server.count() - server.count("billing"))
    assert result.metrics["llm_tokens_in_per_document"] == pytest.approx(tokens_in / 3)
    assert result.metrics["grounding"] == 1.0
    assert f"backend {backend}" in result.notes[0]


@pytest.mark.parametrize("backend", ["llm", "hybrid"])
def test_eval_extraction_without_a_server_is_skipped_saying_why(backend: str) -> None:
    result = SUITE.run(None, EvalContext(quick=True, options={"backend": backend}))
    assert result.skipped is not None and "HANDOFF_LLM_BASE_URL" in result.skipped
    assert result.metrics == {}


@pytest.mark.slow  # the eval command opens its MLflow store first
@pytest.mark.parametrize("backend", ["llm"])
def test_cli_eval_extraction_without_a_server_says_so_and_exits_cleanly(
    backend: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import json

    from typer.testing import CliRunner

    from service.cli import app

    for name in ("HANDOFF_LLM_BASE_URL", "HANDOFF_LLM_MODEL", "HANDOFF_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HANDOFF_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["eval", "extraction", "--backend", backend, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (run,) = json.loads(result.stdout)["suites"]
    assert run["status"] == "skipped" and "HANDOFF_LLM_BASE_URL" in run["skipped"]


class ClauseOracle:
    """A "model" that proposes every true clause of the generated SOWs whose quote is in the chunk.

    With ``mislabel`` it gives each a wrong type instead, as a confused model would.
    """

    def __init__(self, documents: int, seed: int, *, mislabel: bool = False) -> None:
        import random

        from extraction.llm import normalise
        from extraction.schemas import CLAUSE_TYPES
        from training.sow_generator import generate_sows

        self._normalise = normalise
        truth = [c for s in generate_sows(documents, seed=seed, split="test") for c in s.truth()["clauses"]]
        rng = random.Random(seed)
        self.clauses = [
            (
                normalise(c["quote"]),
                rng.choice([t for t in CLAUSE_TYPES if t != c["type"]]) if mislabel else c["type"],
                c["quote"],
            )
            for c in truth
            if c["quote"]
        ]

    def __call__(self, prompt: str, body: dict[str, Any]) -> Reply:
        if prompt != "clauses":
            return answer(billing() if prompt == "billing" else NO_NOTES)
        text = self._normalise(body["messages"][1]["content"])
        found = [{"type": t, "quote": q, "page": None} for key, t, q in self.clauses if key in text]
        return answer({"clauses": found})


@pytest.mark.parametrize(("documents", "seed"), [(3, 42)])
def test_eval_verbatim_true_clauses_survive_grounding_through_every_format(documents: int, seed: int) -> None:
    # PDF, DOCX and text renderings: a correct, verbatim proposal is never lost to ingestion or grounding.
    backend = LLMBackend(
        StructuredLLMClient(ScriptedLLM(ClauseOracle(documents, seed)).client(), LLMConfig(model="oracle"))
    )
    context = EvalContext(seed=seed, options={"backend": "llm", "llm": backend, "documents": documents})
    metrics = SUITE.run(None, context).metrics
    assert metrics["llm_proposed"] > 0 and metrics["llm_dropped_share"] == 0.0
    assert metrics["clause_type_f1"] == 1.0


@pytest.mark.parametrize(("documents", "seed"), [(3, 42)])
def test_eval_mislabelled_clauses_are_mostly_dropped(documents: int, seed: int) -> None:
    server = ScriptedLLM(ClauseOracle(documents, seed, mislabel=True))
    backend = LLMBackend(StructuredLLMClient(server.client(), LLMConfig(model="oracle")))
    context = EvalContext(seed=seed, options={"backend": "llm", "llm": backend, "documents": documents})
    metrics = SUITE.run(None, context).metrics
    assert metrics["llm_dropped_unsupported_share"] >= 0.8
