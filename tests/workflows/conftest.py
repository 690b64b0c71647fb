"""A fake engine-side API client for process tests that need no server."""

from __future__ import annotations

import itertools
from typing import Any

import pytest


class FakeHandoffAPI:
    """Answers the calls the processes make, and lets a test decide review items."""

    def __init__(self) -> None:
        self.reviews: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str | None]] = []
        self._ids = itertools.count(1)
        self.extraction_result: dict[str, Any] = {}
        self.extraction_findings: list[str] = []
        self.flag_entries: list[str] = []
        self.staffing_flags = 0
        self._by_key: dict[str, Any] = {}

    def _open(self, kind: str, subject_id: str) -> str:
        review_id = f"rev_{next(self._ids)}"
        self.reviews[review_id] = {
            "id": review_id,
            "kind": kind,
            "status": "pending",
            "decision": None,
            "subject": {"type": kind, "id": subject_id},
            "rule": None,
        }
        return review_id

    def _idempotent(self, name: str, key: str | None, make: Any) -> Any:
        self.calls.append((name, key))
        if key is not None and key in self._by_key:
            return self._by_key[key]
        answer = make()
        if key is not None:
            self._by_key[key] = answer
        return answer

    def decide(self, review_id: str, status: str, *, reason: str = "ok", corrections: Any = None) -> None:
        self.reviews[review_id].update(status=status, decision={"reason": reason, "corrections": corrections})

    def get_review(self, review_id: str) -> dict[str, Any]:
        return dict(self.reviews[review_id])

    def submit_extraction(self, *, idempotency_key: str | None = None, **_: Any) -> dict[str, Any]:
        return self._idempotent(
            "extract",
            idempotency_key,
            lambda: {
                "id": "ext_1",
                "result": self.extraction_result,
                "reviews": [self._open("clause", rule) for rule in self.extraction_findings],
            },
        )

    def recommend_staff(
        self, request: dict[str, Any], *, idempotency_key: str | None = None, **_: Any
    ) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            reviews = [self._open("staffing", request["request_id"]) for _ in range(self.staffing_flags)]
            return {
                "request_id": request["request_id"],
                "candidates": [{"person_id": "E-1", "rank": 1}],
                "excluded": [],
                "flags": [],
                "reviews": reviews,
            }

        return self._idempotent("recommend", idempotency_key, make)

    def assign_team(
        self, requests: list[dict[str, Any]], *, idempotency_key: str | None = None, **_: Any
    ) -> dict[str, Any]:
        return self._idempotent(
            "team",
            idempotency_key,
            lambda: {
                "assignments": [
                    {"request_id": r["request_id"], "person_id": "E-1", "score": 0.9} for r in requests
                ],
                "unfilled": [],
                "total_score": 0.9 * len(requests),
                "flags": [],
            },
        )

    def score_time_entries(
        self, items: list[dict[str, Any]], *, idempotency_key: str | None = None, **_: Any
    ) -> dict[str, Any]:
        def make() -> dict[str, Any]:
            results = [{"id": i["entry_id"], "flagged": i["entry_id"] in self.flag_entries} for i in items]
            reviews = [self._open("time_entry", e) for e in self.flag_entries]
            return {"results": results, "rejected": [], "reviews": reviews}

        return self._idempotent("score_entries", idempotency_key, make)

    def score_invoices(
        self, items: list[dict[str, Any]], *, idempotency_key: str | None = None, **_: Any
    ) -> dict[str, Any]:
        return self._idempotent(
            "score_invoice",
            idempotency_key,
            lambda: {
                "results": [{"id": i["invoice_id"], "flagged": False} for i in items],
                "rejected": [],
                "reviews": [],
            },
        )


@pytest.fixture
def fake_api() -> FakeHandoffAPI:
    return FakeHandoffAPI()
