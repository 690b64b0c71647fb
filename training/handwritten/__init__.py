"""Hand-written SOW cases: other firms' drafting, labelled by hand in the contract's shape.

``billing/`` holds excerpts with their expected billing fields and ``clauses/`` SOWs with
their expected clause findings (the formats are in ``tests/extraction/test_billing_realistic.py``
and ``tests/extraction/test_clauses_realistic.py``, which score them). They are named by batch
(``r4_``, ``r5_``, ...), each batch written after the fixes for the one before and scored before
its own, so a batch prefix is also a point in time: anything trained on these cases is judged on
the batches after the ones it learned from.
"""

from __future__ import annotations

from pathlib import Path

BILLING_DIR = Path(__file__).parent / "billing"
CLAUSES_DIR = Path(__file__).parent / "clauses"

__all__ = ["BILLING_DIR", "CLAUSES_DIR"]
